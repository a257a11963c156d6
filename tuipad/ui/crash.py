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
        error = sys.exc_info()[1]
        said = " ".join(str(error).split()) or type(error).__name__
        self.bell()
        self._exit_renderables.append(
            Text(
                f"tuipad: internal error: {type(error).__name__}: {said}. This is a bug in"
                f" tuipad: please report it with what you did ({DEBUG_VARIABLE}=1 shows the"
                " traceback)"
            )
        )
        self._close_messages_no_wait()
