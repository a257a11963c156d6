"""Adapting the active model to new personal samples without being asked, for the app.

The app calls :func:`adapt_active` a few seconds after the user corrects a
digit, finishes a teach round, or relabels or removes a sample.  Unlike a
retrain the user asks for, it must never replace a model the user chose: it
only replaces the shipped default or a personal model tuipad named itself
(:func:`may_replace`), and only if that model is still the active one when the
adapted model is ready.  Otherwise the new model is deleted again, so no stray
personal model is left behind.  A personal model it replaces is deleted too:
the new one was adapted to all the same samples, and a model per burst of
corrections would fill the disk.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tuipad.core.training import TrainingCancelled
from tuipad.core.wording import counted
from tuipad.services.models import activate, loaded_from_fitted
from tuipad.services.personal import (
    PERCENT_FROM,
    PERSONAL_PREFIX,
    adapted_to,
    adapted_to_all,
    retrain_personal,
)
from tuipad.store import registry
from tuipad.store.registry import DEFAULT_NAME, Manifest, ModelError

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.core.personal import PersonalResult
    from tuipad.store.paths import Paths
    from tuipad.store.registry import LoadedModel
    from tuipad.store.samples import SampleStore

PERSONAL_RECIPE = "default+personal"
"""The recipe :func:`tuipad.services.personal.save_personal` records for a personal model."""

AUTOMATIC_NAME = re.compile(rf"{PERSONAL_PREFIX}-\d{{8}}-\d{{6}}")
"""A personal model's name when tuipad chose it (``personal-YYYYmmdd-HHMMSS``)."""


@dataclass(frozen=True)
class Adapted:
    """A personal model adapted in the background, saved and made active.

    Attributes:
        model: Ready to recognise with (the app's new active model).
        result: The adaptation and what it measured; ``None`` when the last
            sample was removed and the shipped model took over again.
    """

    model: LoadedModel
    result: PersonalResult | None

    @property
    def notice(self) -> str:
        """One line saying the model is active and what it measured."""
        if self.result is None:
            return "No personal samples left: the shipped model is active again"
        return adapted_notice(self.result.metrics)


def may_replace(manifest: Manifest) -> bool:
    """Whether an adapted model may silently take over from this active model.

    Only the shipped default and the personal models tuipad named itself: a
    model the user trained, or a personal model they named, was chosen on
    purpose and stays until they change it.
    """
    if manifest.name == DEFAULT_NAME:
        return True
    named_by_tuipad = AUTOMATIC_NAME.fullmatch(manifest.name) is not None
    return manifest.recipe == PERSONAL_RECIPE and named_by_tuipad


def samples_note(paths: Paths, store: SampleStore, manifest: Manifest) -> str:
    """What a model just made active does with the personal samples, for the notice that
    names it, so choosing the shipped model again never leaves them unused unsaid.

    Empty when there are none, when the model is one the user chose (it never adapts), or
    when it was adapted to exactly these samples.

    Raises:
        StoreError: The samples cannot be read.
    """
    from tuipad.store.pending import changes_pending
    from tuipad.store.settings import adapts_in_background

    count = len(store)
    if not count or not may_replace(manifest) or adapted_to_all(paths, manifest.name, store):
        return ""
    yours = f"your {counted(count, 'sample')}"
    if adapts_in_background(paths.home) and changes_pending(paths):
        return f"it adapts to {yours} in a few seconds (A turns that off)"
    adapted = manifest.metrics.get("personal_samples")
    if isinstance(adapted, int) and adapted > 0:  # then samples came or went
        was = counted(adapted, "sample")
        return f"it was adapted to {was} before {yours} changed: Retrain with my samples takes them"
    return f"it does not read {yours} yet: Retrain with my samples adds them"


def drawn_note(manifest: Manifest) -> str:
    """A word for a model just made active that never saw a pen digit (the seed recipe, a
    family trained on scans): it reads what is drawn in a terminal far less well."""
    data = str(manifest.metrics.get("data", ""))
    if not data or "pen" in data:
        return ""
    return "trained without pen digits, it reads drawn digits less well than the shipped model"


class ModelChosen(Exception):
    """The active model is one the user chose and has not seen every sample: it stays."""


class ActiveModelChanged(Exception):
    """Another model became active than the one the app reads with (``tuipad models use``,
    or a choice made while the fit ran): nothing was adapted, nothing is left saved."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} was made active meanwhile")
        self.name = name
        """The model active now."""


def adapt_active(
    paths: Paths,
    store: SampleStore,
    replaces: str,
    *,
    chosen: bool = False,
    should_stop: Callable[[], bool] | None = None,
    runner: Runner | None = None,
) -> Adapted | None:
    """Adapt the shipped model to every stored sample and make it active in place of ``replaces``.

    Args:
        paths: The user data directory.
        store: The personal samples.
        replaces: The active model this one takes over from (the app's).
        chosen: ``replaces`` is a model the user chose (:func:`may_replace` says no):
            it is never replaced, so this only checks whether it has seen every sample.
        should_stop: Polled during the fit; ``True`` cancels it.
        runner: Where the fit runs (a child process for the app).

    Returns:
        The new active model, or ``None`` when there was nothing to do: no
        samples and the shipped model active, or a model adapted to every
        sample.  A replaced personal model is deleted; with no
        samples left, the shipped model takes its place (a personal model
        adapted to removed samples would keep reading them).

    Raises:
        ModelChosen: ``chosen``, and the model was not adapted to every sample.
        ActiveModelChanged: ``replaces`` is not the active model, or stopped being
            it during the fit (nothing is left saved).
        TrainingCancelled: ``should_stop`` said so; nothing was saved.
        ModelError: No model to adapt.
        StoreError: The samples cannot be read.
        OSError: The model cannot be saved.
    """
    if (active := registry.active_name(paths.home)) != replaces:
        raise ActiveModelChanged(active)
    if len(store) == 0:
        return None if chosen or replaces == DEFAULT_NAME else _back_to_default(paths, replaces)
    if adapted_to_all(paths, replaces, store):
        return None
    if chosen:
        raise ModelChosen(f"{replaces} is a model you chose, so tuipad does not adapt it")
    result, manifest = retrain_personal(
        paths, store, activate=False, should_stop=should_stop, runner=runner
    )
    # The fit took seconds: the user may have made another model active meanwhile.
    if (active := registry.active_name(paths.home)) != replaces:
        registry.remove_model(paths.home, manifest.name)
        raise ActiveModelChanged(active)
    if should_stop is not None and should_stop():  # cancelled since it was saved
        registry.remove_model(paths.home, manifest.name)
        raise TrainingCancelled
    # Just saved by this process, so the registry's hash check would only re-read it.
    registry.set_active_name(paths.home, manifest.name)
    if replaces != DEFAULT_NAME:
        with contextlib.suppress(ModelError, OSError):  # already gone: nothing to tidy
            registry.remove_model(paths.home, replaces)
    return Adapted(loaded_from_fitted(result.estimator, manifest), result)


def _back_to_default(paths: Paths, replaces: str) -> Adapted:
    """Make the shipped model active in place of a personal model tuipad made, and delete it."""
    model = activate(paths, DEFAULT_NAME)
    with contextlib.suppress(ModelError, OSError):  # already gone: nothing to tidy
        registry.remove_model(paths.home, replaces)
    return Adapted(model, None)


def adapted_notice(metrics: dict[str, Any]) -> str:
    """The line the app shows when an adapted model becomes active.

    Args:
        metrics: The personal model's metrics (``PersonalResult.metrics``).

    Returns:
        E.g. ``Personal model active, adapted to your 60 samples: of 12 kept aside to check
        it, 100% read right (75% before)``.
    """
    adapted = f"Personal model active, adapted to {adapted_to(metrics, 'sample')}"
    after, before = metrics.get("personal_accuracy"), metrics.get("personal_before")
    if after is None:
        return f"{adapted} (too few of each digit to keep some aside and check it)"
    held = metrics.get("personal_held_back", 0)

    def share(value: float) -> str:
        """A count of a few ("0% → 0%" of one sample says more than it measured), else a share."""
        return str(round(value * held)) if held < PERCENT_FROM else _percent(value)

    was = "not measured before" if before is None else f"{share(before)} before"
    return f"{adapted}: of {held} kept aside to check it, {share(after)} read right ({was})"


def _percent(value: float | None) -> str:
    """``95%`` or ``85.7%``: no ``.0`` to read past in a one-line notice."""
    return "n/a" if value is None else f"{value:.1%}".replace(".0%", "%")
