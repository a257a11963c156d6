"""Narrow vertical slices that paint the drawing canvas.

Textual 8 sends a partial update of a line from the left edge of the widget
that owns it (its compositor crops only the right side), so a refreshed cell
far right in one wide widget resends the whole line to its left.  The canvas
is therefore painted by bands ``BAND_WIDTH`` cells wide: a new cell costs at
most one band's worth of a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from tuipad.core.drawing import Cell

if TYPE_CHECKING:
    from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

BAND_WIDTH = 8
"""Width in cells of the bands that paint the canvas (bounds the bytes per update)."""


class CanvasBand(Widget):
    """A vertical slice of the canvas; the canvas decides what it shows."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    CanvasBand {
        width: 8;
        height: 1fr;
    }
    """

    def __init__(self, canvas: DrawingCanvas, left: int) -> None:
        """Make the band covering canvas columns ``left`` to ``left + BAND_WIDTH``."""
        super().__init__()
        self.canvas = canvas
        self.left = left

    def render_line(self, y: int) -> Strip:
        return self.canvas.render_cells(y, self.left, self.left + self.size.width)

    def _forward_event(self, event: events.Event) -> None:
        # The screen hands each mouse report to the widget under the pointer
        # until the canvas has captured the mouse, and every widget reads its
        # own queue: a drag that arrives in one read (a burst over SSH) would
        # reach the canvas band by band, out of order.  Mouse events therefore
        # go straight into the canvas's queue, in the order they were sent.
        if isinstance(event, events.MouseEvent):
            self.canvas._forward_event(event)
        else:
            super()._forward_event(event)


def missing_bands(canvas: DrawingCanvas, width: int) -> list[CanvasBand]:
    """The bands still missing for ``canvas`` to cover ``width`` columns."""
    have, need = len(canvas.children), -(-width // BAND_WIDTH)
    return [CanvasBand(canvas, index * BAND_WIDTH) for index in range(have, need)]


def refresh_cells(bands: Sequence[Widget], cells: Iterable[Cell], size: Size) -> None:
    """Refresh canvas cells through the bands that paint them, one span per band and row.

    Args:
        bands: The canvas's bands, left to right.
        cells: The ``(column, row)`` cells to repaint; those off the canvas are skipped.
        size: The canvas's size.
    """
    spans: dict[int, tuple[int, int]] = {}
    for x, y in cells:
        low, high = spans.get(y, (x, x))
        spans[y] = (min(low, x), max(high, x))
    width, height = size
    for y, (low, high) in spans.items():
        if not 0 <= y < height:
            continue
        for index in range(max(low, 0) // BAND_WIDTH, min(high, width - 1) // BAND_WIDTH + 1):
            if index < len(bands):
                start = index * BAND_WIDTH
                first, last = max(low, start), min(high, start + BAND_WIDTH - 1)
                bands[index].refresh(Region(first - start, y, last - first + 1, 1))
