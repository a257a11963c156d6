"""The help screen that ``?`` opens."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# tuipad

Draw one digit on the canvas with the mouse; the panel shows what the model
reads, live, and settles when you lift the pen.

| Key | Does |
| --- | --- |
| `c` | clear the canvas |
| `u` / `ctrl+z` | undo the last stroke |
| `ctrl+y` | redo |
| `e` | eraser on/off |
| `v` | show the 8x8 values |
| `ctrl+s` / `ctrl+o` | save / open a drawing (JSON) |
| arrows, `space` | move the cursor, pen down/up (no mouse needed) |
| `ctrl+p` | command palette |
| `?` | this help |
| `q` | quit |

The panel shows the 8x8 grid of 0..16 ink counts the model received: the
canvas is normalised to it the way the scanned training digits were.

Saved drawings are `{"strokes": [[[x, y], ...], ...]}`, which
`tuipad predict FILE` reads.

In tmux, mouse drawing needs `set -g mouse on`. Over SSH only the cells that
change are sent, so drawing stays responsive on slow links.

Press `escape` to close.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and what the panel means."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
