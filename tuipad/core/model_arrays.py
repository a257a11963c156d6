"""Fitted models as plain arrays, and the numpy predictor that reads them.

The app, the CLI, scribble mode and evaluation recognise drawings with these,
never with the pickled scikit-learn pipeline: loading arrays runs no code and
needs no scikit-learn, and the arithmetic is a few hundred thousand
multiply-adds, which numpy does in well under a millisecond.

Two model kinds have an array form, with the scores of their scikit-learn
pipeline to rounding (a test holds them to 1e-9):

* :class:`SvcArrays`: an RBF SVC in one-vs-one layout with either calibration
  tuipad fits, the pairwise one of :mod:`tuipad.core.pairwise` or the seed
  family's per-class sigmoids over scikit-learn's one-vs-rest scores;
* :class:`MlpArrays`: a standardised multi-layer perceptron.

k-NN has none: which of several equally distant neighbours it counts depends
on scikit-learn's search, so its scores could not be reproduced exactly.
:mod:`tuipad.core.to_arrays` turns a fitted pipeline into one of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from tuipad.core.grid import GRID, grid_features
from tuipad.core.pairwise import pair_classes, pairwise_probabilities

FEATURES = GRID * GRID
"""Inputs of every model: the 64 cells of the grid."""

CALIBRATIONS = ("pairwise", "sigmoid")
"""How an SVC's decision values become scores, see :class:`SvcArrays`."""


class ArrayFormError(ValueError):
    """Arrays that do not describe a model; the message is one line."""


@dataclass(frozen=True, eq=False)
class SvcArrays:
    """A calibrated RBF SVC as arrays, in libsvm's one-vs-one layout.

    Attributes:
        classes: ``(k,)`` class labels.
        support_vectors: ``(m, 64)`` support vectors, grouped by class.
        dual_coef: ``(k - 1, m)`` scikit-learn's ``dual_coef_``.
        n_support: ``(k,)`` support vectors of each class.
        intercepts: ``(p,)`` intercepts of the ``p = k (k - 1) / 2`` pairs,
            each pair's decision positive when its first class wins.
        gamma: RBF width.
        calibration: ``"pairwise"`` (:mod:`tuipad.core.pairwise`) or
            ``"sigmoid"`` (one sigmoid per class over scikit-learn's
            one-vs-rest scores, the seed family's).
        calibration_a: ``(p,)`` pairwise slopes, or ``(k,)`` sigmoid slopes.
        calibration_b: ``(1,)`` pairwise offset, or ``(k,)`` sigmoid offsets.
    """

    classes: np.ndarray
    support_vectors: np.ndarray
    dual_coef: np.ndarray
    n_support: np.ndarray
    intercepts: np.ndarray
    gamma: float
    calibration: str
    calibration_a: np.ndarray
    calibration_b: np.ndarray

    kind: ClassVar[str] = "svc"

    @property
    def classes_(self) -> np.ndarray:
        """The class labels, under scikit-learn's name."""
        return self.classes

    @cached_property
    def pair_matrix(self) -> np.ndarray:
        """``(p, k)``: +1 for the first class of a pair, -1 for the second."""
        pairs = pair_classes(len(self.classes))
        matrix = np.zeros((len(pairs), len(self.classes)))
        for p, (i, j) in enumerate(pairs):
            matrix[p, i], matrix[p, j] = 1.0, -1.0
        return matrix

    @cached_property
    def dual(self) -> np.ndarray:
        """``(m, p)``: each support vector's weight in each pair's decision.

        For the pair ``(i, j)`` class ``i``'s vectors weigh ``dual_coef[j - 1]``
        and class ``j``'s weigh ``dual_coef[i]`` (scikit-learn's ``svm/_base.py``
        documents the layout).
        """
        starts = np.concatenate([[0], np.cumsum(self.n_support)])
        pairs = pair_classes(len(self.classes))
        dual = np.zeros((len(self.support_vectors), len(pairs)))
        for p, (i, j) in enumerate(pairs):
            dual[starts[i] : starts[i + 1], p] = self.dual_coef[j - 1, starts[i] : starts[i + 1]]
            dual[starts[j] : starts[j + 1], p] = self.dual_coef[i, starts[j] : starts[j + 1]]
        return dual

    @cached_property
    def _squared_norms(self) -> np.ndarray:
        norms: np.ndarray = (self.support_vectors**2).sum(axis=1)
        return norms

    def decision(self, X: np.ndarray) -> np.ndarray:
        """``(n, p)`` one-vs-one decision values, positive when a pair's first class wins."""
        x = grid_features(X)
        squared = (x**2).sum(axis=1)[:, None] - 2 * (x @ self.support_vectors.T)
        squared += self._squared_norms
        kernel = np.exp(-self.gamma * np.maximum(squared, 0))
        decision: np.ndarray = kernel @ self.dual + self.intercepts
        return decision

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` scores that sum to one, as the fitted pipeline gives them."""
        decision = self.decision(X)
        if self.calibration == "pairwise":
            return pairwise_probabilities(
                decision, self.calibration_a, float(self.calibration_b[0])
            )
        ovr = one_vs_rest(decision, self.pair_matrix)
        proba = 1 / (1 + np.exp(self.calibration_a * ovr + self.calibration_b))
        total = proba.sum(axis=1, keepdims=True)
        even = np.full_like(proba, 1 / len(self.classes))
        scores: np.ndarray = np.divide(proba, total, out=even, where=total != 0)
        return scores

    def params(self) -> dict[str, Any]:
        """The scalar settings, for the JSON manifest of the arrays file."""
        return {"kind": self.kind, "gamma": self.gamma, "calibration": self.calibration}

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays, by name, for the arrays file."""
        return {
            "classes": self.classes,
            "support_vectors": self.support_vectors,
            "dual_coef": self.dual_coef,
            "n_support": self.n_support,
            "intercepts": self.intercepts,
            "calibration_a": self.calibration_a,
            "calibration_b": self.calibration_b,
        }

    @classmethod
    def from_parts(cls, params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> SvcArrays:
        """Rebuild from :meth:`params` and :meth:`arrays`, checking every shape.

        Raises:
            ArrayFormError: If they do not describe such a model.
        """
        classes = _labels(arrays)
        k, p = len(classes), len(classes) * (len(classes) - 1) // 2
        n_support = _array(arrays, "n_support", (k,), integer=True)
        m = int(n_support.sum())
        if (n_support < 0).any() or m == 0:
            raise ArrayFormError("n_support must count the support vectors of each class")
        calibration = params.get("calibration")
        if calibration not in CALIBRATIONS:
            raise ArrayFormError(f"unknown calibration {calibration!r}")
        gamma = params.get("gamma")
        if not isinstance(gamma, float) or not np.isfinite(gamma) or gamma <= 0:
            raise ArrayFormError("gamma must be a positive number")
        sizes = (p, 1) if calibration == "pairwise" else (k, k)
        return cls(
            classes=classes,
            support_vectors=_array(arrays, "support_vectors", (m, FEATURES)),
            dual_coef=_array(arrays, "dual_coef", (k - 1, m)),
            n_support=n_support,
            intercepts=_array(arrays, "intercepts", (p,)),
            gamma=gamma,
            calibration=calibration,
            calibration_a=_array(arrays, "calibration_a", (sizes[0],)),
            calibration_b=_array(arrays, "calibration_b", (sizes[1],)),
        )


def one_vs_rest(decision: np.ndarray, pair_matrix: np.ndarray) -> np.ndarray:
    """scikit-learn's ``_ovr_decision_function`` in matrix form.

    A pair's first class gets the vote when its decision value is >= 0; the
    ``k``-th class is second in ``k`` pairs, hence the ``arange`` offset.
    """
    votes = (decision >= 0) @ pair_matrix + np.arange(pair_matrix.shape[1])
    confidence = decision @ pair_matrix
    ovr: np.ndarray = votes + confidence / (3 * (np.abs(confidence) + 1))
    return ovr


@dataclass(frozen=True, eq=False)
class MlpArrays:
    """A standardised ReLU perceptron with a softmax output, as arrays.

    Attributes:
        classes: ``(k,)`` class labels (three or more).
        mean: ``(64,)`` the scaler's means.
        scale: ``(64,)`` the scaler's scales.
        weights: Each layer's ``(inputs, outputs)`` weights.
        biases: Each layer's ``(outputs,)`` biases.
    """

    classes: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    kind: ClassVar[str] = "mlp"

    @property
    def classes_(self) -> np.ndarray:
        """The class labels, under scikit-learn's name."""
        return self.classes

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` scores, as ``MLPClassifier.predict_proba`` computes them."""
        activation = (grid_features(X) - self.mean) / self.scale
        for layer, (weights, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            activation = activation @ weights + bias
            if layer < len(self.weights) - 1:
                np.maximum(activation, 0, out=activation)
        activation = np.exp(activation - activation.max(axis=1, keepdims=True))
        scores: np.ndarray = activation / activation.sum(axis=1, keepdims=True)
        return scores

    def params(self) -> dict[str, Any]:
        """The scalar settings, for the JSON manifest of the arrays file."""
        return {"kind": self.kind, "layers": len(self.weights)}

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays, by name, for the arrays file."""
        layers = {f"weights_{i}": w for i, w in enumerate(self.weights)}
        layers |= {f"biases_{i}": b for i, b in enumerate(self.biases)}
        return {"classes": self.classes, "mean": self.mean, "scale": self.scale, **layers}

    @classmethod
    def from_parts(cls, params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> MlpArrays:
        """Rebuild from :meth:`params` and :meth:`arrays`, checking every shape.

        Raises:
            ArrayFormError: If they do not describe such a model.
        """
        classes = _labels(arrays)
        if len(classes) < 3:
            raise ArrayFormError("an MLP's array form needs three or more classes")
        layers = params.get("layers")
        if not isinstance(layers, int) or not 1 <= layers <= 8:
            raise ArrayFormError("an MLP needs from one to eight layers")
        weights, biases, width = [], [], FEATURES
        for i in range(layers):
            last = i == layers - 1
            outputs = len(classes) if last else _array(arrays, f"biases_{i}").shape[0]
            weights.append(_array(arrays, f"weights_{i}", (width, outputs)))
            biases.append(_array(arrays, f"biases_{i}", (outputs,)))
            width = outputs
        scale = _array(arrays, "scale", (FEATURES,))
        if (scale <= 0).any():
            raise ArrayFormError("the scaler's scales must be positive")
        mean = _array(arrays, "mean", (FEATURES,))
        return cls(classes, mean, scale, tuple(weights), tuple(biases))


ArrayModel = SvcArrays | MlpArrays
"""A model with an array form."""

KINDS: dict[str, type[SvcArrays] | type[MlpArrays]] = {"svc": SvcArrays, "mlp": MlpArrays}
"""Each array form by the ``kind`` its params name."""


def from_parts(params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> ArrayModel:
    """The model that ``params`` (with its ``kind``) and ``arrays`` describe.

    Raises:
        ArrayFormError: If they do not describe a model tuipad can run.
    """
    kind = KINDS.get(str(params.get("kind")))
    if kind is None:
        raise ArrayFormError(f"unknown model kind {params.get('kind')!r}")
    return kind.from_parts(params, arrays)


def _array(
    arrays: Mapping[str, np.ndarray],
    name: str,
    shape: tuple[int, ...] | None = None,
    *,
    integer: bool = False,
) -> np.ndarray:
    """A finite array of the expected shape, as float (or int) numbers."""
    if name not in arrays:
        raise ArrayFormError(f"the {name} array is missing")
    array = np.asarray(arrays[name])
    if array.dtype.kind not in ("iu" if integer else "iuf"):
        raise ArrayFormError(f"the {name} array holds {array.dtype}, not numbers")
    if shape is not None and array.shape != shape:
        raise ArrayFormError(f"the {name} array has shape {array.shape}, expected {shape}")
    if shape is None and array.ndim != 1:
        raise ArrayFormError(f"the {name} array has shape {array.shape}, expected one axis")
    if integer:
        return array.astype(np.int64)
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ArrayFormError(f"the {name} array holds values that are not finite")
    return array


def _labels(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """The class labels: two or more distinct digits in increasing order."""
    classes = _array(arrays, "classes", integer=True)
    if len(classes) < 2 or (np.diff(classes) <= 0).any() or classes[0] < 0 or classes[-1] > 9:
        raise ArrayFormError("classes must be two or more digits 0..9 in increasing order")
    return classes
