"""The keys the app took in lately, in the order the input parser made them, and the key
whose bindings are running.

A screen's key handler sees a key only when its turn comes, after earlier keys' actions;
the app sees each as the parser hands it over.  The sketchpad's digit guard
(:mod:`tuipad.ui.screens.digit_guard`) asks whether a digit came alone or with the rest
of a mouse report split across reads, which only this order can tell.

A key's bindings run when the key has gone through the focused widget and its parents
and come back to the app, while mouse reports parsed after it may already have been
handled: :func:`typed_at` tells an action when the app took its key in, so the canvas can
put the change before the strokes begun after it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from textual import events
from textual._time import get_time  # the clock of Textual's event times, see typed_at

if TYPE_CHECKING:
    from textual.app import App

    _App = App[Any]
else:
    _App = object  # a plain mixin at run time, put before the App class

KEPT = 16
"""Keys kept: more than a split mouse report has characters."""


_TYPED_AT: ContextVar[tuple[asyncio.Task[Any] | None, float] | None] = ContextVar(
    "typed_at", default=None
)
"""The task running a key's bindings, and when the app took the key in."""


def typed_at() -> float | None:
    """When the app took in the key whose bindings are running, or ``None`` if none are
    (a click, the command palette or a timer asked for the action: now).

    On the clock of Textual's event times: the mouse reports the app hands on to a widget
    are stamped as it does, so a press's ``time`` tells whether it came after the key.
    Not the key's own ``time``, its parse time: every event of one read is parsed before
    the app takes in the first.
    """
    typed = _TYPED_AT.get()
    # A screen a key opens starts its tasks within the bindings, and they copy the
    # variable: only the task that set it is running the key's bindings.
    if typed is None or typed[0] is not asyncio.current_task():
        return None
    return typed[1]


class KeyLog(_App):
    """Mixed into the app: the keys the parser made lately, logged as the app takes them in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._taken: deque[tuple[events.Key, float]] = deque(maxlen=KEPT)
        """``(key, when the app took it in)``, found again by identity as it bubbles back."""

    @property
    def recent_keys(self) -> list[tuple[str, float]]:
        """``(key, when the parser made it)``, oldest first."""
        return [(key.key, key.time) for key, _taken_at in self._taken]

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if not event.is_forwarded:  # not as it bubbles back
            self._taken.append((event, get_time()))
        taken_at = next((at for key, at in self._taken if key is event), None)
        # Not an attribute: only this task's bindings may see the key (see typed_at).
        token = _TYPED_AT.set(None if taken_at is None else (asyncio.current_task(), taken_at))
        try:
            await super().on_event(event)
        finally:
            _TYPED_AT.reset(token)
