"""Fixtures for the app tests: a tiny model trained once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tuipad.store.registry import LoadedModel, Manifest
from tuipad.ui.app import TuipadApp, make_app


@pytest.fixture(autouse=True)
def truecolor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps run in 24-bit colour whatever TERM the tests run under (TERM=xterm means 16
    colours to Rich, and the sketchpad draws differently there); a test may set fewer."""
    from textual import constants

    monkeypatch.setattr(constants, "COLOR_SYSTEM", "truecolor")


@pytest.fixture(scope="session")
def fixture_model() -> LoadedModel:
    """The seed recipe fitted on the scans (about a second), shared by all tests."""
    import sklearn

    from tuipad.core.datasets import load_scans
    from tuipad.core.families import build_recipe as build_estimator
    from tuipad.core.to_arrays import array_model

    X, y = load_scans()
    estimator = build_estimator("seed").fit(X, y)
    manifest = Manifest(
        name="fixture",
        recipe="seed",
        sklearn_version=sklearn.__version__,
        sha256="x",
        arrays_sha256="y",
        metrics={"test_accuracy": 0.969},
    )
    return LoadedModel(array_model(estimator), manifest)


@pytest.fixture
def app_factory(fixture_model: LoadedModel) -> Callable[..., TuipadApp]:
    """Build apps that get the fixture model instead of loading one.

    They train in the worker thread, so monkeypatching the core works; pass
    ``run_in_process=True`` for the app's real path.
    """

    def factory(*, run_in_process: bool = False) -> TuipadApp:
        return make_app(model_loader=lambda progress: fixture_model, run_in_process=run_in_process)

    return factory
