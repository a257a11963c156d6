"""Export a tuipad model for apps: Core ML (``.mlmodel``) and ONNX.

Only tuipad's pipelines of :class:`~tuipad.core.features.GridFeatures` and a
sigmoid-calibrated RBF SVC
(``CalibratedClassifierCV(SVC(kernel="rbf"), method="sigmoid", ensemble=False)``)
can be exported: the ``svc-seed``, ``svc`` and ``svc-default`` families, so the
``seed`` and ``default`` recipes.  Anything else (k-NN, MLP, another
calibration) raises :class:`ExportError` naming it.

Core ML.  coremltools' scikit-learn converter stops at scikit-learn 1.5.1, and
Core ML's own ``SupportVectorClassifier`` labels by one-vs-one votes and scores
with libsvm's pairwise coupling, neither of which is what tuipad shows (the
arg-max of the sigmoid-calibrated one-vs-rest scores).  So the model is written
as a Core ML *neural network classifier* whose layers spell out, from the
fitted attributes, exactly what scikit-learn computes:

1. clip the 64 inputs to 0..16 (``GridFeatures``);
2. RBF kernel against the support vectors: ``exp(-gamma * |x - sv|^2)``;
3. the 45 one-vs-one decision values: kernel row x dual coefficients + intercepts;
4. scikit-learn's one-vs-rest transform of them: votes plus
   ``S / (3 * (|S| + 1))`` where ``S`` sums each class's signed confidences;
5. the per-class sigmoid ``1 / (1 + exp(a * f + b))`` and the normalisation to
   a sum of one.

Core ML takes the arg-max of the last blob as ``classLabel`` and reports the
blob as the ``classProbability`` dictionary.  Nothing runs Core ML on Linux, so
:func:`coreml_spec_predict` evaluates the saved spec layer by layer with numpy;
the tests check it against tuipad on all of ``load_digits``.  Core ML stores
weights as 32-bit floats and runs neural networks in 32-bit (or 16-bit on the
GPU and Neural Engine) arithmetic: apps that need tuipad's labels bit for bit
on borderline digits should ask for ``.cpuOnly``.

ONNX goes through skl2onnx, with a converter that turns ``GridFeatures`` into
a ``Clip``.

coremltools, skl2onnx, onnx and onnxruntime are the optional ``export`` extra;
they are imported only here and only when an export runs.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.features import GRID, MAX_INK
from tuipad.store.files import atomic_write
from tuipad.store.registry import Manifest

EXTRA_HINT = "pip install 'tuipad[export]'"
"""How to install what the exports need."""

EXPORTABLE = (
    "the calibrated RBF SVC families (svc-seed, svc, svc-default; the seed and default recipes)"
)
"""The model families that can be exported, for messages and the docs."""

INPUT_NAME = "grid"
"""Name of the model input in both formats."""

LABEL_NAME = "classLabel"
"""Name of the predicted digit in the Core ML model (Core ML's convention)."""

PROBABILITY_NAME = "classProbability"
"""Name of the per-class probability dictionary in the Core ML model."""

AUTHOR = "tuipad"
"""Author recorded in exported metadata."""

DATA_LICENCES = {
    "load_digits": "UCI Optical Recognition of Handwritten Digits (CC BY 4.0)",
    "UNIPEN": "UNIPEN train_r01_v07, doi:10.5281/zenodo.1195803 (CC BY 4.0)",
}
"""Licences of the training sources, keyed by how a manifest names them."""

_CHUNK = 64
"""Rows evaluated at once by :func:`coreml_spec_predict` (bounds its memory)."""


class ExportError(Exception):
    """The model cannot be exported, or the extra is missing; one line."""


@dataclass(frozen=True)
class SvcParts:
    """The fitted numbers of a calibrated RBF SVC, in one-vs-one layout.

    Attributes:
        classes: ``(k,)`` class labels.
        support_vectors: ``(m, 64)`` support vectors.
        dual: ``(m, p)`` weight of each support vector in each of the
            ``p = k (k - 1) / 2`` one-vs-one decision functions.
        intercepts: ``(p,)`` their intercepts.
        gamma: RBF width.
        pair_matrix: ``(p, k)``: +1 for the first class of a pair, -1 for the second.
        calibration_a: ``(k,)`` sigmoid slopes.
        calibration_b: ``(k,)`` sigmoid offsets.
    """

    classes: np.ndarray
    support_vectors: np.ndarray
    dual: np.ndarray
    intercepts: np.ndarray
    gamma: float
    pair_matrix: np.ndarray
    calibration_a: np.ndarray
    calibration_b: np.ndarray


def svc_parts(estimator: Any) -> SvcParts:
    """Take the numbers an export needs out of a fitted tuipad pipeline.

    Args:
        estimator: A fitted ``Pipeline(GridFeatures, CalibratedClassifierCV(SVC))``.

    Returns:
        The fitted numbers.

    Raises:
        ExportError: If the model is of another family.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import Pipeline
    from sklearn.svm import SVC

    from tuipad.core.features import GridFeatures

    def refuse(what: str) -> ExportError:
        return ExportError(f"cannot export this model ({what}): only {EXPORTABLE} can be")

    if not isinstance(estimator, Pipeline):
        raise refuse(type(estimator).__name__)
    last = estimator.steps[-1][1]
    if not isinstance(last, CalibratedClassifierCV):
        raise refuse(type(last).__name__)
    if len(estimator.steps) != 2 or not isinstance(estimator.steps[0][1], GridFeatures):
        steps = " + ".join(type(step).__name__ for _, step in estimator.steps)
        raise refuse(steps)
    calibrated = last
    if not hasattr(calibrated, "calibrated_classifiers_"):
        raise refuse("not fitted")
    if calibrated.method != "sigmoid" or len(calibrated.calibrated_classifiers_) != 1:
        raise refuse(f"{calibrated.method} calibration, or an ensemble of calibrations")
    inner = calibrated.calibrated_classifiers_[0]
    svc = inner.estimator
    if not isinstance(svc, SVC) or svc.kernel != "rbf":
        kind = f"{svc.kernel} SVC" if isinstance(svc, SVC) else type(svc).__name__
        raise refuse(f"calibrated {kind}")
    if svc.decision_function_shape != "ovr" or svc.break_ties:
        raise refuse("SVC with a non-default decision function")
    classes = np.asarray(calibrated.classes_)
    if len(classes) < 3 or not np.array_equal(np.asarray(svc.classes_), classes):
        raise refuse("fewer than three classes")

    k = len(classes)
    # libsvm layout: the support vectors are grouped by class; for the pair
    # (i, j), class i's vectors weigh dual_coef_[j - 1] and class j's weigh
    # dual_coef_[i] (scikit-learn's svm/_base.py documents the same layout).
    starts = np.concatenate([[0], np.cumsum(svc.n_support_)])
    dual_coef = np.asarray(svc.dual_coef_, dtype=float)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    dual = np.zeros((len(svc.support_vectors_), len(pairs)))
    pair_matrix = np.zeros((len(pairs), k))
    for p, (i, j) in enumerate(pairs):
        dual[starts[i] : starts[i + 1], p] = dual_coef[j - 1, starts[i] : starts[i + 1]]
        dual[starts[j] : starts[j + 1], p] = dual_coef[i, starts[j] : starts[j + 1]]
        pair_matrix[p, i], pair_matrix[p, j] = 1.0, -1.0
    return SvcParts(
        classes=classes,
        support_vectors=np.asarray(svc.support_vectors_, dtype=float),
        dual=dual,
        intercepts=np.asarray(svc.intercept_, dtype=float),
        gamma=float(svc._gamma),
        pair_matrix=pair_matrix,
        calibration_a=np.array([c.a_ for c in inner.calibrators], dtype=float),
        calibration_b=np.array([c.b_ for c in inner.calibrators], dtype=float),
    )


def parts_predict(parts: SvcParts, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities from :class:`SvcParts`, as scikit-learn computes them.

    Args:
        parts: The fitted numbers.
        X: ``(n, 64)`` or ``(n, 8, 8)`` grids.

    Returns:
        ``(labels, probabilities)``, probabilities of shape ``(n, k)``.
    """
    from tuipad.core.features import grid_features

    x = grid_features(X)
    squared = (
        (x**2).sum(axis=1)[:, None]
        - 2 * x @ parts.support_vectors.T
        + (parts.support_vectors**2).sum(axis=1)[None, :]
    )
    decision = np.exp(-parts.gamma * np.maximum(squared, 0)) @ parts.dual + parts.intercepts
    scores = _ovr(decision, parts.pair_matrix)
    proba = 1 / (1 + np.exp(parts.calibration_a * scores + parts.calibration_b))
    proba /= proba.sum(axis=1, keepdims=True)
    return parts.classes[proba.argmax(axis=1)], proba


def _ovr(decision: np.ndarray, pair_matrix: np.ndarray) -> np.ndarray:
    """scikit-learn's ``_ovr_decision_function`` in matrix form.

    A pair's first class gets the vote when its decision value is >= 0; the
    ``k``-th class is second in ``k`` pairs, hence the ``arange`` offset.
    """
    votes = (decision >= 0) @ pair_matrix + np.arange(pair_matrix.shape[1])
    confidence = decision @ pair_matrix
    return votes + confidence / (3 * (np.abs(confidence) + 1))


# --------------------------------------------------------------------------- metadata


def describe(manifest: Manifest) -> dict[str, str]:
    """The metadata written into both formats.

    Args:
        manifest: The exported model's manifest.

    Returns:
        ``author``, ``license``, ``version``, ``description``, ``training_data``,
        ``accuracy`` and the model's provenance, as strings.
    """
    from tuipad import __version__

    accuracy = manifest.metrics.get("test_accuracy")
    sources = "; ".join(manifest.training_data) or "not recorded"
    licences = [text for key, text in DATA_LICENCES.items() if key in sources]
    return {
        "author": AUTHOR,
        "license": "Model exported by tuipad (MIT). Training data: "
        + ("; ".join(licences) if licences else "see training_data"),
        "version": f"{manifest.name} ({manifest.created or 'undated'}), tuipad {__version__}",
        "description": "Reads a handwritten digit from an 8x8 grid of ink counts 0..16"
        " (scikit-learn load_digits layout).",
        "training_data": sources,
        "accuracy": f"{float(accuracy):.4f}" if accuracy is not None else "not measured",
        "accuracy_protocol": str(manifest.metrics.get("protocol", "")),
        "recipe": manifest.recipe,
        "sklearn_version": manifest.sklearn_version,
    }


def _need(module: str, what: str) -> Any:
    """Import an optional package or explain the extra in one line."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise ExportError(f"{what} export needs the export extra: {EXTRA_HINT}") from None


REQUIREMENTS = {"coreml": ("coremltools",), "onnx": ("skl2onnx", "onnx", "onnxruntime")}
"""Packages of the export extra each format needs (onnxruntime checks the file)."""

FORMAT_NAMES = {"coreml": "Core ML", "onnx": "ONNX"}
"""Format keys and how messages name them."""


def require(kind: str) -> None:
    """Check that a format's packages are installed.

    Args:
        kind: ``"coreml"`` or ``"onnx"``.

    Raises:
        ExportError: Naming the extra to install.
    """
    logging.getLogger("coremltools").setLevel(logging.ERROR)
    for module in REQUIREMENTS[kind]:
        _need(module, FORMAT_NAMES[kind])


# --------------------------------------------------------------------------- Core ML


def coreml_spec(estimator: Any, manifest: Manifest) -> Any:
    """Build the Core ML spec (a ``Model_pb2.Model``) of a tuipad model.

    Args:
        estimator: A fitted tuipad pipeline (see :func:`svc_parts`).
        manifest: Its manifest, for the metadata.

    Returns:
        The spec: a neural network classifier, specification version 4 (iOS 13,
        macOS 10.15).

    Raises:
        ExportError: If the model cannot be exported or coremltools is missing.
    """
    parts = svc_parts(estimator)
    # coremltools warns on import that it cannot *run* models without its
    # native library (always so on Linux) and that its own scikit-learn
    # converter is off; building a spec needs neither.
    logging.getLogger("coremltools").setLevel(logging.ERROR)
    _need("coremltools", "Core ML")
    from coremltools.models import datatypes
    from coremltools.models.neural_network import NeuralNetworkBuilder
    from coremltools.models.neural_network.flexible_shape_utils import (
        add_multiarray_ndshape_enumeration,
    )

    k, pairs = len(parts.classes), parts.pair_matrix.shape[0]
    builder = NeuralNetworkBuilder(
        [(INPUT_NAME, datatypes.Array(GRID, GRID))],
        [(PROBABILITY_NAME, None)],
        mode="classifier",
        disable_rank5_shape_mapping=True,
    )
    builder.add_reshape_static("flatten", INPUT_NAME, "flat", [1, GRID * GRID])
    builder.add_clip("clip", "flat", "x", min_value=0.0, max_value=float(MAX_INK))
    sv = parts.support_vectors
    builder.add_load_constant_nd("support_vectors", "sv", sv, list(sv.shape))
    builder.add_subtract_broadcastable("difference", ["x", "sv"], "diff")
    builder.add_multiply_broadcastable("square", ["diff", "diff"], "diff2")
    builder.add_reduce_sum("distance", "diff2", "dist", axes=[-1], keepdims=False)
    builder.add_activation("scale_by_gamma", "LINEAR", "dist", "scaled", params=[-parts.gamma, 0.0])
    builder.add_unary("kernel_exp", "scaled", "kernel_flat", mode="exp")
    builder.add_reshape_static("kernel_row", "kernel_flat", "kernel", [1, len(sv)])
    builder.add_batched_mat_mul(
        "ovo_decision",
        ["kernel"],
        "decision",
        weight_matrix_rows=len(sv),
        weight_matrix_columns=pairs,
        W=parts.dual,
        bias=parts.intercepts,
    )
    builder.add_greater_than(
        "ovo_win", ["decision"], "wins", use_greater_than_equal=True, alpha=0.0
    )
    builder.add_batched_mat_mul(
        "votes",
        ["wins"],
        "votes",
        weight_matrix_rows=pairs,
        weight_matrix_columns=k,
        W=parts.pair_matrix,
        bias=np.arange(k, dtype=float),
    )
    builder.add_batched_mat_mul(
        "confidence_sum",
        ["decision"],
        "confidence",
        weight_matrix_rows=pairs,
        weight_matrix_columns=k,
        W=parts.pair_matrix,
        bias=np.zeros(k),
    )
    builder.add_unary("confidence_abs", "confidence", "abs_confidence", mode="abs")
    builder.add_activation(
        "confidence_denominator", "LINEAR", "abs_confidence", "denominator", params=[3.0, 3.0]
    )
    builder.add_divide_broadcastable("squash", ["confidence", "denominator"], "squashed")
    builder.add_add_broadcastable("ovr_decision", ["votes", "squashed"], "ovr")
    builder.add_batched_mat_mul(
        "calibration",
        ["ovr"],
        "logit",
        weight_matrix_rows=k,
        weight_matrix_columns=k,
        W=np.diag(-parts.calibration_a),
        bias=-parts.calibration_b,
    )
    builder.add_activation("calibration_sigmoid", "SIGMOID", "logit", "calibrated")
    builder.add_reduce_sum("total", "calibrated", "total", axes=[-1], keepdims=True)
    builder.add_divide_broadcastable("normalise", ["calibrated", "total"], "normalised")
    builder.add_reshape_static("probabilities", "normalised", "probabilities", [k])
    builder.set_class_labels(
        [int(c) for c in parts.classes],
        predicted_feature_name=LABEL_NAME,
        prediction_blob="probabilities",
    )
    spec = builder.spec
    add_multiarray_ndshape_enumeration(spec, INPUT_NAME, [(GRID, GRID), (GRID * GRID,)])

    meta = describe(manifest)
    description = spec.description
    description.metadata.author = meta["author"]
    description.metadata.license = meta["license"]
    description.metadata.versionString = meta["version"]
    description.metadata.shortDescription = meta["description"]
    for key in ("training_data", "accuracy", "accuracy_protocol", "recipe", "sklearn_version"):
        description.metadata.userDefined[key] = meta[key]
    description.input[
        0
    ].shortDescription = "8x8 (or 64) ink counts 0..16, row by row; values outside are clipped"
    for feature in description.output:
        feature.shortDescription = (
            "the digit: arg-max of the probabilities"
            if feature.name == LABEL_NAME
            else "calibrated probability of each digit"
        )
    return spec


def to_coreml(estimator: Any, manifest: Manifest, path: Path) -> Any:
    """Export a tuipad model as a Core ML ``.mlmodel`` file, atomically.

    Args:
        estimator: A fitted tuipad pipeline.
        manifest: Its manifest.
        path: The file to write.

    Returns:
        The spec written.

    Raises:
        ExportError: If the model cannot be exported or coremltools is missing.
    """
    spec = coreml_spec(estimator, manifest)
    atomic_write(Path(path), spec.SerializeToString())
    return spec


def load_coreml_spec(path: Path) -> Any:
    """Read an ``.mlmodel`` file back into a spec (``Model_pb2.Model``)."""
    model_pb2 = _need("coremltools.proto.Model_pb2", "Core ML")
    spec = model_pb2.Model()
    spec.ParseFromString(Path(path).read_bytes())
    return spec


def _weights(params: Any) -> np.ndarray:
    return np.asarray(params.floatValue, dtype=float)


def _layer_function(layer: Any, dtype: Any) -> Callable[..., np.ndarray]:
    """The numpy meaning of one Core ML layer, for a batch on a leading axis.

    Only the layer kinds :func:`coreml_spec` writes are understood, with the
    semantics of Core ML's ``NeuralNetwork.proto``.
    """
    kind = layer.WhichOneof("layer")
    params = getattr(layer, kind)

    def cast(array: np.ndarray) -> np.ndarray:
        return np.asarray(array, dtype=dtype)

    if kind == "reshapeStatic":
        shape = tuple(params.targetShape)
        return lambda a: a.reshape((a.shape[0], *shape))
    if kind == "clip":
        low, high = params.minVal, params.maxVal
        return lambda a: np.clip(a, low, high)
    if kind == "loadConstantND":
        value = cast(_weights(params.data).reshape(tuple(params.shape)))
        return lambda: value
    if kind in ("subtractBroadcastable", "multiplyBroadcastable", "divideBroadcastable"):
        operation = {"s": np.subtract, "m": np.multiply, "d": np.divide}[kind[0]]
        return lambda a, b: operation(a, b)
    if kind == "addBroadcastable":
        return lambda a, b: a + b
    if kind == "reduceSum":
        axes = tuple(axis if axis < 0 else axis + 1 for axis in params.axes)
        keep = params.keepDims
        if params.reduceAll:
            return lambda a: a.sum(axis=tuple(range(1, a.ndim)), keepdims=keep)
        return lambda a: a.sum(axis=axes, keepdims=keep)
    if kind == "activation":
        which = params.WhichOneof("NonlinearityType")
        if which == "linear":
            alpha, beta = params.linear.alpha, params.linear.beta
            return lambda a: alpha * a + beta
        if which == "sigmoid":
            return lambda a: 1 / (1 + np.exp(-a))
        raise ExportError(f"unsupported Core ML activation {which}")
    if kind == "unary":
        operation = type(params).Operation.Name(params.type)
        if params.scale not in (0.0, 1.0) or params.shift != 0.0:
            raise ExportError("unsupported scaled Core ML unary layer")
        if operation == "EXP":
            return np.exp
        if operation == "ABS":
            return np.abs
        raise ExportError(f"unsupported Core ML unary function {operation}")
    if kind == "batchedMatmul":
        rows, columns = params.weightMatrixFirstDimension, params.weightMatrixSecondDimension
        # Stored output-major, as coremltools' builder writes it (W transposed).
        weights = cast(_weights(params.weights).reshape(columns, rows).T)
        bias = cast(_weights(params.bias)) if params.hasBias else cast(np.zeros(columns))
        return lambda a: a @ weights + bias
    if kind == "greaterEqual":
        alpha = params.alpha
        return lambda a: (a >= alpha).astype(a.dtype)
    raise ExportError(f"unsupported Core ML layer {kind}")


def coreml_spec_predict(
    spec: Any, X: np.ndarray, *, dtype: Any = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Recompute a Core ML spec's outputs with numpy, from the spec alone.

    The layers are read from the spec (support vectors, dual coefficients,
    intercepts, kernel width, the one-vs-rest transform and the calibration),
    not from the scikit-learn model, so this checks what an app would run.

    Args:
        spec: A spec written by :func:`coreml_spec` (``Model_pb2.Model``).
        X: ``(n, 64)`` or ``(n, 8, 8)`` inputs.
        dtype: Arithmetic precision; ``np.float32`` mimics Core ML on the CPU.

    Returns:
        ``(labels, probabilities)``: ``classLabel`` and the ``classProbability``
        values in class-label order.

    Raises:
        ExportError: If the spec uses layers this reader does not know.
    """
    network = spec.neuralNetworkClassifier
    labels = np.asarray(network.int64ClassLabels.vector, dtype=int)
    steps = [
        (_layer_function(layer, dtype), list(layer.input), layer.output[0])
        for layer in network.layers
    ]
    inputs = np.asarray(X, dtype=dtype).reshape(len(X), -1)
    probabilities = []
    for start in range(0, len(inputs), _CHUNK):
        blobs: dict[str, np.ndarray] = {
            spec.description.input[0].name: inputs[start : start + _CHUNK]
        }
        for function, names, output in steps:
            blobs[output] = function(*(blobs[name] for name in names))
        probabilities.append(blobs[network.labelProbabilityLayerName])
    proba = np.concatenate(probabilities).astype(float)
    return labels[proba.argmax(axis=1)], proba


# --------------------------------------------------------------------------- ONNX


def _register_grid_features() -> None:
    """Teach skl2onnx that ``GridFeatures`` is a clip to 0..16."""
    from skl2onnx import update_registered_converter
    from skl2onnx.algebra.onnx_ops import OnnxClip

    from tuipad.core.features import GridFeatures

    def shape(operator: Any) -> None:
        operator.outputs[0].type = operator.inputs[0].type.__class__(
            [operator.inputs[0].get_first_dimension(), GRID * GRID]
        )

    def convert(scope: Any, operator: Any, container: Any) -> None:
        dtype = np.float64 if "Double" in type(operator.inputs[0].type).__name__ else np.float32
        clipped = OnnxClip(
            operator.inputs[0],
            np.array(0, dtype=dtype),
            np.array(MAX_INK, dtype=dtype),
            op_version=container.target_opset,
            output_names=operator.outputs[:1],
        )
        clipped.add_to(scope, container)

    update_registered_converter(GridFeatures, "TuipadGridFeatures", shape, convert)


def onnx_model(estimator: Any, manifest: Manifest) -> Any:
    """Convert a tuipad model to an ONNX ``ModelProto`` through skl2onnx.

    The input is ``grid``, float32 ``(n, 64)``; the outputs are ``label``
    (int64) and ``probabilities`` (float32 ``(n, k)``, class-label order).

    Raises:
        ExportError: If the model cannot be exported or skl2onnx is missing.
    """
    svc_parts(estimator)
    _need("skl2onnx", "ONNX")
    _need("onnx", "ONNX")
    from skl2onnx import to_onnx as skl_to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    _register_grid_features()
    with warnings.catch_warnings():
        # skl2onnx reads SVC.probA_ to see whether probability=True was set;
        # tuipad never sets it, so scikit-learn 1.9's deprecation is noise.
        warnings.filterwarnings("ignore", message=".*prob[AB]_", category=FutureWarning)
        model = skl_to_onnx(
            estimator,
            initial_types=[(INPUT_NAME, FloatTensorType([None, GRID * GRID]))],
            options={id(estimator.steps[-1][1]): {"zipmap": False}},
        )
    meta = describe(manifest)
    model.producer_name = AUTHOR
    model.doc_string = meta["description"]
    model.model_version = 1
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    return model


def to_onnx(estimator: Any, manifest: Manifest, path: Path) -> Any:
    """Export a tuipad model as an ONNX file, atomically.

    Args:
        estimator: A fitted tuipad pipeline.
        manifest: Its manifest.
        path: The file to write.

    Returns:
        The ``ModelProto`` written.

    Raises:
        ExportError: If the model cannot be exported or the extra is missing.
    """
    model = onnx_model(estimator, manifest)
    atomic_write(Path(path), model.SerializeToString())
    return model


def onnx_predict(path: Path, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run an exported ONNX file with onnxruntime.

    Args:
        path: The ``.onnx`` file.
        X: ``(n, 64)`` or ``(n, 8, 8)`` inputs.

    Returns:
        ``(labels, probabilities)``.
    """
    runtime = _need("onnxruntime", "ONNX")
    session = runtime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rows = np.asarray(X, dtype=np.float32).reshape(len(X), -1)
    labels, proba = session.run(None, {INPUT_NAME: rows})
    return np.asarray(labels), np.asarray(proba, dtype=float)
