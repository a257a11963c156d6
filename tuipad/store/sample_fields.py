"""The parts of a new sample, checked, and its grid: what the sample store accepts.

A correction, a teach-mode drawing and an imported line all become a
:class:`~tuipad.store.sample_db.Sample` here, so one set of rules says what a
stored sample may hold; the store (:mod:`tuipad.store.samples`) only writes it.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from tuipad.core.raster import to_digits8x8
from tuipad.core.recognise import read_strokes
from tuipad.store.formats import LabelledStrokes, check_label, plain_strokes
from tuipad.store.model_names import NAME_PATTERN
from tuipad.store.sample_db import Sample, now

SOURCES = ("correction", "teach", "import")
"""Where a sample came from: a corrected answer, teach mode, or a file."""


def _scores(value: Any) -> tuple[float, ...]:
    if isinstance(value, str | bytes | dict):
        raise ValueError("scores must be ten numbers")
    try:
        items = list(value)
    except TypeError:
        raise ValueError("scores must be ten numbers") from None
    if any(isinstance(item, bool) or not isinstance(item, numbers.Real) for item in items):
        raise ValueError("scores must be ten numbers")
    scores = tuple(float(item) for item in items)
    if len(scores) != 10:
        raise ValueError(f"scores must be ten numbers, not {len(scores)}")
    if not all(math.isfinite(score) for score in scores):
        raise ValueError("scores must be finite numbers")
    return scores


def _created(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError("created must be an ISO time string")
    try:
        when = datetime.fromisoformat(value)
        if when.tzinfo is not None:
            when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError("created must be an ISO time string") from None
    # As tuipad writes its own times (UTC, milliseconds), so all are listed and compared alike.
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _answered_by(value: Any) -> str | None:
    if value is not None and not (isinstance(value, str) and re.fullmatch(NAME_PATTERN, value)):
        raise ValueError("answered_by must be a model name")
    return value


def new_sample(
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
    return Sample(
        id=0,
        label=check_label(label),
        strokes=plain,
        grid=to_digits8x8(read_strokes(plain)[0]).astype(np.uint8),  # as the model reads it
        created=now() if created is None else _created(created),
        source=source,
        answered_by=_answered_by(answered_by),
        predicted=None if predicted is None else check_label(predicted),
        scores=None if scores is None else _scores(scores),
    )


def imported_sample(label: int, strokes: LabelledStrokes, record: dict[str, Any]) -> Sample:
    """A sample from an imported line; ``created=""`` when the line has no time.

    :meth:`tuipad.store.samples.SampleStore.add_many` stamps the time of lines without one.
    """
    sample = new_sample(
        strokes,
        label,
        answered_by=record.get("answered_by"),
        predicted=record.get("predicted"),
        scores=record.get("scores"),
        source="import",
        created=record.get("created"),
    )
    return sample if "created" in record else replace(sample, created="")
