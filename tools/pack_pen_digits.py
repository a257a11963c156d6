"""Pack pen digits from the shared JSON-lines format into tuipad's compact ``.npz``.

How ``tuipad/data/*-digits.npz`` were made from ``../shared/data``::

    python tools/pack_pen_digits.py ../shared/data/pendigits-train.jsonl.gz \
        tuipad/data/pendigits-digits.npz

Points become 16-bit integers (the tablets report whole units), every stroke of
every digit one after the other; empty strokes are dropped.  The archive holds
``labels``, ``writers``, ``points``, ``stroke_starts`` and ``digit_starts``, as
:class:`tuipad.core.datasets.PenDigits` reads them.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np


def pack(source: Path, target: Path) -> int:
    """Write ``source`` (gzipped JSON lines) to ``target``; return the number of digits."""
    labels, writers, points = [], [], []
    stroke_starts, digit_starts = [0], [0]
    with gzip.open(source, "rt", encoding="utf-8") as file:
        for line in file:
            if not line.strip():
                continue
            item = json.loads(line)
            for stroke in item["strokes"]:
                if stroke:
                    points.extend(stroke)
                    stroke_starts.append(len(points))
            labels.append(item["label"])
            writers.append(item["writer"])
            digit_starts.append(len(stroke_starts) - 1)
    array = np.asarray(points)
    if np.abs(array).max() > np.iinfo(np.int16).max or not np.array_equal(array, np.rint(array)):
        raise SystemExit("points do not fit 16-bit integers")
    np.savez_compressed(
        target,
        labels=np.asarray(labels, dtype=np.int8),
        writers=np.asarray(writers, dtype=str),
        points=array.astype(np.int16),
        stroke_starts=np.asarray(stroke_starts, dtype=np.int32),
        digit_starts=np.asarray(digit_starts, dtype=np.int32),
    )
    return len(labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="gzipped JSON lines in the shared format")
    parser.add_argument("target", type=Path, help="the .npz to write")
    args = parser.parse_args()
    print(f"{pack(args.source, args.target)} digits written to {args.target}")


if __name__ == "__main__":
    main()
