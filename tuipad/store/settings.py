"""The user's switches in ``settings.json``, beside the active model's name.

The registry writes ``active_model`` into the same file, so each change here
reads the file, changes only its own key and writes the whole file back
atomically: a setting never loses the active model, nor the other way round.
A missing or damaged file (or one over the size cap of
:mod:`tuipad.store.reading`, such as a link to ``/dev/zero``) reads as every
default, because a switch is never worth refusing to start over.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tuipad.store.files import atomic_write
from tuipad.store.paths import Paths
from tuipad.store.reading import parse_json, read_capped_text

ADAPT_IN_BACKGROUND = "adapt_in_background"
"""Whether the app adapts the active personal model after new samples (default on)."""


def read_settings(home: Path) -> dict[str, Any]:
    """Every stored setting, or ``{}`` if the file is missing or not a JSON object."""
    try:
        settings = parse_json(read_capped_text(Paths(home).settings))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def write_setting(home: Path, key: str, value: Any) -> None:
    """Store one setting, keeping the others.

    Raises:
        OSError: The file cannot be written.
    """
    settings = read_settings(home)
    settings[key] = value
    text = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    atomic_write(Paths(home).settings, text.encode())


def adapts_in_background(home: Path) -> bool:
    """Whether background adaptation is on: only an explicit ``false`` turns it off."""
    return read_settings(home).get(ADAPT_IN_BACKGROUND) is not False


def set_adapts_in_background(home: Path, on: bool) -> None:
    """Turn background adaptation on or off for this data directory.

    Raises:
        OSError: The file cannot be written.
    """
    write_setting(home, ADAPT_IN_BACKGROUND, on)
