"""Adapting the active model in the background after the user adds samples.

The sketchpad and teach mode post :class:`SamplesChanged`, which bubbles to
the app; the app feeds it to an :class:`AdaptationScheduler`, which decides
when a job runs, and runs :func:`adapt` in a thread worker for it.

The scheduler is plain Python over three callables (start a timer, start a
job, say whether other work is busy), so its timing is tested without an
app.  Its rules:

* debounced: each change restarts a ``delay``-second timer, so a burst of
  corrections gives one job, started once the user pauses;
* one job at a time: a change during a job marks one more run after it,
  however many changes come;
* it waits (re-arming the timer) while the training screen or the model
  load is busy, and starts nothing while turned off;
* turned on again, it runs what is waiting: changes made while it was off,
  and a job that turning it off cancelled or kept from starting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.message import Message
from textual.worker import get_current_worker

from tuipad.ui.messages import ModelLoaded

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.store.paths import Paths
    from tuipad.store.registry import LoadedModel
    from tuipad.store.samples import SampleStore

ADAPT_DELAY = 3.0
"""Seconds after the last new sample before adapting: long enough to type a few corrections
in a row, short enough that the fix arrives while the user still remembers making it."""


def switched_text(on: bool, model: LoadedModel | None) -> str:
    """What turning adapting in the background on or off means, with ``model`` in use."""
    from tuipad.services.adapting import may_replace

    if on and model is not None and not may_replace(model.manifest):
        state = f"on, but not for {model.name}, a model you chose"
    elif on:
        state = "on: the model adapts to new samples a few seconds after you add them"
    else:
        state = "off: Retrain on the training screen (t) uses your samples"
    return f"Adapting in the background is {state}"


class Stoppable(Protocol):
    """A pending timer (Textual's :class:`~textual.timer.Timer`)."""

    def stop(self) -> None: ...


@dataclass
class SamplesChanged(Message):
    """The user added, relabelled or removed personal samples: the model may adapt."""


@dataclass
class AdaptationDone(Message):
    """A background adaptation ended; a new active model was posted before this if it worked."""

    notice: str | None = None
    """What the new active model measured, or ``None`` if none was made."""

    error: str | None = None
    """One line saying why it failed (the previous model stays active)."""

    kept: str | None = None
    """Why the active model, one the user chose, was left as it is."""

    changed: str | None = None
    """The model made active outside the app while it read with another."""


class AdaptationScheduler:
    """When to adapt: debounced after changes, one job at a time, never while busy."""

    def __init__(
        self,
        *,
        set_timer: Callable[[float, Callable[[], None]], Stoppable],
        start_job: Callable[[], bool],
        busy: Callable[[], bool],
        delay: float = ADAPT_DELAY,
        enabled: bool = True,
    ) -> None:
        """Set up an idle scheduler.

        Args:
            set_timer: Calls the callback once after that many seconds.
            start_job: Starts a job if the active model may be adapted; says whether it did.
                The caller reports its end with :meth:`job_finished`.
            busy: Whether other work that must not overlap a job is running.
            delay: Seconds of quiet after the last change before a job starts.
            enabled: Whether changes lead to jobs at all.
        """
        self._set_timer = set_timer
        self._start_job = start_job
        self._busy = busy
        self._delay = delay
        self._enabled = enabled
        self._timer: Stoppable | None = None
        self._running = False
        self._again = False
        self._waiting = False

    @property
    def enabled(self) -> bool:
        """Whether changes lead to jobs."""
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        was_on, self._enabled = self._enabled, on
        if not on:
            # The caller cancels a running job, so its changes are not adapted to either.
            self._waiting = self._waiting or self.pending or self._running
            self._again = False
            self._stop_timer()
        elif not was_on and self._waiting:
            self._waiting = False
            self.samples_changed()

    @property
    def running(self) -> bool:
        """Whether a job is running."""
        return self._running

    @property
    def pending(self) -> bool:
        """Whether a job is due: the timer is armed, or another run follows the current one."""
        return self._timer is not None or self._again

    def samples_changed(self) -> None:
        """Note a change: (re)start the quiet period, or queue one more run after the job."""
        if not self._enabled:
            self._waiting = True  # for when it is turned on again
            return
        if self._running:
            self._again = True
            return
        self._stop_timer()
        self._timer = self._set_timer(self._delay, self._due)

    def job_finished(self) -> None:
        """The job ended (whatever its outcome): run again if changes came meanwhile."""
        self._running = False
        if self._again:
            self._again = False
            self.samples_changed()

    def _due(self) -> None:
        self._timer = None
        if not self._enabled:
            return
        if self._busy():
            self._timer = self._set_timer(self._delay, self._due)
            return
        self._running = self._start_job()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


def adapt(
    post: Callable[[Message], object],
    paths: Paths,
    sample_store: Callable[[], SampleStore],
    runner: Runner,
    replaces: str,
    chosen: bool = False,
) -> None:
    """Adapt to the stored samples and hand the new model to the app (in a thread worker).

    Posts :class:`~tuipad.ui.messages.ModelLoaded` with the new model, then
    :class:`AdaptationDone` whatever happened, so the app can schedule again.
    Unless it was cancelled or failed, or another model became active, the change
    it adapted to is no longer pending (:mod:`tuipad.store.pending`).

    Args:
        post: The app's thread-safe ``post_message``.
        paths: The user data directory.
        sample_store: Opens the personal samples (here, in the worker's thread).
        runner: Runs the fit (in a child process, or here).
        replaces: The active model's name when the job started.
        chosen: That model is one the user chose (only checked, never replaced).
    """
    from tuipad.core.training import TrainingCancelled
    from tuipad.services.adapting import ActiveModelChanged, ModelChosen, adapt_active
    from tuipad.store.pending import clear_pending, pending_token
    from tuipad.ui.wording import failure_text

    worker = get_current_worker()
    token = pending_token(paths.adapt_pending)
    try:
        adapted = adapt_active(
            paths,
            sample_store(),
            replaces,
            chosen=chosen,
            should_stop=lambda: worker.is_cancelled,
            runner=runner,
        )
    except TrainingCancelled:  # still pending: the next run adapts
        post(AdaptationDone())
        return
    except ModelChosen as kept:  # still pending: for when a model tuipad may adapt is active
        post(AdaptationDone(kept=str(kept)))
        return
    except ActiveModelChanged as changed:  # still pending: the app reads with that model first
        post(AdaptationDone(changed=changed.name))
        return
    except Exception as error:  # any failure must reach the user, not kill the app
        post(AdaptationDone(error=failure_text(error, typed=False)))
        return
    clear_pending(paths.adapt_pending, token)
    if adapted is None:
        post(AdaptationDone())
        return
    post(ModelLoaded(adapted.model))
    post(AdaptationDone(notice=adapted.notice))
