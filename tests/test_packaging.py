"""The wheel as users install it: it carries the MIT licence its metadata names, and stays small.

Built with pip and the build backend pyproject.toml names, as ``pip install`` builds it (about
5 s): inspecting the source tree would not show what the backend leaves out.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

MAX_WHEEL_BYTES = 5 * 1024 * 1024
"""The bundled model and pen-digit arrays make about 3 MB; more means something slipped in."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    (built,) = out.glob("tuipad-*.whl")
    return built


def test_the_wheel_carries_the_licence_its_metadata_names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        licences = [name for name in archive.namelist() if name.endswith("/licenses/LICENSE")]
        assert len(licences) == 1
        assert archive.read(licences[0]) == (ROOT / "LICENSE").read_bytes()
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = archive.read(metadata).decode().split("\n\n")[0].splitlines()
    assert "License-Expression: MIT" in headers
    assert "License-File: LICENSE" in headers
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_wheel_stays_under_5_mb(wheel):
    assert wheel.stat().st_size < MAX_WHEEL_BYTES
