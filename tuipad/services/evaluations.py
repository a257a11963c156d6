"""A saved model's evaluation, for the training screen to show when it opens.

Every model trained from the app or the CLI keeps its test beside its files
(:mod:`tuipad.store.evaluation_files`): the kept model is refit on all the
scans, so testing it again would only measure what it was trained on.  The
bundled default keeps its test in ``models/default.evaluation.npz``, made
once by ``tools/default_evaluation.py`` so its model files stay byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuipad.core.reports import Evaluation
    from tuipad.core.training import DrawnEvaluation
    from tuipad.store.evaluation_files import SavedEvaluation
    from tuipad.store.paths import Paths


@dataclass(frozen=True)
class HeldOut:
    """A saved model's evaluation and the digits behind it.

    Attributes:
        name: The model.
        protocol: How it was tested, from its manifest (``""`` if unknown).
        evaluation: Report and confusion matrix.
        tested: The digits it was tested on and what it read.
        drawn: How it did on the drawn digits of a strokes file, if also tested on one.
    """

    name: str
    protocol: str
    evaluation: Evaluation
    tested: SavedEvaluation
    drawn: DrawnEvaluation | None = None


def held_out(paths: Paths, name: str) -> HeldOut | None:
    """The evaluation a saved model keeps, or ``None`` if it keeps none.

    Args:
        paths: The user data directory's paths.
        name: The model.

    Returns:
        Its evaluation; ``None`` for a model saved before tuipad kept them, or a personal one.
    """
    from tuipad.core.reports import evaluate
    from tuipad.core.training import DrawnEvaluation
    from tuipad.store.evaluation_files import load_evaluation
    from tuipad.store.model_files import Manifest, ModelError, model_paths
    from tuipad.store.paths import bundled_models_dir
    from tuipad.store.registry import DEFAULT_NAME

    # A default retrained from its recipe has the bundled one's figures (and manifest metrics).
    places = [paths.models] + ([bundled_models_dir()] if name == DEFAULT_NAME else [])
    for directory in places:
        saved = load_evaluation(directory, name)
        if saved is not None:
            break
    else:
        return None
    try:
        metrics = Manifest.from_file(model_paths(directory, name)[1]).metrics
    except (ModelError, OSError):
        metrics = {}
    protocol = str(metrics.get("protocol", ""))
    drawn = None
    if (on := saved.drawn) is not None:
        drawn = DrawnEvaluation(
            evaluate(on.labels, on.predicted), on.grids, on.labels, on.predicted, on.scores
        )
    return HeldOut(name, protocol, evaluate(saved.labels, saved.predicted), saved, drawn)


def why_no_report(paths: Paths, name: str) -> str:
    """Why a model keeps no report, when it is a personal one: it was adapted to the
    user's samples and checked on some of them instead; ``""`` otherwise.
    """
    from tuipad.services.personal import adapted_to, counted_right
    from tuipad.store.model_files import Manifest, ModelError, model_paths

    try:
        metrics = Manifest.from_file(model_paths(paths.models, name)[1]).metrics
    except (ModelError, OSError):
        return ""
    if "personal_samples" not in metrics:
        return ""
    adapted = f"it is adapted to {adapted_to(metrics, 'sample')}"
    after, before = metrics.get("personal_accuracy"), metrics.get("personal_before")
    if after is None:
        return f"{adapted}, too few of each digit to keep some aside to check it"
    checked = f"checked on {metrics.get('personal_held_back', 0)} of them kept aside"
    if (few := counted_right(metrics)) is not None:
        return f"{adapted}, {checked}: {few}"
    was = "not measured before" if before is None else f"{before:.0%} before"
    return f"{adapted}, {checked}: {after:.0%} read right, {was}"
