"""Adapting a fitted model to one person's hand in about a second.

Refitting the default recipe with a hundred personal samples means fitting an
SVC on some 45,000 rows, a minute on two cores.  But a fitted SVC's support
vectors summarise its training set: the other rows lie beyond the margins and
do not shape the decision.  So each SVC of the personal model (the grid's,
and the pen path's when the base model reads paths) is the base model's
refitted on its own support vectors plus the personal samples' renderings (a
few thousand rows on each side), which is what a refit on everything would
give were no old row to cross a new margin.  Support vectors of other writers
that sit among a personal drawing's nearest with another label are left
out, in each SVC's own space: there the user's own hand says what the digit
is, unless the base model reads the drawing as another digit for sure, when
it may be a slip of the key.  The base model's calibrations are kept: their
slopes say how far to trust the margins on writers the SVCs never saw, and a
hundred samples of one writer cannot measure that again.

The result is an ordinary fitted pipeline of the base model's recipe, so it is
saved, turned into arrays, recognised and exported like any other.  Its
figures come from a second adaptation without the held-back samples, fitted
in a thread beside the first; the SVCs of each adaptation fit in threads of
their own (libsvm lets go of the GIL).

Pure: no files, no Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from tuipad.core.drawing_rows import GRID_COLUMNS, rows_for
from tuipad.core.fitting import ProgressCallback, TrainingCancelled
from tuipad.core.personal import (
    PERSONAL_WEIGHT,
    Drawing,
    PersonalResult,
    PersonalRows,
    personal_rows,
)
from tuipad.core.personal_figures import HOLD_BACK, hold_back
from tuipad.core.progress import JobProgress, fit_seconds, render_seconds, stage_callback
from tuipad.core.recognise import predict_grids
from tuipad.core.wording import counted

CONFLICT_NEIGHBOURS = 15
"""Nearest support vectors of each drawing checked for another label (see :func:`conflicting`),
in the space of each SVC (grid, path); from 15 to 60 gave the same accuracy on held-out
writers with the grid SVC alone."""

CONFLICT_CHUNK = 256
"""Drawings compared with the support vectors at a time."""

REFIT_TOLERANCE = 1e-2
"""Stopping tolerance of the adapted SVC's solver, looser than scikit-learn's 1e-3: the
refit is the wait the user sees, and held-out writers got the same answers."""

SURELY_OTHER = 0.9
"""Top score at which a personal drawing the base model reads as another digit weighs as
another writer's row (:func:`refit`).  The app warns from 0.7, but at 0.7 this also caught
real digits of writers the base model misreads, whom adapting is for."""

ADAPT_COPIES = 16
"""Renderings of each personal sample besides the drawing itself.  More copies
barely change the held-out writers' accuracy and cost rendering time."""


Part = tuple[Any, slice, np.ndarray, np.ndarray]
"""One calibrated SVC of a base model: itself, the columns of a row it reads, its
support vectors and their labels."""


def support_parts(base: Any) -> list[Part]:
    """The base pipeline's calibrated SVCs, each with its columns, support vectors and labels.

    One part for a grid model (a pairwise-calibrated SVC reading 64 columns),
    the grid's and the path's for a model reading both.

    Raises:
        ValueError: The base is not a fitted pipeline of the default recipe.
    """
    from tuipad.core.calibration import PairwiseCalibratedSVC
    from tuipad.core.grid_path import GridPathSVC

    last = base.steps[-1][1] if hasattr(base, "steps") else None
    parts: list[tuple[Any, slice]] = []
    if isinstance(last, GridPathSVC) and hasattr(last, "grid_"):
        parts = last.parts()
    elif isinstance(last, PairwiseCalibratedSVC):
        parts = [(last, slice(0, GRID_COLUMNS))]
    if not parts or not all(hasattr(calibrated, "svc_") for calibrated, _ in parts):
        raise ValueError("only a fitted model of the default recipe can be adapted")
    found = []
    for calibrated, columns in parts:
        svc = calibrated.svc_
        labels = np.repeat(np.asarray(svc.classes_), svc.n_support_)
        found.append((calibrated, columns, np.asarray(svc.support_vectors_, dtype=float), labels))
    return found


def refit(base: Any, rows: PersonalRows, weight: float, *, drawn: int = 0) -> Any:
    """The base pipeline with each SVC refitted on its support vectors plus ``rows``.

    Support vectors that contradict one of the drawings as drawn nearby are
    left out (:func:`conflicting`).  A drawing the base model surely reads as
    another digit, which the app warned of when it was kept, is as likely a
    slip of the key as a hand of one's own: it and its renderings weigh as
    another writer's rows, and the support vectors near it stay.  One such
    slip (a 1 kept as a 6) no longer makes plain 1s read as 6s, and writers'
    correct samples are adapted to as before.

    Args:
        base: A fitted pipeline of the default recipe (grid and path, or grid only).
        rows: ``(X, y, owner)`` personal rows (grids, or grids and paths), labels
            and the drawing each came from.
        weight: SVC sample weight of the personal rows (the support vectors weigh 1).
        drawn: How many of the first rows are the drawings as drawn (the rest
            are their renderings).
    """
    from sklearn.pipeline import Pipeline

    from tuipad.core.grid_path import GridPathSVC

    parts = support_parts(base)
    X, y, owner = rows
    X = rows_for(base, X)
    doubted = read_otherwise(base, X[:drawn], y[:drawn])
    weights = np.where(np.isin(owner, owner[:drawn][doubted]), 1.0, weight)
    sure = X[:drawn][~doubted], y[:drawn][~doubted]
    with ThreadPoolExecutor(len(parts), thread_name_prefix="tuipad-refit") as pool:
        refitted = list(pool.map(lambda part: _refit_part(part, X, y, weights, sure), parts))
    name, last = base.steps[-1]
    if isinstance(last, GridPathSVC):
        last = last.with_parts(refitted[0], refitted[1] if len(refitted) > 1 else None)
    else:
        last = refitted[0]
    return Pipeline([*base.steps[:-1], (name, last)])


def _refit_part(
    part: Part,
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    sure: tuple[np.ndarray, np.ndarray],
) -> Any:
    """One calibrated SVC refitted on its support vectors and the rows' columns it reads.

    Rows without values there (no path) are left out of this part, and the
    drawings in ``sure`` (as drawn, not doubted) leave out the support vectors
    that contradict them nearby.
    """
    calibrated, columns, support, labels = part
    values = X[:, columns]
    present = np.isfinite(values).all(axis=1)
    drawings, drawn_labels = sure[0][:, columns], sure[1]
    drawn_present = np.isfinite(drawings).all(axis=1)
    keep = ~conflicting(support, labels, drawings[drawn_present], drawn_labels[drawn_present])
    return calibrated.refitted(
        np.vstack([support[keep], values[present]]),
        np.concatenate([labels[keep], y[present]]),
        sample_weight=np.concatenate([np.ones(int(keep.sum())), weights[present]]),
        tol=REFIT_TOLERANCE,
    )


def read_otherwise(base: Any, drawings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Which drawings ``base`` reads as another digit at :data:`SURELY_OTHER` or more
    (a model reading paths reads them through its grid and path together)."""
    if not len(drawings):
        return np.zeros(0, dtype=bool)
    predicted, scores = predict_grids(base, drawings)
    return np.asarray((predicted != labels) & (scores.max(axis=1) >= SURELY_OTHER))


def conflicting(
    support: np.ndarray,
    support_labels: np.ndarray,
    drawings: np.ndarray,
    labels: np.ndarray,
    neighbours: int = CONFLICT_NEIGHBOURS,
) -> np.ndarray:
    """Which support vectors are among a drawing's nearest and say another digit.

    Where this user's digit looks like another writer's other digit, the
    other writer's row would keep pulling the answer away from the user's.

    Returns:
        A boolean mask over the support vectors.
    """
    found = np.zeros(len(support), dtype=bool)
    k = min(neighbours, len(support) - 1)
    if k < 1 or not len(drawings):
        return found
    squares = (support**2).sum(axis=1)
    for start in range(0, len(drawings), CONFLICT_CHUNK):  # bounded memory for many samples
        chunk, chunk_labels = (
            drawings[start : start + CONFLICT_CHUNK],
            labels[start:][:CONFLICT_CHUNK],
        )
        distances = squares[None, :] - 2 * chunk @ support.T  # + |chunk|², the same along a row
        nearest = np.argpartition(distances, k, axis=1)[:, :k]
        found[nearest[support_labels[nearest] != chunk_labels[:, None]]] = True
    return found


def adapt(
    base: Any,
    labels: Sequence[int],
    drawings: Sequence[Drawing],
    *,
    copies: int = ADAPT_COPIES,
    weight: float = PERSONAL_WEIGHT,
    evaluate: bool = True,
    seed: int = 0,
    renderings: Sequence[np.ndarray] | None = None,
    progress: ProgressCallback | JobProgress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PersonalResult:
    """Adapt a fitted default-recipe model to personal samples (saves nothing).

    Args:
        base: The fitted pipeline to adapt (the shipped model).
        labels: Digits of the personal samples.
        drawings: Their strokes, in canvas cell coordinates.
        copies: Renderings of each sample besides the drawing itself.
        weight: SVC sample weight of the personal rows.
        evaluate: Measure the held-back samples before and after, and the scans.
        seed: Seed of the renderings.
        renderings: The samples' renderings, made earlier with the same
            ``copies`` and ``seed`` (:func:`~tuipad.core.personal.render_samples`).
        progress: Called with a stage name and the fraction done, or a job
            laid out by :func:`adaptation_costs` whose stages it moves.
        should_stop: Checked between stages; true raises :class:`TrainingCancelled`.

    Raises:
        ValueError: Labels and drawings differ in length, or ``base`` cannot be adapted.
    """
    start = time.perf_counter()
    if len(labels) != len(drawings):
        raise ValueError("labels and drawings differ in length")
    support_parts(base)
    stage_callback(progress, "render")(f"rendering {counted(len(labels), 'personal sample')}", 0.0)
    rows = personal_rows(labels, drawings, copies=copies, seed=seed, renderings=renderings)
    if should_stop is not None and should_stop():
        raise TrainingCancelled
    fitting = stage_callback(progress, "adapt")
    fitting(f"adapting the model to {counted(len(labels), 'personal sample')}", 0.0)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tuipad-measure") as pool:
        measured = pool.submit(_measure, base, rows, weight) if evaluate else None
        adapted = refit(base, rows, weight, drawn=len(labels))
        figures = measured.result() if measured is not None else {}
    fitting(f"adapting the model to {counted(len(labels), 'personal sample')}", 1.0)
    seconds = time.perf_counter() - start
    metrics: dict[str, Any] = {
        "personal_samples": len(labels),
        "personal_copies": copies,
        "personal_weight": weight,
        "test_accuracy": None,
        **figures,
        "seconds": round(seconds, 2),
    }
    sources = (
        "the shipped model's support vectors",
        f"{counted(len(labels), 'personal sample')} x {copies + 1} renderings, weight {weight:g}",
    )
    return PersonalResult(adapted, sources, metrics, seconds)


def adaptation_costs(
    samples: int, support: Sequence[int], copies: int = ADAPT_COPIES
) -> list[tuple[str, float]]:
    """An adaptation's stages and their rough seconds, to lay out its progress bar.

    Each SVC of the base model is refitted once for the model and once for its
    figures, on two cores: about one refit of each, one after the other.

    Args:
        samples: Personal samples.
        support: Support vectors of each SVC of the base model (grid, path).
        copies: Renderings of each sample besides the drawing itself.
    """
    rows = samples * (copies + 1)
    return [
        ("load", 0.5),
        ("render", render_seconds(rows)),
        ("adapt", sum(fit_seconds("svc-seed", part + rows) for part in support)),
        ("save", 0.3),
    ]


def _measure(base: Any, rows: PersonalRows, weight: float) -> dict[str, Any]:
    """Held-back samples: the base model on them, and the model adapted without them."""
    X, y, owner = rows
    n_samples = int(owner.max()) + 1 if len(owner) else 0
    held = hold_back(y[:n_samples])
    figures: dict[str, Any] = {
        "personal_held_back": int(held.sum()),
        "personal_accuracy": None,
        "personal_before": None,
        "protocol": f"{HOLD_BACK:.0%} of each digit's personal samples held back: the base"
        " model on them, and the model adapted without them (the scans are the base"
        " model's training set, so no held-out scan figure is given)",
    }
    if held.any():
        kept = ~held[owner]
        rows_kept = (X[kept], y[kept], owner[kept])
        without = refit(base, rows_kept, weight, drawn=n_samples - int(held.sum()))
        exact, expected = X[:n_samples][held], y[:n_samples][held]
        figures["personal_accuracy"] = _accuracy(without, exact, expected)
        figures["personal_before"] = _accuracy(base, exact, expected)
    return figures


def _accuracy(model: Any, grids: np.ndarray, truth: np.ndarray) -> float:
    labels, _ = predict_grids(model, grids)
    return round(float((labels == truth).mean()), 6)
