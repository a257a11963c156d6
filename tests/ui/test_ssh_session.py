"""The sketchpad over SSH, as it is used: a real server, a pty, mouse reports in pieces.

An asyncssh server on loopback runs ``python -m tuipad`` in a pty for each
session and, like sshd, closes the pty when the connection goes, so the app
gets the hang-up a dropped connection gives it.  The client asks for a pty,
reads the screen through pyte, draws a 7 with SGR mouse reports split at
awkward places and delayed, confirms it (a personal sample), then drops the
connection without a word.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import random
import struct
import subprocess
import sys
import termios
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from pty_terminal import COLUMNS, READY, ROWS, Screen, app_environment

from tuipad.store.paths import Paths
from tuipad.store.samples import SampleStore

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")

SEVEN = [(x, 6) for x in range(10, 31)] + [(30 - i // 2, 6 + i) for i in range(1, 24)]
"""A 7 in 1-based screen cells: a bar, then a long slant (the canvas starts at column 2, row 3)."""

ESCAPE_DELAY = 0.1
"""Textual's wait after ESC before it decides ESC was a key; pieces arrive well within it."""


class AppSessions:
    """Runs the app in a pty for every SSH session, and hangs it up when the session goes."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.apps: list[subprocess.Popen[bytes]] = []

    async def __call__(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        columns, rows, *_ = process.term_size
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        app = subprocess.Popen(
            [sys.executable, "-m", "tuipad"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=app_environment(self.home) | {"TERM": process.term_type or "dumb"},
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.apps.append(app)
        loop = asyncio.get_running_loop()
        loop.add_reader(master, self._relay_output, master, process)
        try:
            while data := await process.stdin.read(4096):
                os.write(master, data)
        except (asyncssh.Error, OSError):
            pass  # the connection or the app went away
        finally:
            loop.remove_reader(master)
            os.close(master)  # the hang-up: the kernel sends the app SIGHUP
            with contextlib.suppress(Exception):
                process.exit(0)

    @staticmethod
    def _relay_output(master: int, process: asyncssh.SSHServerProcess[bytes]) -> None:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            process.stdout.write(data)
        else:
            asyncio.get_running_loop().remove_reader(master)


class ScreenSession(asyncssh.SSHClientSession[bytes]):
    """The client's side: everything the server sends goes to a terminal emulator."""

    def __init__(self) -> None:
        self.screen = Screen(COLUMNS, ROWS)

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.screen.feed(data)


@pytest.fixture
async def ssh_server(tmp_path: Path, tuipad_home: Path) -> AsyncIterator[dict[str, Any]]:
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    authorized = tmp_path / "authorized_keys"
    client_key.write_public_key(authorized)
    sessions = AppSessions(tuipad_home)
    server = await asyncssh.create_server(
        asyncssh.SSHServer,
        "127.0.0.1",
        0,
        server_host_keys=[host_key],
        authorized_client_keys=str(authorized),
        process_factory=sessions,
        encoding=None,
    )
    port = server.sockets[0].getsockname()[1]
    try:
        yield {"port": port, "host_key": host_key, "client_key": client_key, "sessions": sessions}
    finally:
        server.close()
        await server.wait_closed()
        for app in sessions.apps:
            if app.poll() is None:
                app.kill()
                app.wait(5)


def mouse_reports(points: list[tuple[int, int]]) -> bytes:
    """A press, drags with the left button held, and the release, as SGR reports."""
    first, *rest = points
    reports = [f"\x1b[<0;{first[0]};{first[1]}M"]
    reports += [f"\x1b[<32;{x};{y}M" for x, y in rest]
    reports.append(f"\x1b[<0;{points[-1][0]};{points[-1][1]}m")
    return "".join(reports).encode()


def awkward_pieces(data: bytes, rng: random.Random) -> list[bytes]:
    """``data`` cut at random places: inside the ESC [ < prefix, inside numbers, anywhere."""
    cuts = sorted(rng.sample(range(1, len(data)), k=len(data) // 6))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


async def screen_shows(screen: Screen, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in screen.text():
            return True
        await asyncio.sleep(0.05)
    return False


def processes_with_home(home: Path) -> list[int]:
    """Processes whose environment names this test's data directory: the app and its children."""
    marker = f"TUIPAD_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


async def child_started(home: Path, timeout: float) -> bool:
    """Whether the app has started a process of its own within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(processes_with_home(home)) > 1:
            return True
        await asyncio.sleep(0.1)
    return False


async def no_process_left(home: Path, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := processes_with_home(home)) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return left


async def test_draw_over_ssh_confirm_and_drop_the_connection(
    ssh_server: dict[str, Any], tuipad_home: Path
) -> None:
    async with asyncio.timeout(30):
        conn = await asyncssh.connect(
            "127.0.0.1",
            ssh_server["port"],
            username="tester",
            client_keys=[ssh_server["client_key"]],
            known_hosts=([ssh_server["host_key"].convert_to_public()], [], []),
        )
        channel, session = await conn.create_session(
            ScreenSession,
            term_type="xterm-256color",
            term_size=(COLUMNS, ROWS),
            encoding=None,
        )
        screen = session.screen
        assert await screen_shows(screen, READY, timeout=20), screen.text()

        rng = random.Random(14)
        for piece in awkward_pieces(mouse_reports(SEVEN), rng):
            channel.write(piece)
            await asyncio.sleep(rng.uniform(0, ESCAPE_DELAY / 3))
        assert await screen_shows(screen, "Prediction 7", timeout=5), screen.text()

        await asyncio.sleep(0.3)  # a digit typed right after the mouse is taken for its debris
        channel.write(b"7")
        assert await screen_shows(screen, "saved as a 7", timeout=5), screen.text()

        # The new sample starts the model adapting in a child process a few seconds
        # later: the connection drops while it runs.
        assert await child_started(tuipad_home, timeout=10)
        conn.abort()  # the connection drops: no exit, no channel close
        assert await no_process_left(tuipad_home, timeout=10) == []

    [app] = ssh_server["sessions"].apps
    assert app.wait(5) == 129  # it ended on the hang-up, in order
    with SampleStore.open(Paths(tuipad_home).samples) as store:
        assert [sample.label for sample in store.list()] == [7]
