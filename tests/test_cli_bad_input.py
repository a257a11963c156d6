"""Hostile input to the command line: one line on stderr, exit 2, quickly, with bounded memory.

Each case of the hardening issue that once ended in a traceback, a numpy
warning, gigabytes of memory or a read that never ended.  The same refusal
must come from ``predict`` (one drawing), ``eval`` and ``samples import`` (a
JSON line each).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tuipad.cli.main import main
from tuipad.core.drawing import MAX_DRAWING_POINTS, MAX_STROKE_POINTS
from tuipad.store.formats import MAX_LINES
from tuipad.store.reading import MAX_FILE_BYTES, MAX_JSON_DEPTH

SECONDS = 5.0
"""The most any refusal may take (the issue's target), on a shared machine."""

ZIGZAG_100K = '{"strokes":[[' + ",".join(f"[{i % 2 * 9},{i % 7}]" for i in range(100_000)) + "]]}"
"""About 0.85 MB: 10^5 zig-zag points in one stroke (once a 4.2 GiB allocation)."""

DRAWINGS = {
    "zig-zag of 10^5 points": (ZIGZAG_100K, f"at most {MAX_STROKE_POINTS:,} positions"),
    "10^4 points": (
        json.dumps({"strokes": [[[i % 2 * 9, i % 7] for i in range(10_000)]]}),
        f"at most {MAX_STROKE_POINTS:,} positions",
    ),
    "10^4 + 1 one-point strokes": (
        json.dumps({"strokes": [[[i % 9, i % 7]] for i in range(MAX_DRAWING_POINTS + 1)]}),
        f"at most {MAX_DRAWING_POINTS:,} positions",
    ),
    "nested 2,000 deep": ("[" * 2000 + "]" * 2000, f"nested more than {MAX_JSON_DEPTH} deep"),
    "a terminal capture, escape codes and all": ("\x1b[1m" * 40 + "text", "not JSON (Expecting"),
    "coordinates near 1e308": ('{"strokes":[[[1e308,1],[-1e308,2]]]}', "within ±1,000,000"),
    "an integer of 400 digits": (
        '{"strokes":[[[1' + "0" * 400 + ",1],[2,3]]]}",
        "within ±1,000,000",
    ),
    "an integer of 5,000 digits": ('{"strokes":[[[1' + "0" * 5000 + ",1]]]}", "4,300 digits"),
    "NaN": ('{"strokes":[[[NaN,1],[2,3]]]}', "within ±1,000,000"),
    '"strokes": 5': ('{"strokes": 5}', "must be a list"),
    "strings as coordinates": ('{"strokes":[[["1","2"],[3,4]]]}', 'must be numbers, not "1"'),
    "booleans as coordinates": ('{"strokes":[[[true,false],[3,4]]]}', "must be numbers, not true"),
    "a key given twice": (
        '{"strokes":[[[1,1],[2,3]]],"strokes":[[[5,2],[5,14]]]}',
        'the key "strokes" is given twice',
    ),
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str, float]:
    start = time.monotonic()
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    seconds = time.monotonic() - start
    out, err = capsys.readouterr()
    return code, out, err, seconds


def assert_one_line_refusal(code: int, err: str, seconds: float, message: str) -> None:
    assert code == 2, err
    assert err.startswith("tuipad: error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err and "Warning" not in err
    assert seconds < SECONDS


@pytest.mark.parametrize("case", DRAWINGS)
def test_predict_refuses_in_one_line(capsys, tmp_path: Path, case: str) -> None:
    text, message = DRAWINGS[case]
    path = tmp_path / "drawing.json"
    path.write_text(text)
    code, out, err, seconds = run(capsys, "predict", str(path))
    assert out == ""
    assert_one_line_refusal(code, err, seconds, message)


def _as_line(text: str) -> str:
    """The drawing case as a labelled JSON line (the nesting case stays bare)."""
    if text.startswith("{"):
        return '{"label":3,' + text[1:] + "\n"
    return text + "\n"


@pytest.mark.parametrize("case", DRAWINGS)
def test_eval_refuses_the_same_line_the_same_way(capsys, tmp_path: Path, case: str) -> None:
    text, message = DRAWINGS[case]
    path = tmp_path / "drawings.jsonl"
    path.write_text(_as_line(text))
    code, out, err, seconds = run(capsys, "eval", str(path))
    assert out == ""
    assert_one_line_refusal(code, err, seconds, message)
    assert "line 1:" in err


@pytest.mark.parametrize("case", DRAWINGS)
def test_import_refuses_the_same_line_the_same_way(capsys, tmp_path: Path, case: str) -> None:
    text, message = DRAWINGS[case]
    path = tmp_path / "drawings.jsonl"
    path.write_text(_as_line(text))
    code, _, err, seconds = run(capsys, "samples", "import", str(path))
    assert_one_line_refusal(code, err, seconds, message)
    assert "line 1:" in err and "no usable samples" in err


def _gzipped_lines(tmp_path: Path, damage: str) -> Path:
    line = json.dumps({"label": 1, "strokes": [[[5, 2], [5, 14]]]}) + "\n"
    data = gzip.compress((line * 200).encode())
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:  # flip bits in the deflate stream, after the 10-byte header
        data = data[:12] + bytes(b ^ 0xFF for b in data[12:20]) + data[20:]
    path = tmp_path / f"{damage}.jsonl.gz"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("damage", "message"), [("truncated", "cut short"), ("corrupt", "damaged")]
)
@pytest.mark.parametrize("command", [("eval",), ("samples", "import")])
def test_a_broken_gzip_stream_is_one_line(capsys, tmp_path, damage, message, command) -> None:
    path = _gzipped_lines(tmp_path, damage)
    code, _, err, seconds = run(capsys, *command, str(path))
    assert code == 2 and "Traceback" not in err and seconds < SECONDS
    assert err.count("\n") == 1 and (message in err or "not a gzip file" in err), err


def test_predict_reads_no_more_than_the_cap_from_an_endless_file(capsys) -> None:
    code, out, err, seconds = run(capsys, "predict", "/dev/zero")
    assert_one_line_refusal(code, err, seconds, f"larger than {MAX_FILE_BYTES:,} bytes")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))


@pytest.mark.parametrize("command", [["predict", "-"], ["eval", "-"], ["samples", "import", "-"]])
def test_a_closed_standard_input_is_one_line(command) -> None:
    # As a shell runs ``tuipad predict - 0<&-``: the child starts without fd 0.
    script = " ".join([sys.executable, "-m", "tuipad", *command, "0<&-"])
    start = time.monotonic()
    done = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, env=_env(), timeout=60
    )
    seconds = time.monotonic() - start
    assert done.returncode == 2, done.stderr
    assert done.stderr == "tuipad: error: cannot read standard input: it is closed\n"
    assert seconds < 2 * SECONDS  # a fresh interpreter too


@pytest.mark.parametrize(
    "command", [["models"], ["samples", "export", "-"], ["predict", "-"], ["--version"], ["-h"]]
)
def test_a_closed_standard_output_is_one_line(command) -> None:
    # As a shell runs ``tuipad models >&-``: output would go nowhere, so nothing runs.
    script = " ".join([sys.executable, "-m", "tuipad", *command, "1>&-", "</dev/null"])
    done = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == "tuipad: error: cannot write standard output: it is closed\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", [["--version"], ["--help"], ["models", "rm", "--help"]])
def test_help_and_version_onto_a_full_disk_are_one_line(command) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tuipad", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            timeout=60,
        )
    assert (done.returncode, done.stderr) == (2, "tuipad: error: the disk is full\n")


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["predict", "-"], "standard input: not JSON"),
        (["eval", "-"], "standard input: line 1: not JSON"),
        (["samples", "import", "-"], "standard input: line 1: not JSON"),
    ],
)
def test_garbage_on_standard_input_is_named_so(capsys, monkeypatch, command, said) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"garbage")))
    code, out, err, seconds = run(capsys, *command)
    assert_one_line_refusal(code, err, seconds, said)


def test_a_gzip_drawing_is_named_as_such(capsys, tmp_path: Path) -> None:
    path = tmp_path / "one.json.gz"
    path.write_bytes(gzip.compress(b'{"strokes": [[[5, 2], [5, 14]]]}'))
    code, out, err, seconds = run(capsys, "predict", str(path))
    assert_one_line_refusal(code, err, seconds, "gzip-compressed: predict reads plain JSON")


@pytest.mark.parametrize(
    ("argv", "name"),
    [(["predict", "-x.json"], "-x.json"), (["export", "--onnx", "-x.onnx"], "-x.onnx")],
)
def test_a_name_read_as_an_option_says_how_to_give_it(capsys, argv, name) -> None:
    code, out, err, _ = run(capsys, *argv)
    assert code == 2 and err.startswith(f"tuipad {argv[0]}: error: ") and err.count("\n") == 1
    assert err.endswith(
        f"(a name starting with -, as {name}, reads as an option: write ./{name})\n"
    )


def test_a_file_name_with_control_characters_is_shown_escaped_on_one_line(capsys) -> None:
    code, out, err, seconds = run(capsys, "predict", "evil\x1b[31mRED\nline2.json")
    assert_one_line_refusal(code, err, seconds, "no such file: evil\\x1b[31mRED\\nline2.json")
    code, out, err, seconds = run(capsys, "predict", "a.json", "\x1b[2J")
    assert_one_line_refusal(code, err, seconds, "\\x1b[2J")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--scribble", "models"], "is for the sketchpad: give it without a command"),
        (["--pause", "2", "samples"], "is for the sketchpad: give it without a command"),
        (["eval", "-", "--personal", "-"], "standard input (-) can be read once"),
        (["samples", "rm", "9" * 30], "no sample with id 999"),
        (["samples", "rm", "9" * 5000], "(5,000 characters)"),
    ],
)
def test_a_command_line_that_cannot_mean_anything_is_one_line(capsys, argv, said) -> None:
    code, out, err, seconds = run(capsys, *argv)
    assert out == ""
    assert_one_line_refusal(code, err, seconds, said)


MEMORY_PROBE = (
    "import sys; from tuipad.cli.main import main; code = main(sys.argv[1:]);"
    " print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]); sys.exit(code)"
)
"""Runs the command line and prints its peak resident memory in KiB.  ``VmHWM``
(Linux) starts afresh at exec, unlike ``ru_maxrss``, which keeps the peak of the
forked test process."""


def _peak_memory(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], int, float]:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, *argv],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    peak = int(done.stdout.splitlines()[-1]) * 1024
    return done, peak, time.monotonic() - start


def test_the_zigzag_drawing_is_refused_within_500_mb(tmp_path: Path) -> None:
    path = tmp_path / "zigzag.json"
    path.write_text(ZIGZAG_100K)
    done, peak, _ = _peak_memory(["predict", str(path)])
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert peak < 500 * 2**20


def test_the_largest_drawing_allowed_is_answered_within_500_mb(tmp_path: Path) -> None:
    # Zig-zags the width of a screen in full strokes: the most positions there may be.
    stroke = [[i % 2 * 200, (i % 50) * 0.5] for i in range(MAX_STROKE_POINTS)]
    rest = MAX_DRAWING_POINTS % MAX_STROKE_POINTS
    strokes = [stroke] * (MAX_DRAWING_POINTS // MAX_STROKE_POINTS) + [stroke[:rest]]
    path = tmp_path / "largest.json"
    path.write_text(json.dumps({"strokes": strokes}))
    done, peak, seconds = _peak_memory(["predict", str(path), "--json"])
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout.splitlines()[0])["scores"]) == 10
    assert peak < 500 * 2**20 and seconds < 2 * SECONDS  # a fresh interpreter too


def _store_with_a_damaged_row(home: Path) -> None:
    import sqlite3

    from tuipad.store.samples import SampleStore

    with SampleStore.open(home / "samples.sqlite3") as store:
        store.add([[[1, 2], [3, 9]]], 3)
        store.add([[[1, 2], [5, 9]]], 4)
    raw = sqlite3.connect(home / "samples.sqlite3")
    with raw:
        raw.execute("UPDATE samples SET strokes = '{oops' WHERE id = 1")
    raw.close()


def test_samples_list_skips_a_damaged_row_and_names_it(capsys, tuipad_home: Path) -> None:
    _store_with_a_damaged_row(tuipad_home)
    code, out, err, _ = run(capsys, "samples")
    assert code == 0
    assert err.count("\n") == 1 and "warning" in err and "sample 1 in the store is damaged" in err
    assert "strokes" in err and "skipped" in err
    assert out.startswith("1 sample in ") and "(1 damaged, skipped)" in out.splitlines()[0]


def test_samples_export_leaves_a_damaged_row_out_and_says_so(
    capsys, tuipad_home: Path, tmp_path: Path
) -> None:
    _store_with_a_damaged_row(tuipad_home)
    target = tmp_path / "out.jsonl"
    code, out, err, _ = run(capsys, "samples", "export", str(target))
    assert code == 0 and "sample 1 in the store is damaged" in err and err.count("\n") == 1
    assert [json.loads(line)["label"] for line in target.read_text().splitlines()] == [4]


def test_samples_rm_deletes_a_damaged_row_the_warning_names(capsys, tuipad_home: Path) -> None:
    _store_with_a_damaged_row(tuipad_home)
    _, _, err, _ = run(capsys, "samples")
    assert "tuipad samples rm 1 deletes it" in err
    code, out, err, _ = run(capsys, "samples", "rm", "1")
    assert (code, out.strip(), err) == (0, "deleted 1 sample", "")
    code, out, err, _ = run(capsys, "samples")
    assert code == 0 and err == "" and out.startswith("1 sample in ")


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (("2", "7"), "id 7"),
        (("999",), "id 999"),
        (("0",), "sample id"),
        (("x",), "sample id"),
        (("-1",), "sample id"),
    ],
)
def test_samples_rm_of_an_id_not_there_says_so_in_one_line(
    capsys, tuipad_home, ids, message
) -> None:
    _store_with_a_damaged_row(tuipad_home)
    code, out, err, seconds = run(capsys, "samples", "rm", *ids)
    assert_one_line_refusal(code, err, seconds, message)
    assert out == ("deleted 1 sample\n" if ids == ("2", "7") else "")  # nothing deleted: no count
    from tuipad.store.samples import SampleStore

    with SampleStore.open(tuipad_home / "samples.sqlite3") as store:
        assert len(store) == (1 if ids == ("2", "7") else 2)  # the id that was there: deleted


@pytest.mark.parametrize("command", [("eval",), ("samples", "import")])
def test_a_file_of_endless_empty_lines_stops_at_the_line_limit(capsys, tmp_path, command) -> None:
    path = tmp_path / "empty.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n" * (MAX_LINES + 1)))
    code, _, err, seconds = run(capsys, *command, str(path))
    assert_one_line_refusal(code, err, seconds, f"more than {MAX_LINES:,} lines")


@pytest.mark.parametrize("command", [("eval",), ("samples", "import")])
def test_a_file_is_read_to_a_total_of_bytes_and_positions(
    capsys, tmp_path, monkeypatch, command
) -> None:
    from tuipad.store import formats

    line = json.dumps({"label": 1, "strokes": [[[5, y] for y in range(100)]]}) + "\n"
    path = tmp_path / "many.jsonl"
    path.write_text(line * 50)
    monkeypatch.setattr(formats, "MAX_FILE_POSITIONS", 4_000)
    code, _, err, seconds = run(capsys, *command, str(path))
    assert_one_line_refusal(code, err, seconds, "more than 4,000 positions in all")
    monkeypatch.setattr(formats, "MAX_FILE_BYTES_READ", 20 * len(line))
    code, _, err, seconds = run(capsys, *command, str(path))
    assert_one_line_refusal(code, err, seconds, f"more than {20 * len(line):,} bytes")


@pytest.mark.parametrize("command", [("eval",), ("samples", "import"), ("predict",)])
def test_a_missing_file_is_named_in_the_same_words(capsys, tmp_path, command) -> None:
    missing = tmp_path / "nowhere.jsonl"
    code, _, err, seconds = run(capsys, *command, str(missing))
    assert_one_line_refusal(code, err, seconds, f"no such file: {missing}")
