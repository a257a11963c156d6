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

COMMAND_MODULES: tuple[str, ...] = ("export", "samples")
"""Modules under ``tuipad.commands`` that add subcommands: each has
``register(subparsers)``, which adds its parsers with ``set_defaults(handler=run)``
where ``run(args) -> int`` raises :class:`UsageError` on bad input."""


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


def _seconds(text: str) -> float:
    """A positive number of seconds, for ``--pause``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.05 <= value <= 60:
        raise argparse.ArgumentTypeError("the pause must be between 0.05 and 60 seconds")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tuipad",
        description="A terminal sketchpad that reads handwritten digits. "
        "Run without a command to open the sketchpad.",
    )
    parser.add_argument(
        "--scribble", action="store_true", help="open in scribble mode (write whole numbers)"
    )
    parser.add_argument(
        "--pause",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="in scribble mode, how long the pen rests before writing is read (default 1)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a model, print its report, save it",
        description="Train a recipe or a model family. By default the model is tested on the "
        "second half of load_digits after training on the first half (plus pen digits and "
        "distorted copies as asked), then fitted on everything its data uses and saved in the "
        "user data directory. Recipes: seed = SVC(gamma=0.001) on scans, the original demo; "
        "default = the shipped model's recipe (scans, copies and pen digits).",
    )
    which = train.add_mutually_exclusive_group()
    which.add_argument("--recipe", choices=("seed", "default"), help="a fixed recipe (default)")
    which.add_argument(
        "--model",
        choices=("svc-seed", "svc", "svc-default", "knn", "mlp"),
        help="a model family: the seed SVC, a tuned SVC, the default SVC, k-NN or a neural net",
    )
    train.add_argument("--pen", action="store_true", help="with --model: add the pen digits")
    train.add_argument("--augment", action="store_true", help="with --model: add distorted copies")
    train.add_argument(
        "--cv", type=int, metavar="K", help="k-fold cross-validation on the scans instead"
    )
    train.add_argument("--name", help="name to save the model under")
    train.add_argument(
        "--personal",
        action="store_true",
        help="the default recipe plus your samples (tuipad samples); becomes the active model",
    )
    train.add_argument("--json", action="store_true", help="print the results as JSON")
    train.add_argument(
        "--ship",
        action="store_true",
        help="save into the package's models/ as the bundled model (maintainers)",
    )

    models = commands.add_parser(
        "models",
        help="list, choose or delete trained models",
        description="Without an action, list the bundled model and the models you trained.",
    )
    models.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = models.add_subparsers(dest="action", metavar="ACTION")
    use = actions.add_parser("use", help="make a model the active one")
    use.add_argument("name", metavar="NAME")
    remove = actions.add_parser("rm", help="delete a model you trained")
    remove.add_argument("name", metavar="NAME")

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
        import_module(f"tuipad.cli.{name}").register(commands)
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
            from tuipad.ui.app import run_app

            return run_app(scribble=args.scribble, pause=args.pause)
        if args.command == "train":
            return _train(args)
        if args.command == "models":
            return _models(args)
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
    from tuipad import services
    from tuipad.store.paths import Paths

    model = services.load_active(Paths.default(), progress=_progress)
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
    from tuipad.core.raster import as_strokes

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
    from tuipad.core.datasets import open_text, read_drawings
    from tuipad.core.raster import as_strokes

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
        from tuipad.cli.samples import eval_personal

        return eval_personal(args)
    labels, drawings = read_labelled(args.file)
    from tuipad import services

    model = _load_model()
    result, predicted = services.evaluate_drawings(model, labels, drawings)
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


def _train_spec(args: argparse.Namespace) -> Any:
    from tuipad import services
    from tuipad.core.families import TrainingSpec

    try:
        if args.model is not None:
            return TrainingSpec(args.model, pen=args.pen, augment=args.augment, cv=args.cv)
        if args.pen or args.augment:
            raise UsageError("--pen and --augment go with --model; a recipe fixes its data")
        return services.recipe_spec(args.recipe or "default", cv=args.cv)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _train(args: argparse.Namespace) -> int:
    if args.personal:
        from tuipad.cli.samples import train_personal_command

        return train_personal_command(args)
    import time

    from tuipad import services
    from tuipad.store.paths import Paths
    from tuipad.store.registry import DEFAULT_NAME

    spec = _train_spec(args)
    kind = args.recipe or args.model or "default"
    paths = Paths.default()
    if args.ship:
        if kind != "default" or args.name:
            raise UsageError("--ship saves the default recipe as the bundled model only")
        name = DEFAULT_NAME
    else:
        name = args.name or f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}"
        try:
            services.check_new_name(paths, name)
        except ValueError as error:
            raise UsageError(str(error)) from None
    trained = services.train_and_save(
        paths, spec, name, recipe=kind, ship=args.ship, progress=_progress
    )
    result = trained.result
    if args.json:
        print(
            json.dumps(
                {
                    "recipe": kind,
                    "model": spec.family,
                    "data": spec.data_label,
                    "name": name,
                    "test_accuracy": result.evaluation.accuracy,
                    "confusion_matrix": result.evaluation.confusion,
                    "report": result.evaluation.report,
                    "params": result.params,
                    "seconds": round(result.seconds, 2),
                    "saved": str(trained.path),
                }
            )
        )
        return 0
    protocol = trained.manifest.metrics["protocol"]
    _print_evaluation(f"{kind} ({spec.data_label}): {protocol}", result.evaluation, report=True)
    print(f"saved {trained.path}")
    if not args.ship:
        print(f"make it the active model with: tuipad models use {name}")
    return 0


def _models(args: argparse.Namespace) -> int:
    from tuipad import services
    from tuipad.store.paths import Paths
    from tuipad.store.registry import ModelError

    paths = Paths.default()
    try:
        if args.action == "use":
            model = services.activate(paths, args.name)
            print(f"active model: {model.name}")
            return 0
        if args.action == "rm":
            services.remove(paths, args.name)
            print(f"deleted {args.name}")
            return 0
    except ModelError as error:
        raise UsageError(str(error)) from None
    rows = services.model_rows(paths)
    if args.json:
        print(json.dumps([row.to_json() for row in rows]))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("", "name", "family", "data", "date", "accuracy", "size", title="models")
    for row in rows:
        table.add_row(
            "●" if row.active else "",
            row.name + (" (bundled)" if row.bundled else ""),
            row.family,
            row.data,
            row.created,
            row.accuracy_text,
            row.size_text,
        )
    Console().print(table)
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
            *[
                f"[bold green]{c}[/]" if i == digit else (f"[red]{c}[/]" if c else "·")
                for i, c in enumerate(row)
            ],
        )
    console.print(matrix)
