"""Running the command line in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from tuipad.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``tuipad ARGV``: its exit status, what it printed on stdout and on stderr."""
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's usage errors and --help
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
