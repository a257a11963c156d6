"""Training and evaluation data: the scanned digits and the shipped pen digits.

Two sources teach tuipad's models:

* ``load_digits`` (scikit-learn's 1,797 scanned 8x8 digits), split in halves
  exactly as the original demo did;
* real pen-written digits from UNIPEN (10,572 digits, about 125 writers),
  shipped inside the package as ``data/unipen-digits.npz`` (see
  ``data/ATTRIBUTION.md``).  They are replayed the way a terminal reports a
  mouse drag (whole cells or sub-cell pixels, at several digit heights) and
  go through the same rasteriser as a drawing made in the app.

Nothing here imports Textual or rich.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from tuipad.core.geometry import CELL_ASPECT
from tuipad.core.raster import to_digits8x8

PEN_DATA = "unipen-digits.npz"
"""File name of the shipped pen digits inside ``tuipad/data``."""


@dataclass(frozen=True)
class PenDigits:
    """Pen-written digits as flat arrays, cheap to ship and to load.

    Attributes:
        labels: ``(n,)`` digit of each drawing.
        writers: ``(n,)`` stable writer id of each drawing.
        points: ``(p, 2)`` all pen samples, in tablet units, y downwards.
        stroke_starts: ``(s + 1,)`` offsets of each stroke into ``points``.
        digit_starts: ``(n + 1,)`` offsets of each digit into the strokes.
    """

    labels: np.ndarray
    writers: np.ndarray
    points: np.ndarray
    stroke_starts: np.ndarray
    digit_starts: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def strokes(self, index: int) -> list[np.ndarray]:
        """The strokes of one digit, each an ``(n, 2)`` float array."""
        first, last = self.digit_starts[index], self.digit_starts[index + 1]
        bounds = self.stroke_starts[first : last + 1]
        pairs = zip(bounds[:-1], bounds[1:], strict=True)
        return [self.points[start:end].astype(float) for start, end in pairs]

    def subset(self, indices: Sequence[int] | np.ndarray) -> PenDigits:
        """A new set holding only the digits at ``indices``."""
        return from_records(
            (int(self.labels[i]), str(self.writers[i]), self.strokes(i)) for i in indices
        )


def from_records(records: Iterable[tuple[int, str, Sequence[Any]]]) -> PenDigits:
    """Pack ``(label, writer, strokes)`` records into a :class:`PenDigits`."""
    labels: list[int] = []
    writers: list[str] = []
    points: list[np.ndarray] = []
    stroke_starts = [0]
    digit_starts = [0]
    for label, writer, strokes in records:
        for stroke in strokes:
            array = np.asarray(stroke, dtype=float).reshape(-1, 2)
            if len(array):
                points.append(array)
                stroke_starts.append(stroke_starts[-1] + len(array))
        labels.append(label)
        writers.append(writer)
        digit_starts.append(len(stroke_starts) - 1)
    return PenDigits(
        labels=np.asarray(labels, dtype=np.int64),
        writers=np.asarray(writers, dtype=str),
        points=np.concatenate(points) if points else np.zeros((0, 2)),
        stroke_starts=np.asarray(stroke_starts, dtype=np.int64),
        digit_starts=np.asarray(digit_starts, dtype=np.int64),
    )


def load_pen_digits() -> PenDigits:
    """Load the pen-written digits shipped inside the package."""
    with resources.files("tuipad.data").joinpath(PEN_DATA).open("rb") as file:
        arrays = np.load(file)
        return PenDigits(
            labels=arrays["labels"].astype(np.int64),
            writers=arrays["writers"],
            points=arrays["points"].astype(float),
            stroke_starts=arrays["stroke_starts"].astype(np.int64),
            digit_starts=arrays["digit_starts"].astype(np.int64),
        )


def load_scans() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 scanned digits of ``load_digits`` as ``(X, y)``."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data, digits.target


def seed_split(
    X: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The original demo's split: first half to train, second half to test.

    Returns:
        ``X_train, X_test, y_train, y_test`` (898 and 899 scans).
    """
    half = len(X) // 2
    return X[:half], X[half:], y[:half], y[half:]


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
    """

    rows: tuple[float, ...] = (7, 8, 10, 12, 14, 18)
    modes: tuple[str, ...] = ("cells", "pixels")
    copies: int = 2
    rotate: float = 8.0
    shear: float = 0.15
    stretch: float = 0.15


def _distort(
    strokes: list[np.ndarray], rng: np.random.Generator, rendering: Rendering
) -> list[np.ndarray]:
    """Rotate, shear and stretch a pen trajectory by a small random amount."""
    angle = math.radians(rng.uniform(-rendering.rotate, rendering.rotate))
    shear = rng.uniform(-rendering.shear, rendering.shear)
    stretch = 1 + rng.uniform(-rendering.stretch, rendering.stretch)
    cos, sin = math.cos(angle), math.sin(angle)
    matrix = np.array([[cos, -sin], [sin, cos]]) @ np.array([[stretch, shear], [0.0, 1.0]])
    return [stroke @ matrix.T for stroke in strokes]


def render_pen_digits(
    digits: PenDigits,
    rendering: Rendering = Rendering(),
    *,
    seed: int = 0,
    progress: Iterator[None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replay pen digits as terminal drawings and rasterise them.

    The first copy of each digit is undistorted; the rest are distorted.
    Heights, modes and the sub-cell position of the digit on the canvas are
    drawn at random, so cell quantisation falls differently each time.

    Args:
        digits: The pen digits.
        rendering: Heights, modes, copies and distortion.
        seed: Seed of the random generator.
        progress: Advanced once per digit, if given.

    Returns:
        ``(X, y, writers)``: ``X`` is ``(n * copies, 64)`` of 0..16 values.
    """
    rng = np.random.default_rng(seed)
    features = []
    for index in range(len(digits)):
        strokes = digits.strokes(index)
        for copy in range(rendering.copies):
            shape = strokes if copy == 0 else _distort(strokes, rng, rendering)
            drawing = replay(
                shape,
                rows=float(rng.choice(rendering.rows)),
                mode=str(rng.choice(rendering.modes)),
                left=4 + rng.uniform(0, 1),
                top=2 + rng.uniform(0, 1),
            )
            features.append(to_digits8x8(drawing).ravel())
        if progress is not None:
            next(progress, None)
    X = np.asarray(features, dtype=float)
    y = np.repeat(digits.labels, rendering.copies)
    writers = np.repeat(digits.writers, rendering.copies)
    return X, y, writers


def augment_scans(
    X: np.ndarray,
    y: np.ndarray,
    *,
    copies: int = 1,
    seed: int = 0,
    rendering: Rendering = Rendering(),
) -> tuple[np.ndarray, np.ndarray]:
    """Make distorted copies of scanned 8x8 digits.

    Each scan is blown up to 32x32 coverage, rotated, sheared and stretched
    a little about its centre and counted back into 4x4 blocks, so the
    model sees scans from writers a little unlike the 43 who wrote them.

    Args:
        X: ``(n, 64)`` scans, values 0..16.
        y: ``(n,)`` labels.
        copies: Distorted copies made of each scan.
        seed: Seed of the random generator.
        rendering: The distortion limits (shared with the pen digits).

    Returns:
        ``(X_aug, y_aug)`` with ``n * copies`` rows.
    """
    from scipy.ndimage import affine_transform, zoom

    rng = np.random.default_rng(seed)
    out = []
    for image in X.reshape(-1, 8, 8):
        large = zoom(image / 16.0, 4, order=1, mode="nearest", grid_mode=True)
        for _ in range(copies):
            angle = math.radians(rng.uniform(-rendering.rotate, rendering.rotate))
            shear = rng.uniform(-rendering.shear, rendering.shear)
            stretch = 1 + rng.uniform(-rendering.stretch, rendering.stretch)
            cos, sin = math.cos(angle), math.sin(angle)
            # Maps output (row, col) to input (row, col): inverse of the distortion.
            forward = np.array([[cos, sin], [-sin, cos]]) @ np.array([[1.0, 0.0], [shear, stretch]])
            inverse = np.linalg.inv(forward)
            centre = np.array([15.5, 15.5])
            moved = affine_transform(large, inverse, offset=centre - inverse @ centre, order=1)
            blocks = moved.reshape(8, 4, 8, 4).mean(axis=(1, 3)) * 16
            out.append(np.clip(np.rint(blocks), 0, 16).ravel())
    return np.asarray(out), np.repeat(y, copies)
