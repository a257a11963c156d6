"""The evaluation report is scikit-learn's classification report, computed without it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuipad.core.reports import DIGITS, evaluate

digits = st.lists(st.integers(0, 9), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_report_and_matrix_are_scikit_learns(data):
    from sklearn.metrics import classification_report, confusion_matrix

    y_true = np.array(data.draw(digits))
    y_pred = np.array(
        data.draw(st.lists(st.integers(0, 9), min_size=len(y_true), max_size=len(y_true)))
    )
    ours = evaluate(y_true, y_pred)
    theirs = classification_report(
        y_true,
        y_pred,
        labels=list(DIGITS),
        target_names=[str(d) for d in DIGITS],
        output_dict=True,
        zero_division=0,
    )
    assert ours.confusion == confusion_matrix(y_true, y_pred, labels=list(DIGITS)).tolist()
    assert ours.report.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert ours.report[key] == pytest.approx(value, abs=1e-12), key
        else:
            assert ours.report[key] == pytest.approx(value, abs=1e-12), key
    assert ours.accuracy == pytest.approx(float((y_true == y_pred).mean()))


def test_a_digit_never_drawn_has_no_recall_in_any_report_table() -> None:
    from tuipad.core.reports import UNDEFINED, evaluate, report_cells
    from tuipad.ui.widgets.report_table import report_rows

    result = evaluate(np.array([1, 1, 2]), np.array([1, 2, 2]))
    assert report_cells(result.report["3"])[1:3] == (UNDEFINED, UNDEFINED)
    assert report_cells(result.report["1"])[1] == "0.500"
    rows = {row[0]: row for row in report_rows(result)}
    assert rows["3"][2:4] == (UNDEFINED, UNDEFINED) and rows["1"][2] == "0.500"
