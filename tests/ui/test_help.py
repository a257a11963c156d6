"""``?`` shows the help of the screen in front, listing that screen's own keys."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tuipad.ui.screens.help import HelpScreen, help_sections
from tuipad.ui.widgets.key_hints import KeyHints

OPEN = {
    "sketchpad": (),
    "scribble": ("s",),
    "teach": ("T",),
    "browse": ("b",),
    "train": ("t",),
}
"""The keys that open each screen from the sketchpad."""

OWN_LINES = {
    "sketchpad": ("v ", "Show the 0..16 values", "s ", "Scribble mode", "b ", "^u", "space"),
    "scribble": (
        "tab shift+tab",
        "x del",
        "Back to the sketchpad",
        "Relabel the selected",
        "Move the selected",
    ),
    "teach": ("+ =", "once more", "-  ", "once less", "^u", "Delete the last saved"),
    "browse": ("r ", "Read the samples again", "del d", "Relabel the sample"),
    "train": ("^t", "Train the model chosen", "^c", "Cancel the training", "Make active"),
}
"""Text only that screen's help has: its keys and what they do."""

NOT_THERE = {
    "sketchpad": ("^t", "Read the samples again"),
    "scribble": ("Eraser", "^t"),
    "teach": ("Eraser", "Read the samples again"),
    "browse": ("Eraser", "Clear the canvas", "space"),
    "train": ("Eraser", "Clear the canvas", "Read the samples again"),
}
"""Keys of other screens, which a screen's help must not list."""


async def open_help(pilot, screen: str) -> str:
    """Open a screen, press ``?`` and return the help's text."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for key in OPEN[screen]:
        await pilot.press(key)
        await pilot.pause()
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return str(pilot.app.screen.query_one("#help-text", Static).content)


@pytest.mark.parametrize("screen", list(OPEN))
async def test_question_mark_lists_the_keys_of_the_screen_in_front(app_factory, screen) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        text = await open_help(pilot, screen)
        for line in OWN_LINES[screen]:
            assert line in text
        for line in NOT_THERE[screen]:
            assert line not in text
        # The app's keys are on every screen's help, the background adaptation too.
        for line in ("q ", "Quit", "? ", "A ", "Adapt to new samples", "^p"):
            assert line in text
        # The help box is 76 wide: border, padding and scroll bar leave 70 columns.
        assert max(len(line) for line in text.splitlines()) <= 70
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_help_lists_every_key_the_screen_and_its_widgets_bind(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        listed = {
            key for section in help_sections(screen) for e in section.entries for key in e.keys
        }
        # The matrix's arrows and enter are listed although the matrix is on a hidden tab.
        assert {"ctrl+t", "ctrl+c", "escape", "up", "down", "left", "right", "enter"} <= listed
        assert {"q", "question_mark", "A", "ctrl+p"} <= listed


async def test_the_footer_shows_every_mode_of_the_sketchpad(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        footer = app.screen.query_one(KeyHints).render().plain
        for hint in ("s Scribble", "b Browse", "v Values", "T Teach", "t Train", "? Help"):
            assert hint in footer


@pytest.mark.parametrize("screen", list(OPEN))
async def test_a_narrow_footer_keeps_help_and_quit(app_factory, screen) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        for key in OPEN[screen]:
            await pilot.press(key)
            await pilot.pause()
        footer = app.screen.query_one(KeyHints).render().plain
        assert len(footer) <= 80
        assert "? Help" in footer and "q Quit" in footer
