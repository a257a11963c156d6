"""Recognition never unpickles and never imports scikit-learn.

The sketchpad, scribble mode, ``tuipad predict`` and ``tuipad eval`` read the
model's arrays.  Each runs here in a fresh interpreter whose ``pickle.load``,
``pickle.loads`` (but for rich's own style metadata) and ``joblib.load`` raise,
and which reports the modules it ended with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

GUARD = textwrap.dedent(
    """
    import json, pickle, sys, types

    def refuse(*args, **kwargs):
        raise AssertionError("a pickle was loaded")

    original_loads = pickle.loads

    def loads(data, *args, **kwargs):
        # rich keeps the metadata of its styles as pickles of its own making.
        if not sys._getframe(1).f_globals.get("__name__", "").startswith("rich."):
            refuse()
        return original_loads(data, *args, **kwargs)

    pickle.load, pickle.loads = refuse, loads
    sys.modules["joblib"] = types.SimpleNamespace(load=refuse)

    def report(**figures):
        loaded = sorted({name.split(".")[0] for name in sys.modules})
        print(json.dumps({"sklearn": "sklearn" in loaded, "scipy": "scipy" in loaded, **figures}))
    """
)
"""Run first in each child: pickle loading refused, and a report of what was imported."""

SEVEN = [[8, 2], [14, 2], [20, 2], [26, 2], [24, 6], [22, 10], [20, 14], [18, 17]]

APP_SESSION = textwrap.dedent(
    """
    import asyncio
    from tuipad.ui.app import make_app
    from tuipad.ui.widgets.drawing_canvas import DrawingCanvas
    from tuipad.ui.widgets.scribble_canvas import ScribbleCanvas
    from tuipad.ui.widgets.score_panel import ScorePanel

    async def write(pilot, canvas):
        await pilot.mouse_down(canvas, offset=tuple(SEVEN[0]))
        for point in SEVEN[1:]:
            await pilot.hover(canvas, offset=tuple(point))
        await pilot.mouse_up(canvas, offset=tuple(SEVEN[-1]))
        await pilot.pause()

    async def session():
        app = make_app(run_in_process=False, pause=0.1)
        async with app.run_test(size=(100, 32)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await write(pilot, app.screen.query_one(DrawingCanvas))
            answer = app.screen.query_one(ScorePanel).text
            app.action_toggle_scribble()
            await pilot.pause()
            await write(pilot, app.screen.query_one(ScribbleCanvas))
            await pilot.pause(0.4)
            numbers = [number.text for number in app.screen.page.numbers]
            return answer, numbers, type(app.model.predictor).__name__

    answer, numbers, predictor = asyncio.run(session())
    report(answer=answer, numbers=numbers, predictor=predictor)
    """
)


def run_guarded(code: str, home: Path, **names: object) -> dict:
    """Run ``code`` after :data:`GUARD` in a fresh interpreter; its report."""
    assignments = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    env = dict(os.environ, TUIPAD_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", GUARD + assignments + code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report: dict = json.loads(done.stdout.splitlines()[-1])
    return report


def cli(*argv: str) -> str:
    return textwrap.dedent(
        f"""
        import contextlib, io
        from tuipad.cli.main import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main({list(argv)!r})
        report(code=code, out=out.getvalue())
        """
    )


def test_predict_reads_arrays_only(tuipad_home: Path, tmp_path: Path) -> None:
    drawing = tmp_path / "seven.json"
    drawing.write_text(json.dumps({"strokes": [SEVEN]}))
    report = run_guarded(cli("predict", str(drawing), "--json"), tuipad_home)
    assert report["code"] == 0
    assert json.loads(report["out"])["label"] == 7
    assert not report["sklearn"] and not report["scipy"]


def test_eval_reads_arrays_only(tuipad_home: Path, tmp_path: Path) -> None:
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(json.dumps({"label": 7, "strokes": [SEVEN]}) + "\n")
    report = run_guarded(cli("eval", str(labelled), "--json"), tuipad_home)
    assert report["code"] == 0
    assert json.loads(report["out"])["n"] == 1
    assert not report["sklearn"] and not report["scipy"]


def test_a_sketchpad_session_reads_arrays_only(tuipad_home: Path) -> None:
    report = run_guarded(APP_SESSION, tuipad_home, SEVEN=SEVEN)
    assert report["predictor"] == "GridPathArrays"
    assert report["answer"].startswith("Prediction 7")
    assert report["numbers"] == ["7"]
    assert not report["sklearn"] and not report["scipy"]
