"""Train and compare model families: the core of the training screen and ``tuipad train``.

A :class:`TrainingSpec` names a model family and the data it learns from; :func:`train`
evaluates it (the original demo's half split, or k-fold cross-validation on the scans),
then fits the model to keep, reporting progress and stopping cleanly between stages
when asked.  No Textual here: the screen runs :func:`train` in a worker thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from tuipad.core.families import (
    MLP_EPOCHS,
    RECIPE_SPECS,
    SCAN_COPIES,
    TrainingSpec,
    build,
    reads_paths,
    recipe_spec,
)
from tuipad.core.fitting import ProgressCallback as ProgressCallback
from tuipad.core.fitting import TrainingCancelled as TrainingCancelled
from tuipad.core.fitting import TrainingData as TrainingData
from tuipad.core.fitting import fit_grouped, fit_mlp_by_epochs, tune_svc
from tuipad.core.progress import (
    JobProgress,
    fit_seconds,
    path_fit_seconds,
    render_seconds,
    save_seconds,
    stage_callback,
)
from tuipad.core.recognise import predict_grids, recognise_many
from tuipad.core.reports import Evaluation, evaluate
from tuipad.core.rows import PenRows, pen_copies, render_pen_rows, spec_data


@dataclass(frozen=True)
class TrainingResult:
    """A trained model and how it did.

    Attributes:
        spec: What was trained.
        estimator: The model to keep (fitted on everything the spec uses,
            except the seed recipe, which keeps the demo's first-half model).
        evaluation: Report and confusion matrix on the held-out scans.
        test_grids: ``(n, 64)`` held-out scans, in the order of the matrix rows.
        test_labels: Their true digits.
        test_predicted: The predicted digits.
        test_scores: ``(n, 10)`` scores.
        sources: What the kept model was trained on.
        seconds: Wall time of the whole run.
        params: Chosen hyper-parameters (tuned SVC), for the manifest.
    """

    spec: TrainingSpec
    estimator: Any
    evaluation: Evaluation
    test_grids: np.ndarray
    test_labels: np.ndarray
    test_predicted: np.ndarray
    test_scores: np.ndarray
    sources: tuple[str, ...]
    seconds: float
    params: dict[str, Any] = field(default_factory=dict)


def fit_spec(
    spec: TrainingSpec,
    data: TrainingData,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    params: dict[str, Any] | None = None,
    path_part: Any = None,
) -> tuple[Any, dict[str, Any]]:
    """Fit a spec's family on prepared rows.

    Args:
        path_part: The default model's path part, already fitted on these rows'
            paths (every split of a training has the same pen rows).

    Returns:
        ``(estimator, params)``: params are the tuned SVC's chosen ``C`` and
        ``gamma`` (searched unless given), else empty.
    """
    stage = f"fitting {spec.family} on {len(data.y)} digits"
    if progress:
        progress(stage, 0.0)
    params = dict(params or {})
    if spec.family == "svc" and not params:
        params = tune_svc(data, progress=progress, should_stop=should_stop)
    estimator = build(spec.family, params, seed=spec.seed)
    if spec.family == "mlp":
        fit_mlp_by_epochs(estimator, data, stage, progress, should_stop, epochs=MLP_EPOCHS)
    else:
        fit_grouped(estimator, data, **({} if path_part is None else {"svc__path_part": path_part}))
    if should_stop():
        raise TrainingCancelled
    if progress:
        progress(stage, 1.0)
    return estimator, params


def fit_recipe(recipe: str, data: TrainingData, progress: ProgressCallback | None = None) -> Any:
    """Fit a recipe's estimator on prepared rows (see :func:`fit_spec`)."""
    return fit_spec(recipe_spec(recipe), data, progress=progress)[0]


def train(
    spec: TrainingSpec,
    *,
    pen: PenRows | None = None,
    progress: ProgressCallback | JobProgress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> TrainingResult:
    """Evaluate a spec on the scans, then fit the model to keep.

    With the half split, the model is trained on the first half of
    ``load_digits`` (plus pen digits and copies as asked) and tested on the
    second half, like the original demo.  With ``cv=k``, each of k stratified
    folds of the scans is predicted by a model that did not train on it, and
    the report covers all 1,797 scans.  The kept model is then fitted on all
    the scans, with the pen digits and copies the spec asks for (the seed
    recipe keeps its first-half model, as the demo did).

    Args:
        spec: What to train.
        pen: The pen digits already rendered for ``spec`` (else rendered here, once).
        progress: Called with a stage name and the fraction done, or a job
            laid out by :func:`training_costs` whose stages it moves.
        should_stop: Checked between stages; ``True`` raises
            :class:`TrainingCancelled`.

    Returns:
        The result, with the kept model.
    """
    from tuipad.core import datasets

    start = time.perf_counter()
    X, y = datasets.load_scans()
    if spec.pen and pen is None:
        rendering = stage_callback(progress, "render")
        pen = render_pen_rows(spec, progress=rendering, should_stop=should_stop)
    protocol = _half_split if spec.cv is None else _cross_validate
    tested = protocol(spec, X, y, pen, stage_callback(progress, "test"), should_stop)
    estimator, params, data = tested.estimator, tested.params, tested.data
    if keeps_another_model(spec):
        keeping = stage_callback(progress, "keep")
        data = spec_data(spec, X, y, pen_rows=pen)
        keeping(f"fitting the model to keep on all {len(data.y):,} digits", 0.0)
        estimator, params = fit_spec(
            spec,
            data,
            progress=keeping,
            should_stop=should_stop,
            params=params,
            path_part=path_part_of(estimator),
        )
    return TrainingResult(
        spec=spec,
        estimator=estimator,
        evaluation=evaluate(tested.labels, tested.predicted),
        test_grids=np.asarray(tested.grids),
        test_labels=np.asarray(tested.labels),
        test_predicted=tested.predicted,
        test_scores=tested.scores,
        sources=data.sources,
        seconds=time.perf_counter() - start,
        params=params,
    )


def path_part_of(estimator: Any) -> Any:
    """The fitted path part of a model reading the pen's path, else None."""
    return getattr(estimator.named_steps.get("svc"), "path_", None)


def keeps_another_model(spec: TrainingSpec) -> bool:
    """Whether a training fits a model to keep after the one it tested.

    The seed recipe keeps its first-half model, as the original demo did.
    """
    return spec != replace(RECIPE_SPECS["seed"], seed=spec.seed)


def training_costs(
    spec: TrainingSpec, *, pen_digits: int, rendered: bool, drawn: int = 0
) -> list[tuple[str, float]]:
    """A training's stages and their rough seconds, to lay out its progress bar.

    Args:
        spec: What is trained.
        pen_digits: Pen digits it uses (0 without them).
        rendered: Whether their rendering is already at hand (a cache).
        drawn: Drawn digits it is tested on afterwards.
    """
    pen_rows = pen_copies(spec) * pen_digits if spec.pen else 0
    scans = 1797 * (1 + SCAN_COPIES if spec.augment else 1)
    folds = spec.cv or 1
    tested_scans = scans * (1 - 1 / folds if spec.cv else 0.5)  # the seed split halves
    tested = fit_seconds(spec.family, int(tested_scans) + pen_rows, 1797 // folds) * folds
    if reads_paths(spec):  # fitted once, for the test and the kept model
        tested += path_fit_seconds(pen_rows)
    costs = [
        ("scans", 1.0),
        ("render", 0.2 if rendered else render_seconds(pen_rows)),
        ("test", tested),
    ]
    if keeps_another_model(spec):
        costs.append(("keep", fit_seconds(spec.family, scans + pen_rows)))
    costs.append(("drawn", render_seconds(drawn)))
    costs.append(("save", save_seconds(spec.family, scans + pen_rows)))
    return costs


@dataclass(frozen=True)
class _Tested:
    """What an evaluation protocol measured, with the last model it fitted."""

    estimator: Any
    params: dict[str, Any]
    data: TrainingData
    grids: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    scores: np.ndarray


def _half_split(
    spec: TrainingSpec,
    X: np.ndarray,
    y: np.ndarray,
    pen: PenRows | None,
    progress: ProgressCallback | None,
    should_stop: Callable[[], bool],
) -> _Tested:
    """Train on the first half of the scans, test on the second, as the demo did."""
    from tuipad.core import datasets

    X_train, X_test, y_train, y_test = datasets.seed_split(X, y)
    data = spec_data(spec, X_train, y_train, pen_rows=pen)
    estimator, params = fit_spec(spec, data, progress=progress, should_stop=should_stop)
    predicted, scores = predict_grids(estimator, X_test)
    return _Tested(estimator, params, data, X_test, y_test, predicted, scores)


def _cross_validate(
    spec: TrainingSpec,
    X: np.ndarray,
    y: np.ndarray,
    pen: PenRows | None,
    progress: ProgressCallback | None,
    should_stop: Callable[[], bool],
) -> _Tested:
    """Predict each of ``spec.cv`` stratified folds of the scans with a model fitted without it.

    The SVC's parameters are tuned on the first fold and reused on the others, and so
    is the default model's path part (the folds part the scans, not the pen digits).
    """
    from sklearn.model_selection import StratifiedKFold

    assert spec.cv is not None
    predicted = np.zeros(len(y), dtype=int)
    scores = np.zeros((len(y), 10))
    folds = StratifiedKFold(spec.cv, shuffle=True, random_state=spec.seed).split(X, y)
    params: dict[str, Any] = {}
    path_part = None
    for number, (train_rows, test_rows) in enumerate(folds, start=1):
        fold = _fold_progress(progress, number, spec.cv)
        fold(f"cross-validation fold {number}/{spec.cv}", 0.0)
        data = spec_data(spec, X[train_rows], y[train_rows], pen_rows=pen)
        estimator, params = fit_spec(
            spec, data, progress=fold, should_stop=should_stop, params=params, path_part=path_part
        )
        path_part = path_part_of(estimator)
        predicted[test_rows], scores[test_rows] = predict_grids(estimator, X[test_rows])
    return _Tested(estimator, params, data, X, y, predicted, scores)


def _fold_progress(progress: ProgressCallback | None, number: int, folds: int) -> ProgressCallback:
    """Fold ``number``'s progress as its slice of the whole cross-validation."""

    def report(stage: str, fraction: float) -> None:
        if progress:
            progress(stage, (number - 1 + fraction) / folds)

    return report


@dataclass(frozen=True)
class DrawnDigits:
    """Labelled pen-written drawings read from a strokes file (``tuipad eval``'s format).

    Attributes:
        path: Where they came from.
        labels: True digit of each drawing.
        drawings: Strokes of each drawing, in canvas cells.
    """

    path: str
    labels: tuple[int, ...]
    drawings: tuple[Any, ...]


@dataclass(frozen=True)
class DrawnEvaluation:
    """How a model did on drawn digits, with what it saw, for a drill-down.

    Attributes:
        evaluation: Report and confusion matrix.
        grids: ``(n, 64)`` 8x8 grids the model received.
        labels: True digits.
        predicted: Predicted digits.
        scores: ``(n, 10)`` scores.
    """

    evaluation: Evaluation
    grids: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    scores: np.ndarray


def evaluate_drawings(estimator: Any, drawn: DrawnDigits) -> DrawnEvaluation:
    """Recognise drawn digits the way the sketchpad does and compare with their labels.

    Args:
        estimator: A fitted tuipad pipeline.
        drawn: Labelled drawings (see :func:`tuipad.store.formats.read_drawn_digits`).

    Returns:
        The evaluation and the per-drawing grids, predictions and scores.
    """
    labels = np.asarray(drawn.labels, dtype=int)
    predicted, scores, grids = recognise_many(estimator, drawn.drawings)
    return DrawnEvaluation(evaluate(labels, predicted), grids, labels, predicted, scores)


def train_and_test(
    spec: TrainingSpec,
    drawn: DrawnDigits | None = None,
    *,
    pen: PenRows | None = None,
    progress: ProgressCallback | JobProgress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[TrainingResult, DrawnEvaluation | None]:
    """:func:`train`, then test the model on drawn digits: all the training screen computes.

    One module-level call, so the screen can run it in a child process
    (:mod:`tuipad.background`) and only save the result itself.

    Args:
        spec: What to train.
        drawn: Drawings to test on as well (read before, so a bad file fails first).
        pen: The pen digits already rendered for ``spec`` (else rendered once).
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; ``True`` raises :class:`TrainingCancelled`.

    Returns:
        The training and, when ``drawn`` is given, its evaluation on them.
    """
    result = train(spec, pen=pen, progress=progress, should_stop=should_stop)
    evaluation = None
    if drawn is not None:
        stage_callback(progress, "drawn")(f"testing on {len(drawn.labels)} drawn digits", 0.0)
        evaluation = evaluate_drawings(result.estimator, drawn)
    if should_stop():
        raise TrainingCancelled
    return result, evaluation
