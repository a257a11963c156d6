"""Small pieces of English the screens share, so every screen says them alike (``a_digit``
is the CLI's too, from :mod:`tuipad.core.wording`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuipad.core.wording import a_digit, counted

if TYPE_CHECKING:
    from tuipad.store.registry import LoadedModel

__all__ = ["a_digit", "failure_text", "header_subtitle", "sure_reading_against"]


def header_subtitle(model: LoadedModel) -> str:
    """How the header names the model: its name, its measured accuracy, and a mark if it
    runs from its pickle (a family without an array form)."""
    mark = " · from pickle" if model.from_pickle else ""
    samples = model.manifest.metrics.get("personal_samples")
    if isinstance(samples, bool) or not isinstance(samples, int):
        samples = 0
    if model.accuracy is None and samples > 0:
        # A personal model has no test split: what it learnt from says more.
        return f"model {model.name} · your {counted(samples, 'sample')}{mark}"  # fits 80
    if model.accuracy is None:
        return f"model {model.name} · no test accuracy{mark}"  # fits 80 columns
    from tuipad.core.families import CV_PROTOCOL  # loaded with the model

    # Not "test accuracy": folds of the scans, not the half split every other model reports.
    if CV_PROTOCOL in str(model.manifest.metrics.get("protocol", "")):
        return f"model {model.name} · {model.accuracy:.1%} cross-validated on scans{mark}"
    return f"model {model.name} · {model.accuracy:.1%} test accuracy{mark}"


def sure_reading_against(
    label: int,
    predicted: int | None,
    scores: Sequence[float] | None,
    split: Sequence[int] = (),
) -> str:
    """The model's reading, ``a 7 (89%)``, when ``label`` goes against one it was sure of
    (no other digit came close and its parts, ``split``, did not disagree, as the
    sketchpad's corrections warn); else ``""``."""
    from tuipad.core.recognise import named_contenders  # numpy: not before the first frame

    if predicted is None or scores is None or label == predicted:
        return ""
    if named_contenders(predicted, scores, split):
        return ""
    return f"{a_digit(predicted)} ({scores[predicted]:.0%})"


def failure_text(error: Exception, *, typed: bool = True) -> str:
    """One line for a job that failed: a file or the data directory in the CLI's words
    ("the data directory ... is not a folder"), anything else by its message, after its
    type if ``typed`` (an unexpected error's type says what went wrong)."""
    if isinstance(error, OSError):
        from tuipad.store.files import describe_os_error
        from tuipad.store.paths import describe_home_error

        return describe_home_error(error) or describe_os_error(error)
    said = " ".join(str(error).split())
    return f"{type(error).__name__}: {said}" if typed or not said else said
