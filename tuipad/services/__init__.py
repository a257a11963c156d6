"""The model's life cycle, for both front ends: load, activate and remove models, train and
save them, retrain with the user's samples, evaluate drawings, export.

The CLI and the app call these functions and only render what they return: neither builds a
manifest, formats a model's figures or touches the registry itself.  Long steps take
``progress`` and ``should_stop`` and a ``runner`` that decides where the fitting happens (this
thread, or a child process for the app).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuipad.services.evaluations import HeldOut, held_out, why_no_report
    from tuipad.services.export import ExportReport, export_model
    from tuipad.services.models import (
        ModelRow,
        activate,
        can_be_made_active,
        check_new_name,
        load_active,
        load_model,
        loaded_from_fitted,
        model_rows,
        remove,
        use,
    )
    from tuipad.services.personal import (
        KEEP_PERSONAL,
        PERSONAL_PREFIX,
        adapt_and_evaluate,
        adapted_active,
        adapted_to,
        doubtful_samples,
        personal_figures,
        personal_job,
        personal_name,
        retrain_personal,
        save_personal,
        your_samples,
    )
    from tuipad.services.training import (
        Trained,
        evaluate_drawings,
        manifest_metrics,
        recipe_spec,
        train_and_save,
        train_recipe_and_save,
    )

_HOMES = {
    "evaluations": ("HeldOut", "held_out", "why_no_report"),
    "export": ("ExportReport", "export_model"),
    "models": (
        "ModelRow",
        "activate",
        "can_be_made_active",
        "check_new_name",
        "load_active",
        "load_model",
        "model_rows",
        "loaded_from_fitted",
        "remove",
        "use",
    ),
    "personal": (
        "KEEP_PERSONAL",
        "PERSONAL_PREFIX",
        "adapt_and_evaluate",
        "adapted_active",
        "adapted_to",
        "doubtful_samples",
        "personal_figures",
        "personal_job",
        "personal_name",
        "retrain_personal",
        "save_personal",
        "your_samples",
    ),
    "training": (
        "Trained",
        "evaluate_drawings",
        "manifest_metrics",
        "recipe_spec",
        "train_and_save",
        "train_recipe_and_save",
    ),
}
"""Which module of the package defines each name: imported on first use, so
``tuipad predict`` does not pay for the training and export modules."""

_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "KEEP_PERSONAL",
    "PERSONAL_PREFIX",
    "ExportReport",
    "HeldOut",
    "ModelRow",
    "Trained",
    "activate",
    "adapt_and_evaluate",
    "adapted_active",
    "adapted_to",
    "doubtful_samples",
    "can_be_made_active",
    "check_new_name",
    "evaluate_drawings",
    "export_model",
    "held_out",
    "load_active",
    "load_model",
    "manifest_metrics",
    "model_rows",
    "personal_figures",
    "personal_job",
    "personal_name",
    "recipe_spec",
    "loaded_from_fitted",
    "remove",
    "retrain_personal",
    "save_personal",
    "train_and_save",
    "your_samples",
    "train_recipe_and_save",
    "use",
    "why_no_report",
]
