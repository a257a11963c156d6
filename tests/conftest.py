"""Shared fixtures: every test runs with its own TUIPAD_HOME; small recipes and one writer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tuipad.core import datasets, pen_rendering


@pytest.fixture(autouse=True)
def tuipad_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh user data directory, so no test touches the real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("TUIPAD_HOME", str(home))
    return home


@pytest.fixture
def seven() -> list[list[list[float]]]:
    """A 7 drawn with whole-cell reports, one cell per report."""
    top = [[float(x), 2.0] for x in range(4, 13)]
    diagonal = [[float(12 - i // 2), 2.0 + i] for i in range(1, 12)]
    return [top + diagonal]


@pytest.fixture
def drawing_file(tmp_path: Path, seven: list) -> Path:
    path = tmp_path / "seven.json"
    path.write_text(json.dumps({"strokes": seven}))
    return path


@pytest.fixture
def small_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sliver of the scans and pen digits keeps each fit to a second; the path is real."""
    X, y = datasets.load_scans()
    pen = datasets.load_pen_digits()
    small_pen = pen.subset(range(0, len(pen), 25))
    monkeypatch.setattr(datasets, "load_scans", lambda: (X[:500], y[:500]))
    monkeypatch.setattr(datasets, "load_pen_digits", lambda: small_pen)


@pytest.fixture(scope="module")
def writer_drawings() -> tuple[list[int], list[list]]:
    """Forty digits of one pen writer, replayed as 12-row whole-cell mouse reports."""
    pen = datasets.load_pen_digits()
    names, counts = np.unique(pen.writers, return_counts=True)
    writer = names[np.argmax(counts >= 40)]
    indices = np.flatnonzero(pen.writers == writer)[:40]
    labels = [int(pen.labels[i]) for i in indices]
    drawings = [pen_rendering.replay(pen.strokes(int(i)), rows=12, mode="cells") for i in indices]
    return labels, drawings


@pytest.fixture(autouse=True)
def tuipad_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in a command propagates with its traceback instead of one line and exit 1."""
    monkeypatch.setenv("TUIPAD_DEBUG", "1")
