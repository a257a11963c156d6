"""A saved model's test: the digits it was tested on and what it read, beside its files.

A saved model is refit on all the scans, so it cannot be tested again on the
held-out half: the figures of its training (the half-split or cross-validated
model) are kept at save time in ``<name>.evaluation.npz``, a numpy archive
with no pickles.  It holds the tested grids, their labels, the predictions
and the scores, so the training screen can show the report, the confusion
matrix and the digits behind each cell of any saved model.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tuipad.store.files import atomic_write

SUFFIX = ".evaluation.npz"
"""What follows a model's name in its evaluation file's name."""


@dataclass(frozen=True)
class SavedEvaluation:
    """The digits a model was tested on and what it read.

    Attributes:
        grids: ``(n, 64)`` 8x8 grids, ints 0..16.
        labels: ``(n,)`` true digits.
        predicted: ``(n,)`` digits read.
        scores: ``(n, 10)`` scores.
    """

    grids: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    scores: np.ndarray


def evaluation_path(directory: Path, name: str) -> Path:
    """Where the evaluation of model ``name`` in ``directory`` is kept."""
    return directory / f"{name}{SUFFIX}"


def save_evaluation(directory: Path, name: str, saved: SavedEvaluation) -> None:
    """Keep a model's test beside its files (small types: about 100 kB for 1,797 scans).

    Raises:
        OSError: The directory cannot be written.
    """
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        grids=np.asarray(saved.grids, dtype=np.uint8),
        labels=np.asarray(saved.labels, dtype=np.int8),
        predicted=np.asarray(saved.predicted, dtype=np.int8),
        scores=np.asarray(saved.scores, dtype=np.float32),
    )
    atomic_write(evaluation_path(directory, name), buffer.getvalue())


def load_evaluation(directory: Path, name: str) -> SavedEvaluation | None:
    """A model's kept test, or ``None`` if it has none or it is unreadable."""
    try:
        with np.load(evaluation_path(directory, name), allow_pickle=False) as archive:
            saved = SavedEvaluation(
                archive["grids"].reshape(-1, 64).astype(np.float64),
                archive["labels"].astype(int),
                archive["predicted"].astype(int),
                archive["scores"].astype(np.float64),
            )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    n = len(saved.labels)
    if len(saved.grids) != n or len(saved.predicted) != n or saved.scores.shape != (n, 10):
        return None
    return saved
