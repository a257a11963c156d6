"""The app's own commands in the command palette (ctrl+p), beside Textual's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Input, OptionList

from tuipad.ui.screens.closing import ClosesOnce
from tuipad.ui.screens.draw import DrawScreen

if TYPE_CHECKING:
    from tuipad.ui.app import TuipadApp


class Palette(ClosesOnce, CommandPalette):
    """Textual's command palette, run once however many Enters come in one burst."""

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _once(self, event: Input.Submitted | OptionList.OptionSelected) -> None:
        # Handlers of a subclass run first: once closed, the base class must not run the
        # command again for a second Enter queued behind the first.
        if not self.is_active:
            event.prevent_default()
            event.stop()


EXPORT_HINT = (
    "Export runs from the command line: tuipad export --onnx FILE.onnx or --coreml"
    " FILE.mlmodel (the active model; --model NAME for another)"
)
"""What the palette's Export says: the app has no export dialog, so it points to the
command that exports."""


def open_palette(app: TuipadApp) -> None:
    """Open the command palette, as Textual's ``ctrl+p`` does, unless it is open."""
    if app.use_command_palette and not CommandPalette.is_open(cast(App[object], app)):
        app.push_screen(Palette(id="--command-palette"))


def system_commands(
    app: TuipadApp, screen: Screen[object], textuals: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """Textual's commands but three, then tuipad's own.

    Help (?) says each screen's keys: Textual's Keys panel would squeeze the canvas.
    Its Quit does not ask first as tuipad's does; its Screenshot writes outside the
    data directory.
    """
    left_out = ("Keys", "Quit", "Screenshot")
    yield from (command for command in textuals if command.title not in left_out)
    yield from palette_commands(app, screen)


def palette_commands(app: TuipadApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """The screens and switches every screen offers, and the sketchpad's own actions."""

    def key(key: str, action: str) -> str:
        """`` (s)``, when the key does ``action`` on this screen."""
        bound = screen.active_bindings.get(key)
        return f" ({key})" if bound is not None and bound.binding.action == action else ""

    yield SystemCommand("Help", "Keys of this screen and what it shows", app.action_help)
    yield SystemCommand(
        "Quit", "Quit (asking first while a training runs or a page is not saved)", app.action_quit
    )
    if app.current_mode == "scribble":
        switch = ("Sketchpad", "Draw one digit at a time and see its scores")
    else:
        switch = ("Scribble mode", "Write whole numbers anywhere")
    toggle = key("s", "app.toggle_scribble")
    yield SystemCommand(switch[0], switch[1] + toggle, app.action_toggle_scribble)
    yield SystemCommand("Train models", "Train, compare and choose models", app.action_train_screen)
    yield SystemCommand(
        "Teach mode",
        "Draw each digit a few times to teach tuipad your hand" + key("T", "app.teach"),
        app.action_teach,
    )
    yield SystemCommand(
        "Browse samples",
        "Relabel or delete your personal samples" + key("b", "app.browse"),
        app.action_browse,
    )
    yield SystemCommand(
        "Adapt in the background",
        f"Turn {'off' if app.adapting.enabled else 'on'} adapting the model"
        " to new samples as you add them (A)",
        app.action_toggle_adapting,
    )
    if isinstance(screen, DrawScreen):
        yield SystemCommand("Clear", "Clear the canvas", screen.action_clear)
        yield SystemCommand("Undo", "Undo the last stroke", screen.action_undo)
        yield SystemCommand("Redo", "Redo the last undone stroke", screen.action_redo)
        yield SystemCommand("Eraser", "Switch between pen and eraser", screen.action_eraser)
        yield SystemCommand("Grid values", "Show the 8x8 values", screen.action_values)
        yield SystemCommand("Save drawing", "Save the drawing as JSON", screen.action_save)
        yield SystemCommand("Open drawing", "Load a drawing from JSON", screen.action_open)
        yield SystemCommand(
            "Undo correction",
            "Delete the sample the last correction saved" + key("ctrl+u", "undo_correction"),
            screen.action_undo_correction,
        )
    if fit := getattr(screen, "action_fit", None):  # the sketchpad, teach and scribble mode
        yield SystemCommand(
            "Fit", "Bring what is off the canvas back onto it" + key("f", "fit"), fit
        )
    yield SystemCommand(
        "Export model",
        "To Core ML or ONNX: from the command line, tuipad export",
        lambda: app.notify(EXPORT_HINT, timeout=8),
    )
