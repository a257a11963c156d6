"""The pairwise calibration: scores from the SVC's margins, fitted on held-out groups."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tuipad.core import datasets
from tuipad.core.calibration import PairwiseCalibratedSVC
from tuipad.core.pairwise import pair_classes, pairwise_probabilities
from tuipad.core.recognise import CONTENDER_LEAST, UNSURE_BELOW, contenders, doubt_text


@pytest.fixture(scope="module")
def halves() -> tuple[np.ndarray, ...]:
    X, y = datasets.load_scans()
    return datasets.seed_split(X, y)


@pytest.fixture(scope="module")
def model(halves) -> PairwiseCalibratedSVC:
    X_train, _, y_train, _ = halves
    return PairwiseCalibratedSVC(C=5, gamma=0.001).fit(X_train, y_train)


def test_scores_are_probabilities_and_the_label_is_their_arg_max(model, halves) -> None:
    _, X_test, _, y_test = halves
    proba = model.predict_proba(X_test)
    assert proba.shape == (len(X_test), 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(model.predict(X_test), model.classes_[proba.argmax(axis=1)])
    assert (model.predict(X_test) == y_test).mean() > 0.96


def test_the_scores_are_the_pairwise_arithmetic_of_the_decision_values(model, halves) -> None:
    _, X_test, _, _ = halves
    decision = model.pairwise_decision(X_test)
    assert decision.shape == (len(X_test), 45)
    expected = pairwise_probabilities(decision, model.slope_, model.offset_)
    np.testing.assert_allclose(model.predict_proba(X_test), expected)


def test_wrong_answers_score_lower_than_right_ones(model, halves) -> None:
    _, X_test, _, y_test = halves
    proba = model.predict_proba(X_test)
    top = proba.max(axis=1)
    right = proba.argmax(axis=1) == y_test
    assert top[~right].mean() < top[right].mean() - 0.2


def test_groups_stay_whole_in_the_calibration_folds(halves) -> None:
    from tuipad.core.calibration import _folds

    X_train, _, y_train, _ = halves
    groups = np.arange(len(y_train)) // 10
    for train, test in _folds(X_train, y_train, groups, 3):
        assert not set(groups[train]) & set(groups[test])


def test_two_classes_are_read_the_right_way_round(halves) -> None:
    X_train, X_test, y_train, y_test = halves
    pick, test_pick = np.isin(y_train, (3, 8)), np.isin(y_test, (3, 8))
    binary = PairwiseCalibratedSVC(C=5, gamma=0.001).fit(X_train[pick], y_train[pick])
    assert (binary.predict(X_test[test_pick]) == y_test[test_pick]).mean() > 0.95


@given(arrays(float, (3, 45), elements=st.floats(-1e6, 1e6)), st.floats(0.01, 50))
def test_pairwise_probabilities_are_finite_and_sum_to_one(decision, slope) -> None:
    proba = pairwise_probabilities(decision, slope, 0.5)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_a_digit_that_beats_every_other_widely_is_sure() -> None:
    decision = np.zeros((2, 45))
    for p, (i, j) in enumerate(pair_classes(10)):
        if i == 3:
            decision[0, p] = 5.0
        elif j == 3:
            decision[0, p] = -5.0
    proba = pairwise_probabilities(decision, 3.0, 0.0)
    assert proba[0].argmax() == 3 and proba[0, 3] > 0.99
    np.testing.assert_allclose(proba[1], 0.1)  # no preference at all: uniform


def test_doubt_names_the_contenders_only_when_the_top_score_is_low() -> None:
    sure = [0.0] * 10
    sure[7] = 1.0
    assert contenders(sure) == ()
    unsure = [0.0] * 10
    unsure[3], unsure[9], unsure[5] = 0.5, 0.4, CONTENDER_LEAST / 2
    assert contenders(unsure) == (3, 9)
    assert doubt_text(contenders(unsure)) == "3 or 9?"
    assert doubt_text((3, 9, 5)) == "3, 9 or 5?"
    assert doubt_text((4,)) == "4?"
    alone = [(1 - UNSURE_BELOW) / 9] * 10
    alone[2] = UNSURE_BELOW - 0.01
    assert contenders(alone) == (2,)


def test_the_calibration_fits_one_slope_per_pair_with_the_right_gradient() -> None:
    from scipy.optimize import check_grad

    from tuipad.core.pairwise import _loss, fit_slopes_offset

    rng = np.random.default_rng(0)
    decision = rng.normal(size=(300, 45)) * 2
    y_index = rng.integers(0, 10, 300)
    start = np.r_[rng.normal(size=45) * 0.3, 0.2]
    for prior in (np.zeros(45), None):
        params = start if prior is not None else start[[0, -1]]
        gap = check_grad(
            lambda x, p=prior: _loss(x, decision, y_index, p)[0],
            lambda x, p=prior: _loss(x, decision, y_index, p)[1],
            params,
        )
        assert gap < 1e-4
    slopes, offset = fit_slopes_offset(decision, y_index)
    assert slopes.shape == (45,) and np.all(slopes > 0) and np.isfinite(offset)


def test_an_unfitted_model_says_so() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        PairwiseCalibratedSVC().predict_proba(np.zeros((1, 64)))


def test_perfectly_separated_rows_keep_a_finite_slope(halves) -> None:
    X_train, _, y_train, _ = halves
    pick = np.isin(y_train, (0, 1))
    binary = PairwiseCalibratedSVC(C=5, gamma=0.001).fit(X_train[pick], y_train[pick])
    assert np.all(binary.slope_ < 100)


def test_the_pen_digits_render_in_processes_only_where_forking_is_safe(monkeypatch) -> None:
    import multiprocessing
    import sys
    import threading

    from tuipad.core.pen_rendering import _forking_is_safe

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert _forking_is_safe()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not _forking_is_safe()  # another thread might hold a lock
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert not _forking_is_safe()  # the app's training child
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", False, raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not _forking_is_safe()


def _strokes_along(rng: np.random.Generator, upwards: bool) -> list[np.ndarray]:
    """A slightly bent upright line, drawn up or down: the same ink either way."""
    rows = np.arange(2, 15)
    stroke = np.column_stack([8 + np.round(rng.normal(0, 0.6) * (rows - 2) / 6), rows])
    return [stroke[::-1] if upwards else stroke]


def test_the_path_model_tells_apart_what_the_grid_cannot() -> None:
    from tuipad.core.calibration import PathCalibratedSVC
    from tuipad.core.pen_path import WIDTH, path_features
    from tuipad.core.raster import to_digits8x8

    rng = np.random.default_rng(0)
    drawn = [(_strokes_along(rng, bool(n % 2)), n % 2) for n in range(80)]
    X = np.array([path_features(strokes) for strokes, _ in drawn])
    y = np.array([label for _, label in drawn])
    model = PathCalibratedSVC(C=10, gamma="scale", folds=2).fit(X[:60], y[:60])
    assert (model.predict(X[60:]) == y[60:]).all()
    first = drawn[0][0]
    assert np.array_equal(to_digits8x8(first), to_digits8x8([first[0][::-1]]))  # the same grid
    with pytest.raises(ValueError, match=f"rows of {WIDTH} path features"):
        model.predict(np.zeros((1, 64)))
