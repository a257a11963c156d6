"""A saved model's files: its pickle, its arrays, its manifest, and the hashes that vouch for them.

A saved model is three files in one directory:

* ``NAME.pkl.gz``: the gzipped pickle of the fitted scikit-learn pipeline, the
  canonical artifact a scikit-learn user loads; tuipad opens it only on the
  training side, and only when tuipad wrote it (below);
* ``NAME.npz``: its array form (:mod:`tuipad.store.array_files`), which the
  sketchpad, ``predict`` and ``eval`` read; reading it runs no code;
* ``NAME.json``: the manifest, with the SHA-256 of both, written last.

User models' hashes are also recorded in ``trusted.json`` in the user data
directory, and both files are checked against the manifest and that record
before they are read: a second check, since the arrays cannot run code and the
pickle is opened only after the hash and the scikit-learn version match.
scikit-learn is imported only when a pickle is written or read.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tuipad.core.model_arrays import ArrayFormError, ArrayModel
from tuipad.store import reading
from tuipad.store.array_files import arrays_bytes, read_arrays
from tuipad.store.files import atomic_write
from tuipad.store.model_names import BadNameError as BadNameError  # re-exported
from tuipad.store.model_names import ModelError as ModelError
from tuipad.store.model_names import checked_name
from tuipad.store.paths import Paths
from tuipad.store.reading import parse_json, read_capped_text, why_unread

MAX_MODEL_BYTES = 512 * 2**20
"""Most bytes a model file is read to (the shipped files are under half a megabyte)."""


class NoArraysError(ModelError):
    """The model has no arrays file to recognise with."""


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
        arrays_sha256: SHA-256 of the arrays file, ``""`` when the model has
            no array form (k-NN) or was saved before tuipad wrote one.
        training_data: What it was trained on.
        metrics: Measured figures, e.g. ``test_accuracy``.
        created: ISO time of saving.
    """

    name: str
    recipe: str
    sklearn_version: str
    sha256: str
    arrays_sha256: str = ""
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
            data = parse_json(read_capped_text(path))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            _check_accuracy(data.get("metrics", {}))
            return cls(
                name=str(data["name"]),
                recipe=str(data["recipe"]),
                sklearn_version=str(data["sklearn_version"]),
                sha256=str(data["sha256"]),
                arrays_sha256=str(data.get("arrays_sha256", "")),
                training_data=tuple(data.get("training_data", ())),
                metrics=dict(data.get("metrics", {})),
                created=str(data.get("created", "")),
            )
        except FileNotFoundError:
            raise ModelError(f"model manifest {path} is missing") from None
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
            raise ModelError(f"model manifest {path} is unreadable ({why_unread(error)})") from None


def _check_accuracy(metrics: Any) -> None:
    """Refuse a ``test_accuracy`` the models table could not show as a fraction."""
    accuracy = metrics.get("test_accuracy") if isinstance(metrics, dict) else None
    if accuracy is None:
        return
    if isinstance(accuracy, bool) or not isinstance(accuracy, int | float):
        raise ValueError("test_accuracy is not a number")
    if not 0 <= accuracy <= 1:
        raise ValueError("test_accuracy is not between 0 and 1")


def model_paths(directory: Path, name: str) -> tuple[Path, Path]:
    """The pickle and manifest paths of model ``name`` in ``directory``.

    Raises:
        BadNameError: ``name`` is not a plain model name.
    """
    checked_name(name)
    return directory / f"{name}.pkl.gz", directory / f"{name}.json"


def arrays_path(directory: Path, name: str) -> Path:
    """The arrays file of model ``name`` in ``directory``.

    Raises:
        BadNameError: ``name`` is not a plain model name.
    """
    checked_name(name)
    return directory / f"{name}.npz"


def trusted_hashes(home: Path) -> set[str]:
    """SHA-256 hashes of the models tuipad itself saved under ``home``."""
    path = Paths(home).trusted
    try:
        return set(parse_json(read_capped_text(path)))
    except (OSError, ValueError, TypeError):
        return set()


def trust_hashes(home: Path, *digests: str) -> None:
    """Record hashes in ``trusted.json`` (empty ones are skipped)."""
    _write_trusted(home, trusted_hashes(home) | set(filter(None, digests)))


def forget_hashes(home: Path, *digests: str) -> None:
    """Remove hashes from ``trusted.json``."""
    _write_trusted(home, trusted_hashes(home) - set(digests))


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
    """Save a fitted pipeline: its pickle, its arrays (if it has an array form), its manifest.

    Each file is written atomically and the manifest last, so a model whose
    manifest exists is whole.

    Args:
        estimator: The fitted pipeline.
        directory: Where to save it.
        name: File stem.
        recipe: Recipe or family name for the manifest.
        training_data: Description of its training data.
        metrics: Measured figures.
        trust_home: User data directory whose ``trusted.json`` records the
            hashes (``None`` for the bundled model, whose manifest ships with
            the code).

    Returns:
        The manifest written.
    """
    buffer = io.BytesIO()
    # Level 6: a tenth of level 9's time for a few per cent more bytes, so a personal
    # model is saved while the user waits.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=6) as file:
        pickle.dump(estimator, file, protocol=pickle.HIGHEST_PROTOCOL)
    data = buffer.getvalue()
    arrays = _arrays_of(estimator)
    manifest = Manifest(
        name=name,
        recipe=recipe,
        sklearn_version=_sklearn_version(),
        sha256=_sha256(data),
        arrays_sha256=_sha256(arrays) if arrays else "",
        training_data=tuple(training_data),
        metrics=metrics,
        created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    pickle_path, manifest_path = model_paths(directory, name)
    if trust_home is not None:
        trust_hashes(trust_home, manifest.sha256, manifest.arrays_sha256)
    atomic_write(pickle_path, data)
    if arrays:
        atomic_write(arrays_path(directory, name), arrays)
    else:
        arrays_path(directory, name).unlink(missing_ok=True)
    atomic_write(manifest_path, manifest.to_json().encode())
    return manifest


def _arrays_of(estimator: Any) -> bytes:
    """The arrays file of a fitted pipeline, or ``b""`` if it has none that reads back."""
    from tuipad.core.to_arrays import NoArrayForm, array_model

    try:
        arrays = arrays_bytes(array_model(estimator))
        read_arrays(arrays)
    except (NoArrayForm, ArrayFormError):
        return b""
    return arrays


def load_model(
    directory: Path, name: str, *, trusted: set[str] | None = None
) -> tuple[Any, Manifest]:
    """Unpickle a model tuipad saved, after checking its hash and scikit-learn version.

    For the training side (export of a k-NN, the scikit-learn artifact);
    recognition reads the arrays (:func:`load_arrays`).

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
    data = read_checked(pickle_path, manifest.sha256, trusted)
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
    if not _is_fitted_classifier(estimator):
        raise ModelError(f"model {name!r} is not a fitted classifier; not using it")
    return estimator, manifest


def _is_fitted_classifier(estimator: Any) -> bool:
    """Whether an unpickled object is a fitted scikit-learn classifier (a trusted pickle may
    still hold anything, and the training side would fail far from here on it)."""
    from sklearn.base import BaseEstimator

    if not isinstance(estimator, BaseEstimator) or not hasattr(estimator, "predict_proba"):
        return False
    try:
        return len(estimator.classes_) > 1
    except Exception:  # an unfitted estimator raises AttributeError; anything else is foreign
        return False


def read_checked(path: Path, digest: str, trusted: set[str] | None) -> bytes:
    """The bytes of a model file whose SHA-256 is ``digest`` and (unless None) among ``trusted``.

    Raises:
        ModelError: Missing, unreadable, changed, or not saved by tuipad here.
    """
    try:
        with reading.open_regular(path) as file:
            data = file.read(MAX_MODEL_BYTES + 1)
    except FileNotFoundError:
        raise ModelError(f"model file {path} is missing") from None
    except (OSError, reading.NotAFileError) as error:
        raise ModelError(f"model file {path} is unreadable ({why_unread(error)})") from None
    if len(data) > MAX_MODEL_BYTES:
        raise ModelError(f"model file {path} is larger than any model")
    found = _sha256(data)
    if found != digest:
        raise ModelError(f"model file {path} does not match its manifest's SHA-256")
    if trusted is not None and found not in trusted:
        raise ModelError(f"model file {path} was not saved by tuipad here; not loading it")
    return data


def load_arrays(
    directory: Path, name: str, *, trusted: set[str] | None = None
) -> tuple[ArrayModel, Manifest]:
    """Read a model's arrays after checking their hash; no code runs and no scikit-learn loads.

    Args:
        directory: Where it was saved.
        name: File stem.
        trusted: Hashes the file must be among (``None``: the manifest's own
            hash is enough, for the bundled model).

    Returns:
        ``(model, manifest)``.

    Raises:
        NoArraysError: The model has no arrays file (saved before tuipad wrote
            them, or a family without an array form).
        ModelError: Missing, damaged or untrusted.
    """
    manifest = Manifest.from_file(model_paths(directory, name)[1])
    if not manifest.arrays_sha256:
        raise NoArraysError(f"model {name!r} has no arrays file")
    path = arrays_path(directory, name)
    data = read_checked(path, manifest.arrays_sha256, trusted)
    try:
        return read_arrays(data), manifest
    except ArrayFormError as error:
        raise ModelError(f"model file {path} is damaged: {error}") from None


def add_arrays(
    directory: Path, manifest: Manifest, model: ArrayModel, trust_home: Path | None
) -> Manifest:
    """Write the arrays of a model saved before tuipad wrote them, and record their hash.

    The caller made ``model`` from a pickle loaded through :func:`load_model`'s
    checks, against ``manifest``.

    Raises:
        OSError: The directory cannot be written.
    """
    arrays = arrays_bytes(model)
    with_arrays = replace(manifest, arrays_sha256=_sha256(arrays))
    if trust_home is not None:
        trust_hashes(trust_home, with_arrays.arrays_sha256)
    atomic_write(arrays_path(directory, manifest.name), arrays)
    atomic_write(model_paths(directory, manifest.name)[1], with_arrays.to_json().encode())
    return with_arrays
