"""Scribble page files: what scribble mode saves and opens.

``{"format": "tuipad-scribble", "version": 1, "groups": [{"label": 7 or null,
"strokes": [{"points": [[x, y], ...], "start": t, "end": t}, ...]}, ...]}``.
A label is kept only for a digit the user corrected: the others are read
again on load, so a file never carries a stale reading of another model.  A
sketchpad drawing opens as a page too.  A bad file raises
:class:`PageFileError`, one line naming the file and what is wrong.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from tuipad.core.drawing import MAX_STROKE_POINTS, as_point, checked_number, normalise_strokes
from tuipad.core.scribble import (
    DEFAULT_PARAMS,
    Group,
    Page,
    ScribbleParams,
    TimedStroke,
    group_digits,
)
from tuipad.store.drawing_files import PAGE_FORMAT, read_text
from tuipad.store.files import write_named_file
from tuipad.store.paths import user_path
from tuipad.store.reading import parse_json

PAGE_VERSION = 1
"""The version of the saved page format."""


MAX_PAGE_STROKES = 1_000
"""Most strokes on a page: a full screen of written numbers has a few hundred,
and grouping strokes into digits takes time that grows with their square."""


class PageFileError(ValueError):
    """A page file could not be read; the message is one line."""


def _check_stroke_count(count: int) -> None:
    if count > MAX_PAGE_STROKES:
        raise PageFileError(f"a page may have at most {MAX_PAGE_STROKES:,} strokes")


def page_to_json(page: Page) -> str:
    """The page as JSON: digits with their strokes, times and corrected labels."""

    def number(value: float) -> float | int:
        return int(value) if float(value).is_integer() else round(value, 3)

    def stroke(timed: TimedStroke) -> dict[str, Any]:
        points = [[number(x), number(y)] for x, y in timed.points]
        return {"points": points, "start": round(timed.start, 3), "end": round(timed.end, 3)}

    groups = [
        {
            "label": group.label if group.corrected else None,
            "strokes": [stroke(timed) for timed in group.strokes],
        }
        for group in page.groups
    ]
    data = {"format": PAGE_FORMAT, "version": PAGE_VERSION, "groups": groups}
    return json.dumps(data, separators=(",", ":")) + "\n"


def _time(data: dict[str, Any], key: str) -> float:
    """A stroke's ``start`` or ``end`` as a finite float."""
    try:
        return float(checked_number(data.get(key)))
    except ValueError:
        raise PageFileError(f"{key} must be a finite number") from None


def _timed_stroke(data: Any) -> TimedStroke:
    """One stroke of a page file, checked."""
    if not isinstance(data, dict) or not isinstance(data.get("points"), list):
        raise PageFileError('a stroke must be {"points": [[x, y], ...], "start": t, "end": t}')
    if len(data["points"]) > MAX_STROKE_POINTS:
        raise PageFileError(f"a stroke may have at most {MAX_STROKE_POINTS:,} positions")
    try:
        points = tuple(as_point(point) for point in data["points"])
    except ValueError as error:
        raise PageFileError(str(error)) from None
    if not points:
        raise PageFileError("a stroke has no points")
    start = _time(data, "start")
    return TimedStroke(points, start, max(start, _time(data, "end")))


def _page_group(entry: Any) -> Group | None:
    """One digit of a page file, checked (``None`` if it has no strokes)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("strokes"), list):
        raise PageFileError('a group must be {"label": ..., "strokes": [...]}')
    strokes = [_timed_stroke(stroke) for stroke in entry["strokes"]]
    if not strokes:
        return None
    group = Group.of(strokes)
    label = entry.get("label")
    if label is None:
        return group
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
        raise PageFileError("a label must be a digit 0-9 or null")
    return replace(group, label=label, corrected=True)


def _drawing_as_page(data: dict[str, Any], params: ScribbleParams) -> Page:
    """A sketchpad drawing's strokes, taken as written one after another and grouped."""
    try:
        paths = normalise_strokes(data["strokes"])
    except ValueError as error:
        raise PageFileError(str(error)) from None
    if not paths:
        raise PageFileError("the drawing is empty")
    _check_stroke_count(len(paths))
    # A drawing has no times: strokes 0.4 s apart, so each may join the one before.
    timed = [TimedStroke(path, 0.4 * i, 0.4 * i + 0.3) for i, path in enumerate(paths)]
    return Page(group_digits(timed, params))


def page_from_json(text: str, params: ScribbleParams = DEFAULT_PARAMS) -> Page:
    """Read a page :func:`page_to_json` wrote, or a sketchpad drawing.

    A sketchpad drawing (``{"strokes": [[[x, y], ...], ...]}``) has no times:
    its strokes are grouped like fresh writing, in file order.

    Raises:
        PageFileError: If it is neither, or a drawing with no position.
    """
    try:
        data = parse_json(text, unique_keys=True)
    except ValueError as error:
        raise PageFileError(str(error)) from None
    if not isinstance(data, dict):
        raise PageFileError("expected a scribble page or a drawing")
    if data.get("format") != PAGE_FORMAT:
        if "strokes" not in data:
            raise PageFileError("expected a scribble page or a drawing")
        return _drawing_as_page(data, params)
    if data.get("version") != PAGE_VERSION:
        raise PageFileError(f"page format version {data.get('version')!r} is not supported")
    if not isinstance(data.get("groups"), list):
        raise PageFileError('"groups" must be a list')
    groups = [_page_group(entry) for entry in data["groups"]]
    _check_stroke_count(sum(len(group.strokes) for group in groups if group is not None))
    return Page(tuple(group for group in groups if group is not None))


def save_page(path: str | os.PathLike[str], page: Page) -> Path:
    """Write a page atomically (temporary file, fsync, rename).

    Returns:
        The path written.

    Raises:
        MissingFolderError: The folder does not exist (it is not created).
        OSError: The file cannot be written.
    """
    target = user_path(path)
    write_named_file(target, page_to_json(page).encode("utf-8"))
    return target


def load_page(path: str | os.PathLike[str], params: ScribbleParams = DEFAULT_PARAMS) -> Page:
    """Read a page file (or a sketchpad drawing).

    Raises:
        PageFileError: If it cannot be read or is neither.
    """
    target = user_path(path)
    text = read_text(target, PageFileError)
    try:
        return page_from_json(text, params)
    except PageFileError as error:
        raise PageFileError(f"{target}: {error}") from None
