"""Bulk-writing generated rows: ``executemany`` per table, one transaction per install.

No audit rows are written: synthetic data is not the work of an operator, and
one audit row per record would double the size of a benchmark database and
its write time. (``db.demo.fill_demo`` writes one summary audit row instead.)
"""
from __future__ import annotations

from sqlite_utils import Database

from db.synthetic.generator import TABLE_ORDER, InstallData

CHUNK = 20_000


def _columns(db: Database, table: str, cache: dict) -> list[str]:
    if table not in cache:
        cache[table] = [r[1] for r in db.conn.execute(f"PRAGMA table_info([{table}])")]
    return cache[table]


def write_rows(db: Database, table: str, rows: list[dict], *, _cache: dict | None = None) -> int:
    """Insert ``rows`` (dicts) into ``table`` with executemany; call inside a transaction."""
    if not rows:
        return 0
    cache = _cache if _cache is not None else {}
    existing = _columns(db, table, cache)
    keys = [k for k in rows[0] if k in existing]
    missing = [k for k in rows[0] if k not in existing]
    if missing:
        raise ValueError(f"kolom tidak dikenal di tabel {table}: {', '.join(missing)}")
    sql = f"INSERT INTO [{table}] ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})"
    if "id" in keys:  # ids grow with time: inserting in id order keeps the primary-key index appends local
        rows = sorted(rows, key=lambda r: r["id"])
    for i in range(0, len(rows), CHUNK):
        db.conn.executemany(sql, [tuple(r.get(k) for k in keys) for r in rows[i:i + CHUNK]])
    return len(rows)


def write_install(db: Database, data: InstallData, *, counters: bool = True) -> dict[str, int]:
    """Insert every table of ``data`` in one transaction; returns rows written per table.

    ``counters`` also stores the install's counters (``nomor_urut``: receipt
    numbers per year, temporary-NIK numbers) so numbering continues after the
    generated records. A database holding several installs' records (a Dinas
    database) keeps no counters for them: pass ``counters=False``.
    """
    cache: dict = {}
    written = {}
    with db.atomic():
        for table in TABLE_ORDER:
            written[table] = write_rows(db, table, data.tables.get(table, []), _cache=cache)
        if counters:
            for jenis, kunci, terakhir in data.nomor_urut:
                db.conn.execute(
                    "INSERT INTO nomor_urut (jenis, kunci, terakhir) VALUES (?,?,?) "
                    "ON CONFLICT(jenis, kunci) DO UPDATE SET terakhir = max(terakhir, excluded.terakhir)",
                    [jenis, kunci, terakhir],
                )
    return written
