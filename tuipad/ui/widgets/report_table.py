"""The classification report as a table: precision, recall, F1 and support per digit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from tuipad.core.reports import report_rows

if TYPE_CHECKING:
    from tuipad.core.reports import Evaluation

COLUMNS = ("digit", "precision", "recall", "F1", "support")
"""Column labels, in order."""


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
