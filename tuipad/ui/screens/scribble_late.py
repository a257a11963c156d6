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
        at: When its press was taken in, on the clock of :func:`typed_at` (``0``: no
            time, as the keyboard pen's strokes have).
        before: The digit selected just before it.
        chosen: The digit it selected; ``None`` for a stroke, which ends the
            selection, or a click on no digit.
    """

    at: float
    before: int | None
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

    def mouse_chose(self, at: float, chosen: DigitKey | None) -> None:
        """Note a lifted stroke or a right-click, before the screen changes its selection."""
        self._choices.append(MouseChoice(at, self._screen.selected, chosen))

    def _after(self, asked_at: float | None) -> list[MouseChoice]:
        return [] if asked_at is None else [c for c in self._choices if c.at > asked_at]

    def selected(self) -> int | None:
        """The digit selected when the key whose action runs was typed."""
        after = self._after(typed_at())
        return after[0].before if after else self._screen.selected

    @contextmanager
    def as_typed(self, asked_at: float | None = None) -> Iterator[None]:
        """Make the screen's changes within as of when the key asking for them was typed
        (``asked_at``, else :func:`typed_at`): the strokes begun since are taken off the
        page first and the selection put back as it was; after, the strokes are written
        again and the mouse's choice holds."""
        screen = self._screen
        asked_at = typed_at() if asked_at is None else asked_at
        after = self._after(asked_at)
        with screen.history.as_of(asked_at) as later:
            if after:
                screen.selected = after[0].before
            yield
        if after:  # the first choice after the key was made on what the key left
            self._choices[self._choices.index(after[0])] = replace(after[0], before=screen.selected)
            screen.selected = index_of(screen.page, after[-1].chosen)
        if later:
            screen.sync_canvas()
            screen.settle()
