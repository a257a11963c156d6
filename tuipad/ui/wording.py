"""Small pieces of English the screens share, so every screen says them alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuipad.store.registry import LoadedModel


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


def header_subtitle(model: LoadedModel) -> str:
    """How the header names the model: its name, its measured accuracy, and a mark if it
    runs from its pickle (a family without an array form)."""
    mark = " · from pickle" if model.from_pickle else ""
    if model.accuracy is None:
        return f"model {model.name} · no test accuracy{mark}"  # fits 80 columns
    return f"model {model.name} · {model.accuracy:.1%} test accuracy{mark}"
