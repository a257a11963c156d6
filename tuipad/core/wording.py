"""How counts and digits read in messages (``1 sample``, ``2 samples``, ``an 8``), and
text from outside made safe to show (:func:`printable`)."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal would act on rather than show: escape sequences, line breaks
(Unicode's too) and the overrides that reorder the text after them."""


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``, ``\\n``): a file name
    or a sample's field may hold them, and what is shown must stay one line that does
    nothing to the terminal."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one.

    Args:
        count: How many.
        noun: The singular, e.g. ``"sample"`` or ``"personal sample"``.
        plural: The plural when it is not the singular plus ``s``.

    Returns:
        E.g. ``"1 sample"``, ``"0 samples"``, ``"20 samples"``.
    """
    if count == 1:
        return f"1 {noun}"
    return f"{count} {plural if plural is not None else noun + 's'}"


def a_digit(digit: int) -> str:
    """The digit with its article, as read aloud: ``"a 7"``, but ``"an 8"``.

    Args:
        digit: A digit, 0..9.

    Returns:
        The article, a space and the digit.
    """
    # Of 0..9 only "eight" starts with a vowel sound.
    article = "an" if digit == 8 else "a"
    return f"{article} {digit}"
