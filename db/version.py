"""The app version, read from the installed package metadata."""
from __future__ import annotations

try:
    from importlib.metadata import version as _v

    APP_VERSION = _v("kesos-lapangan")
except Exception:  # running from a source tree that is not installed
    APP_VERSION = "0.1.0"
