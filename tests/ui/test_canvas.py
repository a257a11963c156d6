"""The canvas driven with real mouse events and keys through Pilot."""

from __future__ import annotations

from typing import ClassVar

import pytest
from pilot_steps import one_read, sgr_stroke
from textual import events
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.geometry import Region
from textual.screen import Screen

from tuipad.ui.key_log import KeyLog, typed_at
from tuipad.ui.widgets.canvas_band import BAND_WIDTH, CanvasBand
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas


class CanvasApp(App[None]):
    """The canvas alone, 40x12, with a strip beside it to drag out onto."""

    CSS = "DrawingCanvas { width: 40; height: 12; }"

    def compose(self) -> ComposeResult:
        yield DrawingCanvas()


def row_text(canvas: DrawingCanvas, y: int) -> str:
    return canvas.render_cells(y, 0, canvas.size.width).text


async def bands_mounted(pilot, canvas: DrawingCanvas) -> None:
    """Wait for the bands, which the canvas mounts after the first frame."""
    for _ in range(50):
        await pilot.pause()
        if canvas.children:
            return
    raise AssertionError("the canvas mounted no bands")


async def drag(pilot, canvas, *points: tuple[int, int]) -> None:
    """Press at the first point, move through the rest with the button held, release."""
    await pilot.mouse_down(canvas, offset=points[0])
    for point in points[1:]:
        await pilot.hover(canvas, offset=point)
    await pilot.mouse_up(canvas, offset=points[-1])


async def test_a_drag_becomes_one_stroke_of_the_reported_points() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await drag(pilot, canvas, (2, 1), (10, 1), (10, 6))
        assert canvas.strokes == (((2.0, 1.0), (10.0, 1.0), (10.0, 6.0)),)
        # The cells skipped between reports are inked too.
        assert row_text(canvas, 1)[2:11] == "█" * 9
        assert all(row_text(canvas, y)[10] == "█" for y in range(1, 7))
        assert not canvas.pen_down


async def test_changed_messages_report_live_and_finished() -> None:
    seen: list[bool] = []

    class Listening(CanvasApp):
        def on_drawing_canvas_changed(self, event: DrawingCanvas.Changed) -> None:
            seen.append(event.finished)

    app = Listening()
    async with app.run_test(size=(60, 14)) as pilot:
        await drag(pilot, app.query_one(DrawingCanvas), (2, 2), (5, 5), (8, 2))
        await pilot.pause()
        assert seen[-1] is True
        assert seen[:-1] and not any(seen[:-1])


async def test_a_drag_that_leaves_the_canvas_follows_its_edge_and_ends() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await pilot.mouse_down(canvas, offset=(30, 5))
        await pilot.hover(None, offset=(55, 5))  # off the canvas, mouse captured
        await pilot.mouse_up(None, offset=(55, 5))
        assert canvas.strokes == (((30.0, 5.0), (39.0, 5.0)),)
        assert app.mouse_captured is None
        await pilot.hover(canvas, offset=(20, 8))  # no button: no ink
        assert len(canvas.strokes) == 1


async def test_sub_cell_positions_ink_half_blocks() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)

        def event(kind, x: float, y: float):
            return kind(canvas, x, y, 0, 0, 1, False, False, False, x, y)

        canvas.post_message(event(events.MouseDown, 4.2, 3.7))
        canvas.post_message(event(events.MouseMove, 8.6, 3.7))
        canvas.post_message(event(events.MouseUp, 8.6, 3.7))
        await pilot.pause()
        assert canvas.strokes == (((4.2, 3.7), (8.6, 3.7)),)
        assert row_text(canvas, 3)[4:9] == "▄" * 5


async def test_a_drag_refreshes_only_the_cells_it_inks() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await bands_mounted(pilot, canvas)
        regions: list[tuple[int, Region]] = []
        for band in canvas.query(CanvasBand):

            def spy(*args, band=band, original=band.refresh, **kwargs):
                regions.extend((band.left, region) for region in args)
                if not args:
                    regions.append((band.left, band.region.reset_offset))
                return original(*args, **kwargs)

            band.refresh = spy  # type: ignore[method-assign]
        canvas.refresh = lambda *args, **kwargs: regions.append((-1, Region()))  # type: ignore
        await drag(pilot, canvas, (5, 5), (6, 5), (7, 6), (9, 6))
        assert regions
        assert all(left >= 0 and region.height == 1 for left, region in regions)
        assert all(region.width <= 2 for _, region in regions)
        # Each band repaints its own columns only.
        painted = {
            (left + x, region.y) for left, region in regions for x in range(region.x, region.right)
        }
        assert painted >= {(5, 5), (6, 5), (7, 6), (8, 6), (9, 6)}


async def test_bands_cover_the_canvas() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await bands_mounted(pilot, canvas)
        bands = list(canvas.query(CanvasBand))
        assert [band.left for band in bands] == list(range(0, 40, BAND_WIDTH))
        assert bands[-1].region.right >= canvas.region.right


async def test_a_burst_across_bands_keeps_the_order_of_the_reports() -> None:
    # Over a slow link a whole drag arrives in one read: the screen hands every
    # report to the widget under the pointer before the canvas has captured the
    # mouse.  Across bands they must still reach the canvas in the order sent.
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await bands_mounted(pilot, canvas)
        origin = canvas.content_region.offset
        points = [(2, 1), (12, 2), (20, 3), (5, 4), (30, 5), (9, 6), (25, 7)]

        def event(kind: type[events.MouseEvent], x: int, y: int) -> events.MouseEvent:
            sx, sy = origin.x + x, origin.y + y
            return kind(None, sx, sy, 0, 0, 1, False, False, False, screen_x=sx, screen_y=sy)

        burst = [event(events.MouseDown, *points[0])]
        burst += [event(events.MouseMove, *point) for point in points[1:]]
        burst.append(event(events.MouseUp, *points[-1]))
        for message in burst:
            app.screen._forward_event(message)
        await pilot.pause()
        assert canvas.strokes == (tuple((float(x), float(y)) for x, y in points),)


async def test_keyboard_draws_with_arrows_and_space() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        canvas.focus()
        await pilot.press("right")  # shows the cursor in the middle
        assert canvas.cursor == (20, 6)
        await pilot.press("space", "right", "right", "down", "space", "right")
        assert canvas.strokes == (((20.0, 6.0), (21.0, 6.0), (22.0, 6.0), (22.0, 7.0)),)
        assert canvas.cursor == (23, 7)
        assert not canvas.pen_down


async def test_undo_redo_clear_by_stroke() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await drag(pilot, canvas, (1, 1), (5, 1))
        await drag(pilot, canvas, (1, 3), (5, 3))
        first, second = canvas.strokes
        assert canvas.undo()
        assert canvas.strokes == (first,)
        assert row_text(canvas, 3).strip() == ""
        assert canvas.redo()
        assert canvas.strokes == (first, second)
        assert canvas.clear()
        assert canvas.strokes == ()
        assert row_text(canvas, 1).strip() == ""
        assert canvas.undo()
        assert canvas.strokes == (first, second)


async def test_eraser_rubs_out_and_is_undoable() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await drag(pilot, canvas, (1, 5), (30, 5))
        before = canvas.strokes
        canvas.eraser = True
        await drag(pilot, canvas, (15, 2), (15, 9))
        assert len(canvas.strokes) == 2
        assert row_text(canvas, 5)[14:17] == "   "
        canvas.eraser = False
        canvas.undo()
        assert canvas.strokes == before


async def test_a_full_drawing_stops_the_pen_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tuipad.core.sketch.SKETCH_POINT_LIMIT", 4)
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        told: list[str] = []
        canvas.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
        await drag(pilot, canvas, (2, 1), (4, 1), (6, 1), (8, 1), (10, 1), (12, 1))
        await drag(pilot, canvas, (2, 5), (4, 5))
        assert canvas.strokes == (((2.0, 1.0), (4.0, 1.0), (6.0, 1.0), (8.0, 1.0)),)
        assert row_text(canvas, 1)[9:].strip() == ""  # no ink past the last point kept
        assert len(told) == 1 and "full" in told[0]
        canvas.undo()
        await drag(pilot, canvas, (2, 5), (4, 5))
        assert canvas.strokes == (((2.0, 5.0), (4.0, 5.0)),)


async def test_a_stroke_at_its_limit_says_so_and_the_next_stroke_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tuipad.core.sketch.MAX_STROKE_POINTS", 3)
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        told: list[str] = []
        canvas.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
        await drag(pilot, canvas, (2, 1), (4, 1), (6, 1), (8, 1), (10, 1))
        assert canvas.strokes == (((2.0, 1.0), (4.0, 1.0), (6.0, 1.0)),)
        assert len(told) == 1 and "lift the pen" in told[0]
        await drag(pilot, canvas, (2, 5), (4, 5), (6, 5), (8, 5))
        assert canvas.strokes[1] == ((2.0, 5.0), (4.0, 5.0), (6.0, 5.0))
        assert len(told) == 2  # said again for the new stroke, once


class KeyedCanvasApp(KeyLog, CanvasApp):
    """The canvas with the sketchpad's keys for clear and undo, bound on the app."""

    BINDINGS: ClassVar[list[BindingType]] = [("c", "clear"), ("u", "undo")]

    def action_clear(self) -> None:
        self.query_one(DrawingCanvas).clear(asked_at=typed_at())

    def action_undo(self) -> None:
        self.query_one(DrawingCanvas).undo(asked_at=typed_at())


@pytest.mark.parametrize("key", ["c", "u"])
async def test_a_stroke_in_the_same_read_as_the_key_before_it_is_kept(key: str) -> None:
    """Keys and mouse reports reach their handlers by different queues: a stroke that came
    in one read with ``c`` or ``u`` before it is lifted before the key's action runs, and
    stays, drawn after the change."""
    app = KeyedCanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await drag(pilot, canvas, (1, 1), (5, 1))
        one_read(app, key + sgr_stroke((10, 2), (10, 5), (10, 8)))
        await pilot.pause(0.2)
        assert canvas.strokes == (((10.0, 2.0), (10.0, 5.0), (10.0, 8.0)),)
        assert canvas.undo() and canvas.strokes == ()
        assert canvas.undo() == (key == "c")  # the clear; after ``u`` nothing was left


async def test_a_stroke_begun_before_the_last_release_was_handled_is_drawn_whole() -> None:
    """The first stroke's release lets go of the mouse, and Textual says so in a message
    queued behind what has come of the next stroke: it must not end the next stroke."""
    app = CanvasApp()
    second = [(x, 1) for x in range(6, 30)]
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        head = sgr_stroke((2, 1), (2, 10)) + sgr_stroke(*second[:3]).rsplit("\x1b", 1)[0]
        one_read(app, head)  # the first stroke, and the second's press and first moves
        await pilot.pause()
        one_read(app, sgr_stroke(*second[2:]).split("M", 1)[1])  # the rest, as a later read
        await pilot.pause(0.1)
        assert [len(stroke) for stroke in canvas.strokes] == [2, len(second)]


async def test_a_screen_opened_over_a_drag_ends_the_stroke() -> None:
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await pilot.mouse_down(canvas, offset=(2, 1))
        await pilot.hover(canvas, offset=(2, 5))
        await app.push_screen(Screen())
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert not canvas.mouse_down and canvas.strokes == (((2.0, 1.0), (2.0, 5.0)),)


async def test_a_key_after_a_stroke_in_one_read_acts_on_it() -> None:
    app = KeyedCanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        one_read(app, sgr_stroke((10, 2), (10, 8)) + "c")
        await pilot.pause(0.2)
        assert canvas.strokes == () and canvas.undo() and len(canvas.strokes) == 1


async def test_a_stroke_begun_after_the_clear_key_goes_on_if_the_clear_comes_later() -> None:
    """The key's action may also come while the stroke begun after it is being drawn."""
    app = KeyedCanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        await drag(pilot, canvas, (1, 1), (5, 1))
        one_read(app, "c\x1b[<0;11;3M")
        await pilot.pause(0.2)
        assert canvas.mouse_down and canvas.strokes == (((10.0, 2.0),),)
        await pilot.hover(canvas, offset=(10, 8))
        await pilot.mouse_up(canvas, offset=(10, 8))
        assert canvas.strokes == (((10.0, 2.0), (10.0, 8.0)),)
        # Typed during a drag, the clear ends the drag: the key came while it was drawn.
        await pilot.mouse_down(canvas, offset=(20, 2))
        await pilot.press("c")
        await pilot.hover(canvas, offset=(20, 8))
        await pilot.mouse_up(canvas, offset=(20, 8))
        assert canvas.strokes == () and not canvas.mouse_down


async def test_a_clear_no_key_asked_for_ends_the_stroke_being_drawn() -> None:
    """Teach mode clears the canvas when a save returns: that is no key's, whatever was typed."""
    app = CanvasApp()
    async with app.run_test(size=(60, 14)) as pilot:
        canvas = app.query_one(DrawingCanvas)
        canvas.post_message(events.Key("enter", None))
        await pilot.pause()
        await pilot.mouse_down(canvas, offset=(10, 2))
        assert canvas.clear() and not canvas.mouse_down  # the stroke so far is cleared too
        await pilot.hover(canvas, offset=(10, 8))
        await pilot.mouse_up(canvas, offset=(10, 8))
        assert canvas.strokes == ()
