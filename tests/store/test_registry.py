"""Models: recipes, the label/score contract, trusted save and load, retraining."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from tuipad import services
from tuipad.core import datasets
from tuipad.core.recognise import predict_grids, recognise
from tuipad.core.rows import recipe_data
from tuipad.core.training import fit_recipe
from tuipad.store import registry as model
from tuipad.store.evaluation_files import SavedEvaluation, save_evaluation
from tuipad.store.paths import Paths
from tuipad.store.registry import ModelError


@pytest.fixture(scope="module")
def seed_model():
    X, y = datasets.load_scans()
    X_train, X_test, y_train, y_test = datasets.seed_split(X, y)
    data = recipe_data("seed", X_train, y_train)
    return fit_recipe("seed", data), X_test, y_test


def test_seed_recipe_reproduces_the_original_demo(seed_model):
    estimator, X_test, y_test = seed_model
    labels, _ = predict_grids(estimator, X_test)
    assert len(y_test) == 899
    assert (labels == y_test).mean() == pytest.approx(0.969, abs=0.002)


def test_label_is_the_argmax_of_the_scores(seed_model, seven):
    estimator, X_test, _ = seed_model
    labels, scores = predict_grids(estimator, X_test)
    assert scores.shape == (899, 10)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, rtol=1e-6)
    assert (labels == scores.argmax(axis=1)).all()
    prediction = recognise(estimator, seven)
    assert prediction.label == int(np.argmax(prediction.scores))
    assert prediction.grid.shape == (8, 8)


def test_save_then_load_round_trips(seed_model, tmp_path, tuipad_home):
    estimator, X_test, _ = seed_model
    manifest = model.save_model(
        estimator,
        tmp_path,
        "m",
        recipe="seed",
        training_data=["x"],
        metrics={"a": 1},
        trust_home=tuipad_home,
    )
    loaded, again = model.load_model(tmp_path, "m", trusted=model.trusted_hashes(tuipad_home))
    assert again == manifest
    np.testing.assert_array_equal(loaded.predict_proba(X_test), estimator.predict_proba(X_test))
    assert manifest.sha256 in json.loads((tuipad_home / "trusted.json").read_text())


def _saved(seed_model, directory: Path, home: Path | None) -> tuple[Path, Path]:
    model.save_model(
        seed_model[0], directory, "m", recipe="seed", training_data=[], metrics={}, trust_home=home
    )
    return model.model_paths(directory, "m")


def test_a_changed_pickle_is_never_loaded(seed_model, tmp_path, tuipad_home):
    pickle_path, _ = _saved(seed_model, tmp_path, tuipad_home)
    pickle_path.write_bytes(pickle_path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match="SHA-256"):
        model.load_model(tmp_path, "m")


def test_a_pickle_tuipad_did_not_save_is_refused(seed_model, tmp_path, tuipad_home):
    _saved(seed_model, tmp_path, home=None)  # manifest matches, but not recorded as ours
    with pytest.raises(ModelError, match="not saved by tuipad"):
        model.load_model(tmp_path, "m", trusted=model.trusted_hashes(tuipad_home))


def test_another_scikit_learn_version_is_refused(seed_model, tmp_path, tuipad_home):
    _, manifest_path = _saved(seed_model, tmp_path, tuipad_home)
    data = json.loads(manifest_path.read_text())
    data["sklearn_version"] = "0.24.0"
    manifest_path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="scikit-learn 0.24.0"):
        model.load_model(tmp_path, "m")


def test_listing_again_reads_no_unchanged_model_file(seed_model, tuipad_home, monkeypatch):
    import hashlib

    from tuipad.store import model_list

    pickle_path, _ = _saved(seed_model, tuipad_home / "models", tuipad_home)
    hashed: list[str] = []
    digest = hashlib.file_digest
    monkeypatch.setattr(
        model_list.hashlib, "file_digest", lambda f, name: hashed.append(f.name) or digest(f, name)
    )
    services.model_rows(Paths(tuipad_home))
    assert len(hashed) == 2  # the pickle and the arrays
    services.model_rows(Paths(tuipad_home))
    assert len(hashed) == 2
    os.utime(pickle_path, ns=(0, pickle_path.stat().st_mtime_ns + 10**9))  # touched
    assert services.model_rows(Paths(tuipad_home))[-1].unreadable == ""
    assert len(hashed) == 3


def test_a_model_file_that_is_a_device_is_listed_unreadable_without_reading_it(
    seed_model, tuipad_home
) -> None:
    models = tuipad_home / "models"
    pickle_path, _ = _saved(seed_model, models, tuipad_home)
    pickle_path.unlink()
    pickle_path.symlink_to("/dev/zero")  # endless: listing must not read it
    rows = {row.name: row for row in services.model_rows(Paths(tuipad_home))}
    assert "not a regular file" in rows["m"].unreadable


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_model_file_that_is_a_pipe_or_a_device_is_refused_without_reading(tmp_path) -> None:
    import threading

    from tuipad.store.model_files import read_checked

    os.mkfifo(tmp_path / "m.npz")  # opened plainly, it would wait for a writer
    said: list[str] = []

    def load(path: Path) -> None:
        with pytest.raises(model.ModelError) as refused:
            read_checked(path, "0" * 64, None)
        said.append(str(refused.value))

    for path in (tmp_path / "m.npz", Path("/dev/zero")):
        reader = threading.Thread(target=load, args=(path,), daemon=True)
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive(), f"reading {path} blocked"
    assert said == [
        f"model file {tmp_path / 'm.npz'} is unreadable (a named pipe, not a file)",
        "model file /dev/zero is unreadable (a character device, not a file)",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_foreign_manifests_are_listed_in_words_without_blocking(tuipad_home) -> None:
    from tuipad.store import model_list

    models = tuipad_home / "models"
    models.mkdir(parents=True, exist_ok=True)
    os.mkfifo(models / "pipe.json")  # opened plainly, it would wait for a writer
    (models / "folder.json").mkdir()
    (models / "bare.json").write_text('{"name": "bare"}')
    (models / "évil name.json").write_text("{}")
    rows = {row.name: row.unreadable for row in services.model_rows(Paths(tuipad_home))}
    assert rows["pipe"] == "model manifest pipe.json is unreadable (a named pipe, not a file)"
    assert rows["folder"] == "model manifest folder.json is unreadable (is a directory)"
    assert rows["bare"] == "model manifest bare.json is unreadable (it has no 'recipe')"
    assert rows["évil name"] == model_list.FOREIGN_NAME  # models rm would refuse the name


@pytest.mark.parametrize("damage", ["changed pickle", "changed arrays", "untrusted"])
def test_a_damaged_model_is_listed_with_the_reason(seed_model, tuipad_home, damage):
    models = tuipad_home / "models"
    pickle_path, _ = _saved(seed_model, models, tuipad_home)
    if damage == "changed pickle":
        pickle_path.write_bytes(pickle_path.read_bytes()[:-10] + b"0123456789")
    elif damage == "changed arrays":
        arrays = model.arrays_path(models, "m")
        arrays.write_bytes(arrays.read_bytes()[:-10] + b"0123456789")
    else:
        (tuipad_home / "trusted.json").unlink()
    model.set_active_name(tuipad_home, "m")
    rows = {row.name: row for row in services.model_rows(Paths(tuipad_home))}
    assert rows["default"].unreadable == "" and rows["default"].active  # it reads instead
    said = "was not saved by tuipad here" if damage == "untrusted" else "does not match"
    assert said in rows["m"].unreadable and str(models) not in rows["m"].unreadable
    assert rows["m"].unreadable.endswith("; chosen, so default reads instead")


@pytest.mark.parametrize("damage", ["missing pickle", "missing manifest", "garbage manifest"])
def test_missing_or_corrupt_files_are_one_line_errors(seed_model, tmp_path, tuipad_home, damage):
    pickle_path, manifest_path = _saved(seed_model, tmp_path, tuipad_home)
    if damage == "missing pickle":
        pickle_path.unlink()
    elif damage == "missing manifest":
        manifest_path.unlink()
    else:
        manifest_path.write_text("{not json")
    with pytest.raises(ModelError) as error:
        model.load_model(tmp_path, "m")
    assert "\n" not in str(error.value)


def test_the_bundled_model_loads_and_is_trusted_by_its_manifest():
    loaded = services.load_active()
    assert loaded.name == "default"
    assert loaded.notice == ""
    assert loaded.accuracy is not None and loaded.accuracy >= 0.97


def test_a_broken_bundled_model_is_retrained_into_the_user_directory(
    tmp_path, tuipad_home, monkeypatch
):
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "default.json").write_text("{}")
    (bundled / "default.pkl.gz").write_bytes(b"not a pickle")
    monkeypatch.setattr(model, "bundled_models_dir", lambda: bundled)
    # A tenth of the pen digits keeps the test quick; the path is the real one.
    pen = datasets.load_pen_digits()
    monkeypatch.setattr(datasets, "load_pen_digits", lambda: pen.subset(range(0, len(pen), 10)))
    stages = []
    loaded = services.load_active(progress=lambda stage, *_: stages.append(stage))
    assert "unreadable" in loaded.notice and "retrained" in loaded.notice
    assert (tuipad_home / "models" / "default.pkl.gz").exists()
    assert any("rendering" in s for s in stages) and any("fitting" in s for s in stages)
    assert loaded.recognise([[[5, 2], [5, 14]]]).label == 1
    # Next time the retrained model is found, no retraining.
    again = services.load_active(progress=lambda *_: pytest.fail("retrained twice"))
    assert again.manifest.sha256 == loaded.manifest.sha256


# --------------------------------------------------------------------------- arrays


def save_user_model(home: Path, estimator, name: str, *, recipe: str = "seed"):
    """Save ``estimator`` as a trusted user model under ``home``; its manifest."""
    return model.save_model(
        estimator,
        model.user_models_dir(home),
        name,
        recipe=recipe,
        training_data=[],
        metrics={},
        trust_home=home,
    )


def test_a_saved_model_is_recognised_from_its_arrays(seed_model, tuipad_home):
    from tuipad.core.model_arrays import SvcArrays

    estimator, X_test, _ = seed_model
    directory = model.user_models_dir(tuipad_home)
    manifest = save_user_model(tuipad_home, estimator, "m", recipe="seed")
    assert (directory / "m.npz").exists() and manifest.arrays_sha256
    assert {manifest.sha256, manifest.arrays_sha256} <= model.trusted_hashes(tuipad_home)
    loaded = model.load_saved(tuipad_home, "m")
    assert isinstance(loaded.predictor, SvcArrays) and not loaded.from_pickle
    np.testing.assert_allclose(
        loaded.predictor.predict_proba(X_test), estimator.predict_proba(X_test), atol=1e-9
    )


def test_changed_or_untrusted_arrays_are_refused(seed_model, tuipad_home):
    directory = model.user_models_dir(tuipad_home)
    manifest = save_user_model(tuipad_home, seed_model[0], "m", recipe="seed")
    arrays = directory / "m.npz"
    original = arrays.read_bytes()
    data = bytearray(original)
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="SHA-256"):
        model.load_saved(tuipad_home, "m")
    with pytest.raises(ModelError, match="hashes tuipad recorded"):
        model.use_model(tuipad_home, "m")
    arrays.write_bytes(original)
    (tuipad_home / "trusted.json").write_text(json.dumps([manifest.sha256]))
    with pytest.raises(ModelError, match="not saved by tuipad"):
        model.load_saved(tuipad_home, "m")


def test_a_model_saved_before_arrays_gets_them_when_made_active(
    seed_model, tuipad_home, monkeypatch
):
    estimator, X_test, _ = seed_model
    directory = model.user_models_dir(tuipad_home)
    save_user_model(tuipad_home, estimator, "old", recipe="seed")
    (directory / "old.npz").unlink()
    manifest_path = directory / "old.json"
    old = json.loads(manifest_path.read_text())
    del old["arrays_sha256"]
    manifest_path.write_text(json.dumps(old))

    unpickled = []
    load_model = model.load_model
    monkeypatch.setattr(
        model, "load_model", lambda *a, **k: unpickled.append(a) or load_model(*a, **k)
    )
    with pytest.raises(ModelError, match="has no arrays file.*tuipad models use old"):
        model.load_saved(tuipad_home, "old")  # recognition never opens the pickle
    assert unpickled == []
    model.use_model(tuipad_home, "old")
    assert len(unpickled) == 1
    written = json.loads(manifest_path.read_text())["arrays_sha256"]
    assert (directory / "old.npz").exists() and written in model.trusted_hashes(tuipad_home)
    again = model.load_saved(tuipad_home, "old")
    assert len(unpickled) == 1
    np.testing.assert_allclose(
        again.predictor.predict_proba(X_test), estimator.predict_proba(X_test), atol=1e-9
    )


def test_k_nearest_neighbours_are_never_recognised_from_a_pickle(tuipad_home):
    from tuipad.core.families import build

    X, y = datasets.load_scans()
    directory = model.user_models_dir(tuipad_home)
    manifest = save_user_model(tuipad_home, build("knn").fit(X, y), "knn", recipe="knn")
    assert manifest.arrays_sha256 == "" and not (directory / "knn.npz").exists()
    with pytest.raises(model.KnnModelError, match="is a k-NN: it can be compared but not used"):
        model.load_saved(tuipad_home, "knn")
    with pytest.raises(model.KnnModelError, match="is a k-NN: it can be compared but not used"):
        model.use_model(tuipad_home, "knn")
    assert model.is_knn(manifest)
    assert model.active_name(tuipad_home) == "default"


def test_removing_a_model_removes_its_arrays_and_forgets_both_hashes(seed_model, tuipad_home):
    directory = model.user_models_dir(tuipad_home)
    manifest = save_user_model(tuipad_home, seed_model[0], "m", recipe="seed")
    labels = np.arange(10)
    kept = SavedEvaluation(np.zeros((10, 64)), labels, labels, np.eye(10))
    save_evaluation(directory, "m", kept)
    model.remove_model(tuipad_home, "m")
    assert list(directory.iterdir()) == []  # its kept test too
    assert not {manifest.sha256, manifest.arrays_sha256} & model.trusted_hashes(tuipad_home)


def test_removing_a_model_keeps_trusting_an_identical_one(seed_model, tuipad_home):
    first = save_user_model(tuipad_home, seed_model[0], "a", recipe="seed")
    second = save_user_model(tuipad_home, seed_model[0], "b", recipe="seed")
    assert (first.sha256, first.arrays_sha256) == (second.sha256, second.arrays_sha256)
    model.use_model(tuipad_home, "b")
    model.remove_model(tuipad_home, "a")
    assert model.load_saved(tuipad_home, "b").name == "b"
    assert model.use_model(tuipad_home, "b") == second
    model.remove_model(tuipad_home, "b")
    assert not {second.sha256, second.arrays_sha256} & model.trusted_hashes(tuipad_home)


def test_the_bundled_pickle_and_its_arrays_give_the_same_scores():
    from tuipad.store.paths import bundled_models_dir

    X, _ = datasets.load_scans()
    estimator, manifest = model.load_model(bundled_models_dir(), "default")
    arrays, same = model.load_arrays(bundled_models_dir(), "default")
    assert same == manifest
    np.testing.assert_allclose(
        arrays.predict_proba(X), estimator.predict_proba(X), atol=1e-9, rtol=0
    )


@pytest.mark.parametrize("content", [{"not": "a model"}, "text", None])
def test_a_trusted_pickle_that_is_not_a_classifier_is_one_line(tuipad_home, content):
    save_user_model(tuipad_home, content, "odd", recipe="x")
    with pytest.raises(ModelError, match="has no arrays file"):
        model.load_saved(tuipad_home, "odd")
    with pytest.raises(ModelError, match="'odd' is not a fitted classifier"):
        model.use_model(tuipad_home, "odd")
    with pytest.raises(ModelError, match="'odd' is not a fitted classifier"):
        model.load_model(model.user_models_dir(tuipad_home), "odd", trusted=None)


@pytest.mark.parametrize("value", [5, None, "", ["x"], {"name": "x"}])
def test_an_active_model_that_is_not_a_name_means_the_default(tmp_path, value) -> None:
    from tuipad.store.paths import Paths
    from tuipad.store.registry import DEFAULT_NAME, active_name

    Paths(tmp_path).settings.write_text(json.dumps({"active_model": value}))
    assert active_name(tmp_path) == DEFAULT_NAME


def test_a_hand_edited_settings_file_with_a_key_twice_keeps_the_last(tmp_path: Path) -> None:
    from tuipad.store.registry import active_name

    (tmp_path / "settings.json").write_text('{"active_model": "old", "active_model": "mine"}')
    assert active_name(tmp_path) == "mine"  # as any JSON reader would take it, not "default"
