"""Counts in messages read as English: one sample, two samples."""

from __future__ import annotations

import pytest

from tuipad.core.wording import counted


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 samples"), (1, "1 sample"), (2, "2 samples"), (100, "100 samples")]
)
def test_a_count_is_singular_for_exactly_one(count: int, text: str) -> None:
    assert counted(count, "sample") == text


def test_an_irregular_plural_is_given() -> None:
    assert counted(3, "matrix", "matrices") == "3 matrices"
    assert counted(1, "matrix", "matrices") == "1 matrix"
