"""Consistent copies of the database and restoring from them.

A copy is made with ``VACUUM INTO``: a consistent snapshot that is WAL-aware
(a plain file copy of a WAL database can miss the latest commits or catch a
half-written page) and, for an encrypted database, encrypted with the same
key (SQLCipher writes the copy through the same codec): a backup never holds
plaintext that the database itself does not. The copy is written under a
temporary name and renamed only when complete, so a full disk or a pulled
stick leaves no half backup under the final name.

Automatic daily backups with rotation live in ``db/cadangan.py``.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db import sandi
from db.errors import KnownError


def _fail(exc: BaseException, target: Path, what: str) -> KnownError:
    from db.gangguan import known_error

    return known_error(exc, target.parent, what=what) or KnownError(f"Cadangan gagal: {exc}")


def backup_to(db: Database, target: str | os.PathLike) -> Path:
    target = Path(target)
    if target.exists():
        raise KnownError(f"Berkas {target} sudah ada; pilih nama lain agar cadangan lama tidak tertimpa.")
    tmp = target.with_name(target.name + ".sementara")
    try:
        tmp.unlink(missing_ok=True)
        _vacuum_into(db, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        _remove_with_journals(tmp)
        raise _fail(exc, target, "cadangan") from exc
    return target


def _vacuum_into(db: Database, target: Path) -> None:
    """VACUUM INTO from a second connection to the same file: the committed state,
    whatever transaction the caller's connection has open (VACUUM cannot run in one)."""
    source = sandi.database_path(db)
    if source is None or not db.conn.in_transaction:
        db.execute("VACUUM INTO ?", [str(target)])
        return
    info = sandi.key_info(db)
    if info is not None:
        conn, _ = sandi.connect(source, key=info.key)
    else:
        conn = sqlite3.connect(str(source), timeout=5.0)
    try:
        conn.execute("VACUUM INTO ?", [str(target)])
    finally:
        conn.close()


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        except OSError:
            pass


def _connect_backup(path: Path, key: bytes | None, passphrase: str | None):
    """A read-only connection to a backup, plain or encrypted."""
    if sandi.looks_encrypted(path):
        if key is None and passphrase is None:
            raise KnownError(f"Cadangan {path.name} terenkripsi: kata sandinya diperlukan untuk memeriksanya.")
        try:
            conn, _ = sandi.connect(path, key=key, passphrase=passphrase, read_only=True)
        except sandi.WrongPassphrase as exc:
            raise KnownError(
                f"Kata sandi salah untuk cadangan {path.name} (cadangan dibuat dengan kata sandi lain?), "
                "atau berkas rusak."
            ) from exc
        return conn
    with open(path, "rb") as fh:
        if fh.read(16) != sandi.SQLITE_HEADER:
            raise KnownError(f"{path.name} bukan berkas cadangan Kesos Lapangan.")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def verify_backup(path: str | os.PathLike, *, key: bytes | None = None, passphrase: str | None = None) -> dict:
    """Open a backup read-only and check it is a sound Kesos database; KnownError if not.

    An encrypted backup needs its ``key`` (the open database's, when the backup
    was made from it) or its ``passphrase``.
    """
    from db import schema

    path = Path(path)
    if not path.is_file():
        raise KnownError(f"Berkas cadangan {path} tidak ditemukan.")
    try:
        conn = _connect_backup(path, key, passphrase)
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
    return {"install_id": row[0], "peran": row[1], "kode_wilayah": row[2], "schema": version,
            "terenkripsi": sandi.looks_encrypted(path)}


def restore_from(db_path: str | os.PathLike, backup: str | os.PathLike, *, key: bytes | None = None,
                 passphrase: str | None = None) -> dict:
    """Replace the database at ``db_path`` with a verified backup.

    The backup is first copied next to the target under a temporary name (so a
    failure leaves the current database untouched), then the current file's
    WAL files are removed (a stale WAL would be replayed onto the new file)
    and the copy is renamed over it. Close every connection to ``db_path`` first.
    An encrypted backup keeps its key: afterwards the database opens with the
    passphrase the backup was made under.
    """
    info = verify_backup(backup, key=key, passphrase=passphrase)
    db_path = Path(db_path)
    if db_path.exists() and db_path.stat().st_size > 0:
        with open(db_path, "rb") as fh:
            if fh.read(16) != sandi.SQLITE_HEADER and not sandi.looks_encrypted(db_path):
                raise KnownError(f"{db_path} bukan basis data Kesos Lapangan; tidak ditimpa.")
    tmp = db_path.with_name(db_path.name + ".pulih-sementara")
    tmp.unlink(missing_ok=True)
    try:
        src = _connect_backup(Path(backup), key, passphrase)
        try:
            # VACUUM INTO from a read-only connection: a consistent, complete copy
            # (encrypted with the backup's own key when the backup is encrypted).
            src.execute("VACUUM INTO ?", [str(tmp)])
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        _remove_with_journals(tmp)
        from db.gangguan import known_error

        known = known_error(exc, db_path.parent, what="basis data pulihan")
        raise KnownError(f"Pemulihan gagal, basis data lama tetap dipakai: {known.pesan if known else exc}") from exc
    return info
