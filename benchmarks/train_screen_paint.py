"""The training screen's first paint after ``t``, against the sketchpad's own first frame.

Runs the app under a pseudo-terminal (100x30, as ``terminal_bytes.py`` does)
and measures, in the same runs:

* the sketchpad's first frame (``Draw a digit`` on screen, from the start);
* once the model is ready, ``t`` pressed: when the training screen's first
  paint is out (its tab bar, ``Matrix``), and when its form is there
  (``Retrain with my samples``).

Target (issue 15): the first paint no slower than the sketchpad's first
frame.  Prints the medians and their ratio, asserts nothing.

Usage: python benchmarks/train_screen_paint.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from terminal_bytes import TUIPAD, Terminal, environment


def one_run(env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds to the sketchpad's first frame, and from ``t`` to the training screen's
    first paint and to its form."""
    terminal = Terminal(TUIPAD, env)
    try:
        frame = terminal.wait_for(b"Draw a digit", timeout=30)
        ready = terminal.wait_for(b"draw a digit", timeout=120, since=frame or 0.0)
        if frame is None or ready is None:
            raise RuntimeError("the sketchpad never became ready")
        terminal.wait_quiet(0.5)
        pressed = terminal.send(b"t")
        paint = terminal.wait_for(b"Matrix", timeout=30, since=pressed)
        form = terminal.wait_for(b"Retrain with my samples", timeout=30, since=pressed)
        if paint is None or form is None:
            raise RuntimeError("the training screen never appeared")
        return frame - terminal.started, paint - pressed, form - pressed
    finally:
        terminal.close(b"q")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(os.environ.get("TUIPAD_HOME") or tempfile.mkdtemp(prefix="tuipad-paint-"))
    env = environment(home)
    one_run(env)  # the first start reads the files from disk
    runs = [one_run(env) for _ in range(args.runs)]
    frame, paint, form = (statistics.median(column) for column in zip(*runs, strict=True))
    print(f"medians of {args.runs} runs (TUIPAD_HOME={home}):")
    print(f"  sketchpad first frame          {frame:.3f} s")
    print(f"  training screen first paint    {paint:.3f} s ({paint / frame:.2f}x the first frame)")
    print(f"  training screen form in place  {form:.3f} s ({form / frame:.2f}x the first frame)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
