"""Scribble mode's help: its keys and how writing is grouped into digits and numbers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuipad.ui.screens.help import HelpScreen, help_text

KEYS = (
    ("mouse", "write anywhere; it is read after a pause"),
    ("tab  shift+tab", "select the next / previous digit (or right-click)"),
    ("arrows", "move the selected digit (else: the cursor)"),
    ("0-9", "relabel it (kept as a personal sample)"),
    ("x  delete", "erase the selected digit"),
    ("escape", "unselect"),
    ("u  ctrl+z", "undo the last stroke, erase, move or relabel"),
    ("ctrl+y", "redo"),
    ("c", "clear the page"),
    ("ctrl+s  ctrl+o", "save / open the page (JSON)"),
    ("s", "back to the sketchpad"),
    ("?  q", "this help / quit"),
)
"""The keys scribble mode answers to, as (keys, what they do)."""

ABOUT = """\
Strokes written one after another over the same columns are one digit,
so a 4 or a 5 in two strokes stays whole. Digits on a line with small
gaps are one number, read left to right. Hover over a digit or select
it to see its scores.
"""
"""How writing is grouped, and where the scores are."""


class ScribbleHelpScreen(HelpScreen):
    """Scribble mode's keys."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text("Scribble mode", KEYS, ABOUT))
