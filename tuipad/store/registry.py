"""The model registry: saved models, their manifests, trust, and which one is active.

A saved model is a gzipped pickle of a fitted scikit-learn pipeline with a JSON
manifest beside it.  Pickles are only ever loaded when tuipad wrote them: the
manifest holds the SHA-256 of the pickle, user models are also recorded in
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
import pickle
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuipad.core.recognise import Prediction, recognise
from tuipad.store.files import atomic_write
from tuipad.store.paths import Paths, bundled_models_dir

DEFAULT_NAME = "default"
"""Name of the model tuipad ships and uses unless told otherwise."""


class ModelError(Exception):
    """A model could not be loaded or trusted; the message is one line."""


class UnknownModelError(ModelError):
    """No saved model has the name asked for."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no model named {name!r} (see tuipad models)")


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)


# --------------------------------------------------------------------------- storage


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
    path = Paths(home).trusted
    try:
        return set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def _trust(home: Path, digest: str) -> None:
    _write_trusted(home, trusted_hashes(home) | {digest})


def _distrust(home: Path, digest: str) -> None:
    _write_trusted(home, trusted_hashes(home) - {digest})


def _write_trusted(home: Path, hashes: set[str]) -> None:
    atomic_write(Paths(home).trusted, json.dumps(sorted(hashes), indent=1).encode())


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
        """See :func:`tuipad.core.recognise.recognise`."""
        return recognise(self.estimator, strokes)


def user_models_dir(home: Path) -> Path:
    """Where models trained by the user (and retrained defaults) live."""
    return Paths(home).models


def active_name(home: Path) -> str:
    """The model the user chose with ``tuipad models use``, else the default."""
    try:
        return str(json.loads(Paths(home).settings.read_text("utf-8"))["active_model"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_NAME


NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
"""What a model name may look like: it becomes a file name."""


def check_name(name: str) -> str:
    """Return ``name`` if it can name a user model, else raise ``ValueError``."""
    if not re.fullmatch(NAME_PATTERN, name):
        raise ValueError(f"bad model name {name!r}: use up to 64 letters, digits, '.', '_' or '-'")
    if name == DEFAULT_NAME:
        raise ValueError(f"{DEFAULT_NAME!r} is the bundled model's name; choose another")
    return name


def set_active_name(home: Path, name: str) -> None:
    """Make ``name`` the model the sketchpad and the CLI use (``default`` resets)."""
    path = Paths(home).settings
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
        raise UnknownModelError(name)
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
        raise UnknownModelError(name)
    try:
        digest = Manifest.from_file(manifest_path).sha256
    except ModelError:
        digest = None
    if active_name(home) == name:
        set_active_name(home, DEFAULT_NAME)
    pickle_path.unlink(missing_ok=True)
    manifest_path.unlink(missing_ok=True)
    if digest is not None:
        _distrust(home, digest)


def load_saved(home: Path, name: str) -> LoadedModel:
    """Load a saved model by name, after the hash checks.

    ``default`` is the bundled model, or the stand-in retrained into the user
    data directory when the bundled one cannot be loaded (the model's
    ``notice`` then says why the bundled one was passed over).

    Raises:
        ModelError: No such model, or none of its places loads.
    """
    places: list[tuple[Path, set[str] | None]] = [(user_models_dir(home), trusted_hashes(home))]
    if name == DEFAULT_NAME:
        places.insert(0, (bundled_models_dir(), None))
    elif not model_paths(user_models_dir(home), name)[1].exists():
        raise UnknownModelError(name)
    problems = []
    for directory, trusted in places:
        try:
            estimator, manifest = load_model(directory, name, trusted=trusted)
        except ModelError as error:
            problems.append(str(error))
            continue
        return LoadedModel(estimator, manifest, "; ".join(problems))
    raise ModelError(problems[0])
