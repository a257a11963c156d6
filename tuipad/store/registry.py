"""The model registry: which model is active, and saving, choosing and loading one to recognise.

Listing the saved models is :mod:`tuipad.store.model_list`.

Each saved model is a pickle, its arrays and a manifest
(:mod:`tuipad.store.model_files`).  Recognition loads only the arrays: no code
runs and scikit-learn is not imported, whoever wrote ``trusted.json``.  A model
saved before tuipad wrote arrays gets them when the user makes it active
(:func:`prepare_model`, from its pickle after the hash checks); a family
without an array form (k-NN) can be trained and compared, not made active.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tuipad.core.model_arrays import KINDS
from tuipad.core.recognise import Prediction, recognise
from tuipad.store.evaluation_files import evaluation_path
from tuipad.store.files import atomic_write
from tuipad.store.model_files import (
    BadNameError,
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
from tuipad.store.model_names import checked_name
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.store.reading import parse_json, read_capped_text

__all__ = [
    "DEFAULT_NAME",
    "BadNameError",
    "KnnModelError",
    "LoadedModel",
    "Manifest",
    "ModelError",
    "UnknownModelError",
    "active_name",
    "check_name",
    "checked_name",
    "is_knn",
    "load_arrays",
    "load_model",
    "load_saved",
    "model_paths",
    "prepare_model",
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
            (:mod:`tuipad.core.model_arrays`), or, on the training side, a
            pipeline just fitted in memory that has no array form.
        manifest: Its manifest.
        notice: One line explaining a fallback (e.g. a retrain), or ``""``.
    """

    predictor: Any
    manifest: Manifest
    notice: str = ""

    @property
    def from_pickle(self) -> bool:
        """Recognising through scikit-learn: a fitted pipeline without an array form."""
        return not isinstance(self.predictor, tuple(KINDS.values()))

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def accuracy(self) -> float | None:
        value = self.manifest.metrics.get("test_accuracy")
        return float(value) if isinstance(value, int | float) else None

    def recognise(self, strokes: Iterable[Iterable[Iterable[float]]]) -> Prediction:
        """See :func:`tuipad.core.recognise.recognise`."""
        return recognise(self.predictor, strokes)


def user_models_dir(home: Path) -> Path:
    """Where models trained by the user (and retrained defaults) live."""
    return Paths(home).models


def active_name(home: Path) -> str:
    """The model the user chose with ``tuipad models use``, else the default."""
    try:
        name = parse_json(read_capped_text(Paths(home).settings))["active_model"]
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_NAME
    return name if isinstance(name, str) and name else DEFAULT_NAME


def check_name(name: str) -> str:
    """Return ``name`` if a new user model may take it, else raise ``ValueError``.

    Raises:
        BadNameError: Not a plain model name (also a ``ValueError``).
        ValueError: The bundled model's name.
    """
    checked_name(name)
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


def _check_files(directory: Path, manifest: Manifest, trusted: set[str] | None) -> None:
    """Read a saved model's pickle and arrays and check their hashes; nothing is loaded.

    Raises:
        ModelError: A file is missing, unreadable, changed, or not saved by tuipad here.
    """
    read_checked(model_paths(directory, manifest.name)[0], manifest.sha256, trusted)
    if manifest.arrays_sha256:
        read_checked(arrays_path(directory, manifest.name), manifest.arrays_sha256, trusted)


class KnnModelError(ModelError):
    """A k-NN asked to recognise: it has no arrays, the only form tuipad recognises with."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"model {name!r} is a k-NN: it can be compared but not used to recognise"
            " (tuipad recognises only with a model's arrays, and a k-NN has none)"
        )


def is_knn(manifest: Manifest) -> bool:
    """Whether a model is a k-NN, the family without arrays: compared, never made active."""
    family = manifest.metrics.get("family")
    return not manifest.arrays_sha256 and "knn" in (manifest.recipe, family)


def use_model(home: Path, name: str) -> Manifest:
    """Make a saved model active after checking its files are the ones tuipad saved.

    Raises:
        ModelError: No such model, it fails the hash checks, or it has no array form.
        OSError: Its arrays or the setting cannot be written.
    """
    manifest = prepare_model(home, name)
    set_active_name(home, name)
    return manifest


def prepare_model(home: Path, name: str) -> Manifest:
    """Check a saved model's files against its manifest and ``trusted.json``, and give a
    model saved before tuipad wrote arrays its arrays, so that it can recognise.

    Recognition reads only arrays (:func:`load_saved`); this is the one place
    outside training where a user model's pickle is opened, after the checks,
    because the user asked to use that model.

    Raises:
        ModelError: No such model, it fails the checks, or it has no array form (k-NN).
        OSError: The arrays cannot be written.
    """
    if name == DEFAULT_NAME:
        return Manifest.from_file(model_paths(bundled_models_dir(), DEFAULT_NAME)[1])
    directory = user_models_dir(home)
    pickle_path, manifest_path = model_paths(directory, name)
    if not manifest_path.exists():
        raise UnknownModelError(name)
    manifest = Manifest.from_file(manifest_path)
    try:
        _check_files(directory, manifest, trusted_hashes(home))
    except ModelError:
        raise ModelError(
            f"model {name!r} does not match the hashes tuipad recorded; not using it"
        ) from None
    if manifest.arrays_sha256:
        return manifest
    from tuipad.core.to_arrays import NoArrayForm, array_model

    estimator, manifest = load_model(directory, name, trusted=trusted_hashes(home))
    try:
        arrays = array_model(estimator)
    except NoArrayForm as error:
        if is_knn(manifest):
            raise KnnModelError(name) from None
        raise ModelError(f"model {name!r} cannot be used to recognise: {error}") from None
    return add_arrays(directory, manifest, arrays, home)


def remove_model(home: Path, name: str) -> None:
    """Delete a user model and forget the hashes no other saved model names; the active
    one falls back to the default.

    A deterministic recipe trained twice gives two models with the same bytes,
    so the same hashes: forgetting them with one would leave the other untrusted.

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
    pickle_path.unlink(missing_ok=True)  # first: a delete refused leaves the choice as it was
    arrays_path(directory, name).unlink(missing_ok=True)
    evaluation_path(directory, name).unlink(missing_ok=True)
    manifest_path.unlink(missing_ok=True)
    if active_name(home) == name:
        set_active_name(home, DEFAULT_NAME)
    if manifest is not None:
        unused = {manifest.sha256, manifest.arrays_sha256} - _hashes_named(directory)
        forget_hashes(home, *unused)


def _hashes_named(directory: Path) -> set[str]:
    """The hashes the readable manifests in ``directory`` name."""
    hashes: set[str] = set()
    for manifest_path in directory.glob("*.json") if directory.is_dir() else []:
        try:
            manifest = Manifest.from_file(manifest_path)
        except ModelError:
            continue
        hashes |= {manifest.sha256, manifest.arrays_sha256}
    return hashes


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
    errors: list[ModelError] = []
    for directory, trusted in places:
        try:
            model = _load_predictor(directory, name, trusted)
        except ModelError as error:
            errors.append(error)
            continue
        notice = "; ".join(filter(None, [*map(str, errors), model.notice]))
        return replace(model, notice=notice)
    raise errors[0]  # its kind kept: callers tell a k-NN from a damaged model


def _load_predictor(directory: Path, name: str, trusted: set[str] | None) -> LoadedModel:
    """The model's arrays, after the hash checks: recognition never opens a pickle.

    Raises:
        ModelError: The files are missing, damaged or untrusted, or the model
            has no arrays (saved before tuipad wrote them, or a k-NN).
    """
    try:
        return LoadedModel(*load_arrays(directory, name, trusted=trusted))
    except NoArraysError:
        manifest = Manifest.from_file(model_paths(directory, name)[1])
    if is_knn(manifest):
        raise KnnModelError(name)
    raise ModelError(
        f"model {name!r} has no arrays file, and tuipad recognises only with arrays"
        f" (they cannot run code); tuipad models use {name} writes them from its pickle"
    )
