"""The ``tuipad`` command line: the app, and one module per command.

Each command module has ``register(subparsers)``, which adds its parser with
``set_defaults(handler=run)``, and ``run(args) -> int``, which raises
:class:`~tuipad.cli.output.UsageError` on bad input.  Imports are kept inside
the commands: ``tuipad predict`` must not pay for Textual or rich, and nothing
pays for scikit-learn before it needs a model.

No exception reaches the user as a traceback.  Bad input and a hostile
environment (a file that cannot be read or written, a full or read-only disk, a
damaged model or sample store) exit with status 2 and one line on stderr; any
other exception is a bug in tuipad, reported in one line with a hint to report
it, exit status 1.  With ``TUIPAD_DEBUG`` set (the test suite sets it) a bug
propagates with its traceback instead, so tests and developers see the real
exception.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from tuipad.cli import evaluate, export, models, predict, samples, train
from tuipad.cli.output import EXIT_BAD_INPUT, UsageError, printable, progress

COMMANDS = (train, models, predict, evaluate, export, samples)
"""The command modules, in the order ``tuipad --help`` lists them."""

EXIT_INTERRUPTED = 130
"""The exit status after Ctrl-C, as a shell reports a process killed by SIGINT."""

EXIT_BUG = 1
"""The exit status when tuipad itself failed (an exception nobody expected)."""

DEBUG_VARIABLE = "TUIPAD_DEBUG"
"""Set (to anything but ``""`` or ``0``) to let a bug propagate with its traceback."""


def _seconds(text: str) -> float:
    """A positive number of seconds, for ``--pause``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.05 <= value <= 60:
        raise argparse.ArgumentTypeError("the pause must be between 0.05 and 60 seconds")
    return value


def installed_version() -> str:
    """The version in the installed package's metadata (pyproject.toml's, once installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tuipad")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(version unknown: not installed)"


class PrintVersion(argparse.Action):
    """``--version``: reads the package metadata only when asked, so other commands never pay."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        _check_stdout_open()
        print(f"tuipad {installed_version()}", flush=True)  # a full disk is found in main
        parser.exit()


class OneLineParser(argparse.ArgumentParser):
    """A parser that reports a bad command line in one line, as every other error is.

    argparse prints its usage block before the error, so a typo read as five
    lines where a bad file reads as one.  ``--help`` still prints the whole
    usage.  Subparsers are made of their parent's class, so every command and
    action reports this way.
    """

    def print_help(self, file: Any = None) -> None:
        """Print the help, flushed; argparse's own would let a full disk pass unsaid."""
        _check_stdout_open()
        out = sys.stdout if file is None else file
        out.write(self.format_help())
        out.flush()

    given: Sequence[str] = ()
    """The command line being read, for :meth:`error`'s hint (set by :func:`main`)."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE`` (``tuipad train: error: ...``) and exit with 2."""
        line = " ".join(message.split()) + self._dash_hint(message)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {printable(line)}\n")

    def _dash_hint(self, message: str) -> str:
        """How to give a name that starts with ``-``, when one was read as an option and
        an argument is missing (``tuipad predict -x.json``)."""
        if "arguments are required" not in message and "expected one argument" not in message:
            return ""
        known = self._option_string_actions
        dashed = [a for a in self.given if a[:1] == "-" and a[1:2] not in "-" and a not in known]
        return (
            f" (a name starting with -, as {dashed[0]}, reads as an option: write ./{dashed[0]})"
            if dashed
            else ""
        )


def build_parser() -> argparse.ArgumentParser:
    """The parser of the app's options and of every command."""
    parser = OneLineParser(
        prog="tuipad",
        description="A terminal sketchpad that reads handwritten digits. "
        "Run without a command to open the sketchpad.",
    )
    parser.add_argument("--version", action=PrintVersion, help="print the version and exit")
    parser.add_argument(
        "--scribble", action="store_true", help="open in scribble mode (write whole numbers)"
    )
    parser.add_argument(
        "--pause",
        type=_seconds,
        metavar="SECONDS",
        help="in scribble mode (--scribble, or s in the app), how long the pen rests"
        " before writing is read (default 1)",
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
        The exit status: 0, 1 for a bug (or an export that disagrees), 2 for bad
        input or environment, 130 after Ctrl-C.
    """
    OneLineParser.given = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            from tuipad.ui.app import run_app

            # Keys and the mouse come in on standard input, unless a driver of its own
            # (textual serve, textual-web) brings them.
            piped = sys.stdin is None or not sys.stdin.isatty()
            if piped and not os.environ.get("TEXTUAL_DRIVER"):
                raise UsageError(
                    "the sketchpad needs a terminal on standard input"
                    " (tuipad --help lists the commands that read files)"
                )
            from tuipad.core.scribble import DEFAULT_PAUSE

            pause = DEFAULT_PAUSE if args.pause is None else args.pause
            return run_app(scribble=args.scribble, pause=pause)
        if given := _sketchpad_options(args):
            raise UsageError(f"{given} is for the sketchpad: give it without a command")
        from tuipad.store.paths import home_not_a_folder

        if (blocked := home_not_a_folder()) is not None:  # reading there would find nothing
            raise UsageError(blocked)
        _check_stdout_open()
        status = int(args.handler(args))
        if sys.stdout is not None:
            sys.stdout.flush()  # a reader that left is found here, not by Python at exit
        return status
    except UsageError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        progress.end_line()
        print("tuipad: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _reader_left()
    except Exception as error:
        message = environment_problem(error)
        if message is not None:
            return _fail(message)
        if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
            raise
        bug = printable(_one_line(error))
        print(
            f"tuipad: internal error: {bug}. This is a bug in tuipad: please"
            f" report it with the command that caused it ({DEBUG_VARIABLE}=1 shows the"
            " traceback)",
            file=sys.stderr,
        )
        return EXIT_BUG


def _sketchpad_options(args: argparse.Namespace) -> str:
    """The sketchpad's options on the command line, as typed (``--pause``), or ``""``."""
    given = [name for name, on in (("--scribble", args.scribble), ("--pause", args.pause)) if on]
    return " with ".join(given)


def environment_problem(error: Exception) -> str | None:
    """The one line to show for an error of the input or the environment, else ``None``.

    Files (read-only, full, missing, not regular), models and sample stores
    that fail their checks, exports that cannot be made, and memory running
    out are the user's situation, not tuipad's bug.
    """
    from tuipad.store.files import describe_os_error
    from tuipad.store.paths import describe_home_error

    if isinstance(error, OSError):
        return describe_home_error(error) or describe_os_error(error)
    if isinstance(error, MemoryError):
        return "out of memory"
    if isinstance(error, EOFError):
        return "the input ended early"
    from tuipad.store.model_files import ModelError
    from tuipad.store.sample_db import StoreError

    exports = sys.modules.get("tuipad.export.parts")  # loaded if an export ran
    if isinstance(error, ModelError | StoreError) or (
        exports is not None and isinstance(error, exports.ExportError)
    ):
        return " ".join(str(error).split()) or type(error).__name__
    return None


def _check_stdout_open() -> None:
    """Refuse to run a command whose output would go nowhere (``tuipad models >&-``).

    Python sets ``sys.stdout`` to ``None`` when it starts with descriptor 1
    closed, and ``print`` then writes nothing: a script would read success.

    Raises:
        UsageError: Standard output is closed.
    """
    if sys.stdout is None:
        raise UsageError("cannot write standard output: it is closed")


def _reader_left() -> int:
    """End quietly with status 0 once stdout's reader has gone, as in ``tuipad eval F | head``.

    Python flushes stdout again at exit and would report the broken pipe with
    status 120, so stdout is pointed at the null device first (the recipe in
    the :mod:`signal` module's note on SIGPIPE).
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):  # no stdout, or not a file (a test's)
        pass
    return 0


def _fail(message: str) -> int:
    progress.end_line()
    print(f"tuipad: error: {printable(message)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
