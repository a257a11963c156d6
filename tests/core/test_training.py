"""Training families: evaluation protocols, cancellation, drilling into the matrix."""

from __future__ import annotations

import numpy as np
import pytest

from tuipad.core import datasets, training
from tuipad.core.families import TrainingSpec
from tuipad.core.training import TrainingCancelled, train


def test_half_split_report_covers_the_899_test_scans():
    result = train(TrainingSpec("knn", pen=False, augment=False))
    matrix = np.array(result.evaluation.confusion)
    assert matrix.sum() == 899 == len(result.test_labels)
    assert np.trace(matrix) / matrix.sum() == pytest.approx(result.evaluation.accuracy)
    assert result.evaluation.report["macro avg"]["support"] == 899


def test_the_kept_model_stage_counts_all_the_digits_it_fits():
    """Not "all the scans": with copies (or pen digits) the kept model fits far more."""

    def kept_stage(spec: TrainingSpec) -> str:
        stages: list[str] = []
        train(spec, progress=lambda stage, done: stages.append(stage))
        return next(stage for stage in stages if "model to keep" in stage)

    assert kept_stage(TrainingSpec("knn", pen=False, augment=False)) == (
        "fitting the model to keep on all 1,797 digits"
    )
    augmented = kept_stage(TrainingSpec("knn", pen=False, augment=True))
    count = int(
        augmented.removeprefix("fitting the model to keep on all ").split()[0].replace(",", "")
    )
    assert count > 1797


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


def test_both_pen_collections_are_shipped_with_their_attribution() -> None:
    from importlib import resources

    pen = datasets.load_pen_digits()
    collections = {str(writer).split(":")[0] == "pendigits" for writer in pen.writers}
    assert collections == {True, False}
    assert len(pen) == 10_572 + 7_494
    assert len(set(pen.writers)) > 150
    notice = resources.files("tuipad.data").joinpath("ATTRIBUTION.md").read_text("utf-8")
    for name in datasets.PEN_DATA.values():
        assert name in notice
    assert "https://doi.org/10.24432/C5MG6K" in notice
    assert "https://doi.org/10.5281/zenodo.1195803" in notice


def test_a_lead_in_or_tail_changes_by_the_length_asked_and_never_cuts_past_half() -> None:
    from tuipad.core.pen_rendering import _change_end

    stroke = np.array([[0.0, 0.0], [0.0, 10.0], [0.0, 20.0]])
    longer = _change_end(stroke, 6.0)
    assert longer[-1].tolist() == [0.0, 26.0]
    assert _change_end(stroke, -5.0)[-1].tolist() == [0.0, 15.0]
    assert _change_end(stroke, -50.0)[-1].tolist() == [0.0, 10.0]
    assert _change_end(stroke[:1], 5.0).tolist() == [[0.0, 0.0]]


def test_pen_renderings_are_the_same_on_one_core_or_several(monkeypatch) -> None:
    from tuipad.core import pen_rendering

    monkeypatch.setattr(pen_rendering, "_forking_is_safe", lambda: True)  # the forked path

    pen = datasets.load_pen_digits()
    chunked = pen.slice(10_400, 10_400 + pen_rendering.RENDER_CHUNK + 100)  # both collections
    assert datasets.collections_of(chunked) == ["UNIPEN", "UCI pendigits"]
    rendering = pen_rendering.Rendering(copies=2)
    here = pen_rendering.render_pen_digits(chunked, rendering, seed=3, jobs=1)
    forked = pen_rendering.render_pen_digits(chunked, rendering, seed=3, jobs=2)
    for mine, theirs in zip(here, forked, strict=True):
        assert np.array_equal(mine, theirs)
    assert here[0].shape == (2 * len(chunked), 64)
