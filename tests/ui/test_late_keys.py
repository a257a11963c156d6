"""Keys acted on after the mouse reports that followed them: a key's bindings run once the
key has bubbled back to the app, and a whole stroke sent after it may be drawn by then.
Teach mode saves and clears the drawing as it was when the key came."""

from __future__ import annotations

import random

from pilot_steps import one_read, settle, sgr_stroke

from tuipad.core.sketch import Sketch
from tuipad.store.samples import SampleStore
from tuipad.ui.screens.teach import TeachScreen
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.key_hints import KeyHints

SEVEN = [(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]
"""A 7's one stroke, in canvas cells."""


async def teach(pilot) -> DrawingCanvas:
    """Open teach mode with a key, as a user does; its canvas."""
    await settle(pilot)
    await pilot.press("T")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TeachScreen)
    return pilot.app.screen.query_one(DrawingCanvas)


async def draw(pilot, canvas: DrawingCanvas, stroke) -> None:
    """Drag through ``stroke`` with the mouse."""
    await pilot.mouse_down(canvas, offset=stroke[0])
    for point in stroke[1:]:
        await pilot.hover(canvas, offset=point)
    await pilot.mouse_up(canvas, offset=stroke[-1])


def on_screen(canvas: DrawingCanvas, stroke) -> list[tuple[int, int]]:
    """``stroke``'s canvas cells as screen cells."""
    region = canvas.content_region
    return [(region.x + x, region.y + y) for x, y in stroke]


def saved_strokes(tuipad_home) -> list[tuple]:
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        return [sample.strokes for sample in store.list()]


async def test_a_save_in_a_screen_a_key_opened_clears_what_the_mouse_drew(
    app_factory, tuipad_home
) -> None:
    """Drawn with the mouse, not loaded: the drawing's strokes have times to compare."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = await teach(pilot)
        await draw(pilot, canvas, SEVEN)
        await pilot.press("enter")
        await settle(pilot)
        assert canvas.strokes == ()
        await pilot.press("enter")  # nothing drawn: nothing saved again
        await settle(pilot)
        assert len(saved_strokes(tuipad_home)) == 1


async def test_a_footer_click_in_a_screen_a_key_opened_clears(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = await teach(pilot)
        await draw(pilot, canvas, SEVEN)
        footer = app.screen.query_one(KeyHints)
        await pilot.click(footer, offset=(footer.render().plain.index("Clear"), 0))
        await settle(pilot)
        assert canvas.strokes == ()


async def test_enter_and_the_next_digits_stroke_in_one_read_save_only_the_first(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = await teach(pilot)
        await draw(pilot, canvas, SEVEN)
        drawn = canvas.strokes
        one_read(app, "\r" + sgr_stroke(*on_screen(canvas, [(30, 2), (30, 8), (30, 12)])))
        await pilot.pause(0.3)
        await settle(pilot)
        assert saved_strokes(tuipad_home) == [[[list(point) for point in s] for s in drawn]]
        assert canvas.strokes == (((30.0, 2.0), (30.0, 8.0), (30.0, 12.0)),)


async def test_enter_then_two_strokes_and_u_in_one_read_undo_the_second(
    app_factory, tuipad_home
) -> None:
    """Saving clears as of enter at once: a u after it acts on the next digit's strokes."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = await teach(pilot)
        await draw(pilot, canvas, SEVEN)
        first, second = [(30, 2), (30, 8)], [(40, 2), (40, 8)]
        strokes = sgr_stroke(*on_screen(canvas, first)) + sgr_stroke(*on_screen(canvas, second))
        one_read(app, "\r" + strokes + "u")
        await pilot.pause(0.3)
        await settle(pilot)
        assert canvas.strokes == (((30.0, 2.0), (30.0, 8.0)),)
        assert len(saved_strokes(tuipad_home)) == 1


async def test_a_drawing_teach_mode_could_not_save_comes_back_before_what_was_drawn_since(
    app_factory, tuipad_home, monkeypatch
) -> None:
    import threading

    from tuipad.store.samples import StoreError

    release = threading.Event()

    def full(*args, **kwargs):
        assert release.wait(30)
        raise StoreError("the disk is full")

    monkeypatch.setattr(SampleStore, "add", full)
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        canvas = await teach(pilot)
        await draw(pilot, canvas, SEVEN)
        drawn = canvas.strokes
        await pilot.press("enter")
        await pilot.pause()
        await draw(pilot, canvas, [(30, 2), (30, 8)])
        release.set()
        await settle(pilot)
        assert canvas.strokes == (*drawn, ((30.0, 2.0), (30.0, 8.0)))
        assert [n.message for n in app._notifications][-1] == "Not saved: the disk is full"


KEYS = {"c": "clear", "u": "undo", "\x19": "redo"}  # ctrl+y arrives as byte 0x19


def random_stroke(rng: random.Random) -> list[tuple[int, int]]:
    x, y = rng.randrange(2, 40), rng.randrange(1, 10)
    dx, dy = rng.choice([(1, 0), (0, 1), (1, 1)])
    return [(x + dx * step, y + dy * step) for step in range(rng.randrange(1, 8))]


def random_burst(rng: random.Random, canvas: DrawingCanvas, in_time: Sketch) -> list[str]:
    """A few random strokes and c, u, ctrl+y as the terminal's reports, each made in turn
    on ``in_time`` too, as acting on them one at a time would."""
    reports = []
    for _ in range(rng.randrange(2, 7)):
        if rng.random() < 0.6:
            stroke = random_stroke(rng)
            in_time.begin(stroke[0])
            for point in stroke[1:]:
                in_time.extend(point)
            in_time.finish()
            drag = sgr_stroke(*on_screen(canvas, stroke))
            reports += ["\x1b" + report for report in drag.split("\x1b")[1:]]
        else:
            key = rng.choice(list(KEYS))
            getattr(in_time, KEYS[key])()
            reports.append(key)
    return reports


async def send_split_anyhow(pilot, rng: random.Random, reports: list[str]) -> None:
    """Hand ``reports`` to the app in reads that end anywhere between them, in strokes too."""
    cuts = sorted(rng.sample(range(1, len(reports)), rng.randrange(len(reports) // 2)))
    for start, end in zip([0, *cuts], [*cuts, len(reports)], strict=True):
        one_read(pilot.app, "".join(reports[start:end]))
        await pilot.pause(rng.choice([0, 0, 0.01]))
    await pilot.pause(0.1)


async def test_strokes_and_keys_however_split_into_reads_leave_what_in_time_would(
    app_factory, tuipad_home
) -> None:
    """On the sketchpad, strokes and c, u, ctrl+y sent together, split into reads anyhow,
    leave the drawing that each acted on in turn, as typed and drawn, would."""
    rng = random.Random(15)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        in_time = Sketch()
        for _ in range(40):
            canvas.clear()
            in_time.clear()
            reports = random_burst(rng, canvas, in_time)
            await send_split_anyhow(pilot, rng, reports)
            assert canvas.strokes == in_time.strokes, reports


async def test_a_mode_switched_to_during_a_drag_takes_clicks(app_factory, tuipad_home) -> None:
    """switch_mode leaves the mouse with the canvas of the screen left, hidden."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.mouse_down(app.screen.query_one(DrawingCanvas), offset=(5, 5))
        await pilot.press("s")
        await settle(pilot)
        assert app.mouse_captured is None


async def test_e_and_a_drag_in_one_read_rub_out_with_the_drag(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        await draw(pilot, canvas, [(10, 2), (10, 8), (10, 14)])
        one_read(app, "e" + sgr_stroke(*on_screen(canvas, [(6, 8), (10, 8), (14, 8)])))
        await pilot.pause(0.3)
        assert canvas.eraser
        assert len(canvas.strokes) == 2  # the upright cut in two, nothing drawn across
        assert all(point[0] == 10 for stroke in canvas.strokes for point in stroke)


async def test_c_with_the_eraser_on_and_a_drag_in_one_read_draw_the_drag(
    app_factory, tuipad_home
) -> None:
    """c takes up the eraser: the drag after it draws."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        await draw(pilot, canvas, [(10, 2), (10, 8), (10, 14)])
        await pilot.press("e")
        one_read(app, "c" + sgr_stroke(*on_screen(canvas, [(30, 2), (30, 8)])))
        await pilot.pause(0.3)
        assert not canvas.eraser
        assert canvas.strokes == (((30.0, 2.0), (30.0, 8.0)),)
