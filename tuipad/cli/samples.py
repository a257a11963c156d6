"""``tuipad samples`` and the personal side of ``tuipad eval`` / ``tuipad train``.

``samples list|export FILE|import FILE`` look after the user's own labelled
drawings (see :mod:`tuipad.store.samples`).  ``eval FILE --personal PFILE`` trains
the default recipe plus PFILE's drawings in memory and scores FILE, leaving
the user's store and active model alone: that is how writer adaptation is
measured.  ``train --personal`` trains on the store and makes the result the
active model.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tuipad.cli.main import UsageError, _progress, read_labelled


def register(subparsers: Any) -> None:
    """Add the ``samples`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "samples",
        help="list, export or import your own labelled drawings",
        description="Your personal samples (corrections and teach-mode drawings), kept in "
        "samples.sqlite3 in the user data directory. Export and import use the JSON-lines "
        'format of tuipad eval ({"label": N, "strokes": [...]} a line), so you can carry '
        "your handwriting to another machine. Without an action, list them.",
    )
    parser.add_argument("--json", action="store_true", help="list as JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the samples (the default)")
    export = actions.add_parser("export", help="write every sample to FILE as JSON lines")
    export.add_argument("file", metavar="FILE")
    bring = actions.add_parser(
        "import",
        help="add the samples in FILE (.gz accepted)",
        description="Add the labelled drawings in FILE. Each malformed line is reported and "
        "skipped; the others are added. Exit status 2 if no line was usable.",
    )
    bring.add_argument("file", metavar="FILE")
    parser.set_defaults(handler=run)


def _open_store() -> Any:
    from tuipad.store.samples import SampleStore, StoreError

    try:
        return SampleStore.open()
    except StoreError as error:
        raise UsageError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Run ``tuipad samples [list|export FILE|import FILE]``.

    Returns:
        The exit status.

    Raises:
        UsageError: An unusable store or file, or an import with no usable line.
    """
    from tuipad.store.samples import StoreError

    with _open_store() as store:
        try:
            if args.action == "export":
                count = store.export_jsonl(args.file)
                print(f"exported {count} samples to {args.file}")
                return 0
            if args.action == "import":
                return _import(store, args.file)
            return _list(store, as_json=args.json)
        except StoreError as error:
            raise UsageError(str(error)) from None


def _import(store: Any, path: str) -> int:
    result = store.import_jsonl(path)
    for number, message in result.errors:
        print(f"tuipad: {path}: line {number}: {message}", file=sys.stderr)
    skipped = f", {len(result.errors)} bad lines skipped" if result.errors else ""
    present = f", {result.duplicates} already present" if result.duplicates else ""
    if not result.imported and not result.duplicates:
        raise UsageError(f"{path}: no usable samples{skipped}")
    print(f"imported {result.imported} samples from {path}{present}{skipped}")
    return 0


def _list(store: Any, *, as_json: bool) -> int:
    samples = store.list()
    if as_json:
        rows = [
            {k: v for k, v in s.to_json().items() if k not in ("strokes", "scores")} | {"id": s.id}
            for s in samples
        ]
        print(json.dumps({"path": str(store.path), "samples": rows}))
        return 0
    counts = store.count_by_label()
    print(f"{len(samples)} samples in {store.path}")
    print("digit   " + " ".join(f"{d:>3}" for d in range(10)))
    print("samples " + " ".join(f"{counts[d]:>3}" for d in range(10)))
    if samples:
        print(f"{'id':>5}  label  {'saved (UTC)':<19}  {'source':<10}  model answered")
    for s in samples:
        answer = f"{s.predicted} ({s.answered_by})" if s.predicted is not None else ""
        saved = s.created[:19].replace("T", " ")
        print(f"{s.id:>5}  {s.label:>5}  {saved:<19}  {s.source:<10}  {answer}")
    return 0


# --------------------------------------------------------------------------- eval / train


def eval_personal(args: argparse.Namespace) -> int:
    """``tuipad eval FILE --personal PFILE``: adapt in memory, score FILE.

    The user's sample store and active model are not touched; only the
    cache of rendered training rows in the user data directory may be written.
    """
    from tuipad import services
    from tuipad.store.paths import Paths

    labels, drawings = read_labelled(args.file)
    personal_labels, personal_drawings = read_labelled(args.personal)
    result, evaluation, predicted = services.adapt_and_evaluate(
        Paths.default(),
        (personal_labels, personal_drawings),
        (labels, drawings),
        progress=_progress,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "model": "default+personal",
                    "personal": len(personal_labels),
                    "train_seconds": round(result.seconds, 2),
                    "n": evaluation.n,
                    "accuracy": evaluation.accuracy,
                    "recall": evaluation.recall,
                    "confusion_matrix": evaluation.confusion,
                    "predictions": predicted.tolist(),
                }
            )
        )
        return 0
    from tuipad.cli.main import _print_evaluation

    title = (
        f"default recipe + {len(personal_labels)} samples from {args.personal}"
        f" on {evaluation.n} drawings from {args.file}"
    )
    _print_evaluation(title, evaluation)
    return 0


def train_personal_command(args: argparse.Namespace) -> int:
    """``tuipad train --personal``: train on the store, save, make it active."""
    from tuipad import services
    from tuipad.store.paths import Paths
    from tuipad.store.samples import SampleStore, StoreError

    clashing = [
        option
        for option in ("model", "pen", "augment", "cv", "ship")
        if getattr(args, option, None)
    ]
    if getattr(args, "recipe", None) not in (None, "default") or clashing:
        raise UsageError(
            "--personal trains the default recipe plus your samples;"
            " it takes only --name and --json"
        )
    try:
        paths = Paths.default()
        with SampleStore.open(paths.samples) as store:
            result, manifest = services.retrain_personal(
                paths, store, name=getattr(args, "name", None), progress=_progress
            )
    except (StoreError, ValueError) as error:
        raise UsageError(str(error)) from None
    metrics = result.metrics
    if args.json:
        print(json.dumps({"recipe": "default+personal", "model": manifest.name, **metrics}))
        return 0

    def percent(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    print(f"trained {manifest.name} in {result.seconds:.1f} s; it is now the active model")
    print(f"  personal samples      {metrics['personal_samples']}")
    print(
        f"  held-back samples     {metrics['personal_held_back']}: before"
        f" {percent(metrics['personal_before'])}, after {percent(metrics['personal_accuracy'])}"
    )
    print(f"  load_digits test half {percent(metrics['test_accuracy'])}")
    return 0
