"""Checks of the arrays a model file holds: each array one a model can run on, or one line why not.

numpy only; :mod:`tuipad.core.model_arrays` and :mod:`tuipad.core.mlp_arrays`
rebuild models through these.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


class ArrayFormError(ValueError):
    """Arrays that do not describe a model; the message is one line."""


def checked_array(
    arrays: Mapping[str, np.ndarray],
    name: str,
    shape: tuple[int, ...] | None = None,
    *,
    integer: bool = False,
    axes: int = 1,
) -> np.ndarray:
    """A finite array of the expected shape (or of ``axes`` axes), as float (or int) numbers."""
    if name not in arrays:
        raise ArrayFormError(f"the {name} array is missing")
    array = np.asarray(arrays[name])
    if array.dtype.kind not in ("iu" if integer else "iuf"):
        raise ArrayFormError(f"the {name} array holds {array.dtype}, not numbers")
    if shape is not None and array.shape != shape:
        raise ArrayFormError(f"the {name} array has shape {array.shape}, expected {shape}")
    if shape is None and array.ndim != axes:
        raise ArrayFormError(f"the {name} array has shape {array.shape}, expected {axes} axes")
    if integer:
        return array.astype(np.int64)
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ArrayFormError(f"the {name} array holds values that are not finite")
    return array


def checked_labels(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """The class labels: two or more distinct digits in increasing order."""
    classes = checked_array(arrays, "classes", integer=True)
    if len(classes) < 2 or (np.diff(classes) <= 0).any() or classes[0] < 0 or classes[-1] > 9:
        raise ArrayFormError("classes must be two or more digits 0..9 in increasing order")
    return classes
