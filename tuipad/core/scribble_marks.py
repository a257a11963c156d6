"""A decimal point and a minus sign among the digits of a number in scribble mode.

Scribble mode groups every mark on the page into digits, so without this a
point would be read as a (doubtful) digit: "3.5" as "345".  A mark is told
from a digit by its size next to the number's digits, which the model cannot
see: it reads each drawing scaled to the same height.  A mark the user
relabelled is the digit they said.

Plain Python over boxes: no numpy, no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tuipad.core.geometry import CELL_ASPECT, Box

MARKS = ".-"
"""What a number's text may hold besides digits and ``?``."""

POINT_WIDTH = 2
"""The widest a point is, in cells: one row high, one or two cells wide."""

MARK_SHARE = 0.3
"""A point's size and a minus sign's height at most this share of the number's tallest
digit (physical units): a tapped cell beside digits four rows tall or more."""


class Written(Protocol):
    """What a number's text needs of a digit (:class:`tuipad.core.scribble.Group`)."""

    @property
    def bbox(self) -> Box: ...

    @property
    def label(self) -> int | None: ...

    @property
    def corrected(self) -> bool: ...


def number_text(groups: Sequence[Written]) -> str:
    """A number's text, one character a group: its digit, ``?`` if not read yet, or a mark.

    Args:
        groups: The number's digits, left to right.
    """
    boxes = [group.bbox for group in groups]
    return "".join(_character(group, index, boxes) for index, group in enumerate(groups))


def _character(group: Written, index: int, boxes: Sequence[Box]) -> str:
    if not group.corrected and len(boxes) > 1:
        mark = mark_of(group.bbox, boxes, first=index == 0)
        if mark:
            return mark
    return "?" if group.label is None else str(group.label)


def mark_of(box: Box, boxes: Sequence[Box], *, first: bool) -> str:
    """``"."`` for a dot of one row in the lowest quarter of the line, ``"-"`` for a short
    dash opening the number level with the middle of its digits, else ``""``.

    Args:
        box: The cells of the mark.
        boxes: The cells of every group of its number (``box`` among them).
        first: Whether it is the number's leftmost group.
    """
    tallest = max(boxes, key=lambda other: other.height)
    limit = MARK_SHARE * tallest.height * CELL_ASPECT
    high, wide = box.height * CELL_ASPECT, float(box.width)
    if high > limit:
        return ""
    middle, quarter = (tallest.top + tallest.bottom) / 2, tallest.height / 4
    centre = (box.top + box.bottom) / 2
    if centre > middle + quarter:
        # A tap, or a dot a cell or two wide: a comma's tail or a small 0 takes more rows.
        return "." if box.height == 1 and box.width <= POINT_WIDTH else ""
    level = abs(centre - middle) <= quarter
    return "-" if first and level and high <= wide <= tallest.height * CELL_ASPECT else ""


def small_beside(box: Box, boxes: Sequence[Box]) -> bool:
    """Whether a digit is at most half as tall as its number's tallest: a comma or a slip
    the model reads as a digit (it sees every drawing scaled to one height), worth a look."""
    return len(boxes) > 1 and 2 * box.height <= max(other.height for other in boxes)
