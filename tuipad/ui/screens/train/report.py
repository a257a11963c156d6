"""The training screen's Report and Matrix tabs: the report, the confusion matrix, its digits.

The screen pushes a finished training down to both panes
(:meth:`ReportPane.show_results`, :meth:`MatrixPane.show_results`); the
matrix pane keeps the digits each test set holds, so choosing one of its
cells shows the digits behind it, the most telling first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Select, Static

from tuipad.ui.screens.train.formatting import cell_title, held_out_summary, results_summary
from tuipad.ui.widgets.confusion_matrix import ConfusionMatrix
from tuipad.ui.widgets.digit_pictures import DigitCard, DigitPictures
from tuipad.ui.widgets.report_table import ReportTable

if TYPE_CHECKING:
    import numpy as np

    from tuipad.core.reports import Evaluation
    from tuipad.core.training import DrawnEvaluation, TrainingResult
    from tuipad.services.evaluations import HeldOut

MAX_SAMPLES = 60
"""Pictures shown for one cell; the most telling come first."""


@dataclass(frozen=True)
class TestedDigits:
    """Labelled digits a model was tested on, for the matrix and its drill-down.

    Attributes:
        title: What they are, e.g. ``899 scans``.
        evaluation: Report and confusion matrix.
        grids: ``(n, 64)`` 8x8 grids.
        labels: True digits.
        predicted: Predicted digits.
        scores: ``(n, 10)`` scores.
    """

    title: str
    evaluation: Evaluation
    grids: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    scores: np.ndarray

    @classmethod
    def of_scans(cls, result: TrainingResult) -> TestedDigits:
        """The scans a training was tested on."""
        evaluation = result.evaluation
        return cls(
            f"{evaluation.n} scans",
            evaluation,
            result.test_grids,
            result.test_labels,
            result.test_predicted,
            result.test_scores,
        )

    @classmethod
    def of_drawn(cls, drawn: DrawnEvaluation) -> TestedDigits:
        """The drawn digits of a strokes file a model was tested on."""
        return cls(
            f"{drawn.evaluation.n} drawn digits",
            drawn.evaluation,
            drawn.grids,
            drawn.labels,
            drawn.predicted,
            drawn.scores,
        )

    @classmethod
    def of_held_out(cls, held_out: HeldOut) -> TestedDigits:
        """The scans a saved model was tested on."""
        tested = held_out.tested
        return cls(
            f"{held_out.evaluation.n} scans",
            held_out.evaluation,
            tested.grids,
            tested.labels,
            tested.predicted,
            tested.scores,
        )

    def count(self, true: int, predicted: int) -> int:
        """How many digits fall in a cell of the matrix."""
        return int(((self.labels == true) & (self.predicted == predicted)).sum())

    def samples(self, true: int, predicted: int) -> tuple[DigitCard, ...]:
        """The digits of a cell: mistakes most confident first, correct reads least confident first.

        Args:
            true: The cell's row.
            predicted: The cell's column.

        Returns:
            At most :data:`MAX_SAMPLES` samples.
        """
        import numpy as np

        rows = np.flatnonzero((self.labels == true) & (self.predicted == predicted))
        confidence = self.scores[rows, predicted]
        order = np.argsort(confidence if true == predicted else -confidence, kind="stable")
        return tuple(
            DigitCard(
                grid=tuple(int(v) for v in self.grids[row]),
                true=true,
                predicted=predicted,
                scores=tuple(float(s) for s in self.scores[row]),
            )
            for row in rows[order][:MAX_SAMPLES]
        )


class ReportPane(VerticalScroll):
    """The Report tab: a summary, the report on the scans and, if asked for, on drawn digits."""

    def compose(self) -> ComposeResult:
        yield Static("Loading the active model's report…", id="summary", markup=False)
        yield ReportTable(id="report")
        yield Static("", id="drawn-title", markup=False)
        yield ReportTable(id="drawn-report")

    def on_mount(self) -> None:
        self.query_one("#drawn-report").display = False

    def show_results(
        self, name: str, result: TrainingResult, drawn: DrawnEvaluation | None
    ) -> None:
        """Show a training's reports.

        Args:
            name: The saved model.
            result: The training and its evaluation on the scans.
            drawn: Its evaluation on drawn digits, if a strokes file was given.
        """
        self._show_report(result.evaluation, drawn)
        self.query_one("#summary", Static).update(results_summary(name, result, drawn))

    def _show_report(self, evaluation: Evaluation, drawn: DrawnEvaluation | None) -> None:
        report = self.query_one("#report", ReportTable)
        report.show(evaluation)
        report.display = True
        drawn_report = self.query_one("#drawn-report", ReportTable)
        drawn_title = self.query_one("#drawn-title", Static)
        if drawn is not None:
            drawn_title.update(f"On {drawn.evaluation.n} drawn digits")
            drawn_report.show(drawn.evaluation)
        drawn_title.display = drawn_report.display = drawn is not None
        self.scroll_home(animate=False)  # another model's report starts at its summary

    def show_loading(self, name: str) -> None:
        """Say that a saved model's report is being computed."""
        self.query_one("#summary", Static).update(f"Loading the report of {name}…")

    def show_missing(self, name: str, error: str = "") -> None:
        """Say that a saved model keeps no report (or that it could not be read).

        The rows of the model shown before go, so no figures appear under another's name.
        """
        why = f": {error}" if error else " (saved before tuipad kept them)"
        self.query_one("#summary", Static).update(f"{name} keeps no report{why}.")
        report = self.query_one("#report", ReportTable)
        report.clear()
        report.display = False  # no headers over no rows
        self.query_one("#drawn-title").display = False
        self.query_one("#drawn-report").display = False

    def show_held_out(self, held_out: HeldOut) -> None:
        """Show a saved model's report on the scans it was tested on (and drawn digits)."""
        self._show_report(held_out.evaluation, held_out.drawn)
        self.query_one("#summary", Static).update(held_out_summary(held_out))


class MatrixPane(Horizontal):
    """The Matrix tab: a test set's confusion matrix, and the digits of the cell chosen."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._tested: dict[str, TestedDigits] = {}
        """The digits each test set holds, by the key of the test-set choice."""
        self._model = ""
        """The model whose matrix this is, named above it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="matrix-side"):
            yield Select(
                [("scanned digits", "scans")],
                value="scans",
                allow_blank=False,
                compact=True,
                id="test-set",
            )
            yield ConfusionMatrix(id="matrix")
            yield Static(
                "rows: true digit · columns: read as\narrows + enter or click: samples",
                id="matrix-legend",
            )
        with Vertical(id="samples-side"):
            yield Static("Loading the active model's matrix…", id="samples-title")
            with VerticalScroll(id="samples-scroll"):
                yield DigitPictures(id="samples")

    def on_mount(self) -> None:
        self.query_one("#test-set").display = False

    def show_results(
        self, name: str, result: TrainingResult, drawn: DrawnEvaluation | None
    ) -> None:
        """Hold a training's test sets and show the matrix of its scans.

        Args:
            name: The model trained.
            result: The training and its evaluation on the scans.
            drawn: Its evaluation on drawn digits, if a strokes file was given.
        """
        self._hold(name, TestedDigits.of_scans(result), drawn)

    def show_held_out(self, held_out: HeldOut) -> None:
        """Hold a saved model's tested scans (and drawn digits) and show their matrix."""
        self._hold(held_out.name, TestedDigits.of_held_out(held_out), held_out.drawn)

    def _hold(self, name: str, scans: TestedDigits, drawn: DrawnEvaluation | None) -> None:
        self._model = name
        self._tested = {"scans": scans}
        select: Select[str] = self.query_one("#test-set", Select)
        if drawn is not None:
            self._tested["drawn"] = TestedDigits.of_drawn(drawn)
            select.set_options([("scanned digits", "scans"), ("drawn digits", "drawn")])
        else:
            select.set_options([("scanned digits", "scans")])
        select.value = "scans"
        select.display = drawn is not None
        self.show_matrix("scans")

    def show_missing(self, name: str) -> None:
        """Say that a saved model keeps no test, in place of whatever matrix was shown."""
        self._tested = {}
        self.query_one("#matrix-side").display = False  # its legend and keys, for no matrix
        self.query_one(ConfusionMatrix).matrix = None
        self.query_one(DigitPictures).samples = ()
        self.query_one("#samples-title", Static).update(
            f"{name} keeps no test, so there is no matrix to show. Train a model here"
            " (ctrl+t) to see one."
        )

    def show_matrix(self, which: str) -> None:
        """Show the confusion matrix of the scans or of the drawn digits."""
        tested = self._tested.get(which)
        if tested is None:
            return
        self.query_one("#matrix-side").display = True
        matrix = self.query_one(ConfusionMatrix)
        matrix.matrix = tuple(tuple(int(c) for c in row) for row in tested.evaluation.confusion)
        self.query_one(DigitPictures).samples = ()
        self.query_one("#samples-title", Static).update(
            f"{self._model} on {tested.title}: choose a cell to see its digits."
        )

    @on(Select.Changed, "#test-set")
    def _test_set_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.show_matrix(event.value)

    @on(ConfusionMatrix.Selected)
    def _cell_selected(self, event: ConfusionMatrix.Selected) -> None:
        self.show_samples(event.true, event.predicted)

    def show_samples(self, true: int, predicted: int) -> None:
        """Show the digits of one cell of the matrix."""
        which = self.query_one("#test-set", Select).value
        tested = self._tested.get(str(which))
        if tested is None:
            return
        samples = tested.samples(true, predicted)
        count = tested.count(true, predicted)
        title = cell_title(true, predicted, count)
        if count > len(samples):
            title += f" (first {len(samples)})"
        self.query_one("#samples-title", Static).update(title)
        self.query_one(DigitPictures).samples = samples
        self.query_one("#samples-scroll", VerticalScroll).scroll_home(animate=False)
