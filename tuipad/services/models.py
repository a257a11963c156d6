"""The model's life cycle, for both front ends: train and save, retrain with the
user's samples, activate, load by name, evaluate a file, remove.

The CLI and the app call these functions and only render what they return:
neither builds a manifest, formats a model's figures or touches the registry
itself.  Long steps take ``progress`` and ``should_stop`` and a ``runner`` that
decides where the fitting happens (this thread, or a child process for the app).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuipad.core.families import RECIPE_SPECS, TrainingSpec
from tuipad.core.training import ProgressCallback, TrainingCancelled
from tuipad.store import registry
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.store.registry import DEFAULT_NAME, LoadedModel, Manifest, ModelError

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.core.personal import PersonalResult
    from tuipad.core.reports import Evaluation
    from tuipad.core.training import DrawnDigits, DrawnEvaluation, TrainingResult
    from tuipad.store.samples import SampleStore

PERSONAL_PREFIX = "personal"
"""Personal models are saved as ``personal-YYYYmmdd-HHMMSS``."""

KEEP_PERSONAL = 3
"""Older personal models than this many are removed after a retrain (never the active one)."""


def _never() -> bool:
    return False


def _in_thread() -> Runner:
    from tuipad.background import run_in_thread

    return run_in_thread


# --------------------------------------------------------------------------- loading


def load_active(
    paths: Paths | None = None, progress: ProgressCallback | None = None
) -> LoadedModel:
    """The model the sketchpad and the CLI should use.

    Tries, in order: the user's chosen model, the bundled default, a default
    retrained into the user data directory.  If none loads, the default recipe
    is retrained into the user data directory from what the package ships, and
    ``notice`` says why.

    Args:
        paths: The user data directory's paths (default: :meth:`Paths.default`).
        progress: Reports retraining progress, should it come to that.
    """
    paths = Paths.default() if paths is None else paths
    problems = []
    name = registry.active_name(paths.home)
    if name != DEFAULT_NAME:
        try:
            return registry.load_saved(paths.home, name)
        except ModelError as error:
            problems.append(str(error))
    try:
        model = registry.load_saved(paths.home, DEFAULT_NAME)
        return replace(model, notice="; ".join(problems))
    except ModelError as error:
        problems.append(str(error))
    notice = "; ".join(problems) + f"; retrained the default model into {paths.models}"
    manifest, estimator = train_recipe_and_save("default", paths, progress=progress)
    return LoadedModel(estimator, manifest, notice)


def load_model(name: str | None = None, paths: Paths | None = None) -> LoadedModel:
    """The active model (``name`` None or active), else the saved model ``name``.

    Raises:
        ModelError: No such model, or it fails the checks.
    """
    paths = Paths.default() if paths is None else paths
    if name is None or name == registry.active_name(paths.home):
        return load_active(paths)
    return registry.load_saved(paths.home, name)


def activate(paths: Paths, name: str) -> LoadedModel:
    """Load a saved model and make it the active one.

    The model is loaded before the setting is written, so a model that cannot
    load never becomes active.

    Raises:
        ModelError: No such model, or it fails the checks.
    """
    if name == DEFAULT_NAME:
        registry.use_model(paths.home, name)
        return load_active(paths)
    model = registry.load_saved(paths.home, name)
    registry.use_model(paths.home, name)
    return model


def remove(paths: Paths, name: str) -> None:
    """Delete a user model and forget its hash; the active one falls back to the default.

    Raises:
        ModelError: The bundled model, or no such model.
    """
    registry.remove_model(paths.home, name)


def check_new_name(paths: Paths, name: str) -> str:
    """``name`` if a new user model may take it.

    Raises:
        ValueError: A name that cannot name a model, or one already taken.
    """
    registry.check_name(name)
    if registry.model_paths(paths.models, name)[1].exists():
        raise ValueError(f"a model named {name!r} exists: choose another name or delete it first")
    return name


# --------------------------------------------------------------------------- the models table


@dataclass(frozen=True)
class ModelRow:
    """One saved model as both front ends show it.

    Attributes:
        name: The name to type back (``tuipad models use NAME``).
        family: Model family or recipe.
        data: What it learnt from and how it was tested.
        created: ``YYYY-mm-dd HH:MM``.
        accuracy: Held-out accuracy, or ``None``.
        size: Bytes of its pickle.
        bundled: Shipped with tuipad.
        active: The model in use.
        recipe: The recipe or family it was trained with.
        created_iso: The full ISO time of saving.
    """

    name: str
    family: str
    data: str
    created: str
    accuracy: float | None
    size: int
    bundled: bool
    active: bool
    recipe: str
    created_iso: str

    @property
    def accuracy_text(self) -> str:
        """The accuracy as a percentage, or a dash."""
        return f"{self.accuracy:.2%}" if self.accuracy is not None else "—"

    @property
    def size_text(self) -> str:
        """The size in KiB."""
        return f"{self.size / 1024:.0f} KiB"

    def to_json(self) -> dict[str, Any]:
        """The row as ``tuipad models --json`` prints it."""
        return {
            "name": self.name,
            "recipe": self.recipe,
            "family": self.family,
            "data": self.data,
            "created": self.created_iso,
            "accuracy": self.accuracy,
            "size": self.size,
            "bundled": self.bundled,
            "active": self.active,
        }


def model_rows(paths: Paths) -> list[ModelRow]:
    """The bundled model and the user's models, bundled first then by date."""
    rows = []
    for entry in registry.list_models(paths.home):
        manifest, metrics = entry.manifest, entry.manifest.metrics
        accuracy = metrics.get("test_accuracy")
        rows.append(
            ModelRow(
                name=manifest.name,
                family=str(metrics.get("family", manifest.recipe)),
                data=str(metrics.get("data", "")),
                created=manifest.created[:16].replace("T", " "),
                accuracy=float(accuracy) if accuracy is not None else None,
                size=entry.size,
                bundled=entry.bundled,
                active=entry.active,
                recipe=manifest.recipe,
                created_iso=manifest.created,
            )
        )
    return rows


# --------------------------------------------------------------------------- training


def manifest_metrics(
    result: TrainingResult, drawn: DrawnEvaluation | None = None
) -> dict[str, Any]:
    """The figures a trained model's manifest records.

    Returns:
        ``test_accuracy``, ``protocol``, ``family``, ``data``, ``train_seconds``
        (and ``params``, ``drawn_accuracy``, ``drawn_n`` when known).
    """
    spec, n = result.spec, result.evaluation.n
    protocol = (
        f"{spec.cv}-fold cross-validation on load_digits ({n} scans)"
        if spec.cv
        else "trained on the first half of load_digits"
        + (" plus the pen digits" if spec.pen else "")
        + (" and distorted copies" if spec.augment else "")
        + f", tested on the second half ({n} scans)"
    )
    metrics: dict[str, Any] = {
        "test_accuracy": round(result.evaluation.accuracy, 6),
        "protocol": protocol,
        "family": spec.family,
        "data": spec.data_label,
        "train_seconds": round(result.seconds, 1),
    }
    if result.params:
        metrics["params"] = result.params
    if drawn is not None:
        metrics["drawn_accuracy"] = round(drawn.evaluation.accuracy, 6)
        metrics["drawn_n"] = drawn.evaluation.n
    return metrics


@dataclass(frozen=True)
class Trained:
    """A trained and saved model.

    Attributes:
        result: The training, with the kept estimator and its evaluation.
        drawn: Its evaluation on drawn digits, when a strokes file was given.
        manifest: What was saved.
        path: The pickle written.
    """

    result: TrainingResult
    drawn: DrawnEvaluation | None
    manifest: Manifest
    path: Path

    @property
    def model(self) -> LoadedModel:
        """The trained model, ready to recognise."""
        return LoadedModel(self.result.estimator, self.manifest)


def train_and_save(
    paths: Paths,
    spec: TrainingSpec,
    name: str,
    *,
    recipe: str | None = None,
    drawn: DrawnDigits | None = None,
    ship: bool = False,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = _never,
    runner: Runner | None = None,
) -> Trained:
    """Train a spec, test it (and on drawn digits), save it as a trusted user model.

    Args:
        paths: The user data directory's paths.
        spec: What to train.
        name: The name to save under (checked by the caller with :func:`check_new_name`).
        recipe: The recipe name for the manifest (default: the spec's family).
        drawn: Drawings to test on as well.
        ship: Save into the package's ``models/`` as the bundled model (maintainers).
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; nothing is saved if it stops.
        runner: Runs the training (default: this thread; the app passes a child process).

    Raises:
        TrainingCancelled: ``should_stop`` said so.
    """
    from tuipad.core.training import train_and_test

    result, drawn_evaluation = (runner or _in_thread())(
        train_and_test, spec, drawn, progress=progress, should_stop=should_stop
    )
    if should_stop():
        raise TrainingCancelled
    if progress:
        progress("saving", 1.0)
    directory = bundled_models_dir() if ship else paths.models
    manifest = registry.save_model(
        result.estimator,
        directory,
        name,
        recipe=recipe or spec.family,
        training_data=result.sources,
        metrics=manifest_metrics(result, drawn_evaluation),
        trust_home=None if ship else paths.home,
    )
    return Trained(result, drawn_evaluation, manifest, registry.model_paths(directory, name)[0])


def train_recipe_and_save(
    recipe: str, paths: Paths, progress: ProgressCallback | None = None
) -> tuple[Manifest, Any]:
    """Fit a recipe on all the data it uses and save it as the user's ``default``.

    This is the fallback when the bundled model cannot be loaded: the same
    recipe, data and seed as the bundled model, so its figures are copied.

    Returns:
        ``(manifest, estimator)``.
    """
    from tuipad.core import datasets
    from tuipad.core.training import fit_recipe, recipe_data

    X, y = datasets.load_scans()
    data = recipe_data(recipe, X, y, progress=progress)
    estimator = fit_recipe(recipe, data, progress)
    try:
        bundled = registry.model_paths(bundled_models_dir(), DEFAULT_NAME)[1]
        metrics = Manifest.from_file(bundled).metrics if recipe == "default" else {}
    except ModelError:
        metrics = {}
    manifest = registry.save_model(
        estimator,
        paths.models,
        DEFAULT_NAME,
        recipe=recipe,
        training_data=data.sources,
        metrics=metrics,
        trust_home=paths.home,
    )
    return manifest, estimator


def recipe_spec(recipe: str, cv: int | None = None) -> TrainingSpec:
    """The spec of a recipe, optionally with k-fold cross-validation."""
    return replace(RECIPE_SPECS[recipe], cv=cv)


# --------------------------------------------------------------------------- evaluating


def evaluate_drawings(
    model: LoadedModel | Any, labels: Sequence[int], drawings: Sequence[Any]
) -> tuple[Evaluation, Any]:
    """Recognise labelled drawings on the one recognition path and score them.

    Args:
        model: A loaded model (or a fitted estimator).
        labels: True digits.
        drawings: Strokes in canvas cells.

    Returns:
        ``(evaluation, predicted labels)``.
    """
    from tuipad.core.recognise import recognise_many
    from tuipad.core.reports import evaluate

    estimator = model.estimator if isinstance(model, LoadedModel) else model
    predicted, _, _ = recognise_many(estimator, drawings)
    return evaluate(labels, predicted), predicted


# --------------------------------------------------------------------------- personal models


def personal_job(
    labels: Sequence[int],
    drawings: Sequence[Any],
    cache: Path | None,
    *,
    evaluate: bool = True,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PersonalResult:
    """Fit the default recipe plus personal samples (saves no model).

    Module-level so a child process can run it: it reads the cached rows of
    the default recipe (rendering and caching them if need be) and the bundled
    model for the figure before adapting.
    """
    from tuipad.core import datasets
    from tuipad.core.personal import train_personal
    from tuipad.store.rows_cache import default_rows

    X, y = datasets.load_scans()
    base = default_rows(X, y, cache=cache, progress=progress, should_stop=should_stop)
    if should_stop is not None and should_stop():
        raise TrainingCancelled
    try:
        bundled, _ = registry.load_model(bundled_models_dir(), DEFAULT_NAME)
    except ModelError:
        bundled = None
    return train_personal(
        labels,
        drawings,
        base,
        bundled=bundled if evaluate else None,
        evaluate=evaluate,
        progress=progress,
        should_stop=should_stop,
    )


def personal_name(now: float | None = None) -> str:
    """A new personal model's name, ``personal-YYYYmmdd-HHMMSS`` (UTC)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))
    return f"{PERSONAL_PREFIX}-{stamp}"


def save_personal(
    paths: Paths, result: PersonalResult, *, name: str | None = None, activate: bool = True
) -> Manifest:
    """Save a personal model as a trusted user model and (by default) make it active.

    Older automatically named personal models beyond the :data:`KEEP_PERSONAL`
    most recent are removed through the registry (so their hashes are
    forgotten too), except the one that is active.

    Raises:
        ValueError: A name that cannot name a user model.
    """
    if name is None:
        name = personal_name()
        while registry.model_paths(paths.models, name)[1].exists():
            time.sleep(1)
            name = personal_name()
    registry.check_name(name)
    manifest = registry.save_model(
        result.estimator,
        paths.models,
        name,
        recipe="default+personal",
        training_data=result.sources,
        metrics=result.metrics,
        trust_home=paths.home,
    )
    if activate:
        registry.set_active_name(paths.home, name)
    active = registry.active_name(paths.home)
    older = sorted(paths.models.glob(f"{PERSONAL_PREFIX}-*-*.json"))[:-KEEP_PERSONAL]
    for manifest_path in older:
        stem = manifest_path.name[: -len(".json")]
        if stem != active:
            registry.remove_model(paths.home, stem)
    return manifest


def retrain_personal(
    paths: Paths,
    store: SampleStore,
    *,
    name: str | None = None,
    activate: bool = True,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    runner: Runner | None = None,
) -> tuple[PersonalResult, Manifest]:
    """Train on the store's samples, save the model and (by default) make it active.

    This is what ``tuipad train --personal`` and the training screen run.
    Reading the store and saving stay in this thread, so a cancelled run saves
    nothing.

    Raises:
        ValueError: The store holds no samples, or a bad ``name``.
        TrainingCancelled: ``should_stop`` said so.
        StoreError: The store cannot be read.
    """
    if name is not None:
        registry.check_name(name)
    samples = store.list()
    if not samples:
        raise ValueError("there are no personal samples yet: correct or teach some digits first")
    result = (runner or _in_thread())(
        personal_job,
        [s.label for s in samples],
        [s.strokes for s in samples],
        paths.cache,
        progress=progress,
        should_stop=should_stop,
    )
    if should_stop is not None and should_stop():
        raise TrainingCancelled
    return result, save_personal(paths, result, name=name, activate=activate)


def adapt_and_evaluate(
    paths: Paths,
    personal: tuple[Sequence[int], Sequence[Any]],
    test: tuple[Sequence[int], Sequence[Any]],
    progress: ProgressCallback | None = None,
) -> tuple[PersonalResult, Evaluation, Any]:
    """Adapt the default recipe to labelled drawings in memory, then score others.

    The sample store and the active model are not touched; only the cache of
    rendered training rows may be written.

    Returns:
        ``(result, evaluation, predicted labels)``.
    """
    result = personal_job(*personal, paths.cache, evaluate=False, progress=progress)
    evaluation, predicted = evaluate_drawings(result.estimator, *test)
    return result, evaluation, predicted


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportReport:
    """One exported file, and how closely it follows tuipad on ``load_digits``.

    Attributes:
        kind: The format's key (``"coreml"`` or ``"onnx"``).
        format_name: How messages name the format.
        path: The file written.
        size: Its size in bytes.
        model_name: The exported model's name.
        checked_by: How the file's labels were computed, for messages.
        agreeing: Scans the file labels as tuipad does.
        total: Scans compared (all of ``load_digits``).
    """

    kind: str
    format_name: str
    path: Path
    size: int
    model_name: str
    checked_by: str
    agreeing: int
    total: int

    @property
    def agrees(self) -> bool:
        """Whether the file labels every scan as tuipad does."""
        return self.agreeing == self.total


def export_model(
    paths: Paths,
    name: str | None,
    targets: dict[str, Path],
    *,
    notice: Callable[[str], None] | None = None,
    written: Callable[[ExportReport], None] | None = None,
) -> list[ExportReport]:
    """Export the active (or a saved) model, and check each file against tuipad.

    The model's family and every format's packages are checked before
    anything is written; then each file is written atomically and read back on
    its own (the Core ML spec recomputed with numpy, the ONNX file run with
    onnxruntime) to compare its labels with tuipad's on all ``load_digits`` scans.

    Args:
        paths: The user data directory's paths.
        name: A saved model's name, or None for the active model.
        targets: Format key (see :data:`tuipad.export.FORMATS`) -> file to write.
        notice: Told the model's load notice (a fallback, a retrain), if any.
        written: Told each report as soon as its file is checked.

    Returns:
        One report per target, in the order of ``targets``.

    Raises:
        ModelError: The model cannot be loaded.
        ExportError: An unexportable model, a missing extra, a file that cannot
            be written, or an export this reader does not know; one line.
    """
    from tuipad import export
    from tuipad.core import datasets
    from tuipad.core.recognise import predict_grids

    model = load_model(name, paths)
    if model.notice and notice is not None:
        notice(model.notice)
    export.check_exportable(model.estimator, targets)
    X, _ = datasets.load_scans()
    expected, _ = predict_grids(model.estimator, X)
    reports = []
    for kind, path in targets.items():
        form = export.FORMATS[kind]
        try:
            form.write(model.estimator, model.manifest, path)
            labels, _ = form.predict(path, X)
        except OSError as error:
            raise export.ExportError(f"cannot write {path}: {error.strerror or error}") from None
        report = ExportReport(
            kind=kind,
            format_name=form.name,
            path=path,
            size=path.stat().st_size,
            model_name=model.name,
            checked_by=form.checked_by,
            agreeing=int((labels == expected).sum()),
            total=len(expected),
        )
        if written is not None:
            written(report)
        reports.append(report)
    return reports
