"""Where the app keeps its data, without Qt (the CLI must agree with the GUI)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "KesosLapangan"


def data_dir() -> Path:
    override = os.environ.get("KESOS_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


def default_database() -> Path:
    return data_dir() / "kesos.db"


def log_dir() -> Path:
    return data_dir() / "log"
