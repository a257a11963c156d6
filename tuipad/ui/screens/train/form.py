"""The training screen's Train tab: the form that describes a training, and how it is going.

:class:`TrainForm` owns its fields and reads them into a
:class:`~tuipad.core.families.TrainingSpec`; its buttons only post messages
(:class:`TrainForm.Train`, :class:`TrainForm.Cancel`, :class:`TrainForm.Retrain`,
:class:`TrainForm.Activate`), and the screen that runs the work pushes the
progress, the outcome and the personal sample count back down.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioSet,
    Static,
)

from tuipad.core.families import FAMILIES
from tuipad.ui.screens.train.formatting import default_name
from tuipad.ui.widgets.marked_toggles import MarkedCheckbox, MarkedRadioButton
from tuipad.ui.widgets.text_field import TextField

if TYPE_CHECKING:
    from textual.timer import Timer

    from tuipad.core.families import TrainingSpec
    from tuipad.core.progress import BarEstimate
    from tuipad.store.registry import LoadedModel

DEFAULT_FAMILY = "svc-default"

SEED_FAMILY = "svc-seed"
"""The original demo's SVC: choosing it unticks the pen digits and the copies it did without."""
"""The family chosen when the form opens."""

DEFAULT_FOLDS = 5
"""K suggested for k-fold cross-validation."""

TICK_SECONDS = 0.25
"""How often the bar of a running job is redrawn between its reports."""

STARTING_SHARE = 0.03
"""The stretch of the bar a job's start-up fills before the job reports."""


class TrainForm(VerticalScroll):
    """The Train tab: family, data, name; Train, Cancel and Retrain; progress; the fresh model."""

    can_focus = False
    """Tab goes from the tab bar straight to the family list: the form scrolls to its fields."""

    class Train(Message):
        """The user asked to train what the form describes."""

    class Cancel(Message):
        """The user asked to stop the running training."""

    class Retrain(Message):
        """The user asked to retrain with their personal samples."""

    @dataclass
    class Activate(Message):
        """The user asked to make the model just trained the active one."""

        model: LoadedModel
        """The model just trained."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._auto_name = ""
        self._data_chosen = False
        """Whether the user ticked or unticked the data: then a family no longer sets it."""
        self._taken = ""
        """The suggested name the last training started with, if it took one."""
        self._fresh: LoadedModel | None = None
        self._estimate: BarEstimate | None = None
        self._ticker: Timer | None = None
        self._stage_names: str | None = None
        """The active model the stage line names, if it names one."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="form-row family-row"):
            yield Label("Model", classes="form-label")
            with RadioSet(id="family"):
                for family, description in FAMILIES.items():
                    yield MarkedRadioButton(
                        f"{family:<12}{description}", value=family == DEFAULT_FAMILY, name=family
                    )
        with Horizontal(classes="form-row"):
            yield Label("Data", classes="form-label")
            yield MarkedCheckbox("pen digits", True, compact=True, id="pen")
            yield MarkedCheckbox("augmented", True, compact=True, id="augment")
            yield MarkedCheckbox("k-fold CV, K =", False, compact=True, id="cv")
            folds = str(DEFAULT_FOLDS)
            yield TextField(folds, type="integer", compact=True, id="folds", disabled=True)
        with Horizontal(classes="form-row"):
            yield Label("Drawn", classes="form-label")
            yield TextField(
                placeholder="strokes file to also test on (JSON lines), optional",
                compact=True,
                id="strokes",
            )
        with Horizontal(classes="form-row"):
            yield Label("Name", classes="form-label")
            yield TextField(compact=True, id="name")
        with Horizontal(classes="form-row"):
            yield Label("", classes="form-label")
            yield Button("Train", variant="primary", compact=True, id="train")
            yield Button("Cancel", variant="error", compact=True, id="cancel", disabled=True)
        with Horizontal(classes="form-row"):
            yield Label("Yours", classes="form-label")
            yield Button("Retrain with my samples", compact=True, id="retrain")
            yield Static("", id="personal-count", markup=False)
        yield ProgressBar(total=1.0, show_eta=False, id="progress")
        yield Static("Choose a model and its data, then Train.", id="stage", markup=False)
        with Horizontal(id="fresh-row"):
            yield Static("", id="fresh", markup=False)
            yield Button("Make active", compact=True, id="activate-fresh")

    def on_mount(self) -> None:
        family = self.query_one("#family", RadioSet)
        # RadioSet highlights its first button on mount; highlight the chosen one instead,
        # so Enter or Space does not quietly switch to the family above it.
        family._selected = family.pressed_index
        self._suggest_name(DEFAULT_FAMILY)
        self.query_one("#fresh-row").display = False

    # ----------------------------------------------------------------- what it describes

    def spec(self) -> TrainingSpec:
        """The training the form describes.

        Raises:
            ValueError: A bad K.
        """
        from tuipad.core.families import MAX_FOLDS, MIN_FOLDS, TrainingSpec

        folds = None
        if self.query_one("#cv", Checkbox).value:
            text = self.query_one("#folds", Input).value.strip()
            if not text.isdigit() or not MIN_FOLDS <= int(text) <= MAX_FOLDS:
                raise ValueError(f"K must be a whole number of folds, {MIN_FOLDS} to {MAX_FOLDS}")
            folds = int(text)
        return TrainingSpec(
            self._family(),
            pen=self.query_one("#pen", Checkbox).value,
            augment=self.query_one("#augment", Checkbox).value,
            cv=folds,
        )

    @property
    def model_name(self) -> str:
        """The name typed for the new model, trimmed (not yet checked).

        The suggested name shown is the one used; once a run has taken it
        (:meth:`take_name`), a new one is suggested first, so training again
        does not clash with the model that run saved.  A typed name is kept until
        a run saves a model under it (:meth:`saved_as`); an emptied field takes a
        suggestion again.
        """
        field = self.query_one("#name", Input)
        if not field.value.strip():
            field.value = ""
        if field.value == self._auto_name == self._taken or not field.value:
            self._suggest_name(self._family())
        return field.value.strip()

    def saved_as(self, name: str) -> None:
        """A run saved its model under the name shown, typed or suggested: show a new
        suggestion, since the next run under that name would be refused."""
        field = self.query_one("#name", Input)
        if field.value.strip() == name:
            field.value = ""
            self._suggest_name(self._family())
            self._taken = name  # a suggestion in the same second: suggested again at ctrl+t

    def take_name(self) -> None:
        """A run starts with the name shown: a form refused before it keeps its suggestion."""
        if self.query_one("#name", Input).value == self._auto_name:
            self._taken = self._auto_name

    def strokes_path(self) -> str | None:
        """The strokes file to test on as well, or ``None``, once it opens.

        Only opened, which is quick, so a missing file or a folder is refused
        before a training starts; its lines are read in the training's worker.
        ``-``, which the CLI reads from standard input, is refused: here that
        is the terminal.

        Raises:
            ValueError: One line, in ``tuipad eval``'s words.
        """
        from tuipad.store.formats import check_openable

        path = self.query_one("#strokes", Input).value.strip() or None
        if path == "-":
            raise ValueError("the training screen cannot read standard input (-): name a file")
        if path is not None:
            check_openable(path)
        return path

    def _family(self) -> str:
        index = self.query_one("#family", RadioSet).pressed_index
        return list(FAMILIES)[max(index, 0)]

    def _suggest_name(self, family: str) -> None:
        """Suggest a name for the family unless the user typed their own."""
        field = self.query_one("#name", Input)
        if field.value in ("", self._auto_name):
            self._auto_name = default_name(family)
            field.value = self._auto_name

    @on(RadioSet.Changed, "#family")
    def _family_changed(self) -> None:
        family = self._family()
        self._suggest_name(family)
        if not self._data_chosen:  # the demo's SVC on the demo's data: the quick run it was
            for box in self.query("#pen, #augment").results(Checkbox):
                with box.prevent(Checkbox.Changed):
                    box.value = family != SEED_FAMILY

    @on(Checkbox.Changed, "#pen, #augment")
    def _data_changed(self) -> None:
        self._data_chosen = True

    @on(Checkbox.Changed, "#cv")
    def _cv_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#folds", Input).disabled = not event.value

    # ----------------------------------------------------------------- what it shows

    def start(self, stage: str) -> None:
        """Show that a run started: its stage, no progress, no fresh model offered.

        From here until :meth:`show_stage` the bar is the run's one bar: it
        takes the run's reports (:meth:`report`) and creeps between them, with
        the time left, so it never stands still or goes back.
        """
        from tuipad.core.progress import BarEstimate

        now = time.monotonic()
        self._estimate = BarEstimate(now)
        # Starting the child process takes a second or two before its first
        # report: a small stretch for it keeps the bar moving meanwhile.
        self._estimate.update(stage, 0.0, STARTING_SHARE, now)
        self.query_one("#progress", ProgressBar).update(progress=0)
        self._stage_names = None
        self._show_estimate()
        if self._ticker is None:
            self._ticker = self.set_interval(TICK_SECONDS, self._show_estimate)
        else:
            self._ticker.resume()
        self.withdraw()

    def report(self, stage: str, done: float, stage_end: float) -> None:
        """Take a report of the running job: its stage, fraction done and the stage's end."""
        if self._estimate is not None:
            self._estimate.update(stage, done, stage_end, time.monotonic())
            self._show_estimate()

    def _show_estimate(self) -> None:
        """Draw the running job's bar and line as they stand now."""
        from tuipad.core.progress import describe_left

        if self._estimate is None:
            return
        now = time.monotonic()
        shown = self._estimate.shown(now)
        left = describe_left(self._estimate.seconds_left(now))
        if not left and shown < 1.0:  # until the job shows its pace, the seconds show it is alive
            left = f"{self._estimate.elapsed(now):.0f} s so far"
        self.query_one("#progress", ProgressBar).update(progress=shown)
        line = f"{self._estimate.text} · {shown:.0%}" + (f" · {left}" if left else "")
        self.query_one("#stage", Static).update(line)

    def set_running(self, running: bool) -> None:
        """Enable Cancel while a run goes on, Train and Retrain otherwise."""
        self.query_one("#train", Button).disabled = running
        self.query_one("#retrain", Button).disabled = running
        self.query_one("#cancel", Button).disabled = not running

    def show_stage(
        self, text: str, *, progress: float | None = None, active: str | None = None
    ) -> None:
        """Say what the run did (it has ended), or why none started.

        Args:
            text: What happened.
            progress: Where to set the bar, if given.
            active: The model ``text`` says is active, if it names one: the line
                is replaced once another model becomes active (:meth:`active_changed`).
        """
        self._estimate = None
        if self._ticker is not None:
            self._ticker.pause()
        if progress is not None:
            self.query_one("#progress", ProgressBar).update(progress=progress)
        self.query_one("#stage", Static).update(text)
        self._stage_names = active

    def active_changed(self, name: str) -> None:
        """Replace a line that says another model is active, which is no longer true."""
        if self._stage_names is not None and self._stage_names != name:
            self.show_stage(f"{name} is now the active model.", active=name)

    def offer(self, model: LoadedModel, line: str, *, usable: bool = True) -> None:
        """Show a model just trained, with Make active if it can be made active.

        Args:
            model: The model.
            line: What it scored, shown before the button (and why not, if not usable).
            usable: Whether it can recognise on the sketchpad; if not, no button.
        """
        self._fresh = model
        fresh = self.query_one("#fresh", Static)
        fresh.update(line)
        fresh.styles.width = "auto" if usable else "1fr"  # alone on its row, it wraps
        self.query_one("#activate-fresh", Button).display = usable
        self.query_one("#fresh-row").display = True
        self.screen.refresh_bindings()  # the footer's ctrl+a comes and goes with the offer

    def withdraw(self, name: str | None = None) -> None:
        """Stop offering the fresh model (only if it is named ``name``, when given)."""
        if name is not None and (self._fresh is None or self._fresh.name != name):
            return
        self._fresh = None
        self.query_one("#fresh-row").display = False
        self.screen.refresh_bindings()

    def show_personal_count(self, count: int | None, adapted: str | None = None) -> None:
        """Say how many personal samples a retrain would use (``None``: unreadable store),
        or that ``adapted``, the active model, is adapted to them all already."""
        from tuipad import services

        if count is None:
            text = "(the sample store cannot be read)"
        elif count == 0:
            text = "none yet: correct answers or teach (T)"
        elif adapted is not None:
            text = f"{adapted}, active, is adapted to {services.your_samples(count)} already"
        else:
            text = f"adapts the shipped model to {services.your_samples(count)}, in seconds"
        self.query_one("#personal-count", Static).update(text)

    # ----------------------------------------------------------------- its buttons

    @on(Button.Pressed, "#train")
    def _train_pressed(self) -> None:
        self.post_message(self.Train())

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.post_message(self.Cancel())

    @on(Button.Pressed, "#retrain")
    def _retrain_pressed(self) -> None:
        self.post_message(self.Retrain())

    @property
    def offered(self) -> LoadedModel | None:
        """The model just trained, while Make active is offered for it."""
        shown = self.query_one("#fresh-row").display
        return self._fresh if shown and self.query_one("#activate-fresh").display else None

    @on(Button.Pressed, "#activate-fresh")
    def activate_offered(self) -> None:
        """Ask for the model just trained to be made active (Make active, ctrl+a)."""
        if (fresh := self.offered) is not None:
            self.post_message(self.Activate(fresh))
