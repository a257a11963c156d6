"""Other writers' ways of making a digit, drawn onto pen digits that lack them.

Writers of one collection share habits that writers elsewhere do not: a model
trained only on UNIPEN reads many of UCI pendigits' 9s as 3 (their tails curl
to the left) and many of their 1s as 7 or 4 (an up-stroke leads into the
top).  Distorting a digit a little does not make these styles; they are
changes of what the pen does at one place, so each is drawn onto the
trajectory of the digits it belongs to:

- a 1 begun at its top gets a straight up-stroke from lower left into it
  (the continental 1);
- a 9 whose last stroke ends at the bottom gets a tail that curls to the left;
- a 2 with a stroke that turns at its lower left corner gets a small loop there.

Strokes are in pen units, y downwards.  A digit not written the way its change
expects is returned as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Strokes = list[np.ndarray]


def _bounds(strokes: Strokes) -> tuple[float, float, float]:
    """The leftmost x, the top y and the height (1 if there is none) of the strokes."""
    points = np.concatenate(strokes)
    left, top = points.min(axis=0)
    return float(left), float(top), float(np.ptp(points[:, 1])) or 1.0


def up_stroke(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 1 led into from lower left by a straight up-stroke, if it starts at its top."""
    _, top, height = _bounds(strokes)
    first = strokes[0]
    start = first[0]
    if start[1] - top > 0.25 * height:
        return strokes
    length = rng.uniform(0.2, 0.5) * height
    below = math.radians(rng.uniform(25, 60))
    foot = start + length * np.array([-math.cos(below), math.sin(below)])
    lead = np.linspace(foot, start, max(3, int(len(first) * 0.4)))[:-1]
    return [np.vstack([lead, first]), *strokes[1:]]


def curled_tail(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 9 whose tail curls to the left, if its last stroke ends at the bottom."""
    _, top, height = _bounds(strokes)
    last = strokes[-1]
    end = last[-1]
    if top + height - end[1] > 0.25 * height:
        return strokes
    radius = rng.uniform(0.08, 0.3) * height
    turn = math.radians(rng.uniform(120, 210))
    centre = end - np.array([radius, 0.0])
    angles = np.linspace(0, turn, 12)[1:]
    curl = centre + radius * np.column_stack((np.cos(angles), np.sin(angles)))
    return [*strokes[:-1], np.vstack([last, curl])]


def looped_base(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 2 with a loop at its lower left corner, if a stroke turns there."""
    left, top, height = _bounds(strokes)
    for number, stroke in enumerate(strokes):
        if len(stroke) < 5:
            continue
        corner = int(np.argmax((stroke[:, 1] - top) - (stroke[:, 0] - left)))
        if corner in (0, len(stroke) - 1) or stroke[corner, 1] - top < 0.7 * height:
            continue
        radius = rng.uniform(0.06, 0.25) * height
        centre = stroke[corner] - np.array([0.0, radius])
        angles = np.linspace(0, 2 * math.pi, 16)[1:]
        # Leftwards and up first: the way a loop is drawn there.
        loop = centre + radius * np.column_stack((-np.sin(angles), np.cos(angles)))
        looped = np.vstack([stroke[: corner + 1], loop, stroke[corner + 1 :]])
        return [*strokes[:number], looped, *strokes[number + 1 :]]
    return strokes


STYLES: dict[int, Callable[[Strokes, np.random.Generator], Strokes]] = {
    1: up_stroke,
    9: curled_tail,
    2: looped_base,
}
"""The style drawn onto each digit that has one."""


def restyle(strokes: Strokes, label: int, rng: np.random.Generator, share: float) -> Strokes:
    """``strokes`` in another writer's style of ``label``, for a ``share`` of calls.

    Draws random numbers only for digits that have a style, and none when
    ``share`` is zero, so renderings made without styles stay the same.
    """
    change = STYLES.get(int(label))
    if change is None or share <= 0 or rng.uniform() >= share:
        return strokes
    return change([np.asarray(stroke, dtype=float) for stroke in strokes], rng)
