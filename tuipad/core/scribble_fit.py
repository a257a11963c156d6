"""A scribble page brought back onto a canvas that no longer shows all of it.

Strokes keep the cells they were written in, so a page written on a larger
terminal can reach past the canvas once the terminal shrinks.  The page is
moved as one drawing, with the sketchpad's fit
(:func:`~tuipad.core.geometry.fit_on_canvas`): its digits keep their places
relative to each other and their labels, as recognition normalises size and
position.  Shrunk onto a much smaller canvas, digits keep whole cells while the
gaps between numbers shrink, so numbers can run together: :func:`reads_alike`
tells the caller, which keeps the page as it is then.
"""

from __future__ import annotations

from dataclasses import replace

from tuipad.core.geometry import fit_on_canvas, fitted_note, on_canvas
from tuipad.core.scribble import Group, Page


def page_on_canvas(page: Page, columns: int, rows: int) -> bool:
    """Whether all of the page lies on a canvas of ``columns`` x ``rows`` cells."""
    return on_canvas(page.strokes, columns, rows)


def fit_page(page: Page, columns: int, rows: int) -> Page:
    """The page moved, and shrunk if it must be, so that all of it lies on the canvas.

    Args:
        page: The page.
        columns: Width of the canvas in cells.
        rows: Height of the canvas in rows.

    Returns:
        The page on the canvas, each digit with its strokes' times, label and scores
        (the page as it is when it is all on the canvas already).
    """
    # fit_on_canvas keeps the strokes in order: page.strokes lists them digit by digit.
    fitted = iter(fit_on_canvas(page.strokes, columns, rows))
    groups = []
    for group in page.groups:
        strokes = tuple(replace(stroke, points=next(fitted)) for stroke in group.strokes)
        groups.append(replace(group, strokes=strokes, bbox=Group.of(strokes).bbox))
    return Page(tuple(groups))


def reads_alike(page: Page, fitted: Page) -> bool:
    """Whether a fitted page still reads as the same numbers, digit for digit."""
    return [n.text for n in page.numbers] == [n.text for n in fitted.numbers]


def opened_onto(page: Page, columns: int, rows: int) -> tuple[Page, str | None]:
    """A page opened onto a canvas: fitted if it reaches past it and still reads the same.

    Returns:
        The page, and what fitting did to it in a few words (``None`` if not fitted).
    """
    if not (columns and rows) or page_on_canvas(page, columns, rows):
        return page, None
    fitted = fit_page(page, columns, rows)
    if not reads_alike(page, fitted):
        return page, None
    return fitted, fitted_note(page.strokes, fitted.strokes)
