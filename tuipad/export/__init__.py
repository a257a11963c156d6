"""Export a tuipad model for apps: Core ML (``.mlmodel``) and ONNX.

:mod:`~tuipad.export.parts` checks that the model's arrays (the description
the sketchpad recognises with) are of a family both formats can express,
:mod:`~tuipad.export.coreml` and :mod:`~tuipad.export.onnx` write each format
(:mod:`~tuipad.export.coreml_reader` and ``onnx_predict`` read them back), and
:mod:`~tuipad.export.formats` names them for :func:`tuipad.services.export_model`.
The export extra's packages are imported only when an export runs.
"""

from __future__ import annotations

from tuipad.export.coreml import coreml_spec, to_coreml
from tuipad.export.coreml_reader import coreml_file_predict, coreml_spec_predict, load_coreml_spec
from tuipad.export.formats import FORMATS, ExportFormat, check_exportable
from tuipad.export.onnx import onnx_model, onnx_predict, to_onnx
from tuipad.export.parts import (
    EXPORTABLE,
    INPUT_NAME,
    PATH_INPUT,
    ExportError,
    describe,
    export_arrays,
    require,
)

__all__ = [
    "EXPORTABLE",
    "FORMATS",
    "INPUT_NAME",
    "PATH_INPUT",
    "ExportError",
    "ExportFormat",
    "check_exportable",
    "coreml_file_predict",
    "coreml_spec",
    "coreml_spec_predict",
    "describe",
    "export_arrays",
    "load_coreml_spec",
    "onnx_model",
    "onnx_predict",
    "require",
    "to_coreml",
    "to_onnx",
]
