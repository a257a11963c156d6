"""Helpers shared by the benchmark scripts: where the shared data is, replaying it."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PEN_DEV = SHARED / "data" / "unipen-digits-dev.jsonl.gz"
PENDIGITS = SHARED / "data" / "pendigits-train.jsonl.gz"
REPLAY = SHARED / "bench" / "replay.py"

SETTINGS = ((12, "cells"), (8, "cells"), (12, "pixels"))
"""(rows, mode) pairs the issues ask figures for."""


def read_dev() -> list[dict]:
    """The shared UNIPEN digits, in tablet units."""
    return read_jsonl(PEN_DEV)


def read_jsonl(path: Path) -> list[dict]:
    """Labelled pen digits in the shared format (gzipped JSON lines)."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def read_collections() -> dict[str, list[dict]]:
    """The shared digits of each collection tuipad ships, by collection."""
    return {"UNIPEN": read_dev(), "pendigits": read_jsonl(PENDIGITS)}


def replay(
    items: list[dict], rows: float, mode: str, *, left: float = 4, top: float = 2
) -> list[dict]:
    """Run the shared replay.py on ``items``: what a terminal would report.

    ``left`` and ``top`` place the digit's top-left on the canvas (replay.py's
    defaults).
    """
    text = "".join(json.dumps(item) + "\n" for item in items)
    out = subprocess.run(
        [sys.executable, str(REPLAY), "-", "--rows", str(rows), "--mode", mode]
        + ["--left", str(left), "--top", str(top)],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines()]
