"""Models: the two training recipes, prediction, and trusted save/load.

A model is a scikit-learn ``Pipeline`` of :class:`~tuipad.features.GridFeatures`
and a calibrated SVC.  Its per-class scores come from ``predict_proba`` only,
and the label is their arg-max, so the label shown can never disagree with the
scores shown (``SVC.predict`` and ``predict_proba`` can).

Pickles are only ever loaded when tuipad wrote them: each saved model has a
JSON manifest with the SHA-256 of its pickle, user models are also recorded in
``trusted.json`` in the user data directory, and the hash and the scikit-learn
version are checked before ``pickle.load`` runs.

scikit-learn is imported lazily, so ``tuipad predict`` and the app's first
frame do not wait for it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import pickle
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.files import atomic_write
from tuipad.raster import to_digits8x8

RECIPES = ("seed", "default")
"""The training recipes ``tuipad train --recipe`` accepts."""

DEFAULT_NAME = "default"
"""Name of the model tuipad ships and uses unless told otherwise."""

SEED_GAMMA = 0.001
"""The original demo's ``SVC(gamma=0.001)``."""

DEFAULT_C = 5.0
"""SVC regularisation of the default recipe (tuned on the grouped pen folds)."""

DEFAULT_GAMMA = 0.001
"""RBF width of the default recipe, on 0..16 features."""

SCAN_COPIES = 4
"""Distorted copies of each scan in the default recipe."""

PEN_COPIES = 2
"""Terminal renderings of each pen digit in the default recipe."""

ProgressCallback = Callable[[str, float], None]
"""Called with a stage name and the fraction done (0..1)."""


class ModelError(Exception):
    """A model could not be loaded or trusted; the message is one line."""


@dataclass(frozen=True)
class Prediction:
    """What the model said about one drawing.

    Attributes:
        label: The digit, always the arg-max of ``scores``.
        scores: Ten per-class probabilities, digits 0..9 in order.
        grid: The 8x8 array of 0..16 ints the model received.
    """

    label: int
    scores: tuple[float, ...]
    grid: np.ndarray = field(compare=False)

    @property
    def confidence(self) -> float:
        """The score of the winning digit."""
        return self.scores[self.label]


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)


# --------------------------------------------------------------------------- recipes


def build_estimator(recipe: str) -> Any:
    """An unfitted pipeline for a recipe.

    Args:
        recipe: ``"seed"`` (the original ``SVC(gamma=0.001)``) or ``"default"``.

    Returns:
        A ``Pipeline(GridFeatures, CalibratedClassifierCV(SVC))``: ``ensemble=False``
        keeps one SVC fitted on all the data and calibrates its decision function
        on cross-validated predictions, replacing the deprecated
        ``SVC(probability=True)``.
    """
    from tuipad.training import build

    return build(_recipe_spec(recipe).family)


def _recipe_spec(recipe: str) -> Any:
    from tuipad.training import RECIPE_SPECS

    if recipe not in RECIPE_SPECS:
        raise ValueError(f"unknown recipe {recipe!r}: choose one of {', '.join(RECIPES)}")
    return RECIPE_SPECS[recipe]


@dataclass(frozen=True)
class TrainingData:
    """Rows to fit on, with where they came from.

    Attributes:
        X: ``(n, 64)`` grids.
        y: ``(n,)`` labels.
        sources: Human-readable list of what went in.
        groups: Rows that must not be split across calibration folds share a
            group: a scan and its distorted copies, all drawings of a writer.
    """

    X: np.ndarray
    y: np.ndarray
    sources: tuple[str, ...]
    groups: np.ndarray | None = None


def recipe_data(
    recipe: str,
    scans_X: np.ndarray,
    scans_y: np.ndarray,
    *,
    pen_indices: Sequence[int] | np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    seed: int = 0,
) -> TrainingData:
    """Assemble the training rows of a recipe (see :func:`tuipad.training.spec_data`).

    Args:
        recipe: ``"seed"`` or ``"default"``.
        scans_X: The scans to train on (a half, or all of them).
        scans_y: Their labels.
        pen_indices: Which shipped pen digits to use (default: all); the
            grouped benchmarks leave the tested writers out.
        progress: Reports the rendering stage.
        seed: Seed of the augmentation.

    Returns:
        The rows and a description of their sources.
    """
    from dataclasses import replace

    from tuipad.training import spec_data

    spec = replace(_recipe_spec(recipe), seed=seed)
    return spec_data(
        spec,
        scans_X,
        scans_y,
        pen_indices=None if pen_indices is None else np.asarray(pen_indices),
        progress=progress,
    )


class GroupedFolds:
    """Five folds that keep each group whole, for ``CalibratedClassifierCV``.

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


def fit(recipe: str, data: TrainingData, progress: ProgressCallback | None = None) -> Any:
    """Fit a recipe's estimator on prepared rows (see :func:`tuipad.training.fit_spec`)."""
    from tuipad.training import fit_spec

    return fit_spec(_recipe_spec(recipe), data, progress=progress)[0]


# --------------------------------------------------------------------------- predicting


def predict_grids(estimator: Any, grids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and scores for 8x8 grids: labels are the arg-max of the scores.

    Args:
        estimator: A fitted tuipad pipeline.
        grids: ``(n, 64)`` or ``(n, 8, 8)`` arrays.

    Returns:
        ``(labels, scores)`` with scores of shape ``(n, 10)``.
    """
    proba = estimator.predict_proba(grids)
    scores = np.zeros((len(proba), 10))
    scores[:, np.asarray(estimator.classes_, dtype=int)] = proba
    return scores.argmax(axis=1), scores


def recognise(estimator: Any, strokes: Iterable[Iterable[Iterable[float]]]) -> Prediction:
    """The recognition path used by the app, the CLI and the benchmarks.

    Args:
        estimator: A fitted tuipad pipeline.
        strokes: Pen-down strokes in canvas cell coordinates.

    Returns:
        The prediction with its scores and the grid the model saw.

    Raises:
        EmptyDrawingError: If the drawing is empty.
    """
    grid = to_digits8x8(strokes)
    labels, scores = predict_grids(estimator, grid.reshape(1, 64))
    return Prediction(int(labels[0]), tuple(float(s) for s in scores[0]), grid)


def recognise_many(
    estimator: Any, drawings: Sequence[Iterable[Iterable[Iterable[float]]]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Recognise many drawings at once (same path, one model call).

    Returns:
        ``(labels, scores, grids)``.
    """
    grids = np.array([to_digits8x8(strokes).ravel() for strokes in drawings]).reshape(-1, 64)
    labels, scores = predict_grids(estimator, grids)
    return labels, scores, grids


# --------------------------------------------------------------------------- storage


def data_home() -> Path:
    """The user data directory: ``$TUIPAD_HOME`` or the platform's."""
    override = os.environ.get("TUIPAD_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("tuipad", appauthor=False))


def bundled_models_dir() -> Path:
    """Where the shipped model lives: ``tuipad/models`` in a wheel, ``models/`` in a checkout."""
    package = Path(__file__).resolve().parent
    inside = package / "models"
    return inside if inside.is_dir() else package.parent / "models"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """The JSON sidecar of a saved model.

    Attributes:
        name: Model name (file stem).
        recipe: Recipe or model family it was trained with.
        sklearn_version: scikit-learn version that pickled it.
        sha256: SHA-256 of the pickle file.
        training_data: What it was trained on.
        metrics: Measured figures, e.g. ``test_accuracy``.
        created: ISO time of saving.
    """

    name: str
    recipe: str
    sklearn_version: str
    sha256: str
    training_data: tuple[str, ...] = ()
    metrics: dict[str, Any] = field(default_factory=dict)
    created: str = ""

    def to_json(self) -> str:
        data = dict(self.__dict__)
        data["training_data"] = list(self.training_data)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_file(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                name=str(data["name"]),
                recipe=str(data["recipe"]),
                sklearn_version=str(data["sklearn_version"]),
                sha256=str(data["sha256"]),
                training_data=tuple(data.get("training_data", ())),
                metrics=dict(data.get("metrics", {})),
                created=str(data.get("created", "")),
            )
        except FileNotFoundError:
            raise ModelError(f"model manifest {path} is missing") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(f"model manifest {path} is unreadable ({error})") from None


def model_paths(directory: Path, name: str) -> tuple[Path, Path]:
    """The pickle and manifest paths of model ``name`` in ``directory``."""
    return directory / f"{name}.pkl.gz", directory / f"{name}.json"


def trusted_hashes(home: Path) -> set[str]:
    """SHA-256 hashes of the models tuipad itself saved under ``home``."""
    path = home / "trusted.json"
    try:
        return set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def _trust(home: Path, digest: str) -> None:
    hashes = trusted_hashes(home) | {digest}
    atomic_write(home / "trusted.json", json.dumps(sorted(hashes), indent=1).encode())


def save_model(
    estimator: Any,
    directory: Path,
    name: str,
    *,
    recipe: str,
    training_data: Sequence[str],
    metrics: dict[str, Any],
    trust_home: Path | None = None,
) -> Manifest:
    """Pickle a model and its manifest atomically.

    Args:
        estimator: The fitted pipeline.
        directory: Where to save it.
        name: File stem.
        recipe: Recipe or family name for the manifest.
        training_data: Description of its training data.
        metrics: Measured figures.
        trust_home: User data directory whose ``trusted.json`` records the
            hash (``None`` for the bundled model, whose manifest ships with
            the code).

    Returns:
        The manifest written.
    """
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as file:
        pickle.dump(estimator, file, protocol=pickle.HIGHEST_PROTOCOL)
    data = buffer.getvalue()
    manifest = Manifest(
        name=name,
        recipe=recipe,
        sklearn_version=_sklearn_version(),
        sha256=_sha256(data),
        training_data=tuple(training_data),
        metrics=metrics,
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    pickle_path, manifest_path = model_paths(directory, name)
    if trust_home is not None:
        _trust(trust_home, manifest.sha256)
    atomic_write(pickle_path, data)
    atomic_write(manifest_path, manifest.to_json().encode())
    return manifest


def load_model(
    directory: Path, name: str, *, trusted: set[str] | None = None
) -> tuple[Any, Manifest]:
    """Load a model tuipad saved, after checking its hash and scikit-learn version.

    Args:
        directory: Where it was saved.
        name: File stem.
        trusted: Hashes the pickle must be among (``None``: the manifest's
            own hash is enough, for the bundled model).

    Returns:
        ``(estimator, manifest)``.

    Raises:
        ModelError: Missing, corrupt, untrusted or made by another scikit-learn.
    """
    pickle_path, manifest_path = model_paths(directory, name)
    manifest = Manifest.from_file(manifest_path)
    try:
        data = pickle_path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"model file {pickle_path} is missing") from None
    except OSError as error:
        raise ModelError(f"model file {pickle_path} is unreadable ({error.strerror})") from None
    digest = _sha256(data)
    if digest != manifest.sha256:
        raise ModelError(f"model file {pickle_path} does not match its manifest's SHA-256")
    if trusted is not None and digest not in trusted:
        raise ModelError(f"model file {pickle_path} was not saved by tuipad here; not loading it")
    version = _sklearn_version()
    if manifest.sklearn_version != version:
        raise ModelError(
            f"model {name!r} was saved by scikit-learn {manifest.sklearn_version},"
            f" this is {version}"
        )
    try:
        estimator = pickle.loads(gzip.decompress(data))
    except Exception as error:  # a truncated or foreign pickle can raise anything
        raise ModelError(f"model file {pickle_path} is corrupt ({type(error).__name__})") from None
    return estimator, manifest


# --------------------------------------------------------------------------- the active model


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to recognise drawings.

    Attributes:
        estimator: The fitted pipeline.
        manifest: Its manifest.
        notice: One line explaining a fallback (e.g. a retrain), or ``""``.
    """

    estimator: Any
    manifest: Manifest
    notice: str = ""

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def accuracy(self) -> float | None:
        value = self.manifest.metrics.get("test_accuracy")
        return float(value) if value is not None else None

    def recognise(self, strokes: Iterable[Iterable[Iterable[float]]]) -> Prediction:
        """See :func:`recognise`."""
        return recognise(self.estimator, strokes)


def user_models_dir(home: Path) -> Path:
    """Where models trained by the user (and retrained defaults) live."""
    return home / "models"


def active_name(home: Path) -> str:
    """The model the user chose with ``tuipad models use``, else the default."""
    try:
        return str(json.loads((home / "settings.json").read_text("utf-8"))["active_model"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_NAME


NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
"""What a model name may look like: it becomes a file name."""


def check_name(name: str) -> str:
    """Return ``name`` if it can name a user model, else raise ``ValueError``."""
    import re

    if not re.fullmatch(NAME_PATTERN, name):
        raise ValueError(f"bad model name {name!r}: use up to 64 letters, digits, '.', '_' or '-'")
    if name == DEFAULT_NAME:
        raise ValueError(f"{DEFAULT_NAME!r} is the bundled model's name; choose another")
    return name


def set_active_name(home: Path, name: str) -> None:
    """Make ``name`` the model the sketchpad and the CLI use (``default`` resets)."""
    path = home / "settings.json"
    try:
        settings = json.loads(path.read_text("utf-8"))
        if not isinstance(settings, dict):
            settings = {}
    except (OSError, ValueError):
        settings = {}
    settings["active_model"] = name
    atomic_write(path, (json.dumps(settings, indent=2, sort_keys=True) + "\n").encode())


@dataclass(frozen=True)
class ModelEntry:
    """A row of ``tuipad models``.

    Attributes:
        manifest: The model's manifest.
        size: Bytes of its pickle.
        bundled: Shipped with tuipad (read-only).
        active: The model in use.
    """

    manifest: Manifest
    size: int
    bundled: bool
    active: bool


def list_models(home: Path) -> list[ModelEntry]:
    """The bundled model and the user's models, bundled first then by date."""
    active = active_name(home)
    entries = []
    for directory, bundled in ((bundled_models_dir(), True), (user_models_dir(home), False)):
        if not directory.is_dir():
            continue
        found = []
        for manifest_path in directory.glob("*.json"):
            try:
                manifest = Manifest.from_file(manifest_path)
                size = model_paths(directory, manifest.name)[0].stat().st_size
            except (ModelError, OSError):
                continue
            if bundled != (manifest.name == DEFAULT_NAME):
                continue  # a retrained stand-in for the bundled model is not listed twice
            found.append(ModelEntry(manifest, size, bundled, manifest.name == active))
        entries.extend(sorted(found, key=lambda entry: entry.manifest.created))
    return entries


def use_model(home: Path, name: str) -> Manifest:
    """Make a saved model active after checking it is one tuipad saved.

    Raises:
        ModelError: No such model, or it fails the hash check.
    """
    if name == DEFAULT_NAME:
        set_active_name(home, DEFAULT_NAME)
        return Manifest.from_file(model_paths(bundled_models_dir(), DEFAULT_NAME)[1])
    pickle_path, manifest_path = model_paths(user_models_dir(home), name)
    if not manifest_path.exists():
        raise ModelError(f"no model named {name!r} (see tuipad models)")
    manifest = Manifest.from_file(manifest_path)
    try:
        digest = _sha256(pickle_path.read_bytes())
    except OSError:
        raise ModelError(f"model file {pickle_path} is missing") from None
    if digest != manifest.sha256 or digest not in trusted_hashes(home):
        raise ModelError(f"model {name!r} does not match the hash tuipad recorded; not using it")
    set_active_name(home, name)
    return manifest


def remove_model(home: Path, name: str) -> None:
    """Delete a user model; the active one falls back to the bundled default.

    Raises:
        ModelError: The bundled model, or no such model.
    """
    if name == DEFAULT_NAME:
        raise ModelError("the bundled default model cannot be deleted")
    pickle_path, manifest_path = model_paths(user_models_dir(home), name)
    if not manifest_path.exists() and not pickle_path.exists():
        raise ModelError(f"no model named {name!r} (see tuipad models)")
    try:
        digest = Manifest.from_file(manifest_path).sha256
    except ModelError:
        digest = None
    if active_name(home) == name:
        set_active_name(home, DEFAULT_NAME)
    pickle_path.unlink(missing_ok=True)
    manifest_path.unlink(missing_ok=True)
    if digest is not None:
        hashes = trusted_hashes(home) - {digest}
        atomic_write(home / "trusted.json", json.dumps(sorted(hashes), indent=1).encode())


def load_active(home: Path | None = None, progress: ProgressCallback | None = None) -> LoadedModel:
    """Load the model the sketchpad and the CLI should use.

    Tries, in order: the user's chosen model, a default retrained into the
    user data directory, the bundled default.  If none can be loaded, the
    default recipe is retrained into the user data directory from what the
    package ships, and ``notice`` says why.

    Args:
        home: The user data directory (default :func:`data_home`).
        progress: Reports retraining progress.

    Returns:
        The loaded model.
    """
    home = data_home() if home is None else home
    problems = []
    name = active_name(home)
    if name != DEFAULT_NAME:
        try:
            estimator, manifest = load_model(
                user_models_dir(home), name, trusted=trusted_hashes(home)
            )
            return LoadedModel(estimator, manifest)
        except ModelError as error:
            problems.append(str(error))
    try:
        estimator, manifest = load_model(bundled_models_dir(), DEFAULT_NAME)
        return LoadedModel(estimator, manifest, "; ".join(problems))
    except ModelError as error:
        problems.append(str(error))
    try:
        estimator, manifest = load_model(
            user_models_dir(home), DEFAULT_NAME, trusted=trusted_hashes(home)
        )
        return LoadedModel(estimator, manifest, "; ".join(problems))
    except ModelError:
        pass
    notice = "; ".join(problems) + f"; retrained the default model into {user_models_dir(home)}"
    manifest, estimator = train_and_save(
        "default", user_models_dir(home), DEFAULT_NAME, home=home, progress=progress
    )
    return LoadedModel(estimator, manifest, notice)


def train_and_save(
    recipe: str,
    directory: Path,
    name: str,
    *,
    home: Path | None,
    progress: ProgressCallback | None = None,
) -> tuple[Manifest, Any]:
    """Train a recipe on all the data it uses and save it.

    Returns:
        ``(manifest, estimator)``.
    """
    from tuipad import datasets

    X, y = datasets.load_scans()
    data = recipe_data(recipe, X, y, progress=progress)
    estimator = fit(recipe, data, progress)
    try:
        # Same recipe, same data, same seed: the bundled model's figures hold.
        metrics = Manifest.from_file(model_paths(bundled_models_dir(), DEFAULT_NAME)[1]).metrics
    except ModelError:
        metrics = {}
    manifest = save_model(
        estimator,
        directory,
        name,
        recipe=recipe,
        training_data=data.sources,
        metrics=metrics if recipe == "default" else {},
        trust_home=home,
    )
    return manifest, estimator
