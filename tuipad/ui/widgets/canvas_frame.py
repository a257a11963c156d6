"""The border around a drawing canvas, which says what the pen does.

The canvas itself can turn the eraser off (clearing does), so the border follows
the canvas rather than the keys that change it.
"""

from __future__ import annotations

from textual.containers import Container
from textual.widget import Widget

from tuipad.ui.widgets.drawing_canvas import DrawingCanvas


class CanvasFrame(Container):
    """A bordered box around a :class:`DrawingCanvas`; its border follows the canvas.

    The top border shows the prompt, or "Eraser" while the eraser is on.
    """

    DEFAULT_CSS = """
    CanvasFrame {
        border-title-align: left;
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
        self.watch(self.query_one(DrawingCanvas), "eraser", self._follow_canvas)

    def _follow_canvas(self, _changed: bool = False) -> None:
        canvas = self.query_one(DrawingCanvas)
        self.border_title = "Eraser" if canvas.eraser else self.prompt
        self.set_class(canvas.eraser, "-eraser")
