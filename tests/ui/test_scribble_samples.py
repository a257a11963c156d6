"""Scribble mode's relabel samples: noting a relabel never waits for a store write."""

from __future__ import annotations

import threading
from dataclasses import replace
from types import SimpleNamespace

from tuipad.core.scribble import Group, Page, TimedStroke
from tuipad.ui.screens.scribble_samples import PageSamples, digit_key
from tuipad.ui.screens.scribble_view import page_info


class SlowStore:
    """A store whose add waits until released, as a write stuck on a slow disk."""

    def __init__(self) -> None:
        self.writing = threading.Event()
        self.release = threading.Event()
        self.added: list[int] = []

    def add(self, strokes, label, **fields) -> SimpleNamespace:
        self.writing.set()
        self.release.wait(10)
        self.added.append(label)
        return SimpleNamespace(id=len(self.added))


def read_digit(left: float, label: int) -> Group:
    points = tuple((left, float(y)) for y in range(2, 8))
    group = Group.of([TimedStroke(points, left, left + 0.2)])
    return replace(group, label=label, scores=tuple(0.1 for _ in range(10)))


def relabelled(page: Page, index: int, label: int) -> Page:
    groups = list(page.groups)
    groups[index] = replace(groups[index], label=label, corrected=True)
    return Page(tuple(groups))


def test_a_relabel_is_noted_while_another_digits_sample_is_being_written() -> None:
    samples, store = PageSamples(), SlowStore()
    page = Page((read_digit(2, 1), read_digit(6, 7)))
    first = relabelled(page, 0, 4)
    [key] = samples.follow(page, first, "default")
    writer = threading.Thread(target=samples.sync, args=(store, key))
    writer.start()
    assert store.writing.wait(10)  # the writer holds the sync, waiting on the store
    second = samples.follow(first, relabelled(first, 1, 9), "default")
    assert second == [digit_key(first.groups[1])] and store.added == []  # did not wait
    store.release.set()
    writer.join(5)
    notice = ("Relabelled as a 9; saved as a personal sample", "information")  # read unsure
    assert samples.sync(store, second[0]) == notice
    assert store.added == [4, 9]


def test_pressing_the_digit_the_model_read_confirms_it() -> None:
    store = SlowStore()
    store.release.set()
    sure_four = tuple(0.91 if digit == 4 else 0.01 for digit in range(10))
    page = Page((replace(read_digit(2, 4), scores=sure_four),))
    confirmed = relabelled(page, 0, 4)
    samples = PageSamples()
    [key] = samples.follow(page, confirmed, "default")
    assert samples.sync(store, key) == (
        "Confirmed as a 4; saved as a personal sample",
        "information",
    )
    assert store.added == [4]
    assert page_info(confirmed, 10.0, 0).endswith("(confirmed)")
    assert page_info(relabelled(page, 0, 9), 10.0, 0).endswith("(relabelled)")


def test_a_relabel_against_a_sure_answer_is_kept_and_warned_about() -> None:
    store = SlowStore()
    store.release.set()
    sure_seven = tuple(0.89 if digit == 7 else 0.11 if digit == 1 else 0.0 for digit in range(10))
    page = Page((replace(read_digit(2, 7), scores=sure_seven),))
    samples = PageSamples()
    [key] = samples.follow(page, relabelled(page, 0, 1), "default")
    text, severity = samples.sync(store, key)
    assert severity == "warning" and store.added == [1]
    assert text == "Relabelled as a 1, though it reads as a 7 (89%); saved as a personal sample"


def test_a_relabel_of_a_digit_whose_parts_disagreed_is_not_warned_about() -> None:
    store = SlowStore()
    store.release.set()
    sure_seven = tuple(0.89 if digit == 7 else 0.11 if digit == 1 else 0.0 for digit in range(10))
    page = Page((replace(read_digit(2, 7), scores=sure_seven, split=(1, 7)),))
    samples = PageSamples()
    [key] = samples.follow(page, relabelled(page, 0, 1), "default")
    assert samples.sync(store, key) == (
        "Relabelled as a 1; saved as a personal sample",
        "information",
    )


def test_relabelling_a_minus_sign_claims_no_digit_reading() -> None:
    store = SlowStore()
    store.release.set()
    sure_one = tuple(0.95 if digit == 1 else 0.005 for digit in range(10))
    uprights = [
        Group.of([TimedStroke(tuple((float(c), float(y)) for y in range(2, 14)), t, t + 0.2)])
        for c, t in ((10, 0.0), (14, 0.5))
    ]
    dash = Group.of([TimedStroke(tuple((float(x), 7.0) for x in range(4, 8)), 1.0, 1.2)])
    page = Page(
        (
            replace(dash, label=1, scores=sure_one),
            *(replace(g, label=d, scores=sure_one) for g, d in zip(uprights, (1, 2), strict=True)),
        )
    )
    assert [number.text for number in page.numbers] == ["-12"]
    samples = PageSamples()
    [key] = samples.follow(page, relabelled(page, 0, 7), "default")
    assert samples.sync(store, key) == (
        "Relabelled as a 7; saved as a personal sample",
        "information",
    )
    assert store.added == [7]
