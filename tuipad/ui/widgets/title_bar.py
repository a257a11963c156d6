"""A one-line header: the app's title and the active model.

Textual's ``Header`` composes an icon, a title and a clock as separate
widgets, each mounted, styled and laid out before the sketchpad's first frame
can show; this is one widget that renders one line of text, and repaints when
the app's title or ``sub_title`` (the model's name and accuracy) changes.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TitleBar(Widget):
    """``icon  title — sub_title``, the title centred, on one line docked at the top."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(
        self,
        *,
        icon: str = "",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Make the bar.

        Args:
            icon: A character shown at the left edge.
            name: The widget's name.
            id: The widget's id.
            classes: CSS classes.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.icon = icon
        """The character at the left edge."""

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._title_changed, init=False)
        self.watch(self.app, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        title = Text(self.app.title, no_wrap=True, overflow="ellipsis", end="")
        if self.app.sub_title:
            title.append(" — ")
            title.append(self.app.sub_title, style="dim")
        width = self.size.width
        line = Text(f" {self.icon}" if self.icon else "", no_wrap=True, end="")
        left = max((width - len(title)) // 2, len(line) + 1 if self.icon else 0)
        line.pad_right(left - len(line))
        line.append_text(title)
        line.truncate(width, overflow="ellipsis")
        return line
