"""Personal samples: the user's own labelled drawings, kept in SQLite.

A sample is saved the moment the user confirms it (a correction, a teach-mode
drawing, an import), so the store is built for durability and for more than
one tuipad process at a time:

* one SQLite file, :attr:`Paths.samples` in the user data directory, in WAL
  mode with ``synchronous=FULL``: a commit is on disk before
  :meth:`SampleStore.add` returns, so a sample shown as saved survives the
  process being killed;
* every write is its own ``BEGIN IMMEDIATE`` transaction, and a busy timeout
  lets a second process wait for the lock instead of failing;
* files it must not touch are refused with a one-line :class:`StoreError`
  (see :mod:`tuipad.store.sample_db`, which also holds the schema).

Export and import use the labelled JSON lines of ``tuipad eval``
(:mod:`tuipad.store.formats`), so a person can carry their handwriting to
another machine.  Nothing here imports Textual, rich or scikit-learn.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tuipad.store.files import describe_os_error, write_named_file
from tuipad.store.formats import check_label, describe_read_error, iter_labelled, open_lines
from tuipad.store.formats import plain_strokes as plain_strokes
from tuipad.store.paths import Paths
from tuipad.store.sample_db import (
    COLUMNS,
    Transaction,
    connect,
    connect_read_only,
    now,
    store_error,
)
from tuipad.store.sample_db import Sample as Sample
from tuipad.store.sample_db import StoreError as StoreError
from tuipad.store.sample_fields import SOURCES as SOURCES
from tuipad.store.sample_fields import imported_sample, new_sample
from tuipad.store.sample_rows import from_row, to_row

DamagedRows = list[tuple[int, str]]
"""``(id, message)`` of each damaged row a read skipped."""

_INSERT = f"INSERT INTO samples ({COLUMNS[4:]}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_AS = f"INSERT INTO samples ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


@dataclass(frozen=True)
class ImportResult:
    """What :meth:`SampleStore.import_jsonl` did.

    Attributes:
        imported: Samples added.
        errors: ``(line_number, message)`` of each line that was skipped.
        duplicates: Lines skipped because the same sample was stored before.
        added: The ids of the samples added.
        repeated: Lines skipped because an earlier line of the same import holds them.
    """

    imported: int
    errors: list[tuple[int, str]]
    duplicates: int = 0
    added: tuple[int, ...] = ()
    repeated: int = 0


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
        self._file = _identity(path)  # the file opened, to notice it removed or replaced

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> SampleStore:
        """Open (or create) the store, upgrading its schema if it is older.

        Args:
            path: The database file (default: :attr:`Paths.samples` of the default home).
            read_only: Only read: nothing is created or locked for writing, a
                missing file reads as an empty store, and a writer in another
                process is not waited for (commands that list or export).

        Raises:
            StoreError: The file is not a tuipad sample database, is damaged,
                was written by a newer tuipad, or cannot be opened.
        """
        path = Paths.default().samples if path is None else Path(path)
        return cls(connect_read_only(path) if read_only else connect(path), path)

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
        self._check_still_there()
        try:
            with self._lock, Transaction(self._db):
                return self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise store_error(self.path, error) from None

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
            answered_by: Name of the model that read the drawing (a correction's, a teach
                round's).
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
        sample = new_sample(
            strokes,
            label,
            answered_by=answered_by,
            predicted=predicted,
            scores=scores,
            source=source,
            created=created,
        )
        identifier = int(self._write(_INSERT, to_row(sample)).lastrowid or 0)
        with self._lock:
            self._added.append(identifier)
        return replace(sample, id=identifier)

    def relabel(self, sample_id: int, label: int) -> Sample | None:
        """Change a sample's label.

        Returns:
            The updated sample, or ``None`` if there is no such sample.
        """
        label = check_label(label)
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

    def _check_still_there(self) -> None:
        """Refuse to write once the file opened is no longer at ``path``.

        Removed (the data directory deleted) or replaced while tuipad runs, the
        open file takes writes that vanish when it closes: a save said done
        that no one will find.
        """
        if self._file is not None and _identity(self.path) != self._file:
            raise StoreError(
                f"{self.path} was removed or replaced while tuipad ran, so nothing more is"
                " saved into the one tuipad opened: start tuipad again to use a new one"
            )

    # ----------------------------------------------------------------- reading

    def _read(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise store_error(self.path, error) from None

    def get(self, sample_id: int) -> Sample | None:
        """The sample with this id, or ``None``.

        Raises:
            StoreError: Its row is damaged (see :func:`~tuipad.store.sample_rows.from_row`).
        """
        rows = self._read(f"SELECT {COLUMNS} FROM samples WHERE id = ?", (sample_id,))
        if not rows:
            return None
        try:
            return from_row(rows[0])
        except ValueError as error:
            raise StoreError(f"{self.path}: {error}") from None

    def list(self, label: int | None = None, *, damaged: DamagedRows | None = None) -> list[Sample]:
        """All samples (or those of one digit), oldest first.

        A damaged row (edited or corrupted outside tuipad) is skipped, so one
        bad row never hides the others, and left as it is.

        Args:
            label: Only this digit's samples.
            damaged: Where to record ``(id, message)`` of each damaged row skipped.
        """
        if label is None:
            rows = self._read(f"SELECT {COLUMNS} FROM samples ORDER BY id")
        else:
            rows = self._read(
                f"SELECT {COLUMNS} FROM samples WHERE label = ? ORDER BY id", (check_label(label),)
            )
        samples = []
        for row in rows:
            try:
                samples.append(from_row(row))
            except ValueError as error:
                if damaged is not None:
                    damaged.append((int(row[0]), str(error)))
        return samples

    def __len__(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM samples")[0][0])

    def count_by_label(self) -> dict[int, int]:
        """How many samples there are of each digit, 0..9 (zeros included)."""
        counts = dict.fromkeys(range(10), 0)
        for label, count in self._read("SELECT label, COUNT(*) FROM samples GROUP BY label"):
            counts[int(label)] = int(count)
        return counts

    # ----------------------------------------------------------------- files

    def jsonl(self, damaged: DamagedRows | None = None) -> tuple[str, int]:
        """Every sample as JSON lines, and how many there are (damaged rows left out)."""
        samples = self.list(damaged=damaged)
        text = "".join(json.dumps(s.to_json(), separators=(",", ":")) + "\n" for s in samples)
        return text, len(samples)

    def export_jsonl(self, path: Path | str, damaged: DamagedRows | None = None) -> int:
        """Write every sample as JSON lines, atomically, in a folder that exists.

        Args:
            path: The file.
            damaged: Where to record ``(id, message)`` of each damaged row left out.

        Returns:
            The number of samples written.

        Raises:
            StoreError: ``path`` cannot be written, is not a regular file, or its
                folder does not exist.
        """
        text, count = self.jsonl(damaged)
        try:
            write_named_file(Path(path), text.encode("utf-8"))
        except OSError as error:
            raise StoreError(describe_os_error(error)) from None
        return count

    def import_jsonl(self, path: Path | str) -> ImportResult:
        """Add the samples of a JSON-lines file (see :func:`read_samples_file`).

        The good lines are added in one transaction, so an interrupted import
        adds all or nothing.  Lines already in the store (same label and
        strokes, and the same time if the line has one) are skipped, so
        importing a file twice does not double it.

        Raises:
            StoreError: If the file cannot be read, passes a limit of a whole file,
                or the store cannot be written.
        """
        return self.add_many(*read_samples_file(path))

    def add_many(
        self,
        samples: Iterable[Sample],
        errors: Iterable[tuple[int, str]] = (),
        *,
        keep_ids: bool = False,
    ) -> ImportResult:
        """Add parsed samples in one transaction, skipping ones already stored.

        A sample is already stored if one has the same label and strokes and,
        when ``created`` is set, the same time; an empty ``created`` (a line
        without one) becomes now.  ``keep_ids`` gives a sample stored before its id
        back when free (so a teach round counts one deleted and brought back).
        """
        self._check_still_there()
        added: list[int] = []
        duplicates, repeated, given = 0, 0, set()
        try:
            with self._lock, Transaction(self._db):
                for sample in samples:
                    # A line without a time repeats any earlier line of its drawing.
                    drawn = (sample.label, repr(sample.strokes))
                    if (*drawn, sample.created) in given or (not sample.created and drawn in given):
                        repeated += 1
                        continue
                    given.update({(*drawn, sample.created), drawn})
                    if self._is_stored(sample):
                        duplicates += 1
                        continue
                    if not sample.created:
                        sample = replace(sample, created=now())
                    added.append(self._insert(sample, keep_id=keep_ids))
        except sqlite3.Error as error:
            raise store_error(self.path, error) from None
        return ImportResult(len(added), [*errors], duplicates, tuple(added), repeated)

    def _insert(self, sample: Sample, *, keep_id: bool) -> int:
        """Store a new row: under the sample's own id if ``keep_id`` and that id is free."""
        taken = "SELECT 1 FROM samples WHERE id = ?"  # asked only to keep an id, not per import
        if keep_id and sample.id > 0 and not self._db.execute(taken, (sample.id,)).fetchone():
            self._db.execute(_INSERT_AS, (sample.id, *to_row(sample)))
            return sample.id
        return int(self._db.execute(_INSERT, to_row(sample)).lastrowid or 0)

    def _is_stored(self, sample: Sample) -> bool:
        """Whether a sample with this label and strokes (and time, if set) is stored."""
        query = "SELECT 1 FROM samples WHERE label = ? AND strokes = ?"
        keys: tuple[Any, ...] = (sample.label, json.dumps(sample.strokes, separators=(",", ":")))
        if sample.created:
            query, keys = query + " AND created = ?", (*keys, sample.created)
        return self._db.execute(query, keys).fetchone() is not None


def read_samples_file(path: Path | str) -> tuple[list[Sample], list[tuple[int, str]]]:
    """The samples of a JSON-lines file (gzip accepted) and its bad lines.

    Each malformed line is named by its number and skipped.

    Raises:
        StoreError: If the file cannot be read or passes a limit of a whole file.
    """
    errors: list[tuple[int, str]] = []
    samples: list[Sample] = []
    try:
        with open_lines(path) as file:
            for line in iter_labelled(file, errors):
                try:
                    samples.append(imported_sample(line.label, line.strokes, line.record))
                except ValueError as error:
                    errors.append((line.number, str(error)))
    except (OSError, ValueError) as error:  # a ValueError: a limit of the whole file
        raise StoreError(describe_read_error(path, error)) from None
    return samples, errors


def _identity(path: Path) -> tuple[int, int] | None:
    """``(device, inode)`` of the file at ``path``, or ``None`` if there is none."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino
