"""Scribble mode's keys acted on after the mouse reports that followed them (see
test_late_keys.py): the page is edited as of the key, before the strokes begun after it."""

from __future__ import annotations

import random

import pytest
from pilot_steps import one_read, settle, sgr_stroke
from test_late_keys import random_burst, send_split_anyhow

from tuipad.core.sketch import Sketch
from tuipad.store.registry import LoadedModel
from tuipad.store.samples import SampleStore
from tuipad.ui.app import make_app
from tuipad.ui.screens.scribble import ScribbleScreen
from tuipad.ui.screens.scribble_samples import digit_key
from tuipad.ui.widgets.scribble_canvas import SELECTED, ScribbleCanvas

ONE = [(10, 3), (10, 6), (10, 9), (10, 12), (10, 15)]
SEVEN = [(16, 3), (19, 3), (22, 3), (25, 3), (24, 6), (22, 9), (21, 12), (20, 15)]


@pytest.fixture
def scribble_app(fixture_model: LoadedModel):
    return lambda: make_app(model_loader=lambda progress: fixture_model, scribble=True, pause=0.2)


def as_drawn(stroke) -> tuple:
    return tuple((float(x), float(y)) for x, y in stroke)


def on_screen(canvas: ScribbleCanvas, stroke) -> list[tuple[int, int]]:
    region = canvas.content_region
    return [(region.x + x, region.y + y) for x, y in stroke]


def right_click(canvas: ScribbleCanvas, cell: tuple[int, int]) -> str:
    [(x, y)] = on_screen(canvas, [cell])
    return f"\x1b[<2;{x + 1};{y + 1}M\x1b[<2;{x + 1};{y + 1}m"


async def page_with_a_selected_one(pilot) -> tuple[ScribbleScreen, ScribbleCanvas]:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ScribbleScreen)
    one_read(pilot.app, sgr_stroke(*on_screen(screen.canvas, ONE)))
    await pilot.pause(0.6)  # read after the pause
    await pilot.press("tab")
    assert screen.selected == 0
    return screen, screen.canvas


async def seventeen_with_the_one_selected(pilot) -> tuple[ScribbleScreen, ScribbleCanvas]:
    """A 1 and a 7 on the page, read, and the 1 selected."""
    screen, canvas = await page_with_a_selected_one(pilot)
    await pilot.press("escape")
    one_read(pilot.app, sgr_stroke(*on_screen(canvas, SEVEN)))
    await pilot.pause(0.6)
    await pilot.press("tab")
    assert screen.selected == 0
    return screen, canvas


async def test_erase_and_a_stroke_in_one_read_erase_the_selected_digit(
    scribble_app, tuipad_home
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await page_with_a_selected_one(pilot)
        one_read(pilot.app, "x" + sgr_stroke(*on_screen(canvas, SEVEN)))
        await pilot.pause(0.6)
        assert screen.page.strokes == canvas.strokes == (as_drawn(SEVEN),)
        await pilot.press("u")  # the stroke, then the erase, one step each
        assert screen.page.strokes == ()
        await pilot.press("u")
        assert screen.page.strokes == (as_drawn(ONE),)


async def test_a_digit_and_a_stroke_in_one_read_relabel_the_selected_digit(
    scribble_app, tuipad_home
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await page_with_a_selected_one(pilot)
        one_read(pilot.app, "4" + sgr_stroke(*on_screen(canvas, SEVEN)))
        await pilot.pause(0.6)
        await pilot.app.workers.wait_for_complete()
        one, seven = screen.page.groups
        assert (one.label, one.corrected, seven.corrected) == (4, True, False)
        assert len(canvas.strokes) == 2 and screen.selected is None
        with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
            [sample] = store.list()
        assert (sample.label, sample.strokes) == (4, [[list(point) for point in ONE]])


async def test_a_digit_and_a_right_click_in_one_read_relabel_the_digit_selected_first(
    scribble_app, tuipad_home
) -> None:
    """The right-click selects the 7 after the key: the 4 is still for the 1."""
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await seventeen_with_the_one_selected(pilot)
        one_read(pilot.app, "4" + right_click(canvas, SEVEN[5]))
        await pilot.pause(0.3)
        await pilot.app.workers.wait_for_complete()
        one, seven = screen.page.groups
        assert (one.label, one.corrected, seven.corrected) == (4, True, False)
        assert screen.page.groups[screen.selected] is seven  # the click still holds
        with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
            assert [sample.label for sample in store.list()] == [4]


async def test_an_arrow_and_a_stroke_in_one_read_move_the_selected_digit(
    scribble_app, tuipad_home
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await page_with_a_selected_one(pilot)
        one_read(pilot.app, "\x1b[C" + sgr_stroke(*on_screen(canvas, SEVEN)))
        await pilot.pause(0.3)
        moved = tuple((x + 1.0, float(y)) for x, y in ONE)
        assert sorted(screen.page.strokes) == sorted([moved, as_drawn(SEVEN)])
        assert canvas.cursor is None and screen.selected is None
        await pilot.press("u", "u")  # the stroke, then the move
        assert screen.page.strokes == (as_drawn(ONE),)


@pytest.mark.parametrize("third", [False, True])
async def test_two_late_keys_each_act_on_the_selection_the_last_left(
    scribble_app, tuipad_home, third: bool
) -> None:
    """x, a right-click on the 7, 4, a right-click on nothing, in one read: in time x erases
    the selected 1, the click selects the 7, the 4 relabels it, the last click unselects."""
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen, canvas = pilot.app.screen, pilot.app.screen.canvas
        another_one = [(x + 30, y) for x, y in ONE]
        for stroke in [ONE, SEVEN, another_one][: 2 + third]:
            one_read(pilot.app, sgr_stroke(*on_screen(canvas, stroke)))
            await pilot.pause(0.4)
        await pilot.press("tab")
        assert screen.selected == 0
        clicks = right_click(canvas, SEVEN[5]), right_click(canvas, (60, 25))
        one_read(pilot.app, "x" + clicks[0] + "4" + clicks[1])
        await pilot.pause(0.3)
        await pilot.app.workers.wait_for_complete()
        seven, *rest = screen.page.groups
        assert (seven.label, seven.corrected, len(rest)) == (4, True, int(third))
        assert screen.selected is None
        with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
            assert [sample.label for sample in store.list()] == [4]


async def test_a_key_and_a_right_click_in_one_read_show_the_clicked_digit_selected(
    scribble_app, tuipad_home
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await seventeen_with_the_one_selected(pilot)
        one_read(pilot.app, "x" + right_click(canvas, SEVEN[5]))
        await pilot.pause(0.3)
        [seven] = screen.page.groups
        assert screen.selected == 0 and seven.strokes[0].points == as_drawn(SEVEN)
        assert SELECTED in {style for _char, style in canvas.overlay.values()}  # shown so


@pytest.mark.parametrize("key", ["x", "4"])
async def test_a_stroke_and_a_key_in_one_read_find_the_selection_ended(
    scribble_app, tuipad_home, key: str
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await page_with_a_selected_one(pilot)
        one_read(pilot.app, sgr_stroke(*on_screen(canvas, SEVEN)) + key)
        await pilot.pause(0.3)
        one, seven = screen.page.groups
        assert not one.corrected and screen.selected is None


async def test_tab_and_a_stroke_in_one_read_leave_nothing_selected(
    scribble_app, tuipad_home
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await page_with_a_selected_one(pilot)
        await pilot.press("escape")
        one_read(pilot.app, "\t" + sgr_stroke(*on_screen(canvas, SEVEN)))
        await pilot.pause(0.3)
        assert screen.selected is None and len(screen.page.groups) == 2


@pytest.mark.parametrize("key", ["c", "x", "4"])
async def test_a_stroke_drawn_through_an_edit_goes_on_with_its_own_times(
    scribble_app, tuipad_home, key: str
) -> None:
    """An edit while the mouse is held leaves the stroke being drawn to the page, which
    takes it when it is lifted, and the next stroke starts afresh."""
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        screen, canvas = await page_with_a_selected_one(pilot)
        [(x, y)] = on_screen(canvas, [(50, 5)])
        began_at = screen._clock()
        one_read(pilot.app, f"\x1b[<0;{x + 1};{y + 1}M\x1b[<32;{x + 2};{y + 1}M")
        await pilot.pause(0.1)
        await pilot.press(key)
        one_read(pilot.app, f"\x1b[<0;{x + 3};{y + 1}m")
        await pilot.pause(0.5)
        drawn_at = screen._clock()
        one_read(pilot.app, sgr_stroke(*on_screen(canvas, SEVEN)))
        await pilot.pause(0.3)
        timed = [stroke for group in screen.page.groups for stroke in group.strokes]
        starts = {stroke.points[0]: stroke.start for stroke in timed}
        assert began_at <= starts[(50.0, 5.0)] < drawn_at <= starts[(16.0, 3.0)]
        assert ((10.0, 3.0) in starts) == (key == "4")  # c and x took the 1 off
        assert sorted(screen.page.strokes) == sorted(canvas.strokes)


async def test_a_mouse_stroke_after_the_keyboard_pen_is_written_on_the_page_with_it(
    scribble_app, tuipad_home
) -> None:
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen, canvas = pilot.app.screen, pilot.app.screen.canvas
        await pilot.press("space", "right", "right", "down", "down")  # the pen left down
        for stroke in (SEVEN, ONE):
            one_read(pilot.app, sgr_stroke(*on_screen(canvas, stroke)))
            await pilot.pause(0.3)
        assert len(screen.page.strokes) == len(canvas.strokes) == 3


async def test_strokes_and_keys_however_split_into_reads_leave_what_in_time_would(
    scribble_app, tuipad_home
) -> None:
    """As on the sketchpad: strokes and c, u, ctrl+y sent together leave the page, and
    its canvas, that each acted on in turn would."""
    rng = random.Random(16)
    async with scribble_app().run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ScribbleScreen)
        in_time = Sketch()
        for _ in range(30):
            await pilot.press("c")
            in_time.clear()
            reports = random_burst(rng, screen.canvas, in_time)
            await send_split_anyhow(pilot, rng, reports)
            # The page keeps its strokes digit by digit, not in the order drawn.
            assert sorted(screen.page.strokes) == sorted(in_time.strokes), reports
            assert sorted(screen.canvas.strokes) == sorted(in_time.strokes), reports
            # Strokes laid back keep their own times: each digit's sample is found by them.
            keys = {digit_key(group) for group in screen.page.groups}
            assert len(keys) == len(screen.page.groups)
