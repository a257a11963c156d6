"""Grid geometry: line joining, half-block pixels, the eraser and boxes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.geometry import (
    Box,
    erase,
    fit_on_canvas,
    fitted_note,
    line_cells,
    on_canvas,
    pixel_cells,
    point_pixels,
    points_box,
    segment_pixels,
)

coordinate = st.integers(min_value=-50, max_value=50)
cells = st.tuples(coordinate, coordinate)


def test_line_cells_horizontal_and_diagonal() -> None:
    assert line_cells((0, 0), (3, 0)) == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert line_cells((0, 0), (2, 2)) == [(0, 0), (1, 1), (2, 2)]
    assert line_cells((4, 4), (4, 4)) == [(4, 4)]


@given(cells, cells)
def test_line_cells_is_connected_and_ends_at_both_points(start, end) -> None:
    line = line_cells(start, end)
    assert line[0] == start and line[-1] == end
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        assert max(abs(x1 - x0), abs(y1 - y0)) == 1
    assert len(line) == max(abs(end[0] - start[0]), abs(end[1] - start[1])) + 1


def test_whole_cell_report_inks_both_halves_and_sub_cell_one() -> None:
    assert point_pixels((3.0, 2.0)) == [(3, 4), (3, 5)]
    assert point_pixels((3.2, 2.7)) == [(3, 5)]
    assert point_pixels((3.2, 2.2)) == [(3, 4)]


def test_fast_drag_that_skips_cells_is_joined() -> None:
    pixels = segment_pixels((0.0, 0.0), (10.0, 0.0))
    assert pixel_cells(pixels) == {(x, 0) for x in range(11)}


# --------------------------------------------------------------------------- eraser


def test_eraser_cuts_a_stroke_in_two() -> None:
    strokes = (tuple((float(x), 0.0) for x in range(11)),)
    left, right = erase(strokes, [(5, 0)], radius=1)
    assert left == tuple((float(x), 0.0) for x in range(4))
    assert right == tuple((float(x), 0.0) for x in range(7, 11))


def test_eraser_cuts_a_long_segment_with_no_point_under_it() -> None:
    strokes = (((0.0, 0.0), (20.0, 0.0)),)
    assert erase(strokes, [(10, 0)]) == (((0.0, 0.0),), ((20.0, 0.0),))


def test_eraser_elsewhere_changes_nothing() -> None:
    strokes = (((0.0, 0.0), (5.0, 0.0)),)
    assert erase(strokes, [(3, 10)]) is strokes


def test_eraser_removes_a_whole_stroke_and_keeps_the_others_as_they_are() -> None:
    dot = ((2.0, 2.0),)
    bar = ((0.0, 9.0), (5.0, 9.0))
    result = erase((dot, bar), [(2, 2)])
    assert result == (bar,) and result[0] is bar


# --------------------------------------------------------------------------- boxes


def test_a_box_holds_the_cells_of_its_points() -> None:
    box = points_box([(2.5, 3.0), (4.0, 7.9)])
    assert box == Box(2, 3, 5, 8)
    assert (box.width, box.height) == (3, 5)
    assert box.contains(4, 7) and not box.contains(5, 7)
    assert box.union(Box(0, 0, 1, 1)) == Box(0, 0, 5, 8)
    assert box.shifted(1, -1) == Box(3, 2, 6, 7)
    with pytest.raises(ValueError, match="no points"):
        points_box([])


def test_a_drawing_on_the_canvas_is_left_as_it_is() -> None:
    drawing = (((0.0, 0.0), (9.0, 4.0)),)
    assert on_canvas(drawing, 10, 5)
    assert not on_canvas(drawing, 9, 5) and not on_canvas((((-0.5, 2.0),),), 10, 5)
    assert fit_on_canvas(drawing, 10, 5) is drawing


def test_a_drawing_that_fits_is_centred_by_whole_cells() -> None:
    drawing = (((100.0, 50.0), (100.0, 80.0)), ((98.5, 60.25),))
    moved = fit_on_canvas(drawing, 66, 36)
    assert on_canvas(moved, 66, 36)
    strokes = zip(moved, drawing, strict=True)
    pairs = [pair for new, old in strokes for pair in zip(new, old, strict=True)]
    shifts = {(new[0] - old[0], new[1] - old[1]) for new, old in pairs}
    ((dx, dy),) = shifts  # one move for every position, by whole cells
    assert dx.is_integer() and dy.is_integer()
    assert [y for _, y in moved[0]] == [2.0, 32.0]  # 30 rows centred in 36


def test_a_drawing_larger_than_the_canvas_is_shrunk_to_the_same_shape() -> None:
    drawing = (((0.0, 0.0), (200.0, 0.0), (200.0, 100.0)),)
    fitted = fit_on_canvas(drawing, 22, 14)
    assert on_canvas(fitted, 22, 14)
    ((a, b, c),) = fitted
    assert b[0] - a[0] == pytest.approx(2 * (c[1] - b[1]), abs=0.01)
    assert b[0] - a[0] >= 22 - 1 - 2  # as large as the canvas and a margin allow


def test_the_notice_says_whether_a_fitted_drawing_was_shrunk_or_only_moved() -> None:
    large = (((0.0, 0.0), (200.0, 0.0), (200.0, 100.0)),)
    assert fitted_note(large, fit_on_canvas(large, 22, 14)).startswith("moved and shrunk onto")
    far = (((100.0, 50.0), (100.0, 80.0)),)
    assert fitted_note(far, fit_on_canvas(far, 66, 36)).startswith("moved onto")


position = st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 1000)
"""A reported position: terminals report whole cells or pixels, never finer than 1/1000."""


@given(
    st.lists(st.lists(st.tuples(position, position), min_size=1, max_size=6), min_size=1),
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=1, max_value=100),
)
def test_a_fitted_drawing_is_always_all_on_the_canvas(strokes, columns, rows) -> None:
    drawing = tuple(tuple(stroke) for stroke in strokes)
    assert on_canvas(fit_on_canvas(drawing, columns, rows), columns, rows)


def test_a_canvas_without_cells_leaves_the_drawing_alone() -> None:
    drawing = (((5.0, 5.0),),)
    assert fit_on_canvas(drawing, 0, 0) is drawing
