"""Teach mode's round: which digits are still to draw.

A round asks for every digit ``per_digit`` times in random order.  The
store keeps the remaining queue across visits
(:func:`tuipad.store.teach.save_round`), so leaving teach mode, or tuipad,
and coming back resumes where the user stopped.  Pure Python.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DEFAULT_PER_DIGIT = 5
"""How many times a round asks for each digit."""

MAX_PER_DIGIT = 50
"""The most a round asks for each digit."""


@dataclass(frozen=True)
class TeachRound:
    """Digits still to draw in a round of teach mode.

    Attributes:
        per_digit: How many times the round asks for each digit.
        queue: The digits still to draw, the next one first.
        last_saved: The drawing saved last in this round, as its stored sample's id and
            the digit asked for: what a retake deletes and asks for again, kept so a
            round left and resumed can still retake it (a finished round, once left,
            resumes as a new one).
        saved: Every drawing this round saved, the same way, oldest first: one deleted
            meanwhile (in browse) is asked for again (:meth:`asked_again`).
    """

    per_digit: int
    queue: tuple[int, ...]
    last_saved: tuple[int, int] | None = None
    saved: tuple[tuple[int, int], ...] = ()

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

    def advanced(self, sample_id: int | None = None) -> TeachRound:
        """The round after the current digit was saved (as ``sample_id``)."""
        saved = None if sample_id is None or not self.queue else (sample_id, self.queue[0])
        every = self.saved if saved is None else (*self.saved, saved)
        return TeachRound(self.per_digit, self.queue[1:], saved, every)

    def retaken(self, digit: int) -> TeachRound:
        """The round with ``digit`` asked for again next (its drawing was removed)."""
        every = tuple(pair for pair in self.saved if pair != self.last_saved)
        return TeachRound(self.per_digit, (digit, *self.queue), None, every)

    def asked_again(self, deleted: set[int]) -> TeachRound:
        """The round asking again, next, for its drawings whose samples were ``deleted``."""
        gone = [digit for sample_id, digit in self.saved if sample_id in deleted]
        kept = tuple(pair for pair in self.saved if pair[0] not in deleted)
        last = None if self.last_saved is None or self.last_saved[0] in deleted else self.last_saved
        return TeachRound(self.per_digit, (*gone, *self.queue), last, kept)

    @property
    def fewest_per_digit(self) -> int:
        """The fewest times per digit the round can ask for now: as many as the most drawn digit."""
        return max(1, max(self.per_digit - self.queue.count(digit) for digit in range(10)))

    def with_per_digit(self, per_digit: int, seed: int | None = None) -> TeachRound:
        """The round asking for each digit ``per_digit`` times in all, keeping what was drawn.

        A digit asked for fewer times loses its last places in the queue (the digit on
        screen too, once it was drawn as often as asked for now); one asked for more times
        goes in at random places after the current digit, so the digit on screen stays.

        Args:
            per_digit: Times to ask for each digit, from :attr:`fewest_per_digit` to
                :data:`MAX_PER_DIGIT`.
            seed: Seed of the new places (default: random).

        Raises:
            ValueError: ``per_digit`` out of range.
        """
        if not self.fewest_per_digit <= per_digit <= MAX_PER_DIGIT:
            raise ValueError(
                f"times per digit must be {self.fewest_per_digit} to {MAX_PER_DIGIT},"
                f" not {per_digit}"
            )
        queue = list(self.queue)
        for digit in range(10):
            for _ in range(self.per_digit - per_digit):  # fewer: drop its last places
                del queue[len(queue) - 1 - queue[::-1].index(digit)]
        rng = random.Random(seed)
        for digit in range(10):
            for _ in range(per_digit - self.per_digit):  # more: anywhere after the current
                queue.insert(rng.randint(min(1, len(queue)), len(queue)), digit)
        return TeachRound(per_digit, tuple(queue), self.last_saved, self.saved)
