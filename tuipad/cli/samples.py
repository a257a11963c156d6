"""``tuipad samples [list | export FILE | import FILE | rm ID...]``: your labelled drawings.

They are kept in the sample store (see :mod:`tuipad.store.samples`); export and
import carry them to another machine.  Training on them is ``tuipad train
--personal`` (:mod:`tuipad.cli.train`); measuring adaptation to them is ``tuipad
eval --personal`` (:mod:`tuipad.cli.evaluate`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuipad.cli.output import EXIT_BAD_INPUT, UsageError, printable, warn
from tuipad.core.wording import a_digit, counted

if TYPE_CHECKING:
    from tuipad.store.samples import ImportResult, SampleStore


def register(subparsers: Any) -> None:
    """Add the ``samples`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers`` returned.
    """
    parser = subparsers.add_parser(
        "samples",
        help="list, export or import your own labelled drawings",
        description="Your personal samples (corrections and teach-mode drawings), kept in "
        "samples.sqlite3 in the user data directory. Export and import use the JSON-lines "
        'format of tuipad eval ({"label": N, "strokes": [...]} a line), so you can carry '
        "your handwriting to another machine. Without an action, list them.",
    )
    parser.add_argument("--json", action="store_true", help="list as JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser(
        "list",
        help="list the samples (the default)",
        description="List your samples: how many of each digit, then one line each; --json "
        "for scripts.",
    )
    # SUPPRESS: without it the subcommand's default would undo ``samples --json list``.
    listing.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="as JSON")
    export = actions.add_parser(
        "export",
        help="write every sample to FILE.jsonl as JSON lines (- for standard output)",
        description="Write every sample to FILE.jsonl as JSON lines, replacing the file if it "
        "is there, or to standard output for -. The name must end in .jsonl, as tuipad export's "
        "must end in .onnx or .mlmodel, so a model or other file cannot be overwritten by a slip.",
    )
    export.add_argument("file", metavar="FILE.jsonl")
    bring = actions.add_parser(
        "import",
        help="add the samples in FILE (gzip accepted)",
        description="Add the labelled drawings in FILE. Malformed lines are skipped (the first "
        "three named, the rest counted); the others are added. Exit status 2 if any line was "
        "bad.",
    )
    bring.add_argument("file", metavar="FILE")
    remove = actions.add_parser(
        "rm",
        help="delete the samples with these ids (as samples list shows them)",
        description="Delete samples by id, damaged ones included (samples list and export "
        "name those by id). Exit status 2 if an id is not in the store; the others are "
        "deleted.",
    )
    remove.add_argument("ids", metavar="ID", nargs="+")
    parser.set_defaults(handler=run)


MAX_SAMPLE_ID = 2**63 - 1
"""The largest id SQLite can hold: a larger number could only be a typo, and would overflow."""


def _sample_ids(texts: list[str], store: Path) -> list[int]:
    """Sample ids as typed, each once: positive whole numbers, or a usage error naming one
    (an id past any the ``store`` can hold is not in it)."""
    ids = []
    for text in texts:
        digits = text.lstrip("0")  # int() refuses over 4,300 digits, leading zeros too
        if not (text.isascii() and text.isdigit()) or not digits:
            raise UsageError(
                f"{_shown(text)!r} is not a sample id (a positive number, as tuipad samples list"
                " shows)"
            )
        if len(digits) > len(str(MAX_SAMPLE_ID)) or int(digits) > MAX_SAMPLE_ID:
            raise UsageError(f"no sample with id {_shown(text)} in {store}")
        ids.append(int(digits))
    return list(dict.fromkeys(ids))


def _shown(text: str, most: int = 40) -> str:
    """A typed id as a message shows it: whole, or its start if it is very long."""
    return text if len(text) <= most else f"{text[:most]}… ({len(text):,} characters)"


def _open_store(*, read_only: bool) -> SampleStore:
    """The user's sample store; one that cannot be opened is a usage error."""
    from tuipad.store.samples import SampleStore, StoreError

    try:
        return SampleStore.open(read_only=read_only)
    except StoreError as error:
        raise UsageError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Run ``tuipad samples [list|export FILE|import FILE|rm ID...]``.

    Returns:
        The exit status.

    Raises:
        UsageError: An unusable store or file, or an import with no usable line.
    """
    from tuipad.store.paths import Paths
    from tuipad.store.samples import StoreError

    if args.json and args.action not in (None, "list"):
        raise UsageError(f"--json is for samples list, not samples {args.action}")
    if args.action == "import":
        return _import(args.file)
    paths = Paths.default()
    # Before any file is made.
    ids = _sample_ids(args.ids, paths.samples) if args.action == "rm" else []
    # rm with no store in a data directory that is there finds no id in an empty one,
    # without making the file; a data directory that is not there is made, or said.
    unmade = not paths.samples.exists() and paths.home.is_dir()
    writes = args.action == "rm" and not unmade
    with _open_store(read_only=not writes) as store:
        try:
            if args.action == "export":
                return _export(store, args.file)
            if args.action == "rm":
                return _remove(store, ids)
            return _list(store, as_json=args.json)
        except StoreError as error:
            raise UsageError(str(error)) from None


EXPORT_SUFFIX = ".jsonl"
"""The ending ``samples export`` requires: a slip of the name (``m.onnx``) must not
replace a model or any other file with JSON lines."""


def _export(store: SampleStore, path: str) -> int:
    """Write the samples to ``path``, or to standard output for ``-`` (the count to stderr)."""
    damaged: list[tuple[int, str]] = []
    if path == "-":
        text, count = store.jsonl(damaged)
        _warn_damaged(store, damaged)
        sys.stdout.write(text)
        sys.stdout.flush()
        print(f"exported {counted(count, 'sample')}", file=sys.stderr)
        return 0
    if not path:
        raise UsageError("the file name is empty (give a path, or - for standard output)")
    if Path(path).suffix != EXPORT_SUFFIX:
        raise UsageError(
            f"{path}: samples export writes JSON lines to a {EXPORT_SUFFIX} file"
            " (or - for standard output)"
        )
    count = store.export_jsonl(path, damaged)
    _warn_damaged(store, damaged)
    print(f"exported {counted(count, 'sample')} to {printable(path)}")
    return 0


MAX_LINE_WARNINGS = 3
"""Bad lines named one by one on import: a file of the wrong kind (a model, a README) is
bad on every line, and hundreds of warnings would bury the one line that says so."""


IMPORT_HINT = (
    "the app adapts to {them} when it next starts, unless adapting (A) is off or a model you"
    " chose is active;\nto adapt now: tuipad train --personal"
)
"""Said after an import: what takes the samples in."""


def _note_change_for_the_app() -> bool:
    """Mark the samples as changed, so the app adapts to them when it next starts; a
    warning if that cannot be noted.

    Returns:
        Whether it was noted.
    """
    from tuipad.store.paths import Paths
    from tuipad.store.pending import mark_changes_pending

    if (problem := mark_changes_pending(Paths.default())) is None:
        return True
    warn(f"the app cannot be told of the change ({problem}); to adapt: tuipad train --personal")
    return False


def _import(path: str) -> int:
    """Add the samples of ``path``: a few bad lines named, then a count of the rest;
    exit status 2 if there were any.

    The file is read before the store is opened, so a file with no usable line
    makes no store.  Then the first bad line is the error itself, as ``tuipad
    eval`` reports it, with the number of bad lines after it.
    """
    from tuipad.store.formats import shown_path
    from tuipad.store.samples import StoreError, read_samples_file

    try:
        samples, errors = read_samples_file(path)
    except StoreError as error:
        raise UsageError(str(error)) from None
    shown = printable(shown_path(path))
    if not samples:
        if not errors:
            raise UsageError(f"{shown}: no usable samples")
        number, message = errors[0]
        others = f" (and {counted(len(errors) - 1, 'more bad line')})" if len(errors) > 1 else ""
        raise UsageError(f"{shown}: line {number}: {message}; no usable samples{others}")
    with _open_store(read_only=False) as store:
        try:
            result = store.add_many(samples, errors)
        except StoreError as error:
            raise UsageError(str(error)) from None
        return _report_import(store, shown, result)


def _report_import(store: SampleStore, path: str, result: ImportResult) -> int:
    """Say what an import did; exit status 2 if a line was bad."""
    errors = result.errors
    for number, message in errors[:MAX_LINE_WARNINGS]:
        warn(f"{path}: line {number}: {message}; skipped")
    if len(errors) > MAX_LINE_WARNINGS:
        warn(f"{path}: … and {counted(len(errors) - MAX_LINE_WARNINGS, 'more bad line')}")
    skipped = f", {counted(len(errors), 'bad line')} skipped" if errors else ""
    present = f", {result.duplicates} already present" if result.duplicates else ""
    repeated = f", {result.repeated} repeated in the file" if result.repeated else ""
    said = f"{present}{repeated}{skipped}"
    print(f"imported {counted(result.imported, 'sample')} from {path}{said}")
    if result.imported:
        noted = _note_change_for_the_app()  # first: the samples are in, whatever the check does
        _warn_relabelled(store, result.added)
        _warn_doubtful(store, result.added)
        if noted:
            print(IMPORT_HINT.format(them="it" if result.imported == 1 else "them"))
    # Bad lines are bad input even when the good ones are kept, as `samples rm` with an
    # unknown id: a script sees that the file was not taken whole.
    return EXIT_BAD_INPUT if errors else 0


def _warn_relabelled(store: SampleStore, ids: tuple[int, ...]) -> None:
    """A line on stderr for each imported sample whose very drawing is already stored
    under another digit: the two teach the model opposite things, and one is likely a slip."""
    added = set(ids)
    first_of: dict[str, tuple[int, int]] = {}
    for sample in store.list():
        drawn = json.dumps(sample.strokes)
        if sample.id not in added:
            first_of.setdefault(drawn, (sample.id, sample.label))
        elif (stored := first_of.get(drawn)) is not None and stored[1] != sample.label:
            warn(
                f"sample {sample.id}, {a_digit(sample.label)}, is the same drawing as sample"
                f" {stored[0]}, {a_digit(stored[1])}; kept (tuipad samples rm ID deletes one)"
            )


def _warn_doubtful(store: SampleStore, ids: tuple[int, ...]) -> None:
    """A line on stderr for each imported sample the active model reads as another digit
    for sure, or as no digit: kept, as the app keeps such a drawing, but said before the
    model adapts to it."""
    from tuipad import services
    from tuipad.store.paths import Paths
    from tuipad.store.registry import ModelError

    samples = [sample for sample in map(store.get, ids) if sample is not None]
    try:
        doubtful = services.doubtful_samples(Paths.default(), samples)
    except ModelError as error:  # the samples are kept all the same
        warn(f"not checked against a model: {error}")
        return
    except ValueError as error:
        warn(f"the samples were not checked: {error}")
        return
    for sample, prediction in doubtful[:MAX_LINE_WARNINGS]:
        if prediction.shape_doubt:
            read = f"does not look like one digit ({prediction.shape_doubt})"
        else:
            read = f"reads as {a_digit(prediction.label)} ({prediction.confidence:.0%})"
        warn(
            f"sample {sample.id}, {a_digit(sample.label)}, {read};"
            f" kept (tuipad samples rm {sample.id} deletes it)"
        )
    if len(doubtful) > MAX_LINE_WARNINGS:
        more = counted(len(doubtful) - MAX_LINE_WARNINGS, "more sample")
        warn(f"… and {more} like these")


def _remove(store: SampleStore, ids: list[int]) -> int:
    """Delete samples by id; an id not in the store is named and makes the exit status 2.

    The count is printed only when something was deleted: when nothing was,
    the error line alone says what happened.
    """
    missing = [sample_id for sample_id in ids if not store.delete(sample_id)]
    deleted = len(ids) - len(missing)
    if deleted:
        _note_change_for_the_app()
        print(f"deleted {counted(deleted, 'sample')}")
    if missing:
        raise UsageError(f"no sample with id {', '.join(map(str, missing))} in {store.path}")
    return 0


def _warn_damaged(store: SampleStore, damaged: list[tuple[int, str]]) -> None:
    """A line on stderr for each damaged row skipped: the rest are still worth having."""
    for sample_id, message in damaged:
        print(
            f"tuipad: warning: {store.path}: {message}; skipped"
            f" (tuipad samples rm {sample_id} deletes it)",
            file=sys.stderr,
        )


def _list(store: SampleStore, *, as_json: bool) -> int:
    damaged: list[tuple[int, str]] = []
    samples = store.list(damaged=damaged)
    _warn_damaged(store, damaged)
    if as_json:
        rows = [
            {k: v for k, v in s.to_json().items() if k not in ("strokes", "scores")} | {"id": s.id}
            for s in samples
        ]
        print(json.dumps({"path": str(store.path), "samples": rows}))
        return 0
    counts = Counter(sample.label for sample in samples)
    skipped = f" ({len(damaged)} damaged, skipped)" if damaged else ""
    print(f"{counted(len(samples), 'sample')} in {store.path}{skipped}")
    print("digit   " + " ".join(f"{d:>3}" for d in range(10)))
    print("samples " + " ".join(f"{counts[d]:>3}" for d in range(10)))
    if samples:
        print(f"{'id':>5}  label  {'saved (UTC)':<19}  {'source':<10}  model read")
    for s in samples:
        answer = f"{s.predicted} ({s.answered_by})" if s.predicted is not None else ""
        saved = s.created[:19].replace("T", " ")
        # Imported or edited rows may hold escapes: shown, not acted on.
        print(printable(f"{s.id:>5}  {s.label:>5}  {saved:<19}  {s.source:<10}  {answer}"))
    return 0
