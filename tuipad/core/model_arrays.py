"""Fitted models as plain arrays, and the numpy predictor that reads them.

The app, the CLI, scribble mode and evaluation recognise drawings with these,
never with the pickled scikit-learn pipeline: loading arrays runs no code and
needs no scikit-learn, and the arithmetic is a few hundred thousand
multiply-adds, which numpy does in well under a millisecond.

Three model kinds have an array form, with the scores of their scikit-learn
pipeline to rounding (a test holds them to 1e-9):

* :class:`SvcArrays`: an RBF SVC in one-vs-one layout with either calibration
  tuipad fits, the pairwise one of :mod:`tuipad.core.pairwise` or the seed
  family's per-class sigmoids over scikit-learn's one-vs-rest scores;
* :class:`GridPathArrays`: the default model, an SVC on the grid and one on
  the pen's path (two :class:`SvcArrays`), scored together;
* :class:`~tuipad.core.mlp_arrays.MlpArrays`: a standardised multi-layer
  perceptron, in :mod:`tuipad.core.mlp_arrays`.

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

from tuipad.core.array_checks import ArrayFormError, checked_array, checked_labels
from tuipad.core.drawing_rows import COLUMNS, split_rows
from tuipad.core.grid import GRID, grid_features
from tuipad.core.mlp_arrays import MlpArrays
from tuipad.core.pairwise import (
    combined_probabilities,
    pair_classes,
    pairwise_log_scores,
    pairwise_probabilities,
)
from tuipad.core.pen_path import POINTS, QUANTUM, path_rows
from tuipad.core.pen_path import WIDTH as PATH_WIDTH

__all__ = [
    "ArrayFormError",
    "ArrayModel",
    "GridPathArrays",
    "MlpArrays",
    "SvcArrays",
    "from_parts",
]

FEATURES = GRID * GRID
"""Inputs of a grid model: the 64 cells of the grid."""

READS = {"grid": FEATURES, "path": PATH_WIDTH}
"""What an SVC's support vectors are, with their width."""

CALIBRATIONS = ("pairwise", "sigmoid")
"""How an SVC's decision values become scores, see :class:`SvcArrays`."""


@dataclass(frozen=True, eq=False)
class SvcArrays:
    """A calibrated RBF SVC as arrays, in libsvm's one-vs-one layout.

    Attributes:
        classes: ``(k,)`` class labels.
        support_vectors: ``(m, 64)`` support vectors of a grid part, ``(m, 78)``
            of a path part (see ``reads``), grouped by class.
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
        reads: ``"grid"``, the 64 cells, or ``"path"``, the pen's path
            (:mod:`tuipad.core.pen_path`), as the path part of :class:`GridPathArrays`.
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
    reads: str = "grid"

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
        x = grid_features(X) if self.reads == "grid" else path_rows(X)
        squared = (x**2).sum(axis=1)[:, None] - 2 * (x @ self.support_vectors.T)
        squared += self._squared_norms
        kernel = np.exp(-self.gamma * np.maximum(squared, 0))
        decision: np.ndarray = kernel @ self.dual + self.intercepts
        return decision

    def log_scores(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` pairwise log-scores (:func:`~tuipad.core.pairwise.pairwise_log_scores`)."""
        if self.calibration != "pairwise":
            raise ValueError("only a pairwise calibration has log-scores")
        offset = float(self.calibration_b[0])
        return pairwise_log_scores(self.decision(X), self.calibration_a, offset)

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
    def from_parts(
        cls, params: Mapping[str, Any], arrays: Mapping[str, np.ndarray], *, reads: str = "grid"
    ) -> SvcArrays:
        """Rebuild from :meth:`params` and :meth:`arrays`, checking every shape.

        Raises:
            ArrayFormError: If they do not describe such a model.
        """
        classes = checked_labels(arrays)
        k, p = len(classes), len(classes) * (len(classes) - 1) // 2
        n_support = checked_array(arrays, "n_support", (k,), integer=True)
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
            support_vectors=checked_array(arrays, "support_vectors", (m, READS[reads])),
            dual_coef=checked_array(arrays, "dual_coef", (k - 1, m)),
            n_support=n_support,
            intercepts=checked_array(arrays, "intercepts", (p,)),
            gamma=gamma,
            calibration=calibration,
            calibration_a=checked_array(arrays, "calibration_a", (sizes[0],)),
            calibration_b=checked_array(arrays, "calibration_b", (sizes[1],)),
            reads=reads,
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
class GridPathArrays:
    """The default model as arrays: a grid SVC and a path SVC, scored together.

    Rows are those of :mod:`tuipad.core.drawing_rows`; see
    :class:`tuipad.core.grid_path.GridPathSVC`.  In the file the path's support
    vectors are bytes: path features are multiples of ``1 / QUANTUM``.

    Attributes:
        grid: The grid part (pairwise calibration).
        path: The path part (pairwise calibration, ``reads="path"``).
        path_weight, temperature, split_temperature: ``w``, ``T`` and the
            ``T`` where the parts read different digits, of
            :func:`~tuipad.core.pairwise.combined_probabilities`.
    """

    grid: SvcArrays
    path: SvcArrays
    path_weight: float
    temperature: float
    split_temperature: float

    kind: ClassVar[str] = "svc+path"
    n_features_in_: ClassVar[int] = COLUMNS

    @property
    def classes_(self) -> np.ndarray:
        """The class labels, under scikit-learn's name."""
        return self.grid.classes

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` scores, as the fitted pipeline gives them; a scan's are the grid part's."""
        return self.scored(X)[0]

    def scored(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_proba`'s scores, with the digit each part reads on its own.

        Returns:
            ``(scores, readings)``: readings are ``(n, 2)``, the grid part's
            digit and the path part's (-1 for a row without a path).
        """
        grids, paths, has_path = split_rows(X)
        grid_log_scores = self.grid.log_scores(grids)
        path_log_scores = np.zeros_like(grid_log_scores)
        if has_path.any():
            path_log_scores[has_path] = self.path.log_scores(paths[has_path])
        scores = combined_probabilities(
            grid_log_scores,
            path_log_scores,
            has_path,
            path_weight=self.path_weight,
            temperature=self.temperature,
            split_temperature=self.split_temperature,
        )
        path_reads = np.where(has_path, self.classes_[path_log_scores.argmax(axis=1)], -1)
        readings = np.column_stack([self.classes_[grid_log_scores.argmax(axis=1)], path_reads])
        return scores, readings

    def params(self) -> dict[str, Any]:
        """The scalar settings, for the JSON manifest of the arrays file."""
        path = {"points": POINTS, "quantum": QUANTUM, "width": PATH_WIDTH}
        return {
            "kind": self.kind,
            "grid": _without_kind(self.grid.params()),
            "path": _without_kind(self.path.params()) | path,
            "path_weight": self.path_weight,
            "temperature": self.temperature,
            "split_temperature": self.split_temperature,
        }

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays, by name, for the arrays file."""
        path = self.path.arrays()
        path["support_vectors"] = np.rint(path["support_vectors"] * QUANTUM).astype(np.int8)
        grid = {f"grid_{name}": array for name, array in self.grid.arrays().items()}
        return grid | {f"path_{name}": array for name, array in path.items()}

    @classmethod
    def from_parts(
        cls, params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> GridPathArrays:
        """Rebuild from :meth:`params` and :meth:`arrays`, checking every shape.

        Raises:
            ArrayFormError: If they do not describe such a model, or one whose
                path is not read as this tuipad reads it.
        """
        grid_params, path_params = params.get("grid"), params.get("path")
        if not isinstance(grid_params, Mapping) or not isinstance(path_params, Mapping):
            raise ArrayFormError("a grid and path model needs the settings of both parts")
        path = {"points": POINTS, "quantum": QUANTUM, "width": PATH_WIDTH}
        if any(path_params.get(name) != value for name, value in path.items()):
            raise ArrayFormError("the model reads the pen's path otherwise than this tuipad")
        grid_part = SvcArrays.from_parts(grid_params, _prefixed(arrays, "grid_"))
        path_arrays = _prefixed(arrays, "path_")
        raw = path_arrays.get("support_vectors")
        if raw is not None and np.asarray(raw).dtype != np.int8:  # a byte each, as written
            raise ArrayFormError("the path_support_vectors array must hold bytes (int8)")
        vectors = checked_array(path_arrays, "support_vectors", integer=True, axes=2)
        path_arrays["support_vectors"] = vectors / QUANTUM
        path_part = SvcArrays.from_parts(path_params, path_arrays, reads="path")
        if grid_part.calibration != "pairwise" or path_part.calibration != "pairwise":
            raise ArrayFormError("both parts of a grid and path model must be calibrated pairwise")
        if not np.array_equal(grid_part.classes, path_part.classes):
            raise ArrayFormError("the grid and path parts must know the same classes")
        temperature = params.get("temperature")
        settings = {
            "path_weight": params.get("path_weight"),
            "temperature": temperature,
            # A file written before the split temperature has one and scores as it did.
            "split_temperature": params.get("split_temperature", temperature),
        }
        for name, value in settings.items():
            if not isinstance(value, float) or not np.isfinite(value) or value <= 0:
                raise ArrayFormError(f"{name} must be a positive number")
        return cls(grid_part, path_part, **{name: float(v) for name, v in settings.items()})


def _without_kind(params: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in params.items() if name != "kind"}


def _prefixed(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {name[len(prefix) :]: a for name, a in arrays.items() if name.startswith(prefix)}


ArrayModel = SvcArrays | MlpArrays | GridPathArrays
"""A model with an array form."""

KINDS: dict[str, type[SvcArrays] | type[MlpArrays] | type[GridPathArrays]] = {
    "svc": SvcArrays,
    "mlp": MlpArrays,
    "svc+path": GridPathArrays,
}
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
