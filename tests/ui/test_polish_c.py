"""Part C of issue 15: the small things on the draw, teach, scribble and browse screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_steps import load_drawing, notices, screen_text, settle
from textual.widgets import Input

from tuipad.ui.too_small import TooSmall
from tuipad.ui.widgets.canvas_paint import CURSOR_DOWN, CURSOR_UP
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.grid_view import SHADES, grid_cell_text
from tuipad.ui.widgets.score_panel import GridView, ScoreBars, ScorePanel

ONE = [[(8, 2), (8, 6), (8, 10), (8, 14)]]
"""A 1 in whole-cell reports."""


async def test_clicking_a_score_bar_confirms_the_sample(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.click(ScoreBars, offset=(3, 4))
        await settle(pilot)
        assert any("as a 4" in m for m in notices(app)), notices(app)
        bars = app.screen.query_one(ScoreBars)
        assert bars.saved == 4  # and on the bar itself, marked until the drawing changes
        assert list(bars.render_line(4))[0].style.reverse
        await pilot.press("c")
        await pilot.pause()
        assert bars.saved is None


def test_teach_says_an_8() -> None:
    from tuipad.core.teaching import TeachRound
    from tuipad.ui.screens.teach_wording import prompt_text

    teach_round = TeachRound(per_digit=1, queue=(8, 1))
    assert prompt_text(teach_round).startswith("Draw an 8 ·")
    assert prompt_text(TeachRound(per_digit=1, queue=(1,))).startswith("Draw a 1 ·")


async def test_saving_into_a_missing_folder_is_an_error(
    app_factory, tuipad_home, tmp_path: Path
) -> None:
    app = app_factory()
    typo = tmp_path / "drawigns" / "seven.json"
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.press("ctrl+s")
        app.screen.query_one(Input).value = str(typo)
        await pilot.press("enter")
        await pilot.pause()
        assert not typo.parent.exists()
        problem = str(app.screen.query_one("#problem").render())  # said in the dialog, open
        assert problem.startswith(f"There is no folder {typo.parent}")


async def test_scribble_opens_with_a_hint_until_the_first_stroke(fixture_model) -> None:
    from tuipad.ui.app import make_app
    from tuipad.ui.screens.scribble_view import EMPTY_PAGE_HINT
    from tuipad.ui.widgets.scribble_canvas import ScribbleCanvas

    app = make_app(model_loader=lambda progress: fixture_model, scribble=True, pause=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(ScribbleCanvas)
        shown = [canvas.text_at(y).strip() for y in range(canvas.size.height)]
        assert EMPTY_PAGE_HINT[0] in shown
        await pilot.mouse_down(canvas, offset=(5, 3))
        await pilot.hover(canvas, offset=(5, 8))
        await pilot.mouse_up(canvas, offset=(5, 8))
        await pilot.pause()
        assert not any(canvas.text_at(y).strip() for y in range(canvas.size.height))


@pytest.mark.parametrize("key", ["T", "b", "s"])
async def test_every_screen_says_when_the_terminal_is_too_small(
    app_factory, tuipad_home, key: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        message = screen.query_one(TooSmall)
        assert message.display and "Enlarge the terminal" in str(message.render())
        assert "80×24" in str(message.render())
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert not message.display


@pytest.mark.parametrize(
    ("key", "leave"), [("T", "escape"), ("b", "escape"), ("s", "s"), ("t", "escape")]
)
async def test_a_screen_too_big_for_the_terminal_can_be_left_for_the_sketchpad(
    app_factory, tuipad_home, key: str, leave: str
) -> None:
    from tuipad.ui.screens.draw import DrawScreen

    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:  # the sketchpad fits; the others do not
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        message = app.screen.query_one(TooSmall)
        assert f"Nothing is lost meanwhile; {leave} leaves this screen; ? shows its keys." in str(
            message.render()
        )
        await pilot.press(leave)
        await settle(pilot)
        assert isinstance(app.screen, DrawScreen)
        assert not app.screen.query(TooSmall) or not app.screen.query_one(TooSmall).display


# --------------------------------------------------------------------------- the panel and colours


async def _values_row(app) -> str:
    grid = app.screen.query_one(GridView)
    middle = grid.cell[1] // 2
    return grid.row_text(middle)


async def test_grid_values_have_fixed_width_columns(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.press("v")
        await pilot.pause()
        grid = app.screen.query_one(GridView)
        width = grid.cell[0]
        text = await _values_row(app)
        cells = [text[i * width : (i + 1) * width] for i in range(8)]
        row = [grid.value_at(column, 0) for column in range(8)]
        assert [int(cell) for cell in cells] == row
        assert all(cell.startswith(" ") or cell.endswith(" ") for cell in cells)
        assert app.screen.query_one(DrawingCanvas).region.width >= 30


@pytest.mark.parametrize(("size", "cell"), [((80, 24), (2, 1)), ((200, 60), (8, 4))])
async def test_the_panel_and_its_grid_grow_with_the_terminal(app_factory, size, cell) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        panel = app.screen.query_one(ScorePanel)
        grid = app.screen.query_one(GridView)
        assert grid.cell == cell
        assert grid.region.width == 8 * cell[0] and grid.region.height == 8 * cell[1]
        assert grid.region.right <= panel.region.right and grid.region.bottom <= panel.region.bottom
        assert app.screen.query_one(DrawingCanvas).region.width >= size[0] // 2


@pytest.fixture(params=["16 colours", "NO_COLOR"])
def few_colours(request, monkeypatch) -> None:
    """As in ``TERM=xterm`` (Rich's 16-colour system), or with NO_COLOR set."""
    from textual import constants

    if request.param == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")


async def test_with_few_colours_the_grid_is_shaded_with_characters(
    app_factory, few_colours
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        grid = app.screen.query_one(GridView)
        text = "".join(grid.row_text(y) for y in range(8))
        assert set(text) <= set(SHADES) and set(text) - {" "}
        expected = {
            grid_cell_text(v, 2, show_value=False, shaded=True) for r in grid.grid for v in r
        }
        assert {text[i : i + 2] for i in range(0, len(text), 2)} == expected


async def test_the_keyboard_cursor_is_a_visible_character(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        await pilot.press("right")
        x, y = canvas.cursor
        assert canvas.render_cells(y, 0, canvas.size.width).text[x] == CURSOR_UP
        await pilot.press("space")
        assert canvas.render_cells(y, 0, canvas.size.width).text[x] == CURSOR_DOWN


# --------------------------------------------------------------------------- browse


async def test_the_selected_rows_thumbnail_keeps_its_shading(app_factory, tuipad_home) -> None:
    from textual.widgets import DataTable

    from tuipad.store.samples import SampleStore

    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        store.add([[(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]], 7, source="teach")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 0
        # Rows 1..4 of the table are the first sample's picture, under the cursor.
        upper_colours = {
            segment.style.color
            for y in range(1, 5)
            for segment in table.render_line(y)
            if segment.text == "▀" and segment.style is not None
        }
        assert len(upper_colours) > 2, upper_colours  # shades, not one stripe colour


async def test_a_personal_models_header_fits_80_columns(fixture_model) -> None:
    from dataclasses import replace

    from tuipad.store.registry import LoadedModel
    from tuipad.ui.app import make_app

    metrics = {"personal_samples": 120, "test_accuracy": None}
    manifest = replace(fixture_model.manifest, name="personal-20261206-053801", metrics=metrics)
    model = LoadedModel(fixture_model.predictor, manifest)
    app = make_app(model_loader=lambda progress: model, run_in_process=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "model personal-20261206-053801 · your 120 samples" in screen_text(app)


def test_the_header_says_a_cross_validated_accuracy_is_one(fixture_model) -> None:
    from dataclasses import replace

    from tuipad.store.registry import LoadedModel
    from tuipad.ui.wording import header_subtitle

    protocol = "5-fold cross-validation on load_digits (1797 scans)"
    metrics = {"test_accuracy": 0.99, "protocol": protocol}
    manifest = replace(fixture_model.manifest, name="seedcv", metrics=metrics)
    said = header_subtitle(LoadedModel(fixture_model.predictor, manifest))
    assert said == "model seedcv · 99.0% cross-validated on scans"  # not "test accuracy"
