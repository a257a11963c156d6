"""The CLI around personal samples: eval --personal, train --personal, samples."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from cli_run import run

from tuipad.core.wording import a_digit
from tuipad.store import registry
from tuipad.store.samples import SampleStore

pytestmark = pytest.mark.usefixtures("small_recipe")


def _snapshot(home: Path) -> dict[str, str]:
    """Hashes of every file under ``home`` except the row cache."""
    return {
        str(path.relative_to(home)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(home.rglob("*"))
        if path.is_file() and "cache" not in path.parts
    }


def _jsonl(path: Path, labels: list[int], drawings: list) -> Path:
    path.write_text(
        "".join(
            json.dumps({"label": lab, "strokes": d}) + "\n"
            for lab, d in zip(labels, drawings, strict=True)
        )
    )
    return path


def test_eval_personal_leaves_the_store_and_active_model_alone(
    capsys, tmp_path, tuipad_home, writer_drawings
):
    labels, drawings = writer_drawings
    with SampleStore.open() as store:
        store.add(drawings[0], labels[0])
    registry.set_active_name(tuipad_home, "somebody")
    before = _snapshot(tuipad_home)
    assert "samples.sqlite3" in before and "settings.json" in before
    personal_file = _jsonl(tmp_path / "mine.jsonl", labels[:30], drawings[:30])
    test_file = _jsonl(tmp_path / "test.jsonl", labels[30:], drawings[30:])
    code, out, err = run(capsys, "eval", str(test_file), "--personal", str(personal_file), "--json")
    assert code == 0 and err.splitlines()[-1] == "tested: 100%"  # the bar ends full
    result = json.loads(out)
    assert result["n"] == 10 and len(result["predictions"]) == 10
    assert result["personal"] == 30 and 0.0 <= result["accuracy"] <= 1.0
    # Every drawing's ten scores, as without --personal, their arg-max the answer given.
    scores = np.array(result["scores"])
    assert scores.shape == (10, 10)
    np.testing.assert_array_equal(scores.argmax(axis=1), result["predictions"])
    assert _snapshot(tuipad_home) == before


def test_train_personal_cli(capsys, tuipad_home, writer_drawings):
    labels, drawings = writer_drawings
    code, _, err = run(capsys, "train", "--personal")
    assert code == 2 and "no personal samples" in err
    with SampleStore.open() as store:
        for label, drawing in zip(labels, drawings, strict=True):
            store.add(drawing, label)
    code, out, err = run(capsys, "train", "--personal", "--name", "mine", "--json")
    assert code == 0 and err.splitlines()[-1] == "saved mine: 100%"  # the bar ends full
    assert err.splitlines()[-2].startswith("saving the personal model: ")
    result = json.loads(out)
    assert result["model"] == "mine" and result["personal_samples"] == 40
    assert registry.active_name(tuipad_home) == "mine"
    code, _, err = run(capsys, "train", "--personal", "--recipe", "seed")
    assert code == 2 and "--personal" in err
    models = sorted(p.name for p in (tuipad_home / "models").iterdir())
    code, out, _ = run(capsys, "train", "--personal")  # nothing changed since
    assert code == 0 and out == "mine is active and already adapted to your 40 samples\n"
    assert sorted(p.name for p in (tuipad_home / "models").iterdir()) == models


def test_samples_import_names_lines_repeated_in_the_file_apart(capsys, tmp_path, writer_drawings):
    labels, drawings = writer_drawings
    twice = tmp_path / "twice.jsonl"
    twice.write_text(_jsonl(tmp_path / "one.jsonl", labels[:1], drawings[:1]).read_text() * 3)
    code, out, _ = run(capsys, "samples", "import", str(twice))
    assert code == 0 and out.startswith("imported 1 sample from ")
    assert ", 2 repeated in the file" in out and "already present" not in out


def test_samples_cli_list_export_import(capsys, tmp_path, writer_drawings):
    labels, drawings = writer_drawings
    good = _jsonl(tmp_path / "good.jsonl", labels[:3], drawings[:3])
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(good.read_text().splitlines()[0] + "\n{broken\n" + '{"label": 3}\n')
    code, out, err = run(capsys, "samples", "import", str(mixed))
    assert code == 2 and "imported 1 sample" in out  # the good line kept, the file not whole
    assert "line 2: not JSON" in err and "line 3:" in err and err.count("\n") == 2
    code, out, _ = run(capsys, "samples", "import", str(good))
    assert code == 0 and "imported 2 samples" in out and "1 already present" in out
    code, out, _ = run(capsys, "samples", "list")
    assert code == 0 and out.startswith("3 samples in ")
    code, out, _ = run(capsys, "samples", "--json")
    assert [s["label"] for s in json.loads(out)["samples"]] == labels[:3]
    exported = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "samples", "export", str(exported))
    assert code == 0 and len(exported.read_text().splitlines()) == 3
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nonsense\n")
    code, _, err = run(capsys, "samples", "import", str(bad))
    assert code == 2 and "no usable samples" in err


def test_import_of_a_file_of_the_wrong_kind_is_one_line(capsys, tmp_path):
    model = tmp_path / "model.npz"
    model.write_bytes(b"PK\x03\x04\xff\xfe\n" * 900)
    code, out, err = run(capsys, "samples", "import", str(model))
    assert code == 2 and out == ""
    assert err == (
        f"tuipad: error: {model}: line 1: not UTF-8 text; no usable samples"
        " (and 899 more bad lines)\n"
    )


def test_import_of_no_usable_line_makes_no_store(capsys, tmp_path, tuipad_home):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nonsense\n")
    code, _, err = run(capsys, "samples", "import", str(bad))
    assert code == 2 and "no usable samples" in err
    assert not (tuipad_home / "samples.sqlite3").exists()


def test_import_names_a_few_bad_lines_then_counts_the_rest(capsys, tmp_path):
    good = [json.dumps({"label": d, "strokes": [[[5, 2 + d], [5, 14]]]}) for d in range(3)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(good + ["junk"] * 500) + "\n")
    code, out, err = run(capsys, "samples", "import", str(path))
    assert code == 2 and "imported 3 samples" in out and "500 bad lines skipped" in out
    lines = [line for line in err.splitlines() if line.startswith(f"tuipad: warning: {path}: ")]
    assert [line.split(": ")[3] for line in lines[:3]] == ["line 4", "line 5", "line 6"]
    assert lines[0].endswith("; skipped")
    assert lines[3:] == [f"tuipad: warning: {path}: … and 497 more bad lines"]


def test_import_says_what_uses_the_samples(capsys, tmp_path, tuipad_home, writer_drawings):
    from tuipad.store.paths import Paths
    from tuipad.store.pending import changes_pending, clear_pending, pending_token

    labels, drawings = writer_drawings
    path = _jsonl(tmp_path / "mine.jsonl", labels[:3], drawings[:3])
    code, out, _ = run(capsys, "samples", "import", str(path))
    assert code == 0
    assert out.splitlines()[1].startswith("the app adapts to them when it next starts")
    assert changes_pending(Paths(tuipad_home))  # what the hint promises
    clear_pending(Paths(tuipad_home).adapt_pending, pending_token(Paths(tuipad_home).adapt_pending))
    code, out, _ = run(capsys, "samples", "import", str(path))
    assert code == 0 and "adapts to them" not in out  # nothing new was added
    assert not changes_pending(Paths(tuipad_home))
    code, out, _ = run(capsys, "samples", "rm", "1")
    assert code == 0 and changes_pending(Paths(tuipad_home))


def test_import_says_when_the_app_cannot_be_told(capsys, tmp_path, tuipad_home, writer_drawings):
    labels, drawings = writer_drawings
    path = _jsonl(tmp_path / "mine.jsonl", labels[:3], drawings[:3])
    tuipad_home.mkdir(parents=True, exist_ok=True)
    (tuipad_home / "adapt-pending").symlink_to(tmp_path / "nowhere")
    code, out, err = run(capsys, "samples", "import", str(path))
    assert code == 0 and out.splitlines() == [f"imported 3 samples from {path}"]
    assert err.endswith(
        "adapt-pending is a symbolic link, not a regular file; tuipad replaces only files);"
        " to adapt: tuipad train --personal\n"
    )
    assert not (tmp_path / "nowhere").exists()


def test_import_names_a_drawing_already_stored_as_another_digit(
    capsys, tmp_path, tuipad_home, writer_drawings
):
    labels, drawings = writer_drawings
    first = _jsonl(tmp_path / "first.jsonl", labels[:2], drawings[:2])
    assert run(capsys, "samples", "import", str(first))[0] == 0
    other = (labels[0] + 1) % 10
    again = _jsonl(tmp_path / "again.jsonl", [other, labels[1]], drawings[:2])
    code, out, err = run(capsys, "samples", "import", str(again))
    assert code == 0 and out.startswith(f"imported 1 sample from {again}, 1 already present")
    assert (
        f"tuipad: warning: sample 3, {a_digit(other)}, is the same drawing as sample 1,"
        f" {a_digit(labels[0])}; kept (tuipad samples rm ID deletes one)\n"
    ) in err


def test_import_names_samples_the_model_reads_otherwise_and_keeps_them(
    capsys, tmp_path, tuipad_home
):
    line = [[[8, 2], [8, 14]]]  # a plain 1
    tap = [[[5, 5]]]
    records = [
        {"label": 3, "strokes": line},
        {"label": 1, "strokes": line},
        {"label": 4, "strokes": tap},
    ]
    path = tmp_path / "doubtful.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    code, out, err = run(capsys, "samples", "import", str(path))
    assert code == 0 and out.startswith("imported 3 samples")
    first, tapped = err.splitlines()
    assert first.startswith("tuipad: warning: sample 1, a 3, reads as a 1 (")
    assert first.endswith("; kept (tuipad samples rm 1 deletes it)")
    assert tapped == (
        "tuipad: warning: sample 3, a 4, does not look like one digit (too small); kept"
        " (tuipad samples rm 3 deletes it)"
    )


def test_import_with_no_loadable_model_keeps_the_samples_and_retrains_nothing(
    capsys, tmp_path, tuipad_home
):
    from tuipad.store.paths import Paths
    from tuipad.store.pending import changes_pending

    registry.set_active_name(tuipad_home, "gone")  # chosen, then its files removed
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"label": 1, "strokes": [[[8, 2], [8, 14]]]}) + "\n")
    code, out, err = run(capsys, "samples", "import", str(path))
    assert code == 0 and out.startswith("imported 1 sample")
    assert err.startswith("tuipad: warning: not checked against a model: ")
    assert changes_pending(Paths(tuipad_home))  # the app still adapts to it
    assert not list(Paths(tuipad_home).models.glob("*"))  # no default retrained for a check


def test_samples_cli_with_a_corrupt_store_is_one_line(capsys, tuipad_home):
    tuipad_home.mkdir(parents=True)
    (tuipad_home / "samples.sqlite3").write_bytes(b"garbage" * 1000)
    code, out, err = run(capsys, "samples", "list")
    assert code == 2 and out == "" and "not a tuipad sample database" in err
    assert err.count("\n") == 1


def test_import_refuses_a_time_or_a_model_name_that_is_not_one(capsys, tmp_path):
    stroke = [[[5, 2], [5, 14]]]
    lines = [
        {"label": 1, "strokes": stroke, "created": "\x1b[2J\x1b[31mRED"},
        {"label": 1, "strokes": stroke, "created": "yesterday"},
        {"label": 1, "strokes": stroke, "predicted": 7, "answered_by": "\x1b]0;pwned\x07"},
        {"label": 1, "strokes": stroke, "created": "2026-12-07T15:20:54.125Z"},
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, err = run(capsys, "samples", "import", str(path))
    assert code == 2 and "imported 1 sample" in out
    assert err.count("created must be an ISO time string") == 2
    assert "answered_by must be a model name" in err
    assert "\x1b" not in out + err


def test_an_imported_time_is_kept_in_utc_as_tuipad_writes_its_own(capsys, tmp_path):
    stroke = [[[5, 2], [5, 14]]]
    times = ["2026-12-07T10:00:00+05:00", "2026-W49-1", "2026-12-07T15:20:54.125Z"]
    path = tmp_path / "times.jsonl"
    path.write_text(
        "".join(json.dumps({"label": 1, "strokes": stroke, "created": t}) + "\n" for t in times)
    )
    assert run(capsys, "samples", "import", str(path))[0] == 0
    code, out, _ = run(capsys, "samples", "list", "--json")
    created = sorted(sample["created"] for sample in json.loads(out)["samples"])
    assert created == [
        "2026-11-30T00:00:00.000Z",
        "2026-12-07T05:00:00.000Z",
        "2026-12-07T15:20:54.125Z",
    ]


def test_samples_list_shows_escapes_a_row_holds_and_does_not_send_them(capsys, tuipad_home):
    """A row written by hand, or imported before fields were checked."""
    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        sample_id = store.add([[[5, 2], [5, 14]]], 1, answered_by="default", predicted=7).id
    with sqlite3.connect(tuipad_home / "samples.sqlite3") as connection:
        connection.execute(
            "UPDATE samples SET created = ?, answered_by = ? WHERE id = ?",
            ("\x1b[2J\x1b[31mRED", "\x1b]0;pwned\x07", sample_id),
        )
    code, out, _ = run(capsys, "samples", "list")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J\\x1b[31mRED" in out and "7 (\\x1b]0;pwned\\x07)" in out
