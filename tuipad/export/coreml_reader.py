"""Read a Core ML spec written by :mod:`tuipad.export.coreml` back, and run it with numpy.

Nothing runs Core ML on Linux, so :func:`coreml_spec_predict` evaluates the
saved spec layer by layer, from the spec alone (support vectors, dual
coefficients, intercepts, kernel width and calibration), with the semantics of
Core ML's ``NeuralNetwork.proto``; the tests check it against tuipad on all of
``load_digits``, and a model reading the pen's path on replayed pen digits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.export.parts import ExportError, input_rows, need, quiet_coremltools

_CHUNK = 64
"""Rows evaluated at once by :func:`coreml_spec_predict` (bounds its memory)."""


def load_coreml_spec(path: Path) -> Any:
    """Read an ``.mlmodel`` file back into a spec (``Model_pb2.Model``)."""
    quiet_coremltools()
    model_pb2 = need("coremltools.proto.Model_pb2", "coreml")
    spec = model_pb2.Model()
    spec.ParseFromString(Path(path).read_bytes())
    return spec


def coreml_file_predict(path: Path, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities of a written ``.mlmodel``, recomputed from the file.

    Args:
        path: The ``.mlmodel`` file.
        X: ``(n, 64)`` or ``(n, 8, 8)`` grids, or ``(n, 142)`` rows with paths.

    Returns:
        ``(labels, probabilities)`` in 64-bit arithmetic.
    """
    return coreml_spec_predict(load_coreml_spec(path), X)


def _weights(params: Any) -> np.ndarray:
    return np.asarray(params.floatValue, dtype=float)


Layer = Callable[..., np.ndarray]
"""The numpy meaning of one layer, for a batch on a leading axis."""


def _shape_layer(kind: str, params: Any, dtype: Any) -> Layer:
    """``reshapeStatic``, ``clip`` and ``loadConstantND``."""
    if kind == "reshapeStatic":
        shape = tuple(params.targetShape)
        return lambda a: a.reshape((a.shape[0], *shape))
    if kind == "clip":
        low, high = params.minVal, params.maxVal
        return lambda a: np.clip(a, low, high)
    value = np.asarray(_weights(params.data).reshape(tuple(params.shape)), dtype=dtype)
    return lambda: value


def _arithmetic_layer(kind: str, params: Any, dtype: Any) -> Layer:
    """The broadcasting binary layers, ``reduceSum`` and ``greaterEqual``."""
    if kind == "addBroadcastable":
        return lambda a, b: a + b
    if kind in ("subtractBroadcastable", "multiplyBroadcastable", "divideBroadcastable"):
        operation = {"s": np.subtract, "m": np.multiply, "d": np.divide}[kind[0]]
        return lambda a, b: operation(a, b)
    if kind == "greaterEqual":
        alpha = params.alpha
        return lambda a: (a >= alpha).astype(a.dtype)
    axes = tuple(axis if axis < 0 else axis + 1 for axis in params.axes)
    keep = params.keepDims
    if params.reduceAll:
        return lambda a: a.sum(axis=tuple(range(1, a.ndim)), keepdims=keep)
    return lambda a: a.sum(axis=axes, keepdims=keep)


def _comparison_layer(kind: str, params: Any, dtype: Any) -> Layer:
    """``argMax`` (the index as a number, ties to the first) and two-input ``equal`` (1 or 0)."""
    if kind == "argMax":
        axis, keep = params.axis if params.axis < 0 else params.axis + 1, not params.removeDim
        return lambda a: np.argmax(a, axis=axis, keepdims=keep).astype(a.dtype)

    def equal(*blobs: np.ndarray) -> np.ndarray:
        if len(blobs) != 2:
            raise ExportError("unsupported Core ML equal layer with one input")
        return (blobs[0] == blobs[1]).astype(blobs[0].dtype)

    return equal


def _function_layer(kind: str, params: Any, dtype: Any) -> Layer:
    """``activation`` (linear, sigmoid, softplus) and ``unary`` (exp, abs)."""
    if kind == "activation":
        which = params.WhichOneof("NonlinearityType")
        if which == "linear":
            alpha, beta = params.linear.alpha, params.linear.beta
            return lambda a: alpha * a + beta
        if which == "sigmoid":
            return lambda a: 1 / (1 + np.exp(-a))
        if which == "softplus":
            return lambda a: np.logaddexp(0, a)
        raise ExportError(f"unsupported Core ML activation {which}")
    operation = type(params).Operation.Name(params.type)
    if params.scale not in (0.0, 1.0) or params.shift != 0.0:
        raise ExportError("unsupported scaled Core ML unary layer")
    functions: dict[str, Layer] = {"EXP": np.exp, "ABS": np.abs}
    if operation not in functions:
        raise ExportError(f"unsupported Core ML unary function {operation}")
    return functions[operation]


def _softmax_layer(kind: str, params: Any, dtype: Any) -> Layer:
    """``softmaxND`` along one axis."""
    axis = params.axis if params.axis < 0 else params.axis + 1

    def softmax(a: np.ndarray) -> np.ndarray:
        exp = np.exp(a - a.max(axis=axis, keepdims=True))
        result: np.ndarray = exp / exp.sum(axis=axis, keepdims=True)
        return result

    return softmax


def _matmul_layer(kind: str, params: Any, dtype: Any) -> Layer:
    """``batchedMatmul`` with its constant weights and bias."""
    rows, columns = params.weightMatrixFirstDimension, params.weightMatrixSecondDimension
    # Stored output-major, as coremltools' builder writes it (W transposed).
    weights = np.asarray(_weights(params.weights).reshape(columns, rows).T, dtype=dtype)
    bias = np.asarray(_weights(params.bias) if params.hasBias else np.zeros(columns), dtype=dtype)
    return lambda a: a @ weights + bias


_LAYERS: dict[str, Callable[[str, Any, Any], Layer]] = {
    "reshapeStatic": _shape_layer,
    "clip": _shape_layer,
    "loadConstantND": _shape_layer,
    "addBroadcastable": _arithmetic_layer,
    "subtractBroadcastable": _arithmetic_layer,
    "multiplyBroadcastable": _arithmetic_layer,
    "divideBroadcastable": _arithmetic_layer,
    "reduceSum": _arithmetic_layer,
    "greaterEqual": _arithmetic_layer,
    "equal": _comparison_layer,
    "argMax": _comparison_layer,
    "activation": _function_layer,
    "unary": _function_layer,
    "batchedMatmul": _matmul_layer,
    "softmaxND": _softmax_layer,
}
"""The layer kinds :func:`coreml_spec` writes, with the semantics of Core ML's
``NeuralNetwork.proto``; any other kind is refused."""


def _layer_function(layer: Any, dtype: Any) -> Layer:
    """The numpy meaning of one Core ML layer, computing in ``dtype``."""
    kind = layer.WhichOneof("layer")
    if kind not in _LAYERS:
        raise ExportError(f"unsupported Core ML layer {kind}")
    return _LAYERS[kind](kind, getattr(layer, kind), dtype)


def coreml_spec_predict(
    spec: Any, X: np.ndarray, *, dtype: Any = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Recompute a Core ML spec's outputs with numpy, from the spec alone.

    The layers are read from the spec (support vectors, dual coefficients,
    intercepts, kernel width, the one-vs-rest transform and the calibration),
    not from the scikit-learn model, so this checks what an app would run.

    Args:
        spec: A spec written by :func:`coreml_spec` (``Model_pb2.Model``).
        X: ``(n, 64)`` or ``(n, 8, 8)`` grids, or ``(n, 142)`` rows with
            paths, split over the spec's inputs in order
            (:func:`~tuipad.export.parts.input_rows`).
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
    inputs = input_rows(X, [given.name for given in spec.description.input], dtype=dtype)
    probabilities = []
    for start in range(0, len(X), _CHUNK):
        blobs = {name: rows[start : start + _CHUNK] for name, rows in inputs.items()}
        for function, names, output in steps:
            blobs[output] = function(*(blobs[name] for name in names))
        probabilities.append(blobs[network.labelProbabilityLayerName])
    proba = np.concatenate(probabilities).astype(float)
    return labels[proba.argmax(axis=1)], proba
