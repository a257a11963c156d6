"""The training screen's look at a Drawn file before it trains: quick, and never blocking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuipad.store.formats import check_openable


def test_a_readable_file_passes(tmp_path: Path) -> None:
    path = tmp_path / "drawn.jsonl"
    path.write_text('{"label": 1, "strokes": [[[0, 0], [0, 9]]]}\n')
    check_openable(str(path))


def test_missing_a_folder_and_a_named_pipe_are_refused_in_evals_words(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^no such file: "):
        check_openable(str(tmp_path / "missing.jsonl"))
    with pytest.raises(ValueError, match=r"^cannot read .*: Is a directory$"):
        check_openable(str(tmp_path))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # opening it would wait for a writer for ever
    with pytest.raises(ValueError, match=r"not a regular file$"):
        check_openable(str(pipe))
