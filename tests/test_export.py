"""Export: the Core ML spec and the ONNX file must label every digit as tuipad does.

Core ML cannot run on Linux, so the spec is recomputed layer by layer with
numpy (:func:`tuipad.export.coreml_spec_predict`); the ONNX file is run with
onnxruntime.  Both are checked on all 1,797 ``load_digits`` scans.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from cli_run import run

import tuipad
from tuipad import export, services
from tuipad.core import datasets
from tuipad.core.families import build_recipe as build_estimator
from tuipad.core.recognise import predict_grids
from tuipad.core.rows import recipe_data
from tuipad.core.to_arrays import array_model
from tuipad.core.training import fit_recipe as fit
from tuipad.store.registry import Manifest

MANIFEST = Manifest(
    name="fixture",
    recipe="seed",
    sklearn_version="1.9.1",
    sha256="0" * 64,
    training_data=("load_digits (1797 scans)",),
    metrics={"test_accuracy": 0.9688},
    created="2026-11-25T00:00:00+0000",
)


@pytest.fixture(scope="module")
def scans() -> tuple[np.ndarray, np.ndarray]:
    return datasets.load_scans()


@pytest.fixture(scope="module")
def seed_model(scans: tuple[np.ndarray, np.ndarray]) -> object:
    """The seed recipe fitted on every scan (about a second)."""
    X, y = scans
    return build_estimator("seed").fit(X, y)


@pytest.fixture(scope="module")
def grouped_model(scans: tuple[np.ndarray, np.ndarray]) -> object:
    """The default recipe's kind of pipeline (C=5, grouped calibration folds)
    on scans and their distorted copies, without the slow pen renderings."""
    X, y = scans
    data = recipe_data("seed", X, y)
    copies_X, copies_y = datasets.augment_scans(X, y, copies=1, seed=0)
    ids = np.arange(len(y))
    grouped = type(data)(
        np.vstack([X, copies_X]), np.concatenate([y, copies_y]), (), np.concatenate([ids, ids])
    )
    return fit("default", grouped)


@pytest.mark.parametrize("model", ["seed_model", "grouped_model"])
def test_coreml_spec_alone_labels_all_digits_as_tuipad(model, scans, tmp_path, request):
    pytest.importorskip("coremltools")
    estimator = request.getfixturevalue(model)
    X, _ = scans
    labels, scores = predict_grids(estimator, X)
    path = tmp_path / "Digits.mlmodel"
    export.to_coreml(array_model(estimator), MANIFEST, path)

    spec = export.load_coreml_spec(path)
    for dtype, tolerance in ((np.float64, 1e-5), (np.float32, 1e-5)):
        coreml_labels, coreml_proba = export.coreml_spec_predict(spec, X, dtype=dtype)
        assert len(coreml_labels) == 1797
        assert np.array_equal(coreml_labels, labels)
        np.testing.assert_allclose(coreml_proba, scores, atol=tolerance)


def test_coreml_spec_interface_and_metadata(seed_model, tmp_path):
    pytest.importorskip("coremltools")
    export.to_coreml(array_model(seed_model), MANIFEST, tmp_path / "D.mlmodel")
    spec = export.load_coreml_spec(tmp_path / "D.mlmodel")
    grid = spec.description.input[0]
    assert grid.name == "grid"
    assert list(grid.type.multiArrayType.shape) == [8, 8]
    assert grid.type.multiArrayType.dataType == grid.type.multiArrayType.DOUBLE
    shapes = [list(s.shape) for s in grid.type.multiArrayType.enumeratedShapes.shapes]
    assert [64] in shapes
    outputs = {o.name: o.type.WhichOneof("Type") for o in spec.description.output}
    assert outputs == {"classLabel": "int64Type", "classProbability": "dictionaryType"}
    assert spec.description.predictedFeatureName == "classLabel"
    assert list(spec.neuralNetworkClassifier.int64ClassLabels.vector) == list(range(10))
    metadata = spec.description.metadata
    assert metadata.author == "tuipad"
    assert "CC BY 4.0" in metadata.license
    assert "fixture" in metadata.versionString
    assert metadata.userDefined["accuracy"] == "0.9688"
    assert metadata.userDefined["training_data"] == "load_digits (1797 scans)"


def test_inputs_outside_0_16_are_clipped_in_both_formats(seed_model, tmp_path):
    pytest.importorskip("coremltools")
    pytest.importorskip("onnxruntime")
    rng = np.random.default_rng(0)
    X = rng.integers(-8, 30, size=(50, 8, 8)).astype(float)
    labels, scores = predict_grids(seed_model, X)
    spec = export.to_coreml(array_model(seed_model), MANIFEST, tmp_path / "D.mlmodel")
    assert np.array_equal(export.coreml_spec_predict(spec, X)[0], labels)
    export.to_onnx(array_model(seed_model), MANIFEST, tmp_path / "d.onnx")
    onnx_labels, onnx_proba = export.onnx_predict(tmp_path / "d.onnx", X)
    assert np.array_equal(onnx_labels, labels)
    np.testing.assert_allclose(onnx_proba, scores, atol=1e-5)


@pytest.mark.parametrize("model", ["seed_model", "grouped_model"])
def test_onnx_labels_all_digits_as_tuipad(model, scans, tmp_path, request):
    pytest.importorskip("onnxruntime")
    estimator = request.getfixturevalue(model)
    X, _ = scans
    labels, scores = predict_grids(estimator, X)
    path = tmp_path / "digits.onnx"
    proto = export.to_onnx(array_model(estimator), MANIFEST, path)

    onnx_labels, onnx_proba = export.onnx_predict(path, X)
    assert len(onnx_labels) == 1797
    assert np.array_equal(onnx_labels, labels)
    np.testing.assert_allclose(onnx_proba, scores, atol=1e-5)
    metadata = {entry.key: entry.value for entry in proto.metadata_props}
    assert metadata["accuracy"] == "0.9688"


@pytest.mark.parametrize(
    ("family", "named"),
    [("knn", "KNeighborsClassifier"), ("mlp", "neural network")],
)
def test_other_families_are_refused_in_one_line(family, named, scans):
    from tuipad.core.families import build

    X, y = scans
    estimator = build(family)
    if family == "mlp":
        estimator.set_params(mlp__max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # two epochs do not converge, on purpose
        estimator.fit(X[:300], y[:300])
    model = services.loaded_from_fitted(estimator, MANIFEST).predictor
    with pytest.raises(export.ExportError) as refused:
        export.export_arrays(model)
    assert str(refused.value) == (
        f"cannot export this model ({named}): only the calibrated RBF SVC families"
        " (svc-seed, svc, svc-default; the seed and default recipes) can be exported"
    )
    assert "\n" not in str(refused.value)


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def seed_saved(tuipad_home: Path, seed_model) -> str:
    """The seed model saved and trusted in the test's TUIPAD_HOME."""
    from tuipad.store.registry import save_model, user_models_dir

    save_model(
        seed_model,
        user_models_dir(tuipad_home),
        "seed",
        recipe="seed",
        training_data=MANIFEST.training_data,
        metrics=MANIFEST.metrics,
        trust_home=tuipad_home,
    )
    return "seed"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "export needs --coreml FILE.mlmodel and/or --onnx FILE.onnx"),
        (("--coreml", "digits.onnx"), "Xcode expects a .mlmodel file"),
        (("--onnx", "m.txt"), "--onnx m.txt: ONNX tools expect a .onnx file"),
        (("--onnx", "-"), "give a file name, not -"),
        (("--onnx", ".onnx"), "--onnx .onnx: name the file before its ending, e.g. digits.onnx"),
        (
            ("--onnx", "no-such/"),
            "no-such/ names a folder: name the file, e.g. no-such/digits.onnx",
        ),
        (("--onnx", "/"), "/ is a folder: name the file in it, e.g. /digits.onnx"),
        (("--onnx", "x.onnx", "--model", "nope"), "no model named 'nope' (see tuipad models)"),
        (("--onnx", "x.onnx", "--model", "../x"), "error: bad model name '../x': use up to"),
        (("--onnx", "X.ONNX", "--model", "nope"), "no model named 'nope'"),  # the ending is fine
        (("--onnx", "a.onnx", "--onnx", "b.onnx"), "--onnx: given twice (--onnx takes one"),
        (("--onnx", "a.onnx", "--model", "a", "--model", "b"), "--model: given twice"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, "export", *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err


def test_on_a_terminal_the_progress_line_comes_only_for_a_model_that_exports(
    capsys, monkeypatch, tmp_path, seed_saved
):
    pytest.importorskip("onnxruntime")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = run(capsys, "export", "--onnx", str(tmp_path / "x.onnx"), "--model", "nope")
    assert (code, err) == (2, "tuipad: error: no model named 'nope' (see tuipad models)\n")
    code, _, err = run(capsys, "export", "--onnx", str(tmp_path / "x.onnx"), "--model", seed_saved)
    assert code == 0
    assert err == "exporting to ONNX and checking it on the scans…\n"


def test_cli_missing_extra_says_how_to_install(capsys, monkeypatch, tmp_path, seed_saved):
    # None in sys.modules makes any import of it raise ImportError.
    monkeypatch.setitem(sys.modules, "coremltools", None)
    target = tmp_path / "Digits.mlmodel"
    code, out, err = run(capsys, "export", "--coreml", str(target), "--model", seed_saved)
    assert code == 2
    root = Path(tuipad.__file__).resolve().parent.parent
    assert err == (
        "tuipad: error: Core ML export needs the export extra:"
        f" {sys.executable} -m pip install -e '{root}[export]'\n"
    )
    assert not target.exists()


def test_ctrl_c_while_the_export_packages_import_stops_the_export(monkeypatch):
    import signal

    from tuipad.export import parts

    def interrupted_import(module):  # as coremltools' import swallows one
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            pass
        return module

    monkeypatch.setattr("importlib.import_module", interrupted_import)
    with pytest.raises(KeyboardInterrupt):
        parts.need("coremltools", "coreml")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_ctrl_c_stays_ignored_while_the_export_packages_import(monkeypatch):
    import signal

    from tuipad.export import parts

    def interrupted_import(module):
        signal.raise_signal(signal.SIGINT)
        return module

    monkeypatch.setattr("importlib.import_module", interrupted_import)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under nohup
    try:
        assert parts.need("coremltools", "coreml") == "coremltools"
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_cli_exports_both_formats_and_reports_agreement(capsys, tmp_path, seed_saved):
    pytest.importorskip("coremltools")
    pytest.importorskip("onnxruntime")
    coreml, onnx = tmp_path / "out" / "Digits.mlmodel", tmp_path / "out" / "digits.onnx"
    coreml.parent.mkdir()
    code, out, err = run(
        capsys, "export", "--coreml", str(coreml), "--onnx", str(onnx), "--model", seed_saved
    )
    assert code == 0, err
    assert coreml.stat().st_size > 0 and onnx.stat().st_size > 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("on 1797/1797 load_digits scans" in line for line in lines)
    assert lines[1].startswith(f"ONNX: wrote {onnx} ")
    assert not list((tmp_path / "out").glob(".*.tmp"))
    code, out, err = run(capsys, "export", "--onnx", str(onnx), "--model", seed_saved)
    assert code == 0 and out.startswith(f"ONNX: replaced {onnx} "), err


def test_export_module_stays_free_of_textual_and_rich():
    import subprocess

    code = "import sys, tuipad.export; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert not loaded & {"textual", "rich", "coremltools", "skl2onnx", "onnxruntime"}


def test_cli_refuses_other_families_with_exit_2(capsys, tuipad_home, tmp_path, scans):
    from tuipad.core.families import build
    from tuipad.store.registry import save_model, user_models_dir

    X, y = scans
    save_model(
        build("knn").fit(X, y),
        user_models_dir(tuipad_home),
        "knn",
        recipe="knn",
        training_data=(),
        metrics={},
        trust_home=tuipad_home,
    )
    target = tmp_path / "digits.onnx"
    code, out, err = run(capsys, "export", "--onnx", str(target), "--model", "knn")
    assert code == 2 and out == ""
    assert err == (
        "tuipad: error: model 'knn' is a k-NN: it can be compared but not exported"
        " (tuipad exports only a model's arrays, and a k-NN has none)\n"
    )
    assert not target.exists()


def test_cli_refusing_a_neural_network_names_it(capsys, tuipad_home, tmp_path, scans):
    from tuipad.core.families import build
    from tuipad.store.registry import save_model, user_models_dir

    X, y = scans
    network = build("mlp").set_params(mlp__max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # two epochs do not converge, on purpose
        network.fit(X[:300], y[:300])
    folder = user_models_dir(tuipad_home)
    save_model(
        network, folder, "net", recipe="mlp", training_data=(), metrics={}, trust_home=tuipad_home
    )
    code, _, err = run(capsys, "export", "--onnx", str(tmp_path / "digits.onnx"), "--model", "net")
    assert code == 2
    assert err.startswith("tuipad: error: cannot export model 'net' (neural network): only ")
