"""Pen digits rendered with their pen's path: the grids stay as they were, the paths are
those of the drawings the grids are made from."""

from __future__ import annotations

import numpy as np
import pytest

from tuipad.core import datasets, pen_path, pen_rendering
from tuipad.core.families import TrainingSpec
from tuipad.core.pen_rendering import Rendering, render_each, render_pen_digits
from tuipad.core.rows import render_pen_rows

WIDTH = 64 + pen_path.WIDTH


@pytest.fixture(scope="module")
def pen() -> datasets.PenDigits:
    """150 digits from across the shipped set (both collections, many writers)."""
    digits = datasets.load_pen_digits()
    return digits.subset(range(0, len(digits), len(digits) // 150)[:150])


def test_paths_follow_the_grids_they_leave_unchanged(pen, monkeypatch) -> None:
    plain = render_pen_digits(pen, Rendering(copies=2), seed=5, jobs=1)
    drawings: list[list] = []
    replay = pen_rendering.replay

    def recorded(strokes, **where):
        drawings.append(replay(strokes, **where))
        return drawings[-1]

    monkeypatch.setattr(pen_rendering, "replay", recorded)
    X, y, writers = render_pen_digits(pen, Rendering(copies=2), seed=5, jobs=1, paths=True)
    assert X.shape == (2 * len(pen), WIDTH)
    np.testing.assert_array_equal(X[:, :64], plain[0])
    np.testing.assert_array_equal(y, plain[1])
    np.testing.assert_array_equal(writers, plain[2])
    paths = X[:, 64:]
    assert np.array_equal(paths * 64, np.rint(paths * 64)) and np.abs(paths).max() <= 1
    expected = [pen_path.path_features([np.asarray(s) for s in d]) for d in drawings]
    np.testing.assert_array_equal(paths, expected)


def test_paths_are_the_same_on_one_core_or_several(pen, monkeypatch) -> None:
    monkeypatch.setattr(pen_rendering, "_forking_is_safe", lambda: True)  # the forked path
    monkeypatch.setattr(pen_rendering, "RENDER_CHUNK", 50)  # three chunks
    here = render_pen_digits(pen, Rendering(copies=2), jobs=1, paths=True)
    forked = render_pen_digits(pen, Rendering(copies=2), jobs=2, paths=True)
    for mine, theirs in zip(here, forked, strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_no_digits_give_rows_of_the_asked_width(pen) -> None:
    none = pen.subset([])
    assert render_pen_digits(none, jobs=1)[0].shape == (0, 64)
    assert render_pen_digits(none, jobs=1, paths=True)[0].shape == (0, WIDTH)


def test_each_digit_with_its_own_seed_gets_its_path(pen) -> None:
    few = pen.slice(0, 3)
    seeds = [np.random.SeedSequence([1, index]) for index in range(3)]
    plain = render_each(few, Rendering(copies=3), seeds)
    with_paths = render_each(few, Rendering(copies=3), seeds, paths=True)
    for grids, rows in zip(plain, with_paths, strict=True):
        assert rows.shape == (3, WIDTH)
        np.testing.assert_array_equal(rows[:, :64], grids)


def test_pen_rows_keep_the_paths_beside_the_grids(pen) -> None:
    rows = render_pen_rows(TrainingSpec(family="knn", pen=True, augment=True), pen)
    X, y, _ = render_pen_digits(pen, Rendering(copies=2), paths=True)
    np.testing.assert_array_equal(rows.X, X[:, :64])
    np.testing.assert_array_equal(rows.paths, X[:, 64:])
    np.testing.assert_array_equal(rows.y, y)
    assert rows.paths.shape == (len(rows.y), pen_path.WIDTH)
