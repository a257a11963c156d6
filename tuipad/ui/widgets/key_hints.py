"""A one-line footer of the active key bindings.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the
bindings change, which costs the first frame about as much as the rest of
the screen.  This footer is one widget that renders one line of text; a click
on a key runs its action, like the stock footer.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyHints(Widget):
    """The bindings of the focused widget, the screen and the app, as ``key Description``."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-hints--key", "key-hints--description"}
    """Styles of the keys and of what they do."""

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        background: $footer-background;
        & > .key-hints--key { color: $footer-key-foreground; text-style: bold; }
        & > .key-hints--description { color: $footer-description-foreground; }
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's keyword
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._spans: list[tuple[int, int, str, object]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        description_style = self.get_component_rich_style("key-hints--description", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        seen: set[str] = set()
        bindings = list(self.screen.active_bindings.values())
        palette = self.app.COMMAND_PALETTE_BINDING
        for node, binding, enabled, _tooltip in bindings:
            shown = binding.show or binding.key == palette
            if not shown or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            start = len(text)
            description = binding.description or binding.action
            if binding.key == palette:
                description = "palette"
            text.append(f" {self.app.get_key_display(binding)}", key_style)
            text.append(f" {description}", description_style)
            self._spans.append((start, len(text), binding.action, node))
        return text

    async def on_click(self, event: events.Click) -> None:
        for start, end, action, node in self._spans:
            if start <= event.x < end:
                event.stop()
                await self.app.run_action(action, node)  # type: ignore[arg-type]
                return
