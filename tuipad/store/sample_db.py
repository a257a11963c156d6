"""The SQLite file under the sample store: schema, migrations and opening checks.

A file that is not a tuipad database, is damaged, or was written by a newer
tuipad raises :class:`StoreError` with a one-line message before anything is
written to it, so the user's samples are never "repaired" away.  The schema is
versioned with ``PRAGMA user_version`` and upgraded by ordered migrations.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.store.files import kind_of
from tuipad.store.formats import LabelledStrokes
from tuipad.store.paths import describe_home_error

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another process's transaction to finish."""

READ_TIMEOUT_MS = 2_000
"""How long a read waits, at most, in the rare moments a WAL reader must (a
writer recovering the file); readers otherwise never wait on a writer."""

COLUMNS = "id, label, strokes, grid, created, source, answered_by, predicted, scores"
"""The columns of a sample row, in the order :func:`tuipad.store.samples` maps them."""


@dataclass(frozen=True)
class Sample:
    """One labelled drawing of the user's.

    Attributes:
        id: Row id, increasing in the order samples were added.
        label: The digit the user says it is.
        strokes: Pen-down strokes in canvas cell coordinates, as given.
        grid: The 8x8 array of 0..16 ints it rasterised to when saved.
        created: ISO 8601 UTC time it was saved (``2026-11-25T18:40:02.125Z``).
        source: ``"correction"``, ``"teach"`` or ``"import"``.
        answered_by: Name of the model whose answer was corrected, if any.
        predicted: The digit that model answered, if any.
        scores: That model's ten scores, if any.
    """

    id: int
    label: int
    strokes: LabelledStrokes = field(compare=False)
    grid: np.ndarray = field(compare=False, repr=False)
    created: str
    source: str
    answered_by: str | None = None
    predicted: int | None = None
    scores: tuple[float, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON-lines record :meth:`SampleStore.export_jsonl` writes."""
        record: dict[str, Any] = {
            "label": self.label,
            "strokes": self.strokes,
            "created": self.created,
            "source": self.source,
        }
        if self.answered_by is not None:
            record["answered_by"] = self.answered_by
        if self.predicted is not None:
            record["predicted"] = self.predicted
        if self.scores is not None:
            record["scores"] = list(self.scores)
        return record


class StoreError(Exception):
    """The sample store cannot be used; the message is one line."""


_SCHEMA_V1 = """
CREATE TABLE samples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    strokes TEXT NOT NULL,
    grid BLOB NOT NULL,
    created TEXT NOT NULL,
    source TEXT NOT NULL,
    answered_by TEXT,
    predicted INTEGER,
    scores TEXT
);
CREATE INDEX samples_label ON samples (label);
"""


def _create_v1(db: sqlite3.Connection) -> None:
    """Version 1: the samples table."""
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_create_v1,)
"""``MIGRATIONS[v]`` upgrades a version-``v`` database to ``v + 1``; append, never edit."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The ``user_version`` this tuipad writes."""


def now() -> str:
    """The time now as ISO 8601 UTC with milliseconds (``2026-11-25T18:40:02.125Z``)."""
    seconds = time.time()
    millis = int(seconds * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def one_line(error: BaseException) -> str:
    """An exception's message on one line (its type's name if it has none)."""
    return " ".join(str(error).split()) or type(error).__name__


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
                return
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")


def connect(path: Path) -> sqlite3.Connection:
    """Open (or create) a sample database, refusing files it must not touch, and upgrade it.

    Nothing is written (not even the switch to WAL) until the file is known to
    be a tuipad database this version understands, and an up-to-date file is
    opened without taking the write lock.

    Raises:
        StoreError: The file is not a tuipad sample database, is damaged, was
            written by a newer tuipad, or cannot be opened or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        problem = describe_home_error(error) or f"cannot create {path.parent}: {error.strerror}"
        raise StoreError(problem) from None
    db = _open(path, str(path), uri=False, timeout_ms=BUSY_TIMEOUT_MS)
    try:
        version = _accepted_version(db, path, BUSY_TIMEOUT_MS)
        _set_up(db, path, version)
    except BaseException:
        db.close()
        raise
    return db


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open a sample database to read, never writing it nor waiting long on a writer.

    A missing or empty file reads as an empty store (kept in memory, so
    nothing is created); a file of an older schema is upgraded once through
    :func:`connect`.  In a read-only folder (a backup, a read-only mount) a
    file that cannot be opened so, with no journal beside it, is read as immutable.

    Raises:
        StoreError: As :func:`connect`.
    """
    if not path.exists() and not path.is_symlink():
        return _empty_store()
    try:
        db, version = _opened_to_read(path, immutable=False)
    except StoreError:
        if folder_writable(path):
            raise
        if journals := _journals(path):
            raise StoreError(
                f"cannot read {path}: its folder is read-only, and SQLite must first finish"
                f" what {journals[0].name} beside it holds; make the folder writable once"
            ) from None
        # A WAL file's reader makes its -shm index beside it, which the folder refuses.
        db, version = _opened_to_read(path, immutable=True)
    if version == SCHEMA_VERSION:
        return db
    db.close()
    return _empty_store() if version == 0 else connect(path)


def _opened_to_read(path: Path, *, immutable: bool) -> tuple[sqlite3.Connection, int]:
    """The file opened read-only and its accepted schema version.

    ``immutable`` reads it with no locks and no index beside it, as a file
    nobody can change: only for one in a read-only folder with no journal beside it.
    """
    uri = f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    db = _open(path, uri, uri=True, timeout_ms=READ_TIMEOUT_MS)
    try:
        return db, _accepted_version(db, path, READ_TIMEOUT_MS)
    except BaseException:
        db.close()
        raise


def _journals(path: Path) -> list[Path]:
    """The files SQLite keeps beside a database while it is written, that are there."""
    beside = (path.with_name(path.name + ending) for ending in ("-wal", "-shm", "-journal"))
    return [journal for journal in beside if journal.exists()]


def folder_writable(path: Path) -> bool:
    """Whether files can be made beside ``path`` (False on a read-only folder or mount)."""
    return os.access(path.parent, os.W_OK)


def _open(path: Path, target: str, *, uri: bool, timeout_ms: int) -> sqlite3.Connection:
    try:
        mode = path.lstat().st_mode  # a link, even to nowhere, would lead the writes outside
    except OSError:
        mode = stat.S_IFREG  # missing (SQLite creates it) or unreadable (SQLite says why)
    if not stat.S_ISREG(mode):  # SQLite would call a folder or a device a "disk I/O error"
        raise StoreError(f"{path} is {kind_of(mode)}, not a sample database; move it aside")
    try:
        return sqlite3.connect(
            target,
            timeout=timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
            uri=uri,
        )
    except sqlite3.Error as error:
        raise store_error(path, error) from None


def _empty_store() -> sqlite3.Connection:
    """A store with no samples, in memory: what a missing file reads as."""
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _migrate(db)
    return db


def store_error(path: Path, error: sqlite3.Error) -> StoreError:
    """One line for an SQLite error, saying "damaged" only when the content is.

    A busy, read-only or full disk leaves a healthy file healthy: it must not
    be called damaged, nor the user told to move it aside.
    """
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(
            f"{path} is not a tuipad sample database or is damaged ({one_line(error)});"
            " move it aside to start a new one"
        )
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"the disk is full: cannot write {path}")
    if code == sqlite3.SQLITE_READONLY or (
        code == sqlite3.SQLITE_CANTOPEN and not folder_writable(path)
    ):
        return StoreError(f"cannot write {path}: it or its folder is read-only")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(f"{path} is busy: another tuipad is writing to it; try again")
    return StoreError(f"cannot use {path}: {one_line(error)}")


def _read_version(db: sqlite3.Connection, path: Path, timeout_ms: int) -> tuple[int, int]:
    """``(user_version, number of schema objects)``, read without writing anything."""
    try:
        db.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        # One read transaction, so a concurrent first open that is creating
        # the schema is seen either not at all or complete.
        db.execute("BEGIN")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = int(db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0])
        db.execute("COMMIT")
    except sqlite3.Error as error:
        raise store_error(path, error) from None
    return version, tables


def _accepted_version(db: sqlite3.Connection, path: Path, timeout_ms: int) -> int:
    """The file's schema version, once it is known to be tuipad's; only reads.

    Raises:
        StoreError: A foreign, damaged or newer file, or one that cannot be read.
    """
    version, tables = _read_version(db, path, timeout_ms)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer tuipad (schema {version}, this one reads up to"
            f" {SCHEMA_VERSION}); upgrade tuipad to use it"
        )
    if version == 0:
        if tables:
            raise StoreError(
                f"{path} is an SQLite database but not tuipad's; move it aside to start a new one"
            )
        return 0
    try:
        problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
        has_table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'samples'"
        ).fetchone()
    except sqlite3.Error as error:
        raise store_error(path, error) from None
    if problems != ["ok"]:
        detail = " ".join(problems[0].split())
        raise StoreError(f"{path} is damaged ({detail}); move it aside to start a new one")
    if has_table is None:
        raise StoreError(
            f"{path} is damaged (its samples table is missing); move it aside to start a new one"
        )
    return version


def _set_up(db: sqlite3.Connection, path: Path, version: int) -> None:
    """Put an accepted file in WAL mode (once) and upgrade it if it is older."""
    try:
        _use_wal(db)
        db.execute("PRAGMA synchronous = FULL")
        if version < SCHEMA_VERSION:
            _migrate(db)
    except sqlite3.Error as error:
        raise store_error(path, error) from None


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL unless it is already, retrying while another process opens it.

    Two first opens that switch at once both hold a read lock and want the
    write lock: SQLite refuses one of them at once, without waiting (that wait
    could never end), so the busy timeout does not cover this.

    Raises:
        sqlite3.Error: The switch failed otherwise, or stayed busy for ``BUSY_TIMEOUT_MS``.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # SQLITE_BUSY_SNAPSHOT is busy
            busy = code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


def _migrate(db: sqlite3.Connection) -> None:
    """Run the missing migrations, each version in its own transaction.

    The version is re-read under the write lock, so two processes opening an
    old file at once upgrade it once.
    """
    while True:
        with Transaction(db):
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version >= SCHEMA_VERSION:
                return
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
