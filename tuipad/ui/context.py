"""What the app's screens share: where the data lives, the sample store, how work runs.

:func:`~tuipad.ui.app.make_app` builds one :class:`AppContext` and hands it to
the app, which passes it to each screen's constructor, as posting's
``make_posting`` resolves its locations once and injects them.  A screen
never looks these up on the app, so a test builds a context with another
home or an in-thread runner and gets the same screens.

Nothing here imports numpy at import time: the sketchpad's first frame
builds a context.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tuipad.store.paths import Paths

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.store.samples import SampleStore

T = TypeVar("T")


def run_in_process(
    target: Callable[..., T],
    /,
    *args: Any,
    progress: Callable[[str, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> T:
    """:func:`tuipad.background.run_in_process`, imported on first use.

    The background module imports the core (numpy), which the first frame
    must not wait for.
    """
    from tuipad import background

    return background.run_in_process(
        target, *args, progress=progress, should_stop=should_stop, **kwargs
    )


def run_in_thread(
    target: Callable[..., T],
    /,
    *args: Any,
    progress: Callable[[str, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> T:
    """:func:`tuipad.background.run_in_thread`, imported on first use."""
    from tuipad import background

    return background.run_in_thread(
        target, *args, progress=progress, should_stop=should_stop, **kwargs
    )


class SharedSampleStore:
    """The personal sample store, opened on first use and shared by every screen.

    Safe from any thread (the store locks each transaction, this class the
    opening), so workers call it.
    """

    def __init__(self, path: Path) -> None:
        """Remember where the store lives; nothing is opened yet.

        Args:
            path: The SQLite file.
        """
        self._path = path
        self._store: SampleStore | None = None
        self._lock = threading.Lock()

    def get(self) -> SampleStore:
        """The store, opened by the first call.

        Raises:
            StoreError: The database cannot be used (one-line message).
        """
        from tuipad.store.samples import SampleStore

        with self._lock:
            if self._store is None:
                self._store = SampleStore.open(self._path)
            return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


@dataclass(frozen=True)
class AppContext:
    """Paths, the shared sample store, the runner and settings the screens share.

    Attributes:
        paths: Every location under the user data directory.
        runner: Runs training in a child process (:func:`run_in_process`) or
            in the calling worker thread (:func:`run_in_thread`, for tests
            that monkeypatch the core).
        scribble_pause: Seconds the pen rests in scribble mode before writing
            is read, or ``None`` for scribble mode's default.
        unsaved: What each screen with work of its own would lose on quitting, by
            screen: a function giving it in a few words, or ``None`` when nothing.
    """

    paths: Paths
    runner: Runner = run_in_process
    scribble_pause: float | None = None
    unsaved: dict[str, Callable[[], str | None]] = field(default_factory=dict, compare=False)
    samples: SharedSampleStore = field(init=False, repr=False, compare=False)
    """The personal sample store, opened on first use."""

    def __post_init__(self) -> None:
        # Frozen: the one store for these paths is set once, here.
        object.__setattr__(self, "samples", SharedSampleStore(self.paths.samples))

    @property
    def home(self) -> Path:
        """The user data directory."""
        return self.paths.home

    @property
    def runs_in_process(self) -> bool:
        """Whether long work runs in a child process rather than the worker thread."""
        return self.runner is not run_in_thread

    def sample_store(self) -> SampleStore:
        """The personal sample store, opened on first use (any thread).

        Raises:
            StoreError: The database cannot be used (one-line message).
        """
        return self.samples.get()
