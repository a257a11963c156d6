"""Messages shared between the app's workers, the app and its screens.

Workers post these from their threads (``post_message`` is thread-safe); the
app turns them into state on the UI thread.  Nothing here imports numpy or
scikit-learn at run time, so the first frame does not wait for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tuipad.core.teaching import TeachRound
    from tuipad.store.registry import LoadedModel


@dataclass
class ModelLoaded(Message):
    """The model finished loading in the background."""

    model: LoadedModel
    """The model, ready to recognise drawings."""


@dataclass
class ModelFailed(Message):
    """The model could not be loaded."""

    error: str
    """One line saying why."""


@dataclass
class ModelProgress(Message):
    """Progress of a slow model load (a retrain when no model ships)."""

    stage: str
    """What is being done."""

    fraction: float
    """How much of it is done, 0..1."""

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters, so queued ones are dropped."""
        return isinstance(message, ModelProgress)


@dataclass
class TeachSaved(Message):
    """A teach-mode drawing is in the store and the round moved on."""

    teach_round: TeachRound
    """The round after it."""

    sample_id: int
    """The stored sample."""

    label: int
    """Its digit."""


@dataclass
class TeachFailed(Message):
    """A teach-mode drawing could not be saved."""

    error: str
    """One line saying why."""

    saved: bool = False
    """Whether the drawing is in the store all the same (only where to resume was lost)."""


@dataclass
class TrainingRuns(Message):
    """The training screen's run started or ended, so the header can say it runs."""

    running: bool
    """Whether a training runs now."""
