"""Writer adaptation: how much a hundred of your own digits help the default recipe.

For every writer of the shared pen digits (UNIPEN and UCI pendigits) with at
least 12 samples of each digit, 10 of each (the first in the file) become
personal samples and the rest are the test digits, all replayed by
``../shared/bench/replay.py`` as a terminal reports a mouse drag.  The model
has never seen that writer: each collection's writers are split into 5 folds
(grouped by writer, as ``every_hand.py``), and a fold's model is the default
recipe trained on all scans and every shipped pen writer outside the fold, as
the shipped model is.  "before" is that recipe alone, "after" is it adapted to
the 100 personal samples as the app and ``tuipad train --personal`` do
(``tuipad.core.adaptation.adapt``: its SVC refitted on its own support vectors
plus the samples' renderings), both scored on the same test digits; with
``--full``, "full" is the whole recipe refitted with the samples
(``tuipad.core.personal.train_personal``, about a minute each) beside it.

    python benchmarks/writer_adaptation.py [--rows 12] [--mode cells] [--jobs 2] [--full]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from _shared import read_collections, replay

PERSONAL_PER_DIGIT = 10
"""Personal samples of each digit a writer gives."""

MIN_PER_DIGIT = 12
"""A writer needs this many of every digit to take part."""

FOLDS = 5
"""Folds of each collection's writers; a fold's model has seen none of them."""


def eligible_writers(items: list[dict]) -> set[str]:
    """Writers with at least :data:`MIN_PER_DIGIT` of every digit."""
    counts: defaultdict[str, Counter[int]] = defaultdict(Counter)
    for item in items:
        counts[item["writer"]][item["label"]] += 1
    return {w for w, c in counts.items() if all(c[d] >= MIN_PER_DIGIT for d in range(10))}


def personal_and_test(items: list[dict], writer: str) -> tuple[list[dict], list[dict]]:
    """A writer's first :data:`PERSONAL_PER_DIGIT` of each digit, and the rest."""
    taken: Counter[int] = Counter()
    personal, test = [], []
    for item in (item for item in items if item["writer"] == writer):
        if taken[item["label"]] < PERSONAL_PER_DIGIT:
            taken[item["label"]] += 1
            personal.append(item)
        else:
            test.append(item)
    return personal, test


def run_fold(
    collection: str, fold: int, rows: float, mode: str, cache: str, full: bool
) -> list[dict]:
    """Fit the default recipe without one fold's writers and adapt it to each of them."""
    from sklearn.model_selection import GroupKFold

    from tuipad.core import datasets
    from tuipad.core.training import fit_recipe as fit
    from tuipad.store.rendering_cache import default_rows

    items = read_collections()[collection]
    writers = np.array([item["writer"] for item in items])
    _, test = list(GroupKFold(FOLDS).split(writers, groups=writers))[fold]
    held_out = sorted(set(writers[test]))
    taking_part = sorted(set(held_out) & eligible_writers(items))
    if not taking_part:
        return []
    pen = datasets.load_pen_digits()
    X, y = datasets.load_scans()
    pen_indices = np.flatnonzero(~np.isin(pen.writers, held_out))  # by id, as every_hand.py
    base = default_rows(X, y, pen_indices=pen_indices, cache=Path(cache))
    before = fit("default", base)
    return [
        {"collection": collection, **adapt_writer(before, base, items, w, rows, mode, full)}
        for w in taking_part
    ]


def adapt_writer(
    before: Any, base: Any, items: list[dict], writer: str, rows: float, mode: str, full: bool
) -> dict:
    """One writer's accuracy before and after adapting ``before`` to their samples."""
    from tuipad.core import adaptation, personal
    from tuipad.core.recognise import recognise_many
    from tuipad.core.to_arrays import predictor

    personal_items, test_items = personal_and_test(items, writer)
    drawn = replay(personal_items, rows, mode)
    tests = [d["strokes"] for d in replay(test_items, rows, mode)]
    truth = np.array([item["label"] for item in test_items])

    def accuracy(model) -> float:
        return float((recognise_many(predictor(model), tests)[0] == truth).mean())

    samples = ([d["label"] for d in drawn], [d["strokes"] for d in drawn])
    start = time.perf_counter()
    adapted = adaptation.adapt(before, *samples, evaluate=False)
    result = {
        "writer": writer,
        "personal": len(drawn),
        "test": len(tests),
        "before": accuracy(before),
        "after": accuracy(adapted.estimator),
        "adapt_s": time.perf_counter() - start,
    }
    if full:
        refitted = personal.train_personal(*samples, base, evaluate=False, n_jobs=1)
        result["full"] = accuracy(refitted.estimator)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=12)
    parser.add_argument("--mode", choices=("cells", "pixels"), default="cells")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="also refit the whole recipe")
    parser.add_argument("--cache", help="directory to keep the folds' rendered rows in")
    args = parser.parse_args()

    from tuipad.core import adaptation, personal

    tasks = [(c, fold) for c in read_collections() for fold in range(FOLDS)]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as temporary, ProcessPoolExecutor(args.jobs) as pool:
        cache = args.cache or temporary
        n = len(tasks)
        results = [
            r
            for fold in pool.map(
                run_fold,
                *zip(*tasks, strict=True),
                [args.rows] * n,
                [args.mode] * n,
                [cache] * n,
                [args.full] * n,
            )
            for r in fold
        ]
    order = list(read_collections())
    results.sort(key=lambda r: (order.index(r["collection"]), r["writer"]))
    print(
        f"writer adaptation, {args.rows:g} rows ({args.mode}), {len(results)} writers with"
        f" >= {MIN_PER_DIGIT} of each digit; {PERSONAL_PER_DIGIT} of each digit personal,"
        f" the rest tested; adapted with {adaptation.ADAPT_COPIES} renderings per sample,"
        f" weight {personal.PERSONAL_WEIGHT:g}"
    )
    columns = ["before", "after"] + (["full"] if args.full else [])
    print(
        f"{'writer':<22} {'personal':>8} {'test':>5} "
        + " ".join(f"{c:>7}" for c in columns)
        + f" {'adapt_s':>7}"
    )
    for r in results:
        figures = " ".join(f"{r[c]:7.4f}" for c in columns)
        print(f"{r['writer']:<22} {r['personal']:>8} {r['test']:>5} {figures} {r['adapt_s']:7.1f}")
    groups = {c: [r for r in results if r["collection"] == c] for c in read_collections()}
    for name, group in [*groups.items(), ("all", results)]:
        if not group:
            continue
        print(f"{name} ({len(group)} writers):")
        for c in columns:
            values = np.array([r[c] for r in group])
            summary = f"mean {values.mean():.4f}, median {np.median(values):.4f}"
            print(f"  {c}: {summary}, lowest {values.min():.4f}")
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
