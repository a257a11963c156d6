"""The training screen, split by tab (see :mod:`~tuipad.ui.screens.train.screen`)."""

from tuipad.ui.screens.train.formatting import default_name
from tuipad.ui.screens.train.screen import TrainScreen

__all__ = ["TrainScreen", "default_name"]
