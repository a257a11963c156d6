"""The training screen's Models tab: every saved model, to make active or delete.

:class:`ModelsPane` shows the rows the screen pushes down (from
:func:`tuipad.services.model_rows`) and asks the screen, by message, to make
a model active or delete it; the screen does both through
:mod:`tuipad.services`.  Delete asks on the button itself for a second press
(:class:`~tuipad.ui.press_twice.PressTwice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from tuipad.ui.press_twice import PressTwice

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tuipad.services import ModelRow

COLUMNS = ("", "name", "family", "data", "date", "accuracy", "size")
"""The table's headings, in the order of :meth:`~tuipad.services.ModelRow.cells`."""


class ModelsPane(Vertical):
    """The Models tab: the table of saved models, Make active and Delete."""

    @dataclass
    class Use(Message):
        """The user asked to make a model the active one."""

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

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="history")
        with Horizontal(classes="form-row"):
            yield Button("Make active", compact=True, id="use")
            yield Button("Delete", variant="error", compact=True, id="delete")
            yield Static("● active · Delete asks twice", id="history-hint")

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label or "active")

    def show_rows(self, rows: Iterable[ModelRow]) -> None:
        """Replace the table's rows, keeping the cursor on the model it was on."""
        table = self.query_one("#history", DataTable)
        selected = self.selected()
        table.clear()
        for row in rows:
            table.add_row(*row.cells(), key=row.name)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)

    def selected(self) -> str | None:
        """The name of the model under the cursor, if the table has any."""
        table = self.query_one("#history", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(Button.Pressed, "#use")
    def _use_pressed(self) -> None:
        name = self.selected()
        if name is not None:
            self.post_message(self.Use(name))

    @on(Button.Pressed, "#delete")
    def _delete_pressed(self) -> None:
        name = self.selected()
        if name is None:
            return
        if not self._delete.press(name):
            # The question goes on the button itself: a toast would sit over it.
            self.query_one("#delete", Button).label = "Delete? Again"
            self.set_timer(self._delete.seconds, self._disarm_delete)
            return
        self._disarm_delete()
        self.post_message(self.Delete(name))

    def _disarm_delete(self) -> None:
        """Forget a first press of Delete and restore its label."""
        self._delete.disarm()
        self.query_one("#delete", Button).label = "Delete"
