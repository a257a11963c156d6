"""A drawing whose outline no digit has is doubted whatever the model scores it."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.raster import as_strokes
from tuipad.core.recognise import shape_doubt

positions = st.tuples(st.floats(0, 60, allow_nan=False), st.floats(0, 30, allow_nan=False))


def test_a_tap_is_too_small_a_dash_too_flat_a_stroke_down_a_digit() -> None:
    assert shape_doubt(as_strokes([[(10, 5)]])) == "too small"
    assert shape_doubt(as_strokes([[(10, 5), (10.4, 5.2)]])) == "too small"
    assert shape_doubt(as_strokes([[(5, 5), (15, 5)]])) == "too flat"
    assert shape_doubt(as_strokes([[(5, 5), (20, 6)]])) == "too flat"
    assert shape_doubt(as_strokes([[(14, 10), (26, 12)]])) == "too flat"  # a dash dropping
    assert shape_doubt(as_strokes([[(10, 2), (10, 3)]])) == "too small"  # a slipped click
    assert shape_doubt(as_strokes([[(5, 5), (6, 5), (6, 6), (5, 6), (5, 5)]])) == "too small"
    assert shape_doubt(as_strokes([[(10, 2), (10, 4)]])) == ""  # a 1 across three rows
    assert shape_doubt(as_strokes([[(4, 2), (10, 2), (6, 10)]])) == ""


cells = st.tuples(st.integers(0, 60), st.integers(0, 30))


@given(st.lists(cells, min_size=1, max_size=20), st.integers(-20, 20), st.integers(-10, 10))
def test_where_a_drawing_lies_does_not_matter(points, dx, dy) -> None:
    moved = [(x + dx, y + dy) for x, y in points]
    assert shape_doubt(as_strokes([points])) == shape_doubt(as_strokes([moved]))


@given(st.lists(positions, min_size=1, max_size=20), st.floats(0, 0.49))
def test_a_drawing_within_half_a_row_is_never_a_digit(points, spread) -> None:
    flat = [(x, 8 + spread * np.sin(i)) for i, (x, _) in enumerate(points)]
    assert shape_doubt(as_strokes([flat])) in {"too small", "too flat"}


def test_recognising_many_at_once_answers_as_one_by_one(monkeypatch) -> None:
    from tuipad.core import recognise as recognition
    from tuipad.core.datasets import load_scans
    from tuipad.core.families import build_recipe
    from tuipad.core.recognise import recognise, recognise_each
    from tuipad.core.to_arrays import array_model

    monkeypatch.setattr(recognition, "BATCH", 2)  # three drawings: two model calls
    model = array_model(build_recipe("seed").fit(*load_scans()))  # as the app holds it
    drawings = [[[(10, 5)]], [[(4, 2), (10, 2), (6, 10)]], [[(8, 2), (8, 14)]]]
    each, alone = recognise_each(model, drawings), [recognise(model, d) for d in drawings]
    assert [p.label for p in each] == [p.label for p in alone]
    assert np.allclose([p.scores for p in each], [p.scores for p in alone])  # batched sums
    assert all((p.grid == q.grid).all() for p, q in zip(each, alone, strict=True))
    assert [p.shape_doubt for p in recognise_each(model, drawings)] == ["too small", "", ""]
    assert recognise_each(model, []) == []


def test_digits_written_side_by_side_are_doubted_parts_of_one_are_not() -> None:
    one, two = [(8, 5), (8, 17)], [(14, 6), (18, 5), (20, 8), (14, 17), (21, 17)]
    assert shape_doubt(as_strokes([one, two])) == "2 digits side by side"
    eleven = [[(8, 5), (8, 17)], [(12, 5), (12, 17)], [(16, 5), (16, 17)]]
    assert shape_doubt(as_strokes(eleven)) == "3 digits side by side"
    open_four = [[(8, 5), (6, 12), (12, 12)], [(15, 5), (15, 17)]]  # an L apart from the stem
    close = [one, [(10, 5), (10, 17)]]  # one blank column between: not enough to be two
    fast = [[(4, 5), (20, 5), (20, 17)]]  # a drag that skipped the columns of a 7's bar
    finer = [[(8.9, 5.2), (8.5, 17.4)], [(10.1, 5.3), (10.95, 17.6)]]  # cells 8 and 10, by pixels
    for drawing in (open_four, close, fast, finer):
        assert shape_doubt(as_strokes(drawing)) == ""


def test_taps_far_apart_are_too_small_and_a_dash_with_a_tap_too_flat() -> None:
    """The outline is the ink bigger than a tap: two stray clicks are no digit."""
    assert shape_doubt(as_strokes([[(10, 5)], [(40, 20)]])) == "too small"
    assert shape_doubt(as_strokes([[(28, 10), (29, 11)], [(5, 25)]])) == "too small"
    assert shape_doubt(as_strokes([[(20, 10), (25, 10)], [(40, 20)]])) == "too flat"
