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
