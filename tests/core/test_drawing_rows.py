"""Drawing rows: a drawing's 8x8 grid, then the pen's path, NaN where a row has none."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tuipad.core import datasets
from tuipad.core.drawing_rows import (
    COLUMNS,
    drawing_rows,
    input_width,
    rows_for,
    split_rows,
    without_path,
)
from tuipad.core.pen_path import QUANTUM, WIDTH, path_features
from tuipad.core.raster import to_digits8x8
from tuipad.core.recognise import read_strokes

PARTLY = "all numbers, or all missing"
"""What a row whose path is partly missing is refused with."""


@pytest.fixture(scope="module")
def read(writer_drawings) -> list[list[np.ndarray]]:
    """One writer's forty replayed digits, stray marks left out as recognition does."""
    _, drawings = writer_drawings
    return [read_strokes(drawing)[0] for drawing in drawings]


@pytest.fixture(scope="module")
def scans() -> np.ndarray:
    X, _ = datasets.load_scans()
    return X[:50]


def test_the_width_is_the_grid_then_the_path() -> None:
    assert COLUMNS == 64 + WIDTH == 142


def test_the_grid_columns_are_the_raster_and_the_path_columns_the_path(read) -> None:
    rows = drawing_rows(read, paths=True)
    assert rows.shape == (len(read), COLUMNS)
    for row, strokes in zip(rows, read, strict=True):
        assert np.array_equal(row[:64], to_digits8x8(strokes).ravel())
        assert np.array_equal(row[64:], path_features(strokes))
    assert np.array_equal(drawing_rows(read, paths=False), rows[:, :64])
    assert np.isfinite(rows).all()
    assert np.array_equal(rows[:, 64:] * QUANTUM, np.rint(rows[:, 64:] * QUANTUM))


points = st.lists(
    st.tuples(st.floats(0, 60, width=32), st.floats(0, 30, width=32)), min_size=1, max_size=12
)
strokes_lists = st.lists(points.map(np.array), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(st.lists(strokes_lists, min_size=1, max_size=3))
def test_any_drawing_gives_its_grid_and_its_path(drawings: list[list[np.ndarray]]) -> None:
    rows = drawing_rows(drawings, paths=True)
    grids, paths, has_path = split_rows(rows)
    assert has_path.all()
    for grid, path, strokes in zip(grids, paths, drawings, strict=True):
        assert np.array_equal(grid, to_digits8x8(strokes).ravel())
        assert np.array_equal(path, path_features(strokes))


def test_no_drawings_give_no_rows() -> None:
    assert drawing_rows([], paths=True).shape == (0, COLUMNS)
    assert drawing_rows([], paths=False).shape == (0, 64)


def test_a_scan_has_no_path(scans) -> None:
    rows = without_path(scans)
    assert rows.shape == (len(scans), COLUMNS)
    assert np.array_equal(rows[:, :64], scans)
    assert np.isnan(rows[:, 64:]).all()
    assert np.array_equal(without_path(scans.reshape(-1, 8, 8)), rows, equal_nan=True)


def test_rows_split_back_into_grids_and_paths(read, scans) -> None:
    drawn = drawing_rows(read, paths=True)
    grids, paths, has_path = split_rows(np.vstack([drawn, without_path(scans)]))
    assert np.array_equal(has_path, np.r_[np.ones(len(read), bool), np.zeros(len(scans), bool)])
    assert np.array_equal(grids, np.vstack([drawn[:, :64], scans]))
    assert np.array_equal(paths[: len(read)], drawn[:, 64:])
    assert (paths[len(read) :] == 0).all()


@pytest.mark.parametrize("shape", [(-1, 64), (-1, 8, 8)], ids=["rows of 64", "8x8 grids"])
def test_bare_grids_are_rows_without_a_path(scans, shape) -> None:
    grids, paths, has_path = split_rows(scans.reshape(shape))
    assert np.array_equal(grids, scans)
    assert paths.shape == (len(scans), WIDTH) and (paths == 0).all()
    assert not has_path.any()


def test_grids_are_clipped_as_the_grid_models_clip_them() -> None:
    rows = without_path(np.full((2, 64), 40.0))
    rows[1, :64] = -3.0
    grids, _, _ = split_rows(rows)
    assert grids[0].tolist() == [16.0] * 64 and grids[1].tolist() == [0.0] * 64


@settings(max_examples=60, deadline=None)
@given(
    arrays(float, (3, COLUMNS), elements=st.floats(-1, 16)),
    st.lists(st.sampled_from(["path", "none", "partly"]), min_size=3, max_size=3),
    st.integers(0, WIDTH - 2),
)
def test_a_path_partly_missing_is_refused(rows: np.ndarray, kinds: list[str], at: int) -> None:
    rows = rows.copy()
    for row, kind in zip(rows, kinds, strict=True):
        if kind == "none":
            row[64:] = np.nan
        elif kind == "partly":
            row[64 + at :: 2] = np.nan
    if "partly" in kinds:
        with pytest.raises(ValueError, match=PARTLY):
            split_rows(rows)
    else:
        _, _, has_path = split_rows(rows)
        assert has_path.tolist() == [kind == "path" for kind in kinds]


@pytest.mark.parametrize(
    "fill",
    [np.inf, -np.inf, "nan and inf"],
    ids=["all +inf", "all -inf", "NaN and inf"],
)
def test_a_path_of_infinities_is_not_a_missing_path(scans, fill) -> None:
    """Plan step 2: a row's path is all finite or all NaN, anything else is refused."""
    rows = without_path(scans[:2])
    if fill == "nan and inf":
        rows[0, 64::2] = np.inf
    else:
        rows[0, 64:] = fill
    with pytest.raises(ValueError):
        split_rows(rows)


@pytest.mark.parametrize("width", [0, 63, 65, WIDTH, COLUMNS - 1, COLUMNS + 1, 2 * COLUMNS])
def test_other_widths_are_refused(width) -> None:
    with pytest.raises(ValueError, match="expected 8x8 grids"):
        split_rows(np.zeros((2, width)))


@pytest.mark.parametrize("shape", [(COLUMNS,), (64,), (2, 8, 9), (2, 2, COLUMNS)])
def test_other_shapes_are_refused(shape) -> None:
    with pytest.raises(ValueError, match="expected 8x8 grids"):
        split_rows(np.zeros(shape))


path_model = SimpleNamespace(n_features_in_=COLUMNS)
grid_model = SimpleNamespace(n_features_in_=64)


def test_a_model_reads_64_columns_unless_it_says_otherwise() -> None:
    assert input_width(SimpleNamespace()) == 64
    assert input_width(grid_model) == 64
    assert input_width(path_model) == COLUMNS


@pytest.mark.parametrize("shape", [(-1, 64), (-1, 8, 8)], ids=["rows of 64", "8x8 grids"])
def test_a_path_model_given_grids_reads_them_without_a_path(scans, shape) -> None:
    rows = rows_for(path_model, scans.reshape(shape))
    assert np.array_equal(rows, without_path(scans), equal_nan=True)


def test_a_path_model_given_rows_with_paths_reads_them_as_they_are(read, scans) -> None:
    rows = np.vstack([drawing_rows(read, paths=True), without_path(scans)])
    assert np.array_equal(rows_for(path_model, rows), rows, equal_nan=True)


def test_a_grid_model_given_rows_with_paths_reads_their_grids(read, scans) -> None:
    rows = np.vstack([drawing_rows(read, paths=True), without_path(scans)])
    for model in (grid_model, SimpleNamespace()):
        assert np.array_equal(rows_for(model, rows), rows[:, :64])
        assert np.array_equal(rows_for(model, scans), scans)


@pytest.mark.parametrize("shape", [(0, 64), (0, 8, 8)])
def test_no_grids_are_no_rows(shape) -> None:
    assert without_path(np.zeros(shape)).shape == (0, COLUMNS)
