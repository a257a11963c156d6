"""The saved models as ``tuipad models`` and the Models tab list them.

Listing reads every manifest and checks each user model's files against the
hashes tuipad recorded, so a model damaged on disk is shown as such, with the
reason, instead of failing only when it is chosen.  A file's hash is kept for
as long as the file is the same one, of the same size and times, so listing
again (the Models tab does, after each training) reads no model file twice.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tuipad.store.model_files import (
    MAX_MODEL_BYTES,
    BadNameError,
    Manifest,
    ModelError,
    arrays_path,
    model_paths,
    trusted_hashes,
)
from tuipad.store.model_names import checked_name
from tuipad.store.paths import bundled_models_dir
from tuipad.store.registry import DEFAULT_NAME, active_name, user_models_dir

FOREIGN_NAME = "not a name tuipad gives a model, so tuipad leaves its files alone"
"""Said of a manifest whose name no model of tuipad's could have."""


@dataclass(frozen=True)
class ModelEntry:
    """A row of ``tuipad models``.

    Attributes:
        manifest: The model's manifest.
        size: Bytes of its pickle.
        bundled: Shipped with tuipad (read-only).
        active: The chosen one (``tuipad models use``), whether or not it loads.
    """

    manifest: Manifest
    size: int
    bundled: bool
    active: bool


@dataclass(frozen=True)
class UnreadableModel:
    """A manifest in the user's models directory that cannot be listed as a model.

    Attributes:
        name: The manifest's file stem.
        problem: Why, in one line.
    """

    name: str
    problem: str


def list_models(home: Path) -> list[ModelEntry]:
    """The bundled model and the user's models, bundled first then by date."""
    return scan_models(home)[0]


def scan_models(home: Path) -> tuple[list[ModelEntry], list[UnreadableModel]]:
    """The models :func:`list_models` gives, and the user's manifests that do not read.

    A damaged or foreign manifest, or a model whose files no longer match the
    hashes tuipad recorded, is reported, never raised, so one bad file cannot
    hide the others and a damaged model is known before it is chosen.
    """
    active = active_name(home)
    trusted = trusted_hashes(home)
    entries: list[ModelEntry] = []
    unreadable: list[UnreadableModel] = []
    for directory, bundled in ((bundled_models_dir(), True), (user_models_dir(home), False)):
        found = []
        for manifest_path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            stem = manifest_path.name[: -len(".json")]
            if not bundled and not _usable_name(stem):
                unreadable.append(UnreadableModel(stem, FOREIGN_NAME))
                continue
            try:
                entry = _entry(directory, manifest_path, stem, bundled, active)
                if entry is not None and not bundled:
                    _check_hashes(directory, entry.manifest, trusted)
            except (ModelError, OSError) as error:
                if not bundled:  # the folder is known: name its files, not their paths
                    problem = _one_line(error).replace(f"{directory}{os.sep}", "")
                    unreadable.append(UnreadableModel(stem, problem))
                continue
            if entry is not None:
                found.append(entry)
        entries.extend(sorted(found, key=lambda entry: entry.manifest.created))
    return entries, unreadable


def _usable_name(stem: str) -> bool:
    """Whether ``stem`` could name a model of tuipad's (else `models rm` refuses it too)."""
    try:
        checked_name(stem)
    except BadNameError:
        return False
    return True


def _entry(
    directory: Path, manifest_path: Path, stem: str, bundled: bool, active: str
) -> ModelEntry | None:
    """The listed model of one manifest, or ``None`` for one not listed here.

    Raises:
        ModelError: The manifest does not read or names another model.
        OSError: Its pickle cannot be found.
    """
    manifest = Manifest.from_file(manifest_path)
    if manifest.name != stem:
        raise ModelError(f"its manifest names another model, {manifest.name!r}")
    if bundled != (stem == DEFAULT_NAME):
        return None  # a retrained stand-in for the bundled model is not listed twice
    pickle_path = model_paths(directory, stem)[0]
    try:
        size = pickle_path.stat().st_size
    except OSError as error:
        raise ModelError(f"model file {pickle_path} is missing ({error.strerror})") from None
    return ModelEntry(manifest, size, bundled, stem == active)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


_DIGESTS: dict[tuple[str, int, int, int, int], str] = {}
"""SHA-256 of the model files listed so far, by path, inode, size and times."""


def _check_hashes(directory: Path, manifest: Manifest, trusted: set[str]) -> None:
    """Check a user model's files against its manifest and the trusted hashes.

    Raises:
        ModelError: A file is missing, unreadable, too large, changed, or not saved here.
    """
    files = [(model_paths(directory, manifest.name)[0], manifest.sha256)]
    if manifest.arrays_sha256:
        files.append((arrays_path(directory, manifest.name), manifest.arrays_sha256))
    for path, digest in files:
        try:
            found = _digest(path)
        except OSError as error:
            raise ModelError(f"model file {path.name} is unreadable ({error.strerror})") from None
        if found != digest:
            raise ModelError(f"model file {path.name} does not match its manifest's SHA-256")
        if found not in trusted:
            raise ModelError(f"model file {path.name} was not saved by tuipad here")


def _digest(path: Path) -> str:
    """A file's SHA-256, read again only when the file changed.

    Raises:
        OSError: It cannot be read, or is larger than any model.
    """
    status = path.stat()
    key = (str(path), status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    if (digest := _DIGESTS.get(key)) is None:
        if not stat.S_ISREG(status.st_mode):  # a device (/dev/zero) would be read forever
            raise OSError(0, "not a regular file")
        if status.st_size > MAX_MODEL_BYTES:
            raise OSError(0, "larger than any model")
        with path.open("rb") as file:
            digest = _DIGESTS[key] = hashlib.file_digest(file, "sha256").hexdigest()
    return digest
