"""The sample store beside a writer, and files it must not touch or call damaged.

Reading commands take no write lock and do not wait on another process's
write transaction; a file is not modified (not even switched to WAL) before it
is accepted as tuipad's; "damaged" is said only of damaged content.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tuipad.cli.main import main
from tuipad.store.samples import SampleStore, StoreError

SEVEN = [[[4, 2], [12, 2], [11.5, 5.0], [8, 14]]]

HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("DELETE FROM samples")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture
def two_samples(tuipad_home: Path) -> Path:
    path = tuipad_home / "samples.sqlite3"
    with SampleStore.open(path) as store:
        store.add(SEVEN, 7)
        store.add(SEVEN, 1)
    return path


@pytest.fixture
def writer(two_samples: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process in the middle of a write transaction on the store."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(two_samples)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None and process.stdout.readline() == "holding\n"
    yield process
    process.kill()
    process.wait()


@pytest.mark.parametrize(
    "argv", [["samples"], ["samples", "list"], ["samples", "--json"], ["samples", "export", "-"]]
)
def test_reading_commands_do_not_wait_on_a_writer(capsys, writer, argv):
    started = time.monotonic()
    code = main(argv)
    seconds = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 0, err
    assert seconds < 1.5
    if "--json" in argv:
        assert [s["label"] for s in json.loads(out)["samples"]] == [7, 1]
    elif "export" in argv:
        assert len(out.splitlines()) == 2
    else:
        assert out.startswith("2 samples in ")


def test_the_apps_store_opens_and_reads_beside_a_writer(writer, two_samples):
    started = time.monotonic()
    with SampleStore.open(two_samples) as store:
        assert [s.label for s in store.list()] == [7, 1]
    assert time.monotonic() - started < 1.5


def test_listing_a_missing_store_creates_nothing(capsys, tuipad_home):
    assert main(["samples", "list"]) == 0
    assert capsys.readouterr().out.startswith("0 samples in ")
    assert not (tuipad_home / "samples.sqlite3").exists()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_tuipad_version_without_its_table_is_refused_unmodified(tmp_path, read_only):
    path = tmp_path / "samples.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="samples table is missing"):
        SampleStore.open(path, read_only=read_only)
    assert path.read_bytes() == before  # still in rollback-journal mode: header bytes 18-19
    assert sorted(p.name for p in tmp_path.iterdir()) == ["samples.sqlite3"]


def test_a_full_disk_is_not_called_damaged(tmp_path):
    with SampleStore.open(tmp_path / "samples.sqlite3") as store:
        store.add(SEVEN, 7)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # as a disk with no room left
        with pytest.raises(StoreError) as full:
            store.add([[[x, x % 7] for x in range(2000)]], 1)
        assert [s.label for s in store.list()] == [7]
    assert str(full.value) == f"the disk is full: cannot write {tmp_path / 'samples.sqlite3'}"


def test_writing_a_store_opened_to_read_is_not_called_damaged(two_samples):
    with SampleStore.open(two_samples, read_only=True) as store:
        with pytest.raises(StoreError) as refused:
            store.add(SEVEN, 3)
        assert len(store) == 2
    assert "read-only" in str(refused.value) and "damaged" not in str(refused.value)


def test_a_stored_row_that_is_not_a_sample_is_one_line(capsys, two_samples):
    db = sqlite3.connect(two_samples)
    db.execute("UPDATE samples SET strokes = 'not json' WHERE id = 2")
    db.commit()
    db.close()
    code = main(["samples", "list"])
    out, err = capsys.readouterr()
    # Listed around, so the other samples stay in reach (and the bad one can be deleted).
    assert code == 0 and err.count("\n") == 1 and "warning" in err
    assert "sample 2 in the store is damaged" in err and "(1 damaged, skipped)" in out


class RefusedOnce:
    """A connection whose first switch to WAL is refused, as SQLite refuses one of two
    first opens switching at once (a lock it will not wait for)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db, self.refused = db, False

    def execute(self, sql: str) -> sqlite3.Cursor:
        if sql == "PRAGMA journal_mode = WAL" and not self.refused:
            self.refused = True
            error = sqlite3.OperationalError("database is locked")
            error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
            raise error
        return self.db.execute(sql)


def test_a_refused_switch_to_wal_is_tried_again(tmp_path: Path) -> None:
    from tuipad.store.sample_db import _use_wal

    db = RefusedOnce(sqlite3.connect(tmp_path / "samples.sqlite3", isolation_level=None))
    _use_wal(db)  # type: ignore[arg-type]
    assert db.refused
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _read_only_folder(monkeypatch) -> None:
    """As a read-only folder looks to the store when root, who may write anywhere, runs the
    tests: not writable, and an ordinary read refused for want of an index beside the file."""
    from tuipad.store import sample_db

    opened = sample_db._opened_to_read

    def refused_unless_immutable(path, *, immutable):
        if not immutable:
            raise StoreError(f"cannot use {path}: unable to open database file")
        return opened(path, immutable=immutable)

    monkeypatch.setattr(sample_db, "folder_writable", lambda path: False)
    monkeypatch.setattr(sample_db, "_opened_to_read", refused_unless_immutable)


def test_a_store_in_a_read_only_folder_still_reads(capsys, monkeypatch, two_samples):
    _read_only_folder(monkeypatch)
    before = sorted(p.name for p in two_samples.parent.iterdir())
    with SampleStore.open(two_samples, read_only=True) as store:
        assert len(store) == 2
    assert main(["samples", "export", "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert sorted(p.name for p in two_samples.parent.iterdir()) == before  # no -shm made


@pytest.mark.parametrize("ending", ["-wal", "-journal"])
def test_a_store_with_a_journal_in_a_read_only_folder_is_not_called_damaged(
    monkeypatch, two_samples, ending
):
    """What the journal holds may not be in the file yet: an immutable read could see
    half a write and call the file damaged."""
    _read_only_folder(monkeypatch)
    two_samples.with_name(two_samples.name + ending).write_bytes(b"")
    with pytest.raises(StoreError) as refused:
        SampleStore.open(two_samples, read_only=True)
    assert str(refused.value) == (
        f"cannot read {two_samples}: its folder is read-only, and SQLite must first finish"
        f" what samples.sqlite3{ending} beside it holds; make the folder writable once"
    )


def test_a_store_in_a_truly_read_only_folder_still_reads(two_samples):
    folder = two_samples.parent
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        with SampleStore.open(two_samples, read_only=True) as store:
            assert len(store) == 2
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("target_exists", [False, True])
def test_a_store_that_is_a_symbolic_link_is_refused(tmp_path, read_only, target_exists):
    """Even to nowhere: SQLite would make the file the link names, outside the data folder."""
    target = tmp_path / "elsewhere.sqlite3"
    if target_exists:
        with SampleStore.open(target) as store:
            store.add(SEVEN, 7)
    before = target.read_bytes() if target_exists else None
    link = tmp_path / "home" / "samples.sqlite3"
    link.parent.mkdir()
    link.symlink_to(target)
    with pytest.raises(StoreError, match="is a symbolic link, not a sample database"):
        SampleStore.open(link, read_only=read_only)
    assert (target.read_bytes() if target.exists() else None) == before
