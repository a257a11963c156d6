"""A drawing's gestures as history pushes: a stroke drawn, an erase drag rubbed out.

Each is what :class:`~tuipad.core.history.History` makes again on top of a change
asked for before the gesture began, and each can be made again with the other
tool, for a key that switched tools before the drag but was acted on after it.
Pure Python, as the canvas imports it before numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tuipad.core.drawing import Cell, Point, Stroke, Strokes
from tuipad.core.geometry import cell_of, erase, line_cells

Rubbed = tuple[tuple[Cell, ...], ...]
"""The cells an erase drag rubbed out, report by report."""


@dataclass(frozen=True)
class Drawn:
    """A stroke, as a push: adds itself to a drawing."""

    stroke: Stroke

    def __call__(self, strokes: Strokes) -> Strokes:
        return (*strokes, self.stroke)

    def with_eraser(self) -> RubbedOut:
        """The same drag made with the eraser."""
        return RubbedOut(self.stroke, rubbed_along(self.stroke))

    def with_pen(self) -> Drawn:
        """Itself: drawn with the pen already."""
        return self


@dataclass(frozen=True)
class RubbedOut:
    """An erase drag, as a push: rubs its reports out in turn.

    Attributes:
        points: Where the drag went (empty when not known).
        rubbed: What it rubbed out, report by report.
    """

    points: tuple[Point, ...]
    rubbed: Rubbed

    def __call__(self, strokes: Strokes) -> Strokes:
        for cells in self.rubbed:
            strokes = erase(strokes, cells)
        return strokes

    def with_eraser(self) -> RubbedOut:
        """Itself: made with the eraser already."""
        return self

    def with_pen(self) -> Drawn | RubbedOut:
        """The same drag drawn with the pen (itself if where it went is not known)."""
        return Drawn(self.points) if self.points else self


def rubbed_along(points: Sequence[Point]) -> Rubbed:
    """What an eraser dragged through ``points`` rubs out, report by report, as the
    canvas rubs along the line between two reports that skip cells."""
    cells = [cell_of(point) for point in points]
    starts = [*cells[:1], *cells[:-1]]
    return tuple(tuple(line_cells(a, b)) for a, b in zip(starts, cells, strict=True))
