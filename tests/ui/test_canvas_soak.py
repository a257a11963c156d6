"""A soak of the canvas: 10^5 random mouse reports, some far off it, and the keys between.

The reports go straight to the canvas's handlers (routing each through the app
costs ten times as much and is not what is soaked here), with the message
queue drained every few hundred, as the app would.  Both halves replay the
same reports from a cleared canvas, so whatever the second half leaves behind
that the first did not is a leak, not a difference in the drawings.
"""

from __future__ import annotations

import gc
import random
import sys
from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult

from tuipad.core.sketch import SKETCH_POINT_LIMIT
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

REPORTS = 100_000
"""Mouse reports in the whole soak, half in each of the two identical halves."""

DRAIN_EVERY = 500
"""Reports between two pauses that let the app handle the messages they posted."""

ALLOWED_GROWTH = 2_000
"""Memory blocks the second half may leave allocated beyond the first (caches, free
lists); keeping one object per report would leave 50,000."""


class CanvasApp(App[None]):
    CSS = "DrawingCanvas { width: 40; height: 12; }"

    def compose(self) -> ComposeResult:
        yield DrawingCanvas()


def random_report(rng: random.Random) -> events.MouseEvent:
    """A press, drag or release anywhere: mostly on the canvas, sometimes absurdly far."""
    kind = rng.choice((events.MouseDown, events.MouseMove, events.MouseUp))
    roll = rng.random()
    if roll < 0.05:
        x, y = rng.choice((-1e12, 1e12, -1.0, 1e6)), rng.choice((-1e12, 1e12, -1.0, 1e6))
    elif roll < 0.3:
        x, y = rng.uniform(-10, 60), rng.uniform(-10, 25)
    else:
        x, y = rng.randint(-5, 50), rng.randint(-5, 20)
    button = rng.choice((1, 1, 1, 0, 3))
    return kind(None, x, y, 0, 0, button, False, False, False, x, y)


async def soak(pilot, canvas: DrawingCanvas, seed: int, reports: int) -> int:
    """Feed ``reports`` random reports from a cleared canvas; the most points it held."""
    handlers: dict[type, Callable[..., None]] = {
        events.MouseDown: canvas.on_mouse_down,
        events.MouseMove: canvas.on_mouse_move,
        events.MouseUp: canvas.on_mouse_up,
    }
    rng = random.Random(seed)
    canvas.clear()
    most_points = 0
    for number in range(reports):
        report = random_report(rng)
        handlers[type(report)](report)
        roll = rng.random()
        if roll < 1 / 12_000:
            canvas.clear()
        elif roll < 1 / 6_000:
            canvas.undo()
        if number % DRAIN_EVERY == 0:
            most_points = max(most_points, canvas.sketch.point_count)
            await pilot.pause()
    await pilot.pause()
    return most_points


async def test_random_reports_leave_no_error_and_no_memory_behind() -> None:
    # Counting the interpreter's allocated blocks costs nothing per report;
    # tracemalloc would triple the soak's time.
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        most_points = await soak(pilot, canvas, seed=14, reports=REPORTS // 2)
        gc.collect()
        after_first = sys.getallocatedblocks()
        await soak(pilot, canvas, seed=14, reports=REPORTS // 2)
        gc.collect()
        after_second = sys.getallocatedblocks()
        assert app.return_code is None  # still running: no handler raised
        assert most_points == SKETCH_POINT_LIMIT  # the drawing filled up, and held
        assert after_second - after_first < ALLOWED_GROWTH
