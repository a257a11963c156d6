"""Drawing files: what the sketchpad saves and opens, and ``tuipad predict`` reads.

A drawing is ``{"strokes": [[[x, y], ...], ...]}`` in canvas cells.  A bad
file raises :class:`DrawingFileError`, one line naming the file and what is
wrong; a drawing is written through :func:`tuipad.store.files.write_named_file`
(atomically, and only into a folder that exists).
The sketchpad imports this before its first frame, so it needs no numpy and
no scribble core (pages are :mod:`tuipad.store.page_files`).
"""

from __future__ import annotations

import io
import itertools
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from tuipad.core.drawing import Point, Strokes, normalise_strokes
from tuipad.store.files import describe_os_error, not_a_folder, write_named_file
from tuipad.store.paths import user_path
from tuipad.store.reading import (
    NotAFileError,
    NotTextError,
    TooLargeError,
    parse_json,
    read_capped_text,
)

PAGE_FORMAT = "tuipad-scribble"
"""The ``format`` field of a scribble page: named here so the sketchpad can say a
file is a page without loading the scribble code."""


class DrawingFileError(ValueError):
    """A drawing file could not be read; the message is one line."""


class ScribblePageError(DrawingFileError):
    """The file is a scribble page, not a drawing: each front end says how it opens one."""


def _plain_number(value: float) -> float | int:
    """Whole numbers as ints, so files from cell-only terminals stay short."""
    return int(value) if float(value).is_integer() else value


def read_text(target: Path, error: type[ValueError]) -> str:
    """The UTF-8 text of a file of at most ``reading.MAX_FILE_BYTES``, else ``error``
    with a one-line message naming it."""
    try:
        return read_capped_text(target)
    except NotAFileError as reason:
        raise error(f"{target} is {reason}") from None
    except (TooLargeError, NotTextError) as reason:
        raise error(f"{target}: {reason}") from None
    except FileNotFoundError:
        raise error(f"{target}: no such file") from None
    except IsADirectoryError:
        raise error(f"{target} is a directory") from None
    except NotADirectoryError:  # a file named as if it were a folder: say which
        blocking = not_a_folder(target.parent)
        raise error(f"{blocking or target.parent} is not a folder") from None
    except OSError as reason:
        raise error(f"{target}: cannot read it ({describe_os_error(reason)})") from None


def drawing_to_json(strokes: Iterable[Sequence[Point]]) -> str:
    """The JSON of a drawing: ``{"strokes": [[[x, y], ...], ...]}`` on one line."""
    data = {
        "strokes": [[[_plain_number(x), _plain_number(y)] for x, y in stroke] for stroke in strokes]
    }
    return json.dumps(data, separators=(",", ":")) + "\n"


def drawing_from_json(text: str) -> Strokes:
    """Parse the JSON :func:`drawing_to_json` writes.

    Raises:
        DrawingFileError: If it is not a ``{"strokes": ...}`` object of positions,
            has no position at all, or passes a limit; :class:`ScribblePageError` if it
            is a scribble page
            (:mod:`tuipad.store.reading`, :mod:`tuipad.core.drawing`).
    """
    try:
        data = parse_json(text, unique_keys=True)
    except ValueError as error:
        if _labelled_lines(text):  # a samples export or an eval file
            raise DrawingFileError(
                "JSON lines of several drawings, not one drawing (tuipad eval reads them)"
            ) from None
        raise DrawingFileError(str(error)) from None
    if isinstance(data, dict) and data.get("format") == PAGE_FORMAT:
        raise ScribblePageError("a scribble page, not a drawing")
    if isinstance(data, dict) and "strokes" not in data:
        raise DrawingFileError('no "strokes" in it: a drawing is {"strokes": [[[x, y], ...], ...]}')
    if not isinstance(data, dict):
        raise DrawingFileError('expected an object like {"strokes": [[[x, y], ...], ...]}')
    if not isinstance(data["strokes"], list):
        raise DrawingFileError('"strokes" must be a list of strokes')
    try:
        strokes = normalise_strokes(data["strokes"])
    except ValueError as error:
        raise DrawingFileError(str(error)) from None
    if not strokes:
        raise DrawingFileError("the drawing is empty")
    return strokes


def _labelled_lines(text: str) -> bool:
    """Whether the first two non-blank lines of ``text`` are labelled drawings, as
    ``tuipad eval`` reads them."""
    lines = list(itertools.islice((line for line in io.StringIO(text) if line.strip()), 2))
    for line in lines:
        try:
            record = parse_json(line, unique_keys=True)
        except ValueError:
            return False
        if not isinstance(record, dict) or "label" not in record or "strokes" not in record:
            return False
    return len(lines) == 2


def save_drawing(path: str | os.PathLike[str], strokes: Iterable[Sequence[Point]]) -> Path:
    """Write a drawing atomically (temporary file, fsync, rename).

    Args:
        path: Where to write it.
        strokes: The drawing.

    Returns:
        The path written.

    Raises:
        MissingFolderError: The folder does not exist (it is not created).
        OSError: The file cannot be written.
    """
    target = user_path(path)
    write_named_file(target, drawing_to_json(strokes).encode("utf-8"))
    return target


def load_drawing(path: str | os.PathLike[str], *, page_hint: str = "") -> Strokes:
    """Read a drawing file.

    Args:
        path: The file.
        page_hint: How the caller's front end opens a scribble page, said after
            "a scribble page, not a drawing" if the file is one.

    Raises:
        DrawingFileError: If it cannot be read or is not a drawing.
    """
    target = user_path(path)
    text = read_text(target, DrawingFileError)
    try:
        return drawing_from_json(text)
    except ScribblePageError as error:
        raise ScribblePageError(
            f"{target}: {error}{': ' if page_hint else ''}{page_hint}"
        ) from None
    except DrawingFileError as error:
        raise DrawingFileError(f"{target}: {error}") from None
