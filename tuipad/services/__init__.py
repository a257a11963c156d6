"""The model's life cycle, for both front ends: load, activate and remove models, train and
save them, retrain with the user's samples, evaluate drawings, export.

The CLI and the app call these functions and only render what they return: neither builds a
manifest, formats a model's figures or touches the registry itself.  Long steps take
``progress`` and ``should_stop`` and a ``runner`` that decides where the fitting happens (this
thread, or a child process for the app).
"""

from __future__ import annotations

from tuipad.services.export import ExportReport, export_model
from tuipad.services.models import (
    ModelRow,
    activate,
    check_new_name,
    load_active,
    load_model,
    model_rows,
    remove,
    use,
)
from tuipad.services.personal import (
    KEEP_PERSONAL,
    PERSONAL_PREFIX,
    adapt_and_evaluate,
    personal_figures,
    personal_job,
    personal_name,
    retrain_personal,
    save_personal,
)
from tuipad.services.training import (
    Trained,
    evaluate_drawings,
    manifest_metrics,
    recipe_spec,
    train_and_save,
    train_recipe_and_save,
)

__all__ = [
    "KEEP_PERSONAL",
    "PERSONAL_PREFIX",
    "ExportReport",
    "ModelRow",
    "Trained",
    "activate",
    "adapt_and_evaluate",
    "check_new_name",
    "evaluate_drawings",
    "export_model",
    "load_active",
    "load_model",
    "manifest_metrics",
    "model_rows",
    "personal_figures",
    "personal_job",
    "personal_name",
    "recipe_spec",
    "remove",
    "retrain_personal",
    "save_personal",
    "train_and_save",
    "train_recipe_and_save",
    "use",
]
