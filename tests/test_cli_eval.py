"""``tuipad eval --json`` gives the ten scores of every drawing, so calibration can be measured."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tuipad
from tuipad.cli.main import main


def eval_json(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    assert main(["eval", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def write_labelled(path: Path, labels: list[int], drawings: list[list]) -> Path:
    lines = (
        json.dumps({"label": label, "strokes": d})
        for label, d in zip(labels, drawings, strict=True)
    )
    path.write_text("\n".join(lines) + "\n")
    return path


def test_eval_json_gives_ten_scores_a_drawing_whose_argmax_is_the_label(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, writer_drawings: tuple
) -> None:
    labels, drawings = writer_drawings
    result = eval_json(capsys, write_labelled(tmp_path / "set.jsonl", labels, drawings))
    scores = result["scores"]
    assert len(scores) == len(labels) == result["n"]
    assert all(len(row) == 10 for row in scores)
    assert [row.index(max(row)) for row in scores] == result["predictions"]
    assert all(sum(row) == pytest.approx(1, abs=1e-4) for row in scores)
    assert all(round(s, 6) == s for row in scores for s in row)


def test_eval_json_scores_are_in_input_order_and_match_predict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, writer_drawings: tuple
) -> None:
    labels, drawings = writer_drawings
    labels, drawings = labels[:12][::-1], drawings[:12][::-1]
    result = eval_json(capsys, write_labelled(tmp_path / "set.jsonl", labels, drawings))
    model = tuipad.load_model()
    expected = [[round(s, 6) for s in tuipad.recognise(d, model).scores] for d in drawings]
    # One batch and one drawing at a time may round the last place differently.
    np.testing.assert_allclose(result["scores"], expected, atol=1.1e-6)
