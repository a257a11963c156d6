"""Personal samples as training rows, and the full refit of the default recipe with them.

A few dozen personal drawings would vanish among a model's training rows, so
each one is rendered into several terminal drawings (the same
replay-and-distort path as the pen digits: other heights, cells or pixels,
small rotations, shears and stretches) and weighted up with SVC
``sample_weight``.

The app and ``tuipad train --personal`` adapt the shipped model with these
rows in a second or two (:mod:`tuipad.core.adaptation`).  :func:`train_personal`
refits the whole default recipe with them instead, from the recipe's cached
rows, in about a minute; ``benchmarks/writer_adaptation.py --full`` compares
the two.  Its figures come from one plain SVC (same settings, same weights, no
calibration) fitted beside the kept model, measured on the second half of the
scans and on held-back personal samples.

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

from tuipad.core.families import CALIBRATION_FOLDS, build_recipe
from tuipad.core.fitting import ProgressCallback, TrainingCancelled, TrainingData, fit_grouped
from tuipad.core.geometry import CELL_ASPECT
from tuipad.core.recognise import predict_grids
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

HOLD_BACK = 0.2
"""Share of each digit's samples held back to measure the personal model (rounded)."""

Drawing = Sequence[Sequence[Sequence[float]]]
"""Strokes of ``[x, y]`` canvas positions."""

PersonalRows = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Personal rows: grids, labels, and the index of the drawing each row came from."""


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
        One ``(copies, 64)`` array per sample.
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
    return pen_rendering.render_each(physical, rendering, seeds)


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
        ``(X, y, owner)``: ``(n * (copies + 1), 64)`` grids, labels, and the
        index of the drawing each row came from.
    """
    from tuipad.core.raster import to_digits8x8
    from tuipad.core.recognise import read_strokes

    if not len(labels):
        return np.zeros((0, 64)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    exact = np.array([to_digits8x8(read_strokes(d)[0]).ravel() for d in drawings], dtype=float)
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


def hold_back(labels: Sequence[int] | np.ndarray, share: float = HOLD_BACK) -> np.ndarray:
    """Which samples to hold back for evaluation: an evenly spread share of each digit.

    ``round(share * n)`` of a digit's ``n`` samples are held back, spread
    over the order they were given (with 0.2: the 5th and 10th of ten, the
    4th of four, none of two).

    Returns:
        A boolean mask, true for held-back samples.
    """
    digits = np.asarray(labels)
    mask = np.zeros(len(digits), dtype=bool)
    for digit in np.unique(digits):
        positions = np.flatnonzero(digits == digit)
        count = int(np.floor(share * len(positions) + 0.5))
        if count:
            picks = np.floor((np.arange(count) + 1) * len(positions) / count).astype(int) - 1
            mask[positions[picks]] = True
    return mask


# --------------------------------------------------------------------------- training


def _combine(
    base: TrainingData, X: np.ndarray, y: np.ndarray, owner: np.ndarray, weight: float
) -> tuple[TrainingData, np.ndarray]:
    """Base rows plus personal rows, with groups and sample weights."""
    base_groups = base.groups if base.groups is not None else np.arange(len(base.y))
    first = int(base_groups.max()) + 1 if len(base_groups) else 0
    by_writers = base.calibration_rows
    if by_writers is None:
        by_writers = np.ones(len(base.y), dtype=bool)
    data = TrainingData(
        np.vstack([base.X, X]),
        np.concatenate([base.y, y]),
        base.sources,
        np.concatenate([base_groups, first + owner]),
        calibration_rows=np.concatenate([by_writers, np.ones(len(y), dtype=bool)]),
    )
    weights = np.concatenate([np.ones(len(base.y)), np.full(len(y), weight)])
    return data, weights


def fit_weighted(
    data: TrainingData, weights: np.ndarray, *, n_jobs: int | None = CALIBRATION_FOLDS
) -> Any:
    """Fit the default recipe's calibrated SVC on rows with sample weights.

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


def _plain_svc(data: TrainingData, weights: np.ndarray) -> Any:
    """The recipe's SVC without calibration: quick, for the figures only."""
    svc = build_recipe("default").named_steps["svc"].plain_svc()
    return svc.fit(data.X, data.y, sample_weight=weights)


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
    data, weights = _combine(base, *rows, weight)
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
        measured = pool.submit(_evaluate, *measure) if measure is not None else None
        estimator = fit_weighted(data, weights, n_jobs=n_jobs)
        return estimator, measured.result() if measured is not None else {}


def _evaluate(
    base: TrainingData, rows: PersonalRows, weight: float, bundled: Any
) -> dict[str, Any]:
    """Figures from a plain SVC trained without the test scans and held-back samples.

    Runs in a thread beside the calibrated fit, so it reports no progress.
    """
    from tuipad.core import datasets

    X_personal, y_personal, owner = rows
    n_scans = len(datasets.load_scans()[1])
    groups = base.groups if base.groups is not None else np.arange(len(base.y))
    half = len(datasets.seed_split(np.zeros(n_scans), np.zeros(n_scans))[2])
    # Scan rows carry the scan's index as their group (copies too); pen rows come after.
    keep = (groups < half) | (groups >= n_scans)
    n_samples = int(owner.max()) + 1 if len(owner) else 0
    held = hold_back(y_personal[:n_samples])
    train_rows = ~held[owner] if n_samples else np.zeros(0, dtype=bool)
    trimmed = TrainingData(base.X[keep], base.y[keep], base.sources, groups[keep])
    data, weights = _combine(
        trimmed, X_personal[train_rows], y_personal[train_rows], owner[train_rows], weight
    )
    svc = _plain_svc(data, weights)
    scans_test = (groups >= half) & (groups < n_scans) & (np.arange(len(groups)) < n_scans)
    test_accuracy = float((svc.predict(base.X[scans_test]) == base.y[scans_test]).mean())
    metrics: dict[str, Any] = {
        "test_accuracy": round(test_accuracy, 6),
        "personal_held_back": int(held.sum()),
        "personal_accuracy": None,
        "personal_before": None,
        "protocol": "plain SVC (same settings and weights, uncalibrated) trained on the first"
        " half of load_digits, the pen digits and the personal samples not held back; tested on"
        f" the second half ({int(scans_test.sum())} scans) and on {HOLD_BACK:.0%} of each"
        " digit's personal samples",
    }
    if held.any():
        exact = X_personal[:n_samples][held]
        truth = y_personal[:n_samples][held]
        metrics["personal_accuracy"] = round(float((svc.predict(exact) == truth).mean()), 6)
        if bundled is not None:
            predicted, _ = predict_grids(bundled, exact)
            metrics["personal_before"] = round(float((predicted == truth).mean()), 6)
    return metrics
