"""Personal samples as training rows, and the full refit of the default recipe with them.

A few dozen personal drawings would vanish among a model's training rows, so
each one is rendered into several terminal drawings (the same
replay-and-distort path as the pen digits: other heights, cells or pixels,
small rotations, shears and stretches) and weighted up with SVC
``sample_weight``.  Every row holds the grid and the pen's path
(:mod:`tuipad.core.drawing_rows`), whichever the model reads.

The app and ``tuipad train --personal`` adapt the shipped model with these
rows in a second or two (:mod:`tuipad.core.adaptation`).  :func:`train_personal`
refits the whole default recipe with them instead, from the recipe's cached
rows, in about a minute; ``benchmarks/writer_adaptation.py --full`` compares
the two.  Its figures come from a plain SVC of the grids fitted beside the
kept model (:mod:`tuipad.core.personal_figures`).

Pure: no files, no Textual.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tuipad.core.drawing_rows import COLUMNS, drawing_rows
from tuipad.core.families import CALIBRATION_FOLDS, build_recipe
from tuipad.core.fitting import ProgressCallback, TrainingCancelled, TrainingData, fit_grouped
from tuipad.core.geometry import CELL_ASPECT
from tuipad.core.personal_figures import combine_rows, full_refit_figures
from tuipad.core.wording import counted

MAX_COPIES = 48
"""Most renderings made of each personal sample, besides the drawing itself."""

MIN_COPIES = 8
"""Fewest renderings of each personal sample."""

RENDERING_BUDGET = 4800
"""Renderings shared by all personal samples: a hundred samples get 48 each, six
hundred get 8, so rendering and fitting stay quick however many there are."""

PERSONAL_WEIGHT = 3.0
"""SVC ``sample_weight`` of every personal row (the default recipe's rows weigh 1)."""

ENDS_CHANGE = 0.4
"""Largest change of a personal sample's lead-in and tail in its renderings, as a share
of its height: more than the pen digits' (:class:`~tuipad.core.pen_rendering.Rendering`),
because a few samples must stand for every way their writer starts and ends a digit."""

PROPORTIONS_CHANGE = 0.7
"""Largest change of how a personal sample's height is shared out in its renderings
(:class:`~tuipad.core.pen_rendering.Rendering`): a writer's loops and tails vary in size
from one digit to the next more than a few samples show."""

Drawing = Sequence[Sequence[Sequence[float]]]
"""Strokes of ``[x, y]`` canvas positions."""

PersonalRows = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Personal rows: grids and pen's paths, labels, and the drawing each row came from."""


@dataclass(frozen=True)
class PersonalResult:
    """A personal model and how it did.

    Attributes:
        estimator: The calibrated pipeline, fitted on everything.
        sources: What it was trained on, for the manifest.
        metrics: Measured figures: ``test_accuracy`` (second half of the
            scans), ``personal_accuracy`` and ``personal_before`` (held-back
            personal samples, after and with the bundled default model),
            ``personal_held_back``, ``personal_samples``, ``protocol``,
            ``seconds``; figures that could not be measured are ``None``.
        seconds: Wall time of the whole run.
    """

    estimator: Any
    sources: tuple[str, ...]
    metrics: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def _stop_check(should_stop: Callable[[], bool] | None) -> Callable[[], None]:
    def check() -> None:
        if should_stop is not None and should_stop():
            raise TrainingCancelled

    return check


# --------------------------------------------------------------------------- personal rows


def copies_for(count: int) -> int:
    """Renderings of each sample when there are ``count`` personal samples."""
    return max(MIN_COPIES, min(MAX_COPIES, RENDERING_BUDGET // max(count, 1)))


def sample_key(label: int, drawing: Drawing) -> str:
    """A hash of a sample's label and strokes as read (:func:`~tuipad.core.recognise.read_strokes`):
    what its renderings depend on besides settings."""
    from tuipad.core.recognise import read_strokes

    digest = hashlib.sha256(str(int(label)).encode())
    for stroke in read_strokes(drawing)[0]:
        points = np.ascontiguousarray(stroke, dtype=float)
        digest.update(len(points).to_bytes(8, "little"))
        digest.update(points.tobytes())
    return digest.hexdigest()


def render_samples(
    labels: Sequence[int], drawings: Sequence[Drawing], *, copies: int, seed: int = 0
) -> list[np.ndarray]:
    """``copies`` distorted renderings of each sample, each seeded by the sample's own content.

    A sample's renderings depend only on it, ``copies`` and ``seed``, so they
    can be kept and reused when other samples come or go.

    Returns:
        One ``(copies, 142)`` array per sample: grids, then pen's paths.
    """
    from tuipad.core import datasets, pen_rendering
    from tuipad.core.recognise import read_strokes

    aspect = np.array([1.0, CELL_ASPECT])  # canvas cells back to physical units
    physical = datasets.from_records(  # as read: a stray tap would squeeze the digit
        (int(label), str(index), [s * aspect for s in read_strokes(drawing)[0]])
        for index, (label, drawing) in enumerate(zip(labels, drawings, strict=True))
    )
    seeds = [
        np.random.SeedSequence([seed, int(sample_key(label, drawing)[:32], 16)])
        for label, drawing in zip(labels, drawings, strict=True)
    ]
    rendering = pen_rendering.Rendering(
        copies=copies,
        lead=ENDS_CHANGE,
        tail=ENDS_CHANGE,
        proportions=PROPORTIONS_CHANGE,
        styles=0.0,
    )
    return pen_rendering.render_each(physical, rendering, seeds, paths=True)


def personal_rows(
    labels: Sequence[int],
    drawings: Sequence[Drawing],
    *,
    copies: int = MIN_COPIES,
    seed: int = 0,
    renderings: Sequence[np.ndarray] | None = None,
) -> PersonalRows:
    """Each personal drawing as drawn plus ``copies`` re-rendered, distorted versions.

    The drawings are in canvas cells; they are turned back into physical
    units (a cell is twice as tall as wide) and replayed like the pen digits.

    Args:
        labels: The samples' digits.
        drawings: Their strokes.
        copies: Distorted renderings of each.
        seed: Seed of the renderings.
        renderings: The samples' renderings already made by :func:`render_samples`
            with the same ``copies`` and ``seed`` (e.g. kept from an earlier run).

    Returns:
        ``(X, y, owner)``: ``(n * (copies + 1), 142)`` grids and pen's paths,
        labels, and the index of the drawing each row came from.
    """
    from tuipad.core.recognise import read_strokes

    if not len(labels):
        return np.zeros((0, COLUMNS)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    exact = drawing_rows([read_strokes(d)[0] for d in drawings], paths=True)
    owner = np.arange(len(labels))
    if copies <= 0:
        return exact, np.asarray(labels, dtype=np.int64), owner
    if renderings is None:
        renderings = render_samples(labels, drawings, copies=copies, seed=seed)
    rendered = np.vstack(renderings).astype(float)
    y = np.asarray(labels, dtype=np.int64)
    return (
        np.vstack([exact, rendered]),
        np.concatenate([y, np.repeat(y, copies)]),
        np.concatenate([owner, np.repeat(owner, copies)]),
    )


# --------------------------------------------------------------------------- training


def fit_weighted(
    data: TrainingData, weights: np.ndarray, *, n_jobs: int | None = CALIBRATION_FOLDS
) -> Any:
    """Fit the default recipe's model on rows with sample weights.

    That is both its calibrated SVCs, the grid one on every row and the path one
    on the rows with a path (:class:`~tuipad.core.grid_path.GridPathSVC`), each
    with the rows' weights; without paths of every digit it reads grids alone.

    Calibration folds keep each group whole (a writer, a scan and its
    copies, a personal drawing and its renderings), as the recipe does, and
    run in threads, all at once by default: threads need no child processes
    to start and share the rows without copying them.
    """
    estimator = build_recipe("default")
    calibrated = estimator.named_steps["svc"]
    calibrated.set_params(n_jobs=n_jobs)
    fit_grouped(estimator, data, svc__sample_weight=weights)
    calibrated.set_params(n_jobs=None)
    return estimator


def train_personal(
    labels: Sequence[int],
    drawings: Sequence[Drawing],
    base: TrainingData,
    *,
    bundled: Any = None,
    evaluate: bool = True,
    copies: int | None = None,
    weight: float = PERSONAL_WEIGHT,
    n_jobs: int | None = CALIBRATION_FOLDS,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PersonalResult:
    """Train the default recipe plus personal samples (saves nothing).

    Args:
        labels: Digits of the personal samples.
        drawings: Their strokes, in canvas cell coordinates.
        base: The default recipe's rows, on all the scans (see
            :func:`tuipad.core.rows.recipe_data`).
        bundled: The bundled model, to measure the held-back samples before
            adapting (``None``: that figure is not measured).
        evaluate: Measure the figures first (the seed's split and held-back
            personal samples); ``False`` only fits the model to keep.
        copies: Renderings of each personal sample (default :func:`copies_for`).
        weight: Sample weight of the personal rows.
        n_jobs: Threads for the calibration folds.
        seed: Seed of the augmentation and renderings.
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; true raises :class:`TrainingCancelled`.

    Returns:
        The fitted model with its figures.
    """
    start = time.perf_counter()
    check = _stop_check(should_stop)
    if len(labels) != len(drawings):
        raise ValueError("labels and drawings differ in length")
    if copies is None:
        copies = copies_for(len(labels))
    if progress:
        progress(f"rendering {counted(len(labels), 'personal sample')}", 0.0)
    rows = personal_rows(labels, drawings, copies=copies, seed=seed)
    check()
    data, weights = combine_rows(base, *rows, weight)
    stage = f"fitting the personal model on {len(data.y)} digits"
    stage += " and measuring it" if evaluate else ""
    if progress:
        progress(stage, 0.0)
    estimator, measured = _fit_and_measure(
        data, weights, n_jobs, (base, rows, weight, bundled) if evaluate else None
    )
    check()
    if progress:
        progress(stage, 1.0)
    seconds = time.perf_counter() - start
    metrics: dict[str, Any] = {
        "personal_samples": len(labels),
        "personal_copies": copies,
        "personal_weight": weight,
        **measured,
        "seconds": round(seconds, 2),
    }
    sources = (
        *base.sources,
        f"{counted(len(labels), 'personal sample')} x {copies + 1} renderings, weight {weight:g}",
    )
    return PersonalResult(estimator, sources, metrics, seconds)


def _fit_and_measure(
    data: TrainingData,
    weights: np.ndarray,
    n_jobs: int | None,
    measure: tuple[TrainingData, PersonalRows, float, Any] | None,
) -> tuple[Any, dict[str, Any]]:
    """Fit the model to keep and, when ``measure`` is given, the figures beside it.

    The measurement's plain SVC fits in a second thread: libsvm lets go of the
    GIL while it fits, so the two share the cores.

    Returns:
        ``(estimator, figures)``; the figures are empty without ``measure``.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tuipad-measure") as pool:
        measured = pool.submit(full_refit_figures, *measure) if measure is not None else None
        estimator = fit_weighted(data, weights, n_jobs=n_jobs)
        return estimator, measured.result() if measured is not None else {}
