"""Names from the user never reach outside the data directory; every failure is one line.

Bad input and a hostile environment exit 2 with one line; a bug exits 1 with a
hint to report it (``TUIPAD_DEBUG``, which the test suite sets, re-raises it).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from tuipad.cli import models as models_command
from tuipad.cli.main import main
from tuipad.store import registry
from tuipad.store.files import MissingFolderError
from tuipad.store.model_files import trust_hashes


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def outside(tuipad_home: Path, tmp_path: Path) -> Path:
    """A home with ``trusted.json`` and a ``config.json`` outside it, as the issue's attack."""
    (tuipad_home / "models").mkdir(parents=True)
    (tuipad_home / "trusted.json").write_text("[]")
    (tuipad_home / "settings.json").write_text('{"active_model": "default"}')
    config = tmp_path / "x" / "config.json"
    config.parent.mkdir()
    config.write_text("{}")
    config.with_suffix(".pkl.gz").write_bytes(b"mine")
    return config


@pytest.mark.parametrize(
    "argv",
    [
        ["models", "rm", "../trusted"],
        ["models", "rm", "../settings"],
        ["models", "rm", "../../x/config"],
        ["models", "use", "../trusted"],
        ["models", "use", "../../x/config"],
        ["models", "rm", ".hidden"],
        ["models", "rm", "a/b"],
        ["train", "--name", "../../x/config"],
        ["export", "--model", "../../x/config", "--onnx", "out.onnx"],
    ],
)
def test_a_name_that_is_a_path_is_refused_and_nothing_is_touched(capsys, outside, argv):
    before = _files(outside.parent.parent)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "bad model name" in err and err.count("\n") == 1
    assert _files(outside.parent.parent) == before


def _files(top: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in top.rglob("*") if path.is_file()}


@pytest.mark.parametrize("name", ["s1.evaluation", "s1.Evaluation"])
def test_a_name_that_would_share_another_models_report_is_refused(capsys, tuipad_home, name):
    assert run(capsys, "train", "--recipe", "seed", "--name", "s1", "--json")[0] == 0
    before = _files(tuipad_home)
    code, out, err = run(capsys, "train", "--recipe", "seed", "--name", name)
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith(f"tuipad: error: bad model name {name!r}: a name")
    assert _files(tuipad_home) == before


def test_an_active_name_that_is_a_path_falls_back_to_the_default(capsys, tuipad_home, seven):
    tuipad_home.mkdir()
    (tuipad_home / "settings.json").write_text('{"active_model": "../../etc/passwd"}')
    drawing = tuipad_home / "seven.json"
    drawing.write_text(json.dumps({"strokes": seven}))
    code, out, err = run(capsys, "predict", str(drawing), "--json")
    assert code == 0 and json.loads(out)["label"] == 7
    assert "bad model name" in err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{oops", "unreadable"),
        ('{"name": "other", "recipe": "x", "sklearn_version": "1", "sha256": "0"}', "another"),
        ('{"name": "bad", "recipe": "x", "sklearn_version": "1", "sha256": "0"}', "missing"),
        ("[" * 5000 + "]" * 5000, "unreadable"),
        ('{"name": 5}', "unreadable"),
    ],
)
def test_a_malformed_manifest_is_listed_as_unreadable(capsys, tuipad_home, content, problem):
    (tuipad_home / "models").mkdir(parents=True)
    (tuipad_home / "models" / "bad.json").write_text(content)
    code, out, err = run(capsys, "models", "--json")
    assert code == 0 and err == ""
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["default"]["active"] and rows["default"]["unreadable"] is None
    assert problem in rows["bad"]["unreadable"]
    code, out, _ = run(capsys, "models")
    assert code == 0 and "unreadable" in out


def test_a_manifest_with_a_strange_accuracy_still_lists(capsys, tuipad_home):
    models = tuipad_home / "models"
    models.mkdir(parents=True)
    manifest = {"name": "odd", "recipe": "x", "sklearn_version": "1", "sha256": "0"}
    manifest["metrics"] = {"test_accuracy": "very good"}
    (models / "odd.json").write_text(json.dumps(manifest))
    (models / "odd.pkl.gz").write_bytes(b"x")
    code, out, _ = run(capsys, "models", "--json")
    assert code == 0
    assert {row["name"]: row["accuracy"] for row in json.loads(out)}["odd"] is None


def test_what_a_manifest_says_is_listed_with_its_escapes_shown_not_sent(capsys, tuipad_home):
    models = tuipad_home / "models"
    models.mkdir(parents=True)
    sha256 = hashlib.sha256(b"x").hexdigest()
    manifest = {"name": "odd", "recipe": "x", "sklearn_version": "1", "sha256": sha256}
    manifest["metrics"] = {"family": "svc\x1b]0;title\x07", "data": "[b]scans\x1b[2J[/b]"}
    (models / "odd.json").write_text(json.dumps(manifest))
    (models / "odd.pkl.gz").write_bytes(b"x")
    trust_hashes(tuipad_home, sha256)
    code, out, _ = run(capsys, "models")  # not a terminal: tab-separated
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "svc\\x1b]0;title\\x07" in out and "[b]scans\\x1b[2J[/b]" in out


def test_a_full_disk_is_one_line_and_exit_2(capsys, tuipad_home, monkeypatch):
    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(registry, "atomic_write", full)
    code, out, err = run(capsys, "models", "use", "default")
    assert code == 2 and out == ""
    assert err == f"tuipad: error: the disk is full: cannot write {tuipad_home}/settings.json\n"


def test_a_bug_is_one_line_exit_1_with_a_hint(capsys, monkeypatch):
    def broken(args: object) -> int:
        raise KeyError("oops")

    monkeypatch.setattr(models_command, "run", broken)
    with pytest.raises(KeyError):  # TUIPAD_DEBUG is set for tests: the real exception
        main(["models"])
    monkeypatch.delenv("TUIPAD_DEBUG")
    code, out, err = run(capsys, "models")
    assert code == 1 and out == ""
    assert err.startswith("tuipad: internal error: KeyError: 'oops'. This is a bug in tuipad")
    assert "TUIPAD_DEBUG=1" in err and err.count("\n") == 1


def test_samples_export_to_standard_output(capsys, tuipad_home, seven):
    from tuipad.store.samples import SampleStore

    with SampleStore.open() as store:
        store.add(seven, 7)
    code, out, err = run(capsys, "samples", "export", "-")
    assert code == 0 and [json.loads(line)["label"] for line in out.splitlines()] == [7]
    assert err == "exported 1 sample\n"
    assert not Path("-").exists()


def test_samples_export_never_replaces_a_link(capsys, tuipad_home, tmp_path):
    (tmp_path / "real").write_text("kept")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "real")
    code, out, err = run(capsys, "samples", "export", str(tmp_path / "link.jsonl"))
    assert code == 2 and out == ""
    assert "is a symbolic link, not a regular file" in err and err.count("\n") == 1
    assert (tmp_path / "link.jsonl").is_symlink() and (tmp_path / "real").read_text() == "kept"


@pytest.mark.parametrize("name", ["m.onnx", "samples", "s.jsonl.gz", ".jsonl"])
def test_samples_export_writes_only_a_jsonl_file(capsys, tmp_path, name):
    target = tmp_path / name
    target.write_bytes(b"an ONNX model, say")
    code, out, err = run(capsys, "samples", "export", str(target))
    assert code == 2 and out == ""
    assert err == (
        f"tuipad: error: {target}: samples export writes JSON lines to a .jsonl file"
        " (or - for standard output)\n"
    )
    assert target.read_bytes() == b"an ONNX model, say"


def test_export_to_standard_output_is_refused(capsys):
    code, _, err = run(capsys, "export", "--onnx", "-")
    assert code == 2 and "give a file name" in err


@pytest.mark.parametrize("kind", ["link", "pipe"])
def test_export_never_replaces_anything_but_a_file(capsys, tmp_path, kind):
    pytest.importorskip("onnx")
    target = tmp_path / "model.onnx"
    if kind == "link":
        (tmp_path / "real").write_text("kept")
        target.symlink_to(tmp_path / "real")
    else:
        os.mkfifo(target)
    code, out, err = run(capsys, "export", "--onnx", str(target))
    assert code == 2 and out == ""
    assert "not a regular file" in err and err.count("\n") == 1
    assert target.is_symlink() if kind == "link" else target.is_fifo()


@pytest.mark.parametrize(
    "argv", [("samples", "export", "TARGET.jsonl"), ("export", "--onnx", "TARGET.onnx")]
)
def test_a_file_in_a_missing_folder_is_refused_and_no_folder_is_made(capsys, tmp_path, argv):
    folder = tmp_path / "no" / "such"
    argv = tuple(a.replace("TARGET", str(folder / "x")) for a in argv)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err == f"tuipad: error: {folder}: {MissingFolderError.REASON}\n"
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("below", ["x", "a/b/x"])
@pytest.mark.parametrize(
    "argv",
    [
        ("samples", "export", "TARGET.jsonl"),
        ("export", "--onnx", "TARGET.onnx"),
        ("predict", "TARGET.json"),
        ("eval", "TARGET.jsonl"),
        ("samples", "import", "TARGET.jsonl"),
    ],
)
def test_a_file_inside_a_file_says_it_is_not_a_folder(capsys, tmp_path, argv, below):
    not_a_folder = tmp_path / "m.onnx"
    not_a_folder.write_bytes(b"a model")
    argv = tuple(a.replace("TARGET", str(not_a_folder / below)) for a in argv)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err == f"tuipad: error: {not_a_folder} is not a folder\n"
    assert not_a_folder.read_bytes() == b"a model"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("export", "--onnx", ""), "--onnx: the file name is empty"),
        (("export", "--onnx", "x.onnx", "--coreml", ""), "--coreml: the file name is empty"),
        (("samples", "export", ""), "the file name is empty (give a path, or - for standard"),
        (("samples", "import", ""), "the file name is empty"),
        (("eval", ""), "the file name is empty"),
        (("predict", ""), "the file name is empty"),
    ],
)
def test_an_empty_file_name_is_said_to_be_empty(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"tuipad: error: {message}") and err.count("\n") == 1


def test_the_sketchpad_without_a_terminal_on_standard_input_says_so(monkeypatch) -> None:
    import subprocess
    import sys

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)  # textual serve brings its own input
    done = subprocess.run(
        [sys.executable, "-m", "tuipad"], stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "tuipad: error: the sketchpad needs a terminal on standard input"
        " (tuipad --help lists the commands that read files)\n"
    )


@pytest.mark.parametrize("ids", [["5"], ["-1"], ["x", "5"]])
def test_samples_rm_before_any_sample_makes_no_file(capsys, tuipad_home: Path, ids) -> None:
    tuipad_home.mkdir(parents=True)  # as the app leaves it before the first sample
    code, _, err = run(capsys, "samples", "rm", "--", *ids)
    assert code == 2 and err.count("\n") == 1
    assert not (tuipad_home / "samples.sqlite3").exists()
