"""The app version: the one place it is written (pyproject.toml reads it from here).

A constant rather than ``importlib.metadata.version()``: reading the installed
metadata cost ~12 ms of every start, and a source tree that is not installed has
no metadata at all.
"""
from __future__ import annotations

APP_VERSION = "0.1.0"
