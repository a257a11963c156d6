"""The 8x8 the model saw, drawn as shaded cells that grow with the panel.

The panel picks the cell size (:func:`~tuipad.ui.widgets.score_panel.grid_cell_for`);
this module paints the grid at that size, with the values on it or, in terminals
of few colours, with shade characters, since blends of two colours collapse there.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Region
from textual.reactive import reactive, var
from textual.strip import Strip
from textual.widget import Widget

Grid = tuple[tuple[int, ...], ...]
"""An 8x8 grid of 0..16 values, immutable so reactives can compare it."""

GRID_MAX = 16
"""The largest value in the 8x8 (a fully inked 4x4 block)."""

GridCell = tuple[int, int]
"""The columns and rows one value of the 8x8 takes on screen."""

GRID_CELLS: tuple[GridCell, ...] = ((2, 1), (3, 1), (4, 2), (6, 3), (8, 4))
"""Cell sizes from small to large.  Two columns per row look square in a terminal;
(3, 1), the smallest with a blank column between two values, is used only to show them."""

SHADES = " ░▒▓█"
"""Ink from none to full, for terminals whose few colours would merge the shades."""


def grid_cell_text(value: int, width: int, *, show_value: bool, shaded: bool) -> str:
    """One row of a cell: blank, its value, or a shade character for few colours.

    Args:
        value: The cell's value, 0..16.
        width: The cell's columns.
        show_value: Print the value (on the cell's middle row).
        shaded: Draw the ink with :data:`SHADES`, as colours cannot.
    """
    if show_value:
        # Right-aligned with a blank column after: a column of numbers reads as one.
        return f"{value:>{width - 1}} "
    if shaded:
        return SHADES[round(value / GRID_MAX * (len(SHADES) - 1))] * width
    return " " * width


class GridView(Widget):
    """The 8x8 array the model received, as shaded cells (``cell`` columns by rows).

    With ``show_values`` on, each cell also prints its 0..16 value.  With few
    colours (16, or NO_COLOR) the shades are characters as well.
    """

    DEFAULT_CSS = """
    GridView {
        width: 16;
        height: 8;
        color: $foreground;
        background: $panel;
    }
    """

    grid: var[Grid | None] = var(None)
    """The values, or None before the first prediction."""

    show_values: reactive[bool] = reactive(False)
    """Whether the 0..16 values are printed on the shading."""

    cell: reactive[GridCell] = reactive(GRID_CELLS[0])
    """The columns and rows of one value."""

    shaded: var[bool] = var(False)
    """Whether the ink is drawn with shade characters, as the terminal has few colours."""

    def watch_cell(self, cell: GridCell) -> None:
        self.styles.width = 8 * cell[0]
        self.styles.height = 8 * cell[1]

    def watch_grid(self, old: Grid | None, new: Grid | None) -> None:
        if old is None or new is None:
            self.refresh()
            return
        rows = [y for y in range(len(new)) if y >= len(old) or old[y] != new[y]]
        height = self.cell[1]
        self.refresh(*(Region(0, y * height, self.size.width, height) for y in rows))

    def value_at(self, column: int, row: int) -> int | None:
        """The value of one cell of the 8x8, if there is a grid."""
        if self.grid is None:
            return None
        return self.grid[row][column]

    def row_text(self, y: int) -> str:
        """The characters of screen row ``y``, styles aside."""
        return "".join(segment.text for segment in self.render_line(y))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        cell_width, cell_height = self.cell
        row, within = divmod(y, cell_height)
        if self.grid is None or not 0 <= row < len(self.grid):
            return Strip.blank(width, self.rich_style)
        background = self.styles.background
        ink = self.styles.color
        middle = within == cell_height // 2
        segments = []
        for value in self.grid[row]:
            text = grid_cell_text(
                value, cell_width, show_value=self.show_values and middle, shaded=self.shaded
            )
            if self.shaded and not (self.show_values and middle):
                style = Style(color=ink.rich_color, bgcolor=background.rich_color)
            else:
                shade: Color = background.blend(ink, value / GRID_MAX)
                style = Style(color=shade.get_contrast_text().rich_color, bgcolor=shade.rich_color)
            segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, self.rich_style)
