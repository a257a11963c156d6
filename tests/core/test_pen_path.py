"""The pen's path as a model reads it: fixed length, drawn order and direction kept."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuipad.core.pen_path import POINTS, QUANTUM, WIDTH, path_features

ONE_UP = [np.array([[8, 14], [8, 8], [8, 2]])]  # a 1 drawn from the bottom up
ONE_DOWN = [stroke[::-1] for stroke in ONE_UP]
PLUS = [np.array([[4, 8], [12, 8]]), np.array([[8, 4], [8, 12]])]

points = st.tuples(st.integers(0, 60), st.integers(0, 30))
strokes = st.lists(st.lists(points, min_size=1, max_size=12), min_size=1, max_size=4)


def _steps(features: np.ndarray) -> np.ndarray:
    return features[2 * POINTS : 2 * POINTS + 2 * (POINTS - 1)].reshape(-1, 2)


@settings(max_examples=200, deadline=None)
@given(strokes)
def test_any_drawing_is_a_row_of_bytes_worth_of_values(drawn) -> None:
    features = path_features([np.array(stroke) for stroke in drawn])
    assert features.shape == (WIDTH,)
    assert np.all(np.abs(features) <= 1)
    assert np.array_equal(features * QUANTUM, np.round(features * QUANTUM))


@settings(max_examples=100, deadline=None)
@given(strokes, st.integers(-20, 20), st.integers(-20, 20), st.integers(1, 4))
def test_place_and_size_do_not_matter(drawn, dx, dy, times) -> None:
    arrays = [np.array(stroke, dtype=float) for stroke in drawn]
    moved = [stroke * times + [dx, dy] for stroke in arrays]
    difference = np.abs(path_features(arrays) - path_features(moved))
    assert difference.max() <= 1 / QUANTUM + 1e-12  # a rounding may fall the other way


def test_the_direction_of_the_pen_is_kept() -> None:
    up, down = path_features(ONE_UP), path_features(ONE_DOWN)
    assert np.allclose(_steps(up), [[0, -1]] * (POINTS - 1))
    assert np.allclose(_steps(down), [[0, 1]] * (POINTS - 1))


def test_the_order_of_the_strokes_and_the_lift_between_them_are_kept() -> None:
    across_first, down_first = path_features(PLUS), path_features(PLUS[::-1])
    assert not np.array_equal(across_first, down_first)
    lifted = across_first[-POINTS:]
    assert lifted.sum() >= 1 and set(lifted) <= {0.0, 1.0}
    assert path_features(ONE_UP)[-POINTS:].sum() == 0


def test_columns_count_half_a_row() -> None:
    """A drawing as wide in columns as it is tall in rows is half as wide on the screen."""
    square = [np.array([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]])]
    xs, ys = path_features(square)[: 2 * POINTS].reshape(-1, 2).T
    assert np.ptp(ys) == 1.0 and np.ptp(xs) == 0.5


def test_a_dot_is_a_path_and_no_point_at_all_is_refused() -> None:
    assert np.all(np.isfinite(path_features([np.array([[3, 3], [3, 3]])])))
    with pytest.raises(ValueError, match="at least one point"):
        path_features([np.zeros((0, 2))])
