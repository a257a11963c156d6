"""Training a model family or a recipe and saving it with its figures, and evaluating drawings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuipad.core.families import CV_PROTOCOL, TrainingSpec
from tuipad.core.families import recipe_spec as core_recipe_spec
from tuipad.core.progress import JobReport
from tuipad.core.training import TrainingCancelled
from tuipad.store import registry
from tuipad.store.evaluation_files import SavedEvaluation, save_evaluation
from tuipad.store.files import check_writable
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.store.registry import DEFAULT_NAME, LoadedModel, Manifest, ModelError

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.core.reports import Evaluation
    from tuipad.core.training import DrawnDigits, DrawnEvaluation, TrainingResult


def _never() -> bool:
    return False


def in_thread() -> Runner:
    """The default runner: the calling thread."""
    from tuipad.background import run_in_thread

    return run_in_thread


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
        f"{spec.cv}{CV_PROTOCOL} on load_digits ({n} scans)"
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


def tested_digits(result: TrainingResult, drawn: DrawnEvaluation | None = None) -> SavedEvaluation:
    """What a training was tested on and read, kept beside the saved model: the scans, and
    the drawn digits of a strokes file if it was also tested on one."""
    also = None
    if drawn is not None:
        also = SavedEvaluation(drawn.grids, drawn.labels, drawn.predicted, drawn.scores)
    return SavedEvaluation(
        result.test_grids, result.test_labels, result.test_predicted, result.test_scores, also
    )


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


def train_and_save(
    paths: Paths,
    spec: TrainingSpec,
    name: str,
    *,
    recipe: str | None = None,
    drawn: DrawnDigits | None = None,
    ship: bool = False,
    progress: JobReport | None = None,
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
        OSError: The directory to save in cannot be written (checked first, so
            a read-only or full disk costs no training).
    """
    directory = bundled_models_dir() if ship else paths.models
    check_writable(directory)
    result, drawn_evaluation = (runner or in_thread())(
        training_job, spec, drawn, paths.cache, progress=progress, should_stop=should_stop
    )
    if should_stop():
        raise TrainingCancelled
    manifest = registry.save_model(
        result.estimator,
        directory,
        name,
        recipe=recipe or spec.family,
        training_data=result.sources,
        metrics=manifest_metrics(result, drawn_evaluation),
        trust_home=None if ship else paths.home,
    )
    save_evaluation(directory, name, tested_digits(result, drawn_evaluation))
    if should_stop() and not ship:  # cancelled while saving: a cancelled job keeps nothing
        with contextlib.suppress(ModelError, OSError):  # the cancel is what to report
            registry.remove_model(paths.home, name)
        raise TrainingCancelled
    if progress:
        progress(f"saved {name}", 1.0, 1.0)
    return Trained(result, drawn_evaluation, manifest, registry.model_paths(directory, name)[0])


def training_job(
    spec: TrainingSpec,
    drawn: DrawnDigits | None,
    cache: Path | None,
    *,
    progress: JobReport | None = None,
    should_stop: Callable[[], bool] = _never,
) -> tuple[TrainingResult, DrawnEvaluation | None]:
    """Everything a training computes, in one module-level call a child process can run.

    The pen digits are rendered once and kept in ``cache``
    (:mod:`tuipad.store.rendering_cache`), so every family and every later
    run that renders them the same way only loads them.
    """
    from tuipad.core import datasets
    from tuipad.core.progress import JobProgress
    from tuipad.core.training import train_and_test, training_costs
    from tuipad.store.rendering_cache import cache_path, cached_pen_rows

    pen_digits = datasets.load_pen_digits() if spec.pen else None
    rendered = False
    if pen_digits is not None and cache is not None:
        rendered = cache_path(spec, cache, pen_digits).is_file()
    costs = training_costs(
        spec,
        pen_digits=0 if pen_digits is None else len(pen_digits),
        rendered=rendered,
        drawn=0 if drawn is None else len(drawn.labels),
    )
    job = JobProgress(progress, costs)
    job.part("scans")("loading the scans", 0.0)
    pen = None
    if spec.pen:
        pen = cached_pen_rows(spec, cache, progress=job.part("render"), should_stop=should_stop)
    trained = train_and_test(spec, drawn, pen=pen, progress=job, should_stop=should_stop)
    job.part("save")("saving", 0.0)  # done by the caller, which fills the bar
    return trained


def train_recipe_and_save(
    recipe: str, paths: Paths, progress: JobReport | None = None
) -> tuple[Manifest, Any]:
    """Fit a recipe on all the data it uses and save it as the user's ``default``.

    This is the fallback when the bundled model cannot be loaded: the same
    recipe, data and seed as the bundled model, so its figures are copied.

    Returns:
        ``(manifest, estimator)``.

    Raises:
        OSError: The user's models directory cannot be written (checked first).
    """
    check_writable(paths.models)
    from tuipad.core import datasets
    from tuipad.core.progress import JobProgress
    from tuipad.core.rows import spec_data
    from tuipad.core.training import fit_recipe, training_costs
    from tuipad.store.rendering_cache import cache_path, cached_pen_rows

    spec = core_recipe_spec(recipe)
    pen_digits = datasets.load_pen_digits()
    rendered = cache_path(spec, paths.cache, pen_digits).is_file()
    costs = training_costs(spec, pen_digits=len(pen_digits), rendered=rendered)
    job = JobProgress(progress, [cost for cost in costs if cost[0] != "test"])
    job.part("scans")("loading the scans", 0.0)
    X, y = datasets.load_scans()
    pen = None
    if spec.pen:
        pen = cached_pen_rows(spec, paths.cache, progress=job.part("render"))
    data = spec_data(spec, X, y, pen_rows=pen)
    estimator = fit_recipe(recipe, data, job.part("keep"))
    job.part("save")("saving", 0.0)
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
    job.finish(f"saved {DEFAULT_NAME}")
    return manifest, estimator


def recipe_spec(recipe: str, cv: int | None = None) -> TrainingSpec:
    """The spec of a recipe, optionally with k-fold cross-validation.

    Raises:
        ValueError: An unknown recipe, or a bad number of folds.
    """
    return replace(core_recipe_spec(recipe), cv=cv)


# --------------------------------------------------------------------------- evaluating


def evaluate_drawings(
    model: LoadedModel | Any,
    labels: Sequence[int],
    drawings: Sequence[Any],
    progress: JobReport | None = None,
) -> tuple[Evaluation, Any, Any]:
    """Recognise labelled drawings on the one recognition path and score them.

    They are read a batch at a time, so memory stays bounded however many there
    are (the kernel against the support vectors takes it by the row).

    Args:
        model: A loaded model (or a fitted estimator, on the training side).
        labels: True digits.
        drawings: Strokes in canvas cells.
        progress: Told how far the reading is, when it takes more than one batch.

    Returns:
        ``(evaluation, predicted labels, scores)``: the scores are ``(n, 10)``,
        digits 0..9 in order, so callers can measure calibration.
    """
    import numpy as np

    from tuipad.core.recognise import BATCH, recognise_many
    from tuipad.core.reports import evaluate
    from tuipad.core.wording import counted

    predictor = model.predictor if isinstance(model, LoadedModel) else model
    stage = f"reading {counted(len(drawings), 'drawing')}"
    batches = []
    for start in range(0, len(drawings), BATCH):
        if progress is not None and len(drawings) > BATCH:
            progress(stage, start / len(drawings), 1.0)
        batches.append(recognise_many(predictor, drawings[start : start + BATCH])[:2])
    if progress is not None and len(drawings) > BATCH:
        progress(stage, 1.0, 1.0)
    predicted = np.concatenate([np.zeros(0, dtype=int), *(found for found, _ in batches)])
    scores = np.vstack([np.zeros((0, 10)), *(scored for _, scored in batches)])
    return evaluate(np.asarray(labels), predicted), predicted, scores
