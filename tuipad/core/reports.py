"""Classification report and confusion matrix as plain data, for any screen or CLI.

Like scikit-learn's ``plot_digits_classification`` example, minus matplotlib:
the numbers come from ``classification_report(output_dict=True)`` and
``confusion_matrix``; rendering them is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

DIGITS = tuple(range(10))
"""Class labels, always reported in this order."""


@dataclass(frozen=True)
class Evaluation:
    """How a model did on labelled digits.

    Attributes:
        n: Number of digits evaluated.
        accuracy: Fraction read right.
        confusion: 10x10 counts, rows = true digit, columns = predicted.
        report: ``classification_report(..., output_dict=True)``.
    """

    n: int
    accuracy: float
    confusion: list[list[int]]
    report: dict[str, Any]

    @property
    def recall(self) -> list[float]:
        """Per-digit recall, digits 0..9 (0.0 for a digit with no samples)."""
        return [float(self.report[str(d)]["recall"]) for d in DIGITS]


def evaluate(y_true: np.ndarray, y_pred: np.ndarray) -> Evaluation:
    """Compare true and predicted labels.

    Args:
        y_true: True digits.
        y_pred: Predicted digits.

    Returns:
        The evaluation, with all ten digits present in the report and matrix.
    """
    from sklearn.metrics import classification_report, confusion_matrix

    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    matrix = confusion_matrix(y_true, y_pred, labels=list(DIGITS))
    report = classification_report(
        y_true,
        y_pred,
        labels=list(DIGITS),
        target_names=[str(d) for d in DIGITS],
        output_dict=True,
        zero_division=0,
    )
    accuracy = float((y_true == y_pred).mean()) if len(y_true) else 0.0
    return Evaluation(len(y_true), accuracy, matrix.tolist(), report)
