"""How counts and digits read in messages: ``1 sample``, ``2 samples``, ``an 8``."""

from __future__ import annotations


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
