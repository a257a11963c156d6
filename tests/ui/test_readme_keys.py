"""The README's key tables list every binding of every screen, and nothing else.

The keys come from each screen's help (:func:`~tuipad.ui.screens.help.help_sections`),
which reads the bindings, so a key added to a screen without a README line fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tuipad.ui.screens.help import help_sections

README = Path(__file__).parents[2] / "README.md"

TABLES = {
    "sketchpad": (),
    "scribble mode": ("s",),
    "teach mode": ("T",),
    "browse": ("b",),
    "training screen": ("t",),
}
"""Each screen's key table in the README (by its first header cell), and the keys that
open the screen from the sketchpad."""

README_NAMES = {"question_mark": "?", "plus": "+", "equals_sign": "=", "minus": "-"}
"""Keys the README writes as the character rather than Textual's name."""


def _digit_range(match: re.Match[str]) -> str:
    return " ".join(f"`{d}`" for d in range(int(match[1]), int(match[2]) + 1))


def readme_tables(text: str) -> dict[str, set[str]]:
    """The keys in backticks in the first column of each README table, by its header.

    ``0``–``9`` stands for the ten digits.
    """
    tables: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        first = line.split("|")[1].strip()
        if current is None:
            current = tables.setdefault(first, set())
            continue
        first = re.sub(r"`(\d)`–`(\d)`", _digit_range, first)
        current.update(re.findall(r"`([^`]+)`", first))
    return tables


def keys_of(sections, *, everywhere: bool) -> set[str]:
    """The keys of a screen's help, the app's (``everywhere``) or the screen's own."""
    return {
        README_NAMES.get(key, key)
        for section in sections
        if (section.title == "Everywhere") == everywhere
        for entry in section.entries
        for key in entry.keys
    }


@pytest.mark.parametrize("table", list(TABLES))
async def test_the_readme_key_table_lists_every_binding_of_the_screen(app_factory, table) -> None:
    tables = readme_tables(README.read_text(encoding="utf-8"))
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.workers.wait_for_complete()
        for key in TABLES[table]:
            await pilot.press(key)
            await pilot.pause()
        sections = help_sections(app.screen)
    # Equal, not included: a key the README lists that no screen binds is wrong too.
    assert keys_of(sections, everywhere=False) == tables[table]
    assert keys_of(sections, everywhere=True) == tables["everywhere"]


def test_readme_tables_reads_digit_ranges_and_the_first_column_only() -> None:
    text = "| sketchpad | what |\n| --- | --- |\n| `0`–`2` · `u`/`ctrl+z` | see `x` |\n"
    assert readme_tables(text) == {"sketchpad": {"0", "1", "2", "u", "ctrl+z"}}
