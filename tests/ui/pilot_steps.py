"""Steps the app tests share: let the app finish its work, put a drawing on the canvas,
read the screen."""

from __future__ import annotations

import html
import re

from textual._xterm_parser import XTermParser

from tuipad.ui.widgets.drawing_canvas import DrawingCanvas


async def settle(pilot) -> None:
    """Wait for every worker (loading the model, recognising, saving) and the repaint after."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_training(pilot):
    """Press t and wait for the training screen's form, which follows its first paint."""
    from tuipad.ui.screens.train import TrainScreen

    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    return screen


async def load_drawing(pilot, strokes) -> None:
    """Put ``strokes`` on the screen's canvas, as if drawn, and let the answer arrive."""
    pilot.app.screen.query_one(DrawingCanvas).load(strokes)
    await pilot.pause()


def screen_text(app) -> str:
    """The screen's text as the SVG screenshot writes it, spaces made plain."""
    svg = app.export_screenshot()
    return html.unescape(" ".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


def notices(app) -> list[str]:
    """The messages of the notifications the app is showing."""
    return [notice.message for notice in app._notifications]


def one_read(app, data: str) -> None:
    """Hand ``data`` to the app as the terminal driver does with one read: parsed, in order."""
    for event in XTermParser().feed(data):
        app.post_message(event)


def sgr_press(x: int, y: int) -> str:
    """The SGR mouse report of the left button pressed on screen cell ``(x, y)``."""
    return f"\x1b[<0;{x + 1};{y + 1}M"


def sgr_stroke(*cells: tuple[int, int]) -> str:
    """SGR mouse reports of a drag through screen ``cells``: press, moves, release."""
    (x, y), *rest = [(x + 1, y + 1) for x, y in cells]
    moves = "".join(f"\x1b[<32;{x};{y}M" for x, y in rest)
    end_x, end_y = rest[-1] if rest else (x, y)
    return f"\x1b[<0;{x};{y}M{moves}\x1b[<0;{end_x};{end_y}m"
