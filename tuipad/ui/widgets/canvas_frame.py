"""The border around a drawing canvas, which says what the pen does and what is hidden.

The border follows the canvas rather than the keys that change it: clearing turns the
eraser off, and a canvas that shrinks can leave part of the drawing beyond its edges
(:attr:`~tuipad.ui.widgets.drawing_canvas.DrawingCanvas.ink_off_canvas`).  The model
reads all of the drawing, so the border says when part of it is hidden, and which key
brings it back, before an answer whose reason the user cannot see is saved as a sample.
"""

from __future__ import annotations

from textual.containers import Container
from textual.widget import Widget

from tuipad.ui.widgets.drawing_canvas import DrawingCanvas

OFF_CANVAS_NOTES = (
    "Not all of the drawing shows · f brings it back",
    "Not all of the drawing shows · f fits",
    "Not all of it shows · f fits",
    "Cut off · f fits",
)
"""What the bottom border says while ink is off the canvas, the longest that fits first."""

BORDER_CHROME = 6
"""Border columns around a border title: the corners, a line and a space each side."""


def off_canvas_note(width: int) -> str:
    """The longest note of :data:`OFF_CANVAS_NOTES` that fits in a border ``width`` wide."""
    room = width - BORDER_CHROME
    return next((note for note in OFF_CANVAS_NOTES if len(note) <= room), OFF_CANVAS_NOTES[-1])


class CanvasFrame(Container):
    """A bordered box around a :class:`DrawingCanvas`; its border follows the canvas.

    The top border shows the prompt, or "Eraser" while the eraser is on; the bottom
    one warns while part of the drawing lies off the canvas.
    """

    DEFAULT_CSS = """
    CanvasFrame {
        border-title-align: left;
        border-subtitle-align: left;
        border-subtitle-color: $warning;
    }
    """

    def __init__(
        self,
        *children: Widget,
        prompt: str,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Make the frame.

        Args:
            children: The canvas (the frame follows the first one it holds).
            prompt: The top border's text while the pen draws.
            name: Textual's name.
            id: Textual's id.
            classes: Textual's classes.
            disabled: Whether it starts disabled.
        """
        super().__init__(*children, name=name, id=id, classes=classes, disabled=disabled)
        self.prompt = prompt
        """What the top border says while the pen draws."""

    def on_mount(self) -> None:
        canvas = self.query_one(DrawingCanvas)
        self.watch(canvas, "eraser", self._follow_canvas)
        self.watch(canvas, "ink_off_canvas", self._follow_canvas)

    def on_resize(self) -> None:
        self._follow_canvas()

    def _follow_canvas(self, _changed: bool = False) -> None:
        canvas = self.query_one(DrawingCanvas)
        self.border_title = "Eraser" if canvas.eraser else self.prompt
        self.set_class(canvas.eraser, "-eraser")
        hidden = canvas.ink_off_canvas
        self.border_subtitle = off_canvas_note(self.size.width) if hidden else ""
