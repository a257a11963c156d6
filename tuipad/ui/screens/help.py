"""The help screen that ``?`` opens."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("c", "clear the canvas"),
    ("u  ctrl+z", "undo the last stroke"),
    ("ctrl+y", "redo"),
    ("e", "eraser on/off"),
    ("v", "show the 0..16 values of the 8x8"),
    ("ctrl+s  ctrl+o", "save / open a drawing (JSON)"),
    ("arrows  space", "move the cursor, pen down/up (no mouse needed)"),
    ("0-9", "wrong answer? type the right digit or click its bar"),
    ("ctrl+u", "undo that: delete the sample it saved"),
    ("T  b", "teach mode / browse your samples (relabel, delete)"),
    ("t", "training screen: Retrain with my samples"),
    ("s", "scribble mode: write whole numbers anywhere"),
    ("ctrl+p", "command palette"),
    ("?", "this help"),
    ("q", "quit"),
)
"""The keys the sketchpad answers to, as (keys, what they do)."""

ABOUT = """\
Draw one digit with the mouse. The panel shows what the model reads,
live, and settles when you lift the pen. Its 8x8 grid is the 0..16 ink
counts the model received: the drawing is normalised the way the
scanned training digits were.

Saved drawings are {"strokes": [[[x, y], ...], ...]}, which
tuipad predict FILE reads. In tmux, mouse drawing needs
set -g mouse on. Over SSH only the cells that change are sent.
"""
"""What the panel means, and the practical notes."""


def help_text(
    title: str = "tuipad keys",
    entries: tuple[tuple[str, str], ...] = KEYS,
    about: str = ABOUT,
) -> Text:
    """A help page as one block of text: the keys, then the notes.

    Args:
        title: First line.
        entries: ``(keys, what they do)`` pairs.
        about: Notes below the keys.

    Returns:
        The styled text.
    """
    text = Text()
    text.append(f"{title}\n\n", style="bold")
    for keys, action in entries:
        text.append(f"  {keys:<16}", style="bold")
        text.append(f"{action}\n")
    text.append("\n")
    text.append(about)
    text.append("\nescape closes this help", style="italic")
    return text


class HelpScreen(ModalScreen[None]):
    """Keys and what the panel means."""

    CSS_PATH = "help.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            # At 80x24 the help is taller than the screen: the frame says how
            # to close it and that there is more, since the last lines are hidden.
            scroll.border_subtitle = "↑↓ scroll · escape closes"
            yield Static(help_text())
