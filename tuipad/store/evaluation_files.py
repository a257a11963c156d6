"""A saved model's test: the digits it was tested on and what it read, beside its files.

A saved model is refit on all the scans, so it cannot be tested again on the
held-out half: the figures of its training (the half-split or cross-validated
model) are kept at save time in ``<name>.evaluation.npz``, a numpy archive
with no pickles.  It holds the tested grids, their labels, the predictions
and the scores, so the training screen can show the report, the confusion
matrix and the digits behind each cell of any saved model; and the same for
the drawn digits of a strokes file it was also tested on.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.store.files import atomic_write
from tuipad.store.model_names import REPORT_ENDING

SUFFIX = f"{REPORT_ENDING}.npz"
"""What follows a model's name in its evaluation file's name."""


@dataclass(frozen=True)
class SavedEvaluation:
    """The digits a model was tested on and what it read.

    Attributes:
        grids: ``(n, 64)`` 8x8 grids, ints 0..16.
        labels: ``(n,)`` true digits.
        predicted: ``(n,)`` digits read.
        scores: ``(n, 10)`` scores.
        drawn: The drawn digits of a strokes file it was also tested on, if any.
    """

    grids: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    scores: np.ndarray
    drawn: SavedEvaluation | None = None


FIELDS = ("grids", "labels", "predicted", "scores")
"""The arrays of each test set, in :class:`SavedEvaluation`'s order."""

DRAWN = "drawn_"
"""What starts the names of the drawn digits' arrays in the archive."""


def evaluation_path(directory: Path, name: str) -> Path:
    """Where the evaluation of model ``name`` in ``directory`` is kept."""
    return directory / f"{name}{SUFFIX}"


def save_evaluation(directory: Path, name: str, saved: SavedEvaluation) -> None:
    """Keep a model's test beside its files (small types: about 100 kB for 1,797 scans).

    Raises:
        OSError: The directory cannot be written.
    """
    arrays = _arrays(saved)
    if saved.drawn is not None:
        arrays |= {DRAWN + key: array for key, array in _arrays(saved.drawn).items()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    atomic_write(evaluation_path(directory, name), buffer.getvalue())


def _arrays(saved: SavedEvaluation) -> dict[str, np.ndarray]:
    types = (np.uint8, np.int8, np.int8, np.float32)
    return {
        key: np.asarray(getattr(saved, key), dtype=kind)
        for key, kind in zip(FIELDS, types, strict=True)
    }


def load_evaluation(directory: Path, name: str) -> SavedEvaluation | None:
    """A model's kept test, or ``None`` if it has none or it is unreadable.

    Drawn digits that are unreadable are left out, the scans' test kept.
    """
    try:
        with np.load(evaluation_path(directory, name), allow_pickle=False) as archive:
            saved = _tested(archive, "")
            if saved is not None and DRAWN + "labels" in archive.files:
                saved = replace(saved, drawn=_tested(archive, DRAWN))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    return saved


def _tested(archive: Any, prefix: str) -> SavedEvaluation | None:
    """One test set's arrays, if they agree in length."""
    try:
        grids, labels, predicted, scores = (archive[prefix + key] for key in FIELDS)
    except (KeyError, ValueError, zipfile.BadZipFile):
        return None
    saved = SavedEvaluation(
        grids.reshape(-1, 64).astype(np.float64),
        labels.astype(int),
        predicted.astype(int),
        scores.astype(np.float64),
    )
    n = len(saved.labels)
    if len(saved.grids) != n or len(saved.predicted) != n or saved.scores.shape != (n, 10):
        return None
    return saved
