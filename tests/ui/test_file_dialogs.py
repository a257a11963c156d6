"""Saving and opening files from the sketchpad and scribble mode: nothing the user keeps is
replaced without a yes, and a file that cannot be used says why in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_steps import load_drawing, notices, one_read, settle
from textual.widgets import Input

from tuipad.core.scribble import Page, TimedStroke
from tuipad.store.page_files import save_page
from tuipad.ui.app import make_app
from tuipad.ui.screens.draw import DrawScreen
from tuipad.ui.screens.replace_dialog import ReplaceDialog
from tuipad.ui.screens.scribble import ScribbleScreen
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

ONE = [[(8, 2), (8, 6), (8, 10), (8, 14)]]
"""A 1 in whole-cell reports."""

NOTES = "notes\n"
"""What the user keeps in the file a save must not replace unasked."""


async def _give_path(pilot, key: str, path: Path) -> None:
    """Press ``key`` (ctrl+s or ctrl+o), type ``path`` in the dialog, press enter."""
    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("keep", ["escape", "n"])
async def test_saving_over_a_file_asks_and_keeps_it_unless_told_yes(
    app_factory, tmp_path: Path, keep: str
) -> None:
    important = tmp_path / "important.txt"
    important.write_text(NOTES)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", important)
        assert isinstance(app.screen, ReplaceDialog)
        assert important.read_text() == NOTES  # nothing is written while it asks
        await pilot.press(keep)
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(important)  # back to the name
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)
        assert important.read_text() == NOTES
        assert not any(m.startswith("Saved") for m in notices(app))


@pytest.mark.parametrize("replace", ["enter", "y"])
async def test_a_yes_replaces_and_the_same_file_is_then_saved_without_asking(
    app_factory, tmp_path: Path, replace: str
) -> None:
    drawing = tmp_path / "one.json"
    drawing.write_text(NOTES)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", drawing)
        await pilot.press(replace)
        await pilot.pause()
        assert drawing.read_text().startswith('{"strokes":')
        drawing.write_text(NOTES)
        await _give_path(pilot, "ctrl+s", tmp_path / "." / "one.json")  # saved there already
        assert isinstance(app.screen, DrawScreen)
        assert drawing.read_text().startswith('{"strokes":')


async def test_a_file_saved_before_the_canvas_was_cleared_is_asked_about_again(
    app_factory, tmp_path: Path
) -> None:
    seven = tmp_path / "seven.json"
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", seven)
        kept = seven.read_text()
        await pilot.press("c")  # another digit next: the file holds other work now
        await load_drawing(pilot, [[(4, 2), (12, 2), (8, 14)]])
        await _give_path(pilot, "ctrl+s", seven)  # the name offered again, as typed
        assert isinstance(app.screen, ReplaceDialog)
        assert seven.read_text() == kept


async def test_a_page_saved_before_it_was_cleared_is_asked_about_again(
    fixture_model, tmp_path
) -> None:
    saved = tmp_path / "saved.json"
    app = _scribbling(fixture_model)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _page_opened(pilot, tmp_path)
        await _give_path(pilot, "ctrl+s", saved)
        kept = saved.read_text()
        await pilot.press("c")
        screen.open_page(_page_file(tmp_path))  # other work on the page again
        await pilot.pause()
        await _give_path(pilot, "ctrl+s", saved)
        assert isinstance(app.screen, ReplaceDialog)
        assert saved.read_text() == kept


async def test_scribble_mode_asks_before_replacing_a_file_too(fixture_model, tmp_path) -> None:
    important = tmp_path / "important.txt"
    important.write_text(NOTES)
    app = _scribbling(fixture_model)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _page_opened(pilot, tmp_path)
        await _give_path(pilot, "ctrl+s", important)
        assert isinstance(app.screen, ReplaceDialog)
        await pilot.press("escape", "escape")  # keep it, then leave the name
        await pilot.pause()
        assert app.screen is screen and important.read_text() == NOTES


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux's /proc")
async def test_saving_over_proc_version_gives_the_real_reason(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", Path("/proc/version"))
        said = _problem_shown(app)  # read-only: refused before any write is tried
        assert said.startswith("/proc/version") and "no such file" not in said.lower()


def _scribbling(model):
    """The app in scribble mode, reading with ``model``."""
    return make_app(model_loader=lambda progress: model, scribble=True, pause=0.2)


async def _page_opened(pilot, folder: Path) -> ScribbleScreen:
    """The scribble screen once ready, with a page holding a 1 opened on it."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ScribbleScreen)
    screen.open_page(_page_file(folder))
    return screen


def _page_file(folder: Path) -> Path:
    path = folder / "page.json"
    save_page(path, Page().with_stroke(TimedStroke(tuple(ONE[0]), 0.0, 0.5)))
    return path


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"strokes": []}', "empty.json: the drawing is empty"),
        (
            None,
            "page.json: a scribble page, not a drawing: open it in scribble mode (s, then ctrl+o)",
        ),
    ],
)
async def test_the_sketchpad_refuses_an_empty_drawing_or_a_page_and_keeps_the_canvas(
    app_factory, tmp_path: Path, content: str | None, said: str
) -> None:
    if content is None:
        path = _page_file(tmp_path)
    else:
        path = tmp_path / "empty.json"
        path.write_text(content)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        drawn = app.screen.query_one(DrawingCanvas).strokes
        await _give_path(pilot, "ctrl+o", path)
        assert _problem_shown(app).endswith(said)  # the dialog stays, to mend the path
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(DrawingCanvas).strokes == drawn
        assert not any(m.startswith("Opened") for m in notices(app))


async def test_scribble_mode_refuses_an_empty_drawing_and_opens_a_drawing(
    fixture_model, tmp_path: Path
) -> None:
    empty, drawing = tmp_path / "empty.json", tmp_path / "one.json"
    empty.write_text('{"strokes": []}')
    drawing.write_text('{"strokes": [[[8, 2], [8, 6], [8, 10], [8, 14]]]}')
    app = _scribbling(fixture_model)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await _give_path(pilot, "ctrl+o", drawing)
        assert len(screen.page.strokes) == 1
        await _give_path(pilot, "ctrl+o", empty)
        assert _problem_shown(app).endswith("empty.json: the drawing is empty")
        assert len(screen.page.strokes) == 1


def _problem_shown(app) -> str:
    """What the path dialog in front says is wrong with the path (it stays open)."""
    from textual.widgets import Label

    from tuipad.ui.screens.path_dialog import PathDialog

    assert isinstance(app.screen, PathDialog)
    return str(app.screen.query_one("#problem", Label).content)


async def test_a_path_that_failed_is_offered_again_to_mend(app_factory, tmp_path) -> None:
    app = app_factory()
    missing = tmp_path / "no-such-folder" / "one.json"
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", missing)  # the dialog stays, the path in it
        assert _problem_shown(app).startswith(f"There is no folder {missing.parent}: create it")
        assert app.screen.query_one(Input).value == str(missing)
        await pilot.press("escape")
        await _give_path(pilot, "ctrl+o", missing)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(missing)
        await pilot.press("escape")
        await pilot.pause()
        assert not missing.parent.exists()


async def test_a_directory_to_save_over_is_said_in_the_dialog(app_factory, tmp_path) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", tmp_path)
        assert (
            _problem_shown(app)
            == f"{tmp_path} is a directory, not a regular file; tuipad replaces only files"
        )
        app.screen.query_one(Input).value = str(tmp_path / "one.json")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "one.json").is_file()


async def test_a_file_that_failed_to_open_is_not_offered_to_save_over(
    app_factory, tmp_path
) -> None:
    """A scribble page given to the sketchpad's open is refused; the next save must not
    offer that page, where one enter and a yes would replace it with a drawing."""
    app = app_factory()
    page = tmp_path / "page.json"
    page.write_text('{"page": {"strokes": [[[1, 1], [1, 5]]]}}')
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+o", page)
        await pilot.press("escape")  # the dialog said why and stayed open
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one(Input).value != str(page)
        await pilot.press("escape")
        await pilot.press("ctrl+o")  # the open dialog still offers it, to mend
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(page)


async def test_opening_a_path_inside_a_file_says_which_is_not_a_folder(
    app_factory, tmp_path
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("text")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _give_path(pilot, "ctrl+o", a_file / "one.json")
        assert _problem_shown(app) == f"{a_file} is not a folder"


async def test_an_empty_path_keeps_the_dialog_open_and_says_where_a_name_alone_goes(
    app_factory, tmp_path, monkeypatch
) -> None:
    from textual.widgets import Label

    from tuipad.ui.screens.path_dialog import PathDialog

    monkeypatch.chdir(tmp_path)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", Path("  "))
        assert isinstance(app.screen, PathDialog)
        assert _problem_shown(app) == "Type a path first (escape cancels)"
        hints = [str(label.content) for label in app.screen.query(Label)]
        assert f"A name without a folder is in {tmp_path}" in hints
        await pilot.press("escape")
        await pilot.pause()
        saved = [path for path in tmp_path.iterdir() if path.name != "home"]  # the data dir
        assert isinstance(app.screen, DrawScreen) and not saved


def test_the_dialog_copes_with_a_start_folder_deleted_since(monkeypatch) -> None:
    from tuipad.ui.screens import path_dialog

    def gone() -> Path:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(path_dialog.Path, "cwd", staticmethod(gone))
    said = path_dialog._where_names_go()
    assert said == "A name without a folder is in the folder tuipad started in, which is gone"


async def test_a_path_that_looks_like_markup_is_shown_as_typed(app_factory, tmp_path) -> None:
    app = app_factory()
    odd = tmp_path / "nope[/x]" / "a.json"
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", odd)
        assert _problem_shown(app).startswith(f"There is no folder {odd.parent}: ")
        app.screen.query_one(Input).value = "notes/"  # the dialog is still open
        await pilot.press("enter")
        await pilot.pause()
        assert _problem_shown(app) == "notes/ names a folder: add the file's name"


async def test_a_path_with_control_characters_a_paste_brought_is_refused(
    app_factory, tmp_path
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", tmp_path / "p\tq\x07r.json")
        assert _problem_shown(app) == (
            f"A path here cannot hold control characters: {tmp_path}/p\\tq\\x07r.json"
        )
        assert not list(tmp_path.glob("p*"))


@pytest.mark.parametrize(
    ("typed", "value"),
    [("abc\x15xy", "xy"), ("abd\x7fc", "abc"), ("ac\x1b[Db", "abc"), ("ab\x01x", "xab")],
)
async def test_editing_keys_in_one_read_with_letters_act_in_turn(app_factory, typed, value) -> None:
    """ctrl+u, backspace, left and ctrl+a arriving with the letters around them."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = ""
        one_read(app, typed)
        await pilot.pause(0.1)
        assert field.value == value


async def test_a_notice_naming_a_path_that_looks_like_markup_shows_it_as_typed(
    app_factory, tmp_path
) -> None:
    app = app_factory()
    (tmp_path / "x[" / "y]").mkdir(parents=True)
    odd = tmp_path / "x[" / "y]" / "a.json"  # x[/y]/a.json
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", odd)  # "Saved .../x[/y]/a.json"
        await settle(pilot)
        assert app.is_running
        shown = [str(toast.render()) for toast in app.query("Toast")]
        assert any("x[/y]/a.json" in text for text in shown), shown


async def test_a_save_that_fails_on_writing_keeps_the_dialog_open_saying_why(
    app_factory, tmp_path: Path, monkeypatch
) -> None:
    import errno

    from tuipad.ui.screens import draw
    from tuipad.ui.screens.path_dialog import PathDialog

    def disk_full(path: str, strokes: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(draw, "save_drawing", disk_full)
    target = tmp_path / "one.json"
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await _give_path(pilot, "ctrl+s", target)
        await settle(pilot)
        assert isinstance(app.screen, PathDialog)  # keys typed next still go to the path
        assert app.screen.query_one(Input).value == str(target)
        assert _problem_shown(app).startswith("Not saved: the disk is full")
        assert not notices(app)
        monkeypatch.undo()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrawScreen) and target.is_file()
