"""Small 8x8 pictures of digits with their true and predicted labels and scores.

Each 8x8 grid of 0..16 values is drawn 8 cells wide and 4 rows high with
upper half blocks: the foreground is the upper pixel, the background the
lower one, both shaded from the widget's background to its ink by value.
The pictures wrap in rows as wide as the widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Size
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

CARD_WIDTH = 12
"""Columns per picture and its captions, including the gap."""

CARD_HEIGHT = 7
"""Rows per picture: 4 of pixels, 2 of captions, 1 gap."""

GRID_MAX = 16
"""The largest 8x8 value."""


@dataclass(frozen=True)
class DigitCard:
    """A digit the model read, ready to draw.

    Attributes:
        grid: 64 values 0..16, row by row.
        true: Its label.
        predicted: What the model read.
        scores: The model's ten scores.
    """

    grid: tuple[int, ...]
    true: int
    predicted: int
    scores: tuple[float, ...]


def half_block_rows(grid: Sequence[int]) -> list[list[tuple[int, int]]]:
    """Pair the rows of an 8x8 grid: 4 rows of ``(upper, lower)`` values per column."""
    return [
        [(grid[16 * row + column], grid[16 * row + 8 + column]) for column in range(8)]
        for row in range(4)
    ]


def captions(sample: DigitCard) -> tuple[str, str]:
    """The two caption lines: the true digit's score and the read digit's score."""
    return (
        f"true {sample.true} {sample.scores[sample.true]:.0%}",
        f"read {sample.predicted} {sample.scores[sample.predicted]:.0%}",
    )


class DigitPictures(Widget):
    """A wrapping gallery of :class:`DigitCard` pictures."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "digit-pictures--ink",
        "digit-pictures--true",
        "digit-pictures--read",
    }
    """The pixels' full ink, and the two caption lines."""

    DEFAULT_CSS = """
    DigitPictures {
        height: auto;
        & > .digit-pictures--ink { color: $foreground; }
        & > .digit-pictures--true { color: $text-muted; }
        & > .digit-pictures--read { color: $text; text-style: bold; }
    }
    """

    samples: var[tuple[DigitCard, ...]] = var(())
    """What to draw, in order."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)

    def watch_samples(self) -> None:
        self.refresh(layout=True)

    @property
    def per_row(self) -> int:
        """Pictures that fit side by side."""
        return max(1, self.size.width // CARD_WIDTH)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        rows = -(-len(self.samples) // max(1, width // CARD_WIDTH))
        return rows * CARD_HEIGHT

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row, line = divmod(y, CARD_HEIGHT)
        start = row * self.per_row
        cards = self.samples[start : start + self.per_row]
        if not cards or line == CARD_HEIGHT - 1:
            return Strip.blank(width, self.rich_style)
        base = self.background_colors[1]
        ink = Color.from_rich_color(self.get_component_rich_style("digit-pictures--ink").color)
        segments: list[Segment] = []
        for sample in cards:
            if line < 4:
                for upper, lower in half_block_rows(sample.grid)[line]:
                    style = Style(
                        color=base.blend(ink, upper / GRID_MAX).rich_color,
                        bgcolor=base.blend(ink, lower / GRID_MAX).rich_color,
                    )
                    segments.append(Segment("▀", style))
                segments.append(Segment(" " * (CARD_WIDTH - 8), self.rich_style))
            else:
                kind = ("true", "read")[line - 4]
                text = captions(sample)[line - 4]
                style = self.get_component_rich_style(f"digit-pictures--{kind}")
                segments.append(Segment(text.ljust(CARD_WIDTH)[:CARD_WIDTH], style))
        return Strip(segments).extend_cell_length(width, self.rich_style).crop(0, width)
