"""What teach mode says: the digit to draw next, and a drawing the model reads otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuipad.core.teaching import TeachRound
from tuipad.ui.wording import a_digit

if TYPE_CHECKING:
    from tuipad.core.recognise import Prediction


def read_otherwise(prediction: Prediction | None, digit: int) -> str | None:
    """``"it reads as a 1 (98%)"`` when the model is sure a drawing is another digit than
    the one asked for, ``"it does not look like one digit (too small)"`` for a tap or a
    dash, else ``None``."""
    if prediction is None:
        return None
    if prediction.shape_doubt:  # a stray click before enter would teach the model a dot
        return f"it does not look like one digit ({prediction.shape_doubt})"
    if prediction.label == digit or prediction.contenders:  # right, or unsure
        return None
    return f"it reads as {a_digit(prediction.label)} ({prediction.confidence:.0%})"


def prompt_text(teach_round: TeachRound) -> str:
    """The line that says what to draw: ``Draw a 7 · 12/50``."""
    if teach_round.current is None:
        return f"Done: {teach_round.total} drawings saved"
    return f"Draw {a_digit(teach_round.current)} · {teach_round.done + 1}/{teach_round.total}"
