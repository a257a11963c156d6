"""Shared fixtures: every test runs with its own TUIPAD_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


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
