"""The array form of every family that has one gives its pipeline's scores, to 1e-9."""

from __future__ import annotations

import io
import warnings
import zipfile

import numpy as np
import pytest
from array_file_edits import npy, rewrite

from tuipad.core import datasets
from tuipad.core.families import build
from tuipad.core.model_arrays import ArrayFormError, MlpArrays, SvcArrays
from tuipad.core.pen_rendering import replay
from tuipad.core.raster import to_digits8x8
from tuipad.core.to_arrays import NoArrayForm, array_model
from tuipad.store.array_files import arrays_bytes, read_arrays

FAMILIES = ["svc-seed", "svc-default", "svc", "mlp"]
"""Every family with an array form (k-NN has none)."""


@pytest.fixture(scope="module")
def drawings() -> np.ndarray:
    """All 1,797 scans, then 300 pen digits drawn as a terminal reports them."""
    X, _ = datasets.load_scans()
    pen = datasets.load_pen_digits()
    picked = range(0, len(pen), len(pen) // 300)
    drawn = [to_digits8x8(replay(pen.strokes(i), rows=12)).ravel() for i in picked]
    return np.vstack([X, np.array(drawn, dtype=float)])


@pytest.fixture(scope="module", params=FAMILIES)
def fitted(request: pytest.FixtureRequest) -> object:
    X, y = datasets.load_scans()
    X_train, _, y_train, _ = datasets.seed_split(X, y)
    estimator = build(request.param)
    if request.param == "mlp":
        estimator.set_params(mlp__max_iter=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # twenty epochs do not converge, and need not
        return estimator.fit(X_train, y_train)


def test_the_arrays_give_the_pipelines_scores(fitted, drawings):
    arrays = array_model(fitted)
    np.testing.assert_allclose(
        arrays.predict_proba(drawings), fitted.predict_proba(drawings), atol=1e-9, rtol=0
    )
    assert np.array_equal(arrays.classes_, fitted.classes_)


def test_the_arrays_file_reads_back_the_same_model(fitted, drawings):
    arrays = array_model(fitted)
    data = arrays_bytes(arrays)
    assert data == arrays_bytes(array_model(fitted))  # the same model, the same bytes
    again = read_arrays(data)
    assert type(again) is type(arrays)
    assert np.array_equal(again.predict_proba(drawings), arrays.predict_proba(drawings))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert np.load(io.BytesIO(archive.read("classes.npy"))).tolist() == list(range(10))


def test_a_two_class_svc_keeps_its_sign(drawings):
    X, y = datasets.load_scans()
    pair = y < 2
    fitted = build("svc-default").fit(X[pair], y[pair])
    arrays = array_model(fitted)
    np.testing.assert_allclose(
        arrays.predict_proba(drawings), fitted.predict_proba(drawings), atol=1e-9, rtol=0
    )


def test_k_nearest_neighbours_have_no_array_form():
    X, y = datasets.load_scans()
    with pytest.raises(NoArrayForm, match="KNeighborsClassifier"):
        array_model(build("knn").fit(X[:200], y[:200]))


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    X, y = datasets.load_scans()
    return arrays_bytes(array_model(build("svc-seed").fit(X[:300], y[:300])))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d[: len(d) // 2], "not a readable zip"),
        (lambda d: rewrite(d, "manifest.json", None), "no manifest.json"),
        (lambda d: rewrite(d, "manifest.json", b'{"format": 99}'), "format 99"),
        (
            lambda d: rewrite(d, "manifest.json", b'{"format": 1, "kind": "tree"}'),
            "unknown model kind",
        ),
        (lambda d: rewrite(d, "intercepts.npy", npy(np.zeros(3))), "intercepts array has shape"),
        (lambda d: rewrite(d, "dual_coef.npy", None), "dual_coef array is missing"),
        (
            lambda d: rewrite(d, "classes.npy", npy(np.array([object()]), allow_pickle=True)),
            "array of objects",
        ),
    ],
    ids=[
        "truncated",
        "no manifest",
        "newer",
        "unknown kind",
        "wrong shape",
        "missing",
        "pickled",
    ],
)
def test_a_damaged_arrays_file_is_one_line_and_runs_nothing(seed_bytes, damage, message):
    with pytest.raises(ArrayFormError, match=message) as refused:
        read_arrays(damage(seed_bytes))
    assert "\n" not in str(refused.value)


def test_non_finite_numbers_are_refused(seed_bytes):
    arrays = read_arrays(seed_bytes)
    assert isinstance(arrays, SvcArrays)
    broken = arrays.intercepts.copy()
    broken[0] = np.nan
    with pytest.raises(ArrayFormError, match="not finite"):
        read_arrays(rewrite(seed_bytes, "intercepts.npy", npy(broken)))


def test_an_mlp_needs_three_classes():
    with pytest.raises(ArrayFormError, match="three or more"):
        MlpArrays.from_parts({"layers": 1}, {"classes": np.array([0, 1])})


def test_an_arrays_file_that_would_expand_past_any_model_is_not_read(seed_bytes, monkeypatch):
    from tuipad.store import array_files

    monkeypatch.setattr(array_files, "MAX_BYTES", len(seed_bytes))
    with pytest.raises(ArrayFormError, match="larger than any model"):
        read_arrays(seed_bytes)


def test_an_array_whose_header_promises_more_than_it_holds_is_not_allocated(seed_bytes):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    with pytest.raises(ArrayFormError, match="does not match its size"):
        read_arrays(rewrite(seed_bytes, "intercepts.npy", header.getvalue() + b"\0" * 64))


def test_encrypted_or_oddly_compressed_entries_are_refused(seed_bytes):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed_bytes)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_BZIP2)
    with pytest.raises(ArrayFormError, match="oddly compressed"):
        read_arrays(out.getvalue())
