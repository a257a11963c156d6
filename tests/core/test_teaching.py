"""Teach mode's round: changing how many once drawings are in."""

from __future__ import annotations

from collections import Counter

import pytest

from tuipad.core.teaching import TeachRound


def _drawn(teach_round: TeachRound) -> Counter[int]:
    left = Counter(teach_round.queue)
    return Counter({d: teach_round.per_digit - left[d] for d in range(10)})


def test_more_keeps_the_drawn_and_the_current_digit() -> None:
    teach_round = TeachRound.new(2, seed=1).advanced().advanced().advanced()
    more = teach_round.with_per_digit(4, seed=2)
    assert more.per_digit == 4 and more.done == 3 and more.current == teach_round.current
    assert _drawn(more) == _drawn(teach_round)
    assert Counter(more.queue) == Counter({d: 4 - _drawn(teach_round)[d] for d in range(10)})


def test_fewer_drops_last_places_down_to_the_most_drawn_digit() -> None:
    teach_round = TeachRound(
        3, (5, 1, 5, 2, 5, 1) + tuple(d for d in (0, 3, 4, 6, 7, 8, 9) for _ in range(3))
    )
    assert teach_round.fewest_per_digit == 2  # two 2s are drawn
    fewer = teach_round.with_per_digit(2)
    assert fewer.queue[:3] == (5, 1, 5) and fewer.done == teach_round.done
    assert Counter(fewer.queue)[2] == 0 and Counter(fewer.queue)[5] == 2
    with pytest.raises(ValueError, match="2 to 50"):
        teach_round.with_per_digit(1)


def test_fewer_can_finish_the_round() -> None:
    teach_round = TeachRound(2, tuple(range(10)))  # each digit drawn once
    done = teach_round.with_per_digit(1)
    assert done.current is None and done.done == 10 == done.total


def test_drawings_deleted_meanwhile_are_asked_for_again_first() -> None:
    teach_round = TeachRound(1, tuple(range(10)))
    for sample_id in (101, 102, 103):
        teach_round = teach_round.advanced(sample_id)
    assert teach_round.saved == ((101, 0), (102, 1), (103, 2))
    again = teach_round.asked_again({101, 103})
    assert again.queue == (0, 2, *range(3, 10)) and again.done == 1
    assert again.saved == ((102, 1),) and again.last_saved is None
    assert again.asked_again(set()) == again
    retaken = teach_round.retaken(2)  # the last one deleted by a retake: not asked twice
    assert retaken.saved == ((101, 0), (102, 1)) and retaken.current == 2
    assert teach_round.with_per_digit(2).saved == teach_round.saved
