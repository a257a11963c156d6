"""Writer adaptation: how much a hundred of your own digits help the default recipe.

For every writer of the shared pen digits with at least 12 samples of each
digit, 10 of each (the first in the file) become personal samples and the rest
are the test digits, all replayed by ``../shared/bench/replay.py`` as a
terminal reports a mouse drag.  The model has never seen that writer: its
default recipe uses all scans and the pen digits of the other writers (5 folds
grouped by writer, as ``every_hand.py``).  "before" is that recipe alone,
"after" is ``tuipad.core.personal.train_personal`` with the 100 personal samples,
both scored on the same test digits.

    python benchmarks/writer_adaptation.py [--rows 12] [--mode cells] [--jobs 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from _shared import read_dev, replay

PERSONAL_PER_DIGIT = 10
"""Personal samples of each digit a writer gives."""

MIN_PER_DIGIT = 12
"""A writer needs this many of every digit to take part."""


def run_writer(
    writer: str, rows: float, mode: str, cache: str, copies: int | None, weight: float | None
) -> dict:
    from sklearn.model_selection import GroupKFold

    from tuipad.core import datasets, personal
    from tuipad.core.recognise import recognise_many
    from tuipad.core.to_arrays import predictor
    from tuipad.core.training import fit_recipe as fit
    from tuipad.store.rows_cache import default_rows

    items = read_dev()
    writers = np.array([item["writer"] for item in items])
    labels = np.array([item["label"] for item in items])
    fold = next(
        (train, test)
        for train, test in GroupKFold(5).split(labels, labels, writers)
        if writer in set(writers[test])
    )
    train_pen = fold[0]
    mine = np.flatnonzero(writers == writer)
    taken: Counter[int] = Counter()
    personal_rows, test_rows = [], []
    for index in mine:
        if taken[labels[index]] < PERSONAL_PER_DIGIT:
            taken[labels[index]] += 1
            personal_rows.append(index)
        else:
            test_rows.append(index)
    drawn = replay([items[i] for i in personal_rows], rows, mode)
    tests = replay([items[i] for i in test_rows], rows, mode)
    truth = labels[test_rows]

    X, y = datasets.load_scans()
    base = default_rows(X, y, pen_indices=train_pen, cache=Path(cache))
    before = fit("default", base)
    predicted_before, _, _ = recognise_many(predictor(before), [d["strokes"] for d in tests])

    options = {}
    if copies is not None:
        options["copies"] = copies
    if weight is not None:
        options["weight"] = weight
    start = time.perf_counter()
    result = personal.train_personal(
        [d["label"] for d in drawn],
        [d["strokes"] for d in drawn],
        base,
        evaluate=False,
        n_jobs=1,
        **options,
    )
    seconds = time.perf_counter() - start
    after = predictor(result.estimator)
    predicted_after, _, _ = recognise_many(after, [d["strokes"] for d in tests])
    return {
        "writer": writer,
        "personal": len(drawn),
        "test": len(tests),
        "before": float((predicted_before == truth).mean()),
        "after": float((predicted_after == truth).mean()),
        "train_s": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=12)
    parser.add_argument("--mode", choices=("cells", "pixels"), default="cells")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--copies", type=int, help="renderings of each personal sample")
    parser.add_argument("--weight", type=float, help="sample weight of personal rows")
    parser.add_argument("--cache", help="directory to keep the folds' rendered rows in")
    args = parser.parse_args()

    from tuipad.core import personal

    items = read_dev()
    counts: defaultdict[str, Counter[int]] = defaultdict(Counter)
    for item in items:
        counts[item["writer"]][item["label"]] += 1
    writers = sorted(w for w, c in counts.items() if all(c[d] >= MIN_PER_DIGIT for d in range(10)))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as temporary, ProcessPoolExecutor(args.jobs) as pool:
        cache = args.cache or temporary
        n = len(writers)
        results = list(
            pool.map(
                run_writer,
                writers,
                [args.rows] * n,
                [args.mode] * n,
                [cache] * n,
                [args.copies] * n,
                [args.weight] * n,
            )
        )
    copies = personal.copies_for(10 * PERSONAL_PER_DIGIT) if args.copies is None else args.copies
    weight = personal.PERSONAL_WEIGHT if args.weight is None else args.weight
    print(
        f"writer adaptation, {args.rows:g} rows ({args.mode}), {n} writers with"
        f" >= {MIN_PER_DIGIT} of each digit; {PERSONAL_PER_DIGIT} of each digit personal,"
        f" the rest tested; {copies} renderings per personal sample, weight {weight:g}"
    )
    print(f"{'writer':<22} {'personal':>8} {'test':>5} {'before':>7} {'after':>7} {'train_s':>7}")
    for r in results:
        print(
            f"{r['writer']:<22} {r['personal']:>8} {r['test']:>5} {r['before']:7.4f}"
            f" {r['after']:7.4f} {r['train_s']:7.1f}"
        )
    before = np.mean([r["before"] for r in results])
    after = np.mean([r["after"] for r in results])
    print(f"{'mean':<22} {'':>8} {'':>5} {before:7.4f} {after:7.4f}")
    print(f"wall time {time.perf_counter() - start:.0f} s on {args.jobs} processes")


if __name__ == "__main__":
    main()
