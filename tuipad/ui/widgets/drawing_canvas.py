"""The canvas: mouse and keyboard drawing in half-block pixels.

The drawing itself (strokes, undo, the eraser, line joining) lives in the
core; this widget only turns input events into calls on a
:class:`~tuipad.core.sketch.Sketch` and paints the pixels it reports.

A drag over a slow link must not resend the canvas for every report, so the
widget refreshes only the cells whose ink changed (``refresh(Region)``), and
text selection is off (``ALLOW_SELECT``) so a drag draws instead of selecting.

The canvas is painted by narrow :class:`~tuipad.ui.widgets.canvas_band.CanvasBand`
children, which bound the bytes a refreshed cell resends (see that module).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tuipad.core.drawing import Cell, Strokes
from tuipad.core.geometry import cell_of, fit_on_canvas, line_cells, on_canvas, pixel_cells
from tuipad.core.sketch import Sketch
from tuipad.ui.key_log import typed_at
from tuipad.ui.widgets.canvas_band import missing_bands, refresh_cells
from tuipad.ui.widgets.canvas_input import event_point
from tuipad.ui.widgets.canvas_paint import cursor_glyph, paint_row


class DrawingCanvas(Widget, can_focus=True):
    """A canvas that records pen strokes from the mouse or the keyboard."""

    ALLOW_SELECT = False
    ALLOW_MAXIMIZE = False  # the palette's Maximize would hide the answer and every hint

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "drawing-canvas--ink",
        "drawing-canvas--cursor",
        "drawing-canvas--cursor-down",
    }
    """Ink, the keyboard cursor with the pen up, and with the pen down."""

    DEFAULT_CSS = """
    DrawingCanvas {
        background: $surface;
        width: 1fr;
        height: 1fr;
        layout: horizontal;
        overflow: hidden;
        & > .drawing-canvas--ink { color: $foreground; }
        & > .drawing-canvas--cursor { background: $primary 50%; }
        & > .drawing-canvas--cursor-down { background: $accent; }
        &.-eraser > .drawing-canvas--cursor-down { background: $error; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1, 0)", "Left", show=False, tooltip="Move the cursor"),
        Binding("right", "move(1, 0)", "Right", show=False, tooltip="Move the cursor"),
        Binding("up", "move(0, -1)", "Up", show=False, tooltip="Move the cursor"),
        Binding("down", "move(0, 1)", "Down", show=False, tooltip="Move the cursor"),
        Binding("space", "toggle_pen", "Pen up/down", show=False),
    ]

    eraser: reactive[bool] = reactive(False)
    """Whether the pen rubs out instead of drawing."""

    ink_off_canvas: reactive[bool] = reactive(False)
    """Whether part of the drawing lies beyond the canvas's edges, where no one sees it.

    Strokes keep the cells they were drawn in, so a drawing made on a larger canvas,
    or opened from a file, can reach past a canvas that has since shrunk.
    """

    class Changed(Message):
        """The drawing changed: posted during a gesture and when it ends."""

        def __init__(
            self,
            canvas: DrawingCanvas,
            strokes: Strokes,
            finished: bool,
            began: float | None = None,
            lifted_at: float | None = None,
        ) -> None:
            """The ``canvas``'s drawing is ``strokes`` now; ``finished`` if a gesture ended
            (pen lifted, undo, clear...).  ``began``: for a stroke the pen lifted, when its
            press was taken in (``0``: no time, the keyboard pen's; see
            :func:`~tuipad.ui.key_log.typed_at`); ``None`` for any other change.
            ``lifted_at``: when the release that lifted it was taken in, if the mouse's."""
            super().__init__()
            self.canvas = canvas
            self.strokes = strokes
            self.finished = finished
            self.began = began
            self.lifted_at = lifted_at

        @property
        def control(self) -> DrawingCanvas:
            """The canvas that changed."""
            return self.canvas

        def can_replace(self, message: Message) -> bool:
            """A live change still queued is superseded by the canvas's next change.

            A burst of drag reports posts one per report; the later message carries the
            whole drawing, so only the last is handled.  A finished change is never
            dropped: it makes the screen settle its answer."""
            return (
                not self.finished
                and isinstance(message, DrawingCanvas.Changed)
                and message.canvas is self.canvas
            )

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.sketch = Sketch()
        """The drawing and its history."""
        self._ink: set[Cell] = set()
        self._mouse_down = False
        self._keyboard_pen = False
        self._cursor: Cell | None = None
        self._eraser_cell: Cell | None = None
        self._told_full = False
        self._told_stroke_full = False

    # ----------------------------------------------------------------- public

    @property
    def strokes(self) -> Strokes:
        """The drawing, including a stroke in progress."""
        return self.sketch.strokes

    @property
    def cursor(self) -> Cell | None:
        """Where the keyboard cursor is, once the keyboard has been used."""
        return self._cursor

    @property
    def mouse_down(self) -> bool:
        """Whether a mouse button is held on the canvas (a drag is in progress)."""
        return self._mouse_down

    @property
    def pen_down(self) -> bool:
        """Whether a gesture is in progress (mouse held or keyboard pen down)."""
        return self._mouse_down or self._keyboard_pen

    def clear(self, *, asked_at: float | None = None) -> bool:
        """Clear the drawing (undoable) and take up the pen; returns whether anything was drawn.

        With nothing left to rub out, an eraser left on would make the next drawing
        silently draw nothing.

        Args:
            asked_at: When a key asked for it (:func:`~tuipad.ui.key_log.typed_at`):
                strokes begun after that stay (see :class:`~tuipad.core.sketch.Sketch`).
        """
        self.eraser = False
        return self._apply(self.sketch.clear(asked_at=asked_at))

    def undo(self, *, asked_at: float | None = None) -> bool:
        """Undo the last stroke, erase, clear or load (``asked_at``: as for :meth:`clear`)."""
        return self._apply(self.sketch.undo(asked_at=asked_at))

    def redo(self, *, asked_at: float | None = None) -> bool:
        """Redo what undo undid (``asked_at``: as for :meth:`clear`)."""
        return self._apply(self.sketch.redo(asked_at=asked_at))

    def load(self, strokes: Strokes, *, asked_at: float | None = None) -> bool:
        """Replace the drawing, e.g. with a file's (undoable; ``asked_at``: a stroke begun
        after it goes on)."""
        return self._apply(self.sketch.replace(strokes, asked_at=asked_at))

    def strokes_as_of(self, asked_at: float | None) -> Strokes:
        """The drawing without the strokes begun after ``asked_at`` (as for :meth:`clear`)."""
        return self.sketch.strokes_as_of(asked_at)

    def bring_onto_canvas(self) -> bool:
        """Move the drawing, shrunk if it must be, so all of it shows (undoable); returns
        whether it moved (it was not all on the canvas)."""
        width, height = self.size
        return self._apply(self.sketch.replace(fit_on_canvas(self.strokes, width, height)))

    # ----------------------------------------------------------------- painting

    def _apply(self, changed: bool) -> bool:
        """Lift the pen after a history change, unless a mouse stroke goes on; repaint."""
        if not (self._mouse_down and self.sketch.drawing):
            self._mouse_down = False
            self._set_keyboard_pen(False)
            self.release_mouse()
        self._told_full = self.sketch.full
        self._repaint(self.sketch.pixels())
        drawing = self.sketch.drawing  # a stroke that goes on is finished when it is lifted
        self.post_message(self.Changed(self, self.sketch.strokes, finished=not drawing))
        return changed

    def _repaint(self, pixels: set[Cell]) -> None:
        """Make ``pixels`` the ink, refreshing only the cells that differ."""
        changed = pixels ^ self._ink
        self._ink = pixels
        self._refresh_cells(pixel_cells(changed))
        self._check_on_canvas()

    def _check_on_canvas(self) -> None:
        """Note whether the drawing reaches past the canvas (new ink never does)."""
        width, height = self.size
        if width and height:
            self.ink_off_canvas = not on_canvas(self.strokes, width, height)

    def _add_ink(self, pixels: Iterable[Cell]) -> None:
        new = set(pixels) - self._ink
        if new:
            self._ink |= new
            self._refresh_cells(pixel_cells(new))

    def _refresh_cells(self, cells: Iterable[Cell]) -> None:
        """Refresh one span per row touched, rather than the whole widget."""
        refresh_cells(self.children, cells, self.size)

    def render_cells(self, y: int, left: int, right: int) -> Strip:
        """Row ``y``'s cells ``left`` to ``right`` (not included) as one strip of half-blocks,
        two pixels tall each."""
        ink_colour = self.get_component_rich_style("drawing-canvas--ink").color
        ink = self.rich_style + Style(color=ink_colour)
        cursor = None
        if self._cursor is not None and self._cursor[1] == y:
            glyph = cursor_glyph(pen_down=self._keyboard_pen)
            cursor = (self._cursor[0], glyph, ink + self._cursor_style())
        return paint_row(self._ink, y, (left, right), ink, cursor)

    def _cursor_style(self) -> Style:
        name = "drawing-canvas--cursor-down" if self._keyboard_pen else "drawing-canvas--cursor"
        return Style(bgcolor=self.get_component_rich_style(name).bgcolor)

    def watch_eraser(self, eraser: bool) -> None:
        self.set_class(eraser, "-eraser")
        if self._cursor is not None:
            self._refresh_cells([self._cursor])
        # A drag sent after the key that switched tools is made again with the new tool.
        if self.sketch.retool(erasing=eraser, asked_at=typed_at()):
            self._repaint(self.sketch.pixels())
            self.post_message(self.Changed(self, self.sketch.strokes, finished=True))

    def on_resize(self) -> None:
        # Strokes are kept in cell coordinates; only the visible part changes.
        # Bands are added as the canvas grows.  The first ones wait for the
        # first frame, which they would only delay: an empty canvas is blank.
        # The app schedules them: while it starts up, a widget's own
        # call_after_refresh runs before anything has been drawn.
        if self.children:
            self._add_bands()
        else:
            self.app.call_after_refresh(self._add_bands)
        self._check_on_canvas()

    def _add_bands(self) -> None:
        bands = missing_bands(self, self.size.width)
        if bands:
            self.mount_all(bands)

    # ----------------------------------------------------------------- gestures

    def _pen_to(self, point: tuple[float, float], *, start: bool, at: float = 0.0) -> None:
        """Draw or erase to ``point`` and report the change (``at``: when the app took the
        press in, see :func:`~tuipad.ui.key_log.typed_at`)."""
        if self.eraser:
            cell = cell_of(point)
            if start or self._eraser_cell is None:
                self.sketch.begin_erase(at=at)
                self._eraser_cell = cell
            # Fast drags skip cells: rub out along the line between reports.
            cells = line_cells(self._eraser_cell, cell)
            self._eraser_cell = cell
            if self.sketch.erase_at(cells, point=point):
                self._repaint(self.sketch.pixels())
        else:
            pixels = self.sketch.begin(point, at=at) if start else self.sketch.extend(point)
            self._add_ink(pixels)
            self._tell_if_full()
        self.post_message(self.Changed(self, self.sketch.strokes, finished=False))

    def _tell_if_full(self) -> None:
        """Say once, when the drawing or the stroke reaches its limit, why the pen stopped."""
        if self.sketch.full and not self._told_full:
            self._told_full = True
            self.notify("The drawing is full: clear or undo to draw more", severity="warning")
        elif self.sketch.stroke_full and not self._told_stroke_full:
            self._told_stroke_full = True
            self.notify("This stroke is as long as a stroke may be: lift the pen to go on")

    def _lift(self, at: float | None = None) -> None:
        """End the gesture in progress (``at``: when the mouse's release was taken in)."""
        self._eraser_cell = None
        self._told_stroke_full = False
        began = self.sketch.stroke_began
        self.sketch.finish()
        strokes = self.sketch.strokes
        self.post_message(self.Changed(self, strokes, finished=True, began=began, lifted_at=at))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        event.stop()
        if self._keyboard_pen:  # lifted as the keyboard would: scribble mode takes the stroke
            self._set_keyboard_pen(False)
            self._lift()
        self.capture_mouse()
        self._mouse_down = True
        self._pen_to(event_point(event, self.content_region, self.size), start=True, at=event.time)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Pilot reports moves with button 0 and terminals with the button
        # held, so the flag set on press decides, not the event's button.
        if not self._mouse_down:
            return
        event.stop()
        self._pen_to(event_point(event, self.content_region, self.size), start=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._mouse_down:
            return
        event.stop()
        self._pen_to(event_point(event, self.content_region, self.size), start=False)
        self._mouse_down = False
        self.release_mouse()
        self._lift(at=event.time)

    def follow_drag(self, event: events.MouseMove | events.MouseUp) -> None:
        """Take a drag report the screen hands over without routing it, in order.

        It is queued behind the reports already sent here (the press that started it).

        Args:
            event: A move or the release, in screen coordinates.
        """
        handler = self.on_mouse_move if isinstance(event, events.MouseMove) else self.on_mouse_up
        self.call_later(handler, event)

    def on_mouse_release(self, event: events.MouseRelease) -> None:
        # Capture lost without a button release (e.g. a screen opened on top).  Not if the
        # canvas holds it again: the message is then the last stroke's own release_mouse,
        # queued behind the press of the next stroke, sent in the same read.
        if self._mouse_down and self.app.mouse_captured is not self:
            self._mouse_down = False
            self._lift()

    # ----------------------------------------------------------------- keyboard

    def _set_keyboard_pen(self, down: bool) -> None:
        if self._keyboard_pen != down:
            self._keyboard_pen = down
            if self._cursor is not None:
                self._refresh_cells([self._cursor])

    def action_move(self, dx: int, dy: int) -> None:
        """Move the keyboard cursor, drawing if the pen is down."""
        width, height = self.size
        if self._cursor is None:
            self._cursor = (width // 2, height // 2)
            self._refresh_cells([self._cursor])
            return
        old = self._cursor
        x = min(max(old[0] + dx, 0), max(width - 1, 0))
        y = min(max(old[1] + dy, 0), max(height - 1, 0))
        self._cursor = (x, y)
        self._refresh_cells([old, self._cursor])
        if self._keyboard_pen and self._cursor != old:
            self._pen_to((float(x), float(y)), start=False)

    def action_toggle_pen(self) -> None:
        """Put the keyboard pen down at the cursor, or lift it."""
        if self._cursor is None:
            width, height = self.size
            self._cursor = (width // 2, height // 2)
        if self._keyboard_pen:
            self._set_keyboard_pen(False)
            self._lift()
        else:
            self._set_keyboard_pen(True)
            self._pen_to((float(self._cursor[0]), float(self._cursor[1])), start=True)
