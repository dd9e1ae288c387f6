"""Writing field records with their bookkeeping: ids, timestamps, audit trail.

Every insert/update/soft-delete/restore of a field record goes through here so
that the audit trail (old and new values) is never forgotten. Callers group
related writes in ``db.atomic()``; these helpers nest inside it.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable

from db.clock import now_iso
from db.errors import KnownError
from db.ids import new_id

if TYPE_CHECKING:
    from sqlite_utils import Database

# id(conn) -> (conn, (install_id, operator)). The connection itself is kept and
# compared: ids of closed connections are reused, and a bare id key once
# handed one database's install id to another connection.
_ACTOR_CACHE: dict[int, tuple[Any, tuple[str, str]]] = {}


def actor(db: Database) -> tuple[str, str]:
    """(install_id, operator name) of this database, cached per connection."""
    key = id(db.conn)
    cached = _ACTOR_CACHE.get(key)
    if cached and cached[0] is db.conn:
        return cached[1]
    row = db.execute("SELECT install_id, operator_nama FROM install").fetchone()
    if row is None:
        raise KnownError("Basis data belum disiapkan (jalankan 'kesos init' atau wizard penyiapan).")
    _ACTOR_CACHE[key] = (db.conn, (row[0], row[1]))
    return _ACTOR_CACHE[key][1]


def forget_actor(db: Database) -> None:
    _ACTOR_CACHE.pop(id(db.conn), None)


def _audit(db: Database, table: str, record_id: str, action: str, old: dict | None, new: dict | None) -> None:
    install_id, operator = actor(db)
    db.execute(
        "INSERT INTO audit (waktu, install_id, operator, tabel, record_id, aksi, lama, baru) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [now_iso(), install_id, operator, table, record_id, action,
         json.dumps(old, ensure_ascii=False, default=str) if old is not None else None,
         json.dumps(new, ensure_ascii=False, default=str) if new is not None else None],
    )


def stamp_new(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``values`` with id, timestamps and install id filled in."""
    install_id, _ = actor(db)
    now = now_iso()
    record = dict(values)
    record.setdefault("id", new_id())
    record.setdefault("created_at", now)
    record.setdefault("updated_at", now)
    record.setdefault("install_id", install_id)
    return record


def _check_period(db: Database, table: str, old: dict | None, new: dict | None) -> None:
    """Month lock hook: records dated in a closed month are refused (db/periode.py,
    tables and date columns in ``periode.KOLOM_TANGGAL`` / ``periode.KOLOM_INDUK``)."""
    from db import periode

    if table in periode.KOLOM_TANGGAL or table in periode.KOLOM_INDUK:
        periode.periksa_tulis(db, table, old, new)


def _insert_row(db: Database, table: str, record: dict[str, Any]) -> None:
    """A plain INSERT: sqlite-utils' insert() introspects the table on every
    call, which made importing 50,000 rows several times slower (issue 3)."""
    cols = ", ".join(f"[{c}]" for c in record)
    marks = ", ".join("?" * len(record))
    db.execute(f"INSERT INTO [{table}] ({cols}) VALUES ({marks})",
               [json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list, tuple)) else v
                for v in record.values()])


def insert(db: Database, table: str, values: dict[str, Any]) -> dict[str, Any]:
    record = stamp_new(db, values)
    _check_period(db, table, None, record)
    with db.atomic():
        _insert_row(db, table, record)
        _audit(db, table, record["id"], "tambah", None, record)
    return record


def insert_many(db: Database, table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert many rows (one transaction with the caller's); one audit row each."""
    records = [stamp_new(db, r) for r in rows]
    if not records:
        return records
    from db import periode

    periode.periksa_banyak(db, table, records)
    install_id, operator = actor(db)
    now = now_iso()
    with db.atomic():
        db[table].insert_all(records, batch_size=500)
        db.conn.executemany(
            "INSERT INTO audit (waktu, install_id, operator, tabel, record_id, aksi, lama, baru) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(now, install_id, operator, table, r["id"], "tambah", None,
              json.dumps(r, ensure_ascii=False, default=str)) for r in records],
        )
    return records


def get(db: Database, table: str, record_id: str) -> dict[str, Any] | None:
    row = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [record_id])
    cols = [d[0] for d in row.description]
    values = row.fetchone()
    return dict(zip(cols, values)) if values else None


def update(db: Database, table: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes``; audit only the columns whose value really changed."""
    with db.atomic():
        old = get(db, table, record_id)
        if old is None:
            raise KnownError(f"Data tidak ditemukan ({table} {record_id}).")
        diff = {k: v for k, v in changes.items() if old.get(k) != v}
        if not diff:
            return old
        _check_period(db, table, old, diff)
        diff["updated_at"] = now_iso()
        db[table].update(record_id, diff)
        _audit(db, table, record_id, "ubah", {k: old.get(k) for k in diff}, diff)
        old.update(diff)
    return old


def soft_delete(db: Database, table: str, record_id: str, reason: str) -> None:
    if not reason or not reason.strip():
        raise KnownError("Alasan penghapusan wajib diisi.")
    with db.atomic():
        old = get(db, table, record_id)
        if old is None:
            raise KnownError(f"Data tidak ditemukan ({table} {record_id}).")
        if old["deleted_at"]:
            return
        _check_period(db, table, old, None)
        now = now_iso()
        db[table].update(record_id, {"deleted_at": now, "delete_reason": reason.strip(), "updated_at": now})
        _audit(db, table, record_id, "hapus", {"deleted_at": None},
               {"deleted_at": now, "delete_reason": reason.strip()})


def restore(db: Database, table: str, record_id: str) -> None:
    with db.atomic():
        old = get(db, table, record_id)
        if old is None:
            raise KnownError(f"Data tidak ditemukan ({table} {record_id}).")
        if not old["deleted_at"]:
            return
        _check_period(db, table, old, None)
        db[table].update(record_id, {"deleted_at": None, "delete_reason": None, "updated_at": now_iso()})
        _audit(db, table, record_id, "pulihkan",
               {"deleted_at": old["deleted_at"], "delete_reason": old["delete_reason"]}, {"deleted_at": None})


def history(db: Database, table: str, record_id: str) -> list[dict[str, Any]]:
    """The audit trail of one record, oldest first, with old/new decoded."""
    rows = db.execute(
        "SELECT waktu, operator, aksi, lama, baru FROM audit WHERE tabel = ? AND record_id = ? ORDER BY id",
        [table, record_id],
    ).fetchall()
    return [
        {"waktu": w, "operator": op, "aksi": a,
         "lama": json.loads(lama) if lama else None, "baru": json.loads(baru) if baru else None}
        for w, op, a, lama, baru in rows
    ]


def next_number(db: Database, jenis: str, kunci: str) -> int:
    """Take the next number of a counter; call inside the transaction that uses it."""
    with db.atomic():
        row = db.execute("SELECT terakhir FROM nomor_urut WHERE jenis = ? AND kunci = ?", [jenis, kunci]).fetchone()
        value = (row[0] if row else 0) + 1
        db.execute(
            "INSERT INTO nomor_urut (jenis, kunci, terakhir) VALUES (?,?,?) "
            "ON CONFLICT(jenis, kunci) DO UPDATE SET terakhir = excluded.terakhir",
            [jenis, kunci, value],
        )
    return value
