"""Noticing a model made active by another tuipad process (``tuipad models use`` in a shell).

The choice is kept in ``settings.json``.  Reading it on every frame would be
wasteful and a file-change service is not everywhere, so the app looks at the
file's identity, size and times every :data:`POLL_SECONDS` and, when they
change, reads the choice in a worker: the model's name and its manifest's
record of the pickle's hash (:func:`read_choice`).

A choice is loaded when it differs from the last one seen and from the model
the app reads with.  So the app's own writes of the file (turning adapting off,
making a model active, an adaptation) load nothing, a chosen model that failed
to load and fell back to ``default`` is not tried again at every write, and the
same name chosen again with new files (retrained, or put back from a backup) is loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tuipad.store.registry import LoadedModel

POLL_SECONDS = 2.0
"""How often the settings file is looked at: a choice made in another shell shows
before the user has turned back to the sketchpad."""


@dataclass(frozen=True)
class Choice:
    """The model ``settings.json`` names, as the files say it is now.

    Attributes:
        name: The model's name.
        sha256: Its pickle's hash as its manifest records it; ``""`` if the
            manifest does not read.
    """

    name: str
    sha256: str
    files: tuple[tuple[int, ...] | None, ...] = ()
    """Its pickle's and arrays' identity, size and times: a model whose damaged files were
    put back from a backup, under the same manifest, is a new choice too."""


def read_choice(home: Path) -> Choice:
    """The chosen model and its manifest's hash (reads two small files; imports numpy)."""
    from tuipad.store.model_files import Manifest, ModelError, arrays_path
    from tuipad.store.paths import Paths, bundled_models_dir
    from tuipad.store.registry import DEFAULT_NAME, active_name, model_paths

    name = active_name(home)
    directory = bundled_models_dir() if name == DEFAULT_NAME else Paths(home).models
    files = tuple(map(_stamp, (model_paths(directory, name)[0], arrays_path(directory, name))))
    try:
        return Choice(name, Manifest.from_file(model_paths(directory, name)[1]).sha256, files)
    except (ModelError, OSError):
        return Choice(name, "", files)


def _stamp(path: Path) -> tuple[int, ...] | None:
    """A file's identity, size and times; ``None`` when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    # The inode too: each atomic write is a new file, even within one tick of a coarse clock.
    return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


@dataclass
class ActiveModelChosen(Message):
    """What ``settings.json`` chooses, read after the file changed."""

    choice: Choice


class ChoiceWatch:
    """When ``settings.json`` changed, and whether what it chooses is to be loaded."""

    def __init__(self, settings: Path) -> None:
        self._settings = settings
        self._stamp = _stamp(settings)
        self.seen: Choice | None = None
        """The last choice read: at each load, and after each change of the file."""

    def settings_changed(self) -> bool:
        """Whether the file changed (or came or went) since the last call."""
        stamp = _stamp(self._settings)
        changed, self._stamp = stamp != self._stamp, stamp
        return changed

    def to_load(self, choice: Choice, model: LoadedModel | None) -> bool:
        """Whether ``choice`` is new and is not the model the app reads with."""
        if choice == self.seen:
            return False
        self.seen = choice
        return model is None or (model.name, model.manifest.sha256) != (choice.name, choice.sha256)
