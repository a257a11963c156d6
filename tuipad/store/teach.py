"""Teach mode's round in progress, kept across visits.

``{"version": 1, "per_digit": 5, "queue": [7, 3, ...], "last_saved": [42, 8],
"saved": [[40, 2], [41, 5], [42, 8]]}`` at
:attr:`tuipad.store.paths.Paths.teach_round`, rewritten after every saved
drawing and every change of how many, so leaving teach mode, or tuipad, and
coming back resumes the round.  A finished round keeps its count with an empty
queue: how many is the user's choice, not the round's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from tuipad.core.teaching import MAX_PER_DIGIT, TeachRound
from tuipad.store.files import atomic_write
from tuipad.store.reading import parse_json, read_capped_text

if TYPE_CHECKING:
    from tuipad.store.samples import SampleStore


def load_round(path: Path) -> TeachRound | None:
    """The round to resume, or ``None`` if there is none (or it is unreadable).

    After a finished round, a new one asking for each digit as many times.
    An unreadable file only loses the order of a round, so it starts a new
    one rather than stopping the user.
    """
    try:
        record = parse_json(read_capped_text(path))
        per_digit = record["per_digit"]
        queue = tuple(record["queue"])
        last = record.get("last_saved")  # absent from rounds kept before it was
        saved = record.get("saved") or []  # likewise
        every = tuple(pair for value in saved if (pair := _sample_and_digit(value)) is not None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    valid_digits = all(isinstance(d, int) and not isinstance(d, bool) for d in queue)
    if (
        not isinstance(per_digit, int)
        or not 1 <= per_digit <= MAX_PER_DIGIT
        or not valid_digits
        or not all(0 <= d <= 9 for d in queue)
        or len(queue) > 10 * per_digit
    ):
        return None
    if not queue:
        return TeachRound.new(per_digit)
    drawn = 10 * per_digit - len(queue)  # no more saved drawings than that to ask again for
    return TeachRound(per_digit, queue, _sample_and_digit(last), every[:drawn])


def _sample_and_digit(value: object) -> tuple[int, int] | None:
    """``[sample id, digit]`` as a pair, or ``None`` if it is anything else."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    sample_id, digit = value
    plain = all(isinstance(n, int) and not isinstance(n, bool) for n in value)
    return (sample_id, digit) if plain and 0 <= digit <= 9 else None


def save_round(path: Path, teach_round: TeachRound) -> None:
    """Keep the round for next time (a finished one: only how many it asked for).

    Raises:
        OSError: The file cannot be written.
    """
    record = {
        "version": 1,
        "per_digit": teach_round.per_digit,
        "queue": list(teach_round.queue),
        "last_saved": None if teach_round.last_saved is None else list(teach_round.last_saved),
        "saved": [list(pair) for pair in teach_round.saved],
    }
    atomic_write(path, json.dumps(record).encode("utf-8"))


def deleted_drawings(store: SampleStore, teach_round: TeachRound) -> set[int]:
    """The samples of the round's drawings no longer in the store (deleted in browse, or
    the store made anew: then an id may name another sample, so it must be a teach sample
    of the same digit).

    Raises:
        StoreError: The store cannot be read.
    """
    deleted = set()
    for sample_id, digit in teach_round.saved:
        sample = store.get(sample_id)
        if sample is None or sample.source != "teach" or sample.label != digit:
            deleted.add(sample_id)
    return deleted
