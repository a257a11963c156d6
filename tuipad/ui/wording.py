"""Small pieces of English the screens share, so every screen says them alike."""

from __future__ import annotations


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
