"""``tuipad train``: train a recipe or a model family, print its report, save it.

``--personal`` adapts the shipped model to the user's samples and makes the
result the active model; ``--ship`` saves the default recipe into the
package as the bundled model (for maintainers).  The training, the figures
and the saving are :mod:`tuipad.services`' work; this module only checks the
options and prints what comes back.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING, Any

from tuipad.cli.output import UsageError, progress
from tuipad.cli.report_tables import print_evaluation

if TYPE_CHECKING:
    from tuipad.core.families import TrainingSpec
    from tuipad.services import Trained
    from tuipad.store.paths import Paths

DESCRIPTION = (
    "Train a recipe or a model family. By default the model is tested on the "
    "second half of load_digits after training on the first half (plus pen digits and "
    "distorted copies as asked), then fitted on everything its data uses and saved in the "
    "user data directory. Recipes: seed = SVC(gamma=0.001) on scans, the original demo; "
    "default = the shipped model's recipe (scans, copies and pen digits)."
)
"""The help page's description of ``tuipad train``."""


def register(subparsers: Any) -> None:
    """Add the ``train`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "train", help="train a model, print its report, save it", description=DESCRIPTION
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--recipe", choices=("seed", "default"), help="a fixed recipe (default: default)"
    )
    which.add_argument(
        "--model",
        choices=("svc-seed", "svc", "svc-default", "knn", "mlp"),
        help="a model family: the seed SVC, a tuned SVC, the default SVC, k-NN or a neural net",
    )
    parser.add_argument("--pen", action="store_true", help="with --model: add the pen digits")
    parser.add_argument("--augment", action="store_true", help="with --model: add distorted copies")
    parser.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="k-fold cross-validation on the scans instead (2 to 20 folds)",
    )
    parser.add_argument("--name", help="name to save the model under")
    parser.add_argument(
        "--personal",
        action="store_true",
        help="adapt the shipped model to your samples (tuipad samples), in seconds;"
        " the result becomes the active model",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--ship",
        action="store_true",
        help=argparse.SUPPRESS,  # maintainers: writes the package's models/ (README)
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Train, test and save a model, then print its figures (as tables or JSON).

    Returns:
        The exit status.

    Raises:
        UsageError: Options that do not go together, or a bad or taken name.
    """
    if args.personal:
        return run_personal(args)
    from tuipad import services
    from tuipad.store.paths import Paths

    spec = _spec(args)
    kind = args.recipe or args.model or "default"
    paths = Paths.default()
    name = _name(args, kind, paths)
    trained = services.train_and_save(
        paths, spec, name, recipe=kind, ship=args.ship, progress=progress
    )
    if args.json:
        print(json.dumps(_as_json(trained, kind)))
        return 0
    protocol = trained.manifest.metrics["protocol"]
    print_evaluation(
        f"{kind} ({spec.data_label}): {protocol}", trained.result.evaluation, report=True
    )
    print(f"saved {trained.path}")
    if args.ship:
        return 0
    if services.can_be_made_active(trained.manifest):
        print(f"make it the active model with: tuipad models use {name}")
    else:
        print(
            f"{name} is a k-NN: it can be compared (tuipad models, the training screen)"
            " but not used to recognise, so it cannot be made the active model"
        )
    return 0


def _spec(args: argparse.Namespace) -> TrainingSpec:
    """What to train: the ``--model`` family with its data options, or a recipe."""
    from tuipad import services
    from tuipad.core.families import TrainingSpec

    try:
        if args.model is not None:
            return TrainingSpec(args.model, pen=args.pen, augment=args.augment, cv=args.cv)
        if args.pen or args.augment:
            raise UsageError("--pen and --augment go with --model; a recipe fixes its data")
        return services.recipe_spec(args.recipe or "default", cv=args.cv)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _name(args: argparse.Namespace, kind: str, paths: Paths) -> str:
    """The name to save under: ``--name``, else the recipe or family and the time."""
    from tuipad import services
    from tuipad.store.registry import DEFAULT_NAME

    if args.ship:
        if kind != "default" or args.name:
            raise UsageError("--ship saves the default recipe as the bundled model only")
        return DEFAULT_NAME
    # An empty --name is checked, and refused, as any other: a typo, not the automatic name.
    name: str = f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}" if args.name is None else args.name
    try:
        return services.check_new_name(paths, name)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _as_json(trained: Trained, kind: str) -> dict[str, Any]:
    """What ``tuipad train --json`` prints."""
    result = trained.result
    return {
        "recipe": kind,
        "model": result.spec.family,
        "data": result.spec.data_label,
        "name": trained.manifest.name,
        "test_accuracy": result.evaluation.accuracy,
        "confusion_matrix": result.evaluation.confusion,
        "report": result.evaluation.report,
        "params": result.params,
        "seconds": round(result.seconds, 2),
        "saved": str(trained.path),
    }


def run_personal(args: argparse.Namespace) -> int:
    """``tuipad train --personal``: train on the sample store, save, make it active.

    Returns:
        The exit status.

    Raises:
        UsageError: Options other than ``--name`` and ``--json``, an empty or
            unreadable store, or a bad name.
    """
    from tuipad import services
    from tuipad.store.paths import Paths
    from tuipad.store.samples import SampleStore, StoreError

    clashing = [o for o in ("model", "pen", "augment", "cv", "ship") if getattr(args, o)]
    if args.recipe not in (None, "default") or clashing:
        raise UsageError(
            "--personal adapts the shipped model to your samples; it takes only --name and --json"
        )
    start = time.perf_counter()  # the whole wait: the result's own time leaves out rendering
    try:
        paths = Paths.default()
        with SampleStore.open(paths.samples, read_only=True) as store:
            if args.name is None and (same := services.adapted_active(paths, store)):
                return _already_adapted(same, len(store), as_json=args.json)
            result, manifest = services.retrain_personal(
                paths, store, name=args.name, progress=progress
            )
    except (StoreError, ValueError) as error:
        raise UsageError(str(error)) from None
    if args.json:
        print(json.dumps({"recipe": "default+personal", "model": manifest.name, **result.metrics}))
        return 0
    seconds = time.perf_counter() - start
    print(f"adapted {manifest.name} in {seconds:.1f} s; it is now the active model")
    _print_personal_figures(result.metrics)
    return 0


def _already_adapted(name: str, samples: int, *, as_json: bool) -> int:
    """Say that the active model is already adapted to these samples: a copy would be all
    a retrain made (as the training screen's Retrain says)."""
    from tuipad import services

    if as_json:
        print(json.dumps({"recipe": "default+personal", "model": name, "unchanged": True}))
    else:
        print(f"{name} is active and already adapted to {services.your_samples(samples)}")
    return 0


def _print_personal_figures(metrics: dict[str, Any]) -> None:
    """The sample count and the accuracies before and after adapting."""
    from tuipad import services

    for label, value in services.personal_figures(metrics):
        print(f"  {label:21s} {value}")
