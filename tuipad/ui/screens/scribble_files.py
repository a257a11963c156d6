"""Scribble mode's page files: save, open, and what quitting would lose.

A page can hold many numbers written over minutes, so quitting asks before it
drops a page that was changed since it was last saved or opened
(:attr:`tuipad.ui.context.AppContext.unsaved`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tuipad.core.scribble import Page
from tuipad.core.wording import counted
from tuipad.store.page_files import PageFileError, save_page
from tuipad.ui.screens.path_dialog import FileMemory, ask_to_open, ask_to_save

if TYPE_CHECKING:
    from tuipad.ui.screens.scribble import ScribbleScreen

DEFAULT_PAGE = "page.json"
"""Path suggested when saving or opening a page."""


class PageFiles:
    """Saving and opening one scribble screen's page, and whether it is kept."""

    def __init__(self, screen: ScribbleScreen) -> None:
        self._screen = screen
        self._memory = FileMemory(DEFAULT_PAGE)
        self._kept = Page()  # as last saved or opened: nothing to lose
        self._replaced: str | None = None  # an unsaved page an opened one took the place of

    def unsaved(self) -> str | None:
        """What quitting would lose, in a few words, or ``None``."""
        page = self._screen.page
        if page.groups and page.as_kept() != self._kept:
            return f"The scribble page ({counted(len(page.numbers), 'number')}) is not saved"
        return self._replaced  # only undo reaches it now: still lost by quitting

    def save(self) -> None:
        """Ask for a path and save the page as JSON."""
        screen = self._screen
        if not screen.page:
            screen.notify("Nothing to save: write something first", severity="warning")
            return
        ask_to_save(screen, "Save page as", self._memory, self._write)

    def _write(self, path: str) -> Path:
        page = self._screen.page
        written = save_page(path, page)
        self._kept, self._replaced = page.as_kept(), None
        return written

    def open(self) -> None:
        """Ask for a path and open a page (or a sketchpad drawing)."""
        ask_to_open(
            self._screen,
            "Open page",
            self._memory,
            self._open,
            errors=PageFileError,
        )

    def _open(self, path: str) -> str | None:
        """Open a page in place of this one, saying so if this one was not saved."""
        page = self._screen.page
        replacing = page.groups and page.as_kept() != self._kept
        note = self._screen.open_page(path)
        if not replacing:
            return note
        lost = f"the page you had ({counted(len(page.numbers), 'number')}) is not saved"
        # Said again when quitting, maybe from another screen, where u undoes something else.
        self._replaced = f"{lost.capitalize()}: u in scribble mode brings it back"
        return ", ".join(filter(None, [note, f"{lost}: u brings it back"]))

    def new_work(self) -> None:
        """The page was cleared: a file saved before is asked about again before it is
        replaced."""
        self._memory.new_work()

    def kept(self, page: Page) -> None:
        """Note that ``page`` is in a file now (it was opened from one)."""
        self._kept = page.as_kept()
