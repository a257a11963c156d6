"""``?`` shows the help of the screen in front, listing that screen's own keys."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from tuipad.ui.screens.help import KEYS_WIDTH, HelpScreen, help_sections, reflowed
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
        "Bring a page partly off",
    ),
    "teach": (
        "+ =",
        "once more",
        "-  ",
        "once less",
        "^u",
        "Delete the last saved",
        "Keep the drawing and ask for the next digit",  # enter during a round
        "Once a round is done: start another",  # and after it
    ),
    "browse": ("r ", "Read the samples again", "del d", "Relabel the sample"),
    "train": (
        "^t",
        "Train the model chosen",
        "^c",
        "Cancel the training",
        "Make active",
        "adapts the shipped model to your samples",
    ),
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


def rendered_lines(widget: Widget) -> list[str]:
    """Every line a widget shows, scrolled into view or not, trailing spaces removed."""
    width, height = widget.size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


async def open_help(pilot, screen: str) -> str:
    """Open a screen, press ``?`` and return the help's text as shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for key in OPEN[screen]:
        await pilot.press(key)
        await pilot.pause()
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return "\n".join(rendered_lines(pilot.app.screen.query_one("#help-text", Static)))


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
        if screen == "sketchpad":  # the palette's hint makes room for the modes
            assert "s Scribble" in footer and "^p palette" not in footer


def _continues(line: str) -> bool:
    """Whether a help line goes on from the line above: prose, or a key's text wrapped
    under itself (a new key starts indented by two spaces)."""
    return not line.startswith(" ") or line.startswith(" " * (KEYS_WIDTH + 2))


@pytest.mark.parametrize(
    ("screen", "size"),
    [("sketchpad", (60, 18)), *((screen, (80, 24)) for screen in OPEN)],
)
async def test_help_reflows_to_the_width_it_has(app_factory, screen, size) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_help(pilot, screen)
        about = app.screen.about
        text = app.screen.query_one("#help-text", Static)
        lines, width = rendered_lines(text), text.size.width
        # Wrapped where the width ends, not earlier: the next line's first word
        # would not have fitted on the line it follows.
        for line, following in zip(lines, lines[1:], strict=False):
            if line and following and _continues(following):
                word = following.split()[0]
                assert len(line) + 1 + len(word) > width, (line, following)
        # And nothing is lost on the way.
        shown = " ".join(" ".join(lines).split())
        assert reflowed(about.HELP).replace("\n\n", " ") in shown


async def test_notices_wait_behind_the_help_instead_of_covering_it(app_factory) -> None:
    def shown_toasts(screen) -> int:
        return sum(toast.parent.display for toast in screen.query("Toast"))

    app = app_factory()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        app.notify("Saved as a 7", timeout=30)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query("Toast") and not shown_toasts(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert shown_toasts(app.screen) == 1
