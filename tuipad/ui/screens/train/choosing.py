"""The training screen's part about saved models: their reports, the Models tab, Make active.

:class:`ModelChoosing` is the base of
:class:`~tuipad.ui.screens.train.screen.TrainScreen`: it handles what the
Models tab (:class:`~tuipad.ui.screens.train.history.ModelsPane`) and the
form's Make active ask for, through :mod:`tuipad.services`, while the screen
runs the trainings: kept apart so neither module outgrows the project's 400 lines.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import TabbedContent

from tuipad.ui.screens.train import runs
from tuipad.ui.screens.train.form import TrainForm
from tuipad.ui.screens.train.history import ModelsPane
from tuipad.ui.screens.train.report import MatrixPane, ReportPane

if TYPE_CHECKING:
    from tuipad.store.registry import LoadedModel
    from tuipad.ui.context import AppContext
    from tuipad.ui.screens.train.messages import ActivationDone, EvaluationReady


class ModelChoosing(Screen[None]):
    """Show a saved model's report, make a model active or delete it, list the saved models."""

    context: AppContext
    """Paths, the shared sample store and the runner."""

    _active_model: LoadedModel | None
    """The model the app recognises with, as last seen."""

    @property
    def _form(self) -> TrainForm:
        return self.query_one(TrainForm)

    def show_evaluation(self, name: str) -> None:
        """Read the test a saved model keeps in a worker, and say so meanwhile."""
        self.query_one(ReportPane).show_loading(name)
        self.run_worker(
            partial(runs.evaluate, self.post_message, name, self.context.paths),
            name="evaluate",
            group="evaluate",
            exclusive=True,
            exit_on_error=False,
            thread=True,
        )

    def on_evaluation_ready(self, message: EvaluationReady) -> None:
        if message.held_out is None:
            self.query_one(ReportPane).show_missing(message.name, message.error)
            self.query_one(MatrixPane).show_missing(message.name)
            return
        self.query_one(ReportPane).show_held_out(message.held_out)
        self.query_one(MatrixPane).show_held_out(message.held_out)

    def refresh_history(self) -> None:
        """Reload the table of models from the user data directory."""
        from tuipad import services

        in_use = None if self._active_model is None else self._active_model.name
        self.query_one(ModelsPane).show_rows(services.model_rows(self.context.paths, in_use))

    def on_train_form_activate(self, message: TrainForm.Activate) -> None:
        # As the Models tab's Make active does, so both say what the model makes of drawn
        # digits and of the user's samples.
        self.activate(message.model.name)

    def on_models_pane_show(self, message: ModelsPane.Show) -> None:
        self.show_evaluation(message.name)
        self.query_one(TabbedContent).active = "report-tab"

    def on_models_pane_use(self, message: ModelsPane.Use) -> None:
        self.activate(message.name)

    def on_models_pane_delete(self, message: ModelsPane.Delete) -> None:
        from tuipad import services
        from tuipad.store.registry import DEFAULT_NAME, ModelError

        name = message.name
        try:
            was_active = services.remove(self.context.paths, name)
        except (ModelError, OSError) as error:  # a read-only data directory too
            self.notify(str(error), title="Cannot delete", severity="error")
            return
        fallback = ": the shipped model is active again" if was_active else ""
        self.notify(f"Deleted {name}{fallback}")
        self._form.withdraw(name)
        self.refresh_history()
        if was_active:
            self.activate(DEFAULT_NAME)

    def activate(self, name: str) -> None:
        """Load a saved model in a worker, make it the active one and hand it to the app.

        A second request for the model already being made active is dropped: it
        would load the same files again and say the same thing twice.
        """
        worker_name = f"activate {name}"
        if any(
            w.group == "activate" and w.name == worker_name and not w.is_finished
            for w in self.workers
        ):
            return
        self.run_worker(
            partial(
                runs.activate,
                self.post_message,
                self.app.post_message,
                name,
                self.context.paths,
                self.context.sample_store,
            ),
            name=worker_name,
            group="activate",
            exclusive=True,
            exit_on_error=False,
            thread=True,
        )

    def on_activation_done(self, message: ActivationDone) -> None:
        if message.error:
            self.notify(message.error, title="Cannot use the model", severity="error")
            return
        note = f"; {message.note}" if message.note else ""
        self.notify(f"The sketchpad now reads with {message.name}{note}", timeout=8 if note else 5)
        self._form.withdraw(message.name)
        self.refresh_history()
