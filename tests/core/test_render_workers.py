"""Render workers do not outlive a parent killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

RENDER_FOREVER = """
from tuipad.core import datasets, pen_rendering
pen = datasets.load_pen_digits()
pen_rendering.render_pen_digits(pen, pen_rendering.Rendering(copies=8), jobs=2)
"""


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux's /proc")
def test_render_workers_exit_when_the_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", RENDER_FOREVER])
    try:
        deadline = time.monotonic() + 60
        while len(workers := children_of(parent.pid)) < 2:
            assert time.monotonic() < deadline, "no render workers started"
            time.sleep(0.1)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "render workers outlived their parent"
            time.sleep(0.1)
    finally:
        parent.kill()
