"""The training screen's background work: train a family, retrain with the personal samples,
make a saved model active.

Each function runs in a thread worker the screen starts
(:meth:`~textual.dom.DOMNode.run_worker` with ``thread=True``) and talks back
only through ``post``, the screen's thread-safe ``post_message``: nothing here
touches a widget or a reactive.  Training goes through the context's runner,
in a child process (:func:`tuipad.background.run_in_process`): in a thread it
would hold the GIL long enough to delay the sketchpad's answer.  Progress is
posted coalesced (only the latest is kept); cancelling sets the worker's flag,
which the runner polls, terminating the child.  Apps whose runner works
in-thread run the core in the worker thread instead (tests that monkeypatch
the core).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from tuipad.ui.messages import ModelLoaded
from tuipad.ui.screens.train.messages import (
    ActivationDone,
    AdaptedToAll,
    EvaluationReady,
    NothingToRetrain,
    PersonalTrained,
    TrainingFinished,
    TrainingProgress,
    TrainingStopped,
)
from tuipad.ui.wording import failure_text

if TYPE_CHECKING:
    from textual.message import Message

    from tuipad.background import Runner
    from tuipad.core.families import TrainingSpec
    from tuipad.store.paths import Paths
    from tuipad.store.samples import SampleStore

Post = Callable[["Message"], object]
"""A thread-safe ``post_message``: where a run reports."""


def _worker_hooks(
    worker: Worker[None], post: Post
) -> tuple[Callable[[], bool], Callable[..., None]]:
    """``should_stop`` and ``progress`` for a run in ``worker``'s thread.

    Progress is posted as a message (never set from the thread), and stops
    once the worker is cancelled.
    """

    def stopped() -> bool:
        return worker.is_cancelled

    def progress(stage: str, fraction: float, stage_end: float | None = None) -> None:
        if not worker.is_cancelled:
            end = fraction if stage_end is None else stage_end
            post(TrainingProgress(worker, stage, fraction, end))

    return stopped, progress


def train(
    post: Post, spec: TrainingSpec, name: str, strokes: str | None, paths: Paths, runner: Runner
) -> None:
    """Train, test on the drawn digits, save; post what happened.

    Args:
        post: Where to report.
        spec: What to train.
        name: Name to save the model under.
        strokes: A strokes file to test on as well, or ``None``.
        paths: Where the model is saved.
        runner: Runs the training (in a child process, or here).
    """
    from tuipad import services
    from tuipad.core.training import TrainingCancelled
    from tuipad.store.formats import read_drawn_digits

    worker: Worker[None] = get_current_worker()
    stopped, progress = _worker_hooks(worker, post)
    try:
        try:
            drawn = None if strokes is None else read_drawn_digits(strokes)
        except ValueError as error:  # one line already, in tuipad eval's words
            post(TrainingStopped(worker, str(error)))
            return
        trained = services.train_and_save(
            paths,
            spec,
            name,
            drawn=drawn,
            progress=progress,
            should_stop=stopped,
            runner=runner,
        )
    except TrainingCancelled:
        post(TrainingStopped(worker))
        return
    except Exception as error:  # any failure must reach the user, not kill the app
        post(TrainingStopped(worker, failure_text(error)))
        return
    post(TrainingFinished(worker, trained.result, trained.drawn, trained.manifest))


def retrain(
    post: Post, paths: Paths, sample_store: Callable[[], SampleStore], runner: Runner
) -> None:
    """Adapt the shipped model to the personal samples, save the result and make it active.

    Args:
        post: Where to report.
        paths: Where the model is saved.
        sample_store: Opens the personal samples (here, in the worker's thread).
        runner: Runs the fitting (in a child process, or here).
    """
    from tuipad import services
    from tuipad.core.training import TrainingCancelled

    worker: Worker[None] = get_current_worker()
    stopped, progress = _worker_hooks(worker, post)
    try:
        store = sample_store()
        # Here, not on the screen: it reads every sample, a thread's work with thousands.
        if (adapted := services.adapted_active(paths, store)) is not None:
            post(NothingToRetrain(worker, adapted, len(store)))
            return
        result, manifest = services.retrain_personal(
            paths, store, progress=progress, should_stop=stopped, runner=runner
        )
    except TrainingCancelled:
        post(TrainingStopped(worker))
        return
    except Exception as error:  # any failure must reach the user, not kill the app
        post(TrainingStopped(worker, failure_text(error, typed=False)))
        return
    post(PersonalTrained(worker, result, manifest))


def activate(
    post: Post,
    post_to_app: Post,
    name: str,
    paths: Paths,
    sample_store: Callable[[], SampleStore],
) -> None:
    """Load a saved model, make it the active one and hand it to the app.

    Args:
        post: Where to report.
        post_to_app: The app's ``post_message``, which takes the loaded model.
        name: The model.
        paths: Where the user's models are.
        sample_store: Opens the personal samples, to say what the model does with them.
    """
    from tuipad import services
    from tuipad.services.adapting import drawn_note, samples_note
    from tuipad.store.files import describe_os_error
    from tuipad.store.registry import ModelError
    from tuipad.store.samples import StoreError

    try:
        model = services.activate(paths, name)
    except ModelError as error:
        post(ActivationDone(name, str(error)))
        return
    except OSError as error:  # the setting cannot be written: a read-only or full disk
        post(ActivationDone(name, describe_os_error(error)))
        return
    post_to_app(ModelLoaded(model))
    try:
        note = samples_note(paths, sample_store(), model.manifest)
    except StoreError:  # the active model is in place all the same; the store says so elsewhere
        note = ""
    post(ActivationDone(name, note="; ".join(filter(None, [drawn_note(model.manifest), note]))))


def evaluate(post: Post, name: str, paths: Paths) -> None:
    """Read the test a saved model keeps; post it.

    Args:
        post: Where to report.
        name: The model.
        paths: Where the user's models are.
    """
    from tuipad import services

    try:
        held_out = services.held_out(paths, name)
    except Exception as error:  # any failure must reach the user, not kill the app
        post(EvaluationReady(name, None, failure_text(error)))
        return
    why = services.why_no_report(paths, name) if held_out is None else ""
    if not get_current_worker().is_cancelled:
        post(EvaluationReady(name, held_out, why))


def adapted_to_all(post: Post, paths: Paths, sample_store: Callable[[], SampleStore]) -> None:
    """Post whether the active model is adapted to every personal sample already (which
    reads every sample: a thread's work with thousands); only if it is."""
    from tuipad import services
    from tuipad.store.samples import StoreError

    try:
        store = sample_store()
        count, adapted = len(store), services.adapted_active(paths, store)
    except StoreError:  # the count said so
        return
    if adapted is not None and not get_current_worker().is_cancelled:
        post(AdaptedToAll(adapted, count))
