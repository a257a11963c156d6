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
    """

    began: float
    again: Callable[[T], T]
    before: Snapshot[T]


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

    def push_begun(self, again: Callable[[T], T], began: float) -> bool:
        """Push ``again(current)``, made by a gesture begun at ``began`` (see :meth:`as_of`).

        Args:
            again: Makes the push on a value, e.g. adds a stroke.
            began: When the gesture began; ``0`` (no time) counts as before any change.

        Returns:
            Whether the value changed.
        """
        before = self._snapshot()
        changed = self._push(again(self.current), None)
        # Kept though it changed nothing (an erase drag over no ink): made again with
        # another tool, it may (see tuipad.core.gestures).
        self._timed.append(TimedPush(began, again, before))
        del self._timed[:-LATE_PUSHES_KEPT]
        return changed

    def begun_after(self, asked_at: float | None) -> list[TimedPush[T]]:
        """The timed pushes since the last other change begun after ``asked_at`` (none if
        ``asked_at`` is ``None``, now), oldest first."""
        return self._split(asked_at)[2]

    def _split(
        self, asked_at: float | None
    ) -> tuple[Snapshot[T] | None, list[TimedPush[T]], list[TimedPush[T]]]:
        """Where a change made as of ``asked_at`` goes: the history to go back to (``None``:
        now), and the timed pushes since then to make again before the change (begun
        earlier, as those with no time are) and after it (begun later)."""
        if asked_at is not None:
            for index, first in enumerate(self._timed):
                if first.began > asked_at:
                    since = self._timed[index:]
                    earlier = [push for push in since if push.began <= asked_at]
                    later = [push for push in since if push.began > asked_at]
                    return first.before, earlier, later
        return None, [], []

    def value_as_of(self, asked_at: float | None) -> T:
        """The value without the timed pushes begun after ``asked_at`` (``None``: now)."""
        before, earlier, _later = self._split(asked_at)
        if before is None:
            return self.current
        value = before[0]
        for push in earlier:
            value = push.again(value)
        return value

    @contextmanager
    def as_of(
        self,
        asked_at: float | None,
        remake: Callable[[Callable[[T], T]], Callable[[T], T]] | None = None,
    ) -> Iterator[list[TimedPush[T]]]:
        """Make the changes within as if when they were asked for, at ``asked_at``.

        The timed pushes begun later are taken back on entry, and pushed again, with
        their own times, on what the changes leave (each made by ``remake(again)``, if
        given: the same gesture with another tool); any pushed after them but begun
        earlier go back on before the changes.  With ``asked_at`` ``None`` (asked for
        now) the changes are plain.  A value :meth:`update` gave since the first push
        taken back is lost: the caller works it out again.

        Yields:
            The pushes taken back, oldest first.
        """
        before, earlier, later = self._split(asked_at)
        if before is not None:
            self._restore(before)
        for push in earlier:
            self.push_begun(push.again, push.began)
        try:
            yield later
        finally:
            for push in later:
                self.push_begun(push.again if remake is None else remake(push.again), push.began)

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
