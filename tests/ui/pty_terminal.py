"""The app in a real pseudo-terminal, its screen read through pyte (a terminal emulator).

Shared by the tests of the terminal driver and of the SSH session: they need
what a person at a terminal sees, not what Textual's test harness reports.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pyte

COLUMNS, ROWS = 100, 32
"""The terminal's size in the tests."""

READY = "draw a digit"
"""What the panel says once the model is loaded and the sketchpad answers."""


def app_environment(home: Path) -> dict[str, str]:
    """The environment of an app under test: its own data directory, this checkout first."""
    env = dict(os.environ)
    env.update(TUIPAD_HOME=str(home), TERM="xterm-256color", COLORTERM="truecolor")
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.pop("TEXTUAL_DRIVER", None)
    return env


class Screen:
    """A pyte screen fed from raw terminal output, safe to read from another thread."""

    def __init__(self, columns: int = COLUMNS, rows: int = ROWS) -> None:
        self._screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._lock = threading.Lock()
        self.raw = bytearray()
        """Every byte written to the terminal."""

    def feed(self, data: bytes) -> None:
        with self._lock:
            self.raw += data
            self._stream.feed(data)

    def text(self) -> str:
        """The screen now, one line per row."""
        with self._lock:
            return "\n".join(self._screen.display)


class PtyApp:
    """``python -m tuipad`` with a pty as its controlling terminal."""

    def __init__(
        self, home: Path, *, columns: int = COLUMNS, rows: int = ROWS, controlling: bool = True
    ) -> None:
        """Start the app.

        Args:
            home: Its data directory.
            columns: The terminal's width.
            rows: The terminal's height.
            controlling: Make the pty the app's controlling terminal, so closing it
                sends SIGHUP; otherwise the app only finds its input gone.
        """
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tuipad"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=app_environment(home),
            start_new_session=True,
            # The pty becomes the controlling terminal, so closing it hangs the app up.
            preexec_fn=(lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0)) if controlling else None,
        )
        os.close(slave)
        self.master = master
        self.screen = Screen(columns, rows)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except OSError:
                return  # EIO: the app closed its side
            except ValueError:
                return  # hang_up closed ours
            if not data:
                return
            self.screen.feed(data)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_for(self, text: str, timeout: float = 20.0) -> bool:
        """Whether ``text`` appears on the screen within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen.text():
                return True
            if self.process.poll() is not None:
                return text in self.screen.text()
            time.sleep(0.05)
        return False

    def wait_exit(self, timeout: float = 10.0) -> int | None:
        """The exit status, or ``None`` if the app still runs after ``timeout``."""
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._reader.join(2.0)
        return status

    def hang_up(self) -> None:
        """Close the terminal's side, as sshd does when the connection drops."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        """Kill the app if it still runs (a failed test) and free the pty."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.hang_up()
        self._reader.join(2.0)
