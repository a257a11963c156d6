"""The grid and path model as arrays: its pipeline's scores to 1e-9, and a format-3 file."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import zipfile
from typing import Any

import numpy as np
import pytest
from array_file_edits import npy, rewrite
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.pipeline import Pipeline

from tuipad.core import datasets
from tuipad.core.drawing_rows import COLUMNS, drawing_rows, input_width, without_path
from tuipad.core.features import DrawingFeatures
from tuipad.core.grid_path import GridPathSVC
from tuipad.core.model_arrays import ArrayFormError, GridPathArrays, SvcArrays
from tuipad.core.pairwise import pair_classes
from tuipad.core.pen_rendering import replay
from tuipad.core.recognise import read_strokes
from tuipad.core.to_arrays import NoArrayForm, array_model
from tuipad.store import array_files
from tuipad.store.array_files import MANIFEST, MAX_ENTRIES, arrays_bytes, read_arrays

SCANS = 300


@pytest.fixture(scope="module")
def rows() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X, y, has_path)``: every 25th pen digit as recognition reads it, then some scans."""
    pen = datasets.load_pen_digits()
    picked = np.arange(0, len(pen), 25)
    read = [read_strokes(replay(pen.strokes(int(i)), rows=12))[0] for i in picked]
    scans, labels = datasets.load_scans()
    X = np.vstack([drawing_rows(read, paths=True), without_path(scans[:SCANS])])
    has_path = np.arange(len(X)) < len(picked)
    return X, np.r_[pen.labels[picked], labels[:SCANS]], has_path


@pytest.fixture(scope="module")
def fitted(rows) -> Pipeline:
    X, y, has_path = rows
    pen = datasets.load_pen_digits()
    writers = np.unique(pen.writers[np.arange(0, len(pen), 25)], return_inverse=True)[1]
    svc = GridPathSVC(C=5.0, gamma=0.001, path_C=10.0)
    estimator = Pipeline([("drawing", DrawingFeatures()), ("svc", svc)])
    groups = np.r_[writers, 10_000 + np.arange(SCANS)]
    return estimator.fit(X, y, svc__groups=groups, svc__calibration_rows=has_path)


@pytest.fixture(scope="module")
def arrays(fitted) -> GridPathArrays:
    found = array_model(fitted)
    assert isinstance(found, GridPathArrays)
    return found


@pytest.fixture(scope="module")
def data(arrays) -> bytes:
    return arrays_bytes(arrays)


def picked_rows(rows, which: str) -> np.ndarray:
    X, _, has_path = rows
    return {
        "with paths": X[has_path],
        "without paths": X[~has_path],
        "mixed": X[np.r_[0 : len(X) : 3, 1 : len(X) : 7]],
        "8x8 grids": X[~has_path, :64].reshape(-1, 8, 8),
        "rows of 64": X[:, :64],
    }[which]


WHICH = ["with paths", "without paths", "mixed", "8x8 grids", "rows of 64"]


@pytest.mark.parametrize("which", WHICH)
def test_the_arrays_give_the_pipelines_scores(fitted, arrays, rows, which) -> None:
    X = picked_rows(rows, which)
    np.testing.assert_allclose(arrays.predict_proba(X), fitted.predict_proba(X), atol=1e-9, rtol=0)
    assert np.array_equal(arrays.classes_, fitted.classes_)


def test_a_row_without_a_path_gets_exactly_the_grid_parts_scores(arrays, rows) -> None:
    X, _, has_path = rows
    grid_scores = arrays.grid.predict_proba(X[:, :64])
    assert np.array_equal(arrays.predict_proba(X)[~has_path], grid_scores[~has_path])


def test_the_arrays_read_rows_with_paths(arrays) -> None:
    assert arrays.kind == "svc+path"
    assert arrays.n_features_in_ == COLUMNS and input_width(arrays) == COLUMNS
    assert arrays.grid.reads == "grid" and arrays.path.reads == "path"
    assert arrays.grid.calibration == arrays.path.calibration == "pairwise"
    assert (arrays.path_weight, arrays.temperature, arrays.split_temperature) == (1.0, 2.0, 5.0)


def test_a_path_part_partly_missing_is_refused(arrays, rows) -> None:
    X = rows[0][:2].copy()
    X[0, 100] = np.nan
    with pytest.raises(ValueError, match="all numbers, or all missing"):
        arrays.predict_proba(X)


def test_the_file_reads_back_the_same_model_and_the_same_bytes(fitted, arrays, data, rows) -> None:
    X = rows[0]
    assert arrays_bytes(array_model(fitted)) == data  # the same model, the same bytes
    again = read_arrays(data)
    assert type(again) is GridPathArrays
    assert np.array_equal(again.predict_proba(X), arrays.predict_proba(X))
    np.testing.assert_allclose(again.predict_proba(X), fitted.predict_proba(X), atol=1e-9, rtol=0)
    assert arrays_bytes(again) == data


def entries(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found: dict[str, Any] = {
            info.filename: archive.read(info.filename) for info in archive.infolist()
        }
    found[MANIFEST] = json.loads(found[MANIFEST])
    return found


def test_the_file_is_format_3_with_the_paths_reading_named(data, arrays) -> None:
    manifest = entries(data)[MANIFEST]
    assert manifest["format"] == 3 and manifest["kind"] == "svc+path"
    assert manifest["path"] | {"points": 16, "quantum": 64, "width": 78} == manifest["path"]
    assert manifest["grid"] == {"gamma": arrays.grid.gamma, "calibration": "pairwise"}
    assert manifest["path"]["gamma"] == arrays.path.gamma
    assert (manifest["path_weight"], manifest["temperature"]) == (1.0, 2.0)
    assert manifest["split_temperature"] == 5.0


def test_a_file_written_before_the_split_temperature_scores_as_it_did(data, arrays, rows) -> None:
    def format_2(manifest: dict[str, Any]) -> None:
        manifest.pop("split_temperature")
        manifest["format"] = 2

    older = read_arrays(with_manifest(data, format_2))
    assert isinstance(older, GridPathArrays) and older.split_temperature == 2.0
    expected = dataclasses.replace(arrays, split_temperature=2.0)
    X = rows[0]
    assert np.array_equal(older.predict_proba(X), expected.predict_proba(X))
    assert not np.array_equal(older.predict_proba(X), arrays.predict_proba(X))


def test_the_paths_support_vectors_are_stored_as_bytes(data, arrays) -> None:
    found = entries(data)
    assert len(found) <= MAX_ENTRIES
    assert {name.split("_")[0] for name in found if name != MANIFEST} == {"grid", "path"}
    vectors = np.load(io.BytesIO(found["path_support_vectors.npy"]))
    assert vectors.dtype == np.int8
    assert np.array_equal(vectors / 64, arrays.path.support_vectors)
    assert np.load(io.BytesIO(found["grid_support_vectors.npy"])).dtype == np.float64


def test_path_features_off_the_quantum_have_no_array_form(fitted) -> None:
    off = copy.deepcopy(fitted)
    off.named_steps["svc"].path_.svc_.support_vectors_[0, 0] += 1 / 128
    with pytest.raises(NoArrayForm, match="multiples of 1/64"):
        array_model(off)


def with_manifest(data: bytes, change: Any) -> bytes:
    manifest = entries(data)[MANIFEST]
    change(manifest)
    return rewrite(data, MANIFEST, json.dumps(manifest).encode())


def stored_vectors(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(entries(data)["path_support_vectors.npy"]))


def with_vectors(data: bytes, vectors: np.ndarray) -> bytes:
    return rewrite(data, "path_support_vectors.npy", npy(vectors))


def with_fewer_path_classes(arrays: GridPathArrays) -> bytes:
    """A file whose path part knows digits 0..8 and whose grid part knows 0..9."""
    path, k = arrays.path, 9
    m = int(path.n_support[:k].sum())
    pairs = [p for p, (_, j) in enumerate(pair_classes(10)) if j < k]
    fewer = SvcArrays(
        classes=path.classes[:k],
        support_vectors=path.support_vectors[:m],
        dual_coef=path.dual_coef[: k - 1, :m],
        n_support=path.n_support[:k],
        intercepts=path.intercepts[pairs],
        gamma=path.gamma,
        calibration="pairwise",
        calibration_a=path.calibration_a[pairs],
        calibration_b=path.calibration_b,
        reads="path",
    )
    return arrays_bytes(dataclasses.replace(arrays, path=fewer))


def _set(name: str, value: Any, part: str | None = None) -> Any:
    def change(manifest: dict[str, Any]) -> None:
        (manifest if part is None else manifest[part])[name] = value

    return change


DAMAGES = {
    "path width 77": (
        lambda d, a: with_vectors(d, stored_vectors(d)[:, :77]),
        "support_vectors array has shape",
    ),
    "manifest width 77": (
        lambda d, a: with_manifest(d, _set("width", 77, "path")),
        "reads the pen's path otherwise",
    ),
    "points 8": (
        lambda d, a: with_manifest(d, _set("points", 8, "path")),
        "reads the pen's path otherwise",
    ),
    "quantum 32": (
        lambda d, a: with_manifest(d, _set("quantum", 32, "path")),
        "reads the pen's path otherwise",
    ),
    "no path settings": (
        lambda d, a: with_manifest(d, lambda m: m.pop("path")),
        "settings of both parts",
    ),
    "classes differ": (lambda d, a: with_fewer_path_classes(a), "must know the same classes"),
    "float path vectors": (
        lambda d, a: with_vectors(d, stored_vectors(d) / 64),
        "path_support_vectors array must hold bytes",
    ),
    "wide integer path vectors": (
        lambda d, a: with_vectors(d, stored_vectors(d).astype(np.int64)),
        "path_support_vectors array must hold bytes",
    ),
    "no path vectors": (
        lambda d, a: rewrite(d, "path_support_vectors.npy", None),
        "support_vectors array is missing",
    ),
    "format 4": (lambda d, a: with_manifest(d, _set("format", 4)), "format 4"),
    "no path_weight": (
        lambda d, a: with_manifest(d, lambda m: m.pop("path_weight")),
        "path_weight must be a positive number",
    ),
    "temperature 0": (
        lambda d, a: with_manifest(d, _set("temperature", 0.0)),
        "temperature must be a positive number",
    ),
    "split temperature -1": (
        lambda d, a: with_manifest(d, _set("split_temperature", -1.0)),
        "split_temperature must be a positive number",
    ),
    "split temperature text": (
        lambda d, a: with_manifest(d, _set("split_temperature", "5")),
        "split_temperature must be a positive number",
    ),
    "sigmoid path": (
        lambda d, a: rewrite(
            rewrite(
                with_manifest(d, _set("calibration", "sigmoid", "path")),
                "path_calibration_a.npy",
                npy(np.ones(10)),
            ),
            "path_calibration_b.npy",
            npy(np.zeros(10)),
        ),
        "both parts of a grid and path model must be calibrated pairwise",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_file_is_refused_in_one_line(data, arrays, damage) -> None:
    damaged, message = DAMAGES[damage]
    with pytest.raises(ArrayFormError, match=message) as refused:
        read_arrays(damaged(data, arrays))
    assert "\n" not in str(refused.value)


def test_an_older_tuipad_names_the_format_it_cannot_read(data, monkeypatch) -> None:
    """Before format 2 the reader took format 1 alone (array_files._manifest at acce935~1)."""

    def format_1_only(manifest: bytes) -> dict[str, object]:
        params = json.loads(manifest)
        found = params.get("format") if isinstance(params, dict) else None
        if found != 1:
            raise ArrayFormError(f"the arrays file is of format {found!r}; this tuipad reads 1")
        return dict(params)

    monkeypatch.setattr(array_files, "_manifest", format_1_only)
    with pytest.raises(ArrayFormError, match="format 3; this tuipad reads 1"):
        read_arrays(data)


def test_a_tuipad_reading_one_temperature_names_the_format_it_cannot_read(
    data, monkeypatch
) -> None:
    """Format 3 adds the split temperature, which a format-2 reader would ignore."""
    monkeypatch.setattr(array_files, "FORMATS", {"svc+path": 2})
    with pytest.raises(ArrayFormError, match="format 3; this tuipad reads 1 to 2"):
        read_arrays(data)


def test_this_tuipad_names_a_newer_format(data) -> None:
    with pytest.raises(ArrayFormError, match="format 4; this tuipad reads 1 to 3"):
        read_arrays(with_manifest(data, _set("format", 4)))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_a_file_with_any_entry_damaged_is_read_or_refused_in_one_line(data, arrays, draw) -> None:
    found = entries(data)
    name = draw.draw(st.sampled_from(sorted(found)))
    original = json.dumps(found[name]).encode() if name == MANIFEST else found[name]
    at = draw.draw(st.integers(0, len(original) - 1))
    value = draw.draw(st.integers(0, 255))
    content = original[:at] + bytes([value]) + original[at + 1 :]
    if draw.draw(st.booleans()):
        content = content[: draw.draw(st.integers(0, len(content)))]
    try:
        model = read_arrays(rewrite(data, name, content))
    except ArrayFormError as error:
        assert "\n" not in str(error)
        return
    assert type(model) is GridPathArrays


def test_each_part_reads_a_digit_of_its_own(arrays, rows) -> None:
    X, _, has_path = rows
    scores, readings = arrays.scored(X)
    assert np.array_equal(scores, arrays.predict_proba(X))
    grid_reads = arrays.classes_[arrays.grid.predict_proba(X[:, :64]).argmax(axis=1)]
    path_reads = arrays.classes_[arrays.path.predict_proba(X[has_path, 64:]).argmax(axis=1)]
    assert np.array_equal(readings[:, 0], grid_reads)
    assert np.array_equal(readings[has_path, 1], path_reads)
    assert (readings[~has_path, 1] == -1).all()
