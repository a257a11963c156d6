"""The whole app through Pilot: model loading, live answers, keys, files, sizes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from pilot_steps import settle
from textual import events
from textual.widgets import Digits, Input

from tuipad.store.registry import LoadedModel
from tuipad.ui.app import make_app
from tuipad.ui.screens.draw import DrawScreen
from tuipad.ui.screens.help import HelpScreen
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.score_panel import GridView, ScoreBars, ScorePanel

SEVEN = [(8, 2), (14, 2), (20, 2), (26, 2), (24, 6), (22, 10), (20, 14), (18, 17)]
"""A 7 in canvas cells: a top bar and a long diagonal."""


async def draw_seven(pilot) -> DrawingCanvas:
    canvas = pilot.app.screen.query_one(DrawingCanvas)
    await pilot.mouse_down(canvas, offset=SEVEN[0])
    for point in SEVEN[1:]:
        await pilot.hover(canvas, offset=point)
    await pilot.mouse_up(canvas, offset=SEVEN[-1])
    await pilot.pause()
    return canvas


async def test_the_panel_shows_what_the_model_says(app_factory, fixture_model) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = await draw_seven(pilot)
        expected = fixture_model.recognise(canvas.strokes)
        panel = app.screen.query_one(ScorePanel)
        assert panel.text == expected.answer
        assert panel.text.startswith(f"Prediction {expected.label} · ")
        assert panel.text.endswith("%")
        assert app.screen.query_one(Digits).value == str(expected.label)
        bars = app.screen.query_one(ScoreBars)
        assert bars.winner() == expected.label
        assert [bars.row_text(d)[0] for d in range(10)] == [str(d) for d in range(10)]
        grid = app.screen.query_one(GridView)
        assert grid.grid == tuple(tuple(int(v) for v in row) for row in expected.grid)
        assert grid.value_at(3, 0) == expected.grid[0][3]


async def test_live_prediction_while_the_pen_is_down(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        await pilot.mouse_down(canvas, offset=(10, 3))
        for x in range(11, 25):
            await pilot.hover(canvas, offset=(x, 3 + x // 3))
        await pilot.pause(0.3)
        assert canvas.pen_down
        assert app.screen.query_one(ScorePanel).text.startswith("Prediction ")
        await pilot.mouse_up(canvas, offset=(24, 11))


async def test_loading_model_until_the_worker_delivers(fixture_model) -> None:
    release = threading.Event()

    def slow_loader(progress) -> LoadedModel:
        progress("fitting", 0.5, 0.8)  # as a retrain of the default reports
        release.wait(10)
        return fixture_model

    app = make_app(model_loader=slow_loader)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(ScorePanel)
        assert panel.text.startswith("loading model")
        canvas = await draw_seven(pilot)  # drawing works before the model is there
        assert canvas.strokes
        assert panel.text.startswith("loading model")
        release.set()
        await settle(pilot)
        assert panel.text.startswith("Prediction ")
        assert app.sub_title == "model fixture · 96.9% test accuracy"


async def test_a_model_that_fails_to_load_is_reported(fixture_model) -> None:
    def broken(progress) -> LoadedModel:
        raise OSError("disk on fire")

    app = make_app(model_loader=broken)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "disk on fire" in " ".join(n.message for n in app._notifications)
        assert app.screen.query_one(ScorePanel).text == "no model: drawing only"
        assert (await draw_seven(pilot)).strokes


async def test_the_model_notice_is_shown(fixture_model) -> None:
    noticed = LoadedModel(fixture_model.predictor, fixture_model.manifest, "retrained it")
    app = make_app(model_loader=lambda progress: noticed)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert any("retrained it" in n.message for n in app._notifications)


async def test_keys_clear_undo_redo_and_eraser(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = await draw_seven(pilot)
        drawn = canvas.strokes
        panel = app.screen.query_one(ScorePanel)
        await pilot.press("c")
        assert canvas.strokes == ()
        assert panel.text == "draw a digit"
        await pilot.press("u")
        assert canvas.strokes == drawn
        assert panel.text.startswith("Prediction ")
        await pilot.press("ctrl+z")
        assert canvas.strokes == ()
        await pilot.press("ctrl+y")
        assert canvas.strokes == drawn
        await pilot.press("e")
        assert canvas.eraser
        assert app.screen.query_one("#canvas-frame").border_title == "Eraser"
        await pilot.press("e")
        assert not canvas.eraser


async def test_clearing_the_canvas_takes_up_the_pen_again(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = await draw_seven(pilot)
        await pilot.press("e", "c")
        assert not canvas.eraser
        assert app.screen.query_one("#canvas-frame").border_title == "Draw a digit"
        await draw_seven(pilot)  # draws, where the eraser would silently rub out nothing
        assert len(canvas.strokes) == 1
        assert app.screen.query_one(ScorePanel).text.startswith("Prediction ")


async def test_keyboard_drawing_gets_a_prediction(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("left", "space", *["right"] * 6, *["down"] * 10, "space")
        canvas = app.screen.query_one(DrawingCanvas)
        assert len(canvas.strokes) == 1 and len(canvas.strokes[0]) == 17
        assert app.screen.query_one(ScorePanel).text.startswith("Prediction ")


async def test_help_opens_on_question_mark_and_closes(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DrawScreen)


async def test_q_quits(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_command_palette_runs_clear(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = await draw_seven(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Clear")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert canvas.strokes == ()


async def test_the_palette_offers_tuipads_help_not_textuals_keys_panel(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "Help" in commands and "Keys" not in commands
        assert commands["Quit"].startswith("Quit (asking first")  # one Quit, tuipad's
        assert isinstance(app.focused, DrawingCanvas)
        assert "Maximize" not in commands  # it would hide the answer and every hint
        assert "Screenshot" not in commands  # it writes outside the data directory
        assert commands["Scribble mode"].endswith("(s)") and commands["Teach mode"].endswith("(T)")
        await pilot.press("s")
        await pilot.pause()
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "Scribble mode" not in commands and commands["Sketchpad"].endswith("(s)")
        assert not commands["Teach mode"].endswith(")")  # T does nothing in scribble mode
        app.action_train_screen()
        await pilot.pause()
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert not any(said.endswith(("(s)", "(T)", "(b)")) for said in commands.values())


async def test_the_palette_finds_fit_undo_correction_and_where_export_is(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert commands["Fit"].help.endswith("(f)")
        assert commands["Undo correction"].help.endswith("(ctrl+u)")
        commands["Export model"].callback()
        await pilot.pause()
        assert any("tuipad export --onnx" in n.message for n in app._notifications)
        await pilot.press("s")  # scribble mode fits its page with f too
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert commands["Fit"].help.endswith("(f)") and "Undo correction" not in commands


async def test_switching_mode_from_teach_mode_comes_back_to_the_sketchpad(app_factory) -> None:
    from tuipad.ui.screens.scribble import ScribbleScreen
    from tuipad.ui.screens.teach import TeachScreen

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TeachScreen)
        app.action_toggle_scribble()  # the palette's Scribble mode
        await pilot.pause()
        assert isinstance(app.screen, ScribbleScreen)
        await pilot.press("s")  # "s Sketchpad"
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)


async def test_save_and_open_a_drawing(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    path = tmp_path / "seven.json"
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = await draw_seven(pilot)
        drawn = canvas.strokes
        await pilot.press("ctrl+s")
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert json.loads(path.read_text())["strokes"][0][0] == list(SEVEN[0])
        await pilot.press("c")
        await pilot.press("ctrl+o")
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert canvas.strokes == drawn
        assert app.screen.query_one(ScorePanel).text.startswith("Prediction ")


async def test_opening_a_bad_file_says_why(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    path = tmp_path / "bad.json"
    path.write_text("{nope")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+o")
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert "not JSON" in str(app.screen.query_one("#problem").render())  # the dialog stays
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)


async def test_canvas_covers_the_required_area_at_100x32(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        region = app.screen.query_one(DrawingCanvas).region
        assert region.x <= 3 and region.right > 50
        assert region.y <= 4 and region.bottom > 28


async def test_80x24_keeps_a_readable_panel(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await draw_seven(pilot)
        panel = app.screen.query_one(ScorePanel)
        assert panel.region.right <= 80 and panel.region.bottom <= 23
        bars = app.screen.query_one(ScoreBars)
        assert bars.region.height == 10 and bars.region.bottom <= panel.region.bottom
        assert app.screen.query_one(DrawingCanvas).region.width >= 30


async def test_too_small_shows_a_message_and_resizing_keeps_the_drawing(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = await draw_seven(pilot)
        drawn = canvas.strokes
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        message = app.screen.query_one("#too-small")
        assert message.display and "Enlarge the terminal" in str(message.render())
        assert not app.screen.query_one("#main").display
        # "Nothing is lost meanwhile": keys and the mouse change nothing unseen.
        await pilot.press("c", "e", "space", "right")
        await pilot.mouse_down(offset=(10, 5))
        await pilot.hover(offset=(12, 8))
        await pilot.mouse_up(offset=(12, 8))
        await pilot.pause()
        assert canvas.strokes == drawn and not canvas.eraser
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not message.display
        assert canvas.strokes == drawn
        assert app.screen.query_one(ScorePanel).text.startswith("Prediction ")


@pytest.mark.parametrize("samples", [0, 1])
async def test_the_too_small_message_hides_all_of_browse(
    app_factory, tuipad_home, samples: int
) -> None:
    from tuipad.store.samples import SampleStore

    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        for _ in range(samples):
            store.add([[[5, 2], [5, 14]]], 1, source="teach")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        shown = [widget.id for widget in app.screen.children if widget.display]
        assert shown == ["too-small"]
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert app.screen.query_one("#samples-table").display == bool(samples)
        assert app.screen.query_one("#browse-empty").display == (not samples)


async def test_q_still_quits_behind_the_too_small_message(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(50, 15)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("opened_with", ["", "s", "t"])
async def test_question_mark_shows_help_over_the_too_small_message(
    app_factory, tuipad_home, opened_with: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        if opened_with:
            await pilot.press(opened_with)
            await settle(pilot)
        hidden = app.screen
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.about is hidden
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is hidden and hidden.query_one("#too-small").display
        assert not any("?" in str(field.value) for field in hidden.query(Input))


async def test_a_burst_of_drag_reports_reaches_the_canvas_in_order(app_factory) -> None:
    # A whole drag in one read: the screen routes the moves after a press on the
    # canvas straight to it (no per-report hover work), even those that leave it.
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        origin = canvas.content_region.offset
        points = [(2, 1), (12, 2), (20, 3), (5, 4), (30, 5), (9, 6), (25, 7), (90, 8)]

        def event(kind: type[events.MouseEvent], x: int, y: int) -> events.MouseEvent:
            sx, sy = origin.x + x, origin.y + y
            return kind(None, sx, sy, 0, 0, 1, False, False, False, screen_x=sx, screen_y=sy)

        burst = [event(events.MouseDown, *points[0])]
        burst += [event(events.MouseMove, *point) for point in points[1:]]
        burst.append(event(events.MouseUp, *points[-1]))
        for message in burst:
            app.screen._forward_event(message)
        await pilot.pause()
        await pilot.pause()
        right = float(canvas.size.width - 1)  # the last report is over the panel
        expected = [(float(x), float(y)) for x, y in points[:-1]] + [(right, 8.0)]
        assert canvas.strokes == (tuple(expected),)
        assert not canvas.mouse_down
        assert app.screen.query_one(ScorePanel).prediction is not None


async def test_ctrl_c_names_tuipads_own_quit_key(app_factory) -> None:
    from pilot_steps import notices

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert "Press q to quit (ctrl+q in a text field)" in notices(app)
