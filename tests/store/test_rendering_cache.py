"""The default recipe's rendered rows, cached under the user data directory."""

from __future__ import annotations

import numpy as np
import pytest

from tuipad.core import datasets
from tuipad.store import rows_cache
from tuipad.store.paths import Paths


@pytest.fixture(autouse=True)
def small_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sliver of the scans and pen digits keeps each fit to a second; the path is real."""
    X, y = datasets.load_scans()
    pen = datasets.load_pen_digits()
    small_pen = pen.subset(range(0, len(pen), 25))
    monkeypatch.setattr(datasets, "load_scans", lambda: (X[:500], y[:500]))
    monkeypatch.setattr(datasets, "load_pen_digits", lambda: small_pen)


def test_default_rows_are_cached_and_reused(tuipad_home):
    X, y = datasets.load_scans()
    cache = Paths(tuipad_home).cache
    first = rows_cache.default_rows(X, y, cache=cache)
    assert len(list(cache.glob("default-rows-*.npz"))) == 1
    stages = []
    again = rows_cache.default_rows(X, y, cache=cache, progress=lambda s, f: stages.append(s))
    assert stages == ["loading cached training rows"]
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    np.testing.assert_array_equal(first.groups, again.groups)
    assert first.sources == again.sources
    some = rows_cache.default_rows(X, y, pen_indices=range(50), cache=cache)
    assert len(some.y) < len(first.y)
    assert len(list(cache.glob("default-rows-*.npz"))) == 2
    other = rows_cache.default_rows(X[:300], y[:300], cache=cache)
    assert len(other.y) < len(first.y)
    assert len(list(cache.glob("default-rows-all-*.npz"))) == 1  # the stale one was replaced


def test_warm_cache_is_skipped_while_another_warm_up_holds_the_lock(tuipad_home):
    import fcntl

    cache = Paths(tuipad_home).cache
    cache.mkdir(parents=True)
    with open(cache / ".warming.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert rows_cache.warm_cache(tuipad_home) is False
    assert not list(cache.glob("default-rows-*.npz"))
    assert rows_cache.warm_cache(tuipad_home) is True
    [written] = cache.glob("default-rows-all-*.npz")
    assert not list(cache.glob(".default-rows-*"))  # no temporary file left behind
    stages = []
    X, y = datasets.load_scans()
    rows_cache.default_rows(X, y, cache=cache, progress=lambda s, f: stages.append(s))
    assert stages == ["loading cached training rows"]
