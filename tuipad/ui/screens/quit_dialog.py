"""Asked before quitting would throw work away: a running training or retrain, an unsaved page.

A background adaptation is not asked about: it starts by itself, takes seconds,
and starts again from the same samples next time, so quitting just cancels it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label
from textual.worker import Worker

from tuipad.ui.screens.closing import ClosesOnce
from tuipad.ui.widgets.key_hints import KeyHints


class QuitDialog(ClosesOnce, ModalScreen[bool]):
    """Quit and lose what would be lost, or stay; dismisses with ``True`` to quit."""

    CSS_PATH = "quit_dialog.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", "Stay"),
        Binding("q", "quit_anyway", "Quit"),
    ]

    def __init__(
        self,
        question: str,
        quit_label: str = "Quit and cancel",
        still_running: Callable[[], bool] | None = None,
    ) -> None:
        """Set up the dialog.

        Args:
            question: What would be lost, asked, e.g. "A training is running. Quit and cancel it?".
            quit_label: The quit button's text, also named by the hint.
            still_running: Whether the job asked about is still running: once it ends,
                nothing is lost by quitting, and the dialog closes and says so.
        """
        super().__init__()
        self._question = question
        self._quit_label = quit_label
        self._still_running = still_running

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-dialog"):
            yield Label(self._question)
            with Horizontal(id="quit-buttons"):
                yield Button("Stay", variant="primary", compact=True, id="stay")
                yield Button(self._quit_label, variant="error", compact=True, id="quit")
            yield Label(f"escape: stay · q: {self._quit_label.lower()}", classes="hint")
        # Its own footer, over the one of the screen beneath, whose keys do not work here.
        yield KeyHints()

    def on_mount(self) -> None:
        # The safe choice first: a second q in a hurry still has to be meant.
        self.query_one("#stay").focus()
        if self._still_running is not None:
            self.set_interval(0.2, self._check_job)

    def _check_job(self) -> None:
        """Close once the job asked about has ended: the question no longer holds."""
        if self._still_running is not None and not self._still_running():
            self._still_running = None
            self.app.notify("It ended while you were asked, its work kept: q now quits", timeout=5)
            self.dismiss(False)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        """Close and keep the job running."""
        self.dismiss(False)

    @on(Button.Pressed, "#quit")
    def action_quit_anyway(self) -> None:
        """Quit; the app cancels the job."""
        self.dismiss(True)


RUNNING_JOBS = {"train": "A training", "retrain": "A retrain"}
"""Workers (by name, in the "train" group) whose work quitting would throw away."""


def quit_question(
    workers: Iterable[Worker[object]], unsaved: Iterable[Callable[[], str | None]]
) -> QuitDialog | None:
    """The question to ask before quitting, or ``None`` when nothing would be lost.

    Args:
        workers: The app's workers.
        unsaved: Callables saying what each screen would lose, in a sentence, or nothing.
    """
    running = [w for w in workers if w.group == "train" and not w.is_finished]
    if running:
        job = RUNNING_JOBS.get(running[0].name, "A training")

        def still_running() -> bool:
            return not all(worker.is_finished for worker in running)

        return QuitDialog(f"{job} is running. Quit and cancel it?", still_running=still_running)
    said = [text for lost in unsaved if (text := lost())]
    if said:
        return QuitDialog(f"{said[0]}. Quit anyway?", "Quit without saving")
    return None
