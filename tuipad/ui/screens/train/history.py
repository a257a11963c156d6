"""The training screen's Models tab: every saved model, to make active or delete.

The table comes from :func:`tuipad.services.model_rows`; activating and
deleting go through :mod:`tuipad.services` as well.  Delete asks on the button
itself for a second press (:class:`~tuipad.ui.press_twice.PressTwice`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.screen import Screen
from textual.widgets import Button, DataTable

from tuipad.ui.messages import ModelLoaded
from tuipad.ui.press_twice import PressTwice
from tuipad.ui.screens.train.messages import ActivationDone

if TYPE_CHECKING:
    from tuipad.store.paths import Paths
    from tuipad.store.registry import LoadedModel, Manifest
    from tuipad.ui.context import AppContext


class ModelsTab(Screen[None]):
    """The Models tab of :class:`~tuipad.ui.screens.train.TrainScreen`."""

    context: AppContext
    _fresh: tuple[Any, Manifest] | None
    _active_model: LoadedModel | None
    _delete: PressTwice

    def refresh_history(self) -> None:
        """Reload the table of models from the user data directory."""
        from tuipad import services

        table = self.query_one("#history", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for row in services.model_rows(self.context.paths):
            table.add_row(
                "●" if row.active else "",
                row.name + (" (bundled)" if row.bundled else ""),
                row.family,
                row.data,
                row.created,
                row.accuracy_text,
                row.size_text,
                key=row.name,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)

    def _history_name(self) -> str | None:
        table = self.query_one("#history", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(Button.Pressed, "#use")
    def _use_pressed(self) -> None:
        name = self._history_name()
        if name is not None:
            self.activate(name, self.context.paths)

    @on(Button.Pressed, "#delete")
    def _delete_pressed(self) -> None:
        from tuipad import services
        from tuipad.store.registry import ModelError

        name = self._history_name()
        if name is None:
            return
        if not self._delete.press(name):
            # The question goes on the button itself: a toast would sit over it.
            self.query_one("#delete", Button).label = "Delete? Again"
            self.set_timer(self._delete.seconds, self._disarm_delete)
            return
        self._disarm_delete()
        was_active = self._active_model
        try:
            services.remove(self.context.paths, name)
        except ModelError as error:
            self.notify(str(error), title="Cannot delete", severity="error")
            return
        self.notify(f"Deleted {name}")
        if self._fresh is not None and self._fresh[1].name == name:
            self._fresh = None
            self.query_one("#fresh-row").display = False
        self.refresh_history()
        if was_active is not None and was_active.name == name:
            from tuipad.store.registry import DEFAULT_NAME

            self.activate(DEFAULT_NAME, self.context.paths)

    def _disarm_delete(self) -> None:
        """Forget a first press of Delete and restore its label."""
        self._delete.disarm()
        self.query_one("#delete", Button).label = "Delete"

    @on(Button.Pressed, "#activate-fresh")
    def _activate_fresh(self) -> None:
        from tuipad import services
        from tuipad.store.registry import LoadedModel, ModelError

        if self._fresh is None:
            return
        estimator, manifest = self._fresh
        try:
            services.activate(self.context.paths, manifest.name)
        except ModelError as error:
            self.notify(str(error), title="Cannot use the model", severity="error")
            return
        self.app.post_message(ModelLoaded(LoadedModel(estimator, manifest)))
        self.notify(f"The sketchpad now reads with {manifest.name}")
        self.query_one("#fresh-row").display = False
        self.refresh_history()

    @work(thread=True, exclusive=True, exit_on_error=False, group="activate")
    def activate(self, name: str, paths: Paths) -> None:
        """Load a saved model, make it the active one and hand it to the app.

        Args:
            name: The model.
            paths: Where the user's models are.
        """
        from tuipad import services
        from tuipad.store.registry import ModelError

        try:
            model = services.activate(paths, name)
        except ModelError as error:
            self.post_message(ActivationDone(name, str(error)))
            return
        self.app.post_message(ModelLoaded(model))
        self.post_message(ActivationDone(name))

    def on_activation_done(self, message: ActivationDone) -> None:
        if message.error:
            self.notify(message.error, title="Cannot use the model", severity="error")
            return
        self.notify(f"The sketchpad now reads with {message.name}")
        self.refresh_history()
