"""Fitting primitives shared by every training: rows, progress, stopping, grouped fits.

:mod:`tuipad.core.training` (model families and recipes) and
:mod:`tuipad.core.personal` (the personal retrain) both fit through here, so a
calibrated SVC is always calibrated on folds that keep near-duplicates
together, and every long fit reports progress and stops when asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tuipad.core.families import MLP_EPOCHS, SVC_GRID, GroupedFolds

ProgressCallback = Callable[[str, float], None]
"""Called with a stage name and the fraction done (0..1)."""


class TrainingCancelled(Exception):
    """Raised inside a training when its ``should_stop`` says so."""


@dataclass(frozen=True)
class TrainingData:
    """Rows to fit on, with where they came from.

    Attributes:
        X: ``(n, 64)`` grids, or ``(n, 142)`` grids and paths for a model
            reading them (:mod:`tuipad.core.drawing_rows`).
        y: ``(n,)`` labels.
        sources: Human-readable list of what went in.
        groups: Rows that must not be split across calibration folds share a
            group: a scan and its distorted copies, all drawings of a writer.
        calibration_rows: Boolean mask of the rows whose out-of-fold scores
            the calibration fits on (``None``: all): the drawings by writers.
    """

    X: np.ndarray
    y: np.ndarray
    sources: tuple[str, ...]
    groups: np.ndarray | None = None
    calibration_rows: np.ndarray | None = None


def fit_grouped(
    estimator: Any, data: TrainingData, *, folds: int | None = None, **fit_params: Any
) -> Any:
    """Fit a pipeline; a calibrated SVC calibrates on folds that keep groups whole.

    Near-duplicates across calibration folds (a writer's digits, a scan and its
    copies) would make the scores overconfident, so the folds follow
    ``data.groups``.  The pairwise calibration fits only on
    ``data.calibration_rows`` when they are given (drawings by held-out
    writers are what it must describe).  The folds run in threads: libsvm lets
    go of the GIL to fit and to score, and thread workers need no file
    descriptors (under Textual, loky's process workers fail for want of a real
    stderr).

    Args:
        estimator: An unfitted tuipad pipeline.
        data: The rows, with their groups.
        folds: Calibration folds (default: the estimator's own).
        **fit_params: Passed to ``Pipeline.fit`` (e.g. ``svc__sample_weight``).

    Returns:
        The fitted estimator.
    """
    from joblib import parallel_config

    from tuipad.core.calibration import PairwiseCalibratedSVC
    from tuipad.core.grid_path import GridPathSVC

    pairwise = (PairwiseCalibratedSVC, GridPathSVC)
    calibrated = estimator.named_steps.get("svc")
    if isinstance(calibrated, pairwise):
        if folds is not None:
            calibrated.set_params(folds=folds)
        fit_params = {
            "svc__groups": data.groups,
            "svc__calibration_rows": data.calibration_rows,
            **fit_params,
        }
    elif calibrated is not None and data.groups is not None:
        calibrated.set_params(cv=GroupedFolds(data.groups, folds or 5))
    with parallel_config(backend="threading"):
        estimator.fit(data.X, data.y, **fit_params)
    if calibrated is not None and not isinstance(calibrated, pairwise):
        calibrated.set_params(cv=GroupedFolds(None))
    return estimator


def tune_svc(
    data: TrainingData,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Pick ``C`` and ``gamma`` from :data:`SVC_GRID` by grouped 3-fold accuracy."""
    from sklearn.model_selection import GroupKFold
    from sklearn.svm import SVC

    folds = list(GroupKFold(3).split(data.X, data.y, data.groups))
    grid = [{"C": c, "gamma": g} for c in SVC_GRID["C"] for g in SVC_GRID["gamma"]]
    best, best_score = grid[0], -1.0
    for number, params in enumerate(grid):
        if should_stop():
            raise TrainingCancelled
        if progress:
            progress(f"tuning SVC: C={params['C']:g} gamma={params['gamma']:g}", number / len(grid))
        scores = []
        for train, test in folds:
            svc = SVC(**params).fit(data.X[train], data.y[train])
            scores.append(float((svc.predict(data.X[test]) == data.y[test]).mean()))
        if np.mean(scores) > best_score:
            best, best_score = params, float(np.mean(scores))
    return best


def fit_mlp_by_epochs(
    estimator: Any,
    data: TrainingData,
    stage: str,
    progress: ProgressCallback | None,
    should_stop: Callable[[], bool],
    *,
    epochs: int = MLP_EPOCHS,
) -> None:
    """Fit the scaler, then the network an epoch at a time, so it can stop and report."""
    scaler, mlp = estimator.named_steps["scale"], estimator.named_steps["mlp"]
    features = estimator.named_steps["grid"]
    X = scaler.fit_transform(features.fit_transform(data.X))
    rng = np.random.default_rng(mlp.random_state)
    classes = np.arange(10)
    for epoch in range(epochs):
        if should_stop():
            raise TrainingCancelled
        order = rng.permutation(len(X))
        mlp.partial_fit(X[order], data.y[order], classes=classes)
        if progress:
            progress(stage, (epoch + 1) / epochs)
