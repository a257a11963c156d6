"""The side panel: the answer, the ten scores and the 8x8 the model saw.

It updates live while the user draws, so each part repaints only when what
it shows changes, and the bars and the grid refresh only their changed rows:
the panel's share of the bytes sent per drawn cell stays small.

The first frame shows only the status line ("loading model"): the big digit,
the bars and the grid cost it about a third of its time and have nothing to
show before the model has loaded, so they are mounted just after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive, var
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits, Static

from tuipad.ui.widgets.grid_view import GRID_CELLS, GridCell, GridView

if TYPE_CHECKING:
    from tuipad.core.recognise import Prediction

BAR_WIDTH = 8
"""Width of a score bar in cells (eighths of a cell give 64 steps)."""

PARTIAL = " ▏▎▍▌▋▊▉"
"""Left-aligned blocks of 0..7 eighths of a cell."""

PANEL_FRAME_WIDTH = 4 + 15 + 1
"""The panel's columns besides the grid: border and padding, the bars and their margin."""

PANEL_FRAME_HEIGHT = 2 + 3 + 1
"""The panel's rows above the grid: its border, the answer and the margin under it."""


def grid_cell_for(room: tuple[int, int], *, show_values: bool) -> GridCell:
    """The largest cell whose grid lets the panel fit ``room``.

    Args:
        room: The columns and rows the panel may take.
        show_values: Whether the values are printed, which needs three columns.

    Returns:
        The cell size; the smallest allowed one if none fits.
    """
    if show_values:
        allowed = [cell for cell in GRID_CELLS if cell[0] >= 3]
    else:
        allowed = [cell for cell in GRID_CELLS if cell[0] == 2 * cell[1]]  # square ones
    fitting = [cell for cell in allowed if panel_size(cell)[0] <= room[0]]
    fitting = [cell for cell in fitting if panel_size(cell)[1] <= room[1]]
    return fitting[-1] if fitting else allowed[0]


def panel_size(cell: GridCell) -> tuple[int, int]:
    """The columns and rows a panel needs to show its grid in cells of this size."""
    return PANEL_FRAME_WIDTH + 8 * cell[0], PANEL_FRAME_HEIGHT + max(10, 8 * cell[1])


def bar_text(score: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar ``width`` cells wide for a score in 0..1."""
    eighths = round(min(max(score, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (PARTIAL[part] if part else "")
    return text.ljust(width)


class ScoreBars(Widget):
    """Ten rows, digits 0..9 in order: the digit, a bar and the percentage."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "score-bars--bar",
        "score-bars--winner",
        "score-bars--saved",
    }
    """Ordinary rows, the winning row, and the digit the drawing was saved as."""

    DEFAULT_CSS = """
    ScoreBars {
        width: 15;
        height: 10;
        & > .score-bars--bar { color: $primary; }
        & > .score-bars--winner { color: $accent; text-style: bold; }
        & > .score-bars--saved { text-style: bold reverse; }
    }
    """

    scores: var[tuple[float, ...] | None] = var(None)
    """The ten probabilities, or None before the first prediction."""

    saved: reactive[int | None] = reactive(None)
    """The digit this drawing was saved as, marked on its row until the drawing changes."""

    class Chosen(Message):
        """The user clicked a digit's row: that digit is what they drew."""

        def __init__(self, bars: ScoreBars, digit: int) -> None:
            """Say which row was clicked.

            Args:
                bars: The widget clicked.
                digit: The digit of the row.
            """
            super().__init__()
            self.bars = bars
            self.digit = digit

        @property
        def control(self) -> ScoreBars:
            """The score bars clicked."""
            return self.bars

    def on_click(self, event: events.Click) -> None:
        if self.scores is not None and 0 <= event.y < 10:
            self.post_message(self.Chosen(self, event.y))

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._shown: tuple[list[str], int | None] = (self._rows(None), None)

    @staticmethod
    def _rows(scores: tuple[float, ...] | None) -> list[str]:
        if scores is None:
            return [f"{digit} {'':{BAR_WIDTH}} {'':>4}" for digit in range(10)]
        return [f"{digit} {bar_text(score)} {score:>4.0%}" for digit, score in enumerate(scores)]

    def row_text(self, digit: int) -> str:
        """What row ``digit`` shows."""
        return self._shown[0][digit]

    def winner(self) -> int | None:
        """The digit with the highest score (the model's label)."""
        return self._shown[1]

    def watch_scores(self, scores: tuple[float, ...] | None) -> None:
        rows = self._rows(scores)
        winner = None if scores is None else max(range(10), key=scores.__getitem__)
        old_rows, old_winner = self._shown
        self._shown = (rows, winner)
        changed = {digit for digit in range(10) if rows[digit] != old_rows[digit]}
        if winner != old_winner:
            changed |= {digit for digit in (winner, old_winner) if digit is not None}
        if changed:
            self.refresh(*(Region(0, digit, self.size.width, 1) for digit in sorted(changed)))

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < 10:
            return Strip.blank(self.size.width, self.rich_style)
        name = "score-bars--winner" if y == self.winner() else "score-bars--bar"
        style = self.rich_style + self.get_component_rich_style(name, partial=True)
        if y == self.saved:
            style += self.get_component_rich_style("score-bars--saved", partial=True)
        return Strip([Segment(self.row_text(y), style)], self.size.width).adjust_cell_length(
            self.size.width, self.rich_style
        )


class ScorePanel(Widget):
    """The predicted digit, large, its line of text, the scores and the grid."""

    DEFAULT_CSS = """
    ScorePanel {
        width: 36;
        height: 1fr;
        padding: 0 1;
        border: round $primary;
        border-title-align: left;
        #answer { height: 3; }
        #digit { width: 4; }
        #digit.-unsure { color: $warning; text-style: dim; }
        #prediction { width: 1fr; height: auto; max-height: 2; margin-top: 1; }
        #details { height: 10; margin-top: 1; }
        ScoreBars { margin-right: 1; }
        &.-starting #prediction { margin-left: 4; }
    }
    """

    status: reactive[str] = reactive("loading model")
    """What the answer line says when there is no prediction to show."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.prediction: Prediction | None = None
        """The prediction shown, if any."""
        self._details: tuple[Digits, ScoreBars, GridView] | None = None
        self._grid_layout: tuple[GridCell, bool, bool] = (GRID_CELLS[0], False, False)
        # Until the digit is mounted, the status line keeps the place it will have.
        self.add_class("-starting")

    def compose(self) -> ComposeResult:
        with Horizontal(id="answer"):
            yield Static(self.status, id="prediction", markup=False)

    def on_mount(self) -> None:
        self.border_title = "What the model sees"
        # Through the app: while it starts up, a widget's own call_after_refresh
        # runs before anything has been drawn.
        self.app.call_after_refresh(self._mount_details)

    async def _mount_details(self) -> None:
        """Mount the digit, the bars and the grid, once the first frame is out."""
        if self._details is not None or not self.is_attached:
            return
        details = (Digits("", id="digit"), ScoreBars(), GridView())
        digit, bars, grid = details
        await self.query_one("#answer").mount(digit, before=0)
        await self.mount(Horizontal(bars, grid, id="details"))
        self._details = details
        self._lay_out_grid()
        self.remove_class("-starting")
        self._show_details()

    def fit(self, room: tuple[int, int], *, show_values: bool, shaded: bool) -> None:
        """Grow the panel and its 8x8 into the room the screen gives it.

        Args:
            room: The columns and rows the panel may take.
            show_values: Print the 0..16 values on the grid (cells three columns or more).
            shaded: Draw the grid's ink with shade characters (few colours).
        """
        cell = grid_cell_for(room, show_values=show_values)
        self._grid_layout = (cell, show_values, shaded)
        self.styles.width = panel_size(cell)[0]
        self._lay_out_grid()

    def _lay_out_grid(self) -> None:
        if self._details is None:
            return
        cell, show_values, shaded = self._grid_layout
        grid = self._details[2]
        grid.cell, grid.show_values, grid.shaded = cell, show_values, shaded
        self.query_one("#details").styles.height = max(10, 8 * cell[1])

    @property
    def text(self) -> str:
        """The answer line as shown."""
        return str(self.query_one("#prediction", Static).content)

    def _set_text(self, text: str) -> None:
        label = self.query_one("#prediction", Static)
        if str(label.content) != text:
            label.update(text)

    def watch_status(self, status: str) -> None:
        if self.prediction is None and self.is_mounted:
            self._set_text(status)

    def show(self, prediction: Prediction | None) -> None:
        """Show a prediction, or clear the panel back to its status line.

        Args:
            prediction: What the model said, or None when there is nothing.
        """
        self.prediction = prediction
        self._set_text(self.status if prediction is None else prediction.answer)
        self._show_details()

    def mark_saved(self, digit: int | None) -> None:
        """Mark the score row of the digit the drawing was saved as (None: no mark)."""
        if self._details is not None:
            self._details[1].saved = digit

    def _show_details(self) -> None:
        """Bring the digit, the bars and the grid up to date, once they are mounted."""
        if self._details is None:
            return
        digit, bars, grid = self._details
        prediction = self.prediction
        if prediction is None:
            digit.update("")
            bars.scores = None
            grid.grid = None
            return
        digit.update(str(prediction.label))
        digit.set_class(bool(prediction.contenders), "-unsure")
        bars.scores = tuple(prediction.scores)
        grid.grid = tuple(tuple(int(v) for v in row) for row in prediction.grid)
