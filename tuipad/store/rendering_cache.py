"""The pen digits rendered as terminal drawings, cached under the user data directory.

Rendering the shipped pen digits is the slow part of every training that uses
them, and it does not depend on the model family or on the scans: k-NN, the
MLP, the tuned SVC and the default recipe all join the same rendering to
their scans.  So it is kept once per way of rendering, as an ``.npz`` whose
name holds a hash of everything that shapes it: the pen digits, the number of
copies, the seed, the rendering, rasteriser and pen's path settings, the
numpy version and the source of the modules that draw, rasterise and read the
path.  Each row's grid is kept with its pen's path, so the models that read
paths share it too.  A cache that cannot be read or written only costs time.

Personal samples are rendered one by one, each seeded by its own content
(:func:`tuipad.core.personal.render_samples`), and kept in one file per way
of rendering: a retrain renders only the samples added since the last one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core import datasets, families, pen_path, pen_rendering, personal, raster
from tuipad.core.drawing_rows import COLUMNS, GRID_COLUMNS
from tuipad.core.fitting import ProgressCallback, TrainingData
from tuipad.core.rows import PenRows, pen_copies, render_pen_rows, spec_data
from tuipad.store.files import atomic_write

CACHE_VERSION = 4
"""Bump to invalidate every cached rendering."""

RENDERING_MODULES = (
    "raster.py",
    "geometry.py",
    "datasets.py",
    "pen_rendering.py",
    "pen_styles.py",
    "pen_path.py",
    "rows.py",
)
"""The core modules whose code shapes a rendering, so their source is part of the key."""

SAMPLE_MODULES = (
    "raster.py",
    "geometry.py",
    "datasets.py",
    "pen_rendering.py",
    "pen_styles.py",
    "pen_path.py",
    "personal.py",
)
"""The core modules whose code shapes a personal sample's renderings."""


def rendering_key(pen: datasets.PenDigits, copies: int, seed: int) -> str:
    """A hash of everything that shapes the rendering of ``pen`` with ``copies`` and ``seed``."""
    digest = hashlib.sha256()
    settings = [
        CACHE_VERSION,
        copies,
        seed,
        np.__version__,
        repr(pen_rendering.Rendering(copies=copies)),
        repr(raster.DEFAULT_PARAMS),
        pen_rendering.RENDER_CHUNK,
        pen_path.POINTS,
        pen_path.QUANTUM,
    ]
    digest.update(json.dumps(settings).encode())
    for array in (pen.labels, pen.writers, pen.points, pen.stroke_starts, pen.digit_starts):
        digest.update(str(array.dtype).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    _hash_sources(digest, RENDERING_MODULES)
    return digest.hexdigest()[:20]


def _hash_sources(digest: Any, names: Sequence[str]) -> None:
    package = Path(raster.__file__).parent
    for name in names:
        digest.update((package / name).read_bytes())


def sample_renderings_path(cache: Path, copies: int, seed: int) -> Path:
    """Where the personal samples' renderings with ``copies`` and ``seed`` are kept."""
    digest = hashlib.sha256()
    settings = [
        CACHE_VERSION,
        copies,
        seed,
        np.__version__,
        repr(raster.DEFAULT_PARAMS),
        pen_path.POINTS,
        pen_path.QUANTUM,
    ]
    digest.update(json.dumps(settings).encode())
    _hash_sources(digest, SAMPLE_MODULES)
    return cache / f"personal-x{copies}-{digest.hexdigest()[:20]}.npz"


def cached_sample_renderings(
    cache: Path | None,
    labels: Sequence[int],
    drawings: Sequence[personal.Drawing],
    *,
    copies: int,
    seed: int = 0,
) -> list[np.ndarray]:
    """Each sample's renderings, rendering only those the cache lacks.

    The file keeps just the samples given, so it never outgrows the store.

    Args:
        cache: Directory of the cache (``None``: render and keep nothing).
        labels: The samples' labels.
        drawings: Their drawings.
        copies: Renderings of each sample.
        seed: Seed of the renderings.

    Returns:
        One ``(copies, 142)`` array per sample: grids, then paths, as
        :func:`tuipad.core.personal.render_samples` gives them.
    """
    keys = [personal.sample_key(*sample) for sample in zip(labels, drawings, strict=True)]
    path = None if cache is None else sample_renderings_path(cache, copies, seed)
    kept = {} if path is None else _load_samples(path, copies)
    missing = [i for i, key in enumerate(keys) if key not in kept]
    if missing:
        rendered = personal.render_samples(
            [labels[i] for i in missing], [drawings[i] for i in missing], copies=copies, seed=seed
        )
        kept.update({keys[i]: rows for i, rows in zip(missing, rendered, strict=True)})
    renderings = [kept[key] for key in keys]
    if path is not None and (missing or len(kept) != len(set(keys))):
        _save_samples(path, keys, renderings, copies)
    return renderings


def _load_samples(path: Path, copies: int) -> dict[str, np.ndarray]:
    """The kept renderings by sample key: grids, then paths."""
    try:
        with np.load(path, allow_pickle=False) as arrays:
            keys, rows = arrays["keys"], arrays["rows"].astype(float)
            paths = arrays["paths"] / pen_path.QUANTUM
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return {}
    if rows.shape[1:] != (copies, GRID_COLUMNS) or len(rows) != len(keys):
        return {}
    if paths.shape != (len(keys), copies, pen_path.WIDTH):
        return {}
    rows = np.concatenate([rows, paths], axis=2)
    return dict(zip((str(key) for key in keys), rows, strict=True))


def _save_samples(
    path: Path, keys: Sequence[str], renderings: Sequence[np.ndarray], copies: int
) -> None:
    """Write the renderings: grids as bytes, and paths as signed bytes."""
    rows = np.asarray(renderings).reshape(len(keys), copies, COLUMNS)
    grids = _whole(rows[..., :GRID_COLUMNS], np.uint8)
    paths = _whole(rows[..., GRID_COLUMNS:] * pen_path.QUANTUM, np.int8)
    if grids is None or paths is None:
        return
    arrays: dict[str, Any] = {"keys": np.array(keys), "rows": grids, "paths": paths}
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        atomic_write(path, buffer.getvalue())


def _whole(values: np.ndarray, dtype: type[np.integer[Any]]) -> np.ndarray | None:
    """``values`` as ``dtype``, or ``None`` (nothing is kept) if it cannot hold them exactly."""
    limits = np.iinfo(dtype)
    fits = not values.size or (limits.min <= values.min() and values.max() <= limits.max)
    if not fits or not np.array_equal(values, np.rint(values)):
        return None
    return values.astype(dtype)


def cache_path(
    spec: families.TrainingSpec, cache: Path, pen: datasets.PenDigits, *, whole: bool = True
) -> Path:
    """Where the rendering of ``pen`` for ``spec`` is kept (``whole``: all the shipped digits)."""
    copies = pen_copies(spec)
    kind = "all" if whole else "some"
    return cache / f"pen-rows-{kind}-x{copies}-{rendering_key(pen, copies, spec.seed)}.npz"


def cached_pen_rows(
    spec: families.TrainingSpec,
    cache: Path | None,
    *,
    pen_indices: Sequence[int] | np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> PenRows:
    """The pen digits rendered as ``spec`` asks, from the cache when it holds them.

    Args:
        spec: What is being trained (its ``augment`` and ``seed`` shape the rendering).
        cache: Directory of the cache (``None``: render and keep nothing).
        pen_indices: Which shipped pen digits to use (default: all).
        progress: Reports the rendering, or the loading of the cached one.
        should_stop: Checked while rendering; true raises ``TrainingCancelled``.
    """
    pen = datasets.load_pen_digits()
    if pen_indices is not None:
        pen = pen.subset(pen_indices)
    path = None
    if cache is not None:
        path = cache_path(spec, cache, pen, whole=pen_indices is None)
        cached = _load(path)
        if cached is not None:
            if progress:
                progress("loading the rendered pen digits", 1.0)
            return cached
    rows = render_pen_rows(spec, pen, progress=progress, should_stop=should_stop)
    if path is not None:
        _save(path, rows, replaces_others=pen_indices is None)
    return rows


def default_rows(
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: Sequence[int] | np.ndarray | None = None,
    cache: Path | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    seed: int = 0,
) -> TrainingData:
    """The default recipe's rows, its pen digits rendered once and cached.

    Returns:
        The rows of ``recipe_data("default", ...)``.
    """
    spec = replace(families.RECIPE_SPECS["default"], seed=seed)
    pen = cached_pen_rows(
        spec, cache, pen_indices=pen_indices, progress=progress, should_stop=should_stop
    )
    return spec_data(spec, scans_X, scans_y, pen_rows=pen)


def _save(path: Path, rows: PenRows, *, replaces_others: bool) -> None:
    """Write ``rows`` (grids and paths as bytes); a full set replaces stale full sets."""
    grids = _whole(rows.X, np.uint8)
    paths = _whole(rows.paths * pen_path.QUANTUM, np.int8)
    if grids is None or paths is None:
        return
    buffer = io.BytesIO()
    np.savez(
        buffer,
        X=grids,
        y=rows.y.astype(np.int8),
        writer_ids=rows.writer_ids.astype(np.int64),
        source=np.array(rows.source),
        paths=paths,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, buffer.getvalue())
        if replaces_others:
            # A tuipad upgrade or another copy count leaves the old full set stale.
            same_copies = path.name.rsplit("-", 1)[0]
            for old in path.parent.glob(f"{same_copies}-*.npz"):
                if old != path:
                    old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _load(path: Path) -> PenRows | None:
    """The rows kept at ``path``, or ``None`` if it holds none, or none with paths."""
    try:
        with np.load(path, allow_pickle=False) as arrays:
            rows = PenRows(
                X=arrays["X"].astype(float),
                y=arrays["y"].astype(np.int64),
                writer_ids=arrays["writer_ids"].astype(np.int64),
                source=str(arrays["source"]),
                paths=arrays["paths"] / pen_path.QUANTUM,
            )
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None
    return rows if rows.paths.shape == (len(rows.y), pen_path.WIDTH) else None
