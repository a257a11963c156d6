"""The line under the scribble page: the numbers read, and a warning while some are hidden.

Strokes keep the cells they were written in, so a smaller terminal can cut off a page
written on a larger one.  The model has read all of it, and the line lists numbers the
user cannot see; so, as the sketchpad's canvas border does
(:mod:`~tuipad.ui.widgets.canvas_frame`), the line starts with a warning in its words
and the key that brings the page back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

OFF_CANVAS_NOTES = (
    "Not all of the page shows · f brings it back",
    "Not all of the page shows · f fits",
    "Not all of it shows · f fits",
    "Cut off · f fits",
)
"""What the line says while writing is off the canvas, the longest that fits first."""


def off_canvas_note(width: int) -> str:
    """The longest of :data:`OFF_CANVAS_NOTES` that leaves the numbers read half the line.

    Args:
        width: The line's columns.
    """
    room = width // 2
    return next((note for note in OFF_CANVAS_NOTES if len(note) <= room), OFF_CANVAS_NOTES[-1])


class PageStatus(Horizontal):
    """What was read on the page (``#scribble-info``), after a warning while it is cut off."""

    DEFAULT_CSS = """
    PageStatus {
        height: 1;
        & > #page-off-canvas { width: auto; padding-left: 1; color: $warning; display: none; }
        & > #page-off-canvas.-shown { display: block; }
        & > #scribble-info { width: 1fr; }
    }
    """

    cut_off: reactive[bool] = reactive(False)
    """Whether part of the page lies beyond the canvas's edges."""

    def compose(self) -> ComposeResult:
        yield Static("", id="page-off-canvas")
        yield Static("", id="scribble-info")

    def follow(self, canvas: DrawingCanvas) -> None:
        """Warn while part of ``canvas``'s writing lies off it, from now on."""
        self.watch(canvas, "ink_off_canvas", self._set_cut_off)

    def _set_cut_off(self, cut_off: bool) -> None:
        self.cut_off = cut_off

    def show(self, info: str) -> None:
        """Say what was read (or what to do), after the warning if the page is cut off.

        Args:
            info: The numbers read, a digit's scores, or a hint.
        """
        self.query_one("#scribble-info", Static).update(info)

    def watch_cut_off(self) -> None:
        self._show_note()

    def on_resize(self) -> None:
        self._show_note()  # the wording follows the width

    def _show_note(self) -> None:
        note = self.query_one("#page-off-canvas", Static)
        note.set_class(self.cut_off, "-shown")
        note.update(f"{off_canvas_note(self.size.width)} ·" if self.cut_off else "")
