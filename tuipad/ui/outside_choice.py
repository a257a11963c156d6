"""Noticing a model made active by another tuipad process (``tuipad models use`` in a shell).

The choice is kept in ``settings.json``.  Reading it on every frame would be
wasteful and a file-change service is not everywhere, so the app looks at the
file's size and time every :data:`POLL_SECONDS` and reads it only when they
change, in a worker.  The app writes the same file itself (making a model
active, turning adapting off), which leads to the same name it already reads
with, and so to nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

POLL_SECONDS = 2.0
"""How often the settings file's size and time are looked at: a choice made in
another shell shows before the user has turned back to the sketchpad."""


@dataclass
class ActiveModelChosen(Message):
    """``settings.json`` names another model than the one the app reads with."""

    name: str
    """The model chosen."""


class SettingsWatch:
    """Whether a file changed since it was last looked at, by its size and time."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self._path)
        except OSError:
            return None
        return status.st_mtime_ns, status.st_size

    def changed(self) -> bool:
        """Whether the file changed (or came or went) since the last call."""
        stamp = self._stamp()
        changed, self._seen = stamp != self._seen, stamp
        return changed
