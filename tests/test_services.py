"""The model's life cycle: personal retrains, saving and pruning, loading, activating, listing."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from tuipad import services
from tuipad.core import datasets, personal_figures
from tuipad.core.families import CV_PROTOCOL, TrainingSpec
from tuipad.core.personal import PersonalResult
from tuipad.core.raster import to_digits8x8
from tuipad.core.recognise import predict_grids
from tuipad.core.reports import evaluate
from tuipad.core.training import TrainingCancelled, TrainingResult
from tuipad.store import registry
from tuipad.store.paths import Paths
from tuipad.store.registry import ModelError
from tuipad.store.samples import SampleStore

pytestmark = pytest.mark.usefixtures("small_recipe")


@pytest.fixture
def cancelled_while_saving(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A flag that turns true once a model's files are written, as a cancel pressed then."""
    cancelled = [False]
    save_model = registry.save_model

    def cancel_meanwhile(*args, **kwargs):
        manifest = save_model(*args, **kwargs)
        cancelled[0] = True
        return manifest

    monkeypatch.setattr(registry, "save_model", cancel_meanwhile)
    return cancelled


def test_adapting_reports_figures_and_progress(writer_drawings, tuipad_home):
    labels, drawings = writer_drawings
    stages = []
    result = services.personal_job(
        labels, drawings, tuipad_home, progress=lambda stage, *_: stages.append(stage)
    )
    metrics = result.metrics
    assert metrics["personal_samples"] == 40
    assert metrics["personal_held_back"] == int(personal_figures.hold_back(labels).sum()) > 0
    assert 0.0 <= metrics["personal_accuracy"] <= 1.0
    assert 0.0 <= metrics["personal_before"] <= 1.0
    assert metrics["test_accuracy"] is None  # the shipped model learnt every scan
    assert any(s.startswith("adapting the model") for s in stages)
    predicted, scores = predict_grids(result.estimator, np.zeros((1, 64)))
    assert scores.shape == (1, 10) and predicted[0] == scores.argmax()


def test_an_adapted_model_reads_its_samples_and_keeps_the_shipped_calibration(
    writer_drawings, tuipad_home
):
    from tuipad.store.paths import bundled_models_dir

    labels, drawings = writer_drawings
    result = services.personal_job(labels, drawings, tuipad_home, evaluate=False)
    shipped, _ = registry.load_model(bundled_models_dir(), "default")
    adapted, kept = _calibrated_parts(result.estimator), _calibrated_parts(shipped)
    assert len(adapted) == len(kept)  # the grid's SVC, and the path's when it reads paths
    for part, shipped_part in zip(adapted, kept, strict=True):
        assert np.array_equal(part.slope_, shipped_part.slope_)
        assert part.offset_ == shipped_part.offset_
    grids = np.array([to_digits8x8(d).ravel() for d in drawings])
    predicted, _ = predict_grids(result.estimator, grids)
    assert (predicted == np.array(labels)).mean() >= 0.95
    assert result.seconds < 60


def _calibrated_parts(model) -> list:
    """A pipeline's calibrated SVCs: the grid's, and the path's in a model reading both."""
    last = model.steps[-1][1]
    return [part for part, _ in last.parts()] if hasattr(last, "parts") else [last]


def test_should_stop_cancels_between_stages(writer_drawings, tuipad_home):
    labels, drawings = writer_drawings
    calls = []

    def stop() -> bool:
        calls.append(1)
        return True

    with pytest.raises(TrainingCancelled):
        services.personal_job(labels, drawings, tuipad_home, should_stop=stop)
    assert len(calls) == 1


def _store_all(labels, drawings) -> None:
    """Keep a writer's drawings as personal samples, as teach mode would."""
    with SampleStore.open() as store:
        for label, drawing in zip(labels, drawings, strict=True):
            store.add(drawing, label, source="teach")


def test_retrain_from_store_saves_a_trusted_model_and_makes_it_active(tuipad_home, writer_drawings):
    _store_all(*writer_drawings)
    with SampleStore.open() as store:
        result, manifest = services.retrain_personal(Paths(tuipad_home), store)
    assert manifest.name.startswith("personal-")
    assert registry.active_name(tuipad_home) == manifest.name
    loaded = services.load_active(Paths(tuipad_home))
    assert loaded.name == manifest.name and loaded.notice == ""
    assert loaded.manifest.metrics["personal_samples"] == 40
    assert any("personal samples" in source for source in loaded.manifest.training_data)
    assert result.metrics == loaded.manifest.metrics


def test_an_adaptation_learns_from_the_newest_samples_only(
    tuipad_home, writer_drawings, monkeypatch
):
    from tuipad.services import personal
    from tuipad.services.adapting import adapted_notice

    monkeypatch.setattr(personal, "MOST_SAMPLES", 30)  # so time stays bounded however many
    _store_all(*writer_drawings)
    with SampleStore.open() as store:
        result, manifest = services.retrain_personal(Paths(tuipad_home), store)
        assert personal.adapted_to_all(Paths(tuipad_home), manifest.name, store)
    assert result.metrics["personal_samples"] == 30 and result.metrics["samples_stored"] == 40
    assert adapted_notice(result.metrics).startswith(
        "Personal model active, adapted to the newest 30 of your 40 samples"
    )
    assert services.personal_figures(result.metrics)[0] == (
        "personal samples",
        "the newest 30 of 40",
    )
    with SampleStore.open() as store:
        newest = personal.samples_digest(store.list()[-30:])
    assert manifest.metrics["samples_digest"] == newest  # the newest, not any 30
    assert services.your_samples(40) == "the newest 30 of your 40 samples"


def test_a_retrain_cancelled_while_saving_keeps_nothing_and_activates_nothing(
    tuipad_home, writer_drawings, cancelled_while_saving
):
    labels, drawings = writer_drawings
    with SampleStore.open() as store:
        for label, drawing in zip(labels, drawings, strict=True):
            store.add(drawing, label, source="teach")
        with pytest.raises(TrainingCancelled):
            services.retrain_personal(
                Paths(tuipad_home), store, should_stop=lambda: cancelled_while_saving[0]
            )
    assert registry.active_name(tuipad_home) == "default"
    assert not list(Paths(tuipad_home).models.glob("personal-*"))


def test_retrain_with_no_samples_is_a_clear_error(tuipad_home):
    with pytest.raises(ValueError, match="no personal samples"):
        with SampleStore.open() as store:
            services.retrain_personal(Paths(tuipad_home), store)


def _personal_result(marker: int) -> PersonalResult:
    """A small fitted model standing in for a personal one (``marker`` sets its k)."""
    from sklearn.neighbors import KNeighborsClassifier

    X, y = datasets.load_scans()
    fitted = KNeighborsClassifier(marker + 1).fit(X[:100], y[:100])
    return PersonalResult(fitted, ("rows",), {"test_accuracy": 0.5})


def test_save_personal_prunes_old_models_and_forgets_their_hashes(tuipad_home):
    paths = Paths(tuipad_home)
    first = services.save_personal(paths, _personal_result(0), name="personal-20260100-000000")
    manifests = [first] + [
        services.save_personal(
            paths, _personal_result(i), name=f"personal-2026010{i}-000000", activate=False
        )
        for i in range(1, 6)
    ]
    kept = sorted(p.name for p in paths.models.glob("personal-*.json"))
    # The three newest stay, and the active one is never pruned.
    assert kept == [f"{m.name}.json" for m in (manifests[0], *manifests[3:])]
    trusted = set(json.loads(paths.trusted.read_text()))
    assert {m.sha256 for m in (manifests[0], *manifests[3:])} <= trusted
    assert not {m.sha256 for m in manifests[1:3]} & trusted


def test_load_active_falls_back_to_the_default_with_a_notice(tuipad_home):
    paths = Paths(tuipad_home)
    registry.set_active_name(tuipad_home, "gone")
    loaded = services.load_active(paths)
    assert loaded.name == "default" and "no model named 'gone'" in loaded.notice
    assert loaded.notice.endswith("; reading with default instead")
    assert services.load_model(None, paths).name == "default"


def _recognising_result(marker: int) -> PersonalResult:
    """A small fitted SVC pipeline, which has arrays (``marker`` sets its data)."""
    from tuipad.core.families import build

    X, y = datasets.load_scans()
    fitted = build("svc-seed").fit(X[: 200 + marker], y[: 200 + marker])
    return PersonalResult(fitted, ("rows",), {"test_accuracy": 0.5})


def test_activate_loads_before_it_switches(tuipad_home):
    paths = Paths(tuipad_home)
    saved = services.save_personal(paths, _recognising_result(1), name="mine", activate=False)
    model = services.activate(paths, "mine")
    assert model.manifest == saved and registry.active_name(tuipad_home) == "mine"
    pickle_path, _ = registry.model_paths(paths.models, "other")
    services.save_personal(paths, _recognising_result(2), name="other", activate=False)
    pickle_path.write_bytes(b"changed")
    with pytest.raises(ModelError, match="does not match the hashes"):
        services.activate(paths, "other")
    assert registry.active_name(tuipad_home) == "mine"
    assert services.activate(paths, "default").name == "default"
    assert registry.active_name(tuipad_home) == "default"


def test_a_model_without_an_array_form_is_never_made_active(tuipad_home):
    paths = Paths(tuipad_home)
    services.save_personal(paths, _personal_result(1), name="knn", activate=False)
    with pytest.raises(ModelError, match="cannot be used to recognise"):
        services.activate(paths, "knn")
    assert registry.active_name(tuipad_home) == "default"


def test_model_rows_list_the_bundled_model_first_and_mark_the_active_one(tuipad_home):
    paths = Paths(tuipad_home)
    services.save_personal(paths, _personal_result(1), name="mine")
    rows = services.model_rows(paths)
    assert [(r.name, r.bundled, r.active) for r in rows] == [
        ("default", True, False),
        ("mine", False, True),
    ]
    assert rows[1].accuracy_text == "50.00%" and rows[1].to_json()["recipe"] == "default+personal"


def test_manifest_metrics_describe_the_protocol_and_the_drawn_digits():
    labels = np.array([1, 2, 3, 4])
    evaluation = evaluate(labels, np.array([1, 2, 3, 3]))
    result = TrainingResult(
        spec=TrainingSpec("knn", pen=True, augment=False),
        estimator=None,
        evaluation=evaluation,
        test_grids=np.zeros((4, 64)),
        test_labels=labels,
        test_predicted=labels,
        test_scores=np.zeros((4, 10)),
        sources=("scans",),
        seconds=1.26,
    )
    metrics = services.manifest_metrics(result)
    assert metrics == {
        "test_accuracy": 0.75,
        "protocol": "trained on the first half of load_digits plus the pen digits,"
        " tested on the second half (4 scans)",
        "family": "knn",
        "data": "scans+pen, half split",
        "train_seconds": 1.3,
    }


def test_a_cross_validated_accuracy_is_marked_beside_half_split_ones(tuipad_home):
    paths = Paths(tuipad_home)
    spec = TrainingSpec("knn", cv=3)
    trained = services.train_and_save(paths, spec, "folded")
    assert CV_PROTOCOL in trained.manifest.metrics["protocol"]
    rows = {row.name: row for row in services.model_rows(paths)}
    assert rows["folded"].accuracy_text.endswith("% cv")
    assert rows["default"].accuracy_text.endswith("%")  # the half split's


def test_personal_figures_say_in_words_when_nothing_was_held_back() -> None:
    figures = services.personal_figures({"personal_samples": 3, "personal_accuracy": None})
    assert figures == [
        ("personal samples", "3"),
        ("held-back samples", "none (too few of each digit to hold some back)"),
    ]
    few = {"personal_held_back": 4, "personal_before": 0.5, "personal_accuracy": 0.75}
    assert services.personal_figures(few)[1] == ("held-back samples", "3 of 4 read right, 2 before")
    many = dict(few, personal_held_back=20)
    assert services.personal_figures(many)[1] == (
        "held-back samples",
        "20: before 50.0%, after 75.0%",
    )


def test_a_trainings_bar_says_it_saves_and_fills_only_once_saved(tuipad_home):
    reports: list[tuple[str, float]] = []
    saved = Paths(tuipad_home).models / "bar.json"

    def progress(stage: str, fraction: float, *_: float) -> None:
        reports.append((stage, fraction))
        if fraction >= 1.0:
            assert saved.exists(), "the bar filled before the model was saved"

    services.train_and_save(
        Paths(tuipad_home), TrainingSpec(family="knn"), "bar", progress=progress
    )
    fractions = [fraction for _, fraction in reports]
    assert fractions == sorted(fractions), "the bar went backwards"
    assert [stage for stage, fraction in reports if fraction >= 1.0] == ["saved bar"]
    saving = [fraction for stage, fraction in reports if stage == "saving"]
    assert saving and 0.0 < saving[0] < 1.0


def test_a_cancel_pressed_while_saving_keeps_nothing(tuipad_home, cancelled_while_saving):
    paths = Paths(tuipad_home)
    with pytest.raises(TrainingCancelled):
        services.train_and_save(
            paths, TrainingSpec(family="knn"), "late", should_stop=lambda: cancelled_while_saving[0]
        )
    assert not list(paths.models.glob("late*"))
    assert registry.active_name(tuipad_home) == "default"


def test_a_model_made_active_says_what_it_does_with_the_samples(tuipad_home) -> None:
    from tuipad.services.adapting import samples_note
    from tuipad.store.pending import mark_changes_pending
    from tuipad.store.registry import Manifest, bundled_models_dir, model_paths
    from tuipad.store.settings import set_adapts_in_background

    paths = Paths(tuipad_home)
    shipped = Manifest.from_file(model_paths(bundled_models_dir(), "default")[1])
    chosen = replace(shipped, name="mine", recipe="seed")
    with SampleStore.open(paths.samples) as store:
        assert samples_note(paths, store, shipped) == ""  # no samples
        store.add([[(4, 2), (12, 2), (8, 14)]], 7, source="correction")
        assert samples_note(paths, store, chosen) == ""  # a model the user chose never adapts
        not_yet = "it does not read your 1 sample yet: Retrain with my samples adds them"
        assert samples_note(paths, store, shipped) == not_yet
        mark_changes_pending(paths)
        assert samples_note(paths, store, shipped) == (
            "it adapts to your 1 sample in a few seconds (A turns that off)"
        )
        set_adapts_in_background(tuipad_home, False)
        assert samples_note(paths, store, shipped) == not_yet
        metrics = {**shipped.metrics, "personal_samples": 2}
        name, recipe = "personal-20261207-023641", "default+personal"
        earlier = replace(shipped, name=name, recipe=recipe, metrics=metrics)
        store.add([[(4, 2), (4, 14)]], 1, source="correction")
        store.add([[(4, 2), (4, 9)]], 1, source="correction")
        assert samples_note(paths, store, earlier) == (
            "it was adapted to 2 samples before your 3 samples changed: Retrain with my samples"
            " takes them"
        )


def test_drawings_are_evaluated_a_batch_at_a_time_with_progress(monkeypatch, writer_drawings):
    import tuipad.core.recognise

    fixture_model = services.load_model(None)  # the shipped model's arrays
    labels, drawings = writer_drawings
    whole, predicted, scores = services.evaluate_drawings(fixture_model, labels, drawings)
    monkeypatch.setattr(tuipad.core.recognise, "BATCH", 16)
    reports: list[float] = []
    batched = services.evaluate_drawings(
        fixture_model, labels, drawings, lambda stage, fraction, end=None: reports.append(fraction)
    )
    assert batched[0] == whole and (batched[1] == predicted).all()
    assert np.allclose(batched[2], scores)
    assert reports == [0.0, 16 / 40, 32 / 40, 1.0]


@pytest.mark.parametrize(
    ("metrics", "said"),
    [
        (
            {"personal_held_back": 12, "personal_accuracy": 1.0, "personal_before": 0.75},
            "checked on 12 of them kept aside: 100% read right, 75% before",
        ),
        (
            {"personal_held_back": 0, "personal_accuracy": None},
            "too few of each digit to keep some aside to check it",
        ),
    ],
)
def test_why_a_personal_model_keeps_no_report_reads_as_one_sentence(tmp_path, metrics, said):
    from tuipad.services.evaluations import why_no_report
    from tuipad.store.model_files import Manifest, model_paths
    from tuipad.store.paths import Paths

    paths = Paths(tmp_path)
    paths.models.mkdir(parents=True)
    metrics = {"personal_samples": 60, "samples_stored": 60, **metrics}
    manifest = Manifest("personal-1", "default+personal", "1", "0" * 64, metrics=metrics)
    model_paths(paths.models, "personal-1")[1].write_text(manifest.to_json())
    assert why_no_report(paths, "personal-1") == f"it is adapted to your 60 samples, {said}"
