"""The tuipad app: the sketchpad around the recognizer core.

The first frame must not wait for scikit-learn, so the model loads in a
thread worker after mount and arrives as a :class:`~tuipad.ui.messages.ModelLoaded`
message; until then the panel says "loading model".  Build the app with
:func:`make_app` so tests can inject a model instead of loading one; it also
builds the :class:`~tuipad.ui.context.AppContext` every screen receives.

After the user adds samples, the screens post :class:`~tuipad.ui.adapting.SamplesChanged`;
the app adapts the active model to them in the background (:mod:`tuipad.ui.adapting`)
and swaps it in the same way a loaded model arrives."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from tuipad.store.paths import Paths
from tuipad.store.pending import changes_pending, mark_changes_pending
from tuipad.ui import adapting, commands, modes
from tuipad.ui.adapting import AdaptationDone, AdaptationScheduler, SamplesChanged
from tuipad.ui.context import AppContext, run_in_thread
from tuipad.ui.context import run_in_process as run_in_process_runner
from tuipad.ui.crash import OneLineCrash
from tuipad.ui.key_log import KeyLog
from tuipad.ui.messages import ModelFailed, ModelLoaded, ModelProgress, TrainingRuns
from tuipad.ui.notices import PlainNotices, data_problem_said, say_data_problem
from tuipad.ui.outside_choice import POLL_SECONDS, ActiveModelChosen, ChoiceWatch, read_choice
from tuipad.ui.screens.draw import DrawScreen
from tuipad.ui.too_small import HoldsBackHidden, fit_screen
from tuipad.ui.wording import failure_text, header_subtitle

if TYPE_CHECKING:
    # Only for types: tuipad.store.registry imports numpy, which the first frame must not wait for.
    from tuipad.core.progress import JobReport
    from tuipad.store.registry import LoadedModel

ModelLoader = Callable[["JobReport"], "LoadedModel"]
"""Loads the model, reporting progress of a slow load (a retrain)."""


class TuipadApp(OneLineCrash, PlainNotices, HoldsBackHidden, KeyLog, App[int]):
    """Draw digits in the terminal and see what the model reads."""

    CSS_PATH = "tuipad.tcss"
    TITLE = "tuipad"
    SUB_TITLE = "loading model…"

    DEFAULT_MODE = "draw"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding(
            "A",
            "toggle_adapting",
            "Adapt on/off",
            show=False,
            tooltip="Adapt to new samples in the background: on/off",
        ),
    ]

    BUSY_GROUPS: ClassVar[frozenset[str]] = frozenset({"model", "train", "activate"})
    """Worker groups a background adaptation waits for: the model load, and the training
    screen's runs (its own retrain makes a personal model; its "make active" picks one)."""

    model: var[LoadedModel | None] = var(None)
    """The model the screens recognise with, once loaded."""

    model_status: var[str] = var("loading model")
    """What the panel says while there is no model."""

    def __init__(
        self, *, model_loader: ModelLoader, context: AppContext, scribble: bool = False
    ) -> None:
        """Set up the app.

        Args:
            model_loader: Called in a worker thread to get the model.
            context: What the screens share: paths, sample store, runner.
            scribble: Open in scribble mode instead of the sketchpad.
        """
        if scribble:
            # Before App.__init__, which creates the screen stack of the default mode.
            self.DEFAULT_MODE = "scribble"  # type: ignore[misc]  # per app, not per class
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner, handed to every screen."""
        self._model_loader = model_loader
        # Modes are built from the context, so they are added per app rather than in MODES.
        self.add_mode("draw", lambda: DrawScreen(context))
        self.add_mode("scribble", lambda: modes.scribble_screen(context))
        self.add_mode("train", lambda: modes.train_screen(context))
        self.adapting = AdaptationScheduler(
            set_timer=self.set_timer,
            start_job=self._start_adapting,
            busy=self._busy_for_adapting,
            delay=adapting.ADAPT_DELAY,
        )
        """When the active model adapts to new samples in the background."""
        self._outside_choice: str | None = None  # a model made active by another process, loading
        self._choices = ChoiceWatch(context.paths.settings)
        self._data_checked = False  # whether the data directory was checked (store/checks.py)
        self._background_work: set[str] = set()  # background work the header names

    def on_mount(self) -> None:
        from tuipad.store.settings import adapts_in_background

        self.adapting.enabled = adapts_in_background(self.context.home)
        if changes_pending(self.context.paths):  # a run that quit before adapting
            self.adapting.samples_changed()
        self.screen_change_signal.subscribe(self, lambda screen: self._fit_screens())
        self.set_interval(POLL_SECONDS, self._look_for_outside_choice)
        # Start loading once the first frame is out: importing numpy and
        # scikit-learn in the worker would otherwise compete with it.
        self.call_after_refresh(self.load_model)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_screens(event.size)

    def _fit_screens(self, size: Size | None = None) -> None:
        """Hide the screens the terminal is too small for behind a message (tuipad.ui.too_small)."""
        for screen in self.screen_stack:
            fit_screen(screen, size or self.size)

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def load_model(self) -> None:
        """Load the model off the UI thread and post the result."""
        worker = get_current_worker()

        def progress(stage: str, fraction: float, stage_end: float | None = None) -> None:
            if not worker.is_cancelled:
                self.post_message(ModelProgress(stage, fraction))

        try:
            self._choices.seen = read_choice(self.context.home)  # what this load reads
            model = self._model_loader(progress)
        except Exception as error:  # any failure must reach the user, not kill the app
            self.post_message(ModelFailed(failure_text(error)))
        else:
            if not worker.is_cancelled:
                self.post_message(ModelLoaded(model))
        if not (worker.is_cancelled or self._data_checked):  # once: reloads follow
            self._data_checked = True
            say_data_problem(self, self.context.paths)

    def on_model_loaded(self, message: ModelLoaded) -> None:
        from tuipad.services.adapting import drawn_note, may_replace

        self.model = message.model
        chosen, self._outside_choice = self._outside_choice, None
        if message.model.name == chosen:
            said = [f"The sketchpad now reads with {chosen}", drawn_note(message.model.manifest)]
            self.notify("; ".join(filter(None, said)), title="Model")
        self.model_status = "draw a digit"
        self._show_model_in_header()
        if message.model.notice:
            self.notify(message.model.notice, title="Model", severity="warning", timeout=10)
        # Changes made while a model the user chose was active wait for one tuipad may adapt.
        if may_replace(message.model.manifest) and changes_pending(self.context.paths):
            self.adapting.samples_changed()

    def on_model_progress(self, message: ModelProgress) -> None:
        self.model_status = f"loading model: {message.stage} {message.fraction:.0%}"

    def on_model_failed(self, message: ModelFailed) -> None:
        self.model_status = "no model: drawing only"
        self.sub_title = "no model"
        self.notify(message.error, title="Could not load the model", severity="error", timeout=20)

    def on_unmount(self) -> None:
        self.context.samples.close()

    # ----------------------------------------------------------------- adapting in the background

    def on_samples_changed(self, message: SamplesChanged) -> None:
        mark = partial(mark_changes_pending, self.context.paths)
        self.run_worker(mark, thread=True, exit_on_error=False)
        self.adapting.samples_changed()

    def _busy_for_adapting(self, *more: str) -> bool:
        groups = self.BUSY_GROUPS.union(more)
        return any(w.group in groups and not w.is_finished for w in self.workers)

    def _start_adapting(self) -> bool:
        """Adapt in a thread worker (a model the user chose is only checked, and stays)."""
        from tuipad.services.adapting import may_replace

        if self.model is None:
            return False
        context, replaceable = self.context, may_replace(self.model.manifest)
        job = partial(
            adapting.adapt,
            self.post_message,
            context.paths,
            context.sample_store,
            context.runner,
            self.model.name,
            chosen=not replaceable,
        )
        if replaceable:  # seconds with the old model: say why
            self._say_running("adapting", True)
        self.run_worker(job, name="adapt", group="adapt", thread=True, exit_on_error=False)
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The worker's end, not AdaptationDone, frees the scheduler: a worker
        # cancelled before it ran never posts one.
        if event.worker.group == "adapt" and event.worker.is_finished:
            self.adapting.job_finished()
            self._say_running("adapting", False)

    def on_training_runs(self, message: TrainingRuns) -> None:
        self._say_running("training", message.running)

    def _say_running(self, work: str, running: bool) -> None:
        """Say in the header what runs in the background, with the model in use."""
        (self._background_work.add if running else self._background_work.discard)(work)
        self._show_model_in_header()

    def _show_model_in_header(self) -> None:
        if self.model is not None:
            work = (f"{name}…" for name in sorted(self._background_work))
            self.sub_title = " · ".join([header_subtitle(self.model), *work])

    def on_adaptation_done(self, message: AdaptationDone) -> None:
        if message.changed is not None:
            self._read_choice()
        elif message.kept is not None:
            self.notify_once(
                f"{message.kept}: make the shipped model active, or Retrain with my samples (t)",
                title="Your samples are kept",
                timeout=8,
            )
        elif message.error is not None and not data_problem_said(self, message.error):
            self.notify(
                f"{message.error}; the previous model stays active",
                title="Could not adapt to your samples",
                severity="warning",
            )
        elif message.notice is not None:
            self.notify(message.notice, title="Your samples", timeout=8)

    def _look_for_outside_choice(self) -> None:
        """Read the choice when settings.json changed: ``tuipad models use`` in another shell."""
        if not self._busy_for_adapting("adapt") and self._choices.settings_changed():
            self._read_choice()

    @work(thread=True, exit_on_error=False)
    def _read_choice(self) -> None:
        self.post_message(ActiveModelChosen(read_choice(self.context.home)))

    def on_active_model_chosen(self, message: ActiveModelChosen) -> None:
        if self._choices.to_load(message.choice, self.model):
            self._outside_choice = message.choice.name
            self.load_model()

    def action_toggle_adapting(self) -> None:
        """Turn adapting to new samples in the background on or off (kept in settings.json)."""
        from tuipad.store.settings import set_adapts_in_background

        on = not self.adapting.enabled
        self.adapting.enabled = on
        if not on:
            self.workers.cancel_group(self, "adapt")
        try:
            set_adapts_in_background(self.context.home, on)
        except OSError as error:
            self.notify(f"Not kept for next time: {error}", severity="warning")
        self.notify(adapting.switched_text(on, self.model), timeout=5)

    # ----------------------------------------------------------------- quitting

    async def action_quit(self) -> None:
        """Quit, asking first if a training, a retrain or an unsaved page would be lost."""
        from tuipad.ui.screens.quit_dialog import QuitDialog, quit_question

        dialog = quit_question(self.workers, self.context.unsaved.values())
        if dialog is None:
            self.workers.cancel_group(self, "adapt")
            self.exit()
        elif not isinstance(self.screen, QuitDialog):
            self.push_screen(dialog, self._quit_if_asked)

    def _quit_if_asked(self, quit_anyway: bool | None) -> None:
        if quit_anyway:
            for worker in (w for w in self.workers if w.group in ("train", "adapt")):
                worker.cancel()
            self.exit()

    def action_help_quit(self) -> None:
        """ctrl+c copies in a text field, so it does not quit: say which keys do."""
        self.notify("Press q to quit (ctrl+q in a text field)", title="Do you want to quit?")

    def action_teach(self) -> None:
        """Open teach mode: draw the digits it asks for, saved as personal samples."""
        from tuipad.ui.screens.teach import TeachScreen

        modes.open_once(self, TeachScreen, self.context)

    def action_browse(self) -> None:
        """Open the list of personal samples to relabel or delete them."""
        from tuipad.ui.screens.browse import BrowseScreen

        modes.open_once(self, BrowseScreen, self.context)

    def action_help(self) -> None:
        """Show the keys of the screen in front, and what it shows."""
        from tuipad.ui.screens.help import HelpScreen

        modes.open_once(self, HelpScreen, self.screen)

    def action_train_screen(self) -> None:
        """Open the training screen (the sketchpad keeps its drawing)."""
        modes.switch(self, "train")

    def action_sketchpad(self) -> None:
        """Back to the sketchpad (it kept its drawing)."""
        modes.switch(self, "draw")

    def action_toggle_scribble(self) -> None:
        """Switch between the sketchpad and scribble mode; each keeps its writing."""
        modes.switch(self, "draw" if self.current_mode == "scribble" else "scribble")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from commands.system_commands(self, screen, super().get_system_commands(screen))

    def action_command_palette(self) -> None:
        """Open the command palette (ctrl+p)."""
        commands.open_palette(self)


def make_app(
    *,
    model_loader: ModelLoader | None = None,
    home: Path | None = None,
    scribble: bool = False,
    pause: float | None = None,
    run_in_process: bool = True,
) -> TuipadApp:
    """Build the app and the context its screens share.

    Args:
        model_loader: Gets the model (default: the active model from ``home``).
        home: The user data directory (default: ``$TUIPAD_HOME`` or the platform's).
        scribble: Open in scribble mode.
        pause: Seconds the pen rests in scribble mode before writing is read.
        run_in_process: Train in a child process (``False``: in the worker thread,
            for tests that monkeypatch the core).

    Returns:
        The app, not yet running.
    """
    paths = Paths.default() if home is None else Paths(Path(home))
    context = AppContext(
        paths,
        runner=run_in_process_runner if run_in_process else run_in_thread,
        scribble_pause=pause,
    )
    if model_loader is None:

        def model_loader(progress: JobReport) -> LoadedModel:
            from tuipad import services

            return services.load_active(paths, progress=progress)

    return TuipadApp(model_loader=model_loader, context=context, scribble=scribble)


def run_app(scribble: bool = False, pause: float | None = None) -> int:
    """Run the sketchpad until the user quits.

    Args:
        scribble: Open in scribble mode.
        pause: Seconds the pen rests in scribble mode before writing is read.

    Returns:
        The exit status: 0; 1 after a bug in tuipad; or 128 plus the signal's number after
        SIGTERM or SIGHUP (or a terminal that went away), as a shell reports it.
    """
    app = make_app(scribble=scribble, pause=pause)
    if sys.platform != "win32":
        from tuipad.ui.terminal import hardened

        app.driver_class = hardened(app.driver_class)
    app.run()
    return app.return_code or 0
