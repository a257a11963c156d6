"""The training form before a run: a drawn-digits file that does not open is refused in
the CLI's words, and the "Yours" line counts the samples as they are when the screen shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run
from pilot_steps import load_drawing, open_training, settle
from textual.geometry import Region
from textual.widgets import Input, Static

from tuipad.ui.screens.train import TrainScreen
from tuipad.ui.widgets.score_panel import ScorePanel

SEVEN = [[(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]]
"""A 7 in whole-cell reports."""


async def try_to_train_on(pilot, screen: TrainScreen, drawn: str) -> None:
    screen.query_one("#strokes", Input).value = drawn
    await pilot.click("#train")
    await pilot.pause()


def errors(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications if n.severity == "error"]


def shown(screen: TrainScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


@pytest.mark.parametrize("kind", ["folder", "missing file"])
async def test_a_drawn_file_that_does_not_open_is_refused_before_training(
    app_factory, tmp_path: Path, capsys, kind: str
) -> None:
    path = tmp_path / "drawn"
    if kind == "folder":
        path.mkdir()
    code, _, cli_error = run(capsys, "eval", str(path))
    assert code == 2
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await try_to_train_on(pilot, screen, str(path))
        why = cli_error.removeprefix("tuipad: error: ").strip()
        assert not screen.training and shown(screen, "#stage") == f"Not started: {why}"
        assert errors(app) == []  # said once, on the form, not also in a toast over it


async def test_a_refused_start_keeps_the_suggested_name(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        suggested = screen.query_one("#name", Input).value
        await try_to_train_on(pilot, screen, str(tmp_path / "missing.jsonl"))
        await pilot.pause(1.1)  # a new suggestion would differ by the second
        await try_to_train_on(pilot, screen, str(tmp_path / "missing.jsonl"))
        assert not screen.training
        assert screen.query_one("#name", Input).value == suggested  # no run took it


async def test_an_emptied_name_takes_a_suggestion_again(app_factory, tmp_path: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        name = screen.query_one("#name", Input)
        name.value = "   "
        await try_to_train_on(pilot, screen, str(tmp_path / "missing.jsonl"))
        assert "bad model name" not in shown(screen, "#stage")  # refused for the file alone
        assert name.value.startswith("svc-default-")


async def test_standard_input_is_refused_as_the_drawn_file(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await try_to_train_on(pilot, screen, "-")
        assert not screen.training
        why = "the training screen cannot read standard input (-): name a file"
        assert shown(screen, "#stage") == f"Not started: {why}"
        screen.query_one("#train-tabs").active = "models-tab"  # ctrl+t away from the form
        await pilot.pause()
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert errors(app) == [("Cannot train", why)]


async def test_the_yours_line_counts_samples_added_while_away(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        assert shown(screen, "#personal-count") == "none yet: correct answers or teach (T)"
        await pilot.press("escape")
        await settle(pilot)
        await load_drawing(pilot, SEVEN)
        prediction = app.screen.query_one(ScorePanel).prediction
        assert prediction is not None
        await pilot.press(str((prediction.label + 1) % 10))  # a correction: one sample
        await settle(pilot)
        assert await open_training(pilot) is screen
        assert shown(screen, "#personal-count") == (
            "adapts the shipped model to your 1 sample, in seconds"
        )
        # At 80 columns the line wraps beside its button, whole.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        line = screen.query_one("#personal-count")
        assert line.region.right <= 80
        drawn = line.render_lines(Region(0, 0, line.size.width, line.size.height))
        words = " ".join(" ".join(strip.text for strip in drawn).split())
        assert words == shown(screen, "#personal-count")


async def test_a_data_directory_that_is_a_file_is_said_as_the_cli_says_it(
    app_factory, tmp_path: Path, monkeypatch
) -> None:
    from textual.widgets import Checkbox

    home = tmp_path / "afile"
    home.write_text("not a folder")
    monkeypatch.setenv("TUIPAD_HOME", str(home))
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        for box in ("#pen", "#augment"):
            screen.query_one(box, Checkbox).value = False  # a run of seconds, were it to run
        await pilot.click("#train")
        await settle(pilot)
        said = f"the data directory {home} (TUIPAD_HOME) is not a folder"
        assert said in shown(screen, "#stage") and "Errno" not in shown(screen, "#stage")


async def test_a_drawn_file_named_like_markup_is_shown_as_typed(app_factory, tmp_path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await try_to_train_on(pilot, screen, str(tmp_path / "x[" / "y].jsonl"))  # x[/y].jsonl
        await settle(pilot)
        assert app.is_running and "x[/y].jsonl" in str(screen.query_one("#stage").render())
