"""The terminal driver: any bytes on its input, and every way the app is told to end.

The decoding path is tested directly; the rest runs ``python -m tuipad`` in a
real pty and reads what the terminal would show.
"""

from __future__ import annotations

import errno
import io
import random
import signal
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pty_terminal import READY, PtyApp
from textual import events

from tuipad.ui.terminal import QuietStream, TerminalInput, exit_status

RESTORED = (b"\x1b[?1000l", b"\x1b[?1006l", b"\x1b[?1049l")
"""Mouse reporting off (X10 and SGR) and the alternate screen off."""

CTRL_Q = b"\x11"
"""Textual's quit key, bound above every screen."""


# ----------------------------------------------------------------- decoding


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_any_bytes_in_any_chunks_decode_without_raising(chunks: list[bytes]) -> None:
    terminal_input = TerminalInput()
    for chunk in chunks:
        terminal_input.feed(chunk)
        terminal_input.tick()


def test_an_invalid_byte_is_a_replacement_character_and_input_goes_on() -> None:
    terminal_input = TerminalInput()
    keys = terminal_input.feed(b"\xffa")
    assert [key.character for key in keys if isinstance(key, events.Key)] == ["\ufffd", "a"]


def test_a_character_split_between_reads_is_joined() -> None:
    terminal_input = TerminalInput()
    assert terminal_input.feed("é".encode()[:1]) == []
    [key] = terminal_input.feed("é".encode()[1:])
    assert isinstance(key, events.Key) and key.character == "é"


def test_a_sequence_the_parser_fails_on_is_dropped_and_parsing_goes_on() -> None:
    terminal_input = TerminalInput()
    # A kitty key whose code point does not exist: chr() raises inside Textual's parser.
    terminal_input.feed(b"\x1b[99999999999u")
    [mouse] = terminal_input.feed(b"\x1b[<0;5;6M")
    assert isinstance(mouse, events.MouseDown) and (mouse.x, mouse.y) == (4, 5)


def test_a_mouse_report_split_at_every_byte_is_one_report() -> None:
    terminal_input = TerminalInput()
    received = [m for byte in b"\x1b[<0;12;7M" for m in terminal_input.feed(bytes([byte]))]
    assert [type(m) for m in received] == [events.MouseDown]


def test_a_terminal_size_no_terminal_has_is_ignored() -> None:
    # An in-band resize report of 99999x99999 cells would have the app lay out 10^10 cells.
    assert TerminalInput().feed(b"\x1b[48;99999;99999;0;0t") == []
    [resize] = TerminalInput().feed(b"\x1b[48;30;100;0;0t")
    assert isinstance(resize, events.Resize) and tuple(resize.size) == (100, 30)


def test_output_to_a_hung_up_terminal_is_dropped_without_raising() -> None:
    class HungUp(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.EIO, "Input/output error")

        def flush(self) -> None:
            raise OSError(errno.EIO, "Input/output error")

    # Textual's output thread dies on the first error, and the exit then waits on its
    # queue for ever once it is full.
    stream = QuietStream(HungUp())
    stream.write("\x1b[?1049l")
    stream.flush()


# ----------------------------------------------------------------- the app in a pty


@pytest.fixture
def app(tuipad_home: Path) -> Iterator[PtyApp]:
    running = PtyApp(tuipad_home)
    try:
        assert running.wait_for(READY, timeout=30), running.screen.text()
        yield running
    finally:
        running.close()


def assert_ended_in_order(app: PtyApp) -> None:
    """No traceback, and the terminal modes the app set are reset after it last set them."""
    raw = bytes(app.screen.raw)
    assert b"Traceback" not in raw
    tail = raw[raw.rindex(b"\x1b[?1049h") :]
    for sequence in RESTORED:
        assert sequence in tail


def random_terminal_bytes(seed: int, size: int) -> bytes:
    """Invalid UTF-8, escapes and fragments of mouse reports, but no letters (keys that
    would quit or open a dialog, whose Enter could then act on what follows)."""
    rng = random.Random(seed)
    alphabet = [*range(0x80, 0x100), 0x1B, 0x00, 0x7F, *b"[<;Mm0123456789~ "]
    data = bytearray(rng.choice(alphabet) for _ in range(size))
    # Whole SGR reports too: on the canvas, off the screen, or at negative cells (never
    # on the header, footer or panel, whose clicks would open a screen or quit).
    for _ in range(size // 50):
        at = rng.randrange(len(data))
        x = rng.choice((rng.randint(-5, 0), rng.randint(2, 63), rng.randint(101, 400)))
        y = rng.choice((rng.randint(-5, 0), rng.randint(3, 30), rng.randint(33, 400)))
        data[at:at] = f"\x1b[<{rng.choice((0, 32, 35))};{x};{y}{rng.choice('Mm')}".encode()
    return bytes(data)


def assert_still_answers_and_quits(app: PtyApp) -> None:
    # Each step waits out Textual's escape delay, or ESC and ctrl+q would read as alt+ctrl+q.
    for keys in (b"\x1b[201~", b"\x1b", b"\x1b"):  # ends a paste the bytes may have begun
        app.send(keys)
        time.sleep(0.3)
    assert app.process.poll() is None, app.screen.text()
    app.send(CTRL_Q)
    assert app.wait_exit(timeout=10) == 0, app.screen.text()
    assert_ended_in_order(app)


def test_an_invalid_utf8_byte_leaves_the_app_running(app: PtyApp) -> None:
    app.send(b"\xff")
    assert not app.wait_for("Error", timeout=1.0)
    assert_still_answers_and_quits(app)


def test_random_bytes_leave_the_app_running(app: PtyApp) -> None:
    data = random_terminal_bytes(seed=14, size=20_000)
    for start in range(0, len(data), 997):
        app.send(data[start : start + 997])
    assert not app.wait_for("Traceback", timeout=2.0)
    assert_still_answers_and_quits(app)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_an_exit_signal_ends_the_app_in_order(app: PtyApp, number: signal.Signals) -> None:
    app.process.send_signal(number)
    assert app.wait_exit(timeout=10) == exit_status(number)
    assert_ended_in_order(app)
    lflag = termios.tcgetattr(app.master)[3]
    assert lflag & termios.ICANON and lflag & termios.ECHO  # cooked mode again


def test_a_terminal_that_hangs_up_ends_the_app(app: PtyApp) -> None:
    app.hang_up()
    assert app.wait_exit(timeout=10) == exit_status(signal.SIGHUP)


@pytest.mark.parametrize("delay", [0.3, 0.7, 1.1, 1.5])
def test_a_signal_during_start_up_leaves_the_terminal_as_it_was(
    tuipad_home: Path, delay: float
) -> None:
    app = PtyApp(tuipad_home)
    try:
        time.sleep(delay)
        app.process.send_signal(signal.SIGTERM)
        status = app.wait_exit(timeout=10)
        raw = bytes(app.screen.raw)
        assert b"Traceback" not in raw
        if b"\x1b[?1049h" in raw:  # the app had taken the terminal: it gave it back
            assert status == exit_status(signal.SIGTERM)
            assert_ended_in_order(app)
        else:  # still importing: the default action, with nothing to undo
            assert status == -signal.SIGTERM
        assert termios.tcgetattr(app.master)[3] & termios.ICANON
    finally:
        app.close()


def test_input_that_ends_without_a_hang_up_signal_ends_the_app(tuipad_home: Path) -> None:
    # Not its controlling terminal: closing the pty sends no SIGHUP, reads just fail.
    app = PtyApp(tuipad_home, controlling=False)
    try:
        assert app.wait_for(READY, timeout=30), app.screen.text()
        app.hang_up()
        assert app.wait_exit(timeout=10) == exit_status(signal.SIGHUP)
    finally:
        app.close()
