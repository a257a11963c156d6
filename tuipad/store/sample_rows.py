"""A sample as a row of the SQLite file and back, every column checked on the way out.

A row edited by hand or damaged on disk raises a ``ValueError`` naming the
sample and the column, so one bad row is reported, not the store called damaged.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from tuipad.store.formats import MAX_LINE_BYTES, LabelledStrokes, check_label, plain_strokes
from tuipad.store.reading import parse_json
from tuipad.store.sample_db import Sample


def to_row(sample: Sample) -> tuple[Any, ...]:
    """The columns after ``id`` of a sample's row, in ``COLUMNS`` order (:mod:`.sample_db`)."""
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


def from_row(row: tuple[Any, ...]) -> Sample:
    """The sample of a row selected with ``COLUMNS`` (:mod:`.sample_db`), each column checked.

    Raises:
        ValueError: ``sample N in the store is damaged: ...`` naming the first
            column that does not hold what tuipad writes (edited or damaged).
    """
    identifier, label, strokes, grid, created, source, answered_by, predicted, scores = row
    try:
        return Sample(
            id=int(identifier),
            label=check_label(label),
            strokes=_column("strokes", _row_strokes, strokes),
            grid=_column("grid", _row_grid, grid),
            created=str(created),
            source=str(source),
            answered_by=_column("answered_by", _optional_text, answered_by),
            predicted=None if predicted is None else check_label(predicted),
            scores=_column("scores", _row_scores, scores),
        )
    except ValueError as error:
        raise ValueError(f"sample {identifier} in the store is damaged: {error}") from None


def _column(name: str, read: Callable[[Any], Any], value: Any) -> Any:
    """``read(value)``, any failure a ``ValueError`` naming the column."""
    try:
        return read(value)
    except (ValueError, TypeError, OverflowError) as error:
        raise ValueError(f"its {name} column is not what tuipad stores ({error})") from None


def _row_strokes(text: Any) -> LabelledStrokes:
    if not isinstance(text, str) or len(text) > MAX_LINE_BYTES:
        raise ValueError(f"not JSON text of at most {MAX_LINE_BYTES:,} bytes")
    return plain_strokes(parse_json(text))


def _row_grid(blob: Any) -> np.ndarray:
    grid = np.frombuffer(blob, dtype=np.uint8).reshape(8, 8).astype(np.int64)
    if grid.max() > 16:
        raise ValueError("counts above 16")
    return grid


def _optional_text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("not text")
    return value


def _row_scores(text: Any) -> tuple[float, ...] | None:
    if text is None:
        return None
    values = parse_json(text) if isinstance(text, str) else None
    if not isinstance(values, list) or len(values) != 10:
        raise ValueError("not ten numbers")
    if not all(type(value) in (int, float) and math.isfinite(value) for value in values):
        raise ValueError("not ten finite numbers")
    return tuple(float(value) for value in values)
