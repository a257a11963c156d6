"""Export a tuipad model as ONNX, and run the file with onnxruntime.

The model is written as a graph of plain ONNX operators from its arrays
(:class:`~tuipad.core.model_arrays.SvcArrays`), the numbers the sketchpad
recognises with and the Core ML network is written from: clip, RBF kernel,
one-vs-one decision values, then the calibration, pairwise
(:mod:`tuipad.core.pairwise`) or the seed family's per-class sigmoids over
scikit-learn's one-vs-rest scores.  The same families are refused as for Core
ML (:func:`~tuipad.export.parts.svc_arrays`), and the file carries the same
metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.grid import GRID, MAX_INK
from tuipad.core.model_arrays import SvcArrays
from tuipad.core.pairwise import pair_membership
from tuipad.export.parts import AUTHOR, INPUT_NAME, describe, need, svc_arrays
from tuipad.store.files import write_named_file
from tuipad.store.registry import Manifest


def onnx_model(model: Any, manifest: Manifest) -> Any:
    """A tuipad model as an ONNX ``ModelProto`` of plain operators.

    The input is ``grid``, float32 ``(n, 64)``; the outputs are ``label``
    (int64) and ``probabilities`` (float32 ``(n, k)``, class-label order).

    Args:
        model: The model's arrays (what a ``LoadedModel`` recognises with).
        manifest: Its manifest, for the metadata.

    Raises:
        ExportError: If the model cannot be exported or onnx is missing.
    """
    arrays = svc_arrays(model)
    need("onnx", "onnx")
    from onnx import TensorProto, helper

    graph = _Graph()
    decision = _add_decision(graph, arrays)
    if arrays.calibration == "pairwise":
        _add_pairwise_calibration(graph, arrays, decision)
    else:
        _add_sigmoid_calibration(graph, arrays, decision)
    graph.constant("classes", arrays.classes.astype(np.int64))
    graph.add("ArgMax", ["probabilities"], "index", axis=1, keepdims=0)
    graph.add("Gather", ["classes", "index"], "label")
    k = len(arrays.classes)
    proto = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "tuipad",
            [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, [None, GRID * GRID])],
            [
                helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, k]),
            ],
            graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    _describe(proto, manifest)
    return proto


OPSET = 13
"""ONNX operator set of the graph (onnxruntime has run it since 1.6)."""


class _Graph:
    """Nodes and constants of a graph being written, float constants as float32."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []

    def constant(self, name: str, value: Any) -> str:
        from onnx import numpy_helper

        array = np.asarray(value)
        if array.dtype.kind == "f":
            array = array.astype(np.float32)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def add(self, op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output


def _add_decision(graph: _Graph, arrays: SvcArrays) -> str:
    """Clip, the RBF kernel and the one-vs-one decision values.

    ``|x − sv|²`` is expanded as ``|x|² − 2·x·sv + |sv|²`` so the kernel is
    two matrix products.
    """
    sv = arrays.support_vectors
    c = graph.constant
    graph.add("Clip", [INPUT_NAME, c("low", 0.0), c("high", float(MAX_INK))], "x")
    graph.add("Mul", ["x", "x"], "x_squared")
    graph.add("MatMul", ["x_squared", c("ones", np.ones((GRID * GRID, 1)))], "x_norms")
    graph.add("MatMul", ["x", c("sv_t", sv.T)], "dots")
    graph.add("Mul", ["dots", c("minus_two", -2.0)], "cross")
    graph.add("Add", ["x_norms", "cross"], "partial")
    graph.add("Add", ["partial", c("sv_norms", (sv**2).sum(axis=1)[None, :])], "distances")
    graph.add("Max", ["distances", c("zero", 0.0)], "squared")
    graph.add("Mul", ["squared", c("minus_gamma", -arrays.gamma)], "scaled")
    graph.add("Exp", ["scaled"], "kernel")
    graph.add("MatMul", ["kernel", c("dual", arrays.dual)], "weighted")
    return graph.add("Add", ["weighted", c("intercepts", arrays.intercepts)], "decision")


def _add_pairwise_calibration(graph: _Graph, arrays: SvcArrays, decision: str) -> None:
    """Pairwise calibration (:mod:`tuipad.core.pairwise`), with ``log σ(x) = −softplus(−x)``."""
    pairs, k = arrays.pair_matrix.shape
    slopes, offset = np.diag(arrays.calibration_a), float(arrays.calibration_b[0])
    first, second = pair_membership(k)
    c = graph.constant
    graph.add("MatMul", [decision, c("logit_weights", np.hstack([-slopes, slopes]))], "logits")
    graph.add("Add", ["logits", c("logit_bias", np.full(2 * pairs, -offset))], "negated_logits")
    graph.add("Softplus", ["negated_logits"], "log_losses")
    graph.add("MatMul", ["log_losses", c("class_sums", -np.vstack([first, second]))], "log_scores")
    graph.add("Softmax", ["log_scores"], "probabilities", axis=1)


def _add_sigmoid_calibration(graph: _Graph, arrays: SvcArrays, decision: str) -> None:
    """The seed family: scikit-learn's one-vs-rest scores, then one sigmoid per class.

    See :func:`tuipad.core.model_arrays.one_vs_rest`.
    """
    k = len(arrays.classes)
    c = graph.constant
    graph.add("GreaterOrEqual", [decision, c("zero_decision", 0.0)], "wins")
    graph.add("Cast", ["wins"], "win_counts", to=1)  # 1: FLOAT
    graph.add("MatMul", ["win_counts", c("pair_matrix", arrays.pair_matrix)], "vote_offsets")
    graph.add("Add", ["vote_offsets", c("second_counts", np.arange(k, dtype=float))], "votes")
    graph.add("MatMul", [decision, "pair_matrix"], "confidence")
    graph.add("Abs", ["confidence"], "size")
    graph.add("Add", ["size", c("one", 1.0)], "size_plus_one")
    graph.add("Mul", ["size_plus_one", c("three", 3.0)], "damping")
    graph.add("Div", ["confidence", "damping"], "tie_break")
    graph.add("Add", ["votes", "tie_break"], "ovr")
    # σ(−(a·f + b)) = exp(−softplus(a·f + b)): normalising the sigmoids is a softmax
    # of their logarithms, finite even where every sigmoid underflows.
    graph.add("Mul", ["ovr", c("a", arrays.calibration_a)], "scaled_ovr")
    graph.add("Add", ["scaled_ovr", c("b", arrays.calibration_b)], "shifted")
    graph.add("Softplus", ["shifted"], "log_losses")
    graph.add("Neg", ["log_losses"], "log_scores")
    graph.add("Softmax", ["log_scores"], "probabilities", axis=1)


def _describe(proto: Any, manifest: Manifest) -> None:
    """The metadata both formats carry (:func:`~tuipad.export.parts.describe`)."""
    meta = describe(manifest)
    proto.producer_name = AUTHOR
    proto.doc_string = meta["description"]
    proto.model_version = 1
    for key, value in meta.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value


def to_onnx(model: Any, manifest: Manifest, path: Path) -> Any:
    """Export a tuipad model as an ONNX file, atomically.

    Args:
        model: The model's arrays.
        manifest: Its manifest.
        path: The file to write.

    Returns:
        The ``ModelProto`` written.

    Raises:
        ExportError: If the model cannot be exported or the extra is missing.
    """
    proto = onnx_model(model, manifest)
    write_named_file(Path(path), proto.SerializeToString())
    return proto


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
