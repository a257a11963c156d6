"""Every location tuipad reads or writes, resolved in one place.

The user data directory is ``$TUIPAD_HOME`` when set, else the platform's
(``~/.local/share/tuipad`` on Linux).  Everything tuipad keeps lives under it;
the bundled model lives in the package.  Front ends build one :class:`Paths`
and pass it down, so a test (or a second profile) only sets another home.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from tuipad.store.files import not_a_folder

HOME_VARIABLE = "TUIPAD_HOME"
"""The environment variable that overrides the user data directory."""


def user_path(path: str | os.PathLike[str]) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded.

    An unknown user's ``~name`` is left as written, so it names a folder that
    does not exist and is refused as one, where ``Path.expanduser`` raises.
    """
    return Path(os.path.expanduser(path))


def data_home() -> Path:
    """The user data directory: ``$TUIPAD_HOME`` or the platform's."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return user_path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("tuipad", appauthor=False))


def describe_home_error(error: OSError) -> str | None:
    """One line blaming the data directory for ``error``, when the directory is at fault.

    ``error`` is about the data directory, a file in it or a folder above it,
    and the directory is not a folder (a file is in its place or above it) or
    is missing and making it said "no such file".  ``None`` otherwise: then
    the error's own words say best what is wrong (where "/x/models: Not a
    directory" would not say that TUIPAD_HOME names a file).
    """
    if error.filename is None:
        return None
    home = data_home()
    about = Path(os.fsdecode(error.filename))
    if not (about == home or home in about.parents or about in home.parents) or home.is_dir():
        return None
    if (blocked := home_not_a_folder()) is not None:
        return blocked
    if error.errno != errno.ENOENT:  # a full disk, a read-only one: their own words are clear
        return None
    # Its folder is there: /proc and /sys say "no such file" to any new folder.
    return f"{_named(home)} does not exist and cannot be made: its folder takes no new folders"


def home_not_a_folder() -> str | None:
    """One line when the data directory, or a folder above it, is a file, so nothing can be
    kept or read there; ``None`` when it is a folder or can be made as one."""
    home = data_home()
    blocking = not_a_folder(home)
    if blocking is None:
        return None
    if blocking == home:
        return f"{_named(home)} is not a folder"
    return f"{_named(home)} cannot be made: {blocking} is not a folder"


def _named(home: Path) -> str:
    named = f"the data directory {home}"
    return named + f" ({HOME_VARIABLE})" if os.environ.get(HOME_VARIABLE) else named


def bundled_models_dir() -> Path:
    """Where the shipped model lives: ``tuipad/models`` in a wheel, ``models/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "models"
    return inside if inside.is_dir() else package.parent / "models"


@dataclass(frozen=True)
class Paths:
    """The files and folders under one user data directory.

    Attributes:
        home: The user data directory.
    """

    home: Path

    @classmethod
    def default(cls) -> Paths:
        """The paths under :func:`data_home`."""
        return cls(data_home())

    @property
    def models(self) -> Path:
        """Models the user trained (and a retrained stand-in for the bundled one)."""
        return self.home / "models"

    @property
    def settings(self) -> Path:
        """``settings.json``: which model is active."""
        return self.home / "settings.json"

    @property
    def trusted(self) -> Path:
        """``trusted.json``: SHA-256 hashes of the models tuipad saved here."""
        return self.home / "trusted.json"

    @property
    def samples(self) -> Path:
        """The SQLite store of personal samples."""
        return self.home / "samples.sqlite3"

    @property
    def cache(self) -> Path:
        """Cached training rows (safe to delete: they are rendered again)."""
        return self.home / "cache"

    @property
    def teach_round(self) -> Path:
        """The teach-mode round in progress."""
        return self.home / "teach.json"

    @property
    def adapt_pending(self) -> Path:
        """Samples changed since the last adaptation (:mod:`tuipad.store.pending`)."""
        return self.home / "adapt-pending"
