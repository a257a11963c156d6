"""Doubt shown in words: the panel's answer line and scribble mode's unsure digits."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from pilot_steps import load_drawing, settle

from tuipad.core.recognise import Prediction
from tuipad.core.scribble import Group, Page, TimedStroke
from tuipad.ui.app import make_app
from tuipad.ui.screens.scribble_view import page_info, page_overlay
from tuipad.ui.widgets.scribble_canvas import LABEL, UNSURE, ScribbleCanvas


def scores(**by_digit: float) -> tuple[float, ...]:
    values = [0.0] * 10
    for name, value in by_digit.items():
        values[int(name[1:])] = value
    return tuple(values)


def test_the_answer_line_says_unsure_and_names_the_contenders() -> None:
    grid = np.zeros((8, 8), dtype=int)
    unsure = Prediction(3, scores(d3=0.52, d9=0.4, d5=0.08), grid)
    sure = Prediction(7, scores(d7=0.97, d1=0.03), grid)
    assert unsure.answer == "Unsure: 3 or 9? · 52%"
    assert sure.answer == "Prediction 7 · 97%"


def test_doubt_is_judged_on_the_percentages_shown() -> None:
    grid = np.zeros((8, 8), dtype=int)
    # 69.89% is shown as 70%, the least a sure answer shows, so it is one.
    assert Prediction(6, scores(d6=0.6989, d5=0.3011), grid).answer == "Prediction 6 · 70%"
    # A 14.76% bar is shown as 15%, the least a contender shows, so it is named.
    named = Prediction(6, scores(d6=0.55, d5=0.3024, d8=0.1476), grid)
    assert named.answer == "Unsure: 6, 5 or 8? · 55%"
    assert Prediction(6, scores(d6=0.6949, d5=0.3051), grid).answer.startswith("Unsure: 6 or 5?")


def digit_at(left: int, label: int, digit_scores: tuple[float, ...]) -> Group:
    points = tuple((float(left), float(y)) for y in range(2, 8))
    group = Group.of([TimedStroke(points, 0.0, 0.2)])
    return replace(group, label=label, scores=digit_scores)


def test_scribble_marks_the_unsure_digit_and_says_which_to_check() -> None:
    sure = digit_at(2, 1, scores(d1=0.98, d7=0.02))
    unsure = digit_at(5, 3, scores(d3=0.55, d9=0.45))
    page = Page((sure, unsure))
    overlay = page_overlay(page, settled_at=10.0, selected=None, size=(80, 20))
    under = {cell: value for cell, value in overlay.items() if value[0] in "13"}
    assert sorted(value for value in under.values()) == [("1", LABEL), ("3", UNSURE)]
    assert page_info(page, 10.0, None) == "read: 13  · unsure: 3 or 9? (underlined)"
    assert page_info(page, 10.0, 1).endswith("unsure: 3 or 9? · 3 55% · 9 45% · 0 0%")


def test_a_digits_scores_show_every_digit_its_doubt_names() -> None:
    split = replace(
        digit_at(5, 8, scores(d8=0.58, d9=0.16, d0=0.12, d3=0.04, d1=0.1)), split=(3, 8)
    )
    assert page_info(Page((split,)), 10.0, 0).endswith(
        "unsure: 8, 9 or 3? · 8 58% · 9 16% · 3 4%"  # 3, a part's reading, shown before 0
    )


def test_a_relabelled_digit_is_no_longer_unsure() -> None:
    unsure = replace(digit_at(5, 3, scores(d3=0.55, d9=0.45)), corrected=True)
    assert "unsure" not in page_info(Page((unsure,)), 10.0, None)


def test_scribble_marks_a_tap_or_a_dash_however_sure_the_scores() -> None:
    tall = digit_at(2, 1, scores(d1=0.98, d7=0.02))
    dash = Group.of([TimedStroke(((8.0, 5.0), (16.0, 5.0)), 0.0, 0.2)])
    page = Page((tall, replace(dash, label=1, scores=scores(d1=0.95, d7=0.05))))
    overlay = page_overlay(page, settled_at=10.0, selected=None, size=(80, 20))
    assert sorted(value for value in overlay.values() if value[0] == "1") == [
        ("1", LABEL),
        ("1", UNSURE),
    ]
    assert page_info(page, 10.0, None).endswith("· unsure: 1? (underlined)")
    assert "unsure: 1? (too flat) · 1 95%" in page_info(page, 10.0, 1)


def test_scribble_reads_a_dot_between_digits_as_a_point_not_an_unsure_digit() -> None:
    three = digit_at(2, 3, scores(d3=0.98, d8=0.02))
    five = digit_at(8, 5, scores(d5=0.97, d6=0.03))
    tap = Group.of([TimedStroke(((5.0, 7.0),), 0.0, 0.1)])
    page = Page((three, replace(tap, label=1, scores=scores(d1=0.9, d7=0.1)), five))
    overlay = page_overlay(page, settled_at=10.0, selected=None, size=(80, 20))
    assert sorted(value for value in overlay.values() if value[0] in "35.") == [
        (".", LABEL),
        ("3", LABEL),
        ("5", LABEL),
    ]
    assert page_info(page, 10.0, None) == "read: 3.5"
    assert (
        page_info(page, 10.0, 1) == "3.5 · a decimal point, not a digit (a digit key makes it one)"
    )
    assert page_info(page, 10.0, 2).startswith("3.5 · digit 2 of 2: ")


async def test_a_tap_or_a_dash_is_shown_as_doubt_with_the_reason(app_factory) -> None:
    from textual.widgets import Digits

    from tuipad.ui.widgets.score_panel import ScorePanel

    app = app_factory()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for strokes, reason in (([[(12, 8)]], "too small"), ([[(4, 8), (20, 8)]], "too flat")):
            await load_drawing(pilot, strokes)
            panel = app.screen.query_one(ScorePanel)
            assert panel.text.startswith("Unsure: ") and panel.text.endswith(f", {reason}")
            assert panel.query_one("#digit", Digits).has_class("-unsure")
        await load_drawing(pilot, [[(8, 2), (8, 14)]])
        assert panel.text.startswith("Prediction ")


async def test_a_long_answer_line_wraps_rather_than_losing_its_reason(app_factory) -> None:
    from textual.widgets import Static

    from tuipad.ui.widgets.score_panel import ScorePanel

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(ScorePanel)
        grid = np.zeros((8, 8), dtype=int)
        panel.show(Prediction(4, scores(d4=0.5, d6=0.4, d1=0.1), grid, "too small"))
        await pilot.pause()
        line = panel.query_one("#prediction", Static)
        assert len(panel.text) > line.size.width  # "Unsure: 4 or 6? · 50%, too small"
        shown = [line.render_line(y).text.strip() for y in range(line.size.height)]
        assert " ".join(shown) == panel.text


def test_scribble_underlines_a_digit_small_beside_the_others_however_sure() -> None:
    one = digit_at(2, 1, scores(d1=0.98, d7=0.02))  # rows 2..7
    comma = Group.of([TimedStroke(((5.0, 5.0), (5.0, 6.0), (4.0, 7.0)), 0.0, 0.1)])  # 3 rows
    two = digit_at(8, 2, scores(d2=0.97, d3=0.03))
    page = Page((one, replace(comma, label=1, scores=scores(d1=0.95, d7=0.05)), two))
    overlay = page_overlay(page, settled_at=10.0, selected=None, size=(80, 20))
    assert sorted(value for value in overlay.values() if value[0] in "12") == [
        ("1", LABEL),
        ("1", UNSURE),
        ("2", LABEL),
    ]
    assert page_info(page, 10.0, None) == "read: 112  · unsure: 1? (underlined)"
    assert "unsure: 1? (small beside the other digits) · 1 95%" in page_info(page, 10.0, 1)


async def test_the_answer_says_when_a_stray_tap_was_left_out(app_factory) -> None:
    from textual.widgets import Static

    from tuipad.ui.widgets.score_panel import ScorePanel

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await load_drawing(pilot, [[(8, 5), (8, 17)], [(14, 2)]])  # a 1, a tap above right
        panel = app.screen.query_one(ScorePanel)
        assert panel.text.endswith(", 1 stray mark left out")
        line = panel.query_one("#prediction", Static)
        shown = [line.render_line(y).text.strip() for y in range(line.size.height)]
        assert " ".join(shown) == panel.text  # all of it, wrapped at 80 columns


async def test_scribble_paints_an_unsure_digits_label_underlined(fixture_model) -> None:
    app = make_app(model_loader=lambda progress: fixture_model, scribble=True, pause=0.2)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        canvas = app.screen.query_one(ScribbleCanvas)
        canvas.set_overlay({(4, 2): ("8", UNSURE), (6, 2): ("5", LABEL)})
        painted = {s.text: s.style for s in canvas.render_cells(2, 0, canvas.size.width)}
        assert painted["8"].underline and painted["8"].bold  # as the status line says
        assert painted["5"].bold and not painted["5"].underline
