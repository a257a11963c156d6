"""Training families: evaluation protocols, cancellation, drilling into the matrix."""

from __future__ import annotations

import numpy as np
import pytest

from tuipad.core import training
from tuipad.core.families import TrainingSpec
from tuipad.core.training import TrainingCancelled, train


def test_half_split_report_covers_the_899_test_scans():
    result = train(TrainingSpec("knn", pen=False, augment=False))
    matrix = np.array(result.evaluation.confusion)
    assert matrix.sum() == 899 == len(result.test_labels)
    assert np.trace(matrix) / matrix.sum() == pytest.approx(result.evaluation.accuracy)
    assert result.evaluation.report["macro avg"]["support"] == 899


def test_mlp_trains_and_reports_epochs(monkeypatch):
    monkeypatch.setattr(training, "MLP_EPOCHS", 12)
    stages = []
    result = train(
        TrainingSpec("mlp", pen=False, augment=False),
        progress=lambda stage, done: stages.append((stage, done)),
    )
    assert result.evaluation.accuracy > 0.9
    assert len([s for s in stages if s[0].startswith("fitting mlp")]) >= 12


def test_cancelling_stops_between_stages():
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(TrainingCancelled):
        train(TrainingSpec("mlp", pen=False, augment=False), should_stop=should_stop)


def test_unknown_family_is_refused():
    with pytest.raises(ValueError, match="unknown model family"):
        TrainingSpec("forest")
