"""Strokes drawn on a terminal canvas -> the 8x8, 0..16 array of ``load_digits``.

The scikit-learn digits were made from 32x32 scanned bitmaps (NIST-normalised:
every digit spans the full height, keeps its aspect ratio, is centred and has
thick strokes), counted in 4x4 blocks.  A terminal reports something very
different: whole cells twice as tall as they are wide, drags that skip cells
and one-cell-thick lines.  So the strokes are never rasterised as screen cells.
They are turned back into a pen path in physical units, smoothed to undo the
cell quantisation, deslanted, normalised like the scans and drawn with a thick
pen into a 32x32 bitmap, which is then counted in 4x4 blocks.

Everything here is pure numpy so the app, the CLI, training and the benchmarks
share one path.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tuipad.core.drawing import MAX_COORDINATE, checked_strokes
from tuipad.core.geometry import CELL_ASPECT

SIZE = 32
"""Side of the normalised bitmap, as in the scanned digits."""

BLOCK = 4
"""Side of the blocks counted into one cell of the 8x8 array."""

TINY = 1e-6
"""Extents below this many cells count as zero (a dot, or a straight line)."""


class EmptyDrawingError(ValueError):
    """Raised when a drawing has no usable pen position."""


@dataclass(frozen=True)
class RasterParams:
    """How strokes are normalised and drawn; the defaults match the scans.

    Attributes:
        aspect: How many times taller than wide one terminal cell is.
        pen_radius: Radius of the pen in pixels of the 32x32 bitmap.
        margin: Empty pixels kept above and below the pen's centre line.
        width: Width the centre line is stretched or squeezed to, in pixels.
        max_stretch: Most a drawing is widened relative to its height scale.
        deslant: Fraction of the measured slant removed (0 keeps it).
        smooth: Passes of the [1, 2, 1] filter run along each stroke.
        step: Resampling step along the path, in pixels of the bitmap.
    """

    aspect: float = CELL_ASPECT
    pen_radius: float = 2.5
    margin: float = 1.5
    width: float = 16.0
    max_stretch: float = 1.5
    deslant: float = 1.0
    smooth: int = 8
    step: float = 0.8


DEFAULT_PARAMS = RasterParams()


def as_strokes(strokes: Iterable[Iterable[Iterable[float]]]) -> list[np.ndarray]:
    """Check a drawing and return its strokes as ``(n, 2)`` float arrays.

    Strokes numpy reads as a numeric ``(n, 2)`` array of numbers within
    :data:`~tuipad.core.drawing.MAX_COORDINATE` pass at numpy's speed, however
    many, since this runs on every live prediction; anything else goes through
    the one check every drawing passes
    (:func:`~tuipad.core.drawing.checked_strokes`), which accepts it or says
    what is wrong.

    Args:
        strokes: Pen-down strokes, each a sequence of ``[x, y]`` positions.

    Returns:
        The non-empty strokes as float arrays.

    Raises:
        EmptyDrawingError: If there is no pen position at all.
        ValueError: If a position is not two numbers within the limit.
    """
    if not isinstance(strokes, list | tuple | np.ndarray | str | bytes | dict):
        strokes = list(strokes)  # read twice below when the quick path declines
    arrays = _numeric_strokes(strokes)
    if arrays is None:
        arrays = [np.array(stroke, dtype=float) for stroke in checked_strokes(strokes)]
    if not arrays:
        raise EmptyDrawingError("the drawing is empty: draw a digit first")
    return arrays


def _numeric_strokes(strokes: Iterable[Iterable[Iterable[float]]]) -> list[np.ndarray] | None:
    """The strokes as float arrays if each is plainly numeric and in range, else ``None``.

    The counts of positions are not limited here: this is the live canvas's
    path, and what follows is bounded for any count (:data:`MAX_PATH_POINTS`,
    :data:`DRAW_CHUNK`).
    """
    if isinstance(strokes, str | bytes | dict):
        return None
    arrays = []
    try:
        for stroke in strokes:
            points = np.asarray(stroke)
            if points.size == 0:
                continue
            if points.dtype.kind not in "iuf" or points.ndim != 2 or points.shape[1] != 2:
                return None
            points = points.astype(float)
            # Out of range (NaN included) is left to the strict check to name.
            if not (np.abs(points) <= MAX_COORDINATE).all():
                return None
            arrays.append(points)
    except (TypeError, ValueError, OverflowError):
        return None
    return arrays


MAX_PATH_POINTS = 4096
"""Most points a drawing's path is resampled to: a digit needs a few hundred, and a
scribble round and round the canvas is drawn more coarsely rather than slowly."""


DRAW_CHUNK = 4096
"""Points drawn at a time: each costs a few dozen candidate pixels, so memory stays
a few MiB however many points a drawing has (one-position strokes are not resampled
away)."""


def _path_length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum()) if len(points) > 1 else 0.0


def _resample(points: np.ndarray, step: float) -> np.ndarray:
    """Points spaced ``step`` apart along the polyline through ``points``."""
    if len(points) == 1:
        return points
    lengths = np.hypot(*np.diff(points, axis=0).T)
    distance = np.concatenate(([0.0], np.cumsum(lengths)))
    total = distance[-1]
    if total == 0:
        return points[:1]
    count = max(2, math.ceil(total / step) + 1)
    at = np.linspace(0.0, total, count)
    return np.column_stack(
        (np.interp(at, distance, points[:, 0]), np.interp(at, distance, points[:, 1]))
    )


def _smooth(points: np.ndarray, lengths: Sequence[int], passes: int) -> np.ndarray:
    """Run a [1, 2, 1] filter along each stroke of ``points``, keeping the strokes' end points.

    The strokes lie end to end in ``points`` (``lengths`` points each), so one
    pass filters them all; a stroke's first and last points are put back after
    each pass, which also undoes what the filter did across a stroke boundary.
    """
    ends = np.cumsum(lengths)
    fixed = np.unique(np.concatenate((ends - np.asarray(lengths), ends - 1)))
    kept = points[fixed]
    points = points.copy()
    for _ in range(passes if len(points) >= 3 else 0):
        points[1:-1] = (points[:-2] + 2 * points[1:-1] + points[2:]) / 4
        points[fixed] = kept
    return points


def _frame_points(
    strokes: Iterable[Iterable[Iterable[float]]], params: RasterParams
) -> tuple[np.ndarray, list[int]]:
    """The pen path in the 32x32 frame of the scans: all strokes' points, and each one's count."""
    paths = [points * (1.0, params.aspect) for points in as_strokes(strokes)]
    everything = np.concatenate(paths)
    low, high = everything.min(axis=0), everything.max(axis=0)
    extent = float(max(high[1] - low[1], (high[0] - low[0]) / 2, TINY))

    # Resample in units of the drawing's own height, so cell quantisation is
    # smoothed the same way whatever the drawing's size on screen.
    step = params.step * extent / SIZE
    step = max(step, sum(_path_length(p) for p in paths) / MAX_PATH_POINTS)
    paths = [_resample(p, step) for p in paths]
    lengths = [len(p) for p in paths]
    everything = _smooth(np.concatenate(paths), lengths, params.smooth)

    if params.deslant and len(everything) > 2:
        centre = everything.mean(axis=0)
        dy = everything[:, 1] - centre[1]
        var = float(dy @ dy)
        if var > 0:
            slant = float((everything[:, 0] - centre[0]) @ dy) / var
            slant = max(-1.0, min(1.0, slant)) * params.deslant
            everything = everything.copy()
            everything[:, 0] -= slant * dy

    low, high = everything.min(axis=0), everything.max(axis=0)
    width, height = high - low
    # The scans were stretched to a common height *and* width: most digits,
    # even many 1s, fill columns 1-6 of the 8x8.  Thin strokes are widened
    # at most ``max_stretch`` times so a straight 1 stays a bar.
    # Anything narrower than a millionth of a cell is a dot, not a line to blow up.
    scale_y = (SIZE - 2 * params.margin) / height if height > TINY else 0.0
    scale_x = params.width / width if width > TINY else 0.0
    if scale_y == 0.0:
        scale_y = scale_x
    scale_x = min(scale_x, scale_y * params.max_stretch) if scale_y else scale_x
    centre = (low + high) / 2
    scale = np.array([scale_x, scale_y])
    return (everything - centre) * scale + SIZE / 2, lengths


def normalise(
    strokes: Iterable[Iterable[Iterable[float]]], params: RasterParams = DEFAULT_PARAMS
) -> list[np.ndarray]:
    """Turn canvas strokes into pen paths in the 32x32 frame of the scans.

    Args:
        strokes: Pen-down strokes in canvas cell coordinates.
        params: Normalisation settings.

    Returns:
        One ``(n, 2)`` array of ``(x, y)`` pixel positions per stroke.
    """
    points, lengths = _frame_points(strokes, params)
    return np.split(points, np.cumsum(lengths)[:-1])


_OFFSETS_CACHE: dict[float, tuple[np.ndarray, np.ndarray]] = {}


def _offsets(radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets from a point's pixel whose centre can lie within ``radius`` of it.

    A point sits somewhere in its pixel, so along one axis the centre ``off``
    pixels away is at least ``|off| - 0.5`` from it; offsets that cannot come
    within ``radius`` (with a margin for rounding) are never tried.

    Returns:
        ``(x, y)``: the offsets kept, plus a half, as floats.
    """
    if radius not in _OFFSETS_CACHE:
        steps = np.arange(-_reach(radius), _reach(radius) + 1, dtype=float)
        nearest = np.maximum(np.abs(steps) - 0.5, 0.0)
        x, y = (axis.ravel() for axis in np.meshgrid(steps, steps))
        near_x, near_y = (axis.ravel() for axis in np.meshgrid(nearest, nearest))
        keep = near_x**2 + near_y**2 <= (radius + 0.01) ** 2
        _OFFSETS_CACHE[radius] = (x[keep] + 0.5, y[keep] + 0.5)
    return _OFFSETS_CACHE[radius]


def _reach(radius: float) -> int:
    """Most whole pixels a pen of ``radius`` reaches from its point's pixel."""
    return math.ceil(radius) + 1


def draw(paths: Sequence[np.ndarray], radius: float) -> np.ndarray:
    """Draw pen paths with a round pen into a 32x32 boolean bitmap.

    A pixel is set when its centre lies within ``radius`` of a point.  Work is
    a few dozen candidate pixels a point, whatever the drawing.

    Args:
        paths: ``(n, 2)`` arrays of ``(x, y)`` pixel positions, densely sampled.
        radius: Pen radius in pixels.

    Returns:
        A ``(32, 32)`` boolean array, row-major (``[y, x]``).
    """
    points = np.concatenate(paths)
    # The bitmap is drawn with a margin so no pixel needs a bounds check; a point
    # far outside the frame keeps its distance but tries pixels in the margin.
    pad = 2 * _reach(radius) + 1
    side = SIZE + 2 * pad
    padded = np.zeros(side * side, dtype=bool)
    for start in range(0, len(points), DRAW_CHUNK):
        padded[_inked(points[start : start + DRAW_CHUNK], radius, pad)] = True
    bitmap: np.ndarray = padded.reshape(side, side)[pad : pad + SIZE, pad : pad + SIZE]
    return bitmap.copy()


def _inked(points: np.ndarray, radius: float, pad: int) -> np.ndarray:
    """Flat indices into the padded bitmap of the pixels the pen inks around ``points``."""
    reach = _reach(radius)
    base = np.clip(np.floor(points), reach - pad, SIZE + pad - reach - 1)
    half_x, half_y = _offsets(radius)
    dx = (base[:, :1] + half_x) - points[:, :1]
    dy = (base[:, 1:] + half_y) - points[:, 1:]
    near = dx * dx + dy * dy <= radius * radius
    columns = (base[:, :1] + (half_x - 0.5 + pad)).astype(np.intp)
    rows = (base[:, 1:] + (half_y - 0.5 + pad)).astype(np.intp)
    inked: np.ndarray = (rows * (SIZE + 2 * pad) + columns)[near]
    return inked


def count_blocks(bitmap: np.ndarray) -> np.ndarray:
    """Count the set pixels of a 32x32 bitmap in 4x4 blocks, as the scans were.

    Args:
        bitmap: A ``(32, 32)`` array of 0/1 values.

    Returns:
        An ``(8, 8)`` array of ints in 0..16.
    """
    side = SIZE // BLOCK
    blocks = np.asarray(bitmap, dtype=np.int64).reshape(side, BLOCK, side, BLOCK)
    counts: np.ndarray = blocks.sum(axis=(1, 3))
    return counts


def rasterise(
    strokes: Iterable[Iterable[Iterable[float]]], params: RasterParams = DEFAULT_PARAMS
) -> np.ndarray:
    """Normalise and draw a drawing into the 32x32 bitmap the scans were made of.

    Args:
        strokes: Pen-down strokes in canvas cell coordinates.
        params: Normalisation settings.

    Returns:
        A ``(32, 32)`` boolean bitmap.
    """
    return draw([_frame_points(strokes, params)[0]], params.pen_radius)


def to_digits8x8(
    strokes: Iterable[Iterable[Iterable[float]]], params: RasterParams = DEFAULT_PARAMS
) -> np.ndarray:
    """Turn a drawing into the 8x8 array of ints 0..16 that ``load_digits`` uses.

    Args:
        strokes: Pen-down strokes in canvas cell coordinates (x = column,
            y = row, origin top-left; floats allowed for sub-cell positions).
        params: Normalisation settings.

    Returns:
        An ``(8, 8)`` int array with values in 0..16.

    Raises:
        EmptyDrawingError: If the drawing has no pen position.
        ValueError: If a position is not a pair of finite numbers.
    """
    return count_blocks(rasterise(strokes, params))
