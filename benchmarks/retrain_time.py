"""How long 100 personal samples take to become the active model, against the seed recipe.

Stores 100 personal samples (10 of each digit) from one writer of the shared
pen digits, replayed by ``../shared/bench/replay.py`` at 12 rows in cells, into
a temporary ``TUIPAD_HOME``, then times, interleaved in the same run, the
commands a user types:

* ``tuipad train --personal``: the shipped model adapted to the samples,
  measured on held-back samples, saved and made active;
* ``tuipad train --recipe seed``: the original demo's recipe, the yardstick.

"Cold" runs start without tuipad's cache (the samples' renderings kept by
the previous run) and, when the script may (as root), without the operating
system's file cache; "warm" runs follow a run with the same samples.  It also
times the retrain the app runs, in a child process
(``tuipad.background.run_in_process``).

With ``--families``, it then times ``tuipad train --model F --pen --augment``
for k-NN, MLP and SVC twice each from an empty rendering cache (the first run
renders the pen digits, the second loads them), beside the seed recipe, and
counts how often each run rendered them.  Prints figures, asserts nothing.

    python benchmarks/retrain_time.py [--runs 5] [--families [knn mlp svc]]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _shared import read_dev, replay


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


def drop_file_cache() -> bool:
    """Ask the kernel to forget cached files; whether it could."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def timed(command: list[str], env: dict[str, str]) -> float:
    return timed_output(command, env)[0]


def timed_output(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds the command took, and what it printed on stderr (where progress goes)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stderr


def time_families(home: Path, env: dict[str, str], families: list[str]) -> None:
    """Each family trained twice on the pen digits from an empty cache, beside the seed recipe."""
    tuipad = [sys.executable, "-m", "tuipad", "train"]
    shutil.rmtree(home / "cache", ignore_errors=True)
    print("tuipad train --model F --pen --augment, from an empty rendering cache:")
    for family in families:
        runs = []
        for run in ("first", "second"):
            command = [*tuipad, "--model", family, "--pen", "--augment"]
            seconds, printed = timed_output([*command, "--name", f"{family}-{run}"], env)
            seed = timed([*tuipad, "--recipe", "seed", "--name", f"seed-{family}-{run}"], env)
            renders = printed.count("rendering pen digits")
            runs.append(
                f"{run} {seconds:.1f} s = {seconds / seed:.2f}x seed ({seed:.1f} s),"
                f" rendered the pen digits {'once' if renders else 'no times'}"
            )
        print(f"  {family}: " + "; ".join(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--families",
        nargs="*",
        choices=("knn", "mlp", "svc"),
        help="also time these families (all three if none is named)",
    )
    args = parser.parse_args()

    from tuipad import background, services
    from tuipad.store import registry
    from tuipad.store.paths import Paths
    from tuipad.store.samples import SampleStore

    writer, drawn = personal_digits()
    home = Path(tempfile.mkdtemp(prefix="tuipad-retrain-"))
    env = dict(os.environ, TUIPAD_HOME=str(home))
    os.environ["TUIPAD_HOME"] = str(home)
    tuipad = [sys.executable, "-m", "tuipad", "train"]
    try:
        paths = Paths(home)
        with SampleStore.open(paths.samples) as store:
            for item in drawn:
                store.add(item["strokes"], int(item["label"]), source="teach")
        print(f"{len(drawn)} personal samples of writer {writer} (12 rows, cells)")
        print(f"cores usable: {len(os.sched_getaffinity(0))}; load: {os.getloadavg()}")
        times: dict[str, list[float]] = defaultdict(list)
        timed([*tuipad, "--personal"], env)  # fills the cache the first warm run uses
        dropped = True
        for run in range(args.runs):
            for kind in ("warm", "cold"):
                if kind == "cold":
                    shutil.rmtree(paths.cache, ignore_errors=True)
                    dropped = drop_file_cache()
                # Untimed: with the model adapted to these samples active, the command
                # would only say so and save nothing.
                registry.set_active_name(home, "default")
                times[f"{kind} personal"].append(timed([*tuipad, "--personal"], env))
                seed = [*tuipad, "--recipe", "seed", "--name", f"seed-{kind}-{run}"]
                times[f"{kind} seed"].append(timed(seed, env))
        if not dropped:
            print("(cold: tuipad's cache removed; the system's file cache could not be dropped)")
        for kind in ("warm", "cold"):
            personal = statistics.median(times[f"{kind} personal"])
            seed = statistics.median(times[f"{kind} seed"])
            print(
                f"{kind}: tuipad train --personal {personal:.2f} s; tuipad train --recipe seed"
                f" {seed:.2f} s; ratio {personal / seed:.2f}x (medians of {args.runs})"
            )
        start = time.perf_counter()
        with SampleStore.open(paths.samples) as store:
            result, _ = services.retrain_personal(paths, store, runner=background.run_in_process)
        print(
            f"the app's retrain in a child process: {time.perf_counter() - start:.2f} s"
            f" (adapting {result.seconds:.2f} s; held-back samples before"
            f" {result.metrics.get('personal_before')}, after"
            f" {result.metrics.get('personal_accuracy')})"
        )
        if args.families is not None:
            time_families(home, env, args.families or ["knn", "mlp", "svc"])
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
