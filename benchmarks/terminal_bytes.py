"""What the sketchpad costs a terminal: bytes per drawn cell, burst latency, first frame.

Runs the app under a pseudo-terminal (TERM=xterm-256color, 100x30), as a
terminal or an SSH session would see it, and sends SGR mouse reports:

* a digit drawn at a human pace (about 60 drag reports a second): every byte
  the app writes from the press until the panel settles after the release,
  divided by the cells the drawing inks (target: at most 300 bytes a cell);
* a burst of 1,000 drag reports written at once: the time from the last
  report until the last cell is painted, and until the output settles
  (target: 0.5 s);
* the time to the first frame, side by side with a minimal Textual app
  (target: at most 1.5 times).

It prints figures and asserts nothing.  The app loads the active model from
``$TUIPAD_HOME`` (default: a cache directory under the system temp dir), which
may retrain it once (about 40 s) if no model ships.

Usage: python benchmarks/terminal_bytes.py [--runs N]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from tuipad.core.geometry import pixel_cells
from tuipad.core.sketch import Sketch

COLUMNS, ROWS = 100, 30
"""Terminal size of the measurements."""

CANVAS_ORIGIN = (2, 3)
"""1-based screen column and row of the canvas's top-left cell at 100x30."""

PACE = 1 / 60
"""Seconds between drag reports at a human pace."""

TUIPAD = "from tuipad.ui.app import run_app; raise SystemExit(run_app())"
"""The sketchpad, as ``tuipad`` with no command starts it."""

MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal first frame")
Minimal().run()
"""
"""The smallest Textual app to compare the first frame against."""


class Terminal:
    """A child process on a pty, with everything it writes recorded with times."""

    def __init__(self, code: str, env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.5)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.chunks.append((time.perf_counter(), data))

    def output(self, since: float = 0.0) -> bytes:
        """Everything written at or after ``since`` (a perf_counter time)."""
        with self._lock:
            return b"".join(data for at, data in self.chunks if at >= since)

    def last_output_time(self) -> float:
        with self._lock:
            return self.chunks[-1][0] if self.chunks else self.started

    def wait_for(self, marker: bytes, timeout: float, since: float = 0.0) -> float | None:
        """When ``marker`` first appeared in the output, waiting up to ``timeout``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                seen = b""
                for at, data in self.chunks:
                    if at < since:
                        continue
                    seen += data
                    if marker in seen:
                        return at
            time.sleep(0.01)
        return None

    def wait_quiet(self, quiet: float, timeout: float = 30.0) -> None:
        """Wait until nothing has been written for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if time.perf_counter() - self.last_output_time() >= quiet:
                return
            time.sleep(0.02)

    def send(self, data: bytes) -> float:
        """Write input, returning when it was all written."""
        view = memoryview(data)
        while view:
            written = os.write(self.master, view)
            view = view[written:]
        return time.perf_counter()

    def close(self, quit_keys: bytes) -> None:
        try:
            self.send(quit_keys)
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def press(x: int, y: int) -> bytes:
    return f"\x1b[<0;{x};{y}M".encode()


def drag(x: int, y: int) -> bytes:
    return f"\x1b[<32;{x};{y}M".encode()


def release(x: int, y: int) -> bytes:
    return f"\x1b[<0;{x};{y}m".encode()


def path_through(vertices: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Canvas positions along a polyline, about one cell apart (a hand's pace)."""
    points = [vertices[0]]
    for (x0, y0), (x1, y1) in zip(vertices, vertices[1:], strict=False):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(1, steps + 1):
            point = (round(x0 + (x1 - x0) * step / steps), round(y0 + (y1 - y0) * step / steps))
            if point != points[-1]:
                points.append(point)
    return points


TWO = [
    (10, 6),
    (14, 3),
    (22, 2),
    (30, 3),
    (33, 7),
    (30, 12),
    (22, 17),
    (13, 22),
    (20, 22),
    (36, 22),
]
"""Vertices of a 2 in canvas cells, about 26x20 cells."""


def screen(point: tuple[int, int]) -> tuple[int, int]:
    """The 1-based screen position of a canvas cell (what SGR reports)."""
    return point[0] + CANVAS_ORIGIN[0], point[1] + CANVAS_ORIGIN[1]


def cells_inked(points: list[tuple[int, int]]) -> int:
    sketch = Sketch()
    sketch.begin((float(points[0][0]), float(points[0][1])))
    for x, y in points[1:]:
        sketch.extend((float(x), float(y)))
    sketch.finish()
    return len(pixel_cells(sketch.pixels()))


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS), TUIPAD_HOME=str(home))
    env.pop("TEXTUAL", None)
    return env


def first_frame(code: str, marker: bytes, env: dict[str, str], quit_keys: bytes) -> float:
    terminal = Terminal(code, env)
    try:
        at = terminal.wait_for(marker, timeout=30)
        if at is None:
            raise RuntimeError(f"no first frame ({marker!r} never appeared)")
        return at - terminal.started
    finally:
        terminal.close(quit_keys)


def measure_drawing(env: dict[str, str]) -> None:
    terminal = Terminal(TUIPAD, env)
    try:
        if terminal.wait_for(b"Draw a digit", timeout=30) is None:
            raise RuntimeError("the app did not draw its first frame")
        loaded = terminal.wait_for(b"draw a digit", timeout=120)
        if loaded is None:
            raise RuntimeError("the model did not load within 120 s")
        if terminal.wait_for(b"Model", timeout=1.0, since=loaded) is not None:
            time.sleep(11)  # let the model notice (a toast) time out first
        terminal.wait_quiet(1.0)

        points = path_through(TWO)
        cells = cells_inked(points)
        start = time.perf_counter()
        terminal.send(press(*screen(points[0])))
        for point in points[1:]:
            time.sleep(PACE)
            terminal.send(drag(*screen(point)))
        time.sleep(PACE)
        lifted = terminal.send(release(*screen(points[-1])))
        during = len(terminal.output(since=start))
        time.sleep(0.3)
        terminal.wait_quiet(0.5)
        total = len(terminal.output(since=start))
        seconds = lifted - start
        rate = len(points) / seconds
        print(f"drawing a 2 at {rate:.0f} reports/s: {len(points)} reports, {cells} cells inked")
        print(f"  bytes written while the pen was down: {during} ({during / cells:.0f} per cell)")
        print(f"  bytes including the settled panel:    {total} ({total / cells:.0f} per cell)")
        print(f"  bytes per drag report:                {total / len(points):.0f}")

        terminal.send(b"c")
        time.sleep(0.3)
        terminal.wait_quiet(0.5)
        zigzag = []
        for lap in range(1000):
            row = 2 + (lap // 40) % 16
            column = 4 + (lap % 40 if (lap // 40) % 2 == 0 else 39 - lap % 40)
            zigzag.append((column, row))
        # A row the zigzag never visits, at the left edge of a band (BAND_WIDTH = 8),
        # so the update that paints it starts with a move to exactly this cell.
        last = (48, 24)
        zigzag[-1] = last
        burst = press(*screen(zigzag[0])) + b"".join(drag(*screen(p)) for p in zigzag[1:])
        burst_start = time.perf_counter()
        sent = terminal.send(burst)
        x, y = screen(last)
        painted = terminal.wait_for(f"\x1b[{y};{x}H".encode(), timeout=10, since=burst_start)
        terminal.wait_quiet(0.5)
        settled = terminal.last_output_time()
        terminal.send(release(x, y))
        print(f"burst of {len(zigzag)} drag reports (written in {sent - burst_start:.3f} s):")
        if painted is None:
            moves = re.findall(rb"\x1b\[\d+;\d+H", terminal.output(since=burst_start))
            print(f"  last cell: not seen in the output (last moves: {moves[-4:]})")
        else:
            print(f"  last cell on screen {max(painted - sent, 0.0):.3f} s after the last report")
        print(f"  output settled {settled - sent:.3f} s after the last report")
    finally:
        terminal.close(b"q")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="first-frame runs of each app")
    parser.add_argument("--first-frame-only", action="store_true", help="skip the drawing")
    args = parser.parse_args()
    home = Path(os.environ.get("TUIPAD_HOME") or Path(tempfile.gettempdir()) / "tuipad-bench-home")
    env = environment(home)
    print(f"terminal {COLUMNS}x{ROWS}, TERM=xterm-256color, TUIPAD_HOME={home}")

    tuipad_times, minimal_times = [], []
    for _ in range(args.runs):
        minimal_times.append(first_frame(MINIMAL, b"minimal first frame", env, b"\x11"))
        tuipad_times.append(first_frame(TUIPAD, b"Draw a digit", env, b"q"))
    tuipad_first, minimal_first = statistics.median(tuipad_times), statistics.median(minimal_times)
    print(
        f"first frame, median of {args.runs}: tuipad {tuipad_first:.3f} s,"
        f" minimal Textual app {minimal_first:.3f} s ({tuipad_first / minimal_first:.2f}x)"
    )

    if not args.first_frame_only:
        measure_drawing(env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
