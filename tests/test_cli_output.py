"""What the command line prints for people and for pipes: names are never cut, ``--json``
is accepted where a listing is, and ``--version`` answers."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version

import numpy as np
import pytest
from cli_run import run
from rich.console import Console

from tuipad import services
from tuipad.core.reports import evaluate
from tuipad.services import ModelRow

LONG_NAME = "bar-svc-seed-2026-12-06-0330"
"""A trained model's name as long as the issue's, cut to ``bar-svc-se…`` today."""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _row(name: str, **fields: object) -> ModelRow:
    values: dict[str, object] = {
        "name": name,
        "family": "svc-seed",
        "data": "scans+pen+aug, half split",
        "created": "2026-12-06 03:30",
        "accuracy": 0.9689,
        "size": 64_000,
        "bundled": False,
        "active": False,
        "recipe": "svc-seed",
        "created_iso": "2026-12-06T03:30:00+00:00",
    }
    return ModelRow(**(values | fields))  # type: ignore[arg-type]


ROWS = [_row("default", bundled=True, active=True, family="svc-default"), _row(LONG_NAME)]


@pytest.fixture
def long_named_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tuipad models`` lists the bundled model and one with a long name, without training."""
    monkeypatch.setattr(services, "model_rows", lambda paths: ROWS)


def test_models_piped_is_plain_tab_separated_with_whole_names(capsys, long_named_models):
    code, out, _ = run(capsys, "models")
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0
    assert lines[0] == ["active", "name", "family", "data", "date", "accuracy", "size"]
    assert [fields[1] for fields in lines[1:]] == ["default", LONG_NAME]  # what `use` takes
    assert all(len(fields) == 7 for fields in lines)
    assert not set(out) & set("┃│…━")  # no table drawn, nothing cut


def test_models_json_lists_the_names(capsys, long_named_models):
    code, out, _ = run(capsys, "models", "--json")
    assert code == 0
    assert [row["name"] for row in json.loads(out)] == ["default", LONG_NAME]


@pytest.mark.parametrize("columns", [64, 80, 120])
def test_models_on_a_terminal_draw_a_table_that_keeps_whole_names(
    capsys, monkeypatch, long_named_models, columns
):
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "models")
    text = ANSI.sub("", out)
    assert code == 0
    assert "┃" in text  # a table, for people
    assert LONG_NAME in text and "default (bundled)" in text


def test_models_on_a_terminal_too_narrow_for_a_table_list_the_names(
    capsys, monkeypatch, long_named_models
):
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "models")
    assert code == 0
    assert out.splitlines() == [
        "● default (bundled)",
        f"  {LONG_NAME}",
        "(more when wider, or with --json)",
    ]


@pytest.mark.parametrize(
    ("width", "left_out"),
    [
        (52, ("size", "date", "data", "family")),
        (64, ("size", "date", "data")),
        (80, ("size", "date")),
        (110, ()),
    ],
)
def test_models_table_leaves_out_columns_rather_than_cut_the_name_or_wrap_dates(width, left_out):
    from tuipad.cli.output import models_table

    console = Console(width=width, file=io.StringIO(), color_system=None)
    table, left = models_table(ROWS, console)
    assert table is not None and left == left_out
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert LONG_NAME in text and "default (bundled)" in text
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    rows = [line for line in text.splitlines() if LONG_NAME in line]
    assert len(rows) == 1 and "%" in rows[0]  # its accuracy on its own line, not wrapped


def test_eval_report_never_cuts_the_row_names():
    from tuipad.cli.report_tables import report_table

    digits = np.arange(20) % 10
    result = evaluate(digits, np.where(digits == 9, 8, digits))
    console = Console(width=40, file=io.StringIO(), color_system=None)
    console.print(report_table(result))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "weighted" in text and "macro avg" in text


@pytest.mark.parametrize("width", [100, 60, 45, 40, 30, 20])
@pytest.mark.parametrize("report", [False, True])
def test_an_evaluation_keeps_every_figure_at_any_width(monkeypatch, capsys, width, report):
    from tuipad.cli import report_tables
    from tuipad.cli.output import console

    monkeypatch.setenv("COLUMNS", str(width))
    digits = np.arange(40) % 10
    result = evaluate(digits, np.where(digits == 9, 8, digits))
    report_tables.print_evaluation("a test", result, report=report)
    text = capsys.readouterr().out
    assert console().width == width and "…" not in text
    words = [word.rstrip(",") for word in text.split()]  # wrapped at spaces, never in a figure
    if report:
        assert words.count("0.500") == words.count("0.667") == 1  # 8: precision, f1
        assert words.count("0.000") == 3  # 9: precision, recall, f1
    else:
        assert words.count("0.00") == 1 and words.count("1.00") == 9  # the 9s all read as 8
    matrix = words[words.index("matrix") :]
    assert matrix.count("4") >= 10  # 9 right each, and the 9s read as 8


def test_eval_report_leaves_out_the_digits_the_file_lacks():
    from tuipad.cli.report_tables import report_table

    result = evaluate(np.array([1, 1, 7]), np.array([1, 1, 7]))
    console = Console(width=80, file=io.StringIO(), color_system=None)
    console.print(report_table(result))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines()]
    rows = {row[0]: row[1:] for row in cells if row}
    assert rows["0"] == ["–", "–", "–", "0"]  # no figure for a digit not drawn
    assert rows["macro avg"] == ["1.000", "1.000", "1.000", "3"]  # not 0.200


@pytest.mark.parametrize(
    "argv", [["samples", "list", "--json"], ["samples", "--json", "list"], ["samples", "--json"]]
)
def test_samples_list_json_on_the_command_or_the_subcommand(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert json.loads(out)["samples"] == []


def test_samples_list_without_json_stays_text(capsys):
    code, out, _ = run(capsys, "samples", "list")
    assert code == 0 and out.startswith("0 samples in ")


def test_version_prints_the_package_version_and_exits_0(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out == f"tuipad {version('tuipad')}\n"


@pytest.mark.parametrize(
    "argv", [["predict", "DRAWING"], ["eval", "LABELLED"], ["eval", "--json", "LABELLED"]]
)
def test_a_closed_stdout_ends_every_command_quietly_with_status_0(tmp_path, seven, argv):
    """``tuipad eval FILE | head -1``: the reader left, which is not an error."""
    drawing = tmp_path / "seven.json"
    drawing.write_text(json.dumps({"strokes": seven}))
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(json.dumps({"label": 7, "strokes": seven}) + "\n")
    files = {"DRAWING": str(drawing), "LABELLED": str(labelled)}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as users run it
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tuipad", *[files.get(a, a) for a in argv]],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("both", [False, True])
def test_a_training_whose_progress_reader_left_still_saves_its_model(tuipad_home, both):
    """``tuipad train 2>&1 | head -1`` (``both``: the results too): the progress stops,
    not the training."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tuipad", "train", "--recipe", "seed", "--name", "s1"],
            stdout=writer if both else subprocess.PIPE,
            stderr=writer,
            text=True,
            env=env,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 0
    assert (tuipad_home / "models" / "s1.npz").is_file()
    assert both or "accuracy" in done.stdout


def test_progress_off_a_terminal_logs_each_line_once(capsys):
    from tuipad.cli.output import ProgressLine

    progress = ProgressLine()
    # What a k-NN's last fit reports: it starts at what rounds to 100%, then ends.
    for stage, fraction in [
        ("fitting knn on 898 digits", 0.5),
        ("fitting knn on 898 digits", 0.97),
        ("fitting knn on 1797 digits", 0.998),
        ("fitting knn on 1797 digits", 1.0),
        ("trained", 1.0),
    ]:
        progress(stage, fraction)
    assert capsys.readouterr().err.splitlines() == [
        "fitting knn on 898 digits: 50%",
        "fitting knn on 1797 digits: 100%",
        "trained: 100%",
    ]


@pytest.mark.parametrize(("term", "redrawn"), [("xterm-256color", True), ("dumb", False)])
def test_progress_redraws_its_line_only_on_a_terminal_that_takes_escape_codes(
    capsys, monkeypatch, term, redrawn
):
    from tuipad.cli.output import ProgressLine

    monkeypatch.setenv("TERM", term)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    progress = ProgressLine()
    for fraction in (0.2, 0.6, 1.0):
        progress("reading", fraction)
    err = capsys.readouterr().err
    assert ("\x1b[K" in err) == redrawn
    if not redrawn:
        assert err.splitlines() == ["reading: 20%", "reading: 100%"]
