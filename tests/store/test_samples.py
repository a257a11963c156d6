"""The personal sample store: durability, concurrency, refusing bad files, JSON lines."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tuipad.core.raster import to_digits8x8
from tuipad.store import sample_db
from tuipad.store.samples import SampleStore, StoreError

ONE = [[[5.25, 2.125], [5.5, 14.0]]]
SEVEN = [[[4, 2], [12, 2], [11.5, 5.0], [8, 14]]]

WRITER = """
import sys
from tuipad.store.samples import SampleStore
store = SampleStore.open(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.add([[[4, 2], [4, 2 + i % 10 + 1]]], 1, source="teach", answered_by=sys.argv[2])
"""

CONFIRM_THEN_WAIT = """
import sys, time
from tuipad.store.samples import SampleStore
store = SampleStore.open(sys.argv[1])
sample = store.add([[[4, 2], [12, 2], [8, 14]]], 7, answered_by="default", predicted=1)
print("confirmed", sample.id, flush=True)
time.sleep(60)
"""


@pytest.fixture
def store(tmp_path: Path) -> SampleStore:
    with SampleStore.open(tmp_path / "samples.sqlite3") as opened:
        yield opened


def test_the_default_path_is_in_the_user_data_directory(tuipad_home: Path):
    with SampleStore.open() as store:
        store.add(ONE, 1)
    assert (tuipad_home / "samples.sqlite3").is_file()


def test_add_keeps_strokes_grid_label_and_the_models_answer(store: SampleStore):
    scores = [0.05] * 9 + [0.55]
    sample = store.add(SEVEN, 7, answered_by="default", predicted=9, scores=scores)
    again = store.get(sample.id)
    assert again == sample
    assert again.strokes == SEVEN
    np.testing.assert_array_equal(again.grid, to_digits8x8(SEVEN))
    assert (again.answered_by, again.predicted, again.scores) == ("default", 9, tuple(scores))
    assert again.source == "correction" and again.created.endswith("Z")


def test_the_store_is_in_wal_mode_with_a_schema_version(store: SampleStore):
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == sample_db.SCHEMA_VERSION
    db.close()


@pytest.mark.parametrize(
    ("strokes", "label", "message"),
    [
        ([], 1, "empty"),
        ([[[1, "x"]]], 1, "numbers"),
        ([[[1, float("nan")]]], 1, "finite"),
        ([[[1, 2, 3]]], 1, "pair"),
        (ONE, 10, "digit"),
        (ONE, True, "digit"),
    ],
)
def test_bad_samples_are_refused_before_anything_is_written(store, strokes, label, message):
    with pytest.raises(ValueError, match=message):
        store.add(strokes, label)
    assert len(store) == 0


def test_list_count_relabel_delete_and_undo(store: SampleStore):
    one = store.add(ONE, 1, source="teach")
    seven = store.add(SEVEN, 7)
    also_one = store.add(ONE, 1)
    assert [s.id for s in store.list()] == [one.id, seven.id, also_one.id]
    assert [s.id for s in store.list(label=1)] == [one.id, also_one.id]
    assert store.count_by_label() == {**dict.fromkeys(range(10), 0), 1: 2, 7: 1}
    relabelled = store.relabel(seven.id, 9)
    assert relabelled is not None and relabelled.label == 9
    assert store.relabel(999, 3) is None
    assert store.undo() == also_one
    assert store.delete(one.id) and not store.delete(one.id)
    assert store.undo() is not None  # the seven, already relabelled
    assert store.undo() is None
    assert len(store) == 0


def test_a_sample_brought_back_keeps_its_id_when_it_is_free(store: SampleStore):
    from dataclasses import replace

    one, seven = store.add(ONE, 1, source="teach"), store.add(SEVEN, 7)
    assert store.delete(one.id)
    assert store.add_many([one], keep_ids=True).added == (one.id,)
    assert store.get(one.id) == one
    assert store.delete(seven.id)  # its id taken meanwhile: the sample gets a new one
    taken = replace(seven, id=one.id)
    assert store.add_many([taken], keep_ids=True).added[0] not in (one.id, 0)
    never_stored = replace(one, id=0, label=2)  # as a parsed line has: not an id to keep
    assert store.add_many([never_stored], keep_ids=True).added[0] > 0


def test_undo_only_takes_back_this_processes_samples(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    with SampleStore.open(path) as mine, SampleStore.open(path) as theirs:
        mine.add(ONE, 1)
        theirs.add(SEVEN, 7)
        undone = mine.undo()
        assert undone is not None and undone.label == 1
        assert [s.label for s in theirs.list()] == [7]


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    SampleStore.open(path).close()
    count = 40
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(count)])
        for name in ("first", "second")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with SampleStore.open(path) as store:
        stored = store.list()
    assert len(stored) == 2 * count
    assert sorted(s.answered_by for s in stored) == ["first"] * count + ["second"] * count
    assert len({s.id for s in stored}) == 2 * count


def test_two_processes_creating_the_store_at_once(tmp_path: Path):
    path = tmp_path / "new" / "samples.sqlite3"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "5"])
        for name in ("first", "second")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with SampleStore.open(path) as store:
        assert len(store) == 10


def test_a_confirmed_sample_survives_sigkill(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", CONFIRM_THEN_WAIT, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.startswith("confirmed")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with SampleStore.open(path) as store:
        sample = store.get(int(line.split()[1]))
    assert sample is not None
    assert (sample.label, sample.predicted, sample.answered_by) == (7, 1, "default")


def _refused(path: Path, message: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StoreError) as error:
        SampleStore.open(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    path.write_bytes(b"these are my samples, honest\n" * 200)
    _refused(path, "not a tuipad sample database")


def test_a_damaged_database_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    with SampleStore.open(path) as store:
        for _ in range(200):
            store.add(SEVEN, 7)
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096 : 3 * 4096] = b"\xa5" * 4096  # scribble over a page of the table
    path.write_bytes(bytes(data))
    _refused(path, "damaged")


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    SampleStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {sample_db.SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    _refused(path, "newer tuipad")


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "samples.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE accounts (name TEXT)")
    db.commit()
    db.close()
    _refused(path, "not tuipad's")


def test_an_older_schema_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "samples.sqlite3"
    with SampleStore.open(path) as store:
        store.add(ONE, 1)

    def add_note(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE samples ADD COLUMN note TEXT")

    monkeypatch.setattr(sample_db, "MIGRATIONS", (*sample_db.MIGRATIONS, add_note))
    monkeypatch.setattr(sample_db, "SCHEMA_VERSION", len(sample_db.MIGRATIONS))
    with SampleStore.open(path) as store:
        assert [s.label for s in store.list()] == [1]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == sample_db.SCHEMA_VERSION
    assert "note" in [row[1] for row in db.execute("PRAGMA table_info(samples)")]
    db.close()


def test_export_then_import_round_trips_exactly(store: SampleStore, tmp_path: Path):
    awkward = [[[0.1, 0.2], [1 / 3, 2 / 3], [1e-17, 123456.789012345]], [[4, 2]]]
    store.add(awkward, 3, answered_by="default", predicted=8, scores=[0.1] * 10)
    store.add(SEVEN, 7, source="teach")
    store.add(ONE, 1, created="2026-11-24T09:00:00.000Z")
    exported = tmp_path / "mine.jsonl"
    assert store.export_jsonl(exported) == 3
    with SampleStore.open(tmp_path / "elsewhere.sqlite3") as other:
        result = other.import_jsonl(exported)
        assert (result.imported, result.errors, result.duplicates) == (3, [], 0)
        fields = ("label", "strokes", "created", "answered_by", "predicted", "scores")
        for before, after in zip(store.list(), other.list(), strict=True):
            assert [getattr(before, f) for f in fields] == [getattr(after, f) for f in fields]
            assert after.strokes == before.strokes  # floats bit for bit, ints stay ints
            np.testing.assert_array_equal(after.grid, before.grid)
            assert after.source == "import"
        assert other.import_jsonl(exported).duplicates == 3
        again = tmp_path / "again.jsonl"
        other.export_jsonl(again)
    strip = [
        {k: v for k, v in json.loads(line).items() if k != "source"}
        for line in exported.read_text().splitlines()
    ]
    assert strip == [
        {k: v for k, v in json.loads(line).items() if k != "source"}
        for line in again.read_text().splitlines()
    ]


def test_import_reports_each_malformed_line_and_keeps_the_good_ones(store, tmp_path):
    lines = [
        json.dumps({"label": 7, "strokes": SEVEN, "writer": "me"}),
        "{not json",
        "",
        json.dumps({"label": 12, "strokes": ONE}),
        json.dumps({"strokes": ONE}),
        json.dumps({"label": 1, "strokes": []}),
        json.dumps({"label": 1, "strokes": [[[1, "x"]]]}),
        json.dumps([1, 2]),
        json.dumps({"label": 1, "strokes": ONE, "scores": [1, 2]}),
        json.dumps({"label": 1, "strokes": ONE}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe broken bytes\n")
    result = store.import_jsonl(path)
    assert result.imported == 2
    assert [number for number, _ in result.errors] == [2, 4, 5, 6, 7, 8, 9, 11]
    messages = dict(result.errors)
    assert "not JSON" in messages[2] and "digit" in messages[4] and "UTF-8" in messages[11]
    assert all("\n" not in message for _, message in result.errors)
    assert [s.label for s in store.list()] == [7, 1]


def test_import_reads_gzip_and_replay_output(store, tmp_path):
    import gzip

    path = tmp_path / "replayed.jsonl.gz"
    with gzip.open(path, "wt") as file:
        file.write(json.dumps({"label": 4, "writer": "x", "contributor": "y", "strokes": SEVEN}))
    assert store.import_jsonl(path).imported == 1


def test_import_of_a_missing_file_is_one_line(store, tmp_path):
    with pytest.raises(StoreError, match="^no such file: ") as error:
        store.import_jsonl(tmp_path / "nope.jsonl")
    assert "\n" not in str(error.value)


def test_the_store_can_be_shared_with_a_worker_thread(store: SampleStore):
    import threading

    def add_many() -> None:
        for _ in range(20):
            store.add(ONE, 1, source="teach")

    workers = [threading.Thread(target=add_many) for _ in range(2)]
    for worker in workers:
        worker.start()
    for _ in range(20):
        store.add(SEVEN, 7)
    for worker in workers:
        worker.join()
    assert store.count_by_label()[1] == 40 and store.count_by_label()[7] == 20


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_a_store_whose_file_went_away_refuses_writes_that_would_vanish(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore.open(path) as store:
        kept = store.add(SEVEN, 7)
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)  # rm -rf of the data directory
        if how == "replaced":
            with SampleStore.open(path) as other:  # a new store made there meanwhile
                other.add(ONE, 1)
        with pytest.raises(StoreError, match="was removed or replaced while tuipad ran"):
            store.add(ONE, 1)
        with pytest.raises(StoreError):
            store.delete(kept.id)


@pytest.mark.parametrize("read_only", [False, True])
def test_a_folder_or_a_link_to_a_device_named_as_the_store_is_said_in_words(
    tmp_path: Path, read_only: bool
) -> None:
    folder, device = tmp_path / "a" / "samples.sqlite3", tmp_path / "b" / "samples.sqlite3"
    folder.mkdir(parents=True)
    device.parent.mkdir()
    device.symlink_to("/dev/zero")
    with pytest.raises(StoreError, match=r"samples.sqlite3 is a directory, not a sample database"):
        SampleStore.open(folder, read_only=read_only)
    with pytest.raises(StoreError, match=r"is a symbolic link, not a sample database"):
        SampleStore.open(device, read_only=read_only)
