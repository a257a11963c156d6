"""What may name a model: one plain file name that no other model's files can have."""

from __future__ import annotations

import re


class ModelError(Exception):
    """A model could not be loaded or trusted; the message is one line."""


class BadNameError(ModelError, ValueError):
    """A model name that cannot name a file in a models directory.

    Both a :class:`ModelError` (for loaders) and a :class:`ValueError` (for
    callers checking the user's input), so either kind of caller reports it.
    """


NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
"""What a model name may look like: one file name, so never a path or a hidden file."""


REPORT_ENDING = ".evaluation"
"""How the stem of a model's saved report ends (``NAME.evaluation.npz``): a model named
``X.evaluation`` would keep its arrays in model ``X``'s report, so no name may end so
(in any case, for file systems that ignore it)."""


def checked_name(name: str) -> str:
    """Return ``name`` if it can name a model's files, else raise :class:`BadNameError`.

    Every path built from a model name goes through here (:func:`model_paths`,
    :func:`arrays_path`), so no name from the user, a setting or a manifest can
    reach a file outside the models directory.
    """
    if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
        raise BadNameError(
            f"bad model name {name!r}: use up to 64 ASCII letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    if name.lower().endswith(REPORT_ENDING):
        raise BadNameError(
            f"bad model name {name!r}: a name may not end in {REPORT_ENDING!r}, which names"
            " another model's saved report"
        )
    return name
