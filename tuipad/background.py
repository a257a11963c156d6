"""Run a long computation in a separate process, with progress, cancellation and errors.

A thread worker shares the GIL with the UI: long stretches of Python or of
C code that keeps the GIL (libsvm's ``decision_function`` inside the
calibration, the rendering loops) made the sketchpad answer a drawn digit
only after a second.  A spawned child has its own interpreter, so the
caller's thread only waits on a pipe.

The child is spawned (never forked: the parent may hold Textual's threads
and locks) and its standard streams go to ``/dev/null``, so nothing it
prints reaches the terminal and libraries that need a real ``fileno()``
(joblib's loky) work there.  Progress calls travel back over a pipe;
``should_stop`` is polled in the parent, which terminates the child when
it says so.

Both runners have the signature of :data:`Runner`, so a caller can run the
same target in-thread (tests that monkeypatch the core) or in a process.
No Textual here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar

from tuipad.core.training import TrainingCancelled

T = TypeVar("T")

CHILD_NICENESS = 10
"""How much lower the child's scheduling priority is: on a busy machine the
sketchpad, not the training, gets the cores first."""

POLL_SECONDS = 0.05
"""How often the parent checks ``should_stop`` and the child's health."""

TERMINATE_SECONDS = 2.0
"""How long a terminated child may take to exit before it is killed."""


class BackgroundError(RuntimeError):
    """The child process failed in a way that cannot be re-raised as is (one line)."""


class Runner(Protocol):
    """Runs ``target(*args, progress=..., should_stop=..., **kwargs)`` and returns its result.

    ``should_stop`` is polled while it runs; when it returns true the run
    stops and :class:`~tuipad.core.training.TrainingCancelled` is raised.
    """

    def __call__(
        self,
        target: Callable[..., T],
        /,
        *args: Any,
        progress: Callable[..., None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        **kwargs: Any,
    ) -> T: ...


def run_in_thread(
    target: Callable[..., T],
    /,
    *args: Any,
    progress: Callable[..., None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> T:
    """Call ``target`` in the calling thread, handing it ``progress`` and ``should_stop``.

    Args:
        target: Takes ``progress`` and ``should_stop`` keyword arguments.
        *args: Its positional arguments.
        progress: Called with a stage name and the fraction done.
        should_stop: Passed on; the target checks it between steps.
        **kwargs: Its other keyword arguments.

    Returns:
        What ``target`` returned.
    """
    return target(*args, progress=progress, should_stop=should_stop or (lambda: False), **kwargs)


def run_in_process(
    target: Callable[..., T],
    /,
    *args: Any,
    progress: Callable[..., None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> T:
    """Call ``target`` in a spawned child process and wait for its result.

    The child calls ``target(*args, progress=relay, should_stop=never,
    **kwargs)``: ``relay`` sends each report to this process, which passes it
    to ``progress``; the child is stopped by terminating it, so its own
    ``should_stop`` never says stop.  ``target``, the arguments and the result must pickle
    (``target`` must be a module-level function).

    Args:
        target: A module-level function taking ``progress`` and ``should_stop``.
        *args: Its positional arguments.
        progress: Called here, in the calling thread, with each report.
        should_stop: Polled here every :data:`POLL_SECONDS`; true terminates
            the child.
        **kwargs: Its other keyword arguments.

    Returns:
        What ``target`` returned in the child.

    Raises:
        TrainingCancelled: ``should_stop`` said so, or the target raised it.
        BackgroundError: The child died (killed, out of memory) or raised an
            exception that cannot travel back; one line.
        Exception: The target's own exception, when it pickles.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main,
        args=(sender, target, args, kwargs),
        name=f"tuipad-{getattr(target, '__name__', 'worker')}",
        daemon=True,
    )
    try:
        _start_resource_tracker()
        child.start()
        sender.close()  # so a dead child reads as end of file here
        while True:
            if should_stop is not None and should_stop():
                raise TrainingCancelled
            if not receiver.poll(POLL_SECONDS):
                continue
            try:
                kind, *payload = receiver.recv()
            except EOFError:
                child.join(TERMINATE_SECONDS)
                raise BackgroundError(_death(child)) from None
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "result":
                return pickle.loads(payload[0])  # type: ignore[no-any-return]
            else:
                raise _rebuild(*payload)
    finally:
        receiver.close()
        sender.close()
        _stop(child)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a usable stderr, once.

    Every spawn hands the child the tracker's pipe, starting the tracker
    first with ``sys.stderr.fileno()`` among the descriptors to keep.  Under
    Textual that is a stand-in whose ``fileno()`` is -1, and the spawn fails
    with "bad value(s) in fds_to_keep"; so the tracker gets ``/dev/null``.
    """
    from multiprocessing import resource_tracker

    stderr = sys.stderr
    try:
        usable = stderr is None or stderr.fileno() >= 0
    except (OSError, ValueError, AttributeError):
        usable = True  # multiprocessing skips a stream without a descriptor
    if usable:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = stderr


def _stop(child: Any) -> None:
    """Make sure the child and its own workers are gone: terminate, wait, kill.

    The child leads its own process group, so joblib workers it started go
    with it.  Until it is joined its pid cannot be reused, so signalling the
    group by that number cannot reach a stranger.
    """
    if child.pid is None:
        return  # never started
    if child.is_alive():
        _signal_group(child, signal.SIGTERM)
        child.join(TERMINATE_SECONDS)
    if child.is_alive():
        child.kill()
    _signal_group(child, signal.SIGKILL)  # stragglers, e.g. loky workers
    child.join()
    child.close()


def _signal_group(child: Any, number: int) -> None:
    """Signal the child's process group, or the child alone before it made one."""
    try:
        os.killpg(child.pid, number)
    except (ProcessLookupError, PermissionError):
        if child.is_alive():
            os.kill(child.pid, number)


def _death(child: Any) -> str:
    """One line saying how the child ended without an answer."""
    code = child.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the background process was stopped by {name} before it finished"
    return f"the background process exited (status {code}) before it finished"


def _rebuild(kind: str, message: str, pickled: bytes | None) -> BaseException:
    """The child's exception, or a one-line stand-in when it does not unpickle."""
    if kind == "TrainingCancelled":
        return TrainingCancelled()
    if pickled is not None:
        with contextlib.suppress(Exception):
            error = pickle.loads(pickled)
            if isinstance(error, Exception):
                return error
    return BackgroundError(f"{kind}: {message}" if message else kind)


def _child_main(
    conn: Connection, target: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """The child's entry: own group, low priority, quiet streams, run, send what came of it."""
    os.setpgid(0, 0)
    with contextlib.suppress(AttributeError, OSError):  # no os.nice on Windows
        os.nice(CHILD_NICENESS)
    _silence()
    _watch_parent()

    def relay(*report: Any) -> None:
        conn.send(("progress", *report))

    try:
        result = target(*args, progress=relay, should_stop=lambda: False, **kwargs)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # everything must reach the parent
        message = " ".join(str(error).split())
        pickled: bytes | None = None
        with contextlib.suppress(Exception):
            pickle.loads(candidate := pickle.dumps(error))
            pickled = candidate
        conn.send(("error", type(error).__name__, message, pickled))
    else:
        conn.send(("result", data))
    finally:
        conn.close()


def _watch_parent() -> None:
    """End the child's group if the parent dies without stopping it (a daemon thread)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="tuipad-watch-parent", daemon=True).start()


def _silence() -> None:
    """Point the child's standard streams at ``/dev/null`` (file descriptors too).

    A spawned child inherits the terminal's descriptors 0-2; a warning printed
    there would land in the middle of the Textual screen.
    """
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the process's stream, open until it exits
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
