"""Scribble mode: write digits anywhere on a full-screen page and read the numbers.

The screen owns a :class:`~tuipad.core.scribble.PageHistory`; the canvas only
takes the pen input and paints.  Each finished stroke is timed (from its
``Changed`` messages) and handed to the core, which decides the digit it
belongs to.  When the pen has rested for ``pause`` seconds, digits not read
yet are read in one model call (``Page.recognised``, the one recognition
path) and every digit written before the pause gets a frame, with its
number under it.  Editing actions (undo, erase, move, relabel, open) read
and frame at once: the person is not writing then.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Static

from tuipad.core.drawing import Cell, Strokes
from tuipad.core.scribble import (
    DEFAULT_PARAMS,
    DEFAULT_PAUSE,
    Group,
    Page,
    PageFileError,
    PageHistory,
    ScribbleParams,
    TimedStroke,
    load_page,
    save_page,
)
from tuipad.ui.screens.help import HelpScreen, help_text
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.widgets.scribble_canvas import (
    CORRECTED,
    FRAME,
    LABEL,
    SELECTED,
    OverlayCell,
    ScribbleCanvas,
    frame_cells,
)

if TYPE_CHECKING:
    from tuipad.store.registry import LoadedModel

DEFAULT_PAGE = "page.json"
"""Path suggested when saving or opening a page."""

KEYS = (
    ("mouse", "write anywhere; it is read after a pause"),
    ("tab  shift+tab", "select the next / previous digit (or right-click)"),
    ("arrows", "move the selected digit (else: the cursor)"),
    ("0-9", "relabel it (kept as a personal sample)"),
    ("x  delete", "erase the selected digit"),
    ("escape", "unselect"),
    ("u  ctrl+z", "undo the last stroke, erase, move or relabel"),
    ("ctrl+y", "redo"),
    ("c", "clear the page"),
    ("ctrl+s  ctrl+o", "save / open the page (JSON)"),
    ("s", "back to the sketchpad"),
    ("?  q", "this help / quit"),
)
"""The keys scribble mode answers to, as (keys, what they do)."""

ABOUT = """\
Strokes written one after another over the same columns are one digit,
so a 4 or a 5 in two strokes stays whole. Digits on a line with small
gaps are one number, read left to right. Hover over a digit or select
it to see its scores.
"""
"""How writing is grouped, and where the scores are."""


class ScribbleHelpScreen(HelpScreen):
    """Scribble mode's keys."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text("Scribble mode", KEYS, ABOUT))


def scores_text(group: Group, top: int = 3) -> str:
    """A digit's best scores, e.g. ``2 91% · 7 5% · 1 2%``."""
    scores = group.scores
    if scores is None:
        return "not read by the model" if group.label is None else f"{group.label} (yours)"
    ranked = sorted(range(len(scores)), key=lambda d: -scores[d])[:top]
    return " · ".join(f"{d} {scores[d]:.0%}" for d in ranked)


class ScribbleScreen(Screen[None]):
    """A page to write numbers on; they are read after a pause."""

    CSS_PATH = "scribble.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("tab", "select(1)", "Select"),
        Binding("shift+tab", "select(-1)", "Select", show=False),
        Binding("escape", "unselect", "Unselect", show=False),
        Binding("x,delete", "erase", "Erase"),
        Binding("0", "relabel(0)", "Relabel", key_display="0-9"),
        *(Binding(str(d), f"relabel({d})", show=False) for d in range(1, 10)),
        Binding("c", "clear", "Clear"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "open", "Open"),
        Binding("s", "app.toggle_scribble", "Sketchpad"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, *, pause: float | None = None, params: ScribbleParams | None = None) -> None:
        """Set up the page.

        Args:
            pause: Seconds of rest before writing is read (default: the app's
                ``scribble_pause``, else :data:`DEFAULT_PAUSE`).
            params: Grouping thresholds (default: the core's).
        """
        super().__init__()
        self._pause = pause
        self.params = params or DEFAULT_PARAMS
        """How strokes are grouped."""
        self.history = PageHistory()
        """The page and its undo steps."""
        self.model: LoadedModel | None = None
        """The model, once the app has loaded it."""
        self.selected: int | None = None
        """Index of the selected digit on the page."""
        self.hovered: int | None = None
        """Index of the digit under the mouse."""
        self._known: Strokes = ()
        self._stroke_start: float | None = None
        self._pause_timer: Timer | None = None
        self._settled_at = float("-inf")
        self._origin = time.monotonic()
        self._page_path = DEFAULT_PAGE

    @property
    def pause(self) -> float:
        """Seconds the pen must rest before new writing is read."""
        if self._pause is not None:
            return self._pause
        pause = getattr(self.app, "scribble_pause", None)
        return float(DEFAULT_PAUSE if pause is None else pause)

    @property
    def page(self) -> Page:
        """The page now."""
        return self.history.page

    @property
    def canvas(self) -> ScribbleCanvas:
        """The page's canvas."""
        return self.query_one(ScribbleCanvas)

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield ScribbleCanvas(id="scribble-canvas")
        yield Static("", id="scribble-info")
        yield KeyHints()

    def on_mount(self) -> None:
        self.canvas.focus()
        self.watch(self.app, "model", self._model_changed)
        self._show_info()

    def _model_changed(self, model: LoadedModel | None) -> None:
        self.model = model
        if model is not None and self.page:
            self.settle()
        else:
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
        strokes = event.strokes
        if len(strokes) != len(self._known) + 1 or strokes[:-1] != self._known:
            return  # the echo of a page loaded into the canvas
        self._known = strokes
        # Writing ends any editing: a joined digit moves to the end of the page.
        self.selected = self.hovered = None
        end = self._clock(event.time)
        stroke = TimedStroke(strokes[-1], end if start is None else start, end)
        self.history.push(self.page.with_stroke(stroke, self.params))
        self._restart_pause()
        self._refresh_page()

    def _restart_pause(self) -> None:
        if self._pause_timer is not None:
            self._pause_timer.stop()
        self._pause_timer = self.set_timer(self.pause, self._pause_ended)

    def _pause_ended(self) -> None:
        self._pause_timer = None
        if self.canvas.pen_down:
            return  # the pen rests on the page: the lift restarts the wait
        self.settle()

    def settle(self) -> None:
        """Read the digits not read yet and frame everything written so far."""
        if self.model is not None:
            from tuipad.core.raster import EmptyDrawingError  # numpy: loaded with the model

            try:
                self.history.update(self.page.recognised(self.model.estimator))
            except EmptyDrawingError:
                pass
        self._settled_at = self._clock()
        self._refresh_page()

    def _sync_canvas(self) -> None:
        """Show the page's strokes after an edit that did not come from the pen."""
        strokes = self.page.strokes
        self._known = strokes
        self.canvas.load(strokes)

    # ----------------------------------------------------------------- showing

    def _framed(self, group: Group) -> bool:
        return group.end <= self._settled_at

    def _refresh_page(self) -> None:
        groups = self.page.groups
        if self.selected is not None and self.selected >= len(groups):
            self.selected = None
        if self.hovered is not None and self.hovered >= len(groups):
            self.hovered = None
        self.canvas.moving = self.selected is not None
        self.canvas.set_overlay(self.overlay())
        self._show_info()
        self.refresh_bindings()

    def overlay(self) -> dict[Cell, OverlayCell]:
        """Frames around the digits written before the last pause, numbers under them."""
        cells: dict[Cell, OverlayCell] = {}
        groups = self.page.groups
        framed = [g for g in groups if self._framed(g)]
        for index, group in enumerate(groups):
            if group in framed:
                box = group.bbox
                style = SELECTED if index == self.selected else FRAME
                cells.update(frame_cells(box.left, box.top, box.right, box.bottom, style))
        for number in Page(tuple(framed)).numbers:
            box = number.bbox
            text = number.text
            style = CORRECTED if any(g.corrected for g in number.groups) else LABEL
            start = box.left + (box.width - len(text)) // 2
            for offset, char in enumerate(text):
                cells[(start + offset, box.bottom + 1)] = (char, style)
        return cells

    def info_text(self) -> str:
        """The line under the page: the numbers read, or the scores of one digit."""
        focus = self.selected if self.selected is not None else self.hovered
        groups = self.page.groups
        if focus is not None and focus < len(groups):
            group = groups[focus]
            number = next((n for n in self.page.numbers if group in n.groups), None)
            if number is None or not self._framed(group):
                return f"digit being written · {scores_text(group)}"
            place = number.groups.index(group) + 1
            corrected = " (relabelled)" if group.corrected else ""
            return (
                f"{number.text} · digit {place} of {len(number.groups)}: "
                f"{scores_text(group)}{corrected}"
            )
        read = [n.text for n in Page(tuple(g for g in groups if self._framed(g))).numbers]
        if read:
            return "read: " + "  ".join(read)
        if self.model is None:
            return str(getattr(self.app, "model_status", "loading model"))
        return f"write digits anywhere: they are read after a {self.pause:g} s pause"

    def _show_info(self) -> None:
        self.query_one("#scribble-info", Static).update(self.info_text())

    def _cell_of(self, event: events.MouseEvent) -> Cell:
        origin = self.canvas.content_region
        return int(event.screen_x - origin.x), int(event.screen_y - origin.y)

    def _group_near(self, x: int, y: int) -> int | None:
        """The digit whose frame (or ink box) holds the cell, if any."""
        for index in range(len(self.page.groups) - 1, -1, -1):
            box = self.page.groups[index].bbox
            if box.left - 1 <= x <= box.right and box.top - 1 <= y <= box.bottom:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.canvas.pen_down:
            return
        hovered = self._group_near(*self._cell_of(event))
        if hovered != self.hovered:
            self.hovered = hovered
            self._show_info()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        # The canvas draws with the left button and lets the others through.
        if event.button == 3:
            self._select(self._group_near(*self._cell_of(event)))

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("erase", "relabel", "unselect"):
            return self.selected is not None
        if action == "select":
            return bool(self.page.groups)
        return True

    def _select(self, index: int | None) -> None:
        self.selected = index
        self._refresh_page()

    def _edit(self, page: Page, *, coalesce: object = None) -> None:
        """Apply an edit that did not come from the pen, and show it read and framed."""
        if self.history.push(page, coalesce=coalesce):
            self._sync_canvas()
            self.settle()

    def action_select(self, step: int) -> None:
        """Select the next (``1``) or previous (``-1``) digit, left to right."""
        groups = self.page.groups
        if not groups:
            return
        order = sorted(range(len(groups)), key=lambda i: (groups[i].bbox.left, groups[i].bbox.top))
        if self.selected is None:
            index = order[0] if step > 0 else order[-1]
        else:
            index = order[(order.index(self.selected) + step) % len(order)]
        self._select(index)

    def action_unselect(self) -> None:
        """Unselect the digit."""
        self._select(None)

    def action_undo(self) -> None:
        """Undo the last stroke or edit."""
        if not self.history.undo():
            self.notify("Nothing to undo", timeout=2)
            return
        self.selected = None
        self._sync_canvas()
        self.settle()

    def action_redo(self) -> None:
        """Redo what undo undid."""
        if not self.history.redo():
            self.notify("Nothing to redo", timeout=2)
            return
        self.selected = None
        self._sync_canvas()
        self.settle()

    def action_erase(self) -> None:
        """Erase the selected digit (undoable)."""
        if self.selected is None:
            return
        index, self.selected = self.selected, None
        self._edit(self.page.without(index))

    def action_clear(self) -> None:
        """Clear the page (undoable)."""
        self.selected = None
        self._edit(Page())

    @on(ScribbleCanvas.MoveRequested)
    def _move(self, event: ScribbleCanvas.MoveRequested) -> None:
        event.stop()
        if self.selected is None:
            return
        group = self.page.groups[self.selected]
        box = group.bbox
        width, height = self.canvas.size
        dx = max(-box.left, min(event.dx, width - box.right))
        dy = max(-box.top, min(event.dy, height - box.bottom))
        if dx or dy:
            # Arrow presses moving one digit are one undo step: the digit is known
            # by when its first stroke was written, which a move does not change.
            first = group.strokes[0]
            key = ("move", first.start, first.end)
            self._edit(self.page.moved(self.selected, dx, dy), coalesce=key)

    def action_relabel(self, label: int) -> None:
        """Say what the selected digit is; kept as a personal sample for learning."""
        if self.selected is None:
            return
        group = self.page.groups[self.selected]
        if group.label == label and group.corrected:
            return
        self._edit(self.page.relabelled(self.selected, label))
        self.store_correction(group, label)

    @work(thread=True, exit_on_error=False, group="samples")
    def store_correction(self, group: Group, label: int) -> None:
        """Save a relabelled digit in the personal sample store (a durable write)."""
        from tuipad.store.samples import SampleStore, StoreError

        model = self.model
        try:
            with SampleStore.open() as store:
                store.add(
                    group.paths,
                    label,
                    answered_by=model.name if model is not None and group.scores else None,
                    predicted=group.label if group.scores else None,
                    scores=group.scores,
                    source="correction",
                )
        except (StoreError, ValueError) as error:
            self.app.call_from_thread(
                self.notify,
                f"Relabelled as {label}; the sample was not saved: {error}",
                severity="warning",
            )
            return
        self.app.call_from_thread(
            self.notify, f"Relabelled as {label}; saved as a personal sample", timeout=3
        )

    def action_save(self) -> None:
        """Ask for a path and save the page as JSON."""
        if not self.page:
            self.notify("Nothing to save: write something first", severity="warning")
            return

        def save(path: str | None) -> None:
            if path is None:
                return
            try:
                written = save_page(path, self.page)
            except OSError as error:
                self.notify(f"Could not save {path}: {error.strerror or error}", severity="error")
                return
            self._page_path = path
            self.notify(f"Saved {written}")

        from tuipad.ui.screens.path_dialog import PathDialog

        self.app.push_screen(PathDialog("Save page as", self._page_path), save)

    def action_open(self) -> None:
        """Ask for a path and open a page (or a sketchpad drawing)."""

        def load(path: str | None) -> None:
            if path is None:
                return
            try:
                self.open_page(path)
            except PageFileError as error:
                self.notify(str(error), title="Could not open the page", severity="error")
                return
            self._page_path = path
            self.notify(f"Opened {Path(path).name}")

        from tuipad.ui.screens.path_dialog import PathDialog

        self.app.push_screen(PathDialog("Open page", self._page_path), load)

    def open_page(self, path: str | Path) -> None:
        """Replace the page with a file's (undoable).

        Raises:
            PageFileError: If the file cannot be read.
        """
        page = load_page(path, self.params)
        # New writing must not join a loaded digit however recent its saved times.
        self._origin = time.monotonic() - (page.end + self.params.join_seconds + 1)
        self.selected = None
        self._edit(page)

    def action_help(self) -> None:
        """Show scribble mode's keys."""
        self.app.push_screen(ScribbleHelpScreen())
