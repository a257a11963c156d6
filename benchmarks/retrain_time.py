"""How long ``tuipad.services.retrain_personal`` takes: warm and cold cache, thread and process.

Issue 6 asks for a retrain with personal samples under 30 s on two cores.
This stores 100 personal samples (10 of each digit) from one writer of the
shared pen digits, replayed by ``../shared/bench/replay.py`` at 12 rows in
cells, into a temporary ``TUIPAD_HOME``, then times the retrain:

* ``cold``: no cached default-recipe rows (the pen digits are rendered);
* ``warm``: the rows come from the cache (what the app's warm-up leaves);
* ``thread``: in this process, as ``tuipad train --personal`` runs it;
* ``process``: through :func:`tuipad.background.run_in_process`, as the app runs it.

Prints the figures (no asserts).  Run on two cores, e.g.::

    taskset -c 0,1 /work/venv/bin/python benchmarks/retrain_time.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _shared import read_dev, replay

RUNS = ("cold-thread", "warm-thread", "warm-process", "cold-process")


def personal_digits(per_digit: int = 10) -> tuple[str, list[dict]]:
    """``per_digit`` of each digit from the first writer who has that many, replayed."""
    by_writer: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for item in read_dev():
        by_writer[item["writer"]][int(item["label"])].append(item)
    for writer, digits in sorted(by_writer.items()):
        if len(digits) == 10 and all(len(items) >= per_digit for items in digits.values()):
            chosen = [item for d in range(10) for item in digits[d][:per_digit]]
            return writer, replay(chosen, 12, "cells")
    raise SystemExit(f"no writer has {per_digit} of each digit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", default=",".join(RUNS), help="comma-separated of " + ", ".join(RUNS)
    )
    args = parser.parse_args()

    from tuipad import background, services
    from tuipad.store import rows_cache
    from tuipad.store.paths import Paths
    from tuipad.store.samples import SampleStore

    writer, drawn = personal_digits()
    home = Path(tempfile.mkdtemp(prefix="tuipad-retrain-"))
    os.environ["TUIPAD_HOME"] = str(home)
    try:
        paths = Paths(home)
        with SampleStore.open(paths.samples) as store:
            for item in drawn:
                store.add(item["strokes"], int(item["label"]), source="teach")
        print(f"{len(drawn)} personal samples of writer {writer} (12 rows, cells)")
        print(f"cores usable: {len(os.sched_getaffinity(0))}; load: {os.getloadavg()}")
        for run in args.runs.split(","):
            cache, where = run.split("-")
            if cache == "cold":
                shutil.rmtree(paths.cache, ignore_errors=True)
            elif not any(paths.cache.glob("default-rows-all-*.npz")):
                rows_cache.warm_cache(home)
            runner = background.run_in_process if where == "process" else background.run_in_thread
            stages: list[tuple[float, str]] = []
            start = time.perf_counter()

            def progress(
                stage: str, fraction: float, start: float = start, stages: list = stages
            ) -> None:
                if not stages or stages[-1][1] != stage:
                    stages.append((time.perf_counter() - start, stage))

            with SampleStore.open(paths.samples) as store:
                result, _ = services.retrain_personal(
                    paths, store, runner=runner, progress=progress
                )
            seconds = time.perf_counter() - start
            print(
                f"{run:13s} {seconds:6.1f} s  (inside train_personal {result.seconds:.1f} s;"
                f" personal {result.metrics.get('personal_accuracy')},"
                f" before {result.metrics.get('personal_before')},"
                f" scans {result.metrics.get('test_accuracy')})  load {os.getloadavg()[0]:.2f}"
            )
            for at, stage in stages:
                print(f"    {at:6.1f} s  {stage}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
