"""What both export formats share: which models they take, their metadata, their extra.

Both formats are written from the model's arrays
(:class:`~tuipad.core.model_arrays.SvcArrays`, or
:class:`~tuipad.core.model_arrays.GridPathArrays` for a model that also reads
the pen's path), the same description the sketchpad recognises with: only
tuipad's calibrated RBF SVCs can be exported, the ``svc`` and ``svc-default``
families (pairwise calibration, with or without a path part) and the
``svc-seed`` family (per-class sigmoids), so the ``seed`` and ``default``
recipes.  Anything else (k-NN, MLP) raises :class:`ExportError` naming it.
A grid model has one input, ``grid``; a path model a second, ``path``.

coremltools, onnx and onnxruntime are the optional ``export`` extra; they are
imported only when an export runs (:func:`require`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from tuipad.core.drawing_rows import COLUMNS, GRID_COLUMNS
from tuipad.core.model_arrays import GridPathArrays, MlpArrays, SvcArrays
from tuipad.core.pen_path import WIDTH as PATH_WIDTH
from tuipad.store.registry import Manifest

EXPORTABLE = (
    "the calibrated RBF SVC families (svc-seed, svc, svc-default; the seed and default recipes)"
)
"""The model families that can be exported, for messages and the docs."""

INPUT_NAME = "grid"
"""Name of the grid input (the 64 cells) in both formats."""

PATH_INPUT = "path"
"""Name of the path input (:mod:`tuipad.core.pen_path`) in both formats, for a path model."""

INPUT_WIDTHS = {INPUT_NAME: GRID_COLUMNS, PATH_INPUT: PATH_WIDTH}
"""Values of one row of each input."""

AUTHOR = "tuipad"
"""Author recorded in exported metadata."""

DATA_LICENCES = {
    "load_digits": "UCI Optical Recognition of Handwritten Digits (CC BY 4.0)",
    "UNIPEN": "UNIPEN train_r01_v07, doi:10.5281/zenodo.1195803 (CC BY 4.0)",
    "pendigits": "UCI Pen-Based Recognition of Handwritten Digits, doi:10.24432/C5MG6K (CC BY 4.0)",
}
"""Licences of the training sources, keyed by how a manifest names them."""

REQUIREMENTS = {"coreml": ("coremltools",), "onnx": ("onnx", "onnxruntime")}
"""Packages of the export extra each format needs (onnxruntime checks the file)."""

FORMAT_NAMES = {"coreml": "Core ML", "onnx": "ONNX"}
"""Format keys and how messages name them."""


class ExportError(Exception):
    """The model cannot be exported, or the extra is missing; one line."""


def export_arrays(model: Any, *, name: str = "") -> SvcArrays | GridPathArrays:
    """The model's arrays, if it is of a family the formats can express.

    Args:
        model: What a :class:`~tuipad.store.registry.LoadedModel` recognises with.
        name: The model's name, for the refusal.

    Raises:
        ExportError: If it is of another family.
    """
    if isinstance(model, SvcArrays) and len(model.classes) >= 3:
        return model
    if isinstance(model, GridPathArrays) and len(model.grid.classes) >= 3:
        if model.grid.calibration == model.path.calibration == "pairwise":
            return model
    what = _family_of(model)
    if isinstance(model, SvcArrays | GridPathArrays):
        few = len(model.classes_) < 3
        what = "fewer than three classes" if few else "a path part not calibrated pairwise"
    model_named = f"model {name!r}" if name else "this model"
    raise ExportError(f"cannot export {model_named} ({what}): only {EXPORTABLE} can be exported")


def input_rows(
    X: np.ndarray, names: list[str], *, dtype: Any = np.float32
) -> dict[str, np.ndarray]:
    """Rows of model input split over an exported model's inputs, by name.

    A model with only a ``grid`` input reads the grids of rows with paths;
    one with a ``path`` input needs every row's path (it has no input saying
    a path is missing, as tuipad's scans are).

    Args:
        X: ``(n, 64)`` or ``(n, 8, 8)`` grids, or ``(n, 142)`` rows with paths
            (:mod:`tuipad.core.drawing_rows`).
        names: The model's inputs, in order.
        dtype: The arrays' type.

    Raises:
        ValueError: Rows of another width, or a path missing (NaN).
        ExportError: An input tuipad does not write.
    """
    unknown = [name for name in names if name not in INPUT_WIDTHS]
    if unknown:
        raise ExportError(
            f"unknown model input {unknown[0]!r}: tuipad writes {', '.join(INPUT_WIDTHS)}"
        )
    rows = np.asarray(X, dtype=float).reshape(len(X), -1)
    widths = [INPUT_WIDTHS[name] for name in names]
    if sum(widths) == GRID_COLUMNS and rows.shape[1] == COLUMNS:
        rows = rows[:, :GRID_COLUMNS]
    if rows.shape[1] != sum(widths):
        raise ValueError(
            f"inputs {', '.join(names)} take {sum(widths)} values, not {rows.shape[1]}"
        )
    split = dict(zip(names, np.split(rows, np.cumsum(widths)[:-1], axis=1), strict=True))
    if PATH_INPUT in split and not np.isfinite(split[PATH_INPUT]).all():
        raise ValueError("the exported model reads every row's path, and a row has none (NaN)")
    return {name: part.astype(dtype) for name, part in split.items()}


def _family_of(model: Any) -> str:
    """What a model is, in a few words, for the refusal."""
    if isinstance(model, MlpArrays):
        return "neural network"
    steps = getattr(model, "steps", None)
    return type(steps[-1][1] if steps else model).__name__


def describe(manifest: Manifest, *, path: bool = False) -> dict[str, str]:
    """The metadata written into both formats.

    Args:
        manifest: The exported model's manifest.
        path: Whether the model has the second input, the pen's path.

    Returns:
        ``author``, ``license``, ``version``, ``description``, ``training_data``,
        ``accuracy`` and the model's provenance, as strings.
    """
    accuracy = manifest.metrics.get("test_accuracy")
    sources = "; ".join(manifest.training_data) or "not recorded"
    licences = [text for key, text in DATA_LICENCES.items() if key in sources]
    reads = "Reads a handwritten digit from an 8x8 grid of ink counts 0..16"
    reads += " (scikit-learn load_digits layout)"
    if path:
        reads += f" and the pen's path ({PATH_WIDTH} values, tuipad.core.pen_path.path_features)"
    return {
        "author": AUTHOR,
        "license": "Model exported by tuipad (MIT). Training data: "
        + ("; ".join(licences) if licences else "see training_data"),
        "version": f"{manifest.name} ({manifest.created or 'undated'}), tuipad {_tuipad_version()}",
        "description": reads + ".",
        "training_data": sources,
        "accuracy": f"{float(accuracy):.4f}" if accuracy is not None else "not measured",
        "accuracy_protocol": str(manifest.metrics.get("protocol", "")),
        "recipe": manifest.recipe,
        "sklearn_version": manifest.sklearn_version,
    }


def need(module: str, kind: str) -> Any:
    """Import a package of the export extra, or explain the extra in one line.

    Args:
        module: The module to import.
        kind: ``"coreml"`` or ``"onnx"``, the format that needs it.

    Raises:
        ExportError: Naming the extra to install.
    """
    from importlib import import_module

    try:
        with _interrupt_kept():
            return import_module(module)
    except ImportError:
        raise ExportError(
            f"{FORMAT_NAMES[kind]} export needs the export extra: {extra_hint()}"
        ) from None


def extra_hint() -> str:
    """The command that installs the export extra for the Python running tuipad.

    From a checkout (``pyproject.toml`` beside the package, as the README
    installs it), the editable install of that folder; else the extra from the
    package index.
    """
    import shlex
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    target = f"{root}[export]" if (root / "pyproject.toml").is_file() else "tuipad[export]"
    editable = "-e " if target != "tuipad[export]" else ""
    return f"{shlex.quote(sys.executable)} -m pip install {editable}{shlex.quote(target)}"


@contextmanager
def _interrupt_kept() -> Iterator[None]:
    """Hold Ctrl-C back while a package imports, and raise it after.

    coremltools' import catches every exception (bare ``except:``) around
    loading its native library, so a Ctrl-C there was swallowed and the
    export went on to write its files.  Only Python's own Ctrl-C is held
    back: an ignored one (``nohup``) or another handler is left alone.
    """
    import signal
    import threading

    main = threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if caught:
            raise KeyboardInterrupt  # also over an import that failed meanwhile


def quiet_coremltools() -> None:
    """Silence coremltools' import-time warnings.

    It warns that it cannot *run* models without its native library (always
    so on Linux) and that its own scikit-learn converter is off; building and
    reading a spec needs neither.
    """
    logging.getLogger("coremltools").setLevel(logging.ERROR)


def require(kind: str) -> None:
    """Check that a format's packages are installed.

    Args:
        kind: ``"coreml"`` or ``"onnx"``.

    Raises:
        ExportError: Naming the extra to install.
    """
    quiet_coremltools()
    for module in REQUIREMENTS[kind]:
        need(module, kind)


def _tuipad_version() -> str:
    """The installed tuipad's version, read from its metadata (no import of the package's API)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tuipad")
    except PackageNotFoundError:
        return "unknown"
