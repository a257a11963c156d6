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
import zipfile
import zlib

import numpy as np

from tuipad.core.model_arrays import ArrayFormError, ArrayModel, from_parts

FORMAT = 1
"""Version of the arrays file; a newer one is refused, not misread."""

MANIFEST = "manifest.json"
"""The entry holding the kind, the settings and the format version."""

MAX_BYTES = 256 * 2**20
"""Most bytes the entries of an arrays file may expand to (the shipped one: a few MB)."""

MAX_ENTRIES = 64
"""Most entries an arrays file may have."""

_DATE = (1980, 1, 1, 0, 0, 0)

UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError)
"""What reading a damaged zip raises, besides ``ValueError``."""


def arrays_bytes(model: ArrayModel) -> bytes:
    """The arrays file of ``model``.

    Returns:
        Zip bytes, the same for the same model.
    """
    entries = {MANIFEST: json.dumps({"format": FORMAT, **model.params()}, sort_keys=True).encode()}
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

    Raises:
        ArrayFormError: Not an arrays file tuipad can read, in one line.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_BYTES:
                raise ArrayFormError("the arrays file is larger than any model")
            names = {info.filename for info in infos}
            if MANIFEST not in names:
                raise ArrayFormError("the arrays file has no manifest.json")
            params = json.loads(archive.read(MANIFEST))
            arrays = {
                name[: -len(".npy")]: _read_array(archive.read(name))
                for name in sorted(names)
                if name.endswith(".npy")
            }
    except UNREADABLE as error:
        raise ArrayFormError(f"the arrays file is not a readable zip ({error})") from None
    except (ValueError, RecursionError, NotImplementedError) as error:
        if isinstance(error, ArrayFormError):
            raise
        raise ArrayFormError(f"the arrays file is damaged ({type(error).__name__})") from None
    if not isinstance(params, dict) or params.get("format") != FORMAT:
        found = params.get("format") if isinstance(params, dict) else None
        raise ArrayFormError(f"the arrays file is of format {found!r}; this tuipad reads {FORMAT}")
    return from_parts(params, arrays)


def _read_array(data: bytes) -> np.ndarray:
    array: np.ndarray = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    return array
