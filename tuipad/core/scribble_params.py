"""How scribble mode groups strokes into digits and digits into numbers, and when it reads.

:mod:`tuipad.core.scribble` uses them; ``benchmarks/scribble_accuracy.py`` measures
how well they split numbers written from real pen digits.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PAUSE = 1.0
"""Seconds the pen must rest before new writing is read."""


@dataclass(frozen=True)
class ScribbleParams:
    """How strokes are grouped into digits and digits into numbers.

    Attributes:
        join_seconds: Longest time from the end of a digit's last stroke to the
            start of a stroke that may join it (later, only one on its ink).
        join_overlap: Share of the narrower of (stroke, digit) their columns must
            have in common for the stroke to join the digit, unless the stroke
            starts or ends over the digit's columns (the flag of a ``5`` drawn
            wider than its body).
        join_reach: How far above or below a digit (as a share of its height)
            a stroke may reach and still join it.
        join_short: A digit at most this share of a stroke's height is taken as
            unfinished: the stroke joins it when ``join_gap`` columns or fewer
            apart (the two halves of an open ``4``).
        join_gap: See ``join_short``.
        line_overlap: Share of the shorter of two digits their rows must have in
            common for them to be on one line.
        number_gap: Widest gap between neighbouring digits of a number, as a
            share of the taller digit's physical height.
    """

    join_seconds: float = 2.0
    join_overlap: float = 0.3
    join_reach: float = 0.25
    join_short: float = 0.7
    join_gap: int = 1
    line_overlap: float = 0.5
    number_gap: float = 0.4


DEFAULT_PARAMS = ScribbleParams()
"""The grouping the app and the benchmark use."""
