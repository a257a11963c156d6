"""Scribble mode's core: strokes on a page grouped into digits, digits into numbers.

A page is written freely, so before anything can be recognised the strokes
must be split into digits.  A stroke joins an earlier digit when it was written soon
after it (``join_seconds``), or later on its ink within its box, and shares enough of its
columns (``join_overlap``): the bar of a two-stroke ``4`` lies over the body drawn just
before, whereas the next digit starts to its right.  Digits on one line with small gaps
between them then form a number, read left to right.

Terminal cells are twice as tall as they are wide (:data:`~tuipad.core.geometry.CELL_ASPECT`),
so vertical distances are converted to column widths before they are compared.

Plain Python over frozen dataclasses: no Textual, no rich, and numpy or scikit-learn only in
:func:`recognise_groups`, which calls the one recognition path.  The screen keeps a
:class:`~tuipad.core.history.History` of :class:`Page` values, so undo restores exactly what
was on screen (:mod:`tuipad.store.page_files` keeps pages in files).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import Any

from tuipad.core.drawing import Stroke, Strokes
from tuipad.core.geometry import CELL_ASPECT, Box, inks_near, points_box
from tuipad.core.scribble_marks import number_text
from tuipad.core.scribble_params import DEFAULT_PARAMS as DEFAULT_PARAMS
from tuipad.core.scribble_params import DEFAULT_PAUSE as DEFAULT_PAUSE
from tuipad.core.scribble_params import ScribbleParams as ScribbleParams


@dataclass(frozen=True)
class TimedStroke:
    """One pen-down stroke and when it was written.

    Attributes:
        points: Reported positions in canvas cells (``x`` column, ``y`` row).
        start: When the pen went down, in seconds on any steady clock.
        end: When it was lifted, on the same clock.
    """

    points: Stroke
    start: float
    end: float

    @property
    def box(self) -> Box:
        """The cells the stroke touches."""
        return points_box(self.points)

    def shifted(self, dx: int, dy: int) -> TimedStroke:
        """The stroke moved by whole cells."""
        return replace(self, points=tuple((x + dx, y + dy) for x, y in self.points))

    def delayed(self, seconds: float) -> TimedStroke:
        """The stroke written ``seconds`` later."""
        return replace(self, start=self.start + seconds, end=self.end + seconds)


@dataclass(frozen=True)
class Group:
    """Strokes read as one digit.

    Attributes:
        strokes: Its strokes in writing order.
        bbox: The cells they touch.
        label: The digit read (or set by the user); ``None`` until recognised.
        scores: The model's ten scores, when it has read the group.
        corrected: Whether the user set the label (recognition leaves it alone).
        split: What the model's grid and path parts read, when they differ
            (:attr:`~tuipad.core.recognise.Prediction.split`).
    """

    strokes: tuple[TimedStroke, ...]
    bbox: Box
    label: int | None = None
    scores: tuple[float, ...] | None = field(default=None, compare=False)
    corrected: bool = False
    split: tuple[int, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, strokes: Sequence[TimedStroke]) -> Group:
        """An unread group of strokes (at least one)."""
        return cls(tuple(strokes), reduce(Box.union, (stroke.box for stroke in strokes)))

    @property
    def end(self) -> float:
        """When its last stroke was lifted."""
        return max(stroke.end for stroke in self.strokes)

    @property
    def paths(self) -> Strokes:
        """The strokes' positions, as the recogniser takes them."""
        return tuple(stroke.points for stroke in self.strokes)

    def shifted(self, dx: int, dy: int) -> Group:
        """The group moved by whole cells, keeping its label."""
        return replace(
            self,
            strokes=tuple(stroke.shifted(dx, dy) for stroke in self.strokes),
            bbox=self.bbox.shifted(dx, dy),
        )


@dataclass(frozen=True)
class Number:
    """Digits on one line close together, read left to right.

    Attributes:
        groups: The digits, left to right.
        text: Their labels joined (``?`` for a digit not read yet, ``.`` and ``-`` for a
            point and a minus sign: :mod:`tuipad.core.scribble_marks`).
    """

    groups: tuple[Group, ...]
    text: str

    @property
    def bbox(self) -> Box:
        """The cells its digits touch."""
        return reduce(Box.union, (group.bbox for group in self.groups))


# --------------------------------------------------------------------------- digits


def _overlap(low_a: int, high_a: int, low_b: int, high_b: int) -> int:
    """Length two half-open ranges have in common (negative: the gap between them)."""
    return min(high_a, high_b) - max(low_a, low_b)


def join_target(
    groups: Sequence[Group], stroke: TimedStroke, params: ScribbleParams = DEFAULT_PARAMS
) -> int | None:
    """The digit a new stroke belongs to, if any.

    Args:
        groups: The digits so far.
        stroke: The stroke just written.
        params: The grouping thresholds.

    Returns:
        The index in ``groups`` of the digit the stroke joins (within
        ``join_seconds`` of its end, or later inside its box), or ``None``.
        Among several, the one sharing the most columns wins, then the latest.
    """
    box = stroke.box
    best: tuple[float, float, int] | None = None
    for index, group in enumerate(groups):
        other = group.bbox
        if stroke.start - group.end > params.join_seconds and not _touches_up(group, stroke):
            continue
        columns = _overlap(box.left, box.right, other.left, other.right)
        share = columns / min(box.width, other.width)
        ends = (stroke.points[0][0], stroke.points[-1][0])
        pen_over = any(other.left <= math.floor(x) < other.right for x in ends)
        unfinished = columns >= -params.join_gap and other.height <= params.join_short * box.height
        if share < params.join_overlap and not pen_over and not unfinished:
            continue
        reach = math.ceil(params.join_reach * other.height)
        if _overlap(box.top, box.bottom, other.top - reach, other.bottom + reach) <= 0:
            continue
        key = (share, group.end, index)
        if best is None or key > best:
            best = key
    return None if best is None else best[2]


def _touches_up(group: Group, stroke: TimedStroke) -> bool:
    """Whether a stroke written later still belongs to ``group``: inside its box, on or beside
    its ink (a crossbar, a trace over it), and the user has not labelled it."""
    if group.corrected or not group.bbox.holds(stroke.box):
        return False
    return inks_near(group.paths, (stroke.points,))


def add_stroke(
    groups: Sequence[Group], stroke: TimedStroke, params: ScribbleParams = DEFAULT_PARAMS
) -> tuple[Group, ...]:
    """The digits after a new stroke: it joins one (which must be read again) or starts one.

    Args:
        groups: The digits so far.
        stroke: The stroke just written.
        params: The grouping thresholds.

    Returns:
        The digits, the changed or new one last (it is the latest writing).
    """
    target = join_target(groups, stroke, params)
    if target is None:
        return (*groups, Group.of([stroke]))
    joined = Group.of([*groups[target].strokes, stroke])
    return (*groups[:target], *groups[target + 1 :], joined)


def group_digits(
    strokes: Iterable[TimedStroke], params: ScribbleParams = DEFAULT_PARAMS
) -> tuple[Group, ...]:
    """Group strokes into digits, taking them in writing order.

    Args:
        strokes: The strokes, in any order (sorted by start time here).
        params: The grouping thresholds.

    Returns:
        The digits, unread, in the order their latest stroke was written.
    """
    groups: tuple[Group, ...] = ()
    for stroke in sorted(strokes, key=lambda s: (s.start, s.end)):
        if stroke.points:
            groups = add_stroke(groups, stroke, params)
    return groups


# --------------------------------------------------------------------------- numbers


def _same_line(a: Box, b: Box, params: ScribbleParams) -> bool:
    rows = _overlap(a.top, a.bottom, b.top, b.bottom)
    return rows >= params.line_overlap * min(a.height, b.height)


def group_numbers(
    groups: Iterable[Group], params: ScribbleParams = DEFAULT_PARAMS
) -> tuple[Number, ...]:
    """Join digits on one line with small gaps into numbers.

    Digits are taken left to right; each joins the number whose rightmost
    digit is on its line and near enough (``number_gap`` times the taller
    digit's height, in physical units), the one closest in height if several.

    Args:
        groups: The digits.
        params: The thresholds.

    Returns:
        The numbers in reading order (:func:`_reading_order`).
    """
    chains: list[list[Group]] = []
    for group in sorted(groups, key=lambda g: (g.bbox.left, g.bbox.top)):
        box = group.bbox
        best: tuple[float, int] | None = None
        for index, chain in enumerate(chains):
            last = chain[-1].bbox
            if not _same_line(last, box, params):
                continue
            gap = box.left - last.right
            if gap > params.number_gap * max(last.height, box.height) * CELL_ASPECT:
                continue
            offset = abs((box.top + box.bottom) - (last.top + last.bottom))
            if best is None or (offset, index) < best:
                best = (offset, index)
        if best is None:
            chains.append([group])
        else:
            chains[best[1]].append(group)
    numbers = [Number(tuple(chain), number_text(chain)) for chain in chains]
    return _reading_order(numbers, params)


def _reading_order(numbers: list[Number], params: ScribbleParams) -> tuple[Number, ...]:
    """Lines top to bottom, each left to right: a number on the line of one above it in
    the list (a hand starts a row higher or lower) is read on that line."""
    lines: list[list[Number]] = []
    for number in sorted(numbers, key=lambda n: (n.bbox.top, n.bbox.left)):
        line = next((ln for ln in lines if _same_line(ln[0].bbox, number.bbox, params)), None)
        if line is None:
            lines.append([number])
        else:
            line.append(number)
    return tuple(number for line in lines for number in sorted(line, key=lambda n: n.bbox.left))


# --------------------------------------------------------------------------- reading


def recognise_groups(
    model: Any, groups: Sequence[Group], *, again: bool = False
) -> tuple[Group, ...]:
    """Read the digits not read yet, in one model call.

    Args:
        model: What recognises (``LoadedModel.predictor``).
        groups: The digits.
        again: Read every digit the user did not label (another model read them).

    Returns:
        The digits, those without a label now labelled with their scores.
    """
    todo = [
        index
        for index, group in enumerate(groups)
        if group.label is None or (again and not group.corrected)
    ]
    if not todo:
        return tuple(groups)
    from tuipad.core.recognise import recognise_each

    found = recognise_each(model, [groups[index].paths for index in todo])
    result = list(groups)
    for index, prediction in zip(todo, found, strict=True):
        result[index] = replace(
            groups[index],
            label=prediction.label,
            scores=prediction.scores,
            split=prediction.split,
        )
    return tuple(result)


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Page:
    """Everything written in scribble mode.

    Attributes:
        groups: The digits, in the order they were last written to.
    """

    groups: tuple[Group, ...] = ()

    @property
    def strokes(self) -> Strokes:
        """All strokes' positions, digit by digit, as the canvas paints them."""
        return tuple(path for group in self.groups for path in group.paths)

    @property
    def numbers(self) -> tuple[Number, ...]:
        """The numbers on the page, in reading order."""
        return group_numbers(self.groups)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def with_stroke(self, stroke: TimedStroke, params: ScribbleParams = DEFAULT_PARAMS) -> Page:
        """The page with a new stroke (see :func:`add_stroke`)."""
        return Page(add_stroke(self.groups, stroke, params))

    def without(self, index: int) -> Page:
        """The page with digit ``index`` erased."""
        return Page(self.groups[:index] + self.groups[index + 1 :])

    def moved(self, index: int, dx: int, dy: int) -> Page:
        """The page with digit ``index`` moved by whole cells."""
        moved = self.groups[index].shifted(dx, dy)
        return Page((*self.groups[:index], moved, *self.groups[index + 1 :]))

    def relabelled(self, index: int, label: int) -> Page:
        """The page with digit ``index`` labelled ``label`` by the user.

        Raises:
            ValueError: If ``label`` is not a digit.
        """
        if not 0 <= label <= 9:
            raise ValueError(f"a label is a digit 0-9, not {label}")
        groups = list(self.groups)
        groups[index] = replace(groups[index], label=label, corrected=True)
        return Page(tuple(groups))

    def as_kept(self) -> Page:
        """The page as its file keeps it: the strokes and the user's labels, no readings
        (:mod:`tuipad.store.page_files`), so a page read again by another model is as saved."""
        return Page(
            tuple(
                g if g.corrected else replace(g, label=None, scores=None, split=())
                for g in self.groups
            )
        )

    def recognised(self, model: Any, *, again: bool = False) -> Page:
        """The page with every unread digit read (see :func:`recognise_groups`)."""
        return Page(recognise_groups(model, self.groups, again=again))

    @property
    def end(self) -> float:
        """When the last stroke on the page was lifted (0 for an empty page)."""
        return max((group.end for group in self.groups), default=0.0)

    @property
    def start(self) -> float:
        """When the first stroke on the page began (0 for an empty page)."""
        return min((s.start for group in self.groups for s in group.strokes), default=0.0)

    def delayed(self, seconds: float) -> Page:
        """The page with every stroke's times ``seconds`` later; digits, labels and scores kept."""
        return Page(
            tuple(
                replace(group, strokes=tuple(stroke.delayed(seconds) for stroke in group.strokes))
                for group in self.groups
            )
        )
