"""Scribble mode: write digits anywhere on a full-screen page and read the numbers.

The screen owns a :class:`~tuipad.core.history.History` of pages; the canvas only takes
the pen input and paints.  Each finished stroke is timed and handed to the core,
which decides the digit it belongs to.  When the pen has rested for ``pause``
seconds, new digits are read in one model call (``Page.recognised``) and every digit
written before the pause is framed (:mod:`~tuipad.ui.screens.scribble_view`).
Editing actions (undo, erase, move, relabel, open) read and frame at once.
A relabel keeps the digit as a personal sample; undoing it takes the sample
back (:mod:`~tuipad.ui.screens.scribble_samples`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header

from tuipad.core.drawing import Cell
from tuipad.core.history import History
from tuipad.core.scribble import DEFAULT_PARAMS, DEFAULT_PAUSE, Page, ScribbleParams, TimedStroke
from tuipad.core.scribble_fit import fit_page, opened_onto, page_on_canvas, reads_alike
from tuipad.store.page_files import load_page
from tuipad.ui.screens import help_prose
from tuipad.ui.screens import scribble_view as view
from tuipad.ui.screens.help_prose import FIT_PAGE, RELABEL, SELECT
from tuipad.ui.screens.scribble_files import PageFiles
from tuipad.ui.screens.scribble_late import LateKeys
from tuipad.ui.screens.scribble_samples import PageSamples, digit_key
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.widgets.page_status import PageStatus
from tuipad.ui.widgets.scribble_canvas import ScribbleCanvas

if TYPE_CHECKING:
    from tuipad.store.registry import LoadedModel
    from tuipad.ui.context import AppContext


class ScribbleScreen(Screen[None]):
    """A page to write numbers on; they are read after a pause."""

    CSS_PATH = "scribble.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    HELP = help_prose.SCRIBBLE
    """How writing is grouped: the top of its help (?)."""

    LEAVE_KEY = "s"
    """Goes back even while the terminal is too small for this screen (tuipad.ui.too_small)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u,ctrl+z", "undo", "Undo", tooltip="Undo a stroke, erase, move or relabel"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("tab", "select(1)", "Select", tooltip=SELECT),
        Binding("shift+tab", "select(-1)", "Select", show=False, tooltip=SELECT),
        Binding("escape", "unselect", "Unselect", show=False),
        Binding("x,delete", "erase", "Erase", tooltip="Erase the selected digit"),
        Binding("0", "relabel(0)", "Relabel", key_display="0-9", tooltip=RELABEL),
        *(Binding(str(d), f"relabel({d})", show=False, tooltip=RELABEL) for d in range(1, 10)),
        Binding("c", "clear", "Clear", tooltip="Clear the page"),
        Binding("f", "fit", "Fit", show=False, tooltip=FIT_PAGE),
        Binding("ctrl+s", "save", "Save", tooltip="Save the page (JSON)"),
        Binding("ctrl+o", "open", "Open", tooltip="Open a page (JSON)"),
        Binding("s", "app.toggle_scribble", "Sketchpad", tooltip="Back to the sketchpad"),
    ]

    def __init__(
        self,
        context: AppContext,
        *,
        pause: float | None = None,
        params: ScribbleParams | None = None,
    ) -> None:
        """Set up the page.

        Args:
            context: What the app's screens share (the sample store, the pause).
            pause: Seconds of rest before writing is read (default: the
                context's ``scribble_pause``, else :data:`DEFAULT_PAUSE`).
            params: Grouping thresholds (default: the core's).
        """
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner."""
        self._pause = pause
        self.params = params or DEFAULT_PARAMS
        """How strokes are grouped."""
        self.history: History[Page] = History(Page())
        """The page and its undo steps."""
        self.samples = PageSamples()
        """The personal samples its relabels saved."""
        self.model: LoadedModel | None = None
        """The model, once the app has loaded it."""
        self.selected: int | None = None
        """Index of the selected digit on the page."""
        self.hovered: int | None = None
        """Index of the digit under the mouse."""
        self._stroke_start: float | None = None
        self._pause_timer: Timer | None = None
        self._settled_at = float("-inf")
        self._origin = time.monotonic()
        self.files = PageFiles(self)
        """Its page's files, and whether the page is kept in one."""
        self.late = LateKeys(self)
        """How the mouse changed the selection, for keys acted on late."""
        self._model_status = "loading model"

    @property
    def pause(self) -> float:
        """Seconds the pen must rest before new writing is read."""
        if self._pause is not None:
            return self._pause
        pause = self.context.scribble_pause
        return float(DEFAULT_PAUSE if pause is None else pause)

    @property
    def page(self) -> Page:
        """The page now."""
        return self.history.current

    @property
    def canvas(self) -> ScribbleCanvas:
        """The page's canvas."""
        return self.query_one(ScribbleCanvas)

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield ScribbleCanvas(id="scribble-canvas")
        yield PageStatus(id="scribble-status")
        yield KeyHints()

    def on_mount(self) -> None:
        self.canvas.focus()
        self.canvas.moving = lambda: self.late.selected() is not None
        self.context.unsaved["scribble"] = self.files.unsaved
        self.watch(self.app, "model", self._model_changed)
        self.watch(self.app, "model_status", self._status_changed)
        self.query_one(PageStatus).follow(self.canvas)
        self.call_after_refresh(self.refresh_page)  # the hint needs the canvas's size

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_page)  # re-centres the hint

    def _model_changed(self, model: LoadedModel | None) -> None:
        self.model = model
        if model is not None and self.page:
            self.settle(again=True)  # the page shows what the model in use reads
        else:
            self._show_info()

    def _status_changed(self, status: str) -> None:
        self._model_status = status
        self._show_info()

    def _clock(self, monotonic: float | None = None) -> float:
        """Seconds on the page's clock (saved with strokes, compared for grouping)."""
        return (time.monotonic() if monotonic is None else monotonic) - self._origin

    # ----------------------------------------------------------------- writing

    @on(ScribbleCanvas.Changed)
    def _canvas_changed(self, event: ScribbleCanvas.Changed) -> None:
        event.stop()
        if not event.finished:
            if self._stroke_start is None:
                self._stroke_start = self._clock(event.time)
            self._restart_pause()
            return
        start, self._stroke_start = self._stroke_start, None
        if event.began is None:
            return  # the echo of a page loaded into the canvas
        points = event.strokes[-1]
        # Not if a page loaded since took it off the canvas: a key typed after it began
        # asked for the page without it.  (One begun after the key stays on.)
        if self.canvas.strokes.count(points) <= self.page.strokes.count(points):
            return
        end = self._clock(event.time)
        stroke = TimedStroke(points, end if start is None else start, end)
        params = self.params
        self.history.push_begun(lambda page: page.with_stroke(stroke, params), event.began)
        # Writing ends any editing: a joined digit moves to the end of the page.  Ended
        # when lifted; the keyboard pen's stroke (no time) came in turn with the keys.
        self.late.mouse_chose(event.lifted_at or 0.0, None)
        self.selected = self.hovered = None
        self._restart_pause()
        self.refresh_page()

    def _restart_pause(self) -> None:
        if self._pause_timer is not None:
            self._pause_timer.stop()
        self._pause_timer = self.set_timer(self.pause, self._pause_ended)

    def _pause_ended(self) -> None:
        self._pause_timer = None
        if self.canvas.pen_down:
            return  # the pen rests on the page: the lift restarts the wait
        self.settle()

    def settle(self, *, again: bool = False) -> None:
        """Read the digits not read yet (``again``: all the user did not label) and frame all."""
        if self.model is not None:
            from tuipad.core.raster import EmptyDrawingError  # numpy: loaded with the model

            try:
                self.history.update(self.page.recognised(self.model.predictor, again=again))
            except EmptyDrawingError:
                pass
        self._settled_at = self._clock()
        self.refresh_page()

    def sync_canvas(self) -> None:
        """Show the page after an edit not made by the pen (a stroke begun since goes on)."""
        self.canvas.load(self.page.strokes, asked_at=self.late.asked_at())

    def refresh_page(self) -> None:
        """Frame the digits, mark the selected one and say what is read, as they are now."""
        groups = self.page.groups
        if self.selected is not None and self.selected >= len(groups):
            self.selected = None
        if self.hovered is not None and self.hovered >= len(groups):
            self.hovered = None
        overlay = view.page_overlay(self.page, self._settled_at, self.selected, self.canvas.size)
        self.canvas.set_overlay(overlay)
        self._show_info()
        self.refresh_bindings()

    def info_text(self) -> str:
        """The line under the page: the numbers read, or the scores of one digit."""
        focus = self.selected if self.selected is not None else self.hovered
        waiting = self._model_status if self.model is None else None
        return view.status_line(self.page, self._settled_at, focus, waiting, self.pause)

    def _show_info(self) -> None:
        self.query_one(PageStatus).show(self.info_text())

    def _cell_of(self, event: events.MouseEvent) -> Cell:
        origin = self.canvas.content_region
        return int(event.screen_x - origin.x), int(event.screen_y - origin.y)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.canvas.pen_down:
            return
        hovered = view.group_near(self.page, *self._cell_of(event))
        if hovered != self.hovered:
            self.hovered = hovered
            self._show_info()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        # The canvas draws with the left button and lets the others through.
        if event.button == 3:
            index = view.group_near(self.page, *self._cell_of(event))
            chosen = None if index is None else digit_key(self.page.groups[index])
            self.late.mouse_chose(event.time, chosen)
            self._select(index)

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("erase", "unselect"):
            return self.late.selected() is not None
        if action in ("select", "relabel"):
            # A digit key with nothing selected says how to select rather than nothing.
            return bool(self.page.groups)
        return True

    def _select(self, index: int | None) -> None:
        self.selected = index
        self.refresh_page()

    def _edit(self, page: Page, *, coalesce: object = None) -> None:
        """Apply an edit that did not come from the pen, and show it read and framed."""
        if self.history.push(page, coalesce=coalesce):
            self.sync_canvas()
            self.settle()

    def action_select(self, step: int) -> None:
        """Select the next (``1``) or previous (``-1``) digit, left to right."""
        with self.late.as_typed():
            if self.page.groups:
                self._select(view.next_selection(self.page, self.selected, step))

    def action_unselect(self) -> None:
        """Unselect the digit."""
        with self.late.as_typed():
            self._select(None)

    def action_undo(self) -> None:
        """Undo the last stroke or edit."""
        self._step(self.history.undo, "Nothing to undo")

    def action_redo(self) -> None:
        """Redo what undo undid."""
        self._step(self.history.redo, "Nothing to redo")

    def _step(self, step: Callable[[], bool], nothing: str) -> None:
        """Undo or redo and show the page, or say there was nothing to step to."""
        with self.late.as_typed():
            before = self.page
            if not step():
                self.notify(nothing, timeout=2)
                return
            self.selected = None
            self.sync_canvas()
            self.settle(again=True)  # a page from before a change of model: old readings
            self.samples.keep(self, before)

    def action_erase(self) -> None:
        """Erase the selected digit (undoable)."""
        with self.late.as_typed():
            if self.selected is not None:
                index, self.selected = self.selected, None
                self._edit(self.page.without(index))

    def action_fit(self) -> None:
        """Bring a page partly off the canvas back onto it (undoable)."""
        with self.late.as_typed():
            if page_on_canvas(self.page, *self.canvas.size):
                self.notify("All of the page is on the canvas", timeout=2)
            elif reads_alike(self.page, fitted := fit_page(self.page, *self.canvas.size)):
                self._edit(fitted)
            else:
                left = "Left as it is: shrunk this far, its numbers would run together"
                self.notify(left, timeout=4)

    def action_clear(self) -> None:
        """Clear the page (undoable)."""
        with self.late.as_typed():
            self.selected = None
            self._edit(Page())
        self.files.new_work()

    @on(ScribbleCanvas.MoveRequested)
    def _move(self, event: ScribbleCanvas.MoveRequested) -> None:
        event.stop()
        with self.late.as_typed(event.asked_at):
            if self.selected is None:
                return
            group = self.page.groups[self.selected]
            dx, dy = view.clamped_shift(group, event.dx, event.dy, *self.canvas.size)
            if dx or dy:
                # Arrow presses moving one digit are one undo step: the digit is known
                # by when its first stroke was written, which a move does not change.
                first = group.strokes[0]
                key = ("move", first.start, first.end)
                self._edit(self.page.moved(self.selected, dx, dy), coalesce=key)

    def action_relabel(self, label: int) -> None:
        """Say what the selected digit is; kept as a personal sample for learning."""
        with self.late.as_typed():
            if self.selected is None:
                self.notify("Select the digit first: tab, or right-click it", timeout=3)
                return
            group = self.page.groups[self.selected]
            if group.label == label and group.corrected:
                return
            before = self.page
            self._edit(self.page.relabelled(self.selected, label))
            self.samples.keep(self, before)

    def action_save(self) -> None:
        """Ask for a path and save the page as JSON."""
        self.files.save()

    def action_open(self) -> None:
        """Ask for a path and open a page (or a sketchpad drawing)."""
        self.files.open()

    def open_page(self, path: str | Path) -> str | None:
        """Replace the page with a file's (undoable), moved onto the canvas if it reaches past
        it and still reads the same there; says if it was.  ``PageFileError`` if unreadable."""
        # After every time on this screen, so each digit's times stay its own (its personal
        # sample is found by them); the clock past the page, so new writing cannot join it.
        page = load_page(path, self.params)
        page = page.delayed(self._clock() + 1 - page.start)
        self._origin = time.monotonic() - page.end - self.params.join_seconds - 1
        page, note = opened_onto(page, *self.canvas.size)
        self.selected = None
        self._edit(page)
        self.files.kept(self.page)
        return note
