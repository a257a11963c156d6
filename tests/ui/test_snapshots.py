"""Snapshots of the sketchpad, teach, scribble and browse at three sizes, and the rest.

Update with ``pytest tests/ui/test_snapshots.py --snapshot-update`` after
reading the report of what changed.
"""

from __future__ import annotations

import pytest

from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

TWO = [
    [
        (6, 4),
        (8, 2),
        (12, 1),
        (16, 2),
        (18, 4),
        (17, 7),
        (13, 11),
        (8, 15),
        (6, 17),
        (10, 17),
        (15, 17),
        (20, 17),
    ]
]
"""A 2 drawn with whole-cell reports, the same at every size."""

SIZES = pytest.mark.parametrize(
    "size", [(80, 24), (120, 40), (200, 60)], ids=lambda s: "x".join(map(str, s))
)
"""The sizes every screen is checked at: the SSH default, a laptop, a large monitor."""


async def _draw_two(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.screen.query_one(DrawingCanvas).load(TWO)
    await pilot.pause()


@SIZES
def test_main_screen(snap_compare, app_factory, size: tuple[int, int]) -> None:
    assert snap_compare(app_factory(), terminal_size=size, run_before=_draw_two)


def test_main_screen_values(snap_compare, app_factory) -> None:
    async def draw_and_show_values(pilot) -> None:
        await _draw_two(pilot)
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=draw_and_show_values)


def test_main_screen_16_colours(snap_compare, app_factory, monkeypatch) -> None:
    from textual import constants

    # As with TERM=xterm: the app's console gets Rich's 16-colour system.
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")

    async def draw_with_the_keyboard_cursor(pilot) -> None:
        await _draw_two(pilot)
        await pilot.press("left")
        await pilot.pause()

    assert snap_compare(
        app_factory(), terminal_size=(80, 24), run_before=draw_with_the_keyboard_cursor
    )


def test_main_screen_before_drawing(snap_compare, app_factory) -> None:
    async def settle(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=settle)


def test_too_small(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(), terminal_size=(50, 14), run_before=_draw_two)


@SIZES
def test_help(snap_compare, app_factory, size: tuple[int, int]) -> None:
    assert snap_compare(app_factory(), terminal_size=size, press=["question_mark"])


@SIZES
def test_scribble_mode(snap_compare, fixture_model, size: tuple[int, int]) -> None:
    from test_scribble import FOUR, ONE, PAUSE, SEVEN, rest, write

    from tuipad.ui.app import make_app

    async def write_a_number(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await write(pilot, ONE + SEVEN + FOUR)
        await rest(pilot)

    app = make_app(model_loader=lambda progress: fixture_model, scribble=True, pause=PAUSE)
    assert snap_compare(app, terminal_size=size, run_before=write_a_number)


def test_scribble_empty_page(snap_compare, fixture_model) -> None:
    from tuipad.ui.app import make_app

    async def settle(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(model_loader=lambda progress: fixture_model, scribble=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


# --------------------------------------------------------------------------- training screen


async def _open_training(pilot) -> None:
    from textual.widgets import Input

    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    pilot.app.screen.query_one("#name", Input).value = "my-model"  # not today's date
    await pilot.pause()


async def _train_knn(pilot) -> None:
    """k-NN on the scans with the seed's split: deterministic, about a second."""
    from textual.widgets import Checkbox, RadioSet

    await _open_training(pilot)
    screen = pilot.app.screen
    list(screen.query_one("#family", RadioSet).query("RadioButton"))[3].value = True
    await pilot.pause()  # a family chosen sets the data, as a click would, before the boxes
    screen.query_one("#pen", Checkbox).value = False
    screen.query_one("#augment", Checkbox).value = False
    await pilot.pause()
    await pilot.click("#train")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@SIZES
def test_train_form(snap_compare, app_factory, size: tuple[int, int]) -> None:
    assert snap_compare(app_factory(), terminal_size=size, run_before=_open_training)


def test_train_report(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=_train_knn)


@SIZES
def test_train_matrix(snap_compare, app_factory, size: tuple[int, int]) -> None:
    async def worst_cell(pilot) -> None:
        from tuipad.ui.widgets.confusion_matrix import ConfusionMatrix

        await _train_knn(pilot)
        pilot.app.screen.query_one("#train-tabs").active = "matrix-tab"
        await pilot.pause()
        pilot.app.screen.query_one(ConfusionMatrix).focus()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=worst_cell)


# --------------------------------------------------------------------------- learning


@SIZES
def test_teach_mode(snap_compare, app_factory, tuipad_home, size: tuple[int, int]) -> None:
    from tuipad.core.teaching import TeachRound
    from tuipad.store.paths import Paths
    from tuipad.store.teach import save_round

    # A round in progress, so the digit asked for is fixed.
    save_round(Paths(tuipad_home).teach_round, TeachRound(5, (7, 3, 0, 9, 1, 4, 2)))

    async def draw_seven(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        pilot.app.screen.query_one(DrawingCanvas).load(TWO)
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=draw_seven)


@SIZES
def test_browse_samples(snap_compare, app_factory, tuipad_home, size: tuple[int, int]) -> None:
    from tuipad.store.samples import SampleStore

    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        store.add(TWO, 2, source="teach", created="2026-11-25T18:40:02.125Z")
        store.add(
            TWO,
            7,
            answered_by="fixture",
            predicted=2,
            scores=[0.0, 0.0, 0.9, 0.1, 0, 0, 0, 0, 0, 0],
            created="2026-11-25T18:41:12.000Z",
        )

    async def browse(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=browse)
