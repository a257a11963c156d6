"""Labelled drawings as JSON lines: one opener, one reader, one check of a label and a drawing.

Drawing files, scribble pages and the teach round have modules of their own
(:mod:`~tuipad.store.drawing_files`, :mod:`~tuipad.store.page_files`,
:mod:`~tuipad.store.teach`).  A bad file becomes one ``ValueError`` (or
``OSError``) whose message is one line naming what is wrong, and no line is
read past :data:`MAX_LINE_BYTES`.
"""

from __future__ import annotations

import errno
import gzip
import io
import numbers
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, cast

from tuipad.core.drawing import checked_strokes, spelled
from tuipad.store.files import not_a_folder
from tuipad.store.reading import MAX_FILE_BYTES, decode_text, parse_json

if TYPE_CHECKING:
    from tuipad.core.training import DrawnDigits


# --------------------------------------------------------------------------- labelled JSON lines
#
# One labelled drawing a line: ``{"label": 7, "strokes": [[[x, y], ...], ...]}``
# plus optional fields (``created``, ``answered_by``, ``predicted``, ``scores``
# as the sample store exports them; ``writer`` and others are ignored).  The
# CLI's ``eval``, the training screen's strokes file and the sample store's
# import all read through :func:`iter_labelled`.

MAX_LINE_BYTES = MAX_FILE_BYTES
"""Longest line read (1 MiB, as a drawing file): a drawing at its point limit
takes about 150 KiB, and a longer line is refused without being held in memory."""

MAX_LINES = 100_000
"""Most lines read from one file, blank ones included: ten times the largest shipped
collection of pen digits (10,572), and a file of a billion empty lines ends at once."""

MAX_FILE_BYTES_READ = 256 << 20
"""Most bytes read from one file, after decompression, so a small ``.gz`` cannot
make a read of many gigabytes."""

MAX_FILE_POSITIONS = 2_000_000
"""Most positions in the drawings of one file, all lines together: a command holds
them all (about 130 bytes each as Python lists); the shipped collections replayed
as mouse reports have under a million."""

GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of every gzip stream."""

LabelledStrokes = list[list[list[float]]]
"""Strokes as plain JSON-ready lists of ``[x, y]`` canvas positions."""


class LabelledLine(NamedTuple):
    """One checked line of a labelled JSON-lines file.

    Attributes:
        number: Line number, from 1.
        label: The digit 0..9.
        strokes: The checked strokes, empty strokes dropped.
        record: The whole JSON object, for optional fields.
    """

    number: int
    label: int
    strokes: LabelledStrokes
    record: dict[str, Any]


def plain_strokes(strokes: Iterable[Iterable[Iterable[float]]]) -> LabelledStrokes:
    """Check a drawing and copy it as plain lists, keeping ints and floats as given.

    Args:
        strokes: Pen-down strokes of ``[x, y]`` positions (lists, tuples or arrays).

    Returns:
        ``[[[x, y], ...], ...]`` without empty strokes.

    Raises:
        ValueError: If a position is not two finite numbers, or nothing is drawn.
    """
    out: LabelledStrokes = [[[x, y] for x, y in stroke] for stroke in checked_strokes(strokes)]
    if not out:
        raise ValueError("the drawing is empty")
    return out


def check_label(value: Any) -> int:
    """``value`` as a digit 0..9 (``True`` is not a digit), else ``ValueError``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not 0 <= int(value) <= 9
    ):
        raise ValueError(f"label must be a digit 0-9, not {spelled(value)}")
    return int(value)


def parse_labelled(line: bytes) -> tuple[int, LabelledStrokes, dict[str, Any]]:
    """Check one non-blank line: ``(label, strokes, record)``, else a one-line ``ValueError``."""
    record = parse_json(decode_text(line), unique_keys=True)
    if not isinstance(record, dict) or "label" not in record or "strokes" not in record:
        raise ValueError('expected an object with "label" and "strokes"')
    label = check_label(record["label"])
    return label, plain_strokes(record["strokes"]), record


@contextmanager
def open_lines(path: str | Path) -> Iterator[IO[bytes]]:
    """Open a file to read its lines as bytes, ``-`` for stdin; gzip is decompressed.

    gzip is known by its first bytes, whatever the file's name, as a pipe has
    none: ``lines.jsonl`` may be compressed and ``lines.jsonl.gz`` may not.

    Raises:
        OSError: The file cannot be opened (``FileNotFoundError`` if it is missing).
    """
    if str(path) == "-":
        if sys.stdin is None:  # started with standard input closed (``0<&-``)
            raise OSError(errno.EBADF, "it is closed")
        with _decompressed(sys.stdin.buffer) as lines:
            yield lines
        return
    with open(path, "rb") as plain, _decompressed(plain) as lines:
        yield lines


@contextmanager
def _decompressed(stream: IO[bytes]) -> Iterator[IO[bytes]]:
    """``stream`` decompressed if it starts as gzip does, else as it is."""
    # Read, not peeked: a pipe may deliver the first bytes one at a time.
    head = stream.read(len(GZIP_MAGIC))
    rejoined = io.BufferedReader(_Rejoined(head, stream))
    if head == GZIP_MAGIC:  # `cat digits.jsonl.gz | tuipad eval -`
        with gzip.GzipFile(fileobj=rejoined, mode="rb") as compressed:
            yield cast(IO[bytes], compressed)
    else:
        yield rejoined


class _Rejoined(io.RawIOBase):
    """A stream whose first bytes were read to look at them: those bytes, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            data, self._head = self._head[: len(view)], self._head[len(view) :]
        else:
            data = getattr(self._rest, "read1", self._rest.read)(len(view))
        view[: len(data)] = data
        return len(data)


def _bounded_lines(file: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` of each line; ``None`` for a line over :data:`MAX_LINE_BYTES`.

    A line is read at most :data:`MAX_LINE_BYTES` bytes at a time, so a file
    without newlines costs no more memory than one allowed line.

    Raises:
        ValueError: Past :data:`MAX_LINES` or :data:`MAX_FILE_BYTES_READ`.
        OSError: A damaged gzip stream.
    """
    number = total = 0

    def read_line() -> bytes:
        nonlocal total
        data = file.readline(MAX_LINE_BYTES + 1)
        total += len(data)
        if total > MAX_FILE_BYTES_READ:
            raise ValueError(f"more than {MAX_FILE_BYTES_READ:,} bytes, the limit")
        return data

    try:
        while line := read_line():
            number += 1
            if number > MAX_LINES:
                raise ValueError(f"more than {MAX_LINES:,} lines, the limit")
            if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
                yield number, line
                continue
            while (rest := read_line()) and not rest.endswith(b"\n"):
                pass
            yield number, None
    except gzip.BadGzipFile as error:
        # The same error says "no gzip header" and "a damaged checksum or length".
        if str(error).startswith("Not a gzipped file"):
            raise OSError(errno.EIO, "not a gzip file") from None
        raise OSError(errno.EIO, "the compressed data is damaged") from None
    except EOFError:
        raise OSError(errno.EIO, "the compressed file is cut short") from None
    except zlib.error:
        raise OSError(errno.EIO, "the compressed data is damaged") from None


def iter_labelled(
    file: IO[bytes], errors: list[tuple[int, str]] | None = None
) -> Iterator[LabelledLine]:
    """The checked labelled drawings of a JSON-lines file, blank lines skipped.

    Args:
        file: The file, opened with :func:`open_lines`.
        errors: Where to record ``(line_number, message)`` of each bad line and
            go on; ``None`` stops at the first bad line instead.

    Yields:
        Each good line.

    Raises:
        ValueError: ``line N: ...`` for the first bad line, when ``errors`` is
            ``None``; or the file passes :data:`MAX_LINES`,
            :data:`MAX_FILE_BYTES_READ` or :data:`MAX_FILE_POSITIONS`.
        OSError: The file cannot be read (a damaged gzip stream, say).
    """
    positions = 0
    for number, line in _bounded_lines(file):
        if line is not None and not line.strip():
            continue
        try:
            if line is None:
                raise ValueError(f"longer than {MAX_LINE_BYTES:,} bytes, the limit")
            labelled = LabelledLine(number, *parse_labelled(line))
        except ValueError as error:
            if errors is None:
                raise ValueError(f"line {number}: {error}") from None
            errors.append((number, str(error)))
            continue
        positions += sum(map(len, labelled.strokes))
        if positions > MAX_FILE_POSITIONS:
            raise ValueError(f"more than {MAX_FILE_POSITIONS:,} positions in all, the limit")
        yield labelled


def read_labelled(path: str | Path) -> tuple[list[int], list[LabelledStrokes]]:
    """Read a whole labelled JSON-lines file, stopping at the first bad line.

    Args:
        path: The file (gzip is decompressed, ``-`` reads standard input).

    Returns:
        ``(labels, drawings)``.

    Raises:
        OSError: The file cannot be read (``FileNotFoundError`` if it is missing).
        ValueError: ``line N: ...`` naming the first bad line, or
            ``the file holds no drawings``.
    """
    with open_lines(path) as file:
        lines = list(iter_labelled(file))
    if not lines:
        raise ValueError("the file holds no drawings")
    return [line.label for line in lines], [line.strokes for line in lines]


def shown_path(path: str | Path) -> str:
    """How a file is named to the user: ``-`` is standard input."""
    return "standard input" if str(path) == "-" else str(path)


def describe_read_error(path: str | Path, error: OSError | ValueError) -> str:
    """One line saying why a labelled JSON-lines file was refused, in ``tuipad eval``'s words.

    Args:
        path: The file as the user named it.
        error: What :func:`read_labelled` (or :func:`open_lines`) raised.
    """
    if isinstance(error, FileNotFoundError):
        return f"no such file: {path}" if str(path) else "the file name is empty"
    if isinstance(error, NotADirectoryError):  # a file named as if it were a folder: say which
        folder = Path(path).parent
        return f"{not_a_folder(folder) or folder} is not a folder"
    if isinstance(error, OSError):
        return f"cannot read {shown_path(path)}: {error.strerror or error}"
    return f"{shown_path(path)}: {error}"


def check_openable(path: str) -> None:
    """Refuse a labelled JSON-lines file that is missing, a folder, special or unreadable.

    Looks without opening (opening a named pipe waits for a writer), so it can
    run on a UI thread before a training starts; what the lines hold is
    checked when they are read.

    Raises:
        ValueError: :func:`describe_read_error`'s line.
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        if not os.access(path, os.R_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    except OSError as error:
        raise ValueError(describe_read_error(path, error)) from None


def read_drawn_digits(path: str) -> DrawnDigits:
    """Read a strokes file to test a model on (see :func:`read_labelled`).

    Read before a training starts, so a bad file fails at once rather than
    after minutes of fitting.

    Raises:
        ValueError: :func:`describe_read_error`'s line, for any file that cannot
            be read or a bad line.
    """
    from tuipad.core.training import DrawnDigits

    try:
        labels, drawings = read_labelled(path)
    except (OSError, ValueError) as error:
        raise ValueError(describe_read_error(path, error)) from None
    return DrawnDigits(path, tuple(labels), tuple(drawings))
