"""``tuipad predict DRAWING.json``: recognise one drawing with the active model.

Only the drawing is read and checked before the model loads, so bad input is
reported at once, and nothing here imports Textual or rich.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from tuipad.cli.output import UsageError, load_active_model

if TYPE_CHECKING:
    from tuipad.core.drawing import Strokes


def register(subparsers: Any) -> None:
    """Add the ``predict`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "predict",
        help="recognise a drawing saved as JSON",
        description='Recognise a drawing: a JSON file {"strokes": [[[x, y], ...], ...]} in '
        "canvas cell coordinates (x = column, y = row), as the sketchpad's ctrl+s saves it "
        "(- reads standard input).",
    )
    parser.add_argument("drawing", metavar="DRAWING.json")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def read_drawing(path: str) -> Strokes:
    """The checked strokes of a drawing file (``-`` reads stdin).

    At most ``reading.MAX_FILE_BYTES`` are read, from a file or a pipe alike.

    Raises:
        UsageError: A missing, unreadable or over-long file, or one that is not
            a drawing within the limits of :mod:`tuipad.core.drawing` (an empty one
            included).
    """
    from tuipad.store.drawing_files import DrawingFileError, ScribblePageError, drawing_from_json
    from tuipad.store.formats import GZIP_MAGIC, describe_read_error, shown_path
    from tuipad.store.reading import NotTextError, TooLargeError, decode_text, read_capped

    try:
        if path == "-":
            if sys.stdin is None:  # started with standard input closed (``0<&-``)
                raise UsageError("cannot read standard input: it is closed")
            data = read_capped(sys.stdin.buffer)
        else:
            with open(path, "rb") as file:
                data = read_capped(file)
        if data.startswith(GZIP_MAGIC):  # eval and samples import take these; one drawing is small
            raise UsageError(f"{shown_path(path)}: gzip-compressed: predict reads plain JSON")
        return drawing_from_json(decode_text(data))
    except ScribblePageError as error:
        hint = "open it with tuipad --scribble, then ctrl+o"
        raise UsageError(f"{shown_path(path)}: {error}: {hint}") from None
    except (TooLargeError, NotTextError, DrawingFileError) as error:
        raise UsageError(f"{shown_path(path)}: {error}") from None
    except OSError as error:
        raise UsageError(describe_read_error(path, error)) from None


def run(args: argparse.Namespace) -> int:
    """Print the label, the ten scores (as bars, or as JSON with the 8x8 grid) and the model.

    Returns:
        The exit status.

    Raises:
        UsageError: An unreadable file or strokes that are not a drawing.
    """
    strokes = read_drawing(args.drawing)  # an empty drawing is refused before the model loads
    model = load_active_model()
    prediction = model.recognise(strokes)
    if args.json:
        print(
            json.dumps(
                {
                    "model": model.name,
                    "label": prediction.label,
                    "scores": [round(s, 6) for s in prediction.scores],
                    "unsure_between": list(prediction.contenders),
                    "shape_doubt": prediction.shape_doubt or None,
                    "stray_marks_left_out": prediction.stray_marks,
                    "grid": prediction.grid.tolist(),
                }
            )
        )
        return 0
    from tuipad.core.recognise import shown  # loaded with the model already

    print(prediction.answer)
    for digit, score in enumerate(prediction.scores):
        bar = "█" * round(score * 30)
        print(f"  {digit}  {shown(score):3d}%  {bar}")  # whole, as the answer's doubt judges
    print(f"read with model {model.name}")
    return 0
