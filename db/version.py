"""The app version and the schema version: the one place each is written.

``APP_VERSION``: pyproject.toml reads it from here. A constant rather than
``importlib.metadata.version()``: reading the installed metadata cost ~12 ms of
every start, and a source tree that is not installed has no metadata at all.

``SCHEMA_VERSION``: the number of migrations in db/schema.py (which refuses to
import when the two disagree). It lives here so the GUI start can tell "nothing
to migrate" without importing sqlite-utils (see db.connection.open_current_plain).
"""
from __future__ import annotations

APP_VERSION = "0.1.0"
SCHEMA_VERSION = 7
