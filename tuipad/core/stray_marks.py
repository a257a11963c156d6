"""Stray marks: a tap beside a digit that is not part of it.

A click that lands on the canvas by mistake leaves a dot.  The rasteriser scales
whatever it is given to full height, so a dot two rows above a 9 squeezes the 9 into
the lower part of the grid, where it reads as a confident 4.  No digit has a part so
small and so far from the rest: a 5's flag or a 7's bar written apart is longer, or
nearer.  So a stroke no bigger than a tap, with blank all round it, beside ink of a
digit's size, is left out of the reading (the canvas keeps it; the answer says so).
The shipped pen digits are rendered for training as written: in a few of them a part
written apart looks so (a 5's flag shrunk to a dot), and none of them reads otherwise
for it.

Distances are in cell widths, the width of a canvas pixel: a row is
:data:`~tuipad.core.geometry.CELL_ASPECT` of them.  The ink is the line between
consecutive reports, as the canvas draws it, so the work grows with the number of
reports, not with how far they reach.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tuipad.core.geometry import CELL_ASPECT

STRAY_SIZE = 2.0
"""Greatest extent of a stray mark, in cell widths: a tap, or a click that slid a cell."""

STRAY_GAP = 2.0
"""Least blank between a stray mark and any other ink, in cell widths."""

DIGIT_SIZE = 3 * STRAY_SIZE
"""Least extent of the rest of the ink for a mark beside it to be stray: beside ink no
bigger than a few taps, the taps are the drawing."""

MOST_STRAY_MARKS = 3
"""More small marks than this are a drawing made of dots, not a digit with stray ones."""

PHYSICAL = np.array([1.0, CELL_ASPECT])
"""Canvas cells to cell widths."""


def stray_marks(strokes: Sequence[np.ndarray]) -> tuple[int, ...]:
    """The indices of the strokes that are stray marks beside a digit.

    Args:
        strokes: Checked strokes (:func:`~tuipad.core.raster.as_strokes`), canvas cells.

    Returns:
        Indices in ``strokes``, in order; empty when none is stray.
    """
    physical = [stroke * PHYSICAL for stroke in strokes]
    small = [index for index, stroke in enumerate(strokes) if is_mark(stroke)]
    if not small or len(small) > MOST_STRAY_MARKS or len(small) == len(strokes):
        return ()
    big = [points for index, points in enumerate(physical) if index not in small]
    if float(np.ptp(np.concatenate(big), axis=0).max()) < DIGIT_SIZE:
        return ()
    starts, owners, ends = stroke_segments(physical)
    apart = [
        index
        for index in small
        if _apart(physical[index], starts[owners != index], ends[owners != index])
    ]
    return tuple(apart)


def is_mark(stroke: np.ndarray) -> bool:
    """Whether a stroke (canvas cells) is no bigger than a tap: :data:`STRAY_SIZE`."""
    return float((np.ptp(stroke, axis=0) * PHYSICAL).max()) <= STRAY_SIZE


def stroke_segments(
    strokes: Sequence[np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every stroke's segments as ``(starts, owners, ends)``: where each begins, the stroke it
    is of, where it ends (a lone point is a segment of no length)."""
    starts = [points if len(points) == 1 else points[:-1] for points in strokes]
    ends = [points if len(points) == 1 else points[1:] for points in strokes]
    owners = [np.full(len(begun), index) for index, begun in enumerate(starts)]
    return np.concatenate(starts), np.concatenate(owners), np.concatenate(ends)


def _apart(mark: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> bool:
    """Whether none of the segments comes into the mark's box grown by :data:`STRAY_GAP`.

    Reports are cells (a cell's width, two pixels tall) on both sides, so the blank
    between two of them is the distance between their reports."""
    low, high = mark.min(axis=0) - STRAY_GAP, mark.max(axis=0) + STRAY_GAP
    return not bool(_meet_box(starts, ends, low, high).any())


def _meet_box(
    starts: np.ndarray, ends: np.ndarray, low: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """Which segments meet the box ``low``..``high`` (Liang and Barsky's clipping: the part
    of each segment, from ``enter`` to ``leave`` along it, inside every side's half-plane)."""
    step = ends - starts
    enter, leave = np.zeros(len(starts)), np.ones(len(starts))
    meets = np.ones(len(starts), dtype=bool)
    for axis in range(2):
        sides = (
            (-step[:, axis], starts[:, axis] - low[axis]),
            (step[:, axis], high[axis] - starts[:, axis]),
        )
        for towards, room in sides:
            parallel = towards == 0
            meets &= ~(parallel & (room < 0))
            t = room / np.where(parallel, 1.0, towards)
            enter = np.where(~parallel & (towards < 0), np.maximum(enter, t), enter)
            leave = np.where(~parallel & (towards > 0), np.minimum(leave, t), leave)
    return meets & (enter <= leave)
