"""The screens of the app's modes besides the sketchpad, imported when first opened: the
sketchpad's first frame does not need them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from tuipad.ui.context import AppContext


def train_screen(context: AppContext) -> Screen[Any]:
    """The training screen."""
    from tuipad.ui.screens.train import TrainScreen

    return TrainScreen(context)


def scribble_screen(context: AppContext) -> Screen[Any]:
    """Scribble mode."""
    from tuipad.ui.screens.scribble import ScribbleScreen

    return ScribbleScreen(context)


def switch(app: App[Any], mode: str) -> None:
    """Switch to ``mode``, leaving help, teach mode or browse first: the key that comes
    back ("s Sketchpad", "escape Sketchpad") then lands on the sketchpad, as it says.

    Each is left by its own leave action, so teach mode tells the app of the samples
    drawn, as escape does; a dialog waiting for an answer stays.
    """
    from textual.screen import ModalScreen

    from tuipad.ui.screens.help import HelpScreen

    while (depth := len(app.screen_stack)) > 1:
        screen = app.screen
        if isinstance(screen, ModalScreen) and not isinstance(screen, HelpScreen):
            break
        getattr(screen, "action_leave", app.pop_screen)()
        if len(app.screen_stack) == depth:  # it would not go: switch from where it is
            break
    # A drag under way holds the mouse, and switch_mode leaves it held by a hidden screen.
    app.capture_mouse(None)
    app.switch_mode(mode)


def open_once(app: App[Any], screen_type: type[Screen[Any]], *args: Any) -> None:
    """Open a screen of ``screen_type`` made with ``args``, unless one is in front already."""
    if not isinstance(app.screen, screen_type):
        app.push_screen(screen_type(*args))
