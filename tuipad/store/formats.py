"""The file formats tuipad reads and writes: drawings, scribble pages, labelled JSON lines.

Each reader turns a bad file into one ``ValueError`` (or a subclass) whose
message is one line naming what is wrong, and never reads more than the
file holds.  Writers go through :func:`tuipad.store.files.atomic_write`.
"""

from __future__ import annotations
