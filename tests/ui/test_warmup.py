"""The retrain's cache is warmed in the background, once, when samples start to matter."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tuipad import background
from tuipad.store import rows_cache
from tuipad.store.samples import SampleStore
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

SEVEN = [[(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]]


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Record what would run in a child process instead of spawning one."""
    calls: list[tuple] = []

    def fake(target, *args, progress=None, should_stop=None, **kwargs):
        calls.append((target, args))
        return True

    monkeypatch.setattr(background, "run_in_process", fake)
    yield calls


async def test_first_correction_warms_the_cache_once(app_factory, tuipad_home, spawned) -> None:
    app = app_factory(run_in_process=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        for digit in ("3", "4", "5"):
            app.screen.query_one(DrawingCanvas).load(SEVEN)
            await pilot.pause()
            await pilot.press(digit)
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.screen.query_one(DrawingCanvas).clear()
        await pilot.press("T")  # teach mode: the same session, no second warm-up
        await app.workers.wait_for_complete()
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        assert len(store.list()) >= 1
    assert spawned == [(rows_cache.warm_cache_gently, (Path(tuipad_home).resolve(),))]


async def test_opening_teach_mode_warms_the_cache(app_factory, tuipad_home, spawned) -> None:
    app = app_factory(run_in_process=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("T")
        await app.workers.wait_for_complete()
    assert [target for target, _ in spawned] == [rows_cache.warm_cache_gently]


async def test_a_failed_warm_up_is_logged_not_shown(
    app_factory, tuipad_home, monkeypatch, caplog
) -> None:

    def broken(*args, **kwargs):
        raise background.BackgroundError("the background process exited (status 1)")

    monkeypatch.setattr(background, "run_in_process", broken)
    app = app_factory(run_in_process=True)
    with caplog.at_level(logging.WARNING, logger="tuipad.ui.warmup"):
        async with app.run_test(size=(100, 32)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("T")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not any("background" in n.message for n in app._notifications)
    assert "warming the training cache failed" in caplog.text


async def test_apps_that_train_in_thread_never_warm(app_factory, tuipad_home, spawned) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("T")
        await app.workers.wait_for_complete()
    assert spawned == []
