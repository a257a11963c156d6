"""How a personal model is measured: samples held back, and a plain SVC beside a full refit.

An adaptation (:mod:`tuipad.core.adaptation`) and a full refit
(:func:`tuipad.core.personal.train_personal`) both hold back an evenly spread
share of each digit's personal samples (:func:`hold_back`) and measure the
model made without them.  A full refit takes a minute, so its figures come
from a plain SVC of the grids instead (the grid part's settings and weights,
no calibration) fitted beside the kept model on the same rows less the test
scans and the held-back samples (:func:`full_refit_figures`).

Pure: no files, no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tuipad.core.drawing_rows import GRID_COLUMNS
from tuipad.core.families import build_recipe
from tuipad.core.fitting import TrainingData
from tuipad.core.recognise import predict_grids

if TYPE_CHECKING:
    from tuipad.core.personal import PersonalRows

HOLD_BACK = 0.2
"""Share of each digit's samples held back to measure the personal model (rounded)."""


def hold_back(labels: Sequence[int] | np.ndarray, share: float = HOLD_BACK) -> np.ndarray:
    """Which samples to hold back for evaluation: an evenly spread share of each digit.

    ``round(share * n)`` of a digit's ``n`` samples are held back, spread
    over the order they were given (with 0.2: the 5th and 10th of ten, the
    4th of four, none of two).

    Returns:
        A boolean mask, true for held-back samples.
    """
    digits = np.asarray(labels)
    mask = np.zeros(len(digits), dtype=bool)
    for digit in np.unique(digits):
        positions = np.flatnonzero(digits == digit)
        count = int(np.floor(share * len(positions) + 0.5))
        if count:
            picks = np.floor((np.arange(count) + 1) * len(positions) / count).astype(int) - 1
            mask[positions[picks]] = True
    return mask


def combine_rows(
    base: TrainingData, X: np.ndarray, y: np.ndarray, owner: np.ndarray, weight: float
) -> tuple[TrainingData, np.ndarray]:
    """Base rows plus personal rows, with groups and sample weights.

    The personal rows keep the base's columns: grids, or grids and paths.
    """
    base_groups = base.groups if base.groups is not None else np.arange(len(base.y))
    first = int(base_groups.max()) + 1 if len(base_groups) else 0
    by_writers = base.calibration_rows
    if by_writers is None:
        by_writers = np.ones(len(base.y), dtype=bool)
    data = TrainingData(
        np.vstack([base.X, X[:, : base.X.shape[1]]]),
        np.concatenate([base.y, y]),
        base.sources,
        np.concatenate([base_groups, first + owner]),
        calibration_rows=np.concatenate([by_writers, np.ones(len(y), dtype=bool)]),
    )
    weights = np.concatenate([np.ones(len(base.y)), np.full(len(y), weight)])
    return data, weights


def _plain_svc(data: TrainingData, weights: np.ndarray) -> Any:
    """The recipe's grid SVC without calibration, on the grids: quick, for the figures only."""
    from tuipad.core.calibration import PairwiseCalibratedSVC

    recipe = build_recipe("default").named_steps["svc"]
    svc = PairwiseCalibratedSVC(recipe.C, recipe.gamma).plain_svc()
    return svc.fit(data.X[:, :GRID_COLUMNS], data.y, sample_weight=weights)


def full_refit_figures(
    base: TrainingData, rows: PersonalRows, weight: float, bundled: Any
) -> dict[str, Any]:
    """Figures from a plain SVC trained without the test scans and held-back samples.

    Runs in a thread beside the calibrated fit, so it reports no progress.
    """
    from tuipad.core import datasets

    X_personal, y_personal, owner = rows
    n_scans = len(datasets.load_scans()[1])
    groups = base.groups if base.groups is not None else np.arange(len(base.y))
    half = len(datasets.seed_split(np.zeros(n_scans), np.zeros(n_scans))[2])
    # Scan rows carry the scan's index as their group (copies too); pen rows come after.
    keep = (groups < half) | (groups >= n_scans)
    n_samples = int(owner.max()) + 1 if len(owner) else 0
    held = hold_back(y_personal[:n_samples])
    train_rows = ~held[owner] if n_samples else np.zeros(0, dtype=bool)
    trimmed = TrainingData(base.X[keep], base.y[keep], base.sources, groups[keep])
    data, weights = combine_rows(
        trimmed, X_personal[train_rows], y_personal[train_rows], owner[train_rows], weight
    )
    svc = _plain_svc(data, weights)
    scans_test = (groups >= half) & (groups < n_scans) & (np.arange(len(groups)) < n_scans)
    scan_grids = base.X[scans_test][:, :GRID_COLUMNS]
    test_accuracy = float((svc.predict(scan_grids) == base.y[scans_test]).mean())
    metrics: dict[str, Any] = {
        "test_accuracy": round(test_accuracy, 6),
        "personal_held_back": int(held.sum()),
        "personal_accuracy": None,
        "personal_before": None,
        "protocol": "plain SVC of the grids (the grid part's settings, same weights,"
        " uncalibrated) trained on the first half of load_digits, the pen digits and the"
        " personal samples not held back; tested on"
        f" the second half ({int(scans_test.sum())} scans) and on {HOLD_BACK:.0%} of each"
        " digit's personal samples, beside the shipped model reading their grids alone",
    }
    if held.any():
        exact = X_personal[:n_samples][held]
        truth = y_personal[:n_samples][held]
        read = svc.predict(exact[:, :GRID_COLUMNS])
        metrics["personal_accuracy"] = round(float((read == truth).mean()), 6)
        if bundled is not None:
            # The grids alone, as the plain SVC reads them: a fair before and after.
            predicted, _ = predict_grids(bundled, exact[:, :GRID_COLUMNS])
            metrics["personal_before"] = round(float((predicted == truth).mean()), 6)
    return metrics
