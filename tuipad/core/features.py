"""The 8x8 grid as the first step of every fitted pipeline.

Every model tuipad trains is a ``Pipeline`` whose first step is
:class:`GridFeatures`, so a scan from ``load_digits``, a rasterised drawing
and an array pasted by a user all reach the classifier the same way.  The
class keeps this module's name because saved pickles refer to it here.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from tuipad.core.grid import GRID, MAX_INK, grid_features

__all__ = ["GRID", "MAX_INK", "GridFeatures", "grid_features"]


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
