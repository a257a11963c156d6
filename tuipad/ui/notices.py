"""How the app's notices behave: plain text, one of each, some only once, taken down when moot.

Textual has no public way to remove a single toast (only all of them, which
would also take down an adaptation's notice or an error), so this reaches into
the app's notifications.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notify, SeverityLevel

from tuipad.store.paths import Paths


class PlainNotices:
    """Mixed into the app (before :class:`~textual.app.App`): notices are never markup, and a
    notice repeated replaces the one still shown."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notice as plain text, whatever ``markup`` says: the paths and names in
        tuipad's notices are the user's, and "[/x]" in one must not break it."""
        app: App[object] = super()  # type: ignore[assignment]
        app.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def notify_once(self, message: str, *, title: str = "", timeout: float | None = None) -> None:
        """Show an information notice the first time only: a reminder said again after
        every correction would nag (a different message, naming another model, is new)."""
        said: set[str] = self.__dict__.setdefault("_said_once", set())
        if message not in said:
            said.add(message)
            self.notify(message, title=title, timeout=timeout)

    def on_notify(self, event: Notify) -> None:
        """Take down a notice still shown that the new one repeats, before Textual adds it:
        a key pressed again shows its notice once, for its full time, not a pile of copies."""
        app: App[object] = self  # type: ignore[assignment]
        new = event.notification
        said = (new.message, new.title, new.severity)
        for shown in list(app._notifications):
            if (shown.message, shown.title, shown.severity) == said:
                app._unnotify(shown, refresh=False)


def withdraw(app: App[object], message: str) -> None:
    """Take down the notices showing ``message``: a question answered, a warning made moot."""
    for shown in list(app._notifications):
        if shown.message == message:
            app._unnotify(shown)


DATA_PROBLEM = "Corrections and samples cannot be kept: {problem}"
"""What :func:`say_data_problem` says."""


def data_problem_said(app: App[Any], problem: str) -> bool:
    """Whether :func:`say_data_problem` is saying ``problem`` now (why adapting failed may be
    the unusable store it said at start)."""
    said = DATA_PROBLEM.format(problem=problem)
    return any(shown.message == said for shown in app._notifications)


def say_data_problem(app: App[Any], paths: Paths) -> None:
    """Say at once, not at the first save, that nothing can be kept: the data directory
    is unusable (from a worker's thread too: ``notify`` only posts a message)."""
    from tuipad.store.checks import data_problem

    if (problem := data_problem(paths)) is not None:
        app.notify(DATA_PROBLEM.format(problem=problem), severity="error", timeout=30)
