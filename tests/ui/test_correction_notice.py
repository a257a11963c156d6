"""The sketchpad's notice after a correction: a correction against a sure answer warns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tuipad.core.recognise import Prediction
from tuipad.ui.screens.corrections import Correction, saved_notice

GRID = np.zeros((8, 8), dtype=int)


def answer(label: int, top: float, runner_up: int, second: float) -> Prediction:
    scores = [0.0] * 10
    scores[label], scores[runner_up] = top, second
    return Prediction(label, tuple(scores), GRID)


@pytest.mark.parametrize(
    ("prediction", "label", "previous", "notice", "warns"),
    [
        (answer(7, 0.99, 1, 0.01), 1, None, "Saved as a 1, though it reads as a 7 (99%)", True),
        (answer(3, 0.9, 9, 0.1), 9, 3, "Relabelled as a 9, though it reads as a 3 (90%)", True),
        (answer(3, 0.55, 9, 0.45), 9, None, "Saved as a 9 · ctrl+u undoes", False),
        (answer(4, 0.97, 9, 0.03), 4, None, "Confirmed and saved as a 4", False),
        (answer(4, 0.6, 9, 0.4), 4, None, "Saved as a 4 · ctrl+u undoes", False),  # unsure
        (
            replace(answer(4, 0.72, 1, 0.28), shape_doubt="2 digits side by side"),
            4,
            None,
            "Saved as a 4 · ctrl+u undoes",
            False,
        ),
        (answer(4, 0.97, 9, 0.03), 4, 1, "Relabelled as a 4", False),
    ],
)
def test_a_correction_against_a_sure_answer_says_so(
    prediction: Prediction, label: int, previous: int | None, notice: str, warns: bool
) -> None:
    said, severity = saved_notice(prediction, Correction(1, (), label, previous))
    assert said.startswith(notice) and said.endswith("ctrl+u undoes")
    assert severity == ("warning" if warns else "information")
