"""The training screen's Models tab: every saved model, to make active or delete.

:class:`ModelsPane` shows the rows the screen pushes down (from
:func:`tuipad.services.model_rows`) and asks the screen, by message, to make
a model active or delete it, or (Enter on a row) to show its report; the
screen does both through :mod:`tuipad.services`.  Make active is off on a
model without an array form (:attr:`~tuipad.services.ModelRow.from_pickle`),
and the line under the table says why.  Delete asks on the button itself for
a second press (:class:`~tuipad.ui.press_twice.PressTwice`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from tuipad.store.registry import DEFAULT_NAME
from tuipad.ui.press_twice import PressTwice

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tuipad.services import ModelRow

COLUMNS = ("", "name", "family", "data", "date", "accuracy", "size")
"""The headings of :meth:`~tuipad.services.ModelRow.cells`, in its order."""

SHOWN = ("", "name", "family", "accuracy", "size", "date")
"""The table's columns: at 80 columns all of them fit; the data line goes under the table."""

NO_ARRAYS = "a k-NN: it can be compared but not used to recognise (it has no arrays)"
"""Why Make active is off on a model without arrays, said under the table."""


class ModelsPane(Vertical):
    """The Models tab: the table of saved models, Make active and Delete."""

    @dataclass
    class Use(Message):
        """The user asked to make a model the active one."""

        name: str
        """The model."""

    @dataclass
    class Show(Message):
        """The user asked to see a model's report and matrix (Enter on its row)."""

        name: str
        """The model."""

    @dataclass
    class Delete(Message):
        """The user confirmed deleting a model."""

        name: str
        """The model."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._delete = PressTwice()
        self._details: dict[str, str] = {}
        """What each model learnt from and how it was tested, shown under the table."""
        self._unusable: set[str] = set()
        """The models that cannot be made active (no array form): Make active is off on them."""
        self._active: str | None = None
        """The model marked active in the table."""

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="history")
        yield Static("", id="history-details", markup=False)
        with Horizontal(classes="form-row"):
            yield Button("Make active", compact=True, id="use")
            yield Button("Delete", variant="error", compact=True, id="delete")
            yield Static("enter: its report · ● active", id="history-hint")

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        for label in SHOWN:
            table.add_column(label, key=label or "active")

    def show_rows(self, rows: Iterable[ModelRow]) -> None:
        """Replace the table's rows, keeping the cursor on the model it was on."""
        table = self.query_one("#history", DataTable)
        selected, place = self.selected(), table.cursor_row
        this_year = time.strftime("%Y")
        table.clear()
        self._details = {}
        self._unusable = set()
        self._active = None
        for row in rows:
            if row.active:
                self._active = row.name
            cells = dict(zip(COLUMNS, row.cells(), strict=True))
            cells["date"] = cells["date"].removeprefix(f"{this_year}-")  # fits 80 columns
            # Text, not markup: a manifest edited by hand may hold brackets.
            table.add_row(*(Text(cells[label]) for label in SHOWN), key=row.name)
            self._details[row.name] = cells["data"]
            if row.from_pickle:
                self._details[row.name] += f" · {NO_ARRAYS}"
                self._unusable.add(row.name)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        elif table.row_count:  # its model deleted: the row that took its place
            table.move_cursor(row=min(place, table.row_count - 1), animate=False)
        self._show_selected(self.selected())

    def selected(self) -> str | None:
        """The name of the model under the cursor, if the table has any."""
        table = self.query_one("#history", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowHighlighted, "#history")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected(event.row_key.value)

    def _show_selected(self, name: str | None) -> None:
        """Describe the model under the cursor, and offer Make active only if it can be."""
        details = self._details.get(name, "") if name is not None else ""
        self.query_one("#history-details", Static).update(f"{name}: {details}" if details else "")
        self.query_one("#use", Button).disabled = name is None or name in self._unusable

    @on(DataTable.RowSelected, "#history")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        # Enter shows the model's figures; making it active stays a deliberate button press.
        if event.row_key.value is not None:
            self.post_message(self.Show(event.row_key.value))

    @on(Button.Pressed, "#use")
    def _use_pressed(self) -> None:
        name = self.selected()
        if name is not None and name == self._active:  # said, not claimed as a change
            self.notify(f"{name} is already the active model", timeout=3)
        elif name is not None and name not in self._unusable:
            self.post_message(self.Use(name))

    @on(Button.Pressed, "#delete")
    def _delete_pressed(self) -> None:
        name = self.selected()
        if name is None:
            return
        if name == DEFAULT_NAME:  # refused at once: asking twice would only end in a refusal
            self.notify(
                "The bundled default cannot be deleted (it is what tuipad falls back to)",
                severity="warning",
            )
            return
        if not self._delete.press(name):
            # The question goes on the button itself: a toast would sit over it.
            question = "Delete active? Again" if name == self._active else "Delete? Again"
            self.query_one("#delete", Button).label = question
            self.set_timer(self._delete.seconds, self._disarm_delete)
            return
        self._disarm_delete()
        self.post_message(self.Delete(name))

    def _disarm_delete(self) -> None:
        """Forget a first press of Delete and restore its label."""
        self._delete.disarm()
        self.query_one("#delete", Button).label = "Delete"
