"""When a digit key on the sketchpad is a correction, and when it came with the mouse.

Under load or over SSH a mouse report split across reads reaches the input parser as
loose characters (``[<32;41;12M``), and its digits would become corrections that save a
wrongly labelled personal sample.  So the sketchpad ignores digit keys for a moment
after every mouse report, and while the button is held.  A digit the user typed in that
moment is ignored too (which one it was cannot be told surely), but said, so it is typed
again rather than missed; the loose characters of a report are not said, since the
user typed nothing: the parser makes them all at once, a burst no typing hand makes.
The app logs the keys as it takes them in (:mod:`tuipad.ui.key_log`), in the parser's
order, so by the time the app gets to a callback queued behind them the burst is there.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events

from tuipad.ui.key_log import KeyLog
from tuipad.ui.wording import a_digit

if TYPE_CHECKING:
    from textual.screen import Screen

DIGIT_GUARD = 0.15
"""Seconds after the last mouse report during which digit keys are ignored.  A person
rarely types a correction within this time of moving the mouse, and is told when they do."""

LOST_RELEASE = 1.0
"""Seconds without a mouse report after which a drag still in progress is taken to have
lost its release (a button let go outside the window, which many terminals never report):
a digit typed then ends the stroke and corrects, rather than being ignored until ``c``."""

BURST = 0.01
"""Seconds within which keys are one burst: the parser makes the characters of a split
report within microseconds of each other, while two keys typed by hand, even rolled
over, are tens of milliseconds apart."""

TOO_SOON = "Not saved as {digit}: typed as the mouse moved · type it again"
"""What an ignored digit key says after a mouse report."""

PEN_DOWN = "Not saved as {digit}: the pen is still down · lift it, then type the digit"
"""What an ignored digit key says while the button is held."""


class DigitGuard:
    """Tells the sketchpad which digit keys to ignore, and says so when the user typed one."""

    def __init__(self, screen: Screen[Any]) -> None:
        """Guard the digit keys of ``screen``, which shows the notices."""
        self._screen = screen
        self._last_mouse_report = -float("inf")
        self._pressed: tuple[str, float] | None = None

    def mouse_report(self) -> None:
        """Note a mouse report (each one, as it arrives)."""
        self._last_mouse_report = time.monotonic()

    def key_pressed(self, event: events.Key) -> None:
        """Note the key whose binding runs next (the screen's, on its way to it): the app
        logs keys ahead of their actions, so the log's latest may be a later one."""
        self._pressed = (event.key, event.time)

    @property
    def _keys(self) -> list[tuple[str, float]]:
        app = self._screen.app
        return app.recent_keys if isinstance(app, KeyLog) else []

    def ignores(self, label: int, *, pen_down: bool) -> bool:
        """Whether the digit key ``label`` just pressed came too soon after the mouse, or
        while the button is held; if the user typed it, they are told once its burst is in.

        Args:
            label: The digit of the key.
            pen_down: Whether the canvas still holds the mouse (a drag in progress).
        """
        quiet = time.monotonic() - self._last_mouse_report
        if quiet >= (LOST_RELEASE if pen_down else DIGIT_GUARD):
            return False
        pressed = self._pressed
        if pressed is not None and pressed[0] == str(label):
            notice = (PEN_DOWN if pen_down else TOO_SOON).format(digit=a_digit(label))
            # Queued behind the keys the parser made with it: the rest of a report's.
            self._screen.app.call_later(self._say_if_typed, pressed, notice)
        return True

    def _say_if_typed(self, pressed: tuple[str, float], notice: str) -> None:
        """Say ``notice`` unless the key came in a burst with others (a split report)."""
        if sum(abs(made - pressed[1]) < BURST for _key, made in self._keys) == 1:  # alone
            self._screen.notify(notice, timeout=4)
