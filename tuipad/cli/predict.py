"""``tuipad predict DRAWING.json``: recognise one drawing with the active model.

Only the drawing is read and checked before the model loads, so bad input is
reported at once, and nothing here imports Textual or rich.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tuipad.cli.output import UsageError, load_active_model


def register(subparsers: Any) -> None:
    """Add the ``predict`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "predict",
        help="recognise a drawing saved as JSON",
        description='Recognise a drawing: a JSON file {"strokes": [[[x, y], ...], ...]} in '
        "canvas cell coordinates (x = column, y = row).",
    )
    parser.add_argument("drawing", metavar="DRAWING.json")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def read_drawing(path: str) -> Any:
    """The strokes of a drawing file (``-`` reads stdin), not yet checked.

    Raises:
        UsageError: A missing or unreadable file, bad JSON, or no ``strokes`` list.
    """
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


def run(args: argparse.Namespace) -> int:
    """Print the label and the ten scores (as bars, or as JSON with the 8x8 grid).

    Returns:
        The exit status.

    Raises:
        UsageError: An unreadable file or strokes that are not a drawing.
    """
    from tuipad.core.drawing import checked_strokes
    from tuipad.core.raster import as_strokes

    strokes = read_drawing(args.drawing)
    try:
        # The strict check at the door (no bools or strings for numbers); the
        # recognition path itself only re-reads what numpy already accepts.
        as_strokes(checked_strokes(strokes))
    except ValueError as error:
        raise UsageError(f"{args.drawing}: {error}") from None
    prediction = load_active_model().recognise(strokes)
    if args.json:
        print(
            json.dumps(
                {
                    "label": prediction.label,
                    "scores": [round(s, 6) for s in prediction.scores],
                    "unsure_between": list(prediction.contenders),
                    "grid": prediction.grid.tolist(),
                }
            )
        )
        return 0
    print(prediction.answer)
    for digit, score in enumerate(prediction.scores):
        bar = "█" * round(score * 30)
        print(f"  {digit}  {score:6.1%}  {bar}")
    return 0
