"""How fast the sketchpad answers a drawn digit while training and adapting run.

Runs the app headless (Textual's ``run_test``) with a temporary ``TUIPAD_HOME``
holding 100 personal samples, and times, for replayed pen digits, how long
the sketchpad takes from a finished drawing to the answer in its panel (the
canvas takes the drawing, the screen recognises it, the panel shows it).
Conditions alternate in one run, so a busy machine weighs on all of them:

* idle: nothing else runs;
* adapting: the app's own background adaptation to the samples (in its child
  process, as after a correction);
* knn / svc training: what the training screen runs for ``--model F --pen
  --augment``, in its child process (``services.train_and_save`` through
  ``background.run_in_process``), from an empty rendering cache the first
  time, so rendering the pen digits is among what runs.

Prints the median and 90th percentile per condition.  Asserts nothing.

    python benchmarks/responsive.py [--drawings 40]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from _shared import read_dev, replay
from retrain_time import personal_digits

JOBS = {"knn training": "knn", "svc training": "svc"}
"""Families trained beside the sketchpad (on the pen digits, with distortions)."""


async def answer_times(pilot, drawings: list) -> list[float]:
    """Seconds from each finished drawing to its answer in the panel."""
    from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
    from tuipad.ui.widgets.score_panel import ScorePanel

    screen = pilot.app.screen
    canvas, panel = screen.query_one(DrawingCanvas), screen.query_one(ScorePanel)
    shown: list[float] = []
    show = panel.show
    panel.show = lambda prediction: (shown.append(time.perf_counter()), show(prediction))
    seconds = []
    try:
        for strokes in drawings:
            shown.clear()
            start = time.perf_counter()
            canvas.load(strokes)
            while not shown:
                await asyncio.sleep(0.0005)
            seconds.append(shown[0] - start)
            await pilot.pause(0.02)  # a person takes longer than this between digits
    finally:
        panel.show = show
    return seconds


def train(home: Path, family: str, should_stop) -> None:
    """Train as the training screen does, until ``should_stop`` says stop."""
    from tuipad import background, services
    from tuipad.core.training import TrainingCancelled, TrainingSpec
    from tuipad.store.paths import Paths

    spec = TrainingSpec(family=family, pen=True, augment=True)
    with contextlib.suppress(TrainingCancelled):
        services.train_and_save(
            Paths(home),
            spec,
            f"bench-{family}",
            should_stop=should_stop,
            runner=background.run_in_process,
        )


async def measure(drawings: list, home: Path, rounds: int) -> dict[str, list[float]]:
    from tuipad.ui import adapting
    from tuipad.ui.app import make_app

    adapting.ADAPT_DELAY = 0.01  # adapt at once when asked
    app = make_app(home=home)
    times: dict[str, list[float]] = {name: [] for name in ("idle", "adapting", *JOBS)}
    async with app.run_test(size=(100, 32)) as pilot:
        while app.model is None:
            await pilot.pause(0.1)
        chunk = max(1, len(drawings) // rounds)
        for number, first in enumerate(range(0, len(drawings), chunk)):
            part = drawings[first : first + chunk]
            times["idle"] += await answer_times(pilot, part)
            # A sample more each round: the samples the model was adapted to already would
            # give a job that ends before it is seen running.
            app.context.sample_store().add(part[0], number % 10, source="teach")
            app.post_message(adapting.SamplesChanged())
            deadline = time.monotonic() + 60
            while not app.adapting.running:
                assert time.monotonic() < deadline, "the adaptation did not start"
                await pilot.pause(0.01)
            times["adapting"] += await answer_times(pilot, part)
            while app.adapting.running:
                await pilot.pause(0.05)
            for name, family in JOBS.items():
                stop = threading.Event()
                job = threading.Thread(target=train, args=(home, family, stop.is_set))
                job.start()
                await pilot.pause(2.0)  # past start-up, into rendering and fitting
                times[name] += await answer_times(pilot, part)
                stop.set()
                job.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drawings", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    from tuipad.store.paths import Paths
    from tuipad.store.samples import SampleStore

    home = Path(tempfile.mkdtemp(prefix="tuipad-responsive-"))
    os.environ["TUIPAD_HOME"] = str(home)
    _, samples = personal_digits()
    with SampleStore.open(Paths(home).samples) as store:
        for item in samples:
            store.add(item["strokes"], int(item["label"]), source="teach")
    step = max(1, len(read_dev()) // args.drawings)
    drawings = [d["strokes"] for d in replay(read_dev()[::step][: args.drawings], 12, "cells")]
    times = asyncio.run(measure(drawings, home, args.rounds))
    print(
        f"the sketchpad's answer to a finished drawing, {len(drawings)} drawings per"
        f" condition, conditions alternating; cores: {len(os.sched_getaffinity(0))}"
    )
    idle = statistics.median(times["idle"])
    for name, seconds in times.items():
        median = statistics.median(seconds)
        p90 = statistics.quantiles(seconds, n=10)[-1]
        print(
            f"  {name:<13} median {median * 1000:6.1f} ms ({median / idle:4.2f}x idle),"
            f" 90th percentile {p90 * 1000:6.1f} ms"
        )


if __name__ == "__main__":
    main()
