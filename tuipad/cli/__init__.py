"""Subcommands added to ``tuipad`` by feature modules (see ``tuipad.cli.COMMAND_MODULES``)."""
