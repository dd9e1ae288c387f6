"""One place for "now" and "today", so tests can pin time."""
from __future__ import annotations

import datetime as _dt
import os


def today() -> _dt.date:
    fixed = os.environ.get("KESOS_TODAY")
    if fixed:
        return _dt.date.fromisoformat(fixed)
    return _dt.date.today()


def now_iso() -> str:
    """Local wall-clock time, ISO text with seconds (what users see and sort)."""
    return _dt.datetime.now().isoformat(timespec="seconds")
