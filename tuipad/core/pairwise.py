"""Pairwise calibration in numpy: one-vs-one decision values to class probabilities.

Each pairwise decision value ``d`` of a one-vs-one SVC becomes the probability
that the pair's first class beats the second, ``σ(a·d + b)`` (``σ(−a·d + b)``
the other way), with a slope ``a`` of the pair's own. A class scores the
product of its probabilities of beating every other class, and the products
are normalised to sum to one, so a class's score is dominated by its weakest
pairing: a digit that beats every other one by a wide margin scores high, one
that barely beats its runner-up does not. :func:`fit_slopes_offset` fits the
slopes and ``b`` (for :class:`tuipad.core.calibration.PairwiseCalibratedSVC`);
the exports write the same arithmetic as layers. numpy, and scipy to fit.
"""

from __future__ import annotations

from functools import cache

import numpy as np


def pair_classes(k: int) -> list[tuple[int, int]]:
    """The one-vs-one pairs of ``k`` classes, in libsvm's order."""
    return [(i, j) for i in range(k) for j in range(i + 1, k)]


def pairwise_probabilities(
    decision: np.ndarray, slope: float | np.ndarray, offset: float
) -> np.ndarray:
    """Class probabilities from one-vs-one decision values.

    Args:
        decision: ``(n, p)`` decision values, positive when a pair's first
            class wins, pairs in :func:`pair_classes` order.
        slope: ``a`` of ``σ(a·d + b)``: one for all pairs, or ``(p,)``.
        offset: ``b`` of ``σ(a·d + b)``.

    Returns:
        ``(n, k)`` probabilities; each row sums to one.
    """
    return softmax(pairwise_log_scores(decision, slope, offset))


def pairwise_log_scores(
    decision: np.ndarray, slope: float | np.ndarray, offset: float
) -> np.ndarray:
    """``(n, k)`` each class's log-probability of beating every other, not normalised.

    Arguments as :func:`pairwise_probabilities`, whose scores are their softmax.
    """
    decision = np.atleast_2d(np.asarray(decision, dtype=float))
    first, second = pair_membership(_classes_of(decision.shape[1]))
    # log σ(x) = −log(1 + e^(−x)), summed over each class's pairings.
    wins = -np.logaddexp(0.0, -(slope * decision + offset))
    losses = -np.logaddexp(0.0, -(-slope * decision + offset))
    log_scores: np.ndarray = wins @ first + losses @ second
    return log_scores


def combined_probabilities(
    grid_log_scores: np.ndarray,
    path_log_scores: np.ndarray,
    has_path: np.ndarray,
    *,
    path_weight: float,
    temperature: float,
    split_temperature: float | None,
) -> np.ndarray:
    """Scores of two models read together: ``softmax((grid + w·path) / T)``.

    With ``w = 1`` and ``T = 2`` this is the normalised geometric mean of the
    two models' probabilities: a digit must convince both to score high, so
    where they disagree the score drops.  Where each model on its own reads a
    different digit (:func:`parts_disagree`) the temperature is
    ``split_temperature``: a higher one flattens the scores, so that an answer
    the two models dispute does not look sure.  A row without a path (a scan)
    keeps the grid model's scores exactly.

    Args:
        grid_log_scores: ``(n, k)`` :func:`pairwise_log_scores` of the grid model.
        path_log_scores: ``(n, k)`` those of the path model; rows without a
            path are ignored.
        has_path: ``(n,)`` which rows have a path.
        path_weight: ``w``.
        temperature: ``T`` where the models read the same digit.
        split_temperature: ``T`` where they do not; None: ``temperature``.
    """
    has_path = np.asarray(has_path, dtype=bool)
    log_scores = np.array(grid_log_scores, dtype=float, copy=True)
    grid, path = log_scores[has_path], path_log_scores[has_path]
    divisor = np.full((len(grid), 1), temperature, dtype=float)
    if split_temperature is not None:
        divisor[parts_disagree(grid, path)] = split_temperature
    log_scores[has_path] = (grid + path_weight * path) / divisor
    return softmax(log_scores)


def parts_disagree(grid_log_scores: np.ndarray, path_log_scores: np.ndarray) -> np.ndarray:
    """``(n,)`` whether the grid and path models, each on its own, read different digits."""
    disagree: np.ndarray = grid_log_scores.argmax(axis=1) != path_log_scores.argmax(axis=1)
    return disagree


def softmax(log_scores: np.ndarray) -> np.ndarray:
    """Rows of log-scores to rows of probabilities that sum to one."""
    shifted = log_scores - log_scores.max(axis=1, keepdims=True)
    score = np.exp(shifted)
    probabilities: np.ndarray = score / score.sum(axis=1, keepdims=True)
    return probabilities


@cache
def pair_membership(k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(p, k)`` indicator matrices: which class is first, and which second, in each pair.

    Built once per ``k`` (every drawing and every step of the fit needs them),
    read-only because they are shared.
    """
    pairs = pair_classes(k)
    first, second = np.zeros((len(pairs), k)), np.zeros((len(pairs), k))
    for p, (i, j) in enumerate(pairs):
        first[p, i], second[p, j] = 1.0, 1.0
    first.flags.writeable = second.flags.writeable = False
    return first, second


def _classes_of(n_pairs: int) -> int:
    k = int(round((1 + np.sqrt(1 + 8 * n_pairs)) / 2))
    if k * (k - 1) // 2 != n_pairs:
        raise ValueError(f"{n_pairs} decision values are not one per pair of classes")
    return k


SLOPE_PULL = 1e-3
"""Weight of the penalty that keeps each pair's log-slope near the common one."""

COMMON_PULL = 1e-5
"""Weight of the penalty that keeps the common log-slope finite when the rows are
perfectly separated; faint, so it does not move the slope fitted on real drawings."""


def fit_slopes_offset(decision: np.ndarray, y_index: np.ndarray) -> tuple[np.ndarray, float]:
    """One slope per pair and a common offset, maximising the likelihood of the true classes.

    Pairs differ in how far a margin can be trusted (3 against 9 is harder
    than 0 against 1), so each pair has its own slope; a small penalty keeps
    each near the common slope, fitted first, so rare pairs stay sensible.

    Args:
        decision: ``(n, p)`` out-of-fold decision values.
        y_index: ``(n,)`` index of each row's true class.

    Returns:
        ``(slopes, offset)``, slopes of shape ``(p,)``; all ones and zero when
        there is nothing to fit on.
    """
    from scipy.optimize import minimize

    pairs = decision.shape[1]
    if len(y_index) == 0:
        return np.ones(pairs), 0.0
    common = minimize(_loss, np.zeros(2), args=(decision, y_index, None), jac=True)
    prior = np.full(pairs, common.x[0])
    start = np.concatenate([prior, common.x[1:]])
    found = minimize(_loss, start, args=(decision, y_index, prior), jac=True, method="L-BFGS-B")
    return np.exp(found.x[:-1]), float(found.x[-1])


def _loss(
    params: np.ndarray, decision: np.ndarray, y_index: np.ndarray, prior: np.ndarray | None
) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood and its gradient in ``(log slopes..., offset)``.

    With ``prior`` None there is one log-slope shared by every pair.  Every
    log-slope is pulled a little towards its prior (the common one), and the
    common one, faintly, towards a slope of one.
    """
    k = _classes_of(decision.shape[1])
    first, second = pair_membership(k)
    log_slopes, offset = params[:-1], params[-1]
    slopes = np.exp(log_slopes)
    win, lose = slopes * decision + offset, -slopes * decision + offset
    log_score = -np.logaddexp(0.0, -win) @ first - np.logaddexp(0.0, -lose) @ second
    log_score -= log_score.max(axis=1, keepdims=True)
    log_total = np.log(np.exp(log_score).sum(axis=1))
    rows = np.arange(len(y_index))
    loss = float((log_total - log_score[rows, y_index]).mean())
    error = np.exp(log_score - log_total[:, None])
    error[rows, y_index] -= 1.0
    error /= len(y_index)
    # d log σ(u) / du = σ(−u)
    through_win = (error @ first.T) * _sigmoid(-win)
    through_lose = (error @ second.T) * _sigmoid(-lose)
    by_slope = ((through_win - through_lose) * decision).sum(axis=0) * slopes
    by_offset = float((through_win + through_lose).sum())
    weight = SLOPE_PULL
    if prior is None:
        by_slope = by_slope.sum(keepdims=True)
        prior, weight = np.zeros(1), COMMON_PULL  # towards a slope of one
    pull = log_slopes - prior
    penalty = weight * float(pull @ pull)
    gradient = np.concatenate([by_slope + 2 * weight * pull, [by_offset]])
    return loss + penalty, gradient


def _sigmoid(u: np.ndarray) -> np.ndarray:
    result: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * u))
    return result
