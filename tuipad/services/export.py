"""Exporting a model to Core ML and ONNX, each file checked against tuipad."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tuipad.services.models import load_model
from tuipad.store.files import describe_os_error
from tuipad.store.paths import Paths
from tuipad.store.registry import KnnModelError


@dataclass(frozen=True)
class ExportReport:
    """One exported file, and how closely it follows tuipad on ``load_digits``.

    Attributes:
        kind: The format's key (``"coreml"`` or ``"onnx"``).
        format_name: How messages name the format.
        path: The file written.
        size: Its size in bytes.
        model_name: The exported model's name.
        checked_by: How the file's labels were computed, for messages.
        agreeing: Scans the file labels as tuipad does.
        total: Scans compared (all of ``load_digits``).
        replaced: Whether a file was there before and the export took its place.
    """

    kind: str
    format_name: str
    path: Path
    size: int
    model_name: str
    checked_by: str
    agreeing: int
    total: int
    replaced: bool = False

    @property
    def agrees(self) -> bool:
        """Whether the file labels every scan as tuipad does."""
        return self.agreeing == self.total


def export_model(
    paths: Paths,
    name: str | None,
    targets: dict[str, Path],
    *,
    notice: Callable[[str], None] | None = None,
    started: Callable[[], None] | None = None,
    written: Callable[[ExportReport], None] | None = None,
) -> list[ExportReport]:
    """Export the active (or a saved) model, and check each file against tuipad.

    The model's family and every format's packages are checked before
    anything is written; then each file is written atomically and read back on
    its own (the Core ML spec recomputed with numpy, the ONNX file run with
    onnxruntime) to compare its labels with tuipad's on all ``load_digits`` scans.

    Args:
        paths: The user data directory's paths.
        name: A saved model's name, or None for the active model.
        targets: Format key (see :data:`tuipad.export.FORMATS`) -> file to write.
        notice: Told the model's load notice (a fallback, a retrain), if any.
        started: Called once the model is loaded and exportable, before the slow part.
        written: Told each report as soon as its file is checked.

    Returns:
        One report per target, in the order of ``targets``.

    Raises:
        ModelError: The model cannot be loaded.
        ExportError: An unexportable model (a k-NN too), a missing extra, a file that cannot
            be written, or an export this reader does not know; one line.
    """
    from tuipad import export
    from tuipad.core import datasets
    from tuipad.core.recognise import predict_grids

    try:
        model = load_model(name, paths)
    except KnnModelError as error:
        raise export.ExportError(
            f"model {error.name!r} is a k-NN: it can be compared but not exported"
            " (tuipad exports only a model's arrays, and a k-NN has none)"
        ) from None
    if model.notice and notice is not None:
        notice(model.notice)
    export.check_exportable(model.predictor, targets, name=model.name)
    if started is not None:
        started()
    X, _ = datasets.load_scans()
    expected, _ = predict_grids(model.predictor, X)
    reports = []
    for kind, path in targets.items():
        form = export.FORMATS[kind]
        replaced = path.is_file()
        try:
            form.write(model.predictor, model.manifest, path)
            labels, _ = form.predict(path, X)
        except OSError as error:
            raise export.ExportError(describe_os_error(error)) from None
        report = ExportReport(
            kind=kind,
            format_name=form.name,
            path=path,
            size=path.stat().st_size,
            model_name=model.name,
            checked_by=form.checked_by,
            agreeing=int((labels == expected).sum()),
            total=len(expected),
            replaced=replaced,
        )
        if written is not None:
            written(report)
        reports.append(report)
    return reports
