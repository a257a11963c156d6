"""How the canvas paints a row of cells: half-blocks for the ink, a glyph for the cursor.

Kept apart from :mod:`~tuipad.ui.widgets.drawing_canvas` (its input handling)
so the painting can be read, and tested, on its own.  The keyboard cursor is a
character, not only a background colour: in 16 colours or with NO_COLOR a
colour alone can be indistinguishable from the canvas.
"""

from __future__ import annotations

from collections.abc import Set

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tuipad.core.drawing import Cell
from tuipad.core.geometry import PIXELS_PER_ROW

BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}
"""The character for a cell given whether its (upper, lower) pixel is inked."""

CURSOR_UP = "┼"
"""The keyboard cursor with the pen lifted: a cross hair, visible on ink or blank."""

CURSOR_DOWN = "●"
"""The keyboard cursor with the pen down (drawing or erasing)."""


def cursor_glyph(*, pen_down: bool) -> str:
    """The character the keyboard cursor shows."""
    return CURSOR_DOWN if pen_down else CURSOR_UP


def paint_row(
    ink: Set[Cell],
    y: int,
    span: tuple[int, int],
    ink_style: Style,
    cursor: tuple[int, str, Style] | None,
) -> Strip:
    """Cells ``span[0]`` to ``span[1]`` (excluded) of row ``y``, two pixels tall each.

    Args:
        ink: The inked pixels.
        y: The row of cells.
        span: First column and the column after the last.
        ink_style: The style of the ink.
        cursor: The keyboard cursor's column, glyph and style, if it is on this row.

    Returns:
        The cells as one strip.
    """
    left, right = span
    top, bottom = y * PIXELS_PER_ROW, y * PIXELS_PER_ROW + 1
    text = "".join(BLOCKS[(x, top) in ink, (x, bottom) in ink] for x in range(left, right))
    if cursor is None or not left <= cursor[0] < right:
        return Strip([Segment(text, ink_style)], right - left)
    column, glyph, style = cursor
    at = column - left
    segments = [
        Segment(text[:at], ink_style),
        Segment(glyph, style),
        Segment(text[at + 1 :], ink_style),
    ]
    return Strip([segment for segment in segments if segment.text], right - left)
