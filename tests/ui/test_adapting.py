"""Adapting the active model in the background after corrections and teach rounds.

The scheduler's timing is tested with a fake clock; the app tests run the
adaptation in the worker thread (an in-thread runner), most with the slow fit
replaced by a seed model fitted once, and one with the real adaptation.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import pytest
from pilot_steps import notices, settle

from tuipad.core.personal import PersonalResult
from tuipad.services import adapting as adapting_service
from tuipad.services import personal
from tuipad.store import registry
from tuipad.store.paths import Paths
from tuipad.store.registry import LoadedModel, Manifest, ModelError
from tuipad.store.samples import SampleStore
from tuipad.store.settings import adapts_in_background
from tuipad.ui import adapting
from tuipad.ui import app as app_module
from tuipad.ui.adapting import AdaptationScheduler
from tuipad.ui.app import make_app
from tuipad.ui.messages import ModelLoaded
from tuipad.ui.outside_choice import ChoiceWatch, read_choice
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.score_panel import ScorePanel

DELAY = 0.3
"""The scheduler tests' quiet period (the app tests end theirs by hand)."""

DRAWINGS = [
    [[(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]],
    [[(8, 2), (8, 6), (8, 10), (8, 14)]],
    [[(5, 3), (11, 3), (11, 8), (5, 8), (5, 14), (11, 14)]],
]
"""Three different drawings (a 7, a 1, a 2-ish) in whole-cell reports."""

METRICS = {
    "personal_samples": 20,
    "personal_held_back": 4,
    "personal_before": 0.75,
    "personal_accuracy": 1.0,
}
"""What the stand-in fit says it measured."""


# --------------------------------------------------------------------------- the scheduler


class FakeTimers:
    """``set_timer`` for the scheduler, fired by hand."""

    def __init__(self) -> None:
        self.armed: list[FakeTimer] = []

    def __call__(self, delay: float, callback: Any) -> FakeTimer:
        timer = FakeTimer(callback)
        self.armed.append(timer)
        return timer

    def fire(self) -> None:
        """Run the callbacks of the timers still armed."""
        due, self.armed = [t for t in self.armed if not t.stopped], []
        for timer in due:
            timer.callback()


class FakeTimer:
    def __init__(self, callback: Any) -> None:
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def _scheduler(busy: bool = False, **options: Any) -> tuple[AdaptationScheduler, FakeTimers, list]:
    timers, jobs = FakeTimers(), []

    def start_job() -> bool:
        jobs.append(len(jobs))
        return True

    scheduler = AdaptationScheduler(
        set_timer=timers, start_job=start_job, busy=lambda: busy, **options
    )
    return scheduler, timers, jobs


def test_a_burst_of_changes_gives_one_job_after_the_quiet_period() -> None:
    scheduler, timers, jobs = _scheduler()
    for _ in range(3):
        scheduler.samples_changed()
    assert jobs == [] and scheduler.pending
    timers.fire()
    assert jobs == [0] and scheduler.running and not scheduler.pending


def test_changes_during_a_job_give_one_more_run_after_it() -> None:
    scheduler, timers, jobs = _scheduler()
    scheduler.samples_changed()
    timers.fire()
    scheduler.samples_changed()
    scheduler.samples_changed()
    assert timers.armed == [] and jobs == [0]  # never two at a time
    scheduler.job_finished()
    timers.fire()
    assert jobs == [0, 1]
    scheduler.job_finished()
    timers.fire()
    assert jobs == [0, 1] and not scheduler.pending


def test_busy_work_postpones_the_job_and_off_starts_none() -> None:
    busy = [True]
    timers, jobs = FakeTimers(), []
    scheduler = AdaptationScheduler(
        set_timer=timers, start_job=lambda: bool(jobs.append(1)) or True, busy=lambda: busy[0]
    )
    scheduler.samples_changed()
    timers.fire()
    assert jobs == [] and scheduler.pending  # waits for the training screen
    busy[0] = False
    timers.fire()
    assert jobs == [1]

    off, timers, jobs = _scheduler(enabled=False)
    off.samples_changed()
    timers.fire()
    assert jobs == [] and not off.pending
    on, timers, jobs = _scheduler()
    on.samples_changed()
    on.enabled = False
    timers.fire()
    assert jobs == [] and not on.pending


def test_turned_on_again_it_runs_what_turning_it_off_left_waiting() -> None:
    due, timers, jobs = _scheduler()
    due.samples_changed()
    due.enabled = False
    due.enabled = True
    assert due.pending
    timers.fire()
    assert jobs == [0]

    running, timers, jobs = _scheduler()
    running.samples_changed()
    timers.fire()
    running.enabled = False  # the app cancels the job
    running.job_finished()
    running.enabled = True
    timers.fire()
    assert jobs == [0, 1]

    meanwhile, timers, jobs = _scheduler(enabled=False)
    meanwhile.samples_changed()
    meanwhile.enabled = True
    timers.fire()
    assert jobs == [0]

    idle, timers, jobs = _scheduler()
    idle.enabled = False
    idle.enabled = True
    assert not idle.pending and timers.armed == []


def test_a_declined_job_leaves_the_scheduler_idle() -> None:
    timers = FakeTimers()
    scheduler = AdaptationScheduler(set_timer=timers, start_job=lambda: False, busy=lambda: False)
    scheduler.samples_changed()
    timers.fire()
    assert not scheduler.running and not scheduler.pending


# --------------------------------------------------------------------------- the service


def test_only_the_default_and_automatic_personal_models_are_replaced(fixture_model) -> None:
    manifest = fixture_model.manifest
    assert adapting_service.may_replace(replace(manifest, name="default"))
    automatic = replace(manifest, name="personal-20260101-120000", recipe="default+personal")
    assert adapting_service.may_replace(automatic)
    assert not adapting_service.may_replace(replace(automatic, name="my-hand"))
    assert not adapting_service.may_replace(replace(manifest, name="personal-20260101-120000"))
    assert not adapting_service.may_replace(manifest)


def test_the_notice_says_what_was_measured() -> None:
    assert adapting_service.adapted_notice(METRICS) == (
        "Personal model active, adapted to your 20 samples: of 4 kept aside to check it,"
        " 4 read right (3 before)"
    )
    many = dict(METRICS, personal_samples=60, personal_held_back=12, personal_before=0.75)
    assert adapting_service.adapted_notice(many) == (
        "Personal model active, adapted to your 60 samples: of 12 kept aside to check it,"
        " 100% read right (75% before)"
    )
    alone = dict(METRICS, personal_held_back=1, personal_before=0.0, personal_accuracy=0.0)
    assert adapting_service.adapted_notice(alone).endswith(
        ": of 1 kept aside to check it, 0 read right (0 before)"
    )
    unmeasured = dict(alone, personal_before=None)
    assert adapting_service.adapted_notice(unmeasured).endswith(
        "0 read right (not measured before)"
    )
    few = adapting_service.adapted_notice({"personal_samples": 3, "personal_accuracy": None})
    assert few == (
        "Personal model active, adapted to your 3 samples"
        " (too few of each digit to keep some aside and check it)"
    )
    one = adapting_service.adapted_notice({"personal_samples": 1, "personal_accuracy": None})
    assert one.startswith("Personal model active, adapted to your 1 sample (")


# --------------------------------------------------------------------------- the app


@pytest.fixture(scope="module")
def seed_estimator() -> Any:
    """A fitted seed pipeline: what the stand-in fit returns (a second to fit)."""
    from tuipad.core.datasets import load_scans
    from tuipad.core.families import build_recipe

    X, y = load_scans()
    return build_recipe("seed").fit(X, y)


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch, seed_estimator) -> list[int]:
    """Replace the adaptation's fit by the seed model; the list counts the fits."""
    calls: list[int] = []

    def fit(labels, drawings, home, **kwargs) -> PersonalResult:
        calls.append(len(labels))
        return PersonalResult(
            seed_estimator, ("test",), dict(METRICS, personal_samples=len(labels))
        )

    monkeypatch.setattr(personal, "personal_job", fit)
    return calls


def _named(model: LoadedModel, name: str, recipe: str = "default") -> LoadedModel:
    return LoadedModel(model.predictor, replace(model.manifest, name=name, recipe=recipe))


QUIET_PERIODS: WeakKeyDictionary[Any, FakeTimers] = WeakKeyDictionary()
"""Each app's quiet-period timers, which end only when a test says so."""


def _hand_timed(app: Any) -> Any:
    """Let the test end the app's quiet periods: on a loaded machine a real timer of any
    length can run out between two corrections, or before a check that it has not."""
    timers = QUIET_PERIODS[app] = FakeTimers()
    app.adapting = AdaptationScheduler(
        set_timer=timers, start_job=app._start_adapting, busy=app._busy_for_adapting
    )
    return app


def _app_with(model: LoadedModel, name: str, recipe: str = "default", **options: Any):
    named = _named(model, name, recipe)
    app = make_app(model_loader=lambda progress: named, run_in_process=False, **options)
    return _hand_timed(app)


async def _quiet_period_ends(pilot) -> None:
    QUIET_PERIODS[pilot.app].fire()
    await pilot.pause()


async def _correct(pilot, drawing) -> None:
    """Draw, then type a digit other than the answer: the drawing is saved as a sample."""
    pilot.app.screen.query_one(DrawingCanvas).load(drawing)
    await pilot.pause()
    predicted = pilot.app.screen.query_one(ScorePanel).prediction
    assert predicted is not None
    await pilot.press(str((predicted.label + 1) % 10))
    # Only the saving: an adaptation may be running, and the point is not to wait for it.
    while any(w.group == "samples" and not w.is_finished for w in pilot.app.workers):
        await pilot.pause(0.01)
    await pilot.pause()
    assert (
        pilot.app.adapting.pending or pilot.app.adapting.running or not pilot.app.adapting.enabled
    )


async def _adapted(pilot, timeout: float = 60.0) -> None:
    """End quiet periods until no adaptation is due or running, and its messages are handled."""
    scheduler = pilot.app.adapting
    deadline = time.monotonic() + timeout
    while scheduler.pending or scheduler.running:
        assert time.monotonic() < deadline, "the adaptation did not finish"
        if pilot.app in QUIET_PERIODS:
            QUIET_PERIODS[pilot.app].fire()
        await pilot.pause(0.05)
    await settle(pilot)


def _personal_models(home) -> list[str]:
    return sorted(p.name[: -len(".json")] for p in Paths(home).models.glob("personal-*.json"))


async def test_a_correction_adapts_and_activates_a_personal_model(
    fixture_model, fits, tuipad_home
) -> None:
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        assert app.model.name == "default"  # not before the quiet period
        await _adapted(pilot)
        assert fits == [1]
        [name] = _personal_models(tuipad_home)
        assert app.model.name == name and app.screen.model is app.model
        assert registry.active_name(tuipad_home) == name
        assert app.sub_title.startswith(f"model {name}")
        assert (
            "Personal model active, adapted to your 1 sample: of 4 kept aside to check it,"
            " 4 read right (3 before)" in notices(app)
        )


async def test_undoing_the_last_correction_brings_the_shipped_model_back(
    fixture_model, fits, tuipad_home
) -> None:
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _adapted(pilot)
        [name] = _personal_models(tuipad_home)
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert app.adapting.pending  # the removal counts as a change
        await _adapted(pilot)
        assert fits == [1]  # nothing left to adapt to: no fit
        assert app.model.name == "default" and registry.active_name(tuipad_home) == "default"
        assert _personal_models(tuipad_home) == []
        assert "No personal samples left: the shipped model is active again" in notices(app)


async def test_undoing_a_relabel_in_scribble_mode_adapts_again(
    fixture_model, fits, tuipad_home, tmp_path
) -> None:
    from tuipad.core.scribble import Page, TimedStroke
    from tuipad.store.page_files import save_page

    page = tmp_path / "page.json"
    save_page(page, Page().with_stroke(TimedStroke(tuple(DRAWINGS[0][0]), 0.0, 0.5)))
    app = _app_with(fixture_model, "default", scribble=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.open_page(page)
        [digit] = app.screen.page.groups
        await pilot.press("tab", str((digit.label + 1) % 10))
        await settle(pilot)
        await _adapted(pilot)
        assert fits == [1] and app.model.name.startswith("personal-")
        await pilot.press("u")
        await settle(pilot)
        assert app.adapting.pending  # the removal counts as a change
        await _adapted(pilot)
        assert fits == [1]  # nothing left to adapt to: no fit
        assert app.model.name == "default" and _personal_models(tuipad_home) == []


async def test_relabelling_or_deleting_in_browse_adapts_again(
    fixture_model, fits, tuipad_home
) -> None:
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for drawing in DRAWINGS[:2]:
            await _correct(pilot, drawing)
        await _adapted(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("3")
        await _adapted(pilot)
        await pilot.press("d", "d")
        await _adapted(pilot)
        assert fits == [2, 2, 1]
        assert len(_personal_models(tuipad_home)) == 1


async def test_a_burst_of_corrections_gives_one_job(fixture_model, fits, tuipad_home) -> None:
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for drawing in DRAWINGS:
            await _correct(pilot, drawing)
        await _adapted(pilot)
        assert fits == [3]
        assert len(_personal_models(tuipad_home)) == 1


async def test_a_correction_during_a_job_gives_one_more_run(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    release, started = threading.Event(), threading.Event()
    fit = personal.personal_job

    def held(*args, **kwargs) -> PersonalResult:
        started.set()
        assert release.wait(30)
        return fit(*args, **kwargs)

    monkeypatch.setattr(personal, "personal_job", held)
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _quiet_period_ends(pilot)
        while not started.is_set():
            await pilot.pause(0.05)
        await _correct(pilot, DRAWINGS[1])  # the sketchpad answers while the job runs
        await _correct(pilot, DRAWINGS[2])
        release.set()
        await _adapted(pilot)
        assert fits == [1, 3]
        # The second model replaced the first, which is not left on disk.
        [name] = _personal_models(tuipad_home)
        assert app.model.name == registry.active_name(tuipad_home) == name


async def test_a_teach_round_adapts_once_at_its_end(fixture_model, fits, tuipad_home) -> None:
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*["minus"] * 10)  # one of each digit
        for _ in range(10):
            app.screen.query_one(DrawingCanvas).load(DRAWINGS[1])
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            assert not app.adapting.pending or app.screen.teach_round.current is None
        await _adapted(pilot)
        assert fits == [10]
        assert app.model.name.startswith("personal-")


async def test_a_model_the_user_chose_is_not_replaced(fixture_model, fits, tuipad_home) -> None:
    registry.set_active_name(tuipad_home, "fixture")
    app = _app_with(fixture_model, "fixture", recipe="seed")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _quiet_period_ends(pilot)
        await _adapted(pilot)
        assert fits == [] and app.model.name == "fixture"
        assert any("fixture is a model you chose" in notice for notice in notices(app))
        assert registry.active_name(tuipad_home) == "fixture"
        app.clear_notifications()  # a second correction is not told the same again
        await _correct(pilot, DRAWINGS[1])
        await _quiet_period_ends(pilot)
        await _adapted(pilot)
        assert not any("a model you chose" in notice for notice in notices(app))
        assert _personal_models(tuipad_home) == []
        # The correction waits for a model tuipad may adapt: the shipped one made active again.
        registry.set_active_name(tuipad_home, "default")
        app.post_message(ModelLoaded(_named(fixture_model, "default")))
        await _quiet_period_ends(pilot)
        await _adapted(pilot)
        assert fits == [2] and app.model.name.startswith("personal-")


def test_a_model_adapted_to_every_sample_is_not_adapted_again(fits, tuipad_home) -> None:
    paths = Paths(tuipad_home)
    with SampleStore.open(paths.samples) as store:
        store.add(DRAWINGS[0], 3, source="correction")
        _, manifest = personal.retrain_personal(paths, store)  # "Retrain with my samples"
        assert adapting_service.adapt_active(paths, store, manifest.name) is None
        assert fits == [1]
        # One the user named is a model they chose: checked, never replaced.
        assert adapting_service.adapt_active(paths, store, manifest.name, chosen=True) is None
        store.add(DRAWINGS[1], 4, source="correction")
        with pytest.raises(adapting_service.ModelChosen, match="a model you chose"):
            adapting_service.adapt_active(paths, store, manifest.name, chosen=True)
        assert adapting_service.adapt_active(paths, store, manifest.name) is not None
        assert fits == [1, 2]


async def test_a_choice_made_during_the_job_wins(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    fit = personal.personal_job

    def user_chooses_meanwhile(*args, **kwargs) -> PersonalResult:
        registry.set_active_name(tuipad_home, "their-model")
        return fit(*args, **kwargs)

    monkeypatch.setattr(personal, "personal_job", user_chooses_meanwhile)
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _adapted(pilot)
        assert fits == [1] and app.model.name == "default"
    assert registry.active_name(tuipad_home) == "their-model"
    assert _personal_models(tuipad_home) == []  # the adapted model is not left behind


async def test_the_header_says_the_model_adapts_while_it_does(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    fit = personal.personal_job
    headers: list[str] = []

    def watched(*args, **kwargs) -> PersonalResult:
        headers.append(app.sub_title)
        return fit(*args, **kwargs)

    monkeypatch.setattr(personal, "personal_job", watched)
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _adapted(pilot)
        await settle(pilot)
        assert headers == ["model default · 96.9% test accuracy · adapting…"]
        assert (
            app.sub_title.startswith(f"model {app.model.name}") and "adapting" not in app.sub_title
        )


async def test_a_model_made_active_outside_the_app_is_loaded_and_the_samples_wait(
    fixture_model, fits, tuipad_home
) -> None:
    from tuipad.store.pending import changes_pending

    loads = []

    def loader(progress) -> LoadedModel:
        loads.append(registry.active_name(tuipad_home))
        return _named(fixture_model, loads[-1])

    app = _hand_timed(make_app(model_loader=loader, run_in_process=False))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        registry.set_active_name(tuipad_home, "cliseed")  # tuipad models use cliseed
        await _correct(pilot, DRAWINGS[0])
        await _adapted(pilot)
        await settle(pilot)
        assert fits == [] and loads == ["default", "cliseed"]
        assert app.model.name == "cliseed"
        assert "The sketchpad now reads with cliseed" in notices(app)
        # Not adapted to: still marked, for when the shipped model is active again.
        assert changes_pending(Paths(tuipad_home))
        # A choice the app already reads with (made on its own training screen) loads nothing.
        app.post_message(adapting.AdaptationDone(changed="cliseed"))
        await settle(pilot)
        assert loads == ["default", "cliseed"]


def _watching_by_hand(monkeypatch) -> None:
    """The settings file is looked at only when the test says so, not on a timer."""
    monkeypatch.setattr(app_module, "POLL_SECONDS", 3600)


async def _look_at_settings(pilot) -> None:
    pilot.app._look_for_outside_choice()
    await settle(pilot)
    await settle(pilot)


def _chosen_loader(tuipad_home, fixture_model, loads, broken_hash: str = ""):
    """Loads the chosen model, recording its name; one whose manifest records
    ``broken_hash`` falls back to default, as a damaged model does."""

    def loader(progress) -> LoadedModel:
        choice = read_choice(tuipad_home)
        loads.append(choice.name)
        if broken_hash and choice.sha256 == broken_hash:
            return replace(_named(fixture_model, "default"), notice="damaged; reading with default")
        return _named(fixture_model, choice.name)

    return loader


def _manifest(tuipad_home, name: str, sha256: str) -> None:
    models = tuipad_home / "models"
    models.mkdir(parents=True, exist_ok=True)
    fields = {"name": name, "recipe": "seed", "sklearn_version": "1", "sha256": sha256}
    (models / f"{name}.json").write_text(json.dumps(fields))


async def test_a_model_made_active_in_another_shell_is_loaded_without_a_correction(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    _watching_by_hand(monkeypatch)
    loads: list[str] = []
    app = _hand_timed(
        make_app(
            model_loader=_chosen_loader(tuipad_home, fixture_model, loads), run_in_process=False
        )
    )
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("A")  # the app's own write of settings.json loads nothing
        await _look_at_settings(pilot)
        assert loads == ["default"]
        registry.set_active_name(tuipad_home, "cliseed")  # tuipad models use cliseed
        await _look_at_settings(pilot)
        assert loads == ["default", "cliseed"] and app.model.name == "cliseed"
        assert "The sketchpad now reads with cliseed" in notices(app)
        assert "cliseed" in app.sub_title
        await _look_at_settings(pilot)  # unchanged: not read, not loaded again
        assert loads == ["default", "cliseed"]


async def test_a_chosen_model_that_fell_back_is_tried_again_only_with_new_files(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    _watching_by_hand(monkeypatch)
    _manifest(tuipad_home, "mine", "aaaa")
    registry.set_active_name(tuipad_home, "mine")
    loads: list[str] = []
    loader = _chosen_loader(tuipad_home, fixture_model, loads, broken_hash="aaaa")
    app = _hand_timed(make_app(model_loader=loader, run_in_process=False))
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        assert loads == ["mine"] and app.model.name == "default"
        await pilot.press("A")  # writes settings.json: the same failed choice is not retried
        await _look_at_settings(pilot)
        app.post_message(adapting.AdaptationDone(changed="mine"))  # nor on an adaptation
        await settle(pilot)
        assert loads == ["mine"]
        (tuipad_home / "models" / "mine.pkl.gz").write_bytes(b"put back")  # from a backup
        registry.set_active_name(tuipad_home, "mine")  # and chosen again: tried again
        await _look_at_settings(pilot)
        assert loads == ["mine", "mine"] and app.model.name == "default"
        _manifest(tuipad_home, "mine", "bbbb")  # retrained, then chosen again
        registry.set_active_name(tuipad_home, "mine")
        await _look_at_settings(pilot)
        assert loads == ["mine", "mine", "mine"] and app.model.name == "mine"
        assert "The sketchpad now reads with mine" in notices(app)


def test_the_settings_watch_sees_a_file_come_change_and_go(tuipad_home) -> None:
    settings = Paths(tuipad_home).settings
    watch = ChoiceWatch(settings)
    assert not watch.settings_changed()
    registry.set_active_name(tuipad_home, "a")
    assert watch.settings_changed() and not watch.settings_changed()
    registry.set_active_name(tuipad_home, "b")  # same size, maybe the same clock tick
    assert watch.settings_changed()
    settings.unlink()
    assert watch.settings_changed() and not watch.settings_changed()


async def test_turned_off_nothing_happens_and_A_turns_it_on(
    fixture_model, fits, tuipad_home
) -> None:
    Paths(tuipad_home).settings.parent.mkdir(parents=True, exist_ok=True)
    Paths(tuipad_home).settings.write_text(json.dumps({"adapt_in_background": False}))
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert not app.adapting.enabled
        await _correct(pilot, DRAWINGS[0])
        await _quiet_period_ends(pilot)
        await _adapted(pilot)
        assert fits == [] and app.model.name == "default"
        await pilot.press("A")
        assert app.adapting.enabled and adapts_in_background(tuipad_home)
        assert any("is on" in notice for notice in notices(app))
        await _correct(pilot, DRAWINGS[1])
        await _adapted(pilot)
        assert fits == [2]
        await pilot.press("A")
    assert not adapts_in_background(tuipad_home)
    assert json.loads(Paths(tuipad_home).settings.read_text())["active_model"].startswith(
        "personal-"
    )


async def test_off_and_on_again_right_after_a_correction_still_adapts(
    fixture_model, fits, tuipad_home
) -> None:
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await pilot.press("A", "A")
        assert app.adapting.enabled
        await _adapted(pilot)
        assert fits == [1]
        [name] = _personal_models(tuipad_home)
        assert app.model.name == name == registry.active_name(tuipad_home)


async def test_it_waits_for_the_training_screens_job(fixture_model, fits, tuipad_home) -> None:
    release = threading.Event()
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.run_worker(lambda: release.wait(30), group="train", thread=True)
        await _correct(pilot, DRAWINGS[0])
        await _quiet_period_ends(pilot)
        assert fits == [] and app.adapting.pending
        release.set()
        await _adapted(pilot)
        assert fits == [1]


async def test_a_failing_job_keeps_the_previous_model(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    def broken(*args, **kwargs) -> PersonalResult:
        raise ModelError("the shipped model is\nunreadable")

    monkeypatch.setattr(personal, "personal_job", broken)
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _adapted(pilot)
        assert app.model.name == "default"
        assert "the shipped model is unreadable; the previous model stays active" in notices(app)
    assert registry.active_name(tuipad_home) == "default" and _personal_models(tuipad_home) == []


async def test_the_real_adaptation_end_to_end(tuipad_home, monkeypatch) -> None:
    """The shipped model, adapted to one writer's samples by the real fit (about 3 s), on
    the app's own timer (the other app tests end their quiet periods by hand)."""
    from tuipad.core import datasets, pen_rendering

    pen = datasets.load_pen_digits()
    names, counts = np.unique(pen.writers, return_counts=True)
    writer = names[np.argmax(counts >= 20)]
    with SampleStore.open(Paths(tuipad_home).samples) as store:
        for index in np.flatnonzero(pen.writers == writer)[:19]:
            drawing = pen_rendering.replay(pen.strokes(int(index)), rows=12, mode="cells")
            store.add(drawing, int(pen.labels[index]), source="teach")
    monkeypatch.setattr(adapting, "ADAPT_DELAY", DELAY)
    app = make_app(run_in_process=False)  # the active model: the shipped default
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.model.name == "default"
        started = time.monotonic()
        await _correct(pilot, DRAWINGS[0])
        await _adapted(pilot)
        seconds = time.monotonic() - started
        [name] = _personal_models(tuipad_home)
        assert app.model.name == name == registry.active_name(tuipad_home)
        manifest = Manifest.from_file(Paths(tuipad_home).models / f"{name}.json")
        assert manifest.metrics["personal_samples"] == 20
        [notice] = [n for n in notices(app) if n.startswith("Personal model active")]
        assert notice.startswith("Personal model active, adapted to your 20 samples: of ")
        assert " kept aside to check it, " in notice and " read right (" in notice
        assert app.screen.query_one(ScorePanel).prediction is not None
        assert seconds < 30


async def test_the_models_tab_lists_a_model_adapted_while_it_is_open(
    fixture_model, fits, tuipad_home, monkeypatch
) -> None:
    from textual.widgets import DataTable

    from tuipad.ui.screens.train.screen import TrainScreen

    release = threading.Event()
    quick_fit = personal.personal_job

    def held_fit(*args, **kwargs) -> PersonalResult:
        release.wait(30)
        return quick_fit(*args, **kwargs)

    monkeypatch.setattr(personal, "personal_job", held_fit)
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await _quiet_period_ends(pilot)  # the job starts, and waits for the release
        await pilot.press("t")
        while not (isinstance(app.screen, TrainScreen) and app.screen.query(DataTable)):
            await pilot.pause(0.05)
        table = app.screen.query_one("#history", DataTable)
        while not table.row_count:  # the models listed; the adaptation waits for the release
            await pilot.pause(0.05)
        assert app.adapting.running and not _personal_models(tuipad_home)
        release.set()
        await _adapted(pilot)
        [name] = _personal_models(tuipad_home)
        assert name in table.rows


async def test_a_correction_left_by_quitting_at_once_is_adapted_to_next_run(
    fixture_model, fits, tuipad_home
) -> None:
    """Quitting within the quiet period used to forget the correction: the next run kept
    the model that had not seen it, until another sample changed."""
    app = _app_with(fixture_model, "default")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _correct(pilot, DRAWINGS[0])
        await pilot.press("q")  # before the quiet period ends
    assert fits == [] and _personal_models(tuipad_home) == []

    again = _app_with(fixture_model, "default")
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _adapted(pilot)
        assert fits == [1]
        [name] = _personal_models(tuipad_home)
        assert again.model.name == name
    assert not Paths(tuipad_home).adapt_pending.exists()

    third = _app_with(fixture_model, name, recipe="default+personal")
    async with third.run_test(size=(100, 32)) as pilot:  # nothing left to adapt to
        await settle(pilot)
        assert not third.adapting.pending and fits == [1]


def test_a_change_during_an_adaptation_stays_pending(tuipad_home) -> None:
    from tuipad.store.pending import clear_pending, mark_pending, pending_token

    path = Paths(tuipad_home).adapt_pending
    clear_pending(path, pending_token(path))  # nothing pending: nothing to do
    mark_pending(path)
    started_with = pending_token(path)
    mark_pending(path)  # a correction while the job runs
    clear_pending(path, started_with)
    assert pending_token(path) is not None
    clear_pending(path, pending_token(path))
    assert not path.exists()
