"""Stray marks: taps beside a digit are left out of its reading, parts of it are not."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.raster import as_strokes, to_digits8x8
from tuipad.core.recognise import read_strokes
from tuipad.core.stray_marks import MOST_STRAY_MARKS, stray_marks

NINE = [[(36, 11), (33, 8), (28, 8), (25, 11), (27, 13), (33, 14), (36, 11), (36, 19)]]
"""A 9, 12 rows tall (rows 8 to 19), as a trial drew it."""


def strays(strokes) -> tuple[int, ...]:
    return stray_marks(as_strokes(strokes))


def test_a_tap_two_rows_above_a_digit_is_stray() -> None:
    assert strays([*NINE, [(30, 6)]]) == (1,)
    assert strays([[(30, 2)], *NINE, [(44, 19), (45, 19)]]) == (0, 2)


def test_the_reading_leaves_a_stray_tap_out() -> None:
    read, left_out = read_strokes([*NINE, [(30, 6)]])
    assert left_out == 1
    assert np.array_equal(to_digits8x8(read), to_digits8x8(NINE))


def test_parts_of_a_digit_are_not_stray() -> None:
    seven = [[(20, 5), (28, 5), (24, 17)], [(21, 11), (27, 11)]]  # a bar across the stem
    five = [[(20, 6), (20, 11), (26, 12), (26, 16), (20, 17)], [(23, 5), (28, 5)]]  # a flag apart
    touching = [*NINE, [(37, 19)]]  # a tap against the tail
    for drawing in (seven, five, touching):
        assert strays(drawing) == ()


def test_a_drawing_of_taps_alone_keeps_them() -> None:
    assert strays([[(10, 5)], [(14, 5)], [(12, 8)]]) == ()  # nothing digit-sized beside them
    assert strays([[(10, 5)], [(10, 6), (10, 7)]]) == ()  # a tiny digit is all small marks


def test_many_taps_beside_a_digit_are_a_drawing_of_dots() -> None:
    dots = [[(10 + 4 * k, 2)] for k in range(MOST_STRAY_MARKS + 1)]
    assert strays([*NINE, *dots]) == ()


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 25)), min_size=1, max_size=6))
def test_a_digit_sized_stroke_is_never_stray(taps) -> None:
    drawing = [*NINE, *[[tap] for tap in taps]]
    assert 0 not in strays(drawing)
    read, left_out = read_strokes(drawing)
    assert len(read) + left_out == len(drawing)


def test_far_reaching_ink_is_judged_by_its_lines_not_by_listing_its_cells() -> None:
    """Files may hold positions a million cells apart: the work follows the reports."""
    assert strays([[(0.5, 0.5)], [(-1e6, -1e6), (1e6, 1e6)]]) == ()  # the line runs through it
    assert strays([[(0, 10)], [(-1e6, 0), (1e6, 0)]]) == (0,)  # ten rows below the line
    zigzag = [((-1) ** step * 1e6, step / 100) for step in range(10_000)]
    assert strays([[(0, 120)], zigzag]) == (0,)
