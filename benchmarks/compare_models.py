"""Compare model families and training data: the README's comparison table.

For each family (seed SVC, tuned SVC, k-NN, MLP) and each data set (scans only or
with the shipped pen digits; with or without augmentation) it measures:

* accuracy on the seed's split (train on the first half of load_digits, plus
  the pen digits / copies as the data says; test on the second half);
* 5-fold cross-validation accuracy on load_digits (same data per fold);
* writer-independent accuracy on the shared pen digits at 12 rows, whole cells
  (5 folds grouped by writer: a fold's model never saw its test writers);
* training time of the kept model (fitted on everything), its pickled size, and
  the median latency of one prediction through the recognition path.

The tuned SVC searches its grid once, on the seed split's training rows, and
reuses the chosen C and gamma for the other fits.  Pen renderings are made once
per data set and sliced by fold.

These families read the 8x8 grid alone, and so does every row here.  The
default family (``svc-default``, the shipped recipe's) also reads the pen's
path, so it is measured by ``benchmarks/every_hand.py`` and
``benchmarks/pen_paths.py``, not here: fitted on grids alone it would be
another model under its name, and the script refuses it.

    python benchmarks/compare_models.py [--jobs 2] [--families svc-seed,svc,knn,mlp]
        [--markdown]
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace

import numpy as np
from _shared import read_dev, replay

FAMILIES = ("svc-seed", "svc", "knn", "mlp")
READS_PATHS = "svc-default"
"""The family this script cannot measure: it reads the pen's path, these rows have none."""
DATA = ((False, False), (False, True), (True, False), (True, True))


def run_config(family: str, pen: bool, augment: bool, writer_folds: int = 5) -> dict:
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    from tuipad.core import datasets, families, pen_rendering
    from tuipad.core.families import TrainingSpec
    from tuipad.core.raster import to_digits8x8
    from tuipad.core.recognise import predict_grids, recognise
    from tuipad.core.to_arrays import predictor
    from tuipad.core.training import TrainingData, fit_spec

    spec = TrainingSpec(family, pen=pen, augment=augment)
    X, y = datasets.load_scans()
    pen_digits = datasets.load_pen_digits()
    copies = families.PEN_COPIES if augment else 1
    if pen:
        pen_X, pen_y, writers = pen_rendering.render_pen_digits(
            pen_digits, pen_rendering.Rendering(copies=copies), seed=0
        )
        _, writer_ids = np.unique(writers, return_inverse=True)
    owner = np.repeat(np.arange(len(pen_digits)), copies)

    def rows(scan_rows: np.ndarray, pen_rows: np.ndarray | None) -> TrainingData:
        parts_X, parts_y = [X[scan_rows]], [y[scan_rows]]
        groups = [np.arange(len(scan_rows))]
        if augment:
            aug_X, aug_y = datasets.augment_scans(X[scan_rows], y[scan_rows], copies=4)
            parts_X.append(aug_X)
            parts_y.append(aug_y)
            groups.append(np.repeat(np.arange(len(scan_rows)), 4))
        if pen:
            keep = np.isin(owner, pen_rows) if pen_rows is not None else np.ones(len(owner), bool)
            parts_X.append(pen_X[keep])
            parts_y.append(pen_y[keep])
            groups.append(len(scan_rows) + writer_ids[keep])
        return TrainingData(np.vstack(parts_X), np.concatenate(parts_y), (), np.concatenate(groups))

    half = len(y) // 2
    every = np.arange(len(y))
    estimator, params = fit_spec(spec, rows(every[:half], None))
    split = float((predict_grids(estimator, X[half:])[0] == y[half:]).mean())

    cv_right = 0
    folds = StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)
    for train_rows, test_rows in folds:
        estimator, _ = fit_spec(spec, rows(train_rows, None), params=params)
        cv_right += int((predict_grids(estimator, X[test_rows])[0] == y[test_rows]).sum())

    items = read_dev()
    drawings = replay(items, 12, "cells")
    labels = np.array([d["label"] for d in drawings])
    pen_grids = np.array([to_digits8x8(d["strokes"]).ravel() for d in drawings])
    pen_right = 0
    if pen:
        item_writers = np.array([item["writer"] for item in items])
        for train_pen, test_pen in GroupKFold(writer_folds).split(labels, labels, item_writers):
            estimator, _ = fit_spec(spec, rows(every, train_pen), params=params)
            predicted = predict_grids(estimator, pen_grids[test_pen])[0]
            pen_right += int((predicted == labels[test_pen]).sum())
    start = time.perf_counter()
    estimator, _ = fit_spec(spec, rows(every, None), params=params)
    train_seconds = time.perf_counter() - start
    if not pen:  # it never saw a pen writer: every writer is held out
        pen_right = int((predict_grids(estimator, pen_grids)[0] == labels).sum())
    size = len(gzip.compress(pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL), mtime=0))
    model = predictor(estimator)  # what the sketchpad recognises with
    latencies = []
    for drawing in drawings[:: max(1, len(drawings) // 200)]:
        begin = time.perf_counter()
        recognise(model, drawing["strokes"])
        latencies.append(time.perf_counter() - begin)
    return {
        "family": family,
        "data": replace(spec, cv=None).data_label.replace(", half split", ""),
        "split": split,
        "cv5": cv_right / len(y),
        "pen12": pen_right / len(labels),
        "train_s": train_seconds,
        "size_kib": size / 1024,
        "latency_ms": statistics.median(latencies) * 1e3,
        "params": params,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--writer-folds",
        type=int,
        default=5,
        help="folds grouped by writer for the pen accuracy of models trained with pen digits",
    )
    args = parser.parse_args()
    chosen = args.families.split(",")
    if READS_PATHS in chosen:
        sys.exit(
            f"compare_models.py: {READS_PATHS} reads the pen's path, which these grid rows lack;"
            " measure it with benchmarks/every_hand.py and benchmarks/pen_paths.py"
        )
    configs = [(f, pen, aug) for f in chosen for pen, aug in DATA]
    header = (
        "| model | data | seed split | 5-fold CV | pen, 12 rows, by writer | train (s) |"
        " size (KiB) | predict (ms) |"
    )
    if args.markdown:
        print(f"writer folds for pen-trained models: {args.writer_folds}")
        print(header)
        print("|" + " --- |" * 8, flush=True)
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_config, *config, args.writer_folds) for config in configs]
        for future in as_completed(futures):
            report(future.result(), args.markdown)


def report(r: dict, markdown: bool) -> None:
    """Print one row of the table as soon as its configuration is measured."""
    name = r["family"] + (
        f" (C={r['params']['C']:g}, γ={r['params']['gamma']:g})" if r["params"] else ""
    )
    cells = [
        name,
        r["data"],
        f"{r['split']:.4f}",
        f"{r['cv5']:.4f}",
        f"{r['pen12']:.4f}",
        f"{r['train_s']:.1f}",
        f"{r['size_kib']:.0f}",
        f"{r['latency_ms']:.2f}",
    ]
    print(("| " + " | ".join(cells) + " |") if markdown else "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
