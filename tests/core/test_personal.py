"""Personal rows, hold-back and renderings: the pure part of personal training."""

from __future__ import annotations

import numpy as np

from tuipad.core import personal, personal_figures
from tuipad.core.drawing_rows import COLUMNS
from tuipad.core.pen_path import path_features
from tuipad.core.raster import to_digits8x8
from tuipad.core.recognise import read_strokes


def test_personal_rows_are_the_drawing_plus_renderings(writer_drawings):
    labels, drawings = writer_drawings
    X, y, owner = personal.personal_rows(labels[:3], drawings[:3], copies=4)
    assert X.shape == (15, COLUMNS) and len(y) == len(owner) == 15
    assert list(owner[:3]) == [0, 1, 2] and sorted(owner[3:]) == [0] * 4 + [1] * 4 + [2] * 4
    assert (y == np.asarray(labels[:3])[owner]).all()
    assert X[:, :64].min() >= 0 and X[:, :64].max() <= 16 and np.isfinite(X).all()
    np.testing.assert_array_equal(X[0, :64], to_digits8x8(drawings[0]).ravel())
    np.testing.assert_array_equal(X[0, 64:], path_features(read_strokes(drawings[0])[0]))


def test_no_personal_samples_give_no_rows_of_the_full_width():
    X, y, owner = personal.personal_rows([], [])
    assert X.shape == (0, COLUMNS) and len(y) == len(owner) == 0


def test_a_personal_sample_is_learnt_as_read_without_a_stray_tap():
    """Neither its grid nor its pen's path, as drawn or rendered, knows of the tap."""
    nine = [[(36, 11), (33, 8), (28, 8), (25, 11), (27, 13), (33, 14), (36, 11), (36, 19)]]
    tapped = [*nine, [(30, 6)]]  # a click two rows above it
    plain, with_tap = (personal.personal_rows([9], [d], copies=2)[0] for d in (nine, tapped))
    assert plain.shape == (3, COLUMNS)
    np.testing.assert_array_equal(plain, with_tap)


def test_hold_back_spreads_a_fifth_of_each_digit():
    labels = [1] * 10 + [2] * 4 + [3] * 5 + [4] * 2
    held = personal_figures.hold_back(labels)
    assert list(np.flatnonzero(held)) == [4, 9, 13, 18]


def test_renderings_per_sample_shrink_as_samples_grow():
    assert personal.copies_for(10) == personal.MAX_COPIES
    assert personal.copies_for(100) == 48
    assert personal.copies_for(600) == 8
    assert personal.copies_for(5000) == personal.MIN_COPIES


def test_support_vectors_that_contradict_a_drawing_nearby_are_left_out():
    from tuipad.core.adaptation import conflicting

    rng = np.random.default_rng(0)
    support = rng.uniform(0, 16, (200, 64))
    labels = rng.integers(0, 10, 200)
    drawing = support[:1] + 0.01  # the user's 3 sits on another writer's row
    near = conflicting(support, labels, drawing, np.array([(labels[0] + 1) % 10]), neighbours=5)
    assert near[0] and 1 <= near.sum() <= 5
    agreeing = conflicting(support, labels, drawing, labels[:1], neighbours=1)
    assert not agreeing.any()  # its nearest row says the same digit
    assert not conflicting(support, labels, np.zeros((0, 64)), np.zeros(0, int)).any()


def test_a_drawing_kept_against_a_sure_reading_does_not_teach_its_digit_to_the_rest():
    from tuipad.core.adaptation import adapt, read_otherwise
    from tuipad.core.recognise import predict_grids
    from tuipad.store.paths import bundled_models_dir
    from tuipad.store.registry import load_model

    base, _ = load_model(bundled_models_dir(), "default")
    ones = [[[(10.0, float(y)) for y in range(2, 16)]], [[(12.0, float(y)) for y in range(3, 15)]]]
    grids = np.array([to_digits8x8(one).ravel() for one in ones])
    # A 1 kept as a 6 after the app's warning: as likely a slip of the key as a hand's own 6.
    assert read_otherwise(base, grids[:1], np.array([6])).all()
    assert not read_otherwise(base, grids[:1], np.array([1])).any()
    adapted = adapt(base, [6, 1], ones, evaluate=False).estimator
    assert list(predict_grids(adapted, grids)[0]) == [1, 1]  # plain 1s stay 1s
