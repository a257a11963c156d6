"""Running a target in a spawned process: result, progress, errors, cancellation, a killed child."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tuipad.background import BackgroundError, run_in_process, run_in_thread
from tuipad.core.training import TrainingCancelled

# Targets run in the child, so they live at module level (pickled by reference).


def add(a: int, b: int, *, progress, should_stop, scale: int = 1) -> int:
    for step in range(3):
        progress(f"step {step}", (step + 1) / 3)
    return (a + b) * scale


def fail(*, progress, should_stop) -> None:
    progress("about to fail", 0.5)
    raise ValueError("bad\nthing  happened")


class Unpicklable(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def fail_oddly(*, progress, should_stop) -> None:
    raise Unpicklable("cannot", "travel")


def cancel_inside(*, progress, should_stop) -> None:
    raise TrainingCancelled


def sleep_then_mark(path: str, *, progress, should_stop) -> None:
    Path(path, "pid").write_text(str(os.getpid()))
    progress("sleeping", 0.0)
    time.sleep(30)
    Path(path, "finished").write_text("yes")


def kill_self(*, progress, should_stop) -> None:
    progress("dying", 0.0)
    os.kill(os.getpid(), signal.SIGKILL)


def write_everywhere(*, progress, should_stop) -> int:
    print("to stdout")
    print("to stderr", file=sys.stderr)
    os.write(1, b"fd 1\n")
    os.write(2, b"fd 2\n")
    return os.getpid()


def test_returns_the_result_and_relays_progress() -> None:
    reports: list[tuple[str, float]] = []
    result = run_in_process(add, 2, 3, scale=10, progress=lambda s, f: reports.append((s, f)))
    assert result == 50
    assert reports == [("step 0", 1 / 3), ("step 1", 2 / 3), ("step 2", 1.0)]


def test_a_fitted_estimator_comes_back() -> None:
    from tuipad.core.datasets import load_scans
    from tuipad.core.families import TrainingSpec
    from tuipad.core.training import train

    result = run_in_process(train, TrainingSpec("knn", pen=False, augment=False))
    X, _ = load_scans()
    assert result.estimator.predict(X[:5]).shape == (5,)
    assert result.evaluation.n == 899


def test_the_childs_exception_is_raised_here() -> None:
    reports: list[str] = []
    with pytest.raises(ValueError, match="bad"):
        run_in_process(fail, progress=lambda s, f: reports.append(s))
    assert reports == ["about to fail"]


def test_an_exception_that_cannot_travel_becomes_one_line() -> None:
    with pytest.raises(BackgroundError, match=r"^Unpicklable: cannot travel$"):
        run_in_process(fail_oddly)


def test_cancelled_in_the_child_is_cancelled_here() -> None:
    with pytest.raises(TrainingCancelled):
        run_in_process(cancel_inside)


def test_should_stop_terminates_the_child_quickly(tmp_path: Path) -> None:
    started: list[float] = []

    def progress(stage: str, fraction: float) -> None:
        started.append(time.monotonic())

    with pytest.raises(TrainingCancelled):
        run_in_process(
            sleep_then_mark,
            str(tmp_path),
            progress=progress,
            should_stop=lambda: bool(started) and time.monotonic() - started[0] > 0.2,
        )
    stopped = time.monotonic() - started[0]
    assert stopped < 1.5, f"took {stopped:.2f} s to stop"
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped
    assert not (tmp_path / "finished").exists()


def test_a_killed_child_gives_a_clear_error() -> None:
    with pytest.raises(BackgroundError, match=r"stopped by SIGKILL before it finished"):
        run_in_process(kill_self)


def test_the_child_writes_nothing_to_our_streams(capfd: pytest.CaptureFixture[str]) -> None:
    pid = run_in_process(write_everywhere)
    assert pid != os.getpid()
    out, err = capfd.readouterr()
    assert "fd 1" not in out and "to stdout" not in out
    assert "fd 2" not in err and "to stderr" not in err


def test_run_in_thread_calls_the_target_here() -> None:
    reports: list[str] = []
    assert run_in_thread(add, 1, 1, progress=lambda s, f: reports.append(s)) == 2
    assert len(reports) == 3


def test_works_under_a_stderr_without_a_descriptor() -> None:
    """Textual's stand-in stderr answers fileno() with -1; spawning must still work."""
    import subprocess

    code = (
        "import sys, io\n"
        "class StandIn(io.StringIO):\n"
        "    def fileno(self): return -1\n"
        "sys.stderr = StandIn()\n"
        "from tuipad.background import run_in_process\n"
        "from test_background import add\n"
        "if __name__ == '__main__':\n"
        "    print(run_in_process(add, 2, 2))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
        timeout=60,
    )
    assert done.stdout.strip() == "4", done.stderr
