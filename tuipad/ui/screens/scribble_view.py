"""What scribble mode shows over its page: frames, numbers and the line under it.

Pure functions of the core's :class:`~tuipad.core.scribble.Page` and of when
the pen last rested, so the screen only decides when to show them.  A digit
is framed once it was written before the last pause (``settled_at``).
"""

from __future__ import annotations

from collections.abc import Collection

from tuipad.core.drawing import Cell
from tuipad.core.geometry import Box
from tuipad.core.recognise import (
    doubt_text,
    named_contenders,
    read_strokes,
    shape_doubt,
)
from tuipad.core.scribble import Group, Number, Page
from tuipad.core.scribble_marks import MARKS, small_beside
from tuipad.ui.widgets.scribble_canvas import (
    CORRECTED,
    FRAME,
    HINT,
    LABEL,
    SELECTED,
    UNSURE,
    OverlayCell,
    add_frame,
    frame_cells,
)

EMPTY_PAGE_HINT = (
    "Write digits anywhere on this page",
    "with the mouse, or the arrow keys and space.",
    "They are read when you pause · ? for help",
)
"""What an empty page says, so it does not open as a blank screen."""

SMALL_BESIDE = "small beside the other digits"
"""Why a digit the model is sure of is underlined: a comma, say, read as a 1."""

MARK_NAMES = {".": "a decimal point", "-": "a minus sign"}
"""How the line under the page names a mark that is not a digit."""


def scores_text(group: Group, top: int = 3, *, small: bool = False) -> str:
    """A digit's best scores, e.g. ``2 91% · 7 5% · 1 2%``, after its doubt if any (``small``:
    it is small beside the other digits of its number).  Every digit the doubt names is
    among them, however low its score."""
    scores = group.scores
    if scores is None:
        return "not read by the model" if group.label is None else f"{group.label} (yours)"
    doubt = doubted(group)
    why = outline_doubt(group) if doubt else ""
    if not doubt and small and not group.corrected and group.label is not None:
        doubt, why = (group.label,), SMALL_BESIDE
    ranked = sorted(range(len(scores)), key=lambda d: -scores[d])
    named_first = list(dict.fromkeys((*doubt, *ranked)))[: max(top, len(doubt))]
    shown = sorted(named_first, key=ranked.index)
    unsure = f"unsure: {doubt_text(doubt)}{f' ({why})' if why else ''} · " if doubt else ""
    return unsure + " · ".join(f"{d} {scores[d]:.0%}" for d in shown)


def is_framed(group: Group, settled_at: float) -> bool:
    """Whether the digit was written before the pen last rested."""
    return group.end <= settled_at


def page_overlay(
    page: Page, settled_at: float, selected: int | None, size: tuple[int, int]
) -> dict[Cell, OverlayCell]:
    """Frames around the digits written before the last pause, numbers under them.

    Frames and labels stay on the canvas for digits that do (:func:`framed_box`,
    :func:`label_row`), so what was read shows for a number written at its bottom.

    Args:
        page: The page.
        settled_at: When the pen last rested, on the page's clock.
        selected: Index of the selected digit, framed in its own style.
        size: The canvas's width and height: where its edges are, and the hint's centre.

    Returns:
        The overlay's characters and styles by cell.
    """
    if not page.groups:
        return hint_cells(*size)
    cells: dict[Cell, OverlayCell] = {}
    framed = [g for g in page.groups if is_framed(g, settled_at)]
    for index, group in enumerate(page.groups):
        if group in framed:
            box = framed_box(group.bbox, *size)
            style = SELECTED if index == selected else FRAME
            add_frame(cells, frame_cells(box.left, box.top, box.right, box.bottom, style))
    frames = set(cells)
    for number in Page(tuple(framed)).numbers:
        box = framed_box(number.bbox, *size)
        text = number.text
        style = CORRECTED if any(g.corrected for g in number.groups) else LABEL
        start = box.left + (box.width - len(text)) // 2
        framed_rows = {y for x, y in frames if start <= x < start + len(text)}
        row = label_row(box, size[1], framed_rows)
        for offset, (char, _, doubt) in enumerate(digit_doubts(number)):
            cells[(start + offset, row)] = (char, UNSURE if doubt else style)
    return cells


def framed_box(box: Box, width: int, height: int) -> Box:
    """The cells a frame goes around: the ink's, less a line where the ink meets an edge.

    A frame runs just outside the ink, so ink that reaches the canvas's edge would push
    that side of the frame off the canvas.  The frame is drawn on the edge instead, over
    the ink's outer cells (ink wins over it), so every digit on the canvas shows a whole
    frame.  Ink that goes past the edge keeps its frame open there: it is cut off.

    Args:
        box: The ink's cells.
        width: Canvas columns.
        height: Canvas rows.

    Returns:
        The box to pass to :func:`frame_cells`.
    """
    if width < 1 or height < 1:
        return box  # not laid out yet
    return Box(
        box.left + (box.left == 0),
        box.top + (box.top == 0),
        box.right - (box.right == width),
        box.bottom - (box.bottom == height),
    )


def label_row(box: Box, height: int, taken: Collection[int] = ()) -> int:
    """The row a number's label goes on: under its frame, else over it.

    A number written at the bottom of the canvas has no row under its frame; the label
    goes over the frame then, and on its top line when the number is as tall as the page.
    A row where another number's frames are (``taken``) is passed over: lines written a
    row apart would otherwise show each other's labels; with neither row free, the label
    goes on its own frame's top line.

    Args:
        box: The cells the number's frame goes around (:func:`framed_box`).
        height: Canvas rows.
        taken: Rows where frames cross the label's columns.
    """
    rows = [row for row in (box.bottom + 1, box.top - 2) if 0 <= row < height]
    free = [row for row in rows if row not in taken]
    return free[0] if free else max(0, box.top - 1)  # else on its own frame's top line


def hint_cells(width: int, height: int) -> dict[Cell, OverlayCell]:
    """:data:`EMPTY_PAGE_HINT`, centred on a canvas of this size (cut to fit).

    Args:
        width: Canvas columns.
        height: Canvas rows.

    Returns:
        The hint's characters and style by cell.
    """
    top = (height - len(EMPTY_PAGE_HINT)) // 2
    cells: dict[Cell, OverlayCell] = {}
    for row, line in enumerate(EMPTY_PAGE_HINT):
        text = line[:width]
        left = (width - len(text)) // 2
        for column, char in enumerate(text):
            if char != " ":
                cells[(left + column, top + row)] = (char, HINT)
    return cells


def digit_doubts(number: Number) -> list[tuple[str, Group, tuple[int, ...]]]:
    """Each character of a number with its digit and the digits to name as doubtful: the
    model's, or the label alone for a digit small beside the others; none for a mark."""
    boxes = [group.bbox for group in number.groups]
    found = []
    for char, group in zip(number.text, number.groups, strict=True):
        doubt = () if char in MARKS else doubted(group)
        if char not in MARKS and not doubt and small_beside(group.bbox, boxes):
            doubt = () if group.corrected or group.label is None else (group.label,)
        found.append((char, group, doubt))
    return found


def is_unsure(group: Group) -> bool:
    """Whether the model hesitated over a digit the user has not relabelled."""
    return bool(doubted(group))


def doubted(group: Group) -> tuple[int, ...]:
    """The digits to name as doubtful, as the sketchpad names them: the contenders, or
    the label alone when the outline is no digit's (a tap, a dash); empty when sure or
    relabelled."""
    if group.corrected or group.scores is None or group.label is None:
        return ()
    found = named_contenders(group.label, group.scores, group.split)
    return found or ((group.label,) if outline_doubt(group) else ())


def outline_doubt(group: Group) -> str:
    """Why the digit's outline, as read, rules out one digit (``"too small"``, ``"too flat"``,
    ``"2 digits side by side"``: :func:`~tuipad.core.recognise.shape_doubt`), or ``""``."""
    return shape_doubt(read_strokes(group.paths)[0])


def user_label(group: Group) -> str:
    """How a label the user set is described: a relabel, or the model's reading confirmed."""
    if group.scores is not None and group.label == max(
        range(len(group.scores)), key=group.scores.__getitem__
    ):
        return "confirmed"
    return "relabelled"


def page_info(page: Page, settled_at: float, focus: int | None) -> str | None:
    """The line under the page: the scores of the digit in focus, or the numbers read.

    Args:
        page: The page.
        settled_at: When the pen last rested, on the page's clock.
        focus: Index of the selected (else hovered) digit.

    Returns:
        The line, or ``None`` when nothing is read yet.
    """
    groups = page.groups
    # Read as the frames show it: a digit being written must not turn a dot into a digit.
    numbers = Page(tuple(g for g in groups if is_framed(g, settled_at))).numbers
    if focus is not None and focus < len(groups):
        group = groups[focus]
        number = next((n for n in numbers if group in n.groups), None)
        if number is None or not is_framed(group, settled_at):
            return f"digit being written · {scores_text(group)}"
        char = number.text[number.groups.index(group)]
        if char in MARKS:
            return f"{number.text} · {MARK_NAMES[char]}, not a digit (a digit key makes it one)"
        digits = [g for c, g in zip(number.text, number.groups, strict=True) if c not in MARKS]
        corrected = f" ({user_label(group)})" if group.corrected else ""
        small = small_beside(group.bbox, [g.bbox for g in number.groups])
        return (
            f"{number.text} · digit {digits.index(group) + 1} of {len(digits)}: "
            f"{scores_text(group, small=small)}{corrected}"
        )
    if not numbers:
        return None
    doubts = [doubt_text(doubt) for n in numbers for _, _, doubt in digit_doubts(n) if doubt]
    check = f"  · unsure: {', '.join(doubts)} (underlined)" if doubts else ""
    return "read: " + "  ".join(n.text for n in numbers) + check


def status_line(
    page: Page, settled_at: float, focus: int | None, waiting: str | None, pause: float
) -> str:
    """The line under the page: a digit's scores, the numbers read, or what to do.

    Args:
        page: The page.
        settled_at: When the pen last rested, on the page's clock.
        focus: Index of the selected (else hovered) digit.
        waiting: What the app says while the model loads; ``None`` once it has.
        pause: Seconds of rest before writing is read.
    """
    info = page_info(page, settled_at, focus)
    if info is not None:
        return info
    if waiting is not None:
        return waiting
    return f"write digits anywhere: they are read after a {pause:g} s pause"


def group_near(page: Page, x: int, y: int) -> int | None:
    """The digit whose frame (or ink box) holds the cell, if any (the latest on top)."""
    for index in range(len(page.groups) - 1, -1, -1):
        box = page.groups[index].bbox
        if box.left - 1 <= x <= box.right and box.top - 1 <= y <= box.bottom:
            return index
    return None


def next_selection(page: Page, selected: int | None, step: int) -> int:
    """The digit to select after ``selected`` in reading order (a number's digits left to
    right, numbers line by line), wrapping around.

    Args:
        page: A page with at least one digit.
        selected: Index of the selected digit, or ``None``.
        step: ``1`` for the next digit, ``-1`` for the previous one.
    """
    index = {id(group): i for i, group in enumerate(page.groups)}
    order = [index[id(group)] for number in page.numbers for group in number.groups]
    if selected is None:
        return order[0] if step > 0 else order[-1]
    return order[(order.index(selected) + step) % len(order)]


def clamped_shift(group: Group, dx: int, dy: int, width: int, height: int) -> tuple[int, int]:
    """How far a digit may move by ``(dx, dy)`` and stay on a ``width`` x ``height`` page."""
    box = group.bbox
    return (
        max(-box.left, min(dx, width - box.right)),
        max(-box.top, min(dy, height - box.bottom)),
    )
