"""The training screen through Pilot: train, read the report, drill in, cancel, choose models."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pilot_steps import notices, settle
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    ProgressBar,
    RadioSet,
    Select,
    Static,
)
from textual.worker import WorkerCancelled

from tuipad.core.families import FAMILIES
from tuipad.core.reports import UNDEFINED, evaluate, report_rows
from tuipad.core.training import DrawnDigits, evaluate_drawings
from tuipad.services import ModelRow
from tuipad.store.formats import read_drawn_digits
from tuipad.store.model_list import list_models
from tuipad.store.paths import Paths
from tuipad.store.registry import active_name, user_models_dir
from tuipad.ui.screens.draw import DrawScreen
from tuipad.ui.screens.train import TrainScreen, default_name
from tuipad.ui.screens.train.form import TrainForm
from tuipad.ui.screens.train.history import ModelsPane
from tuipad.ui.screens.train.report import ReportPane
from tuipad.ui.widgets.confusion_matrix import (
    CELL_WIDTH,
    LABEL_WIDTH,
    ConfusionMatrix,
    cell_at,
    shade,
    worst_mistake,
)
from tuipad.ui.widgets.digit_pictures import DigitCard, DigitPictures, captions, half_block_rows
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.report_table import ReportTable
from tuipad.ui.widgets.score_panel import ScorePanel

SEVEN = [(8, 2), (14, 2), (20, 2), (26, 2), (24, 6), (22, 10), (20, 14), (18, 17)]
"""A 7 in canvas cells: a top bar and a long diagonal."""


async def follow_the_bar(pilot, screen) -> list[tuple[float, float]]:
    """(seconds since now, fraction drawn) of the training bar, every 50 ms until the run ends."""
    start, seen = time.perf_counter(), []
    while screen.training:
        seen.append(
            (time.perf_counter() - start, screen.query_one("#progress", ProgressBar).progress)
        )
        await pilot.pause(0.05)
    return seen


async def train_now(screen: TrainScreen) -> None:
    """Start a training as ctrl+t does, and wait until it has begun (the form is read
    once the field in focus has handled the keys before it)."""
    screen.action_train()
    for _ in range(1000):
        if screen.training:
            return
        await asyncio.sleep(0)


async def settle_cancelled(pilot) -> None:
    """Let a cancelled training's worker wind down."""
    with contextlib.suppress(WorkerCancelled):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_training(pilot) -> TrainScreen:
    await settle(pilot)
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    return screen


async def fill_form(
    pilot, family: str, *, pen: bool = False, augment: bool = False, name: str = ""
) -> None:
    screen = pilot.app.screen
    buttons = list(screen.query_one("#family", RadioSet).query("RadioButton"))
    buttons[list(FAMILIES).index(family)].value = True
    await pilot.pause()  # a family chosen sets the data, as a click would, before the boxes
    screen.query_one("#pen", Checkbox).value = pen
    screen.query_one("#augment", Checkbox).value = augment
    await pilot.pause()
    if name:
        screen.query_one("#name", Input).value = name
    await pilot.pause()


async def train_knn(pilot, name: str = "knn-test", family: str = "knn") -> TrainScreen:
    """Train k-NN (or another family) on the scans only with the half split (about a
    second) and wait for it."""
    screen = await open_training(pilot)
    await fill_form(pilot, family, name=name)
    await pilot.click("#train")
    await settle(pilot)
    await pilot.pause()
    assert screen.result is not None, screen.query_one("#stage", Static).content
    return screen


# --------------------------------------------------------------------------- pure parts


def test_default_name_is_family_date_and_time() -> None:
    assert re.fullmatch(r"knn-19700101-\d{6}", default_name("knn", 0))


def test_cell_at_maps_widget_cells_to_true_and_predicted() -> None:
    assert cell_at(LABEL_WIDTH, 1) == (0, 0)
    assert cell_at(LABEL_WIDTH + 3 * CELL_WIDTH + 2, 8) == (7, 3)
    assert cell_at(LABEL_WIDTH - 1, 3) is None
    assert cell_at(LABEL_WIDTH, 0) is None
    assert cell_at(LABEL_WIDTH + 10 * CELL_WIDTH, 2) is None


def test_shade_and_worst_mistake() -> None:
    matrix = [[0] * 10 for _ in range(10)]
    for digit in range(10):
        matrix[digit][digit] = 8
    matrix[3][5], matrix[8][1] = 2, 1
    frozen = tuple(tuple(row) for row in matrix)
    assert worst_mistake(frozen) == (3, 5)
    assert shade(frozen, 3, 5) == 1.0
    assert 0 < shade(frozen, 8, 1) < 1
    assert shade(frozen, 0, 1) == 0
    assert shade(frozen, 3, 3) == 0.8
    assert worst_mistake(tuple(tuple(int(i == j) for j in range(10)) for i in range(10))) == (0, 0)


def test_half_block_rows_pair_grid_rows() -> None:
    grid = list(range(64))
    rows = half_block_rows(grid)
    assert len(rows) == 4 and all(len(row) == 8 for row in rows)
    assert rows[0][0] == (0, 8) and rows[3][7] == (55, 63)


def test_captions_give_both_scores() -> None:
    scores = tuple(0.7 if d == 1 else (0.2 if d == 7 else 0.1 / 8) for d in range(10))
    assert captions(DigitCard(tuple([0] * 64), 7, 1, scores)) == ("true 7 20%", "read 1 70%")


def test_report_rows_cover_digits_and_averages() -> None:
    labels = np.repeat(np.arange(10), 4)
    predicted = labels.copy()
    predicted[::2] = (labels[::2] + 1) % 10  # half of each digit read as the next one
    rows = report_rows(evaluate(labels, predicted))
    assert [r[0] for r in rows] == [str(d) for d in range(10)] + ["macro avg", "weighted"]
    assert rows[0] == ("0", "0.500", "0.500", "0.500", "4")
    assert rows[10] == ("macro avg", "0.500", "0.500", "0.500", "40")
    assert rows[11] == ("weighted", "0.500", "0.500", "0.500", "40")


def test_a_drawn_file_without_some_digits_is_not_scored_on_them() -> None:
    """Digits a drawn file lacks have no figures, and the macro average leaves them out,
    as ``tuipad eval`` shows them: not 0.000 and a macro average of 0.200 beside 100%."""
    rows = {row[0]: row for row in report_rows(evaluate(np.array([7, 7, 1]), np.array([7, 7, 1])))}
    assert rows["3"] == ("3", UNDEFINED, UNDEFINED, UNDEFINED, "0")
    assert rows["7"] == ("7", "1.000", "1.000", "1.000", "2")
    assert rows["macro avg"] == ("macro avg", "1.000", "1.000", "1.000", "3")
    assert rows["weighted"] == ("weighted", "1.000", "1.000", "1.000", "3")
    # A digit not in the file but read: its precision says every such read was wrong.
    rows = {row[0]: row for row in report_rows(evaluate(np.array([7, 1]), np.array([7, 4])))}
    assert rows["4"] == ("4", "0.000", UNDEFINED, UNDEFINED, "0")
    assert rows["1"] == ("1", "0.000", "0.000", "0.000", "1")
    assert rows["macro avg"] == ("macro avg", "0.500", "0.500", "0.500", "2")  # over 1 and 7


def test_read_drawn_digits_names_the_bad_line(tmp_path: Path, seven: list) -> None:
    good = json.dumps({"label": 7, "strokes": seven})
    path = tmp_path / "drawn.jsonl"
    path.write_text(f"{good}\n\n{good}\n")
    drawn = read_drawn_digits(str(path))
    assert drawn.labels == (7, 7) and len(drawn.drawings) == 2
    path.write_text(good + "\n" + json.dumps({"label": 1, "strokes": [[[1, "x"]]]}) + "\n")
    with pytest.raises(ValueError, match="line 2"):
        read_drawn_digits(str(path))
    path.write_text("\n")
    with pytest.raises(ValueError, match="no drawings"):
        read_drawn_digits(str(path))


def test_evaluate_drawings_matches_the_sketchpad(fixture_model, seven: list) -> None:
    drawn = DrawnDigits("-", (7, 1), (seven, seven))
    result = evaluate_drawings(fixture_model.predictor, drawn)
    label = fixture_model.recognise(seven).label
    assert result.predicted.tolist() == [label, label]
    assert result.grids.shape == (2, 64) and result.scores.shape == (2, 10)
    assert result.evaluation.n == 2
    assert result.evaluation.accuracy == ((label == 7) + (label == 1)) / 2


# --------------------------------------------------------------------------- the panes alone


class PaneApp(App[None]):
    """One pane in a bare app, recording the messages it posts."""

    def __init__(self, pane_type: type) -> None:
        super().__init__()
        self.pane_type = pane_type
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.pane_type()

    def on_train_form_train(self, message: TrainForm.Train) -> None:
        self.posted.append(message)

    def on_models_pane_delete(self, message: ModelsPane.Delete) -> None:
        self.posted.append(message)


async def test_train_form_reads_its_fields_and_asks_to_train() -> None:
    app = PaneApp(TrainForm)
    async with app.run_test(size=(100, 32)) as pilot:
        form = app.query_one(TrainForm)
        assert form.model_name.startswith("svc-default-")  # suggested for the family
        assert form.spec().family == "svc-default" and form.spec().cv is None
        form.query_one("#cv", Checkbox).value = True
        form.query_one("#folds", Input).value = "1"
        await pilot.pause()
        with pytest.raises(ValueError, match="2 to 20"):
            form.spec()
        form.query_one("#folds", Input).value = "4"
        assert form.spec().cv == 4
        await pilot.click("#train")
        await pilot.pause()
        assert [type(m) for m in app.posted] == [TrainForm.Train]


async def test_models_pane_asks_to_delete_on_the_second_press() -> None:
    row = ModelRow("mine", "knn", "scans", "2024-01-01 00:00", 0.9, 2048, False, True, "knn", "")
    app = PaneApp(ModelsPane)
    async with app.run_test(size=(100, 32)) as pilot:
        pane = app.query_one(ModelsPane)
        pane.show_rows([row])
        await pilot.pause()
        assert pane.selected() == "mine"
        await pilot.click("#delete")
        await pilot.pause()
        question = str(pane.query_one("#delete", Button).label)
        assert app.posted == [] and question == "Delete active? Again"  # the row is active
        await pilot.pause(0.3)  # a button ignores a second click while it flashes
        await pilot.click("#delete")
        await pilot.pause()
        assert app.posted == [ModelsPane.Delete("mine")]
        assert str(pane.query_one("#delete", Button).label) == "Delete"


async def test_a_deleted_models_row_leaves_the_cursor_on_the_row_in_its_place() -> None:
    from dataclasses import replace

    row = ModelRow("a", "knn", "scans", "2024-01-01 00:00", 0.9, 2048, False, False, "knn", "")
    rows = [replace(row, name=name) for name in ("a", "b", "c")]
    app = PaneApp(ModelsPane)
    async with app.run_test(size=(100, 32)) as pilot:
        pane = app.query_one(ModelsPane)
        pane.show_rows(rows)
        await pilot.pause()
        pane.query_one("#history", DataTable).move_cursor(row=1)
        assert pane.selected() == "b"
        pane.show_rows([rows[0], rows[2]])  # b deleted
        await pilot.pause()
        assert pane.selected() == "c"  # its neighbour, not the top of the list


# --------------------------------------------------------------------------- the screen


async def test_t_opens_the_screen_and_escape_keeps_the_drawing(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        canvas.load([SEVEN])
        await pilot.pause()
        await open_training(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)
        assert app.screen.query_one(DrawingCanvas).strokes == canvas.strokes != ()


async def test_train_knn_report_matrix_and_samples(app_factory, tuipad_home: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await train_knn(pilot)
        result = screen.result
        evaluation = result.evaluation
        assert evaluation.n == 899  # the seed's second half

        table = screen.query_one("#report", ReportTable)
        assert table.row_count == 12
        digit_three = [str(cell) for cell in table.get_row("3")]
        report = evaluation.report["3"]
        assert digit_three == [
            "3",
            f"{report['precision']:.3f}",
            f"{report['recall']:.3f}",
            f"{report['f1-score']:.3f}",
            str(int(report["support"])),
        ]
        assert f"{evaluation.accuracy:.1%} on 899 scans" in str(
            screen.query_one("#summary", Static).content
        )

        matrix = screen.query_one(ConfusionMatrix)
        counts = [[matrix.count(t, p) for p in range(10)] for t in range(10)]
        assert sum(map(sum, counts)) == evaluation.n
        diagonal = sum(counts[d][d] for d in range(10))
        assert diagonal / evaluation.n == evaluation.accuracy
        assert counts == evaluation.confusion
        # Drill into the worst mistake with a click.
        screen.query_one("#train-tabs").active = "matrix-tab"
        await pilot.pause()
        for true in range(10):  # the heat map shows those counts
            shown = matrix.render_line(1 + true).text.split()
            assert shown == [str(true)] + [str(c) if c else "·" for c in counts[true]]
        true, predicted = worst_mistake(matrix.matrix)
        offset = (LABEL_WIDTH + predicted * CELL_WIDTH + 1, 1 + true)
        await pilot.click(ConfusionMatrix, offset=offset)
        await pilot.pause()
        pictures = screen.query_one(DigitPictures)
        pairs = zip(result.test_labels, result.test_predicted, strict=True)
        expected = [i for i, pair in enumerate(pairs) if pair == (true, predicted)]
        assert len(pictures.samples) == len(expected) == counts[true][predicted] > 0
        assert {(s.true, s.predicted) for s in pictures.samples} == {(true, predicted)}
        grids = {tuple(int(v) for v in result.test_grids[i]) for i in expected}
        assert {s.grid for s in pictures.samples} == grids
        first = pictures.samples[0]
        assert first.scores[predicted] == max(s.scores[predicted] for s in pictures.samples)
        title = str(screen.query_one("#samples-title", Static).content)
        assert title.startswith(f"{true} read as {predicted}: {len(expected)} digits")

        # Keys: move to the diagonal cell and show the digits read right.
        matrix.focus()
        matrix.cursor = (2, 1)
        await pilot.press("right", "enter")
        await pilot.pause()
        assert {(s.true, s.predicted) for s in pictures.samples} == {(2, 2)}
        assert len(pictures.samples) == min(60, counts[2][2])

        # Saved like tuipad train saves, and listed in the history.
        names = [entry.manifest.name for entry in list_models(tuipad_home)]
        assert names == ["default", "knn-test"]
        metrics = list_models(tuipad_home)[1].manifest.metrics
        assert metrics["family"] == "knn"
        assert metrics["data"] == "scans, half split"
        assert metrics["test_accuracy"] == round(evaluation.accuracy, 6)
        history = screen.query_one("#history", DataTable)
        assert [str(key.value) for key in history.rows] == ["default", "knn-test"]


async def test_strokes_file_adds_a_drawn_digits_report(
    app_factory, tmp_path: Path, seven: list
) -> None:
    one = [[[10.0, 2.0 + i] for i in range(14)]]
    path = tmp_path / "drawn.jsonl"
    lines = [{"label": 7, "strokes": seven}] * 3 + [{"label": 1, "strokes": one}] * 2
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-drawn")
        screen.query_one("#strokes", Input).value = str(path)
        await pilot.click("#train")
        await settle(pilot)
        drawn = screen.query_one("#drawn-report", ReportTable)
        assert drawn.display and drawn.row_count == 12
        assert int(str(drawn.get_row("weighted")[4])) == 5
        recall = {d: str(drawn.get_row(d)[2]) for d in map(str, range(10))}
        assert {d for d, shown in recall.items() if shown != UNDEFINED} == {"1", "7"}
        macro = float(str(drawn.get_row("macro avg")[2]))  # over the 1s and 7s drawn
        assert macro == pytest.approx((float(recall["1"]) + float(recall["7"])) / 2, abs=1e-3)
        assert "on 5 drawn digits" in str(screen.query_one("#summary", Static).content)
        select = screen.query_one("#test-set", Select)
        select.value = "drawn"
        await pilot.pause()
        matrix = screen.query_one(ConfusionMatrix)
        assert sum(matrix.count(t, p) for t in range(10) for p in range(10)) == 5
        # Kept with the model: shown again when it is opened later, after another.
        for name in ("default", "knn-drawn"):
            screen.show_evaluation(name)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = "on 5 drawn digits" in str(screen.query_one("#summary", Static).content)
            assert shown == drawn.display == select.display == (name == "knn-drawn")
        assert drawn.row_count == 12
        # Opened again, a report starts at its summary, not where the last was left.
        pane = screen.query_one(ReportPane)
        await pilot.resize_terminal(100, 24)  # the report runs past the pane
        pane.scroll_end(animate=False)
        await pilot.pause()
        assert pane.scroll_y > 0
        screen.show_evaluation("knn-drawn")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.scroll_y == 0


async def test_a_bad_strokes_file_fails_before_training(app_factory, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": 3}\n')
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-bad")
        screen.query_one("#strokes", Input).value = str(path)
        await pilot.click("#train")
        await settle(pilot)
        stage = str(screen.query_one("#stage", Static).content)
        problem = 'line 1: expected an object with "label" and "strokes"'
        assert stage == f"Training failed: {path}: {problem}"  # in tuipad eval's words
        assert not screen.query_one("#train", Button).disabled
        # A refused start replaces that line: it is not what happened last.
        missing = str(tmp_path / "missing.jsonl")
        screen.query_one("#strokes", Input).value = missing
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not screen.training
        stage = str(screen.query_one("#stage", Static).content)
        assert stage.startswith("Not started: ") and "missing.jsonl" in stage
        assert screen.query_one("#progress", ProgressBar).progress == 0


async def test_train_in_a_child_process_and_offer_no_make_active(
    app_factory, tuipad_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's real path: k-NN on the scans trained in a spawned process, saved here,
    and not offered as the active model: it has no array form to recognise with."""
    from tuipad import background

    stages: list[str] = []
    run_in_process = background.run_in_process

    def recorded(target, *args, progress, **kwargs):
        def relay(stage: str, *report: float) -> None:
            stages.append(stage)
            progress(stage, *report)

        return run_in_process(target, *args, progress=relay, **kwargs)

    monkeypatch.setattr(background, "run_in_process", recorded)
    app = app_factory(run_in_process=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-process")
        await pilot.click("#train")
        bar = await follow_the_bar(pilot, screen)
        drawn = [shown for _, shown in bar]
        assert drawn == sorted(drawn), "the bar went back"
        assert any(shown > 0 for seconds, shown in bar if seconds <= 1.0), "still at 0% after 1 s"
        await settle(pilot)
        assert screen.result is not None, screen.query_one("#stage", Static).content
        assert screen.result.evaluation.n == 899
        assert any(stage.startswith("fitting knn") for stage in stages)
        assert str(screen.query_one("#stage", Static).content).startswith("Trained knn")
        assert [entry.manifest.name for entry in list_models(tuipad_home)] == [
            "default",
            "knn-process",
        ]
        screen.query_one("#train-tabs").active = "train-tab"
        await pilot.pause()
        fresh = str(screen.query_one("#fresh", Static).content)
        assert fresh.startswith("Saved knn-process: ")
        assert fresh.endswith("it can be compared but not used to recognise (it has no arrays)")
        shown = screen.query_one("#fresh", Static).region
        assert shown.right <= app.size.width and shown.height >= 2  # wrapped, not cut off
        assert not screen.query_one("#activate-fresh", Button).display

        screen.query_one("#train-tabs").active = "models-tab"
        await pilot.pause()
        history = screen.query_one("#history", DataTable)
        history.move_cursor(row=history.get_row_index("knn-process"))
        await pilot.pause()
        details = str(screen.query_one("#history-details", Static).content)
        assert details.endswith("it can be compared but not used to recognise (it has no arrays)")
        assert screen.query_one("#use", Button).disabled
        history.move_cursor(row=history.get_row_index("default"))
        await pilot.pause()
        assert not screen.query_one("#use", Button).disabled
        assert not app._notifications  # nothing was refused: nothing was offered
        assert active_name(tuipad_home) == "default"


async def test_cancel_in_a_child_process_keeps_the_active_model(
    app_factory, fixture_model, tuipad_home
) -> None:
    app = app_factory(run_in_process=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "svc", pen=True, augment=True, name="svc-cancelled")
        await pilot.click("#train")
        for _ in range(400):  # wait for the child's first progress report
            await pilot.pause(0.05)
            if "%" in str(screen.query_one("#stage", Static).content):
                break
        assert screen.training
        started = time.perf_counter()
        await pilot.press("ctrl+c")
        await settle_cancelled(pilot)
        assert time.perf_counter() - started < 3
        assert not screen.training
        assert str(screen.query_one("#stage", Static).content).startswith("Training cancelled")
        assert screen.query_one("#progress", ProgressBar).progress == 0  # not left part-way
        assert app.model is fixture_model
        assert not list(user_models_dir(tuipad_home).glob("svc-cancelled*"))


async def test_cancel_keeps_the_active_model(app_factory, fixture_model, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "mlp", pen=True, augment=True, name="mlp-cancelled")
        await pilot.click("#train")
        for _ in range(200):  # wait for the first progress report
            await pilot.pause(0.05)
            if "%" in str(screen.query_one("#stage", Static).content):
                break
        assert screen.training
        await pilot.press("ctrl+c")
        await settle_cancelled(pilot)
        assert not screen.training
        stage = screen.query_one("#stage", Static)
        assert str(stage.content) == "Training cancelled. fixture is still the active model."
        assert not screen.query_one("#train", Button).disabled
        assert screen.query_one("#cancel", Button).disabled
        assert app.model is fixture_model
        assert not list(user_models_dir(tuipad_home).glob("mlp-cancelled*"))
        # Another model made active: the line no longer names the old one.
        screen.activate("default")
        await settle(pilot)
        assert app.model.name == "default"
        assert str(stage.content) == "default is now the active model."


async def test_make_active_switches_the_sketchpad(app_factory, tuipad_home: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await train_knn(pilot, name="svc-active", family="svc-seed")
        app.screen.query_one("#train-tabs").active = "train-tab"
        await pilot.pause()
        await pilot.click("#activate-fresh")
        await pilot.pause()
        assert app.model.name == "svc-active"
        assert type(app.model.predictor).__name__ == "SvcArrays"
        settings = json.loads((tuipad_home / "settings.json").read_text())
        assert settings["active_model"] == "svc-active"
        await pilot.press("escape")
        await pilot.pause()
        draw = app.screen
        assert isinstance(draw, DrawScreen) and draw.model is app.model
        draw.query_one(DrawingCanvas).load([SEVEN])
        await pilot.pause()
        expected = app.model.recognise([SEVEN])
        assert draw.query_one(ScorePanel).text == expected.answer


async def test_ctrl_a_makes_the_model_just_trained_active_from_the_report(
    app_factory, tuipad_home: Path, monkeypatch
) -> None:
    from tuipad import services

    activate, loads = services.activate, []

    def slow_activate(*args: object) -> object:
        loads.append(args)
        time.sleep(0.3)  # long enough for a second ctrl+a to come while it loads
        return activate(*args)

    monkeypatch.setattr(services, "activate", slow_activate)
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        assert "ctrl+a" not in (await open_training(pilot)).active_bindings  # nothing trained
        screen = await train_knn(pilot, name="svc-keyed", family="svc-seed")
        assert screen.query_one("#train-tabs").active == "report-tab"
        assert "ctrl+a" in screen.active_bindings  # in the footer, not scrolled away
        await pilot.press("ctrl+a", "ctrl+a")
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.model.name == "svc-keyed"
        assert len(loads) == 1  # the second ctrl+a does not load it again
        assert "ctrl+a" not in screen.active_bindings
        # Said as the Models tab's Make active says it: scans only, so drawn digits suffer.
        assert any("trained without pen digits" in notice for notice in notices(app))


async def test_history_make_active_and_delete(app_factory, tuipad_home: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await train_knn(pilot, name="knn-history", family="svc-seed")
        screen.query_one("#train-tabs").active = "models-tab"
        await pilot.pause()
        history = screen.query_one("#history", DataTable)
        history.move_cursor(row=history.get_row_index("knn-history"))
        await pilot.click("#use")
        await settle(pilot)
        assert app.model.name == "knn-history"
        assert str(history.get_row("knn-history")[0]) == "●"

        await pilot.click("#delete")
        await pilot.pause()
        assert "knn-history" in [str(key.value) for key in history.rows]  # asks first
        assert str(screen.query_one("#delete", Button).label) == "Delete active? Again"
        await pilot.pause(0.3)  # a button ignores a second click while it flashes
        await pilot.click("#delete")
        await settle(pilot)
        assert [str(key.value) for key in history.rows] == ["default"]
        assert app.model.name == "default"  # deleting the active model falls back
        assert "Deleted knn-history: the shipped model is active again" in notices(app)

        history.move_cursor(row=0)
        await pilot.pause(0.3)  # the button ignores clicks while it still flashes
        await pilot.click("#delete")
        await pilot.pause()
        assert any("cannot be deleted" in n.message for n in app._notifications)  # at once
        assert str(screen.query_one("#delete", Button).label) == "Delete"
        assert [str(key.value) for key in history.rows] == ["default"]


async def test_training_twice_with_the_suggested_name_saves_two_models(
    app_factory, tuipad_home: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await train_knn(pilot, name="")
        await pilot.pause(1.1)  # suggested names tell runs apart by the second
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert not any("exists" in n.message for n in app._notifications)
        assert len(list(Paths(tuipad_home).models.glob("knn-*.json"))) == 2


async def test_the_suggested_name_shown_is_the_name_saved(tuipad_home: Path) -> None:
    app = PaneApp(TrainForm)
    async with app.run_test(size=(100, 32)) as pilot:
        form = app.query_one(TrainForm)
        shown = form.query_one("#name", Input).value
        await pilot.pause(1.1)  # a suggestion made now would differ by the second
        assert form.model_name == shown  # the first run takes the name shown
        assert form.model_name == shown  # read again, as after a refused start
        form.take_name()  # a run started with it
        await pilot.pause(1.1)
        assert form.model_name not in ("", shown)  # the next run gets a new suggestion


def mouse(event: type[events.MouseEvent], canvas: DrawingCanvas, point: tuple[int, int]) -> Any:
    """A mouse event at a canvas cell, in screen coordinates as a terminal reports it."""
    x, y = canvas.content_region.offset + point
    return event(
        widget=None,
        x=x,
        y=y,
        delta_x=0,
        delta_y=0,
        button=1,
        shift=False,
        meta=False,
        ctrl=False,
        screen_x=x,
        screen_y=y,
    )


ANSWERED_WHILE_TRAINING = 3.0
"""Seconds within which an answer shows it did not wait for the training (a minute or more)."""


@pytest.mark.parametrize(
    ("family", "pen"),
    [("svc", True), ("mlp", False)],
    ids=["rendering-pen-digits", "fitting-the-network"],
)
async def test_the_sketchpad_answers_while_training(app_factory, family: str, pen: bool) -> None:
    """Draw on the sketchpad during a heavy training: every answer comes while it runs.

    How fast is for ``benchmarks/responsive.py`` (this machine is shared and
    noisy); here an answer only has to come long before the training ends.

    The training runs in a child process, as in the app.  The tuned SVC with
    pen digits starts with pure-Python rendering; the network without them
    goes straight to numpy epochs.
    Pilot's pauses wait for the whole process to idle, which a training never
    lets happen, so the events go to the app as the terminal driver sends them,
    and the clock runs from the pen's release to the panel showing the answer.
    """
    app = app_factory(run_in_process=True)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, family, pen=pen, augment=True, name=f"{family}-busy")
        await pilot.click("#train")
        await pilot.press("escape")
        draw = app.screen
        assert isinstance(draw, DrawScreen)
        canvas = draw.query_one(DrawingCanvas)
        panel = draw.query_one(ScorePanel)
        expected = app.model.recognise([SEVEN])
        answers, stages = [], []
        for _ in range(5):
            await asyncio.sleep(0.5)
            draw.action_clear()
            app.post_message(mouse(events.MouseDown, canvas, SEVEN[0]))
            for point in SEVEN[1:-1]:
                await asyncio.sleep(0.03)
                app.post_message(mouse(events.MouseMove, canvas, point))
            await asyncio.sleep(0.03)
            start = time.perf_counter()
            app.post_message(mouse(events.MouseUp, canvas, SEVEN[-1]))
            while panel.prediction != expected and time.perf_counter() - start < 5:
                await asyncio.sleep(0.002)
            answers.append(time.perf_counter() - start)
            stages.append(str(screen.query_one("#stage", Static).content))
        assert screen.training, "the training should still be running"
        print(f"answers while training {family}:")
        for answer, stage in zip(answers, stages, strict=True):
            print(f"  {answer * 1000:6.1f} ms  during {stage}")
        assert max(answers) < ANSWERED_WHILE_TRAINING
        screen.action_cancel()
        await settle_cancelled(pilot)


async def test_a_training_finishing_behind_the_sketchpad_says_so(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-behind")
        headers: list[str] = []
        app.watch(app, "sub_title", lambda header: headers.append(header), init=False)
        await train_now(screen)
        await app.switch_mode("draw")
        await settle(pilot)
        assert any(n.title == "Training finished" for n in app._notifications)
        # The header said it ran, on every screen, and says so no more.
        assert headers[0] == f"model {app.model.name} · 96.9% test accuracy · training…"
        assert app.sub_title == f"model {app.model.name} · 96.9% test accuracy"
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#train-tabs").active == "report-tab"
        assert screen.query_one("#report", ReportTable).row_count == 12


@pytest.mark.parametrize("field", ["#family", "#name", "#folds", "#pen"])
async def test_a_finished_training_opens_its_report_wherever_the_focus_was(
    app_factory, field: str
) -> None:
    """Focus on a field with a focusable neighbour (K, the checkboxes) used to go to that
    neighbour when the report hid the form, which switched back to the Train tab."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-focus")
        screen.query_one("#cv", Checkbox).value = True  # K takes focus only when enabled
        await pilot.pause()
        screen.query_one(field).focus()
        await pilot.pause()
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.pause()
        assert screen.result is not None
        assert screen.query_one("#train-tabs").active == "report-tab"
        assert app.focused is screen.query_one("#report-pane")


async def test_the_finished_line_gives_the_whole_jobs_time(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering the pen digits happens outside the fitting the result times."""
    from tuipad.store import rendering_cache

    cached = rendering_cache.cached_pen_rows

    def slow(*args, **kwargs):
        time.sleep(1.5)
        return cached(*args, **kwargs)

    monkeypatch.setattr(rendering_cache, "cached_pen_rows", slow)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", pen=True, name="knn-timed")
        started = time.monotonic()
        await train_now(screen)
        await settle(pilot)
        took = time.monotonic() - started
        stage = str(screen.query_one("#stage", Static).content)
        seconds = float(re.fullmatch(r"Trained knn \(.*\) in ([\d.]+) s\.", stage).group(1))
        assert screen.result.seconds + 1.5 <= seconds + 0.05 and seconds <= took + 0.05


async def test_a_finished_training_leaves_a_tab_the_user_moved_to(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-moved")
        await train_now(screen)
        assert screen.training
        screen.query_one("#train-tabs").active = "models-tab"  # before the run can end
        await settle(pilot)
        await pilot.pause()
        assert screen.result is not None
        assert screen.query_one("#train-tabs").active == "models-tab"


async def test_k_fold_cross_validation_covers_every_scan(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="knn-cv")
        await pilot.click("#cv")
        folds = screen.query_one("#folds", Input)
        assert not folds.disabled
        folds.value = "1"
        await pilot.click("#train")
        await pilot.pause()
        assert "2 to 20" in str(screen.query_one("#stage", Static).content)
        assert not screen.training
        folds.value = "3"
        await pilot.pause(0.3)  # a button ignores a second click while it flashes
        await pilot.click("#train")
        await settle(pilot)
        evaluation = screen.result.evaluation
        assert screen.result.spec.cv == 3
        assert evaluation.n == 1797
        matrix = screen.query_one(ConfusionMatrix)
        assert sum(matrix.count(t, p) for t in range(10) for p in range(10)) == 1797
        assert "3-fold CV" in str(screen.query_one("#summary", Static).content)


async def test_the_forms_choices_show_by_their_mark_not_only_colour(tuipad_home: Path) -> None:
    app = PaneApp(TrainForm)
    async with app.run_test(size=(100, 32)) as pilot:
        form = app.query_one(TrainForm)
        cv = form.query_one("#cv", Checkbox)
        assert "▐ ▌" in str(cv.render()) and "▐X▌" in str(form.query_one("#pen").render())
        cv.value = True
        await pilot.pause()
        assert "▐X▌" in str(cv.render())
        marks = [str(button.render())[:3] for button in form.query("#family RadioButton")]
        assert marks.count("▐●▌") == 1 and marks.count("▐ ▌") == len(marks) - 1


async def test_keys_typed_in_the_same_burst_as_ctrl_t_reach_the_name(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_training(pilot)
        await fill_form(pilot, "knn", name="burs")
        field = screen.query_one("#name", Input)
        field.focus()
        await pilot.pause()
        field.cursor_position = len(field.value)
        # As a terminal delivers a burst: the key waits in the field's queue when ctrl+t
        # reaches the screen.
        field.post_message(events.Key("t", "t"))
        await train_now(screen)
        await settle(pilot)
        assert screen.result is not None
        assert str(screen.query_one("#stage", Static).content).startswith("Trained knn")
        assert "burst" in [key.value for key in screen.query_one("#history", DataTable).rows]


async def test_a_typed_name_a_run_saved_gives_way_to_a_suggestion(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await train_knn(pilot, name="mine", family="svc-seed")
        # The next run under "mine" would be refused: the field suggests a name again.
        assert screen.query_one("#name", Input).value.startswith("svc-seed-")
