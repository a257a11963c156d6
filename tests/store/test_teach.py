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
    save_round(path, TeachRound(5, (7, 3, 0), last_saved=(12, 4)))
    assert json.loads(path.read_text()) == {
        "version": 1,
        "per_digit": 5,
        "queue": [7, 3, 0],
        "last_saved": [12, 4],
    }
    assert load_round(path) == TeachRound(5, (7, 3, 0), last_saved=(12, 4))
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
