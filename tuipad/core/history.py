"""Undo and redo: a value with per-instance undo and redo stacks of whole values.

A history keeps whole immutable values (a drawing's strokes, a scribble
page), not the edits between them, so undo restores exactly what was on
screen and the stacks stay simple.  Pure Python, so the canvas can import it
before numpy.
"""

from __future__ import annotations

from typing import Generic, TypeVar

HISTORY_LIMIT = 500
"""Most undo steps kept; older ones are dropped."""

T = TypeVar("T")

Snapshot = tuple[T, tuple[T, ...], tuple[T, ...], object]
"""A history's value, undo and redo stacks and coalescing key (see :meth:`History.snapshot`)."""


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
        if value == self.current:
            return False
        if coalesce is None or coalesce != self._last_key or not self._undo:
            self._undo.append(self.current)
            del self._undo[: -self._limit]
        self._last_key = coalesce
        self._redo.clear()
        self.current = value
        return True

    def update(self, value: T) -> None:
        """Replace the current value without an undo step (e.g. digits just read)."""
        self.current = value

    def snapshot(self) -> Snapshot[T]:
        """Everything :meth:`restore` needs to go back to now, stacks included."""
        return self.current, tuple(self._undo), tuple(self._redo), self._last_key

    def restore(self, snapshot: Snapshot[T]) -> None:
        """Go back to a :meth:`snapshot`, as if nothing after it had happened."""
        self.current, undo, redo, self._last_key = snapshot
        self._undo, self._redo = list(undo), list(redo)

    def undo(self) -> bool:
        """Go back one step; returns whether there was one."""
        if not self._undo:
            return False
        self._redo.append(self.current)
        self.current = self._undo.pop()
        self._last_key = None
        return True

    def redo(self) -> bool:
        """Redo what :meth:`undo` undid; returns whether there was anything."""
        if not self._redo:
            return False
        self._undo.append(self.current)
        self.current = self._redo.pop()
        self._last_key = None
        return True
