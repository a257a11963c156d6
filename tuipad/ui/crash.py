"""A bug inside the running app ends it with one line, as the command line's bugs do.

Textual prints the whole traceback of an error raised in the app, with its
locals, after the app ends.  Unless ``TUIPAD_DEBUG`` is set (the tests set it),
the user gets one line asking to report the bug instead.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from rich.text import Text

if TYPE_CHECKING:
    from textual.app import App

    _App = App[Any]
else:
    _App = object  # a plain mixin at run time, put before the App class

DEBUG_VARIABLE = "TUIPAD_DEBUG"
"""Set (not to 0), the traceback is shown: the same switch as the command line's."""


class OneLineCrash(_App):
    """Say an error inside the app in one line when it ends the app."""

    def _fatal_error(self) -> None:
        if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
            super()._fatal_error()
            return
        error = sys.exc_info()[1]  # Textual calls this while handling the error
        name = type(error).__name__
        said = "".join(c if c.isprintable() else " " for c in str(error))  # no escapes
        said = " ".join(said.split())
        self.bell()
        self.panic(
            Text(
                f"tuipad: internal error: {f'{name}: {said}' if said else name}. This is a bug"
                f" in tuipad: please report it with what you did ({DEBUG_VARIABLE}=1 shows the"
                " traceback)"
            )
        )
