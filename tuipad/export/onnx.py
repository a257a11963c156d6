"""Export a tuipad model as ONNX through skl2onnx, and run the file with onnxruntime.

skl2onnx converts the calibrated SVC itself; tuipad adds a converter that turns
:class:`~tuipad.core.features.GridFeatures` into a ``Clip`` to 0..16.  The
model is checked with :func:`~tuipad.export.parts.svc_parts` first, so the same
families are refused as for Core ML, and the file carries the same metadata.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.features import GRID, MAX_INK
from tuipad.export.parts import AUTHOR, INPUT_NAME, describe, need, svc_parts
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
    svc_parts(estimator)
    need("skl2onnx", "onnx")
    need("onnx", "onnx")
    from skl2onnx import to_onnx as skl_to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    _register_grid_features()
    with warnings.catch_warnings():
        # skl2onnx reads SVC.probA_ to see whether probability=True was set;
        # tuipad never sets it, so scikit-learn's deprecation of it is noise.
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
    runtime = need("onnxruntime", "onnx")
    session = runtime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rows = np.asarray(X, dtype=np.float32).reshape(len(X), -1)
    labels, proba = session.run(None, {INPUT_NAME: rows})
    return np.asarray(labels), np.asarray(proba, dtype=float)
