"""Messages the training screen's workers post to it from their threads.

Each carries the worker it came from, so the screen ignores a cancelled run
that still reports.  Only this screen handles them; messages shared by
several screens live in :mod:`tuipad.ui.messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.worker import Worker

    from tuipad.core.personal import PersonalResult
    from tuipad.core.training import DrawnEvaluation, TrainingResult
    from tuipad.services.evaluations import HeldOut
    from tuipad.store.registry import Manifest


@dataclass
class TrainingProgress(Message):
    """A training's current stage."""

    worker: Worker[None]
    """The run it belongs to (a cancelled run may still report)."""

    stage: str
    """What is being done."""

    fraction: float
    """How much of the job is done, 0..1."""

    stage_end: float
    """Where the running stage ends on the job's bar, 0..1."""

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters, so queued ones are dropped."""
        return isinstance(message, TrainingProgress) and message.worker is self.worker


@dataclass
class TrainingFinished(Message):
    """A training finished and its model was saved."""

    worker: Worker[None]
    """The run."""

    result: TrainingResult
    """The model and its evaluation on the scans."""

    drawn: DrawnEvaluation | None
    """Its evaluation on the strokes file, if one was given."""

    manifest: Manifest
    """The saved model's manifest."""


@dataclass
class TrainingStopped(Message):
    """A training was cancelled, or failed."""

    worker: Worker[None]
    """The run."""

    error: str = ""
    """Why it failed; empty when cancelled."""


@dataclass
class PersonalTrained(Message):
    """A retrain with the personal samples finished; its model is saved and active."""

    worker: Worker[None]
    """The run."""

    result: PersonalResult
    """The model and its figures."""

    manifest: Manifest
    """The saved model's manifest."""


@dataclass
class ActivationDone(Message):
    """A model from the history was loaded and made active, or could not be."""

    name: str
    """The model."""

    error: str = ""
    """Why it could not be used; empty on success."""

    note: str = ""
    """What it does with the personal samples, if it is worth saying (on success)."""


@dataclass
class EvaluationReady(Message):
    """A saved model's evaluation, computed for the Report and Matrix tabs."""

    name: str
    """The model."""

    held_out: HeldOut | None
    """The evaluation, or ``None`` if the model keeps none."""

    error: str = ""
    """Why there is none: it could not be read, or the model is a personal one."""


@dataclass
class AdaptedToAll(Message):
    """The active model is adapted to every personal sample already."""

    model: str
    """Its name."""

    count: int
    """The samples stored."""


@dataclass
class NothingToRetrain(Message):
    """A retrain found the active model adapted to every personal sample already."""

    worker: Worker[None]
    """The run, which saved nothing."""

    model: str
    """The active model's name."""

    count: int
    """The samples stored."""
