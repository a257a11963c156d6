"""Ask for a second press before a destructive key or button does its work.

The training screen's Delete button and the browse screen's Delete key both
delete on the second press of the same target within
:data:`DELETE_CONFIRM_SECONDS`; each says so in its own way (a label, a
notification).
"""

from __future__ import annotations

import time
from collections.abc import Hashable

DELETE_CONFIRM_SECONDS = 4.0
"""How long a first press of Delete waits for the second that deletes."""


class PressTwice:
    """Remembers the first press on a target; the second one within the time confirms."""

    def __init__(self, seconds: float = DELETE_CONFIRM_SECONDS) -> None:
        """Set up an unarmed confirmation.

        Args:
            seconds: How long a first press waits for the second.
        """
        self.seconds = seconds
        """How long a first press waits for the second."""
        self._armed: tuple[Hashable, float] | None = None

    def press(self, target: Hashable, now: float | None = None) -> bool:
        """Record a press on ``target``.

        Args:
            target: What the press would act on (a model name, a sample id).
            now: The time of the press (default: ``time.monotonic()``).

        Returns:
            Whether this press confirms one just before on the same target
            (the caller acts); else it arms and the caller asks again.
        """
        now = time.monotonic() if now is None else now
        armed, self._armed = self._armed, (target, now)
        if armed is None or armed[0] != target or now - armed[1] > self.seconds:
            return False
        self._armed = None
        return True

    def disarm(self) -> None:
        """Forget a first press (the cursor moved, the time ran out)."""
        self._armed = None
