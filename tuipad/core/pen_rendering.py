"""Pen digits replayed as terminal drawings: what the models learn terminal drawing from.

A pen trajectory is replayed the way a terminal reports a mouse drag (whole
cells or sub-cell pixels, at several digit heights, see :func:`replay`),
distorted a little for the copies (:class:`Rendering`), and rasterised by the
same path as a drawing made in the app.  :func:`render_pen_digits` renders a
large set in chunks over the machine's cores, each chunk with its own seed,
so the rows are the same whatever the number of cores.  Asked for, each row
also holds the pen's path of the drawing its grid is made from
(:func:`~tuipad.core.pen_path.path_features`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tuipad.core import pen_path
from tuipad.core.drawing_rows import COLUMNS, GRID_COLUMNS
from tuipad.core.geometry import CELL_ASPECT
from tuipad.core.pen_styles import restyle
from tuipad.core.raster import to_digits8x8

if TYPE_CHECKING:
    from tuipad.core.datasets import PenDigits


def replay(
    strokes: Sequence[np.ndarray],
    *,
    rows: float = 12,
    mode: str = "cells",
    aspect: float = CELL_ASPECT,
    left: float = 4,
    top: float = 2,
) -> list[list[list[float]]]:
    """Turn a pen trajectory into the mouse reports a terminal would send.

    The geometry is that of the project's shared ``bench/replay.py``: the
    digit is scaled to ``rows`` rows, a row spans ``aspect`` columns of the
    same physical length, and each pen sample becomes a report at a whole
    cell (``"cells"``) or a tenth of a cell (``"pixels"``); repeats are
    dropped as terminals do.

    Args:
        strokes: Pen-down strokes in any unit, y downwards.
        rows: Digit height in terminal rows.
        mode: ``"cells"`` or ``"pixels"``.
        aspect: Cell height over cell width.
        left: Canvas column of the digit's left edge.
        top: Canvas row of the digit's top edge.

    Returns:
        Strokes of ``[column, row]`` reports.
    """
    points = np.concatenate(strokes)
    x0, y0 = points.min(axis=0)
    height = float(points[:, 1].max() - y0) or 1.0
    row_len = height / rows
    col_len = row_len / aspect
    out = []
    for stroke in strokes:
        cx = left + (stroke[:, 0] - x0) / col_len
        cy = top + (stroke[:, 1] - y0) / row_len
        if mode == "cells":
            pos = np.column_stack((np.floor(cx), np.floor(cy)))
        else:
            pos = np.column_stack((np.round(cx, 1), np.round(cy, 1)))
        keep = np.ones(len(pos), dtype=bool)
        keep[1:] = (pos[1:] != pos[:-1]).any(axis=1)
        if keep.any():
            out.append(pos[keep].tolist())
    return out


@dataclass(frozen=True)
class Rendering:
    """How pen digits are replayed and distorted to make training drawings.

    Attributes:
        rows: Digit heights (terminal rows) to draw from.
        modes: Mouse reporting modes to draw from.
        copies: Drawings made from each pen digit.
        rotate: Largest rotation, in degrees, either way.
        shear: Largest horizontal shear, either way.
        stretch: Largest relative change of width, either way.
        lead: Largest change of the first stroke's lead-in, as a share of
            the digit's height: cut short, or drawn on in its direction.
        tail: The same for the last stroke's tail.
        proportions: Largest change of how the digit's height is shared out (a 9's
            loop against its tail, a 2's curve against its base), as the log of the
            power each point's share of the height is raised to.  Zero leaves them,
            and draws no random number, so renderings made without it stay the same.
        styles: Share of the distorted copies of 1s, 9s and 2s drawn in another
            writer's style, where the digit is written the way the change
            expects (see :mod:`tuipad.core.pen_styles`).  Personal samples are
            rendered without: they are the user's own style.
    """

    rows: tuple[float, ...] = (7, 8, 10, 12, 14, 18)
    modes: tuple[str, ...] = ("cells", "pixels")
    copies: int = 2
    rotate: float = 8.0
    shear: float = 0.15
    stretch: float = 0.15
    lead: float = 0.25
    tail: float = 0.25
    proportions: float = 0.0
    styles: float = 0.5


def _distort(
    strokes: list[np.ndarray], rng: np.random.Generator, rendering: Rendering
) -> list[np.ndarray]:
    """Rotate, shear and stretch a pen trajectory a little, and change its ends.

    Writers differ most in how a digit starts and ends (a 1 with or without
    a long up-stroke, a 9 with a short or a long hooked tail), so the first
    stroke's start and the last stroke's end are cut short or drawn on.
    """
    angle = math.radians(rng.uniform(-rendering.rotate, rendering.rotate))
    shear = rng.uniform(-rendering.shear, rendering.shear)
    stretch = 1 + rng.uniform(-rendering.stretch, rendering.stretch)
    lead = rng.uniform(-rendering.lead, rendering.lead)
    tail = rng.uniform(-rendering.tail, rendering.tail)
    cos, sin = math.cos(angle), math.sin(angle)
    matrix = np.array([[cos, -sin], [sin, cos]]) @ np.array([[stretch, shear], [0.0, 1.0]])
    moved = [stroke @ matrix.T for stroke in strokes]
    everything = np.concatenate(moved)
    height = float(np.ptp(everything[:, 1])) or 1.0
    moved[0] = _change_end(moved[0][::-1], lead * height)[::-1]
    moved[-1] = _change_end(moved[-1], tail * height)
    if rendering.proportions > 0:
        change = rendering.proportions
        moved = _share_height(moved, math.exp(rng.uniform(-change, change)))
    return moved


def _share_height(strokes: list[np.ndarray], power: float) -> list[np.ndarray]:
    """Strokes whose points' shares of the height (0 at the top) are raised to ``power``.

    Above 1 the upper part of the digit gets less of the height and the lower part
    more (a 9 with a small loop and a long tail); below 1 the other way round.
    """
    points = np.concatenate(strokes)
    top, height = float(points[:, 1].min()), float(np.ptp(points[:, 1]))
    if height == 0:
        return strokes
    return [
        np.column_stack((stroke[:, 0], top + height * ((stroke[:, 1] - top) / height) ** power))
        for stroke in strokes
    ]


def _change_end(stroke: np.ndarray, change: float) -> np.ndarray:
    """A stroke whose end is cut by ``-change`` or drawn on by ``change`` (same units).

    Never cuts more than half the stroke; draws on in the direction of its
    last stretch (the last tenth of its length), so hooks stay hooks.
    """
    if len(stroke) < 2:
        return stroke
    lengths = np.hypot(*np.diff(stroke, axis=0).T)
    along = np.concatenate(([0.0], np.cumsum(lengths)))
    total = float(along[-1])
    if total == 0:
        return stroke
    if change < 0:
        keep = total - min(-change, total / 2)
        last = int(np.searchsorted(along, keep))
        end = np.array([np.interp(keep, along, stroke[:, i]) for i in (0, 1)])
        return np.vstack([stroke[:last], end])
    start = int(np.searchsorted(along, total * 0.9))
    direction = stroke[-1] - stroke[min(start, len(stroke) - 2)]
    norm = float(np.hypot(*direction))
    if norm == 0:
        return stroke
    steps = np.linspace(0, change, max(2, int(len(stroke) * change / total) + 1))[1:]
    return np.vstack([stroke, stroke[-1] + np.outer(steps, direction / norm)])


RENDER_CHUNK = 500
"""Digits rendered per chunk; each chunk has its own seed, so this fixes the rows."""


def row_width(paths: bool) -> int:
    """Columns of a rendered row: the 8x8 grid, then the pen's path when asked for."""
    return COLUMNS if paths else GRID_COLUMNS


def render_pen_digits(
    digits: PenDigits,
    rendering: Rendering = Rendering(),
    *,
    seed: int = 0,
    progress: Iterator[None] | None = None,
    jobs: int | None = None,
    paths: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replay pen digits as terminal drawings and rasterise them.

    The first copy of each digit is undistorted and starts on a cell's edge;
    the rest are distorted and start anywhere in a cell.  Heights and modes are
    drawn at random, so cell quantisation falls differently each time.  More
    than one chunk of digits is rendered in forked processes, one per core
    (rasterising is Python-bound, so threads would not help).

    Args:
        digits: The pen digits.
        rendering: Heights, modes, copies and distortion.
        seed: Seed of the random generators.
        progress: Advanced once per digit, if given (per chunk as chunks finish).
        jobs: Processes to render in (default: one per core; 1 renders here).
        paths: Whether each row also holds the pen's path of its drawing.

    Returns:
        ``(X, y, writers)``: ``X`` is ``(n * copies, 64)`` of 0..16 values,
        with ``paths`` ``(n * copies, 142)``: the grid, then the path's
        :data:`~tuipad.core.pen_path.WIDTH` values.
    """
    starts = range(0, len(digits), RENDER_CHUNK)
    seeds = np.random.SeedSequence(seed).spawn(len(starts))
    chunks = [
        (digits.slice(start, start + RENDER_CHUNK), rendering, s, paths)
        for start, s in zip(starts, seeds, strict=True)
    ]
    jobs = min(jobs or _cores(), len(chunks))
    if jobs <= 1 or not _forking_is_safe():
        parts = []
        for chunk in chunks:
            parts.append(_render_chunk(*chunk))
            _advance(progress, len(chunk[0]))
    else:
        parts = _render_in_processes(chunks, jobs, progress)
    X = np.vstack(parts) if parts else np.zeros((0, row_width(paths)))
    y = np.repeat(digits.labels, rendering.copies)
    writers = np.repeat(digits.writers, rendering.copies)
    return X, y, writers


def render_each(
    digits: PenDigits,
    rendering: Rendering,
    seeds: Sequence[np.random.SeedSequence],
    *,
    paths: bool = False,
) -> list[np.ndarray]:
    """Each digit rendered with its own seed, so its rows depend on nothing else.

    What a cache of single digits needs (personal samples come and go one at
    a time); the shipped pen digits are rendered by chunk instead.

    Returns:
        One ``(copies, 64)`` array of 0..16 values per digit, ``(copies, 142)``
        with ``paths`` (as :func:`render_pen_digits`).
    """
    return [
        _render_chunk(digits.slice(index, index + 1), rendering, seed, paths)
        for index, seed in enumerate(seeds)
    ]


def _render_in_processes(
    chunks: list[tuple[PenDigits, Rendering, np.random.SeedSequence, bool]],
    jobs: int,
    progress: Iterator[None] | None,
) -> list[np.ndarray]:
    """Render chunks in ``jobs`` forked processes, in order, advancing ``progress``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked, not spawned: a spawned worker re-imports the caller's main
    # script, which fails for scripts without a ``__main__`` guard.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_end_with_parent) as pool:
        futures = [pool.submit(_render_chunk, *chunk) for chunk in chunks]
        try:
            for future, chunk in zip(futures, chunks, strict=True):
                future.result()
                _advance(progress, len(chunk[0]))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return [future.result() for future in futures]


def _render_chunk(
    digits: PenDigits, rendering: Rendering, seed: np.random.SeedSequence, paths: bool = False
) -> np.ndarray:
    """``(n * copies, 64)`` grids of one chunk of digits, each followed by its path if ``paths``.

    The path is read off the same replayed strokes as the grid, stray marks
    and all, so asking for it draws no random number and leaves the grids as
    they are.
    """
    rng = np.random.default_rng(seed)
    # Styles draw from their own generator, so a digit without one is
    # rendered as it would be without styles.  Its seed is derived without
    # ``spawn``, which would change ``seed`` and so the next rendering with it.
    styles_seed = np.random.SeedSequence(
        seed.entropy, spawn_key=(*seed.spawn_key, 0), pool_size=seed.pool_size
    )
    styles_rng = np.random.default_rng(styles_seed)
    features = []
    for index in range(len(digits)):
        strokes = digits.strokes(index)
        for copy in range(rendering.copies):
            if copy == 0:
                shape = strokes
            else:
                styled = restyle(strokes, digits.labels[index], styles_rng, rendering.styles)
                shape = _distort(styled, rng, rendering)
            # The copy as written starts on a cell's edge, as shared/bench/replay.py puts a
            # digit: its top and bottom are then reported exactly while the strokes between
            # are floored, half a row high against its box.  The others start anywhere in
            # a cell, as a digit drawn by hand does.
            within = (rng.uniform(0, 1), rng.uniform(0, 1)) if copy else (0.0, 0.0)
            drawing = replay(
                shape,
                rows=float(rng.choice(rendering.rows)),
                mode=str(rng.choice(rendering.modes)),
                left=4 + within[0],
                top=2 + within[1],
            )
            row = to_digits8x8(drawing).ravel()
            if paths:
                row = np.r_[row, pen_path.path_features([np.asarray(s) for s in drawing])]
            features.append(row)
    return np.asarray(features, dtype=float).reshape(-1, row_width(paths))


def _advance(progress: Iterator[None] | None, steps: int) -> None:
    for _ in range(steps if progress is not None else 0):
        next(progress, None)  # type: ignore[arg-type]


def _end_with_parent() -> None:
    """In a render worker: exit when the parent is gone.

    A parent killed outright (SIGKILL, out of memory) cannot shut its pool
    down, and its workers would wait on the pool's queue for ever.
    """
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="tuipad-render-watch", daemon=True).start()


def _forking_is_safe() -> bool:
    """Whether this process can fork render workers: on Linux, alone, and not a daemon.

    A thread holding a lock when the process forks leaves the lock held for
    ever in the child, so beside other threads (an app's) the digits are
    rendered here instead; multiprocessing gives a daemonic process (the app's
    training child, see :mod:`tuipad.background`) no children; and on macOS
    forking after system libraries have started is unsafe.
    """
    import multiprocessing
    import sys
    import threading

    alone = threading.active_count() == 1
    daemonic = multiprocessing.current_process().daemon
    return sys.platform.startswith("linux") and alone and not daemonic


def _cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1
