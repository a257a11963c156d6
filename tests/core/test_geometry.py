"""Grid geometry: line joining, half-block pixels, the eraser and boxes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.geometry import (
    Box,
    erase,
    line_cells,
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
