"""Widgets of the tuipad app."""
