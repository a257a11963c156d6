"""A text field whose editing keys act in the order they were typed.

Textual's ``Input`` inserts a printable key as soon as it arrives, but runs its
bindings (backspace, ``ctrl+u``, the arrows, enter) only once the key has gone
through its parents and back to the app.  Keys that reach the app in one terminal
read, as a fast hand or a bursty SSH link sends them, then act out of order:
``ctrl+u`` followed by a name deleted the name as well, and a backspace after a
typo rubbed out the letter typed after it.  :class:`TextField` runs its own
bindings as the key arrives, like the letters.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextField(Input):
    """An ``Input`` that runs its own key bindings at once, in turn with the letters."""

    async def _on_key(self, event: events.Key) -> None:
        for key in event.aliases:
            for binding in self._bindings.key_to_bindings.get(key, ()):
                self._restart_blink()  # as Input does for every key: the cursor shows
                # A skipped action (copy with nothing selected) lets the key go on, to
                # the app's ctrl+c for one.
                if await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
