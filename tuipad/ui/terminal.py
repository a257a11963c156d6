"""The terminal driver: Textual's Linux driver, made to survive its input and its end.

Textual's driver decodes stdin as strict UTF-8, so one invalid byte (an 8-bit
Alt key, an X10 mouse report past column 95) kills its input thread and the
app with a traceback; a sequence its parser cannot handle (a kitty key code
too large for ``chr``) does the same.  :class:`TerminalInput` decodes with
replacement characters and starts a fresh parser when the parser fails, so
no byte sequence stops input.

When an SSH connection drops, the terminal hangs up: the process gets SIGHUP,
reads fail and writes fail.  :class:`TuipadDriver` turns SIGTERM, SIGHUP and
the end of its input into an orderly exit (samples are committed as they are
saved, so nothing is left to flush), and writes to a dead terminal are dropped
instead of killing the output thread, on which the exit would then wait forever.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import selectors
import signal
import sys
from typing import IO, Any

from textual import events
from textual._parser import Parser
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end the app in order, restoring the terminal, rather than killing it."""

MAX_TERMINAL_CELLS = 4096
"""Largest width or height a terminal may report; a larger report is noise, and laying
out a screen that size would freeze the app."""

READ_SIZE = 4096
"""Bytes read from the terminal at a time."""


def exit_status(signal_number: int) -> int:
    """The exit status after an exit signal, as a shell reports a process it killed."""
    return 128 + signal_number


class TerminalInput:
    """Turns bytes from the terminal into Textual messages, whatever the bytes are."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._parser: Parser[Message] = XTermParser()

    def feed(self, data: bytes) -> list[Message]:
        """Decode and parse a chunk read from the terminal.

        A multi-byte character split between chunks is completed by the next
        one; invalid bytes become U+FFFD.

        Args:
            data: The bytes read.

        Returns:
            The keys, mouse reports and other messages they complete.
        """
        text = self._decoder.decode(data)
        if not text:
            return []
        return self._parsed(lambda: self._parser.feed(text))

    def tick(self) -> list[Message]:
        """Messages due because time passed (a lone escape becomes the Escape key)."""
        return self._parsed(self._parser.tick)

    def _parsed(self, parse: Any) -> list[Message]:
        try:
            messages = list(parse())
        except Exception:
            # The parser is a generator, dead once it raises: the partial
            # sequence it held is dropped and parsing starts afresh.
            self._parser = XTermParser()
            return []
        return [message for message in messages if _plausible(message)]


def _plausible(message: Message) -> bool:
    """Whether a parsed message could have come from a terminal (a size it could have)."""
    if isinstance(message, events.Resize):
        width, height = message.size
        return 0 < width <= MAX_TERMINAL_CELLS and 0 < height <= MAX_TERMINAL_CELLS
    return True


class QuietStream:
    """The terminal's output stream, dropping what cannot be written once it is gone."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> None:
        try:
            self._stream.write(text)
        except (OSError, ValueError):
            pass  # hung up or closed: nobody is there to read it

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def fileno(self) -> int:
        return self._stream.fileno()


class TuipadDriver(LinuxDriver):
    """Textual's Linux driver, which input, signals and a hang-up end in order."""

    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        assert sys.__stderr__ is not None
        self._file = QuietStream(sys.__stderr__)  # type: ignore[assignment]

    def start_application_mode(self) -> None:
        loop = asyncio.get_running_loop()
        for number in EXIT_SIGNALS:
            loop.add_signal_handler(number, self._exit_on_signal, number)
        super().start_application_mode()  # type: ignore[no-untyped-call]

    def stop_application_mode(self) -> None:
        try:
            super().stop_application_mode()
        finally:
            loop = asyncio.get_running_loop()
            for number in EXIT_SIGNALS:
                loop.remove_signal_handler(number)

    def _exit_on_signal(self, number: int) -> None:
        self._exit_in_order(exit_status(number))

    def _exit_in_order(self, status: int) -> None:
        # After the next refresh: an exit while the first screen is still mounting
        # removes its widgets under its own on_mount, which then fails.
        self._app.call_after_refresh(self._app.exit, None, status)

    def run_input_thread(self) -> None:
        """Read the terminal until the app stops or the terminal goes away."""
        terminal_input = TerminalInput()
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        try:
            while not self.exit_event.is_set():
                if selector.select(0.1):
                    try:
                        data = os.read(self.fileno, READ_SIZE)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        data = b""  # EIO: the terminal hung up
                    if not data:
                        self._exit_in_order(exit_status(signal.SIGHUP))
                        return
                    for message in terminal_input.feed(data):
                        self.process_message(message)
                for message in terminal_input.tick():
                    self.process_message(message)
        finally:
            selector.close()


def hardened(driver_class: type[Any]) -> type[Any]:
    """The driver to run with: tuipad's in place of Textual's Linux driver.

    Args:
        driver_class: The driver Textual chose (another platform's, or one named
            by ``TEXTUAL_DRIVER``, is kept).

    Returns:
        The driver class.
    """
    return TuipadDriver if driver_class is LinuxDriver else driver_class
