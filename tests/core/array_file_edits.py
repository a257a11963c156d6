"""Damaging an arrays file on purpose: the tests of its reader take one apart and rebuild it."""

from __future__ import annotations

import io
import zipfile

import numpy as np


def rewrite(data: bytes, name: str, content: bytes | None) -> bytes:
    """The arrays file with one entry replaced (or dropped, with ``None``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        if content is not None:
            target.writestr(name, content)
    return out.getvalue()


def npy(array: np.ndarray, *, allow_pickle: bool = False) -> bytes:
    """One array as a ``.npy`` entry (of objects too, with ``allow_pickle``)."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()
