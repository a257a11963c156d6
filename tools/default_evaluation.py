"""Write ``models/default.evaluation.npz``: what the bundled default's recipe read in its test.

The shipped default is refit on all 1,797 scans, so it has no held-out scans
left: re-reading the second half with it scores 100 %.  Its manifest's accuracy
comes from the same recipe trained on the first half and tested on the
second; this tool repeats that training (a few minutes) and keeps its test
beside the model, as every model trained from the app keeps its own, so the
training screen shows the figures the header quotes.  The model's own files
stay byte-identical::

    python tools/default_evaluation.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tuipad.core.families import recipe_spec
from tuipad.services.training import tested_digits, training_job
from tuipad.store.evaluation_files import evaluation_path, save_evaluation
from tuipad.store.paths import Paths, bundled_models_dir
from tuipad.store.registry import DEFAULT_NAME


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        result, _ = training_job(recipe_spec(DEFAULT_NAME), None, Paths(Path(home)).cache)
    save_evaluation(bundled_models_dir(), DEFAULT_NAME, tested_digits(result))
    evaluation = result.evaluation
    target = evaluation_path(bundled_models_dir(), DEFAULT_NAME)
    print(f"{target}: {evaluation.accuracy:.4%} on {evaluation.n} scans")


if __name__ == "__main__":
    main()
