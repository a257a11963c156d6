"""Ink the canvas does not show: a drawing opened from a file is brought onto the canvas,
and one that a smaller terminal (or the values' wider panel) cuts off says so in the
canvas's border, where f brings it back; the model reads all of it either way.  A
scribble page cut off says so in the line under it, and f brings it back too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilot_steps import load_drawing, notices, screen_text, settle
from textual.widgets import Input

from tuipad.core.geometry import on_canvas
from tuipad.core.scribble import Page, TimedStroke
from tuipad.store.page_files import save_page
from tuipad.ui.app import make_app
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.score_panel import ScorePanel

LOOP = (
    tuple(
        (float(x), float(y))
        for x, y in [(40, 6), (36, 8), (33, 13), (33, 20), (35, 26), (40, 29), (45, 26)]
        + [(47, 20), (47, 13), (45, 8), (40, 6)]
    ),
)
"""A 0 drawn at 120x40, rows 6 to 29: past the bottom of the canvas at 80x24, and
right of all of it at 60x18."""

NOTE = "f fits"
"""What every wording of the border's warning ends with (the longest says more)."""


def canvas_shows_ink(canvas: DrawingCanvas) -> bool:
    """Whether any cell of the canvas, as painted, holds ink."""
    width, height = canvas.size
    return any(canvas.render_cells(y, 0, width).text.strip() for y in range(height))


async def open_file(pilot, path: Path) -> None:
    await pilot.press("ctrl+o")
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("size", "said"), [((120, 40), "moved onto"), ((60, 18), "moved and shrunk onto")]
)
async def test_an_opened_drawing_off_the_canvas_is_moved_onto_it(
    app_factory, fixture_model, tmp_path: Path, size, said
) -> None:
    strokes = [[[100, 50], [100, 80]]]  # a 1 below and right of the canvas; at 60x18 taller
    path = tmp_path / "far.json"
    path.write_text(json.dumps({"strokes": strokes}))
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_file(pilot, path)
        canvas = app.screen.query_one(DrawingCanvas)
        assert on_canvas(canvas.strokes, *canvas.size)
        assert canvas_shows_ink(canvas)
        (((x0, y0), (x1, y1)),) = canvas.strokes
        assert x0 == x1 and y1 > y0  # still one upright stroke
        assert NOTE not in screen_text(app)
        assert any(f"{said} the canvas" in n.message for n in app._notifications)
        answer = app.screen.query_one(ScorePanel).prediction
        assert answer is not None and answer.label == fixture_model.recognise(strokes).label
        await pilot.press("u")  # one step: the canvas is as before the file
        assert canvas.strokes == ()


async def test_a_drawing_a_smaller_terminal_cuts_off_says_so_and_f_brings_it_back(
    app_factory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, LOOP)
        canvas = app.screen.query_one(DrawingCanvas)
        panel = app.screen.query_one(ScorePanel)
        answer, label = panel.text, panel.prediction.label
        assert NOTE not in screen_text(app)
        for size in ((80, 24), (60, 18)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert NOTE in screen_text(app)
            assert panel.text == answer  # the model reads the strokes as they are
        assert not canvas_shows_ink(canvas)
        await pilot.press("f")
        await pilot.pause()
        assert canvas_shows_ink(canvas) and on_canvas(canvas.strokes, *canvas.size)
        assert NOTE not in screen_text(app)
        assert panel.prediction.label == label  # moved and shrunk, the same digit
        await pilot.press("u")
        await pilot.pause()
        assert canvas.strokes == LOOP and NOTE in screen_text(app)


async def test_the_values_panel_narrowing_the_canvas_says_what_it_hides(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        right = canvas.size.width - 2
        await load_drawing(pilot, (((right, 3.0), (right, 15.0)),))
        assert NOTE not in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert canvas.size.width <= right and NOTE in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert NOTE not in screen_text(app)


async def test_teach_mode_says_so_too(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        await load_drawing(pilot, LOOP)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert NOTE in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        canvas = app.screen.query_one(DrawingCanvas)
        assert on_canvas(canvas.strokes, *canvas.size) and NOTE not in screen_text(app)


def upright(column: float, start: float) -> TimedStroke:
    """A 1 written at ``start``, low on a 120x40 page: below the page at 80x24."""
    return TimedStroke(((column, 26.0), (column, 34.0)), start, start + 0.5)


LOW_ELEVEN = Page().with_stroke(upright(90.0, 0.0)).with_stroke(upright(94.0, 1.0))
"""An 11 written low and right at 120x40."""


@pytest.fixture
def low_eleven(tmp_path: Path) -> Path:
    """:data:`LOW_ELEVEN` saved as a page file."""
    path = tmp_path / "page.json"
    save_page(path, LOW_ELEVEN)
    return path


def scribble_app(model):
    return make_app(model_loader=lambda progress: model, scribble=True, pause=0.2)


async def test_a_scribble_page_a_smaller_terminal_cuts_off_says_so_and_f_brings_it_back(
    fixture_model, low_eleven: Path
) -> None:
    app = scribble_app(fixture_model)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.open_page(low_eleven)
        await settle(pilot)
        (read,) = [number.text for number in screen.page.numbers]
        assert NOTE not in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        # The model read the number: the line lists it, and says it does not show.
        assert f"{NOTE} · read: {read}" in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        assert on_canvas(screen.page.strokes, *screen.canvas.size)
        assert [number.text for number in screen.page.numbers] == [read]
        assert NOTE not in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert screen.page.strokes == LOW_ELEVEN.strokes and NOTE in screen_text(app)


async def test_f_on_a_scribble_page_all_on_the_canvas_says_so(fixture_model) -> None:
    app = scribble_app(fixture_model)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert "All of the page is on the canvas" in notices(app)
        assert not app.screen.history.can_undo


async def test_a_scribble_page_opened_on_a_smaller_terminal_is_moved_onto_it(
    fixture_model, low_eleven: Path
) -> None:
    app = scribble_app(fixture_model)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.open_page(low_eleven) == "moved onto the canvas to show all of it"
        await settle(pilot)
        assert on_canvas(screen.page.strokes, *screen.canvas.size)
        assert len(screen.page.groups) == 2 and NOTE not in screen_text(app)


async def test_a_scribble_page_taller_than_the_canvas_is_shrunk_and_says_so(
    fixture_model, tmp_path: Path
) -> None:
    tall = TimedStroke(((40.0, 0.0), (40.0, 60.0)), 0.0, 0.5)  # a 1 taller than 80x24's canvas
    path = tmp_path / "tall.json"
    save_page(path, Page().with_stroke(tall))
    app = scribble_app(fixture_model)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.open_page(path) == "moved and shrunk onto the canvas to show all of it"
        await settle(pilot)
        assert on_canvas(screen.page.strokes, *screen.canvas.size)
