"""A fitted tuipad pipeline's array form (:mod:`tuipad.core.model_arrays`).

Training calls :func:`array_model` once, when it saves a model, so the
sketchpad reads arrays and never unpickles.  scikit-learn is imported only to
recognise the estimators.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from tuipad.core.model_arrays import ArrayModel, GridPathArrays, MlpArrays, SvcArrays
from tuipad.core.pen_path import QUANTUM


class NoArrayForm(ValueError):
    """The estimator has no array form; the message says why in one line."""


def array_model(estimator: Any) -> ArrayModel:
    """The array form of a fitted ``Pipeline(GridFeatures | DrawingFeatures, ...)``.

    Args:
        estimator: A fitted pipeline of an SVC family, of the MLP family, or the
            default model reading grids and paths.

    Raises:
        NoArrayForm: If it is of another kind (k-NN), or not fitted.
    """
    from sklearn.pipeline import Pipeline

    from tuipad.core.features import DrawingFeatures, GridFeatures

    first = estimator.steps[0][1] if isinstance(estimator, Pipeline) else None
    if not isinstance(first, GridFeatures | DrawingFeatures):
        raise NoArrayForm(f"{type(estimator).__name__} is not a tuipad pipeline")
    steps = [step for _, step in estimator.steps[1:]]
    names = " + ".join(type(step).__name__ for step in steps)
    try:
        if isinstance(first, DrawingFeatures) and len(steps) == 1:
            return _grid_path_arrays(steps[0])
        if len(steps) == 1:
            return _svc_arrays(steps[0])
        if len(steps) == 2:
            return _mlp_arrays(*steps)
    except AttributeError:
        raise NoArrayForm(f"{names} is not fitted") from None
    raise NoArrayForm(f"{names} has no array form")


def predictor(estimator: Any) -> Any:
    """What recognises for a fitted pipeline: its array form, or the pipeline if it has none."""
    try:
        return array_model(estimator)
    except NoArrayForm:
        return estimator


def _grid_path_arrays(combined: Any) -> GridPathArrays | SvcArrays:
    """The default model: its two parts, or its grid part when it learned no path."""
    from tuipad.core.grid_path import GridPathSVC

    if not isinstance(combined, GridPathSVC):
        raise NoArrayForm(f"{type(combined).__name__} has no array form reading paths")
    grid = _svc_arrays(combined.grid_)
    if combined.path_ is None:
        return grid
    path = _svc_arrays(combined.path_)
    scaled = path.support_vectors * QUANTUM
    if not np.array_equal(scaled, np.rint(scaled)) or np.abs(scaled).max() > 127:
        raise NoArrayForm(f"path features that are not multiples of 1/{QUANTUM} have no array form")
    path = dataclasses.replace(path, reads="path")
    temperature = float(combined.temperature)
    setting = combined.split_temperature  # None: one temperature
    split_temperature = temperature if setting is None else float(setting)
    return GridPathArrays(grid, path, float(combined.path_weight), temperature, split_temperature)


def _svc_arrays(calibrated: Any) -> SvcArrays:
    """The SVC families: a pairwise-calibrated SVC, or the seed's sigmoid-calibrated one."""
    from sklearn.calibration import CalibratedClassifierCV

    from tuipad.core.calibration import PairwiseCalibratedSVC

    if isinstance(calibrated, PairwiseCalibratedSVC):
        svc = calibrated.svc_
        a = np.asarray(calibrated.slope_, dtype=float).reshape(-1)
        return _from_svc(svc, "pairwise", a, np.array([calibrated.offset_], dtype=float))
    if not isinstance(calibrated, CalibratedClassifierCV):
        raise NoArrayForm(f"{type(calibrated).__name__} has no array form")
    if calibrated.method != "sigmoid" or len(calibrated.calibrated_classifiers_) != 1:
        raise NoArrayForm(f"{calibrated.method} calibration, or an ensemble, has no array form")
    inner = calibrated.calibrated_classifiers_[0]
    if len(calibrated.classes_) < 3:
        raise NoArrayForm("a sigmoid-calibrated SVC of two classes has no array form")
    a = np.array([c.a_ for c in inner.calibrators], dtype=float)
    b = np.array([c.b_ for c in inner.calibrators], dtype=float)
    return _from_svc(inner.estimator, "sigmoid", a, b)


def _from_svc(svc: Any, calibration: str, a: np.ndarray, b: np.ndarray) -> SvcArrays:
    from sklearn.svm import SVC

    if not isinstance(svc, SVC) or svc.kernel != "rbf" or svc.break_ties:
        raise NoArrayForm(f"{svc!r} has no array form: only RBF SVCs do")
    if calibration == "sigmoid" and svc.decision_function_shape != "ovr":
        raise NoArrayForm("an SVC with a one-vs-one decision function has no array form")
    dual_coef, intercepts = np.asarray(svc.dual_coef_, float), np.asarray(svc.intercept_, float)
    if len(svc.classes_) == 2:
        # scikit-learn turns a two-class SVC round to be positive for the second class.
        dual_coef, intercepts = -dual_coef, -intercepts
    return SvcArrays(
        classes=np.asarray(svc.classes_, dtype=np.int64),
        support_vectors=np.asarray(svc.support_vectors_, dtype=float),
        dual_coef=dual_coef,
        n_support=np.asarray(svc.n_support_, dtype=np.int64),
        intercepts=intercepts,
        gamma=float(svc._gamma),
        calibration=calibration,
        calibration_a=a,
        calibration_b=b,
    )


def _mlp_arrays(scaler: Any, network: Any) -> MlpArrays:
    """The MLP family: ``StandardScaler`` then a ReLU ``MLPClassifier`` of three or more classes."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    if not isinstance(scaler, StandardScaler) or not isinstance(network, MLPClassifier):
        raise NoArrayForm(f"{type(scaler).__name__} + {type(network).__name__} has no array form")
    if network.activation != "relu" or network.out_activation_ != "softmax":
        raise NoArrayForm("only ReLU networks with a softmax output have an array form")
    if not (scaler.with_mean and scaler.with_std):
        raise NoArrayForm("a scaler that does not centre and scale has no array form")
    return MlpArrays(
        classes=np.asarray(network.classes_, dtype=np.int64),
        mean=np.asarray(scaler.mean_, dtype=float),
        scale=np.asarray(scaler.scale_, dtype=float),
        weights=tuple(np.asarray(w, dtype=float) for w in network.coefs_),
        biases=tuple(np.asarray(b, dtype=float) for b in network.intercepts_),
    )
