"""Scribble mode through Pilot: writing, reading after a pause, editing, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilot_steps import notices, one_read, sgr_press
from textual import events
from textual.widgets import Input, Static

from tuipad.core.scribble import Page, TimedStroke
from tuipad.store.page_files import save_page
from tuipad.store.registry import LoadedModel
from tuipad.store.samples import SampleStore
from tuipad.ui.app import TuipadApp, make_app
from tuipad.ui.screens.help import HelpScreen
from tuipad.ui.screens.scribble import ScribbleScreen
from tuipad.ui.widgets.scribble_canvas import ScribbleCanvas

PAUSE = 0.2
"""A short pause so the tests do not wait a second each time."""

ONE = [[(10, 3), (10, 6), (10, 9), (10, 12), (10, 15)]]
"""A 1: one vertical stroke."""

SEVEN = [[(16, 3), (19, 3), (22, 3), (25, 3), (24, 6), (22, 9), (21, 12), (20, 15)]]
"""A 7 to the right of the 1, three empty columns between them."""

FOUR = [
    [(36, 3), (34, 7), (32, 10), (35, 10), (38, 10), (41, 10)],
    [(38, 5), (38, 8), (38, 11), (38, 14), (38, 16)],
]
"""A 4 in two strokes: the slanted stem with the bar, then the upright."""


@pytest.fixture
def scribble_app(fixture_model: LoadedModel):
    def factory() -> TuipadApp:
        return make_app(model_loader=lambda progress: fixture_model, scribble=True, pause=PAUSE)

    return factory


async def ready(pilot) -> ScribbleScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ScribbleScreen)
    return screen


async def write(pilot, strokes) -> None:
    canvas = pilot.app.screen.query_one(ScribbleCanvas)
    for stroke in strokes:
        await pilot.mouse_down(canvas, offset=stroke[0])
        for point in stroke[1:]:
            await pilot.hover(canvas, offset=point)
        await pilot.mouse_up(canvas, offset=stroke[-1])
        await pilot.pause()


async def rest(pilot) -> None:
    """Wait past the pause so the writing is read."""
    await pilot.pause(PAUSE * 2.5)
    await pilot.pause()


def frame_corners(canvas: ScribbleCanvas) -> list[tuple[int, int]]:
    return sorted(cell for cell, (char, _) in canvas.overlay.items() if char == "┌")


async def test_two_digits_side_by_side_are_framed_and_read_as_one_number(
    scribble_app, fixture_model
) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        assert frame_corners(screen.canvas) == []  # nothing is read while writing
        await rest(pilot)
        groups = screen.page.groups
        assert len(groups) == 2
        assert frame_corners(screen.canvas) == [(9, 2), (15, 2)]
        one, seven = sorted(groups, key=lambda g: g.bbox.left)
        expected = [fixture_model.recognise(g.paths).label for g in (one, seven)]
        assert [one.label, seven.label] == expected
        numbers = screen.page.numbers
        assert [n.text for n in numbers] == [f"{expected[0]}{expected[1]}"]
        # The number is written under the frames, centred under its digits.
        assert screen.canvas.text_at(seven.bbox.bottom + 1).strip() == numbers[0].text
        info = str(screen.query_one("#scribble-info", Static).render())
        assert numbers[0].text in info


def moved_down(strokes, rows: int):
    """The strokes ``rows`` rows lower."""
    return [[(x, y + rows) for x, y in stroke] for stroke in strokes]


def painted_row(canvas: ScribbleCanvas, y: int) -> str:
    """Row ``y`` of the canvas as painted: ink and overlay, blanks trimmed."""
    return canvas.render_cells(y, 0, canvas.size.width).text.strip()


async def test_a_number_at_the_bottom_keeps_its_frame_and_shows_its_label_over_it(
    scribble_app,
) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        height = screen.canvas.size.height
        # ONE and SEVEN span rows 3 to 15: moved down so they end on the canvas's last row.
        await write(pilot, moved_down(ONE + SEVEN, height - 16))
        await rest(pilot)
        (number,) = screen.page.numbers
        assert number.bbox.bottom == height
        bottom_corners = [cell for cell, (char, _) in screen.canvas.overlay.items() if char == "└"]
        assert sorted(bottom_corners) == [(9, height - 1), (15, height - 1)]
        assert painted_row(screen.canvas, number.bbox.top - 2) == number.text


async def test_a_two_stroke_four_stays_one_digit(scribble_app) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, FOUR)
        await rest(pilot)
        assert len(screen.page.groups) == 1
        assert len(screen.page.groups[0].strokes) == 2
        assert len(frame_corners(screen.canvas)) == 1


async def test_undo_removes_the_last_stroke(scribble_app) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert [len(g.strokes) for g in screen.page.groups] == [1]
        assert screen.canvas.strokes == screen.page.strokes
        assert len(frame_corners(screen.canvas)) == 1
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert len(screen.page.groups) == 2
        # After an undo, new writing still joins the page.
        await pilot.press("u")
        await write(pilot, SEVEN)
        await rest(pilot)
        assert len(screen.page.groups) == 2


async def test_select_move_relabel_and_erase_a_digit(scribble_app, tuipad_home: Path) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        await pilot.press("tab", "tab")  # the second digit from the left: the 7
        seven = screen.page.groups[screen.selected]
        assert seven.bbox.left == 16
        await pilot.press("right", "right", "down")
        await pilot.pause()
        moved = screen.page.groups[screen.selected]
        assert (moved.bbox.left, moved.bbox.top) == (18, 4)
        assert screen.canvas.strokes == screen.page.strokes
        await pilot.press("u")  # one move, however many arrow presses
        await pilot.pause()
        assert screen.page.groups[1].bbox.left == 16
        await pilot.press("tab", "tab", "3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        relabelled = [g for g in screen.page.groups if g.corrected]
        assert [g.label for g in relabelled] == [3]
        assert screen.page.numbers[0].text.endswith("3")
        with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
            samples = store.list()
        assert [(s.label, s.source) for s in samples] == [(3, "correction")]
        await pilot.press("x")
        await pilot.pause()
        assert len(screen.page.groups) == 1
        assert screen.selected is None


async def test_a_digit_key_with_no_digit_selected_says_how_to_select_one(scribble_app) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE)
        await rest(pilot)
        await pilot.press("7")
        await pilot.pause()
        assert "Select the digit first: tab, or right-click it" in notices(app)
        assert not any(group.corrected for group in screen.page.groups)


def stored_labels(tuipad_home: Path) -> list[int]:
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        return [sample.label for sample in store.list()]


async def test_undo_takes_a_relabels_sample_back_and_redo_saves_it_again(
    scribble_app, tuipad_home: Path
) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN + FOUR)
        await rest(pilot)
        await pilot.press("tab", "9")
        await ready(pilot)
        assert stored_labels(tuipad_home) == [9]
        await pilot.press("u")
        await ready(pilot)
        assert not any(g.corrected for g in screen.page.groups)
        assert stored_labels(tuipad_home) == []
        assert "Removed the sample saved as a 9" in [n.message for n in app._notifications]
        await pilot.press("ctrl+y")
        await ready(pilot)
        assert stored_labels(tuipad_home) == [9]
        # Relabelling the digit again changes its sample; undo puts the 9 back, then none.
        await pilot.press("tab", "7")
        await ready(pilot)
        assert stored_labels(tuipad_home) == [7]
        await pilot.press("u")
        await ready(pilot)
        assert stored_labels(tuipad_home) == [9]
        await pilot.press("u")
        await ready(pilot)
        assert stored_labels(tuipad_home) == []
        # An undo pressed before the sample is written still leaves none.
        await pilot.press("tab", "3", "u")
        await ready(pilot)
        assert stored_labels(tuipad_home) == []


async def test_relabelling_digits_of_two_opened_drawings_keeps_a_sample_for_each(
    scribble_app, tuipad_home: Path, tmp_path: Path
) -> None:
    # A drawing file carries no times, so both open at the same ones; each digit's
    # sample must still be its own.
    one, seven = tmp_path / "one.json", tmp_path / "seven.json"
    one.write_text(json.dumps({"strokes": ONE}))
    seven.write_text(json.dumps({"strokes": SEVEN}))
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        for path, label in ((one, 4), (seven, 2)):
            screen.open_page(path)
            await ready(pilot)
            await pilot.press("tab", str(label))
            await ready(pilot)
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        stored = {sample.label: sample.strokes for sample in store.list()}
    assert sorted(stored) == [2, 4]
    assert [list(map(list, s)) for s in stored[4]] == [list(map(list, s)) for s in ONE]
    assert [list(map(list, s)) for s in stored[2]] == [list(map(list, s)) for s in SEVEN]


async def test_a_right_click_reaches_the_screen_once_and_selects_the_digit(
    scribble_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The canvas lets every button but the left through; a mouse report its
    # bands hand on must bubble to the screen once, not be routed back to the
    # canvas and bubble up again.
    presses: list[int] = []
    on_mouse_down = ScribbleScreen.on_mouse_down

    def counted(screen: ScribbleScreen, event: events.MouseDown) -> None:
        presses.append(event.button)
        on_mouse_down(screen, event)

    monkeypatch.setattr(ScribbleScreen, "on_mouse_down", counted)
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        presses.clear()
        await pilot.click(screen.canvas, offset=(21, 9), button=3)
        await pilot.pause()
        assert presses == [3]
        assert screen.page.groups[screen.selected].bbox.left == 16


async def test_save_and_open_round_trip(scribble_app, tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + FOUR)
        await rest(pilot)
        await pilot.press("tab", "9")  # a correction is saved with the page
        await pilot.pause()
        saved = screen.page
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert path.exists()
        await pilot.press("c")
        await pilot.pause()
        assert not screen.page
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.page.strokes == saved.strokes
        assert [g.label for g in screen.page.groups] == [g.label for g in saved.groups]
        assert screen.canvas.strokes == saved.strokes
        assert len(frame_corners(screen.canvas)) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not JSON"), (b"\xd0\xcf\x11\xe0 a binary file", "bad.json: not UTF-8 text")],
)
async def test_a_bad_page_file_is_reported_not_raised(
    scribble_app, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        said = str(app.screen.query_one("#problem").render())  # the dialog stays open
        assert message in said and "codec" not in said  # the CLI's words
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def open_file(pilot, path: Path) -> None:
    await pilot.press("ctrl+o")
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_undoing_an_opened_page_reads_the_page_it_replaced(
    scribble_app, tmp_path: Path
) -> None:
    """An opened page's times are its own: stepping back must not leave earlier writing unread."""
    late, early = tmp_path / "late.json", tmp_path / "early.json"
    save_page(late, Page().with_stroke(TimedStroke(tuple(SEVEN[0]), 300.0, 300.5)))
    save_page(early, Page().with_stroke(TimedStroke(tuple(SEVEN[0]), 0.0, 0.5)))
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await open_file(pilot, late)  # a page saved late in a long session...
        await pilot.press("u")  # ...put away again: the page's clock stays past it
        await write(pilot, ONE)
        await rest(pilot)
        info = screen.query_one("#scribble-info", Static)
        assert str(info.render()).startswith("read: ")
        await open_file(pilot, early)
        await pilot.press("u")
        await pilot.pause()
        assert [g.strokes[0].points for g in screen.page.groups] == [tuple(ONE[0])]
        assert len(frame_corners(screen.canvas)) == 1
        assert str(info.render()).startswith("read: ")


async def test_s_switches_between_the_sketchpad_and_scribble_mode(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        assert app.current_mode == "draw"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScribbleScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen.about, ScribbleScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert app.current_mode == "draw"


async def test_hover_shows_the_digit_scores(scribble_app) -> None:
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        await pilot.hover(screen.canvas, offset=(20, 8))
        await pilot.pause()
        info = str(screen.query_one("#scribble-info", Static).render())
        assert "digit 2 of 2" in info
        assert "%" in info


async def test_quitting_asks_before_dropping_a_page_not_saved(scribble_app, tmp_path) -> None:
    from tuipad.ui.screens.quit_dialog import QuitDialog

    app = scribble_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ready(pilot)
        await pilot.press("q")  # an empty page: nothing to lose
        await pilot.pause()
        assert app.return_code == 0

    app = scribble_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        assert "The scribble page (1 number) is not saved. Quit anyway?" in str(
            app.screen.query_one("Label").content
        )
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.page.groups
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "kept.json")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "kept.json").exists()
        assert app.return_code is None
        await pilot.press("q")  # saved: it quits at once
        await pilot.pause()
        assert app.return_code == 0


async def test_opening_a_page_over_one_not_saved_says_so_and_quitting_asks(
    scribble_app, tmp_path
) -> None:
    from tuipad.ui.screens.quit_dialog import QuitDialog

    other = tmp_path / "other.json"
    save_page(other, Page().with_stroke(TimedStroke(tuple(ONE[0]), 0.0, 0.5)))
    app = scribble_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        assert any(
            "the page you had (1 number) is not saved: u brings it back" in m for m in notices(app)
        )
        await pilot.press("q")  # the opened page is kept, but the one before is only in undo
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        assert "u in scribble mode brings it back. Quit anyway?" in str(
            app.screen.query_one("Label").content
        )
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


class ReadsEverythingAs:
    """A stand-in model that reads every drawing as one digit."""

    def __init__(self, digit: int) -> None:
        self.classes_ = list(range(10))
        self.digit = digit

    def predict_proba(self, grids):
        import numpy as np

        scores = np.full((len(grids), 10), 0.01)
        scores[:, self.digit] = 0.91
        return scores


async def test_another_model_reads_the_page_again_but_not_the_users_labels(
    scribble_app, fixture_model, tmp_path
) -> None:
    from dataclasses import replace

    from tuipad.ui.messages import ModelLoaded

    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE + SEVEN)
        await rest(pilot)
        screen._select(screen.page.groups.index(max(screen.page.groups, key=lambda g: g.bbox.left)))
        await pilot.press("5")  # the 7 is the user's 5 now
        await pilot.pause()
        screen.files._write(str(tmp_path / "page.json"))
        other = LoadedModel(ReadsEverythingAs(3), replace(fixture_model.manifest, name="other"))
        app.post_message(ModelLoaded(other))
        await pilot.pause()
        await pilot.pause()
        assert [n.text for n in screen.page.numbers] == ["35"]
        assert screen.files.unsaved() is None  # the file keeps no readings: nothing to lose
        await pilot.press("u")  # undo the relabel: the 7 is read again, by the model in use
        await pilot.pause()
        assert [n.text for n in screen.page.numbers] == ["33"]


async def test_a_digit_begun_just_after_c_is_kept_when_the_clear_comes_later(scribble_app):
    """The key and the press after it reach the page by different queues (as on the sketchpad)."""
    app = scribble_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await write(pilot, ONE)
        canvas = screen.query_one(ScribbleCanvas)
        x, y = SEVEN[0][0]
        one_read(app, "c" + sgr_press(canvas.content_region.x + x, canvas.content_region.y + y))
        await pilot.pause(0.2)
        for point in SEVEN[0][1:]:
            await pilot.hover(canvas, offset=point)
        await pilot.mouse_up(canvas, offset=SEVEN[0][-1])
        await rest(pilot)
        assert [len(group.strokes) for group in screen.page.groups] == [1]
        assert screen.page.strokes == canvas.strokes and len(canvas.strokes[0]) == len(SEVEN[0])
