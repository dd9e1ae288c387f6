"""Consistent copies of the database and restoring from them.

Both directions use SQLite's online backup API, which copies a consistent
snapshot page by page and is WAL-aware: a plain file copy of a WAL database
can miss the latest commits or catch a half-written page.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.errors import KnownError


def backup_to(db: Database, target: str | os.PathLike) -> Path:
    target = Path(target)
    if target.exists():
        raise KnownError(f"Berkas {target} sudah ada; pilih nama lain agar cadangan lama tidak tertimpa.")
    tmp = target.with_name(target.name + ".sementara")
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Cadangan tidak dapat ditulis ke {target}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Cadangan gagal: {exc}") from exc
    return target


def verify_backup(path: str | os.PathLike) -> dict:
    """Open a backup read-only and check it is a sound Kesos database; KnownError if not."""
    from db import schema
    from db.connection import SQLITE_HEADER

    path = Path(path)
    if not path.is_file():
        raise KnownError(f"Berkas cadangan {path} tidak ditemukan.")
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise KnownError(f"{path.name} bukan berkas cadangan Kesos Lapangan.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise KnownError(f"Cadangan {path.name} rusak ({result}); tidak dipakai.")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > schema.latest_version():
                raise KnownError(f"Cadangan {path.name} dibuat oleh versi aplikasi yang lebih baru.")
            row = conn.execute("SELECT install_id, peran, kode_wilayah FROM install").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise KnownError(f"Cadangan {path.name} tidak dapat dibaca sebagai basis data Kesos Lapangan ({exc}).") from exc
    if row is None:
        raise KnownError(f"Cadangan {path.name} tidak berisi identitas instalasi.")
    return {"install_id": row[0], "peran": row[1], "kode_wilayah": row[2], "schema": version}


def restore_from(db_path: str | os.PathLike, backup: str | os.PathLike) -> dict:
    """Replace the database at ``db_path`` with a verified backup.

    The backup is first copied next to the target under a temporary name (so a
    failure leaves the current database untouched), then the current file's
    WAL files are removed (a stale WAL would be replayed onto the new file)
    and the copy is renamed over it. Close every connection to ``db_path`` first.
    """
    info = verify_backup(backup)
    db_path = Path(db_path)
    if db_path.exists() and db_path.stat().st_size > 0:
        from db.connection import SQLITE_HEADER

        with open(db_path, "rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                raise KnownError(f"{db_path} bukan basis data Kesos Lapangan; tidak ditimpa.")
    tmp = db_path.with_name(db_path.name + ".pulih-sementara")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{Path(backup)}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Pemulihan gagal, basis data lama tetap dipakai: {exc}") from exc
    return info
