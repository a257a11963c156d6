"""Loading, activating and removing saved models, and the models table both front ends show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tuipad.core.families import CV_PROTOCOL
from tuipad.core.wording import counted, printable
from tuipad.store import model_list, registry
from tuipad.store.files import check_writable, describe_os_error
from tuipad.store.paths import Paths
from tuipad.store.registry import DEFAULT_NAME, LoadedModel, Manifest, ModelError

if TYPE_CHECKING:
    from tuipad.core.progress import JobReport


def load_active(paths: Paths | None = None, progress: JobReport | None = None) -> LoadedModel:
    """The model the sketchpad and the CLI should use.

    Tries, in order: the user's chosen model, the bundled default, a default
    retrained into the user data directory.  If none loads, the default recipe
    is retrained into the user data directory from what the package ships, and
    ``notice`` says why.

    Args:
        paths: The user data directory's paths (default: :meth:`Paths.default`).
        progress: Reports retraining progress, should it come to that.

    Raises:
        ModelError: No model loads and the data directory cannot take a retrained
            one (read-only or full): said before any training.
    """
    paths = Paths.default() if paths is None else paths
    problems = []
    name = registry.active_name(paths.home)
    if name != DEFAULT_NAME:
        try:
            return registry.load_saved(paths.home, name)
        except ModelError as error:
            problems.append(str(error))
    try:
        model = registry.load_saved(paths.home, DEFAULT_NAME)
    except ModelError as error:
        problems.append(str(error))
    else:
        instead = [f"reading with {DEFAULT_NAME} instead"] if problems else []
        return replace(model, notice="; ".join(filter(None, [*problems, *instead, model.notice])))
    from tuipad.services.training import train_recipe_and_save

    try:
        check_writable(paths.models)
    except OSError as error:
        problems.append(f"cannot retrain it: {describe_os_error(error)}")
        raise ModelError("; ".join(problems)) from None
    notice = "; ".join(problems) + f"; retrained the default model into {paths.models}"
    manifest, estimator = train_recipe_and_save("default", paths, progress=progress)
    return replace(loaded_from_fitted(estimator, manifest), notice=notice)


def loaded_from_fitted(estimator: Any, manifest: Manifest) -> LoadedModel:
    """A model just trained and saved, ready to recognise with the arrays its files hold.

    For the training side, which holds the fitted pipeline already; a family
    without an array form recognises through the pipeline itself.
    """
    from tuipad.core.to_arrays import predictor

    return LoadedModel(predictor(estimator), manifest)


def load_model(name: str | None = None, paths: Paths | None = None) -> LoadedModel:
    """The active model (``name`` None or active), else the saved model ``name``.

    Raises:
        ModelError: No such model, or it fails the checks.
    """
    paths = Paths.default() if paths is None else paths
    if name is None or name == registry.active_name(paths.home):
        return load_active(paths)
    return registry.load_saved(paths.home, name)


def activate(paths: Paths, name: str) -> LoadedModel:
    """Load a saved model and make it the active one.

    The model is checked (and given arrays if it was saved without them) and
    loaded before the setting is written, so a model that cannot load never
    becomes active.

    Raises:
        ModelError: No such model, it fails the checks, or it has no array form.
        OSError: Its arrays or the setting cannot be written.
    """
    if name == DEFAULT_NAME:
        registry.use_model(paths.home, name)
        return load_active(paths)
    registry.prepare_model(paths.home, name)
    model = registry.load_saved(paths.home, name)
    registry.set_active_name(paths.home, name)
    return model


def can_be_made_active(manifest: Manifest) -> bool:
    """Whether a saved model can become the active one: every family but k-NN, which has no
    arrays to recognise with (it can still be trained, listed and compared)."""
    return not registry.is_knn(manifest)


def use(paths: Paths, name: str) -> Manifest:
    """Make a saved model the active one after its hash checks, without loading it.

    For a command that only records the choice (``tuipad models use``); the
    app loads the model too (:func:`activate`).

    Raises:
        ModelError: No such model, it fails the hash checks, or it has no array form.
        OSError: Its arrays or the setting cannot be written.
    """
    return registry.use_model(paths.home, name)


def remove(paths: Paths, name: str) -> bool:
    """Delete a user model and forget the hashes no other saved model shares; the
    active one falls back to the default.

    Returns:
        Whether it was the active model, so the default is active now.

    Raises:
        ModelError: The bundled model, or no such model.
    """
    was_active = registry.active_name(paths.home) == name
    registry.remove_model(paths.home, name)
    return was_active


def check_new_name(paths: Paths, name: str) -> str:
    """``name`` if a new user model may take it.

    Raises:
        ValueError: A name that cannot name a model, or one already taken.
    """
    registry.check_name(name)
    if registry.model_paths(paths.models, name)[1].exists():
        raise ValueError(f"a model named {name!r} exists: choose another name or delete it first")
    return name


# --------------------------------------------------------------------------- the models table


@dataclass(frozen=True)
class ModelRow:
    """One saved model as both front ends show it.

    Attributes:
        name: The name to type back (``tuipad models use NAME``).
        family: Model family or recipe.
        data: What it learnt from and how it was tested.
        created: ``YYYY-mm-dd HH:MM``.
        accuracy: Held-out accuracy, or ``None``.
        size: Bytes of its pickle.
        bundled: Shipped with tuipad.
        active: The model in use.
        recipe: The recipe or family it was trained with.
        created_iso: The full ISO time of saving.
        from_pickle: Has no array form (a k-NN), so it can be compared but
            not made active.
        cross_validated: Its accuracy is a cross-validation's on the scans,
            not the half split's most models report, so it is marked.
    """

    name: str
    family: str
    data: str
    created: str
    accuracy: float | None
    size: int
    bundled: bool
    active: bool
    recipe: str
    created_iso: str
    from_pickle: bool = False
    unreadable: str = ""
    cross_validated: bool = False

    def cells(self) -> tuple[str, ...]:
        """The row as both front ends' tables show it: active mark, name, family,
        data, date, accuracy, size; what a manifest says with its control characters
        escaped (a manifest edited by hand may hold any)."""
        if self.unreadable:
            cells = ("", self.name, "unreadable", self.unreadable, "", "—", "—")
        else:
            cells = (
                "●" if self.active else "",
                self.name + (" (bundled)" if self.bundled else ""),
                self.family + (" (no arrays)" if self.from_pickle else ""),
                self.data,
                self.created,
                self.accuracy_text,
                self.size_text,
            )
        return tuple(printable(cell) for cell in cells)

    @property
    def accuracy_text(self) -> str:
        """The accuracy as a percentage (``99.00% cv`` from a cross-validation), or a dash."""
        if self.accuracy is None:
            return "—"
        return f"{self.accuracy:.2%}" + (" cv" if self.cross_validated else "")

    @property
    def size_text(self) -> str:
        """The size in KiB."""
        return f"{self.size / 1024:.0f} KiB"

    def to_json(self) -> dict[str, Any]:
        """The row as ``tuipad models --json`` prints it."""
        return {
            "name": self.name,
            "recipe": self.recipe,
            "family": self.family,
            "data": self.data,
            "created": self.created_iso,
            "accuracy": self.accuracy,
            "cross_validated": self.cross_validated,
            "size": self.size,
            "bundled": self.bundled,
            "active": self.active,
            "from_pickle": self.from_pickle,
            "unreadable": self.unreadable or None,
        }


def model_rows(paths: Paths, in_use: str | None = None) -> list[ModelRow]:
    """The bundled model and the user's models, bundled first then by date; then the
    user's manifests that do not read, each marked unreadable with the reason.

    Args:
        paths: The user data directory's paths.
        in_use: The model the app reads with, marked active: not the chosen one
            when that failed to load and the default stood in (default: the choice,
            or the default when the choice is not listed or does not read).
    """
    entries, unreadable = model_list.scan_models(paths.home)
    rows = [_row(entry) for entry in entries]
    if in_use is None and not any(row.active for row in rows):
        in_use = registry.DEFAULT_NAME  # the chosen model does not read: default stands in
    if in_use is not None:
        rows = [replace(row, active=row.name == in_use) for row in rows]
    chosen = registry.active_name(paths.home)
    for bad in unreadable:
        stands_in = f"; chosen, so {registry.DEFAULT_NAME} reads instead"
        problem = bad.problem + (stands_in if bad.name == chosen else "")
        rows.append(
            ModelRow(
                name=bad.name,
                family="",
                data="",
                created="",
                accuracy=None,
                size=0,
                bundled=False,
                active=False,
                recipe="",
                created_iso="",
                unreadable=problem,
            )
        )
    return rows


def _row(entry: model_list.ModelEntry) -> ModelRow:
    manifest, metrics = entry.manifest, entry.manifest.metrics
    return ModelRow(
        name=manifest.name,
        family=str(metrics.get("family", manifest.recipe)),
        data=str(metrics.get("data", _personal_data(metrics))),
        created=manifest.created[:16].replace("T", " "),
        accuracy=_fraction(metrics.get("test_accuracy")),
        size=entry.size,
        bundled=entry.bundled,
        active=entry.active,
        recipe=manifest.recipe,
        created_iso=manifest.created,
        from_pickle=not can_be_made_active(manifest),
        cross_validated=CV_PROTOCOL in str(metrics.get("protocol", "")),
    )


def _personal_data(metrics: dict[str, Any]) -> str:
    """The data column of a personal model, which records no ``data``: what it adapted to."""
    samples = metrics.get("personal_samples")
    if isinstance(samples, bool) or not isinstance(samples, int):
        return ""
    return f"default + {counted(samples, 'sample')}"


def _fraction(value: Any) -> float | None:
    """An accuracy from a manifest, or ``None`` when it is not a number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 <= value <= 1 else None
