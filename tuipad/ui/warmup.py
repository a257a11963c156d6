"""Warm the retrain's cache in the background the first time a session stores a sample.

A retrain with a cold cache renders the 10,572 shipped pen digits twice
over before it fits (about 14 s).  Once the user stores a personal sample
(a correction, or teach mode) a retrain is likely, so the app renders them
ahead of time: in a Textual thread worker that only waits on a spawned child
process (:func:`tuipad.background.run_in_process`) running
:func:`tuipad.store.rows_cache.warm_cache_gently` at ``nice`` 10.  The child checks
whether the cache is warm and does nothing if it is, or if another warm-up
holds the cache's lock.

At most one warm-up is started per data directory per session.  Apps built
with ``run_in_process=False`` (tests) start none: in-thread rendering would
hold the GIL.  Failures are logged to the ``tuipad.ui.warmup`` logger and never
shown: the retrain renders the rows itself if it has to.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

_lock = threading.Lock()
_started: set[Path] = set()


def start(app: App[object], home: Path) -> bool:
    """Start warming ``home``'s cache in a background worker, unless already started.

    Call from the UI thread.

    Args:
        app: The running app (its workers run the warm-up; its
            ``run_in_process`` attribute, when false, disables it).
        home: The user data directory.

    Returns:
        Whether a warm-up was started.
    """
    if not getattr(app, "run_in_process", True):
        return False
    key = Path(home).resolve()
    with _lock:
        if key in _started:
            return False
        _started.add(key)
    app.run_worker(
        lambda: _warm(key),
        name="warm training cache",
        group="warm-cache",
        thread=True,
        exit_on_error=False,
    )
    return True


def _warm(home: Path) -> None:
    """The worker: run the warm-up in a child process; log, never raise."""
    from textual.worker import get_current_worker

    from tuipad import background
    from tuipad.core.training import TrainingCancelled
    from tuipad.store import rows_cache

    worker = get_current_worker()
    try:
        done = background.run_in_process(
            rows_cache.warm_cache_gently, home, should_stop=lambda: worker.is_cancelled
        )
    except TrainingCancelled:
        log.info("warming the training cache was stopped")
    except Exception as error:  # a cold cache only costs a retrain time
        log.warning("warming the training cache failed: %s", " ".join(str(error).split()))
    else:
        log.info("training cache warm" if done else "another warm-up was running")


def forget() -> None:
    """Forget which directories were warmed this session (tests)."""
    with _lock:
        _started.clear()
