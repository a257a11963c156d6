"""Keys that arrive in one burst (a stalled app, SSH buffering, a double click) close a
dialog once: the second key must not close the screen below it, or the app.  And should
something end the app all the same, the user reads one line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_steps import load_drawing, notices, settle
from textual import events
from textual.widgets import Input

from tuipad.ui.screens.draw import DrawScreen

ONE = [[(8, 2), (8, 6), (8, 10), (8, 14)]]
"""A 1 in whole-cell reports."""


def shown(segments) -> str:
    """The text the app prints on its way out, as one line (it wraps at the terminal's width)."""
    return " ".join("".join(segment.text for segment in segments.segments).split())


def burst(app, *keys: str) -> None:
    """Queue keys at once, as a terminal read holding them all delivers them."""
    characters = {"enter": "\r", "escape": "\x1b"}
    for key in keys:
        app.post_message(events.Key(key, characters.get(key, key)))


async def test_two_enters_in_the_palette_run_its_command_once(app_factory, monkeypatch) -> None:
    undone: list[object] = []
    monkeypatch.setattr(DrawScreen, "action_undo", lambda screen: undone.append(screen))
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"undo")
        await pilot.pause(0.3)
        burst(app, "enter", "enter")
        await pilot.pause(0.3)
        await settle(pilot)  # and the notices it posts, however loaded the machine
        assert isinstance(app.screen, DrawScreen)
        assert len(app.screen_stack) == 1
        assert len(undone) == 1


async def test_two_enters_in_the_save_dialog_save_once_and_stay_on_the_sketchpad(
    app_factory, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "one.json")
        burst(app, "enter", "enter")
        await pilot.pause(0.3)
        await settle(pilot)  # and the notices it posts, however loaded the machine
        assert isinstance(app.screen, DrawScreen) and len(app.screen_stack) == 1
        assert (tmp_path / "one.json").is_file()
        assert len([m for m in notices(app) if m.startswith("Saved")]) == 1


@pytest.mark.parametrize("key", ["T", "b", "question_mark"])
async def test_two_escapes_leave_teach_browse_and_help_once(app_factory, key: str) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause(0.3)
        assert len(app.screen_stack) == 2
        burst(app, "escape", "escape")
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, DrawScreen) and len(app.screen_stack) == 1


async def test_a_bug_inside_the_app_ends_it_with_one_line(app_factory, monkeypatch) -> None:
    monkeypatch.delenv("TUIPAD_DEBUG", raising=False)
    app = app_factory()
    printed: list[str] = []
    monkeypatch.setattr(app.error_console, "print", lambda said, **_: printed.append(shown(said)))
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.call_later(lambda: 1 / 0)
            await pilot.pause(0.3)
    assert printed == [
        "tuipad: internal error: ZeroDivisionError: division by zero. This is a bug in tuipad:"
        " please report it with what you did (TUIPAD_DEBUG=1 shows the traceback)"
    ]


async def test_a_bug_without_words_is_named_once_and_escapes_are_not_sent(
    app_factory, monkeypatch
) -> None:
    monkeypatch.delenv("TUIPAD_DEBUG", raising=False)
    printed: list[str] = []
    for error in (AssertionError(), ValueError("bad \x1b[2J path")):
        app = app_factory()
        monkeypatch.setattr(
            app.error_console, "print", lambda said, **_: printed.append(shown(said))
        )

        def fail(error: Exception = error) -> None:
            raise error

        with pytest.raises(type(error)):
            async with app.run_test(size=(100, 30)) as pilot:
                await settle(pilot)
                app.call_later(fail)
                await pilot.pause(0.3)
    assert printed[0].startswith("tuipad: internal error: AssertionError. This is a bug")
    assert printed[1].startswith("tuipad: internal error: ValueError: bad [2J path. This")
