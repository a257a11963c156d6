"""tuipad: a terminal sketchpad that reads handwritten digits, offline."""

__version__ = "0.1.0"
