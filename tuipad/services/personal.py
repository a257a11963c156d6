"""Personal models: the shipped model adapted to the user's samples, saved and made active."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuipad.core.progress import JobProgress, JobReport
from tuipad.core.training import TrainingCancelled
from tuipad.core.wording import counted
from tuipad.services.training import evaluate_drawings, in_thread
from tuipad.store import registry
from tuipad.store.files import check_writable
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.store.registry import DEFAULT_NAME, Manifest, ModelError

if TYPE_CHECKING:
    from tuipad.background import Runner
    from tuipad.core.personal import PersonalResult
    from tuipad.core.recognise import Prediction
    from tuipad.core.reports import Evaluation
    from tuipad.store.sample_db import Sample
    from tuipad.store.samples import SampleStore

PERSONAL_PREFIX = "personal"
"""Personal models are saved as ``personal-YYYYmmdd-HHMMSS``."""

SHIPPED_SUPPORT = (7500, 4600)
"""About the support vectors of the shipped model's grid SVC and of its path SVC: what an
adaptation refits beside the samples."""

KEEP_PERSONAL = 3
"""Older personal models than this many are removed after a retrain (never the active one)."""

MOST_SAMPLES = 400
"""Most personal samples an adaptation learns from: the newest, the hand drawn now.  Its
time grows faster than the samples (each is rendered again and again and refitted beside
the shipped support vectors); this many still take seconds, thousands would take minutes."""


def samples_to_adapt(samples: Sequence[Sample]) -> list[Sample]:
    """The samples an adaptation learns from, of all stored (oldest first)."""
    return list(samples[-MOST_SAMPLES:])


def your_samples(count: int) -> str:
    """The samples an adaptation learns from, of ``count`` stored, in words: ``your 60
    samples``, or ``the newest 400 of your 7000 samples``."""
    return adapted_to(
        {"personal_samples": min(count, MOST_SAMPLES), "samples_stored": count}, "sample"
    )


def personal_job(
    labels: Sequence[int],
    drawings: Sequence[Any],
    home: Path,
    *,
    evaluate: bool = True,
    progress: JobReport | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PersonalResult:
    """Adapt the shipped model to personal samples (saves no model).

    Module-level so a child process can run it: it unpickles the shipped
    model (or the default retrained into ``home`` if the shipped one cannot
    load), renders the samples not rendered by an earlier run (kept in
    ``home``'s cache, with their pen's paths) and refits its SVCs with them
    (:func:`tuipad.core.adaptation.adapt`).

    Raises:
        ModelError: Neither the shipped nor a retrained default model loads.
    """
    from tuipad.core.adaptation import ADAPT_COPIES, adapt
    from tuipad.store.rendering_cache import cached_sample_renderings

    job = _adaptation_job(progress, len(labels))
    job.part("load")("loading the shipped model", 0.0)
    base = _base_model(home)
    job.part("render")(f"rendering {counted(len(labels), 'personal sample')}", 0.0)
    renderings = cached_sample_renderings(Paths(home).cache, labels, drawings, copies=ADAPT_COPIES)
    return adapt(
        base,
        labels,
        drawings,
        renderings=renderings,
        evaluate=evaluate,
        progress=job,
        should_stop=should_stop,
    )


def _base_model(home: Path) -> Any:
    """The fitted default pipeline: the shipped one, else the one retrained into ``home``."""
    try:
        return registry.load_model(bundled_models_dir(), DEFAULT_NAME)[0]
    except ModelError as error:
        problem = str(error)
    try:
        trusted = registry.trusted_hashes(home)
        return registry.load_model(Paths(home).models, DEFAULT_NAME, trusted=trusted)[0]
    except ModelError:
        raise ModelError(f"{problem}; there is no model to adapt") from None


def personal_name(now: float | None = None) -> str:
    """A new personal model's name, ``personal-YYYYmmdd-HHMMSS`` (UTC)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))
    return f"{PERSONAL_PREFIX}-{stamp}"


def samples_digest(samples: Sequence[Sample]) -> str:
    """A hash of the shipped model's manifest and the samples' labels and strokes, in order:
    what a personal model was adapted to (a new shipped model is worth adapting again)."""
    from tuipad.core.personal import sample_key

    digest = hashlib.sha256()
    with contextlib.suppress(OSError):  # no manifest: the samples alone
        digest.update((bundled_models_dir() / f"{DEFAULT_NAME}.json").read_bytes())
    for sample in samples:
        digest.update(sample_key(sample.label, sample.strokes).encode())
    return digest.hexdigest()


def save_personal(
    paths: Paths,
    result: PersonalResult,
    *,
    name: str | None = None,
    activate: bool = True,
    should_stop: Callable[[], bool] | None = None,
) -> Manifest:
    """Save a personal model as a trusted user model and (by default) make it active.

    Older automatically named personal models beyond the :data:`KEEP_PERSONAL`
    most recent are removed through the registry (so their hashes are
    forgotten too), except the one that is active.

    Raises:
        ValueError: A name that cannot name a user model.
        TrainingCancelled: ``should_stop`` said so once the files were written: they
            are removed, and nothing was made active or pruned.
    """
    if name is None:
        name = personal_name()
        while registry.model_paths(paths.models, name)[1].exists():
            time.sleep(1)
            name = personal_name()
    registry.check_name(name)
    manifest = registry.save_model(
        result.estimator,
        paths.models,
        name,
        recipe="default+personal",
        training_data=result.sources,
        metrics=result.metrics,
        trust_home=paths.home,
    )
    if should_stop is not None and should_stop():  # cancelled while saving: keep nothing
        with contextlib.suppress(ModelError, OSError):  # the cancel is what to report
            registry.remove_model(paths.home, name)
        raise TrainingCancelled
    if activate:
        registry.set_active_name(paths.home, name)
    active = registry.active_name(paths.home)
    older = sorted(paths.models.glob(f"{PERSONAL_PREFIX}-*-*.json"))[:-KEEP_PERSONAL]
    for manifest_path in older:
        stem = manifest_path.name[: -len(".json")]
        if stem != active:
            registry.remove_model(paths.home, stem)
    return manifest


def adapted_to_all(paths: Paths, name: str, store: SampleStore) -> bool:
    """Whether model ``name`` was adapted to exactly the samples an adaptation would learn
    from now (:func:`samples_to_adapt`), so adapting again would only make the same model."""
    if name == DEFAULT_NAME:
        return False
    try:
        manifest = Manifest.from_file(registry.model_paths(paths.models, name)[1])
    except (ModelError, ValueError):
        return False
    recorded = manifest.metrics.get("samples_digest")
    return recorded is not None and recorded == samples_digest(samples_to_adapt(store.list()))


def adapted_active(paths: Paths, store: SampleStore) -> str | None:
    """The active model's name when it was adapted to exactly the samples a retrain would
    learn from now, so it would only make the same model again; else ``None``."""
    name = registry.active_name(paths.home)
    return name if adapted_to_all(paths, name, store) else None


def retrain_personal(
    paths: Paths,
    store: SampleStore,
    *,
    name: str | None = None,
    activate: bool = True,
    progress: JobReport | None = None,
    should_stop: Callable[[], bool] | None = None,
    runner: Runner | None = None,
) -> tuple[PersonalResult, Manifest]:
    """Adapt to the store's newest samples (:func:`samples_to_adapt`), save the model and
    (by default) make it active.

    This is what ``tuipad train --personal`` and the training screen run.
    Reading the store and saving stay in this thread, so a cancelled run saves
    nothing.

    Raises:
        ValueError: The store holds no samples, or a bad ``name``.
        TrainingCancelled: ``should_stop`` said so.
        StoreError: The store cannot be read.
        OSError: The models directory cannot be written (checked before the fit).
    """
    if name is not None:
        registry.check_name(name)
    check_writable(paths.models)
    stored = store.list()
    samples = samples_to_adapt(stored)
    if not samples:
        raise ValueError(
            "there are no personal samples yet: correct or teach some digits in the app, or"
            " tuipad samples import FILE"
        )
    result = (runner or in_thread())(
        personal_job,
        [s.label for s in samples],
        [s.strokes for s in samples],
        paths.home,
        progress=progress,
        should_stop=should_stop,
    )
    if should_stop is not None and should_stop():
        raise TrainingCancelled
    # Kept in the manifest, so the app does not adapt to the same samples again.
    digest = samples_digest(samples)
    result = replace(
        result, metrics={**result.metrics, "samples_digest": digest, "samples_stored": len(stored)}
    )
    job = last_stage(progress, len(samples), "saving the personal model")
    manifest = save_personal(paths, result, name=name, activate=activate, should_stop=should_stop)
    job.finish(f"saved {manifest.name}")
    return result, manifest


def last_stage(progress: JobReport | None, samples: int, text: str) -> JobProgress:
    """The job's bar, laid out as in :func:`personal_job`, at its last stage.

    The adaptation may run in a child process, so this process reports the
    stage after it (saving, or testing) and fills the bar when that is done.
    """
    job = _adaptation_job(progress, samples)
    job.part("save")(text, 0.0)
    return job


def _adaptation_job(progress: JobReport | None, samples: int) -> JobProgress:
    """An adaptation's bar, laid out the same in the process adapting and the one saving."""
    from tuipad.core.adaptation import adaptation_costs

    return JobProgress(progress, adaptation_costs(samples, SHIPPED_SUPPORT))


def adapt_and_evaluate(
    paths: Paths,
    personal: tuple[Sequence[int], Sequence[Any]],
    test: tuple[Sequence[int], Sequence[Any]],
    progress: JobReport | None = None,
) -> tuple[PersonalResult, Evaluation, Any, Any]:
    """Adapt the shipped model to labelled drawings in memory, then score others.

    Nothing in the data directory is touched.

    Returns:
        ``(result, evaluation, predicted labels, (n, 10) scores)``.
    """
    result = personal_job(*personal, paths.home, evaluate=False, progress=progress)
    job = last_stage(progress, len(personal[0]), f"testing on {counted(len(test[0]), 'drawing')}")
    evaluation, predicted, scores = evaluate_drawings(result.estimator, *test)
    job.finish("tested")
    return result, evaluation, predicted, scores


PERCENT_FROM = 10
"""Fewest held-back samples whose share read right is said as a percentage, not a count."""


def counted_right(metrics: dict[str, Any]) -> str | None:
    """``3 of 4 read right, 2 before`` when fewer than :data:`PERCENT_FROM` samples were
    held back ("0% → 0%" of one sample says more than it measured); else ``None``."""
    held, after = metrics.get("personal_held_back", 0), metrics.get("personal_accuracy")
    if after is None or held >= PERCENT_FROM:
        return None
    before = metrics.get("personal_before")
    was = "not measured before" if before is None else f"{round(before * held)} before"
    return f"{round(after * held)} of {held} read right, {was}"


def personal_figures(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """What a personal retrain measured, as ``(label, value)`` rows both front ends show.

    Args:
        metrics: A personal model's manifest metrics (``PersonalResult.metrics``).

    Returns:
        The sample count, and the held-back samples before and after adapting.
    """

    def percent(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    held = metrics.get("personal_held_back", 0)
    if metrics.get("personal_accuracy") is None:
        held_back = "none (too few of each digit to hold some back)"
    elif (counted_few := counted_right(metrics)) is not None:
        held_back = counted_few
    else:
        before, after = metrics.get("personal_before"), metrics["personal_accuracy"]
        held_back = f"{held}: before {percent(before)}, after {percent(after)}"
    return [
        ("personal samples", adapted_to(metrics)),
        ("held-back samples", held_back),
    ]


def adapted_to(metrics: dict[str, Any], noun: str = "") -> str:
    """How many samples a personal model learnt from: ``60``, or ``the newest 400 of 7000``;
    with ``noun``, ``your 60 samples`` or ``the newest 400 of your 7000 samples``."""
    used, stored = metrics.get("personal_samples", 0), metrics.get("samples_stored", 0)
    stored = stored if isinstance(stored, int) and isinstance(used, int) else 0
    if not noun:
        return f"the newest {used} of {stored}" if stored > used else str(used)
    if stored > used:
        return f"the newest {used} of your {counted(stored, noun)}"
    return f"your {counted(used, noun)}"


def doubtful_samples(paths: Paths, samples: Sequence[Sample]) -> list[tuple[Sample, Prediction]]:
    """The samples worth a second look before a model adapts to them, with what the active
    model reads: ones it is sure are another digit, and ones no digit is shaped like (a tap,
    a dash).  The app warns of both as they are drawn; imported ones are checked here.

    Raises:
        ModelError: The active model does not load (no fallback, and no retraining,
            for a check).
    """
    from tuipad.core.recognise import recognise_each

    if not samples:
        return []
    model = registry.load_saved(paths.home, registry.active_name(paths.home))
    predictions = recognise_each(model.predictor, [sample.strokes for sample in samples])
    found = []
    for sample, prediction in zip(samples, predictions, strict=True):
        other = prediction.label != sample.label and not prediction.contenders
        if prediction.shape_doubt or other:
            found.append((sample, prediction))
    return found
