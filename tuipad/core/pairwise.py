"""Pairwise calibration in numpy: one-vs-one decision values to class probabilities.

Each pairwise decision value ``d`` of a one-vs-one SVC becomes the probability
that the pair's first class beats the second, ``σ(a·d + b)`` (``σ(−a·d + b)``
the other way).  A class scores the product of its probabilities of beating
every other class, and the products are normalised to sum to one, so a
class's score is dominated by its weakest pairing: a digit that beats every
other one by a wide margin scores high, one that barely beats its runner-up
does not.  :class:`tuipad.core.calibration.PairwiseCalibratedSVC` fits ``a``
and ``b``; the exports write the same arithmetic as layers.  numpy only.
"""

from __future__ import annotations

import numpy as np


def pair_classes(k: int) -> list[tuple[int, int]]:
    """The one-vs-one pairs of ``k`` classes, in libsvm's order."""
    return [(i, j) for i in range(k) for j in range(i + 1, k)]


def pairwise_probabilities(decision: np.ndarray, slope: float, offset: float) -> np.ndarray:
    """Class probabilities from one-vs-one decision values.

    Args:
        decision: ``(n, p)`` decision values, positive when a pair's first
            class wins, pairs in :func:`pair_classes` order.
        slope: ``a`` of ``σ(a·d + b)``.
        offset: ``b`` of ``σ(a·d + b)``.

    Returns:
        ``(n, k)`` probabilities; each row sums to one.
    """
    decision = np.atleast_2d(np.asarray(decision, dtype=float))
    first, second = pair_membership(_classes_of(decision.shape[1]))
    # log σ(x) = −log(1 + e^(−x)), summed over each class's pairings.
    wins = -np.logaddexp(0.0, -(slope * decision + offset))
    losses = -np.logaddexp(0.0, -(-slope * decision + offset))
    log_score = wins @ first + losses @ second
    log_score -= log_score.max(axis=1, keepdims=True)
    score = np.exp(log_score)
    probabilities: np.ndarray = score / score.sum(axis=1, keepdims=True)
    return probabilities


def pair_membership(k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(p, k)`` indicator matrices: which class is first, and which second, in each pair."""
    pairs = pair_classes(k)
    first, second = np.zeros((len(pairs), k)), np.zeros((len(pairs), k))
    for p, (i, j) in enumerate(pairs):
        first[p, i], second[p, j] = 1.0, 1.0
    return first, second


def _classes_of(n_pairs: int) -> int:
    k = int(round((1 + np.sqrt(1 + 8 * n_pairs)) / 2))
    if k * (k - 1) // 2 != n_pairs:
        raise ValueError(f"{n_pairs} decision values are not one per pair of classes")
    return k


def fit_slope_offset(decision: np.ndarray, y_index: np.ndarray) -> tuple[float, float]:
    """``a`` and ``b`` maximising the likelihood of the true classes.

    Args:
        decision: ``(n, p)`` out-of-fold decision values.
        y_index: ``(n,)`` index of each row's true class.

    Returns:
        ``(slope, offset)``; ``(1, 0)`` when there is nothing to fit on.
    """
    from scipy.optimize import minimize

    if len(y_index) == 0:
        return 1.0, 0.0
    rows = np.arange(len(y_index))

    def loss(params: np.ndarray) -> float:
        probabilities = pairwise_probabilities(decision, float(np.exp(params[0])), params[1])
        return float(-np.log(probabilities[rows, y_index] + 1e-300).mean())

    found = minimize(loss, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-4})
    return float(np.exp(found.x[0])), float(found.x[1])
