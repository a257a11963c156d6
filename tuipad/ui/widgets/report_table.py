"""The classification report as a table: precision, recall, F1 and support per digit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable

from tuipad.core.reports import report_cells

if TYPE_CHECKING:
    from tuipad.core.reports import Evaluation

COLUMNS = ("digit", "precision", "recall", "F1", "support")
"""Column labels, in order."""

AVERAGES = {"macro avg": "macro avg", "weighted avg": "weighted"}
"""Average rows of ``classification_report`` and how the table labels them."""


def report_rows(report: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """The rows of a ``classification_report(output_dict=True)`` as text.

    Args:
        report: The report, with digits ``"0"``..``"9"`` and the averages.

    Returns:
        One row per digit, then the averages (support is the count of digits).
    """
    rows = []
    for key in [str(digit) for digit in range(10)] + list(AVERAGES):
        if key not in report:
            continue
        rows.append((AVERAGES.get(key, key), *report_cells(report[key])))
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
        for row in report_rows(evaluation.report):
            self.add_row(*[Text(cell, justify="right") for cell in row], key=row[0])
