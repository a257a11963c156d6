"""The drawing core: line joining, pixels, undo/redo, the eraser and files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuipad.core.drawing import (
    DrawingFileError,
    Sketch,
    erase,
    line_cells,
    load_drawing,
    pixel_cells,
    point_pixels,
    save_drawing,
    segment_pixels,
    to_json,
)

coordinate = st.integers(min_value=-50, max_value=50)
cells = st.tuples(coordinate, coordinate)


# --------------------------------------------------------------------------- geometry


def test_line_cells_horizontal_and_diagonal() -> None:
    assert line_cells((0, 0), (3, 0)) == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert line_cells((0, 0), (2, 2)) == [(0, 0), (1, 1), (2, 2)]
    assert line_cells((4, 4), (4, 4)) == [(4, 4)]


@given(cells, cells)
def test_line_cells_is_connected_and_ends_at_both_points(start, end) -> None:
    line = line_cells(start, end)
    assert line[0] == start and line[-1] == end
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        assert max(abs(x1 - x0), abs(y1 - y0)) == 1
    assert len(line) == max(abs(end[0] - start[0]), abs(end[1] - start[1])) + 1


def test_whole_cell_report_inks_both_halves_and_sub_cell_one() -> None:
    assert point_pixels((3.0, 2.0)) == [(3, 4), (3, 5)]
    assert point_pixels((3.2, 2.7)) == [(3, 5)]
    assert point_pixels((3.2, 2.2)) == [(3, 4)]


def test_fast_drag_that_skips_cells_is_joined() -> None:
    pixels = segment_pixels((0.0, 0.0), (10.0, 0.0))
    assert pixel_cells(pixels) == {(x, 0) for x in range(11)}


# --------------------------------------------------------------------------- history


def draw(sketch: Sketch, *points: tuple[float, float]) -> None:
    sketch.begin(points[0])
    for point in points[1:]:
        sketch.extend(point)
    sketch.finish()


def test_strokes_keep_the_reported_points() -> None:
    sketch = Sketch()
    draw(sketch, (1, 1), (9, 1), (9, 1), (9, 5.5))
    assert sketch.strokes == (((1.0, 1.0), (9.0, 1.0), (9.0, 5.5)),)


def test_stroke_in_progress_is_part_of_the_drawing() -> None:
    sketch = Sketch()
    sketch.begin((1, 1))
    sketch.extend((2, 2))
    assert sketch.drawing
    assert sketch.strokes == (((1.0, 1.0), (2.0, 2.0)),)


def test_undo_and_redo_work_by_stroke() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    draw(sketch, (0, 3), (5, 3))
    first, second = sketch.strokes
    assert sketch.undo()
    assert sketch.strokes == (first,)
    assert sketch.undo()
    assert sketch.strokes == ()
    assert not sketch.undo()
    assert sketch.redo() and sketch.redo()
    assert sketch.strokes == (first, second)
    assert not sketch.redo()


def test_new_stroke_drops_the_redo_history() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    sketch.undo()
    draw(sketch, (0, 3), (5, 3))
    assert not sketch.can_redo


def test_clear_is_undoable_and_clearing_nothing_is_not_a_step() -> None:
    sketch = Sketch()
    assert not sketch.clear()
    draw(sketch, (0, 0), (5, 0))
    before = sketch.strokes
    assert sketch.clear()
    assert sketch.strokes == ()
    sketch.undo()
    assert sketch.strokes == before


def test_undo_during_a_stroke_ends_it_then_undoes_it() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (5, 0))
    sketch.begin((0, 4))
    sketch.extend((3, 4))
    assert sketch.undo()
    assert len(sketch.strokes) == 1


@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=8))
def test_undoing_everything_empties_and_redoing_restores(strokes) -> None:
    sketch = Sketch()
    for stroke in strokes:
        draw(sketch, *stroke)
    final = sketch.strokes
    while sketch.undo():
        pass
    assert sketch.strokes == ()
    while sketch.redo():
        pass
    assert sketch.strokes == final


# --------------------------------------------------------------------------- eraser


def test_eraser_cuts_a_stroke_in_two() -> None:
    strokes = (tuple((float(x), 0.0) for x in range(11)),)
    left, right = erase(strokes, [(5, 0)], radius=1)
    assert left == tuple((float(x), 0.0) for x in range(4))
    assert right == tuple((float(x), 0.0) for x in range(7, 11))


def test_eraser_cuts_a_long_segment_with_no_point_under_it() -> None:
    strokes = (((0.0, 0.0), (20.0, 0.0)),)
    assert erase(strokes, [(10, 0)]) == (((0.0, 0.0),), ((20.0, 0.0),))


def test_eraser_elsewhere_changes_nothing() -> None:
    strokes = (((0.0, 0.0), (5.0, 0.0)),)
    assert erase(strokes, [(3, 10)]) is strokes


def test_an_erase_gesture_is_one_undo_step() -> None:
    sketch = Sketch()
    draw(sketch, *[(x, 0) for x in range(20)])
    before = sketch.strokes
    sketch.begin_erase()
    assert sketch.erase_at([(3, 0)])
    assert sketch.erase_at([(12, 0)])
    sketch.finish()
    assert len(sketch.strokes) == 3
    sketch.undo()
    assert sketch.strokes == before


def test_pixels_follow_the_drawing() -> None:
    sketch = Sketch()
    draw(sketch, (0, 0), (2, 0))
    assert pixel_cells(sketch.pixels()) == {(0, 0), (1, 0), (2, 0)}
    sketch.clear()
    assert sketch.pixels() == set()


# --------------------------------------------------------------------------- files


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    strokes = (((1.0, 2.0), (3.5, 4.25)), ((0.0, 0.0),))
    path = save_drawing(tmp_path / "sub" / "d.json", strokes)
    assert json.loads(path.read_text()) == {"strokes": [[[1, 2], [3.5, 4.25]], [[0, 0]]]}
    assert load_drawing(path) == strokes
    assert [name for name in os.listdir(path.parent)] == ["d.json"]


def test_save_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text("old")
    save_drawing(path, [((1.0, 1.0),)])
    assert load_drawing(path) == (((1.0, 1.0),),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ("[1, 2]", "expected an object"),
        ('{"strokes": 3}', "must be a list"),
        ('{"strokes": [[[1]]]}', "a stroke must be"),
        ('{"strokes": [[["a", 2]]]}', "a stroke must be"),
        ('{"strokes": [[[1, NaN]]]}', "a stroke must be"),
    ],
)
def test_bad_files_give_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(DrawingFileError, match=message) as info:
        load_drawing(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DrawingFileError, match="no such file"):
        load_drawing(tmp_path / "nope.json")


def test_json_is_what_tuipad_predict_reads(seven) -> None:
    from tuipad.core.raster import to_digits8x8

    data = json.loads(to_json(seven))
    assert set(data) == {"strokes"}
    assert (to_digits8x8(data["strokes"]) == to_digits8x8(seven)).all()
