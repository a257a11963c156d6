"""How counts read in messages: ``1 sample``, ``2 samples``."""

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
