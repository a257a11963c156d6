"""Training and evaluation data: the scanned digits and the shipped pen digits.

Two sources teach tuipad's models:

* ``load_digits`` (scikit-learn's 1,797 scanned 8x8 digits), split in halves
  exactly as the original demo did;
* real pen-written digits from two collections on two continents, shipped
  inside the package (see ``data/ATTRIBUTION.md``): UNIPEN (10,572 digits,
  about 125 writers, ``data/unipen-digits.npz``) and UCI pendigits (7,494
  digits, 30 writers in Istanbul, ``data/pendigits-digits.npz``).  They are
  replayed the way a terminal reports a mouse drag (whole cells or sub-cell
  pixels, at several digit heights) and go through the same rasteriser as a
  drawing made in the app.

Nothing here imports Textual or rich.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from tuipad.core.pen_rendering import Rendering

PEN_DATA = {"UNIPEN": "unipen-digits.npz", "UCI pendigits": "pendigits-digits.npz"}
"""The shipped pen-digit collections, by name, and their files inside ``tuipad/data``."""


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

    def slice(self, start: int, stop: int) -> PenDigits:
        """A new set holding digits ``start`` to ``stop - 1`` (array slices, no copy loop)."""
        stop = min(stop, len(self))
        first, last = int(self.digit_starts[start]), int(self.digit_starts[stop])
        begin, end = int(self.stroke_starts[first]), int(self.stroke_starts[last])
        return PenDigits(
            labels=self.labels[start:stop],
            writers=self.writers[start:stop],
            points=self.points[begin:end],
            stroke_starts=self.stroke_starts[first : last + 1] - begin,
            digit_starts=self.digit_starts[start : stop + 1] - first,
        )

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
    """Load the pen-written digits shipped inside the package, every collection in one set.

    Writer ids carry their collection's prefix (``syn:…``, ``pendigits:tra01``),
    so they stay distinct across collections.
    """
    return concatenate([_load_collection(name) for name in PEN_DATA.values()])


PENDIGITS_WRITERS = "pendigits:"
"""How the UCI pendigits collection's writer ids start; every other writer is UNIPEN's."""


def collections_of(pen: PenDigits) -> list[str]:
    """The names of the collections (keys of :data:`PEN_DATA`) some digit of ``pen`` is from."""
    from_pendigits = np.char.startswith(pen.writers.astype(str), PENDIGITS_WRITERS)
    present = {"UCI pendigits": bool(from_pendigits.any()), "UNIPEN": bool((~from_pendigits).any())}
    return [name for name in PEN_DATA if present[name]]


def _load_collection(file_name: str) -> PenDigits:
    with resources.files("tuipad.data").joinpath(file_name).open("rb") as file:
        arrays = np.load(file)
        return PenDigits(
            labels=arrays["labels"].astype(np.int64),
            writers=arrays["writers"],
            points=arrays["points"].astype(float),
            stroke_starts=arrays["stroke_starts"].astype(np.int64),
            digit_starts=arrays["digit_starts"].astype(np.int64),
        )


def concatenate(parts: Sequence[PenDigits]) -> PenDigits:
    """One :class:`PenDigits` holding every digit of ``parts``, in order."""
    stroke_offsets = np.cumsum([0] + [len(part.points) for part in parts])
    digit_offsets = np.cumsum([0] + [len(part.stroke_starts) - 1 for part in parts])
    stroke_starts, digit_starts = [np.zeros(1, np.int64)], [np.zeros(1, np.int64)]
    for part, strokes_before, digits_before in zip(
        parts, stroke_offsets[:-1], digit_offsets[:-1], strict=True
    ):
        stroke_starts.append(part.stroke_starts[1:] + strokes_before)
        digit_starts.append(part.digit_starts[1:] + digits_before)
    return PenDigits(
        labels=np.concatenate([part.labels for part in parts]),
        writers=np.concatenate([part.writers.astype(str) for part in parts]),
        points=np.concatenate([part.points for part in parts]),
        stroke_starts=np.concatenate(stroke_starts).astype(np.int64),
        digit_starts=np.concatenate(digit_starts).astype(np.int64),
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


def augment_scans(
    X: np.ndarray,
    y: np.ndarray,
    *,
    copies: int = 1,
    seed: int = 0,
    rendering: Rendering | None = None,
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
        rendering: The distortion limits (default: the pen digits' own).

    Returns:
        ``(X_aug, y_aug)`` with ``n * copies`` rows.
    """
    from scipy.ndimage import affine_transform, zoom

    rendering = rendering or Rendering()
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
