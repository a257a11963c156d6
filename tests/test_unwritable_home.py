"""A read-only or full data directory is found before any long work and said in one line."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from tuipad.cli.main import main
from tuipad.services import training
from tuipad.store import files
from tuipad.store import registry as model


@pytest.fixture
def read_only_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new file in the data directory fails as on a read-only mount (root ignores modes)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MIN_FREE_BYTES", 2**62)


@pytest.fixture
def damaged_bundled_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "default.json").write_text("{}")
    monkeypatch.setattr(model, "bundled_models_dir", lambda: bundled)


def no_training(*args: object, **kwargs: object) -> None:
    pytest.fail("trained although the model could not be saved")


@pytest.mark.parametrize(
    ("home_fixture", "said"),
    [("read_only_home", "the file system is read-only"), ("full_disk", "the disk is full")],
)
def test_a_damaged_bundled_model_and_an_unwritable_home_end_at_once(
    capsys,
    request,
    monkeypatch,
    tuipad_home,
    drawing_file,
    damaged_bundled_model,
    home_fixture,
    said,
):
    request.getfixturevalue(home_fixture)
    monkeypatch.setattr(training, "fit_recipe", no_training, raising=False)
    monkeypatch.setattr(training, "train_recipe_and_save", no_training)
    started = time.monotonic()
    code = main(["predict", str(drawing_file)])
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 5
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "unreadable" in err and "cannot retrain it: " in err and said in err


@pytest.mark.parametrize("home_fixture", ["read_only_home", "full_disk"])
def test_train_checks_it_can_save_before_training(capsys, request, monkeypatch, home_fixture):
    request.getfixturevalue(home_fixture)
    monkeypatch.setattr(training, "training_job", no_training)
    code = main(["train", "--recipe", "seed"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1
    assert "read-only" in err or "disk is full" in err


def test_train_personal_checks_it_can_save_before_adapting(
    capsys, monkeypatch, tuipad_home, seven, full_disk
):
    from tuipad.services import personal
    from tuipad.store.samples import SampleStore

    with SampleStore.open() as store:
        store.add(seven, 7)
    monkeypatch.setattr(personal, "personal_job", no_training)
    code = main(["train", "--personal"])
    _, err = capsys.readouterr()
    assert (
        code == 2 and err == f"tuipad: error: the disk is full: cannot write {tuipad_home}/models\n"
    )


def test_a_home_under_an_unknown_user_is_used_as_written_not_a_crash(monkeypatch) -> None:
    from tuipad.store.paths import data_home

    monkeypatch.setenv("TUIPAD_HOME", "~no-such-user-tuipad/home")
    assert data_home() == Path("~no-such-user-tuipad/home")


def _said(capsys, *argv: str) -> str:
    """What a command that must fail printed: one line on stderr, exit 2, nothing on stdout."""
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1, err
    return err


WRITING = [
    ("samples", "import", "SAMPLES"),
    ("samples", "rm", "1"),
    ("models", "use", "default"),
    ("train", "--model", "knn"),
]
"""Commands that write in the data directory, one per kind of write."""

READING = [("samples", "list"), ("models", "list"), ("samples", "export", "-")]
"""Commands that only read there: a home that is a file must not read as an empty one."""


@pytest.fixture
def samples_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.jsonl"
    path.write_text('{"label": 1, "strokes": [[[5, 2], [5, 14]]]}\n')
    return path


@pytest.mark.parametrize("argv", WRITING + READING)
@pytest.mark.parametrize("below", ["", "sub"])
def test_a_home_that_is_a_file_is_said_to_be_the_problem(
    capsys, monkeypatch, tmp_path, samples_file, argv, below
):
    monkeypatch.setattr(training, "fit_recipe", no_training, raising=False)
    a_file = tmp_path / "trial.jsonl"
    a_file.write_text("kept")
    home = a_file / below if below else a_file
    monkeypatch.setenv("TUIPAD_HOME", str(home))
    err = _said(capsys, *(str(samples_file) if a == "SAMPLES" else a for a in argv))
    if below:
        assert err == (
            f"tuipad: error: the data directory {home} (TUIPAD_HOME) cannot be made:"
            f" {a_file} is not a folder\n"
        )
    else:
        assert err == f"tuipad: error: the data directory {home} (TUIPAD_HOME) is not a folder\n"
    assert a_file.read_text() == "kept"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("argv", WRITING)
def test_a_home_that_cannot_be_made_is_said_to_be_the_problem(
    capsys, monkeypatch, samples_file, argv
):
    monkeypatch.setattr(training, "fit_recipe", no_training, raising=False)
    monkeypatch.setenv("TUIPAD_HOME", "/proc/tuipad-home")
    err = _said(capsys, *(str(samples_file) if a == "SAMPLES" else a for a in argv))
    assert err == (
        "tuipad: error: the data directory /proc/tuipad-home (TUIPAD_HOME) does not exist"
        " and cannot be made: its folder takes no new folders\n"
    )
