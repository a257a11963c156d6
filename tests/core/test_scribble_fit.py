"""A scribble page brought back onto a smaller canvas, as the sketchpad's f does."""

from __future__ import annotations

from dataclasses import replace

from tuipad.core.scribble import Group, Page, TimedStroke
from tuipad.core.scribble_fit import fit_page, page_on_canvas, reads_alike


def digit(column: int, top: int, label: int, start: float) -> Group:
    """A read digit: an upright stroke eight rows tall."""
    points = ((float(column), float(top)), (float(column), top + 8.0))
    stroke = TimedStroke(points, start, start + 1)
    return replace(Group.of([stroke]), label=label, scores=(0.1,) * 10)


TWELVE = Page((digit(60, 30, 1, 0.0), digit(63, 30, 2, 2.0)))
"""A 12 written low and right on a 120x40 page: off an 80x24 canvas."""


def test_a_page_off_the_canvas_is_moved_onto_it_digits_and_numbers_kept() -> None:
    assert not page_on_canvas(TWELVE, 80, 21)
    fitted = fit_page(TWELVE, 80, 21)
    assert page_on_canvas(fitted, 80, 21)
    assert [n.text for n in fitted.numbers] == ["12"]
    one, two = fitted.groups
    assert two.bbox.left - one.bbox.left == 3  # moved by whole cells, together
    assert [(g.label, g.scores, g.strokes[0].start) for g in fitted.groups] == [
        (g.label, g.scores, g.strokes[0].start) for g in TWELVE.groups
    ]


def test_a_page_taller_than_the_canvas_is_shrunk_onto_it() -> None:
    fitted = fit_page(TWELVE, 80, 6)
    assert page_on_canvas(fitted, 80, 6)
    assert [g.label for g in fitted.groups] == [1, 2]
    assert all(g.bbox.height < 8 for g in fitted.groups)


def test_a_page_on_the_canvas_stays_as_it_is() -> None:
    assert fit_page(TWELVE, 120, 40) == TWELVE


def test_shrinking_that_would_run_numbers_together_is_told_apart() -> None:
    # "12", "34" and "5" with gaps of 12 to 16 cells: shrunk onto 8 rows, the
    # digits keep whole cells while the gaps shrink, and the numbers would join.
    page = Page(
        (
            digit(2, 2, 1, 0.0),
            digit(5, 2, 2, 1.0),
            digit(21, 2, 3, 2.0),
            digit(24, 2, 4, 3.0),
            digit(40, 30, 5, 4.0),
        )
    )
    assert reads_alike(page, fit_page(page, 80, 21))
    assert [n.text for n in fit_page(page, 80, 8).numbers] != ["12", "34", "5"]
    assert not reads_alike(page, fit_page(page, 80, 8))
