"""The one recognition path: strokes to an 8x8 grid (and the pen's path) to ten scores and a label.

The app, the CLI, scribble mode, evaluation and the benchmarks all call
:func:`recognise` or :func:`recognise_many` with a model's arrays
(:mod:`tuipad.core.model_arrays`); the training side may pass a fitted
pipeline, whose scores are the same.  The scores come from ``predict_proba``
only and the label is their arg-max, so the label shown can never disagree with
the scores shown (``SVC.predict`` and ``predict_proba`` can).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tuipad.core.drawing_rows import COLUMNS, GRID_COLUMNS, drawing_rows, input_width, rows_for
from tuipad.core.geometry import CELL_ASPECT, PIXELS_PER_ROW
from tuipad.core.raster import as_strokes
from tuipad.core.stray_marks import is_mark, stray_marks, stroke_segments
from tuipad.core.wording import counted


@dataclass(frozen=True)
class Prediction:
    """What the model said about one drawing.

    Attributes:
        label: The digit, always the arg-max of ``scores``.
        scores: Ten per-class probabilities, digits 0..9 in order.
        grid: The 8x8 array of 0..16 ints the model received.
        shape_doubt: Why the drawing cannot be one digit whatever it scores
            (``"too small"``, ``"too flat"``, ``"2 digits side by side"``), or ``""``.
        stray_marks: How many taps beside the digit were left out of the reading
            (:mod:`tuipad.core.stray_marks`).
        split: The digits the model's two parts read on their own, the 8x8 grid's
            and the pen path's, when they differ (the drawing's shape and its
            strokes read as different digits, as an unusual stroke order or
            direction does); else empty.
    """

    label: int
    scores: tuple[float, ...]
    grid: np.ndarray = field(compare=False)
    shape_doubt: str = ""
    stray_marks: int = 0
    split: tuple[int, ...] = ()

    @property
    def confidence(self) -> float:
        """The score of the winning digit."""
        return self.scores[self.label]

    @property
    def contenders(self) -> tuple[int, ...]:
        """The digits the model hesitates between, the answer first; empty when it is sure.

        Close scores are doubt, and so are two parts that read different digits
        (:func:`named_contenders`).
        """
        found = named_contenders(self.label, self.scores, self.split)
        return found or ((self.label,) if self.shape_doubt else ())

    @property
    def answer(self) -> str:
        """The answer in one line: ``Prediction 3 · 97%``, ``Unsure: 3 or 9? · 55%``,
        ``Unsure: 1? · 94%, too flat`` or ``Prediction 9 · 99%, 1 stray mark left out``."""
        doubt = self.contenders
        said = f"Unsure: {doubt_text(doubt)}" if doubt else f"Prediction {self.label}"
        why = f", {self.shape_doubt}" if self.shape_doubt else ""
        if self.split and not why:
            why = f", {SPLIT_WORDS}"
        if self.stray_marks:
            why += f", {counted(self.stray_marks, 'stray mark')} left out"
        return f"{said} · {self.confidence:.0%}{why}"


SPLIT_WORDS = "shape and strokes disagree"
"""Why a drawing is doubtful when the grid and the path read different digits."""

UNSURE_BELOW = 0.7
"""A top score under this is shown as doubt rather than as an answer."""

CONTENDER_LEAST = 0.15
"""When the model is unsure, digits scoring at least this are named as contenders."""

MOST_NAMED = 3
"""Digits named at most in one doubt ("Unsure: 8, 9 or 3?")."""

SHORTEST_DIGIT = 4.0
"""Least height of a digit, in cell widths (two rows from top to bottom): a tap, a tick
across two rows or a box of two is less, and no digit can be drawn legibly in two rows."""

FLATTEST_DIGIT = 2.5
"""Greatest width of a digit over its height, both in cell widths: written digits are
rarely wider than tall, a dash is.  The rasteriser stretches whatever it is given to full
height, so without this the model would read a dot or a dash as a confident 1."""


SIDE_GAP = 2
"""Least blank columns between two digits written side by side."""

SIDE_HEIGHT = 0.8
"""Least share of the drawing's height each of the digits side by side has: the parts of one
digit written apart (the two strokes of an open 4) are not both this tall."""


def shape_doubt(strokes: Sequence[np.ndarray]) -> str:
    """Why a drawing's outline rules out one digit: ``"too small"``, ``"too flat"``,
    ``"2 digits side by side"`` (scribble mode reads numbers), or ``""``.

    The outline is the strokes' bigger than a tap: taps and ticks alone are too small
    however far apart, and a dash with a tap beside it too flat.

    Args:
        strokes: Checked strokes (:func:`~tuipad.core.raster.as_strokes`), canvas cells.
    """
    body = [stroke for stroke in strokes if not is_mark(stroke)]
    if not body:
        return "too small"
    points = np.concatenate(body)
    width = float(np.ptp(points[:, 0]))
    height = float(np.ptp(points[:, 1])) * CELL_ASPECT
    if height < SHORTEST_DIGIT:
        return "too small" if width < SHORTEST_DIGIT else "too flat"
    if width > FLATTEST_DIGIT * height:
        return "too flat"
    side_by_side = digits_side_by_side(strokes)
    return f"{side_by_side} digits side by side" if side_by_side > 1 else ""


def digits_side_by_side(strokes: Sequence[np.ndarray]) -> int:
    """How many parts, each nearly the drawing's height, blank columns part the ink into.

    A line between two reports inks every column it crosses (a fast drag skips cells),
    so each segment, and each lone point, is an interval of columns and one of pixel rows:
    whole ones, as the canvas shows them, whether reports are cells or finer.
    """
    inked = [np.floor(stroke * (1, PIXELS_PER_ROW)) for stroke in strokes]  # as the canvas
    starts, _, ends = stroke_segments(inked)
    low, high = np.minimum(starts, ends), np.maximum(starts, ends)
    spans = np.column_stack((low[:, 0], high[:, 0], low[:, 1], high[:, 1]))
    spans = spans[np.argsort(spans[:, 0], kind="stable")]
    reach = np.maximum.accumulate(spans[:, 1])  # the rightmost ink so far
    breaks = np.flatnonzero(spans[1:, 0] - reach[:-1] > SIDE_GAP) + 1  # blank columns before
    tall = SIDE_HEIGHT * (spans[:, 3].max() - spans[:, 2].min() + 1)
    parts = np.split(spans, breaks)
    return sum(int(part[:, 3].max() - part[:, 2].min() + 1 >= tall) for part in parts)


def contenders(scores: Sequence[float]) -> tuple[int, ...]:
    """The digits a model hesitates between, best first.

    Args:
        scores: Ten scores (probabilities), digits 0..9 in order.

    Returns:
        Empty when the top score is at least :data:`UNSURE_BELOW`; else the
        top digit and up to two more scoring at least :data:`CONTENDER_LEAST`.
    """
    ranked = sorted(range(len(scores)), key=lambda digit: -scores[digit])
    if not ranked or shown(scores[ranked[0]]) >= shown(UNSURE_BELOW):
        return ()
    runners_up = ranked[1:MOST_NAMED]
    return (ranked[0], *(d for d in runners_up if shown(scores[d]) >= shown(CONTENDER_LEAST)))


def named_contenders(label: int, scores: Sequence[float], split: Sequence[int]) -> tuple[int, ...]:
    """The digits to name as doubt, the answer first; empty when the model is sure.

    Close scores are doubt (:func:`contenders`), and so are two parts of a model
    that read different digits (``split``, :attr:`Prediction.split`): then what
    each part reads is named whatever its score, as it says why the answer is in
    doubt, and close runners-up fill the rest, three at most.  After the answer
    they are named in the order of their bars.
    """
    by_score = contenders(scores)
    if not split:
        return by_score
    named = tuple(dict.fromkeys((label, *split, *by_score)))[:MOST_NAMED]
    return (label, *sorted(named[1:], key=lambda digit: -scores[digit]))


def shown(score: float) -> int:
    """A score as the whole percentage shown beside it.

    Doubt is judged on what is shown: a 69.9% shown as "70%" beside a confident
    answer elsewhere, or a 14.8% bar shown as "15%" left out of the contenders,
    would make the panel contradict itself.
    """
    return int(f"{score:.0%}".rstrip("%"))


def doubt_text(digits: Sequence[int]) -> str:
    """Contenders in words: ``3?``, ``3 or 9?``, ``3, 9 or 5?``."""
    names = [str(digit) for digit in digits]
    if len(names) <= 1:
        return f"{''.join(names)}?"
    return f"{', '.join(names[:-1])} or {names[-1]}?"


def predict_grids(model: Any, grids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and scores for 8x8 grids, or grids with paths: labels are the arg-max of the scores.

    Args:
        model: A model's arrays, or a fitted tuipad pipeline.
        grids: ``(n, 64)`` or ``(n, 8, 8)`` arrays (a path model reads them as
            rows without a path), or rows of grids and paths
            (:mod:`tuipad.core.drawing_rows`; a grid model reads their grids).

    Returns:
        ``(labels, scores)`` with scores of shape ``(n, 10)``.
    """
    return _ten_scores(model, model.predict_proba(rows_for(model, grids)))


def predict_rows(
    model: Any, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, ...]]]:
    """:func:`predict_grids`, with the digits a two-part model's parts read where they differ.

    Returns:
        ``(labels, scores, splits)``: each split is :attr:`Prediction.split`
        (empty for a model of one part, and for a pipeline).
    """
    scored = getattr(model, "scored", None)
    if scored is None:
        labels, scores = predict_grids(model, rows)
        return labels, scores, [()] * len(labels)
    proba, readings = scored(rows_for(model, rows))
    labels, scores = _ten_scores(model, proba)
    splits: list[tuple[int, ...]] = [
        (int(grid), int(path)) if path >= 0 and grid != path else () for grid, path in readings
    ]
    return labels, scores, splits


def _ten_scores(model: Any, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A model's scores as ten, digits 0..9 in order, and their arg-max."""
    scores = np.zeros((len(proba), 10))
    scores[:, np.asarray(model.classes_, dtype=int)] = proba
    return scores.argmax(axis=1), scores


def recognise(model: Any, strokes: Iterable[Iterable[Iterable[float]]]) -> Prediction:
    """Recognise one drawing.

    Args:
        model: A model's arrays, or a fitted tuipad pipeline.
        strokes: Pen-down strokes in canvas cell coordinates.

    Returns:
        The prediction with its scores and the grid the model saw.

    Raises:
        EmptyDrawingError: If the drawing is empty.
    """
    read, strays = read_strokes(strokes)
    rows = model_rows(model, [read])
    labels, scores, splits = predict_rows(model, rows)
    scored = tuple(float(s) for s in scores[0])
    grid = rows[0, :GRID_COLUMNS].reshape(8, 8).astype(int)
    return Prediction(int(labels[0]), scored, grid, shape_doubt(read), strays, splits[0])


def model_rows(model: Any, drawings: Sequence[Sequence[np.ndarray]]) -> np.ndarray:
    """The rows ``model`` reads of drawings already read: grids, and paths if it reads them."""
    return drawing_rows(drawings, paths=input_width(model) == COLUMNS)


def read_strokes(
    strokes: Iterable[Iterable[Iterable[float]]],
) -> tuple[list[np.ndarray], int]:
    """The strokes the model reads, checked: all but stray marks beside the digit.

    Args:
        strokes: Pen-down strokes in canvas cell coordinates.

    Returns:
        ``(strokes read, stray marks left out)``
        (:func:`~tuipad.core.stray_marks.stray_marks`).

    Raises:
        EmptyDrawingError: If the drawing is empty.
    """
    checked = as_strokes(strokes)
    strays = stray_marks(checked)
    return [s for index, s in enumerate(checked) if index not in strays], len(strays)


def recognise_many(
    model: Any, drawings: Sequence[Iterable[Iterable[Iterable[float]]]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Recognise many drawings at once (same path, one model call).

    Returns:
        ``(labels, scores, grids)``.
    """
    rows = model_rows(model, [read_strokes(strokes)[0] for strokes in drawings])
    labels, scores = predict_grids(model, rows)
    return labels, scores, rows[:, :GRID_COLUMNS].astype(np.int64)


BATCH = 2048
"""Drawings per model call in :func:`recognise_each`: the kernel against thousands of support
vectors takes memory by the row."""


def recognise_each(
    model: Any, drawings: Sequence[Iterable[Iterable[Iterable[float]]]]
) -> list[Prediction]:
    """Recognise many drawings, a batch per model call, each as :func:`recognise` would.

    Raises:
        EmptyDrawingError: If a drawing is empty.
    """
    found: list[Prediction] = []
    for start in range(0, len(drawings), BATCH):
        read = [read_strokes(strokes) for strokes in drawings[start : start + BATCH]]
        rows = model_rows(model, [strokes for strokes, _ in read])
        labels, scores, splits = predict_rows(model, rows)
        grids = rows[:, :GRID_COLUMNS].reshape(-1, 8, 8).astype(int)
        found += [
            Prediction(
                int(label), tuple(map(float, row)), grid, shape_doubt(strokes), strays, split
            )
            for label, row, grid, (strokes, strays), split in zip(
                labels, scores, grids, read, splits, strict=True
            )
        ]
    return found
