"""A drawing as a model's input row: its 8x8 grid, and the pen's path when the model reads it.

The grid models read the 64 cells of ``load_digits``.  A model that also reads
the pen's path (:mod:`tuipad.core.pen_path`) takes rows of :data:`COLUMNS`:
the grid, then the path.  A scan, or an 8x8 array pasted by a user, has no
path: its path columns are NaN, and such a model reads it by its grid alone.
:func:`rows_for` gives any model the rows it reads, so every caller can pass
grids or full rows alike.  numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tuipad.core.grid import GRID, grid_features
from tuipad.core.pen_path import WIDTH as PATH_WIDTH
from tuipad.core.pen_path import path_features
from tuipad.core.raster import to_digits8x8

GRID_COLUMNS = GRID * GRID
"""Columns of a grid row."""

COLUMNS = GRID_COLUMNS + PATH_WIDTH
"""Columns of a row with the pen's path: the grid's, then the path's."""


def drawing_rows(drawings: Sequence[Sequence[np.ndarray]], *, paths: bool) -> np.ndarray:
    """Rows of drawings whose strokes are already read (stray marks left out).

    Args:
        drawings: Each drawing's strokes, canvas cells, at least one point each.
        paths: Add the pen's path after the grid.

    Returns:
        ``(n, 64)`` grids, or ``(n, COLUMNS)`` with ``paths``.
    """
    width = COLUMNS if paths else GRID_COLUMNS
    rows = np.zeros((len(drawings), width))
    for row, strokes in zip(rows, drawings, strict=True):
        row[:GRID_COLUMNS] = to_digits8x8(strokes).ravel()
        if paths:
            row[GRID_COLUMNS:] = path_features(strokes)
    return rows


def without_path(grids: np.ndarray) -> np.ndarray:
    """``(n, COLUMNS)`` rows of grids that have no path (scans): NaN where the path goes.

    The grids are checked and clipped (:func:`~tuipad.core.grid.grid_features`).
    """
    flat = grid_features(grids)
    return np.hstack([flat, np.full((len(flat), PATH_WIDTH), np.nan)])


def split_rows(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A path model's input parted into grids, paths, and which rows have a path.

    Args:
        X: ``(n, COLUMNS)`` rows, or 8x8 grids (rows without a path).

    Returns:
        ``(grids (n, 64) checked and clipped, paths (n, 78) with zeros where
        there is none, has_path (n,))``.

    Raises:
        ValueError: A shape that is neither, or a path partly missing.
    """
    array = np.asarray(X, dtype=float)
    if array.ndim != 2 or array.shape[1] != COLUMNS:
        grids = grid_features(array)
        return grids, np.zeros((len(grids), PATH_WIDTH)), np.zeros(len(grids), dtype=bool)
    path = array[:, GRID_COLUMNS:]
    missing = np.isnan(path)
    has_path = ~missing.any(axis=1)
    if (~missing[~has_path]).any() or not np.isfinite(path[has_path]).all():
        raise ValueError("a row's path must be all numbers, or all missing (NaN)")
    return grid_features(array[:, :GRID_COLUMNS]), np.where(missing, 0.0, path), has_path


def input_width(model: Any) -> int:
    """Columns a model reads: :data:`COLUMNS` for a path model, else 64."""
    return int(getattr(model, "n_features_in_", GRID_COLUMNS))


def rows_for(model: Any, X: np.ndarray) -> np.ndarray:
    """The rows ``model`` reads, from grids or from rows with paths.

    A grid model given rows with paths reads their grids; a path model given
    grids reads them as rows without a path.
    """
    array = np.asarray(X, dtype=float)
    has_columns = array.ndim == 2 and array.shape[1] == COLUMNS
    if input_width(model) == COLUMNS:
        return array if has_columns else without_path(array)
    return array[:, :GRID_COLUMNS] if has_columns else array
