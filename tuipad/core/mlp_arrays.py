"""A standardised multi-layer perceptron as arrays (the ``mlp`` family's array form).

See :mod:`tuipad.core.model_arrays`.  numpy only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from tuipad.core.array_checks import ArrayFormError, checked_array, checked_labels
from tuipad.core.grid import GRID, grid_features

FEATURES = GRID * GRID
"""Inputs of the network: the 64 cells of the grid."""


@dataclass(frozen=True, eq=False)
class MlpArrays:
    """A standardised ReLU perceptron with a softmax output, as arrays.

    Attributes:
        classes: ``(k,)`` class labels (three or more).
        mean: ``(64,)`` the scaler's means.
        scale: ``(64,)`` the scaler's scales.
        weights: Each layer's ``(inputs, outputs)`` weights.
        biases: Each layer's ``(outputs,)`` biases.
    """

    classes: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    kind: ClassVar[str] = "mlp"

    @property
    def classes_(self) -> np.ndarray:
        """The class labels, under scikit-learn's name."""
        return self.classes

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, k)`` scores, as ``MLPClassifier.predict_proba`` computes them."""
        activation = (grid_features(X) - self.mean) / self.scale
        for layer, (weights, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            activation = activation @ weights + bias
            if layer < len(self.weights) - 1:
                np.maximum(activation, 0, out=activation)
        activation = np.exp(activation - activation.max(axis=1, keepdims=True))
        scores: np.ndarray = activation / activation.sum(axis=1, keepdims=True)
        return scores

    def params(self) -> dict[str, Any]:
        """The scalar settings, for the JSON manifest of the arrays file."""
        return {"kind": self.kind, "layers": len(self.weights)}

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays, by name, for the arrays file."""
        layers = {f"weights_{i}": w for i, w in enumerate(self.weights)}
        layers |= {f"biases_{i}": b for i, b in enumerate(self.biases)}
        return {"classes": self.classes, "mean": self.mean, "scale": self.scale, **layers}

    @classmethod
    def from_parts(cls, params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> MlpArrays:
        """Rebuild from :meth:`params` and :meth:`arrays`, checking every shape.

        Raises:
            ArrayFormError: If they do not describe such a model.
        """
        classes = checked_labels(arrays)
        if len(classes) < 3:
            raise ArrayFormError("an MLP's array form needs three or more classes")
        layers = params.get("layers")
        if not isinstance(layers, int) or not 1 <= layers <= 8:
            raise ArrayFormError("an MLP needs from one to eight layers")
        weights, biases, width = [], [], FEATURES
        for i in range(layers):
            last = i == layers - 1
            outputs = len(classes) if last else checked_array(arrays, f"biases_{i}").shape[0]
            weights.append(checked_array(arrays, f"weights_{i}", (width, outputs)))
            biases.append(checked_array(arrays, f"biases_{i}", (outputs,)))
            width = outputs
        scale = checked_array(arrays, "scale", (FEATURES,))
        if (scale <= 0).any():
            raise ArrayFormError("the scaler's scales must be positive")
        mean = checked_array(arrays, "mean", (FEATURES,))
        return cls(classes, mean, scale, tuple(weights), tuple(biases))
