"""The core, the store and the services type-check under ``mypy --strict``; the front ends
under plain ``mypy``, which catches a method defined twice or a misspelt attribute."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mypy", reason="mypy comes with the dev extra")


def test_core_store_and_services_pass_mypy_strict():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "tuipad/core",
            "tuipad/store",
            "tuipad/services",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_front_ends_pass_mypy():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "tuipad/ui", "tuipad/cli"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
