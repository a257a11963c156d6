"""The arrays file of a saved model: ``NAME.npz`` beside its pickle.

A zip of ``.npy`` arrays, as ``numpy.savez_compressed`` writes, plus
``manifest.json`` with the model's kind and scalar settings, so
``numpy.load`` opens it too.  Reading it runs no code: the arrays are read
with ``allow_pickle=False`` and every shape is checked before a model is made
of them (:func:`tuipad.core.model_arrays.from_parts`).  The zip is written
with fixed dates and in name order, so the same model gives the same bytes.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
import zlib
from tokenize import TokenError

import numpy as np

from tuipad.core.model_arrays import ArrayFormError, ArrayModel, from_parts

FORMAT = 1
"""Version of the arrays file of a grid model (``svc``, ``mlp``)."""

FORMATS = {"svc+path": 3}
"""Kinds written in a later format, so an older tuipad names the format it cannot read
rather than an unknown kind; one newer than this tuipad's is refused, not misread.
Format 3 adds the grid and path model's split temperature (format 2 has one)."""

MANIFEST = "manifest.json"
"""The entry holding the kind, the settings and the format version."""

MAX_BYTES = 256 * 2**20
"""Most bytes the entries of an arrays file may expand to (the shipped one: a few MB)."""

MAX_ENTRIES = 64
"""Most entries an arrays file may have."""

_DATE = (1980, 1, 1, 0, 0, 0)

UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
)
"""What reading a damaged zip raises, besides ``ValueError``."""

COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
"""How entries may be compressed (``numpy.savez`` and ``savez_compressed``)."""


def arrays_bytes(model: ArrayModel) -> bytes:
    """The arrays file of ``model``.

    Returns:
        Zip bytes, the same for the same model.
    """
    params = {"format": FORMATS.get(model.kind, FORMAT), **model.params()}
    entries = {MANIFEST: json.dumps(params, sort_keys=True).encode()}
    for name, array in model.arrays().items():
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
        entries[f"{name}.npy"] = buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return out.getvalue()


def read_arrays(data: bytes) -> ArrayModel:
    """The model an arrays file describes.

    The manifest is read first, so a newer format is named rather than
    misread; each array's header is checked against the bytes that follow it
    before anything is allocated.

    Raises:
        ArrayFormError: Not an arrays file tuipad can read, in one line.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = _checked_entries(archive)
            params = _manifest(archive.read(MANIFEST))
            arrays = {
                info.filename[: -len(".npy")]: _read_array(archive.read(info))
                for info in infos
                if info.filename.endswith(".npy")
            }
    except UNREADABLE as error:
        raise ArrayFormError(f"the arrays file is not a readable zip ({error})") from None
    # numpy reads a .npy header as a Python literal: a damaged one fails to tokenise.
    except (ValueError, RecursionError, RuntimeError, SyntaxError, TokenError) as error:
        if isinstance(error, ArrayFormError):
            raise
        raise ArrayFormError(f"the arrays file is damaged ({type(error).__name__})") from None
    return from_parts(params, arrays)


def _checked_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The zip's entries, if they are few, small, plainly compressed and include the manifest."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES or sum(info.file_size for info in infos) > MAX_BYTES:
        raise ArrayFormError("the arrays file is larger than any model")
    if any(info.flag_bits & 1 or info.compress_type not in COMPRESSIONS for info in infos):
        raise ArrayFormError("the arrays file has entries that are encrypted or oddly compressed")
    if MANIFEST not in {info.filename for info in infos}:
        raise ArrayFormError("the arrays file has no manifest.json")
    return infos


def _manifest(data: bytes) -> dict[str, object]:
    """The manifest's settings, if it is of the format this tuipad reads."""
    params = json.loads(data)
    found = params.get("format") if isinstance(params, dict) else None
    newest = max(FORMATS.values())
    if found not in range(FORMAT, newest + 1) or isinstance(found, bool):
        raise ArrayFormError(
            f"the arrays file is of format {found!r}; this tuipad reads {FORMAT} to {newest}"
        )
    return dict(params)


def _read_array(data: bytes) -> np.ndarray:
    """One ``.npy`` entry, read only if its header agrees with the bytes that follow.

    Raises:
        ArrayFormError: An array of objects, or a header promising more or
            fewer numbers than there are.
    """
    stream = io.BytesIO(data)
    version = np.lib.format.read_magic(stream)
    headers = {
        (1, 0): np.lib.format.read_array_header_1_0,
        (2, 0): np.lib.format.read_array_header_2_0,
    }
    if version not in headers:
        raise ArrayFormError(f"an array is in .npy format {version}, not 1.0 or 2.0")
    shape, fortran_order, dtype = headers[version](stream)
    if dtype.hasobject:
        raise ArrayFormError("the arrays file holds an array of objects")
    count = math.prod(shape)
    if count * dtype.itemsize != len(data) - stream.tell():
        raise ArrayFormError("an array's header does not match its size")
    array = np.frombuffer(data, dtype=dtype, count=count, offset=stream.tell())
    return array.reshape(shape, order="F" if fortran_order else "C")
