"""The ``tuipad`` command line: the app, and train / predict / eval.

Imports are kept inside the commands: ``tuipad predict`` must not pay for
Textual or rich, and nothing pays for scikit-learn before it needs a model.
Bad input exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2

COMMAND_MODULES: tuple[str, ...] = ("export",)
"""Modules under ``tuipad.commands`` that add subcommands: each has
``register(subparsers)``, which adds its parsers with ``set_defaults(handler=run)``
where ``run(args) -> int`` raises :class:`UsageError` on bad input."""


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tuipad",
        description="A terminal sketchpad that reads handwritten digits. "
        "Run without a command to open the sketchpad.",
    )
    parser.add_argument(
        "--scribble", action="store_true", help="open in scribble mode (write whole numbers)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a model, print its report, save it",
        description="Train a recipe on the first half of load_digits (plus the shipped pen "
        "digits for the default recipe), report on the second half, then fit on everything "
        "the recipe uses and save the model in the user data directory.",
    )
    train.add_argument("--recipe", choices=("seed", "default"), default="default")
    train.add_argument("--json", action="store_true", help="print the results as JSON")
    train.add_argument(
        "--ship",
        action="store_true",
        help="save into the package's models/ as the bundled model (maintainers)",
    )

    predict = commands.add_parser(
        "predict",
        help="recognise a drawing saved as JSON",
        description='Recognise a drawing: a JSON file {"strokes": [[[x, y], ...], ...]} in '
        "canvas cell coordinates (x = column, y = row).",
    )
    predict.add_argument("drawing", metavar="DRAWING.json")
    predict.add_argument("--json", action="store_true", help="print the result as JSON")

    evaluate = commands.add_parser(
        "eval",
        help="measure the model on labelled drawings",
        description='Evaluate on a JSON-lines file of {"label": N, "strokes": [...]} '
        "(as ../shared/bench/replay.py writes; '-' reads stdin, .gz is accepted).",
    )
    evaluate.add_argument("file", metavar="FILE")
    evaluate.add_argument("--json", action="store_true", help="print the results as JSON")
    evaluate.add_argument(
        "--personal",
        metavar="FILE",
        help="first adapt the default recipe to the labelled drawings in FILE",
    )
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"tuipad.commands.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments without the program name (default: ``sys.argv``).

    Returns:
        The exit status.
    """
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "handler", None) is not None:
            return int(args.handler(args))
        if args.command is None:
            from tuipad.app import run_app

            return run_app(scribble=args.scribble)
        if args.command == "train":
            return _train(args)
        if args.command == "predict":
            return _predict(args)
        if args.command == "eval":
            return _eval(args)
    except UsageError as error:
        print(f"tuipad: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("tuipad: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


def _progress(stage: str, fraction: float) -> None:
    """Progress of a long step, on stderr so JSON on stdout stays clean."""
    if sys.stderr.isatty():
        print(f"\r\x1b[K{stage}: {fraction:4.0%}", end="", file=sys.stderr, flush=True)
        if fraction >= 1:
            print(file=sys.stderr)
    elif fraction in (0.0, 1.0):
        print(f"{stage}: {fraction:.0%}", file=sys.stderr)


def _load_model() -> Any:
    from tuipad.model import load_active

    model = load_active(progress=_progress)
    if model.notice:
        print(f"tuipad: {model.notice}", file=sys.stderr)
    return model


# --------------------------------------------------------------------------- predict


def _read_drawing(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{path} is not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("strokes"), list):
        raise UsageError(f'{path}: expected {{"strokes": [[[x, y], ...], ...]}}')
    return data["strokes"]


def _predict(args: argparse.Namespace) -> int:
    from tuipad.raster import as_strokes

    strokes = _read_drawing(args.drawing)
    try:
        as_strokes(strokes)
    except ValueError as error:
        raise UsageError(f"{args.drawing}: {error}") from None
    prediction = _load_model().recognise(strokes)
    if args.json:
        print(
            json.dumps(
                {
                    "label": prediction.label,
                    "scores": [round(s, 6) for s in prediction.scores],
                    "grid": prediction.grid.tolist(),
                }
            )
        )
        return 0
    print(f"Prediction {prediction.label} · {prediction.confidence:.0%}")
    for digit, score in enumerate(prediction.scores):
        bar = "█" * round(score * 30)
        print(f"  {digit}  {score:6.1%}  {bar}")
    return 0


# --------------------------------------------------------------------------- eval


def read_labelled(path: str) -> tuple[list[int], list[Any]]:
    """Read a JSON-lines file of labelled drawings.

    Raises:
        UsageError: On a missing file or a bad line (named by number).
    """
    from tuipad.datasets import open_text, read_drawings
    from tuipad.raster import as_strokes

    try:
        source = sys.stdin if path == "-" else open_text(path)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    labels, drawings = [], []
    try:
        with source:
            for number, item in read_drawings(source):
                try:
                    as_strokes(item["strokes"])
                except ValueError as error:
                    raise UsageError(f"{path}: line {number}: {error}") from None
                labels.append(item["label"])
                drawings.append(item["strokes"])
    except ValueError as error:
        raise UsageError(f"{path}: {error}") from None
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    if not labels:
        raise UsageError(f"{path} holds no drawings")
    return labels, drawings


def _eval(args: argparse.Namespace) -> int:
    if args.personal is not None:
        raise UsageError(
            "--personal needs the learning-from-you feature, which is not built yet"
        )
    labels, drawings = read_labelled(args.file)
    from tuipad.model import recognise_many
    from tuipad.reports import evaluate

    model = _load_model()
    predicted, _, _ = recognise_many(model.estimator, drawings)
    result = evaluate(labels, predicted)
    if args.json:
        print(
            json.dumps(
                {
                    "model": model.name,
                    "n": result.n,
                    "accuracy": result.accuracy,
                    "recall": result.recall,
                    "confusion_matrix": result.confusion,
                    "predictions": predicted.tolist(),
                }
            )
        )
        return 0
    _print_evaluation(f"{model.name} on {result.n} drawings from {args.file}", result)
    return 0


# --------------------------------------------------------------------------- train


def _train(args: argparse.Namespace) -> int:
    from tuipad import datasets
    from tuipad.model import (
        DEFAULT_NAME,
        bundled_models_dir,
        data_home,
        fit,
        predict_grids,
        recipe_data,
        save_model,
        user_models_dir,
    )
    from tuipad.reports import evaluate

    X, y = datasets.load_scans()
    X_train, X_test, y_train, y_test = datasets.seed_split(X, y)
    data = recipe_data(args.recipe, X_train, y_train, progress=_progress)
    estimator = fit(args.recipe, data, _progress)
    predicted, _ = predict_grids(estimator, X_test)
    result = evaluate(y_test, predicted)
    metrics = {
        "test_accuracy": round(result.accuracy, 6),
        "protocol": "trained on the first half of load_digits"
        + (" plus the pen digits" if args.recipe == "default" else "")
        + f", tested on the second half ({len(y_test)} scans)",
    }
    if args.recipe == "default":
        # Report on the seed's split, then ship what was fitted on everything.
        data = recipe_data(args.recipe, X, y, progress=_progress)
        estimator = fit(args.recipe, data, _progress)
    name = DEFAULT_NAME if args.ship else args.recipe
    home = data_home()
    directory = bundled_models_dir() if args.ship else user_models_dir(home)
    manifest = save_model(
        estimator,
        directory,
        name,
        recipe=args.recipe,
        training_data=data.sources,
        metrics=metrics,
        trust_home=None if args.ship else home,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "recipe": args.recipe,
                    "test_accuracy": result.accuracy,
                    "confusion_matrix": result.confusion,
                    "report": result.report,
                    "saved": str(directory / f"{manifest.name}.pkl.gz"),
                }
            )
        )
        return 0
    _print_evaluation(f"recipe {args.recipe}: {metrics['protocol']}", result, report=True)
    print(f"saved {directory / (manifest.name + '.pkl.gz')}")
    return 0


def _print_evaluation(title: str, result: Any, *, report: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{title}[/]")
    console.print(f"accuracy [bold]{result.accuracy:.4f}[/] ({result.n} digits)")
    if report:
        table = Table("digit", "precision", "recall", "f1-score", "support", title="report")
        for key, row in result.report.items():
            if isinstance(row, dict):
                table.add_row(
                    key,
                    f"{row['precision']:.3f}",
                    f"{row['recall']:.3f}",
                    f"{row['f1-score']:.3f}",
                    str(int(row["support"])),
                )
        console.print(table)
    else:
        table = Table(*[str(d) for d in range(10)], title="recall per digit")
        table.add_row(*[f"{r:.2f}" for r in result.recall])
        console.print(table)
    matrix = Table("true\\pred", *[str(d) for d in range(10)], title="confusion matrix")
    for digit, row in enumerate(result.confusion):
        matrix.add_row(
            str(digit),
            *[f"[bold green]{c}[/]" if i == digit else (f"[red]{c}[/]" if c else "·") for i, c in enumerate(row)],
        )
    console.print(matrix)
