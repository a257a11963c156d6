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
    PEN_COPIES,
    RECIPE_SPECS,
    SCAN_COPIES,
    SVC_GRID,
    GroupedFolds,
    TrainingSpec,
    build,
    recipe_spec,
)
from tuipad.core.recognise import predict_grids, recognise_many
from tuipad.core.reports import Evaluation, evaluate

ProgressCallback = Callable[[str, float], None]
"""Called with a stage name and the fraction done (0..1)."""


class TrainingCancelled(Exception):
    """Raised inside :func:`train` when ``should_stop`` says so."""


@dataclass(frozen=True)
class TrainingData:
    """Rows to fit on, with where they came from.

    Attributes:
        X: ``(n, 64)`` grids.
        y: ``(n,)`` labels.
        sources: Human-readable list of what went in.
        groups: Rows that must not be split across calibration folds share a
            group: a scan and its distorted copies, all drawings of a writer.
    """

    X: np.ndarray
    y: np.ndarray
    sources: tuple[str, ...]
    groups: np.ndarray | None = None


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

    def misclassified(self, true: int, predicted: int) -> np.ndarray:
        """Indices of held-out digits of ``true`` read as ``predicted``."""
        return np.flatnonzero((self.test_labels == true) & (self.test_predicted == predicted))


def spec_data(
    spec: TrainingSpec,
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> TrainingData:
    """Training rows for a spec: the scans, plus copies and pen digits as asked.

    Args:
        spec: What to train on.
        scans_X: Scans to learn from.
        scans_y: Their labels.
        pen_indices: Which shipped pen digits to use (default: all).
        progress: Reports the rendering stage.
        should_stop: Checked between digits while rendering.

    Returns:
        The rows, with groups that keep a scan with its copies and a writer whole.
    """
    from tuipad.core import datasets

    X_parts, y_parts, group_parts = [scans_X], [scans_y], [np.arange(len(scans_y))]
    sources = [f"load_digits ({len(scans_y)} scans)"]
    if spec.augment:
        aug_X, aug_y = datasets.augment_scans(scans_X, scans_y, copies=SCAN_COPIES, seed=spec.seed)
        X_parts.append(aug_X)
        y_parts.append(aug_y)
        group_parts.append(np.repeat(np.arange(len(scans_y)), SCAN_COPIES))
        sources.append(f"{len(aug_y)} distorted copies of the scans")
    if spec.pen:
        pen = datasets.load_pen_digits()
        if pen_indices is not None:
            pen = pen.subset(pen_indices)
        copies = PEN_COPIES if spec.augment else 1
        ticks = _ticks(len(pen), progress, should_stop)
        pen_X, pen_y, writers = datasets.render_pen_digits(
            pen, datasets.Rendering(copies=copies), seed=spec.seed, progress=ticks
        )
        _, writer_ids = np.unique(writers, return_inverse=True)
        X_parts.append(pen_X)
        y_parts.append(pen_y)
        group_parts.append(len(scans_y) + writer_ids)
        sources.append(
            f"UNIPEN pen digits ({len(pen)} digits, {len(set(pen.writers))} writers,"
            f" {len(pen_y)} terminal renderings)"
        )
    return TrainingData(
        np.vstack(X_parts), np.concatenate(y_parts), tuple(sources), np.concatenate(group_parts)
    )


def _ticks(total: int, progress: ProgressCallback | None, should_stop: Callable[[], bool]) -> Any:
    """A generator advanced once per rendered digit: reports and checks for a stop."""

    def ticks() -> Any:
        every = max(1, total // 50)
        for done in range(1, total + 1):
            if done % every == 0 or done == total:
                if should_stop():
                    raise TrainingCancelled
                if progress is not None:
                    progress("rendering pen digits", done / total)
            yield None
        while True:
            yield None

    return ticks()


def fit_spec(
    spec: TrainingSpec,
    data: TrainingData,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    params: dict[str, Any] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Fit a spec's family on prepared rows.

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
        _fit_mlp(estimator, data, stage, progress, should_stop)
    else:
        fit_grouped(estimator, data)
    if should_stop():
        raise TrainingCancelled
    if progress:
        progress(stage, 1.0)
    return estimator, params


def recipe_data(
    recipe: str,
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    seed: int = 0,
) -> TrainingData:
    """The training rows of a recipe (see :func:`spec_data`).

    Args:
        recipe: ``"seed"`` or ``"default"``.
        scans_X: The scans to train on (a half, or all of them).
        scans_y: Their labels.
        pen_indices: Which shipped pen digits to use (default: all); the
            grouped benchmarks leave the tested writers out.
        progress: Reports the rendering stage.
        seed: Seed of the augmentation.
    """
    spec = replace(recipe_spec(recipe), seed=seed)
    indices = None if pen_indices is None else np.asarray(pen_indices)
    return spec_data(spec, scans_X, scans_y, pen_indices=indices, progress=progress)


def fit_recipe(recipe: str, data: TrainingData, progress: ProgressCallback | None = None) -> Any:
    """Fit a recipe's estimator on prepared rows (see :func:`fit_spec`)."""
    return fit_spec(recipe_spec(recipe), data, progress=progress)[0]


def fit_grouped(estimator: Any, data: TrainingData, *, folds: int = 5, **fit_params: Any) -> Any:
    """Fit a pipeline; a calibrated SVC calibrates on folds that keep groups whole.

    Near-duplicates across calibration folds (a writer's digits, a scan and its
    copies) would make the scores overconfident, so the folds follow
    ``data.groups``; the groups are dropped after fitting to keep the pickle
    small.  The folds run in threads: libsvm lets go of the GIL to fit and to
    score, and thread workers need no file descriptors (under Textual, loky's
    process workers fail for want of a real stderr).

    Args:
        estimator: An unfitted tuipad pipeline.
        data: The rows, with their groups.
        folds: Calibration folds.
        **fit_params: Passed to ``Pipeline.fit`` (e.g. ``svc__sample_weight``).

    Returns:
        The fitted estimator.
    """
    from joblib import parallel_config

    calibrated = estimator.named_steps.get("svc")
    if calibrated is not None and data.groups is not None:
        calibrated.set_params(cv=GroupedFolds(data.groups, folds))
    with parallel_config(backend="threading"):
        estimator.fit(data.X, data.y, **fit_params)
    if calibrated is not None:
        calibrated.set_params(cv=GroupedFolds(None))
    return estimator


def tune_svc(
    data: TrainingData,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Pick ``C`` and ``gamma`` from :data:`SVC_GRID` by grouped 3-fold accuracy."""
    from sklearn.model_selection import GroupKFold
    from sklearn.svm import SVC

    folds = list(GroupKFold(3).split(data.X, data.y, data.groups))
    grid = [{"C": c, "gamma": g} for c in SVC_GRID["C"] for g in SVC_GRID["gamma"]]
    best, best_score = grid[0], -1.0
    for number, params in enumerate(grid):
        if should_stop():
            raise TrainingCancelled
        if progress:
            progress(f"tuning SVC: C={params['C']:g} gamma={params['gamma']:g}", number / len(grid))
        scores = []
        for train, test in folds:
            svc = SVC(**params).fit(data.X[train], data.y[train])
            scores.append(float((svc.predict(data.X[test]) == data.y[test]).mean()))
        if np.mean(scores) > best_score:
            best, best_score = params, float(np.mean(scores))
    return best


def _fit_mlp(
    estimator: Any,
    data: TrainingData,
    stage: str,
    progress: ProgressCallback | None,
    should_stop: Callable[[], bool],
) -> None:
    """Fit the scaler, then the network an epoch at a time, so it can stop and report."""
    scaler, mlp = estimator.named_steps["scale"], estimator.named_steps["mlp"]
    features = estimator.named_steps["grid"]
    X = scaler.fit_transform(features.fit_transform(data.X))
    rng = np.random.default_rng(mlp.random_state)
    classes = np.arange(10)
    for epoch in range(MLP_EPOCHS):
        if should_stop():
            raise TrainingCancelled
        order = rng.permutation(len(X))
        mlp.partial_fit(X[order], data.y[order], classes=classes)
        if progress:
            progress(stage, (epoch + 1) / MLP_EPOCHS)


def train(
    spec: TrainingSpec,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> TrainingResult:
    """Evaluate a spec on the scans, then fit the model to keep.

    With the half split, the model is trained on the first half of
    ``load_digits`` (plus pen digits and copies as asked) and tested on the
    second half, like the original demo.  With ``cv=k``, each of k stratified
    folds of the scans is predicted by a model that did not train on it, and
    the report covers all 1,797 scans.  The kept model is then fitted on all
    the scans (the seed recipe keeps its first-half model, as the demo did).

    Args:
        spec: What to train.
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; ``True`` raises
            :class:`TrainingCancelled`.

    Returns:
        The result, with the kept model.
    """
    from tuipad.core import datasets

    start = time.perf_counter()
    X, y = datasets.load_scans()
    keep_first_half = spec == replace(RECIPE_SPECS["seed"], seed=spec.seed)
    if spec.cv is None:
        X_train, X_test, y_train, y_test = datasets.seed_split(X, y)
        data = spec_data(spec, X_train, y_train, progress=progress, should_stop=should_stop)
        estimator, params = fit_spec(spec, data, progress=progress, should_stop=should_stop)
        predicted, scores = predict_grids(estimator, X_test)
        test_X, test_y = X_test, y_test
    else:
        from sklearn.model_selection import StratifiedKFold

        predicted = np.zeros(len(y), dtype=int)
        scores = np.zeros((len(y), 10))
        folds = StratifiedKFold(spec.cv, shuffle=True, random_state=spec.seed).split(X, y)
        params = {}
        for number, (train_rows, test_rows) in enumerate(folds, start=1):
            if progress:
                progress(f"cross-validation fold {number}/{spec.cv}", (number - 1) / spec.cv)
            data = spec_data(
                spec, X[train_rows], y[train_rows], progress=progress, should_stop=should_stop
            )
            estimator, params = fit_spec(
                spec, data, progress=progress, should_stop=should_stop, params=params
            )
            predicted[test_rows], scores[test_rows] = predict_grids(estimator, X[test_rows])
        test_X, test_y = X, y
    evaluation = evaluate(test_y, predicted)
    if not keep_first_half:
        if progress:
            progress("fitting the model to keep on all the scans", 0.0)
        data = spec_data(spec, X, y, progress=progress, should_stop=should_stop)
        estimator, params = fit_spec(
            spec, data, progress=progress, should_stop=should_stop, params=params
        )
    return TrainingResult(
        spec=spec,
        estimator=estimator,
        evaluation=evaluation,
        test_grids=np.asarray(test_X),
        test_labels=np.asarray(test_y),
        test_predicted=predicted,
        test_scores=scores,
        sources=data.sources,
        seconds=time.perf_counter() - start,
        params=params,
    )


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


def read_drawn_digits(path: str) -> DrawnDigits:
    """Read and check a JSON-lines file of ``{"label", "strokes"}`` drawings.

    Read before a training starts, so a bad file fails at once rather than
    after minutes of fitting.

    Args:
        path: The file (``.gz`` is decompressed).

    Returns:
        The drawings.

    Raises:
        OSError: The file cannot be read.
        ValueError: A bad line (named by number) or no drawings at all.
    """
    from tuipad.core.datasets import open_text, read_drawings
    from tuipad.core.raster import as_strokes

    labels, drawings = [], []
    with open_text(path) as lines:
        for number, item in read_drawings(lines):
            try:
                as_strokes(item["strokes"])
            except ValueError as error:
                raise ValueError(f"line {number}: {error}") from None
            labels.append(int(item["label"]))
            drawings.append(item["strokes"])
    if not labels:
        raise ValueError("the file holds no drawings")
    return DrawnDigits(path, tuple(labels), tuple(drawings))


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
        drawn: Labelled drawings (see :func:`read_drawn_digits`).

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
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[TrainingResult, DrawnEvaluation | None]:
    """:func:`train`, then test the model on drawn digits: all the training screen computes.

    One module-level call, so the screen can run it in a child process
    (:mod:`tuipad.background`) and only save the result itself.

    Args:
        spec: What to train.
        drawn: Drawings to test on as well (read before, so a bad file fails first).
        progress: Called with a stage name and the fraction done.
        should_stop: Checked between stages; ``True`` raises :class:`TrainingCancelled`.

    Returns:
        The training and, when ``drawn`` is given, its evaluation on them.
    """
    result = train(spec, progress=progress, should_stop=should_stop)
    evaluation = None
    if drawn is not None:
        if progress:
            progress(f"testing on {len(drawn.labels)} drawn digits", 0.0)
        evaluation = evaluate_drawings(result.estimator, drawn)
    if should_stop():
        raise TrainingCancelled
    return result, evaluation
