"""``tuipad export``: write the active (or a named) model as Core ML and/or ONNX.

After writing, each file is checked against tuipad on all 1,797 ``load_digits``
scans, or for a model that reads the pen's path on replayed pen digits (the
Core ML spec recomputed with numpy, the ONNX file run with onnxruntime), so a
broken export is reported before it reaches an app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuipad.cli.output import UsageError, printable, warn

if TYPE_CHECKING:
    from tuipad.services import ExportReport

FORMATS = {"coreml": "Core ML", "onnx": "ONNX"}
"""Option name -> format name, in the order files are written."""

SUFFIXES = {"coreml": (".mlmodel", "Xcode expects"), "onnx": (".onnx", "ONNX tools expect")}
"""Option name -> the extension its file must have, and who relies on it (for the message)."""


class Once(argparse.Action):
    """An option given at most once: a second ``--onnx`` would otherwise win unsaid."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest, None) is not None:
            raise argparse.ArgumentError(
                self, f"given twice ({option_string} takes one {self.metavar})"
            )
        setattr(namespace, self.dest, values)


def register(subparsers: Any) -> None:
    """Add the ``export`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "export",
        help="export the model for apps (Core ML, ONNX)",
        description="Export the active model (or --model NAME) for on-device use. "
        "Exportable: the calibrated RBF SVC families (svc-seed, svc, svc-default); "
        "k-NN and MLP models are not. Input: 8x8 (or 64) ink counts 0..16, and for a model "
        "that reads the pen's path its 78 path values; outputs: "
        "the digit and the ten calibrated probabilities. A file already there is replaced, "
        "unless it is read-only. Needs the export extra (without it, the error names the "
        "command that installs it).",
    )
    parser.add_argument(
        "--coreml",
        action=Once,
        metavar="FILE.mlmodel",
        help="write a Core ML model (iOS 13+, macOS 10.15+)",
    )
    parser.add_argument("--onnx", action=Once, metavar="FILE.onnx", help="write an ONNX model")
    parser.add_argument(
        "--model",
        action=Once,
        metavar="NAME",
        help="a saved model's name (default: the active model)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export, then check each file against tuipad (on scans, or replayed pen digits).

    Returns:
        0 when every file was written and agrees with tuipad, else 1.

    Raises:
        UsageError: No format asked for, a bad path, an unexportable model or
            a missing extra.
        MissingFolderError: A file's folder does not exist.
    """
    from tuipad.store.files import check_folder

    named = {key: getattr(args, key) for key in FORMATS if getattr(args, key) is not None}
    if not named:
        raise UsageError("export needs --coreml FILE.mlmodel and/or --onnx FILE.onnx")
    for key, text in named.items():
        if not text:
            raise UsageError(f"--{key}: the file name is empty")
    targets = {key: Path(text) for key, text in named.items()}
    for key, path in targets.items():
        text, (suffix, expects) = printable(named[key]), SUFFIXES[key]
        if str(path) == "-":
            raise UsageError(
                "export writes a binary model and reads it back to check it: give a file name,"
                " not -"
            )
        example = f"e.g. {path / ('digits' + suffix)}"
        if path.is_dir():
            raise UsageError(f"{text} is a folder: name the file in it, {example}")
        if named[key].endswith("/"):
            raise UsageError(f"{text} names a folder: name the file, {example}")
        if path.name.lower() == suffix:  # Path(".onnx").suffix is "": a name that is all ending
            raise UsageError(
                f"--{key} {text}: name the file before its ending, e.g. digits{suffix}"
            )
        if path.suffix.lower() != suffix:  # .ONNX is as good an ending as .onnx
            raise UsageError(f"--{key} {text}: {expects} a {suffix} file")
        check_folder(path)  # refused now rather than after the model is loaded and measured

    from tuipad import services
    from tuipad.export import ExportError
    from tuipad.services.export import SCANS
    from tuipad.store.paths import Paths
    from tuipad.store.registry import ModelError, UnknownModelError

    def say_started(checked_on: str) -> None:
        if sys.stderr.isatty():  # converting and checking take seconds
            formats = " and ".join(FORMATS[key] for key in targets)
            rows = "the scans" if checked_on == SCANS else checked_on
            print(f"exporting to {formats} and checking it on {rows}…", file=sys.stderr)

    try:
        reports = services.export_model(
            Paths.default(),
            args.model,
            targets,
            notice=warn,
            started=say_started,
            written=_print_report,
        )
    except UnknownModelError as error:
        raise UsageError(str(error)) from None
    except ModelError as error:
        said = str(error)  # a bad name already names the model
        raise UsageError(
            said if repr(args.model) in said else f"cannot load model {args.model!r}: {said}"
        ) from None
    except ExportError as error:
        raise UsageError(str(error)) from None
    if not all(report.agrees for report in reports):
        warn("an exported model disagrees with tuipad")
        return 1
    return 0


def _print_report(report: ExportReport) -> None:
    done = "replaced" if report.replaced else "wrote"
    print(
        f"{report.format_name}: {done} {printable(str(report.path))}"
        f" ({report.size / 1e6:.1f} MB) from model"
        f" {report.model_name!r}; {report.checked_by}, its labels equal tuipad's on"
        f" {report.agreeing}/{report.total} {report.checked_on}, its scores within"
        f" {report.score_gap:.1g}"
    )
