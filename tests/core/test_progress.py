"""One progress bar per job: it never goes back, and it moves from the first second."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.progress import BarEstimate, JobProgress, describe_left

STAGES = [("load", 0.5), ("render", 20.0), ("fit", 10.0), ("save", 0.3)]

reports = st.lists(
    st.tuples(
        st.sampled_from([key for key, _ in STAGES] + ["unplanned"]),
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    max_size=40,
)


@given(reports)
def test_the_job_bar_never_goes_back_and_stays_within_its_stage(steps) -> None:
    seen: list[tuple[str, float, float]] = []
    job = JobProgress(lambda *report: seen.append(report), STAGES)
    for key, fraction in steps:
        job.part(key)(key, fraction)
    job.finish("done")
    done = [report[1] for report in seen]
    assert done == sorted(done)
    assert all(0.0 <= d <= 1.0 and d <= end <= 1.0 for _, d, end in seen)
    assert seen[-1] == ("done", 1.0, 1.0)


def test_stages_take_stretches_in_proportion_to_their_cost() -> None:
    seen: list[tuple[str, float, float]] = []
    job = JobProgress(lambda *report: seen.append(report), [("render", 3.0), ("fit", 1.0)])
    job.part("render")("rendering", 1.0)
    job.part("fit")("fitting", 0.5)
    assert seen == [("rendering", 0.75, 0.75), ("fitting", 0.875, 1.0)]


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1), st.floats(0, 1), st.floats(0, 30, allow_nan=False)
        ),  # done, stage end, seconds until the next report
        max_size=20,
    )
)
def test_the_shown_bar_never_goes_back(steps) -> None:
    clock = 0.0
    bar = BarEstimate(clock)
    shown = [bar.shown(clock)]
    for done, stage_end, wait in steps:
        bar.update("stage", done, stage_end, clock)
        for tick in (0.25, 0.5, wait):
            shown.append(bar.shown(clock + tick))
        clock += wait
        shown.append(bar.shown(clock))
    assert shown == sorted(shown)
    assert all(0.0 <= s <= 1.0 for s in shown)


def test_a_silent_first_stage_moves_within_a_second_but_never_reaches_its_end() -> None:
    bar = BarEstimate(0.0)
    bar.update("fitting", 0.0, 0.6, 0.0)  # one SVC fit: no report until it ends
    assert bar.shown(1.0) >= 0.01  # a visible step on a 100-cell bar
    assert bar.shown(1.0) < bar.shown(5.0) < bar.shown(600.0) < 0.6


def test_the_time_left_follows_the_pace_so_far() -> None:
    bar = BarEstimate(0.0)
    assert bar.seconds_left(0.5) is None  # no pace yet
    bar.update("rendering", 0.5, 0.5, 10.0)
    left = bar.seconds_left(10.0)
    assert left is not None and math.isclose(left, 10.0)
    assert describe_left(left) == "about 10 s left"
    assert describe_left(600.0) == "about 10 min left" and describe_left(None) == ""


def test_the_time_left_counts_down_while_a_long_stage_says_nothing() -> None:
    bar = BarEstimate(0.0)
    bar.update("rendering", 0.3, 0.3, 30.0)
    bar.update("fitting", 0.3, 0.9, 30.0)  # the fit runs far longer than its stretch says
    waited = [bar.seconds_left(30.0 + t) for t in range(0, 600, 10)]
    assert all(left is not None for left in waited)
    assert waited == sorted(waited, reverse=True)
    first, later = waited[0], waited[1]
    assert first is not None and later is not None and later <= first - 10.0
    assert describe_left(waited[-1]) == "longer than estimated"  # not a figure long passed
    bar.update("saving", 0.95, 1.0, 700.0)  # a report brings the pace up to date
    left = bar.seconds_left(700.0)
    assert left is not None and math.isclose(left, 700.0 * 0.05 / 0.95)
    bar.update("trained", 1.0, 1.0, 710.0)
    assert bar.seconds_left(710.0) is None  # done: no time left to speak of
