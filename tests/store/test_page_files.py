"""Scribble page files: round trips, sketchpad drawings as pages, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuipad.core.scribble import Group, Page, TimedStroke
from tuipad.store.files import MissingFolderError
from tuipad.store.page_files import (
    PageFileError,
    load_page,
    page_from_json,
    page_to_json,
    save_page,
)


def timed(points, start: float, end: float | None = None) -> TimedStroke:
    return TimedStroke(tuple((float(x), float(y)) for x, y in points), start, end or start + 0.3)


def upright(column: int, top: int, bottom: int, start: float) -> TimedStroke:
    return timed([(column, y) for y in range(top, bottom + 1)], start)


def read_by_the_model(group: Group, label: int) -> Group:
    from dataclasses import replace

    return replace(group, label=label)


def test_a_page_round_trips_through_json(tmp_path: Path) -> None:
    page = Page().with_stroke(timed([(4.5, 2.25), (4, 13)], 0.125, 0.5))
    page = page.with_stroke(upright(10, 2, 13, 1.0)).relabelled(1, 7)
    page = Page(tuple(read_by_the_model(g, 1) if not g.corrected else g for g in page.groups))
    written = save_page(tmp_path / "page.json", page)
    loaded = load_page(written)
    assert loaded.strokes == page.strokes
    assert [s.start for g in loaded.groups for s in g.strokes] == [0.125, 1.0]
    # Only corrections are saved: the model's readings are made again on load.
    assert [(g.label, g.corrected) for g in loaded.groups] == [(None, False), (7, True)]
    assert not list(written.parent.glob("*.tmp"))


def test_a_sketchpad_drawing_opens_as_a_page() -> None:
    text = json.dumps({"strokes": [[[4, 2], [4, 13]], [[10, 2], [16, 2], [12, 13]]]})
    page = page_from_json(text)
    assert len(page.groups) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ("[]", "expected a scribble page"),
        ('{"strokes": [[[1, "x"]]]}', "numbers"),
        ('{"strokes": []}', "the drawing is empty"),
        ('{"format": "tuipad-scribble", "version": 9, "groups": []}', "version 9"),
        ('{"format": "tuipad-scribble", "version": 1, "groups": 3}', "must be a list"),
        ('{"format": "tuipad-scribble", "version": 1, "groups": [{"strokes": [1]}]}', "stroke"),
        (
            '{"format": "tuipad-scribble", "version": 1, "groups": [{"label": 10, "strokes":'
            ' [{"points": [[1, 2]], "start": 0, "end": 1}]}]}',
            "digit 0-9",
        ),
        (
            '{"format": "tuipad-scribble", "version": 1, "groups": [{"strokes":'
            ' [{"points": [[1, NaN]], "start": 0, "end": 1}]}]}',
            "finite",
        ),
        (
            '{"format": "tuipad-scribble", "version": 1, "groups": [{"strokes":'
            ' [{"points": [[1, 2]], "start": "soon", "end": 1}]}]}',
            "start must be a finite number",
        ),
        (
            '{"format": "tuipad-scribble", "version": 1, "groups": [{"strokes":'
            ' [{"points": [], "start": 0, "end": 1}]}]}',
            "no points",
        ),
    ],
)
def test_bad_page_files_raise_one_line(text: str, message: str) -> None:
    with pytest.raises(PageFileError, match=message):
        page_from_json(text)


def test_a_missing_file_is_a_page_file_error(tmp_path: Path) -> None:
    with pytest.raises(PageFileError, match="no such file"):
        load_page(tmp_path / "nothing.json")


def test_page_json_is_compact_and_versioned() -> None:
    data = json.loads(page_to_json(Page().with_stroke(upright(4, 2, 3, 0.0))))
    assert data["format"] == "tuipad-scribble" and data["version"] == 1
    assert data["groups"][0]["strokes"][0]["points"] == [[4, 2], [4, 3]]


def test_a_page_may_hold_at_most_a_thousand_strokes() -> None:
    from tuipad.store.page_files import MAX_PAGE_STROKES, PageFileError, page_from_json

    dots = [[[i % 90, i % 40]] for i in range(MAX_PAGE_STROKES + 1)]
    with pytest.raises(PageFileError, match="at most 1,000 strokes"):
        page_from_json(json.dumps({"strokes": dots}))
    timed = [{"points": dot, "start": i, "end": i} for i, dot in enumerate(dots)]
    page = {"format": "tuipad-scribble", "version": 1, "groups": [{"strokes": timed}]}
    with pytest.raises(PageFileError, match="at most 1,000 strokes"):
        page_from_json(json.dumps(page))


def test_a_page_is_not_written_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(MissingFolderError):
        save_page(tmp_path / "typo" / "page.json", Page())
    assert not (tmp_path / "typo").exists()
