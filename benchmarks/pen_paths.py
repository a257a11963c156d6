"""Pen paths: what each part of the default model gives, alone and together, on writers never seen.

The default model has two parts (:class:`tuipad.core.grid_path.GridPathSVC`):
a grid SVC, reading the 8×8 grid of where the ink is, and a path SVC, reading
the order and direction of the strokes
(:func:`tuipad.core.pen_path.path_features`).  This is an ablation of it on
the same writer splits as ``every_hand.py`` (K folds by writer over both
collections, and each collection never trained on): each split trains the
default recipe once, replays its held-out digits at each setting as that
benchmark does, and scores them three ways from the same fitted model's
arrays (:class:`tuipad.core.model_arrays.GridPathArrays`):

* **grid**: the grid part alone, on the rows' 64 grid columns;
* **path**: the path part alone, on their path columns;
* **both**: the two scored together, what tuipad shows (so its figures are
  ``every_hand.py``'s).

For each it prints ``every_hand.py``'s figures: the accuracy, the median
writer, the mean of the worst tenth of writers, the expected calibration
error, the AUC of the top score for right against wrong answers and the
median top score of the wrong answers (``--markdown``: the accuracy, worst
tenth, AUC and wrong median top of each).

    python benchmarks/pen_paths.py [--folds 5] [--settings 12:cells 8:cells 12:pixels | all]
                                   [--jobs 2] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from _shared import read_collections, replay
from every_hand import (
    Setting,
    figures,
    fit_default_without,
    parsed,
    print_table,
    split_arguments,
)

PARTS = ("grid", "path", "both")
"""The ways each digit is scored: each part of the default model alone, and both."""

FIGURES = {
    "accuracy": "accuracy",
    "median writer": "median writer",
    "worst 10% mean": "worst 10% mean",
    "ECE": "ECE",
    "AUC right/wrong": "AUC",
    "wrong median top": "wrong median top",
}
"""``every_hand.figures``' names printed for each part, and their columns' names."""

MARKDOWN = ("accuracy", "worst 10% mean", "AUC right/wrong", "wrong median top")
"""The figures of each part in the Markdown table."""

Scores = dict[Setting, dict[str, np.ndarray]]
"""The ``(n, 10)`` scores of some digits, by replay setting and part."""


def part_scores(arrays: Any, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The ``(n, 10)`` scores of ``rows`` (grids, then paths) from each part and from both."""
    from tuipad.core.drawing_rows import GRID_COLUMNS

    found = {
        "grid": arrays.grid.predict_proba(rows[:, :GRID_COLUMNS]),
        "path": arrays.path.predict_proba(rows[:, GRID_COLUMNS:]),
        "both": arrays.predict_proba(rows),
    }
    classes = np.asarray(arrays.classes_, dtype=int)
    scores = {part: np.zeros((len(rows), 10)) for part in PARTS}
    for part, proba in found.items():
        scores[part][:, classes] = proba
    return scores


def recognise_parts(estimator: Any, items: list[dict], settings: list[Setting]) -> Scores:
    """``items`` replayed at each setting, read as the sketchpad reads them, scored each way."""
    from tuipad.core.model_arrays import GridPathArrays
    from tuipad.core.recognise import model_rows, read_strokes
    from tuipad.core.to_arrays import predictor

    arrays = predictor(estimator)
    if not isinstance(arrays, GridPathArrays):
        raise TypeError(f"the default model should read grids and paths, not {type(arrays)}")
    scores = {}
    for rows, mode in settings:
        drawings = replay(items, rows, mode)
        read = model_rows(arrays, [read_strokes(d["strokes"])[0] for d in drawings])
        scores[(rows, mode)] = part_scores(arrays, read)
    return scores


def run_fold(fold: int, n_folds: int, settings: list[Setting]) -> tuple[np.ndarray, Scores]:
    """``every_hand.run_writer_fold``, scored each way: held-out digits' indices, their scores."""
    from sklearn.model_selection import GroupKFold

    items = [item for group in read_collections().values() for item in group]
    writers = np.array([item["writer"] for item in items])
    _, test = list(GroupKFold(n_folds).split(writers, groups=writers))[fold]
    estimator = fit_default_without(set(writers[test]), seed=fold)
    return test, recognise_parts(estimator, [items[i] for i in test], settings)


def run_unseen(collection: str, settings: list[Setting]) -> Scores:
    """``every_hand.run_across``, scored each way: one collection never trained on."""
    items = read_collections()[collection]
    estimator = fit_default_without({item["writer"] for item in items}, seed=0)
    return recognise_parts(estimator, items, settings)


def evaluate(args: argparse.Namespace) -> list[tuple[str, Setting, dict[str, float]]]:
    """The table's rows: each evaluation and setting, with each part's figures."""
    settings, n_folds, least = args.settings, args.folds, args.min_writer_digits
    collections = read_collections()
    with ProcessPoolExecutor(args.jobs) as pool:
        unseen = {name: pool.submit(run_unseen, name, settings) for name in collections}
        folds = list(pool.map(run_fold, range(n_folds), [n_folds] * n_folds, [settings] * n_folds))
        unseen_scores = {name: future.result() for name, future in unseen.items()}
    items = [item for group in collections.values() for item in group]
    labels = np.array([item["label"] for item in items])
    writers = np.array([item["writer"] for item in items])
    sources = np.repeat(list(collections), [len(group) for group in collections.values()])
    order = np.concatenate([test for test, _ in folds])
    rows = []
    for name in collections:
        mine = sources[order] == name
        for setting in settings:
            scores = {
                part: np.concatenate([fold[setting][part] for _, fold in folds])[mine]
                for part in PARTS
            }
            found = row_figures(labels[order][mine], writers[order][mine], scores, least)
            rows.append((f"{name}, {n_folds} folds by writer", setting, found))
    for name in collections:
        mine = sources == name
        for setting in settings:
            scores = unseen_scores[name][setting]
            found = row_figures(labels[mine], writers[mine], scores, least)
            rows.append((f"{name}, never trained on", setting, found))
    return rows


def row_figures(
    labels: np.ndarray, writers: np.ndarray, scores: dict[str, np.ndarray], least: int
) -> dict[str, float]:
    """One row's figures: its digits and writers, then each part's, named ``part figure``."""
    row: dict[str, float] = {}
    for part in PARTS:
        found = figures(labels, writers, scores[part], least)
        row |= {"digits": found["digits"], "writers": found["writers"]}
        row |= {f"{part} {column}": found[name] for name, column in FIGURES.items()}
    return row


def markdown_only(
    rows: list[tuple[str, Setting, dict[str, float]]],
) -> list[tuple[str, Setting, dict[str, float]]]:
    """The rows with only the figures the Markdown table shows."""
    kept = [f"{part} {FIGURES[name]}" for part in PARTS for name in MARKDOWN]
    return [(name, setting, {k: found[k] for k in kept}) for name, setting, found in rows]


def main() -> None:
    args = parsed(split_arguments(__doc__.split("\n\n")[0], "models trained at once"))
    start = time.perf_counter()
    rows = evaluate(args)
    print_table(markdown_only(rows) if args.markdown else rows, args.markdown)
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
