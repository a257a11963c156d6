"""``python -m tuipad`` runs the command line."""

from tuipad.cli.main import main

raise SystemExit(main())
