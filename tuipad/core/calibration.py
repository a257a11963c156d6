"""Scores that mean what they say: an SVC calibrated from its pairwise margins.

A one-vs-one SVC decides each pair of digits separately.  Its one-vs-rest
scores add those decisions up as integer votes, so nearly every winner has
"9 votes" and a calibration on top of them cannot tell a sure answer from a
guess.  The margins themselves can: a digit that beats every other digit by a
wide margin is usually right, one that barely beats its runner-up often is not.

:class:`PairwiseCalibratedSVC` turns each pairwise decision value ``d`` into
the probability that the pair's first digit beats the second, ``σ(a·d + b)``
with a slope ``a`` per pair (and ``σ(−a·d + b)`` the other way), scores a
digit by the product of its probabilities of beating every other digit, and
normalises the products
(:func:`~tuipad.core.pairwise.pairwise_probabilities`). A digit's score is
therefore dominated by its weakest pairing. The slopes and ``b`` are fitted by
maximum likelihood on out-of-fold decision values, with folds that keep each
writer whole, so they describe writers the SVC has not seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from tuipad.core.grid import grid_features
from tuipad.core.pairwise import fit_slopes_offset, pairwise_probabilities
from tuipad.core.pen_path import path_rows


class PairwiseCalibratedSVC(ClassifierMixin, BaseEstimator):
    """An RBF SVC whose probabilities come from its pairwise margins.

    Parameters:
        C: SVC regularisation.
        gamma: RBF width.
        folds: Folds of the out-of-fold decision values the calibration fits on.
        n_jobs: SVCs fitted at once (on every row, on each fold's), in threads (libsvm
            lets go of the GIL).

    Attributes:
        svc_: The SVC fitted on all the rows (``decision_function_shape="ovo"``).
        classes_: Class labels.
        slope_: ``(p,)`` slope ``a`` of each pair's ``σ(a·d + b)``.
        offset_: The common offset ``b``.
    """

    def __init__(
        self, C: float = 1.0, gamma: float | str = "scale", folds: int = 3, n_jobs: int = 2
    ) -> None:
        self.C = C
        self.gamma = gamma
        self.folds = folds
        self.n_jobs = n_jobs

    def svc_input(self, X: np.ndarray) -> np.ndarray:
        """The SVC's input: 8x8 grids, checked and clipped (:func:`grid_features`)."""
        return grid_features(X)

    def plain_svc(self) -> Any:
        """An unfitted SVC with these settings, deciding pair by pair."""
        from sklearn.svm import SVC

        return SVC(C=self.C, gamma=self.gamma, decision_function_shape="ovo")

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        groups: np.ndarray | None = None,
        sample_weight: np.ndarray | None = None,
        calibration_rows: np.ndarray | None = None,
    ) -> PairwiseCalibratedSVC:
        """Fit the SVC on every row, and the calibration on out-of-fold decision values.

        Args:
            X: ``(n, 64)`` grids.
            y: ``(n,)`` labels.
            groups: Rows that must stay in one fold (a writer, a scan and its
                copies); without them, rows are folded one by one.
            sample_weight: SVC weight of each row (the calibration counts
                every row it fits on once: it describes drawings, not weights).
            calibration_rows: Boolean mask of the rows the calibration fits
                on (default: all), e.g. only drawings by pen writers.  With
                none to fit on (or no fold holding every class), the slopes
                are one and the offset zero.

        Returns:
            self
        """
        X = self.svc_input(X)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        k = len(self.classes_)
        splits = [
            (train, test)
            for train, test in _folds(X, y, groups, self.folds)
            if len(np.unique(y[train])) == k
        ]
        svc_of_every_row, *fold_svcs = self._fit_svcs(X, y, sample_weight, splits)
        decision = np.zeros((len(y), k * (k - 1) // 2))
        held_out = np.zeros(len(y), dtype=bool)  # rows whose fold's SVC lacked a class stay out
        for fold_svc, (_, test) in zip(fold_svcs, splits, strict=True):
            decision[test] = _pairwise_decision(fold_svc, X[test])
            held_out[test] = True
        if calibration_rows is not None:
            held_out &= np.asarray(calibration_rows, dtype=bool)
        y_index = np.searchsorted(self.classes_, y[held_out])
        self.slope_, self.offset_ = fit_slopes_offset(decision[held_out], y_index)
        self.svc_ = svc_of_every_row  # last: a pickle keeps the order attributes were set in
        return self

    def refitted(
        self,
        X: np.ndarray,
        y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        *,
        tol: float = 1e-3,
    ) -> PairwiseCalibratedSVC:
        """A copy whose SVC is fitted on ``(X, y)`` and whose calibration is this one's.

        For adapting a fitted model to new rows quickly: its slopes describe
        how far to trust the margins on writers the SVC never saw, which a
        few new rows cannot measure again.

        Args:
            X: ``(n, 64)`` grids.
            y: ``(n,)`` labels.
            sample_weight: SVC weight of each row.
            tol: The SVC's stopping tolerance (scikit-learn's default unless given).

        Raises:
            ValueError: ``y`` lacks one of this model's classes.
        """
        from sklearn.base import clone
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "svc_")
        X, y = self.svc_input(X), np.asarray(y)
        if not np.array_equal(np.unique(y), self.classes_):
            raise ValueError("the rows to refit on must hold every class of the model")
        copy: PairwiseCalibratedSVC = clone(self)
        copy.classes_ = self.classes_
        copy.slope_, copy.offset_ = np.array(self.slope_, copy=True), self.offset_
        copy.svc_ = self.plain_svc().set_params(tol=tol).fit(X, y, sample_weight=sample_weight)
        return copy

    def _fit_svcs(
        self,
        X: np.ndarray,
        y: np.ndarray,
        sample_weight: np.ndarray | None,
        splits: list[tuple[np.ndarray, np.ndarray]],
    ) -> list[Any]:
        """The SVC on every row, then one on each fold's training rows, fitted in threads.

        The one on every row takes longest, so it starts first, beside the folds'
        rather than after them: the threads are busy to the end.
        """
        from joblib import Parallel, delayed

        def fit_rows(rows: np.ndarray | slice) -> Any:
            weights = None if sample_weight is None else np.asarray(sample_weight)[rows]
            return self.plain_svc().fit(X[rows], y[rows], sample_weight=weights)

        row_sets: list[np.ndarray | slice] = [slice(None), *(train for train, _ in splits)]
        run = Parallel(n_jobs=self.n_jobs, backend="threading")
        return list(run(delayed(fit_rows)(rows) for rows in row_sets))

    def pairwise_decision(self, X: np.ndarray) -> np.ndarray:
        """``(n, p)`` one-vs-one decision values, positive when a pair's first class wins.

        Not scikit-learn's ``decision_function``, whose two-class form is one
        column positive for the *second* class.
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "svc_")
        return _pairwise_decision(self.svc_, self.svc_input(X))

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` probabilities, see :func:`~tuipad.core.pairwise.pairwise_probabilities`."""
        decision = self.pairwise_decision(X)
        return pairwise_probabilities(decision, self.slope_, self.offset_)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The class of highest probability."""
        labels: np.ndarray = self.classes_[self.predict_proba(X).argmax(axis=1)]
        return labels


def _pairwise_decision(svc: Any, X: np.ndarray) -> np.ndarray:
    """An SVC's one-vs-one decision values as ``(n, p)``, positive for each pair's first class.

    With two classes scikit-learn returns one column, positive for the
    *second* class, so it is turned round to match the pairs of three or more.
    """
    decision = np.asarray(svc.decision_function(X), dtype=float).reshape(len(X), -1)
    return -decision if len(svc.classes_) == 2 else decision


def _folds(X: np.ndarray, y: np.ndarray, groups: np.ndarray | None, n_splits: int) -> Any:
    """Group folds when there are enough groups, else plain folds in a fixed order."""
    from sklearn.model_selection import GroupKFold, KFold

    if groups is not None and len(np.unique(groups)) >= n_splits:
        return GroupKFold(n_splits).split(X, y, groups)
    return KFold(min(n_splits, max(2, len(y))), shuffle=True, random_state=0).split(X, y)


class PathCalibratedSVC(PairwiseCalibratedSVC):
    """The same SVC and calibration, reading the pen's path rather than the 8x8 grid.

    Its rows are :func:`~tuipad.core.pen_path.path_features`.  It is the path
    part of the default model, :class:`~tuipad.core.grid_path.GridPathSVC`.
    Being a subclass, it passes every ``isinstance`` check for a grid
    :class:`PairwiseCalibratedSVC`; the code that must tell the two apart (the
    array form, the exports, adaptation) does so by the ``GridPathSVC`` that
    holds it, never by its class.
    """

    def svc_input(self, X: np.ndarray) -> np.ndarray:
        """The SVC's input: rows of path features, checked."""
        return path_rows(X)
