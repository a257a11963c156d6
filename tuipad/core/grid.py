"""The 8x8 grid as model input, in numpy alone.

Every model reads a drawing as the 64 cells of ``load_digits``, clipped to
0..16, whether it is a scan, a rasterised drawing or an array pasted by a user;
the default model reads the pen's path beside them (:mod:`tuipad.core.pen_path`),
when a drawing has one.
The fitted pipelines do it in :class:`~tuipad.core.features.GridFeatures`; the
array models of :mod:`tuipad.core.model_arrays` call :func:`grid_features`
directly, so the sketchpad never needs scikit-learn.
"""

from __future__ import annotations

import numpy as np

GRID = 8
"""Side of the grid the models read."""

MAX_INK = 16
"""Largest value of a grid cell: a full 4x4 block of the 32x32 bitmap."""


def grid_features(X: np.ndarray) -> np.ndarray:
    """Check and flatten 8x8 grids into ``(n, 64)`` float rows in 0..16.

    Args:
        X: ``(n, 64)`` or ``(n, 8, 8)`` values.

    Returns:
        A float array of shape ``(n, 64)``, clipped to 0..16.

    Raises:
        ValueError: If the shape is not that of 8x8 grids.
    """
    array = np.asarray(X, dtype=float)
    if array.ndim == 3 and array.shape[1:] == (GRID, GRID):
        array = array.reshape(len(array), GRID * GRID)
    if array.ndim != 2 or array.shape[1] != GRID * GRID:
        raise ValueError(f"expected 8x8 grids or rows of 64 values, got shape {array.shape}")
    clipped: np.ndarray = np.clip(array, 0, MAX_INK)
    return clipped
