"""One progress bar per job: stages laid out in advance, a bar that never goes back.

A job (a training, a personal adaptation) runs stages whose own progress
callbacks each count from 0 to 1.  Shown as they come, a bar would fill for
the rendering, drop to nothing for the fit, fill again.  :class:`JobProgress`
lays the stages out on one bar in proportion to their expected cost, known
before the job starts (rows to render, rows to fit), and hands each stage a
callback that moves only its own stretch.  What it reports (:data:`JobReport`)
is the stage's text, the whole job's fraction and where the stage's stretch
ends, so a front end can keep the bar moving inside a long step that says
nothing (one SVC fit) without passing the stage's end.

Costs are rough seconds on one core; only their proportions shape the bar.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence

ProgressCallback = Callable[[str, float], None]
"""A stage's own progress: its text and its fraction done (as in :mod:`tuipad.core.fitting`)."""

JobReport = Callable[[str, float, float], None]
"""Called with the stage's text, the job's fraction done and the stage's end (both 0..1)."""

RENDER_SECONDS = 0.0006
"""About what replaying and rasterising one pen digit costs."""

KERNEL_SECONDS = 2e-8
"""About what one kernel evaluation of an SVC fit costs, per pair of rows."""


PATH_KERNEL_SECONDS = 1e-8
"""The same for the default model's path SVC, whose rows are only the pen digits'."""


def path_fit_seconds(rows: int) -> float:
    """Rough seconds to fit the default model's path part (and its calibration) on ``rows``."""
    return PATH_KERNEL_SECONDS * rows**2 * (1 + 3 * 4 / 9)


def fit_seconds(family: str, rows: int, tested: int = 0) -> float:
    """Rough seconds to fit ``family`` on ``rows`` rows and score ``tested`` more."""
    if family in ("svc-default", "svc-seed"):
        folds = 3 if family == "svc-default" else 0
        return KERNEL_SECONDS * rows**2 * (1 + folds * 4 / 9) + 1e-6 * rows * tested
    if family == "svc":
        return KERNEL_SECONDS * rows**2 * (1 + 6 * 2 * 4 / 9)
    if family == "knn":
        return 2e-8 * rows * max(tested, 1) + 1e-6 * rows
    if family == "mlp":
        return 60 * 6e-6 * rows
    return 1e-6 * rows


def save_seconds(family: str, rows: int) -> float:
    """Rough seconds to save a model fitted on ``rows`` rows: a k-NN keeps every row,
    an SVC about a fifth of them as support vectors, a network only its weights."""
    kept = {"knn": rows, "mlp": 0}.get(family, rows // 5)
    return 0.3 + 2e-5 * kept


def render_seconds(drawings: int) -> float:
    """Rough seconds to render ``drawings`` pen digits as terminal drawings."""
    return RENDER_SECONDS * drawings


class JobProgress:
    """Stages of one job laid out on one bar that never goes backwards.

    Example:
        >>> reports = []
        >>> job = JobProgress(lambda *r: reports.append(r), [("render", 3.0), ("fit", 1.0)])
        >>> job.part("render")("rendering", 0.5)
        >>> job.part("fit")("fitting", 0.0)
        >>> reports
        [('rendering', 0.375, 0.75), ('fitting', 0.75, 1.0)]
    """

    def __init__(self, report: JobReport | None, costs: Sequence[tuple[str, float]]) -> None:
        """Lay the stages out in order, each over a stretch in proportion to its cost.

        Args:
            report: Where the job's progress goes (``None``: nowhere).
            costs: ``(key, expected seconds)`` of each stage, in the order they run.
        """
        total = sum(max(cost, 0.0) for _, cost in costs) or 1.0
        self._report = report
        self._spans: dict[str, tuple[float, float]] = {}
        start = 0.0
        for key, cost in costs:
            end = min(1.0, start + max(cost, 0.0) / total)
            self._spans[key] = (start, end)
            start = end
        self._done = 0.0
        self._lock = threading.Lock()  # stages may report from two threads
        self.expected_seconds = total

    @property
    def done(self) -> float:
        """The job's fraction done so far."""
        return self._done

    def part(self, key: str) -> ProgressCallback:
        """The progress callback of stage ``key``: its 0..1 moves only its stretch.

        A key the plan does not know reports without moving the bar.
        """
        start, end = self._spans.get(key, (self._done, self._done))

        def report(text: str, fraction: float) -> None:
            if math.isnan(fraction):
                fraction = 0.0
            with self._lock:
                here = start + (end - start) * min(max(fraction, 0.0), 1.0)
                self._done = max(self._done, here)
                done = self._done
            if self._report is not None:
                self._report(text, done, max(end, done))

        return report

    def finish(self, text: str) -> None:
        """Fill the bar: the job is done."""
        with self._lock:
            self._done = 1.0
        if self._report is not None:
            self._report(text, 1.0, 1.0)


def stage_callback(progress: JobProgress | ProgressCallback | None, key: str) -> ProgressCallback:
    """The callback a stage reports to: its part of a job, or the plain callback as given."""
    if isinstance(progress, JobProgress):
        return progress.part(key)
    return progress or _nowhere


def _nowhere(text: str, fraction: float) -> None:
    """A stage's progress when nobody listens."""


class BarEstimate:
    """What a front end shows between a job's reports: a creeping bar and the time left.

    Inside a stage that reports nothing for a while, the bar creeps towards the
    stage's end (never reaching it) at the pace the job has kept so far, so it
    moves within the first second; the time left is the pace applied to what
    remains.  Between two reports the time left counts down with the clock and
    never climbs: a stage that runs long would otherwise stall the creep while
    the clock runs, and the estimate would grow with every second waited.  A
    countdown that runs out says so (0, :func:`describe_left`) rather than
    holding a figure the clock has passed.  Pure: the caller passes the clock.
    """

    FIRST_PACE = 3.0
    """Seconds a stage is guessed to take before the job has shown its pace: short,
    so the bar moves in the first second; the creep never reaches the stage's end."""

    def __init__(self, now: float) -> None:
        """Start the clock at ``now`` (seconds, any monotonic origin)."""
        self._start = self._reported_at = now
        self._done = self._stage_end = self._shown = 0.0
        self._counted_down: tuple[float, float] | None = None  # (left, when), since a report
        self.text = ""

    def update(self, text: str, done: float, stage_end: float, now: float) -> None:
        """Take a report: the stage's text, the job's fraction done, the stage's end."""
        self.text = text
        self._done, self._stage_end = done, max(stage_end, done)
        self._reported_at = now
        self._shown = max(self._shown, done)
        self._counted_down = None

    def shown(self, now: float) -> float:
        """The fraction to draw at ``now``: never less than any drawn before."""
        gap = self._stage_end - self._done
        if gap > 0:
            elapsed = self._reported_at - self._start
            pace = elapsed / self._done * gap if self._done > 0.02 else self.FIRST_PACE
            creep = gap * 0.9 * (1 - math.exp(-(now - self._reported_at) / max(pace, 1.0)))
            self._shown = max(self._shown, self._done + creep)
        return self._shown

    def elapsed(self, now: float) -> float:
        """Seconds since the job started."""
        return now - self._start

    def seconds_left(self, now: float) -> float | None:
        """About how long the job still needs, once it has shown its pace (else ``None``);
        0 once the countdown since the last report has run out."""
        shown, elapsed = self.shown(now), now - self._start
        if shown < 0.03 or elapsed < 1.0 or shown >= 1.0:  # no pace yet, or nothing left
            return None
        left = elapsed * (1 - shown) / shown
        if self._counted_down is not None:
            before, then = self._counted_down
            left = min(left, before - (now - then))
        left = max(left, 0.0)
        self._counted_down = (left, now)
        return left


def describe_left(seconds: float | None) -> str:
    """``"about 40 s left"``, ``"about 3 min left"``, ``"longer than estimated"`` once
    the time given has run out, or ``""`` when not yet known."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return "longer than estimated"
    if seconds < 90:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"
