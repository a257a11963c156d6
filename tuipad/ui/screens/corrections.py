"""Drawings the user labelled on a screen, kept as personal samples.

The sketchpad (a typed digit after an answer) and scribble mode (relabelling a
digit on the page) store a correction the same way; :func:`store_correction`
is that write, called from their workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuipad.ui.wording import a_digit

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tuipad.core.drawing import Strokes
    from tuipad.core.recognise import Prediction
    from tuipad.store.samples import SampleStore


@dataclass(frozen=True)
class Correction:
    """A drawing the user labelled from the sketchpad, as saved in the store.

    Attributes:
        sample_id: The stored sample.
        strokes: The drawing it holds.
        label: The digit the user gave.
    """

    sample_id: int
    strokes: Strokes
    label: int
    previous: int | None = None
    """The label this correction replaced, or ``None`` if it added the sample."""


def store_correction(
    store: SampleStore,
    strokes: Strokes,
    label: int,
    *,
    answered_by: str | None,
    predicted: int | None,
    scores: Sequence[float] | None,
    relabel: int | None = None,
) -> int:
    """Store a corrected drawing as a personal sample, or relabel the one it already is.

    A durable write: call it from a worker, not the UI thread.

    Args:
        store: The personal sample store.
        strokes: The drawing.
        label: The digit the user says it is.
        answered_by: The model that read it, if one did.
        predicted: What that model read.
        scores: Its ten scores.
        relabel: A stored sample of this same drawing to relabel instead of
            adding one (added anyway if it is gone).

    Returns:
        The sample's id.

    Raises:
        StoreError: The store cannot be written (one-line message).
        ValueError: The drawing or label is not valid.
    """
    if relabel is not None and store.relabel(relabel, label) is not None:
        return relabel
    return store.add(
        strokes,
        label,
        answered_by=answered_by,
        predicted=predicted,
        scores=scores,
        source="correction",
    ).id


def saved_notice(
    prediction: Prediction | None, correction: Correction
) -> tuple[str, SeverityLevel]:
    """The notice of a saved correction, and its severity (a warning, or information).

    A correction the model was sure is wrong is kept, since the user knows
    their digit, but said plainly: a stray key would otherwise teach the
    model a wrong digit without anyone noticing (teach mode warns the same way).
    """
    relabelled = correction.previous is not None
    kept = "Relabelled" if relabelled else "Saved"
    said = f"{a_digit(correction.label)}"
    if prediction is None:
        return f"{kept} as {said} · ctrl+u undoes", "information"
    if prediction.label == correction.label:
        confirmed = not relabelled and not prediction.contenders  # it was shown as sure
        return (
            f"{'Confirmed and saved' if confirmed else kept} as {said} · ctrl+u undoes",
            "information",
        )
    if prediction.contenders:  # the model was unsure: the user settles it
        return f"{kept} as {said} · ctrl+u undoes", "information"
    sure = f"{a_digit(prediction.label)} ({prediction.confidence:.0%})"
    return f"{kept} as {said}, though it reads as {sure} · ctrl+u undoes", "warning"


def undo_correction(store: SampleStore, correction: Correction, *, shown: bool = True) -> str:
    """Take a correction back: give a relabelled sample its label again, or delete the sample
    the correction added.  A durable write: call it from a worker, not the UI thread.

    Args:
        store: The personal samples.
        correction: The correction to take back.
        shown: Whether its drawing is the one on the canvas; if not, the notice says
            the undo reached an earlier drawing, since one ctrl+u after another looks alike.

    Returns:
        What was done, for a notice.

    Raises:
        StoreError: The store cannot be written (one-line message).
    """
    which = "the sample" if shown else "the sample of an earlier drawing"
    if correction.previous is None:
        if not store.delete(correction.sample_id):
            return "The sample was deleted meanwhile"
        return f"Removed {which} saved as {a_digit(correction.label)}"
    if store.relabel(correction.sample_id, correction.previous) is None:
        return "The sample was deleted meanwhile"
    saved = "Saved" if shown else f"{which.capitalize()} is saved"
    return f"{saved} as {a_digit(correction.previous)} again"
