"""Undo and redo: a value with per-instance undo and redo stacks of whole values.

A history keeps whole immutable values (a drawing's strokes, a scribble
page), not the edits between them, so undo restores exactly what was on
screen and the stacks stay simple.  Pure Python, so the canvas can import it
before numpy.

A key and the mouse reports after it reach their handlers by different queues,
so ``c`` typed just before a stroke may be acted on after the stroke is lifted.
A stroke is therefore pushed with when it began (:meth:`History.push_begun`),
and a key's change is made as of when it was typed (:meth:`History.as_of`): the
pushes begun later are taken back, the change made, and they are made again on
top of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, NamedTuple, TypeVar

HISTORY_LIMIT = 500
"""Most undo steps kept; older ones are dropped."""

LATE_PUSHES_KEPT = 16
"""Timed pushes a late change can still be put before: far more strokes than can be
lifted between a key and its action."""

T = TypeVar("T")

Snapshot = tuple[T, tuple[T, ...], tuple[T, ...], object]
"""A history's value, undo and redo stacks and coalescing key."""


class TimedPush(NamedTuple, Generic[T]):
    """A push made by a gesture begun at a time, and what it takes to put a change before it.

    Attributes:
        began: When the gesture began, on the clock changes are asked for by.
        again: Makes the same push on another value (adds the stroke to it).
        before: The history just before the push.
        note: Whatever else the caller had before it (e.g. the selection).
    """

    began: float
    again: Callable[[T], T]
    before: Snapshot[T]
    note: object


class History(Generic[T]):
    """A value with per-instance undo and redo stacks of whole values.

    Attributes:
        current: The value now.
    """

    def __init__(self, initial: T, *, limit: int = HISTORY_LIMIT) -> None:
        """Start with ``initial`` (not undoable).

        Args:
            initial: The first value.
            limit: Most undo steps kept.
        """
        self.current = initial
        self._limit = limit
        self._undo: list[T] = []
        self._redo: list[T] = []
        self._last_key: object = None
        self._timed: list[TimedPush[T]] = []
        """Timed pushes since the last other change, oldest first."""

    @property
    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """Whether there is a step to redo."""
        return bool(self._redo)

    def push(self, value: T, *, coalesce: object = None) -> bool:
        """Make ``value`` current, keeping the old one for undo.

        Args:
            value: The new value.
            coalesce: Consecutive pushes with the same non-``None`` key are one
                undo step (the arrow presses of one move).

        Returns:
            Whether the value changed.
        """
        self._timed.clear()
        return self._push(value, coalesce)

    def _push(self, value: T, coalesce: object) -> bool:
        if value == self.current:
            return False
        if coalesce is None or coalesce != self._last_key or not self._undo:
            self._undo.append(self.current)
            del self._undo[: -self._limit]
        self._last_key = coalesce
        self._redo.clear()
        self.current = value
        return True

    def push_begun(self, again: Callable[[T], T], began: float, *, note: object = None) -> bool:
        """Push ``again(current)``, made by a gesture begun at ``began`` (see :meth:`as_of`).

        Args:
            again: Makes the push on a value, e.g. adds a stroke.
            began: When the gesture began; ``0`` (no time) counts as before any change.
            note: Kept with the push for the caller (see :meth:`begun_after`).

        Returns:
            Whether the value changed.
        """
        before = self._snapshot()
        if not self._push(again(self.current), None):
            return False
        self._timed.append(TimedPush(began, again, before, note))
        del self._timed[:-LATE_PUSHES_KEPT]
        return True

    def begun_after(self, asked_at: float | None) -> list[TimedPush[T]]:
        """The timed pushes since the last other change, from the first begun after
        ``asked_at`` on (none if ``asked_at`` is ``None``, now)."""
        if asked_at is not None:
            for index, push in enumerate(self._timed):
                if push.began > asked_at:
                    return self._timed[index:]
        return []

    def value_as_of(self, asked_at: float | None) -> T:
        """The value without the timed pushes begun after ``asked_at`` (``None``: now)."""
        later = self.begun_after(asked_at)
        return later[0].before[0] if later else self.current

    @contextmanager
    def as_of(self, asked_at: float | None) -> Iterator[list[TimedPush[T]]]:
        """Make the changes within as if when they were asked for, at ``asked_at``.

        The timed pushes begun later are taken back on entry, and pushed again, with
        their own times, on what the changes leave.  With ``asked_at`` ``None`` (asked
        for now) the changes are plain.

        Yields:
            The pushes taken back, oldest first (their notes tell what went with them).
        """
        later = self.begun_after(asked_at)
        if later:
            self._restore(later[0].before)
        try:
            yield later
        finally:
            for push in later:
                self.push_begun(push.again, push.began, note=push.note)

    def update(self, value: T) -> None:
        """Replace the current value without an undo step (e.g. digits just read)."""
        self.current = value

    def _snapshot(self) -> Snapshot[T]:
        return self.current, tuple(self._undo), tuple(self._redo), self._last_key

    def _restore(self, snapshot: Snapshot[T]) -> None:
        self.current, undo, redo, self._last_key = snapshot
        self._undo, self._redo = list(undo), list(redo)
        self._timed.clear()

    def undo(self) -> bool:
        """Go back one step; returns whether there was one."""
        self._timed.clear()
        if not self._undo:
            return False
        self._redo.append(self.current)
        self.current = self._undo.pop()
        self._last_key = None
        return True

    def redo(self) -> bool:
        """Redo what :meth:`undo` undid; returns whether there was anything."""
        self._timed.clear()
        if not self._redo:
            return False
        self._undo.append(self.current)
        self.current = self._redo.pop()
        self._last_key = None
        return True
