"""The training screen as a new user meets it (issue 15): the active model's report on
opening, Enter on a model's row, the form's focus, quitting while a job runs, 80x24."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import numpy as np
from pilot_steps import screen_text
from textual.widgets import DataTable, RadioSet, Static, TabbedContent
from textual.worker import WorkerCancelled, get_current_worker

from tuipad.core.reports import evaluate
from tuipad.store.evaluation_files import SavedEvaluation, load_evaluation, save_evaluation
from tuipad.store.model_files import Manifest, model_paths
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.ui.screens.quit_dialog import QuitDialog
from tuipad.ui.screens.train import TrainScreen
from tuipad.ui.screens.train.form import DEFAULT_FAMILY, TrainForm
from tuipad.ui.widgets.confusion_matrix import ConfusionMatrix
from tuipad.ui.widgets.key_hints import KeyHints


def small_test(mistakes: int = 1) -> SavedEvaluation:
    """Twenty digits, two of each, ``mistakes`` of them 3s read as 8."""
    labels = np.repeat(np.arange(10), 2)
    predicted = labels.copy()
    predicted[6 : 6 + mistakes] = 8
    scores = np.eye(10)[predicted]
    return SavedEvaluation(np.zeros((20, 64)), labels, predicted, scores)


async def open_training(pilot) -> TrainScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("t")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    return screen


async def press_enter_on_model(pilot, screen: TrainScreen, name: str) -> None:
    """On the Models tab, press Enter on a saved model's row and wait for its report."""
    screen.query_one(TabbedContent).active = "models-tab"
    await pilot.pause()
    history = screen.query_one("#history", DataTable)
    history.focus()
    history.move_cursor(row=history.get_row_index(name))
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def summary(screen: TrainScreen) -> str:
    return str(screen.query_one("#summary", Static).content)


def test_the_bundled_default_keeps_the_test_its_manifest_quotes() -> None:
    saved = load_evaluation(bundled_models_dir(), "default")
    assert saved is not None
    manifest = Manifest.from_file(model_paths(bundled_models_dir(), "default")[1])
    accuracy = evaluate(saved.labels, saved.predicted).accuracy
    assert round(accuracy, 6) == manifest.metrics["test_accuracy"]


async def test_opening_shows_the_active_models_report_and_matrix(
    app_factory, tuipad_home: Path
) -> None:
    save_evaluation(Paths(tuipad_home).models, "fixture", small_test())
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        assert summary(screen).startswith("fixture · accuracy 95.0% on 20 scans")
        matrix = screen.query_one(ConfusionMatrix).matrix
        assert matrix[3][8] == 1 and matrix[3][3] == 1
        screen.query_one(TabbedContent).active = "matrix-tab"
        await pilot.pause()
        pane = screen.query_one("#matrix-pane")
        title = screen.query_one("#samples-title", Static)
        assert str(title.content) == "fixture on 20 scans: choose a cell to see its digits."
        pane.show_samples(3, 8)
        await pilot.pause()
        assert str(title.content) == "3 read as 8: 1 digit"
        pane.show_samples(3, 5)  # an empty cell
        await pilot.pause()
        assert str(title.content) == "3 read as 5: no digits"


def matrix_title(screen: TrainScreen) -> str:
    return str(screen.query_one("#samples-title", Static).content)


async def test_clicking_the_matrix_tab_gives_the_arrows_to_the_matrix(
    app_factory, tuipad_home: Path
) -> None:
    save_evaluation(Paths(tuipad_home).models, "fixture", small_test())
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        matrix = screen.query_one(ConfusionMatrix)
        assert matrix.cursor == (3, 8)  # the worst mistake
        await pilot.click("#--content-tab-matrix-tab")
        await pilot.pause()
        assert app.focused is matrix
        await pilot.press("right", "down")
        assert screen.query_one(TabbedContent).active == "matrix-tab"
        assert matrix.cursor == (4, 9)


async def test_clicking_the_models_tab_gives_arrows_and_enter_to_the_table(
    app_factory, tuipad_home: Path
) -> None:
    """Enter after clicking the tab did nothing: the focus stayed on the tab strip."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await pilot.click("#--content-tab-models-tab")
        await pilot.pause()
        history = screen.query_one("#history", DataTable)
        assert app.focused is history
        history.move_cursor(row=history.get_row_index("default"))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "report-tab"
        assert summary(screen).startswith("default · accuracy")


async def test_a_model_without_a_kept_test_says_so(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        assert summary(screen).startswith("fixture keeps no report")
        assert matrix_title(screen).startswith("fixture keeps no test")  # not "Loading…"


async def test_a_model_without_a_test_leaves_no_figures_of_the_one_before(
    app_factory, tuipad_home: Path
) -> None:
    save_evaluation(Paths(tuipad_home).models, "fixture", small_test())
    name = "personal-20261206-053801"
    metrics = {"personal_samples": 20, "personal_held_back": 4, "personal_accuracy": 1.0}
    manifest = {"name": name, "recipe": "default+personal", "sklearn_version": "1", "sha256": "0"}
    (Paths(tuipad_home).models / f"{name}.json").write_text(
        json.dumps({**manifest, "metrics": {**metrics, "personal_before": 0.75}})
    )
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        assert screen.query_one("#report", DataTable).row_count > 0
        screen.show_evaluation("personal-20261206-053801")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert summary(screen).startswith("personal-20261206-053801 keeps no report")
        assert summary(screen).endswith(  # not "saved before tuipad kept them"
            ": it is adapted to your 20 samples, checked on 4 of them kept aside:"
            " 4 of 4 read right, 3 before."
        )
        assert screen.query_one("#report", DataTable).row_count == 0
        assert screen.query_one(ConfusionMatrix).matrix is None
        assert matrix_title(screen).startswith("personal-20261206-053801 keeps no test")
        # No empty table headers, and no matrix legend or keys beside the sentence.
        shown = screen_text(app)
        assert "precision" not in shown
        screen.query_one(TabbedContent).active = "matrix-tab"
        await pilot.pause()
        shown = screen_text(app)
        assert "rows: true digit" not in shown and "arrows + enter" not in shown
        assert shown.index("keeps no test") < shown.index("Train a model here")
        assert app.focused is screen.query_one(ConfusionMatrix)
        assert "Show samples" not in str(screen.query_one(KeyHints).render())  # none to show
        screen.show_evaluation("fixture")  # a model with a test shows them again
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "rows: true digit" in screen_text(app)
        assert "Show samples" in str(screen.query_one(KeyHints).render())
        screen.query_one(TabbedContent).active = "report-tab"
        await pilot.pause()
        assert "precision" in screen_text(app)


async def test_enter_on_a_models_row_shows_its_report(app_factory, tuipad_home: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await press_enter_on_model(pilot, screen, "default")
        assert screen.query_one(TabbedContent).active == "report-tab"
        shipped = Manifest.from_file(bundled_models_dir() / "default.json")
        accuracy = f"{shipped.metrics['test_accuracy']:.1%}"
        assert summary(screen).startswith(f"default · accuracy {accuracy} on 899 scans")
        assert app.model.name == "fixture"  # Enter shows; Make active stays a button


async def test_focus_starts_on_the_chosen_family(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        family = screen.query_one("#family", RadioSet)
        assert screen.focused is family
        assert family.pressed_button is not None and family.pressed_button.name == DEFAULT_FAMILY
        assert family._selected == family.pressed_index  # highlighted is chosen
        assert not any(isinstance(widget, TrainForm) for widget in screen.focus_chain)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert family.pressed_button.name == "svc"


def block_until_cancelled() -> None:
    worker = get_current_worker()
    while not worker.is_cancelled:
        time.sleep(0.02)


async def test_q_during_a_training_asks_first(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        worker = screen.run_worker(block_until_cancelled, name="train", group="train", thread=True)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        footer = str(app.screen.query_one(KeyHints).render())
        assert footer == " esc Stay q Quit"  # not the training screen's ^c Cancel, esc Sketchpad
        assert screen_text(app).split()[-4:] == ["esc", "Stay", "q", "Quit"]  # over the screen's
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not worker.is_cancelled
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("q")  # in the dialog: quit and cancel
        await pilot.pause()
        assert worker.is_cancelled
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
    assert app.return_code == 0


async def test_the_quit_question_closes_when_the_training_ends_meanwhile(app_factory) -> None:
    """Its question no longer holds: a quit then would cancel nothing, and the model is kept."""
    from pilot_steps import notices

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        done = []
        screen.run_worker(lambda: _until(done), name="train", group="train", thread=True)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        done.append(True)  # the training ends while the dialog asks
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        assert app.screen is screen
        assert "It ended while you were asked, its work kept: q now quits" in notices(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def _until(done: list[bool]) -> None:
    while not done:
        time.sleep(0.02)


async def test_q_cancels_an_adaptation_without_asking(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        worker = app.run_worker(block_until_cancelled, name="adapt", group="adapt", thread=True)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, QuitDialog)
        assert worker.is_cancelled


async def test_at_80x24_the_models_and_families_fit(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(pilot)
        assert "MLPClassifier, 256 hidden units)" in screen_text(app)
        screen.query_one(TabbedContent).active = "models-tab"
        await pilot.pause()
        text = screen_text(app)
        shipped = Manifest.from_file(bundled_models_dir() / "default.json")
        accuracy = f"{100 * shipped.metrics['test_accuracy']:.2f}%"
        when = shipped.created[:16].replace("T", " ").removeprefix(time.strftime("%Y-"))
        assert accuracy in text and "KiB" in text and when in text  # the whole date and time
        assert "default: scans+pen+aug, half split" in text


async def test_a_trained_model_keeps_its_report_for_later(app_factory, tuipad_home: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        buttons = list(screen.query_one("#family", RadioSet).query("RadioButton"))
        buttons[3].value = True  # knn: about a second on the scans alone
        screen.query_one("#pen").value = screen.query_one("#augment").value = False
        screen.query_one("#name").value = "knn-kept"
        await pilot.pause()
        await pilot.click("#train")
        await app.workers.wait_for_complete()
        await pilot.pause()
        fresh = screen.result.evaluation
        assert load_evaluation(Paths(tuipad_home).models, "knn-kept") is not None
        await press_enter_on_model(pilot, screen, "knn-kept")
        assert summary(screen).startswith(f"knn-kept · accuracy {fresh.accuracy:.1%} on 899 scans")
        assert screen.query_one(ConfusionMatrix).matrix == tuple(map(tuple, fresh.confusion))


async def test_the_demos_family_unticks_the_data_it_did_without_until_the_user_chooses(
    app_factory,
) -> None:
    from textual.widgets import Checkbox

    from tuipad.core.families import FAMILIES

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        buttons = list(screen.query_one("#family", RadioSet).query("RadioButton"))
        boxes = [screen.query_one(f"#{name}", Checkbox) for name in ("pen", "augment")]

        async def choose(family: str) -> list[bool]:
            buttons[list(FAMILIES).index(family)].value = True
            await pilot.pause()
            return [box.value for box in boxes]

        assert await choose("svc-seed") == [False, False]  # the quick run the demo was
        assert await choose("knn") == [True, True]
        boxes[1].value = False  # the user's own choice now stays
        await pilot.pause()
        assert await choose("svc-seed") == [True, False]
