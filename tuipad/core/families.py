"""Model families and the two training recipes, as unfitted scikit-learn pipelines.

Every family is a ``Pipeline`` whose first step prepares its rows, so training and drawing
share their preprocessing: :class:`~tuipad.core.features.GridFeatures` for every family but
the default one, whose pipeline is :class:`~tuipad.core.features.DrawingFeatures` and a
:class:`~tuipad.core.grid_path.GridPathSVC`, an SVC on the grid and one on the pen's path,
because the order and direction of the strokes tell apart digits that leave the same ink.
Its two SVCs and the tuned family's are
:class:`~tuipad.core.calibration.PairwiseCalibratedSVC` (the path one a
:class:`~tuipad.core.calibration.PathCalibratedSVC`): scores from the pairwise margins,
calibrated on writers held out of the fit. The seed family is the original demo and keeps
its calibration, ``CalibratedClassifierCV(SVC, method="sigmoid", ensemble=False)``:
per-class sigmoids over the one-vs-rest scores, which follow the SVC's votes, so it
reproduces the demo's figure. Hyper-parameters live on the estimators, as scikit-learn has
it; this module only names the settings. scikit-learn is imported when a pipeline is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

FAMILIES = {
    "svc-seed": "SVC(gamma=0.001), the original demo",
    "svc-default": "SVC(C=5, gamma=0.001) + one on the pen's path, the shipped recipe's",
    "svc": "SVC tuned by a cross-validated grid over C and gamma",
    "knn": "k-nearest neighbours (k=5, distance-weighted)",
    "mlp": "neural network (MLPClassifier, 256 hidden units)",
}
"""Model families, with a one-line description each."""

SEED_GAMMA = 0.001
"""The original demo's ``SVC(gamma=0.001)``."""

DEFAULT_C = 5.0
"""SVC regularisation of the default recipe (tuned on the grouped pen folds)."""

DEFAULT_GAMMA = 0.001
"""RBF width of the default recipe, on 0..16 features."""

PATH_C = 10.0
"""SVC regularisation of the default recipe's path part."""

PATH_WEIGHT = 1.0
"""How much the path part counts beside the grid part (``w`` of the combined scores)."""

PATH_TEMPERATURE = 2.0
"""``T`` of the combined scores where the two parts read the same digit: with ``w = 1``,
the two parts' geometric mean."""

PATH_SPLIT_TEMPERATURE = 5.0
"""``T`` where the two parts read different digits.  Higher than the likelihood
would pick: such an answer is shown as doubt, and its score should say so too."""

SVC_GRID = {"C": [1.0, 5.0, 10.0], "gamma": [0.0005, 0.001, 0.002]}
"""The small grid the tuned SVC searches."""

CALIBRATION_FOLDS = 3
"""Writer-grouped folds whose out-of-fold margins the pairwise calibration fits on."""

MLP_EPOCHS = 60
"""Passes over the data the neural network trains for."""

SCAN_COPIES = 4
"""Distorted copies of each scan when a spec augments."""

PEN_COPIES = 2
"""Terminal renderings of each pen digit when a spec augments (one otherwise)."""


CV_PROTOCOL = "-fold cross-validation"
"""How a model's recorded protocol says its accuracy is a cross-validation's (after K)."""

MIN_FOLDS, MAX_FOLDS = 2, 20
"""Folds a cross-validation may have: one fold tests nothing, and 1,797 scans in more
than 20 leave folds too small to say much."""


@dataclass(frozen=True)
class TrainingSpec:
    """What to train and on what.

    Attributes:
        family: A key of :data:`FAMILIES`.
        pen: Add the shipped pen digits, replayed as terminal drawings.
        augment: Add distorted copies of the scans (and of the pen digits).
        cv: ``None`` for the seed's half split, else k-fold cross-validation.
        seed: Seed of the augmentation and of the neural network.
    """

    family: str = "svc-default"
    pen: bool = True
    augment: bool = True
    cv: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"unknown model family {self.family!r}: choose {', '.join(FAMILIES)}")
        if self.cv is not None and not MIN_FOLDS <= self.cv <= MAX_FOLDS:
            raise ValueError(f"--cv must be between {MIN_FOLDS} and {MAX_FOLDS} folds")

    @property
    def data_label(self) -> str:
        """Short description of the data, e.g. ``scans+pen+aug, split``."""
        parts = ["scans"] + (["pen"] if self.pen else []) + (["aug"] if self.augment else [])
        protocol = f"{self.cv}-fold CV" if self.cv else "half split"
        return f"{'+'.join(parts)}, {protocol}"


def reads_paths(spec: TrainingSpec) -> bool:
    """Whether a spec's rows carry the pen's path: the default family's, with pen digits."""
    return spec.family == "svc-default" and spec.pen


RECIPE_SPECS = {
    "seed": TrainingSpec("svc-seed", pen=False, augment=False),
    "default": TrainingSpec("svc-default", pen=True, augment=True),
}
"""The recipes of ``tuipad train --recipe``: ``seed`` is the original demo,
``default`` the shipped model's."""

RECIPES = tuple(RECIPE_SPECS)
"""Recipe names, for argument parsers."""


def recipe_spec(recipe: str) -> TrainingSpec:
    """The spec of a recipe.

    Raises:
        ValueError: If there is no such recipe.
    """
    if recipe not in RECIPE_SPECS:
        raise ValueError(f"unknown recipe {recipe!r}: choose one of {', '.join(RECIPES)}")
    return RECIPE_SPECS[recipe]


class GroupedFolds:
    """Folds that keep each group whole, for ``CalibratedClassifierCV``.

    ``CalibratedClassifierCV.fit`` does not pass ``groups`` on without
    metadata routing, so the groups travel with the splitter; they are
    dropped after fitting to keep the pickle small.
    """

    def __init__(self, groups: np.ndarray | None, n_splits: int = 5) -> None:
        self.groups = groups
        self.n_splits = n_splits

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_splits

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
        from sklearn.model_selection import GroupKFold

        return GroupKFold(self.n_splits).split(X, y, self.groups)


def build(family: str, params: dict[str, Any] | None = None, *, seed: int = 0) -> Any:
    """An unfitted tuipad pipeline of a family (the SVCs calibrated for scores).

    Args:
        family: A key of :data:`FAMILIES`.
        params: SVC ``C``/``gamma`` overriding the family's.
        seed: Random state of the neural network.

    Returns:
        A ``Pipeline`` whose first step is ``GridFeatures`` (``DrawingFeatures``
        for the default family, which reads the pen's path too).
    """
    from sklearn.pipeline import Pipeline

    from tuipad.core.features import DrawingFeatures, GridFeatures

    steps: list[tuple[str, Any]] = [("grid", GridFeatures())]
    if family == "svc-default":
        return Pipeline([("drawing", DrawingFeatures()), ("svc", _grid_path_svc(params))])
    if family.startswith("svc"):
        steps.append(("svc", _calibrated_svc(family, params)))
    elif family == "knn":
        from sklearn.neighbors import KNeighborsClassifier

        steps.append(("knn", KNeighborsClassifier(n_neighbors=5, weights="distance")))
    elif family == "mlp":
        from sklearn.neural_network import MLPClassifier
        from sklearn.preprocessing import StandardScaler

        network = MLPClassifier(
            hidden_layer_sizes=(256,), alpha=1e-3, batch_size=128, random_state=seed
        )
        steps += [("scale", StandardScaler()), ("mlp", network)]
    else:
        raise ValueError(f"unknown model family {family!r}")
    return Pipeline(steps)


def _calibrated_svc(family: str, params: dict[str, Any] | None) -> Any:
    if family == "svc-seed":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import SVC

        seed = SVC(**{"gamma": SEED_GAMMA, **(params or {})})
        return CalibratedClassifierCV(seed, method="sigmoid", cv=5, ensemble=False, n_jobs=2)
    from tuipad.core.calibration import PairwiseCalibratedSVC

    settings: dict[str, Any] = {"C": DEFAULT_C, "gamma": DEFAULT_GAMMA, **(params or {})}
    return PairwiseCalibratedSVC(**settings, folds=CALIBRATION_FOLDS)


def _grid_path_svc(params: dict[str, Any] | None) -> Any:
    from tuipad.core.grid_path import GridPathSVC

    settings: dict[str, Any] = {"C": DEFAULT_C, "gamma": DEFAULT_GAMMA, **(params or {})}
    return GridPathSVC(
        **settings,
        path_C=PATH_C,
        folds=CALIBRATION_FOLDS,
        path_weight=PATH_WEIGHT,
        temperature=PATH_TEMPERATURE,
        split_temperature=PATH_SPLIT_TEMPERATURE,
    )


def build_recipe(recipe: str) -> Any:
    """An unfitted pipeline for a recipe (``"seed"`` or ``"default"``)."""
    return build(recipe_spec(recipe).family)
