"""The training screen: train a model family, read its report, look inside its mistakes.

It is the app's second mode, so the sketchpad keeps its drawing while this
screen is open, and a training keeps running while the user draws.  A thread
worker runs :func:`tuipad.core.training.train_and_test` in a child process
(:func:`tuipad.background.run_in_process`): in a thread, training held the GIL
long enough to delay the sketchpad's answer by a second.  The worker only
waits, posts progress (coalesced: only the latest is kept), then saves the
model with :func:`tuipad.store.registry.save_model` and posts the result; nothing in
the thread touches a widget or a reactive.  Cancelling sets the worker's
flag, which the runner polls, terminating the child; the active model is only
ever changed by the user.  Apps built with ``run_in_process=False`` run the
core in the worker thread instead (tests that monkeypatch the core).

"Retrain with my samples" runs :func:`tuipad.core.personal.retrain_from_store` in
the same kind of worker, fitting in a child process (same progress, same
cancel); the user asked for
that model, so it becomes the active one and the sketchpad reads with it at
once.  The Models tab switches back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
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
from textual.worker import Worker, get_current_worker

from tuipad.ui.messages import ModelLoaded
from tuipad.ui.widgets.confusion_matrix import ConfusionMatrix
from tuipad.ui.widgets.digit_pictures import DigitPictures, Sample
from tuipad.ui.widgets.key_hints import KeyHints
from tuipad.ui.widgets.report_table import ReportTable

if TYPE_CHECKING:
    import numpy as np

    from tuipad.background import Runner
    from tuipad.core.families import TrainingSpec
    from tuipad.core.personal import PersonalResult
    from tuipad.core.reports import Evaluation
    from tuipad.core.training import DrawnEvaluation, TrainingResult
    from tuipad.store.paths import Paths
    from tuipad.store.registry import LoadedModel, Manifest
    from tuipad.ui.app import TuipadApp

FAMILY_DESCRIPTIONS = {
    "svc-seed": "SVC(gamma=0.001), the original demo",
    "svc-default": "SVC(C=5, gamma=0.001), the shipped recipe's settings",
    "svc": "SVC tuned by a cross-validated grid over C and gamma",
    "knn": "k-nearest neighbours (k=5, distance-weighted)",
    "mlp": "neural network (MLPClassifier, one hidden layer of 256)",
}
"""``tuipad.core.training.FAMILIES``, repeated so opening the screen does not import
scikit-learn; a test keeps the two equal."""

DEFAULT_FAMILY = "svc-default"
"""The family chosen when the screen opens."""

DEFAULT_FOLDS = 5
"""K suggested for k-fold cross-validation."""

DELETE_CONFIRM_SECONDS = 4.0
"""How long a first press of Delete waits for the second that deletes."""

MAX_SAMPLES = 60
"""Pictures shown for one cell; the most telling come first."""


def default_name(family: str, now: float | None = None) -> str:
    """The suggested model name: the family and the date and time."""
    return f"{family}-{time.strftime('%Y%m%d-%H%M', time.localtime(now))}"


@dataclass(frozen=True)
class TestedDigits:
    """Labelled digits a model was tested on, for the matrix and its drill-down.

    Attributes:
        title: What they are, e.g. ``899 scans``.
        evaluation: Report and confusion matrix.
        grids: ``(n, 64)`` 8x8 grids.
        labels: True digits.
        predicted: Predicted digits.
        scores: ``(n, 10)`` scores.
    """

    title: str
    evaluation: Evaluation
    grids: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    scores: np.ndarray

    def samples(self, true: int, predicted: int) -> tuple[Sample, ...]:
        """The digits of a cell: mistakes most confident first, correct reads least confident first.

        Args:
            true: The cell's row.
            predicted: The cell's column.

        Returns:
            At most :data:`MAX_SAMPLES` samples.
        """
        import numpy as np

        rows = np.flatnonzero((self.labels == true) & (self.predicted == predicted))
        confidence = self.scores[rows, predicted]
        order = np.argsort(confidence if true == predicted else -confidence, kind="stable")
        return tuple(
            Sample(
                grid=tuple(int(v) for v in self.grids[row]),
                true=true,
                predicted=predicted,
                scores=tuple(float(s) for s in self.scores[row]),
            )
            for row in rows[order][:MAX_SAMPLES]
        )


# --------------------------------------------------------------------------- messages


@dataclass
class TrainingProgress(Message):
    """A training's current stage."""

    worker: Worker[None]
    """The run it belongs to (a cancelled run may still report)."""

    stage: str
    """What is being done."""

    fraction: float
    """How much of it is done, 0..1."""

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters, so queued ones are dropped."""
        return isinstance(message, TrainingProgress) and message.worker is self.worker


@dataclass
class TrainingFinished(Message):
    """A training finished and its model was saved."""

    worker: Worker[None]
    """The run."""

    result: TrainingResult
    """The model and its evaluation on the scans."""

    drawn: DrawnEvaluation | None
    """Its evaluation on the strokes file, if one was given."""

    manifest: Manifest
    """The saved model's manifest."""


@dataclass
class TrainingStopped(Message):
    """A training was cancelled, or failed."""

    worker: Worker[None]
    """The run."""

    error: str = ""
    """Why it failed; empty when cancelled."""


@dataclass
class PersonalTrained(Message):
    """A retrain with the personal samples finished; its model is saved and active."""

    worker: Worker[None]
    """The run."""

    result: PersonalResult
    """The model and its figures."""

    manifest: Manifest
    """The saved model's manifest."""


@dataclass
class ActivationDone(Message):
    """A model from the history was loaded and made active, or could not be."""

    name: str
    """The model."""

    error: str = ""
    """Why it could not be used; empty on success."""


# --------------------------------------------------------------------------- the screen


class TrainScreen(Screen[None]):
    """Train and compare models, read their reports, choose the sketchpad's model."""

    CSS_PATH = "train.tcss"
    """Its layout, read when it first opens: the sketchpad's first frame does not parse it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.switch_mode('draw')", "Sketchpad"),
        Binding("ctrl+t", "train", "Train"),
        Binding("ctrl+c", "cancel", "Cancel", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._worker: Worker[None] | None = None
        self._auto_name = ""
        self._fresh: tuple[Any, Manifest] | None = None
        self._tested: dict[str, TestedDigits] = {}
        self._delete_armed: tuple[str, float] | None = None
        self.result: TrainingResult | None = None
        """The latest finished training."""

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        with TabbedContent(id="train-tabs"):
            with TabPane("Train", id="train-tab"), VerticalScroll(id="train-form"):
                with Horizontal(classes="form-row family-row"):
                    yield Label("Model", classes="form-label")
                    with RadioSet(id="family"):
                        for family, description in FAMILY_DESCRIPTIONS.items():
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

    def on_screen_resume(self) -> None:
        self.refresh_history()
        self.show_personal_count()

    # ----------------------------------------------------------------- helpers

    @property
    def home(self) -> Path:
        """The user data directory the app was built with."""
        home = getattr(self.app, "home", None)
        if home is not None:
            return Path(home)
        from tuipad.store.paths import data_home

        return data_home()

    @property
    def paths(self) -> Paths:
        """The locations under :attr:`home`."""
        from tuipad.store.paths import Paths

        return Paths(self.home)

    def _runner(self) -> Runner:
        """How the workers run the core: in a child process unless the app says not to."""
        from tuipad.background import run_in_process, run_in_thread

        return run_in_process if getattr(self.app, "run_in_process", True) else run_in_thread

    @property
    def training(self) -> bool:
        """Whether a training is running."""
        return self._worker is not None

    def _set_name(self, family: str) -> None:
        """Suggest a name for the family unless the user typed their own."""
        field = self.query_one("#name", Input)
        if field.value in ("", self._auto_name):
            self._auto_name = default_name(family)
            field.value = self._auto_name

    def _set_running(self, running: bool) -> None:
        self.query_one("#train", Button).disabled = running
        self.query_one("#retrain", Button).disabled = running
        self.query_one("#cancel", Button).disabled = not running
        self.refresh_bindings()

    def _family(self) -> str:
        index = self.query_one("#family", RadioSet).pressed_index
        return list(FAMILY_DESCRIPTIONS)[max(index, 0)]

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

    # ----------------------------------------------------------------- the form

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
            name = services.check_new_name(self.paths, self.query_one("#name", Input).value.strip())
        except ValueError as error:
            self.notify(str(error), title="Cannot train", severity="error")
            return
        strokes = self.query_one("#strokes", Input).value.strip() or None
        self.query_one("#stage", Static).update(f"Training {name}: {spec.data_label}…")
        self.query_one("#progress", ProgressBar).update(progress=0)
        self.query_one("#fresh-row").display = False
        self._worker = self.run_training(spec, name, strokes, self.home, self._runner())
        self._set_running(True)

    def action_cancel(self) -> None:
        """Stop the running training; the active model stays in use."""
        if self._worker is None:
            return
        self._worker.cancel()
        self._worker = None
        self._set_running(False)
        model: LoadedModel | None = getattr(self.app, "model", None)
        still = f" {model.name} is still the active model." if model is not None else ""
        self.query_one("#stage", Static).update(f"Training cancelled.{still}")

    # ----------------------------------------------------------------- the worker

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
        self, spec: TrainingSpec, name: str, strokes: str | None, home: Path, runner: Runner
    ) -> None:
        """Train, test on the drawn digits, save; post what happened.

        Args:
            spec: What to train.
            name: Name to save the model under.
            strokes: A strokes file to test on as well, or ``None``.
            home: The user data directory.
            runner: Runs the training (in a child process, or here).
        """
        from tuipad import services
        from tuipad.core.training import TrainingCancelled, read_drawn_digits
        from tuipad.store.paths import Paths

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
                Paths(home),
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
            return len(cast("TuipadApp", self.app).sample_store())
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
        self._worker = self.run_retrain(self.home, self._runner())
        self._set_running(True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="train")
    def run_retrain(self, home: Path, runner: Runner) -> None:
        """Train the default recipe plus the personal samples, save it and make it active.

        Args:
            home: The user data directory.
            runner: Runs the fitting (in a child process, or here).
        """
        from tuipad import services
        from tuipad.core.training import TrainingCancelled
        from tuipad.store.paths import Paths

        worker: Worker[None] = get_current_worker()
        stopped, progress = self._worker_hooks(worker)

        try:
            store = cast("TuipadApp", self.app).sample_store()
            result, manifest = services.retrain_personal(
                Paths(home), store, progress=progress, should_stop=stopped, runner=runner
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

    # ----------------------------------------------------------------- results

    def show_results(
        self, name: str, result: TrainingResult, drawn: DrawnEvaluation | None
    ) -> None:
        """Fill the report and the matrix with a training's results."""
        evaluation = result.evaluation
        protocol = f"{result.spec.cv}-fold CV" if result.spec.cv else "half split"
        summary = (
            f"{name} · {result.spec.family} · {result.spec.data_label}\n"
            f"accuracy {evaluation.accuracy:.1%} on {evaluation.n} scans ({protocol})"
        )
        self._tested = {
            "scans": TestedDigits(
                f"{evaluation.n} scans",
                evaluation,
                result.test_grids,
                result.test_labels,
                result.test_predicted,
                result.test_scores,
            )
        }
        self.query_one("#report", ReportTable).show(evaluation)
        drawn_report = self.query_one("#drawn-report", ReportTable)
        drawn_title = self.query_one("#drawn-title", Static)
        select: Select[str] = self.query_one("#test-set", Select)
        if drawn is not None:
            summary += f"; {drawn.evaluation.accuracy:.1%} on {drawn.evaluation.n} drawn digits"
            self._tested["drawn"] = TestedDigits(
                f"{drawn.evaluation.n} drawn digits",
                drawn.evaluation,
                drawn.grids,
                drawn.labels,
                drawn.predicted,
                drawn.scores,
            )
            drawn_title.update(f"On {drawn.evaluation.n} drawn digits")
            drawn_report.show(drawn.evaluation)
            select.set_options([("scanned digits", "scans"), ("drawn digits", "drawn")])
        else:
            select.set_options([("scanned digits", "scans")])
        select.value = "scans"
        drawn_title.display = drawn_report.display = select.display = drawn is not None
        self.query_one("#summary", Static).update(summary)
        self.show_matrix("scans")

    def show_matrix(self, which: str) -> None:
        """Show the confusion matrix of the scans or of the drawn digits."""
        tested = self._tested.get(which)
        if tested is None:
            return
        matrix = self.query_one(ConfusionMatrix)
        matrix.matrix = tuple(tuple(int(c) for c in row) for row in tested.evaluation.confusion)
        self.query_one(DigitPictures).samples = ()
        self.query_one("#samples-title", Static).update(
            f"{tested.title}: choose a cell to see its digits."
        )

    @on(Select.Changed, "#test-set")
    def _test_set_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.show_matrix(event.value)

    @on(ConfusionMatrix.Selected)
    def _cell_selected(self, event: ConfusionMatrix.Selected) -> None:
        self.show_samples(event.true, event.predicted)

    def show_samples(self, true: int, predicted: int) -> None:
        """Show the digits of one cell of the matrix."""
        which = self.query_one("#test-set", Select).value
        tested = self._tested.get(str(which))
        if tested is None:
            return
        samples = tested.samples(true, predicted)
        count = int(((tested.labels == true) & (tested.predicted == predicted)).sum())
        if true == predicted:
            title = f"{true} read right: {count} digits, least sure first"
        else:
            title = f"{true} read as {predicted}: {count} digits, surest first"
        if count > len(samples):
            title += f" (first {len(samples)})"
        self.query_one("#samples-title", Static).update(title)
        self.query_one(DigitPictures).samples = samples
        self.query_one("#samples-scroll", VerticalScroll).scroll_home(animate=False)

    # ----------------------------------------------------------------- history

    def refresh_history(self) -> None:
        """Reload the table of models from the user data directory."""
        from tuipad import services

        table = self.query_one("#history", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for row in services.model_rows(self.paths):
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
            self.activate(name, self.home)

    @on(Button.Pressed, "#delete")
    def _delete_pressed(self) -> None:
        from tuipad import services
        from tuipad.store.registry import ModelError

        name = self._history_name()
        if name is None:
            return
        now = time.monotonic()
        armed, self._delete_armed = self._delete_armed, (name, now)
        button = self.query_one("#delete", Button)
        if armed is None or armed[0] != name or now - armed[1] > DELETE_CONFIRM_SECONDS:
            # The question goes on the button itself: a toast would sit over it.
            button.label = "Delete? Again"
            self.set_timer(DELETE_CONFIRM_SECONDS, self._disarm_delete)
            return
        self._disarm_delete()
        was_active = getattr(self.app, "model", None)
        try:
            services.remove(self.paths, name)
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

            self.activate(DEFAULT_NAME, self.home)

    def _disarm_delete(self) -> None:
        """Forget a first press of Delete and restore its label."""
        self._delete_armed = None
        self.query_one("#delete", Button).label = "Delete"

    @on(Button.Pressed, "#activate-fresh")
    def _activate_fresh(self) -> None:
        from tuipad import services
        from tuipad.store.registry import LoadedModel, ModelError

        if self._fresh is None:
            return
        estimator, manifest = self._fresh
        try:
            services.activate(self.paths, manifest.name)
        except ModelError as error:
            self.notify(str(error), title="Cannot use the model", severity="error")
            return
        self.app.post_message(ModelLoaded(LoadedModel(estimator, manifest)))
        self.notify(f"The sketchpad now reads with {manifest.name}")
        self.query_one("#fresh-row").display = False
        self.refresh_history()

    @work(thread=True, exclusive=True, exit_on_error=False, group="activate")
    def activate(self, name: str, home: Path) -> None:
        """Load a saved model, make it the active one and hand it to the app.

        Args:
            name: The model.
            home: The user data directory.
        """
        from tuipad import services
        from tuipad.store.paths import Paths
        from tuipad.store.registry import ModelError

        try:
            model = services.activate(Paths(home), name)
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


def personal_summary(name: str, result: PersonalResult) -> str:
    """What a retrain with personal samples measured, in three lines.

    Args:
        name: The saved model.
        result: The retrain.

    Returns:
        Time and sample count; accuracy on the test scans; accuracy on the
        held-back personal samples, after and with the bundled model.
    """
    metrics = result.metrics
    lines = [
        f"Retrained {name} with {metrics.get('personal_samples', 0)} samples in"
        f" {result.seconds:.1f} s; it is now the active model (Models tab to switch back)."
    ]
    scans = metrics.get("test_accuracy")
    if scans is not None:
        lines.append(f"Scans (second half of the split): {scans:.1%}")
    held, after = metrics.get("personal_held_back", 0), metrics.get("personal_accuracy")
    if after is None:
        lines.append("Your samples: too few of each digit to hold some back for testing.")
    else:
        before = metrics.get("personal_before")
        was = f" (bundled model: {before:.0%})" if before is not None else ""
        lines.append(f"Your {held} held-back samples: {after:.0%}{was}")
    return "\n".join(lines)
