"""The pure core never imports Textual or rich, and nothing imports scikit-learn early."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "tuipad.core.raster",
    "tuipad.core.datasets",
    "tuipad.core.features",
    "tuipad.store.registry",
    "tuipad.core.reports",
    "tuipad.background",
]


def modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", CORE)
def test_core_module_stays_free_of_textual_and_rich(module):
    loaded = modules_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in {"textual", "rich"}}


@pytest.mark.parametrize(
    "module", ["tuipad.core.raster", "tuipad.store.registry", "tuipad.cli.main"]
)
def test_scikit_learn_is_imported_only_when_needed(module):
    assert "sklearn" not in modules_after(f"import {module}")
