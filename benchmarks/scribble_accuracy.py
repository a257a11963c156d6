"""Scribble mode on composed numbers: segmentation, whole numbers, single digits.

Each number is 2-6 digits of one writer from the shared dev data, replayed
with the geometry of ``../shared/bench/replay.py`` (``tuipad.core.pen_rendering.replay``)
at about 12 rows, laid out left to right with gaps of 1-4 empty columns and a
little vertical jitter, and timed in writing order: a pen sample lasts
1/``--rate`` s (the tablets sampled at 70-200 Hz), a pen lift inside a digit
0.15-0.5 s, a move to the next digit 0.25-0.8 s.  Then:

* segmentation: :func:`tuipad.core.scribble.group_digits` must give exactly the
  true digits (same strokes in each group), and :func:`group_numbers` one number;
* whole numbers: the text read equals the number written;
* single digits: the same replayed digits recognised alone, and the share of
  numbers whose digits are all right alone (what perfect segmentation allows).

The shipped model has trained on these writers, so its digit figures are
optimistic; the segmentation figures do not depend on the model.  The
grouping thresholds were chosen looking at seed 0 of this benchmark, so quote
another seed; the pen-lift times are assumptions, not measurements (the data
has no clock), which is why grouping leans on where strokes are, not when.

    python benchmarks/scribble_accuracy.py [--numbers 1000] [--mode cells] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict

import numpy as np
from _shared import read_dev

from tuipad.core.pen_rendering import replay
from tuipad.core.scribble import TimedStroke, group_digits, group_numbers


def compose(
    digits: list[dict], rng: random.Random, rate: float, mode: str
) -> tuple[list[TimedStroke], list[list[int]], list[list[list[list[float]]]]]:
    """Lay out one writer's digits as a number written left to right.

    Returns:
        The timed strokes, the stroke indices of each true digit, and each
        digit's replayed strokes (for recognising it alone).
    """
    strokes: list[TimedStroke] = []
    truth: list[list[int]] = []
    alone: list[list[list[list[float]]]] = []
    left, clock = 4, 0.0
    for n, item in enumerate(digits):
        tablet = [np.asarray(s, dtype=float) for s in item["strokes"] if s]
        rows = rng.uniform(11.0, 13.0)
        top = 3 + rng.randint(-1, 1)
        reports = replay(tablet, rows=rows, mode=mode, left=0, top=0)
        width = int(max(np.floor(x) for s in reports for x, _ in s)) + 1
        placed = [[[x + left, y + top] for x, y in s] for s in reports]
        if n:
            clock += rng.uniform(0.25, 0.8)
        indices = []
        for k, (path, raw) in enumerate(zip(placed, tablet, strict=False)):
            if k:
                clock += rng.uniform(0.15, 0.5)
            start = clock
            clock += len(raw) / rate
            indices.append(len(strokes))
            strokes.append(TimedStroke(tuple((x, y) for x, y in path), start, clock))
        truth.append(indices)
        alone.append(placed)
        left += width + rng.randint(1, 4)
    return strokes, truth, alone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numbers", type=int, default=1000, help="numbers to compose")
    parser.add_argument("--mode", choices=("cells", "pixels"), default="cells")
    parser.add_argument("--rate", type=float, default=100.0, help="pen samples per second")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from tuipad.core.recognise import recognise_many
    from tuipad.services import load_active

    model = load_active()
    by_writer: dict[str, list[dict]] = defaultdict(list)
    for item in read_dev():
        by_writer[item["writer"]].append(item)
    writers = sorted(w for w, items in by_writer.items() if len(items) >= 6)
    rng = random.Random(args.seed)

    started = time.perf_counter()
    cases = []
    for _ in range(args.numbers):
        items = by_writer[rng.choice(writers)]
        digits = rng.sample(items, rng.randint(2, 6))
        strokes, truth, alone = compose(digits, rng, args.rate, args.mode)
        groups = group_digits(strokes)
        index = {id(s): i for i, s in enumerate(strokes)}
        found = sorted(sorted(index[id(s)] for s in g.strokes) for g in groups)
        cases.append((digits, strokes, truth, alone, groups, found == sorted(truth)))

    all_groups = [g for case in cases for g in case[4]]
    labels, _, _ = recognise_many(model.predictor, [g.paths for g in all_groups])
    alone_all = [d for case in cases for d in case[3]]
    alone_labels, _, _ = recognise_many(model.predictor, alone_all)

    segmented = numbers_right = numbers_alone_right = one_number = 0
    digits_total = digits_alone_right = multi_stroke = multi_stroke_kept = 0
    position = alone_position = 0
    for digits, _strokes, truth, _alone, groups, exact in cases:
        from dataclasses import replace

        read = tuple(replace(g, label=int(labels[position + k])) for k, g in enumerate(groups))
        position += len(groups)
        numbers = group_numbers(read)
        text = "".join(str(d["label"]) for d in digits)
        segmented += exact
        one_number += len(numbers) == 1
        numbers_right += len(numbers) == 1 and numbers[0].text == text
        right_alone = [
            int(alone_labels[alone_position + k]) == d["label"] for k, d in enumerate(digits)
        ]
        alone_position += len(digits)
        digits_total += len(digits)
        digits_alone_right += sum(right_alone)
        numbers_alone_right += all(right_alone)
        found = {tuple(sorted(id(s) for s in g.strokes)) for g in groups}
        for indices in truth:
            if len(indices) > 1:
                multi_stroke += 1
                multi_stroke_kept += tuple(sorted(id(_strokes[i]) for i in indices)) in found

    seconds = time.perf_counter() - started
    n = len(cases)
    print(
        f"scribble mode on {n} composed numbers of 2-6 digits ({digits_total} digits), "
        f"{len(writers)} writers, ~12 rows, {args.mode}, gaps 1-4 columns, seed {args.seed}"
    )
    print(
        f"model: {model.name} (shipped; it has trained on these writers, so digit figures "
        "are optimistic: segmentation figures do not depend on it)"
    )
    print(
        "grouping thresholds were chosen on seed 0; pen-lift times are assumed"
        f" ({args.rate:g} samples/s, lifts 0.15-0.5 s, next digit 0.25-0.8 s)"
    )
    print(f"digit segmentation (groups = true digits) {segmented / n:8.4f}  ({segmented}/{n})")
    print(
        f"  multi-stroke digits kept whole          {multi_stroke_kept / max(multi_stroke, 1):8.4f}"
        f"  ({multi_stroke_kept}/{multi_stroke})"
    )
    print(f"  digits joined into one number           {one_number / n:8.4f}  ({one_number}/{n})")
    print(
        f"whole-number accuracy                     {numbers_right / n:8.4f}  ({numbers_right}/{n})"
    )
    print(
        f"single-digit accuracy, digits alone       {digits_alone_right / digits_total:8.4f}"
        f"  ({digits_alone_right}/{digits_total})"
    )
    print(
        f"numbers with every digit right alone      {numbers_alone_right / n:8.4f}"
        f"  ({numbers_alone_right}/{n})"
    )
    print(f"{seconds:.1f} s")


if __name__ == "__main__":
    main()
