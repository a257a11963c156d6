"""Write docs/screenshot.svg: the sketchpad at 100x32 reading a pen-drawn 3.

The 3 is a held-out UNIPEN digit (../shared/data, writer-independent) as a
terminal reports it, whole cells, 12 rows tall; the model is the shipped one
(``tuipad.services.load_active``), so the panel shows what a user would see.

Usage: python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tuipad.services import load_active
from tuipad.ui.app import make_app
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

THREE = [
    [(5, 2), (6, 2), (7, 2), (9, 2), (10, 2), (11, 2), (12, 2), (13, 2), (14, 2), (15, 3)]
    + [(16, 3), (16, 4), (15, 5), (14, 5), (13, 5), (12, 6), (11, 6), (10, 6), (9, 7), (8, 7)]
    + [(7, 7), (7, 8), (8, 8), (9, 8), (10, 8), (11, 8), (12, 9), (13, 9), (14, 9), (15, 9)]
    + [(16, 9), (16, 10), (16, 11), (15, 11), (14, 11), (13, 12), (11, 12), (10, 12), (9, 12)]
    + [(8, 13), (6, 13), (5, 13), (4, 13), (4, 14), (4, 13), (5, 13)]
]
"""A held-out pen 3 in canvas cells (replay.py --rows 12 --mode cells)."""

OFFSET = (14, 5)
"""Where the digit sits on the canvas."""


async def main() -> None:
    model = load_active()
    app = make_app(model_loader=lambda progress: model)
    strokes = tuple(
        tuple((float(x + OFFSET[0]), float(y + OFFSET[1])) for x, y in stroke) for stroke in THREE
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one(DrawingCanvas).load(strokes)
        for _ in range(5):
            await pilot.pause()
        here = Path(__file__).resolve().parent
        app.save_screenshot("screenshot.svg", str(here))
        print(app.screen.query_one("#prediction").content)


if __name__ == "__main__":
    asyncio.run(main())
