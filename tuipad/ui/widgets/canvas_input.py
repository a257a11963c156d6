"""Where a mouse report lands on the canvas, in its cells.

Kept apart from :mod:`~tuipad.ui.widgets.drawing_canvas`, whose input handling it
serves, so the arithmetic reads on its own.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region, Size

from tuipad.core.drawing import Point

SUB_CELL_EDGE = 1 / 64
"""How far inside its last cell a sub-cell position is held."""


def event_point(event: events.MouseEvent, region: Region, size: Size) -> Point:
    """The event's position on a canvas whose content is ``region``, sub-cell when the
    terminal says.

    Terminals that report pixels give fractional positions; others give whole cells.
    The point is kept on the canvas, so a drag that leaves it follows its edge.  Screen
    coordinates: the press arrives from a band, captured drags from the canvas, each
    relative to itself.
    """
    x, y = event.pointer_screen_x - region.x, event.pointer_screen_y - region.y
    width, height = size
    if float(x).is_integer() and float(y).is_integer():
        return (
            float(min(max(int(x), 0), max(width - 1, 0))),
            float(min(max(int(y), 0), max(height - 1, 0))),
        )
    return (min(max(x, 0.0), width - SUB_CELL_EDGE), min(max(y, 0.0), height - SUB_CELL_EDGE))
