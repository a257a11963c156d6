"""Every reader of a file tuipad did not write itself, fed arbitrary bytes and JSON.

Each must give a valid result or its documented error, nothing else, and
quickly: drawings, pages, JSON lines (plain and gzipped), manifests,
settings, the trust list, the teach round, and the sample database (a file
of arbitrary bytes, and rows with arbitrary columns).
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuipad.core.drawing import MAX_COORDINATE, checked_strokes
from tuipad.core.scribble import Page
from tuipad.core.teaching import TeachRound
from tuipad.store import model_files, registry
from tuipad.store.drawing_files import DrawingFileError, drawing_from_json, load_drawing
from tuipad.store.formats import iter_labelled, open_lines
from tuipad.store.model_files import Manifest, ModelError
from tuipad.store.page_files import PageFileError, page_from_json
from tuipad.store.paths import Paths
from tuipad.store.reading import parse_json
from tuipad.store.samples import SampleStore, StoreError
from tuipad.store.settings import read_settings
from tuipad.store.teach import load_round

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""Enough examples to reach each reader's branches; a deadline for "bounded time"."""

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.sampled_from([1e308, -1e308, MAX_COORDINATE, 1e6 + 1])
    | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=40,
)
"""Any JSON structure, with numbers at and beyond every limit."""

numbers = st.integers(-50, 50) | st.floats(allow_nan=True, allow_infinity=True) | scalars
positions = st.lists(numbers, min_size=0, max_size=3)
near_drawings = st.lists(st.lists(positions | json_values, max_size=6), max_size=4)
"""Mostly well-shaped strokes with wrong numbers and wrong shapes mixed in."""

keys = st.sampled_from(["strokes", "label", "format", "version", "groups", "points"])
documents = st.dictionaries(keys | st.text(max_size=6), json_values | near_drawings, max_size=4)


def _json_text(value: object) -> str:
    return json.dumps(value, allow_nan=True)


texts = (
    st.text(max_size=200)
    | json_values.map(_json_text)
    | documents.map(_json_text)
    | st.builds(
        lambda s: '{"strokes":' + s + "}", st.text(alphabet="[]{},0123456789e.-", max_size=300)
    )
    | st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth)
)
"""Text a reader may be given: junk, any JSON, near-documents, deep nesting."""


@FUZZ
@given(texts)
def test_parse_json_gives_a_value_or_a_one_line_value_error(text: str) -> None:
    try:
        parse_json(text)
    except ValueError as error:
        assert "\n" not in str(error)


@FUZZ
@given(texts)
def test_a_drawing_is_read_within_the_limits_or_refused(text: str) -> None:
    try:
        strokes = drawing_from_json(text)
    except DrawingFileError as error:
        assert "\n" not in str(error)
        return
    assert checked_strokes(strokes) == strokes  # what is read passes the one check again


@FUZZ
@given(st.binary(max_size=300) | texts.map(str.encode))
def test_a_drawing_file_of_any_bytes_is_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "drawing.json"
    path.write_bytes(data)
    try:
        load_drawing(path)
    except DrawingFileError as error:
        assert str(path) in str(error) and "\n" not in str(error)


pages = st.fixed_dictionaries(
    {"format": st.just("tuipad-scribble"), "version": st.just(1) | json_values},
    optional={
        "groups": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "label": json_values,
                    "strokes": st.lists(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "points": near_drawings,
                                "start": numbers,
                                "end": numbers,
                            },
                        )
                        | json_values,
                        max_size=3,
                    ),
                },
            )
            | json_values,
            max_size=3,
        )
    },
)


@FUZZ
@given(texts | pages.map(_json_text))
def test_a_page_is_read_or_refused(text: str) -> None:
    try:
        page = page_from_json(text)
    except PageFileError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(page, Page)


labelled_lines = st.fixed_dictionaries(
    {"label": st.integers(-2, 11) | json_values, "strokes": near_drawings | json_values},
    optional={"created": json_values, "scores": json_values, "predicted": json_values},
).map(_json_text)


@FUZZ
@given(st.lists(labelled_lines | texts | st.just(""), max_size=6), st.booleans())
def test_json_lines_give_checked_drawings_or_line_errors(lines: list[str], gzipped: bool) -> None:
    data = "\n".join(lines).encode()
    file = io.BytesIO(gzip.compress(data) if gzipped else data)
    errors: list[tuple[int, str]] = []
    with gzip.GzipFile(fileobj=file) if gzipped else file as opened:
        read = list(iter_labelled(opened, errors))
    for line in read:
        assert 0 <= line.label <= 9 and checked_strokes(line.strokes)
    assert all("\n" not in message for _, message in errors)


@FUZZ
@given(st.binary(max_size=400))
def test_a_gzip_file_of_any_bytes_is_read_or_an_os_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "lines.jsonl.gz"
    path.write_bytes(data)
    try:
        with open_lines(path) as file:
            list(iter_labelled(file, []))
    except OSError as error:
        assert "\n" not in str(error)


manifests = st.fixed_dictionaries(
    {},
    optional={
        "name": json_values,
        "recipe": json_values,
        "sklearn_version": json_values,
        "sha256": json_values,
        "arrays_sha256": json_values,
        "training_data": json_values,
        "metrics": json_values | st.fixed_dictionaries({"test_accuracy": json_values}),
        "created": json_values,
    },
).map(_json_text)


@FUZZ
@given(st.binary(max_size=200) | texts.map(str.encode) | manifests.map(str.encode))
def test_a_manifest_is_read_or_a_model_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(data)
    try:
        manifest = Manifest.from_file(path)
    except ModelError as error:
        assert "\n" not in str(error)
        return
    accuracy = manifest.metrics.get("test_accuracy")
    assert accuracy is None or 0 <= float(accuracy) <= 1


@FUZZ
@given(st.binary(max_size=200) | texts.map(str.encode))
def test_settings_trust_and_teach_round_read_as_defaults_when_damaged(
    tuipad_home: Path, data: bytes
) -> None:
    paths = Paths(tuipad_home)
    paths.home.mkdir(parents=True, exist_ok=True)
    for path in (paths.settings, paths.trusted, paths.teach_round):
        path.write_bytes(data)
    assert isinstance(read_settings(paths.home), dict)
    assert isinstance(registry.active_name(paths.home), str)
    assert isinstance(model_files.trusted_hashes(paths.home), set)
    assert load_round(paths.teach_round) is None or isinstance(
        load_round(paths.teach_round), TeachRound
    )


@pytest.mark.parametrize("name", ["settings", "trusted", "teach_round"])
def test_a_link_to_an_endless_file_reads_as_damaged(tuipad_home: Path, name: str) -> None:
    paths = Paths(tuipad_home)
    paths.home.mkdir(parents=True, exist_ok=True)
    getattr(paths, name).symlink_to("/dev/zero")
    assert read_settings(paths.home) == {}
    assert registry.active_name(paths.home) == registry.DEFAULT_NAME
    assert model_files.trusted_hashes(paths.home) == set()
    assert load_round(paths.teach_round) is None


@FUZZ
@given(st.binary(max_size=2048) | st.binary(max_size=2048).map(b"SQLite format 3\x00".__add__))
def test_a_sample_database_of_any_bytes_opens_or_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "samples.sqlite3"
    for leftover in tmp_path.glob("samples.sqlite3*"):
        leftover.unlink()
    path.write_bytes(data)
    try:
        with SampleStore.open(path) as store:
            store.list()
    except StoreError as error:
        assert "\n" not in str(error)


values = (
    st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.binary(max_size=80)
)
"""What a column may hold, NULL aside (SQLite stores NaN as NULL)."""
columns = st.none() | values
row_columns = st.fixed_dictionaries(
    {  # strokes, grid, created and source are NOT NULL in the schema
        "strokes": values | near_drawings.map(_json_text) | texts,
        "grid": values | st.binary(min_size=64, max_size=64),
        "created": values,
        "source": values,
        "answered_by": columns,
        "predicted": columns | st.integers(0, 9),
        "scores": columns | json_values.map(_json_text),
    }
)


@FUZZ
@given(row_columns)
def test_damaged_rows_are_skipped_and_named(tmp_path: Path, row: dict[str, object]) -> None:
    path = tmp_path / "samples.sqlite3"
    path.unlink(missing_ok=True)
    with SampleStore.open(path) as store:
        store.add([[[1, 2], [3, 9]]], 3)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "INSERT INTO samples (label, strokes, grid, created, source, answered_by,"
            " predicted, scores) VALUES (4, :strokes, :grid, :created, :source,"
            " :answered_by, :predicted, :scores)",
            row,
        )
    raw.close()
    damaged: list[tuple[int, str]] = []
    with SampleStore.open(path) as store:
        samples = store.list(damaged=damaged)
        assert samples[0].id == 1 and len(samples) + len(damaged) == 2
        for sample in samples:
            assert checked_strokes(sample.strokes) and sample.grid.shape == (8, 8)
            assert np.all((0 <= sample.grid) & (sample.grid <= 16))
        for identifier, message in damaged:
            assert identifier == 2 and "\n" not in message
            assert message.startswith("sample 2 in the store is damaged")
            with pytest.raises(StoreError, match="sample 2"):
                store.get(2)
