"""Classification report and confusion matrix as plain data, for any screen or CLI.

Like scikit-learn's ``plot_digits_classification`` example, minus matplotlib:
the numbers are those of ``classification_report(output_dict=True,
zero_division=0)`` and ``confusion_matrix`` (a test holds them to scikit-learn's),
computed here in numpy so that ``tuipad eval`` needs no scikit-learn; rendering
them is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

DIGITS = tuple(range(10))
"""Class labels, always reported in this order."""

UNDEFINED = "–"
"""A cell that has no value: the recall of a digit never drawn (0.00 would read as all misread)."""


def report_cells(row: dict[str, Any], *, read: bool = True) -> tuple[str, str, str, str]:
    """Precision, recall, F1 and support of a ``classification_report`` row as text.

    Recall and F1 of a digit with no examples are :data:`UNDEFINED`, and so is
    its precision when it was never read either (``read`` false): no digit was
    read as it, so 0.000 would only say that nothing was measured.
    """
    seen = row["support"] > 0
    return (
        f"{row['precision']:.3f}" if seen or read else UNDEFINED,
        f"{row['recall']:.3f}" if seen else UNDEFINED,
        f"{row['f1-score']:.3f}" if seen else UNDEFINED,
        str(int(row["support"])),
    )


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
    def recall(self) -> list[float | None]:
        """Per-digit recall, digits 0..9; ``None`` for a digit with no samples (0.0 would
        say that all of them were misread)."""
        examples = [sum(row) for row in self.confusion]
        return [float(self.report[str(d)]["recall"]) if examples[d] else None for d in DIGITS]

    @property
    def read_as(self) -> list[int]:
        """How many digits were read as each digit 0..9 (the matrix's column sums)."""
        return [sum(row[d] for row in self.confusion) for d in DIGITS]


def present_macro_avg(evaluation: Evaluation) -> dict[str, float]:
    """The macro average over the digits the test holds, as a report row.

    ``classification_report`` averages over all ten digits and counts one
    that is not in the test as 0, so two digits all read right average 0.200
    beside an accuracy of 100%; a test of drawn digits often lacks some.
    Over the scans, which hold every digit, both averages are the same.
    """
    report = evaluation.report
    present = [report[str(d)] for d in DIGITS if report[str(d)]["support"] > 0]
    row = {
        name: float(np.mean([r[name] for r in present])) if present else 0.0
        for name in ("precision", "recall", "f1-score")
    }
    row["support"] = float(sum(r["support"] for r in present))
    return row


AVERAGES = {"macro avg": "macro avg", "weighted avg": "weighted"}
"""Average rows of ``classification_report`` and how the table labels them."""


def report_rows(evaluation: Evaluation) -> list[tuple[str, str, str, str, str]]:
    """The rows of an evaluation's report as text, as ``tuipad eval --report`` words them.

    A digit the test does not hold shows :data:`UNDEFINED`
    where it has no figure, and the macro average is over the digits the test
    holds (:func:`present_macro_avg`), so a drawn-digits
    file that lacks some digits is not scored as if they were all misread.

    Args:
        evaluation: The evaluation.

    Returns:
        One row per digit, then the averages (support is the count of digits).
    """
    report, read_as = evaluation.report, evaluation.read_as
    rows = [
        (str(digit), *report_cells(report[str(digit)], read=read_as[digit] > 0)) for digit in DIGITS
    ]
    averages = {"macro avg": present_macro_avg(evaluation), "weighted avg": report["weighted avg"]}
    rows += [(AVERAGES[key], *report_cells(row)) for key, row in averages.items()]
    return rows


def evaluate(y_true: np.ndarray, y_pred: np.ndarray) -> Evaluation:
    """Compare true and predicted labels.

    Args:
        y_true: True digits.
        y_pred: Predicted digits.

    Returns:
        The evaluation, with all ten digits present in the report and matrix.
    """
    y_true = np.asarray(y_true, dtype=int).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=int).reshape(-1)
    known = np.isin(y_true, DIGITS) & np.isin(y_pred, DIGITS)
    matrix = np.zeros((len(DIGITS), len(DIGITS)), dtype=np.int64)
    np.add.at(matrix, (y_true[known], y_pred[known]), 1)
    accuracy = float((y_true == y_pred).mean()) if len(y_true) else 0.0
    return Evaluation(len(y_true), accuracy, matrix.tolist(), _report(matrix, accuracy))


def evaluate_confusion(matrix: np.ndarray) -> Evaluation:
    """The evaluation a confusion matrix stands for (a saved model keeps only its matrix).

    Args:
        matrix: 10x10 counts, rows = true digit, columns = predicted.

    Returns:
        The same evaluation :func:`evaluate` gives for the labels behind the matrix.
    """
    matrix = np.asarray(matrix, dtype=np.int64)
    n = int(matrix.sum())
    accuracy = float(np.trace(matrix) / n) if n else 0.0
    return Evaluation(n, accuracy, matrix.tolist(), _report(matrix, accuracy))


def _report(matrix: np.ndarray, accuracy: float) -> dict[str, Any]:
    """``classification_report(..., output_dict=True, zero_division=0)`` of a confusion matrix."""
    hits = np.diag(matrix).astype(float)
    support, predicted = matrix.sum(axis=1).astype(float), matrix.sum(axis=0).astype(float)
    precision = _ratio(hits, predicted)
    recall = _ratio(hits, support)
    f1 = _ratio(2 * hits, support + predicted)
    report: dict[str, Any] = {
        str(digit): {
            "precision": float(precision[digit]),
            "recall": float(recall[digit]),
            "f1-score": float(f1[digit]),
            "support": float(support[digit]),
        }
        for digit in DIGITS
    }
    report["accuracy"] = accuracy
    total = float(support.sum())
    columns = {"precision": precision, "recall": recall, "f1-score": f1}
    report["macro avg"] = {name: float(v.mean()) for name, v in columns.items()}
    report["macro avg"]["support"] = total
    report["weighted avg"] = {
        name: float((v * support).sum() / total) if total else 0.0 for name, v in columns.items()
    }
    report["weighted avg"]["support"] = total
    return report


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """``top / bottom``, 0 where ``bottom`` is 0 (scikit-learn's ``zero_division=0``)."""
    out = np.zeros_like(top)
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out
