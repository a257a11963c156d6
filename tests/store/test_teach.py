"""Teach mode's round kept across visits: saved, resumed, its count kept when done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuipad.core.teaching import TeachRound
from tuipad.store.paths import Paths
from tuipad.store.teach import load_round, save_round


def test_a_round_is_kept_and_a_finished_one_keeps_its_count(tuipad_home: Path) -> None:
    path = Paths(tuipad_home).teach_round
    assert load_round(path) is None
    save_round(path, TeachRound(5, (7, 3, 0), last_saved=(12, 4), saved=((11, 2), (12, 4))))
    assert json.loads(path.read_text()) == {
        "version": 1,
        "per_digit": 5,
        "queue": [7, 3, 0],
        "last_saved": [12, 4],
        "saved": [[11, 2], [12, 4]],
    }
    assert load_round(path) == TeachRound(5, (7, 3, 0), (12, 4), ((11, 2), (12, 4)))
    path.write_text(json.dumps({"version": 1, "per_digit": 5, "queue": [7]}))  # kept before
    assert load_round(path) == TeachRound(5, (7,))
    save_round(path, TeachRound(2, ()))
    assert json.loads(path.read_text())["queue"] == []
    after = load_round(path)  # a new round of as many
    assert after is not None and after.per_digit == 2 and after.done == 0


@pytest.mark.parametrize(
    "record",
    [
        "not json",
        {"per_digit": 5},
        {"per_digit": 0, "queue": [1]},
        {"per_digit": 1, "queue": [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]},
        {"per_digit": 5, "queue": [10]},
        {"per_digit": 5, "queue": [True]},
    ],
)
def test_an_unreadable_round_starts_a_new_one(tmp_path: Path, record: object) -> None:
    path = tmp_path / "teach.json"
    path.write_text(record if isinstance(record, str) else json.dumps(record))
    assert load_round(path) is None


def test_a_rounds_saved_drawings_are_read_back_only_as_pairs_and_as_many_as_drawn(
    tuipad_home: Path,
) -> None:
    path = Paths(tuipad_home).teach_round
    queue = list(range(10)) * 2 + list(range(8))  # 2 of 30 drawn
    saved = [[1, 8], "x", [2, True], [3, 12], [4, 9], [5, 9], 7]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "per_digit": 3, "queue": queue, "saved": saved}))
    resumed = load_round(path)
    assert resumed is not None and resumed.saved == ((1, 8), (4, 9))


def test_the_drawings_of_a_round_gone_from_the_store_are_found(tuipad_home: Path) -> None:
    from tuipad.store.samples import SampleStore
    from tuipad.store.teach import deleted_drawings

    with SampleStore.open(Paths(tuipad_home).samples) as store:
        one = store.add([[(8, 2), (8, 14)]], 1, source="teach").id
        two = store.add([[(8, 2), (8, 14)]], 2, source="teach").id
        other = store.add([[(8, 2), (8, 14)]], 3, source="correction").id
        store.delete(two)
        teach_round = TeachRound(1, (5,), saved=((one, 1), (two, 2), (other, 3), (one, 4)))
        # Gone, not a teach sample, or another digit: a store made anew reuses ids.
        assert deleted_drawings(store, teach_round) == {two, other, one}
        assert deleted_drawings(store, TeachRound(1, (5,), saved=((one, 1),))) == set()
