"""A saved model's kept test: written, read back, refused when damaged, deleted with the model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from tuipad.store.evaluation_files import (
    SavedEvaluation,
    evaluation_path,
    load_evaluation,
    save_evaluation,
)


def test_a_kept_test_reads_back_as_written(tmp_path: Path) -> None:
    labels = np.array([0, 1, 2])
    saved = SavedEvaluation(
        np.arange(192).reshape(3, 64) % 17, labels, labels[::-1], np.eye(10)[:3]
    )
    save_evaluation(tmp_path, "m", saved)
    back = load_evaluation(tmp_path, "m")
    assert back is not None
    np.testing.assert_array_equal(back.grids, saved.grids)
    np.testing.assert_array_equal(back.labels, labels)
    np.testing.assert_array_equal(back.predicted, labels[::-1])
    np.testing.assert_allclose(back.scores, saved.scores)


def test_the_drawn_digits_a_model_was_also_tested_on_read_back(tmp_path: Path) -> None:
    labels = np.array([7, 1])
    drawn = SavedEvaluation(np.ones((2, 64)), labels, labels, np.eye(10)[[7, 1]])
    scans = SavedEvaluation(
        np.zeros((3, 64)), labels[:1].repeat(3), labels[:1].repeat(3), np.eye(10)[[7] * 3], drawn
    )
    save_evaluation(tmp_path, "m", scans)
    back = load_evaluation(tmp_path, "m")
    assert back is not None and back.drawn is not None and len(back.labels) == 3
    np.testing.assert_array_equal(back.drawn.labels, labels)
    np.testing.assert_allclose(back.drawn.scores, drawn.scores)
    save_evaluation(tmp_path, "plain", replace(scans, drawn=None))
    assert load_evaluation(tmp_path, "plain").drawn is None


def test_a_missing_or_damaged_test_is_none(tmp_path: Path) -> None:
    assert load_evaluation(tmp_path, "absent") is None
    evaluation_path(tmp_path, "bad").write_bytes(b"not a zip")
    assert load_evaluation(tmp_path, "bad") is None
    labels = np.array([0, 1])
    save_evaluation(
        tmp_path, "short", SavedEvaluation(np.zeros((3, 64)), labels, labels, np.zeros((2, 10)))
    )
    assert load_evaluation(tmp_path, "short") is None
