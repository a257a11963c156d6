"""Screens that close once, however many closing keys come in one burst.

Keys read from the terminal in one burst (an app stalled for a moment, SSH
buffering, a double click) are all queued for the screen in front before the
first of them closes it.  Without a guard the second Enter or escape closes
the screen below as well, or fails when there is none left, ending the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.await_complete import AwaitComplete

if TYPE_CHECKING:
    from textual.screen import Screen

    _Screen = Screen[Any]
else:
    # A plain mixin at run time: Textual takes a screen's CSS and bindings from its
    # first base that is a widget, which must stay the screen class it names.
    _Screen = object


class ClosesOnce(_Screen):
    """Put first among a screen's bases: closing it again once it is not in front does nothing."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close with ``result``, unless closed already: then nothing happens."""
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)
