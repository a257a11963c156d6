"""When the grid and the pen's path read different digits, the answer is doubt, not a guess.

The shipped model reads a drawing's 8x8 grid and the pen's path.  A digit drawn in an
unusual direction or stroke order (a 3 from the bottom up, a 6 begun inside its loop) has
a path like another digit's: the two parts disagree, and the answer says so.
"""

from __future__ import annotations

import numpy as np
import pytest

import tuipad
from tuipad.core.recognise import (
    SPLIT_WORDS,
    Prediction,
    named_contenders,
    recognise,
    recognise_each,
)

THREE = [
    [[20, 3], [24, 3], [28, 3], [32, 3], [34, 5], [36, 6], [36, 7], [34, 9], [33, 10]]
    + [[30, 11], [26, 12], [28, 13], [32, 13], [34, 14], [36, 16], [37, 18], [35, 21]]
    + [[33, 23], [28, 23], [24, 23], [20, 23]]
]
"""A 3 drawn as most people draw it: from its top left, two bowls, to its bottom left."""


def backwards(strokes: list[list[list[int]]]) -> list[list[list[int]]]:
    """The same ink drawn the other way: strokes in reverse order, each from its end."""
    return [list(reversed(stroke)) for stroke in reversed(strokes)]


@pytest.fixture(scope="module")
def shipped():
    return tuipad.load_model("default").predictor


def test_a_three_drawn_as_usual_is_read_surely(shipped) -> None:
    found = recognise(shipped, THREE)
    assert found.label == 3 and not found.split and not found.contenders
    assert found.answer.startswith("Prediction 3")


def test_a_three_drawn_from_the_bottom_is_doubt_naming_both_readings(shipped) -> None:
    found = recognise(shipped, backwards(THREE))
    assert found.split and 3 in found.split
    assert 3 in found.contenders and found.contenders[0] == found.label
    assert found.answer.startswith("Unsure: ") and found.answer.endswith(SPLIT_WORDS)
    assert recognise_each(shipped, [backwards(THREE)])[0] == found


def test_the_split_adds_doubt_without_changing_the_scores() -> None:
    scores = tuple(np.eye(10)[8] * 0.9 + np.eye(10)[3] * 0.1)
    sure = Prediction(8, scores, np.zeros((8, 8)))
    split = Prediction(8, scores, np.zeros((8, 8)), split=(3, 8))
    assert not sure.contenders and sure.answer == "Prediction 8 · 90%"
    assert split.contenders == (8, 3)
    assert split.answer == f"Unsure: 8 or 3? · 90%, {SPLIT_WORDS}"


def test_a_split_with_close_scores_names_what_the_parts_read_in_bar_order() -> None:
    scores = tuple(np.eye(10)[8] * 0.5 + np.eye(10)[9] * 0.3 + np.eye(10)[1] * 0.2)
    assert named_contenders(8, scores, split=()) == (8, 9, 1)
    assert named_contenders(8, scores, split=(3, 8)) == (8, 9, 3)  # 3 named, after 9's bar
    assert named_contenders(8, scores, split=(3, 5)) == (8, 3, 5)
    split = Prediction(8, scores, np.zeros((8, 8)), split=(3, 8))
    assert split.answer == f"Unsure: 8, 9 or 3? · 50%, {SPLIT_WORDS}"


def test_an_outline_no_digit_has_is_said_before_the_split() -> None:
    scores = tuple(np.eye(10)[1])
    found = Prediction(1, scores, np.zeros((8, 8)), shape_doubt="too small", split=(7, 1))
    assert found.answer == "Unsure: 1 or 7? · 100%, too small"


def test_scribble_mode_marks_such_a_digit_as_doubtful(shipped) -> None:
    from tuipad.core.scribble import Page, TimedStroke
    from tuipad.ui.screens.scribble_view import doubted

    def page_of(strokes: list[list[list[int]]]) -> Page:
        page = Page()
        for n, stroke in enumerate(strokes):
            points = tuple((float(x), float(y)) for x, y in stroke)
            page = page.with_stroke(TimedStroke(points, n, n + 0.3))
        return page.recognised(shipped)

    [usual] = page_of(THREE).groups
    [drawn_back] = page_of(backwards(THREE)).groups
    assert usual.label == 3 and not usual.split and doubted(usual) == ()
    assert drawn_back.split and 3 in doubted(drawn_back) and drawn_back.label in doubted(drawn_back)
