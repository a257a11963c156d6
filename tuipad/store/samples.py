"""Personal samples: the user's own labelled drawings, kept in SQLite.

A sample is saved the moment the user confirms it (a correction, a teach-mode
drawing, an import), so the store is built for durability and for more than
one tuipad process at a time:

* one SQLite file, ``samples.sqlite3`` in the user data directory, in WAL mode
  with ``synchronous=FULL``: a commit is on disk before :meth:`SampleStore.add`
  returns, so a sample shown as saved survives the process being killed;
* every write is its own ``BEGIN IMMEDIATE`` transaction, and a busy timeout
  lets a second process wait for the lock instead of failing;
* the schema is versioned with ``PRAGMA user_version`` and upgraded by
  ordered migrations;
* a file that is not a tuipad database, is damaged, or was written by a newer
  tuipad raises :class:`StoreError` with a one-line message, before anything
  is written to it: the user's samples are never "repaired" away.

Export and import use the JSON-lines format of ``tuipad eval``
(``{"label": N, "strokes": [...]}`` plus optional fields), so a person can
carry their handwriting to another machine.  Nothing here imports Textual,
rich or scikit-learn.
"""

from __future__ import annotations

import gzip
import json
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tuipad.core.raster import to_digits8x8
from tuipad.store.paths import Paths

SOURCES = ("correction", "teach", "import")
"""Where a sample came from: a corrected answer, teach mode, or a file."""

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another process's transaction to finish."""

Strokes = list[list[list[float]]]
"""Strokes as plain JSON-ready lists of ``[x, y]`` canvas positions."""


class StoreError(Exception):
    """The sample store cannot be used; the message is one line."""


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
    strokes: Strokes = field(compare=False)
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


@dataclass(frozen=True)
class ImportResult:
    """What :meth:`SampleStore.import_jsonl` did.

    Attributes:
        imported: Samples added.
        errors: ``(line_number, message)`` of each line that was skipped.
        duplicates: Lines skipped because the same sample is already stored.
    """

    imported: int
    errors: list[tuple[int, str]]
    duplicates: int = 0


# --------------------------------------------------------------------------- schema

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

_COLUMNS = "id, label, strokes, grid, created, source, answered_by, predicted, scores"


def _now() -> str:
    now = time.time()
    millis = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{millis:03d}Z"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


# --------------------------------------------------------------------------- validation


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"stroke positions must be numbers, not {value!r}")
    if isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        value = float(value)
    if not math.isfinite(value):
        raise ValueError("stroke positions must be finite numbers")
    return value


def plain_strokes(strokes: Iterable[Iterable[Iterable[float]]]) -> Strokes:
    """Check a drawing and copy it as plain lists, keeping ints and floats as given.

    Args:
        strokes: Pen-down strokes of ``[x, y]`` positions (lists, tuples or arrays).

    Returns:
        ``[[[x, y], ...], ...]`` without empty strokes.

    Raises:
        ValueError: If a position is not two finite numbers, or nothing is drawn.
    """
    if isinstance(strokes, str | bytes | dict):
        raise ValueError("strokes must be a list of strokes of [x, y] positions")
    out: Strokes = []
    try:
        for stroke in strokes:
            if isinstance(stroke, str | bytes | dict):
                raise ValueError("a stroke must be a list of [x, y] positions")
            points = []
            for point in stroke:
                if isinstance(point, str | bytes | dict):
                    raise ValueError("a position must be a pair [x, y]")
                pair = [_number(value) for value in point]
                if len(pair) != 2:
                    raise ValueError("a position must be a pair [x, y]")
                points.append(pair)
            if points:
                out.append(points)
    except TypeError:
        raise ValueError("strokes must be a list of strokes of [x, y] positions") from None
    if not out:
        raise ValueError("the drawing is empty")
    return out


def _label(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value <= 9:
        raise ValueError(f"label must be a digit 0-9, not {value!r}")
    return int(value)


def _scores(value: Any) -> tuple[float, ...]:
    if isinstance(value, str | bytes | dict):
        raise ValueError("scores must be ten numbers")
    try:
        scores = tuple(float(_number(score)) for score in value)
    except TypeError:
        raise ValueError("scores must be ten numbers") from None
    if len(scores) != 10:
        raise ValueError(f"scores must be ten numbers, not {len(scores)}")
    return scores


def _created(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValueError("created must be an ISO time string")
    return value


# --------------------------------------------------------------------------- the store


class SampleStore:
    """The user's personal samples in one SQLite file.

    Open it with :meth:`open`; each method runs its own short transaction,
    so an instance can stay open for the life of the app while another
    process writes too.  Methods may be called from any thread (the app's
    UI thread saves samples while a worker reads them to retrain); a lock
    keeps each transaction whole.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._added: list[int] = []
        self._lock = threading.RLock()

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str | None = None) -> SampleStore:
        """Open (or create) the store, upgrading its schema if it is older.

        Args:
            path: The database file (default: :attr:`Paths.samples` of the default home).

        Returns:
            The open store.

        Raises:
            StoreError: The file is not a tuipad sample database, is damaged,
                was written by a newer tuipad, or cannot be opened.
        """
        path = Paths.default().samples if path is None else Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {path.parent}: {error.strerror}") from None
        try:
            db = sqlite3.connect(
                path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open {path}: {_one_line(error)}") from None
        try:
            _check_and_migrate(db, path)
        except BaseException:
            db.close()
            raise
        return cls(db, path)

    def close(self) -> None:
        """Close the connection (committed samples are already on disk)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SampleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- writing

    def _write(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """Run one statement in its own ``BEGIN IMMEDIATE`` transaction."""
        try:
            with self._lock, self._transaction():
                return self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise StoreError(f"cannot write to {self.path}: {_one_line(error)}") from None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def add(
        self,
        strokes: Iterable[Iterable[Iterable[float]]],
        label: int,
        *,
        answered_by: str | None = None,
        predicted: int | None = None,
        scores: Iterable[float] | None = None,
        source: str = "correction",
        created: str | None = None,
    ) -> Sample:
        """Save a labelled drawing; it is on disk when this returns.

        Args:
            strokes: Pen-down strokes in canvas cell coordinates.
            label: The digit the user says it is.
            answered_by: Name of the model that answered, for a correction.
            predicted: What that model answered.
            scores: That model's ten scores.
            source: ``"correction"``, ``"teach"`` or ``"import"``.
            created: ISO time to record (default: now, UTC).

        Returns:
            The stored sample.

        Raises:
            ValueError: On an empty or malformed drawing, label or scores.
            StoreError: If the database cannot be written.
        """
        sample = _new_sample(
            strokes,
            label,
            answered_by=answered_by,
            predicted=predicted,
            scores=scores,
            source=source,
            created=created,
        )
        cursor = self._write(
            f"INSERT INTO samples ({_COLUMNS[4:]}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _row(sample),
        )
        identifier = int(cursor.lastrowid or 0)
        with self._lock:
            self._added.append(identifier)
        return _with_id(sample, identifier)

    def relabel(self, sample_id: int, label: int) -> Sample | None:
        """Change a sample's label.

        Returns:
            The updated sample, or ``None`` if there is no such sample.
        """
        label = _label(label)
        if self._write("UPDATE samples SET label = ? WHERE id = ?", (label, sample_id)).rowcount:
            return self.get(sample_id)
        return None

    def delete(self, sample_id: int) -> bool:
        """Delete a sample; ``False`` if it was not there."""
        return bool(self._write("DELETE FROM samples WHERE id = ?", (sample_id,)).rowcount)

    def undo(self) -> Sample | None:
        """Delete the last sample this store instance added (other processes' stay).

        Returns:
            The deleted sample, or ``None`` if there is nothing left to undo.
        """
        with self._lock:
            while self._added:
                identifier = self._added.pop()
                sample = self.get(identifier)
                if sample is not None and self.delete(identifier):
                    return sample
        return None

    # ----------------------------------------------------------------- reading

    def _read(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise StoreError(f"cannot read {self.path}: {_one_line(error)}") from None

    def get(self, sample_id: int) -> Sample | None:
        """The sample with this id, or ``None``."""
        rows = self._read(f"SELECT {_COLUMNS} FROM samples WHERE id = ?", (sample_id,))
        return _from_row(rows[0]) if rows else None

    def list(self, label: int | None = None) -> list[Sample]:
        """All samples (or those of one digit), oldest first."""
        if label is None:
            rows = self._read(f"SELECT {_COLUMNS} FROM samples ORDER BY id")
        else:
            rows = self._read(
                f"SELECT {_COLUMNS} FROM samples WHERE label = ? ORDER BY id", (_label(label),)
            )
        return [_from_row(row) for row in rows]

    def __len__(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM samples")[0][0])

    def count_by_label(self) -> dict[int, int]:
        """How many samples there are of each digit, 0..9 (zeros included)."""
        counts = dict.fromkeys(range(10), 0)
        for label, count in self._read("SELECT label, COUNT(*) FROM samples GROUP BY label"):
            counts[int(label)] = int(count)
        return counts

    # ----------------------------------------------------------------- files

    def export_jsonl(self, path: Path | str) -> int:
        """Write every sample as JSON lines, atomically (temp file, fsync, rename).

        Returns:
            The number of samples written.
        """
        from tuipad.store.files import atomic_write

        samples = self.list()
        text = "".join(json.dumps(s.to_json(), separators=(",", ":")) + "\n" for s in samples)
        try:
            atomic_write(Path(path), text.encode("utf-8"))
        except OSError as error:
            raise StoreError(f"cannot write {path}: {error.strerror or error}") from None
        return len(samples)

    def import_jsonl(self, path: Path | str) -> ImportResult:
        """Add the samples of a JSON-lines file (``.gz`` accepted).

        Each malformed line is reported and skipped; the good lines are added
        in one transaction, so an interrupted import adds all or nothing.
        Lines already in the store (same label and strokes, and the same time
        if the line has one) are skipped, so importing a file twice does not
        double it.

        Returns:
            What was imported and which lines were not.

        Raises:
            StoreError: If the file cannot be read or the store written.
        """
        try:
            lines = _read_lines(Path(path))
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            reason = getattr(error, "strerror", None) or _one_line(error)
            raise StoreError(f"cannot read {path}: {reason}") from None
        samples, errors = parse_jsonl(lines)
        return self.add_many(samples, errors)

    def add_many(
        self, samples: Iterable[Sample], errors: list[tuple[int, str]] | None = None
    ) -> ImportResult:
        """Add parsed samples in one transaction, skipping ones already stored.

        A sample is already stored if one has the same label and strokes and,
        when ``created`` is set, the same time; an empty ``created`` (a line
        without one) becomes now.
        """
        imported = duplicates = 0
        try:
            with self._lock, self._transaction():
                for sample in samples:
                    strokes_json = json.dumps(sample.strokes, separators=(",", ":"))
                    query = "SELECT 1 FROM samples WHERE label = ? AND strokes = ?"
                    keys: tuple[Any, ...] = (sample.label, strokes_json)
                    if sample.created:
                        query, keys = query + " AND created = ?", (*keys, sample.created)
                    if self._db.execute(query, keys).fetchone():
                        duplicates += 1
                        continue
                    if not sample.created:
                        sample = replace(sample, created=_now())
                    self._db.execute(
                        f"INSERT INTO samples ({_COLUMNS[4:]}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        _row(sample),
                    )
                    imported += 1
        except sqlite3.Error as error:
            raise StoreError(f"cannot write to {self.path}: {_one_line(error)}") from None
        return ImportResult(imported, list(errors or []), duplicates)


class _Transaction:
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


def _check_and_migrate(db: sqlite3.Connection, path: Path) -> None:
    """Refuse foreign, damaged or newer files; then set up WAL and upgrade.

    Only reads happen until the file is known to be a tuipad database this
    version understands, so a file that is refused is left byte for byte.
    """
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # One read transaction, so a concurrent first open that is creating
        # the schema is seen either not at all or complete.
        db.execute("BEGIN")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = int(db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0])
        db.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"{path} is not a tuipad sample database or is damaged ({_one_line(error)});"
            " move it aside to start a new one"
        ) from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer tuipad (schema {version}, this one reads up to"
            f" {SCHEMA_VERSION}); upgrade tuipad to use it"
        )
    try:
        if version > 0:
            problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                detail = " ".join(problems[0].split())
                raise StoreError(f"{path} is damaged ({detail}); move it aside to start a new one")
        elif tables:
            raise StoreError(
                f"{path} is an SQLite database but not tuipad's; move it aside to start a new one"
            )
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        _migrate(db)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"cannot use {path}: {_one_line(error)}") from None


def _migrate(db: sqlite3.Connection) -> None:
    """Run the missing migrations, each version in its own transaction.

    The version is re-read under the write lock, so two processes opening an
    old file at once upgrade it once.
    """
    while True:
        with _Transaction(db):
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version >= SCHEMA_VERSION:
                return
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")


def _new_sample(
    strokes: Iterable[Iterable[Iterable[float]]],
    label: Any,
    *,
    answered_by: Any = None,
    predicted: Any = None,
    scores: Any = None,
    source: Any = "correction",
    created: Any = None,
) -> Sample:
    """Validate the parts of a sample and rasterise it (id 0 until stored)."""
    plain = plain_strokes(strokes)
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    if answered_by is not None and not isinstance(answered_by, str):
        raise ValueError("answered_by must be a model name")
    return Sample(
        id=0,
        label=_label(label),
        strokes=plain,
        grid=to_digits8x8(plain).astype(np.uint8),
        created=_now() if created is None else _created(created),
        source=source,
        answered_by=answered_by,
        predicted=None if predicted is None else _label(predicted),
        scores=None if scores is None else _scores(scores),
    )


def _with_id(sample: Sample, identifier: int) -> Sample:
    return Sample(
        identifier,
        sample.label,
        sample.strokes,
        sample.grid,
        sample.created,
        sample.source,
        sample.answered_by,
        sample.predicted,
        sample.scores,
    )


def _row(sample: Sample) -> tuple[Any, ...]:
    return (
        sample.label,
        json.dumps(sample.strokes, separators=(",", ":")),
        np.asarray(sample.grid, dtype=np.uint8).tobytes(),
        sample.created,
        sample.source,
        sample.answered_by,
        sample.predicted,
        None if sample.scores is None else json.dumps(list(sample.scores)),
    )


def _from_row(row: tuple[Any, ...]) -> Sample:
    identifier, label, strokes, grid, created, source, answered_by, predicted, scores = row
    return Sample(
        id=int(identifier),
        label=int(label),
        strokes=json.loads(strokes),
        grid=np.frombuffer(grid, dtype=np.uint8).reshape(8, 8).astype(np.int64),
        created=str(created),
        source=str(source),
        answered_by=answered_by,
        predicted=None if predicted is None else int(predicted),
        scores=None if scores is None else tuple(json.loads(scores)),
    )


# --------------------------------------------------------------------------- JSON lines


def _read_lines(path: Path) -> list[bytes]:
    opener: Any = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as file:
        return list(file)


def parse_jsonl(lines: Iterable[bytes | str]) -> tuple[list[Sample], list[tuple[int, str]]]:
    """Parse labelled drawings, one JSON object a line, keeping the good ones.

    Blank lines are skipped.  Besides ``label`` and ``strokes``, a line may
    carry ``created``, ``answered_by``, ``predicted`` and ``scores`` (as
    exported); other fields (``writer``, ...) are ignored.  Parsed samples get
    ``source="import"``, and ``created=""`` when the line has no time
    (:meth:`SampleStore.add_many` stamps them).

    Args:
        lines: The file's lines, bytes or text.

    Returns:
        ``(samples, errors)`` where each error is ``(line_number, message)``.
    """
    samples: list[Sample] = []
    errors: list[tuple[int, str]] = []
    for number, line in _numbered(lines):
        try:
            samples.append(_parse_line(line))
        except ValueError as error:
            errors.append((number, str(error)))
    return samples, errors


def _numbered(lines: Iterable[bytes | str]) -> Iterator[tuple[int, bytes | str]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def _parse_line(line: bytes | str) -> Sample:
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    try:
        item = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg})") from None
    except RecursionError:
        raise ValueError("not JSON (nested too deeply)") from None
    if not isinstance(item, dict) or "label" not in item or "strokes" not in item:
        raise ValueError('expected an object with "label" and "strokes"')
    sample = _new_sample(
        item["strokes"],
        item["label"],
        answered_by=item.get("answered_by"),
        predicted=item.get("predicted"),
        scores=item.get("scores"),
        source="import",
        created=item.get("created"),
    )
    return sample if "created" in item else replace(sample, created="")
