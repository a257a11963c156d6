"""The core and the store type-check under ``mypy --strict``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mypy", reason="mypy comes with the dev extra")


def test_core_and_store_pass_mypy_strict():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "tuipad/core", "tuipad/store"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
