"""A small dialog asking for a file path, and the save and open flows around it.

The sketchpad saves drawings and scribble mode saves pages the same way: ask
for a path, write or read it, say what happened in a notification, and
remember the path for next time.  :func:`ask_to_save` and :func:`ask_to_open`
are that flow, once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label

from tuipad.store.files import MissingFolderError


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


def ask_to_save(
    screen: Screen[Any],
    title: str,
    suggested: str,
    write: Callable[[str], object],
    remember: Callable[[str], None],
) -> None:
    """Ask for a path, write there, and say where it went or why not.

    Args:
        screen: The screen that notifies.
        title: The dialog's title, e.g. "Save drawing as".
        suggested: The path offered.
        write: Writes to a path and returns what was written (shown to the user).
        remember: Called with the path once written, to suggest it next time.
    """

    def save(path: str | None) -> None:
        if path is None:
            return
        try:
            written = write(path)
        except MissingFolderError as error:
            screen.notify(
                f"Not saved: there is no folder {error.filename}. Create it first, or pick another"
                " path.",
                severity="error",
            )
            return
        except OSError as error:
            screen.notify(f"Could not save {path}: {error.strerror or error}", severity="error")
            return
        remember(path)
        screen.notify(f"Saved {written}")

    screen.app.push_screen(PathDialog(title, suggested), save)


def ask_to_open(
    screen: Screen[Any],
    title: str,
    suggested: str,
    read: Callable[[str], object],
    remember: Callable[[str], None],
    *,
    errors: type[Exception],
    error_title: str,
) -> None:
    """Ask for a path, read it, and say what was opened or why not.

    Args:
        screen: The screen that notifies.
        title: The dialog's title, e.g. "Open drawing".
        suggested: The path offered.
        read: Reads a path and shows what it holds.
        remember: Called with the path once read, to suggest it next time.
        errors: What ``read`` raises for a file it cannot use (one-line message).
        error_title: The notification's title when it cannot.
    """

    def load(path: str | None) -> None:
        if path is None:
            return
        try:
            read(path)
        except errors as error:
            screen.notify(str(error), title=error_title, severity="error")
            return
        remember(path)
        screen.notify(f"Opened {Path(path).name}")

    screen.app.push_screen(PathDialog(title, suggested), load)
