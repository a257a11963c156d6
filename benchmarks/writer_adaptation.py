"""Writer adaptation: how much a hundred of your own digits help the default recipe.

For every writer of the shared pen digits with at least 12 samples of each
digit, 10 of each (the first in the file) become personal samples and the rest
are the test digits, all replayed by ``../shared/bench/replay.py`` as a
terminal reports a mouse drag.  The model has never seen that writer: its
default recipe uses all scans, the UNIPEN digits of the other writers (5 folds
grouped by writer, as ``every_hand.py``) and every UCI pendigits writer, as the
shipped model does.  "before" is that recipe alone,
"after" is it adapted to the 100 personal samples as the app and ``tuipad train
--personal`` do (``tuipad.core.adaptation.adapt``: its SVC refitted on its own
support vectors plus the samples' renderings), both scored on the same test
digits; with ``--full``, "full" is the whole recipe refitted with the samples
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

import numpy as np
from _shared import read_dev, replay

PERSONAL_PER_DIGIT = 10
"""Personal samples of each digit a writer gives."""

MIN_PER_DIGIT = 12
"""A writer needs this many of every digit to take part."""


def every_hand_indices(unipen_train: np.ndarray, items: list[dict]) -> np.ndarray:
    """The shipped pen digits of the base model: UNIPEN's training writers and every
    UCI pendigits writer (the shipped UNIPEN digits are ``items``, in order, then pendigits)."""
    from tuipad.core import datasets

    pen = datasets.load_pen_digits()
    unipen = len(items)
    shipped = [str(w) for w in pen.writers[:unipen]]
    if shipped != [item["writer"] for item in items]:
        raise SystemExit("the shipped UNIPEN digits are not the shared ones in order")
    return np.concatenate([unipen_train, np.arange(unipen, len(pen))])


def run_writer(writer: str, rows: float, mode: str, cache: str, full: bool) -> dict:
    from sklearn.model_selection import GroupKFold

    from tuipad.core import adaptation, datasets, personal
    from tuipad.core.recognise import recognise_many
    from tuipad.core.to_arrays import predictor
    from tuipad.core.training import fit_recipe as fit
    from tuipad.store.rendering_cache import default_rows

    items = read_dev()
    writers = np.array([item["writer"] for item in items])
    labels = np.array([item["label"] for item in items])
    fold = next(
        (train, test)
        for train, test in GroupKFold(5).split(labels, labels, writers)
        if writer in set(writers[test])
    )
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
    tests = [d["strokes"] for d in replay([items[i] for i in test_rows], rows, mode)]
    truth = labels[test_rows]

    def accuracy(model) -> float:
        return float((recognise_many(predictor(model), tests)[0] == truth).mean())

    X, y = datasets.load_scans()
    base = default_rows(X, y, pen_indices=every_hand_indices(fold[0], items), cache=Path(cache))
    before = fit("default", base)
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
                run_writer, writers, [args.rows] * n, [args.mode] * n, [cache] * n, [args.full] * n
            )
        )
    print(
        f"writer adaptation, {args.rows:g} rows ({args.mode}), {n} writers with"
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
    for c in columns:
        values = np.array([r[c] for r in results])
        summary = f"mean {values.mean():.4f}, median {np.median(values):.4f}"
        print(f"{c}: {summary}, lowest {values.min():.4f}")
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
