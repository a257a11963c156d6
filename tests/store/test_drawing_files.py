"""Drawing files: save, load, and one clear error for a bad file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tuipad.store.drawing_files import (
    DrawingFileError,
    ScribblePageError,
    drawing_to_json,
    load_drawing,
    save_drawing,
)
from tuipad.store.files import MissingFolderError


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    strokes = (((1.0, 2.0), (3.5, 4.25)), ((0.0, 0.0),))
    path = save_drawing(tmp_path / "d.json", strokes)
    assert json.loads(path.read_text()) == {"strokes": [[[1, 2], [3.5, 4.25]], [[0, 0]]]}
    assert load_drawing(path) == strokes
    assert [name for name in os.listdir(path.parent)] == ["d.json"]


def test_save_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text("old")
    save_drawing(path, [((1.0, 1.0),)])
    assert load_drawing(path) == (((1.0, 1.0),),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        (
            '{\n  "strokes": [[[1, 2]]\n}',
            r"not JSON \(Expecting ',' delimiter at line 3, column 1\)",
        ),
        ("", r"empty \(no JSON in it\)"),
        (" \n", r"empty \(no JSON in it\)"),
        ("[1, 2]", "expected an object"),
        ('{"strokes": 3}', "must be a list"),
        ('{"strokes": [[[1]]]}', "a stroke must be"),
        ('{"strokes": [[["a", 2]]]}', "a stroke must be"),
        ('{"strokes": [[[1, NaN]]]}', "a stroke must be"),
        ('{"strokes": []}', "the drawing is empty"),
        ('{"strokes": [[], []]}', "the drawing is empty"),
        (
            '{"format": "tuipad-scribble", "version": 1, "groups": []}',
            r"a scribble page, not a drawing$",  # each front end says how it opens one
        ),
        (
            '{"label": 7, "strokes": [[[1, 2]]]}\n{"label": 1, "strokes": [[[1, 2]]]}\n',
            r"JSON lines of several drawings, not one drawing \(tuipad eval reads them\)",
        ),
        (
            '\n{"label": 7, "strokes": [[[1, 2]]]}\n\n{"label": 1, "strokes": [[[1, 2]]]}',
            r"JSON lines of several drawings",  # blank lines before and between
        ),
        ('{"label": 7, "strokes": [[[1, 2]]]}\n{', r"not JSON \(Extra data"),  # bad after
        ('{"strokes": [[[1, 2]]]}\n{"strokes": [[[1, 2]]]}', r"not JSON \(Extra data"),  # no label
    ],
)
def test_bad_drawing_files_give_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(DrawingFileError, match=message) as info:
        load_drawing(path)
    assert str(path) in str(info.value)


def test_a_scribble_page_is_named_with_the_callers_hint(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text('{"format": "tuipad-scribble", "version": 1, "groups": []}')
    with pytest.raises(
        ScribblePageError, match=r"page.json: a scribble page, not a drawing: do X$"
    ):
        load_drawing(path, page_hint="do X")


def test_a_missing_drawing_file(tmp_path: Path) -> None:
    with pytest.raises(DrawingFileError, match="no such file"):
        load_drawing(tmp_path / "nope.json")
    with pytest.raises(DrawingFileError, match="is a directory"):
        load_drawing(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_or_a_device_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")  # opened plainly, it would wait for a writer: the app too
    with pytest.raises(DrawingFileError, match=r"pipe.json is a named pipe, not a file$"):
        load_drawing(tmp_path / "pipe.json")
    with pytest.raises(DrawingFileError, match=r"^/dev/zero is a character device, not a file$"):
        load_drawing("/dev/zero")


def test_drawing_json_is_what_tuipad_predict_reads(seven) -> None:
    from tuipad.core.raster import to_digits8x8

    data = json.loads(drawing_to_json(seven))
    assert set(data) == {"strokes"}
    assert (to_digits8x8(data["strokes"]) == to_digits8x8(seven)).all()


def test_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(MissingFolderError):
        save_drawing(tmp_path / "typo" / "d.json", [((1.0, 1.0),)])
    assert not (tmp_path / "typo").exists()


def test_an_unknown_users_home_is_a_missing_folder_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(MissingFolderError):
        save_drawing("~no-such-user-tuipad/d.json", [((1.0, 1.0),)])
    with pytest.raises(DrawingFileError):
        load_drawing("~no-such-user-tuipad/d.json")
