"""Whether personal samples changed since the model last adapted to them, across runs.

The app adapts a few seconds after a change, in the background; quitting in
between, or while it adapts, or with adapting turned off, would forget the
change, and the next run would keep the model that had not seen it.  A change writes
a fresh token to :attr:`tuipad.store.paths.Paths.adapt_pending`; an adaptation
that ran to its end removes the file only if it still holds the token it read
at its start, so a change made meanwhile stays pending; the next run starts
adapting if the file is there.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tuipad.store.files import atomic_write, describe_os_error
from tuipad.store.reading import read_capped_text

if TYPE_CHECKING:
    from tuipad.store.paths import Paths

_CHANGING = threading.Lock()
"""Held while the note is written or checked and removed: a change noted between the
check and the removal would otherwise be removed with the change adapted to."""


def mark_pending(path: Path) -> None:
    """Note that the samples changed (a new token, so an adaptation under way keeps it).

    Raises:
        OSError: The file cannot be written.
    """
    with _CHANGING:
        atomic_write(path, secrets.token_hex(8).encode("ascii"))


def pending_token(path: Path) -> str | None:
    """The token of the last change not adapted to, or ``None`` if there is none."""
    try:
        return read_capped_text(path).strip()
    except (OSError, ValueError):
        return None


def clear_pending(path: Path, token: str | None) -> None:
    """Forget the change ``token`` names, unless another came after it."""
    with _CHANGING:
        if token is not None and pending_token(path) == token:
            with contextlib.suppress(OSError):
                path.unlink()


def mark_changes_pending(paths: Paths) -> str | None:
    """Note that the personal samples changed, so the app adapts to them (now, or when it
    next starts if it quits first or is not running).  A durable write: not on a UI thread.

    Returns:
        Why the note could not be written (then only a running app adapts), or ``None``.
    """
    try:
        mark_pending(paths.adapt_pending)
    except OSError as error:
        return describe_os_error(error)
    return None


def changes_pending(paths: Paths) -> bool:
    """Whether the samples changed since the last adaptation that ran to its end."""
    return pending_token(paths.adapt_pending) is not None
