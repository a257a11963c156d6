"""Export a tuipad model as ONNX, and run the file with onnxruntime.

The model is written as a graph of plain ONNX operators from its arrays
(:class:`~tuipad.core.model_arrays.SvcArrays`), the numbers the sketchpad
recognises with and the Core ML network is written from: clip, RBF kernel,
one-vs-one decision values, then the calibration, pairwise
(:mod:`tuipad.core.pairwise`) or the seed family's per-class sigmoids over
scikit-learn's one-vs-rest scores.  A model that also reads the pen's path
(:class:`~tuipad.core.model_arrays.GridPathArrays`) has a second input,
``path``: each part's kernel and pairwise log-scores, prefixed ``grid_`` and
``path_``, then ``softmax((grid + w·path) / T)``, ``T`` larger
where the parts read different digits
(:func:`~tuipad.core.pairwise.combined_probabilities`).  The same families are
refused as for Core ML (:func:`~tuipad.export.parts.export_arrays`), and the
file carries the same metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.grid import MAX_INK
from tuipad.core.model_arrays import GridPathArrays, SvcArrays
from tuipad.core.pairwise import pair_membership
from tuipad.export.parts import (
    AUTHOR,
    INPUT_NAME,
    INPUT_WIDTHS,
    PATH_INPUT,
    describe,
    export_arrays,
    input_rows,
    need,
)
from tuipad.store.files import write_named_file
from tuipad.store.registry import Manifest


def onnx_model(model: Any, manifest: Manifest) -> Any:
    """A tuipad model as an ONNX ``ModelProto`` of plain operators.

    The input is ``grid``, float32 ``(n, 64)``, and for a model that reads the
    pen's path also ``path``, float32 ``(n, 78)``; the outputs are ``label``
    (int64) and ``probabilities`` (float32 ``(n, k)``, class-label order).

    Args:
        model: The model's arrays (what a ``LoadedModel`` recognises with).
        manifest: Its manifest, for the metadata.

    Raises:
        ExportError: If the model cannot be exported or onnx is missing.
    """
    arrays = export_arrays(model)
    need("onnx", "onnx")
    from onnx import TensorProto, helper

    graph = _Graph()
    if isinstance(arrays, GridPathArrays):
        _add_grid_and_path(graph, arrays)
        classes, inputs = arrays.grid.classes, [INPUT_NAME, PATH_INPUT]
    else:
        _add_one_model(graph, arrays)
        classes, inputs = arrays.classes, [INPUT_NAME]
    graph.constant("classes", classes.astype(np.int64))
    graph.add("ArgMax", ["probabilities"], "index", axis=1, keepdims=0)
    graph.add("Gather", ["classes", "index"], "label")
    proto = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "tuipad",
            [
                helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, INPUT_WIDTHS[name]])
                for name in inputs
            ],
            [
                helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                helper.make_tensor_value_info(
                    "probabilities", TensorProto.FLOAT, [None, len(classes)]
                ),
            ],
            graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    _describe(proto, manifest, path=len(inputs) > 1)
    return proto


def _add_one_model(graph: _Graph, arrays: SvcArrays) -> None:
    """A grid model, from ``grid`` to ``probabilities``."""
    decision = _add_decision(graph, arrays, INPUT_NAME)
    if arrays.calibration == "pairwise":
        log_scores = _add_pairwise_log_scores(graph, arrays, decision)
        graph.add("Softmax", [log_scores], "probabilities", axis=1)
    else:
        _add_sigmoid_calibration(graph, arrays, decision)


def _add_grid_and_path(graph: _Graph, arrays: GridPathArrays) -> None:
    """Both parts, from ``grid`` and ``path`` to ``probabilities``: ``softmax((g + w·p) / T)``
    (``T`` per row: :func:`_add_split_temperature`)."""
    parts = ((arrays.grid, INPUT_NAME, "grid_"), (arrays.path, PATH_INPUT, "path_"))
    grid, path = (
        _add_pairwise_log_scores(graph, part, _add_decision(graph, part, name, prefix), prefix)
        for part, name, prefix in parts
    )
    c = graph.constant
    graph.add("Mul", [path, c("path_weight", arrays.path_weight)], "weighted_path_log_scores")
    graph.add("Add", [grid, "weighted_path_log_scores"], "summed_log_scores")
    if arrays.split_temperature == arrays.temperature:
        inverse_temperature = c("inverse_temperature", 1 / arrays.temperature)
    else:
        inverse_temperature = _add_split_temperature(graph, arrays, grid, path)
    graph.add("Mul", ["summed_log_scores", inverse_temperature], "log_scores")
    graph.add("Softmax", ["log_scores"], "probabilities", axis=1)


def _add_split_temperature(graph: _Graph, arrays: GridPathArrays, grid: str, path: str) -> str:
    """``(n, 1)`` ``1 / T``, or where the parts' top digits differ ``1 / split temperature``
    (:func:`~tuipad.core.pairwise.parts_disagree`); returns its name."""
    from onnx import TensorProto

    graph.add("ArgMax", [grid], "grid_top_digit", axis=1, keepdims=1)
    graph.add("ArgMax", [path], "path_top_digit", axis=1, keepdims=1)
    graph.add("Equal", ["grid_top_digit", "path_top_digit"], "parts_agree")
    graph.add("Cast", ["parts_agree"], "agree", to=TensorProto.FLOAT)
    inverse_agreed, inverse_split = 1 / arrays.temperature, 1 / arrays.split_temperature
    c = graph.constant
    step = c("temperature_step", inverse_agreed - inverse_split)
    graph.add("Mul", ["agree", step], "temperature_change")
    graph.add(
        "Add",
        ["temperature_change", c("split_inverse_temperature", inverse_split)],
        "row_inverse_temperature",
    )
    return "row_inverse_temperature"


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


def _add_decision(graph: _Graph, arrays: SvcArrays, source: str, prefix: str = "") -> str:
    """The RBF kernel and the one-vs-one decision values, after a clip for a grid.

    ``|x − sv|²`` is expanded as ``|x|² − 2·x·sv + |sv|²`` so the kernel is
    two matrix products.  Every name starts with ``prefix``.
    """
    sv = arrays.support_vectors
    p = prefix

    def c(name: str, value: Any) -> str:
        return graph.constant(p + name, value)

    x = source
    if arrays.reads == "grid":
        x = graph.add("Clip", [source, c("low", 0.0), c("high", float(MAX_INK))], f"{p}x")
    graph.add("Mul", [x, x], f"{p}x_squared")
    graph.add("MatMul", [f"{p}x_squared", c("ones", np.ones((sv.shape[1], 1)))], f"{p}x_norms")
    graph.add("MatMul", [x, c("sv_t", sv.T)], f"{p}dots")
    graph.add("Mul", [f"{p}dots", c("minus_two", -2.0)], f"{p}cross")
    graph.add("Add", [f"{p}x_norms", f"{p}cross"], f"{p}partial")
    graph.add("Add", [f"{p}partial", c("sv_norms", (sv**2).sum(axis=1)[None, :])], f"{p}distances")
    graph.add("Max", [f"{p}distances", c("zero", 0.0)], f"{p}squared")
    graph.add("Mul", [f"{p}squared", c("minus_gamma", -arrays.gamma)], f"{p}scaled")
    graph.add("Exp", [f"{p}scaled"], f"{p}kernel")
    graph.add("MatMul", [f"{p}kernel", c("dual", arrays.dual)], f"{p}weighted")
    return graph.add("Add", [f"{p}weighted", c("intercepts", arrays.intercepts)], f"{p}decision")


def _add_pairwise_log_scores(
    graph: _Graph, arrays: SvcArrays, decision: str, prefix: str = ""
) -> str:
    """Pairwise log-scores (:func:`~tuipad.core.pairwise.pairwise_log_scores`), not normalised.

    ``log σ(x) = −softplus(−x)``; every name starts with ``prefix``.
    """
    pairs, k = arrays.pair_matrix.shape
    slopes, offset = np.diag(arrays.calibration_a), float(arrays.calibration_b[0])
    first, second = pair_membership(k)
    p = prefix
    weights = graph.constant(f"{p}logit_weights", np.hstack([-slopes, slopes]))
    bias = graph.constant(f"{p}logit_bias", np.full(2 * pairs, -offset))
    sums = graph.constant(f"{p}class_sums", -np.vstack([first, second]))
    graph.add("MatMul", [decision, weights], f"{p}logits")
    graph.add("Add", [f"{p}logits", bias], f"{p}negated_logits")
    graph.add("Softplus", [f"{p}negated_logits"], f"{p}log_losses")
    return graph.add("MatMul", [f"{p}log_losses", sums], f"{p}log_scores")


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


def _describe(proto: Any, manifest: Manifest, *, path: bool) -> None:
    """The metadata both formats carry (:func:`~tuipad.export.parts.describe`)."""
    meta = describe(manifest, path=path)
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
        X: ``(n, 64)`` or ``(n, 8, 8)`` grids, or ``(n, 142)`` rows with paths,
            split over the inputs the file has (:func:`~tuipad.export.parts.input_rows`).

    Returns:
        ``(labels, probabilities)``.
    """
    runtime = need("onnxruntime", "onnx")
    session = runtime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [given.name for given in session.get_inputs()]
    labels, proba = session.run(None, input_rows(X, names))
    return np.asarray(labels), np.asarray(proba, dtype=float)
