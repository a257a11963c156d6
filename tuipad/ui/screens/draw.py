"""The sketchpad screen: the canvas, the panel, and the glue between them.

The screen listens to the canvas, asks the model (``LoadedModel.recognise``,
about a millisecond, so it runs inline) and pushes the answer down to the
panel.  While the pen moves, predictions are throttled to one per
``LIVE_INTERVAL`` so the panel never competes with the ink; lifting the pen
predicts at once.

Typing a digit (or clicking its score bar) after an answer corrects it: the
drawing is saved as a personal sample in a worker, and the notification
that confirms it comes only once the sample is on disk; ``ctrl+u`` takes it back.
Either posts :class:`~tuipad.ui.adapting.SamplesChanged`, so the app can adapt
the model to the samples in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.errors import NoWidget
from textual.screen import Screen
from textual.timer import Timer

from tuipad.core.geometry import fit_on_canvas, fitted_note
from tuipad.store.drawing_files import DrawingFileError, load_drawing, save_drawing
from tuipad.ui.adapting import SamplesChanged
from tuipad.ui.colours import has_few_colours
from tuipad.ui.key_log import typed_at
from tuipad.ui.screens import help_prose
from tuipad.ui.screens.corrections import (
    Correction,
    saved_notice,
    store_correction,
    undo_correction,
)
from tuipad.ui.screens.digit_guard import DigitGuard
from tuipad.ui.screens.help_prose import CORRECT, FIT
from tuipad.ui.screens.path_dialog import FileMemory, ask_to_open, ask_to_save
from tuipad.ui.widgets.canvas_frame import CanvasFrame
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.widgets.score_panel import ScoreBars, ScorePanel
from tuipad.ui.widgets.title_bar import TitleBar
from tuipad.ui.wording import a_digit

if TYPE_CHECKING:
    from tuipad.core.drawing import Strokes
    from tuipad.core.recognise import Prediction
    from tuipad.store.registry import LoadedModel
    from tuipad.ui.context import AppContext


LIVE_INTERVAL = 0.15
"""Seconds between live predictions while the pen moves.

As live as the terminal budget allows: each live update repaints the panel
(the digit, changed bars and grid rows), several times the bytes of the ink
it follows, so a shorter interval would make a slow link the bottleneck;
benchmarks/terminal_bytes.py measures the bytes per inked cell.
"""

PANEL_SHARE = 0.45
"""The most of the width the panel grows to: the canvas keeps the rest, about square."""

DEFAULT_DRAWING = "drawing.json"
"""Path suggested when saving or opening a drawing."""


class DrawScreen(Screen[None]):
    """Draw a digit and see what the model says."""

    HELP = help_prose.SKETCHPAD
    """What the panel means, and practical notes: the top of its help (?)."""

    MIN_SIZE = (60, 18)
    """The smallest terminal with room for a canvas and a readable panel (tuipad.ui.too_small)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The footer shows these in order while they fit; the modes come before
        # the rarer keys, which are in help (?) and the command palette.
        Binding("c", "clear", "Clear", tooltip="Clear the canvas"),
        Binding("u,ctrl+z", "undo", "Undo", tooltip="Undo the last stroke"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("e", "eraser", "Eraser", tooltip="Eraser on/off"),
        Binding("f", "fit", "Fit", show=False, tooltip=FIT),
        Binding("0", "digit_key(0)", "Correct", key_display="0-9", tooltip=CORRECT),
        *(
            Binding(str(d), f"digit_key({d})", f"Correct as {d}", show=False, tooltip=CORRECT)
            for d in range(1, 10)
        ),
        Binding("t", "app.train_screen", "Train", tooltip="Training screen: train, compare"),
        Binding("T", "app.teach", "Teach", tooltip="Teach mode: draw each digit it asks for"),
        Binding("s", "app.toggle_scribble", "Scribble", tooltip="Scribble mode: whole numbers"),
        Binding("b", "app.browse", "Browse", tooltip="Browse your samples: relabel, delete"),
        Binding("v", "values", "Values", tooltip="Show the 0..16 values of the 8x8 grid"),
        Binding("ctrl+s", "save", "Save", show=False, tooltip="Save the drawing (JSON)"),
        Binding("ctrl+o", "open", "Open", show=False, tooltip="Open a drawing (JSON)"),
        Binding("ctrl+u", "undo_correction", "Undo correction", show=False),
    ]

    def __init__(self, context: AppContext) -> None:
        """Set up the sketchpad with ``context``, what the app's screens share."""
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner."""
        self.model: LoadedModel | None = None
        """The model, once the app has loaded it."""
        self._live_timer: Timer | None = None
        self._files = FileMemory(DEFAULT_DRAWING)
        self._corrections: list[Correction] = []
        self._digit_guard = DigitGuard(self)
        self._canvas_drag = False
        self._show_values = False

    def compose(self) -> ComposeResult:
        yield TitleBar(icon="✎")
        with Horizontal(id="main"):
            with CanvasFrame(id="canvas-frame", prompt="Draw a digit"):
                yield DrawingCanvas(id="canvas")
            yield ScorePanel(id="panel")
        yield KeyHints()

    @property
    def canvas(self) -> DrawingCanvas:
        """The drawing canvas."""
        return self.query_one(DrawingCanvas)

    @property
    def panel(self) -> ScorePanel:
        """The score panel."""
        return self.query_one(ScorePanel)

    def on_mount(self) -> None:
        self.canvas.focus()
        self.watch(self.app, "model", self._model_changed)
        self.watch(self.app, "model_status", self._status_changed)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_panel()

    def _fit_panel(self) -> None:
        """Grow the panel and its 8x8 with the terminal, the canvas keeping most of it."""
        width, height = self.size
        room = (int(width * PANEL_SHARE), height - 2)  # the title bar and key hints
        self.panel.fit(room, show_values=self._show_values, shaded=has_few_colours(self.app))

    def _model_changed(self, model: LoadedModel | None) -> None:
        self.model = model
        self.predict()

    def _status_changed(self, status: str) -> None:
        self.panel.status = status

    # ----------------------------------------------------------------- predicting

    @on(DrawingCanvas.Changed)
    def _drawing_changed(self, event: DrawingCanvas.Changed) -> None:
        self.panel.mark_saved(None)  # the mark is for the drawing that was saved
        if event.finished:
            self.predict()
        elif self._live_timer is None:
            self._live_timer = self.set_timer(LIVE_INTERVAL, self._live_prediction)

    def _live_prediction(self) -> None:
        self._live_timer = None
        self.predict(settle=False)

    def predict(self, *, settle: bool = True) -> None:
        """Recognise the drawing and show the answer in the panel.

        Args:
            settle: Cancel a pending live prediction (the pen was lifted).
        """
        if settle and self._live_timer is not None:
            self._live_timer.stop()
            self._live_timer = None
        strokes = self.canvas.strokes
        if self.model is None or not strokes:
            self.panel.show(None)
            return
        from tuipad.core.raster import EmptyDrawingError  # numpy: loaded with the model

        try:
            prediction = self.model.recognise(strokes)
        except EmptyDrawingError:
            self.panel.show(None)
            return
        self.panel.show(prediction)

    # ----------------------------------------------------------------- actions

    def action_clear(self) -> None:
        """Clear the canvas (undoable)."""
        self.canvas.clear(asked_at=typed_at())
        self._files.new_work()

    def action_undo(self) -> None:
        """Undo the last stroke."""
        if not self.canvas.undo(asked_at=typed_at()):
            self.notify("Nothing to undo", timeout=2)

    def action_redo(self) -> None:
        """Redo the last undone stroke."""
        if not self.canvas.redo(asked_at=typed_at()):
            self.notify("Nothing to redo", timeout=2)

    def action_eraser(self) -> None:
        """Switch between the pen and the eraser."""
        self.canvas.eraser = not self.canvas.eraser

    def action_fit(self) -> None:
        """Bring a drawing that is partly off the canvas back onto it."""
        if not self.canvas.bring_onto_canvas():
            self.notify("All of the drawing is on the canvas", timeout=2)

    def action_values(self) -> None:
        """Show or hide the 0..16 values on the 8x8 grid."""
        self._show_values = not self._show_values
        self._fit_panel()  # values need cells three columns wide

    def action_save(self) -> None:
        """Ask for a path and save the drawing as JSON."""
        if not self.canvas.strokes:
            self.notify("Nothing to save: draw a digit first", severity="warning")
            return
        ask_to_save(self, "Save drawing as", self._files, self._write_drawing)

    def _write_drawing(self, path: str) -> object:
        """Save the drawing to ``path``; what was written is said once saved."""
        return save_drawing(path, self.canvas.strokes)

    def action_open(self) -> None:
        """Ask for a path and load a drawing from JSON."""
        ask_to_open(
            self,
            "Open drawing",
            self._files,
            self._open_drawing,
            errors=DrawingFileError,
        )

    def _open_drawing(self, path: str) -> str | None:
        """Load a drawing file, moved onto the canvas if it reaches past it; say if it was."""
        strokes = load_drawing(path, page_hint="open it in scribble mode (s, then ctrl+o)")
        shown = fit_on_canvas(strokes, *self.canvas.size)
        self.canvas.load(shown)
        return None if shown == strokes else fitted_note(strokes, shown)

    # ----------------------------------------------------------------- corrections

    @on(ScoreBars.Chosen)
    def _score_chosen(self, event: ScoreBars.Chosen) -> None:
        self.action_correct(event.digit)

    def _forward_event(self, event: events.Event) -> None:
        # Textual's one entry for input on a screen (the app's and Pilot's), so every mouse
        # report passes here (the digit guard needs them).  After a left press on the canvas,
        # moves and the release go straight to it, in order: routing looks up style, hover,
        # tooltip and pointer per report, and a burst comes before the canvas captures.
        if isinstance(event, events.MouseEvent) and not event.is_forwarded:
            self._digit_guard.mouse_report()
            if isinstance(event, events.MouseDown):
                self._canvas_drag = event.button == 1 and self._on_canvas(event)
            elif self._canvas_drag and isinstance(event, (events.MouseMove, events.MouseUp)):
                self._canvas_drag = isinstance(event, events.MouseMove)
                self.canvas.follow_drag(event)
                return
        super()._forward_event(event)

    def _on_canvas(self, event: events.MouseEvent) -> bool:
        """Whether the pointer is on the canvas (one of its bands)."""
        try:
            widget, _ = self.get_widget_at(event.x, event.y)
        except NoWidget:
            return False
        return widget is self.canvas or widget.parent is self.canvas

    def on_key(self, event: events.Key) -> None:
        self._digit_guard.key_pressed(event)

    def action_digit_key(self, label: int) -> None:
        """Correct as ``label``, unless the key came with the mouse (:mod:`.digit_guard`)."""
        if self._digit_guard.ignores(label, pen_down=self.canvas.mouse_down):
            return
        if self.canvas.mouse_down:  # its release never came: end the stroke, then correct
            self._canvas_drag = False  # reports are routed again, as after a release
            self.canvas.release_mouse()
            self.canvas.call_later(self.action_correct, label)
        else:
            self.action_correct(label)

    def action_correct(self, label: int) -> None:
        """Save the drawing as a personal sample of ``label`` (what it really is).

        Correcting the same drawing again changes that sample's label instead of adding one."""
        strokes = self.canvas.strokes
        prediction = self.panel.prediction
        if self.model is None or prediction is None or not strokes:
            self.notify("Draw a digit first, then type what it is", timeout=3)
            return
        if self._saving:
            # Until it has an id a second digit would add a sample, not relabel this one.
            self.notify("Still saving the last correction · type the digit again", timeout=3)
            return
        last = self._corrections[-1] if self._corrections else None
        relabel = last if last is not None and last.strokes == strokes else None
        if relabel is not None and relabel.label == label:
            self.notify(f"Already saved as {a_digit(label)}", timeout=3)
            return
        self.save_correction(strokes, label, self.model.name, prediction, relabel)

    @property
    def _saving(self) -> bool:
        """Whether this screen's last correction (or its undo) is still being written."""
        return any(
            w.node is self and w.group == "samples" and not w.is_finished for w in self.workers
        )

    @work(thread=True, exit_on_error=False, group="samples")
    def save_correction(
        self,
        strokes: Strokes,
        label: int,
        model_name: str,
        prediction: Prediction,
        relabel: Correction | None,
    ) -> None:
        """Store (or relabel) the sample off the UI thread, then confirm on screen.

        Args:
            strokes: The drawing.
            label: The digit the user says it is.
            model_name: The model that answered.
            prediction: What it answered.
            relabel: The correction of this same drawing to relabel instead of adding one.
        """
        from tuipad.store.samples import StoreError

        try:
            sample_id = store_correction(
                self.context.sample_store(),
                strokes,
                label,
                answered_by=model_name,
                predicted=prediction.label,
                scores=prediction.scores,
                relabel=None if relabel is None else relabel.sample_id,
            )
        except (StoreError, ValueError) as error:
            self.app.call_from_thread(
                self.notify, f"Not saved: {error}", title="Personal samples", severity="error"
            )
            return
        relabelled = relabel is not None and sample_id == relabel.sample_id
        previous = relabel.label if relabel is not None and relabelled else None
        self.app.call_from_thread(
            self._correction_saved, Correction(sample_id, strokes, label, previous), prediction
        )

    def _correction_saved(self, correction: Correction, prediction: Prediction) -> None:
        self._corrections.append(correction)  # a relabel too, so ctrl+u takes back only it
        # The answer corrected, not whatever the panel shows once the write returns.
        notice, severity = saved_notice(prediction, correction)
        self.notify(notice, severity=severity, timeout=6 if severity == "warning" else 4)
        if self.canvas.strokes == correction.strokes:
            self.panel.mark_saved(correction.label)
        self.post_message(SamplesChanged())

    def action_undo_correction(self) -> None:
        """Delete the personal sample the last correction saved."""
        if self._saving:
            self.notify("Still saving the last correction", timeout=2)  # undo it once saved
            return
        if not self._corrections:
            self.notify("No saved correction to undo", timeout=3)
            return
        correction = self._corrections.pop()
        if shown := self.canvas.strokes == correction.strokes:
            self.panel.mark_saved(correction.previous)
        self.take_back(correction, shown)

    @work(thread=True, exit_on_error=False, group="samples")
    def take_back(self, correction: Correction, shown: bool) -> None:
        """Undo a correction off the UI thread (:func:`undo_correction`)."""
        from tuipad.store.samples import StoreError

        try:
            done = undo_correction(self.context.sample_store(), correction, shown=shown)
        except StoreError as error:
            self.app.call_from_thread(self._corrections.append, correction)
            self.app.call_from_thread(
                self.notify, f"Not undone: {error}", title="Personal samples", severity="error"
            )
            return
        self.app.call_from_thread(self.notify, done, timeout=3)
        self.post_message(SamplesChanged())
