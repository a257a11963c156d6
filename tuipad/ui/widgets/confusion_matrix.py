"""The confusion matrix as a 10x10 heat map: counts on a background shaded by count.

Rows are the true digit, columns the predicted one, as in scikit-learn's
``confusion_matrix``.  Correct reads (the diagonal) shade towards ``$success``
by the row's recall; mistakes shade towards ``$error`` by their count, so the
worst confusion stands out.  A cell is chosen with the arrow keys and ``enter``
or a click, which posts :class:`ConfusionMatrix.Selected`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.message import Message
from textual.reactive import reactive, var
from textual.strip import Strip
from textual.widget import Widget

Matrix = tuple[tuple[int, ...], ...]
"""10x10 counts, rows = true digit, columns = predicted; immutable for reactives."""

Cell = tuple[int, int]
"""``(true, predicted)``."""

LABEL_WIDTH = 4
"""Columns of the row labels on the left."""

CELL_WIDTH = 4
"""Columns per count: up to three digits and a space."""

MIN_SHADE = 0.3
"""Shade of a single mistake, so one stray digit is still visible."""


def cell_at(x: int, y: int) -> Cell | None:
    """The cell under widget coordinates, or ``None`` outside the counts."""
    row, column = y - 1, (x - LABEL_WIDTH) // CELL_WIDTH
    if x < LABEL_WIDTH or not (0 <= row < 10 and 0 <= column < 10):
        return None
    return row, column


def shade(matrix: Matrix, true: int, predicted: int) -> float:
    """How strongly to shade a cell, 0..1.

    The diagonal shows the row's recall; a mistake shows its count against the
    largest mistake, from :data:`MIN_SHADE` up; zero is unshaded.
    """
    count = matrix[true][predicted]
    if count == 0:
        return 0.0
    if true == predicted:
        return count / max(1, sum(matrix[true]))
    worst = max(matrix[t][p] for t in range(10) for p in range(10) if t != p)
    return MIN_SHADE + (1 - MIN_SHADE) * count / worst


def worst_mistake(matrix: Matrix) -> Cell:
    """The off-diagonal cell with the largest count (the diagonal's first cell if none)."""
    cells = [(matrix[t][p], -t, -p) for t in range(10) for p in range(10) if t != p]
    count, t, p = max(cells)
    return (-t, -p) if count else (0, 0)


class ConfusionMatrix(Widget, can_focus=True):
    """Counts of true digit (rows) against predicted digit (columns), shaded by count."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "confusion-matrix--header",
        "confusion-matrix--correct",
        "confusion-matrix--mistake",
        "confusion-matrix--zero",
        "confusion-matrix--cursor",
    }
    """Labels, the diagonal's shade, the mistakes' shade, empty cells, the chosen cell."""

    DEFAULT_CSS = """
    ConfusionMatrix {
        width: 44;
        height: 11;
        & > .confusion-matrix--header { color: $text-muted; text-style: bold; }
        & > .confusion-matrix--correct { background: $success; }
        & > .confusion-matrix--mistake { background: $error; }
        & > .confusion-matrix--zero { color: $text-disabled; }
        & > .confusion-matrix--cursor { text-style: bold reverse; }
        &:focus > .confusion-matrix--cursor { text-style: bold reverse underline; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False, tooltip="Move between cells"),
        Binding("down", "move(1, 0)", "Down", show=False, tooltip="Move between cells"),
        Binding("left", "move(0, -1)", "Left", show=False, tooltip="Move between cells"),
        Binding("right", "move(0, 1)", "Right", show=False, tooltip="Move between cells"),
        Binding("enter", "select", "Show samples", tooltip="Show the digits behind the cell"),
    ]

    @dataclass
    class Selected(Message):
        """A cell was chosen: show its samples."""

        matrix: ConfusionMatrix
        """The widget."""

        true: int
        """The cell's row: the true digit."""

        predicted: int
        """The cell's column: the predicted digit."""

        @property
        def control(self) -> ConfusionMatrix:
            return self.matrix

    matrix: var[Matrix | None] = var(None)
    """The counts, or ``None`` before a model is evaluated."""

    cursor: reactive[Cell] = reactive((0, 0))
    """The highlighted cell."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)

    def validate_cursor(self, cursor: Cell) -> Cell:
        return min(9, max(0, cursor[0])), min(9, max(0, cursor[1]))

    def watch_matrix(self, matrix: Matrix | None) -> None:
        if matrix is not None:
            self.cursor = worst_mistake(matrix)
        self.refresh()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A model that keeps no test has no matrix: the footer offers no samples to show.
        if action in ("select", "move"):
            return self.matrix is not None
        return True

    def count(self, true: int, predicted: int) -> int:
        """The count in a cell (0 with no matrix)."""
        return 0 if self.matrix is None else self.matrix[true][predicted]

    # ----------------------------------------------------------------- rendering

    def _cell_style(self, matrix: Matrix, true: int, predicted: int) -> Style:
        base = self.background_colors[1]
        amount = shade(matrix, true, predicted)
        if amount == 0:
            style = self.get_component_rich_style("confusion-matrix--zero")
        else:
            kind = "correct" if true == predicted else "mistake"
            target = self.get_component_styles(f"confusion-matrix--{kind}").background
            background = base.blend(target, amount)
            foreground = Color.parse("white") if background.brightness < 0.5 else Color(0, 0, 0)
            style = Style(color=foreground.rich_color, bgcolor=background.rich_color)
        if (true, predicted) == self.cursor:
            style += self.get_component_rich_style("confusion-matrix--cursor", partial=True)
        return style

    def render_line(self, y: int) -> Strip:
        matrix = self.matrix
        header = self.get_component_rich_style("confusion-matrix--header")
        if matrix is None or y > 10:
            return Strip.blank(self.size.width, self.rich_style)
        if y == 0:
            labels = "".join(f"{digit:>{CELL_WIDTH - 1}} " for digit in range(10))
            segments = [Segment("t\\p".ljust(LABEL_WIDTH), header), Segment(labels, header)]
        else:
            true = y - 1
            segments = [Segment(f"{true:>2}  ", header)]
            for predicted in range(10):
                count = matrix[true][predicted]
                text = f"{count:>{CELL_WIDTH - 1}} " if count else f"{'·':>{CELL_WIDTH - 1}} "
                segments.append(Segment(text, self._cell_style(matrix, true, predicted)))
        return Strip(segments).extend_cell_length(self.size.width, self.rich_style)

    def watch_cursor(self) -> None:
        self.refresh()

    # ----------------------------------------------------------------- input

    def action_move(self, rows: int, columns: int) -> None:
        """Move the highlight."""
        self.cursor = (self.cursor[0] + rows, self.cursor[1] + columns)

    def action_select(self) -> None:
        """Show the samples of the highlighted cell."""
        if self.matrix is not None:
            self.post_message(self.Selected(self, *self.cursor))

    def on_click(self, event: events.Click) -> None:
        cell = cell_at(event.x, event.y)
        if cell is not None and self.matrix is not None:
            self.cursor = cell
            self.post_message(self.Selected(self, *cell))
