"""Opening the database file safely.

Pragmas (decided, see tests/db/test_connection.py):
- ``journal_mode=WAL``: readers never block the writer (the GUI reads while a
  background import writes) and a crash mid-write leaves the main file intact.
- ``synchronous=FULL``: every commit reaches the disk before it returns. A
  laptop that loses power must not forget a service whose receipt was already
  printed (its number would be handed out twice). Bulk work is one
  transaction, so the extra fsync per commit costs little.
- ``foreign_keys=ON`` and a 5 s ``busy_timeout``.
"""
from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from db import sandi
from db.errors import DatabaseOpenError, KnownError
from db.version import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"


def _apply_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _check_file(path: Path, create: bool) -> bool:
    """Refuse files we must not touch; return True if the file is new."""
    if not path.exists():
        if not create:
            raise DatabaseOpenError(
                f"Berkas basis data tidak ditemukan: {path}. "
                "Buat dulu dengan perintah 'kesos init' atau wizard penyiapan."
            )
        parent = path.parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseOpenError(f"Folder {parent} tidak dapat dibuat: {exc.strerror}") from exc
        if not os.access(parent, os.W_OK):
            raise DatabaseOpenError(f"Folder {parent} hanya-baca; basis data tidak dapat dibuat di sana.")
        return True
    if path.is_dir():
        raise DatabaseOpenError(f"{path} adalah folder, bukan berkas basis data.")
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseOpenError(f"Berkas {path} tidak dapat dibaca: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER and not sandi.looks_encrypted(path):
        raise DatabaseOpenError(
            f"Berkas {path.name} bukan basis data Kesos Lapangan (bukan berkas SQLite). "
            "Berkas tidak diubah."
        )
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseOpenError(
            f"Berkas {path.name} atau foldernya hanya-baca. Salin ke folder yang dapat ditulisi "
            "atau ubah izinnya, lalu coba lagi. Berkas tidak diubah."
        )
    return header == b""


def _newer_than_app(db: Database) -> bool:
    from db import schema

    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        return True
    if db["_sqlite_migrations"].exists():
        known = set(schema.migration_names())
        applied = {row[0] for row in db.execute("SELECT name FROM _sqlite_migrations")}
        if applied - known:
            return True
    return False


def backup_before_migration(db: Database, path: Path) -> Path:
    """``VACUUM INTO`` a dated copy: a plain file copy of a WAL database can miss recent writes."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.sebelum-migrasi-{stamp}{path.suffix or '.db'}")
    db.execute("VACUUM INTO ?", [str(target)])
    return target


def open_database(path: str | os.PathLike, *, create: bool = False, load_reference: bool = True,
                  passphrase: str | None = None) -> Database:
    """Open (or with ``create`` make) the database, migrate it and load reference data.

    ``passphrase``: for an encrypted (SQLCipher) file, its passphrase; when
    None, the key this process already opened the file with (a background
    worker's own connection), else ``KESOS_PASSPHRASE`` if set. A plain
    file opens as before whatever the passphrase. With ``create`` and a
    passphrase, a new file is created encrypted (never from the environment
    alone: creating an encrypted file is an explicit choice).

    Raises DatabaseOpenError with an Indonesian message for every file problem
    (sandi.PassphraseRequired / sandi.WrongPassphrase for the passphrase);
    the file is never modified in that case.
    """
    path = Path(path)
    is_new = _check_file(path, create)
    key_info = None
    try:
        if is_new and passphrase:
            conn, key_info = sandi.connect(path, passphrase=sandi.check_new_passphrase(passphrase), create=True)
        elif not is_new and sandi.looks_encrypted(path):
            # an explicit passphrase, else the key this process already unlocked the file with
            # (background workers open their own connection), else KESOS_PASSPHRASE
            key = None if passphrase else sandi.remembered_key(path)
            conn, key_info = sandi.connect(path, key=key,
                                           passphrase=passphrase or (None if key else sandi.passphrase_from_env()))
        else:
            conn = sqlite3.connect(str(path), timeout=5.0)
    except DatabaseOpenError:
        raise
    except KnownError as exc:
        raise DatabaseOpenError(exc.pesan) from exc
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"Basis data {path.name} tidak dapat dibuka: {exc}") from exc
    db = wrap(conn)
    sandi.remember_key(db, key_info)
    try:
        # A damaged header passes the magic check; reading the schema catches it.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if _newer_than_app(db):
            raise DatabaseOpenError(
                f"Basis data {path.name} dibuat oleh versi Kesos Lapangan yang lebih baru. "
                "Perbarui aplikasi ini; berkas tidak diubah."
            )
        _apply_pragmas(conn)
        migrate(db, path)
        if load_reference:
            from db.reference import load_reference as _load

            _load(db)
    except DatabaseOpenError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseOpenError(
            f"Basis data {path.name} rusak atau bukan basis data Kesos Lapangan ({exc}). "
            "Pulihkan dari cadangan (menu Cadangan › Pulihkan atau 'kesos restore')."
        ) from exc
    return db


def wrap(conn: sqlite3.Connection) -> Database:
    """The sqlite-utils view of an open connection (the same connection, no new transaction)."""
    from sqlite_utils import Database

    # No sqlite-utils plugins are used; loading them scans every installed package's
    # entry points (~15 ms of every start).
    return Database(conn, execute_plugins=False)


def open_current_plain(path: str | os.PathLike) -> sqlite3.Connection | None:
    """The GUI's fast start: a plain connection when the file needs nothing else.

    That is an existing, unencrypted database whose schema and reference data are
    current, which is every start but the first after an install or an upgrade.
    It is opened with the same checks and pragmas as ``open_database`` but without
    importing sqlite-utils (~80 ms, as much as Qt itself), so the main window is
    painted first; ``wrap`` makes the Database when a page first needs one.

    Returns None whenever more is needed (a new or encrypted file, a migration,
    reference data to load, a damaged file): ``open_database`` then does it all,
    with its messages. Raises DatabaseOpenError for the files it must refuse.
    """
    from db.reference import reference_is_current

    path = Path(path)
    if not path.exists() or path.is_dir():
        return None
    _check_file(path, create=False)
    if sandi.looks_encrypted(path):
        return None
    conn = sqlite3.connect(str(path), timeout=5.0)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        applied = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                               "AND name = '_sqlite_migrations'").fetchone()[0]
        if applied:
            applied = conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        if version != SCHEMA_VERSION or applied != SCHEMA_VERSION or not reference_is_current(conn):
            conn.close()
            return None
        _apply_pragmas(conn)
    except sqlite3.DatabaseError:
        conn.close()
        return None  # open_database explains what is wrong with the file
    return conn


def migrate(db: Database, path: Path | None = None) -> list[str]:
    from db import schema

    pending = schema.migrations.pending(db)
    if not pending:
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # the fast start trusts it
        return []
    has_data = db.execute("PRAGMA user_version").fetchone()[0] > 0
    if has_data and path is not None:
        backup_before_migration(db, path)
    schema.migrations.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return [m.name for m in pending]


def integrity_problems(db: Database) -> list[str]:
    """Problems found by SQLite's own checks; empty when the file is sound."""
    problems = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    for row in db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"rujukan rusak di tabel {row[0]} (baris {row[1]}) ke {row[2]}")
    return problems
