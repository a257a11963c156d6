"""The Sketch the canvas draws on: strokes, gestures, undo and redo, changes asked for late."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.geometry import erase, pixel_cells
from tuipad.core.sketch import Sketch

coordinate = st.integers(min_value=-50, max_value=50)
cells = st.tuples(coordinate, coordinate)


def draw(sketch: Sketch, *points: tuple[float, float]) -> None:
    sketch.begin(points[0])
    for point in points[1:]:
        sketch.extend(point)
    sketch.finish()


def test_strokes_keep_the_reported_points() -> None:
    sketch = Sketch()
    draw(sketch, (1, 1), (9, 1), (9, 1), (9, 5.5))
    assert sketch.strokes == (((1.0, 1.0), (9.0, 1.0), (9.0, 5.5)),)


def test_stroke_in_progress_is_part_of_the_drawing() -> None:
    sketch = Sketch()
    sketch.begin((1, 1))
    sketch.extend((2, 2))
    assert sketch.drawing
    assert sketch.strokes == (((1.0, 1.0), (2.0, 2.0)),)


def test_undo_and_redo_work_by_stroke() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    draw(sketch, (0, 3), (5, 3))
    first, second = sketch.strokes
    assert sketch.undo()
    assert sketch.strokes == (first,)
    assert sketch.undo()
    assert sketch.strokes == ()
    assert not sketch.undo()
    assert sketch.redo() and sketch.redo()
    assert sketch.strokes == (first, second)
    assert not sketch.redo()


def test_new_stroke_drops_the_redo_history() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    sketch.undo()
    draw(sketch, (0, 3), (5, 3))
    assert not sketch.can_redo


def test_clear_is_undoable_and_clearing_nothing_is_not_a_step() -> None:
    sketch = Sketch()
    assert not sketch.clear()
    draw(sketch, (0, 0), (5, 0))
    before = sketch.strokes
    assert sketch.clear()
    assert sketch.strokes == ()
    sketch.undo()
    assert sketch.strokes == before


def test_undo_during_a_stroke_ends_it_then_undoes_it() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    sketch.begin((0, 4))
    sketch.extend((3, 4))
    assert sketch.undo()
    assert len(sketch.strokes) == 1


@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=8))
def test_undoing_everything_empties_and_redoing_restores(strokes) -> None:
    sketch = Sketch()
    for stroke in strokes:
        draw(sketch, *stroke)
    final = sketch.strokes
    while sketch.undo():
        pass
    assert sketch.strokes == ()
    while sketch.redo():
        pass
    assert sketch.strokes == final


def test_an_erase_gesture_shows_at_once_and_is_one_undo_step() -> None:
    sketch = Sketch()
    draw(sketch, *[(x, 0) for x in range(20)])
    before = sketch.strokes
    sketch.begin_erase()
    assert sketch.erase_at([(3, 0)])
    assert sketch.erasing and len(sketch.strokes) == 2
    assert sketch.erase_at([(12, 0)])
    assert not sketch.erase_at([(40, 40)])
    assert sketch.finish()
    assert len(sketch.strokes) == 3
    sketch.undo()
    assert sketch.strokes == before


def test_an_erase_that_rubs_nothing_is_no_step() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    sketch.begin_erase()
    sketch.erase_at([(30, 30)])
    assert not sketch.finish()
    assert sketch.undo() and sketch.strokes == ()


def test_pixels_follow_the_drawing() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (2, 0))
    assert pixel_cells(sketch.pixels()) == {(0, 0), (1, 0), (2, 0)}
    sketch.clear()
    assert sketch.pixels() == set()


def test_a_full_drawing_takes_no_more_points_until_it_shrinks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tuipad.core.sketch.SKETCH_POINT_LIMIT", 5)
    sketch = Sketch([[(0, 0), (1, 0), (2, 0)]])
    assert sketch.begin((0, 3)) and sketch.extend((1, 3))
    assert sketch.full and sketch.point_count == 5
    assert sketch.extend((2, 3)) == set()
    assert sketch.begin((9, 9)) == set()  # a new stroke is refused too
    assert sketch.strokes == (((0.0, 0.0), (1.0, 0.0), (2.0, 0.0)), ((0.0, 3.0), (1.0, 3.0)))
    assert sketch.undo() and not sketch.full
    assert sketch.begin((4, 4)) and sketch.point_count == 4


def test_a_stroke_stops_at_the_limit_a_file_may_hold(monkeypatch) -> None:
    monkeypatch.setattr("tuipad.core.sketch.MAX_STROKE_POINTS", 3)
    sketch = Sketch()
    sketch.begin((0, 0))
    assert sketch.extend((1, 0)) and sketch.extend((2, 0))
    assert not sketch.extend((3, 0)) and sketch.point_count == 3
    sketch.finish()
    sketch.begin((5, 5))
    assert sketch.extend((6, 5)) and sketch.point_count == 5


def test_a_change_asked_for_before_the_stroke_in_progress_leaves_it_going() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    draw(sketch, (0, 2), (5, 2))
    first, second = sketch.strokes
    sketch.begin((0, 4), at=10.0)
    assert sketch.undo(asked_at=9.0)  # undoes the stroke before it
    assert sketch.redo(asked_at=9.0)
    assert sketch.clear(asked_at=9.0)
    sketch.extend((3, 4))
    assert sketch.drawing and sketch.strokes == (((0.0, 4.0), (3.0, 4.0)),)
    sketch.finish()
    assert sketch.undo() and sketch.strokes == ()
    assert sketch.undo() and sketch.strokes == (first, second)


def test_a_change_asked_for_during_the_stroke_ends_it_first() -> None:
    sketch = Sketch()
    sketch.begin((0, 4), at=10.0)
    sketch.extend((3, 4))
    assert sketch.clear(asked_at=11.0)
    assert not sketch.drawing and sketch.strokes == ()


def test_strokes_lifted_after_a_late_clear_was_asked_for_are_laid_back() -> None:
    """``c`` and a whole stroke in one terminal read: the stroke is lifted before the
    key's action runs, and must not be rubbed out with what was there before."""
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    old = sketch.strokes
    sketch.begin((0, 4), at=3.0)
    sketch.extend((5, 4))
    sketch.finish()
    new = sketch.strokes[-1]
    assert sketch.clear(asked_at=2.0)
    assert sketch.strokes == (new,)
    assert sketch.undo() and sketch.strokes == ()
    assert sketch.undo() and sketch.strokes == old


def test_a_late_undo_undoes_what_came_before_the_strokes_begun_after_it() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    sketch.begin((0, 4), at=3.0)
    sketch.finish()
    assert sketch.undo(asked_at=2.0) and sketch.strokes == (((0.0, 4.0),),)
    assert not sketch.can_redo  # the stroke came after the undo


def test_a_keyboard_stroke_lifted_after_a_later_mouse_stroke_goes_before_a_late_clear() -> None:
    """Its space was typed before the clear's key: in time, the clear took it too."""
    sketch = Sketch()
    sketch.begin((0, 4), at=3.0)
    sketch.finish()
    draw(sketch, (0, 0), (5, 0))  # no time: the keyboard pen's
    assert sketch.strokes_as_of(2.0) == (((0.0, 0.0), (5.0, 0.0)),)
    assert sketch.clear(asked_at=2.0) and sketch.strokes == (((0.0, 4.0),),)


def test_an_erase_lifted_after_a_late_change_is_rubbed_out_again_after_it() -> None:
    """``u`` and an erase drag in one read: the undo goes before the erase."""
    sketch = Sketch()
    draw(sketch, (0, 0), (10, 0))
    draw(sketch, (0, 6), (10, 6))
    first = sketch.strokes[:1]
    sketch.begin_erase(at=3.0)
    sketch.erase_at([(0, 0)])
    sketch.finish()
    assert sketch.undo(asked_at=2.0)
    assert sketch.strokes == erase(first, [(0, 0)]) != first
    assert not sketch.can_redo  # the erase came after the undo
    assert sketch.undo() and sketch.strokes == first  # the erase, its own step


def test_an_erase_in_progress_ends_and_goes_after_a_late_change() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (10, 0))
    draw(sketch, (0, 6), (10, 6))
    first, both = sketch.strokes[:1], sketch.strokes
    sketch.begin_erase(at=3.0)
    sketch.erase_at([(0, 0)])
    assert sketch.strokes_as_of(2.0) == both
    assert sketch.undo(asked_at=2.0) and not sketch.erasing
    assert sketch.strokes == erase(first, [(0, 0)])


def test_a_replace_asked_for_before_lifted_strokes_keeps_those_it_lacks() -> None:
    """Scribble mode loads its page after a key: the page holds the strokes lifted since
    that it had taken in and laid back, but not one whose lift it has yet to hear of."""
    sketch = Sketch()
    sketch.begin((0, 0), at=3.0)
    sketch.finish()
    sketch.begin((5, 5), at=3.5)
    sketch.finish()
    sketch.begin((0, 4), at=4.0)
    assert sketch.replace([[(9, 9)], [(0, 0)]], asked_at=2.0)
    assert sketch.drawing  # the stroke in progress goes on
    sketch.finish()
    assert sketch.strokes == (((9.0, 9.0),), ((0.0, 0.0),), ((5.0, 5.0),), ((0.0, 4.0),))


def test_a_replace_takes_off_strokes_begun_before_it_was_asked_for() -> None:
    sketch = Sketch()
    sketch.begin((0, 0), at=1.0)
    sketch.finish()
    assert sketch.replace([[(9, 9)]], asked_at=2.0)
    assert sketch.strokes == (((9.0, 9.0),),)


CHANGES = ("clear", "undo", "redo")


@given(
    st.lists(st.sampled_from(("stroke", *CHANGES)), max_size=14),
    st.lists(st.integers(min_value=0, max_value=3), min_size=14, max_size=14),
)
def test_changes_acted_on_late_leave_what_acting_in_time_would(
    timeline: list[str], delays: list[int]
) -> None:
    """Each key's change may run after some of the strokes begun after it (keys keep their
    order, strokes theirs): the drawing and every undo and redo step are as if in time."""

    def act(sketch: Sketch, when: int) -> None:
        operation = timeline[when]
        if operation == "stroke":
            sketch.begin((when, 0), at=float(when))
            sketch.extend((when, 5))
            sketch.finish()
        else:
            getattr(sketch, operation)(asked_at=float(when))

    in_time, late = Sketch(), Sketch()
    for when in range(len(timeline)):
        act(in_time, when)
    strokes = [when for when, operation in enumerate(timeline) if operation == "stroke"]
    changes = [when for when, operation in enumerate(timeline) if operation != "stroke"]
    laid = 0
    for delay, when in zip(delays, changes, strict=False):
        due = sum(1 for begun in strokes if begun < when) + delay
        while laid < min(due, len(strokes)):
            act(late, strokes[laid])
            laid += 1
        act(late, when)
    for when in strokes[laid:]:
        act(late, when)

    assert late.strokes == in_time.strokes
    while in_time.undo():
        assert late.undo() and late.strokes == in_time.strokes
    assert not late.undo()
    while in_time.redo():
        assert late.redo() and late.strokes == in_time.strokes
    assert not late.redo()


def test_the_drawing_as_of_a_time_leaves_out_the_strokes_begun_after_it() -> None:
    """Teach mode saves the drawing as it was when enter came, not the next digit's start."""
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    first = sketch.strokes
    sketch.begin((0, 4), at=3.0)
    sketch.finish()
    sketch.begin((0, 6), at=4.0)
    assert sketch.strokes_as_of(2.0) == first
    assert sketch.strokes_as_of(3.5) == (*first, ((0.0, 4.0),))
    assert sketch.strokes_as_of(None) == sketch.strokes == sketch.strokes_as_of(5.0)


def test_drags_begun_after_a_late_switch_of_tool_are_made_again_with_the_new_tool() -> None:
    """``e`` and a drag in one read: the drag drawn as a stroke rubs out instead."""
    sketch = Sketch()
    draw(sketch, (0, 0), (10, 0))
    first = sketch.strokes
    sketch.begin((0, 0), at=3.0)
    sketch.extend((4, 0))
    sketch.finish()
    assert sketch.retool(erasing=True, asked_at=2.0)
    rubbed = sketch.strokes
    assert rubbed != first and all(point[0] > 4 for stroke in rubbed for point in stroke)
    assert not sketch.retool(erasing=True, asked_at=2.0)  # rubbed out already
    assert sketch.retool(erasing=False, asked_at=2.0)  # and back: drawn again
    assert sketch.strokes == (*first, ((0.0, 0.0), (4.0, 0.0)))


def test_an_erase_drag_known_only_by_its_cells_stays_an_erase() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (10, 0))
    sketch.begin_erase(at=3.0)
    sketch.erase_at([(0, 0)])
    sketch.finish()
    assert not sketch.retool(erasing=False, asked_at=2.0)
