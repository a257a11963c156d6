"""Export of a model that reads the pen's path: two inputs, checked on replayed pen digits.

Scans have no path, so both formats are held to tuipad on the rows
``tuipad export`` checks a path model on
(:func:`tuipad.services.export.agreement_rows`): shipped pen digits replayed
as a terminal reports them and read as the sketchpad reads a drawing.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from cli_run import run
from sklearn.pipeline import Pipeline

from tuipad import export
from tuipad.core import datasets
from tuipad.core.drawing_rows import drawing_rows, without_path
from tuipad.core.features import DrawingFeatures
from tuipad.core.grid_path import GridPathSVC
from tuipad.core.model_arrays import GridPathArrays, SvcArrays
from tuipad.core.pen_rendering import replay
from tuipad.core.recognise import predict_grids, read_strokes
from tuipad.core.to_arrays import array_model
from tuipad.services.export import PEN_DIGITS, SCANS, agreement_rows
from tuipad.store.registry import Manifest

MANIFEST = Manifest(
    name="paths",
    recipe="default",
    sklearn_version="1.9.1",
    sha256="0" * 64,
    training_data=("UNIPEN train_r01_v07 (pen digits)", "load_digits (300 scans)"),
    metrics={"test_accuracy": 0.97},
    created="2026-11-25T00:00:00+0000",
)

SCAN_ROWS = 300
"""Scans in the small path model's training rows."""


def _small_pipeline() -> Pipeline:
    return Pipeline(
        [("drawing", DrawingFeatures()), ("svc", GridPathSVC(C=5, gamma=0.001, path_C=10))]
    )


@pytest.fixture(scope="module")
def path_model() -> Pipeline:
    """A grid and path model on every 40th pen digit and some scans (a second or two)."""
    pen = datasets.load_pen_digits()
    chosen = np.arange(0, len(pen), 40)
    drawn = [read_strokes(replay(pen.strokes(index)))[0] for index in chosen]
    scans, scan_labels = datasets.load_scans()
    X = np.vstack([drawing_rows(drawn, paths=True), without_path(scans[:SCAN_ROWS])])
    y = np.concatenate([pen.labels[chosen], scan_labels[:SCAN_ROWS]])
    writers = np.unique(pen.writers[chosen], return_inverse=True)[1]
    groups = np.concatenate([writers, writers.max() + 1 + np.arange(SCAN_ROWS)])
    return _small_pipeline().fit(X, y, svc__groups=groups)


@pytest.fixture(scope="module")
def path_arrays(path_model: Pipeline) -> GridPathArrays:
    arrays = array_model(path_model)
    assert isinstance(arrays, GridPathArrays)
    return arrays


@pytest.fixture(scope="module")
def agreement(path_arrays: GridPathArrays) -> np.ndarray:
    """The rows an export of the path model is checked on."""
    rows, checked_on = agreement_rows(path_arrays)
    assert checked_on == PEN_DIGITS
    assert rows.shape == (len(range(0, len(datasets.load_pen_digits()), 9)), 142)
    assert np.isfinite(rows).all()
    readings = path_arrays.scored(rows)[1]
    assert (readings[:, 0] != readings[:, 1]).sum() >= 10  # the split temperature is checked
    return rows


def _weighted(arrays: GridPathArrays) -> GridPathArrays:
    """The same parts with ``w`` and both ``T`` away from 1, 2 and 5, so all are written out."""
    return dataclasses.replace(arrays, path_weight=0.6, temperature=1.5, split_temperature=3.0)


def _no_split(arrays: GridPathArrays) -> GridPathArrays:
    """One temperature everywhere, as a model written before the split temperature."""
    return dataclasses.replace(arrays, split_temperature=arrays.temperature)


@pytest.mark.parametrize("change", [None, _weighted, _no_split])
def test_coreml_spec_labels_every_agreement_row_as_tuipad(change, path_arrays, agreement, tmp_path):
    pytest.importorskip("coremltools")
    arrays = path_arrays if change is None else change(path_arrays)
    labels, scores = predict_grids(arrays, agreement)
    export.to_coreml(arrays, MANIFEST, tmp_path / "Digits.mlmodel")
    spec = export.load_coreml_spec(tmp_path / "Digits.mlmodel")
    for dtype in (np.float64, np.float32):
        coreml_labels, coreml_proba = export.coreml_spec_predict(spec, agreement, dtype=dtype)
        assert np.array_equal(coreml_labels, labels)
        np.testing.assert_allclose(coreml_proba, scores, atol=1e-5)


@pytest.mark.parametrize("change", [None, _weighted, _no_split])
def test_onnx_labels_every_agreement_row_as_tuipad(change, path_arrays, agreement, tmp_path):
    pytest.importorskip("onnxruntime")
    onnx = pytest.importorskip("onnx")
    arrays = path_arrays if change is None else change(path_arrays)
    labels, scores = predict_grids(arrays, agreement)
    export.to_onnx(arrays, MANIFEST, tmp_path / "digits.onnx")
    onnx_labels, onnx_proba = export.onnx_predict(tmp_path / "digits.onnx", agreement)
    assert np.array_equal(onnx_labels, labels)
    np.testing.assert_allclose(onnx_proba, scores, atol=1e-5)
    graph = onnx.load(tmp_path / "digits.onnx").graph
    read = {name for node in graph.node for name in node.input}
    assert {constant.name for constant in graph.initializer} <= read  # no unused constants


def test_both_formats_have_a_grid_and_a_path_input(path_arrays, tmp_path):
    pytest.importorskip("coremltools")
    pytest.importorskip("onnx")
    spec = export.to_coreml(path_arrays, MANIFEST, tmp_path / "D.mlmodel")
    grid, path = spec.description.input
    assert (grid.name, path.name) == ("grid", "path")
    assert list(grid.type.multiArrayType.shape) == [8, 8]
    shapes = [list(s.shape) for s in grid.type.multiArrayType.enumeratedShapes.shapes]
    assert [64] in shapes
    assert list(path.type.multiArrayType.shape) == [78]
    assert "path" in spec.description.metadata.shortDescription
    proto = export.to_onnx(path_arrays, MANIFEST, tmp_path / "d.onnx")
    inputs = {
        given.name: [d.dim_value for d in given.type.tensor_type.shape.dim]
        for given in proto.graph.input
    }
    assert inputs == {"grid": [0, 64], "path": [0, 78]}
    assert "path" in proto.doc_string


def test_a_row_without_a_path_is_refused_by_a_path_model(path_arrays, agreement, tmp_path):
    pytest.importorskip("onnxruntime")
    export.to_onnx(path_arrays, MANIFEST, tmp_path / "d.onnx")
    scans, _ = datasets.load_scans()
    with pytest.raises(ValueError, match="has none"):
        export.onnx_predict(tmp_path / "d.onnx", without_path(scans[:3]))
    with pytest.raises(ValueError, match="take 142 values, not 64"):
        export.onnx_predict(tmp_path / "d.onnx", scans[:3])


def test_a_model_that_learned_no_path_exports_with_one_input(tmp_path):
    pytest.importorskip("coremltools")
    pytest.importorskip("onnxruntime")
    scans, y = datasets.load_scans()
    model = _small_pipeline().fit(without_path(scans[:SCAN_ROWS]), y[:SCAN_ROWS])
    arrays = array_model(model)
    assert isinstance(arrays, SvcArrays)
    rows, checked_on = agreement_rows(arrays)
    assert checked_on == SCANS and rows.shape == (1797, 64)
    labels, scores = predict_grids(arrays, rows)
    spec = export.to_coreml(arrays, MANIFEST, tmp_path / "D.mlmodel")
    assert [given.name for given in spec.description.input] == ["grid"]
    assert np.array_equal(export.coreml_spec_predict(spec, rows)[0], labels)
    proto = export.to_onnx(arrays, MANIFEST, tmp_path / "d.onnx")
    assert [given.name for given in proto.graph.input] == ["grid"]
    onnx_labels, onnx_proba = export.onnx_predict(tmp_path / "d.onnx", without_path(rows))
    assert np.array_equal(onnx_labels, labels)  # a grid model reads the grids of full rows
    np.testing.assert_allclose(onnx_proba, scores, atol=1e-5)


def save_as_paths(path_model: Pipeline, tuipad_home: Path) -> None:
    """Save the small path model as the user's model ``paths``, for the CLI to export."""
    from tuipad.store.registry import save_model, user_models_dir

    save_model(
        path_model,
        user_models_dir(tuipad_home),
        "paths",
        recipe="default",
        training_data=MANIFEST.training_data,
        metrics=MANIFEST.metrics,
        trust_home=tuipad_home,
    )


def test_cli_export_of_a_path_model_is_checked_on_replayed_pen_digits(
    capsys, monkeypatch, tuipad_home: Path, tmp_path, path_model, agreement
):
    import sys

    pytest.importorskip("coremltools")
    pytest.importorskip("onnxruntime")
    save_as_paths(path_model, tuipad_home)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    coreml, onnx = tmp_path / "Digits.mlmodel", tmp_path / "digits.onnx"
    code, out, err = run(
        capsys, "export", "--coreml", str(coreml), "--onnx", str(onnx), "--model", "paths"
    )
    assert code == 0, err
    assert err == "exporting to Core ML and ONNX and checking it on replayed pen digits…\n"
    lines = out.splitlines()
    assert len(lines) == 2
    total = len(agreement)
    checked = rf" on {total}/{total} replayed pen digits, its scores within \de-0[5-9]$"
    assert all(re.search(checked, line) for line in lines), lines


def test_an_export_whose_scores_differ_disagrees_though_its_labels_match(
    capsys, monkeypatch, tuipad_home: Path, tmp_path, path_model
):
    """A wrong temperature layer moves the scores and keeps every arg-max."""
    pytest.importorskip("onnxruntime")
    save_as_paths(path_model, tuipad_home)
    form = export.FORMATS["onnx"]

    def flattened(path: Path, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        labels, scores = form.predict(path, X)
        return labels, 0.9 * scores + 0.01  # the same arg-max, other scores

    monkeypatch.setitem(export.FORMATS, "onnx", dataclasses.replace(form, predict=flattened))
    code, out, err = run(capsys, "export", "--onnx", str(tmp_path / "d.onnx"), "--model", "paths")
    assert code == 1
    assert "an exported model disagrees with tuipad" in err
    assert re.search(r"its labels equal tuipad's on (\d+)/\1 .*, its scores within 0\.", out)
