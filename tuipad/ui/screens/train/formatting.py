"""Texts of the training screen: suggested names and the summaries of a run."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuipad.core.personal import PersonalResult
    from tuipad.core.training import DrawnEvaluation, TrainingResult
    from tuipad.services.evaluations import HeldOut


def default_name(family: str, now: float | None = None) -> str:
    """The suggested model name: the family and the date and time."""
    return f"{family}-{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}"


def results_summary(name: str, result: TrainingResult, drawn: DrawnEvaluation | None) -> str:
    """The report's two lines: the model, and what it scored on what.

    Args:
        name: The saved model.
        result: The training and its evaluation on the scans.
        drawn: Its evaluation on drawn digits, if a strokes file was given.
    """
    evaluation = result.evaluation
    protocol = f"{result.spec.cv}-fold CV" if result.spec.cv else "half split"
    summary = (
        f"{name} · {result.spec.family} · {result.spec.data_label}\n"
        f"accuracy {evaluation.accuracy:.1%} on {evaluation.n} scans ({protocol})"
    )
    if drawn is not None:
        summary += f"; {drawn.evaluation.accuracy:.1%} on {drawn.evaluation.n} drawn digits"
    return summary


def held_out_summary(held_out: HeldOut) -> str:
    """The report's lines for a saved model: its name, what it scored and how it was tested."""
    evaluation, drawn = held_out.evaluation, held_out.drawn
    summary = f"{held_out.name} · accuracy {evaluation.accuracy:.1%} on {evaluation.n} scans"
    if drawn is not None:
        summary += f"; {drawn.evaluation.accuracy:.1%} on {drawn.evaluation.n} drawn digits"
    return summary + (f"\n{held_out.protocol}" if held_out.protocol else "")


def personal_summary(name: str, result: PersonalResult, seconds: float) -> str:
    """What a retrain with personal samples measured, in three lines.

    Args:
        name: The saved model.
        result: The retrain.
        seconds: The whole wait, loading and saving too (the result's own leaves them out).

    Returns:
        Time and sample count, then the held-back samples before and after
        adapting and the test scans, worded as ``tuipad train --personal`` does.
    """
    from tuipad import services

    metrics = result.metrics
    lines = [
        f"Retrained {name} with {services.adapted_to(metrics, 'sample')} in"
        f" {seconds:.1f} s; it is now the active model (Models tab to switch back)."
    ]
    lines += [f"{label}: {value}" for label, value in services.personal_figures(metrics)[1:]]
    return "\n".join(lines)


def cell_title(true: int, predicted: int, count: int) -> str:
    """The title over the digits of one cell of the confusion matrix.

    Args:
        true: The cell's row: the digits' true label.
        predicted: Its column: what the model read.
        count: How many digits the cell holds.

    Returns:
        E.g. ``3 read as 8: 5 digits, surest first``; an order is given only
        when there is more than one digit to order.
    """
    cell = f"{true} read right" if true == predicted else f"{true} read as {predicted}"
    if count <= 1:
        return f"{cell}: {'no digits' if count == 0 else '1 digit'}"
    order = "least sure first" if true == predicted else "surest first"
    return f"{cell}: {count} digits, {order}"
