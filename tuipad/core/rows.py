"""Training rows: the scans, their distorted copies and the shipped pen digits.

:func:`spec_data` assembles what a :class:`~tuipad.core.families.TrainingSpec`
trains on.  The pen digits are rendered once per training
(:func:`render_pen_rows`) and joined to each set of scans it fits on: the
half split's first half, each cross-validation fold, all the scans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from tuipad.core.drawing_rows import GRID_COLUMNS, without_path
from tuipad.core.families import (
    PEN_COPIES,
    SCAN_COPIES,
    TrainingSpec,
    reads_paths,
    recipe_spec,
)
from tuipad.core.fitting import ProgressCallback, TrainingCancelled, TrainingData
from tuipad.core.pen_path import POINTS

if TYPE_CHECKING:
    from tuipad.core.datasets import PenDigits


@dataclass(frozen=True)
class PenRows:
    """The shipped pen digits rendered as terminal drawings, ready to join any scans.

    Attributes:
        X: ``(n, 64)`` grids.
        y: ``(n,)`` labels.
        writer_ids: ``(n,)`` index of each row's writer.
        source: What they are, for a model's sources.
        paths: ``(n, 78)`` pen's path of each row's drawing
            (:func:`~tuipad.core.pen_path.path_features`, multiples of 1/64).
    """

    X: np.ndarray
    y: np.ndarray
    writer_ids: np.ndarray
    source: str
    paths: np.ndarray


def pen_copies(spec: TrainingSpec) -> int:
    """Renderings of each pen digit a spec trains on (distorted copies when it augments)."""
    return PEN_COPIES if spec.augment else 1


def render_pen_rows(
    spec: TrainingSpec,
    pen: PenDigits | None = None,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> PenRows:
    """Render pen digits (default: all the shipped ones) as a spec asks.

    The rendering does not depend on the scans, so one training renders once
    and joins the rows to each set of scans it fits on.  The paths are always
    rendered, so one rendering (and one cache) serves the models that read
    them and those that do not.
    """
    from tuipad.core import datasets, pen_rendering

    if pen is None:
        pen = datasets.load_pen_digits()
    ticks = _ticks(len(pen), progress, should_stop)
    rendering = pen_rendering.Rendering(copies=pen_copies(spec))
    rows, y, writers = pen_rendering.render_pen_digits(
        pen, rendering, seed=spec.seed, progress=ticks, paths=True
    )
    _, writer_ids = np.unique(writers, return_inverse=True)
    source = (
        f"pen digits of {' and '.join(datasets.collections_of(pen))} ({len(pen)} digits,"
        f" {len(set(pen.writers))} writers, {len(y)} terminal renderings)"
    )
    return PenRows(rows[:, :GRID_COLUMNS], y, writer_ids, source, paths=rows[:, GRID_COLUMNS:])


def spec_data(
    spec: TrainingSpec,
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: np.ndarray | None = None,
    pen_rows: PenRows | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> TrainingData:
    """Training rows for a spec: the scans, plus copies and pen digits as asked.

    Args:
        spec: What to train on.
        scans_X: Scans to learn from.
        scans_y: Their labels.
        pen_indices: Which shipped pen digits to use (default: all).
        pen_rows: The pen digits already rendered for this spec (else rendered here).
        progress: Reports the rendering stage.
        should_stop: Checked while rendering (between chunks of digits).

    Returns:
        The rows, with groups that keep a scan with its copies and a writer
        whole, and the pen rows marked as the ones to calibrate on.
    """
    from tuipad.core import datasets

    X_parts, y_parts, group_parts = [scans_X], [scans_y], [np.arange(len(scans_y))]
    sources = [f"load_digits ({len(scans_y)} scans)"]
    if spec.augment:
        aug_X, aug_y = datasets.augment_scans(scans_X, scans_y, copies=SCAN_COPIES, seed=spec.seed)
        X_parts.append(aug_X)
        y_parts.append(aug_y)
        group_parts.append(np.repeat(np.arange(len(scans_y)), SCAN_COPIES))
        sources.append(f"{len(aug_y)} distorted copies of the scans")
    scan_rows = sum(len(part) for part in y_parts)
    if spec.pen:
        if pen_rows is None:
            pen = None
            if pen_indices is not None:
                pen = datasets.load_pen_digits().subset(pen_indices)
            pen_rows = render_pen_rows(spec, pen, progress=progress, should_stop=should_stop)
        X_parts.append(pen_rows.X)
        y_parts.append(pen_rows.y)
        group_parts.append(len(scans_y) + pen_rows.writer_ids)
        sources.append(pen_rows.source)
    total = sum(len(part) for part in y_parts)
    if reads_paths(spec):
        assert pen_rows is not None
        X_parts = [without_path(part) for part in X_parts[:-1]]
        X_parts.append(np.hstack([pen_rows.X, pen_rows.paths]))
        sources.append(f"the pen's path of each rendering ({POINTS} points)")
    return TrainingData(
        np.vstack(X_parts),
        np.concatenate(y_parts),
        tuple(sources),
        np.concatenate(group_parts),
        calibration_rows=np.arange(total) >= scan_rows if spec.pen else None,
    )


def _ticks(total: int, progress: ProgressCallback | None, should_stop: Callable[[], bool]) -> Any:
    """A generator advanced once per rendered digit: reports and checks for a stop."""

    def ticks() -> Any:
        every = max(1, total // 50)
        for done in range(1, total + 1):
            if done % every == 0 or done == total:
                if should_stop():
                    raise TrainingCancelled
                if progress is not None:
                    progress("rendering pen digits", done / total)
            yield None
        while True:
            yield None

    return ticks()


def recipe_data(
    recipe: str,
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    seed: int = 0,
) -> TrainingData:
    """The training rows of a recipe (see :func:`spec_data`).

    Args:
        recipe: ``"seed"`` or ``"default"``.
        scans_X: The scans to train on (a half, or all of them).
        scans_y: Their labels.
        pen_indices: Which shipped pen digits to use (default: all); the
            grouped benchmarks leave the tested writers out.
        progress: Reports the rendering stage.
        seed: Seed of the augmentation.
    """
    spec = replace(recipe_spec(recipe), seed=seed)
    indices = None if pen_indices is None else np.asarray(pen_indices)
    return spec_data(spec, scans_X, scans_y, pen_indices=indices, progress=progress)
