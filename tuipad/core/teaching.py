"""Teach mode's round: which digits are still to draw, kept across visits.

A round asks for every digit ``per_digit`` times in random order.  The
remaining queue is written to ``teach.json`` in the user data directory
(atomically: temp file, fsync, rename) after every saved drawing, so leaving
teach mode, or tuipad, and coming back resumes where the user stopped.
Nothing here imports Textual, rich or scikit-learn.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PER_DIGIT = 5
"""How many times a round asks for each digit."""

MAX_PER_DIGIT = 50
"""The most a round asks for each digit."""

SESSION_NAME = "teach.json"
"""File name of the saved round inside the user data directory."""


@dataclass(frozen=True)
class TeachRound:
    """Digits still to draw in a round of teach mode.

    Attributes:
        per_digit: How many times the round asks for each digit.
        queue: The digits still to draw, the next one first.
    """

    per_digit: int
    queue: tuple[int, ...]

    @classmethod
    def new(cls, per_digit: int = DEFAULT_PER_DIGIT, seed: int | None = None) -> TeachRound:
        """A fresh round: each digit ``per_digit`` times, shuffled.

        Args:
            per_digit: Times to ask for each digit (1 to :data:`MAX_PER_DIGIT`).
            seed: Seed of the order (default: random).

        Raises:
            ValueError: ``per_digit`` out of range.
        """
        if not 1 <= per_digit <= MAX_PER_DIGIT:
            raise ValueError(f"times per digit must be 1 to {MAX_PER_DIGIT}, not {per_digit}")
        queue = [digit for digit in range(10) for _ in range(per_digit)]
        random.Random(seed).shuffle(queue)
        return cls(per_digit, tuple(queue))

    @property
    def total(self) -> int:
        """Drawings the round asks for."""
        return 10 * self.per_digit

    @property
    def done(self) -> int:
        """Drawings saved so far."""
        return self.total - len(self.queue)

    @property
    def current(self) -> int | None:
        """The digit to draw now, or ``None`` when the round is over."""
        return self.queue[0] if self.queue else None

    def advanced(self) -> TeachRound:
        """The round after the current digit was saved."""
        return TeachRound(self.per_digit, self.queue[1:])

    def retaken(self, digit: int) -> TeachRound:
        """The round with ``digit`` asked for again next (its drawing was removed)."""
        return TeachRound(self.per_digit, (digit, *self.queue))

    def to_json(self) -> dict[str, object]:
        """The record :func:`save_round` writes."""
        return {"version": 1, "per_digit": self.per_digit, "queue": list(self.queue)}


def round_path(home: Path) -> Path:
    """Where the round in progress is kept."""
    return home / SESSION_NAME


def load_round(path: Path) -> TeachRound | None:
    """The round in progress, or ``None`` if there is none (or it is unreadable).

    An unreadable file only loses the order of a round, so it starts a new
    one rather than stopping the user.
    """
    try:
        record = json.loads(path.read_text("utf-8"))
        per_digit = record["per_digit"]
        queue = tuple(record["queue"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    valid_digits = all(isinstance(d, int) and not isinstance(d, bool) for d in queue)
    if (
        not isinstance(per_digit, int)
        or not 1 <= per_digit <= MAX_PER_DIGIT
        or not valid_digits
        or not all(0 <= d <= 9 for d in queue)
        or len(queue) > 10 * per_digit
        or not queue
    ):
        return None
    return TeachRound(per_digit, queue)


def save_round(path: Path, teach_round: TeachRound) -> None:
    """Keep the round for next time; a finished round removes the file.

    Raises:
        OSError: The file cannot be written.
    """
    if not teach_round.queue:
        path.unlink(missing_ok=True)
        return
    from tuipad.store.files import atomic_write

    atomic_write(path, json.dumps(teach_round.to_json()).encode("utf-8"))
