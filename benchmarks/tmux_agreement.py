"""Does the sketchpad in tmux show what ``tuipad eval`` predicts for the same strokes?

Starts ``tuipad`` in a private tmux server at 100x32 (``TUIPAD_HOME`` a temp
dir, status line off so the pane is the whole 100x32), then for each held-out
pen digit:

* replays it as a terminal would report it (``../shared/bench/replay.py``,
  whole cells, ``--rows`` rows tall) and moves it inside the canvas, whose
  on-screen position is read from the pane (the "Draw a digit" frame);
* sends SGR mouse reports with ``tmux send-keys -l`` through one tmux client in
  control mode, so the reports can be paced (press ``ESC[<0;X;YM``, drag
  ``ESC[<32;X;YM``, release ``ESC[<0;X;Ym``; X/Y 1-based screen cells);
* reads ``Prediction N`` from ``tmux capture-pane`` once the pane has settled,
  then presses ``c`` and checks that the canvas and the panel are empty again.

The strokes the canvas received (the canvas coordinates of the reports sent,
kept on the canvas the way it keeps a captured drag) go through
``tuipad eval FILE --json`` with the same ``TUIPAD_HOME``, and the two answers
are compared digit by digit.  It also prints the time to the first frame in
tmux, whether ``q`` quits, and whether "Traceback" ever appeared in the pane.

Usage: python benchmarks/tmux_agreement.py [--digits 200] [--seed 0] [--pace 0.0167]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _shared import PEN_DEV, ROOT, replay

from tuipad.core.geometry import drawing_pixels

COLUMNS, ROWS = 100, 32
"""The tmux window size the issue asks for."""

TUIPAD = str(Path(sys.executable).with_name("tuipad"))
"""The installed ``tuipad`` script beside this Python."""

FRAME_TITLE = "Draw a digit"
"""The canvas frame's border title: its top-left corner locates the canvas."""

PREDICTION = re.compile(r"Prediction (\d) · (\d+)%")
"""The panel's answer line."""

EXITED = "tuipad exited with status"
"""What the shell around the app prints when it ends (remain-on-exit keeps it)."""

INK = set("▀▄█")
"""Characters the canvas paints ink with."""


@dataclass(frozen=True)
class Canvas:
    """Where the canvas is on screen: its 1-based top-left cell and its size."""

    column: int
    row: int
    width: int
    height: int

    def screen(self, x: int, y: int) -> tuple[int, int]:
        """The 1-based screen cell of canvas cell ``(x, y)`` (what SGR reports)."""
        return x + self.column, y + self.row

    def contains(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height

    def clamp(self, x: int, y: int) -> tuple[int, int]:
        """Where a captured drag outside the canvas lands: on its edge."""
        return min(max(x, 0), self.width - 1), min(max(y, 0), self.height - 1)


class Tmux:
    """A private tmux server running one app, driven through a control-mode client."""

    def __init__(self, command: str, env: dict[str, str], workdir: Path) -> None:
        self.socket = f"tuipad-bench-{os.getpid()}"
        config = workdir / "tmux.conf"
        # remain-on-exit keeps the pane after the app quits, so its last words
        # (a traceback, if any) can still be read.
        config.write_text("set -g status off\nset -g remain-on-exit on\nset -g mouse on\n")
        self.base = ["tmux", "-L", self.socket, "-f", str(config)]
        self.started = time.perf_counter()
        subprocess.run(
            [*self.base, "new-session", "-d", "-s", "bench", "-x", str(COLUMNS), "-y", str(ROWS)]
            + [command],
            env=env,
            check=True,
        )
        self.control = subprocess.Popen(
            [*self.base, "-C", "attach-session", "-t", "bench"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.tracebacks = 0

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], capture_output=True, text=True, check=True
        ).stdout

    def capture(self) -> list[str]:
        """The pane's text, one string per row; counts tracebacks seen."""
        lines = self.run("capture-pane", "-p", "-t", "bench").split("\n")[:ROWS]
        if any("Traceback" in line for line in lines):
            self.tracebacks += 1
        return lines

    def send(self, text: str) -> None:
        """Type ``text`` into the pane (ESC included) through the control client."""
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e")
        assert self.control.stdin is not None
        self.control.stdin.write(f'send-keys -t bench -l "{escaped}"\n')
        self.control.stdin.flush()

    def wait_for(self, found, timeout: float, interval: float = 0.02) -> list[str] | None:
        """Poll the pane until ``found(lines)`` is true; the lines, or None on timeout."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            lines = self.capture()
            if found(lines):
                return lines
            time.sleep(interval)
        return None

    def settled(self, quiet: float = 0.15, timeout: float = 10.0) -> list[str]:
        """The pane once two captures ``quiet`` seconds apart are the same."""
        deadline = time.perf_counter() + timeout
        last = self.capture()
        while time.perf_counter() < deadline:
            time.sleep(quiet)
            lines = self.capture()
            if lines == last:
                return lines
            last = lines
        return last

    def close(self) -> None:
        if self.control.stdin is not None:
            self.control.stdin.close()
        self.control.wait(timeout=5)
        subprocess.run([*self.base, "kill-server"], capture_output=True)


def find_canvas(lines: list[str]) -> Canvas:
    """Locate the canvas inside its "Draw a digit" frame."""
    for row, line in enumerate(lines):
        title = line.find(f"─ {FRAME_TITLE}")
        if title < 0:
            continue
        left = line.rfind("╭", 0, title)
        right = line.find("╮", title)
        bottom = next(r for r in range(row + 1, len(lines)) if lines[r][left : left + 1] == "╰")
        # 0-based frame corner -> 1-based screen cell of canvas cell (0, 0).
        return Canvas(left + 2, row + 2, right - left - 1, bottom - row - 1)
    raise RuntimeError(f"no '{FRAME_TITLE}' frame on screen")


def canvas_text(lines: list[str], canvas: Canvas) -> list[str]:
    """The canvas's own cells from the pane."""
    rows = lines[canvas.row - 1 : canvas.row - 1 + canvas.height]
    return [row[canvas.column - 1 : canvas.column - 1 + canvas.width] for row in rows]


def expected_ink(strokes: list, canvas: Canvas) -> list[str]:
    """The canvas rows the strokes should paint, in half-blocks."""
    pixels = drawing_pixels(tuple(tuple((float(x), float(y)) for x, y in s) for s in strokes))
    return [
        "".join(
            " ▀▄█"[((x, 2 * y) in pixels) + 2 * ((x, 2 * y + 1) in pixels)]
            for x in range(canvas.width)
        )
        for y in range(canvas.height)
    ]


def prediction(lines: list[str]) -> int | None:
    for line in lines:
        match = PREDICTION.search(line)
        if match:
            return int(match.group(1))
    return None


def received(strokes: list[list[list[int]]], canvas: Canvas) -> tuple[list, int, int]:
    """The strokes the canvas gets from these reports, and how many were off it.

    A press off the canvas starts no stroke (its drags are not captured); a
    captured drag off the canvas is kept on its edge.

    Returns:
        (strokes, presses off the canvas, drags clamped to its edge).
    """
    kept, lost, clamped = [], 0, 0
    for stroke in strokes:
        if not canvas.contains(*stroke[0]):
            lost += 1
            continue
        points = []
        for x, y in stroke:
            if not canvas.contains(x, y):
                clamped += 1
            point = list(canvas.clamp(x, y))
            if not points or points[-1] != point:
                points.append(point)
        kept.append(points)
    return kept, lost, clamped


def reports(stroke: list[list[int]], canvas: Canvas) -> list[str]:
    """SGR reports for one stroke: press, drags, release where the pen was lifted."""
    out = []
    for index, (x, y) in enumerate(stroke):
        column, row = canvas.screen(x, y)
        # Terminals cannot report positions left of or above the screen.
        column, row = min(max(column, 1), COLUMNS), min(max(row, 1), ROWS)
        out.append(f"\x1b[<{0 if index == 0 else 32};{column};{row}M")
    out.append(out[-1][:-1].replace("<32;", "<0;") + "m")
    return out


def sample(digits: int, seed: int) -> list[dict]:
    """Held-out pen digits, sampled as replay.py's ``--limit``/``--seed`` would."""
    with gzip.open(PEN_DEV, "rt", encoding="utf-8") as file:
        lines = [json.loads(line) for line in file if line.strip()]
    return random.Random(seed).sample(lines, digits)


def width_of(strokes: list) -> int:
    return max(x for stroke in strokes for x, _ in stroke) + 1


def fit(items: list[dict], rows: float, canvas: Canvas, margin: int) -> tuple[list[dict], int]:
    """Replay ``items`` at ``rows`` rows, smaller where a digit would not fit.

    A few pen digits are far wider than tall (a 1 written as a slanted
    dash); at 12 rows they would span hundreds of columns, wider than any
    terminal, so those are replayed at the height that fits the canvas.

    Returns:
        The replayed digits and how many had to be made smaller.
    """
    replayed = replay(items, rows, "cells", left=0, top=0)
    room = canvas.width - margin
    wide = [i for i, item in enumerate(replayed) if width_of(item["strokes"]) > room]
    for index in wide:
        smaller = rows * room / width_of(replayed[index]["strokes"])
        while True:
            (again,) = replay([items[index]], smaller, "cells", left=0, top=0)
            if width_of(again["strokes"]) <= room:
                break
            smaller *= 0.95
        replayed[index] = again
    return replayed, len(wide)


def place(strokes: list, canvas: Canvas, left: int, top: int) -> list:
    """Move a digit to ``(left, top)``, or further left if it would not fit."""
    left = max(0, min(left, canvas.width - width_of(strokes)))
    return [[[x + left, y + top] for x, y in stroke] for stroke in strokes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=200, help="held-out digits to draw")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--rows", type=float, default=12, help="digit height in rows")
    parser.add_argument("--pace", type=float, default=1 / 60, help="seconds between reports")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed")
        return 1

    items = sample(args.digits, args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="tuipad-tmux-"))
    home = workdir / "home"
    home.mkdir()
    env = dict(os.environ, TUIPAD_HOME=str(home))
    env.pop("TMUX", None)
    # The sleep lets tmux read the echo before the pane dies.
    tmux = Tmux(f'{shlex.quote(TUIPAD)}; echo "{EXITED} $?"; sleep 2', env, workdir)
    try:
        first = tmux.wait_for(lambda lines: any(FRAME_TITLE in line for line in lines), 30)
        if first is None:
            print("no first frame within 30 s")
            return 1
        first_frame = time.perf_counter() - tmux.started
        loaded = tmux.wait_for(lambda lines: any("draw a digit" in line for line in lines), 120)
        if loaded is None:
            print("the model did not load within 120 s")
            return 1
        model_ready = time.perf_counter() - tmux.started
        time.sleep(0.5)
        canvas = find_canvas(tmux.settled())
        print(
            f"tmux {COLUMNS}x{ROWS}: canvas {canvas.width}x{canvas.height} cells at screen"
            f" column {canvas.column}, row {canvas.row} (1-based)"
        )
        print(f"first frame {first_frame:.2f} s, model ready {model_ready:.2f} s")
        digits, shrunk = fit(items, args.rows, canvas, margin=4)

        sent, shown, notes, not_cleared, ink_mismatch = [], [], [], 0, 0
        lost_total = clamped_total = 0
        report_count = 0
        for number, item in enumerate(digits):
            strokes = place(item["strokes"], canvas, left=4, top=2)
            kept, lost, clamped = received(strokes, canvas)
            lost_total += lost
            clamped_total += clamped
            for stroke in strokes:
                for report in reports(stroke, canvas):
                    tmux.send(report)
                    report_count += 1
                    if args.pace:
                        time.sleep(args.pace)
            # All reports are in once the canvas shows the whole drawing; the
            # release that settles the panel is queued right behind the last one.
            want = expected_ink(kept, canvas)
            inked = tmux.wait_for(
                lambda lines, want=want: (
                    canvas_text(lines, canvas) == want and prediction(lines) is not None
                ),
                timeout=10,
            )
            if inked is None:
                ink_mismatch += 1
            answer = prediction(tmux.settled(quiet=0.25))
            sent.append({"label": item["label"], "strokes": kept})
            shown.append(answer)
            notes.append((lost, clamped))
            tmux.send("c")
            cleared = tmux.wait_for(
                lambda lines: (
                    prediction(lines) is None and not INK & set("".join(canvas_text(lines, canvas)))
                ),
                timeout=5,
            )
            if cleared is None:
                not_cleared += 1
            if (number + 1) % 50 == 0:
                print(f"  {number + 1} digits drawn", flush=True)

        tmux.send("q")
        left = tmux.wait_for(lambda lines: any(EXITED in line for line in lines), timeout=10)
        ended = [line for line in left or [] if EXITED in line]
        exit_line = ended[0] if ended else "no: still running 10 s after q"
        tmux.capture()  # the pane after the app left: a crash would print here
    finally:
        tmux.close()

    drawings = workdir / "received.jsonl"
    # A digit none of whose presses reached the canvas leaves nothing to compare.
    drawn = [index for index, item in enumerate(sent) if item["strokes"]]
    drawings.write_text("".join(json.dumps(sent[index]) + "\n" for index in drawn))
    result = subprocess.run(
        [TUIPAD, "eval", str(drawings), "--json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        print(f"tuipad eval failed: {result.stderr.strip()} (drawings kept in {drawings})")
        return 1
    predictions = json.loads(result.stdout)["predictions"]
    expected: list[int | None] = [None] * len(sent)
    for index, predicted in zip(drawn, predictions, strict=True):
        expected[index] = predicted
    agree = sum(a == b for a, b in zip(shown, expected, strict=True))
    n = len(expected)
    if len(drawn) < n:
        print(f"digits that left nothing on the canvas: {n - len(drawn)}")
    print(
        f"{n} held-out digits ({args.rows:g} rows, whole cells, seed {args.seed},"
        f" {report_count} reports at {'burst' if not args.pace else f'{1 / args.pace:.0f}/s'}):"
        f" screen agrees with tuipad eval on {agree}/{n} ({agree / n:.1%})"
    )
    for index, (a, b) in enumerate(zip(shown, expected, strict=True)):
        if a != b:
            lost, clamped = notes[index]
            print(
                f"  digit {index} (label {digits[index]['label']}): screen {a}, eval {b};"
                f" presses off the canvas {lost}, drags clamped {clamped}"
            )
    print(
        f"digits too wide for the canvas at {args.rows:g} rows, drawn smaller to fit: {shrunk};"
        f" presses off the canvas: {lost_total}, drags kept on its edge: {clamped_total}"
    )
    print(f"ink on screen exactly the strokes sent: {n - ink_mismatch}/{n}")
    print(f"c cleared the canvas and the panel: {n - not_cleared}/{n}")
    print(f"q quits: {exit_line.strip()}")
    print(f"captures showing 'Traceback': {tmux.tracebacks}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
