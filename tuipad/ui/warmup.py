"""Warm the retrain's cache in the background the first time a session stores a sample.

A retrain with a cold cache renders the shipped pen digits twice over before
it fits, which takes several seconds.  Once the user stores a personal sample
(a correction, or teach mode) a retrain is likely, so the app renders them
ahead of time: in a Textual thread worker that only waits on a child process
(the context's runner) running :func:`tuipad.store.rows_cache.warm_cache_gently`
at ``nice`` 10.  The child checks whether the cache is warm and does nothing if
it is, or if another warm-up holds the cache's lock.

At most one warm-up is started per data directory per app (the context keeps
which).  Apps whose runner works in-thread (tests) start none: in-thread
rendering would hold the GIL.  Failures are logged to the ``tuipad.ui.warmup``
logger and never shown: the retrain renders the rows itself if it has to.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

    from tuipad.ui.context import AppContext

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())


def start(app: App[object], context: AppContext) -> bool:
    """Start warming the context's cache in a background worker, unless already started.

    Call from the UI thread.

    Args:
        app: The running app (its workers run the warm-up).
        context: Where the data lives and how work runs.

    Returns:
        Whether a warm-up was started.
    """
    if not context.runs_in_process:
        return False
    home = context.home.resolve()
    with context.warm_lock:
        if home in context.warmed:
            return False
        context.warmed.add(home)
    app.run_worker(
        lambda: _warm(context, home),
        name="warm training cache",
        group="warm-cache",
        thread=True,
        exit_on_error=False,
    )
    return True


def _warm(context: AppContext, home: Path) -> None:
    """The worker: run the warm-up in a child process; log, never raise."""
    from textual.worker import get_current_worker

    from tuipad.core.training import TrainingCancelled
    from tuipad.store import rows_cache

    worker = get_current_worker()
    try:
        done = context.runner(
            rows_cache.warm_cache_gently, home, should_stop=lambda: worker.is_cancelled
        )
    except TrainingCancelled:
        log.info("warming the training cache was stopped")
    except Exception as error:  # a cold cache only costs a retrain time
        log.warning("warming the training cache failed: %s", " ".join(str(error).split()))
    else:
        log.info("training cache warm" if done else "another warm-up was running")
