"""``tuipad eval FILE [--personal PFILE]``: measure a model on labelled drawings.

Without ``--personal`` the active model is scored; ``--json`` then also
gives the ten scores of every drawing, in input order, so anyone can measure
calibration.  With it, the default
recipe is first adapted in memory to PFILE's drawings and that model is
scored, leaving the user's sample store and active model alone: that is how
writer adaptation is measured.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tuipad.cli.output import UsageError, load_active_model, progress
from tuipad.cli.report_tables import print_evaluation
from tuipad.core.wording import counted


def register(subparsers: Any) -> None:
    """Add the ``eval`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "eval",
        help="measure the model on labelled drawings",
        description="Measure the active model on labelled drawings: a JSON-lines file, one "
        '{"label": N, "strokes": [...]} a line, as tuipad samples export writes it (- reads '
        "standard input; gzip is read too). Prints the accuracy, the recall of each "
        "digit and the confusion matrix.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--personal",
        metavar="FILE",
        help="first adapt the shipped model to the labelled drawings in FILE (your store "
        "and active model are left alone)",
    )
    parser.set_defaults(handler=run)


def read_labelled(path: str) -> tuple[list[int], list[Any]]:
    """Read a JSON-lines file of labelled drawings (``-`` reads stdin; gzip is accepted).

    Raises:
        UsageError: A missing or unreadable file, a bad line (named by
            number), or no drawings at all.
    """
    from tuipad.store import formats

    try:
        return formats.read_labelled(path)
    except (OSError, ValueError) as error:
        raise UsageError(formats.describe_read_error(path, error)) from None


def run(args: argparse.Namespace) -> int:
    """Score the active model (or an adapted one, with ``--personal``) on FILE.

    Returns:
        The exit status.

    Raises:
        UsageError: A missing file or a bad line.
    """
    if args.personal is not None:
        return run_personal(args)
    labels, drawings = read_labelled(args.file)
    from tuipad import services

    model = load_active_model()
    result, predicted, scores = services.evaluate_drawings(model, labels, drawings, progress)
    if args.json:
        print(evaluation_json({"model": model.name}, result, predicted, scores))
        return 0
    from tuipad.store.formats import shown_path

    title = f"{model.name} on {counted(result.n, 'drawing')} from {shown_path(args.file)}"
    print_evaluation(title, result, items="drawing")
    return 0


def evaluation_json(which: dict[str, Any], result: Any, predicted: Any, scores: Any) -> str:
    """``--json``'s object: ``which`` model (its fields first), the figures, and every
    drawing's answer and ten scores, in input order."""
    return json.dumps(
        {
            **which,
            "n": result.n,
            "accuracy": result.accuracy,
            "recall": result.recall,
            "confusion_matrix": result.confusion,
            "predictions": predicted.tolist(),
            "scores": [[round(float(s), 6) for s in row] for row in scores],
        }
    )


def run_personal(args: argparse.Namespace) -> int:
    """``tuipad eval FILE --personal PFILE``: adapt in memory, score FILE.

    The user's sample store and active model are not touched; only the
    cache of rendered training rows in the user data directory may be written.

    Returns:
        The exit status.

    Raises:
        UsageError: A missing file or a bad line in either file.
    """
    from tuipad import services
    from tuipad.store.paths import Paths

    if args.file == args.personal == "-":
        raise UsageError("standard input (-) can be read once: give a file for FILE or --personal")
    labels, drawings = read_labelled(args.file)
    personal_labels, personal_drawings = read_labelled(args.personal)
    result, evaluation, predicted, scores = services.adapt_and_evaluate(
        Paths.default(),
        (personal_labels, personal_drawings),
        (labels, drawings),
        progress=progress,
    )
    if args.json:
        adapted = {
            "model": "default+personal",
            "personal": len(personal_labels),
            "train_seconds": round(result.seconds, 2),
        }
        print(evaluation_json(adapted, evaluation, predicted, scores))
        return 0
    from tuipad.store.formats import shown_path

    samples = counted(len(personal_labels), "sample")
    title = (
        f"default recipe + {samples} from {shown_path(args.personal)}"
        f" on {counted(evaluation.n, 'drawing')} from {shown_path(args.file)}"
    )
    print_evaluation(title, evaluation, items="drawing")
    return 0
