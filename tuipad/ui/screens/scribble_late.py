"""Scribble mode's keys acted on as of when they were typed.

A key's action runs once the key has gone round the app, and the mouse reports
sent after it may have been handled by then (see :mod:`tuipad.ui.key_log`).  The
page's history lays back the strokes begun after the key
(:meth:`~tuipad.core.history.History.as_of`); :class:`LateKeys` does the same for
the selection, which the mouse changes too: a lifted stroke ends it and a
right-click makes one.  A late key acts on the selection as it was when typed (a
digit relabels the digit selected then, not one right-clicked after), and what
the mouse chose since holds again after it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tuipad.ui.key_log import typed_at
from tuipad.ui.screens.scribble_samples import DigitKey, digit_key

if TYPE_CHECKING:
    from tuipad.core.scribble import Page
    from tuipad.ui.screens.scribble import ScribbleScreen

KEPT = 16
"""Changes the mouse made to the selection that a late key can still be put before."""


@dataclass(frozen=True)
class MouseChoice:
    """A change the mouse made to the selection.

    Attributes:
        at: When it was made, on the clock of :func:`typed_at`: a right-click's press,
            a stroke's lift (``0`` for the keyboard pen's, which came in turn with the
            keys).
        before: The digit selected just before it, by its key: an edit moves indices.
        chosen: The digit it selected; ``None`` for a stroke, which ends the
            selection, or a click on no digit.
    """

    at: float
    before: DigitKey | None
    chosen: DigitKey | None


def index_of(page: Page, key: DigitKey | None) -> int | None:
    """The index of the digit known by ``key`` on the page (``None``: not there)."""
    found = (i for i, group in enumerate(page.groups) if digit_key(group) == key)
    return None if key is None else next(found, None)


class LateKeys:
    """The selection changes one scribble screen's mouse made, to act on keys as typed."""

    def __init__(self, screen: ScribbleScreen) -> None:
        self._screen = screen
        self._choices: deque[MouseChoice] = deque(maxlen=KEPT)
        self._acting_as_of: float | None = None

    def asked_at(self) -> float | None:
        """When the key whose change the screen is making was typed (see :meth:`as_typed`:
        a move is made in the screen's own task, where :func:`typed_at` knows no key)."""
        return typed_at() if self._acting_as_of is None else self._acting_as_of

    def mouse_chose(self, at: float, chosen: DigitKey | None) -> None:
        """Note a lifted stroke or a right-click, before the screen changes its selection."""
        self._choices.append(MouseChoice(at, self._selected_key(), chosen))

    def _selected_key(self) -> DigitKey | None:
        selected, page = self._screen.selected, self._screen.page
        return None if selected is None else digit_key(page.groups[selected])

    def _split(self, asked_at: float | None) -> tuple[DigitKey | None, list[MouseChoice]]:
        """The digit selected when a key was typed at ``asked_at``, and the mouse's choices
        made after it (none: the selection now holds), as History._split takes strokes."""
        if asked_at is not None:
            for index, first in enumerate(self._choices):
                if first.at > asked_at:
                    since = list(self._choices)[index:]
                    earlier = [choice for choice in since if choice.at <= asked_at]
                    later = [choice for choice in since if choice.at > asked_at]
                    return (earlier[-1].chosen if earlier else first.before), later
        return self._selected_key(), []

    def selected(self) -> int | None:
        """The digit selected when the key whose action runs was typed."""
        asked_at = typed_at()
        key, later = self._split(asked_at)
        if not later:
            return self._screen.selected
        return index_of(self._screen.history.value_as_of(asked_at), key)

    @contextmanager
    def as_typed(self, asked_at: float | None = None) -> Iterator[None]:
        """Make the screen's changes within as of when the key asking for them was typed
        (``asked_at``, else :func:`typed_at`): the strokes begun since are taken off the
        page first and the selection put back as it was; after, the strokes are written
        again and the mouse's choice holds."""
        screen = self._screen
        asked_at = typed_at() if asked_at is None else asked_at
        key, chosen_since = self._split(asked_at)
        self._acting_as_of = asked_at
        try:
            with screen.history.as_of(asked_at) as later:
                if chosen_since:
                    screen.selected = index_of(screen.page, key)
                yield
                left = self._selected_key()
            if later:
                screen.sync_canvas()
                screen.settle()
        finally:
            self._acting_as_of = None
        if chosen_since:  # the first choice after the key was made on what the key left
            first = chosen_since[0]
            self._choices[self._choices.index(first)] = replace(first, before=left)
            screen.selected = index_of(screen.page, chosen_since[-1].chosen)
            screen.refresh_page()
