"""Browse the personal samples: each one's 8x8 picture, label, date and source.

Type a digit to relabel the sample under the cursor; Delete (or ``d``) asks
again before it deletes.  The counts per digit at the top follow every change.
Each change is one short store transaction, so it runs inline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tuipad.core.wording import printable
from tuipad.ui.adapting import SamplesChanged
from tuipad.ui.notices import withdraw
from tuipad.ui.press_twice import DELETE_CONFIRM_SECONDS, PressTwice
from tuipad.ui.screens import help_prose
from tuipad.ui.screens.closing import ClosesOnce
from tuipad.ui.widgets.digit_pictures import GRID_MAX, half_block_rows
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.wording import a_digit, sure_reading_against

if TYPE_CHECKING:
    from tuipad.store.samples import Sample, SampleStore
    from tuipad.ui.context import AppContext

RELABEL = "Relabel the sample under the cursor"
"""What the digit keys do."""

ROW_HEIGHT = 4
"""Rows per sample: the 8x8 picture in half blocks."""


def counts_text(counts: dict[int, int]) -> str:
    """The per-digit counts line: ``0:3  1:5 ... · 42 samples``."""
    total = sum(counts.values())
    per_digit = "  ".join(f"{digit}:{counts.get(digit, 0)}" for digit in range(10))
    return f"{per_digit}  · {total} sample{'s' if total != 1 else ''}"


def picture(grid: object, background: Color, ink: Color) -> Text:
    """An 8x8 grid as 4 lines of 8 half blocks, shaded from background to ink.

    Args:
        grid: 64 values 0..16 (any array-like of 8x8 or 64).
        background: Colour of 0.
        ink: Colour of 16.
    """
    import numpy as np

    values = [int(v) for v in np.asarray(grid).ravel()]
    text = Text(no_wrap=True)
    for line, row in enumerate(half_block_rows(values)):
        for upper, lower in row:
            text.append(
                "▀",
                Style(
                    color=background.blend(ink, upper / GRID_MAX).rich_color,
                    bgcolor=background.blend(ink, lower / GRID_MAX).rich_color,
                ),
            )
        if line < ROW_HEIGHT - 1:
            text.append("\n")
    return text


def date_text(created: str) -> str:
    """``2026-11-25T18:40:02.125Z`` as ``2026-11-25 18:40`` (UTC, as stored)."""
    return created[:16].replace("T", " ")


PRESS_AGAIN = "Press again to delete this sample"
"""The first press of delete: taken down once the second deletes."""


NO_SAMPLES = "-no-samples"
"""The screen class that shows the empty store's message in place of the table (a column
header over nothing reads as a broken list)."""

UNREADABLE = "-unreadable"
"""The screen class that hides the table and the message when the store cannot be read."""


class BrowseScreen(ClosesOnce, Screen[None]):
    """The personal samples, to relabel or delete."""

    CSS_PATH = "browse.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    HELP = help_prose.BROWSE
    """What the list shows: the top of its help (?)."""

    LEAVE_KEY = "escape"
    """Goes back even while the terminal is too small for this screen (tuipad.ui.too_small)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", tooltip="Back to where you came from"),
        Binding("0", "relabel(0)", "Relabel", key_display="0-9", tooltip=RELABEL),
        *(
            Binding(str(d), f"relabel({d})", f"Relabel as {d}", show=False, tooltip=RELABEL)
            for d in range(1, 10)
        ),
        Binding("delete,d", "delete", "Delete", tooltip="Delete the sample (press twice)"),
        Binding("u,ctrl+z", "undo", "Undo delete", tooltip="Bring back the last sample deleted"),
        Binding("r", "reload", "Reload", tooltip="Read the samples again"),
    ]

    def __init__(self, context: AppContext) -> None:
        """Set up the list.

        Args:
            context: What the app's screens share (the sample store).
        """
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner."""
        self._delete = PressTwice()
        self._deleted: list[Sample] = []  # this visit's, for undo: the last one first

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield Static("", id="browse-counts", markup=False)  # an error names a path
        # The pictures keep their own colours on the cursor's row: the cursor's
        # foreground would paint every upper half-block alike, leaving stripes.
        yield DataTable(
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
            id="samples-table",
        )
        yield Static("", id="browse-empty")
        yield KeyHints()

    @property
    def table(self) -> DataTable[object]:
        """The list of samples."""
        return self.query_one("#samples-table", DataTable)

    def _store(self) -> SampleStore:
        return self.context.sample_store()

    def on_mount(self) -> None:
        for label, key in (("", "picture"), ("digit", "label"), ("saved", "date")):
            self.table.add_column(label, key=key)
        self.table.add_column("source", key="source")
        self.table.add_column("model read", key="read")
        self.action_reload()
        self.table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    # ----------------------------------------------------------------- contents

    def _colors(self) -> tuple[Color, Color]:
        return self.table.background_colors[1], self.table.styles.color

    def _row(self, sample: Sample) -> tuple[object, ...]:
        background, ink = self._colors()
        read = "" if sample.predicted is None else f"{sample.predicted} ({sample.answered_by})"
        # Text, not markup; imported or edited rows may hold escapes: shown, not acted on.
        return (
            picture(sample.grid, background, ink),
            Text(str(sample.label), style="bold"),
            Text(printable(date_text(sample.created))),
            Text(printable(sample.source)),
            Text(printable(read)),
        )

    def _store_failed(self, error: Exception) -> None:
        self.notify(str(error), title="Personal samples", severity="error")

    def action_reload(self) -> None:
        """Read the samples and counts from the store again (newest first)."""
        from tuipad.store.samples import StoreError

        try:
            store = self._store()
            samples = store.list()
            counts = store.count_by_label()
        except StoreError as error:
            self.query_one("#browse-counts", Static).update(f"Your samples cannot be read: {error}")
            self.add_class(UNREADABLE)
            self._store_failed(error)
            return
        table = self.table
        selected = self._selected()
        table.clear()
        for sample in reversed(samples):
            table.add_row(*self._row(sample), key=str(sample.id), height=ROW_HEIGHT)
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)), animate=False)
        self._show_counts(counts)

    def _show_counts(self, counts: dict[int, int]) -> None:
        self.query_one("#browse-counts", Static).update(counts_text(counts))
        has_rows = bool(self.table.row_count)
        # Classes, not the widgets' display: the too-small message must still hide them.
        self.remove_class(UNREADABLE)
        self.set_class(not has_rows, NO_SAMPLES)
        if has_rows and self.focused is None:
            self.table.focus()
        empty = self.query_one("#browse-empty", Static)
        self.refresh_bindings()  # relabel and delete need a sample, undo a deletion
        empty.update(
            "No personal samples yet. Type the right digit after a wrong answer on the"
            " sketchpad, or draw a round in teach mode (T)."
        )

    def _refresh_counts(self) -> None:
        from tuipad.store.samples import StoreError

        try:
            self._show_counts(self._store().count_by_label())
        except StoreError as error:
            self._store_failed(error)

    def _selected(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else int(key)

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("relabel", "delete"):
            return bool(self.table.row_count) and not self.has_class(UNREADABLE)
        if action == "undo":
            return bool(self._deleted)
        return True

    def action_leave(self) -> None:
        """Back to where browse was opened from."""
        self.dismiss()

    def action_relabel(self, label: int) -> None:
        """Give the sample under the cursor another digit."""
        from tuipad.store.samples import StoreError

        self._cancel_delete()  # a first d asked about the sample as it was
        sample_id = self._selected()
        if sample_id is None:
            return
        try:
            current = self._store().get(sample_id)
            if current is not None and current.label == label:
                self.notify(f"Already labelled {label}", timeout=2)
                return
            sample = self._store().relabel(sample_id, label)
        except StoreError as error:
            self._store_failed(error)
            return
        if sample is None:
            self.notify("That sample is gone (deleted elsewhere)", severity="warning")
            self.action_reload()
            return
        self.table.update_cell(str(sample_id), "label", Text(str(label), style="bold"))
        self._refresh_counts()
        if sure := sure_reading_against(label, sample.predicted, sample.scores):
            # Kept, since the user knows their digit, but said: a stray key is likelier.
            self.notify(
                f"Relabelled as {a_digit(label)}, though it reads as {sure}", severity="warning"
            )
        else:
            self.notify(f"Relabelled as {a_digit(label)}", timeout=2)
        self.post_message(SamplesChanged())

    def action_delete(self) -> None:
        """Delete the sample under the cursor; the first press asks for a second."""
        from tuipad.store.samples import StoreError

        sample_id = self._selected()
        if sample_id is None:
            return
        if not self._delete.press(sample_id):
            self.notify(PRESS_AGAIN, timeout=DELETE_CONFIRM_SECONDS)
            return
        try:
            sample = self._store().get(sample_id)
            if sample is not None:
                self._store().delete(sample_id)
        except StoreError as error:
            self._store_failed(error)
            return
        if sample is None:  # nothing to delete, nor to bring back
            withdraw(self.app, PRESS_AGAIN)
            self.notify("That sample is gone (deleted elsewhere)", severity="warning")
            self.action_reload()
            return
        self._deleted.append(sample)
        self.table.remove_row(str(sample_id))
        self._refresh_counts()
        withdraw(self.app, PRESS_AGAIN)  # answered
        self.notify("Sample deleted · u undoes", timeout=4)
        self.post_message(SamplesChanged())

    def action_undo(self) -> None:
        """Put back the last sample deleted on this visit, with its label, date and reading."""
        from tuipad.store.samples import StoreError

        try:
            restored = self._store().add_many([self._deleted[-1]], keep_ids=True).added
        except StoreError as error:
            self._store_failed(error)
            return
        sample = self._deleted.pop()
        self.action_reload()
        if restored:  # not already there again, from an import elsewhere
            self.table.move_cursor(row=self.table.get_row_index(str(restored[0])), animate=False)
        self.notify(f"Brought back the sample of {a_digit(sample.label)}", timeout=2)
        self.post_message(SamplesChanged())

    @on(DataTable.RowHighlighted)
    def _cancel_delete(self) -> None:
        """Forget a first d, and take down its question: it asked about another sample."""
        withdraw(self.app, PRESS_AGAIN)
        self._delete.disarm()
