"""The 8x8 grid as model input: a pure function and its scikit-learn transformer.

Every model tuipad trains is a ``Pipeline`` whose first step is
:class:`GridFeatures`, so a scan from ``load_digits``, a rasterised drawing
and an array pasted by a user all reach the classifier the same way.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

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


class GridFeatures(TransformerMixin, BaseEstimator):
    """Stateless transformer wrapping :func:`grid_features`."""

    def fit(self, X: np.ndarray, y: np.ndarray | None = None) -> GridFeatures:
        """Check the input; nothing is learned.

        Returns:
            self
        """
        grid_features(X)
        self.n_features_in_ = GRID * GRID
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Flatten and clip grids, see :func:`grid_features`."""
        return grid_features(X)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags
