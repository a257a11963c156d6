"""Writer-independent accuracy of the default recipe on the shared pen digits.

The shipped model has trained on every shared writer, so its score on them
says little.  Here each of 5 folds, grouped by writer, trains the default
recipe (all scans + the pen digits of the other writers) and is scored on
its own writers' digits, replayed by ``../shared/bench/replay.py`` as a
terminal reports them.  Also prints the shipped model on the same replays
(seen writers) for comparison.

    python benchmarks/pen_accuracy.py [--folds 5] [--jobs 2]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from _shared import SETTINGS, read_dev, replay


def run_fold(fold: int, n_folds: int) -> dict:
    from sklearn.model_selection import GroupKFold

    from tuipad.core import datasets
    from tuipad.core.recognise import recognise_many
    from tuipad.core.rows import recipe_data
    from tuipad.core.training import fit_recipe as fit

    items = read_dev()
    writers = np.array([item["writer"] for item in items])
    labels = np.array([item["label"] for item in items])
    train, test = list(GroupKFold(n_folds).split(labels, labels, writers))[fold]
    X, y = datasets.load_scans()
    start = time.perf_counter()
    data = recipe_data("default", X, y, pen_indices=train, seed=fold)
    estimator = fit("default", data)
    seconds = time.perf_counter() - start
    result = {"fold": fold, "writers": len(set(writers[test])), "n": len(test), "train_s": seconds}
    for rows, mode in SETTINGS:
        drawings = replay([items[i] for i in test], rows, mode)
        predicted, _, _ = recognise_many(estimator, [d["strokes"] for d in drawings])
        result[(rows, mode)] = int((predicted == labels[test]).sum())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_fold, range(args.folds), [args.folds] * args.folds))
    total = sum(r["n"] for r in results)
    print(f"default recipe, {args.folds}-fold grouped by writer, {total} pen digits")
    print("fold  writers  digits  train_s  " + "  ".join(f"{r:>2}r {m:<6}" for r, m in SETTINGS))
    for r in results:
        cells = "  ".join(f"{r[s] / r['n']:10.4f}" for s in SETTINGS)
        print(f"{r['fold']:>4}  {r['writers']:>7}  {r['n']:>6}  {r['train_s']:7.1f}  {cells}")
    overall = "  ".join(f"{sum(r[s] for r in results) / total:10.4f}" for s in SETTINGS)
    print(f" all  {'':>7}  {total:>6}  {'':>7}  {overall}")

    from tuipad.core.recognise import recognise_many
    from tuipad.services import load_active

    model = load_active()
    items = read_dev()
    labels = np.array([item["label"] for item in items])
    seen = []
    for rows, mode in SETTINGS:
        drawings = replay(items, rows, mode)
        predicted, _, _ = recognise_many(model.estimator, [d["strokes"] for d in drawings])
        seen.append(f"{(predicted == labels).mean():10.4f}")
    print(f"shipped model '{model.name}' on the same (seen) writers:  " + "  ".join(seen))


if __name__ == "__main__":
    main()
