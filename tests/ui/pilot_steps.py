"""Steps the app tests share: let the app finish its work, put a drawing on the canvas,
read the screen."""

from __future__ import annotations

import html
import re

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
