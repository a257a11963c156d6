"""Reading files tuipad may not have written: a cap on bytes, a cap on JSON nesting.

Every reader of a JSON file (drawings, pages, settings, manifests, the trust
list, the teach round) goes through :func:`read_capped_text` and
:func:`parse_json`: a pipe or a device is refused before it is opened, and a
file of a million brackets or a 5,000-digit number costs a bounded read and
ends in one ``ValueError`` line naming the limit (stdin, which ``eval`` and
``samples import`` read, gets the byte cap alone).  Pure Python: the sketchpad
reads drawings before numpy is imported.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, BinaryIO

from tuipad.store.files import kind_of

MAX_FILE_BYTES = 1 << 20
"""Largest JSON file read (1 MiB): a drawing at its point limit takes about
150 KiB, settings and manifests a few KiB; as the longest line of a JSON-lines
file (:data:`tuipad.store.formats.MAX_LINE_BYTES`)."""

MAX_JSON_DEPTH = 32
"""Deepest nesting of JSON arrays and objects read: a scribble page, the deepest
file tuipad writes, nests 6 deep.  Python's own parser fails near 1,000 with a
``RecursionError``; this refuses before parsing."""

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooLargeError(ValueError):
    """A file holds more than the bytes allowed; the message is one line."""


class NotAFileError(ValueError):
    """A path names a pipe, a device or a socket, not a regular file."""


class NotTextError(ValueError):
    """A file's bytes are not UTF-8 text: said in the same words by every reader."""

    def __init__(self) -> None:
        super().__init__("not UTF-8 text")


def decode_text(data: bytes) -> str:
    """UTF-8 bytes as text; anything else is a :class:`NotTextError`, not the codec's message.

    Raises:
        NotTextError: The bytes are not UTF-8 (a binary file, another encoding).
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotTextError from None


def read_capped(file: IO[bytes], limit: int = MAX_FILE_BYTES) -> bytes:
    """All of an open file's bytes, reading no more than ``limit + 1``.

    Works on anything that can be read (a pipe, stdin, ``/dev/zero``), so a
    file that never ends costs ``limit`` bytes, not all of memory.

    Raises:
        TooLargeError: If there is more than ``limit`` bytes.
        OSError: If it cannot be read.
    """
    data = file.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"larger than {limit:,} bytes, the limit")
    return data


def read_capped_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """A regular file's UTF-8 text, reading at most ``limit + 1`` bytes of it.

    Raises:
        TooLargeError: If it is longer than ``limit`` bytes.
        NotAFileError: If it is a pipe, a device or a socket (see :func:`open_regular`).
        IsADirectoryError: If it is a directory.
        OSError: If it cannot be opened or read.
        NotTextError: If it is not UTF-8.
    """
    with open_regular(path) as file:
        return decode_text(read_capped(file, limit))


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file to read its bytes; anything else is refused before it is opened.

    A named pipe would wait for a writer, and the app's thread with it; opening
    a device runs its driver; a socket cannot be opened at all.

    Raises:
        NotAFileError: If it is a pipe, a device or a socket.
        IsADirectoryError: If it is a directory.
        OSError: If it cannot be opened.
    """
    _check_regular(path, path.stat().st_mode)
    # Should it become a pipe after the look, O_NONBLOCK keeps the open from waiting.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    file = open(os.open(path, flags), "rb")  # noqa: SIM115  # the caller closes it
    try:
        _check_regular(path, os.fstat(file.fileno()).st_mode)
    except BaseException:
        file.close()
        raise
    return file


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise NotAFileError(f"{kind_of(mode)}, not a file")


def why_unread(error: Exception) -> str:
    """Why a file of tuipad's did not read or parse, in words rather than an exception's repr."""
    if isinstance(error, KeyError) and error.args:
        return f"it has no {error.args[0]!r}"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()  # not "[Errno 21] Is a directory: 'x.json'"
    return " ".join(str(error).split()) or type(error).__name__


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text (brackets in strings ignored).

    Linear in the text's length whatever it holds, and correct for valid JSON;
    for invalid JSON it is a bound that the parser then overrules.
    """
    unescaped = _ESCAPE.sub("", text)
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", unescaped))
    steps: Iterable[int] = map(_STEP.__getitem__, brackets)
    return max(accumulate(steps), default=0)


def _where(error: json.JSONDecodeError) -> str:
    """What json refused and where, as ``Expecting ',' delimiter at column 17``."""
    text = error.doc.rstrip()
    if error.pos >= len(text):  # a line cut short: json points past its newline
        where = "the end"
    elif "\n" in text:
        where = f"line {error.lineno}, column {error.colno}"
    else:
        where = f"column {error.colno}"
    # Some of json's messages end in "at", waiting for the position.
    return f"{error.msg} {where}" if error.msg.endswith(" at") else f"{error.msg} at {where}"


class DuplicateKeyError(Exception):
    """An object names a key twice (the message is the key)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's dict, refusing a key given twice: which of two labels is meant?"""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKeyError(key)
        found[key] = value
    return found


def parse_json(text: str, max_depth: int = MAX_JSON_DEPTH, *, unique_keys: bool = False) -> Any:
    """Parse JSON, refusing deep nesting and over-long integers with a one-line message.

    Args:
        text: The JSON text.
        max_depth: Deepest nesting of arrays and objects allowed.
        unique_keys: Refuse an object that gives a key twice: for what the user hands
            tuipad (which of two labels is meant?).  tuipad's own files keep the last
            value, as JSON readers do, so a hand-edited settings file loses nothing.

    Returns:
        The parsed value.

    Raises:
        ValueError: ``empty (...)``, ``not JSON (...)``, a key given twice (with
            ``unique_keys``), or the limit passed.
    """
    text = text.removeprefix("\ufeff")  # the byte-order mark Windows editors write
    if not text.strip():
        raise ValueError("empty (no JSON in it)")
    # Only an array or an object nests: other text fails at its first character, even
    # text full of "[" (a terminal capture's escape codes) that is not JSON at all.
    if text.lstrip()[:1] in ("[", "{") and json_depth(text) > max_depth:
        raise ValueError(f"nested more than {max_depth} deep, the limit")
    try:
        return json.loads(text, object_pairs_hook=_unique_keys if unique_keys else None)
    except DuplicateKeyError as error:
        raise ValueError(f"the key {json.dumps(str(error))} is given twice") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({_where(error)})") from None
    except RecursionError:
        raise ValueError(f"nested more than {max_depth} deep, the limit") from None
    except ValueError:
        # The only other refusal of json.loads: Python's cap on digits in an int.
        digits = sys.get_int_max_str_digits()
        raise ValueError(f"a number has more than {digits:,} digits, the limit") from None
