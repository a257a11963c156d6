"""The help screen that ``?`` opens, made from the bindings of the screen beneath it.

Every screen gets its key list the same way: the bindings its tuipad classes declare,
then those of the tuipad widgets it holds (the canvas, the confusion matrix), then the
app's.  Textual's own bindings (focus, copy) are left out: they are the same everywhere.
A binding's ``tooltip`` is its help line when the footer's short description is not
enough.  The prose above the keys is the screen's ``HELP`` attribute, the one Textual's
own help panel shows.

The help is as wide as the terminal allows, so nothing in it is wrapped in advance: the
prose is reflowed into paragraphs and each key's text wraps under itself, not under the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from tuipad.ui.screens.closing import ClosesOnce

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen

KEYS_WIDTH = 15
"""Width of the keys column."""


@dataclass(frozen=True)
class HelpEntry:
    """One line of help: keys that do the same thing, and what that is."""

    keys: tuple[str, ...]
    """The key names as Textual binds them (``ctrl+t``, ``question_mark``)."""

    display: str
    """The keys as shown (``^t``, ``?``, ``0-9``)."""

    text: str
    """What they do."""


@dataclass(frozen=True)
class HelpSection:
    """A titled group of help lines."""

    title: str
    """Where these keys work."""

    entries: tuple[HelpEntry, ...]
    """The keys."""


def declared_bindings(node: DOMNode) -> list[Binding]:
    """The bindings a node's tuipad classes declare, a subclass's bindings of a key replacing
    its base's (one class may bind a key twice, an action for each state).

    Args:
        node: A screen, a widget or the app.

    Returns:
        The bindings, in the order they are declared.
    """
    by_key: dict[str, list[Binding]] = {}
    for cls in reversed(type(node).__mro__):
        if not cls.__module__.startswith("tuipad."):
            continue
        declared: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            # One class may give a key two actions, each for its own state (teach's enter).
            declared.setdefault(binding.key, []).append(binding)
        by_key.update(declared)
    return [binding for bindings in by_key.values() for binding in bindings]


def _help_text(binding: Binding) -> str:
    return binding.tooltip or binding.description or binding.action


def _same_command(first: Binding, binding: Binding) -> bool:
    """Whether two bindings read as one help line: the same action (whatever its
    arguments, so ``0``..``9`` group) and the same help text."""
    return first.action.split("(")[0] == binding.action.split("(")[0] and _help_text(
        first
    ) == _help_text(binding)


def help_entries(app: App[object], bindings: list[Binding]) -> tuple[HelpEntry, ...]:
    """Bindings as help lines, neighbours that do the same thing on one line.

    The first binding of a group names the whole group when it has a ``key_display``
    (``0`` shown as ``0-9``); otherwise each key is shown.

    Args:
        app: Formats the keys.
        bindings: In the order they are declared.

    Returns:
        One entry per group.
    """
    groups: list[list[Binding]] = []
    for binding in bindings:
        if groups and _same_command(groups[-1][0], binding):
            groups[-1].append(binding)
        else:
            groups.append([binding])
    entries = []
    for group in groups:
        first = group[0]
        shown = [first] if first.key_display else group
        display = " ".join(app.get_key_display(binding) for binding in shown)
        keys = tuple(binding.key for binding in group)
        entries.append(HelpEntry(keys, display, _help_text(first)))
    return tuple(entries)


def _widget_name(widget: Widget) -> str:
    """``ConfusionMatrix`` as ``confusion matrix``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(widget).__name__).lower()


def help_sections(screen: Screen[object]) -> list[HelpSection]:
    """The keys of a screen, of the tuipad widgets on it, and of the app.

    Args:
        screen: A mounted screen.

    Returns:
        The sections, empty ones left out.
    """
    app = screen.app
    sections = [HelpSection("Keys", help_entries(app, declared_bindings(screen)))]
    seen: set[type[Widget]] = set()
    for widget in screen.walk_children(Widget):
        if type(widget) in seen:
            continue
        seen.add(type(widget))
        bindings = declared_bindings(widget)
        if bindings:
            title = f"When the {_widget_name(widget)} has focus"
            sections.append(HelpSection(title, help_entries(app, bindings)))
    everywhere = declared_bindings(app)
    palette = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    if palette is not None:
        everywhere.append(palette.binding)
    sections.append(HelpSection("Everywhere", help_entries(app, everywhere)))
    return [section for section in sections if section.entries]


def screen_title(screen: Screen[object]) -> str:
    """The first line of the screen's docstring, which says what it is for."""
    doc = type(screen).__doc__ or type(screen).__name__
    return doc.strip().splitlines()[0]


def reflowed(prose: str) -> str:
    """Prose as paragraphs of one line each, to be wrapped at the width it is shown at.

    Paragraphs are separated by a blank line; the other line breaks are only where
    the source wraps its lines.
    """
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in prose.strip().split("\n\n"))


def _key_table(entries: tuple[HelpEntry, ...]) -> Table:
    """Keys in one column, what they do in the other, wrapping within its column."""
    table = Table.grid(expand=True)
    table.add_column(min_width=KEYS_WIDTH + 2, no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for entry in entries:
        table.add_row(f"  {entry.display}", entry.text)
    return table


def help_page(screen: Screen[object]) -> Group:
    """A screen's help: what it is for, its notes, the keys.

    Args:
        screen: The screen the help is about.

    Returns:
        The parts, top to bottom, each wrapping to the width it is given.
    """
    parts: list[Text | Table] = [Text(screen_title(screen), style="bold")]
    if screen.HELP:
        parts.append(Text(f"\n{reflowed(screen.HELP)}"))
    for section in help_sections(screen):
        parts.append(Text(f"\n{section.title}", style="bold underline"))
        parts.append(_key_table(section.entries))
    parts.append(Text("\nescape closes this help", style="italic"))
    return Group(*parts)


class HelpScreen(ClosesOnce, ModalScreen[None]):
    """The keys of the screen beneath, and what it shows."""

    CSS_PATH = "help.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def __init__(self, about: Screen[object]) -> None:
        """Set up the help of a screen.

        Args:
            about: The screen whose keys to list.
        """
        super().__init__()
        self.about = about
        """The screen whose keys are listed."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            # At 80x24 the help is taller than the screen: the frame says how
            # to close it and that there is more, since the last lines are hidden.
            scroll.border_subtitle = "↑↓ scroll · escape closes"
            yield Static(help_page(self.about), id="help-text")
