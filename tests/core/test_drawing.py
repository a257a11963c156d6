"""The one check every drawing passes: strokes of [x, y] pairs of finite numbers."""

from __future__ import annotations

import numpy as np
import pytest

from tuipad.core.drawing import (
    as_point,
    checked_number,
    checked_point,
    checked_strokes,
    normalise_strokes,
)


def test_numbers_keep_their_kind_and_numpy_scalars_become_plain() -> None:
    assert checked_strokes([[[1, 2.5]], [(np.int64(3), np.float32(0.5))]]) == (
        ((1, 2.5),),
        ((3, 0.5),),
    )
    assert type(checked_number(np.int64(3))) is int
    assert type(checked_number(np.float64(0.5))) is float


def test_empty_strokes_are_dropped() -> None:
    assert checked_strokes([[], [[1, 1]], ()]) == (((1, 1),),)
    assert checked_strokes([]) == ()


@pytest.mark.parametrize(
    ("strokes", "message"),
    [
        ("12", "strokes must be a list"),
        ({"strokes": []}, "strokes must be a list"),
        (3, "strokes must be a list"),
        ([3], "strokes must be a list"),
        (["ab"], "a stroke must be a list"),
        ([[[1]]], "pair"),
        ([[[1, 2, 3]]], "pair"),
        ([["12"]], "pair"),
        ([[[1, "2"]]], "numbers"),
        ([[[True, 2]]], "numbers"),
        ([[[None, 2]]], "numbers"),
        ([[[1, float("nan")]]], "finite"),
        ([[[float("inf"), 0]]], "finite"),
    ],
)
def test_anything_else_is_one_value_error(strokes: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        checked_strokes(strokes)


def test_a_point_is_a_pair_of_finite_numbers() -> None:
    assert checked_point([4, 2.5]) == (4, 2.5)
    assert as_point((4, 2)) == (4.0, 2.0) and type(as_point((4, 2))[0]) is float
    with pytest.raises(ValueError, match="pair"):
        checked_point(7)


def test_normalise_gives_immutable_floats_and_one_message() -> None:
    assert normalise_strokes([[[1, 2], [3.5, 4]]]) == (((1.0, 2.0), (3.5, 4.0)),)
    with pytest.raises(ValueError, match=r"a stroke must be a list of \[x, y\] numbers"):
        normalise_strokes([[[1, float("nan")]]])


def test_a_bad_value_is_quoted_as_its_json_file_spells_it() -> None:
    from tuipad.core.drawing import spelled

    assert spelled(True) == "true" and spelled("3") == '"3"' and spelled(None) == "null"
    assert spelled(12.5) == "12.5" and spelled([1, 2]) == "[1, 2]"
    long = spelled(10**4000)
    assert len(long) == 24 and long.endswith("…")  # one line, however long the value
    assert spelled({1}) == "a value of type set"  # not from a JSON file
    assert spelled(10**5000) == "a value of type int"  # too long to write out
    # A file's control characters and bidirectional overrides never reach the terminal.
    assert spelled("\u009b31m\u202e") == '"\\u009b31m\\u202e"'
