"""tuipad: a terminal sketchpad that reads handwritten digits, offline.

Used as a library::

    import tuipad

    prediction = tuipad.recognise([[(1, 1), (1, 9)]])  # strokes in canvas cells
    prediction.label, prediction.scores

Both calls use the model ``tuipad models use`` chose (else the bundled one),
from ``$TUIPAD_HOME`` or the platform's user data directory.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = ["__version__", "load_model", "recognise"]

if TYPE_CHECKING:
    from tuipad.core.recognise import Prediction
    from tuipad.store.registry import LoadedModel


def load_model(name: str | None = None) -> LoadedModel:
    """Load the active model, or the saved model ``name`` (``"default"``: the bundled one).

    Raises:
        tuipad.store.registry.ModelError: No such model, or it fails the hash checks.
    """
    from tuipad import services

    return services.load_model(name)


def recognise(
    strokes: Iterable[Iterable[Iterable[float]]], model: LoadedModel | None = None
) -> Prediction:
    """Recognise one drawing.

    Args:
        strokes: Pen-down strokes, ``[[[x, y], ...], ...]`` in canvas cells
            (``x`` a column, ``y`` a row: cells are twice as tall as wide).
        model: A model from :func:`load_model`. Without one, the active model
            is loaded (and its hash checked) on every call: to read many
            drawings, load it once and pass it.

    Returns:
        The label, the ten scores (the label is their arg-max) and the 8x8
        grid the model saw.

    Raises:
        tuipad.core.raster.EmptyDrawingError: The drawing has no ink.
    """
    return (model or load_model()).recognise(strokes)
