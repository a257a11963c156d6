"""A small dialog asking for a file path (saving and opening drawings)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PathDialog(ModalScreen[str | None]):
    """Ask for a path; dismisses with it, or with None on escape."""

    CSS_PATH = "path_dialog.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, path: str) -> None:
        """Set up the dialog.

        Args:
            title: What the path is for, e.g. "Save drawing as".
            path: The suggested path.
        """
        super().__init__()
        self._title = title
        self._path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Label(self._title)
            yield Input(self._path, placeholder="drawing.json")
            yield Label("enter: confirm · escape: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        self.dismiss(path or None)

    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)
