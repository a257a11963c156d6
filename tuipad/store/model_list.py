"""The saved models as ``tuipad models`` and the Models tab list them.

Listing reads every manifest and checks each user model's files against the
hashes tuipad recorded, so a model damaged on disk is shown as such, with the
reason, instead of failing only when it is chosen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tuipad.store.model_files import Manifest, ModelError, model_paths, trusted_hashes
from tuipad.store.paths import bundled_models_dir
from tuipad.store.registry import DEFAULT_NAME, active_name, check_files, user_models_dir


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
            try:
                entry = _entry(directory, manifest_path, stem, bundled, active)
                if entry is not None and not bundled:
                    check_files(directory, entry.manifest, trusted)
            except (ModelError, OSError) as error:
                if not bundled:  # the folder is known: name its files, not their paths
                    problem = _one_line(error).replace(f"{directory}{os.sep}", "")
                    unreadable.append(UnreadableModel(stem, problem))
                continue
            if entry is not None:
                found.append(entry)
        entries.extend(sorted(found, key=lambda entry: entry.manifest.created))
    return entries, unreadable


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
