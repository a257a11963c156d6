"""Pen paths: what a second model, reading the order and direction of the strokes, adds.

The 8×8 grid keeps where the ink is and throws away how it was drawn; the
errors left on writers never seen are whole styles whose grids look like
another digit's (a 1 with a long up-stroke, a 2 with a loop at its base).
This measures a second SVC that reads the pen's path instead, alone and
combined with the shipped grid model, on the same writer splits as
``every_hand.py`` (so its "grid" rows are that benchmark's figures):

* the path: :func:`tuipad.core.pen_path.path_features` of the strokes the
  recognition path reads (stray marks left out);
* the model: tuipad's pairwise-calibrated RBF SVC, fitted on the training
  writers' pen digits, each replayed ``COPIES`` times as a terminal reports
  it (8 to 14 rows, anywhere in a cell, in cells or pixels), all copies but
  the first turned, sheared and scaled a little;
* combined: the geometric mean of the two models' scores, normalised.

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
    parsed,
    print_table,
    run_across,
    run_writer_fold,
    split_arguments,
)

from tuipad.core.pen_path import path_features

COPIES = 2
"""Replays of each training pen digit."""

C = 10.0
"""The path SVC's regularisation (its γ is scikit-learn's ``"scale"``)."""


def distorted(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """A tablet trajectory turned, sheared and scaled a little at random."""
    angle, shear = rng.normal(0, 0.16), rng.normal(0, 0.24)
    scale = np.exp(rng.normal(0, 0.16, 2))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = turn @ np.array([[1, shear], [0, 1]]) @ np.diag(scale)
    return [stroke @ matrix.T for stroke in strokes]


def training_rows(items: list[dict], seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X, y, writers)`` of the pen digits' replays, as a terminal reports them."""
    from tuipad.core.pen_rendering import replay as replay_at

    rng = np.random.default_rng(seed)
    X, y, groups = [], [], []
    for item in items:
        strokes = [np.asarray(stroke, dtype=float) for stroke in item["strokes"]]
        for copy in range(COPIES):
            drawn = distorted(strokes, rng) if copy else strokes
            rows, (dx, dy) = rng.uniform(8, 14), rng.uniform(0, 1, 2)
            mode = "cells" if rng.random() < 0.6 else "pixels"
            X.append(path_features(replay_at(drawn, rows=rows, mode=mode, left=4 + dx, top=2 + dy)))
            y.append(item["label"])
            groups.append(item["writer"])
    return np.array(X), np.array(y), np.array(groups)


def fit_path_model(items: list[dict], seed: int) -> Any:
    """The path SVC fitted on ``items``' replays, calibrated on folds of whole writers."""
    from tuipad.core.calibration import PathCalibratedSVC

    X, y, groups = training_rows(items, seed)
    return PathCalibratedSVC(C=C, gamma="scale", folds=3, n_jobs=1).fit(X, y, groups=groups)


def path_scores(
    model: Any, items: list[dict], settings: list[Setting]
) -> dict[Setting, np.ndarray]:
    """The ``(n, 10)`` scores of ``items`` replayed at each setting, from their paths."""
    from tuipad.core.recognise import read_strokes

    scores = {}
    for rows, mode in settings:
        drawings = replay(items, rows, mode)
        X = np.array([path_features(read_strokes(d["strokes"])[0]) for d in drawings])
        scores[(rows, mode)] = model.predict_proba(X)
    return scores


def both(grid: np.ndarray, path: np.ndarray) -> np.ndarray:
    """The geometric mean of two models' scores, normalised."""
    log = (np.log(np.clip(grid, 1e-12, 1)) + np.log(np.clip(path, 1e-12, 1))) / 2
    score = np.exp(log - log.max(axis=1, keepdims=True))
    return score / score.sum(axis=1, keepdims=True)


def without(items: list[dict], writers: set[str]) -> list[dict]:
    """``items`` but those of ``writers``."""
    return [item for item in items if item["writer"] not in writers]


def run_fold(fold: int, n_folds: int, settings: list[Setting]) -> tuple[np.ndarray, dict, dict]:
    """One writer fold: its held-out digits' indices, grid scores and path scores."""
    items = [item for group in read_collections().values() for item in group]
    test, grid = run_writer_fold(fold, n_folds, settings)
    model = fit_path_model(without(items, {items[i]["writer"] for i in test}), seed=fold)
    return test, grid, path_scores(model, [items[i] for i in test], settings)


def run_unseen(collection: str, settings: list[Setting]) -> tuple[dict, dict]:
    """One collection never trained on: its grid scores and path scores."""
    collections = read_collections()
    others = [item for name, group in collections.items() if name != collection for item in group]
    model = fit_path_model(others, seed=0)
    grid = run_across(collection, settings)
    return grid, path_scores(model, collections[collection], settings)


def evaluate(args: argparse.Namespace) -> list[tuple[str, Setting, dict[str, float]]]:
    """The table's rows: grid, path and both, for each evaluation and setting."""
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
    order = np.concatenate([test for test, _, _ in folds])
    rows = []
    for name in collections:
        mine = sources[order] == name
        for setting in settings:
            grid = np.concatenate([g[setting] for _, g, _ in folds])[mine]
            path = np.concatenate([p[setting] for _, _, p in folds])[mine]
            truth, hands = labels[order][mine], writers[order][mine]
            rows += _rows(
                f"{name}, {n_folds} folds by writer", setting, truth, hands, grid, path, least
            )
    for name in collections:
        mine = sources == name
        for setting in settings:
            grid, path = (scores[setting] for scores in unseen_scores[name])
            rows += _rows(
                f"{name}, never trained on", setting, labels[mine], writers[mine], grid, path, least
            )
    return rows


def _rows(
    name: str,
    setting: Setting,
    truth: np.ndarray,
    hands: np.ndarray,
    grid: np.ndarray,
    path: np.ndarray,
    least: int,
) -> list[tuple[str, Setting, dict[str, float]]]:
    """The table's three rows of one evaluation and setting: grid, path and both."""
    return [
        (f"{name}: {model}", setting, figures(truth, hands, scores, least))
        for model, scores in (("grid", grid), ("path", path), ("both", both(grid, path)))
    ]


def main() -> None:
    args = parsed(split_arguments(__doc__.split("\n\n")[0], "splits run at once"))
    start = time.perf_counter()
    print_table(evaluate(args), args.markdown)
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
