"""The training screen: train a model family, read its report, look inside its mistakes.

It is the app's second mode, so the sketchpad keeps its drawing while this
screen is open, and a training keeps running while the user draws.  The
screen is split by tab: this module holds the Train form; the runs it starts
are in :mod:`~tuipad.ui.screens.train.runs`, the Report and Matrix tabs in
:mod:`~tuipad.ui.screens.train.report`, the Models tab in
:mod:`~tuipad.ui.screens.train.history`.  The active model is only ever
changed by the user: a retrain with the personal samples (asked for) becomes
active at once; the Models tab switches back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Header,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from tuipad.core.families import FAMILIES
from tuipad.ui.press_twice import PressTwice
from tuipad.ui.screens.train.formatting import default_name
from tuipad.ui.screens.train.runs import TrainingRuns
from tuipad.ui.widgets.confusion_matrix import ConfusionMatrix
from tuipad.ui.widgets.digit_pictures import DigitPictures
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.widgets.report_table import ReportTable

if TYPE_CHECKING:
    from tuipad.core.families import TrainingSpec
    from tuipad.store.registry import LoadedModel
    from tuipad.ui.context import AppContext

DEFAULT_FAMILY = "svc-default"
"""The family chosen when the screen opens."""

DEFAULT_FOLDS = 5
"""K suggested for k-fold cross-validation."""


class TrainScreen(TrainingRuns):
    """Train and compare models, read their reports, choose the sketchpad's model."""

    CSS_PATH = "train.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.switch_mode('draw')", "Sketchpad"),
        Binding("ctrl+t", "train", "Train"),
        Binding("ctrl+c", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, context: AppContext) -> None:
        """Set up the screen.

        Args:
            context: What the app's screens share (paths, the sample store, the runner).
        """
        super().__init__()
        self.context = context
        """Paths, the shared sample store and the runner."""
        self._worker = None
        self._auto_name = ""
        self._fresh = None
        self._tested = {}
        self._delete = PressTwice()
        self._active_model = None
        self.result = None
        """The latest finished training."""

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        with TabbedContent(id="train-tabs"):
            with TabPane("Train", id="train-tab"), VerticalScroll(id="train-form"):
                with Horizontal(classes="form-row family-row"):
                    yield Label("Model", classes="form-label")
                    with RadioSet(id="family"):
                        for family, description in FAMILIES.items():
                            yield RadioButton(
                                f"{family:<12}{description}",
                                value=family == DEFAULT_FAMILY,
                                name=family,
                            )
                with Horizontal(classes="form-row"):
                    yield Label("Data", classes="form-label")
                    yield Checkbox("pen digits", True, compact=True, id="pen")
                    yield Checkbox("augmented", True, compact=True, id="augment")
                    yield Checkbox("k-fold CV, K =", False, compact=True, id="cv")
                    yield Input(
                        str(DEFAULT_FOLDS), type="integer", compact=True, id="folds", disabled=True
                    )
                with Horizontal(classes="form-row"):
                    yield Label("Drawn", classes="form-label")
                    yield Input(
                        placeholder="strokes file to also test on (JSON lines), optional",
                        compact=True,
                        id="strokes",
                    )
                with Horizontal(classes="form-row"):
                    yield Label("Name", classes="form-label")
                    yield Input(compact=True, id="name")
                with Horizontal(classes="form-row"):
                    yield Label("", classes="form-label")
                    yield Button("Train", variant="primary", compact=True, id="train")
                    yield Button(
                        "Cancel", variant="error", compact=True, id="cancel", disabled=True
                    )
                with Horizontal(classes="form-row"):
                    yield Label("Yours", classes="form-label")
                    yield Button("Retrain with my samples", compact=True, id="retrain")
                    yield Static("", id="personal-count")
                yield ProgressBar(total=1.0, show_eta=False, id="progress")
                yield Static("Choose a model and its data, then Train.", id="stage")
                with Horizontal(id="fresh-row"):
                    yield Static("", id="fresh")
                    yield Button("Make active", compact=True, id="activate-fresh")
            with TabPane("Report", id="report-tab"), VerticalScroll(id="report-pane"):
                yield Static("No model trained yet.", id="summary")
                yield ReportTable(id="report")
                yield Static("", id="drawn-title")
                yield ReportTable(id="drawn-report")
            with TabPane("Matrix", id="matrix-tab"), Horizontal(id="matrix-pane"):
                with Vertical(id="matrix-side"):
                    yield Select(
                        [("scanned digits", "scans")],
                        value="scans",
                        allow_blank=False,
                        compact=True,
                        id="test-set",
                    )
                    yield ConfusionMatrix(id="matrix")
                    yield Static(
                        "rows: true digit · columns: read as\narrows + enter or click: samples",
                        id="matrix-legend",
                    )
                with Vertical(id="samples-side"):
                    yield Static("Choose a cell to see its digits.", id="samples-title")
                    with VerticalScroll(id="samples-scroll"):
                        yield DigitPictures(id="samples")
            with TabPane("Models", id="models-tab"), Vertical(id="models-pane"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="history")
                with Horizontal(classes="form-row"):
                    yield Button("Make active", compact=True, id="use")
                    yield Button("Delete", variant="error", compact=True, id="delete")
                    yield Static("● active · Delete asks twice", id="history-hint")
        yield KeyHints()

    def on_mount(self) -> None:
        self._set_name(DEFAULT_FAMILY)
        self.query_one("#fresh-row").display = False
        self.query_one("#drawn-report").display = False
        self.query_one("#test-set").display = False
        history = self.query_one("#history", DataTable)
        for label in ("", "name", "family", "data", "date", "accuracy", "size"):
            history.add_column(label, key=label or "active")
        self.refresh_history()
        self.show_personal_count()
        self.watch(self.app, "model", self._model_changed)

    def _model_changed(self, model: LoadedModel | None) -> None:
        self._active_model = model

    def on_screen_resume(self) -> None:
        self.refresh_history()
        self.show_personal_count()

    # ----------------------------------------------------------------- the form

    def _set_name(self, family: str) -> None:
        """Suggest a name for the family unless the user typed their own."""
        field = self.query_one("#name", Input)
        if field.value in ("", self._auto_name):
            self._auto_name = default_name(family)
            field.value = self._auto_name

    def _family(self) -> str:
        index = self.query_one("#family", RadioSet).pressed_index
        return list(FAMILIES)[max(index, 0)]

    def _spec(self) -> TrainingSpec:
        """The spec the form describes.

        Raises:
            ValueError: A bad K.
        """
        from tuipad.core.families import TrainingSpec

        folds = None
        if self.query_one("#cv", Checkbox).value:
            text = self.query_one("#folds", Input).value.strip()
            if not text.isdigit() or not 2 <= int(text) <= 20:
                raise ValueError("K must be a whole number of folds, 2 to 20")
            folds = int(text)
        return TrainingSpec(
            self._family(),
            pen=self.query_one("#pen", Checkbox).value,
            augment=self.query_one("#augment", Checkbox).value,
            cv=folds,
        )

    @on(RadioSet.Changed, "#family")
    def _family_changed(self) -> None:
        self._set_name(self._family())

    @on(Checkbox.Changed, "#cv")
    def _cv_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#folds", Input).disabled = not event.value

    @on(Button.Pressed, "#train")
    def _train_pressed(self) -> None:
        self.action_train()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            # Off, ctrl+c falls through to copying in an input and the app's quit hint.
            return self.training
        if action == "train":
            return not self.training
        return True

    def action_train(self) -> None:
        """Check the form and start training."""
        if self.training:
            return
        from tuipad import services

        try:
            spec = self._spec()
            name = self.query_one("#name", Input).value.strip()
            name = services.check_new_name(self.context.paths, name)
        except ValueError as error:
            self.notify(str(error), title="Cannot train", severity="error")
            return
        strokes = self.query_one("#strokes", Input).value.strip() or None
        self.query_one("#stage", Static).update(f"Training {name}: {spec.data_label}…")
        self.query_one("#progress", ProgressBar).update(progress=0)
        self.query_one("#fresh-row").display = False
        self._worker = self.run_training(
            spec, name, strokes, self.context.paths, self.context.runner
        )
        self._set_running(True)

    def action_cancel(self) -> None:
        """Stop the running training; the active model stays in use."""
        if self._worker is None:
            return
        self._worker.cancel()
        self._worker = None
        self._set_running(False)
        model = self._active_model
        still = f" {model.name} is still the active model." if model is not None else ""
        self.query_one("#stage", Static).update(f"Training cancelled.{still}")
