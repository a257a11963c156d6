"""Other writers' styles drawn onto pen digits: continental 1s, curled 9s, looped 2s."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core import datasets
from tuipad.core.pen_rendering import Rendering, render_pen_digits
from tuipad.core.pen_styles import curled_tail, looped_base, restyle, up_stroke

ONE = [np.array([[5.0, 0.0], [5.0, 5.0], [5.0, 10.0]])]
"""A 1 written from its top down (y downwards)."""

NINE = [np.array([[4.0, 2.0], [1.0, 0.0], [0.0, 3.0], [3.0, 4.0], [4.0, 2.0], [4.0, 10.0]])]
"""A 9: a loop at the top, a straight tail down to the bottom."""

TWO = [
    np.array(
        [[0.0, 1.0], [3.0, 0.0], [5.0, 2.0], [3.0, 6.0], [0.0, 10.0], [3.0, 10.0], [6.0, 10.0]]
    )
]
"""A 2: a curve, a diagonal down to the lower left corner, a base to the right."""

seeds = st.integers(0, 2**32 - 1)


@given(seeds)
def test_a_one_gets_an_up_stroke_from_lower_left_into_its_top(seed) -> None:
    (styled,) = up_stroke([stroke.copy() for stroke in ONE], np.random.default_rng(seed))
    foot = styled[0]
    assert foot[0] < ONE[0][0, 0] and 0 < foot[1] < ONE[0][-1, 1]
    assert np.array_equal(styled[-len(ONE[0]) :], ONE[0])
    # The new stroke climbs all the way: the top stays where it was.
    assert styled[:, 1].min() == ONE[0][:, 1].min()


def test_a_one_begun_at_its_foot_is_left_as_it_is() -> None:
    upwards = [ONE[0][::-1].copy()]
    assert up_stroke(upwards, np.random.default_rng(0)) is upwards


@given(seeds)
def test_a_nine_gets_a_tail_that_curls_left_at_the_bottom(seed) -> None:
    (styled,) = curled_tail([stroke.copy() for stroke in NINE], np.random.default_rng(seed))
    curl = styled[len(NINE[0]) :]
    end = NINE[0][-1]
    assert len(curl) > 0 and (curl[:, 0] < end[0]).all()
    assert curl[-1, 1] < curl[:, 1].max()  # it turns back up, not on down
    assert np.array_equal(styled[: len(NINE[0])], NINE[0])


def test_a_nine_whose_pen_ends_high_up_is_left_as_it_is() -> None:
    ends_high = [NINE[0][::-1].copy()]
    assert curled_tail(ends_high, np.random.default_rng(0)) is ends_high


@given(seeds)
def test_a_two_gets_a_loop_at_its_lower_left_corner(seed) -> None:
    (styled,) = looped_base([stroke.copy() for stroke in TWO], np.random.default_rng(seed))
    corner = TWO[0][4]
    loop = styled[5 : len(styled) - 2]
    assert len(styled) > len(TWO[0])
    assert np.allclose(loop[-1], corner, atol=1e-9)  # it closes where it began
    assert loop[:, 1].min() < corner[1] and loop[:, 0].min() < corner[0]


def test_a_stroke_without_a_lower_left_corner_is_left_as_it_is() -> None:
    assert looped_base(ONE, np.random.default_rng(0)) is ONE
    straight = [np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 10.0]])]
    assert looped_base(straight, np.random.default_rng(0)) is straight


def test_digits_without_a_style_and_a_zero_share_draw_no_random_number() -> None:
    """So personal samples' renderings, made without styles, stay as they were."""
    for label, share in ((4, 0.5), (1, 0.0)):
        rng = np.random.default_rng(3)
        assert restyle(ONE, label, rng, share) is ONE
        assert rng.random() == np.random.default_rng(3).random()


def test_about_the_share_asked_for_is_restyled() -> None:
    rng = np.random.default_rng(0)
    changed = sum(len(restyle(ONE, 1, rng, 0.5)[0]) > len(ONE[0]) for _ in range(400))
    assert 150 < changed < 250


def test_styles_change_only_the_distorted_copies_of_ones_nines_and_twos() -> None:
    pen = datasets.load_pen_digits().slice(0, 120)
    plain, y, _ = render_pen_digits(pen, Rendering(styles=0.0), jobs=1)
    styled, _, _ = render_pen_digits(pen, Rendering(styles=1.0), jobs=1)
    changed = (plain != styled).any(axis=1)
    assert not changed[::2].any()  # each digit's first rendering is as written
    assert set(y[changed]) <= {1, 2, 9} and changed.any()
