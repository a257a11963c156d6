"""A click on a footer hint runs its key, except on one that stands for ten keys (0-9)."""

from __future__ import annotations

from pilot_steps import load_drawing, settle

from tuipad.store.samples import SampleStore
from tuipad.ui.app import make_app
from tuipad.ui.screens.browse import BrowseScreen
from tuipad.ui.screens.scribble import ScribbleScreen
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.widgets.scribble_canvas import ScribbleCanvas

SEVEN = [[(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]]
"""A 7 in whole-cell reports."""


async def click_hint(pilot, hint: str) -> None:
    """Click the footer where it shows ``hint`` (``0-9 Correct``), as a mouse would."""
    footer = pilot.app.screen.query_one(KeyHints)
    column = footer.render().plain.index(hint)
    await pilot.click(footer, offset=(column + 1, 0))
    await settle(pilot)


def said(app) -> list[tuple[str, str]]:
    """The titles and messages of the notices shown."""
    return [(notice.title, notice.message) for notice in app._notifications]


def stored(tuipad_home) -> list[int]:
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        return [sample.label for sample in store.list()]


async def test_clicking_0_9_on_the_sketchpad_says_to_type_a_digit(app_factory, tuipad_home):
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, SEVEN)
        await click_hint(pilot, "0-9 Correct")
        assert stored(tuipad_home) == []  # not a 0, nor anything else
        title, message = said(app)[-1]
        assert title == "Type one of the keys 0-9" and "Type the right digit" in message
        # Any other hint still runs its key.
        await click_hint(pilot, "c Clear")
        assert not app.screen.query_one(DrawingCanvas).strokes


async def test_clicking_0_9_in_browse_relabels_nothing(app_factory, tuipad_home):
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        store.add(SEVEN, 7, source="teach")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        await click_hint(pilot, "0-9 Relabel")
        assert stored(tuipad_home) == [7]
        assert said(app)[-1] == ("Type one of the keys 0-9", "Relabel the sample under the cursor")


async def test_clicking_0_9_in_scribble_mode_leaves_the_selected_digit(fixture_model, tuipad_home):
    app = make_app(model_loader=lambda progress: fixture_model, scribble=True, pause=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScribbleScreen)
        canvas = screen.query_one(ScribbleCanvas)
        await pilot.mouse_down(canvas, offset=(10, 3))
        for row in (6, 9, 12, 15):
            await pilot.hover(canvas, offset=(10, row))
        await pilot.mouse_up(canvas, offset=(10, 15))
        for _ in range(100):  # past the pause the 1 is read; a busy machine takes longer
            await pilot.pause(0.05)
            if screen.page.groups and screen.page.groups[0].label is not None:
                break
        # tab's hint is one key (its hidden shift+tab goes the other way): a click runs it.
        await click_hint(pilot, "tab Select")
        assert screen.selected == 0
        await click_hint(pilot, "0-9 Relabel")
        assert not screen.page.groups[0].corrected and stored(tuipad_home) == []
        title, message = said(app)[-1]
        assert title == "Type one of the keys 0-9" and message.startswith("Relabel the selected")
