"""Exporting a model to Core ML and ONNX, each file checked against tuipad."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuipad.services.models import load_model
from tuipad.store.files import describe_os_error
from tuipad.store.paths import Paths
from tuipad.store.registry import KnnModelError

if TYPE_CHECKING:
    import numpy as np

SCANS = "load_digits scans"
"""What a grid model's export is checked on: every ``load_digits`` scan."""

PEN_DIGITS = "replayed pen digits"
"""What a path model's export is checked on: shipped pen digits, drawn as in the app."""

PEN_DIGIT_STEP = 9
"""A path model's export is checked on every this-many-th shipped pen digit."""

SCORE_TOLERANCE = 1e-4
"""Largest gap between a file's score and tuipad's that still agrees: both formats
compute in 32-bit floats (gaps of about 1e-5), and a wrong layer moves scores by far
more, even where it leaves the labels as they are."""


@dataclass(frozen=True)
class ExportReport:
    """One exported file, and how closely it follows tuipad on the agreement rows.

    Attributes:
        kind: The format's key (``"coreml"`` or ``"onnx"``).
        format_name: How messages name the format.
        path: The file written.
        size: Its size in bytes.
        model_name: The exported model's name.
        checked_by: How the file's labels were computed, for messages.
        agreeing: Rows the file labels as tuipad does.
        total: Rows compared (:func:`agreement_rows`).
        score_gap: The largest difference between the file's score and tuipad's, over
            every row and digit.
        replaced: Whether a file was there before and the export took its place.
        checked_on: What the rows are, :data:`SCANS` or :data:`PEN_DIGITS`.
    """

    kind: str
    format_name: str
    path: Path
    size: int
    model_name: str
    checked_by: str
    agreeing: int
    total: int
    score_gap: float = 0.0
    replaced: bool = False
    checked_on: str = SCANS

    @property
    def agrees(self) -> bool:
        """Whether the file labels every row as tuipad does, with the same scores."""
        return self.agreeing == self.total and self.score_gap <= SCORE_TOLERANCE


def checked_on(model: Any) -> str:
    """What an export of ``model`` is checked on: :data:`SCANS`, or :data:`PEN_DIGITS`
    for a model that reads the pen's path (scans have none)."""
    from tuipad.core.drawing_rows import COLUMNS, input_width

    return PEN_DIGITS if input_width(model) == COLUMNS else SCANS


def agreement_rows(model: Any) -> tuple[np.ndarray, str]:
    """The rows an export of ``model`` is checked on, and what they are.

    A grid model is checked on every ``load_digits`` scan.  Scans have no
    path, so a model that reads the pen's path is checked on shipped pen
    digits replayed as a terminal reports them (every
    :data:`PEN_DIGIT_STEP`-th, each replayed as written, 12 rows high in whole
    cells, no random draw) and read as the sketchpad reads a drawing.

    Args:
        model: What the model recognises with (its arrays).

    Returns:
        ``(rows, checked_on)``: ``(n, 64)`` grids and :data:`SCANS`, or
        ``(n, 142)`` rows with paths and :data:`PEN_DIGITS`.
    """
    from tuipad.core import datasets
    from tuipad.core.pen_rendering import replay
    from tuipad.core.recognise import model_rows, read_strokes

    if checked_on(model) == SCANS:
        return datasets.load_scans()[0], SCANS
    pen = datasets.load_pen_digits()
    drawn = [
        read_strokes(replay(pen.strokes(index)))[0] for index in range(0, len(pen), PEN_DIGIT_STEP)
    ]
    return model_rows(model, drawn), PEN_DIGITS


def export_model(
    paths: Paths,
    name: str | None,
    targets: dict[str, Path],
    *,
    notice: Callable[[str], None] | None = None,
    started: Callable[[str], None] | None = None,
    written: Callable[[ExportReport], None] | None = None,
) -> list[ExportReport]:
    """Export the active (or a saved) model, and check each file against tuipad.

    The model's family and every format's packages are checked before
    anything is written; then each file is written atomically and read back on
    its own (the Core ML spec recomputed with numpy, the ONNX file run with
    onnxruntime) to compare its labels with tuipad's on :func:`agreement_rows`:
    all ``load_digits`` scans, or replayed pen digits for a model reading paths.

    Args:
        paths: The user data directory's paths.
        name: A saved model's name, or None for the active model.
        targets: Format key (see :data:`tuipad.export.FORMATS`) -> file to write.
        notice: Told the model's load notice (a fallback, a retrain), if any.
        started: Called once the model is loaded and exportable, before the slow part,
            with what the files will be checked on (:func:`checked_on`).
        written: Told each report as soon as its file is checked.

    Returns:
        One report per target, in the order of ``targets``.

    Raises:
        ModelError: The model cannot be loaded.
        ExportError: An unexportable model (a k-NN too), a missing extra, a file that cannot
            be written, or an export this reader does not know; one line.
    """
    import numpy as np

    from tuipad import export
    from tuipad.core.drawing_rows import rows_for
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
        started(checked_on(model.predictor))
    X, rows_are = agreement_rows(model.predictor)
    expected, _ = predict_grids(model.predictor, X)
    expected_scores = model.predictor.predict_proba(rows_for(model.predictor, X))  # class order
    reports = []
    for kind, path in targets.items():
        form = export.FORMATS[kind]
        replaced = path.is_file()
        try:
            form.write(model.predictor, model.manifest, path)
            labels, scores = form.predict(path, X)
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
            score_gap=float(np.abs(scores - expected_scores).max(initial=0.0)),
            replaced=replaced,
            checked_on=rows_are,
        )
        if written is not None:
            written(report)
        reports.append(report)
    return reports
