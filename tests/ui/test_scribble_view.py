"""Where scribble mode puts frames and labels at the canvas's edges (pure functions)."""

from __future__ import annotations

from dataclasses import replace

from tuipad.core.scribble import Group, Page, TimedStroke
from tuipad.ui.screens.scribble_view import page_overlay

WIDTH, HEIGHT = 40, 12
"""A small canvas, so digits reach its edges."""


def upright(column: float, top: float, bottom: float, label: int = 1) -> Group:
    """A read 1: one upright stroke from row ``top`` down to row ``bottom``."""
    stroke = TimedStroke(((column, top), (column, bottom)), 0.0, 0.2)
    return replace(Group.of([stroke]), label=label)


def chars(page: Page, char: str) -> list[tuple[int, int]]:
    """The cells of the canvas where the page's overlay shows ``char``."""
    overlay = page_overlay(page, settled_at=10.0, selected=None, size=(WIDTH, HEIGHT))
    return sorted(
        (x, y)
        for (x, y), (shown, _) in overlay.items()
        if shown == char and 0 <= x < WIDTH and 0 <= y < HEIGHT
    )


def test_a_digit_in_a_corner_is_framed_on_the_canvas_edges() -> None:
    page = Page((upright(0, 0, 4),))
    assert chars(page, "┌") == [(0, 0)]
    assert chars(page, "┘") == [(1, 5)]  # the right and bottom lines: just outside the ink
    assert chars(page, "1") == [(0, 6)]  # under the frame, as anywhere on the page


def test_a_number_on_the_last_row_has_its_label_over_its_frame() -> None:
    page = Page((upright(5, 6, HEIGHT - 1),))
    assert chars(page, "└") == [(4, HEIGHT - 1)]
    assert chars(page, "┌") == [(4, 5)]
    assert chars(page, "1") == [(5, 4)]


def test_a_number_as_tall_as_the_page_has_its_label_on_its_frame() -> None:
    page = Page((upright(5, 0, HEIGHT - 1),))
    assert chars(page, "1") == [(5, 0)]


def test_a_digit_cut_off_by_the_edge_keeps_its_frame_open_there() -> None:
    # Its ink goes on past the canvas: a bottom line would say all of it shows.
    page = Page((upright(5, 4, HEIGHT + 3),))
    assert chars(page, "└") == []
    assert chars(page, "1") == [(5, 2)]  # the label shows, over the frame


def test_tab_goes_through_the_digits_line_by_line() -> None:
    from tuipad.ui.screens.scribble_view import next_selection

    # Written in this order: 3 (below), 1 (above), 4 (below), 2 (above).
    page = Page(
        (upright(10, 12, 17, 3), upright(10, 2, 7, 1), upright(14, 12, 17, 4), upright(14, 2, 7, 2))
    )
    seen, selected = [], None
    for _ in range(4):
        selected = next_selection(page, selected, 1)
        seen.append(page.groups[selected].label)
    assert seen == [1, 2, 3, 4]
    assert page.groups[next_selection(page, None, -1)].label == 4


def test_a_label_does_not_land_on_the_frames_of_a_line_a_row_below() -> None:
    above, below = upright(5, 2, 6, 1), upright(5, 9, 13, 2)  # frames on rows 1-7 and 8-14
    overlay = page_overlay(Page((above, below)), settled_at=10.0, selected=None, size=(40, 20))
    labels = {char: y for (x, y), (char, _) in overlay.items() if char in "12"}
    assert labels == {"1": 0, "2": 15}  # over its own frame, and under its own
    overlay = page_overlay(Page((above, below)), settled_at=10.0, selected=None, size=(40, 15))
    labels = {char: y for (x, y), (char, _) in overlay.items() if char in "12"}
    assert labels == {"1": 0, "2": 8}  # no row under, the one over is taken: its own top line


def test_frames_a_column_apart_share_their_line() -> None:
    # Ink on columns 5 and 7: both frames run down column 6.
    page = Page((upright(5, 2, 6, 1), upright(7, 2, 6, 2)))
    assert chars(page, "┬") == [(6, 1)]
    assert chars(page, "┴") == [(6, 7)]
    assert chars(page, "┐") == [(8, 1)] and chars(page, "┌") == [(4, 1)]
    assert [y for x, y in chars(page, "│") if x == 6] == [2, 3, 4, 5, 6]


def test_frames_of_unlike_heights_join_where_their_corners_meet_a_side() -> None:
    page = Page((upright(5, 2, 6, 1), upright(7, 4, 8, 2)))
    assert chars(page, "┐") == [(6, 1), (8, 3)]  # the first's corner, above the second
    assert chars(page, "├") == [(6, 3)]  # the second's top joins the first's side
    assert chars(page, "┤") == [(6, 7)]  # the first's bottom joins the second's side
    assert chars(page, "└") == [(4, 7), (6, 9)]


def test_the_selected_frame_keeps_its_style_where_frames_meet() -> None:
    from tuipad.ui.widgets.scribble_canvas import SELECTED

    page = Page((upright(5, 2, 6, 1), upright(7, 2, 6, 2)))
    for selected in (0, 1):
        overlay = page_overlay(page, settled_at=10.0, selected=selected, size=(WIDTH, HEIGHT))
        assert overlay[(6, 1)] == ("┬", SELECTED)
