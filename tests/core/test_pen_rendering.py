"""Distorting pen digits: changing how a digit's height is shared out."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.pen_rendering import Rendering, _distort, _share_height

NINE = [
    np.array([[4.0, 2.0], [1.0, 0.0], [0.0, 3.0], [3.0, 4.0], [4.0, 2.0], [4.0, 10.0]]),
]
"""A 9: a loop at the top, a straight tail down (y downwards)."""


@given(st.floats(0.3, 3.0))
def test_sharing_the_height_keeps_the_ends_the_columns_and_the_order(power) -> None:
    (shared,) = _share_height(NINE, power)
    assert np.array_equal(shared[:, 0], NINE[0][:, 0])
    assert shared[:, 1].min() == 0.0 and np.isclose(shared[:, 1].max(), 10.0)
    assert np.array_equal(
        np.argsort(shared[:, 1], kind="stable"), np.argsort(NINE[0][:, 1], kind="stable")
    )


def test_a_power_over_one_gives_the_loop_less_of_the_height() -> None:
    (smaller,) = _share_height(NINE, 2.0)
    (larger,) = _share_height(NINE, 0.5)
    loop_bottom = 4  # the loop's lowest point, at y = 4 of 10
    assert smaller[:, 1].max() == larger[:, 1].max()
    assert smaller[3, 1] < NINE[0][3, 1] < larger[3, 1] and NINE[0][3, 1] == loop_bottom


def test_no_change_of_proportions_draws_no_random_number() -> None:
    """So the pen digits' renderings, and the shipped model, stay as they were."""
    after: dict[float | None, float] = {}
    for proportions in (None, 0.0, 0.7):
        rng = np.random.default_rng(7)
        rendering = Rendering() if proportions is None else Rendering(proportions=proportions)
        _distort([stroke.copy() for stroke in NINE], rng, rendering)
        after[proportions] = rng.random()
    assert after[None] == after[0.0] != after[0.7]


def test_a_pen_digit_as_written_starts_on_a_cells_edge_and_its_copies_anywhere(
    monkeypatch,
) -> None:
    """replay.py puts a digit's top on a cell's edge, which in whole cells leaves its strokes
    half a row high in its box; a hand-drawn digit starts anywhere in a cell."""
    from tuipad.core import datasets, pen_rendering

    placed: list[tuple[float, float]] = []
    replay = pen_rendering.replay

    def recorded(strokes, **where):
        placed.append((where["left"], where["top"]))
        return replay(strokes, **where)

    monkeypatch.setattr(pen_rendering, "replay", recorded)
    digits = datasets.load_pen_digits().slice(0, 3)
    pen_rendering.render_pen_digits(digits, Rendering(copies=2), jobs=1)
    as_written, distorted = placed[0::2], placed[1::2]
    assert as_written == [(4.0, 2.0)] * 3
    assert all(left % 1 and top % 1 for left, top in distorted)
