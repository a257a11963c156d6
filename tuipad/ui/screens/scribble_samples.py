"""The personal samples scribble mode's relabels save, kept in step with undo and redo.

Relabelling a digit saves it as a sample.  Undoing that relabel must take the
sample back, as ``ctrl+u`` does in the sketchpad, and redoing it must save it
again: otherwise the model keeps learning a label the user withdrew.  So the
screen compares the page before and after each relabel, undo and redo
(:meth:`PageSamples.follow`), and a worker per changed digit makes the store
match (:meth:`PageSamples.keep`).  Syncs run one at a time and each reads the
latest wish, so workers that run out of order still leave the store as the page
says; noting a wish takes only a short lock of its own, so the screen never
waits for a write to the store.
Erasing or clearing a digit keeps its sample: the user still said what it is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from tuipad.core.scribble_marks import MARKS
from tuipad.ui.adapting import SamplesChanged
from tuipad.ui.screens.corrections import store_correction
from tuipad.ui.wording import a_digit, sure_reading_against

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tuipad.core.drawing import Strokes
    from tuipad.core.scribble import Group, Page
    from tuipad.store.samples import SampleStore
    from tuipad.ui.screens.scribble import ScribbleScreen

DigitKey = tuple[float, float]
"""A digit on the page: when its first stroke began and ended, which moves keep.  The screen
moves an opened page's times after its own, so no two digits of a session share a key."""


@dataclass(frozen=True)
class Wanted:
    """What one digit's personal sample should be.

    Attributes:
        label: The digit the user gave it; ``None`` for no sample.
        strokes: The drawing, to add it again if it is not in the store.
        answered_by: The model that read it, if one did.
        predicted: What that model read.
        scores: Its ten scores.
        split: What each part of a two-part model read, when they differed.
    """

    label: int | None
    strokes: Strokes
    answered_by: str | None
    predicted: int | None
    scores: tuple[float, ...] | None
    split: tuple[int, ...] = ()


def digit_key(group: Group) -> DigitKey:
    """The key a digit keeps while it is moved or relabelled."""
    first = group.strokes[0]
    return first.start, first.end


def _shown_as_marks(page: Page) -> set[DigitKey]:
    """The digits the page shows as a decimal point or a minus sign."""
    return {
        digit_key(group)
        for number in page.numbers
        for char, group in zip(number.text, number.groups, strict=True)
        if char in MARKS
    }


def _user_label(group: Group) -> int | None:
    return group.label if group.corrected else None


class PageSamples:
    """The samples the page's relabels saved, by digit; thread-safe."""

    def __init__(self) -> None:
        self._wishes = threading.Lock()  # held briefly, by the screen too
        self._syncing = threading.Lock()  # held across a store write, by workers only
        self._wanted: dict[DigitKey, Wanted] = {}
        self._saved: dict[DigitKey, tuple[int, int]] = {}

    def follow(self, before: Page, after: Page, model_name: str | None) -> list[DigitKey]:
        """Note the digits whose user label changed from ``before`` to ``after``.

        Args:
            before: The page before a relabel, undo or redo.
            after: The page after it.
            model_name: The model reading the page.

        Returns:
            The digits to :meth:`sync`.
        """
        was = {digit_key(group): group for group in before.groups}
        marks = _shown_as_marks(before)
        changed = []
        for group in after.groups:
            key = digit_key(group)
            old = was.get(key)
            if old is None or _user_label(old) == _user_label(group):
                continue
            # A point or a minus sign was not read as the digit its scores say.
            read = old.scores is not None and key not in marks
            wanted = Wanted(
                _user_label(group),
                group.paths,
                answered_by=model_name if read else None,
                predicted=old.label if read and not old.corrected else None,
                scores=old.scores if read else None,
                split=old.split if read else (),
            )
            with self._wishes:
                self._wanted[key] = wanted
            changed.append(key)
        return changed

    def keep(self, screen: ScribbleScreen, before: Page) -> None:
        """Save, relabel or delete the samples of the digits whose label the user changed
        from ``before`` to the screen's page now, in a worker each (durable writes)."""
        model_name = None if screen.model is None else screen.model.name
        for key in self.follow(before, screen.page, model_name):
            sync = partial(self._sync_and_tell, screen, key)
            screen.run_worker(sync, thread=True, exit_on_error=False, group="samples")

    def _sync_and_tell(self, screen: ScribbleScreen, key: DigitKey) -> None:
        """:meth:`sync` in a worker thread, and say what changed."""
        from tuipad.store.samples import StoreError

        app = screen.app
        try:
            notice = self.sync(screen.context.sample_store(), key)
        except (StoreError, ValueError) as error:
            warning = f"Personal sample not updated: {error}"
            app.call_from_thread(screen.notify, warning, severity="warning")
            return
        if notice is not None:
            text, severity = notice
            timeout = 3 if severity == "information" else 6
            app.call_from_thread(screen.notify, text, severity=severity, timeout=timeout)
            screen.post_message(SamplesChanged())

    def sync(self, store: SampleStore, key: DigitKey) -> tuple[str, SeverityLevel] | None:
        """Add, relabel or delete the digit's sample as last wanted (a durable write).

        Returns:
            What changed, in a line for the user, and its severity (a warning for
            a label against an answer the model was sure of); ``None`` if nothing did.

        Raises:
            StoreError: The store cannot be written.
            ValueError: The drawing is not valid.
        """
        with self._syncing:
            with self._wishes:
                wanted = self._wanted[key]
            saved = self._saved.get(key)
            if (None if saved is None else saved[1]) == wanted.label:
                return None
            if saved is not None and wanted.label is None:
                deleted = store.delete(saved[0])
                del self._saved[key]
                # Not there: deleted meanwhile, in browse.
                removed = f"Removed the sample saved as {a_digit(saved[1])}"
                return (removed, "information") if deleted else None
            assert wanted.label is not None
            sample_id = store_correction(
                store,
                wanted.strokes,
                wanted.label,
                answered_by=wanted.answered_by,
                predicted=wanted.predicted,
                scores=wanted.scores,
                relabel=None if saved is None else saved[0],
            )
            self._saved[key] = (sample_id, wanted.label)
        # Pressing the digit the model read confirms it: worth keeping, but not a relabel.
        done = "Confirmed" if wanted.label == wanted.predicted else "Relabelled"
        kept = (
            "its personal sample too"
            if saved and saved[0] == sample_id
            else "saved as a personal sample"
        )
        said = a_digit(wanted.label)
        sure = sure_reading_against(wanted.label, wanted.predicted, wanted.scores, wanted.split)
        if sure:  # kept, since the user knows their digit, but said: a stray key is likelier
            return f"{done} as {said}, though it reads as {sure}; {kept}", "warning"
        return f"{done} as {said}; {kept}", "information"
