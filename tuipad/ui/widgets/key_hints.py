"""A one-line footer of the active key bindings.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the
bindings change, which costs the first frame about as much as the rest of
the screen.  This footer is one widget that renders one line of text; a click
on a key runs its action, like the stock footer, except on a hint that stands for
several keys (``0-9``): which one was meant cannot be known, and running the first
(``0``) would save or relabel a digit nobody chose, so the click says to type one
instead.  When the line is too narrow it leaves out the screen's last keys rather
than cutting off the app's Quit and Help, since help lists every key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode


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
        self._spans: list[tuple[int, int, Binding, DOMNode]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def _hints(self) -> list[tuple[str, str, Binding, DOMNode]]:
        """The shown bindings as ``(key, description, binding, node)``, one per action."""
        hints = []
        seen: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            shown = binding.show or binding.key == palette
            if not shown or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            description = binding.description or binding.action
            if binding.key == palette:
                description = "palette"
            hints.append((self.app.get_key_display(binding), description, binding, node))
        return hints

    def _fitting(
        self, hints: list[tuple[str, str, Binding, DOMNode]]
    ) -> list[tuple[str, str, Binding, DOMNode]]:
        """The hints that fit the width, dropping the palette's first (ctrl+p is in help and
        in every Textual app), then the screen's last ones: Quit and Help stay, since help
        lists whatever the footer has no room for."""
        width = self.size.width or sum(len(f" {key} {text}") for key, text, _, _ in hints)
        kept = list(hints)
        used = sum(len(f" {key} {text}") for key, text, _, _ in kept)
        palette = [hint for hint in hints if hint[2].action == "command_palette"]
        for hint in palette + list(reversed(hints)):
            if used <= width:
                break
            key, text, binding, node = hint
            if hint in kept and (node is not self.app or binding.action == "command_palette"):
                kept.remove(hint)
                used -= len(f" {key} {text}")
        return kept

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        description_style = self.get_component_rich_style("key-hints--description", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for key, description, binding, node in self._fitting(self._hints()):
            start = len(text)
            text.append(f" {key}", key_style)
            text.append(f" {description}", description_style)
            self._spans.append((start, len(text), binding, node))
        return text

    def _stands_for_several(self, binding: Binding, node: DOMNode) -> bool:
        """Whether ``binding``'s hint names a group of keys, as help groups them: it has a
        ``key_display`` and the node binds hidden keys to the same action with other
        arguments (``0-9`` shows ``digit_key(0)`` for all ten; a ``tab`` whose hidden
        ``shift+tab`` goes the other way is one key, and a click runs it)."""
        name = binding.action.split("(")[0]
        return bool(binding.key_display) and any(
            other_node is node and not other.show
            for other_node, other, _enabled, _tooltip in self.screen.active_bindings.values()
            if other.action != binding.action and other.action.split("(")[0] == name
        )

    async def on_click(self, event: events.Click) -> None:
        for start, end, binding, node in self._spans:
            if start <= event.x < end:
                event.stop()
                if self._stands_for_several(binding, node):
                    key = self.app.get_key_display(binding)
                    how = binding.tooltip or binding.description
                    self.app.notify(how, title=f"Type one of the keys {key}", timeout=5)
                else:
                    await self.app.run_action(binding.action, node)
                return
