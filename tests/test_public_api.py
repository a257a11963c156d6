"""The library API at the top of the package: tuipad.recognise and tuipad.load_model."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import tuipad
from tuipad.core.raster import EmptyDrawingError
from tuipad.store.registry import ModelError


def test_recognise_reads_a_drawing_with_the_active_model(seven):
    prediction = tuipad.recognise(seven)
    assert prediction.label == 7
    assert len(prediction.scores) == 10
    assert prediction.label == int(np.argmax(prediction.scores))
    assert prediction.grid.shape == (8, 8)


def test_recognise_with_a_given_model_uses_that_model(seven):
    model = tuipad.load_model("default")
    assert model.name == "default"
    assert tuipad.recognise(seven, model) == model.recognise(seven)


def test_load_model_refuses_an_unknown_name():
    with pytest.raises(ModelError, match="no model named"):
        tuipad.load_model("no-such-model")


def test_an_empty_drawing_is_a_clear_error():
    with pytest.raises(EmptyDrawingError):
        tuipad.recognise([])


def test_importing_tuipad_loads_no_model_machinery():
    code = "import sys, tuipad; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    roots = {name.split(".")[0] for name in done.stdout.split()}
    assert not roots & {"numpy", "sklearn", "textual", "rich"}


def test_the_shipped_model_reads_every_hand_by_grid_and_path_with_pairwise_scores():
    from tuipad.core.model_arrays import GridPathArrays

    model = tuipad.load_model("default")
    assert isinstance(model.predictor, GridPathArrays)
    assert model.predictor.grid.calibration == model.predictor.path.calibration == "pairwise"
    sources = " ".join(model.manifest.training_data)
    assert "UNIPEN" in sources and "UCI pendigits" in sources and "pen's path" in sources
