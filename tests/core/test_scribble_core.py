"""The scribble core: strokes into digits, digits into numbers, and the page."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuipad.core.geometry import Box
from tuipad.core.history import History
from tuipad.core.scribble import (
    Group,
    Page,
    TimedStroke,
    group_digits,
    group_numbers,
    recognise_groups,
)


def stroke(points, start: float, end: float | None = None) -> TimedStroke:
    return TimedStroke(tuple((float(x), float(y)) for x, y in points), start, end or start + 0.3)


def bar(left: int, right: int, row: int, start: float) -> TimedStroke:
    return stroke([(x, row) for x in range(left, right + 1)], start)


def upright(column: int, top: int, bottom: int, start: float) -> TimedStroke:
    return stroke([(column, y) for y in range(top, bottom + 1)], start)


def labelled(group: Group, label: int) -> Group:
    from dataclasses import replace

    return replace(group, label=label)


# --------------------------------------------------------------------------- digits


def test_a_two_stroke_four_is_one_digit() -> None:
    stem = stroke([(6, 2), (4, 6), (2, 9), (6, 9), (10, 9)], 0.0)
    upright_bar = upright(8, 4, 14, 0.5)
    groups = group_digits([stem, upright_bar])
    assert len(groups) == 1
    assert groups[0].strokes == (stem, upright_bar)
    assert groups[0].bbox == Box(2, 2, 11, 15)


def test_a_five_whose_flag_is_wider_than_its_body_is_one_digit() -> None:
    body = stroke([(10, 2), (9, 6), (12, 7), (13, 10), (9, 13), (4, 12)], 0.0)
    flag = bar(10, 30, 2, 0.4)  # starts over the body, most of it to the right
    assert len(group_digits([body, flag])) == 1


def test_the_halves_of_an_open_four_are_one_digit() -> None:
    left = stroke([(4, 2), (2, 6), (2, 8), (10, 8)], 0.0)  # 7 rows: an unfinished digit
    right = upright(11, 2, 14, 0.4)  # touching it, full height
    assert len(group_digits([left, right])) == 1


def test_digits_side_by_side_are_separate_even_one_column_apart() -> None:
    one = upright(4, 2, 13, 0.0)
    seven = stroke([(6, 2), (12, 2), (9, 13)], 0.4)
    groups = group_digits([one, seven])
    assert [g.strokes for g in groups] == [(one,), (seven,)]


def test_a_stroke_written_long_after_does_not_join() -> None:
    first = stroke([(2, 2), (8, 2), (5, 12)], 0.0, 0.3)
    assert len(group_digits([first, bar(3, 7, 13, 0.5)])) == 1  # a base line just after
    assert len(group_digits([first, bar(3, 7, 13, 5.0)])) == 2


def test_a_stroke_on_a_digits_ink_joins_it_however_late() -> None:
    seven = stroke([(2, 2), (8, 2), (5, 12)], 0.0, 0.3)
    assert len(group_digits([seven, bar(3, 7, 7, 5.0)])) == 1  # a crossbar added later
    assert len(group_digits([seven, stroke([(2, 2), (8, 2), (5, 12)], 9.0)])) == 1  # traced over


def test_a_later_digit_in_a_corner_of_a_digits_box_stays_apart() -> None:
    seven = stroke([(2, 2), (20, 2), (12, 20)], 0.0, 0.3)
    small_one = upright(4, 12, 18, 5.0)  # under the bar, left of the stem: in the box, off the ink
    assert len(group_digits([seven, small_one])) == 2


def test_a_late_stroke_leaves_a_relabelled_digit_and_its_label_alone() -> None:
    seven = stroke([(2, 2), (8, 2), (5, 12)], 0.0, 0.3)
    page = Page().with_stroke(seven).relabelled(0, 7)
    page = page.with_stroke(bar(3, 7, 7, 5.0))
    assert [(g.label, g.corrected) for g in page.groups] == [(7, True), (None, False)]


def test_a_stroke_on_the_next_line_does_not_join() -> None:
    above = upright(5, 2, 12, 0.0)
    below = upright(5, 17, 27, 0.4)
    assert len(group_digits([above, below])) == 2


def test_strokes_are_taken_in_writing_order_whatever_the_input_order() -> None:
    strokes = [upright(4, 2, 13, 0.0), bar(2, 8, 6, 0.4), upright(20, 2, 13, 1.0)]
    assert group_digits(strokes) == group_digits(strokes[::-1])


# --------------------------------------------------------------------------- numbers


def test_numbers_read_left_to_right_whatever_the_writing_order() -> None:
    right = Group.of([upright(20, 2, 13, 0.0)])
    left = Group.of([upright(10, 2, 13, 1.0)])
    (number,) = group_numbers([labelled(right, 7), labelled(left, 2)])
    assert number.text == "27"


def test_gaps_are_measured_against_the_physical_height() -> None:
    # 6 rows tall is 12 columns of the same length: a 4-column gap is small,
    # a 6-column gap is not.
    first = labelled(Group.of([upright(10, 2, 7, 0.0)]), 1)
    near = labelled(Group.of([upright(15, 2, 7, 1.0)]), 2)
    far = labelled(Group.of([upright(17, 2, 7, 1.0)]), 2)
    assert [n.text for n in group_numbers([first, near])] == ["12"]
    assert [n.text for n in group_numbers([first, far])] == ["1", "2"]


def test_lines_are_separate_numbers_in_reading_order() -> None:
    digits = [
        labelled(Group.of([upright(30, 20, 31, 0.0)]), 4),
        labelled(Group.of([upright(10, 2, 13, 1.0)]), 1),
        labelled(Group.of([upright(14, 2, 13, 2.0)]), 2),
        labelled(Group.of([upright(26, 20, 31, 3.0)]), 3),
    ]
    assert [n.text for n in group_numbers(digits)] == ["12", "34"]


def test_a_number_started_a_row_higher_on_the_line_is_read_after_the_one_left_of_it() -> None:
    digits = [
        labelled(Group.of([upright(10, 5, 16, 0.0)]), 1),
        labelled(Group.of([upright(14, 5, 16, 1.0)]), 2),
        labelled(Group.of([upright(50, 4, 15, 2.0)]), 7),  # far right, one row higher
        labelled(Group.of([upright(30, 25, 36, 3.0)]), 5),  # the next line
    ]
    assert [n.text for n in group_numbers(digits)] == ["12", "7", "5"]


def test_an_unread_digit_shows_as_a_question_mark() -> None:
    digits = [labelled(Group.of([upright(10, 2, 13, 0.0)]), 1), Group.of([upright(14, 2, 13, 1)])]
    assert [n.text for n in group_numbers(digits)] == ["1?"]


def dot(column: int, row: int, start: float, label: int = 4) -> Group:
    return labelled(Group.of([stroke([(column, row)], start)]), label)


def test_a_dot_low_between_digits_is_a_decimal_point() -> None:
    three, five = (labelled(Group.of([upright(c, 2, 13, 0.0)]), d) for c, d in ((10, 3), (16, 5)))
    assert [n.text for n in group_numbers([three, dot(13, 13, 1.0), five])] == ["3.5"]
    assert [n.text for n in group_numbers([dot(7, 12, 1.0), five])] == [".5"]


def test_a_dot_high_on_the_line_alone_or_relabelled_stays_a_digit() -> None:
    from dataclasses import replace

    three, five = (labelled(Group.of([upright(c, 2, 13, 0.0)]), d) for c, d in ((10, 3), (16, 5)))
    assert [n.text for n in group_numbers([three, dot(13, 3, 1.0), five])] == ["345"]
    relabelled = replace(dot(13, 13, 1.0, label=7), corrected=True)
    assert [n.text for n in group_numbers([three, relabelled, five])] == ["375"]
    assert [n.text for n in group_numbers([dot(13, 13, 1.0)])] == ["4"]


def test_a_short_dash_opening_a_number_at_mid_height_is_a_minus_sign() -> None:
    one, two = (labelled(Group.of([upright(c, 2, 13, 0.0)]), d) for c, d in ((10, 1), (14, 2)))
    dash = labelled(Group.of([bar(4, 7, 7, 1.0)]), 7)
    assert [n.text for n in group_numbers([dash, one, two])] == ["-12"]
    low_dash = labelled(Group.of([bar(4, 7, 13, 1.0)]), 7)
    assert [n.text for n in group_numbers([low_dash, one, two])] == ["712"]
    between = labelled(Group.of([bar(12, 13, 7, 1.0)]), 7)
    assert [n.text for n in group_numbers([one, between, two])] == ["172"]


@st.composite
def written_numbers(draw):
    """Digits of random sizes laid out left to right with 1-4 empty columns between them."""
    count = draw(st.integers(2, 6))
    height = draw(st.integers(6, 14))
    left, clock, strokes, truth = 2, 0.0, [], []
    for _ in range(count):
        width = draw(st.integers(1, 12))
        top = 3 + draw(st.integers(-1, 1))
        parts = [stroke([(left, top), (left + width - 1, top), (left, top + height - 1)], clock)]
        if draw(st.booleans()):  # a second stroke over the first, like a 4's bar
            clock += draw(st.floats(0.1, 1.0))
            middle = top + height // 2
            parts.append(stroke([(left, middle), (left + width - 1, middle)], clock))
        clock += draw(st.floats(0.1, 1.0))
        strokes += parts
        truth.append(tuple(parts))
        left += width + draw(st.integers(1, 4))
    return strokes, truth


@settings(max_examples=200, deadline=None)
@given(written_numbers())
def test_digits_laid_out_side_by_side_are_found_and_read_in_order(number) -> None:
    strokes, truth = number
    groups = group_digits(strokes)
    assert len(groups) == len(truth)
    assert {g.strokes for g in groups} == set(truth)
    read = [labelled(g, truth.index(g.strokes) % 10) for g in groups]
    (found,) = group_numbers(read)
    assert found.text == "".join(str(i % 10) for i in range(len(truth)))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), min_size=1, max_size=6),
            st.floats(0, 20),
        ),
        max_size=12,
    )
)
def test_every_stroke_lands_in_exactly_one_digit(raw) -> None:
    strokes = [stroke(points, start) for points, start in raw]
    groups = group_digits(strokes)
    assert sorted(id(s) for g in groups for s in g.strokes) == sorted(id(s) for s in strokes)
    for group in groups:
        box = group.strokes[0].box
        for s in group.strokes[1:]:
            box = box.union(s.box)
        assert group.bbox == box
    numbers = group_numbers(groups)
    assert sorted(id(g) for n in numbers for g in n.groups) == sorted(id(g) for g in groups)


# --------------------------------------------------------------------------- reading


class CountingEstimator:
    """Says every drawing is a 3, and counts the drawings it was asked about."""

    classes_ = np.arange(10)

    def __init__(self) -> None:
        self.seen = 0

    def predict_proba(self, grids: np.ndarray) -> np.ndarray:
        self.seen += len(grids)
        proba = np.full((len(grids), 10), 0.02)
        proba[:, 3] = 0.82
        return proba


def test_only_unread_digits_are_read() -> None:
    read = labelled(Group.of([upright(4, 2, 13, 0.0)]), 1)
    unread = Group.of([stroke([(10, 2), (16, 2), (12, 13)], 1.0)])
    estimator = CountingEstimator()
    groups = recognise_groups(estimator, [read, unread])
    assert estimator.seen == 1
    assert [g.label for g in groups] == [1, 3]
    assert groups[1].scores is not None and groups[1].scores[3] == pytest.approx(0.82)


# --------------------------------------------------------------------------- the page


def test_page_edits_and_history() -> None:
    history = History(Page())
    history.push(history.current.with_stroke(upright(4, 2, 13, 0.0)))
    history.push(history.current.with_stroke(upright(10, 2, 13, 0.5)))
    assert len(history.current.groups) == 2
    moved = history.current.moved(1, 2, 1)
    assert moved.groups[1].bbox == Box(12, 3, 13, 15)
    history.push(moved, coalesce="move")
    history.push(history.current.moved(1, 1, 0), coalesce="move")
    assert history.current.groups[1].bbox.left == 13
    assert history.undo()  # both arrow presses at once
    assert history.current.groups[1].bbox.left == 10
    history.push(history.current.relabelled(0, 7))
    assert history.current.groups[0].label == 7 and history.current.groups[0].corrected
    history.push(history.current.without(0))
    assert len(history.current.groups) == 1
    assert history.undo() and history.undo() and history.undo()
    assert len(history.current.groups) == 1
    assert history.redo()
    assert len(history.current.groups) == 2
    with pytest.raises(ValueError, match="0-9"):
        history.current.relabelled(0, 12)


def test_the_core_imports_neither_textual_nor_numpy() -> None:
    # The app imports it before its first frame, which must not wait for numpy.
    code = "import sys, tuipad.core.scribble; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    roots = {name.split(".")[0] for name in done.stdout.split()}
    assert not roots & {"textual", "rich", "numpy", "sklearn"}


def test_the_command_line_passes_the_pause_to_scribble_mode(monkeypatch) -> None:
    import tuipad.ui.app
    from tuipad.cli.main import main

    calls = []
    monkeypatch.setattr(tuipad.ui.app, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # as in a terminal
    assert main(["--scribble", "--pause", "0.5"]) == 0
    assert main([]) == 0
    assert calls == [{"scribble": True, "pause": 0.5}, {"scribble": False, "pause": 1.0}]


@pytest.mark.parametrize("value", ["soon", "0", "-1", "120"])
def test_a_bad_pause_is_a_usage_error(value: str, capsys) -> None:
    from tuipad.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--scribble", "--pause", value])
    assert exit_info.value.code == 2
    assert "--pause" in capsys.readouterr().err


def test_a_comma_or_a_small_low_zero_is_no_point() -> None:
    one, two = (labelled(Group.of([upright(c, 2, 13, 0.0)]), d) for c, d in ((10, 1), (16, 2)))
    comma = labelled(Group.of([stroke([(13, 12), (12, 13)], 1.0)]), 1)  # a tail: two rows
    zero = labelled(Group.of([stroke([(13, 12), (14, 12), (14, 13), (13, 13)], 1.0)]), 0)
    assert [n.text for n in group_numbers([one, comma, two])] == ["112"]
    assert [n.text for n in group_numbers([one, zero, two])] == ["102"]
