"""What more than one command shares: bad input, progress, the active model, tables.

Progress and notices go to stderr so that ``--json`` output on stdout stays
clean.  Tables are drawn with rich, imported only when one is printed, so
``tuipad predict`` never pays for it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from tuipad.core.progress import BarEstimate
    from tuipad.core.reports import Evaluation
    from tuipad.services import ModelRow
    from tuipad.store.registry import LoadedModel

EXIT_BAD_INPUT = 2
"""The exit status for bad input, as argparse uses for a bad command line."""


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


class ProgressLine:
    """Shows how far a job has got, on stderr, as one line.

    On a terminal the line is redrawn in place with the time left; otherwise
    only the start of each stage and the end of the job are written, so logs
    stay short.
    """

    def __init__(self) -> None:
        self._clock: BarEstimate | None = None
        self._stage = ""

    def __call__(self, stage: str, fraction: float, stage_end: float | None = None) -> None:
        """Take a report.

        Args:
            stage: What is running.
            fraction: How much of the job is done, 0 to 1.
            stage_end: Where the running stage ends on the job's bar.
        """
        from tuipad.core.progress import BarEstimate, describe_left

        now = time.monotonic()
        if self._clock is None or fraction < self._clock.shown(now) - 0.5:
            self._clock = BarEstimate(now)  # a new job
        self._clock.update(stage, fraction, fraction if stage_end is None else stage_end, now)
        if sys.stderr.isatty():
            left = describe_left(self._clock.seconds_left(now))
            line = f"{stage}: {fraction:4.0%}" + (f" ({left})" if left else "")
            print(f"\r\x1b[K{line}", end="", file=sys.stderr, flush=True)
            if fraction >= 1:
                print(file=sys.stderr)
        elif stage != self._stage or fraction >= 1:
            print(f"{stage}: {fraction:.0%}", file=sys.stderr)
        self._stage = stage
        if fraction >= 1:
            self._clock = None


progress = ProgressLine()
"""The command line's progress reporter."""


def print_notice(model: LoadedModel) -> None:
    """Say on stderr why a model other than the one asked for was loaded, if it was."""
    if model.notice:
        print(f"tuipad: {model.notice}", file=sys.stderr)


def load_active_model() -> LoadedModel:
    """The active model's arrays (retrained if none loads), with its notice on stderr."""
    from tuipad import services
    from tuipad.store.paths import Paths

    model = services.load_active(Paths.default(), progress=progress)
    print_notice(model)
    return model


def print_evaluation(title: str, result: Evaluation, *, report: bool = False) -> None:
    """Print an evaluation: its accuracy, per-digit figures and confusion matrix.

    Args:
        title: The heading, saying what was measured on what.
        result: The evaluation.
        report: Show the classification report (precision, recall, f1, support)
            instead of the recall per digit.
    """
    from rich.console import Console

    console = Console()
    console.print(f"[bold]{title}[/]")
    console.print(f"accuracy [bold]{result.accuracy:.4f}[/] ({result.n} digits)")
    console.print(_report_table(result) if report else _recall_table(result))
    console.print(_confusion_table(result.confusion))


def _report_table(result: Evaluation) -> Table:
    from rich.table import Table

    table = Table("digit", "precision", "recall", "f1-score", "support", title="report")
    for key, row in result.report.items():
        if isinstance(row, dict):
            table.add_row(
                key,
                f"{row['precision']:.3f}",
                f"{row['recall']:.3f}",
                f"{row['f1-score']:.3f}",
                str(int(row["support"])),
            )
    return table


def _recall_table(result: Evaluation) -> Table:
    from rich.table import Table

    table = Table(*[str(d) for d in range(10)], title="recall per digit")
    table.add_row(*[f"{r:.2f}" for r in result.recall])
    return table


def _confusion_table(confusion: Sequence[Sequence[int]]) -> Table:
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


def print_models_table(rows: Sequence[ModelRow]) -> None:
    """Print the models table, the active one marked with a dot, and why each
    unreadable manifest is unreadable."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("", "name", "family", "data", "date", "accuracy", "size", title="models")
    unreadable = []
    for row in rows:
        cells = row.cells()
        if row.unreadable:  # the reason is a sentence: said in full under the table
            cells = (*cells[:3], "see below", *cells[4:])
            unreadable.append(f"{row.name}: {row.unreadable}")
        table.add_row(*map(escape, cells))  # names and figures come from files: never markup
    console = Console()
    console.print(table)
    for line in unreadable:
        console.print(line, markup=False, highlight=False)
