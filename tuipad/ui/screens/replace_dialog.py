"""Asked before a save replaces a file that is already there: it may be anything the user keeps.

Only an explicit yes replaces it (enter or y, or the Replace button); escape, n
and the Keep button keep it, and the buttons take no focus, so enter always
means the answer the hint names rather than whichever button had focus.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from tuipad.ui.screens.closing import ClosesOnce


class ReplaceDialog(ClosesOnce, ModalScreen[bool]):
    """Replace an existing file, or keep it; dismisses with ``True`` to replace it."""

    CSS_PATH = "replace_dialog.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "replace", "Replace"),
        Binding("escape,n", "keep", "Keep"),
    ]

    def __init__(self, path: str) -> None:
        """Set up the dialog.

        Args:
            path: The file that exists, as the user typed it.
        """
        super().__init__()
        self._path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="replace-dialog"):
            yield Label(f"{self._path} already exists. Replace it?", id="replace-question")
            with Horizontal(id="replace-buttons"):
                for button in (
                    Button("Keep it", compact=True, id="keep"),
                    Button("Replace", variant="error", compact=True, id="replace"),
                ):
                    button.can_focus = False
                    yield button
            yield Label("enter/y: replace · escape/n: keep it", classes="hint")

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        """Close and leave the file as it is."""
        self.dismiss(False)

    @on(Button.Pressed, "#replace")
    def action_replace(self) -> None:
        """Close; the save goes ahead."""
        self.dismiss(True)
