"""Undo and redo of whole values: the generic History."""

from __future__ import annotations

from tuipad.core.history import History


def test_history_undoes_and_redoes_whole_values() -> None:
    history = History(0)
    assert history.push(1) and history.push(2)
    assert not history.push(2)
    assert history.undo() and history.current == 1
    assert history.can_redo
    assert history.redo() and history.current == 2
    assert not history.redo()


def test_a_push_drops_the_redo_steps_and_update_is_no_step() -> None:
    history = History("a")
    history.push("b")
    history.undo()
    history.push("c")
    assert not history.can_redo
    history.update("d")
    assert history.undo() and history.current == "a"


def test_pushes_with_one_key_are_one_step() -> None:
    history = History(0)
    history.push(1, coalesce="move")
    history.push(2, coalesce="move")
    history.push(3, coalesce="other")
    assert history.undo() and history.current == 2
    assert history.undo() and history.current == 0


def test_the_oldest_steps_go_past_the_limit() -> None:
    history = History(0, limit=3)
    for value in range(1, 10):
        history.push(value)
    while history.undo():
        pass
    assert history.current == 6


# --------------------------------------------------------------------------- late changes


def add(item: str):
    return lambda value: value + item


def test_a_change_as_of_before_timed_pushes_is_made_under_them() -> None:
    history = History("")
    history.push_begun(add("a"), began=1.0)
    history.push_begun(add("b"), began=3.0)
    history.push_begun(add("c"), began=4.0)
    assert history.value_as_of(2.0) == "a"
    with history.as_of(2.0) as later:
        assert [push.began for push in later] == [3.0, 4.0]
        assert history.current == "a"
        assert history.push("x")
    assert history.current == "xbc"
    assert history.undo() and history.current == "xb"  # laid back with their own steps
    assert history.undo() and history.current == "x"
    assert history.undo() and history.current == "a"


def test_a_late_undo_undoes_the_step_before_the_pushes_begun_after_it() -> None:
    history = History("")
    history.push_begun(add("a"), began=1.0)
    history.push_begun(add("b"), began=3.0)
    with history.as_of(2.0):
        assert history.undo()
    assert history.current == "b"
    assert not history.can_redo  # pushing b again dropped the undone step, as it would have


def test_a_push_begun_earlier_but_made_after_a_late_one_goes_before_the_change() -> None:
    history = History("")
    history.push_begun(add("a"), began=3.0)
    history.push_begun(add("k"), began=0.0)  # no time: the keyboard pen
    assert history.value_as_of(2.0) == "k"
    with history.as_of(2.0) as later:
        assert [push.began for push in later] == [3.0] and history.current == "k"
        history.push(history.current + "x")
    assert history.current == "kxa"


def test_other_changes_end_what_a_late_change_can_be_put_before() -> None:
    history = History("")
    history.push_begun(add("a"), began=3.0)
    assert [push.began for push in history.begun_after(2.0)] == [3.0]
    history.push("ab")
    assert history.begun_after(2.0) == []
    with history.as_of(2.0) as later:
        assert later == [] and history.undo()
    assert history.current == "a"


def test_an_update_keeps_the_pushes_a_late_change_can_be_put_before() -> None:
    history = History("")
    history.push_begun(add("a"), began=3.0)
    history.update("A")  # e.g. the digits just read
    assert history.value_as_of(2.0) == ""
    assert history.value_as_of(4.0) == "A"
