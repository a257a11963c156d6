"""Export a tuipad model as Core ML (``.mlmodel``): a neural network spelling out the SVC.

coremltools' scikit-learn converter stops at scikit-learn 1.5.1, and Core ML's
own ``SupportVectorClassifier`` labels by one-vs-one votes and scores with
libsvm's pairwise coupling, neither of which is what tuipad shows.  So the
model is written as a Core ML *neural network classifier* whose layers spell
out, from the model's arrays (:class:`~tuipad.core.model_arrays.SvcArrays`),
exactly what tuipad computes:

1. clip the 64 inputs to 0..16 (``GridFeatures``);
2. RBF kernel against the support vectors: ``exp(-gamma * |x - sv|^2)``;
3. the 45 one-vs-one decision values: kernel row x dual coefficients + intercepts;
4. the calibration.  For the pairwise calibration (the shipped and tuned
   SVCs, :mod:`tuipad.core.pairwise`): each class's sum of ``log σ(±a·d + b)``
   over its pairs, then a softmax.  For the seed family's sigmoid calibration:
   scikit-learn's one-vs-rest transform (votes plus ``S / (3 * (|S| + 1))``
   where ``S`` sums each class's signed confidences), the per-class sigmoid
   ``1 / (1 + exp(a * f + b))`` and the normalisation to a sum of one, as a
   softmax of the sigmoids' logarithms.

A model that also reads the pen's path
(:class:`~tuipad.core.model_arrays.GridPathArrays`) has a second input,
``path`` (78 values, not clipped): steps 2 and 3 and the pairwise calibration up
to the log-scores are written for each part, their layers and blobs prefixed
``grid_`` and ``path_``, then ``softmax((grid + w·path) / T)``, ``T`` larger
where the parts read different digits
(:func:`~tuipad.core.pairwise.combined_probabilities`).

Core ML takes the arg-max of the last blob as ``classLabel`` and reports the
blob as the ``classProbability`` dictionary.  Nothing runs Core ML on Linux, so
:mod:`~tuipad.export.coreml_reader` evaluates the saved spec layer by layer
with numpy; the tests check it against tuipad on all of ``load_digits``.  Core
ML stores weights as 32-bit floats and runs neural networks in 32-bit (or
16-bit on the GPU and Neural Engine) arithmetic: apps that need tuipad's labels
bit for bit on borderline digits should ask for ``.cpuOnly``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.grid import GRID, MAX_INK
from tuipad.core.model_arrays import GridPathArrays, SvcArrays
from tuipad.core.pairwise import pair_membership
from tuipad.core.pen_path import WIDTH as PATH_WIDTH
from tuipad.export.parts import (
    INPUT_NAME,
    PATH_INPUT,
    describe,
    export_arrays,
    need,
    quiet_coremltools,
)
from tuipad.store.files import write_named_file
from tuipad.store.registry import Manifest

LABEL_NAME = "classLabel"
"""Name of the predicted digit in the Core ML model (Core ML's convention)."""

PROBABILITY_NAME = "classProbability"
"""Name of the per-class probability dictionary in the Core ML model."""

_INPUT_DESCRIPTIONS = {
    INPUT_NAME: "8x8 (or 64) ink counts 0..16, row by row; values outside are clipped",
    PATH_INPUT: f"the pen's path: {PATH_WIDTH} values of tuipad.core.pen_path.path_features",
}
"""What each input holds, for the spec."""

_USER_DEFINED = ("training_data", "accuracy", "accuracy_protocol", "recipe", "sklearn_version")
"""Keys of :func:`~tuipad.export.parts.describe` kept under the spec's user-defined metadata."""


def coreml_spec(model: Any, manifest: Manifest) -> Any:
    """Build the Core ML spec (a ``Model_pb2.Model``) of a tuipad model.

    Args:
        model: The model's arrays (see :func:`~tuipad.export.parts.export_arrays`).
        manifest: Its manifest, for the metadata.

    Returns:
        The spec: a neural network classifier, specification version 4 (iOS 13,
        macOS 10.15), with the input ``grid`` and, for a path model, ``path``.

    Raises:
        ExportError: If the model cannot be exported or coremltools is missing.
    """
    parts = export_arrays(model)
    quiet_coremltools()
    need("coremltools", "coreml")
    from coremltools.models import datatypes
    from coremltools.models.neural_network import NeuralNetworkBuilder
    from coremltools.models.neural_network.flexible_shape_utils import (
        add_multiarray_ndshape_enumeration,
    )

    inputs = [(INPUT_NAME, datatypes.Array(GRID, GRID))]
    if isinstance(parts, GridPathArrays):
        inputs.append((PATH_INPUT, datatypes.Array(PATH_WIDTH)))
    builder = NeuralNetworkBuilder(
        inputs, [(PROBABILITY_NAME, None)], mode="classifier", disable_rank5_shape_mapping=True
    )
    if isinstance(parts, GridPathArrays):
        _add_grid_and_path(builder, parts)
    elif parts.calibration == "pairwise":
        _add_kernel(builder, parts, INPUT_NAME)
        _add_pairwise_log_scores(builder, parts)
        _add_softmax(builder, "log_scores", len(parts.classes))
    else:
        _add_kernel(builder, parts, INPUT_NAME)
        _add_one_vs_rest(builder, parts)
        _add_calibration(builder, parts)
    builder.set_class_labels(
        [int(c) for c in parts.classes_],
        predicted_feature_name=LABEL_NAME,
        prediction_blob="probabilities",
    )
    spec = builder.spec
    add_multiarray_ndshape_enumeration(spec, INPUT_NAME, [(GRID, GRID), (GRID * GRID,)])
    _describe_spec(spec, manifest)
    return spec


def _add_grid_and_path(builder: Any, parts: GridPathArrays) -> None:
    """Both parts' log-scores, then ``softmax((grid + w·path) / T)`` as ``probabilities``
    (``T`` per row: :func:`_add_split_temperature`)."""
    _add_kernel(builder, parts.grid, INPUT_NAME, "grid_")
    grid = _add_pairwise_log_scores(builder, parts.grid, "grid_")
    _add_kernel(builder, parts.path, PATH_INPUT, "path_")
    path = weighted = _add_pairwise_log_scores(builder, parts.path, "path_")
    if parts.path_weight != 1.0:
        weighted = "weighted_path_log_scores"
        builder.add_activation(
            "path_weight", "LINEAR", path, weighted, params=[parts.path_weight, 0.0]
        )
    builder.add_add_broadcastable("sum_log_scores", [grid, weighted], "summed_log_scores")
    if parts.split_temperature == parts.temperature:
        builder.add_activation(
            "temperature",
            "LINEAR",
            "summed_log_scores",
            "log_scores",
            params=[1 / parts.temperature, 0.0],
        )
    else:
        _add_split_temperature(builder, parts, grid, path)
    _add_softmax(builder, "log_scores", len(parts.classes_))


def _add_split_temperature(builder: Any, parts: GridPathArrays, grid: str, path: str) -> None:
    """``summed_log_scores`` to ``log_scores``, divided by ``T``, or where the parts'
    top digits differ by the split temperature (:func:`~tuipad.core.pairwise.parts_disagree`)."""
    builder.add_argmax("grid_top", grid, "grid_top_digit", axis=-1, keepdims=True)
    builder.add_argmax("path_top", path, "path_top_digit", axis=-1, keepdims=True)
    builder.add_equal("parts_agree", ["grid_top_digit", "path_top_digit"], "agree")
    agreed, split = 1 / parts.temperature, 1 / parts.split_temperature
    builder.add_activation(
        "inverse_temperature",
        "LINEAR",
        "agree",
        "inverse_temperature",
        params=[agreed - split, split],
    )
    builder.add_multiply_broadcastable(
        "temperature", ["summed_log_scores", "inverse_temperature"], "log_scores"
    )


def _add_kernel(builder: Any, parts: SvcArrays, source: str, prefix: str = "") -> None:
    """Layers from ``source`` to ``{prefix}decision``: the one-vs-one decision values.

    A grid is clipped to 0..16 first, as tuipad does; a path is read as it is.
    """
    sv, p = parts.support_vectors, prefix
    if parts.reads == "grid":
        builder.add_reshape_static(f"{p}flatten", source, f"{p}flat", [1, sv.shape[1]])
        builder.add_clip(f"{p}clip", f"{p}flat", f"{p}x", min_value=0.0, max_value=float(MAX_INK))
    else:
        builder.add_reshape_static(f"{p}flatten", source, f"{p}x", [1, sv.shape[1]])
    builder.add_load_constant_nd(f"{p}support_vectors", f"{p}sv", sv, list(sv.shape))
    builder.add_subtract_broadcastable(f"{p}difference", [f"{p}x", f"{p}sv"], f"{p}diff")
    builder.add_multiply_broadcastable(f"{p}square", [f"{p}diff", f"{p}diff"], f"{p}diff2")
    builder.add_reduce_sum(f"{p}distance", f"{p}diff2", f"{p}dist", axes=[-1], keepdims=False)
    builder.add_activation(
        f"{p}scale_by_gamma", "LINEAR", f"{p}dist", f"{p}scaled", params=[-parts.gamma, 0.0]
    )
    builder.add_unary(f"{p}kernel_exp", f"{p}scaled", f"{p}kernel_flat", mode="exp")
    builder.add_reshape_static(f"{p}kernel_row", f"{p}kernel_flat", f"{p}kernel", [1, len(sv)])
    builder.add_batched_mat_mul(
        f"{p}ovo_decision",
        [f"{p}kernel"],
        f"{p}decision",
        weight_matrix_rows=len(sv),
        weight_matrix_columns=parts.pair_matrix.shape[0],
        W=parts.dual,
        bias=parts.intercepts,
    )


def _add_one_vs_rest(builder: Any, parts: SvcArrays) -> None:
    """Layers from ``decision`` to ``ovr``: scikit-learn's one-vs-rest transform."""
    pairs, k = parts.pair_matrix.shape
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


def _add_calibration(builder: Any, parts: SvcArrays) -> None:
    """Layers from ``ovr`` to ``probabilities``: the sigmoids, normalised to sum to one.

    ``σ(−(a·f + b)) = exp(−softplus(a·f + b))``, so the normalised sigmoids are
    a softmax of ``−softplus(a·f + b)``, which stays finite where every
    sigmoid would underflow.
    """
    k = len(parts.classes)
    builder.add_batched_mat_mul(
        "calibration",
        ["ovr"],
        "shifted",
        weight_matrix_rows=k,
        weight_matrix_columns=k,
        W=np.diag(parts.calibration_a),
        bias=parts.calibration_b,
    )
    builder.add_activation("calibration_softplus", "SOFTPLUS", "shifted", "log_losses")
    builder.add_activation("negate", "LINEAR", "log_losses", "log_scores", params=[-1.0, 0.0])
    _add_softmax(builder, "log_scores", k)


def _add_pairwise_log_scores(builder: Any, parts: SvcArrays, prefix: str = "") -> str:
    """Layers from ``{prefix}decision`` to ``{prefix}log_scores``: see :mod:`tuipad.core.pairwise`.

    ``log σ(x) = −softplus(−x)``, so one matrix makes ``−(a·d + b)`` for the
    first class of each pair and ``−(−a·d + b)`` for the second, a softplus
    follows, and a second matrix sums each class's terms with a minus sign.
    """
    pairs, k = parts.pair_matrix.shape
    slopes, offset = np.diag(parts.calibration_a), float(parts.calibration_b[0])
    first, second = pair_membership(k)
    p = prefix
    builder.add_batched_mat_mul(
        f"{p}pairwise_logits",
        [f"{p}decision"],
        f"{p}negated_logits",
        weight_matrix_rows=pairs,
        weight_matrix_columns=2 * pairs,
        W=np.hstack([-slopes, slopes]),
        bias=np.full(2 * pairs, -offset),
    )
    builder.add_activation(
        f"{p}pairwise_softplus", "SOFTPLUS", f"{p}negated_logits", f"{p}log_losses"
    )
    builder.add_batched_mat_mul(
        f"{p}class_log_scores",
        [f"{p}log_losses"],
        f"{p}log_scores",
        weight_matrix_rows=2 * pairs,
        weight_matrix_columns=k,
        W=-np.vstack([first, second]),
        bias=np.zeros(k),
    )
    return f"{p}log_scores"


def _add_softmax(builder: Any, log_scores: str, k: int) -> None:
    """Layers from ``log_scores`` to ``probabilities``, the ``k`` scores that sum to one."""
    builder.add_softmax_nd("normalise", log_scores, "normalised", axis=-1)
    builder.add_reshape_static("probabilities", "normalised", "probabilities", [k])


def _describe_spec(spec: Any, manifest: Manifest) -> None:
    """Write the shared metadata and the input and output descriptions into ``spec``."""
    description = spec.description
    meta = describe(manifest, path=len(description.input) > 1)
    description.metadata.author = meta["author"]
    description.metadata.license = meta["license"]
    description.metadata.versionString = meta["version"]
    description.metadata.shortDescription = meta["description"]
    for key in _USER_DEFINED:
        description.metadata.userDefined[key] = meta[key]
    for feature in description.input:
        feature.shortDescription = _INPUT_DESCRIPTIONS[feature.name]
    for feature in description.output:
        feature.shortDescription = (
            "the digit: arg-max of the probabilities"
            if feature.name == LABEL_NAME
            else "calibrated probability of each digit"
        )


def to_coreml(model: Any, manifest: Manifest, path: Path) -> Any:
    """Export a tuipad model as a Core ML ``.mlmodel`` file, atomically.

    Args:
        model: The model's arrays.
        manifest: Its manifest.
        path: The file to write.

    Returns:
        The spec written.

    Raises:
        ExportError: If the model cannot be exported or coremltools is missing.
    """
    spec = coreml_spec(model, manifest)
    write_named_file(Path(path), spec.SerializeToString())
    return spec
