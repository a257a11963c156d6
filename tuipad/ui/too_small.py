"""One "enlarge the terminal" message for every screen, kept by the app.

Below a screen's minimum size its layout breaks (cut labels, a panel off the
edge), so the app hides the screen's widgets and shows what size it needs
instead.  The screen and its state stay as they are: growing the terminal
shows them again.  A screen states its minimum in ``MIN_SIZE``; dialogs
(modal screens) are checked through the screen under them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App

    _App = App[Any]
else:
    _App = object  # a plain mixin at run time, put before the App class

MIN_SIZE = (80, 24)
"""The size a screen needs unless it says otherwise: the terminal tuipad is designed for."""

TOO_SMALL_CLASS = "-too-small"
"""The screen class that hides its widgets and shows :class:`TooSmall` (see tuipad.tcss)."""


class TooSmall(Static):
    """The message a screen shows instead of its widgets while the terminal is too small."""


def minimum_size(screen: Screen[Any]) -> tuple[int, int]:
    """The columns and rows ``screen`` needs (its ``MIN_SIZE``, else :data:`MIN_SIZE`)."""
    minimum: tuple[int, int] = getattr(type(screen), "MIN_SIZE", MIN_SIZE)
    return minimum


def leave_key(screen: Screen[Any]) -> str | None:
    """The key that leaves ``screen`` for the one it came from (its ``LEAVE_KEY``), if any."""
    key: str | None = getattr(type(screen), "LEAVE_KEY", None)
    return key


def too_small_text(minimum: tuple[int, int], size: Size, leave: str | None = None) -> str:
    """What the message says: the size needed, the size there is, that nothing is lost,
    which key leaves the screen (the sketchpad needs less room than the others) and that
    help still opens over it."""
    back = f"; {leave} leaves this screen" if leave else ""
    # A line a thought: wrapped by the width alone, a size would break off from its words.
    return (
        f"Enlarge the terminal.\nThis screen needs at least {minimum[0]}×{minimum[1]};"
        f" this one is {size.width}×{size.height}.\nNothing is lost meanwhile{back};"
        " ? shows its keys."
    )


def fit_screen(screen: Screen[Any], size: Size) -> None:
    """Show ``screen``, or the message in its place if ``size`` is below its minimum.

    Args:
        screen: A screen of the app (modal screens are left alone).
        size: The terminal's size.
    """
    if isinstance(screen, ModalScreen):
        return
    minimum = minimum_size(screen)
    small = size.width < minimum[0] or size.height < minimum[1]
    screen.set_class(small, TOO_SMALL_CLASS)
    if not small:
        return
    text = too_small_text(minimum, size, leave_key(screen))
    messages = screen.query_children(TooSmall)
    if messages:
        messages.first().update(text)
    else:
        screen.mount(TooSmall(text, id="too-small"))


QUIT_KEYS = ("q", "ctrl+q", "ctrl+c")
"""Keys that still reach a screen hidden behind the message: quitting (which asks first
while there is work to lose) needs no sight of the screen, nor does its leave key."""


def held_back(screen: Screen[Any], event: events.Event) -> bool:
    """Whether a key or mouse event must not reach ``screen`` because the message hides it.

    The message says nothing is lost meanwhile, so nothing may change unseen: a
    ``c`` would clear a page the user cannot see, a drag draw a stroke off the screen.
    """
    if not isinstance(event, events.InputEvent) or not screen.has_class(TOO_SMALL_CLASS):
        return False
    keys = (*QUIT_KEYS, leave_key(screen))
    return not (isinstance(event, events.Key) and event.key in keys)


HELP_KEY = "question_mark"
"""The key that opens help: over the message it still shows the keys of the hidden screen."""


class HoldsBackHidden(_App):
    """Mixed into the app: input for a screen the message hides is held back, except the
    keys :func:`held_back` lets through and ``?``, whose help changes nothing unseen."""

    async def on_event(self, event: events.Event) -> None:
        stack = self.screen_stack  # empty until the first screen is up
        if not (stack and held_back(stack[-1], event)):
            await super().on_event(event)
        elif isinstance(event, events.Key) and event.key == HELP_KEY:
            # Run, not passed on: a widget of the hidden screen may still hold the focus.
            await self.run_action("help")
