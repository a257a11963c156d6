"""The ``tuipad`` command line: :mod:`tuipad.cli.main` and one module per command."""
