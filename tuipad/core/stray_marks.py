"""Stray marks: a tap beside a digit that is not part of it.

A click that lands on the canvas by mistake leaves a dot.  The rasteriser scales
whatever it is given to full height, so a dot two rows above a 9 squeezes the 9 into
the lower part of the grid, where it reads as a confident 4.  No digit has a part so
small and so far from the rest: a 5's flag or a 7's bar written apart is longer, or
nearer.  So a stroke no bigger than a tap, with blank all round it, beside ink of a
digit's size, is left out of the reading (the canvas keeps it; the answer says so).

Distances are in cell widths: a row is :data:`~tuipad.core.geometry.CELL_ASPECT` of them,
and a canvas pixel (half a cell's height) is one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tuipad.core.geometry import CELL_ASPECT, stroke_pixels

STRAY_SIZE = 2.0
"""Greatest extent of a stray mark, in cell widths: a tap, or a click that slid a cell."""

STRAY_GAP = 2
"""Least blank between a stray mark and any other ink, in cell widths (canvas pixels)."""

DIGIT_SIZE = 3 * STRAY_SIZE
"""Least extent of the rest of the ink for a mark beside it to be stray: beside ink no
bigger than a few taps, the taps are the drawing."""

MOST_STRAY_MARKS = 3
"""More small marks than this are a drawing made of dots, not a digit with stray ones
(and checking each against the others would cost the square of their number)."""


def stray_marks(strokes: Sequence[np.ndarray]) -> tuple[int, ...]:
    """The indices of the strokes that are stray marks beside a digit.

    Args:
        strokes: Checked strokes (:func:`~tuipad.core.raster.as_strokes`), canvas cells.

    Returns:
        Indices in ``strokes``, in order; empty when none is stray.
    """
    extents = [float((np.ptp(s, axis=0) * (1.0, CELL_ASPECT)).max()) for s in strokes]
    small = [index for index, extent in enumerate(extents) if extent <= STRAY_SIZE]
    if not small or len(small) > MOST_STRAY_MARKS or len(small) == len(strokes):
        return ()
    big = [stroke for stroke, extent in zip(strokes, extents, strict=True) if extent > STRAY_SIZE]
    rest = np.concatenate(big)
    if float((np.ptp(rest, axis=0) * (1.0, CELL_ASPECT)).max()) < DIGIT_SIZE:
        return ()
    pixels = [stroke_pixels([(float(x), float(y)) for x, y in s]) for s in strokes]
    return tuple(index for index in small if _apart(index, pixels))


def _apart(index: int, pixels: Sequence[set[tuple[int, int]]]) -> bool:
    """Whether no other stroke inks a pixel within :data:`STRAY_GAP` of stroke ``index``."""
    others = set().union(*(p for number, p in enumerate(pixels) if number != index))
    reach = range(-STRAY_GAP, STRAY_GAP + 1)
    return not any(
        (x + dx, y + dy) in others for x, y in pixels[index] for dx in reach for dy in reach
    )
