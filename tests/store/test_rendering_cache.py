"""The pen digits' rendering, cached once and shared by every family and recipe."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tuipad import services
from tuipad.core import datasets, pen_path, raster
from tuipad.core.families import PEN_COPIES, RECIPE_SPECS, TrainingSpec
from tuipad.core.rows import render_pen_rows, spec_data
from tuipad.store import rendering_cache
from tuipad.store.paths import Paths


@pytest.fixture(autouse=True)
def small_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sliver of the scans and pen digits keeps each run to a second; the path is real."""
    X, y = datasets.load_scans()
    pen = datasets.load_pen_digits()
    small_pen = pen.subset(range(0, len(pen), 40))
    monkeypatch.setattr(datasets, "load_scans", lambda: (X[:400], y[:400]))
    monkeypatch.setattr(datasets, "load_pen_digits", lambda: small_pen)


def stages_of(run) -> list[str]:
    stages: list[str] = []
    run(lambda stage, fraction: stages.append(stage))
    return stages


def test_default_rows_are_rendered_once_and_equal_a_fresh_rendering(tuipad_home):
    X, y = datasets.load_scans()
    cache = Paths(tuipad_home).cache
    first = rendering_cache.default_rows(X, y, cache=cache)
    assert len(list(cache.glob("pen-rows-all-*.npz"))) == 1
    stages = stages_of(lambda p: rendering_cache.default_rows(X, y, cache=cache, progress=p))
    assert stages == ["loading the rendered pen digits"]
    again = rendering_cache.default_rows(X, y, cache=cache)
    fresh = spec_data(RECIPE_SPECS["default"], X, y)
    for rows in (again, fresh):
        np.testing.assert_array_equal(first.X, rows.X)
        np.testing.assert_array_equal(first.y, rows.y)
        np.testing.assert_array_equal(first.groups, rows.groups)
        assert first.sources == rows.sources


def test_cached_pen_rows_equal_a_fresh_rendering_paths_and_all(tuipad_home):
    cache = Paths(tuipad_home).cache
    spec = RECIPE_SPECS["default"]
    rendering_cache.cached_pen_rows(spec, cache)
    stages = stages_of(lambda p: rendering_cache.cached_pen_rows(spec, cache, progress=p))
    assert stages == ["loading the rendered pen digits"]
    cached = rendering_cache.cached_pen_rows(spec, cache)
    fresh = render_pen_rows(spec)
    for name in ("X", "y", "writer_ids", "paths"):
        np.testing.assert_array_equal(getattr(cached, name), getattr(fresh, name))
    assert cached.source == fresh.source
    assert cached.paths.shape == (len(cached.y), pen_path.WIDTH)


def test_a_rendering_kept_without_paths_is_rendered_again(tuipad_home):
    """As a file of an older tuipad would be, had it the same name."""
    cache = Paths(tuipad_home).cache
    spec = RECIPE_SPECS["default"]
    first = rendering_cache.cached_pen_rows(spec, cache)
    [path] = cache.glob("pen-rows-all-*.npz")
    with np.load(path) as arrays:
        kept = {name: arrays[name] for name in arrays.files if name != "paths"}
    np.savez(path, **kept)
    stages = stages_of(lambda p: rendering_cache.cached_pen_rows(spec, cache, progress=p))
    assert "rendering pen digits" in stages
    with np.load(path) as arrays:
        np.testing.assert_array_equal(arrays["paths"] / 64, first.paths)


def test_the_keys_cover_the_pen_path(monkeypatch, tmp_path):
    pen = datasets.load_pen_digits()
    read = Path.read_bytes

    def edited(self: Path) -> bytes:
        return read(self) + (b"#" if self.name == "pen_path.py" else b"")

    keys = (
        lambda: rendering_cache.rendering_key(pen, 2, 0),
        lambda: rendering_cache.sample_renderings_path(tmp_path, 4, 0),
    )
    for key in keys:
        before = key()
        for name, value in (("POINTS", 12), ("QUANTUM", 32)):
            monkeypatch.setattr(pen_path, name, value)
            assert key() != before
            monkeypatch.undo()
        monkeypatch.setattr(Path, "read_bytes", edited)
        assert key() != before
        monkeypatch.undo()
        assert key() == before


def test_the_key_covers_what_shapes_the_rendering(monkeypatch):
    pen = datasets.load_pen_digits()
    key = rendering_cache.rendering_key(pen, 2, 0)
    assert rendering_cache.rendering_key(pen, 2, 0) == key
    assert rendering_cache.rendering_key(pen, 1, 0) != key
    assert rendering_cache.rendering_key(pen, 2, 1) != key
    assert rendering_cache.rendering_key(pen.subset(range(5)), 2, 0) != key
    monkeypatch.setattr(raster, "DEFAULT_PARAMS", replace(raster.DEFAULT_PARAMS, smooth=0))
    assert rendering_cache.rendering_key(pen, 2, 0) != key
    monkeypatch.undo()
    monkeypatch.setattr(rendering_cache, "CACHE_VERSION", rendering_cache.CACHE_VERSION + 1)
    assert rendering_cache.rendering_key(pen, 2, 0) != key


def test_subsets_and_copy_counts_are_kept_side_by_side(tuipad_home):
    X, y = datasets.load_scans()
    cache = Paths(tuipad_home).cache
    rendering_cache.default_rows(X, y, cache=cache)
    rendering_cache.default_rows(X, y, cache=cache, pen_indices=range(30))
    plain = TrainingSpec(family="knn", pen=True, augment=False)
    rendering_cache.cached_pen_rows(plain, cache)
    assert len(list(cache.glob(f"pen-rows-all-x{PEN_COPIES}-*.npz"))) == 1
    assert len(list(cache.glob("pen-rows-all-x1-*.npz"))) == 1
    assert len(list(cache.glob("pen-rows-some-*.npz"))) == 1


def test_a_damaged_or_unwritable_cache_only_costs_time(tuipad_home):
    X, y = datasets.load_scans()
    cache = Paths(tuipad_home).cache
    first = rendering_cache.default_rows(X, y, cache=cache)
    [written] = cache.glob("pen-rows-all-*.npz")
    written.write_bytes(b"not a zip")
    stages = stages_of(lambda p: rendering_cache.default_rows(X, y, cache=cache, progress=p))
    assert "rendering pen digits" in stages
    np.testing.assert_array_equal(rendering_cache.default_rows(X, y, cache=cache).X, first.X)
    blocked = tuipad_home / "a-file"
    blocked.write_text("")
    rows = rendering_cache.default_rows(X, y, cache=blocked / "cache")
    np.testing.assert_array_equal(rows.X, first.X)


def test_every_family_shares_one_rendering(tuipad_home):
    paths = Paths(tuipad_home)
    rendered: list[str] = []

    def progress(stage: str, *_: float) -> None:
        if stage.startswith("rendering pen digits"):
            rendered.append(stage)

    for family in ("knn", "mlp"):
        spec = TrainingSpec(family=family, pen=True, augment=True)
        services.train_and_save(paths, spec, f"shared-{family}", progress=progress)
        if family == "knn":
            assert rendered, "the first family renders the pen digits"
            rendered.clear()
    assert rendered == [], "the second family loads the first one's rendering"


SAMPLES = [
    (7, [[(4, 2), (12, 2), (9, 14)]]),
    (1, [[(8, 2), (8, 14)]]),
    (2, [[(5, 3), (11, 3), (11, 8), (5, 8), (5, 14), (11, 14)]]),
    (0, [[(8, 2), (12, 8), (8, 14), (4, 8), (8, 2)]]),
]


def test_personal_samples_are_rendered_once_each(tuipad_home, monkeypatch):
    from tuipad.core import personal

    cache = Paths(tuipad_home).cache
    rendered: list[int] = []
    render = personal.render_samples

    def counted(labels, drawings, **kwargs):
        rendered.extend(labels)
        return render(labels, drawings, **kwargs)

    monkeypatch.setattr(personal, "render_samples", counted)

    def renderings(samples):
        labels, drawings = [s[0] for s in samples], [s[1] for s in samples]
        return rendering_cache.cached_sample_renderings(cache, labels, drawings, copies=4)

    first = renderings(SAMPLES[:3])
    assert rendered == [7, 1, 2]
    rendered.clear()
    # One more sample, in another order: only it is rendered, the others are as before.
    again = renderings([SAMPLES[3], *SAMPLES[:3]])
    assert rendered == [0]
    for kept, fresh in zip(again[1:], first, strict=True):
        np.testing.assert_array_equal(kept, fresh)
    fresh = render([s[0] for s in SAMPLES], [s[1] for s in SAMPLES], copies=4)
    np.testing.assert_array_equal(again[0], fresh[3])
    # A deleted sample leaves the file: it holds just the samples given.
    rendered.clear()
    renderings(SAMPLES[1:2])
    [path] = cache.glob("personal-x4-*.npz")
    with np.load(path) as arrays:
        assert len(arrays["keys"]) == 1
    assert rendered == []


def test_a_damaged_sample_cache_is_rendered_again(tuipad_home):
    cache = Paths(tuipad_home).cache
    labels, drawings = [s[0] for s in SAMPLES], [s[1] for s in SAMPLES]
    first = rendering_cache.cached_sample_renderings(cache, labels, drawings, copies=4)
    [path] = cache.glob("personal-x4-*.npz")
    path.write_bytes(b"not an npz")
    again = rendering_cache.cached_sample_renderings(cache, labels, drawings, copies=4)
    np.testing.assert_array_equal(np.asarray(again), np.asarray(first))


def test_sample_renderings_keep_their_paths(tuipad_home, monkeypatch):
    """The cache keeps each personal sample's renderings with their paths, paths as bytes."""
    from tuipad.core import personal

    cache = Paths(tuipad_home).cache
    labels, drawings = [s[0] for s in SAMPLES], [s[1] for s in SAMPLES]
    first = rendering_cache.cached_sample_renderings(cache, labels, drawings, copies=4)
    fresh = personal.render_samples(labels, drawings, copies=4)
    rendered: list[int] = []
    monkeypatch.setattr(
        personal, "render_samples", lambda labels, *_, **__: rendered.extend(labels)
    )
    again = rendering_cache.cached_sample_renderings(cache, labels, drawings, copies=4)
    assert rendered == []
    for kept, made, new in zip(first, again, fresh, strict=True):
        assert kept.shape == (4, 64 + pen_path.WIDTH)
        np.testing.assert_array_equal(kept, new)
        np.testing.assert_array_equal(made, new)
    [path] = cache.glob("personal-x4-*.npz")
    with np.load(path) as arrays:
        assert arrays["paths"].dtype == np.int8
        assert arrays["paths"].shape == (len(SAMPLES), 4, pen_path.WIDTH)


def test_no_samples_leave_the_sample_cache_empty(tuipad_home):
    cache = Paths(tuipad_home).cache
    labels, drawings = [s[0] for s in SAMPLES], [s[1] for s in SAMPLES]
    rendering_cache.cached_sample_renderings(cache, labels, drawings, copies=4)
    assert rendering_cache.cached_sample_renderings(cache, [], [], copies=4) == []
    [path] = cache.glob("personal-x4-*.npz")
    with np.load(path) as arrays:
        assert len(arrays["keys"]) == 0
