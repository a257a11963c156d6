"""The drawing the canvas draws on: strokes, the gesture in progress, and their history.

Pure Python, so the canvas can import it before numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tuipad.core.drawing import (
    MAX_DRAWING_POINTS,
    MAX_STROKE_POINTS,
    Cell,
    Point,
    Stroke,
    Strokes,
    as_point,
    normalise_strokes,
)
from tuipad.core.geometry import drawing_pixels, erase, point_pixels, segment_pixels
from tuipad.core.gestures import Drawn, RubbedOut
from tuipad.core.history import History

SKETCH_POINT_LIMIT = MAX_DRAWING_POINTS
"""Most points a drawing holds; past it the pen draws nothing until the drawing shrinks.
The same number as files may hold, so whatever is drawn can be saved and read back
(a stroke likewise stops at :data:`~tuipad.core.drawing.MAX_STROKE_POINTS`).

A digit takes a hundred or two.  Every report copies the drawing's tuple of strokes
and every undo step keeps one, so without a bound an endless scribble slows each
report and grows memory without end."""


class Sketch:
    """A drawing being made: committed strokes, the gesture in progress, history.

    A stroke or an erase gesture in progress shows at once but becomes one
    undo step only when it ends, so undo and redo work by whole strokes.

    A key typed just before a stroke may be acted on after it, even after the
    stroke is lifted (see :mod:`tuipad.core.history`).  :meth:`clear`,
    :meth:`undo` and :meth:`redo` take when they were asked for and act as if
    then: strokes begun later are laid back on top of the result, or go on if
    still being drawn.
    """

    def __init__(self, strokes: Iterable[Iterable[Sequence[float]]] = ()) -> None:
        """Start a drawing.

        Args:
            strokes: Strokes to start with (not undoable).
        """
        self._history: History[Strokes] = History(normalise_strokes(strokes))
        self._current: list[Point] | None = None
        self._began = 0.0
        self._erased: Strokes | None = None
        self._rubbed: list[tuple[Cell, ...]] = []
        """The cells of each report of the erase gesture in progress, in turn."""
        self._erase_points: list[Point] = []
        self._counted: Strokes = ()
        self._committed_points = 0

    @property
    def strokes(self) -> Strokes:
        """The drawing, including the gesture in progress."""
        if self._erased is not None:
            return self._erased
        if self._current:
            return (*self._history.current, tuple(self._current))
        return self._history.current

    @property
    def drawing(self) -> bool:
        """Whether a stroke is in progress."""
        return self._current is not None

    @property
    def stroke_began(self) -> float | None:
        """When the stroke in progress began (``0``: with no time; ``None``: no stroke)."""
        return None if self._current is None else self._began

    @property
    def erasing(self) -> bool:
        """Whether an erase gesture is in progress."""
        return self._erased is not None

    @property
    def can_undo(self) -> bool:
        """Whether there is something to undo."""
        return self._history.can_undo or bool(self._current)

    @property
    def can_redo(self) -> bool:
        """Whether there is something to redo."""
        return self._history.can_redo

    def __bool__(self) -> bool:
        return bool(self.strokes)

    @property
    def point_count(self) -> int:
        """Points in the drawing, including the stroke in progress."""
        committed = self._history.current
        if committed is not self._counted:
            self._counted = committed
            self._committed_points = sum(map(len, committed))
        return self._committed_points + len(self._current or ())

    @property
    def full(self) -> bool:
        """Whether the drawing holds :data:`SKETCH_POINT_LIMIT` points and takes no more."""
        return self.point_count >= SKETCH_POINT_LIMIT

    @property
    def stroke_full(self) -> bool:
        """Whether the stroke in progress holds :data:`~tuipad.core.drawing.MAX_STROKE_POINTS`.

        The pen draws again once it is lifted and put down.
        """
        return len(self._current or ()) >= MAX_STROKE_POINTS

    def finish(self) -> bool:
        """End whatever gesture is in progress.

        Returns:
            Whether the drawing changed (a stroke or an erase was committed).
        """
        changed = False
        if self._current is not None:
            if self._current:
                changed = self._commit_stroke(self._began, tuple(self._current))
            self._current = None
        if self._erased is not None:
            self._erased = None
            rub = RubbedOut(tuple(self._erase_points), tuple(self._rubbed))
            changed = self._history.push_begun(rub, self._began) or changed
        return changed

    def _commit_stroke(self, began: float, stroke: tuple[Point, ...]) -> bool:
        """Commit a stroke begun at ``began`` (see :meth:`_change_as_of`)."""
        return self._history.push_begun(Drawn(stroke), began)

    def begin(self, point: Sequence[Any], *, at: float = 0.0) -> set[Cell]:
        """Put the pen down.

        Args:
            point: Where, in cell coordinates.
            at: When, on the clock changes are asked for by (see the class); the
                default is before any.

        Returns:
            The pixels newly inked (none when the drawing is :attr:`full`).
        """
        self.finish()
        if self.full:
            return set()
        start = as_point(point)
        self._current, self._began = [start], at
        return set(point_pixels(start))

    def extend(self, point: Sequence[Any]) -> set[Cell]:
        """Move the pen while it is down (starts a stroke if it is not).

        Args:
            point: The new position.

        Returns:
            The pixels of the segment from the previous position (empty if
            the position did not change, the drawing is :attr:`full` or the
            stroke holds :data:`~tuipad.core.drawing.MAX_STROKE_POINTS`).
        """
        if self._current is None:
            return self.begin(point)
        new = as_point(point)
        if self.full or self.stroke_full:
            return set()
        if self._current and self._current[-1] == new:
            return set()
        previous = self._current[-1] if self._current else new
        self._current.append(new)
        return segment_pixels(previous, new)

    def begin_erase(self, *, at: float = 0.0) -> None:
        """Start an erase gesture (undone as one step; ``at`` as for :meth:`begin`)."""
        self.finish()
        self._erased, self._began = self._history.current, at
        self._rubbed, self._erase_points = [], []

    def erase_at(self, cells: Iterable[Cell], *, point: Sequence[float] | None = None) -> bool:
        """Rub out around ``cells`` as part of the current erase gesture.

        The result shows at once; undo restores the drawing from before the
        gesture began.

        Args:
            cells: What the eraser passed over since its last report.
            point: Where it is now, so the drag can be drawn instead (see :meth:`retool`).

        Returns:
            Whether anything was rubbed out.
        """
        if self._erased is None:
            self.begin_erase()
        assert self._erased is not None
        if point is not None and as_point(point) not in self._erase_points[-1:]:
            self._erase_points.append(as_point(point))  # as a stroke keeps them
        cells = tuple(cells)
        self._rubbed.append(cells)  # rubbed out again should a late change go before
        new = erase(self._erased, cells)
        if new is self._erased:
            return False
        self._erased = new
        return True

    def _change_as_of(
        self, change: Callable[[], bool], asked_at: float | None, *, lay_back: bool = True
    ) -> bool:
        """Make a history change as if when it was asked for, at ``asked_at``.

        A stroke still being drawn that began after that goes on.  With ``lay_back``,
        strokes lifted since that began after it are taken off, the history as it was
        before them restored, the change made and the strokes laid back on; without (a
        replace: scribble mode's page loaded after an edit, which takes a stroke when it
        is lifted) a stroke being drawn goes on whenever it began.  With ``asked_at``
        ``None`` (asked for now) it is a plain change.  An erase in progress ends all the
        same, and is rubbed out again after the change if it began later.
        """
        goes_on = asked_at is not None and (not lay_back or self._began > asked_at)
        if self._current is None or not goes_on:
            self.finish()
        with self._history.as_of(asked_at if lay_back else None):
            return change()

    def strokes_as_of(self, asked_at: float | None) -> Strokes:
        """The drawing without the mouse strokes begun after ``asked_at`` (``None``: now),
        e.g. the drawing a late key asked to save.  Strokes begun with no time, the
        keyboard pen's, count as earlier."""
        if asked_at is None:
            return self.strokes
        if self._history.begun_after(asked_at):
            return self._history.value_as_of(asked_at)
        if self._began > asked_at and (self._current is not None or self._erased is not None):
            return self._history.current
        return self.strokes

    def clear(self, *, asked_at: float | None = None) -> bool:
        """Remove everything (undoable).

        Args:
            asked_at: When the clear was asked for, if before now (see the class).

        Returns:
            Whether there was anything to clear.
        """
        return self._change_as_of(lambda: self._history.push(()), asked_at)

    def replace(
        self, strokes: Iterable[Iterable[Sequence[float]]], *, asked_at: float | None = None
    ) -> bool:
        """Replace the drawing, e.g. with a loaded file (undoable).

        Args:
            strokes: The new drawing.
            asked_at: When it was asked for, if before now: a stroke begun later and
                still being drawn goes on, and those lifted since go on top of the new
                drawing unless it holds them already (scribble mode's page, which laid
                back the strokes it had taken in, but not those it had not yet).
        """
        drawing = normalise_strokes(strokes)
        later = self._history.begun_after(asked_at)
        lifted = [push.again.stroke for push in later if isinstance(push.again, Drawn)]
        new = (*drawing, *_missing(drawing, lifted))
        return self._change_as_of(lambda: self._history.push(new), asked_at, lay_back=False)

    def retool(self, *, erasing: bool, asked_at: float | None) -> bool:
        """Make the drags begun after ``asked_at`` again with the eraser (or the pen): a
        key that switched tools before a drag may be acted on after it.  A gesture in
        progress ends first; what follows of its drag starts another.

        Returns:
            Whether any drag was made again with the other tool.
        """
        self.finish()

        def remake(again: Callable[[Strokes], Strokes]) -> Callable[[Strokes], Strokes]:
            if not isinstance(again, Drawn | RubbedOut):
                return again
            return again.with_eraser() if erasing else again.with_pen()

        later = self._history.begun_after(asked_at)
        if all(remake(push.again) == push.again for push in later):
            return False
        with self._history.as_of(asked_at, remake):
            return True

    def undo(self, *, asked_at: float | None = None) -> bool:
        """Undo the last stroke, erase, clear or load.

        Args:
            asked_at: When the undo was asked for, if before now (see the class):
                what came before the strokes begun later is undone.

        Returns:
            Whether anything was undone.
        """
        return self._change_as_of(self._history.undo, asked_at)

    def redo(self, *, asked_at: float | None = None) -> bool:
        """Redo what :meth:`undo` undid.

        Args:
            asked_at: When the redo was asked for, if before now (see the class).

        Returns:
            Whether anything was redone.
        """
        return self._change_as_of(self._history.redo, asked_at)

    def pixels(self) -> set[Cell]:
        """Every pixel the drawing inks."""
        return drawing_pixels(self.strokes)


def _missing(drawing: Strokes, strokes: Iterable[Stroke]) -> list[Stroke]:
    """The ``strokes`` the drawing lacks, each counted as often as it comes."""
    left, missing = list(drawing), []
    for stroke in strokes:
        if stroke in left:
            left.remove(stroke)
        else:
            missing.append(stroke)
    return missing
