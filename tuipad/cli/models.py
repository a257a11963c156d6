"""``tuipad models [list | use NAME | rm NAME...]``: list, choose or delete trained models."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tuipad.cli.output import UsageError, print_models_table, warn


def register(subparsers: Any) -> None:
    """Add the ``models`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "models",
        help="list, choose or delete trained models",
        description="List the bundled model and the models you trained (the default "
        "action), make one active, or delete some.",
    )
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser(
        "list",
        help="list the models (the default)",
        description="List the models: the bundled one and those you trained, the active one "
        "marked; --json for scripts.",
    )
    # SUPPRESS: without it the subcommand's default would undo ``models --json list``.
    listing.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="as JSON")
    use = actions.add_parser(
        "use",
        help="make a model the active one",
        description="Make NAME the model the sketchpad and the commands read with. A k-NN "
        "cannot be: it has no array form.",
    )
    use.add_argument("name", metavar="NAME")
    remove = actions.add_parser(
        "rm",
        help="delete models you trained",
        description="Delete models you trained (never the bundled one). Deleting the active "
        "model makes default active, and says so. Exit status 2 if a name cannot be deleted; "
        "the others are deleted.",
    )
    remove.add_argument("names", metavar="NAME", nargs="+")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Make a model active, delete some, or list them all (as a table or JSON).

    Returns:
        The exit status.

    Raises:
        UsageError: No such model, one that fails its checks, or deleting the bundled one.
    """
    from tuipad import services
    from tuipad.services.adapting import drawn_note
    from tuipad.store import registry
    from tuipad.store.paths import Paths
    from tuipad.store.registry import DEFAULT_NAME, ModelError

    if args.json and args.action not in (None, "list"):
        raise UsageError(f"--json is for models list, not models {args.action}")
    paths = Paths.default()
    try:
        if args.action == "use":
            manifest = services.use(paths, args.name)
            print(f"active model: {manifest.name}")
            if note := drawn_note(manifest):
                warn(f"{manifest.name}: {note}")
            return 0
        if args.action == "rm":
            return _remove(paths, args.names)
    except ModelError as error:
        raise UsageError(str(error)) from None
    rows = services.model_rows(paths)
    if args.json:
        print(json.dumps([row.to_json() for row in rows]))
        return 0
    print_models_table(rows)
    chosen = registry.active_name(paths.home)
    if chosen not in {row.name for row in rows}:  # the app says so too, when it starts
        warn(f"no model named {chosen!r}, the one chosen: {DEFAULT_NAME} reads instead")
    return 0


def _remove(paths: Any, names: list[str]) -> int:
    """Delete each named model; those that cannot be are named on one line, exit status 2.

    As ``samples rm``: the models that can be deleted are, whatever the others.
    """
    from tuipad import services
    from tuipad.store.files import describe_os_error
    from tuipad.store.registry import DEFAULT_NAME, ModelError

    refused = []
    for name in dict.fromkeys(names):  # a name typed twice is deleted once
        try:
            was_active = services.remove(paths, name)
        except ModelError as error:
            refused.append(str(error))
            continue
        except OSError as error:  # a read-only folder, say: the next name may still go
            refused.append(f"{name}: {describe_os_error(error)}")
            continue
        fallback = f"; the active model is now {DEFAULT_NAME}" if was_active else ""
        print(f"deleted {name}{fallback}")
    if refused:
        raise UsageError("; ".join(refused))
    return 0
