"""The keys the app took in lately, in the order the input parser made them.

A screen's key handler sees a key only when its turn comes, after earlier keys' actions;
the app sees each as the parser hands it over.  The sketchpad's digit guard
(:mod:`tuipad.ui.screens.digit_guard`) asks whether a digit came alone or with the rest
of a mouse report split across reads, which only this order can tell.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App

    _App = App[Any]
else:
    _App = object  # a plain mixin at run time, put before the App class

KEPT = 16
"""Keys kept: more than a split mouse report has characters."""


class KeyLog(_App):
    """Mixed into the app: the keys the parser made lately, logged as the app takes them in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recent_keys: deque[tuple[str, float]] = deque(maxlen=KEPT)
        """``(key, when the parser made it)``, oldest first."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # not as it bubbles back
            self.recent_keys.append((event.key, event.time))
        await super().on_event(event)
