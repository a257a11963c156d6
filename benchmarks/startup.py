"""From ``tuipad`` to a ready model, against the sketchpad's own first frame.

Runs the app under a pseudo-terminal (100x30, as ``terminal_bytes.py`` does)
and measures, in the same runs:

* the first frame (the canvas title ``Draw a digit`` on screen);
* the model ready (the panel's status ``draw a digit``);
* in other runs, interleaved, a digit drawn the moment the first frame
  appears: when its answer (``Prediction …``) is on screen.

Target: ready at most 2x the first frame, and the early digit answered as soon
as the model is ready.  Prints figures, asserts nothing.

Usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from terminal_bytes import TUIPAD, Terminal, drag, environment, press, release, screen

STROKE = [(20, 3), (20, 6), (20, 9), (20, 12), (20, 15), (20, 18)]
"""A 1 in canvas cells, drawn in one stroke."""


def one_run(env: dict[str, str], *, draw: bool) -> tuple[float, float]:
    """Seconds from start to the first frame, and to the model ready (or the early digit's answer).

    With ``draw``, a 1 is drawn as soon as the first frame is on screen, and
    the second figure is when its answer appears; without, when the panel
    says the model is ready.
    """
    terminal = Terminal(TUIPAD, env)
    try:
        frame = terminal.wait_for(b"Draw a digit", timeout=30)
        if frame is None:
            raise RuntimeError("the app drew no first frame")
        if draw:
            reports = [press(*screen(STROKE[0]))] + [drag(*screen(p)) for p in STROKE[1:]]
            terminal.send(b"".join(reports) + release(*screen(STROKE[-1])))
            done = terminal.wait_for(b"Prediction ", timeout=120, since=frame)
        else:
            done = terminal.wait_for(b"draw a digit", timeout=120, since=frame)
        if done is None:
            raise RuntimeError("the model never became ready, or never answered")
        return frame - terminal.started, done - terminal.started
    finally:
        terminal.close(b"q")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    home = Path(os.environ.get("TUIPAD_HOME") or tempfile.mkdtemp(prefix="tuipad-startup-"))
    env = environment(home)
    one_run(env, draw=False)  # the first start reads the files from disk
    plain, drawn = [], []
    for _ in range(args.runs):
        plain.append(one_run(env, draw=False))
        drawn.append(one_run(env, draw=True))
    frame, ready = (statistics.median(column) for column in zip(*plain, strict=True))
    answered = statistics.median(done for _, done in drawn)
    print(f"medians of {args.runs} starts each (TUIPAD_HOME={home}):")
    print(f"  first frame          {frame:.3f} s")
    print(f"  model ready          {ready:.3f} s ({ready / frame:.2f}x the first frame)")
    print(f"  early digit answered {answered:.3f} s ({answered - ready:+.3f} s after ready)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
