"""The model registry: which models are saved, which one is active, and loading it to recognise.

Each saved model is a pickle, its arrays and a manifest
(:mod:`tuipad.store.model_files`).  Recognition loads the arrays: no code runs
and scikit-learn is not imported.  A model saved before tuipad wrote arrays
gets them once, from its pickle after the hash checks; a family without an
array form (k-NN) is recognised through its trusted pickle, and its
:class:`LoadedModel` says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tuipad.core.model_arrays import KINDS
from tuipad.core.recognise import Prediction, recognise
from tuipad.store.files import atomic_write
from tuipad.store.model_files import (
    Manifest,
    ModelError,
    NoArraysError,
    UnknownModelError,
    add_arrays,
    arrays_path,
    forget_hashes,
    load_arrays,
    load_model,
    model_paths,
    read_checked,
    save_model,
    trusted_hashes,
)
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.store.reading import parse_json, read_capped_text

__all__ = [
    "DEFAULT_NAME",
    "LoadedModel",
    "Manifest",
    "ModelEntry",
    "ModelError",
    "UnknownModelError",
    "active_name",
    "check_name",
    "list_models",
    "load_arrays",
    "load_model",
    "load_saved",
    "model_paths",
    "remove_model",
    "save_model",
    "set_active_name",
    "trusted_hashes",
    "use_model",
]

DEFAULT_NAME = "default"
"""Name of the model tuipad ships and uses unless told otherwise."""


# --------------------------------------------------------------------------- the active model


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to recognise drawings.

    Attributes:
        predictor: What recognises: the model's arrays
            (:mod:`tuipad.core.model_arrays`), or, for a family without an
            array form, the fitted pipeline from its trusted pickle.
        manifest: Its manifest.
        notice: One line explaining a fallback (e.g. a retrain), or ``""``.
    """

    predictor: Any
    manifest: Manifest
    notice: str = ""

    @property
    def from_pickle(self) -> bool:
        """Recognising through scikit-learn and a pickle: the family has no array form."""
        return not isinstance(self.predictor, tuple(KINDS.values()))

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def accuracy(self) -> float | None:
        value = self.manifest.metrics.get("test_accuracy")
        return float(value) if value is not None else None

    def recognise(self, strokes: Iterable[Iterable[Iterable[float]]]) -> Prediction:
        """See :func:`tuipad.core.recognise.recognise`."""
        return recognise(self.predictor, strokes)


def user_models_dir(home: Path) -> Path:
    """Where models trained by the user (and retrained defaults) live."""
    return Paths(home).models


def active_name(home: Path) -> str:
    """The model the user chose with ``tuipad models use``, else the default."""
    try:
        return str(parse_json(read_capped_text(Paths(home).settings))["active_model"])
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
        settings = parse_json(read_capped_text(path))
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
    """Make a saved model active after checking its files are the ones tuipad saved.

    Raises:
        ModelError: No such model, or it fails the hash checks.
    """
    if name == DEFAULT_NAME:
        set_active_name(home, DEFAULT_NAME)
        return Manifest.from_file(model_paths(bundled_models_dir(), DEFAULT_NAME)[1])
    directory = user_models_dir(home)
    pickle_path, manifest_path = model_paths(directory, name)
    if not manifest_path.exists():
        raise UnknownModelError(name)
    manifest = Manifest.from_file(manifest_path)
    files = [(pickle_path, manifest.sha256)]
    if manifest.arrays_sha256:
        files.append((arrays_path(directory, name), manifest.arrays_sha256))
    try:
        for path, digest in files:
            read_checked(path, digest, trusted_hashes(home))
    except ModelError:
        raise ModelError(
            f"model {name!r} does not match the hashes tuipad recorded; not using it"
        ) from None
    set_active_name(home, name)
    return manifest


def remove_model(home: Path, name: str) -> None:
    """Delete a user model and forget its hashes; the active one falls back to the default.

    Raises:
        ModelError: The bundled model, or no such model.
    """
    if name == DEFAULT_NAME:
        raise ModelError("the bundled default model cannot be deleted")
    directory = user_models_dir(home)
    pickle_path, manifest_path = model_paths(directory, name)
    if not manifest_path.exists() and not pickle_path.exists():
        raise UnknownModelError(name)
    try:
        manifest: Manifest | None = Manifest.from_file(manifest_path)
    except ModelError:
        manifest = None
    if active_name(home) == name:
        set_active_name(home, DEFAULT_NAME)
    pickle_path.unlink(missing_ok=True)
    arrays_path(directory, name).unlink(missing_ok=True)
    manifest_path.unlink(missing_ok=True)
    if manifest is not None:
        forget_hashes(home, manifest.sha256, manifest.arrays_sha256)


def load_saved(home: Path, name: str) -> LoadedModel:
    """Load a saved model by name to recognise with, after the hash checks.

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
            model = _load_predictor(directory, name, trusted, home)
        except ModelError as error:
            problems.append(str(error))
            continue
        return replace(model, notice="; ".join(filter(None, [*problems, model.notice])))
    raise ModelError(problems[0])


def _load_predictor(
    directory: Path, name: str, trusted: set[str] | None, home: Path
) -> LoadedModel:
    """The model's arrays; for a model without them, its pickle, and arrays written from it.

    Raises:
        ModelError: The files are missing, damaged or untrusted.
    """
    try:
        return LoadedModel(*load_arrays(directory, name, trusted=trusted))
    except NoArraysError:
        pass
    from tuipad.core.to_arrays import NoArrayForm, array_model

    estimator, manifest = load_model(directory, name, trusted=trusted)
    try:
        arrays = array_model(estimator)
    except NoArrayForm:
        if not (hasattr(estimator, "predict_proba") and hasattr(estimator, "classes_")):
            raise ModelError(f"model {name!r} is not a fitted classifier") from None
        return LoadedModel(estimator, manifest)
    if trusted is None:
        return LoadedModel(arrays, manifest)  # the package's own directory is never written
    try:
        manifest = add_arrays(directory, manifest, arrays, home)
    except OSError:
        pass  # a read-only directory: use the arrays made just now, and try again next time
    return LoadedModel(arrays, manifest)
