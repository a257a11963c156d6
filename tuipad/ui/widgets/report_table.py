"""The classification report as a table: precision, recall, F1 and support per digit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from tuipad.core.reports import DIGITS, present_macro_avg, report_cells

if TYPE_CHECKING:
    from tuipad.core.reports import Evaluation

COLUMNS = ("digit", "precision", "recall", "F1", "support")
"""Column labels, in order."""

AVERAGES = {"macro avg": "macro avg", "weighted avg": "weighted"}
"""Average rows of ``classification_report`` and how the table labels them."""


def report_rows(evaluation: Evaluation) -> list[tuple[str, str, str, str, str]]:
    """The rows of an evaluation's report as text, as ``tuipad eval --report`` words them.

    A digit the test does not hold shows :data:`~tuipad.core.reports.UNDEFINED`
    where it has no figure, and the macro average is over the digits the test
    holds (:func:`~tuipad.core.reports.present_macro_avg`), so a drawn-digits
    file that lacks some digits is not scored as if they were all misread.

    Args:
        evaluation: The evaluation.

    Returns:
        One row per digit, then the averages (support is the count of digits).
    """
    report, read_as = evaluation.report, evaluation.read_as
    rows = [
        (str(digit), *report_cells(report[str(digit)], read=read_as[digit] > 0)) for digit in DIGITS
    ]
    averages = {"macro avg": present_macro_avg(evaluation), "weighted avg": report["weighted avg"]}
    rows += [(AVERAGES[key], *report_cells(row)) for key, row in averages.items()]
    return rows


class ReportTable(DataTable[Text]):
    """A read-only classification report."""

    DEFAULT_CSS = """
    ReportTable {
        height: auto;
        max-height: 100%;
        width: auto;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            cursor_type="none",
            zebra_stripes=True,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
        )
        for label in COLUMNS:
            self.add_column(Text(label, justify="right"), key=label)

    def show(self, evaluation: Evaluation) -> None:
        """Replace the rows with an evaluation's report."""
        self.clear()
        for row in report_rows(evaluation):
            self.add_row(*[Text(cell, justify="right") for cell in row], key=row[0])
