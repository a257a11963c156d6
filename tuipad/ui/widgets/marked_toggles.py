"""Checkboxes and radio buttons whose mark, not only its colour, says whether they are on.

Textual draws the same ``X`` or ``●`` in both states and tells them apart by
colour, which a monochrome or low-contrast terminal, a screen reader or a
plain-text capture loses.  These draw the mark only when on.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    """A checkbox showing ``X`` when ticked and a blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return "X" if self.value else " "


class MarkedRadioButton(RadioButton):
    """A radio button showing ``●`` when chosen and a blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return "●" if self.value else " "
