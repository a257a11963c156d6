"""Teach mode: draw the digits tuipad asks for, each saved as a personal sample.

A round asks for every digit N times in random order (:mod:`tuipad.core.teaching`).
Saving runs in a worker: the sample is committed to the store, then the
round's remaining queue is written, and only then does the screen move on,
so what the screen counts as done is on disk.  Escape leaves; opening teach
mode again resumes the round.  The end of a round, or leaving with new
drawings, posts :class:`~tuipad.ui.adapting.SamplesChanged` so the app can
adapt the model to them in the background; not each drawing, since a model
adapted halfway through a round would be replaced a few drawings later.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Header, ProgressBar, Static

from tuipad.core.teaching import DEFAULT_PER_DIGIT, MAX_PER_DIGIT, TeachRound
from tuipad.core.wording import counted
from tuipad.store.teach import load_round
from tuipad.ui.adapting import SamplesChanged
from tuipad.ui.key_log import typed_at
from tuipad.ui.messages import TeachFailed, TeachSaved
from tuipad.ui.notices import withdraw
from tuipad.ui.screens import help_prose
from tuipad.ui.screens.closing import ClosesOnce
from tuipad.ui.screens.teach_wording import prompt_text, read_otherwise
from tuipad.ui.widgets.canvas_frame import CanvasFrame
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.wording import a_digit

if TYPE_CHECKING:
    from tuipad.core.drawing import Strokes
    from tuipad.core.recognise import Prediction
    from tuipad.store.registry import LoadedModel
    from tuipad.ui.context import AppContext


RECALLED = 3
"""Drawings kept against the model's reading named at a round's end; the rest are counted."""


class TeachScreen(ClosesOnce, Screen[None]):
    """Ask for each digit in turn and keep the drawings as labelled samples."""

    CSS_PATH = "teach.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    HELP = help_prose.TEACH
    """What a round is: the top of its help (?)."""

    LEAVE_KEY = "escape"
    """Goes back even while the terminal is too small for this screen (tuipad.ui.too_small)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave", tooltip="Leave; the round resumes next time"),
        Binding("enter", "save", "Save", tooltip="Keep the drawing and ask for the next digit"),
        Binding(
            "enter", "new_round", "Another round", tooltip="Once a round is done: start another"
        ),
        Binding("c", "clear", "Clear", tooltip="Clear the canvas"),
        Binding("u,ctrl+z", "undo", "Undo", tooltip="Undo the last stroke"),
        Binding("f", "fit", "Fit", show=False, tooltip=help_prose.FIT),
        Binding(
            "ctrl+u", "retake", "Retake", tooltip="Delete the last saved drawing, draw it again"
        ),
        Binding("b", "app.browse", "Browse", tooltip="Browse your samples: relabel, delete"),
        Binding(
            "plus,equals_sign",
            "per_digit(1)",
            "More",
            show=False,
            tooltip="Ask for each digit once more",
        ),
        Binding(
            "minus", "per_digit(-1)", "Fewer", show=False, tooltip="Ask for each digit once less"
        ),
    ]

    def __init__(self, context: AppContext) -> None:
        """Set up a round (resumed from disk once mounted).

        Args:
            context: What the app's screens share (paths, the sample store).
        """
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner."""
        self.teach_round = TeachRound.new(DEFAULT_PER_DIGIT)
        """The round being drawn."""
        self._saving = False
        self._unsaved: Strokes = ()  # the drawing being saved, cleared from the canvas
        self._read_as: str | None = None  # what the model surely reads the drawing saving as
        self._kept_against: dict[int, str] = {}  # this visit's samples kept against a reading
        self._warnings: dict[int, str] = {}  # the warning each of them got
        self._round_notice = ""  # the last "Round done", taken down if a retake reopens it
        self._new_samples = False

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        with Horizontal(id="teach-main"):
            with CanvasFrame(id="teach-frame", prompt="Teach tuipad your handwriting"):
                yield DrawingCanvas(id="teach-canvas")
            with Vertical(id="teach-side"):
                yield Digits("", id="teach-digit")
                yield Static("", id="teach-prompt")
                yield ProgressBar(total=1.0, show_eta=False, show_percentage=False)
                yield Static("", id="teach-hint")
        yield KeyHints()

    @property
    def canvas(self) -> DrawingCanvas:
        """The drawing canvas."""
        return self.query_one(DrawingCanvas)

    def on_mount(self) -> None:
        resumed = load_round(self.context.paths.teach_round)
        if resumed is not None:
            self.teach_round = resumed
        self._show()
        self.canvas.focus()

    def on_screen_resume(self) -> None:
        # After on_mount when it opens, and back from browse, which may delete some of the round.
        self._ask_again_for_deleted()
        self._show()

    def on_screen_suspend(self) -> None:
        for warning in self._warnings.values():  # "ctrl+u retakes it" holds only in teach mode
            withdraw(self.app, warning)

    def _ask_again_for_deleted(self) -> None:
        """Ask again for the round's drawings whose samples were deleted meanwhile."""
        from tuipad.store.samples import StoreError
        from tuipad.store.teach import deleted_drawings

        try:
            deleted = deleted_drawings(self.context.sample_store(), self.teach_round)
        except StoreError:  # saving the next drawing says what is wrong
            return
        if deleted:
            self.teach_round = self.teach_round.asked_again(deleted)
            self._keep_round()
            gone = counted(len(deleted), "drawing")
            self.notify(f"Asked for again: {gone} of this round, deleted meanwhile")

    def _show(self) -> None:
        teach_round = self.teach_round
        digit = teach_round.current
        self.query_one("#teach-digit", Digits).update("" if digit is None else str(digit))
        self.query_one("#teach-prompt", Static).update(prompt_text(teach_round))
        self.query_one(ProgressBar).update(progress=teach_round.done / teach_round.total)
        self.refresh_bindings()  # enter: save, or another round
        if digit is None:
            adapting = getattr(self.app, "adapting", None)
            used = (
                "The model adapts to them in the background and says when (A turns that off)."
                if adapting is not None and adapting.enabled
                else "Retrain with my samples on the training screen (t) uses them."
            )
            hint = f"{used}\nenter: another round"
        elif teach_round.done == 0:
            hint = (
                f"{teach_round.per_digit} of each digit, random order.\n"
                "+/- changes how many.\nenter saves a drawing."
            )
        else:
            hint = "enter saves a drawing.\nescape leaves; you resume here."
        self.query_one("#teach-hint", Static).update(hint)

    # ----------------------------------------------------------------- actions

    def action_leave(self) -> None:
        """Go back; the round is kept for next time."""
        self._announce_samples()
        self.dismiss()

    def _announce_samples(self) -> None:
        """Tell the app about drawings saved since the last time, once."""
        if self._new_samples:
            self._new_samples = False
            # To the app itself: when leaving, this screen is gone before the message could bubble.
            self.app.post_message(SamplesChanged())

    def action_clear(self) -> None:
        """Clear the canvas."""
        self.canvas.clear(asked_at=typed_at())

    def action_undo(self) -> None:
        """Undo the last stroke."""
        self.canvas.undo(asked_at=typed_at())

    def action_fit(self) -> None:
        """Bring a drawing that is partly off the canvas back onto it."""
        if not self.canvas.bring_onto_canvas():
            self.notify("All of the drawing is on the canvas", timeout=2)

    def action_per_digit(self, change: int) -> None:
        """Ask for each digit more or fewer times, keeping the drawings of the round so far."""
        teach_round = self.teach_round
        if self._saving or teach_round.current is None:
            return
        fewest = teach_round.fewest_per_digit
        per_digit = min(MAX_PER_DIGIT, max(fewest, teach_round.per_digit + change))
        if per_digit == teach_round.per_digit:
            if change > 0:
                self.notify(f"A round asks for each digit at most {MAX_PER_DIGIT} times", timeout=3)
            elif fewest > 1:
                self.notify(
                    f"This round already has {fewest} drawings of one digit:"
                    f" it asks for each digit at least {fewest} times",
                    timeout=5,
                )
            else:
                self.notify("A round asks for each digit at least once", timeout=3)
            return
        if teach_round.done:
            self.teach_round = teach_round.with_per_digit(per_digit)
        else:
            self.teach_round = TeachRound.new(per_digit)
        if self.teach_round.current != teach_round.current:
            self.canvas.clear()  # a drawing of the digit no longer asked for must not be saved
        self._show()
        self._keep_round()
        if self.teach_round.current is None:
            self._round_done()

    def _round_done(self) -> None:
        """Say the round is done, recalling the drawings kept against the model's reading."""
        done = f"Round done: {self.teach_round.total} drawings saved"
        kept = list(self._kept_against.values())
        if kept:
            more = f"; and {len(kept) - RECALLED} more" if len(kept) > RECALLED else ""
            named = "; ".join(kept[:RECALLED])
            them = "it" if len(kept) == 1 else "them"
            done += f". Kept though the model read {them} otherwise: {named}{more}"
            done += f"; b browses {them}"
        withdraw(self.app, self._round_notice)
        self._round_notice = done
        self.notify(done, timeout=10 if kept else 5)
        self._announce_samples()

    def _keep_round(self) -> None:
        """Write the round for next time (a few bytes: not worth a worker)."""
        from tuipad.store.teach import save_round

        try:
            save_round(self.context.paths.teach_round, self.teach_round)
        except OSError as error:
            self.notify(f"Not kept for next time: {error}", title="Teach mode", severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter saves while a round asks for digits, and starts another once it is done."""
        done = self.teach_round.current is None
        if action == "save":
            return not done
        if action == "new_round":
            return done
        return True

    def action_new_round(self) -> None:
        """Start another round asking for each digit as many times."""
        self.teach_round = TeachRound.new(self.teach_round.per_digit)
        self._kept_against = {}
        self._show()

    def action_save(self) -> None:
        """Save the drawing as the digit asked for and move on."""
        asked_at = typed_at()
        strokes = self.canvas.strokes_as_of(asked_at)  # not the next digit's, begun since
        if self._saving:  # a drawing since would otherwise wait unseen for another enter
            if strokes:
                self.notify("Still saving the last drawing · press enter again", timeout=3)
            return
        digit = self.teach_round.current
        if digit is None:
            self.action_new_round()
            return
        if not strokes:
            self.notify(f"Draw {a_digit(digit)} first", timeout=2)
            return
        model: LoadedModel | None = getattr(self.app, "model", None)
        prediction = None if model is None else model.recognise(strokes)
        self._read_as = read_otherwise(prediction, digit)
        self._saving, self._unsaved = True, strokes
        # Cleared now, as of enter: keys after it act on the next digit's strokes.
        self.canvas.clear(asked_at=asked_at)
        self.save_drawing(
            strokes, self.teach_round, None if model is None else model.name, prediction
        )

    @work(thread=True, exit_on_error=False, group="samples")
    def save_drawing(
        self,
        strokes: Strokes,
        teach_round: TeachRound,
        answered_by: str | None = None,
        prediction: Prediction | None = None,
    ) -> None:
        """Commit the sample, then the round's queue, off the UI thread.

        Args:
            strokes: The drawing.
            teach_round: The round; its current digit is the label.
            answered_by: The model that read the drawing, kept with the sample (so a
                drawing kept against its reading can be found in browse).
            prediction: What it read.
        """
        from tuipad.store.samples import StoreError
        from tuipad.store.teach import save_round

        label = teach_round.current
        assert label is not None
        try:
            sample = self.context.sample_store().add(
                strokes,
                label,
                source="teach",
                answered_by=answered_by,
                predicted=None if prediction is None else prediction.label,
                scores=None if prediction is None else prediction.scores,
            )
        except (StoreError, ValueError) as error:
            self.post_message(TeachFailed(f"Not saved: {error}"))
            return
        after = teach_round.advanced(sample.id)
        try:
            save_round(self.context.paths.teach_round, after)
        except OSError as error:
            # The sample is safe; only where to resume is lost.
            error_line = f"Saved, but the round could not be kept: {error}"
            self.post_message(TeachFailed(error_line, saved=True))
        self.post_message(TeachSaved(after, sample.id, label))

    def on_teach_saved(self, message: TeachSaved) -> None:
        self._saving = False
        self._new_samples = True
        self.teach_round = message.teach_round
        self._show()
        if self._read_as is not None:  # a slip of the pen, or the digit asked for misread
            reading = self._read_as.removeprefix("it ")
            self._kept_against[message.sample_id] = f"{a_digit(message.label)} that {reading}"
            warning = f"Kept as {a_digit(message.label)}, though {self._read_as}: ctrl+u retakes it"
            self._warnings[message.sample_id] = warning
            self.notify(warning, title="Teach mode", severity="warning", timeout=6)
        if self.teach_round.current is None:
            self._round_done()

    def on_teach_failed(self, message: TeachFailed) -> None:
        self._saving = False
        if not message.saved:  # cleared as it was saved: back, before what was drawn since
            self.canvas.load((*self._unsaved, *self.canvas.strokes))
        self.notify(message.error, title="Teach mode", severity="error")

    def action_retake(self) -> None:
        """Delete the last saved drawing and ask for its digit again."""
        from tuipad.store.samples import StoreError

        last = self.teach_round.last_saved
        if last is None or self._saving:
            self.notify("Still saving" if self._saving else "Nothing to retake", timeout=2)
            return
        sample_id, digit = last
        try:
            store = self.context.sample_store()
            sample = store.get(sample_id)
            # Only the round's own drawing: a store made anew numbers its samples from 1 again.
            if sample is None or sample.source != "teach" or not store.delete(sample_id):
                self.teach_round = replace(self.teach_round, last_saved=None)
                self._keep_round()
                gone = "was deleted meanwhile" if sample is None else "is not in the store"
                self.notify(f"Nothing to retake: that drawing {gone}", timeout=3)
                return
        except StoreError as error:
            self.notify(f"Not undone: {error}", title="Teach mode", severity="error")
            return
        self._new_samples = True  # a sample fewer: the model adapts to that too
        withdraw(self.app, self._warnings.pop(sample_id, ""))  # moot now
        withdraw(self.app, self._round_notice)  # if the round had ended, it no longer has
        self._kept_against.pop(sample_id, None)
        self.teach_round = self.teach_round.retaken(digit)
        self._keep_round()
        self.notify(f"Deleted: draw {a_digit(digit)} again", timeout=3)
        self._show()
