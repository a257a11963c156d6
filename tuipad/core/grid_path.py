"""The default model: one SVC reading the 8x8 grid, one reading the pen's path, scored together.

The grid forgets how a digit was drawn; the path remembers it (a 1 drawn with
a long up-stroke and a 7 leave nearly the same ink but not the same path).
:class:`GridPathSVC` fits a :class:`~tuipad.core.calibration.PairwiseCalibratedSVC`
on the grids of every row and a :class:`~tuipad.core.calibration.PathCalibratedSVC`
on the paths of the rows that have one (drawings; scans have none), each
calibrated on writers it did not see, and scores a drawing by
:func:`~tuipad.core.pairwise.combined_probabilities`: a digit must convince
both to score high.  A scan is scored by the grid part alone, exactly.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from tuipad.core.calibration import PairwiseCalibratedSVC, PathCalibratedSVC
from tuipad.core.drawing_rows import GRID_COLUMNS, split_rows
from tuipad.core.pairwise import combined_probabilities, pairwise_log_scores
from tuipad.core.pen_path import WIDTH as PATH_WIDTH


class GridPathSVC(ClassifierMixin, BaseEstimator):
    """A grid SVC and a path SVC, calibrated each, scored together.

    Parameters:
        C, gamma: The grid SVC's settings.
        path_C: The path SVC's regularisation.
        path_gamma: The path SVC's RBF width; ``"scale"`` is resolved once, on
            the rows fitted, so later refits keep it.
        folds, n_jobs: As :class:`~tuipad.core.calibration.PairwiseCalibratedSVC`'s.
        path_weight, temperature, split_temperature: ``w``, ``T`` and the
            ``T`` where the parts read different digits, of
            :func:`~tuipad.core.pairwise.combined_probabilities` (None: ``T``).

    Attributes:
        classes_: Class labels.
        grid_: The fitted grid part.
        path_gamma_: The path part's RBF width, or None without a path part.
        path_: The fitted path part, or None when no row had a path.
    """

    def __init__(
        self,
        C: float = 1.0,
        gamma: float | str = "scale",
        path_C: float = 1.0,
        path_gamma: float | str = "scale",
        folds: int = 3,
        n_jobs: int = 2,
        path_weight: float = 1.0,
        temperature: float = 2.0,
        split_temperature: float | None = 5.0,
    ) -> None:
        self.C = C
        self.gamma = gamma
        self.path_C = path_C
        self.path_gamma = path_gamma
        self.folds = folds
        self.n_jobs = n_jobs
        self.path_weight = path_weight
        self.temperature = temperature
        self.split_temperature = split_temperature

    def __setstate__(self, state: dict[str, object]) -> None:
        """Unpickle; a model pickled before the split temperature scores as it did."""
        super().__setstate__({"split_temperature": None} | state)

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        groups: np.ndarray | None = None,
        sample_weight: np.ndarray | None = None,
        calibration_rows: np.ndarray | None = None,
        path_part: PathCalibratedSVC | None = None,
    ) -> GridPathSVC:
        """Fit the grid part on every row and the path part on the rows with a path.

        Arguments as :meth:`PairwiseCalibratedSVC.fit`'s, with rows of grids
        and paths (:mod:`tuipad.core.drawing_rows`), and:

        Args:
            path_part: A path part already fitted on these rows' paths (a
                training fits it once for its test and its kept model).

        Without rows with a path of every class the grid part has (scans only,
        or drawings of a few digits), there is no path part: the model reads
        grids alone.

        Returns:
            self
        """
        self._check_scoring()
        grids, paths, has_path = split_rows(X)
        y = np.asarray(y)
        grid = PairwiseCalibratedSVC(self.C, self.gamma, self.folds, self.n_jobs)
        grid.fit(grids, y, groups, sample_weight, calibration_rows)
        if path_part is None and np.array_equal(np.unique(y[has_path]), grid.classes_):
            per_row = _rows_of(has_path, groups, sample_weight, calibration_rows)
            path_part = self._fit_path(paths[has_path], y[has_path], *per_row)
        _check_parts(grid, path_part)
        self.classes_ = grid.classes_
        self.grid_ = grid
        self.path_gamma_ = None if path_part is None else float(path_part.gamma)
        self.path_ = path_part  # last: a pickle keeps the order attributes were set in
        return self

    def _check_scoring(self) -> None:
        """Refuse settings the scores cannot be computed with (NaN, or a file refused later)."""
        for name in ("path_weight", "temperature", "split_temperature"):
            value = getattr(self, name)
            if name == "split_temperature" and value is None:
                continue
            if not isinstance(value, (int, float)) or not np.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number, not {value!r}")

    def _fit_path(
        self,
        paths: np.ndarray,
        y: np.ndarray,
        groups: np.ndarray | None,
        sample_weight: np.ndarray | None,
        calibration_rows: np.ndarray | None,
    ) -> PathCalibratedSVC:
        gamma = self.path_gamma
        if gamma == "scale":  # as scikit-learn's, resolved once
            variance = float(paths.var())
            gamma = 1.0 / (PATH_WIDTH * variance) if variance > 0 else 1.0
        part = PathCalibratedSVC(self.path_C, float(gamma), self.folds, self.n_jobs)
        return part.fit(paths, y, groups, sample_weight, calibration_rows)

    def parts(self) -> list[tuple[PairwiseCalibratedSVC, slice]]:
        """The fitted parts, each with the columns of a row it reads."""
        found = [(self.grid_, slice(0, GRID_COLUMNS))]
        if self.path_ is not None:
            found.append((self.path_, slice(GRID_COLUMNS, GRID_COLUMNS + PATH_WIDTH)))
        return found

    def with_parts(
        self, grid: PairwiseCalibratedSVC, path: PathCalibratedSVC | None
    ) -> GridPathSVC:
        """A fitted copy with these parts (adaptation refits each part on its own)."""
        from sklearn.base import clone

        _check_parts(grid, path)
        copy: GridPathSVC = clone(self)
        copy.classes_ = grid.classes_
        copy.grid_ = grid
        copy.path_gamma_ = None if path is None else float(path.gamma)
        copy.path_ = path
        return copy

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` scores: both parts', or the grid part's for rows without a path."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "grid_")
        grids, paths, has_path = split_rows(X)
        grid = self.grid_
        log_scores = pairwise_log_scores(grid.pairwise_decision(grids), grid.slope_, grid.offset_)
        path_log_scores = np.zeros_like(log_scores)
        if self.path_ is None:
            has_path = np.zeros_like(has_path)
        elif has_path.any():
            path = self.path_
            decision = path.pairwise_decision(paths[has_path])
            path_log_scores[has_path] = pairwise_log_scores(decision, path.slope_, path.offset_)
        return combined_probabilities(
            log_scores,
            path_log_scores,
            has_path,
            path_weight=self.path_weight,
            temperature=self.temperature,
            split_temperature=self.split_temperature,
        )

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The class of highest probability."""
        labels: np.ndarray = self.classes_[self.predict_proba(X).argmax(axis=1)]
        return labels


def _check_parts(grid: PairwiseCalibratedSVC, path: PathCalibratedSVC | None) -> None:
    """Refuse a path part that does not score the grid part's classes (fitted elsewhere)."""
    if path is not None and not np.array_equal(path.classes_, grid.classes_):
        raise ValueError("the path part must know the same classes as the grid part")


def _rows_of(has_path: np.ndarray, *per_row: np.ndarray | None) -> tuple[np.ndarray | None, ...]:
    """Each per-row argument cut to the rows with a path; groups numbered afresh from 0."""
    cut = [None if values is None else np.asarray(values)[has_path] for values in per_row]
    if cut[0] is not None:
        cut[0] = np.unique(cut[0], return_inverse=True)[1]
    return tuple(cut)
