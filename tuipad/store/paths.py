"""Every location tuipad reads or writes, resolved in one place.

The user data directory is ``$TUIPAD_HOME`` when set, else the platform's
(``~/.local/share/tuipad`` on Linux).  Everything tuipad keeps lives under it;
the bundled model lives in the package.  Front ends build one :class:`Paths`
and pass it down, so a test (or a second profile) only sets another home.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
