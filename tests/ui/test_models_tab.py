"""The Models tab marks the model the sketchpad reads with, which is not always the one
chosen: a chosen model that failed to load leaves the shipped default in its place."""

from __future__ import annotations

from dataclasses import replace

from pilot_steps import notices, open_training, settle
from textual.widgets import DataTable

from tuipad import services
from tuipad.core.families import TrainingSpec
from tuipad.store.paths import Paths
from tuipad.store.registry import LoadedModel, active_name, set_active_name
from tuipad.ui.app import make_app


def _reading_with(model: LoadedModel, name: str):
    """An app whose sketchpad reads with ``model`` under ``name``."""
    named = LoadedModel(model.predictor, replace(model.manifest, name=name))
    return make_app(model_loader=lambda progress: named, run_in_process=False)


async def _models_tab(pilot, name: str) -> DataTable:
    screen = await open_training(pilot)
    screen.query_one("#train-tabs").active = "models-tab"
    await pilot.pause()
    history = screen.query_one("#history", DataTable)
    history.move_cursor(row=history.get_row_index(name))
    await pilot.pause()
    return history


def _marked(history: DataTable) -> list[str]:
    return [str(key.value) for key in history.rows if "●" in str(history.get_row(key))]


async def test_make_active_on_the_model_in_use_says_so(fixture_model, tuipad_home) -> None:
    app = _reading_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        history = await _models_tab(pilot, "default")
        assert _marked(history) == ["default"]
        await pilot.click("#use")  # said, not claimed as a change
        await pilot.pause()
        assert notices(app) == ["default is already the active model"]


async def test_a_chosen_model_that_fell_back_to_the_default_can_be_tried_again(
    fixture_model, tuipad_home
) -> None:
    paths = Paths(tuipad_home)
    services.train_and_save(paths, TrainingSpec("svc-seed", pen=False, augment=False), "mine")
    set_active_name(tuipad_home, "mine")  # chosen, but the app reads with the default
    app = _reading_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        history = await _models_tab(pilot, "mine")
        assert _marked(history) == ["default"]
        await pilot.click("#use")
        await settle(pilot)
        assert (
            "The sketchpad now reads with mine; trained without pen digits, it reads drawn"
            " digits less well than the shipped model" in notices(app)
        )
        assert app.model.name == "mine" and active_name(tuipad_home) == "mine"
        assert _marked(history) == ["mine"]


async def test_choosing_the_shipped_model_again_says_it_does_not_read_the_samples(
    fixture_model, tuipad_home
) -> None:
    from tuipad.store.samples import SampleStore

    with SampleStore.open(Paths(tuipad_home).samples) as store:
        store.add([[(4, 2), (12, 2), (8, 14)]], 7, source="correction")
    app = _reading_with(fixture_model, "mine")
    async with app.run_test(size=(100, 32)) as pilot:
        await _models_tab(pilot, "default")
        await pilot.click("#use")
        await settle(pilot)
        assert (
            "The sketchpad now reads with default; it does not read your 1 sample yet:"
            " Retrain with my samples adds them"
        ) in notices(app)
