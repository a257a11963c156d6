"""Where a drawing lies on the terminal's grid: cells, half-block pixels, boxes, the eraser.

A terminal cell is about twice as tall as it is wide (:data:`CELL_ASPECT`);
the rasteriser, the scribble grouping and the replayed pen digits all convert
rows to physical length with that one figure.  The canvas paints *pixels*: a
cell is two pixels tall (upper and lower half-block), and consecutive
reports are joined with :func:`line_cells` because a fast drag skips cells.

Pure Python over the types of :mod:`tuipad.core.drawing`, so the canvas can
import it before numpy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tuipad.core.drawing import Cell, Point, Stroke, Strokes

CELL_ASPECT = 2.0
"""Height over width of a terminal cell."""

PIXELS_PER_ROW = 2
"""Pixels per cell vertically: the canvas draws with upper/lower half-blocks."""

ERASER_RADIUS = 1
"""How far the eraser reaches around its cell, in cells (1: a 3x3 block)."""


def line_cells(start: Cell, end: Cell) -> list[Cell]:
    """The grid positions of a line from ``start`` to ``end`` (Bresenham).

    Args:
        start: First grid position.
        end: Last grid position.

    Returns:
        Every position on the line, both ends included, each 8-connected to
        the next.
    """
    x0, y0 = start
    x1, y1 = end
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx = 1 if x0 < x1 else -1
    sy = 1 if y0 < y1 else -1
    error = dx + dy
    cells = [(x0, y0)]
    while (x0, y0) != (x1, y1):
        doubled = 2 * error
        if doubled >= dy:
            error += dy
            x0 += sx
        if doubled <= dx:
            error += dx
            y0 += sy
        cells.append((x0, y0))
    return cells


def cell_of(point: Point) -> Cell:
    """The cell a position falls in."""
    return math.floor(point[0]), math.floor(point[1])


def _whole(point: Point) -> bool:
    """Whether a position is a whole cell (a terminal without pixel reports)."""
    return float(point[0]).is_integer() and float(point[1]).is_integer()


def _pixel(point: Point) -> Cell:
    """The half-block pixel at a position (the centre of a whole cell rounds down)."""
    return math.floor(point[0]), math.floor(point[1] * PIXELS_PER_ROW)


def point_pixels(point: Point) -> list[Cell]:
    """The half-block pixels one reported position inks.

    A position with whole-number coordinates is what a terminal without pixel
    reporting sends, so it inks both halves of its cell; a sub-cell position
    inks the half it falls in.

    Args:
        point: A position in cell coordinates.

    Returns:
        One or two ``(column, pixel_row)`` pixels.
    """
    if _whole(point):
        column, row = int(point[0]), int(point[1]) * PIXELS_PER_ROW
        return [(column, row + half) for half in range(PIXELS_PER_ROW)]
    return [_pixel(point)]


def segment_pixels(start: Point, end: Point) -> set[Cell]:
    """The pixels of the line joining two consecutive reports.

    Args:
        start: The earlier position.
        end: The later position.

    Returns:
        The pixels of both ends and of the lines between them.
    """
    if _whole(start) and _whole(end):
        # Two whole-cell reports: join the cells, and ink each fully.
        cells = line_cells(cell_of(start), cell_of(end))
        return {(x, y * PIXELS_PER_ROW + half) for x, y in cells for half in range(PIXELS_PER_ROW)}
    pixels = set(point_pixels(start)) | set(point_pixels(end))
    pixels.update(line_cells(_pixel(start), _pixel(end)))
    return pixels


def stroke_pixels(stroke: Sequence[Point]) -> set[Cell]:
    """All pixels a stroke inks."""
    if not stroke:
        return set()
    pixels = set(point_pixels(stroke[0]))
    for start, end in zip(stroke, stroke[1:], strict=False):
        pixels |= segment_pixels(start, end)
    return pixels


def drawing_pixels(strokes: Iterable[Sequence[Point]]) -> set[Cell]:
    """All pixels a drawing inks."""
    pixels: set[Cell] = set()
    for stroke in strokes:
        pixels |= stroke_pixels(stroke)
    return pixels


def pixel_cells(pixels: Iterable[Cell]) -> set[Cell]:
    """The cells a set of pixels lies in."""
    return {(x, y // PIXELS_PER_ROW) for x, y in pixels}


def inks_near(strokes: Iterable[Sequence[Point]], others: Iterable[Sequence[Point]]) -> bool:
    """Whether ``others`` ink a cell on or next to (diagonals too) one ``strokes`` ink."""
    ink = pixel_cells(drawing_pixels(strokes))
    return any(
        (x + dx, y + dy) in ink
        for x, y in pixel_cells(drawing_pixels(others))
        for dx in (-1, 0, 1)
        for dy in (-1, 0, 1)
    )


def _erase_stroke(stroke: Stroke, rubbed: set[Cell]) -> tuple[Stroke, ...] | None:
    """The pieces of a stroke left outside the rubbed cells, or ``None`` if it is untouched."""
    pieces: list[Stroke] = []
    current: list[Point] = []
    previous: Point | None = None
    touched = False
    for point in stroke:
        if cell_of(point) in rubbed:
            touched = True
            if current:
                pieces.append(tuple(current))
            current, previous = [], None
            continue
        if previous is not None and any(
            cell in rubbed for cell in line_cells(cell_of(previous), cell_of(point))
        ):
            touched = True
            pieces.append(tuple(current))
            current = []
        current.append(point)
        previous = point
    if current:
        pieces.append(tuple(current))
    return tuple(pieces) if touched else None


def erase(strokes: Strokes, cells: Iterable[Cell], radius: int = ERASER_RADIUS) -> Strokes:
    """Rub out the parts of a drawing under an eraser.

    Points within ``radius`` cells (a square) of an erased cell are removed,
    and so is every segment whose line crosses that area, so a long segment
    from a fast drag is cut even though no reported point lies under the
    eraser.  A stroke cut in the middle becomes two strokes.

    Args:
        strokes: The drawing.
        cells: The cells the eraser passed over.
        radius: Reach of the eraser around each cell.

    Returns:
        The drawing without what was rubbed out (the same object if nothing was).
    """
    reach = range(-radius, radius + 1)
    rubbed = {(cx + dx, cy + dy) for cx, cy in cells for dx in reach for dy in reach}
    if not rubbed:
        return strokes
    pieces = [_erase_stroke(stroke, rubbed) for stroke in strokes]
    if all(piece is None for piece in pieces):
        return strokes
    return tuple(
        piece
        for stroke, cut in zip(strokes, pieces, strict=True)
        for piece in ((stroke,) if cut is None else cut)
        if piece
    )


@dataclass(frozen=True)
class Box:
    """The cells some ink touches: columns ``left..right-1``, rows ``top..bottom-1``."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        """Columns covered."""
        return self.right - self.left

    @property
    def height(self) -> int:
        """Rows covered."""
        return self.bottom - self.top

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def contains(self, x: int, y: int) -> bool:
        """Whether cell ``(x, y)`` is inside."""
        return self.left <= x < self.right and self.top <= y < self.bottom

    def holds(self, other: Box) -> bool:
        """Whether all of ``other`` is inside."""
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def shifted(self, dx: int, dy: int) -> Box:
        """The box moved by whole cells."""
        return Box(self.left + dx, self.top + dy, self.right + dx, self.bottom + dy)


def points_box(points: Iterable[Point]) -> Box:
    """The cells a set of reported positions lies in.

    Raises:
        ValueError: If there are no points.
    """
    listed = list(points)
    if not listed:
        raise ValueError("no points")
    xs = [x for x, _ in listed]
    ys = [y for _, y in listed]
    return Box(
        math.floor(min(xs)), math.floor(min(ys)), math.floor(max(xs)) + 1, math.floor(max(ys)) + 1
    )


def on_canvas(strokes: Iterable[Sequence[Point]], columns: int, rows: int) -> bool:
    """Whether every position of a drawing lies on a canvas of ``columns`` x ``rows`` cells.

    The ink between positions then lies on it too: a line stays within the
    cells of its ends.
    """
    return all(0 <= x < columns and 0 <= y < rows for stroke in strokes for x, y in stroke)


FIT_MARGIN = 1
"""Empty cells left around a drawing that :func:`fit_on_canvas` has to shrink."""


def fit_on_canvas(strokes: Strokes, columns: int, rows: int) -> Strokes:
    """A drawing moved, and shrunk if it must be, so that all of it lies on the canvas.

    A drawing that is already on the canvas is returned as it is; one whose cells would
    fit is centred, moved by whole cells so positions a cell-only terminal reported stay
    whole; a larger one is first shrunk, the same in both directions so its shape is
    kept.  Recognition normalises size and position, so it reads the result as the
    original.

    Args:
        strokes: The drawing, in cell coordinates.
        columns: Width of the canvas in cells.
        rows: Height of the canvas in rows.

    Returns:
        The drawing on the canvas (as it is when the canvas has no cells).
    """
    if columns < 1 or rows < 1 or on_canvas(strokes, columns, rows):
        return strokes
    box = points_box(point for stroke in strokes for point in stroke)
    if box.width > columns or box.height > rows:
        strokes = _shrunk(strokes, columns, rows)
        box = points_box(point for stroke in strokes for point in stroke)
    dx = (columns - box.width) // 2 - box.left
    dy = (rows - box.height) // 2 - box.top
    return tuple(tuple((x + dx, y + dy) for x, y in stroke) for stroke in strokes)


def fitted_note(drawn: Strokes, shown: Strokes) -> str:
    """What fitting a drawing onto the canvas (:func:`fit_on_canvas`) did to it, for a notice."""
    before = points_box(point for stroke in drawn for point in stroke)
    after = points_box(point for stroke in shown for point in stroke)
    shrunk = after.width < before.width or after.height < before.height
    return f"moved{' and shrunk' if shrunk else ''} onto the canvas to show all of it"


def _shrunk(strokes: Strokes, columns: int, rows: int) -> Strokes:
    """A drawing scaled to fit ``columns`` x ``rows`` cells less a margin, top left at 0.

    Positions are kept to a thousandth of a cell: finer than any terminal reports,
    and a saved drawing's numbers stay short.
    """
    points = [point for stroke in strokes for point in stroke]
    left, top = min(x for x, _ in points), min(y for _, y in points)
    span_x, span_y = max(x for x, _ in points) - left, max(y for _, y in points) - top
    room_x, room_y = columns - 1, rows - 1
    margin_x, margin_y = min(FIT_MARGIN, room_x // 3), min(FIT_MARGIN, room_y // 3)
    scale = min(
        (room_x - 2 * margin_x) / span_x if span_x else math.inf,
        (room_y - 2 * margin_y) / span_y if span_y else math.inf,
    )
    return tuple(
        tuple((round((x - left) * scale, 3), round((y - top) * scale, 3)) for x, y in stroke)
        for stroke in strokes
    )
