"""The scribble page: the drawing canvas plus frames and labels painted over it.

Frames and labels are drawn by the canvas itself rather than by widgets laid
over it: Textual does not blend characters, so a framing widget would hide
the ink inside it.  The overlay is a map of cells to characters; ink always
wins over it, so a frame never hides writing, and only the cells whose
overlay changed are refreshed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from tuipad.core.drawing import Cell
from tuipad.core.geometry import PIXELS_PER_ROW
from tuipad.ui.key_log import typed_at
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

OverlayCell = tuple[str, str]
"""A character and the component class that styles it."""

Overlay = Mapping[Cell, OverlayCell]
"""What is painted over the canvas, by ``(column, row)``."""

FRAME = "scribble-canvas--frame"
"""Style of a digit's frame."""

SELECTED = "scribble-canvas--selected"
"""Style of the selected digit's frame."""

LABEL = "scribble-canvas--label"
"""Style of a number read under its digits."""

CORRECTED = "scribble-canvas--corrected"
"""Style of a number with a digit the user relabelled."""

UNSURE = "scribble-canvas--unsure"
"""Style of a digit the model was unsure of, so the user checks it."""

HINT = "scribble-canvas--hint"
"""Style of the hint on an empty page."""


def frame_cells(
    left: int, top: int, right: int, bottom: int, style: str
) -> dict[Cell, OverlayCell]:
    """A thin box drawn around cells ``left..right-1`` x ``top..bottom-1``.

    Args:
        left: First column inside.
        top: First row inside.
        right: Column after the last inside.
        bottom: Row after the last inside.
        style: The component class of the box.

    Returns:
        The box's cells, just outside the given ones.
    """
    x0, y0, x1, y1 = left - 1, top - 1, right, bottom
    cells: dict[Cell, OverlayCell] = {}
    for x in range(x0 + 1, x1):
        cells[(x, y0)] = ("─", style)
        cells[(x, y1)] = ("─", style)
    for y in range(y0 + 1, y1):
        cells[(x0, y)] = ("│", style)
        cells[(x1, y)] = ("│", style)
    cells[(x0, y0)] = ("┌", style)
    cells[(x1, y0)] = ("┐", style)
    cells[(x0, y1)] = ("└", style)
    cells[(x1, y1)] = ("┘", style)
    return cells


ARMS = {
    "─": "lr", "│": "ud", "┌": "dr", "┐": "dl", "└": "ur", "┘": "ul",
    "├": "udr", "┤": "udl", "┬": "dlr", "┴": "ulr", "┼": "udlr",
}  # fmt: skip
"""The directions each line-drawing character reaches out in."""

JOINED = {frozenset(arms): char for char, arms in ARMS.items()}
"""The line-drawing character reaching out in each set of directions."""


def add_frame(cells: dict[Cell, OverlayCell], frame: Mapping[Cell, OverlayCell]) -> None:
    """Add a frame's cells to ``cells``, joining its lines to the frames already there.

    Digits written a column apart have frames on the same column; drawn one
    over the other, the second's corners would cut the first's side off.
    Joined, the shared column reads as one line with a junction at each end.
    The selected frame keeps its style where it meets another.
    """
    for cell, (char, style) in frame.items():
        old_char, old_style = cells.get(cell, ("", style))
        if old_char in ARMS and char in ARMS:
            char = JOINED[frozenset(ARMS[old_char] + ARMS[char])]
            style = SELECTED if SELECTED in (old_style, style) else style
        cells[cell] = (char, style)


MOVE = "Move the selected digit, else the cursor"
"""What the arrows do on the page."""


class ScribbleCanvas(DrawingCanvas):
    """A drawing canvas that also paints frames and labels around the writing."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "drawing-canvas--ink",
        "drawing-canvas--cursor",
        "drawing-canvas--cursor-down",
        FRAME,
        SELECTED,
        LABEL,
        CORRECTED,
        UNSURE,
        HINT,
    }
    """The canvas's own, plus frames, the selected frame, labels, unsure digits and the hint."""

    DEFAULT_CSS = """
    ScribbleCanvas {
        & > .scribble-canvas--frame { color: $primary; }
        & > .scribble-canvas--selected { color: $accent; text-style: bold; }
        & > .scribble-canvas--label { color: $success; text-style: bold; }
        & > .scribble-canvas--corrected { color: $warning; text-style: bold; }
        & > .scribble-canvas--unsure { color: $error; text-style: bold underline; }
        & > .scribble-canvas--hint { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # The same keys as the canvas's; only what help says they do differs.
        Binding("left", "move(-1, 0)", "Left", show=False, tooltip=MOVE),
        Binding("right", "move(1, 0)", "Right", show=False, tooltip=MOVE),
        Binding("up", "move(0, -1)", "Up", show=False, tooltip=MOVE),
        Binding("down", "move(0, 1)", "Down", show=False, tooltip=MOVE),
    ]

    class MoveRequested(Message):
        """An arrow key asked to move the selected digit."""

        def __init__(
            self, canvas: ScribbleCanvas, dx: int, dy: int, asked_at: float | None
        ) -> None:
            """Describe the move.

            Args:
                canvas: The canvas.
                dx: Columns to the right.
                dy: Rows down.
                asked_at: When the app took the arrow key in (see
                    :func:`~tuipad.ui.key_log.typed_at`): the move is made as of then.
            """
            super().__init__()
            self.canvas = canvas
            self.dx = dx
            self.dy = dy
            self.asked_at = asked_at

        @property
        def control(self) -> ScribbleCanvas:
            """The canvas."""
            return self.canvas

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._overlay: dict[int, dict[int, OverlayCell]] = {}
        self.moving: Callable[[], bool] = lambda: False
        """Whether the arrow keys move the selected digit instead of the cursor, asked by
        the key's action: the screen answers as of when the key came."""

    @property
    def overlay(self) -> dict[Cell, OverlayCell]:
        """What is painted over the canvas now."""
        return {(x, y): cell for y, row in self._overlay.items() for x, cell in row.items()}

    def set_overlay(self, cells: Overlay) -> None:
        """Paint ``cells`` over the canvas, refreshing only those that change.

        Args:
            cells: Characters and styles by ``(column, row)``.
        """
        old = self.overlay
        rows: dict[int, dict[int, OverlayCell]] = {}
        for (x, y), cell in cells.items():
            rows.setdefault(y, {})[x] = cell
        self._overlay = rows
        changed = {c for c in old.keys() | cells.keys() if old.get(c) != cells.get(c)}
        self._refresh_cells(changed)

    def text_at(self, y: int) -> str:
        """The overlay characters of row ``y``, blanks between them (for tests)."""
        row = self._overlay.get(y, {})
        if not row:
            return ""
        return "".join(row.get(x, (" ", ""))[0] for x in range(min(row), max(row) + 1))

    def _inked(self, x: int, y: int) -> bool:
        top = y * PIXELS_PER_ROW
        return any((x, top + half) in self._ink for half in range(PIXELS_PER_ROW))

    def render_cells(self, y: int, left: int, right: int) -> Strip:
        strip = super().render_cells(y, left, right)
        row = self._overlay.get(y)
        if not row:
            return strip
        columns = sorted(x for x in row if left <= x < right and not self._inked(x, y))
        if not columns:
            return strip
        base = self.rich_style
        pieces: list[Strip] = []
        position = 0
        for x in columns:
            offset = x - left
            if offset > position:
                pieces.append(strip.crop(position, offset))
            char, name = row[x]
            style = self.get_component_rich_style(name)
            look = Style(color=style.color, bold=style.bold, underline=style.underline)
            pieces.append(Strip([Segment(char, base + look)]))
            position = offset + 1
        if position < right - left:
            pieces.append(strip.crop(position, right - left))
        return Strip.join(pieces)

    def action_move(self, dx: int, dy: int) -> None:
        """Move the selected digit, or the keyboard cursor when none is selected."""
        if self.moving():
            self.post_message(self.MoveRequested(self, dx, dy, typed_at()))
        else:
            super().action_move(dx, dy)
