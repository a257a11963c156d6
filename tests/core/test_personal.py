"""Personal training: rows, hold-back, cache, saving and activating, and the CLI around it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from tuipad import services
from tuipad.cli.main import main
from tuipad.core import datasets, personal
from tuipad.core.raster import to_digits8x8
from tuipad.core.recognise import predict_grids
from tuipad.core.training import TrainingCancelled
from tuipad.store import registry, rows_cache
from tuipad.store.paths import Paths
from tuipad.store.samples import SampleStore


@pytest.fixture(autouse=True)
def small_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sliver of the scans and pen digits keeps each fit to a second; the path is real."""
    X, y = datasets.load_scans()
    pen = datasets.load_pen_digits()
    small_pen = pen.subset(range(0, len(pen), 25))
    monkeypatch.setattr(datasets, "load_scans", lambda: (X[:500], y[:500]))
    monkeypatch.setattr(datasets, "load_pen_digits", lambda: small_pen)


@pytest.fixture(scope="module")
def writer_drawings() -> tuple[list[int], list[list]]:
    """Forty digits of one pen writer, replayed as 12-row whole-cell mouse reports."""
    pen = datasets.load_pen_digits()
    names, counts = np.unique(pen.writers, return_counts=True)
    writer = names[np.argmax(counts >= 40)]
    indices = np.flatnonzero(pen.writers == writer)[:40]
    labels = [int(pen.labels[i]) for i in indices]
    drawings = [datasets.replay(pen.strokes(int(i)), rows=12, mode="cells") for i in indices]
    return labels, drawings


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_personal_rows_are_the_drawing_plus_renderings(writer_drawings):
    labels, drawings = writer_drawings
    X, y, owner = personal.personal_rows(labels[:3], drawings[:3], copies=4)
    assert X.shape == (15, 64) and len(y) == len(owner) == 15
    assert list(owner[:3]) == [0, 1, 2] and sorted(owner[3:]) == [0] * 4 + [1] * 4 + [2] * 4
    assert (y == np.asarray(labels[:3])[owner]).all()
    assert X.min() >= 0 and X.max() <= 16
    np.testing.assert_array_equal(X[0], to_digits8x8(drawings[0]).ravel())


def test_hold_back_spreads_a_fifth_of_each_digit():
    labels = [1] * 10 + [2] * 4 + [3] * 5 + [4] * 2
    held = personal.hold_back(labels)
    assert list(np.flatnonzero(held)) == [4, 9, 13, 18]


def test_default_rows_are_cached_and_reused(tuipad_home):
    X, y = datasets.load_scans()
    cache = Paths(tuipad_home).cache
    first = rows_cache.default_rows(X, y, cache=cache)
    assert len(list(cache.glob("default-rows-*.npz"))) == 1
    stages = []
    again = rows_cache.default_rows(X, y, cache=cache, progress=lambda s, f: stages.append(s))
    assert stages == ["loading cached training rows"]
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    np.testing.assert_array_equal(first.groups, again.groups)
    assert first.sources == again.sources
    some = rows_cache.default_rows(X, y, pen_indices=range(50), cache=cache)
    assert len(some.y) < len(first.y)
    assert len(list(cache.glob("default-rows-*.npz"))) == 2
    other = rows_cache.default_rows(X[:300], y[:300], cache=cache)
    assert len(other.y) < len(first.y)
    assert len(list(cache.glob("default-rows-all-*.npz"))) == 1  # the stale one was replaced


def test_train_personal_reports_figures_and_progress(writer_drawings):
    labels, drawings = writer_drawings
    stages = []
    result = services.personal_job(
        labels, drawings, None, progress=lambda stage, done: stages.append(stage)
    )
    metrics = result.metrics
    assert metrics["personal_samples"] == 40
    assert metrics["personal_held_back"] == int(personal.hold_back(labels).sum()) > 0
    assert 0.0 <= metrics["personal_accuracy"] <= 1.0
    assert metrics["test_accuracy"] > 0.8
    assert any("personal model" in s for s in stages)
    predicted, scores = predict_grids(result.estimator, np.zeros((1, 64)))
    assert scores.shape == (1, 10) and predicted[0] == scores.argmax()


def test_should_stop_cancels_between_stages(writer_drawings):
    labels, drawings = writer_drawings
    calls = []

    def stop() -> bool:
        calls.append(1)
        return True

    with pytest.raises(TrainingCancelled):
        services.personal_job(labels, drawings, None, should_stop=stop)
    assert len(calls) == 1


def test_retrain_from_store_saves_a_trusted_model_and_makes_it_active(tuipad_home, writer_drawings):
    labels, drawings = writer_drawings
    with SampleStore.open() as store:
        for label, drawing in zip(labels, drawings, strict=True):
            store.add(drawing, label, source="teach")
    with SampleStore.open() as store:
        result, manifest = services.retrain_personal(Paths(tuipad_home), store)
    assert manifest.name.startswith("personal-")
    assert registry.active_name(tuipad_home) == manifest.name
    loaded = services.load_active(Paths(tuipad_home))
    assert loaded.name == manifest.name and loaded.notice == ""
    assert loaded.manifest.metrics["personal_samples"] == 40
    assert any("personal samples" in source for source in loaded.manifest.training_data)
    assert result.metrics == loaded.manifest.metrics


def test_retrain_with_no_samples_is_a_clear_error(tuipad_home):
    with pytest.raises(ValueError, match="no personal samples"):
        with SampleStore.open() as store:
            services.retrain_personal(Paths(tuipad_home), store)


def _snapshot(home: Path) -> dict[str, str]:
    """Hashes of every file under ``home`` except the row cache."""
    return {
        str(path.relative_to(home)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(home.rglob("*"))
        if path.is_file() and "cache" not in path.parts
    }


def _jsonl(path: Path, labels: list[int], drawings: list) -> Path:
    path.write_text(
        "".join(
            json.dumps({"label": lab, "strokes": d}) + "\n"
            for lab, d in zip(labels, drawings, strict=True)
        )
    )
    return path


def test_eval_personal_leaves_the_store_and_active_model_alone(
    capsys, tmp_path, tuipad_home, writer_drawings
):
    labels, drawings = writer_drawings
    with SampleStore.open() as store:
        store.add(drawings[0], labels[0])
    registry.set_active_name(tuipad_home, "somebody")
    before = _snapshot(tuipad_home)
    assert "samples.sqlite3" in before and "settings.json" in before
    personal_file = _jsonl(tmp_path / "mine.jsonl", labels[:30], drawings[:30])
    test_file = _jsonl(tmp_path / "test.jsonl", labels[30:], drawings[30:])
    code, out, _ = run(capsys, "eval", str(test_file), "--personal", str(personal_file), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["n"] == 10 and len(result["predictions"]) == 10
    assert result["personal"] == 30 and 0.0 <= result["accuracy"] <= 1.0
    assert _snapshot(tuipad_home) == before


def test_train_personal_cli(capsys, tuipad_home, writer_drawings):
    labels, drawings = writer_drawings
    code, _, err = run(capsys, "train", "--personal")
    assert code == 2 and "no personal samples" in err
    with SampleStore.open() as store:
        for label, drawing in zip(labels, drawings, strict=True):
            store.add(drawing, label)
    code, out, _ = run(capsys, "train", "--personal", "--name", "mine", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["model"] == "mine" and result["personal_samples"] == 40
    assert registry.active_name(tuipad_home) == "mine"
    code, _, err = run(capsys, "train", "--personal", "--recipe", "seed")
    assert code == 2 and "--personal" in err


def test_samples_cli_list_export_import(capsys, tmp_path, writer_drawings):
    labels, drawings = writer_drawings
    good = _jsonl(tmp_path / "good.jsonl", labels[:3], drawings[:3])
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(good.read_text().splitlines()[0] + "\n{broken\n" + '{"label": 3}\n')
    code, out, err = run(capsys, "samples", "import", str(mixed))
    assert code == 0 and "imported 1 samples" in out
    assert "line 2: not JSON" in err and "line 3:" in err and err.count("\n") == 2
    code, out, _ = run(capsys, "samples", "import", str(good))
    assert code == 0 and "imported 2 samples" in out and "1 already present" in out
    code, out, _ = run(capsys, "samples", "list")
    assert code == 0 and out.startswith("3 samples in ")
    code, out, _ = run(capsys, "samples", "--json")
    assert [s["label"] for s in json.loads(out)["samples"]] == labels[:3]
    exported = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "samples", "export", str(exported))
    assert code == 0 and len(exported.read_text().splitlines()) == 3
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nonsense\n")
    code, _, err = run(capsys, "samples", "import", str(bad))
    assert code == 2 and "no usable samples" in err


def test_samples_cli_with_a_corrupt_store_is_one_line(capsys, tuipad_home):
    tuipad_home.mkdir(parents=True)
    (tuipad_home / "samples.sqlite3").write_bytes(b"garbage" * 1000)
    code, out, err = run(capsys, "samples", "list")
    assert code == 2 and out == "" and "not a tuipad sample database" in err
    assert err.count("\n") == 1


def test_stopping_while_rendering_the_recipe_cancels(writer_drawings):
    labels, drawings = writer_drawings
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(TrainingCancelled):
        services.personal_job(labels, drawings, None, should_stop=stop)
    assert len(calls) == 3  # the third check came from inside the rendering loop


@pytest.mark.parametrize("module", ["tuipad.store.samples", "tuipad.core.personal"])
def test_core_modules_import_neither_textual_nor_scikit_learn(module):
    import subprocess
    import sys

    code = f"import sys, {module}; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    roots = {name.split(".")[0] for name in done.stdout.split()}
    assert not roots & {"textual", "rich", "sklearn"}


def test_renderings_per_sample_shrink_as_samples_grow():
    assert personal.copies_for(10) == personal.MAX_COPIES
    assert personal.copies_for(100) == 48
    assert personal.copies_for(600) == 8
    assert personal.copies_for(5000) == personal.MIN_COPIES


def test_warm_cache_is_skipped_while_another_warm_up_holds_the_lock(tuipad_home):
    import fcntl

    cache = Paths(tuipad_home).cache
    cache.mkdir(parents=True)
    with open(cache / ".warming.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert rows_cache.warm_cache(tuipad_home) is False
    assert not list(cache.glob("default-rows-*.npz"))
    assert rows_cache.warm_cache(tuipad_home) is True
    [written] = cache.glob("default-rows-all-*.npz")
    assert not list(cache.glob(".default-rows-*"))  # no temporary file left behind
    stages = []
    X, y = datasets.load_scans()
    rows_cache.default_rows(X, y, cache=cache, progress=lambda s, f: stages.append(s))
    assert stages == ["loading cached training rows"]
