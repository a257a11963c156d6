"""Adapting a fitted model to one writer: a grid+path model, and an older grid-only one.

The models are small (a twentieth of the pen digits and 300 scans) so each
adaptation takes a second; the writer adapted to is left out of their rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from tuipad.core import adaptation, datasets, pen_rendering
from tuipad.core.calibration import PairwiseCalibratedSVC, PathCalibratedSVC
from tuipad.core.drawing_rows import COLUMNS, drawing_rows, without_path
from tuipad.core.features import DrawingFeatures, GridFeatures
from tuipad.core.grid_path import GridPathSVC
from tuipad.core.model_arrays import GridPathArrays, SvcArrays
from tuipad.core.recognise import predict_grids, read_strokes
from tuipad.core.to_arrays import array_model

SAMPLES = 40
"""Personal samples of the writer adapted to."""


@pytest.fixture(scope="module")
def stranger() -> tuple[str, list[int], list]:
    """The writer with the most pen digits: its name, and its first digits replayed as
    12-row whole-cell mouse reports."""
    pen = datasets.load_pen_digits()
    names, counts = np.unique(pen.writers, return_counts=True)
    writer = str(names[counts.argmax()])
    indices = np.flatnonzero(pen.writers == writer)[:SAMPLES]
    labels = [int(pen.labels[i]) for i in indices]
    drawings = [pen_rendering.replay(pen.strokes(int(i)), rows=12, mode="cells") for i in indices]
    return writer, labels, drawings


@pytest.fixture(scope="module")
def bases(stranger) -> dict[str, Pipeline]:
    """A grid+path model and a grid-only one, fitted on the same rows without the stranger."""
    pen = datasets.load_pen_digits()
    others = np.flatnonzero(pen.writers != stranger[0])[::20]
    drawn = [read_strokes(pen_rendering.replay(pen.strokes(int(i))))[0] for i in others]
    scans, scan_labels = datasets.load_scans()
    X = np.vstack([drawing_rows(drawn, paths=True), without_path(scans[:300])])
    y = np.concatenate([pen.labels[others], scan_labels[:300]])
    fit = {
        "svc__groups": np.concatenate(
            [np.unique(pen.writers[others], return_inverse=True)[1], 10_000 + np.arange(300)]
        ),
        "svc__calibration_rows": np.arange(len(y)) < len(others),
    }
    svc = GridPathSVC(C=5.0, gamma=0.001, path_C=10.0)
    both = Pipeline([("drawing", DrawingFeatures()), ("svc", svc)]).fit(X, y, **fit)
    grid = Pipeline([("grid", GridFeatures()), ("svc", PairwiseCalibratedSVC(C=5.0, gamma=0.001))])
    return {"both": both, "grid": grid.fit(X[:, :64], y, **fit)}


@pytest.fixture(scope="module")
def adapted(bases, stranger) -> dict[str, Pipeline]:
    """Each base adapted to the stranger's samples."""
    _, labels, drawings = stranger
    return {
        name: adaptation.adapt(base, labels, drawings, copies=4, evaluate=False).estimator
        for name, base in bases.items()
    }


def _rows(drawings) -> np.ndarray:
    return drawing_rows([read_strokes(d)[0] for d in drawings], paths=True)


def test_a_grid_path_model_is_adapted_part_by_part(bases):
    parts = adaptation.support_parts(bases["both"])
    assert [columns for _, columns, _, _ in parts] == [slice(0, 64), slice(64, COLUMNS)]
    assert [support.shape[1] for _, _, support, _ in parts] == [64, COLUMNS - 64]
    for calibrated, _, support, labels in parts:
        assert len(support) == len(labels) == calibrated.svc_.n_support_.sum()
    [(_, columns, support, _)] = adaptation.support_parts(bases["grid"])
    assert columns == slice(0, 64) and support.shape[1] == 64


def test_only_a_fitted_model_of_the_default_recipe_can_be_adapted(bases):
    unfitted = Pipeline([("drawing", DrawingFeatures()), ("svc", GridPathSVC())])
    for model in (unfitted, bases["both"].steps[-1][1], object()):
        with pytest.raises(ValueError, match="only a fitted model of the default recipe"):
            adaptation.support_parts(model)


def test_adapting_a_grid_path_model_keeps_both_parts_calibrations(bases, adapted):
    base, new = bases["both"].steps[-1][1], adapted["both"].steps[-1][1]
    assert isinstance(new, GridPathSVC) and isinstance(new.path_, PathCalibratedSVC)
    assert type(adapted["both"].steps[0][1]) is DrawingFeatures
    assert new.path_gamma_ == base.path_gamma_ == new.path_.gamma
    for (part, columns), (kept, kept_columns) in zip(new.parts(), base.parts(), strict=True):
        assert columns == kept_columns and part.svc_ is not kept.svc_
        np.testing.assert_array_equal(part.slope_, kept.slope_)
        assert part.offset_ == kept.offset_
        assert part.svc_.tol == adaptation.REFIT_TOLERANCE


def test_an_adapted_model_reads_its_own_samples_surer_than_its_base(bases, adapted, stranger):
    _, labels, drawings = stranger
    rows, truth = _rows(drawings), np.array(labels)
    for name, model in adapted.items():
        predicted, scores = predict_grids(model, rows)
        assert (predicted == truth).mean() >= 0.95
        before = predict_grids(bases[name], rows)[1]
        assert _right(scores, truth).mean() > _right(before, truth).mean()


def _right(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Each row's score of its true digit."""
    return scores[np.arange(len(truth)), truth]


def test_a_grid_only_base_adapts_to_a_grid_only_model(bases, adapted):
    model = adapted["grid"]
    assert [type(step) for _, step in model.steps] == [GridFeatures, PairwiseCalibratedSVC]
    np.testing.assert_array_equal(model.steps[-1][1].slope_, bases["grid"].steps[-1][1].slope_)
    assert isinstance(array_model(model), SvcArrays)


def test_an_adapted_model_has_arrays_giving_its_scores(adapted, stranger):
    model = adapted["both"]
    arrays = array_model(model)
    assert isinstance(arrays, GridPathArrays)
    scans, _ = datasets.load_scans()
    rows = np.vstack([_rows(stranger[2]), without_path(scans[:20])])
    np.testing.assert_allclose(arrays.predict_proba(rows), model.predict_proba(rows), atol=1e-9)


def test_a_slip_of_the_key_does_not_teach_a_grid_path_model_its_digit(bases):
    ones = [[[(10.0, float(y)) for y in range(2, 16)]], [[(12.0, float(y)) for y in range(3, 15)]]]
    rows = _rows(ones)
    base = bases["both"]
    assert adaptation.read_otherwise(base, rows[:1], np.array([6])).all()
    slipped = adaptation.adapt(base, [6, 1], ones, copies=4, evaluate=False).estimator
    assert list(predict_grids(slipped, rows)[0]) == [1, 1]


def test_an_adaptation_costs_more_for_each_part_it_refits():
    grid_only = dict(adaptation.adaptation_costs(100, [7500]))
    both = dict(adaptation.adaptation_costs(100, [7500, 4600]))
    assert both["adapt"] > grid_only["adapt"] and both["render"] == grid_only["render"]
