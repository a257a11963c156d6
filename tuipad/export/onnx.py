"""Export a tuipad model as ONNX, and run the file with onnxruntime.

The pairwise-calibrated SVCs (the shipped and tuned families) are written as a
graph of plain ONNX operators from :class:`~tuipad.export.parts.SvcParts`, the
numbers the Core ML network is written from: clip, RBF kernel, one-vs-one
decision values, then the pairwise calibration of :mod:`tuipad.core.pairwise`.
skl2onnx converts the seed family's ``CalibratedClassifierCV`` itself; tuipad
adds a converter that turns :class:`~tuipad.core.features.GridFeatures` into a
``Clip`` to 0..16.  Either way the model is checked with
:func:`~tuipad.export.parts.svc_parts` first, so the same families are refused
as for Core ML, and the file carries the same metadata.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.grid import GRID, MAX_INK
from tuipad.core.pairwise import pair_membership
from tuipad.export.parts import AUTHOR, INPUT_NAME, SvcParts, describe, need, svc_parts
from tuipad.store.files import atomic_write
from tuipad.store.registry import Manifest


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
    parts = svc_parts(estimator)
    need("onnx", "onnx")
    if parts.calibration == "pairwise":
        model = _pairwise_model(parts)
    else:
        model = _skl2onnx_model(estimator)
    meta = describe(manifest)
    model.producer_name = AUTHOR
    model.doc_string = meta["description"]
    model.model_version = 1
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    return model


def _skl2onnx_model(estimator: Any) -> Any:
    """The seed family's model, converted by skl2onnx."""
    need("skl2onnx", "onnx")
    from skl2onnx import to_onnx as skl_to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    _register_grid_features()
    with warnings.catch_warnings():
        # skl2onnx reads SVC.probA_ to see whether probability=True was set;
        # tuipad never sets it, so scikit-learn's deprecation of it is noise.
        warnings.filterwarnings("ignore", message=".*prob[AB]_", category=FutureWarning)
        return skl_to_onnx(
            estimator,
            initial_types=[(INPUT_NAME, FloatTensorType([None, GRID * GRID]))],
            options={id(estimator.steps[-1][1]): {"zipmap": False}},
        )


OPSET = 13
"""ONNX operator set of the pairwise graph (onnxruntime has run it since 1.6)."""


def _pairwise_model(parts: SvcParts) -> Any:
    """A pairwise-calibrated SVC as plain ONNX operators (see :mod:`tuipad.core.pairwise`).

    ``|x − sv|²`` is expanded as ``|x|² − 2·x·sv + |sv|²`` so the kernel is
    two matrix products; ``log σ(x) = −softplus(−x)``.
    """
    from onnx import TensorProto, helper, numpy_helper

    pairs, k = parts.pair_matrix.shape
    slopes, offset = np.diag(parts.calibration_a), float(parts.calibration_b[0])
    first, second = pair_membership(k)
    sv = parts.support_vectors
    constants = {
        "low": np.array(0.0),
        "high": np.array(float(MAX_INK)),
        "ones": np.ones((GRID * GRID, 1)),
        "sv_t": sv.T,
        "minus_two": np.array(-2.0),
        "sv_norms": (sv**2).sum(axis=1)[None, :],
        "zero": np.array(0.0),
        "minus_gamma": np.array(-parts.gamma),
        "dual": parts.dual,
        "intercepts": parts.intercepts,
        "logit_weights": np.hstack([-slopes, slopes]),
        "logit_bias": np.full(2 * pairs, -offset),
        "class_sums": -np.vstack([first, second]),
    }
    initializers = [
        numpy_helper.from_array(value.astype(np.float32), name) for name, value in constants.items()
    ]
    initializers.append(numpy_helper.from_array(parts.classes.astype(np.int64), "classes"))
    node = helper.make_node
    nodes = [
        node("Clip", [INPUT_NAME, "low", "high"], ["x"]),
        node("Mul", ["x", "x"], ["x_squared"]),
        node("MatMul", ["x_squared", "ones"], ["x_norms"]),
        node("MatMul", ["x", "sv_t"], ["dots"]),
        node("Mul", ["dots", "minus_two"], ["cross"]),
        node("Add", ["x_norms", "cross"], ["partial"]),
        node("Add", ["partial", "sv_norms"], ["distances"]),
        node("Max", ["distances", "zero"], ["squared"]),
        node("Mul", ["squared", "minus_gamma"], ["scaled"]),
        node("Exp", ["scaled"], ["kernel"]),
        node("MatMul", ["kernel", "dual"], ["weighted"]),
        node("Add", ["weighted", "intercepts"], ["decision"]),
        node("MatMul", ["decision", "logit_weights"], ["logits"]),
        node("Add", ["logits", "logit_bias"], ["negated_logits"]),
        node("Softplus", ["negated_logits"], ["log_losses"]),
        node("MatMul", ["log_losses", "class_sums"], ["log_scores"]),
        node("Softmax", ["log_scores"], ["probabilities"], axis=1),
        node("ArgMax", ["probabilities"], ["index"], axis=1, keepdims=0),
        node("Gather", ["classes", "index"], ["label"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tuipad",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, [None, GRID * GRID])],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, k]),
        ],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


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
    runtime = need("onnxruntime", "onnx")
    session = runtime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rows = np.asarray(X, dtype=np.float32).reshape(len(X), -1)
    labels, proba = session.run(None, {INPUT_NAME: rows})
    return np.asarray(labels), np.asarray(proba, dtype=float)
