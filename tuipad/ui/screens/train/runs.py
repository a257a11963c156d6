"""The training screen's runs: training a family, and retraining with the personal samples.

Thread workers run the core through the context's runner, in a child process
(:func:`tuipad.background.run_in_process`): in a thread, training would hold
the GIL long enough to delay the sketchpad's answer.  The worker only waits,
posts progress (coalesced: only the latest is kept), then saves the model
through :mod:`tuipad.services` and posts the result; nothing in the thread
touches a widget or a reactive.  Cancelling sets the worker's flag, which the
runner polls, terminating the child.  Apps whose runner works in-thread run
the core in the worker thread instead (tests that monkeypatch the core).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import Button, ProgressBar, Static, TabbedContent
from textual.worker import Worker, get_current_worker

from tuipad.ui.messages import ModelLoaded
from tuipad.ui.screens.train.formatting import personal_summary
from tuipad.ui.screens.train.history import ModelsTab
from tuipad.ui.screens.train.messages import (
    PersonalTrained,
    TrainingFinished,
    TrainingProgress,
    TrainingStopped,
)
from tuipad.ui.screens.train.report import ReportTabs

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.core.families import TrainingSpec
    from tuipad.core.training import TrainingResult
    from tuipad.store.paths import Paths
    from tuipad.store.registry import Manifest


class TrainingRuns(ReportTabs, ModelsTab):
    """The workers of :class:`~tuipad.ui.screens.train.TrainScreen` and what they report."""

    _worker: Worker[None] | None
    _fresh: tuple[Any, Manifest] | None
    result: TrainingResult | None
    """The latest finished training."""

    @property
    def training(self) -> bool:
        """Whether a training is running."""
        return self._worker is not None

    def _set_running(self, running: bool) -> None:
        self.query_one("#train", Button).disabled = running
        self.query_one("#retrain", Button).disabled = running
        self.query_one("#cancel", Button).disabled = not running
        self.refresh_bindings()

    def _worker_hooks(
        self, worker: Worker[None]
    ) -> tuple[Callable[[], bool], Callable[[str, float], None]]:
        """``should_stop`` and ``progress`` for a training run in ``worker``'s thread.

        Progress is posted as a message (never set from the thread), and
        stops once the worker is cancelled.
        """

        def stopped() -> bool:
            return worker.is_cancelled

        def progress(stage: str, fraction: float) -> None:
            if not worker.is_cancelled:
                self.post_message(TrainingProgress(worker, stage, fraction))

        return stopped, progress

    @work(thread=True, exclusive=True, exit_on_error=False, group="train")
    def run_training(
        self, spec: TrainingSpec, name: str, strokes: str | None, paths: Paths, runner: Runner
    ) -> None:
        """Train, test on the drawn digits, save; post what happened.

        Args:
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
        stopped, progress = self._worker_hooks(worker)

        try:
            drawn = None
            if strokes is not None:
                try:
                    drawn = read_drawn_digits(strokes)
                except (OSError, ValueError) as error:
                    raise ValueError(f"{strokes}: {error}") from None
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
            self.post_message(TrainingStopped(worker))
            return
        except Exception as error:  # any failure must reach the user, not kill the app
            self.post_message(TrainingStopped(worker, f"{type(error).__name__}: {error}"))
            return
        self.post_message(TrainingFinished(worker, trained.result, trained.drawn, trained.manifest))

    def on_training_progress(self, message: TrainingProgress) -> None:
        if message.worker is not self._worker:
            return
        self.query_one("#progress", ProgressBar).update(progress=message.fraction)
        self.query_one("#stage", Static).update(f"{message.stage} {message.fraction:.0%}")

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if message.worker is not self._worker:
            return
        self._worker = None
        self._set_running(False)
        self.query_one("#stage", Static).update(
            f"Training failed: {message.error}" if message.error else "Training cancelled."
        )
        if message.error:
            self.notify(message.error, title="Training failed", severity="error", timeout=15)

    def on_training_finished(self, message: TrainingFinished) -> None:
        if message.worker is not self._worker:
            return
        self._worker = None
        self._set_running(False)
        result, manifest = message.result, message.manifest
        self.result = result
        self._fresh = (result.estimator, manifest)
        accuracy = result.evaluation.accuracy
        line = f"Saved {manifest.name}: {accuracy:.1%} on {result.evaluation.n} scans"
        self.query_one("#progress", ProgressBar).update(progress=1.0)
        self.query_one("#stage", Static).update(
            f"Trained {result.spec.family} ({result.spec.data_label}) in {result.seconds:.1f} s."
        )
        self.query_one("#fresh", Static).update(line)
        self.query_one("#fresh-row").display = True
        self.show_results(manifest.name, result, message.drawn)
        self.refresh_history()
        self.query_one(TabbedContent).active = "report-tab"
        if self.app.screen is not self:
            self.app.notify(f"{line}. Press t to see the report.", title="Training finished")

    # ----------------------------------------------------------------- personal retrain

    def _personal_count(self) -> int | None:
        from tuipad.store.samples import StoreError

        try:
            return len(self.context.sample_store())
        except StoreError:
            return None

    def show_personal_count(self) -> None:
        """Say how many personal samples a retrain would use."""
        count = self._personal_count()
        if count is None:
            text = "(the sample store cannot be read)"
        elif count == 0:
            text = "none yet: correct answers or teach (T)"
        else:
            text = f"default recipe + your {count} sample{'s' if count != 1 else ''}"
        self.query_one("#personal-count", Static).update(text)

    @on(Button.Pressed, "#retrain")
    def _retrain_pressed(self) -> None:
        self.action_retrain()

    def action_retrain(self) -> None:
        """Retrain the default recipe with the personal samples, in a worker."""
        if self.training:
            return
        count = self._personal_count()
        if not count:
            self.notify(
                "No personal samples yet: correct an answer or use teach mode (T) first",
                title="Cannot retrain",
                severity="warning",
            )
            return
        self.query_one("#stage", Static).update(f"Retraining with your {count} samples…")
        self.query_one("#progress", ProgressBar).update(progress=0)
        self.query_one("#fresh-row").display = False
        self._worker = self.run_retrain(self.context.paths, self.context.runner)
        self._set_running(True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="train")
    def run_retrain(self, paths: Paths, runner: Runner) -> None:
        """Train the default recipe plus the personal samples, save it and make it active.

        Args:
            paths: Where the model is saved.
            runner: Runs the fitting (in a child process, or here).
        """
        from tuipad import services
        from tuipad.core.training import TrainingCancelled

        worker: Worker[None] = get_current_worker()
        stopped, progress = self._worker_hooks(worker)

        try:
            result, manifest = services.retrain_personal(
                paths,
                self.context.sample_store(),
                progress=progress,
                should_stop=stopped,
                runner=runner,
            )
        except TrainingCancelled:
            self.post_message(TrainingStopped(worker))
            return
        except Exception as error:  # any failure must reach the user, not kill the app
            self.post_message(TrainingStopped(worker, " ".join(str(error).split())))
            return
        self.post_message(PersonalTrained(worker, result, manifest))

    def on_personal_trained(self, message: PersonalTrained) -> None:
        from tuipad.store.registry import LoadedModel

        if message.worker is not self._worker:
            return
        self._worker = None
        self._set_running(False)
        result, manifest = message.result, message.manifest
        self.app.post_message(ModelLoaded(LoadedModel(result.estimator, manifest)))
        self.query_one("#progress", ProgressBar).update(progress=1.0)
        self.query_one("#stage", Static).update(personal_summary(manifest.name, result))
        self.refresh_history()
        self.show_personal_count()
        if self.app.screen is not self:
            self.app.notify(
                f"{manifest.name} is now the active model. Press t for its figures.",
                title="Retrained with your samples",
            )
