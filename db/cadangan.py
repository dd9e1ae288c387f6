"""Automatic daily backups with rotation (``<database folder>/cadangan/``).

One backup per day, named ``<database stem>-YYYY-MM-DD.db``, made at app start
(if today's is missing), refreshed at app close and by ``kesos backup --auto``.
Each new copy is verified (integrity check, install row) before it replaces
today's older copy and before the oldest copies beyond the number to keep
(setting ``cadangan_simpan``, default 7) are deleted: rotation never leaves
fewer good backups than before.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from db import sandi
from db.backup import backup_to, verify_backup
from db.clock import today
from db.errors import KnownError
from db.install import get_setting, set_setting

SETTING_KEEP = "cadangan_simpan"
DEFAULT_KEEP = 7
DIR_NAME = "cadangan"


@dataclass
class Backup:
    path: Path
    tanggal: _dt.date
    ukuran: int
    diubah: _dt.datetime


def backup_dir(db_path: str | os.PathLike) -> Path:
    return Path(db_path).parent / DIR_NAME


def keep_count(db: Database) -> int:
    try:
        return max(1, int(get_setting(db, SETTING_KEEP, str(DEFAULT_KEEP)) or DEFAULT_KEEP))
    except ValueError:
        return DEFAULT_KEEP


def set_keep_count(db: Database, n: int) -> None:
    if not 1 <= int(n) <= 365:
        raise KnownError("Jumlah cadangan yang disimpan harus antara 1 dan 365.")
    set_setting(db, SETTING_KEEP, str(int(n)))


def _pattern(db_path: Path) -> re.Pattern:
    return re.compile(re.escape(db_path.stem) + r"-(\d{4}-\d{2}-\d{2})\.db$")


def list_backups(db_path: str | os.PathLike) -> list[Backup]:
    """The automatic backups of this database, newest first."""
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found = []
    for entry in folder.iterdir():
        m = pattern.match(entry.name)
        if not m or not entry.is_file():
            continue
        try:
            day = _dt.date.fromisoformat(m.group(1))
            st = entry.stat()
        except (ValueError, OSError):
            continue
        found.append(Backup(entry, day, st.st_size, _dt.datetime.fromtimestamp(st.st_mtime)))
    return sorted(found, key=lambda b: b.tanggal, reverse=True)


def auto_backup(db: Database, db_path: str | os.PathLike, *, refresh: bool = False,
                keep: int | None = None) -> Path | None:
    """Make today's backup (``refresh``: replace today's with a newer copy) and rotate.

    Returns the backup's path, or None when today's already exists and
    ``refresh`` is False. Raises KnownError (disk full, read-only...) with the
    old backups untouched.
    """
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    target = folder / f"{db_path.stem}-{today():%Y-%m-%d}.db"
    if target.exists() and not refresh:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from db.gangguan import known_error

        raise (known_error(exc, folder, what="cadangan") or KnownError(f"Folder cadangan {folder} tidak dapat dibuat.")) from exc
    fresh = folder / (target.name + ".baru")
    if fresh.exists():
        fresh.unlink()
    backup_to(db, fresh)
    info = sandi.key_info(db)
    try:
        verify_backup(fresh, key=info.key if info else None)
    except KnownError:
        fresh.unlink(missing_ok=True)
        raise
    os.replace(fresh, target)
    rotate(db_path, keep if keep is not None else keep_count(db))
    return target


def rotate(db_path: str | os.PathLike, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond ``keep``; returns what was deleted."""
    removed = []
    for old in list_backups(db_path)[max(1, keep):]:
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError:
            pass
    return removed


def plaintext_backups(db_path: str | os.PathLike) -> list[Path]:
    """Unencrypted copies of this database lying around (after it was encrypted)."""
    db_path = Path(db_path)
    candidates = [b.path for b in list_backups(db_path)]
    candidates += sorted(db_path.parent.glob(f"{db_path.stem}.sebelum-migrasi-*"))
    out = []
    for path in candidates:
        try:
            with open(path, "rb") as fh:
                if fh.read(16) == sandi.SQLITE_HEADER:
                    out.append(path)
        except OSError:
            continue
    return out
