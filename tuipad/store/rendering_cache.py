"""The default recipe's rendered training rows, cached under the user data directory.

Rendering the pen digits is most of a cold personal retrain, so the rows are
kept as an ``.npz`` keyed by a hash of everything that shapes them: the scans,
the pen digits, the recipe constants and the core's source.  A cache that
cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core import datasets, families, pen_rendering, raster
from tuipad.core.fitting import ProgressCallback, TrainingData
from tuipad.core.rows import spec_data
from tuipad.store.files import atomic_write
from tuipad.store.paths import Paths

CACHE_VERSION = 2
"""Bump to invalidate every cached set of default-recipe rows."""


def _rows_key(scans_X: np.ndarray, scans_y: np.ndarray, pen: Any, seed: int) -> str:
    """A hash of everything that shapes the default recipe's rows."""
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            [
                CACHE_VERSION,
                seed,
                families.SCAN_COPIES,
                families.PEN_COPIES,
                repr(pen_rendering.Rendering()),
                repr(raster.DEFAULT_PARAMS),
            ]
        ).encode()
    )
    for array in (scans_X, scans_y, *_pen_arrays(pen)):
        digest.update(str(array.dtype).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    package = Path(raster.__file__).parent
    for name in (
        "raster.py",
        "geometry.py",
        "datasets.py",
        "pen_rendering.py",
        "families.py",
        "rows.py",
        "training.py",
        "features.py",
        "fitting.py",
    ):
        source = package / name
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def _pen_arrays(pen: Any) -> tuple[np.ndarray, ...]:
    return (pen.labels, pen.writers, pen.points, pen.stroke_starts, pen.digit_starts)


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
        replace(families.RECIPE_SPECS["default"], seed=seed),
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
            calibration_rows=np.zeros(0, dtype=bool)
            if data.calibration_rows is None
            else data.calibration_rows.astype(bool),
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
    home: Path,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> bool:
    """Render and cache the default recipe's rows now, so a later full refit only fits.

    Does nothing if the cache is already warm, or
    if another warm-up (this process or another tuipad) holds the cache's
    lock: the cache file itself is written atomically, so a retrain that
    renders at the same time only does the same work twice.

    Returns:
        ``False`` when another warm-up was running (nothing done), else ``True``.
    """
    import fcntl

    directory = Paths(home).cache
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".warming.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        X, y = datasets.load_scans()
        default_rows(X, y, cache=directory, progress=progress, should_stop=should_stop)
        return True


def _load_rows(path: Path) -> TrainingData | None:
    try:
        with np.load(path, allow_pickle=False) as arrays:
            groups = arrays["groups"].astype(np.int64)
            by_writers = arrays["calibration_rows"].astype(bool)
            return TrainingData(
                X=arrays["X"].astype(float),
                y=arrays["y"].astype(np.int64),
                sources=tuple(json.loads(str(arrays["sources"]))),
                groups=groups if len(groups) else None,
                calibration_rows=by_writers if len(by_writers) else None,
            )
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None
