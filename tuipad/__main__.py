"""``python -m tuipad`` runs the command line."""

from tuipad.cli import main

raise SystemExit(main())
