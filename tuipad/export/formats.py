"""The export formats by key: how each is written and read back to check it.

The CLI's ``--coreml`` and ``--onnx`` and :func:`tuipad.services.export_model`
name formats by these keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.export.coreml import to_coreml
from tuipad.export.coreml_reader import coreml_file_predict
from tuipad.export.onnx import onnx_predict, to_onnx
from tuipad.export.parts import FORMAT_NAMES, export_arrays, require
from tuipad.store.registry import Manifest


@dataclass(frozen=True)
class ExportFormat:
    """One format: its name, its writer, and how a written file is run again.

    Attributes:
        name: How messages name the format.
        checked_by: How :attr:`predict` gets its labels, for messages.
        write: Writes ``(model, manifest, path)`` atomically, from the model's arrays.
        predict: ``(path, X) -> (labels, probabilities)`` from the written file alone, ``X``
            grids or rows with paths (:mod:`tuipad.core.drawing_rows`).
    """

    name: str
    checked_by: str
    write: Callable[[Any, Manifest, Path], Any]
    predict: Callable[[Path, np.ndarray], tuple[np.ndarray, np.ndarray]]


FORMATS: dict[str, ExportFormat] = {
    "coreml": ExportFormat(
        FORMAT_NAMES["coreml"], "recomputed from the spec", to_coreml, coreml_file_predict
    ),
    "onnx": ExportFormat(FORMAT_NAMES["onnx"], "run with onnxruntime", to_onnx, onnx_predict),
}
"""Format key -> format, in the order files are written."""


def check_exportable(model: Any, kinds: Iterable[str], *, name: str = "") -> None:
    """Check the model's family and each format's packages, before anything is written.

    Args:
        model: What the loaded model recognises with (its arrays).
        kinds: Format keys of :data:`FORMATS`.
        name: The model's name, for the refusal.

    Raises:
        ExportError: An unexportable model, or a missing extra.
    """
    export_arrays(model, name=name)
    for kind in kinds:
        require(kind)
