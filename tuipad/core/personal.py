"""Personal training: the default recipe plus the user's own samples.

A few dozen personal drawings would vanish among the default recipe's
~30,000 rows, so each one is rendered into several terminal drawings (the
same replay-and-distort path as the pen digits: other heights, cells or
pixels, small rotations, shears and stretches) and weighted up with SVC
``sample_weight``.  :data:`MAX_COPIES` and :data:`PERSONAL_WEIGHT` were
tuned with ``benchmarks/writer_adaptation.py`` (plain SVC, 9 writers): more
renderings helped (mean accuracy after adapting 0.978 with 8, 0.981 with 32,
0.982 with 48 and 64), the weight hardly mattered (3 to 30).

Retraining must be quick enough to run while the user waits (under 30 s on
two cores), so:

* the default recipe's rendered rows are cached as an ``.npz`` in the user
  data directory, keyed by a hash of everything that shapes them (the scans,
  the pen digits, the recipe constants and the rendering code);
* the calibration uses :data:`CALIBRATION_FOLDS` folds, fitted and scored
  at once in threads;
* the figures come from one plain SVC (same settings, same weights, no
  calibration) fitted on the first half of the scans, the pen digits and
  four fifths of the personal samples, and tested on the other half of the
  scans and the held-back personal samples; the model kept is fitted and
  calibrated on everything meanwhile (the measurement fits in a thread
  beside it: libsvm lets go of the GIL while fitting).

Nothing here imports Textual: the app calls :func:`retrain_from_store` from
a worker thread, with ``progress``, ``should_stop`` and a runner that fits in
a child process (:mod:`tuipad.background`).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tuipad.model import ProgressCallback, TrainingData
from tuipad.training import TrainingCancelled

if TYPE_CHECKING:
    from tuipad.background import Runner

MAX_COPIES = 48
"""Most renderings made of each personal sample, besides the drawing itself."""

MIN_COPIES = 8
"""Fewest renderings of each personal sample."""

RENDERING_BUDGET = 4800
"""Renderings shared by all personal samples: a hundred samples get 48 each, six
hundred get 8, so rendering and fitting stay quick however many there are."""

CALIBRATION_FOLDS = 3
"""Folds of the calibration (the shipped recipe uses 5): each fold's SVC fits on
two thirds of the rows instead of four fifths, which halves the fitting time
of the folds; the sigmoid still sees every row's out-of-fold score."""

PERSONAL_WEIGHT = 3.0
"""SVC ``sample_weight`` of every personal row (the default recipe's rows weigh 1)."""

HOLD_BACK = 0.2
"""Share of each digit's samples held back to measure the personal model (rounded)."""

CACHE_VERSION = 1
"""Bump to invalidate every cached set of default-recipe rows."""

MODEL_PREFIX = "personal"
"""Personal models are saved as ``personal-YYYYmmdd-HHMMSS``."""

KEEP_MODELS = 3
"""Older personal models than this many are deleted after a retrain (never the active one)."""

Drawing = Sequence[Sequence[Sequence[float]]]
"""Strokes of ``[x, y]`` canvas positions."""


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


# --------------------------------------------------------------------------- default rows


def _rows_key(scans_X: np.ndarray, scans_y: np.ndarray, pen: Any, seed: int) -> str:
    """A hash of everything that shapes the default recipe's rows."""
    from tuipad import datasets, model, raster

    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            [
                CACHE_VERSION,
                seed,
                model.SCAN_COPIES,
                model.PEN_COPIES,
                repr(datasets.Rendering()),
                repr(raster.DEFAULT_PARAMS),
            ]
        ).encode()
    )
    for array in (scans_X, scans_y, *_pen_arrays(pen)):
        digest.update(str(array.dtype).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    package = Path(raster.__file__).parent
    for name in ("raster.py", "datasets.py", "model.py", "training.py", "features.py"):
        source = package / name
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def _pen_arrays(pen: Any) -> tuple[np.ndarray, ...]:
    return (pen.labels, pen.writers, pen.points, pen.stroke_starts, pen.digit_starts)


def cache_dir(home: Path | None = None) -> Path:
    """Where cached training rows live: ``cache/`` in the user data directory."""
    from tuipad.model import data_home

    return (data_home() if home is None else home) / "cache"


def default_rows(
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: Sequence[int] | np.ndarray | None = None,
    cache: Path | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    seed: int = 0,
) -> TrainingData:
    """The default recipe's rows, from the cache when it holds them.

    Args:
        scans_X: The scans to train on.
        scans_y: Their labels.
        pen_indices: Which shipped pen digits to use (default: all).
        cache: Directory of the cache (``None``: render, cache nothing).
        progress: Reports the rendering stage.
        should_stop: Checked while rendering; true raises :class:`TrainingCancelled`.
        seed: Seed of the recipe's augmentation.

    Returns:
        The rows of ``recipe_data("default", ...)``.
    """
    from dataclasses import replace

    from tuipad import datasets
    from tuipad.files import atomic_write
    from tuipad.training import RECIPE_SPECS, spec_data

    path = None
    if cache is not None:
        pen = datasets.load_pen_digits()
        if pen_indices is not None:
            pen = pen.subset(pen_indices)
        # Subsets (the benchmarks' folds) are kept side by side; a new full
        # set replaces the old one, which a tuipad upgrade made stale.
        kind = "all" if pen_indices is None else "some"
        path = cache / f"default-rows-{kind}-{_rows_key(scans_X, scans_y, pen, seed)}.npz"
        cached = _load_rows(path)
        if cached is not None:
            if progress:
                progress("loading cached training rows", 1.0)
            return cached
    data = spec_data(
        replace(RECIPE_SPECS["default"], seed=seed),
        scans_X,
        scans_y,
        pen_indices=None if pen_indices is None else np.asarray(pen_indices),
        progress=progress,
        should_stop=should_stop or (lambda: False),
    )
    if path is not None and np.array_equal(data.X, np.rint(data.X)):
        buffer = io.BytesIO()
        np.savez(
            buffer,
            X=data.X.astype(np.uint8),
            y=data.y.astype(np.int8),
            groups=np.zeros(0) if data.groups is None else data.groups.astype(np.int64),
            sources=np.array(json.dumps(list(data.sources))),
        )
        try:
            atomic_write(path, buffer.getvalue())
            if pen_indices is None:
                for old in path.parent.glob("default-rows-all-*.npz"):
                    if old != path:
                        old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return data


def warm_cache(
    home: Path | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> bool:
    """Render and cache the default recipe's rows now, so a later retrain is quick.

    Rendering the pen digits is most of a cold retrain's time; the app calls
    this in a background process (see :func:`warm_cache_gently`) so the
    retrain itself only fits.  Does nothing if the cache is already warm, or
    if another warm-up (this process or another tuipad) holds the cache's
    lock: the cache file itself is written atomically, so a retrain that
    renders at the same time only does the same work twice.

    Returns:
        ``False`` when another warm-up was running (nothing done), else ``True``.
    """
    import fcntl

    from tuipad import datasets

    directory = cache_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".warming.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        X, y = datasets.load_scans()
        default_rows(X, y, cache=directory, progress=progress, should_stop=should_stop)
        return True


def warm_cache_gently(
    home: Path | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> bool:
    """:func:`warm_cache` at low priority (``nice`` 10), for a background child process."""
    import os

    try:
        os.nice(10)
    except OSError:
        pass  # a priority that cannot be lowered only costs the UI a little
    return warm_cache(home, progress, should_stop)


def _load_rows(path: Path) -> TrainingData | None:
    try:
        with np.load(path, allow_pickle=False) as arrays:
            groups = arrays["groups"].astype(np.int64)
            return TrainingData(
                X=arrays["X"].astype(float),
                y=arrays["y"].astype(np.int64),
                sources=tuple(json.loads(str(arrays["sources"]))),
                groups=groups if len(groups) else None,
            )
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


# --------------------------------------------------------------------------- personal rows


def copies_for(count: int) -> int:
    """Renderings of each sample when there are ``count`` personal samples."""
    return max(MIN_COPIES, min(MAX_COPIES, RENDERING_BUDGET // max(count, 1)))


def personal_rows(
    labels: Sequence[int],
    drawings: Sequence[Drawing],
    *,
    copies: int = MIN_COPIES,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each personal drawing as drawn plus ``copies`` re-rendered, distorted versions.

    The drawings are in canvas cells; they are turned back into physical
    units (a cell is twice as tall as wide) and replayed like the pen digits.

    Returns:
        ``(X, y, owner)``: ``(n * (copies + 1), 64)`` grids, labels, and the
        index of the drawing each row came from.
    """
    from tuipad import datasets
    from tuipad.raster import as_strokes, to_digits8x8

    if not len(labels):
        return np.zeros((0, 64)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    exact = np.array([to_digits8x8(d).ravel() for d in drawings], dtype=float)
    owner = np.arange(len(labels))
    if copies <= 0:
        return exact, np.asarray(labels, dtype=np.int64), owner
    aspect = np.array([1.0, datasets.TERMINAL_ASPECT])
    physical = datasets.from_records(
        (int(label), str(index), [s * aspect for s in as_strokes(drawing)])
        for index, (label, drawing) in enumerate(zip(labels, drawings, strict=True))
    )
    rendered, rendered_y, _ = datasets.render_pen_digits(
        physical, datasets.Rendering(copies=copies), seed=seed
    )
    return (
        np.vstack([exact, rendered]),
        np.concatenate([np.asarray(labels, dtype=np.int64), rendered_y]),
        np.concatenate([owner, np.repeat(owner, copies)]),
    )


def hold_back(labels: Sequence[int], share: float = HOLD_BACK) -> np.ndarray:
    """Which samples to hold back for evaluation: an evenly spread share of each digit.

    ``round(share * n)`` of a digit's ``n`` samples are held back, spread
    over the order they were given (with 0.2: the 5th and 10th of ten, the
    4th of four, none of two).

    Returns:
        A boolean mask, true for held-back samples.
    """
    labels = np.asarray(labels)
    mask = np.zeros(len(labels), dtype=bool)
    for digit in np.unique(labels):
        positions = np.flatnonzero(labels == digit)
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
    data = TrainingData(
        np.vstack([base.X, X]),
        np.concatenate([base.y, y]),
        base.sources,
        np.concatenate([base_groups, first + owner]),
    )
    weights = np.concatenate([np.ones(len(base.y)), np.full(len(y), weight)])
    return data, weights


def fit_weighted(
    data: TrainingData, weights: np.ndarray, *, n_jobs: int | None = CALIBRATION_FOLDS
) -> Any:
    """Fit the default recipe's calibrated SVC on rows with sample weights.

    Calibration folds keep each group whole (a writer, a scan and its
    copies, a personal drawing and its renderings), as the recipe does, and
    run in threads, all at once by default (measured 1.5 to 2.5 s quicker on
    a 100-sample retrain than two loky workers).
    """
    from tuipad.model import build_estimator
    from tuipad.training import fit_grouped

    estimator = build_estimator("default")
    calibrated = estimator.named_steps["svc"]
    calibrated.set_params(n_jobs=n_jobs)
    fit_grouped(estimator, data, folds=CALIBRATION_FOLDS, svc__sample_weight=weights)
    calibrated.set_params(n_jobs=None)
    return estimator


def _plain_svc(data: TrainingData, weights: np.ndarray) -> Any:
    """The recipe's SVC without calibration: quick, for the figures only."""
    from sklearn.base import clone

    from tuipad.model import build_estimator

    svc = clone(build_estimator("default").named_steps["svc"].estimator)
    return svc.fit(data.X, data.y, sample_weight=weights)


def train_personal(
    labels: Sequence[int],
    drawings: Sequence[Drawing],
    *,
    cache: Path | None = None,
    evaluate: bool = True,
    pen_indices: Sequence[int] | np.ndarray | None = None,
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
        cache: Directory caching the default recipe's rows (``None``: none).
        evaluate: Measure the figures first (the seed's split and held-back
            personal samples); ``False`` only fits the model to keep.
        pen_indices: Which shipped pen digits the default recipe uses.
        copies: Renderings of each personal sample (default :func:`copies_for`).
        weight: Sample weight of the personal rows.
        n_jobs: Threads for the calibration folds.
        seed: Seed of the augmentation and renderings.
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; true raises :class:`TrainingCancelled`.

    Returns:
        The fitted model with its figures.
    """
    from tuipad import datasets

    start = time.perf_counter()
    check = _stop_check(should_stop)
    if len(labels) != len(drawings):
        raise ValueError("labels and drawings differ in length")
    if copies is None:
        copies = copies_for(len(labels))
    X_scans, y_scans = datasets.load_scans()
    base = default_rows(
        X_scans,
        y_scans,
        pen_indices=pen_indices,
        cache=cache,
        progress=progress,
        should_stop=should_stop,
        seed=seed,
    )
    check()
    if progress:
        progress(f"rendering {len(labels)} personal samples", 0.0)
    X_personal, y_personal, owner = personal_rows(labels, drawings, copies=copies, seed=seed)
    check()
    metrics: dict[str, Any] = {
        "personal_samples": len(labels),
        "personal_copies": copies,
        "personal_weight": weight,
    }
    data, weights = _combine(base, X_personal, y_personal, owner, weight)
    stage = f"fitting the personal model on {len(data.y)} digits"
    if progress:
        progress(stage + (" and measuring it" if evaluate else ""), 0.0)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tuipad-measure") as pool:
        # The measurement's plain SVC fits beside the calibrated one: libsvm
        # lets go of the GIL while it fits, so the two share the cores.
        measured = (
            pool.submit(_evaluate, base, len(y_scans), X_personal, y_personal, owner, weight)
            if evaluate
            else None
        )
        estimator = fit_weighted(data, weights, n_jobs=n_jobs)
        if measured is not None:
            metrics.update(measured.result())
    check()
    if progress:
        progress(stage + (" and measuring it" if evaluate else ""), 1.0)
    seconds = time.perf_counter() - start
    metrics["seconds"] = round(seconds, 2)
    sources = (
        *base.sources,
        f"{len(labels)} personal samples x {copies + 1} renderings, weight {weight:g}",
    )
    return PersonalResult(estimator, sources, metrics, seconds)


def _evaluate(
    base: TrainingData,
    n_scans: int,
    X_personal: np.ndarray,
    y_personal: np.ndarray,
    owner: np.ndarray,
    weight: float,
) -> dict[str, Any]:
    """Figures from a plain SVC trained without the test scans and held-back samples.

    Runs in a thread beside the calibrated fit, so it reports no progress.
    """
    from tuipad import datasets

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
        metrics["personal_before"] = _bundled_accuracy(exact, truth)
    return metrics


def _bundled_accuracy(grids: np.ndarray, truth: np.ndarray) -> float | None:
    """The bundled default model's accuracy on grids: the figure before adapting."""
    from tuipad.model import DEFAULT_NAME, ModelError, bundled_models_dir, load_model, predict_grids

    try:
        estimator, _ = load_model(bundled_models_dir(), DEFAULT_NAME)
    except ModelError:
        return None
    predicted, _ = predict_grids(estimator, grids)
    return round(float((predicted == truth).mean()), 6)


# --------------------------------------------------------------------------- saving


def model_name(now: float | None = None) -> str:
    """A new personal model's name, ``personal-YYYYmmdd-HHMMSS`` (UTC)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))
    return f"{MODEL_PREFIX}-{stamp}"


def save_personal(
    result: PersonalResult, home: Path, *, name: str | None = None, activate: bool = True
) -> Any:
    """Save a personal model as a new trusted user model and (by default) make it active.

    Older automatically named personal models beyond the :data:`KEEP_MODELS`
    most recent are deleted, except the one that is active.

    Args:
        result: What :func:`train_personal` returned.
        home: The user data directory.
        name: The model's name (default :func:`model_name`).
        activate: Make it the model the sketchpad and the CLI use.

    Returns:
        The saved model's :class:`~tuipad.model.Manifest`.

    Raises:
        ValueError: A name that cannot name a user model.
    """
    from tuipad.model import active_name, check_name, save_model, set_active_name, user_models_dir

    directory = user_models_dir(home)
    if name is None:
        name = model_name()
        while (directory / f"{name}.json").exists():
            time.sleep(1)
            name = model_name()
    check_name(name)
    manifest = save_model(
        result.estimator,
        directory,
        name,
        recipe="default+personal",
        training_data=result.sources,
        metrics=result.metrics,
        trust_home=home,
    )
    if activate:
        set_active_name(home, name)
    active = active_name(home)
    older = sorted(directory.glob(f"{MODEL_PREFIX}-*-*.json"))[:-KEEP_MODELS]
    for manifest_path in older:
        stem = manifest_path.name[: -len(".json")]
        if stem != active:
            (directory / f"{stem}.pkl.gz").unlink(missing_ok=True)
            manifest_path.unlink(missing_ok=True)
    return manifest


def retrain_from_store(
    store: Any = None,
    *,
    home: Path | None = None,
    name: str | None = None,
    activate: bool = True,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    runner: Runner | None = None,
) -> tuple[PersonalResult, Any]:
    """Train on the store's samples, save the model and make it active.

    This is what ``tuipad train --personal`` and the training screen run.

    Args:
        store: An open :class:`~tuipad.samples.SampleStore` (default: the
            user's, opened and closed here).
        home: The user data directory (default :func:`~tuipad.model.data_home`).
        name: The new model's name (default ``personal-YYYYmmdd-HHMMSS``).
        activate: Make the new model the active one.
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; nothing is saved if it stops.
        runner: Runs :func:`train_personal` (default: in this thread); the app
            passes :func:`tuipad.background.run_in_process`.  Reading the
            store and saving stay here, so a cancelled run saves nothing.

    Returns:
        ``(result, manifest)``.

    Raises:
        ValueError: The store holds no samples, or a bad ``name``.
        TrainingCancelled: ``should_stop`` said so.
        StoreError: The store cannot be read.
    """
    from tuipad.model import check_name, data_home
    from tuipad.samples import SampleStore

    home = data_home() if home is None else home
    if name is not None:
        check_name(name)
    if store is None:
        with SampleStore.open(home / "samples.sqlite3") as opened:
            samples = opened.list()
    else:
        samples = store.list()
    if not samples:
        raise ValueError("there are no personal samples yet: correct or teach some digits first")
    from tuipad.background import run_in_thread

    result = (runner or run_in_thread)(
        train_personal,
        [s.label for s in samples],
        [s.strokes for s in samples],
        cache=cache_dir(home),
        progress=progress,
        should_stop=should_stop,
    )
    _stop_check(should_stop)()
    manifest = save_personal(result, home, name=name, activate=activate)
    return result, manifest
