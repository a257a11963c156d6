"""An evaluation as ``tuipad eval`` and ``tuipad train`` print it, at any terminal width.

Each table is drawn boxed when the terminal is wide enough, unboxed when only
that fits, and as plain lines (which wrap at spaces, never inside a figure)
when even that does not: rich would otherwise cut its cells to ``1.…`` or
leave them empty, and a figure the user cannot read is no figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuipad.core.wording import counted, printable

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

    from tuipad.core.reports import Evaluation


def print_evaluation(
    title: str, result: Evaluation, *, report: bool = False, items: str = "digit"
) -> None:
    """Print an evaluation: its accuracy, per-digit figures and confusion matrix.

    Args:
        title: The heading, saying what was measured on what.
        result: The evaluation.
        report: Show the classification report (precision, recall, f1, support)
            instead of the recall per digit.
        items: What was counted, singular: scanned digits, or drawings.
    """
    from rich.markup import escape

    from tuipad.cli.output import console

    screen = console()
    screen.print(f"[bold]{escape(printable(title))}[/]")  # file names in it are not markup
    screen.print(f"accuracy [bold]{result.accuracy:.4f}[/] ({counted(result.n, items)})")
    if report:
        table = report_table(result)
        screen.print(fitted(screen, table, lines_by_row(table)))
    else:
        table = recall_table(result)
        screen.print(fitted(screen, table, lines_by_column(table)))
    matrix = confusion_table(result.confusion)
    screen.print(fitted(screen, matrix, confusion_lines(result.confusion)))


def fitted(screen: Console, table: Table, lines: Sequence[str]) -> RenderableType:
    """``table`` as it fits ``screen``: boxed, unboxed, or else its figures as lines."""
    from rich.text import Text

    if _width(screen, table) <= screen.width:
        return table
    table.box, table.show_edge, table.padding = None, False, (0, 1)
    if _width(screen, table) <= screen.width:
        return table
    return Text("\n".join([str(table.title), *lines]))


def _width(screen: Console, table: Table) -> int:
    """The width ``table`` takes with no cell wrapped or cut."""
    from rich.measure import Measurement

    return Measurement.get(screen, screen.options.update(width=10_000), table).maximum


def report_table(result: Evaluation) -> Table:
    """Precision, recall, f1-score and support of each digit, then their averages."""
    from rich.table import Column, Table

    from tuipad.core.reports import report_rows

    digit = Column("digit", no_wrap=True)  # "macro avg" is a name: never cut
    table = Table(digit, "precision", "recall", "f1-score", "support", title="report")
    for row in report_rows(result):
        table.add_row(*row)
    return table


def recall_table(result: Evaluation) -> Table:
    """One row: the share of each digit read right."""
    from rich.table import Table

    from tuipad.core.reports import UNDEFINED

    table = Table(*[str(d) for d in range(10)], title="recall per digit")
    table.add_row(*[UNDEFINED if r is None else f"{r:.2f}" for r in result.recall])
    return table


def confusion_table(confusion: Sequence[Sequence[int]]) -> Table:
    """The matrix with the diagonal in green, mistakes in red and empty cells as dots."""
    from rich.table import Table

    matrix = Table("true\\pred", *[str(d) for d in range(10)], title="confusion matrix")
    for digit, row in enumerate(confusion):
        matrix.add_row(
            str(digit),
            *[
                f"[bold green]{c}[/]" if i == digit else (f"[red]{c}[/]" if c else "·")
                for i, c in enumerate(row)
            ],
        )
    return matrix


def lines_by_row(table: Table) -> list[str]:
    """A table's rows as lines: ``name: header value, header value, …``."""
    headers = [str(column.header) for column in table.columns]
    cells = [[str(cell) for cell in column.cells] for column in table.columns]
    return [
        f"{row[0]}: " + ", ".join(f"{h} {v}" for h, v in zip(headers[1:], row[1:], strict=True))
        for row in zip(*cells, strict=True)
    ]


def lines_by_column(table: Table) -> list[str]:
    """A one-row table's columns as lines: ``header: value``."""
    return [f"{column.header}: {next(iter(column.cells))}" for column in table.columns]


def confusion_lines(confusion: Sequence[Sequence[int]]) -> list[str]:
    """Each digit, then what it was read as and how often."""
    return [
        f"{digit} read as " + (", ".join(f"{i}: {c}" for i, c in enumerate(row) if c) or "nothing")
        for digit, row in enumerate(confusion)
    ]
