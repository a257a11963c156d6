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


ANYWHERE = "-anywhere"
"""Suffix of a replay mode (``cells-anywhere``) whose digits start anywhere within a cell."""


def replay(
    items: list[dict], rows: float, mode: str, *, left: float = 4, top: float = 2
) -> list[dict]:
    """Run the shared replay.py on ``items``: what a terminal would report.

    ``left`` and ``top`` place the digit's top-left on the canvas (replay.py's
    defaults, on a cell's edge).  A mode ending in :data:`ANYWHERE` starts each
    digit anywhere within a cell instead, as a digit drawn by hand does.
    """
    if mode.endswith(ANYWHERE):
        return replay_anywhere(items, rows, mode.removesuffix(ANYWHERE), left=left, top=top)
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


def replay_anywhere(
    items: list[dict], rows: float, mode: str, *, left: float, top: float, seed: int = 0
) -> list[dict]:
    """As replay.py reports ``items``, but each digit's top-left moved a random part of a cell.

    replay.py puts every digit's top and bottom on a cell's edge; a hand-drawn
    digit starts anywhere.  tuipad's own replay has replay.py's geometry and
    takes fractional positions.
    """
    import numpy as np

    from tuipad.core.pen_rendering import replay as replay_at

    rng = np.random.default_rng(seed)
    replayed = []
    for item in items:
        dx, dy = rng.uniform(0, 1, 2)
        strokes = [np.asarray(stroke, dtype=float) for stroke in item["strokes"]]
        reports = replay_at(strokes, rows=rows, mode=mode, left=left + dx, top=top + dy)
        replayed.append({**item, "strokes": reports})
    return replayed
