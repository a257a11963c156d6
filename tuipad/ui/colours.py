"""Whether the terminal has colours enough to shade with.

In 16 colours (``TERM=xterm``, ``TERM=linux``) the blends of two theme colours
that shade the 8x8 collapse into two or three greys, and a cursor drawn only
as a background colour can vanish; with NO_COLOR there is no colour at all.
Widgets ask here and draw with characters instead.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

FEW_COLOURS = frozenset({"standard", "windows"})
"""Rich's colour systems of 16 colours (8 on a Windows console)."""


def has_few_colours(app: App[Any]) -> bool:
    """Whether shades and highlights must not rely on colour alone.

    Args:
        app: The running app (its console knows the terminal's colour system).

    Returns:
        True with 16 colours or fewer, NO_COLOR, or the terminal's own 16-colour theme.
    """
    system = app.console.color_system
    return app.no_color or app.native_ansi_color or system is None or system in FEW_COLOURS
