"""Speed of the recognition path, start-up of ``tuipad predict``, and training time.

Prints, measured side by side in one run:
  * per-drawing latency of the recognition path (rasterise + predict) against
    the bare ``predict_proba`` call on a ready row (the 8x8 grid, and the pen's
    path for a model that reads it), with the active model,
    and against a one-row ``SVC.predict`` of the seed model (the original demo);
  * rasterising throughput (drawings per second);
  * ``tuipad predict DRAWING.json`` wall time against
    ``python -c "import sklearn.svm"`` (interleaved runs, medians);
  * training time of each recipe from scratch (fit on everything it uses).

    python benchmarks/speed.py [--runs 7] [--skip-training]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _shared import read_dev, replay


def per_call(function, items, repeat: int = 3) -> list[float]:
    """Seconds per call of ``function(item)``, best of ``repeat`` passes per item."""
    times = []
    for item in items:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            function(item)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    return times


def seed_svc():
    """The original demo's ``SVC(gamma=0.001)`` on the first half of ``load_digits``."""
    from sklearn.svm import SVC

    from tuipad.core import datasets

    X_train, _, y_train, _ = datasets.seed_split(*datasets.load_scans())
    return SVC(gamma=0.001).fit(X_train, y_train)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()

    from tuipad.core.raster import to_digits8x8
    from tuipad.core.recognise import model_rows, read_strokes, recognise
    from tuipad.services import load_active

    model = load_active()
    drawings = [d["strokes"] for d in replay(read_dev()[::20], 12, "cells")]
    grids = [to_digits8x8(d).reshape(1, 64).astype(float) for d in drawings]
    rows = [model_rows(model.predictor, [read_strokes(d)[0]]) for d in drawings]
    seed = seed_svc()
    path = per_call(lambda d: recognise(model.predictor, d), drawings)
    bare = per_call(model.predictor.predict_proba, rows)
    seed_predict = per_call(seed.predict, grids)
    raster = per_call(to_digits8x8, drawings)
    print(f"model {model.name}; {len(drawings)} drawings (12 rows, cells)")
    print(f"recognition path median {statistics.median(path) * 1e3:.3f} ms")
    print(f"bare predict_proba median {statistics.median(bare) * 1e3:.3f} ms (a ready row)")
    print(f"seed SVC.predict median   {statistics.median(seed_predict) * 1e3:.3f} ms")
    print(f"ratio path / bare         {statistics.median(path) / statistics.median(bare):.2f}x")
    ratio = statistics.median(path) / statistics.median(seed_predict)
    print(f"ratio path / seed predict {ratio:.2f}x")
    print(
        f"rasterise median {statistics.median(raster) * 1e3:.3f} ms"
        f" -> {1 / statistics.mean(raster):.0f} drawings/s"
    )

    with tempfile.TemporaryDirectory() as temp:
        drawing = Path(temp) / "drawing.json"
        drawing.write_text(json.dumps({"strokes": drawings[0]}))
        env = dict(os.environ, TUIPAD_HOME=temp)
        tuipad = [sys.executable, "-m", "tuipad", "predict", str(drawing)]
        sklearn = [sys.executable, "-c", "import sklearn.svm"]
        subprocess.run(tuipad, env=env, capture_output=True, check=True)  # warm caches
        a, b = [], []
        for _ in range(args.runs):
            for command, times in ((tuipad, a), (sklearn, b)):
                start = time.perf_counter()
                subprocess.run(command, env=env, capture_output=True, check=True)
                times.append(time.perf_counter() - start)
    print(
        f"tuipad predict median {statistics.median(a):.3f} s;"
        f" import sklearn.svm median {statistics.median(b):.3f} s;"
        f" ratio {statistics.median(a) / statistics.median(b):.2f}x ({args.runs} runs each)"
    )

    if args.skip_training:
        return
    from tuipad.services import train_recipe_and_save
    from tuipad.store.paths import Paths

    for recipe in ("seed", "default"):
        with tempfile.TemporaryDirectory() as temp:
            start = time.perf_counter()
            train_recipe_and_save(recipe, Paths(Path(temp)))
            print(f"training recipe {recipe} from scratch: {time.perf_counter() - start:.1f} s")
    print(f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
