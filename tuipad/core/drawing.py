"""A drawing as a list of strokes, with undo/redo, an eraser and JSON files.

This is the pure core behind the canvas: it knows nothing about terminals or
Textual, so the app, the CLI and the tests share it.  Positions are canvas
cell coordinates (``x`` = column, ``y`` = row, origin top-left); floats carry
the sub-cell position of terminals that report pixels.

The strokes keep the positions the terminal reported, because the rasteriser
interpolates and normalises them itself.  What the canvas paints is a set of
*pixels*: a cell is two pixels tall (upper and lower half-block), and
consecutive reports are joined with :func:`line_cells` because a fast drag
skips cells.

Every change that ends a gesture (a stroke, an erase, a clear, a load) pushes
the previous drawing on a per-instance undo stack, so undo and redo work by
whole strokes.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from tuipad.store.files import atomic_write

Point = tuple[float, float]
"""A reported pen position in canvas cell coordinates."""

Stroke = tuple[Point, ...]
"""One pen-down stroke."""

Strokes = tuple[Stroke, ...]
"""A whole drawing; immutable so it can be compared and kept in history."""

Cell = tuple[int, int]
"""An integer ``(column, row)`` position on a grid (cells or pixels)."""

PIXELS_PER_ROW = 2
"""Pixels per cell vertically: the canvas draws with upper/lower half-blocks."""

ERASER_RADIUS = 1
"""How far the eraser reaches around its cell, in cells (1: a 3x3 block)."""

HISTORY_LIMIT = 500
"""Most undo steps kept; older ones are dropped."""


class DrawingFileError(ValueError):
    """A drawing file could not be read; the message is one line."""


# --------------------------------------------------------------------------- geometry


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


def _whole(point: Point) -> bool:
    """Whether a position is a whole cell (a terminal without pixel reports)."""
    return float(point[0]).is_integer() and float(point[1]).is_integer()


def _pixel(point: Point) -> Cell:
    """The half-block pixel at a position (the centre of a whole cell rounds down)."""
    return math.floor(point[0]), math.floor(point[1] * PIXELS_PER_ROW)


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


def cell_of(point: Point) -> Cell:
    """The cell a position falls in."""
    return math.floor(point[0]), math.floor(point[1])


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
    changed = False
    result: list[Stroke] = []
    for stroke in strokes:
        pieces: list[list[Point]] = []
        current: list[Point] = []
        previous: Point | None = None
        for point in stroke:
            if cell_of(point) in rubbed:
                changed = True
                if current:
                    pieces.append(current)
                current, previous = [], None
                continue
            if previous is not None and any(
                cell in rubbed for cell in line_cells(cell_of(previous), cell_of(point))
            ):
                changed = True
                pieces.append(current)
                current = []
            current.append(point)
            previous = point
        if current:
            pieces.append(current)
        result.extend(tuple(piece) for piece in pieces)
    return tuple(result) if changed else strokes


# --------------------------------------------------------------------------- the drawing


class Sketch:
    """A drawing being made: committed strokes, the stroke in progress, history.

    Each instance has its own undo and redo stacks of whole drawings (they are
    small immutable tuples), so undo restores exactly what was on screen.
    """

    def __init__(self, strokes: Iterable[Iterable[Sequence[float]]] = ()) -> None:
        """Start a drawing.

        Args:
            strokes: Strokes to start with (not undoable).
        """
        self._committed: Strokes = normalise_strokes(strokes)
        self._current: list[Point] | None = None
        self._erase_before: Strokes | None = None
        self._undo: list[Strokes] = []
        self._redo: list[Strokes] = []

    @property
    def strokes(self) -> Strokes:
        """The drawing, including the stroke in progress."""
        if self._current:
            return (*self._committed, tuple(self._current))
        return self._committed

    @property
    def drawing(self) -> bool:
        """Whether a stroke is in progress."""
        return self._current is not None

    @property
    def erasing(self) -> bool:
        """Whether an erase gesture is in progress."""
        return self._erase_before is not None

    @property
    def can_undo(self) -> bool:
        """Whether there is something to undo."""
        return bool(self._undo) or bool(self._current)

    @property
    def can_redo(self) -> bool:
        """Whether there is something to redo."""
        return bool(self._redo)

    def __bool__(self) -> bool:
        return bool(self.strokes)

    def _push(self, new: Strokes) -> bool:
        """Make ``new`` the drawing, keeping the old one for undo."""
        if new == self._committed:
            return False
        self._undo.append(self._committed)
        del self._undo[:-HISTORY_LIMIT]
        self._redo.clear()
        self._committed = new
        return True

    def finish(self) -> bool:
        """End whatever gesture is in progress.

        Returns:
            Whether the drawing changed (a stroke or an erase was committed).
        """
        changed = False
        if self._current is not None:
            if self._current:
                changed = self._push((*self._committed, tuple(self._current)))
            self._current = None
        if self._erase_before is not None:
            before, self._erase_before = self._erase_before, None
            if before != self._committed:
                self._undo.append(before)
                del self._undo[:-HISTORY_LIMIT]
                self._redo.clear()
                changed = True
        return changed

    def begin(self, point: Sequence[float]) -> set[Cell]:
        """Put the pen down.

        Args:
            point: Where, in cell coordinates.

        Returns:
            The pixels newly inked.
        """
        self.finish()
        start = _point(point)
        self._current = [start]
        return set(point_pixels(start))

    def extend(self, point: Sequence[float]) -> set[Cell]:
        """Move the pen while it is down (starts a stroke if it is not).

        Args:
            point: The new position.

        Returns:
            The pixels of the segment from the previous position (empty if
            the position did not change).
        """
        if self._current is None:
            return self.begin(point)
        new = _point(point)
        if self._current and self._current[-1] == new:
            return set()
        previous = self._current[-1] if self._current else new
        self._current.append(new)
        return segment_pixels(previous, new)

    def begin_erase(self) -> None:
        """Start an erase gesture (undone as one step)."""
        self.finish()
        self._erase_before = self._committed

    def erase_at(self, cells: Iterable[Cell]) -> bool:
        """Rub out around ``cells`` as part of the current erase gesture.

        The result shows at once; undo restores the drawing from before the
        gesture began.

        Returns:
            Whether anything was rubbed out.
        """
        if self._erase_before is None:
            self.begin_erase()
        new = erase(self._committed, cells)
        if new is self._committed:
            return False
        self._committed = new
        return True

    def clear(self) -> bool:
        """Remove everything (undoable).

        Returns:
            Whether there was anything to clear.
        """
        self.finish()
        return self._push(())

    def replace(self, strokes: Iterable[Iterable[Sequence[float]]]) -> bool:
        """Replace the drawing, e.g. with a loaded file (undoable)."""
        self.finish()
        return self._push(normalise_strokes(strokes))

    def undo(self) -> bool:
        """Undo the last stroke, erase, clear or load.

        Returns:
            Whether anything was undone.
        """
        self.finish()
        if not self._undo:
            return False
        self._redo.append(self._committed)
        self._committed = self._undo.pop()
        return True

    def redo(self) -> bool:
        """Redo what :meth:`undo` undid.

        Returns:
            Whether anything was redone.
        """
        self.finish()
        if not self._redo:
            return False
        self._undo.append(self._committed)
        self._committed = self._redo.pop()
        return True

    def pixels(self) -> set[Cell]:
        """Every pixel the drawing inks."""
        return drawing_pixels(self.strokes)


def _point(value: Sequence[float]) -> Point:
    x, y = value
    point = (float(x), float(y))
    if not (math.isfinite(point[0]) and math.isfinite(point[1])):
        raise ValueError("a position must be two finite numbers")
    return point


def normalise_strokes(strokes: Iterable[Iterable[Sequence[float]]]) -> Strokes:
    """Validate strokes and turn them into the immutable form.

    Args:
        strokes: ``[[[x, y], ...], ...]``.

    Returns:
        The non-empty strokes as tuples of ``(x, y)`` floats.

    Raises:
        ValueError: If a position is not two finite numbers.
    """
    result = []
    for stroke in strokes:
        try:
            points = tuple(_point(point) for point in stroke)
        except (TypeError, ValueError) as error:
            raise ValueError(f"a stroke must be a list of [x, y] numbers ({error})") from None
        if points:
            result.append(points)
    return tuple(result)


# --------------------------------------------------------------------------- files


def to_json(strokes: Iterable[Sequence[Point]]) -> str:
    """The JSON that ``tuipad predict`` reads: ``{"strokes": [[[x, y], ...], ...]}``.

    Whole numbers are written as ints so files from cell-only terminals stay short.
    """

    def number(value: float) -> float | int:
        return int(value) if float(value).is_integer() else value

    data = {"strokes": [[[number(x), number(y)] for x, y in stroke] for stroke in strokes]}
    return json.dumps(data, separators=(",", ":")) + "\n"


def from_json(text: str) -> Strokes:
    """Parse the JSON :func:`to_json` writes.

    Raises:
        DrawingFileError: If it is not a ``{"strokes": ...}`` object of positions.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise DrawingFileError(f"not JSON ({error})") from None
    if not isinstance(data, dict) or "strokes" not in data:
        raise DrawingFileError('expected an object like {"strokes": [[[x, y], ...], ...]}')
    if not isinstance(data["strokes"], list):
        raise DrawingFileError('"strokes" must be a list of strokes')
    try:
        return normalise_strokes(data["strokes"])
    except (TypeError, ValueError) as error:
        raise DrawingFileError(str(error)) from None


def save_drawing(path: str | os.PathLike[str], strokes: Iterable[Sequence[Point]]) -> Path:
    """Write a drawing atomically (temporary file, fsync, rename).

    Args:
        path: Where to write it.
        strokes: The drawing.

    Returns:
        The path written.
    """
    target = Path(path).expanduser()
    atomic_write(target, to_json(strokes).encode("utf-8"))
    return target


def load_drawing(path: str | os.PathLike[str]) -> Strokes:
    """Read a drawing file.

    Raises:
        DrawingFileError: If it cannot be read or is not a drawing.
    """
    target = Path(path).expanduser()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DrawingFileError(f"{target}: no such file") from None
    except IsADirectoryError:
        raise DrawingFileError(f"{target} is a directory") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DrawingFileError(f"{target}: cannot read it ({error})") from None
    try:
        return from_json(text)
    except DrawingFileError as error:
        raise DrawingFileError(f"{target}: {error}") from None


def pixel_cells(pixels: Iterable[Cell]) -> set[Cell]:
    """The cells a set of pixels lies in."""
    return {(x, y // PIXELS_PER_ROW) for x, y in pixels}
