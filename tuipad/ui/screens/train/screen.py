"""The training screen: train a model family, read its report, look inside its mistakes.

It is the app's second mode, so the sketchpad keeps its drawing while this
screen is open, and a training keeps running while the user draws.  Each tab
is a pane that owns its widgets and state: the form
(:class:`~tuipad.ui.screens.train.form.TrainForm`), the report and the matrix
(:mod:`~tuipad.ui.screens.train.report`), the saved models
(:class:`~tuipad.ui.screens.train.history.ModelsPane`).  The screen
coordinates them: it handles what they ask for, runs the work in thread
workers (:mod:`~tuipad.ui.screens.train.runs`) and pushes the results down.
The active model is only ever changed by the user: a retrain with the
personal samples (asked for) becomes active at once; the Models tab switches
back.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static, TabbedContent, TabPane

from tuipad.ui.messages import ModelLoaded, TrainingRuns
from tuipad.ui.screens import help_prose
from tuipad.ui.screens.train import runs
from tuipad.ui.screens.train.choosing import ModelChoosing
from tuipad.ui.screens.train.form import TrainForm
from tuipad.ui.screens.train.formatting import personal_summary
from tuipad.ui.screens.train.history import NO_ARRAYS, ModelsPane
from tuipad.ui.screens.train.report import MatrixPane, ReportPane
from tuipad.ui.widgets.confusion_matrix import ConfusionMatrix
from tuipad.ui.widgets.key_hints import KeyHints

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.worker import Worker

    from tuipad.core.training import TrainingResult
    from tuipad.store.registry import LoadedModel
    from tuipad.ui.context import AppContext
    from tuipad.ui.screens.train.messages import (
        AdaptedToAll,
        NothingToRetrain,
        PersonalTrained,
        TrainingFinished,
        TrainingProgress,
        TrainingStopped,
    )


class TrainScreen(ModelChoosing):
    """Train and compare models, read their reports, choose the model."""

    CSS_PATH = "train.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    HELP = help_prose.TRAIN
    """Its tabs and buttons: the top of its help (?)."""

    LEAVE_KEY = "escape"
    """Goes back even while the terminal is too small for this screen (tuipad.ui.too_small)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.sketchpad", "Sketchpad", tooltip="Back to the sketchpad"),
        Binding("ctrl+t", "train", "Train", tooltip="Train the model chosen on the Train tab"),
        Binding("ctrl+c", "cancel", "Cancel", priority=True, tooltip="Cancel the training"),
        Binding(
            "ctrl+a", "make_active", "Make active", tooltip="Make the model just trained active"
        ),
    ]

    def __init__(self, context: AppContext) -> None:
        """Set up the screen.

        Args:
            context: What the app's screens share (paths, the sample store, the runner).
        """
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner."""
        self._worker: Worker[None] | None = None
        self._ready = False
        """Whether the panes are mounted (they follow the first paint)."""
        self._active_model: LoadedModel | None = None
        self.result: TrainingResult | None = None
        """The latest finished training."""
        self._tab_at_start = ""
        """The tab shown when the running training started."""
        self._started = 0.0
        """When the running job started (monotonic seconds)."""

    def compose(self) -> ComposeResult:
        # Only the frame first: mounting the panes' hundred widgets takes longer than the
        # sketchpad's whole first frame, so they follow once "loading…" is on screen.
        yield Header(icon="✎")
        with TabbedContent(id="train-tabs"):
            for title, tab in (("Train", "train"), ("Report", "report")) + (
                ("Matrix", "matrix"),
                ("Models", "models"),
            ):
                with TabPane(title, id=f"{tab}-tab"):
                    yield Static("loading…", classes="loading")
        yield KeyHints()

    def on_mount(self) -> None:
        # A short timer, not call_after_refresh: the "loading…" frame must reach the terminal.
        self.set_timer(0.01, self._mount_panes)

    async def _mount_panes(self) -> None:
        """Put the panes in place of their "loading…" lines, then fill them."""
        panes = {
            "train-tab": TrainForm(id="train-form"),
            "report-tab": ReportPane(id="report-pane"),
            "matrix-tab": MatrixPane(id="matrix-pane"),
            "models-tab": ModelsPane(id="models-pane"),
        }
        for tab, pane in panes.items():
            await self.query_one(f"#{tab}", TabPane).remove_children()
            await self.query_one(f"#{tab}", TabPane).mount(pane)
        self._ready = True
        self.query_one("#family").focus()
        self.refresh_history()
        self.show_personal_count()
        self.refresh_bindings()
        self.watch(self.app, "model", self._model_changed)

    def on_screen_resume(self) -> None:
        # Samples are added on the other screens (corrections, teach mode, browse).
        if self._ready:
            self.show_personal_count()

    @on(TabbedContent.TabActivated, pane="#matrix-tab")
    def _focus_matrix(self) -> None:
        """Give the arrows to the matrix when its tab opens, as its legend and help say."""
        if self._ready:
            self.query_one(ConfusionMatrix).focus()

    @on(TabbedContent.TabActivated, pane="#models-tab")
    def _focus_models(self) -> None:
        """Give the arrows and enter to the models table when its tab opens, as its hint says."""
        if self._ready:
            self.query_one("#history").focus()

    def _model_changed(self, model: LoadedModel | None) -> None:
        # Also when the app adapted to new samples in the background: a new model to list.
        changed = model is not None and model is not self._active_model
        self._active_model = model  # the table marks it
        if model is not None and changed:
            self.show_evaluation(model.name)
            self._form.active_changed(model.name)
            self.refresh_history()
            self.show_personal_count()

    # ----------------------------------------------------------------- runs

    @property
    def training(self) -> bool:
        """Whether a training is running."""
        return self._worker is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            # Off, ctrl+c falls through to copying in an input and the app's quit hint.
            return self.training
        if action == "train":
            return self._ready and not self.training
        if action == "make_active":
            return self._ready and self._form.offered is not None
        return True

    def action_make_active(self) -> None:
        """Make the model just trained active, wherever the Make active button is scrolled."""
        self._form.activate_offered()

    def _start(self, run: Callable[[], None], name: str) -> None:
        """Run one of :mod:`~tuipad.ui.screens.train.runs` in a thread worker."""
        self._worker = self.run_worker(
            run, name=name, group="train", exclusive=True, exit_on_error=False, thread=True
        )
        self._tab_at_start = self.query_one(TabbedContent).active
        self._started = time.monotonic()
        self._set_running(True)

    def _set_running(self, running: bool) -> None:
        self._form.set_running(running)
        self.refresh_bindings()
        self.app.post_message(TrainingRuns(running))  # the header says so on every screen

    def _finished(self) -> None:
        """Forget the run that just reported its end."""
        self._worker = None
        self._set_running(False)

    def action_train(self) -> None:
        """Check the form and start training, once the field in focus has taken the keys
        typed before ctrl+t: over SSH a name and ctrl+t can arrive in one burst, and a
        field handles its keys from its own queue, after the screen sees ctrl+t."""
        if not self.training:
            (self.app.focused or self).call_later(self._train_from_form)

    def _train_from_form(self) -> None:
        if self.training:
            return
        from tuipad import services

        form = self._form
        try:
            spec = form.spec()
            name = services.check_new_name(self.context.paths, form.model_name)
            strokes = form.strokes_path()
        except ValueError as error:
            form.show_stage(f"Not started: {error}", progress=0.0)  # not an earlier run's end
            # On the form the line under the buttons says it; a toast would cover its end.
            if self.query_one("#train-tabs", TabbedContent).active != "train-tab":
                self.notify(str(error), title="Cannot train", severity="error")
            return
        form.take_name()
        form.start(f"Training {name}: {spec.data_label}…")
        paths, runner = self.context.paths, self.context.runner
        self._start(
            partial(runs.train, self.post_message, spec, name, strokes, paths, runner), "train"
        )

    def action_cancel(self) -> None:
        """Stop the running training; the active model stays in use."""
        if self._worker is None:
            return
        self._worker.cancel()
        self._finished()
        model = self._active_model
        still = f" {model.name} is still the active model." if model is not None else ""
        self._form.show_stage(  # the bar goes back to empty: nothing was kept
            f"Training cancelled.{still}",
            progress=0.0,
            active=None if model is None else model.name,
        )

    def action_retrain(self) -> None:
        """Adapt the shipped model to the personal samples in a worker, then make it active."""
        if self.training:
            return
        from tuipad import services
        from tuipad.store.samples import StoreError

        try:
            count = len(self.context.sample_store())
            why = "No personal samples yet: correct an answer or use teach mode (T) first"
        except StoreError as error:
            count, why = 0, f"Your samples cannot be read: {error}"
        if not count:
            self.notify(why, title="Cannot retrain", severity="warning")
            self._form.show_stage(f"Not started. {why}.", progress=0.0)
            return
        self._form.start(f"Adapting the shipped model to {services.your_samples(count)}…")
        context = self.context
        self._start(
            partial(
                runs.retrain, self.post_message, context.paths, context.sample_store, context.runner
            ),
            "retrain",
        )

    def on_nothing_to_retrain(self, message: NothingToRetrain) -> None:
        """Another retrain would only save the same model again: the worker said so instead."""
        from tuipad import services

        if message.worker is not self._worker:
            return
        self._finished()
        yours = services.your_samples(message.count)
        done = f"{message.model} is active and already adapted to {yours}"
        self.notify(done, title="Nothing to retrain", timeout=5)
        self._form.show_stage(f"Nothing retrained: {done}.", progress=0.0, active=message.model)
        self._form.show_personal_count(message.count, message.model)

    def on_train_form_train(self) -> None:
        self.action_train()

    def on_train_form_cancel(self) -> None:
        self.action_cancel()

    def on_train_form_retrain(self) -> None:
        self.action_retrain()

    def on_training_progress(self, message: TrainingProgress) -> None:
        if message.worker is self._worker:
            self._form.report(message.stage, message.fraction, message.stage_end)

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if message.worker is not self._worker:
            return
        self._finished()
        self._form.show_stage(
            f"Training failed: {message.error}" if message.error else "Training cancelled.",
            progress=0.0,
        )
        if message.error:
            self.notify(message.error, title="Training failed", severity="error", timeout=15)

    def on_training_finished(self, message: TrainingFinished) -> None:
        from tuipad import services

        if message.worker is not self._worker:
            return
        self._finished()
        self.workers.cancel_group(self, "evaluate")  # an older model's report must not follow
        result, manifest = message.result, message.manifest
        self.result = result
        accuracy = result.evaluation.accuracy
        line = f"Saved {manifest.name}: {accuracy:.1%} on {result.evaluation.n} scans"
        usable = services.can_be_made_active(manifest)
        if not usable:
            line += f"; {NO_ARRAYS}"
        form = self._form
        form.show_stage(
            # The job's whole time: the result's seconds leave out rendering the pen digits.
            f"Trained {result.spec.family} ({result.spec.data_label}) in"
            f" {time.monotonic() - self._started:.1f} s.",
            progress=1.0,
        )
        form.offer(services.loaded_from_fitted(result.estimator, manifest), line, usable=usable)
        form.saved_as(manifest.name)
        self.query_one(ReportPane).show_results(manifest.name, result, message.drawn)
        self.query_one(MatrixPane).show_results(manifest.name, result, message.drawn)
        self.refresh_history()
        self._show_report_tab()
        if self.app.screen is not self:
            self.app.notify(f"{line}. Press t to see the report.", title="Training finished")

    def _show_report_tab(self) -> None:
        """Open the Report tab for a training's report, unless the user moved to another tab
        while it ran (the help says so).

        Focus goes to the report too: left on a field of the form, which the switch hides,
        Textual would hand it to a field beside it, and so switch back to the Train tab.
        """
        tabs = self.query_one(TabbedContent)
        if tabs.active == self._tab_at_start:
            tabs.active = "report-tab"
            self.set_focus(self.query_one(ReportPane))

    def on_personal_trained(self, message: PersonalTrained) -> None:
        from tuipad import services

        if message.worker is not self._worker:
            return
        self._finished()
        result, manifest = message.result, message.manifest
        self.app.post_message(ModelLoaded(services.loaded_from_fitted(result.estimator, manifest)))
        self._form.show_stage(
            personal_summary(manifest.name, result, time.monotonic() - self._started),
            progress=1.0,
            active=manifest.name,
        )
        self.refresh_history()
        self.show_personal_count()
        if self.app.screen is not self:
            self.app.notify(
                f"{manifest.name} is now the active model. Press t for its figures.",
                title="Retrained with your samples",
            )

    def show_personal_count(self) -> None:
        """Tell the form how many personal samples a retrain would use, and then, from a
        worker, whether the active model is adapted to them all already (which reads them)."""
        from tuipad.store.samples import StoreError

        try:
            count: int | None = len(self.context.sample_store())
        except StoreError:
            count = None
        self._form.show_personal_count(count)
        if count:
            paths, store = self.context.paths, self.context.sample_store
            self.run_worker(
                partial(runs.adapted_to_all, self.post_message, paths, store),
                name="adapted to all samples",
                group="personal-count",
                exclusive=True,
                exit_on_error=False,
                thread=True,
            )

    def on_adapted_to_all(self, message: AdaptedToAll) -> None:
        self._form.show_personal_count(message.count, message.model)
