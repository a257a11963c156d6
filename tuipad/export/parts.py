"""What both export formats share: the fitted numbers of a tuipad SVC, and its description.

Only tuipad's pipelines of :class:`~tuipad.core.features.GridFeatures` and a
calibrated RBF SVC can be exported: the ``svc`` and ``svc-default`` families
(:class:`~tuipad.core.calibration.PairwiseCalibratedSVC`) and the ``svc-seed``
family (``CalibratedClassifierCV(SVC(kernel="rbf"), method="sigmoid",
ensemble=False)``), so the ``seed`` and ``default`` recipes.  Anything else
(k-NN, MLP, another calibration) raises :class:`ExportError` naming it.

:func:`svc_parts` reads the fitted numbers once, in one-vs-one layout, and
:func:`parts_predict` evaluates them with numpy exactly as scikit-learn does;
the Core ML network is written from them, and both formats carry the metadata
of :func:`describe`.

coremltools, skl2onnx, onnx and onnxruntime are the optional ``export`` extra;
they are imported only when an export runs (:func:`require`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from tuipad.core.pairwise import pairwise_probabilities
from tuipad.store.registry import Manifest

EXTRA_HINT = "pip install 'tuipad[export]'"
"""How to install what the exports need."""

EXPORTABLE = (
    "the calibrated RBF SVC families (svc-seed, svc, svc-default; the seed and default recipes)"
)
"""The model families that can be exported, for messages and the docs."""

INPUT_NAME = "grid"
"""Name of the model input in both formats."""

AUTHOR = "tuipad"
"""Author recorded in exported metadata."""

DATA_LICENCES = {
    "load_digits": "UCI Optical Recognition of Handwritten Digits (CC BY 4.0)",
    "UNIPEN": "UNIPEN train_r01_v07, doi:10.5281/zenodo.1195803 (CC BY 4.0)",
    "pendigits": "UCI Pen-Based Recognition of Handwritten Digits, doi:10.24432/C5MG6K (CC BY 4.0)",
}
"""Licences of the training sources, keyed by how a manifest names them."""

REQUIREMENTS = {"coreml": ("coremltools",), "onnx": ("skl2onnx", "onnx", "onnxruntime")}
"""Packages of the export extra each format needs (onnxruntime checks the file)."""

FORMAT_NAMES = {"coreml": "Core ML", "onnx": "ONNX"}
"""Format keys and how messages name them."""


class ExportError(Exception):
    """The model cannot be exported, or the extra is missing; one line."""


@dataclass(frozen=True)
class SvcParts:
    """The fitted numbers of a calibrated RBF SVC, in one-vs-one layout.

    Attributes:
        classes: ``(k,)`` class labels.
        support_vectors: ``(m, 64)`` support vectors.
        dual: ``(m, p)`` weight of each support vector in each of the
            ``p = k (k - 1) / 2`` one-vs-one decision functions.
        intercepts: ``(p,)`` their intercepts.
        gamma: RBF width.
        pair_matrix: ``(p, k)``: +1 for the first class of a pair, -1 for the second.
        calibration: ``"pairwise"`` (scores from the pairwise margins, see
            :mod:`tuipad.core.pairwise`) or ``"sigmoid"`` (one sigmoid per
            class over scikit-learn's one-vs-rest scores, the seed family's).
        calibration_a: ``(p,)`` pairwise slopes, or ``(k,)`` sigmoid slopes.
        calibration_b: ``(1,)`` pairwise offset, or ``(k,)`` sigmoid offsets.
    """

    classes: np.ndarray
    support_vectors: np.ndarray
    dual: np.ndarray
    intercepts: np.ndarray
    gamma: float
    pair_matrix: np.ndarray
    calibration: str
    calibration_a: np.ndarray
    calibration_b: np.ndarray


def _refuse(what: str) -> ExportError:
    return ExportError(f"cannot export this model ({what}): only {EXPORTABLE} can be")


def _calibrated_svc(estimator: Any) -> tuple[Any, str, np.ndarray, np.ndarray]:
    """The SVC inside a tuipad pipeline and its calibration, or the reason to refuse it.

    Returns:
        ``(svc, kind, a, b)``: the fitted RBF SVC, ``"pairwise"`` or
        ``"sigmoid"``, and the calibration's numbers (see :class:`SvcParts`).

    Raises:
        ExportError: If the model is of another family.
    """
    from sklearn.pipeline import Pipeline

    from tuipad.core.features import GridFeatures

    if not isinstance(estimator, Pipeline):
        raise _refuse(type(estimator).__name__)
    svc, kind, a, b = _calibration(estimator.steps[-1][1])
    if len(estimator.steps) != 2 or not isinstance(estimator.steps[0][1], GridFeatures):
        raise _refuse(" + ".join(type(step).__name__ for _, step in estimator.steps))
    if svc.kernel != "rbf":
        raise _refuse(f"calibrated {svc.kernel} SVC")
    if svc.break_ties:
        raise _refuse("SVC with a non-default decision function")
    classes = np.asarray(estimator.steps[-1][1].classes_)
    if len(classes) < 3 or not np.array_equal(np.asarray(svc.classes_), classes):
        raise _refuse("fewer than three classes")
    return svc, kind, a, b


def _calibration(calibrated: Any) -> tuple[Any, str, np.ndarray, np.ndarray]:
    """The SVC and calibration numbers of the pipeline's last step (see :func:`_calibrated_svc`)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC

    from tuipad.core.calibration import PairwiseCalibratedSVC

    if isinstance(calibrated, PairwiseCalibratedSVC):
        if not hasattr(calibrated, "svc_"):
            raise _refuse("not fitted")
        a = np.asarray(calibrated.slope_, dtype=float).reshape(-1)
        b = np.array([calibrated.offset_], dtype=float)
        return calibrated.svc_, "pairwise", a, b
    if not isinstance(calibrated, CalibratedClassifierCV):
        raise _refuse(type(calibrated).__name__)
    if not hasattr(calibrated, "calibrated_classifiers_"):
        raise _refuse("not fitted")
    if calibrated.method != "sigmoid" or len(calibrated.calibrated_classifiers_) != 1:
        raise _refuse(f"{calibrated.method} calibration, or an ensemble of calibrations")
    inner = calibrated.calibrated_classifiers_[0]
    svc = inner.estimator
    if not isinstance(svc, SVC):
        raise _refuse(f"calibrated {type(svc).__name__}")
    if svc.decision_function_shape != "ovr":
        raise _refuse("SVC with a non-default decision function")
    a = np.array([c.a_ for c in inner.calibrators], dtype=float)
    b = np.array([c.b_ for c in inner.calibrators], dtype=float)
    return svc, "sigmoid", a, b


def _one_vs_one(svc: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each support vector's weight in each pair's decision, and the pairs' classes.

    libsvm groups the support vectors by class; for the pair ``(i, j)``, class
    ``i``'s vectors weigh ``dual_coef_[j - 1]`` and class ``j``'s weigh
    ``dual_coef_[i]`` (scikit-learn's ``svm/_base.py`` documents the same layout).

    Returns:
        ``(dual, pair_matrix)`` as in :class:`SvcParts`.
    """
    k = len(svc.classes_)
    starts = np.concatenate([[0], np.cumsum(svc.n_support_)])
    dual_coef = np.asarray(svc.dual_coef_, dtype=float)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    dual = np.zeros((len(svc.support_vectors_), len(pairs)))
    pair_matrix = np.zeros((len(pairs), k))
    for p, (i, j) in enumerate(pairs):
        dual[starts[i] : starts[i + 1], p] = dual_coef[j - 1, starts[i] : starts[i + 1]]
        dual[starts[j] : starts[j + 1], p] = dual_coef[i, starts[j] : starts[j + 1]]
        pair_matrix[p, i], pair_matrix[p, j] = 1.0, -1.0
    return dual, pair_matrix


def svc_parts(estimator: Any) -> SvcParts:
    """Take the numbers an export needs out of a fitted tuipad pipeline.

    Args:
        estimator: A fitted ``Pipeline(GridFeatures, calibrated SVC)`` of an exportable family.

    Returns:
        The fitted numbers.

    Raises:
        ExportError: If the model is of another family.
    """
    svc, kind, a, b = _calibrated_svc(estimator)
    dual, pair_matrix = _one_vs_one(svc)
    return SvcParts(
        classes=np.asarray(estimator.steps[-1][1].classes_),
        support_vectors=np.asarray(svc.support_vectors_, dtype=float),
        dual=dual,
        intercepts=np.asarray(svc.intercept_, dtype=float),
        gamma=float(svc._gamma),
        pair_matrix=pair_matrix,
        calibration=kind,
        calibration_a=a,
        calibration_b=b,
    )


def parts_predict(parts: SvcParts, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities from :class:`SvcParts`, as scikit-learn computes them.

    Args:
        parts: The fitted numbers.
        X: ``(n, 64)`` or ``(n, 8, 8)`` grids.

    Returns:
        ``(labels, probabilities)``, probabilities of shape ``(n, k)``.
    """
    from tuipad.core.features import grid_features

    x = grid_features(X)
    squared = (
        (x**2).sum(axis=1)[:, None]
        - 2 * x @ parts.support_vectors.T
        + (parts.support_vectors**2).sum(axis=1)[None, :]
    )
    decision = np.exp(-parts.gamma * np.maximum(squared, 0)) @ parts.dual + parts.intercepts
    if parts.calibration == "pairwise":
        offset = float(parts.calibration_b[0])
        proba = pairwise_probabilities(decision, parts.calibration_a, offset)
        return parts.classes[proba.argmax(axis=1)], proba
    scores = _ovr(decision, parts.pair_matrix)
    proba = 1 / (1 + np.exp(parts.calibration_a * scores + parts.calibration_b))
    proba /= proba.sum(axis=1, keepdims=True)
    return parts.classes[proba.argmax(axis=1)], proba


def _ovr(decision: np.ndarray, pair_matrix: np.ndarray) -> np.ndarray:
    """scikit-learn's ``_ovr_decision_function`` in matrix form.

    A pair's first class gets the vote when its decision value is >= 0; the
    ``k``-th class is second in ``k`` pairs, hence the ``arange`` offset.
    """
    votes = (decision >= 0) @ pair_matrix + np.arange(pair_matrix.shape[1])
    confidence = decision @ pair_matrix
    ovr: np.ndarray = votes + confidence / (3 * (np.abs(confidence) + 1))
    return ovr


def describe(manifest: Manifest) -> dict[str, str]:
    """The metadata written into both formats.

    Args:
        manifest: The exported model's manifest.

    Returns:
        ``author``, ``license``, ``version``, ``description``, ``training_data``,
        ``accuracy`` and the model's provenance, as strings.
    """
    accuracy = manifest.metrics.get("test_accuracy")
    sources = "; ".join(manifest.training_data) or "not recorded"
    licences = [text for key, text in DATA_LICENCES.items() if key in sources]
    return {
        "author": AUTHOR,
        "license": "Model exported by tuipad (MIT). Training data: "
        + ("; ".join(licences) if licences else "see training_data"),
        "version": f"{manifest.name} ({manifest.created or 'undated'}), tuipad {_tuipad_version()}",
        "description": "Reads a handwritten digit from an 8x8 grid of ink counts 0..16"
        " (scikit-learn load_digits layout).",
        "training_data": sources,
        "accuracy": f"{float(accuracy):.4f}" if accuracy is not None else "not measured",
        "accuracy_protocol": str(manifest.metrics.get("protocol", "")),
        "recipe": manifest.recipe,
        "sklearn_version": manifest.sklearn_version,
    }


def need(module: str, kind: str) -> Any:
    """Import a package of the export extra, or explain the extra in one line.

    Args:
        module: The module to import.
        kind: ``"coreml"`` or ``"onnx"``, the format that needs it.

    Raises:
        ExportError: Naming the extra to install.
    """
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise ExportError(
            f"{FORMAT_NAMES[kind]} export needs the export extra: {EXTRA_HINT}"
        ) from None


def quiet_coremltools() -> None:
    """Silence coremltools' import-time warnings.

    It warns that it cannot *run* models without its native library (always
    so on Linux) and that its own scikit-learn converter is off; building and
    reading a spec needs neither.
    """
    logging.getLogger("coremltools").setLevel(logging.ERROR)


def require(kind: str) -> None:
    """Check that a format's packages are installed.

    Args:
        kind: ``"coreml"`` or ``"onnx"``.

    Raises:
        ExportError: Naming the extra to install.
    """
    quiet_coremltools()
    for module in REQUIREMENTS[kind]:
        need(module, kind)


def _tuipad_version() -> str:
    """The installed tuipad's version, read from its metadata (no import of the package's API)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tuipad")
    except PackageNotFoundError:
        return "unknown"
