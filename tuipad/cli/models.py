"""``tuipad models [use NAME | rm NAME]``: list, choose or delete trained models."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tuipad.cli.output import UsageError, print_models_table


def register(subparsers: Any) -> None:
    """Add the ``models`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "models",
        help="list, choose or delete trained models",
        description="Without an action, list the bundled model and the models you trained.",
    )
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    use = actions.add_parser("use", help="make a model the active one")
    use.add_argument("name", metavar="NAME")
    remove = actions.add_parser("rm", help="delete a model you trained")
    remove.add_argument("name", metavar="NAME")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Make a model active, delete one, or list them all (as a table or JSON).

    Returns:
        The exit status.

    Raises:
        UsageError: No such model, one that fails its checks, or deleting the bundled one.
    """
    from tuipad import services
    from tuipad.store.paths import Paths
    from tuipad.store.registry import ModelError

    paths = Paths.default()
    try:
        if args.action == "use":
            manifest = services.use(paths, args.name)
            print(f"active model: {manifest.name}")
            return 0
        if args.action == "rm":
            services.remove(paths, args.name)
            print(f"deleted {args.name}")
            return 0
    except ModelError as error:
        raise UsageError(str(error)) from None
    rows = services.model_rows(paths)
    if args.json:
        print(json.dumps([row.to_json() for row in rows]))
        return 0
    print_models_table(rows)
    return 0
