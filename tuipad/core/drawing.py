"""A drawing as strokes of pen positions, and the one check every drawing passes.

Positions are canvas cell coordinates (``x`` = column, ``y`` = row, origin
top-left); floats carry the sub-cell position of terminals that report
pixels.  The strokes keep the positions the terminal reported, because the
rasteriser interpolates and normalises them itself.

Whatever brings a drawing in (the canvas, a drawing or page file, a sample,
a JSON-lines file, the library API) checks it with :func:`checked_strokes`,
so one rule says what a drawing is: strokes of ``[x, y]`` pairs of real
numbers within :data:`MAX_COORDINATE`, at most :data:`MAX_STROKE_POINTS` a
stroke and :data:`MAX_DRAWING_POINTS` in all.  The limits keep the work of
reading a hostile file small; the live canvas does not go through them (the
rasteriser bounds its own work).  Pure Python, so the canvas can import it
before numpy.
"""

from __future__ import annotations

import json
import numbers
from collections.abc import Iterable
from typing import Any

Point = tuple[float, float]
"""A reported pen position in canvas cell coordinates."""

Stroke = tuple[Point, ...]
"""One pen-down stroke."""

Strokes = tuple[Stroke, ...]
"""A whole drawing; immutable so it can be compared and kept in history."""

Cell = tuple[int, int]
"""An integer ``(column, row)`` position on a grid (cells or pixels)."""

Number = int | float
"""A coordinate as given: files from cell-only terminals hold ints."""

CheckedPoint = tuple[Number, Number]
"""A position known to be two finite numbers, each kept as given (int or float)."""

CheckedStrokes = tuple[tuple[CheckedPoint, ...], ...]
"""A checked drawing without empty strokes, its numbers kept as given."""

MAX_COORDINATE = 1e6
"""Largest coordinate, in cells, either sign: far beyond any screen, and small
enough that differences and squares of coordinates stay exact enough in floats."""

MAX_STROKE_POINTS = 4_000
"""Most positions in one stroke: about 40 times the longest stroke of the 18,066
shipped pen digits replayed as mouse reports (110 positions)."""

MAX_DRAWING_POINTS = 10_000
"""Most positions in one drawing, all strokes together, as many as the canvas holds
(the longest pen digit replayed as mouse reports has 129)."""

_BEYOND_LIMIT = f"stroke positions must be finite numbers within ±{MAX_COORDINATE:,.0f}"

_NOT_A_LIST = (str, bytes, dict)
"""Iterables that are never a list of strokes or positions (a string iterates too)."""


class TooManyPositionsError(ValueError):
    """A drawing or a stroke has more positions than the limit; the message names it."""


def checked_number(value: Any) -> Number:
    """A coordinate as a plain ``int`` or ``float``, once it is known to be finite.

    Args:
        value: Any real number but a bool (numpy scalars included).

    Returns:
        ``value`` as a Python ``int`` if it is integral, else as a ``float``.

    Raises:
        ValueError: If it is not a real number, is a bool, or lies beyond
            :data:`MAX_COORDINATE` (NaN and infinities included).
    """
    kind = type(value)
    if kind is float or kind is int:
        plain: Number = value
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"stroke positions must be numbers, not {spelled(value)}")
    else:
        plain = int(value) if isinstance(value, numbers.Integral) else float(value)
    # Compared before any conversion: a 400-digit int overflows a float, and
    # NaN fails every comparison.
    if not -MAX_COORDINATE <= plain <= MAX_COORDINATE:
        raise ValueError(_BEYOND_LIMIT)
    return plain


def checked_point(value: Any) -> CheckedPoint:
    """A position, once it is known to be a pair of finite numbers.

    Args:
        value: ``[x, y]`` as a list, tuple or array.

    Returns:
        ``(x, y)``, each number kept as given (see :func:`checked_number`).

    Raises:
        ValueError: If it is not a pair of finite numbers.
    """
    if isinstance(value, _NOT_A_LIST):
        raise ValueError("a position must be a pair [x, y]")
    try:
        pair = tuple(value)
    except TypeError:
        raise ValueError("a position must be a pair [x, y]") from None
    if len(pair) != 2:
        raise ValueError("a position must be a pair [x, y]")
    return checked_number(pair[0]), checked_number(pair[1])


def checked_strokes(strokes: Any) -> CheckedStrokes:
    """Check a drawing: strokes of ``[x, y]`` pairs of finite numbers.

    Args:
        strokes: ``[[[x, y], ...], ...]`` as lists, tuples or arrays.

    Returns:
        The non-empty strokes as tuples, each number kept as given.

    Raises:
        ValueError: If it is not a list of strokes of positions, or has more
            positions than :data:`MAX_STROKE_POINTS` in a stroke or
            :data:`MAX_DRAWING_POINTS` in all.
    """
    if isinstance(strokes, _NOT_A_LIST):
        raise ValueError("strokes must be a list of strokes of [x, y] positions")
    result = []
    total = 0
    try:
        for stroke in strokes:
            points = _checked_stroke(stroke)
            total += len(points)
            if total > MAX_DRAWING_POINTS:
                raise TooManyPositionsError(
                    f"a drawing may have at most {MAX_DRAWING_POINTS:,} positions"
                )
            if points:
                result.append(points)
    except TypeError:
        raise ValueError("strokes must be a list of strokes of [x, y] positions") from None
    return tuple(result)


def _checked_stroke(stroke: Any) -> tuple[CheckedPoint, ...]:
    """One stroke's positions, checked; no more than :data:`MAX_STROKE_POINTS` are read."""
    if isinstance(stroke, _NOT_A_LIST):
        raise ValueError("a stroke must be a list of [x, y] positions")
    points: list[CheckedPoint] = []
    for point in stroke:
        if len(points) == MAX_STROKE_POINTS:
            raise TooManyPositionsError(
                f"a stroke may have at most {MAX_STROKE_POINTS:,} positions"
            )
        points.append(checked_point(point))
    return tuple(points)


def as_point(value: Any) -> Point:
    """A checked position as floats (see :func:`checked_point`)."""
    x, y = checked_point(value)
    return float(x), float(y)


def normalise_strokes(strokes: Iterable[Iterable[Any]]) -> Strokes:
    """Check strokes and turn them into the immutable form of floats.

    Args:
        strokes: ``[[[x, y], ...], ...]``.

    Returns:
        The non-empty strokes as tuples of ``(x, y)`` floats.

    Raises:
        ValueError: If a position is not two numbers within the limit, or
            :class:`TooManyPositionsError` if there are too many.
    """
    try:
        checked = checked_strokes(strokes)
    except TooManyPositionsError:
        raise
    except ValueError as error:
        raise ValueError(f"a stroke must be a list of [x, y] numbers ({error})") from None
    return tuple(tuple((float(x), float(y)) for x, y in stroke) for stroke in checked)


ECHO_CHARS = 24
"""Most characters of a bad value quoted back in an error line."""


def spelled(value: Any, limit: int = ECHO_CHARS) -> str:
    """A bad value as its file spells it (``true``, ``"3"``: input is JSON), cut to ``limit``
    characters so an error line echoing it stays one line.  Anything but printable ASCII
    is escaped: a file's control characters must not reach the terminal."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):  # not from JSON, or an int too long to write out
        text = f"a value of type {type(value).__name__}"
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
