"""The pen's path as model input: how a digit was drawn, which its 8x8 grid forgets.

Two drawings can leave the same ink and be different digits to the writer: a
1 drawn with a long up-stroke and a 7, a 2 with a loop at its base and a 7.
The order and direction of the strokes tell them apart.  :func:`path_features`
turns the strokes a model reads (canvas cells, stray marks already left out)
into a fixed-length row: the strokes joined in writing order (the jump between
two strokes counts as path), resampled by arc length to :data:`POINTS`
points, with the direction of each step and whether the pen was up on it.

The drawing is measured in the units of the screen (a cell is
:data:`~tuipad.core.geometry.CELL_ASPECT` times as tall as wide), centred on its
box and scaled by the box's longer side, so size, place and the terminal's
cells do not matter, and the digit's proportions do.  Every value is rounded
to a multiple of ``1 / QUANTUM``, so a model's support vectors fit in a byte
each.  numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tuipad.core.geometry import CELL_ASPECT

POINTS = 16
"""Points the path is resampled to."""

QUANTUM = 64
"""Each feature is a multiple of ``1 / QUANTUM``."""

WIDTH = 2 * POINTS + 2 * (POINTS - 1) + POINTS
"""Features of a path: the points (x, y), the unit steps between them (x, y), and a
pen-up flag for each point."""


def path_features(strokes: Sequence[np.ndarray]) -> np.ndarray:
    """The pen's path of one drawing as a row of :data:`WIDTH` values in -1..1.

    Args:
        strokes: Pen-down strokes of ``(x, y)`` canvas cells, in writing order,
            at least one point in all.

    Returns:
        The points, the steps and the pen-up flags, each rounded to ``1 / QUANTUM``.

    Raises:
        ValueError: No points at all.
    """
    parts = [np.asarray(stroke, dtype=float).reshape(-1, 2) for stroke in strokes if len(stroke)]
    if not parts:
        raise ValueError("a path needs at least one point")
    points = np.concatenate(parts) / [CELL_ASPECT, 1.0]
    begins = np.zeros(len(points))
    begins[np.cumsum([len(part) for part in parts[:-1]], dtype=int)] = 1.0  # later strokes' starts
    low, high = points.min(axis=0), points.max(axis=0)
    points = (points - (low + high) / 2) / max(float((high - low).max()), 1e-9)
    lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
    along = np.r_[0.0, np.cumsum(lengths)]
    if along[-1] <= 0:  # one dot, however many reports
        path, lifted = np.repeat(points[:1], POINTS, axis=0), np.zeros(POINTS)
    else:
        at = np.linspace(0.0, along[-1], POINTS)
        path = np.column_stack([np.interp(at, along, points[:, axis]) for axis in (0, 1)])
        step = np.clip(np.searchsorted(along, at, side="right") - 1, 0, len(lengths) - 1)
        lifted = begins[1:][step]  # the pen is up on the step that starts the next stroke
    steps = np.diff(path, axis=0)
    steps /= np.maximum(np.linalg.norm(steps, axis=1, keepdims=True), 1e-9)
    features = np.concatenate([path.ravel(), steps.ravel(), lifted])
    rounded: np.ndarray = np.round(features * QUANTUM) / QUANTUM
    return rounded


def path_rows(X: np.ndarray) -> np.ndarray:
    """Check rows of path features: ``(n, WIDTH)`` finite numbers, as floats.

    Raises:
        ValueError: Another shape, or a value that is not a number.
    """
    array = np.asarray(X, dtype=float)
    if array.ndim != 2 or array.shape[1] != WIDTH:
        raise ValueError(f"expected rows of {WIDTH} path features, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError("path features must be numbers")
    return array
