"""A small dialog asking for a file path, and the save and open flows around it.

The sketchpad saves drawings and scribble mode saves pages the same way: ask
for a path, ask again before replacing a file that is there, write or read it,
say what happened in a notification, and remember the path for next time.
:func:`ask_to_save` and :func:`ask_to_open` are that flow, once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label

from tuipad.core.wording import printable
from tuipad.store.files import (
    MissingFolderError,
    check_folder,
    check_replaceable,
    describe_os_error,
)
from tuipad.ui.screens.closing import ClosesOnce
from tuipad.ui.screens.replace_dialog import ReplaceDialog
from tuipad.ui.widgets.text_field import TextField


@dataclass
class FileMemory:
    """What one screen's save and open dialogs remember while the app runs."""

    suggested: str
    """The path the save dialog offers: the last one saved to or opened, or typed to save
    (a path that failed is there to mend)."""

    to_open: str | None = None
    """The path the open dialog offers, if other: the last one typed to open, even if it
    could not be opened.  Kept apart so a file that failed to open (a page, say, given to
    the sketchpad) is not then offered to save over."""

    saved: set[Path] = field(default_factory=set)
    """Files this screen wrote of the work on it: saving there again replaces them without
    asking."""

    def new_work(self) -> None:
        """The work on screen is new (cleared, or a file opened): a file saved before holds
        other work, so replacing it is asked about again."""
        self.saved.clear()


def _where_names_go() -> str:
    """The folder a name alone is saved in or opened from, as the user would type it."""
    try:
        folder, home = Path.cwd(), Path.home()
    except (OSError, RuntimeError):  # a folder deleted since tuipad started there; no home
        return "A name without a folder is in the folder tuipad started in, which is gone"
    shown = Path("~", folder.relative_to(home)) if folder.is_relative_to(home) else folder
    return f"A name without a folder is in {shown}"


def _same_file(path: str) -> Path:
    """``path`` spelled one way, so ``./a.json`` and ``a.json`` match (string work only:
    a path that cannot be looked up is for the write to refuse)."""
    return Path(os.path.abspath(os.path.expanduser(path)))


def _holds_a_file(path: str) -> bool:
    """Whether a regular file is there: anything else the write refuses on its own."""
    try:
        return stat.S_ISREG(os.lstat(os.path.expanduser(path)).st_mode)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return False


def _missing_folder(error: MissingFolderError) -> str:
    return f"There is no folder {error.filename}: create it first, or pick another path"


def save_problem(path: str) -> str | None:
    """Why a file cannot be saved at ``path``, found without writing (a missing folder, a
    directory or a read-only file there), or ``None``."""
    if path.endswith(("/", os.sep)):  # Path() would drop the slash and save "notes/" as "notes"
        return f"{path} names a folder: add the file's name"
    try:
        target = Path(os.path.expanduser(path))
        check_folder(target)
        check_replaceable(target, named=True)
    except MissingFolderError as error:
        return _missing_folder(error)
    except OSError as error:
        return describe_os_error(error)
    except ValueError:  # a NUL in the path
        return "A path cannot hold a NUL character"
    return None


class PathDialog(ClosesOnce, ModalScreen[str | None]):
    """Ask for a path; dismisses with it, or with None on escape.  A path ``problem`` finds
    fault with keeps the dialog open, saying why under the path, so it can be mended."""

    CSS_PATH = "path_dialog.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        path: str,
        problem: Callable[[str], str | None] | None = None,
        said: str = "",
    ) -> None:
        """Set up the dialog.

        Args:
            title: What the path is for, e.g. "Save drawing as".
            path: The suggested path.
            problem: Says why a path will not do, or ``None`` when it will.
            said: Why the path given last time did not do, shown under it at first.
        """
        super().__init__()
        self._title = title
        self._path = path
        self._problem = problem
        self._said = said

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Label(self._title)
            yield TextField(self._path, placeholder="drawing.json")
            # Paths are the user's text, not markup: "[old]" in one must show as typed.
            yield Label(
                self._said, id="problem", markup=False, classes="shown" if self._said else ""
            )
            yield Label(_where_names_go(), classes="hint", markup=False)
            yield Label("enter: confirm · escape: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        said = "Type a path first (escape cancels)" if not path else None
        if said is None and printable(path) != path:  # a paste can bring them unseen
            said = f"A path here cannot hold control characters: {printable(path)}"
        if said is None and self._problem is not None:
            said = self._problem(path)
        if said is None:
            self.dismiss(path)
            return
        problem = self.query_one("#problem", Label)
        problem.update(said)
        problem.add_class("shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#problem", Label).remove_class("shown")  # said of the path before

    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)


def ask_to_save(
    screen: Screen[Any],
    title: str,
    memory: FileMemory,
    write: Callable[[str], object],
) -> None:
    """Ask for a path, ask before replacing a file there, write, and say where it went or why not.

    Args:
        screen: The screen that notifies.
        title: The dialog's title, e.g. "Save drawing as".
        memory: The path to offer, and the files saved so far (replaced without asking).
        write: Writes to a path and returns what was written (shown to the user).
    """

    def save(path: str) -> None:
        try:
            written = write(path)
        except MissingFolderError as error:  # removed since the dialog looked
            ask(f"Not saved: {_missing_folder(error)}")
            return
        except OSError as error:  # a read-only folder or a full disk: mend it or pick another
            ask(f"Not saved: {describe_os_error(error)}")
            return
        memory.saved.add(_same_file(path))
        screen.notify(f"Saved {written}")

    def save_if_new(path: str | None) -> None:
        if path is None:
            return
        memory.suggested = path
        if _same_file(path) in memory.saved or not _holds_a_file(path):
            save(path)
            return
        # Keeping the file goes back to the name, to pick another (escape there cancels).
        screen.app.push_screen(
            ReplaceDialog(path), lambda replace: save(path) if replace else ask()
        )

    def ask(said: str = "") -> None:
        dialog = PathDialog(title, memory.suggested, save_problem, said)
        screen.app.push_screen(dialog, save_if_new)

    ask()


def ask_to_open(
    screen: Screen[Any],
    title: str,
    memory: FileMemory,
    read: Callable[[str], str | None],
    *,
    errors: type[Exception],
) -> None:
    """Ask for a path and read it; a file that cannot be used keeps the dialog open, saying
    why under the path, and what was opened is said once it closes.

    Args:
        screen: The screen that notifies.
        title: The dialog's title, e.g. "Open drawing".
        memory: The path to offer; the path read is offered next time.
        read: Reads a path and shows what it holds; returns what the notice adds, if anything.
        errors: What ``read`` raises for a file it cannot use (one-line message).
    """
    notes: dict[str, str | None] = {}

    def attempt(path: str) -> str | None:
        memory.to_open = path  # offered again, to mend, even if it cannot be opened
        try:
            notes[path] = read(path)
        except errors as error:
            return str(error)
        return None

    def opened(path: str | None) -> None:
        if path is None:
            return
        memory.suggested, memory.to_open = path, None
        memory.new_work()
        note = notes.get(path)
        screen.notify(f"Opened {Path(path).name}" + (f": {note}" if note else ""))

    dialog = PathDialog(title, memory.to_open or memory.suggested, attempt)
    screen.app.push_screen(dialog, opened)
