"""Taking down one notice that no longer holds, leaving the others.

Textual has no public way to remove a single toast (only all of them, which
would also take down an adaptation's notice or an error), so this reaches into
the app's notifications, as :meth:`TuipadApp.on_notify` does.
"""

from __future__ import annotations

from textual.app import App


def withdraw(app: App[object], message: str) -> None:
    """Take down the notices showing ``message``: a question answered, a warning made moot."""
    for shown in list(app._notifications):
        if shown.message == message:
            app._unnotify(shown)
