"""The ``tuipad`` command line: the app, and one module per command.

Each command module has ``register(subparsers)``, which adds its parser with
``set_defaults(handler=run)``, and ``run(args) -> int``, which raises
:class:`~tuipad.cli.output.UsageError` on bad input.  Imports are kept inside
the commands: ``tuipad predict`` must not pay for Textual or rich, and nothing
pays for scikit-learn before it needs a model.  Bad input exits with status 2
and one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tuipad.cli import evaluate, export, models, predict, samples, train
from tuipad.cli.output import EXIT_BAD_INPUT, UsageError

COMMANDS = (train, models, predict, evaluate, export, samples)
"""The command modules, in the order ``tuipad --help`` lists them."""

EXIT_INTERRUPTED = 130
"""The exit status after Ctrl-C, as a shell reports a process killed by SIGINT."""


def _seconds(text: str) -> float:
    """A positive number of seconds, for ``--pause``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.05 <= value <= 60:
        raise argparse.ArgumentTypeError("the pause must be between 0.05 and 60 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The parser of the app's options and of every command."""
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments without the program name (default: ``sys.argv``).

    Returns:
        The exit status.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from tuipad.ui.app import run_app

            return run_app(scribble=args.scribble, pause=args.pause)
        return int(args.handler(args))
    except UsageError as error:
        print(f"tuipad: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("tuipad: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
