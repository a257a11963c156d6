"""The grid and path model: two calibrated SVCs scored together, a scan by the grid part alone."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from tuipad.core import datasets
from tuipad.core.calibration import PairwiseCalibratedSVC, PathCalibratedSVC
from tuipad.core.drawing_rows import COLUMNS, drawing_rows, input_width, without_path
from tuipad.core.features import DrawingFeatures
from tuipad.core.grid_path import GridPathSVC
from tuipad.core.model_arrays import SvcArrays
from tuipad.core.pairwise import (
    combined_probabilities,
    pairwise_log_scores,
    pairwise_probabilities,
    softmax,
)
from tuipad.core.pen_path import WIDTH
from tuipad.core.pen_rendering import replay
from tuipad.core.recognise import read_strokes
from tuipad.core.to_arrays import array_model

SETTINGS = {"C": 5.0, "gamma": 0.001, "path_C": 10.0}
"""The shipped recipe's settings (plan 17, step 3)."""

SCANS = 300


@dataclass(frozen=True)
class Rows:
    """Pen digits (rows with a path), then scans (rows without), with what a fit needs."""

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    calibration_rows: np.ndarray
    drawn: int

    @property
    def has_path(self) -> np.ndarray:
        return np.arange(len(self.y)) < self.drawn

    def fit_params(self, **changed: object) -> dict[str, object]:
        params = {"groups": self.groups, "calibration_rows": self.calibration_rows} | changed
        return {f"svc__{name}": value for name, value in params.items()}


def pen_and_scan_rows(step: int = 25, scans: int = SCANS) -> Rows:
    """Every ``step``-th pen digit replayed and read as recognition reads it, and some scans."""
    pen = datasets.load_pen_digits()
    picked = np.arange(0, len(pen), step)
    read = [read_strokes(replay(pen.strokes(int(i)), rows=12))[0] for i in picked]
    scan_rows, scan_labels = datasets.load_scans()
    writers = np.unique(pen.writers[picked], return_inverse=True)[1]
    return Rows(
        X=np.vstack([drawing_rows(read, paths=True), without_path(scan_rows[:scans])]),
        y=np.r_[pen.labels[picked], scan_labels[:scans]],
        groups=np.r_[writers, 10_000 + np.arange(scans)],
        calibration_rows=np.r_[np.ones(len(picked), bool), np.zeros(scans, bool)],
        drawn=len(picked),
    )


def pipeline(**changed: object) -> Pipeline:
    svc = GridPathSVC(**(SETTINGS | changed))  # type: ignore[arg-type]
    return Pipeline([("drawing", DrawingFeatures()), ("svc", svc)])


@pytest.fixture(scope="module")
def rows() -> Rows:
    return pen_and_scan_rows()


@pytest.fixture(scope="module")
def fitted(rows) -> Pipeline:
    return pipeline().fit(rows.X, rows.y, **rows.fit_params())


@pytest.fixture(scope="module")
def model(fitted) -> GridPathSVC:
    return fitted.named_steps["svc"]


# The combination (plan step 1) --------------------------------------------------------------

decisions = arrays(float, (4, 45), elements=st.floats(-8, 8))
slopes = st.floats(0.05, 3) | arrays(float, (45,), elements=st.floats(0.05, 3))
offsets = st.floats(-2, 2)


@settings(max_examples=60, deadline=None)
@given(decisions, slopes, offsets)
def test_pairwise_probabilities_are_the_softmax_of_the_log_scores(decision, slope, offset) -> None:
    expected = softmax(pairwise_log_scores(decision, slope, offset))
    np.testing.assert_allclose(
        pairwise_probabilities(decision, slope, offset), expected, atol=1e-15, rtol=0
    )


def normalised_product_power(grid: np.ndarray, path: np.ndarray, power: np.ndarray) -> np.ndarray:
    """``(grid · path) ** power``, normalised; ``power`` is ``1 / T`` per row."""
    mean = (grid * path) ** power
    result: np.ndarray = mean / mean.sum(axis=1, keepdims=True)
    return result


def normalised_geometric_mean(grid: np.ndarray, path: np.ndarray) -> np.ndarray:
    """benchmarks/pen_paths.py's ``both`` where the parts agree, without its clip at 1e-12."""
    return normalised_product_power(grid, path, np.full((len(grid), 1), 0.5))


@settings(max_examples=60, deadline=None)
@given(decisions, decisions, slopes, slopes, offsets, offsets)
def test_with_w_1_and_t_2_the_scores_are_the_normalised_geometric_mean(
    grid_decision, path_decision, grid_slope, path_slope, grid_offset, path_offset
) -> None:
    grid = pairwise_log_scores(grid_decision, grid_slope, grid_offset)
    path = pairwise_log_scores(path_decision, path_slope, path_offset)
    has_path = np.ones(len(grid), bool)
    combined = combined_probabilities(
        grid, path, has_path, path_weight=1.0, temperature=2.0, split_temperature=None
    )
    expected = normalised_geometric_mean(softmax(grid), softmax(path))
    np.testing.assert_allclose(combined, expected, atol=1e-12, rtol=0)


@settings(max_examples=60, deadline=None)
@given(decisions, decisions, slopes, offsets, st.floats(0.5, 5), st.floats(0.5, 10))
def test_where_the_parts_read_different_digits_the_split_temperature_scores(
    grid_decision, path_decision, slope, offset, temperature, split_temperature
) -> None:
    grid = pairwise_log_scores(grid_decision, slope, offset)
    path = pairwise_log_scores(path_decision, slope, offset)
    has_path = np.ones(len(grid), bool)
    combined = combined_probabilities(
        grid,
        path,
        has_path,
        path_weight=1.0,
        temperature=temperature,
        split_temperature=split_temperature,
    )
    split = grid.argmax(axis=1) != path.argmax(axis=1)
    divisor = np.where(split, split_temperature, temperature)[:, None]
    np.testing.assert_allclose(combined, softmax((grid + path) / divisor), atol=1e-12, rtol=0)
    same = combined_probabilities(
        grid, path, has_path, path_weight=1.0, temperature=temperature, split_temperature=None
    )
    assert np.array_equal(combined[~split], same[~split])
    if split_temperature >= temperature:  # a flatter softmax: the split's top score drops
        assert (combined.max(axis=1)[split] <= same.max(axis=1)[split] + 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(
    decisions,
    decisions,
    slopes,
    offsets,
    arrays(bool, (4,)),
    st.floats(0.1, 5),
    st.floats(0.5, 5),
    st.none() | st.floats(0.5, 10),
)
def test_a_row_without_a_path_keeps_the_grid_probabilities(
    grid_decision, path_decision, slope, offset, has_path, weight, temperature, split_temperature
) -> None:
    grid = pairwise_log_scores(grid_decision, slope, offset)
    path = pairwise_log_scores(path_decision, slope, offset)
    path[~has_path] = np.nan  # not read where a row has no path
    combined = combined_probabilities(
        grid,
        path,
        has_path,
        path_weight=weight,
        temperature=temperature,
        split_temperature=split_temperature,
    )
    grid_alone = pairwise_probabilities(grid_decision, slope, offset)
    assert np.array_equal(combined[~has_path], grid_alone[~has_path])
    assert np.isfinite(combined).all()
    np.testing.assert_allclose(combined.sum(axis=1), 1.0)


# The estimator (plan step 3) ----------------------------------------------------------------


def test_rows_without_a_path_score_exactly_as_the_grid_part(fitted, model, rows) -> None:
    mixed = fitted.predict_proba(rows.X)
    grid_scores = model.grid_.predict_proba(rows.X[:, :64])
    scans = ~rows.has_path
    assert np.array_equal(mixed[scans], grid_scores[scans])
    alone = rows.X[scans]
    assert np.array_equal(fitted.predict_proba(alone), model.grid_.predict_proba(alone[:, :64]))
    grids = alone[:, :64].reshape(-1, 8, 8)
    assert np.array_equal(fitted.predict_proba(grids), model.grid_.predict_proba(grids))


def test_rows_with_a_path_score_both_parts_together(fitted, model, rows) -> None:
    drawn = rows.X[rows.has_path]
    grid = model.grid_.predict_proba(drawn[:, :64])
    path = model.path_.predict_proba(drawn[:, 64:])
    split = grid.argmax(axis=1) != path.argmax(axis=1)
    assert 0 < split.sum() < len(split) / 4  # a few rows the parts read apart
    power = 1 / np.where(split, model.split_temperature, model.temperature)[:, None]
    expected = normalised_product_power(grid, path, power)
    np.testing.assert_allclose(fitted.predict_proba(drawn), expected, atol=1e-12, rtol=0)


@pytest.mark.parametrize(
    "changed", [{"temperature": 0.0}, {"split_temperature": -1.0}, {"path_weight": float("nan")}]
)
def test_settings_the_scores_cannot_use_are_refused_before_fitting(changed, rows) -> None:
    with pytest.raises(ValueError, match="must be a positive number"):
        pipeline(**changed).fit(rows.X, rows.y, **rows.fit_params())


def test_a_model_pickled_before_the_split_temperature_scores_as_it_did(fitted, rows) -> None:
    state = dict(fitted.named_steps["svc"].__getstate__())
    del state["split_temperature"]
    older = GridPathSVC.__new__(GridPathSVC)
    older.__setstate__(state)
    drawn = rows.X[rows.has_path]
    expected = normalised_geometric_mean(
        older.grid_.predict_proba(drawn[:, :64]), older.path_.predict_proba(drawn[:, 64:])
    )
    np.testing.assert_allclose(older.predict_proba(drawn), expected, atol=1e-12, rtol=0)
    assert older.split_temperature is None and clone(older).split_temperature is None
    older_pipeline = Pipeline([("drawing", DrawingFeatures()), ("svc", older)])
    assert array_model(older_pipeline).split_temperature == older.temperature


def test_the_parts_are_todays_grid_model_and_a_path_model(model, rows) -> None:
    assert isinstance(model.grid_, PairwiseCalibratedSVC)
    assert type(model.path_) is PathCalibratedSVC
    assert np.array_equal(model.classes_, np.arange(10))
    assert np.array_equal(model.path_.classes_, model.classes_)
    assert model.path_.svc_.support_vectors_.shape[1] == WIDTH
    today = PairwiseCalibratedSVC(5.0, 0.001).fit(
        rows.X[:, :64], rows.y, rows.groups, calibration_rows=rows.calibration_rows
    )
    assert pickle.dumps(model.grid_) == pickle.dumps(today)
    assert [columns for _, columns in model.parts()] == [slice(0, 64), slice(64, COLUMNS)]


def test_the_path_part_learns_only_from_the_rows_with_a_path(model, rows) -> None:
    assert model.path_.svc_.shape_fit_[0] == rows.drawn
    paths = rows.X[rows.has_path, 64:]
    assert isinstance(model.path_gamma_, float)
    assert model.path_gamma_ == 1.0 / (WIDTH * float(paths.var()))
    assert model.path_.gamma == model.path_gamma_


def test_a_path_part_passed_in_gives_the_same_bytes_as_fitting_it(fitted, rows) -> None:
    # Fitted beside fewer scans: the path part reads only the pen rows, so it is the same.
    fewer = pen_and_scan_rows(scans=60)
    elsewhere = pipeline().fit(fewer.X, fewer.y, **fewer.fit_params())
    part = elsewhere.named_steps["svc"].path_
    passed = pipeline().fit(rows.X, rows.y, **rows.fit_params(path_part=part))
    assert passed.named_steps["svc"].path_ is part
    assert pickle.dumps(passed) == pickle.dumps(fitted)


def test_a_path_part_of_other_classes_is_refused_where_it_is_given(model, rows) -> None:
    drawn = rows.has_path & (rows.y != 9)
    other = PathCalibratedSVC(10.0, model.path_gamma_).fit(rows.X[drawn, 64:], rows.y[drawn])
    with pytest.raises(ValueError, match="same classes"):
        pipeline().fit(rows.X, rows.y, **rows.fit_params(path_part=other))
    with pytest.raises(ValueError, match="same classes"):
        model.with_parts(model.grid_, other)


def test_groups_numbered_from_elsewhere_give_the_same_path_part(model, rows) -> None:
    offset = pipeline().fit(rows.X, rows.y, **rows.fit_params(groups=rows.groups + 1000))
    assert pickle.dumps(offset.named_steps["svc"].path_) == pickle.dumps(model.path_)


@pytest.fixture(scope="module")
def scans_only(rows) -> Pipeline:
    scans = ~rows.has_path
    return pipeline().fit(rows.X[scans], rows.y[scans], svc__groups=rows.groups[scans])


def test_without_any_path_the_model_is_todays_grid_model(scans_only, rows) -> None:
    model = scans_only.named_steps["svc"]
    assert model.path_ is None and model.path_gamma_ is None
    assert len(model.parts()) == 1
    scans = ~rows.has_path
    today = PairwiseCalibratedSVC(5.0, 0.001).fit(
        rows.X[scans, :64], rows.y[scans], rows.groups[scans]
    )
    today_scores = today.predict_proba(rows.X[:, :64])
    assert np.array_equal(scans_only.predict_proba(rows.X), today_scores)  # paths are ignored
    arrays = array_model(scans_only)
    assert type(arrays) is SvcArrays and arrays.reads == "grid"
    np.testing.assert_allclose(arrays.predict_proba(rows.X[:, :64]), today_scores, atol=1e-9)


def test_a_clone_keeps_the_settings_and_the_fit_resolves_the_width(model) -> None:
    copy = clone(model)
    assert copy.path_gamma == "scale"
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "path_gamma_")
    assert type(model.path_gamma_) is float and model.path_gamma_ > 0


def test_a_copy_with_the_same_parts_gives_the_same_scores(fitted, model, rows) -> None:
    copy = model.with_parts(model.grid_, model.path_)
    assert copy is not model and copy.get_params() == model.get_params()
    assert copy.path_gamma_ == model.path_gamma_
    assert np.array_equal(copy.predict_proba(rows.X), model.predict_proba(rows.X))
    grid_only = model.with_parts(model.grid_, None)
    assert grid_only.path_gamma_ is None
    assert np.array_equal(
        grid_only.predict_proba(rows.X), model.grid_.predict_proba(rows.X[:, :64])
    )


def test_the_label_is_the_arg_max_of_the_scores(fitted, rows) -> None:
    scores = fitted.predict_proba(rows.X)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)
    assert np.array_equal(fitted.predict(rows.X), fitted.classes_[scores.argmax(axis=1)])
    assert (fitted.predict(rows.X) == rows.y).mean() > 0.95


def test_the_pipeline_reads_rows_with_paths(fitted) -> None:
    assert fitted.n_features_in_ == COLUMNS
    assert input_width(fitted) == COLUMNS


def test_a_path_partly_missing_is_refused(fitted, rows) -> None:
    broken = rows.X[:3].copy()
    broken[1, 70:] = np.nan
    with pytest.raises(ValueError, match="all numbers, or all missing"):
        fitted.predict_proba(broken)
    with pytest.raises(ValueError, match="all numbers, or all missing"):
        clone(fitted).fit(np.vstack([broken, rows.X]), np.r_[rows.y[:3], rows.y])


def test_pen_rows_lacking_a_digit_still_give_scores_or_are_refused(rows) -> None:
    """The path part learns from the pen rows alone: if they lack a digit the scans have,
    the two parts know different classes. The fit must refuse that, or the model must
    still score (today predict_proba fails on numpy broadcasting)."""
    keep = ~(rows.has_path & (rows.y == 9))
    try:
        fitted = pipeline().fit(rows.X[keep], rows.y[keep], svc__groups=rows.groups[keep])
    except ValueError:
        return  # refused at fit: fine
    scores = fitted.predict_proba(rows.X[:5])
    assert scores.shape == (5, 10)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)


def test_paths_that_are_all_one_dot_do_not_divide_by_zero(rows) -> None:
    """``path_gamma="scale"`` is 1 / (78 · var); every path a single dot has var 0."""
    X = rows.X[:60].copy()
    X[:, 64:] = 0.0  # path_features of a one-point drawing
    try:
        GridPathSVC(**SETTINGS, folds=2).fit(X, rows.y[:60])  # type: ignore[arg-type]
    except ValueError:
        pass  # a one-line refusal would do; a ZeroDivisionError does not
