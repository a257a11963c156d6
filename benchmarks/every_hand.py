"""Every hand: the default recipe on writers it never saw, and how far its scores can be trusted.

Two kinds of evaluation, each on digits replayed by ``../shared/bench/replay.py``
as a terminal reports a mouse drag, of the two collections tuipad ships (the
shared UNIPEN and pendigits digits):

* **Grouped by writer**: K folds of all their writers, each writer in exactly
  one fold.  Each fold trains the default recipe (all scans and the pen digits
  of every other writer) and recognises its held-out writers; the figures pool
  the K folds, so every writer is scored once, and are given per collection.
* **Across sources**: the default recipe trained without any writer of one
  collection, recognising all of that collection.
* **By contributor** (``--contributors``): UNIPEN's writers came through
  contributors, institutions in several countries, and tuipad is judged on
  UNIPEN's other contributors.  The default recipe is trained without every
  writer of one contributor in turn (those with fewer than
  ``CONTRIBUTOR_DIGITS`` digits held out together) and recognises them.

For each it prints the accuracy (pooled, the median writer, the 10th
percentile of writers and the mean of the worst tenth of writers: writers with
at least ``--min-writer-digits`` digits, counted in the ``writers`` column), the
expected calibration error (10 equal-width bins of the top score), the area
under the ROC curve of the top score for right against wrong answers, the
median top score of the wrong answers and the share of them shown at over 90%.

    python benchmarks/every_hand.py [--folds 5] [--settings 12:cells 8:cells 12:pixels | all]
                                    [--contributors] [--min-writer-digits 20] [--jobs 2]
                                    [--markdown]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from _shared import ANYWHERE, SETTINGS, read_collections, replay

CONTRIBUTOR_DIGITS = 1000
"""UNIPEN contributors with fewer digits are held out together, as one fold."""

Setting = tuple[int, str]
"""(rows, mode) of a replay: digit height in rows, and ``cells`` or ``pixels`` (with
``-anywhere``, each digit starting anywhere in a cell)."""


def fit_default_without(writers: set[str], seed: int) -> Any:
    """The default recipe trained on all scans and every shipped pen writer but ``writers``.

    Writers are left out by id rather than by position, so this stays honest
    whichever pen digits the package ships.
    """
    from tuipad.core import datasets
    from tuipad.core.rows import recipe_data
    from tuipad.core.training import fit_recipe

    pen = datasets.load_pen_digits()
    pen_indices = np.flatnonzero(~np.isin(pen.writers, sorted(writers)))
    X, y = datasets.load_scans()
    data = recipe_data("default", X, y, pen_indices=pen_indices, seed=seed)
    return fit_recipe("default", data)


def recognise_replayed(
    estimator: Any, items: list[dict], settings: list[Setting]
) -> dict[Setting, np.ndarray]:
    """The ``(n, 10)`` scores of ``items`` replayed at each setting, one model call each."""
    from tuipad.core.recognise import recognise_many
    from tuipad.core.to_arrays import predictor

    model = predictor(estimator)  # the arrays the sketchpad recognises with
    scores = {}
    for rows, mode in settings:
        drawings = replay(items, rows, mode)
        scores[(rows, mode)] = recognise_many(model, [d["strokes"] for d in drawings])[1]
    return scores


def run_writer_fold(
    fold: int, n_folds: int, settings: list[Setting]
) -> tuple[np.ndarray, dict[Setting, np.ndarray]]:
    """Train without one fold's writers (of both collections) and recognise their digits.

    Returns:
        ``(indices of the held-out digits in the joined collections, their
        scores at each setting)``.
    """
    from sklearn.model_selection import GroupKFold

    items = [item for group in read_collections().values() for item in group]
    writers = np.array([item["writer"] for item in items])
    _, test = list(GroupKFold(n_folds).split(writers, groups=writers))[fold]
    estimator = fit_default_without(set(writers[test]), seed=fold)
    return test, recognise_replayed(estimator, [items[i] for i in test], settings)


def run_across(collection: str, settings: list[Setting]) -> dict[Setting, np.ndarray]:
    """Train without any writer of one collection and recognise all of it."""
    items = read_collections()[collection]
    estimator = fit_default_without({item["writer"] for item in items}, seed=0)
    return recognise_replayed(estimator, items, settings)


def contributor_folds(items: list[dict]) -> dict[str, np.ndarray]:
    """Indices of each contributor's digits, the small ones together (named ``a+b+…``)."""
    contributors = np.array([item["contributor"] for item in items])
    names, counts = np.unique(contributors, return_counts=True)
    small = names[counts < CONTRIBUTOR_DIGITS]
    folds = {str(name): np.flatnonzero(contributors == name) for name in names if name not in small}
    if len(small):
        folds["+".join(small)] = np.flatnonzero(np.isin(contributors, small))
    return folds


def run_contributor(
    collection: str, test: np.ndarray, settings: list[Setting]
) -> dict[Setting, np.ndarray]:
    """Train without every writer of ``test`` (one contributor's digits) and recognise them."""
    digits = read_collections()[collection]
    items = [digits[i] for i in test]
    estimator = fit_default_without({item["writer"] for item in items}, seed=0)
    return recognise_replayed(estimator, items, settings)


def expected_calibration_error(top: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Mean gap between the top score and the accuracy, over equal-width score bins."""
    which = np.minimum((top * bins).astype(int), bins - 1)
    gaps = [
        (which == b).mean() * abs(right[which == b].mean() - top[which == b].mean())
        for b in range(bins)
        if (which == b).any()
    ]
    return float(sum(gaps))


def figures(
    labels: np.ndarray, writers: np.ndarray, scores: np.ndarray, min_writer_digits: int
) -> dict[str, float]:
    """Accuracy, per-writer spread and how well the top score tells right from wrong.

    Writers with fewer than ``min_writer_digits`` digits count in the pooled
    figures but not in the per-writer ones, where one digit would be 0% or 100%.
    """
    from sklearn.metrics import roc_auc_score

    top = scores.max(axis=1)
    right = scores.argmax(axis=1) == labels
    names, counts = np.unique(writers, return_counts=True)
    counted = names[counts >= min_writer_digits]
    per_writer = np.sort([right[writers == w].mean() for w in counted])
    worst_tenth = per_writer[: max(1, math.ceil(len(per_writer) / 10))]
    wrong_top = top[~right]
    return {
        "digits": len(labels),
        "writers": len(per_writer),
        "accuracy": right.mean(),
        "median writer": np.median(per_writer),
        "writer p10": np.percentile(per_writer, 10),
        "worst 10% mean": worst_tenth.mean(),
        "ECE": expected_calibration_error(top, right),
        "AUC right/wrong": roc_auc_score(right, top) if 0 < right.sum() < len(right) else np.nan,
        "wrong median top": np.median(wrong_top) if len(wrong_top) else np.nan,
        "wrong over 90%": (wrong_top > 0.9).mean() if len(wrong_top) else np.nan,
    }


def evaluate(
    args: argparse.Namespace,
) -> tuple[list[tuple[str, Setting, dict[str, float]]], list[str]]:
    """Run the writer folds and the cross-source tests (in parallel) and score them.

    Returns:
        The table's rows, and a line for each contributor held out.
    """
    settings, n_folds, least = args.settings, args.folds, args.min_writer_digits
    collections = read_collections()
    by_contributor = contributor_folds(collections["UNIPEN"]) if args.contributors else {}
    with ProcessPoolExecutor(args.jobs) as pool:
        across = {name: pool.submit(run_across, name, settings) for name in collections}
        held_out = {
            name: pool.submit(run_contributor, "UNIPEN", test, settings)
            for name, test in by_contributor.items()
        }
        folds = list(
            pool.map(run_writer_fold, range(n_folds), [n_folds] * n_folds, [settings] * n_folds)
        )
        across_scores = {name: future.result() for name, future in across.items()}
        contributor_scores = {name: future.result() for name, future in held_out.items()}
    items = [item for group in collections.values() for item in group]
    labels = np.array([item["label"] for item in items])
    writers = np.array([item["writer"] for item in items])
    sources = np.repeat(list(collections), [len(group) for group in collections.values()])
    order = np.concatenate([test for test, _ in folds])
    rows, notes = [], []
    for name in collections:
        mine = sources[order] == name
        for setting in settings:
            scores = np.concatenate([fold_scores[setting] for _, fold_scores in folds])[mine]
            found = figures(labels[order][mine], writers[order][mine], scores, least)
            rows.append((f"{name}, {n_folds} folds by writer", setting, found))
    for name in collections:
        mine = sources == name
        for setting in settings:
            found = figures(labels[mine], writers[mine], across_scores[name][setting], least)
            rows.append((f"{name}, never trained on", setting, found))
    if by_contributor:
        found_rows, notes = contributor_rows(
            collections["UNIPEN"], by_contributor, contributor_scores, settings, least
        )
        rows += found_rows
    return rows, notes


def contributor_rows(
    unipen: list[dict],
    by_contributor: dict[str, np.ndarray],
    scores: dict[str, dict[Setting, np.ndarray]],
    settings: list[Setting],
    least: int,
) -> tuple[list[tuple[str, Setting, dict[str, float]]], list[str]]:
    """The table's rows for UNIPEN's contributors held out in turn, and a line for each."""
    order = np.concatenate(list(by_contributor.values()))
    truth = np.array([unipen[i]["label"] for i in order])
    hands = np.array([unipen[i]["writer"] for i in order])
    contributors = len({unipen[i]["contributor"] for i in order})
    name = f"UNIPEN, {contributors} contributors held out in {len(by_contributor)} turns"
    rows = [
        (name, s, figures(truth, hands, np.concatenate([f[s] for f in scores.values()]), least))
        for s in settings
    ]
    notes = []
    for held, test in by_contributor.items():
        truth = np.array([unipen[i]["label"] for i in test])
        read = [f"{(scores[held][s].argmax(axis=1) == truth).mean():.4f}" for s in settings]
        notes.append(f"UNIPEN {held}, {len(test)} digits, never trained on: {', '.join(read)}")
    return rows, notes


def print_table(rows: list[tuple[str, Setting, dict[str, float]]], markdown: bool) -> None:
    """One line per (evaluation, setting): plain aligned columns, or a Markdown table."""
    names = list(rows[0][2])
    header = ["evaluation", "replay", *names]
    lines = [
        [name, f"{setting[0]} rows {setting[1]}", *(format_figure(k, f[k]) for k in names)]
        for name, setting, f in rows
    ]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] * 2 + ["---:"] * len(names)) + "|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    for line in [header, *lines]:
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells))


def format_figure(name: str, value: float) -> str:
    """Counts as integers, everything else to four places."""
    return str(int(value)) if name in ("digits", "writers") else f"{value:.4f}"


def parse_setting(text: str) -> list[Setting]:
    """``12:cells`` to ``[(12, "cells")]``; ``all`` to every setting the issues ask for;
    ``anywhere`` to whole cells at 12 and 8 rows with each digit starting anywhere in a cell."""
    if text == "all":
        return list(SETTINGS)
    if text == "anywhere":
        return [(12, "cells" + ANYWHERE), (8, "cells" + ANYWHERE)]
    rows, _, mode = text.partition(":")
    if mode.removesuffix(ANYWHERE) not in ("cells", "pixels") or not rows.isdigit():
        raise argparse.ArgumentTypeError(
            f"expected ROWS:cells, ROWS:pixels (either with {ANYWHERE}), all or anywhere,"
            f" not {text!r}"
        )
    return [(int(rows), mode)]


def split_arguments(description: str, jobs_help: str) -> argparse.ArgumentParser:
    """A parser of the options every benchmark on these writer splits takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--folds", type=int, default=5, help="writer-grouped folds")
    parser.add_argument(
        "--settings",
        nargs="+",
        type=parse_setting,
        default=[[(12, "cells")]],
        help="replays to score: ROWS:cells, ROWS:pixels, either with -anywhere (each digit"
        " starting anywhere in a cell, not on its edge as replay.py puts it), all, or anywhere"
        " (default 12:cells)",
    )
    parser.add_argument(
        "--min-writer-digits",
        type=int,
        default=20,
        help="leave writers with fewer digits out of the per-writer figures (default 20)",
    )
    parser.add_argument("--jobs", type=int, default=2, help=jobs_help)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    return parser


def parsed(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The command line, its settings flattened into one list without repeats."""
    args = parser.parse_args()
    args.settings = list(dict.fromkeys(s for group in args.settings for s in group))
    return args


def main() -> None:
    parser = split_arguments(__doc__.split("\n\n")[0], "models trained at once")
    parser.add_argument(
        "--contributors",
        action="store_true",
        help="also train without each UNIPEN contributor in turn and recognise its writers",
    )
    args = parsed(parser)
    start = time.perf_counter()
    rows, notes = evaluate(args)
    print_table(rows, args.markdown)
    if notes:
        replays = ", ".join(f"{height} rows {mode}" for height, mode in args.settings)
        print(f"\nAccuracy of each contributor held out ({replays}):")
        print("\n".join(notes))
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
