"""The command line: each command, its JSON, and bad input (one line, exit 2)."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run

from tuipad import services
from tuipad.cli.main import build_parser
from tuipad.core.families import FAMILIES, MAX_FOLDS, MIN_FOLDS, RECIPES
from tuipad.store import registry


def test_predict_prints_the_label_and_ten_scores(capsys, drawing_file):
    code, out, _ = run(capsys, "predict", str(drawing_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Prediction 7 · ")
    assert len(lines) == 12 and lines[-1] == "read with model default"
    # Whole percentages, as the answer's doubt is judged on: the 7's is the answer's.
    assert [line.split()[0] for line in lines[1:11]] == [str(digit) for digit in range(10)]
    assert all(line.split()[1].rstrip("%").isdigit() for line in lines[1:11])
    assert f"· {lines[8].split()[1]}" in lines[0]


def test_predict_json_label_is_argmax_of_scores(capsys, drawing_file):
    code, out, _ = run(capsys, "predict", str(drawing_file), "--json")
    result = json.loads(out)
    assert code == 0 and result["label"] == 7 and result["model"] == "default"
    assert len(result["scores"]) == 10
    assert result["scores"].index(max(result["scores"])) == result["label"]
    assert len(result["grid"]) == 8
    assert result["shape_doubt"] is None


def test_predict_says_a_dash_is_no_digit_whatever_it_scores(capsys, tmp_path):
    dash = tmp_path / "dash.json"
    dash.write_text('{"strokes": [[[4, 8], [20, 8]]]}')
    code, out, _ = run(capsys, "predict", str(dash), "--json")
    result = json.loads(out)
    assert code == 0 and result["shape_doubt"] == "too flat"
    assert result["unsure_between"][0] == result["label"]
    code, out, _ = run(capsys, "predict", str(dash))
    assert out.splitlines()[0].startswith("Unsure: ") and out.splitlines()[0].endswith("too flat")


def test_predict_leaves_out_a_stray_tap_and_says_so(capsys, tmp_path):
    one = tmp_path / "one.json"
    one.write_text('{"strokes": [[[8, 5], [8, 17]]]}')
    tapped = tmp_path / "tapped.json"
    tapped.write_text('{"strokes": [[[8, 5], [8, 17]], [[14, 2]]]}')
    results = []
    for drawing in (one, tapped):
        code, out, _ = run(capsys, "predict", str(drawing), "--json")
        results.append(json.loads(out))
    assert [r["stray_marks_left_out"] for r in results] == [0, 1]
    assert results[0]["grid"] == results[1]["grid"] and results[0]["scores"] == results[1]["scores"]
    code, out, _ = run(capsys, "predict", str(tapped))
    assert out.splitlines()[0].endswith(", 1 stray mark left out")


def test_predict_does_not_load_textual(drawing_file):
    # Not rich: recent scikit-learn imports it itself when the model is unpickled.
    code = (
        "import sys; from tuipad.cli.main import main; "
        f"code = main(['predict', {str(drawing_file)!r}]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual'}), code)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[] 0"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{oops", "not JSON"),
        ('{"lines": []}', 'no "strokes" in it'),
        ('{"strokes": []}', "empty"),
        ('{"strokes": [[[1, "x"]]]}', "numbers"),
        (  # the command line's way to a page, not the sketchpad's keys (s)
            '{"format": "tuipad-scribble", "version": 1, "groups": []}',
            "a scribble page, not a drawing: open it with tuipad --scribble, then ctrl+o",
        ),
    ],
)
def test_predict_bad_input_is_one_line_and_exit_2(capsys, tmp_path, content, message):
    path = tmp_path / "drawing.json"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "predict", str(path))
    assert code == 2
    assert out == ""
    assert message in err and err.count("\n") == 1


def _labelled(tmp_path: Path, seven: list, compress: bool = False) -> Path:
    lines = [
        json.dumps({"label": 7, "strokes": seven}),
        "",
        json.dumps({"label": 1, "strokes": [[[5, 2], [5, 14]]]}),
    ]
    path = tmp_path / ("set.jsonl.gz" if compress else "set.jsonl")
    data = "\n".join(lines) + "\n"
    if compress:
        with gzip.open(path, "wt") as file:
            file.write(data)
    else:
        path.write_text(data)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_eval_json(capsys, tmp_path, seven, compress):
    code, out, _ = run(capsys, "eval", str(_labelled(tmp_path, seven, compress)), "--json")
    result = json.loads(out)
    assert code == 0
    assert result["n"] == 2 and result["accuracy"] == 1.0
    assert result["predictions"] == [7, 1]
    assert sum(map(sum, result["confusion_matrix"])) == 2


def test_eval_reads_stdin(tmp_path, seven):
    path = _labelled(tmp_path, seven)
    done = subprocess.run(
        [sys.executable, "-m", "tuipad", "eval", "-", "--json"],
        input=path.read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["predictions"] == [7, 1]


def test_eval_reads_gzip_on_stdin_and_a_byte_order_mark(tmp_path, seven):
    text = "\ufeff" + _labelled(tmp_path, seven).read_text()  # as Windows editors save it
    done = subprocess.run(
        [sys.executable, "-m", "tuipad", "eval", "-", "--json"],
        input=gzip.compress(text.encode()),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["predictions"] == [7, 1]


class OneByteAtATime(io.RawIOBase):
    """A pipe that delivers its data one byte per read, as a slow one may."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._data or not len(buffer):
            return 0
        buffer[0], self._data = self._data[0], self._data[1:]
        return 1


@pytest.mark.parametrize(("name", "compress"), [("set.jsonl", True), ("set.jsonl.gz", False)])
def test_eval_knows_gzip_by_its_bytes_not_its_name(capsys, tmp_path, seven, name, compress):
    data = _labelled(tmp_path, seven).read_bytes()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if compress else data)
    code, out, err = run(capsys, "eval", str(path), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["accuracy"] == 1.0


def test_eval_reads_gzip_whose_first_byte_comes_alone(capsys, monkeypatch, tmp_path, seven):
    data = gzip.compress(_labelled(tmp_path, seven).read_bytes())
    pipe = io.TextIOWrapper(io.BufferedReader(OneByteAtATime(data)))
    monkeypatch.setattr(sys, "stdin", pipe)
    code, out, err = run(capsys, "eval", "-", "--json")
    assert code == 0, err
    assert json.loads(out)["predictions"] == [7, 1]


def test_eval_says_a_damaged_gzip_is_damaged(capsys, tmp_path, seven):
    path = _labelled(tmp_path, seven, compress=True)
    data = bytearray(path.read_bytes())
    data[-6] ^= 0xFF  # the stored checksum
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, "eval", str(path))
    assert code == 2 and err.strip().endswith("the compressed data is damaged")


def test_eval_prints_accuracy_recall_and_matrix(capsys, tmp_path, seven):
    code, out, _ = run(capsys, "eval", str(_labelled(tmp_path, seven)))
    assert code == 0
    assert "accuracy 1.0000" in out and "recall per digit" in out and "confusion matrix" in out


def test_eval_of_one_drawing_counts_in_the_singular_and_dashes_absent_digits(
    capsys, tmp_path, seven
):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"label": 7, "strokes": seven}) + "\n")
    code, out, _ = run(capsys, "eval", str(path))
    assert code == 0
    assert "on 1 drawing from" in out and "(1 drawing)" in out
    recall = out.split("recall per digit")[1].split("confusion matrix")[0]
    assert recall.count("–") == 9 and "1.00" in recall and "0.00" not in recall
    code, out, _ = run(capsys, "eval", str(path), "--json")
    assert json.loads(out)["recall"] == [None] * 7 + [1.0] + [None] * 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 1: not JSON (Expecting value at column 1)"),
        ('{"label": 3 "strokes": []}', "not JSON (Expecting ',' delimiter at column 13)"),
        ('{"label": 3, "strokes": [[[0, 0]]', "not JSON (Expecting ',' delimiter at the end)"),
        ('{"strokes": [[[0, 0]]], "label": ' + "7" * 4000 + "}", "not " + "7" * 23 + "…\n"),
        ('{"label": 12, "strokes": [[[0, 0]]]}', "label must be a digit"),
        ('{"label": 3}', 'expected an object with "label" and "strokes"'),
        ('{"label": 3, "strokes": []}', "line 1: the drawing is empty"),
    ],
)
def test_eval_bad_lines_are_named(capsys, tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    code, _, err = run(capsys, "eval", str(path))
    assert code == 2 and message in err and err.count("\n") == 1


def test_eval_personal_with_a_missing_file_is_one_line(capsys, tmp_path, seven):
    path = _labelled(tmp_path, seven)
    code, _, err = run(capsys, "eval", str(path), "--personal", str(tmp_path / "none.jsonl"))
    assert code == 2 and "no such file" in err and err.count("\n") == 1


def test_train_seed_json(capsys, tuipad_home):
    code, out, _ = run(capsys, "train", "--recipe", "seed", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["recipe"] == "seed"
    assert result["test_accuracy"] == pytest.approx(0.969, abs=0.002)
    matrix = result["confusion_matrix"]
    assert len(matrix) == 10 and all(len(row) == 10 for row in matrix)
    assert sum(map(sum, matrix)) == 899
    assert result["report"]["7"]["support"] == sum(matrix[7])
    assert result["saved"].startswith(str(tuipad_home / "models" / "seed-"))


def test_train_prints_report_and_matrix(capsys):
    code, out, _ = run(capsys, "train", "--recipe", "seed")
    assert code == 0
    assert "accuracy 0.9689" in out and "precision" in out and "confusion matrix" in out
    assert "make it the active model with: tuipad models use seed-" in out


def test_training_a_knn_does_not_suggest_making_it_active(capsys, tuipad_home):
    code, out, _ = run(capsys, "train", "--model", "knn", "--name", "k2")
    assert code == 0 and "tuipad models use" not in out
    assert out.splitlines()[-1] == (
        "k2 is a k-NN: it can be compared (tuipad models, the training screen)"
        " but not used to recognise, so it cannot be made the active model"
    )
    manifest = registry.Manifest.from_file(registry.model_paths(tuipad_home / "models", "k2")[1])
    assert not services.can_be_made_active(manifest)


def _train_option(dest: str) -> argparse.Action:
    """One option of ``tuipad train``, read from the real parser."""
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    train = commands.choices["train"]
    return next(action for action in train._actions if action.dest == dest)


def _train_choices(dest: str) -> set[str]:
    """The choices ``tuipad train`` offers for one option."""
    return set(_train_option(dest).choices or ())


def test_train_choices_match_the_core_families_and_recipes():
    # cli.train spells the choices out so the CLI starts without importing the core.
    assert _train_choices("model") == set(FAMILIES)
    assert _train_choices("recipe") == set(RECIPES)
    assert f"({MIN_FOLDS} to {MAX_FOLDS} folds)" in str(_train_option("cv").help)


@pytest.mark.parametrize(
    "argv", [["train", "--recipe", "nope"], ["frobnicate"], ["predict"], ["eval"]]
)
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and "error" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["train", "--cv", "abc"], "tuipad train: error: argument --cv: invalid int value: 'abc'"),
        (["models", "use"], "tuipad models use: error: the following arguments are required: NAME"),
        (["samples", "import"], "tuipad samples import: error: the following arguments"),
        (["frobnicate"], "tuipad: error: argument COMMAND: invalid choice: 'frobnicate'"),
        (["--pause", "x"], "tuipad: error: argument --pause: not a number of seconds"),
    ],
)
def test_a_bad_command_line_is_one_line_without_the_usage(capsys, argv, said):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(said) and err.count("\n") == 1 and "usage" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["train", "--help"],
        ["predict", "--help"],
        ["eval", "--help"],
        ["models", "use", "--help"],
    ],
)
def test_help(capsys, argv):
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "usage: tuipad" in out and "options:" in out


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "tuipad", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "usage: tuipad" in done.stdout


def test_train_a_family_with_cross_validation_then_use_and_delete_it(capsys, tuipad_home):
    code, out, _ = run(capsys, "train", "--model", "knn", "--cv", "3", "--name", "k3", "--json")
    result = json.loads(out)
    assert code == 0 and result["model"] == "knn" and result["data"] == "scans, 3-fold CV"
    assert sum(map(sum, result["confusion_matrix"])) == 1797
    code, out, _ = run(capsys, "models", "--json")
    listed = {m["name"]: m for m in json.loads(out)}
    assert listed["default"]["active"] and listed["default"]["bundled"]
    assert listed["k3"]["accuracy"] == pytest.approx(result["test_accuracy"], abs=1e-6)
    code, _, err = run(capsys, "models", "use", "k3")  # no arrays: never recognises
    assert err == (
        "tuipad: error: model 'k3' is a k-NN: it can be compared but not used to recognise"
        " (tuipad recognises only with a model's arrays, and a k-NN has none)\n"
    )
    assert code == 2
    code, out, _ = run(capsys, "models", "--json")
    assert [m["name"] for m in json.loads(out) if m["active"]] == ["default"]
    assert run(capsys, "models", "rm", "k3")[0] == 0
    code, out, _ = run(capsys, "models", "--json")
    assert [m["name"] for m in json.loads(out)] == ["default"]
    assert json.loads(out)[0]["active"]


def test_models_list_is_what_models_alone_prints(capsys):
    assert run(capsys, "models", "list")[:2] == run(capsys, "models")[:2]
    for argv in (("models", "list", "--json"), ("models", "--json", "list")):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and [m["name"] for m in json.loads(out)] == ["default"]


def test_a_command_reading_with_another_model_than_chosen_warns(capsys, tuipad_home, drawing_file):
    tuipad_home.mkdir(parents=True, exist_ok=True)
    (tuipad_home / "settings.json").write_text('{"active_model": "nope"}')
    code, _, err = run(capsys, "predict", str(drawing_file))
    assert code == 0
    assert err == (
        "tuipad: warning: no model named 'nope' (see tuipad models); reading with default instead\n"
    )


def test_models_says_when_the_chosen_model_is_not_there(capsys, tuipad_home):
    tuipad_home.mkdir(parents=True, exist_ok=True)
    (tuipad_home / "settings.json").write_text('{"active_model": "nope"}')
    code, out, err = run(capsys, "models")
    assert code == 0 and out.splitlines()[1].startswith("●")  # default, as the app reads
    assert err == "tuipad: warning: no model named 'nope', the one chosen: default reads instead\n"


@pytest.mark.parametrize("more", [("--recipe", "seed"), ("--personal",)])
def test_an_empty_name_is_refused_not_replaced_by_the_automatic_one(capsys, more):
    code, out, err = run(capsys, "train", *more, "--name", "")
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith("tuipad: error: bad model name '': use up to 64")


def test_deleting_the_active_model_says_which_one_is_active_now(capsys):
    assert run(capsys, "train", "--recipe", "seed", "--name", "s1", "--json")[0] == 0
    assert run(capsys, "train", "--recipe", "seed", "--name", "s2", "--json")[0] == 0
    assert run(capsys, "models", "use", "s1")[0] == 0
    assert run(capsys, "models", "rm", "s2")[1] == "deleted s2\n"
    assert run(capsys, "models", "rm", "s1")[1] == "deleted s1; the active model is now default\n"
    code, out, _ = run(capsys, "models", "--json")
    assert [m["name"] for m in json.loads(out) if m["active"]] == ["default"]


def test_models_rm_deletes_every_name_it_can_and_names_the_rest(capsys):
    for name in ("s1", "s2"):
        assert run(capsys, "train", "--recipe", "seed", "--name", name, "--json")[0] == 0
    assert run(capsys, "models", "use", "s2")[0] == 0
    code, out, err = run(capsys, "models", "rm", "s1", "nope", "s2", "s1", "default")
    assert out == "deleted s1\ndeleted s2; the active model is now default\n"
    assert code == 2 and err.count("\n") == 1
    assert "no model named 'nope'" in err and "cannot be deleted" in err
    code, out, _ = run(capsys, "models", "--json")
    assert [m["name"] for m in json.loads(out)] == ["default"]


def test_models_rm_goes_on_past_a_model_it_cannot_delete(capsys, monkeypatch):
    from tuipad.store import registry

    for name in ("s1", "s2", "s3"):
        assert run(capsys, "train", "--recipe", "seed", "--name", name, "--json")[0] == 0
    assert run(capsys, "models", "use", "s2")[0] == 0
    remove = registry.remove_model

    def read_only_for_s2(home, name):
        if name == "s2":
            raise PermissionError(13, "Permission denied", str(home / "models" / "s2.pkl.gz"))
        remove(home, name)

    monkeypatch.setattr(registry, "remove_model", read_only_for_s2)
    code, out, err = run(capsys, "models", "rm", "s1", "s2", "s3")
    assert (code, out) == (2, "deleted s1\ndeleted s3\n")
    assert (
        err
        == "tuipad: error: s2: permission denied: "
        + str(Path(os.environ["TUIPAD_HOME"]) / "models" / "s2.pkl.gz")
        + "\n"
    )
    code, out, _ = run(capsys, "models", "--json")
    assert [(m["name"], m["active"]) for m in json.loads(out)] == [("default", False), ("s2", True)]


def test_deleting_a_model_leaves_an_identical_active_one_usable(capsys, drawing_file):
    for name in ("a", "b"):  # the seed recipe is deterministic: the same files twice
        assert run(capsys, "train", "--recipe", "seed", "--name", name, "--json")[0] == 0
    assert run(capsys, "models", "use", "b")[0] == 0
    assert run(capsys, "models", "rm", "a")[0] == 0
    code, _, err = run(capsys, "predict", str(drawing_file))
    assert code == 0 and err == ""  # no notice of a fallback to the default
    code, out, err = run(capsys, "models", "use", "b")
    assert code == 0 and "active model: b" in out
    # The seed recipe learns from the scans alone, which the user is told on choosing it.
    assert err == (
        "tuipad: warning: b: trained without pen digits, it reads drawn digits less well than"
        " the shipped model\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["models", "use", "nope"], "no model named 'nope'"),
        (["models", "rm", "default"], "cannot be deleted"),
        (["models", "--json", "use", "default"], "--json is for models list, not models use"),
        (["samples", "--json", "import", "x.jsonl"], "--json is for samples list, not samples"),
        (["models", "--json", "rm", "x"], "--json is for models list, not models rm"),
        (["samples", "--json", "export", "-"], "--json is for samples list, not samples export"),
        (["samples", "--json", "rm", "1"], "--json is for samples list, not samples rm"),
        (["train", "--name", "default"], "bundled model's name"),
        (["train", "--name", "../x"], "bad model name"),
        (["train", "--recipe", "seed", "--pen"], "go with --model"),
        (["train", "--model", "knn", "--cv", "1"], "between 2 and 20"),
    ],
)
def test_models_and_train_bad_input(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_eval_shows_a_file_name_that_looks_like_markup_as_it_is(capsys, tmp_path, seven):
    (tmp_path / "b[red]c[").mkdir()
    odd = tmp_path / "b[red]c[" / "x].jsonl"  # [/x] as the path spells it
    odd.write_text(_labelled(tmp_path, seven).read_text())
    code, out, _ = run(capsys, "eval", str(odd))
    assert code == 0 and str(odd) in out  # [red] and [/x] kept, not read as styles
