"""What more than one command shares: bad input, progress, the active model, tables.

Progress and notices go to stderr so that ``--json`` output on stdout stays
clean.  Tables are drawn with rich, imported only when one is printed, so
``tuipad predict`` never pays for it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuipad.core.wording import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from tuipad.core.progress import BarEstimate
    from tuipad.services import ModelRow
    from tuipad.store.registry import LoadedModel

EXIT_BAD_INPUT = 2
"""The exit status for bad input, as argparse uses for a bad command line."""


def warn(message: str) -> None:
    """Print ``tuipad: warning: MESSAGE`` on stderr."""
    print(f"tuipad: warning: {printable(message)}", file=sys.stderr)


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


class ProgressLine:
    """Shows how far a job has got, on stderr, as one line.

    On a terminal that takes escape codes the line is redrawn in place with the
    time left; otherwise only the start of each stage and the end of the job
    are written, so logs stay short.
    """

    def __init__(self) -> None:
        self._clock: BarEstimate | None = None
        self._stage = ""
        self._logged = ""
        """The last line written off a terminal: a stage that starts at what rounds to 100%
        and then ends would otherwise log the same line twice."""
        self._open = False
        """Whether the terminal's cursor is at the end of a line being redrawn."""
        self._reader_gone = False

    def __call__(self, stage: str, fraction: float, stage_end: float | None = None) -> None:
        """Take a report.

        Args:
            stage: What is running.
            fraction: How much of the job is done, 0 to 1.
            stage_end: Where the running stage ends on the job's bar.
        """
        if self._reader_gone:
            return
        try:
            self._show(stage, fraction, stage_end)
        except BrokenPipeError:
            self._reader_left()

    def _reader_left(self) -> None:
        """Stop showing progress once stderr's reader has gone (``2>&1 | head``): the job
        goes on, and what it saves is kept.  Later messages go to the null device, as
        Python would report the broken pipe again when it flushes stderr."""
        self._reader_gone = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stderr.fileno())
            os.close(null)
        except (AttributeError, OSError, ValueError):  # not a file (a test's)
            pass

    def _show(self, stage: str, fraction: float, stage_end: float | None) -> None:
        from tuipad.core.progress import BarEstimate, describe_left

        now = time.monotonic()
        if self._clock is None or fraction < self._clock.shown(now) - 0.5:
            self._clock = BarEstimate(now)  # a new job
        self._clock.update(stage, fraction, fraction if stage_end is None else stage_end, now)
        if _redraws(sys.stderr):
            left = describe_left(self._clock.seconds_left(now))
            line = f"{stage}: {fraction:4.0%}" + (f" ({left})" if left else "")
            print(f"\r\x1b[K{line}", end="", file=sys.stderr, flush=True)
            self._open = fraction < 1
            if fraction >= 1:
                print(file=sys.stderr)
        else:
            logged = f"{stage}: {fraction:.0%}"
            if (stage != self._stage or fraction >= 1) and logged != self._logged:
                print(logged, file=sys.stderr)
                self._logged = logged
        self._stage = stage
        if fraction >= 1:
            self._clock = None

    def end_line(self) -> None:
        """End a line left part-way (an interrupt, an error), so what follows starts afresh."""
        if self._open and not self._reader_gone:
            print(file=sys.stderr)
            self._open = False


def _redraws(stream: object) -> bool:
    """Whether a line can be redrawn in place: on a terminal that takes escape codes.

    ``TERM=dumb`` or ``unknown`` shows them as text, as rich judges it for colour.
    """
    isatty = getattr(stream, "isatty", None)
    dumb = os.environ.get("TERM", "").lower() in ("dumb", "unknown")
    return bool(isatty and isatty()) and not dumb


progress = ProgressLine()
"""The command line's progress reporter."""


def print_notice(model: LoadedModel) -> None:
    """Say on stderr why a model other than the one asked for was loaded, if it was."""
    if model.notice:
        warn(model.notice)


def load_active_model() -> LoadedModel:
    """The active model's arrays (retrained if none loads), with its notice on stderr."""
    from tuipad import services
    from tuipad.store.paths import Paths

    model = services.load_active(Paths.default(), progress=progress)
    print_notice(model)
    return model


def console() -> Console:
    """A rich console that leaves a closed stdout to :func:`tuipad.cli.main.main`.

    rich exits with status 1 when stdout's reader has gone; raising
    ``BrokenPipeError`` instead ends a table the way it ends a ``print``.
    """
    from rich.console import Console

    class CommandConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return CommandConsole()


MODEL_COLUMNS = ("active", "name", "family", "data", "date", "accuracy", "size")
"""The fields of ``tuipad models``, in the order of :meth:`ModelRow.cells`."""


LEFT_OUT_FIRST = ("size", "date", "data", "family")
"""Columns a terminal too narrow for every column leaves out, in this order, rather than
wrap every cell (``--json`` and the piped lines have them all)."""

DATA_MIN_WIDTH = 12
"""The data column folds its words onto more lines, but not narrower than this nor than
its longest word."""


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal: tables are drawn for people, plain lines for pipes."""
    return sys.stdout.isatty()


def print_models_table(rows: Sequence[ModelRow]) -> None:
    """Print the models: a table on a terminal, plain tab-separated lines otherwise.

    The table marks the active model with a dot and says under it why each
    unreadable manifest is unreadable; a terminal too narrow for a table that
    keeps whole names gets the names alone, marked the same.  Piped, each model
    is one line whose second field is the bare name, the one a user types back
    (``cut -f2``).
    """
    if not stdout_is_terminal():
        print_models_plain(rows)
        return
    screen = console()
    table, left_out = models_table(rows, screen)
    if table is None:  # a table this narrow would have to cut the names: names alone
        for row in rows:
            said = f"{'●' if row.active else ' '} {row.cells()[1]}"
            screen.print(
                said + (" (unreadable)" if row.unreadable else ""), markup=False, highlight=False
            )
        screen.print("(more when wider, or with --json)", highlight=False)
    else:
        screen.print(table)
    if left_out and table is not None:
        fields = " and ".join(
            [", ".join(left_out[:-1]), left_out[-1]] if left_out[1:] else left_out
        )
        screen.print(
            f"({fields} left out at this width: tuipad models --json has them)", highlight=False
        )
    for row in rows:
        if row.unreadable:  # the reason is a sentence: said in full under the table
            screen.print(f"{row.name}: {row.unreadable}", markup=False, highlight=False)


def _longest_name(rows: Sequence[ModelRow]) -> int:
    """The width of the widest cell of the name column (``default (bundled)``)."""
    return max((len(row.cells()[1]) for row in rows), default=len("name"))


def print_models_plain(rows: Sequence[ModelRow]) -> None:
    """Print a header, then one tab-separated line per model, nothing cut or drawn."""
    print("\t".join(MODEL_COLUMNS))
    for row in rows:
        cells = (row.cells()[0], row.name, *row.cells()[2:])
        print("\t".join(" ".join(cell.split()) for cell in cells))  # no tab inside a field


def models_table(
    rows: Sequence[ModelRow], screen: Console | None = None
) -> tuple[Table | None, tuple[str, ...]]:
    """The models as a rich table as wide as ``screen`` allows, its name column never cut.

    The name is what a user types back, so its column does not wrap and is at
    least as wide as the longest name.  The short columns (family, date,
    accuracy, size) do not wrap either: a date cut in two says little.  Data
    folds onto more lines; when the columns still do not fit, size, then date,
    then data, then family are left out.

    Returns:
        The table (``None`` if even the fewest columns do not fit) and the
        columns left out.
    """
    shown = list(MODEL_COLUMNS[2:])
    while screen is not None and _table_width(rows, shown) > screen.width:
        if len(shown) == len(MODEL_COLUMNS) - 2 - len(LEFT_OUT_FIRST):
            return None, LEFT_OUT_FIRST
        shown.remove(next(c for c in LEFT_OUT_FIRST if c in shown))
    left_out = tuple(c for c in LEFT_OUT_FIRST if c not in shown)
    return _models_table(rows, shown), left_out


def _table_width(rows: Sequence[ModelRow], shown: Sequence[str]) -> int:
    """How wide the table is with these columns unwrapped and data at its narrowest."""
    from rich.cells import cell_len  # wide characters in a manifest's words take two cells

    cells = [dict(zip(MODEL_COLUMNS, row.cells(), strict=True)) for row in rows]
    widths = [
        _data_width(rows)
        if header == "data"
        else max([cell_len(header)] + [cell_len(row[header]) for row in cells])
        for header in ["active", "name", *shown]
    ]
    widths[0] = 1  # the active mark's column has no header
    return sum(widths) + 3 * len(widths) + 1  # a space either side, and the borders


def _data_width(rows: Sequence[ModelRow]) -> int:
    """The narrowest the data column is drawn: its longest word, folded at spaces only."""
    from rich.cells import cell_len

    words = [word for row in rows for word in row.cells()[3].split()]
    return max([DATA_MIN_WIDTH, *map(cell_len, words)])


def _models_table(rows: Sequence[ModelRow], shown: Sequence[str]) -> Table:
    from rich.markup import escape
    from rich.table import Column, Table

    columns = [Column("name", no_wrap=True, min_width=_longest_name(rows))]
    for header in shown:
        if header == "data":
            columns.append(Column(header, overflow="fold", min_width=_data_width(rows)))
        else:
            columns.append(Column(header, no_wrap=True))
    table = Table("", *columns, title="models")
    for row in rows:
        cells = dict(zip(MODEL_COLUMNS, row.cells(), strict=True))
        if row.unreadable:
            cells["data"] = "see below"
        # Names and figures come from files: never markup.
        table.add_row(cells["active"], *(escape(cells[h]) for h in ["name", *shown]))
    return table
