"""The 8x8 grid as the first step of every fitted pipeline.

Every model tuipad trains is a ``Pipeline`` whose first step is
:class:`GridFeatures` (or :class:`DrawingFeatures`, for a model that also reads the
pen's path), so a scan from ``load_digits``, a rasterised drawing
and an array pasted by a user all reach the classifier the same way.  The
classes keep this module's name because saved pickles refer to it here.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from tuipad.core.drawing_rows import COLUMNS, split_rows
from tuipad.core.grid import GRID, MAX_INK, grid_features

__all__ = ["GRID", "MAX_INK", "DrawingFeatures", "GridFeatures", "grid_features"]


class GridFeatures(TransformerMixin, BaseEstimator):
    """Stateless transformer wrapping :func:`~tuipad.core.grid.grid_features`."""

    def fit(self, X: np.ndarray, y: np.ndarray | None = None) -> GridFeatures:
        """Check the input; nothing is learned.

        Returns:
            self
        """
        grid_features(X)
        self.n_features_in_ = GRID * GRID
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Flatten and clip grids, see :func:`~tuipad.core.grid.grid_features`."""
        return grid_features(X)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


class DrawingFeatures(TransformerMixin, BaseEstimator):
    """The first step of a model reading the pen's path as well as the grid.

    Takes rows of :data:`~tuipad.core.drawing_rows.COLUMNS` (grids, then paths)
    or bare grids (rows without a path), and gives rows of that width, grids
    clipped, with NaN where a row has no path.
    """

    def fit(self, X: np.ndarray, y: np.ndarray | None = None) -> DrawingFeatures:
        """Check the input; nothing is learned.

        Returns:
            self
        """
        split_rows(X)
        self.n_features_in_ = COLUMNS
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Rows of grids and paths, see :func:`~tuipad.core.drawing_rows.split_rows`."""
        grids, paths, has_path = split_rows(X)
        paths[~has_path] = np.nan
        rows: np.ndarray = np.hstack([grids, paths])
        return rows

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.allow_nan = True
        return tags
