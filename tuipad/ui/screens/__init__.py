"""Screens of the tuipad app."""
