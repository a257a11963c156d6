"""Learning from the user through the app: corrections, teach mode, browsing, retraining.

Each test gets its own TUIPAD_HOME (tests/conftest.py), so the sample store
and the teach round start empty.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from pilot_steps import load_drawing, notices, screen_text, settle
from textual.widgets import DataTable, Static

from tuipad.core.teaching import TeachRound
from tuipad.store.paths import Paths
from tuipad.store.samples import SampleStore
from tuipad.store.teach import load_round
from tuipad.ui.app import TuipadApp
from tuipad.ui.screens import digit_guard
from tuipad.ui.screens.browse import BrowseScreen
from tuipad.ui.screens.draw import DrawScreen
from tuipad.ui.screens.teach import TeachScreen
from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
from tuipad.ui.widgets.score_panel import ScoreBars, ScorePanel
from tuipad.ui.wording import a_digit

SEVEN = [[(4, 2), (8, 2), (12, 2), (11, 6), (10, 10), (9, 14)]]
"""A 7 in whole-cell reports."""

ONE = [[(8, 2), (8, 6), (8, 10), (8, 14)]]
"""A 1."""


def _stored(tuipad_home):
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        return store.list()


def held(monkeypatch, module, name: str):
    """Make ``module.name`` wait for the event returned (a slow save or fit) before it runs."""
    import threading

    release, original = threading.Event(), getattr(module, name)

    def waiting(*args, **kwargs):
        assert release.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
    return release


# --------------------------------------------------------------------------- corrections


async def test_typing_a_digit_saves_the_drawing_and_ctrl_u_removes_it(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, SEVEN)
        predicted = app.screen.query_one(ScorePanel).prediction
        assert predicted is not None
        wrong = (predicted.label + 1) % 10
        await pilot.press(str(wrong))
        await settle(pilot)
        [sample] = _stored(tuipad_home)
        assert sample.label == wrong and sample.source == "correction"
        assert sample.answered_by == "fixture" and sample.predicted == predicted.label
        assert sample.scores == pytest.approx(tuple(predicted.scores))
        assert [list(map(list, s)) for s in sample.strokes] == [list(map(list, s)) for s in SEVEN]
        assert sample.grid.tolist() == [list(r) for r in predicted.grid]
        assert any(f"Saved as a {wrong}" in n.message for n in app._notifications)
        # Another digit for the same drawing relabels it rather than adding one.
        await pilot.press("7")
        await settle(pilot)
        assert [s.label for s in _stored(tuipad_home)] == [7]
        # ctrl+u takes back one step at a time: the relabel, then the sample.
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert [s.label for s in _stored(tuipad_home)] == [wrong]
        assert any(f"Saved as a {wrong} again" in n.message for n in app._notifications)
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert _stored(tuipad_home) == []
        assert app.screen.query_one(DrawingCanvas).strokes  # the drawing stays
        assert notices(app)[-1] == f"Removed the sample saved as a {wrong}"


async def test_a_digit_typed_while_the_last_is_saved_adds_no_second_sample(
    app_factory, tuipad_home, monkeypatch
) -> None:
    from tuipad.ui.screens import draw

    release = held(monkeypatch, draw, "store_correction")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.press("3")
        await pilot.press("5")  # the 3 is still being saved
        await pilot.pause()
        assert "Still saving the last correction" in notices(app)[-1]
        release.set()
        await settle(pilot)
        assert [s.label for s in _stored(tuipad_home)] == [3]
        await pilot.press("5")  # typed again once it is saved: a relabel
        await settle(pilot)
        assert [s.label for s in _stored(tuipad_home)] == [5]


async def test_ctrl_u_says_when_it_reaches_past_the_drawing_on_screen(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, SEVEN)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("c")  # a new drawing, left unlabelled
        await load_drawing(pilot, [[(8, 2), (8, 14)]])
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert _stored(tuipad_home) == []
        assert notices(app)[-1] == "Removed the sample of an earlier drawing saved as a 3"


async def test_clicking_a_score_bar_corrects(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, ONE)
        await pilot.click(ScoreBars, offset=(3, 4))
        await settle(pilot)
        assert [s.label for s in _stored(tuipad_home)] == [4]


async def test_a_digit_before_drawing_saves_nothing(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert _stored(tuipad_home) == []
        assert any("Draw a digit first" in n.message for n in app._notifications)


async def test_digits_that_come_with_the_mouse_are_ignored(
    app_factory, tuipad_home, monkeypatch
) -> None:
    """A mouse report split across reads arrives as loose digit keys: none may correct."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        await pilot.mouse_down(canvas, offset=(8, 2))
        await pilot.hover(canvas, offset=(8, 8))
        await pilot.press("3")  # the pen is down
        await pilot.hover(canvas, offset=(8, 14))
        monkeypatch.setattr(digit_guard, "DIGIT_GUARD", 60.0)
        await pilot.mouse_up(canvas, offset=(8, 14))
        await pilot.press("4")  # just after the last report
        await settle(pilot)
        assert canvas.strokes and app.screen.query_one(ScorePanel).prediction is not None
        assert _stored(tuipad_home) == []
        assert not any("Draw a digit first" in n.message for n in app._notifications)
        # A key typed alone was the user's: each ignored one says so.
        await pilot.pause(digit_guard.BURST * 10)
        assert "Not saved as a 3: the pen is still down · lift it, then type the digit" in (
            notices(app)
        )
        assert "Not saved as a 4: typed as the mouse moved · type it again" in notices(app)
        # Once the mouse has been still for the guard time, a digit corrects.
        monkeypatch.setattr(digit_guard, "DIGIT_GUARD", 0.0)
        await pilot.press("5")
        await settle(pilot)
        assert [s.label for s in _stored(tuipad_home)] == [5]


KEY_NAMES = {"[": "left_square_bracket", "<": "less_than_sign", ";": "semicolon"}
"""Textual's names of the keys a mouse report is made of, digits and M apart."""


async def test_the_loose_characters_of_a_split_mouse_report_say_nothing(
    app_factory, tuipad_home, monkeypatch
) -> None:
    """A report split after ``\\e[<35;4`` reaches the app as keys: those, then ``1;12M`` once
    the parser gives up waiting.  The user typed none of them, so none says it was ignored."""
    from textual import events

    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await load_drawing(pilot, SEVEN)
        monkeypatch.setattr(digit_guard, "DIGIT_GUARD", 60.0)
        await pilot.hover(DrawingCanvas, offset=(8, 8))  # the report before
        for part, made in (("[<35;4", 100.0), ("1;12M", 100.1)):  # the parser's 0.1 s wait
            for character in part:  # made together, microseconds apart
                key = events.Key(KEY_NAMES.get(character, character), character)
                key.time = made
                app.post_message(key)
        await settle(pilot)
        await pilot.pause(digit_guard.BURST * 10)
        assert _stored(tuipad_home) == []
        assert not any(notice.startswith("Not saved") for notice in notices(app))


async def test_a_digit_after_a_lost_release_ends_the_stroke_and_corrects(
    app_factory, tuipad_home, monkeypatch
) -> None:
    """A button let go outside the window is often never reported: the pen stays down."""
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(DrawingCanvas)
        await pilot.mouse_down(canvas, offset=(8, 2))
        await pilot.hover(canvas, offset=(8, 14))
        await pilot.press("1")  # too soon: could be part of a mouse report
        await settle(pilot)
        assert canvas.mouse_down and _stored(tuipad_home) == []
        monkeypatch.setattr(digit_guard, "LOST_RELEASE", 0.0)  # as if the mouse had been still
        await pilot.press("1")
        await settle(pilot)
        assert not canvas.mouse_down
        assert [s.label for s in _stored(tuipad_home)] == [1]
        assert len(canvas.strokes) == 1


@pytest.fixture
def damaged_store(tuipad_home: Path) -> Path:
    """A samples.sqlite3 that is no database at all."""
    tuipad_home.mkdir(parents=True)
    path = tuipad_home / "samples.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    return path


async def test_a_broken_store_is_one_line_not_a_traceback(
    app_factory, tuipad_home, damaged_store
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        [said] = [n.message for n in app._notifications if n.severity == "error"]
        assert said.startswith("Corrections and samples cannot be kept: ")  # before any work
        assert str(tuipad_home / "samples.sqlite3") in said
        await load_drawing(pilot, SEVEN)
        await pilot.press("4")
        await settle(pilot)
        [error] = [n for n in app._notifications if n.message.startswith("Not saved")]
        assert "\n" not in error.message
        assert isinstance(app.screen, DrawScreen)
        await pilot.press("t")
        await settle(pilot)
        app.screen.action_retrain()  # not "No personal samples yet": they are there, unread
        await pilot.pause()
        assert any(n.message.startswith("Your samples cannot be read") for n in app._notifications)


async def test_a_broken_store_found_at_start_is_said_once_though_adapting_fails_on_it(
    app_factory, tuipad_home, damaged_store, monkeypatch
) -> None:
    from tuipad.store.pending import mark_changes_pending
    from tuipad.ui import adapting

    monkeypatch.setattr(adapting, "ADAPT_DELAY", 0.05)
    mark_changes_pending(Paths(tuipad_home))  # samples changed before the store broke
    failures = []
    done = TuipadApp.on_adaptation_done

    def recorded(app, message):
        failures.append(message.error)
        done(app, message)

    monkeypatch.setattr(TuipadApp, "on_adaptation_done", recorded)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)  # the quiet period before adapting
        await settle(pilot)
        assert failures and str(damaged_store) in failures[0]  # adapting failed on the store
        said = [n.message for n in app._notifications if str(damaged_store) in n.message]
        assert len(said) == 1 and said[0].startswith("Corrections and samples cannot be kept")


# --------------------------------------------------------------------------- teach mode


async def _teach(pilot, *, fewer: int = 0) -> TeachScreen:
    """Let the app load, open teach mode, and ask for each digit ``fewer`` times fewer."""
    await settle(pilot)
    await pilot.press("T")
    await pilot.pause()
    if fewer:
        await pilot.press(*["minus"] * fewer)
    screen = pilot.app.screen
    assert isinstance(screen, TeachScreen)
    return screen


async def _teach_one(pilot, strokes=SEVEN) -> int:
    """Draw the digit asked for and press enter; returns the digit."""
    screen = pilot.app.screen
    assert isinstance(screen, TeachScreen)
    digit = screen.teach_round.current
    await load_drawing(pilot, strokes)
    await pilot.press("enter")
    await settle(pilot)
    return digit


async def test_switching_mode_from_teach_mode_tells_the_app_of_the_samples(
    app_factory, tuipad_home
) -> None:
    from tuipad.store.pending import changes_pending
    from tuipad.ui.screens.scribble import ScribbleScreen

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await _teach(pilot)
        await _teach_one(pilot)
        await pilot.press("question_mark")  # help over teach mode: left too
        await pilot.pause()
        app.action_toggle_scribble()  # the palette's Scribble mode, part-way through a round
        await settle(pilot)
        assert isinstance(app.screen, ScribbleScreen)
        assert changes_pending(Paths(tuipad_home))  # as escape would: the model adapts to it
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)


async def test_teach_mode_saves_leaves_and_resumes(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _teach(pilot)
        assert isinstance(screen, TeachScreen)
        assert screen.teach_round.total == 50
        await pilot.press("minus", "minus")  # 3 of each before the first drawing
        assert screen.teach_round.total == 30
        asked = [await _teach_one(pilot) for _ in range(3)]
        prompt = str(screen.query_one("#teach-prompt", Static).content)
        assert prompt == f"Draw {a_digit(screen.teach_round.current)} · 4/30"
        assert screen.query_one(DrawingCanvas).strokes == ()  # cleared for the next one
        remaining = screen.teach_round.queue
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)
    stored = _stored(tuipad_home)
    assert [s.label for s in stored] == asked and {s.source for s in stored} == {"teach"}
    # What the model read is kept, so a drawing kept against its reading can be found again.
    assert {s.answered_by for s in stored} == {"fixture"}
    assert all(s.predicted is not None and len(s.scores) == 10 for s in stored)
    kept = load_round(Paths(tuipad_home).teach_round)
    assert kept is not None and kept.queue == remaining and kept.per_digit == 3

    again = app_factory()  # a new process resumes the round
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        screen = again.screen
        assert screen.teach_round.queue == remaining
        assert str(screen.query_one("#teach-prompt", Static).content).endswith("4/30")
        await pilot.press("ctrl+u")  # the drawing saved last, before the restart
        await pilot.pause()
        assert screen.teach_round.current == asked[-1] and screen.teach_round.done == 2
        assert [s.label for s in _stored(tuipad_home)] == asked[:2]
        await _teach_one(pilot)
        fourth = await _teach_one(pilot)
        # ctrl+u takes the last drawing back and asks for its digit again.
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert screen.teach_round.current == fourth and screen.teach_round.done == 3
    assert len(_stored(tuipad_home)) == 3


async def _delete_in_browse(pilot, *then: str) -> None:
    """In browse (over teach mode: newest first), delete the round's second drawing, press
    ``then`` there, and come back."""
    await pilot.press("b")
    await pilot.pause()
    await pilot.press("down", "delete", "delete")
    await pilot.pause()
    await pilot.press(*then, "escape")
    await settle(pilot)


async def test_a_drawing_of_the_round_deleted_in_browse_is_asked_for_again(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _teach(pilot)
        asked = [await _teach_one(pilot) for _ in range(3)]
        await _delete_in_browse(pilot)
        assert app.screen is screen
        assert screen.teach_round.current == asked[1] and screen.teach_round.done == 2
        assert "Asked for again: 1 drawing of this round, deleted meanwhile" in notices(app)
        await _teach_one(pilot)
        assert sorted(s.label for s in _stored(tuipad_home)) == sorted(asked)


async def test_a_drawing_of_the_round_deleted_and_brought_back_still_counts(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _teach(pilot)
        asked = [await _teach_one(pilot) for _ in range(3)]
        ids = [s.id for s in _stored(tuipad_home)]
        await _delete_in_browse(pilot, "u")  # brought back, under its own id
        assert [s.id for s in _stored(tuipad_home)] == ids
        assert screen.teach_round.done == 3
        assert [pair[1] for pair in screen.teach_round.saved] == asked
        assert not any("Asked for again" in notice for notice in notices(app))


async def test_teach_mode_warns_when_a_drawing_is_no_digit_at_all(app_factory, tuipad_home) -> None:
    """A stray click before enter would teach the model a dot as the digit asked for."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        asked = await _teach_one(pilot, [[(8, 5)]])
        said = f"Kept as {a_digit(asked)}, though it does not look like one digit (too small)"
        assert any(m.startswith(said) and m.endswith("ctrl+u retakes it") for m in notices(app))
        assert _stored(tuipad_home)[-1].label == asked  # kept all the same: the user decides


async def test_teach_mode_warns_when_a_drawing_surely_reads_as_another_digit(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        read = app.model.recognise(SEVEN)
        assert not read.contenders  # the model is sure of it
        await pilot.press("T")
        await pilot.pause()
        asked = await _teach_one(pilot)
        while asked == read.label:  # drawn as asked: nothing to warn of
            assert not any("though it reads as" in m for m in notices(app))
            asked = await _teach_one(pilot)
        said = f"Kept as {a_digit(asked)}, though it reads as {a_digit(read.label)}"
        assert any(m.startswith(said) and m.endswith("ctrl+u retakes it") for m in notices(app))
        assert _stored(tuipad_home)[-1].label == asked  # kept all the same: the user decides
        await pilot.press("escape", "b")  # browse takes no ctrl+u: the warning goes
        await pilot.pause()
        assert not any(m.endswith("ctrl+u retakes it") for m in notices(app))
        await pilot.press("escape", "T")
        await pilot.pause()
        count = len(_stored(tuipad_home))
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert len(_stored(tuipad_home)) == count - 1
        assert notices(app) == [f"Deleted: draw {a_digit(asked)} again"]  # the warning went


async def test_a_retake_deletes_only_the_rounds_own_drawing(app_factory, tuipad_home) -> None:
    with SampleStore.open(Paths(tuipad_home).samples) as store:
        correction = store.add(SEVEN, 7, source="correction").id
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _teach(pilot)
        # A round kept from before the store was made anew: its id is another sample's.
        screen.teach_round = TeachRound(5, screen.teach_round.queue, last_saved=(correction, 3))
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert notices(app)[-1] == "Nothing to retake: that drawing is not in the store"
        assert screen.teach_round.last_saved is None
    assert [s.id for s in _stored(tuipad_home)] == [correction]


async def test_a_retake_asks_again_for_the_digit_asked_and_the_app_adapts(
    app_factory, tuipad_home
) -> None:
    from tuipad.store.pending import changes_pending, clear_pending, pending_token

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _teach(pilot, fewer=4)  # 1 of each
        asked = [await _teach_one(pilot) for _ in range(10)]  # the whole round
        [done] = [n for n in notices(app) if n.startswith("Round done")]
        [last] = _stored(tuipad_home)[-1:]
        with SampleStore.open(Paths(tuipad_home).samples) as store:
            store.relabel(last.id, (asked[-1] + 1) % 10)  # relabelled meanwhile (browse, CLI)
        app.adapting.enabled = False  # so the retake's change stays pending below
        pending = Paths(tuipad_home).adapt_pending
        clear_pending(pending, pending_token(pending))  # as if the round's were adapted to
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert screen.teach_round.current == asked[-1]  # the digit asked, not the new label
        assert done not in notices(app)  # the round is open again
        await pilot.press("escape")
        await settle(pilot)
    assert changes_pending(Paths(tuipad_home))  # the model adapts to the sample gone


async def test_a_rounds_end_recalls_the_drawings_kept_against_their_reading(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        read = app.model.recognise(SEVEN)
        await _teach(pilot, fewer=4)  # 1 of each
        for _ in range(10):  # a 7 drawn for every digit
            await _teach_one(pilot)
        [done] = [n for n in notices(app) if n.startswith("Round done: 10 drawings saved")]
        kept = done.split("Kept though the model read them otherwise: ")[1]
        assert kept.endswith("; and 6 more; b browses them")  # three named, the rest counted
        assert kept.count(f"that reads as {a_digit(read.label)} (") == 3


async def test_teach_mode_keeps_how_many_when_left_and_after_a_restart(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _teach(pilot, fewer=4)  # 1 of each
        await pilot.press("escape", "T")
        await pilot.pause()
        assert str(app.screen.query_one("#teach-prompt", Static).content).endswith("1/10")
        for _ in range(10):  # a whole round: the next one asks as many
            await _teach_one(pilot)
        screen = app.screen
        assert screen.teach_round.current is None
        # The end says what uses the samples, and enter offers another round, not Save.
        assert "The model adapts to them in the background" in str(
            screen.query_one("#teach-hint", Static).content
        )
        keys = {b.binding.action: b.enabled for b in screen.active_bindings.values()}
        assert keys.get("new_round") is True and "save" not in keys
        await pilot.press("enter")
        await pilot.pause()
        assert screen.teach_round.current is not None and screen.teach_round.done == 0
    kept = load_round(Paths(tuipad_home).teach_round)
    assert kept is not None and kept.per_digit == 1 and kept.done == 0

    again = app_factory()
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        assert str(again.screen.query_one("#teach-prompt", Static).content).endswith("1/10")


async def test_how_many_changes_during_a_round_and_after_a_restart(
    app_factory, tuipad_home
) -> None:
    """+/- once a round has begun keeps its drawings; it used to point at ctrl+u, which
    takes back one drawing of this visit only, so the count could not change again."""
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        drawn = [await _teach_one(pilot) for _ in range(2)]
        await pilot.press("escape", "T")  # a new visit: nothing of it to take back
        await pilot.pause()
        screen = app.screen
        await pilot.press("plus")
        assert screen.teach_round.total == 60 and screen.teach_round.done == 2
        await pilot.press(*["minus"] * 9)  # down to the most drawn digit, the drawn counted
        fewest = max(Counter(drawn).values())  # 2 if both drawings were of one digit
        assert screen.teach_round.per_digit == fewest
        assert Counter(screen.teach_round.queue) == Counter(
            {d: fewest - Counter(drawn)[d] for d in range(10)}
        )
        assert str(screen.query_one("#teach-prompt", Static).content).endswith(
            f"{screen.teach_round.done + 1}/{screen.teach_round.total}"
        )
    kept = load_round(Paths(tuipad_home).teach_round)
    assert kept is not None and kept.per_digit == fewest and kept.queue == screen.teach_round.queue


async def test_pressing_minus_below_the_drawn_shows_its_notice_once(
    app_factory, tuipad_home
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen = await _teach(pilot)
        # Two 3s of a round of two each already drawn: it cannot ask for fewer than two.
        screen.teach_round = TeachRound(2, tuple(d for d in range(10) for _ in range(2) if d != 3))
        for _ in range(7):
            await pilot.press("minus")
        await pilot.pause(0.2)
        assert screen.teach_round.per_digit == 2
        notices = [n.message for n in app._notifications]
        assert sum(m.startswith("This round already has 2") for m in notices) == 1, notices
        shown = screen_text(app).replace(" ", "")  # a toast splits its words into spans
        assert shown.count("Thisroundalreadyhas2") == 1


async def test_plus_and_minus_at_their_limits_say_so(app_factory, tuipad_home) -> None:
    from tuipad.core.teaching import MAX_PER_DIGIT

    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen = await _teach(pilot)
        screen.teach_round = TeachRound.new(1)
        await pilot.press("minus")
        await pilot.pause()
        assert notices(app)[-1] == "A round asks for each digit at least once"
        screen.teach_round = TeachRound.new(MAX_PER_DIGIT)
        await pilot.press("plus")
        await pilot.pause()
        assert notices(app)[-1] == f"A round asks for each digit at most {MAX_PER_DIGIT} times"
        assert screen.teach_round.per_digit == MAX_PER_DIGIT


async def test_teach_enter_while_the_last_drawing_is_saved_says_so(
    app_factory, tuipad_home, monkeypatch
) -> None:
    from tuipad.store import teach

    release = held(monkeypatch, teach, "save_round")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await _teach(pilot)
        await load_drawing(pilot, SEVEN)
        await pilot.press("enter")
        await pilot.press("enter")  # a double enter, nothing drawn since: nothing to say
        await pilot.pause()
        assert "Still saving the last drawing · press enter again" not in notices(app)
        await load_drawing(pilot, SEVEN)
        await pilot.press("enter")  # the first is still being saved
        await pilot.pause()
        assert notices(app)[-1] == "Still saving the last drawing · press enter again"
        release.set()
        await settle(pilot)
        assert len(_stored(tuipad_home)) == 1


async def test_teach_enter_without_a_drawing_saves_nothing(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T", "enter")
        await settle(pilot)
        assert app.screen.teach_round.done == 0
        assert _stored(tuipad_home) == []


# --------------------------------------------------------------------------- browse


def _fill(tuipad_home, labels) -> list[int]:
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        return [store.add(SEVEN, label, source="teach").id for label in labels]


async def test_browse_relabels_and_deletes_with_confirmation(app_factory, tuipad_home) -> None:
    ids = _fill(tuipad_home, [7, 7, 1])
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        counts = screen.query_one("#browse-counts", Static)
        assert str(counts.content).startswith("0:0  1:1  2:0") and "7:2" in str(counts.content)
        # Newest first: the cursor is on the 1.
        await pilot.press("4")
        await pilot.pause()
        assert "1:0" in str(counts.content) and "4:1" in str(counts.content)
        await pilot.press("down", "delete")
        await pilot.pause()
        assert table.row_count == 3  # the first press only asks
        assert notices(app)[-1] == "Press again to delete this sample"
        await pilot.press("delete")
        await pilot.pause()
        assert table.row_count == 2 and "7:1" in str(counts.content)
        assert "Sample deleted · u undoes" in notices(app)
        assert "Press again to delete this sample" not in notices(app)  # it was answered
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)
    assert {(s.id, s.label) for s in _stored(tuipad_home)} == {(ids[0], 7), (ids[2], 4)}


async def test_browse_a_relabel_between_two_deletes_asks_again(app_factory, tuipad_home) -> None:
    """The first press asked about the sample as it was: relabelled, it is asked about again."""
    _fill(tuipad_home, [7])
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("d", "4")
        await pilot.pause()
        assert "Press again to delete this sample" not in notices(app)  # taken down
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1
        assert notices(app)[-1] == "Press again to delete this sample"
    assert [s.label for s in _stored(tuipad_home)] == [4]


async def test_browse_brings_back_deleted_samples_last_first(app_factory, tuipad_home) -> None:
    _fill(tuipad_home, [7, 1])
    before = {(s.label, s.created) for s in _stored(tuipad_home)}
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen, table = app.screen, app.screen.query_one(DataTable)
        assert screen.check_action("delete", ()) and not screen.check_action("undo", ())
        await pilot.press("delete", "delete", "delete", "delete")  # the 1, then the 7
        await pilot.pause()
        assert table.row_count == 0 and _stored(tuipad_home) == []
        assert not screen.check_action("delete", ()) and not screen.check_action("relabel", (3,))
        await pilot.press("u")
        await pilot.pause()
        assert notices(app)[-1] == "Brought back the sample of a 7"
        assert [s.label for s in _stored(tuipad_home)] == [7] and table.display
        await pilot.press("u", "u")  # the second finds nothing left to bring back
        await pilot.pause()
        assert {(s.label, s.created) for s in _stored(tuipad_home)} == before
        assert table.row_count == 2 and app.focused is table
        assert not screen.check_action("undo", ())


async def test_browse_deleting_a_sample_deleted_elsewhere_says_so_and_offers_no_undo(
    app_factory, tuipad_home
) -> None:
    ids = _fill(tuipad_home, [7, 1])
    app = app_factory()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen, table = app.screen, app.screen.query_one(DataTable)
        with SampleStore.open(tuipad_home / "samples.sqlite3") as store:  # another tuipad
            store.delete(int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        await pilot.press("delete", "delete")
        await pilot.pause()
        assert notices(app)[-1] == "That sample is gone (deleted elsewhere)"
        assert not screen.check_action("undo", ())
        assert table.row_count == 1 and len(_stored(tuipad_home)) == 1 and len(ids) == 2


async def test_browse_without_samples_shows_no_empty_table(app_factory, tuipad_home) -> None:
    _fill(tuipad_home, [7])
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        table, empty = screen.query_one(DataTable), screen.query_one("#browse-empty", Static)
        assert table.display and not empty.display and app.focused is table
        await pilot.press("delete", "delete")
        await pilot.pause()
        assert not table.display and empty.display
        assert str(empty.content).startswith("No personal samples yet.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen)


async def test_browse_shows_the_escapes_a_row_holds_as_text(app_factory, tuipad_home) -> None:
    """A row written by hand, or imported before fields were checked: nothing is sent to
    the terminal as an escape sequence, or read as markup."""
    [sample_id] = _fill(tuipad_home, [7])
    with sqlite3.connect(tuipad_home / "samples.sqlite3") as connection:
        connection.execute(
            "UPDATE samples SET created = ?, predicted = 1, answered_by = ? WHERE id = ?",
            ("\x1b[2J\x1b[31mRED", "[b]x\x07", sample_id),
        )
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert [str(cell) for cell in row[2:]] == [
            "\\x1b[2J\\x1b[31mRED",
            "teach",
            "1 ([b]x\\x07)",
        ]


async def test_browse_relabelling_to_the_same_digit_changes_nothing(
    app_factory, tuipad_home
) -> None:
    _fill(tuipad_home, [3])
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert "Already labelled 3" in notices(app)
        assert not any(notice.startswith("Relabelled") for notice in notices(app))


async def test_browse_warns_when_a_relabel_goes_against_a_sure_reading(
    app_factory, tuipad_home
) -> None:
    sure = [0.0] * 10
    sure[0], sure[6] = 0.98, 0.02
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        store.add(SEVEN, 0, source="teach", answered_by="default", predicted=0, scores=sure)
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert notices(app)[-1] == "Relabelled as a 5, though it reads as a 0 (98%)"
        await pilot.press("6")  # the reading kept with the drawing is still a sure 0
        await pilot.pause()
        assert notices(app)[-1] == "Relabelled as a 6, though it reads as a 0 (98%)"
        await pilot.press("0")
        await pilot.pause()
        assert notices(app)[-1] == "Relabelled as a 0"


# --------------------------------------------------------------------------- retraining


@pytest.fixture
def small_recipe(monkeypatch: pytest.MonkeyPatch):
    """A sliver of the scans and pen digits keeps the retrain to seconds; the path is real.

    Returns the full pen digits, to take one writer's samples from.
    """
    from tuipad.core import datasets

    X, y = datasets.load_scans()
    pen = datasets.load_pen_digits()
    small_pen = pen.subset(range(0, len(pen), 25))
    monkeypatch.setattr(datasets, "load_scans", lambda: (X[:500], y[:500]))
    monkeypatch.setattr(datasets, "load_pen_digits", lambda: small_pen)
    return pen


def _writer_samples(tuipad_home, pen, count: int = 30) -> None:
    import numpy as np

    from tuipad.core import pen_rendering

    names, counts = np.unique(pen.writers, return_counts=True)
    writer = names[np.argmax(counts >= count)]
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        for index in np.flatnonzero(pen.writers == writer)[:count]:
            drawing = pen_rendering.replay(pen.strokes(int(index)), rows=12, mode="cells")
            store.add(drawing, int(pen.labels[index]), source="teach")


async def click_retrain(pilot) -> None:
    """Click Retrain once its last press has shown: a click during that is ignored."""
    button = pilot.app.screen.query_one("#retrain")
    for _ in range(100):
        if not button.has_class("-active"):
            break
        await pilot.pause(0.05)
    await pilot.click("#retrain")


async def test_retrain_with_my_samples_switches_the_sketchpad_without_blocking_it(
    app_factory, tuipad_home, small_recipe, monkeypatch
) -> None:
    import threading

    from tuipad.core import adaptation
    from tuipad.store import registry as model

    _writer_samples(tuipad_home, small_recipe)
    release = held(monkeypatch, adaptation, "adapt")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)  # the samples are counted in a worker
        assert "your 30 samples" in str(app.screen.query_one("#personal-count", Static).content)
        await pilot.click("#retrain")
        await pilot.pause()
        assert app.screen.training
        # While the worker runs, the sketchpad still answers.
        await pilot.press("escape")
        await pilot.pause()
        await load_drawing(pilot, SEVEN)
        assert app.screen.query_one(ScorePanel).prediction is not None
        assert app.model.name == "fixture"
        release.set()
        await settle(pilot)
        await pilot.pause()
        assert app.model.name.startswith("personal-")
        assert app.screen.model is app.model  # the sketchpad reads with it at once
        assert model.active_name(tuipad_home) == app.model.name
        await pilot.press("t")
        await settle(pilot)
        stage = str(app.screen.query_one("#stage", Static).content)
        assert "now the active model" in stage and "held-back samples" in stage
        offer = str(app.screen.query_one("#personal-count", Static).content)
        assert offer == f"{app.model.name}, active, is adapted to your 30 samples already"
        await click_retrain(pilot)  # the same samples again: the same model, not a second
        await settle(pilot)
        assert not app.screen.training
        assert "already adapted to your 30 samples" in str(
            app.screen.query_one("#stage", Static).content
        )
        # That check reads every sample: the retrain's worker makes it, not the UI thread.
        from tuipad import services

        on_main_thread, adapted_active = [], services.adapted_active

        def recorded(*args):
            on_main_thread.append(threading.current_thread() is threading.main_thread())
            return adapted_active(*args)

        monkeypatch.setattr(services, "adapted_active", recorded)
        await click_retrain(pilot)
        await settle(pilot)
        assert on_main_thread and not any(on_main_thread)
        assert "already adapted to your 30 samples" in str(
            app.screen.query_one("#stage", Static).content
        )
        # A sample added since (by another shell, say) is adapted to, not taken as seen.
        adapted = app.model.name
        _writer_samples(tuipad_home, small_recipe, 1)
        await click_retrain(pilot)
        await settle(pilot)
        assert app.model.name not in (adapted, "fixture")
        assert "your 31 samples" in str(app.screen.query_one("#stage", Static).content)


async def test_retrain_can_be_cancelled_and_keeps_the_model(
    app_factory, tuipad_home, small_recipe, monkeypatch
) -> None:

    from tuipad.core import adaptation
    from tuipad.store import registry as model

    _writer_samples(tuipad_home, small_recipe, 5)
    release = held(monkeypatch, adaptation, "adapt")
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.click("#retrain")
        await pilot.pause()
        await pilot.press("ctrl+c")
        release.set()
        await settle(pilot)
        assert not app.screen.training and app.model.name == "fixture"
        assert "cancelled" in str(app.screen.query_one("#stage", Static).content)
    assert model.active_name(tuipad_home) in (None, "default")


async def test_retrain_without_samples_says_so(app_factory, tuipad_home) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.click("#retrain")
        await settle(pilot)
        assert not app.screen.training
        assert any("No personal samples" in n.message for n in app._notifications)


async def test_fewer_that_drops_the_digit_on_screen_clears_its_drawing(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _teach(pilot)
        # Two 5s of three drawn and the third on screen; one of every other digit drawn.
        screen.teach_round = TeachRound(3, (5, *(d for d in range(10) if d != 5 for _ in range(2))))
        await load_drawing(pilot, SEVEN)
        await pilot.press("minus")
        await pilot.pause()
        assert screen.teach_round.per_digit == 2 and screen.teach_round.current != 5
        assert not screen.query_one(DrawingCanvas).strokes  # not saved as the next digit


async def test_browse_says_whole_why_the_samples_cannot_be_read(app_factory, damaged_store) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        counts = app.screen.query_one("#browse-counts", Static)
        said = str(counts.content)
        assert said.startswith("Your samples cannot be read: ") and said.endswith("new one")
        assert counts.size.height > 1  # wrapped, not cut at the screen's edge
        assert not app.screen.query_one(DataTable).display  # no column header over nothing
        assert not app.screen.check_action("delete", ())
