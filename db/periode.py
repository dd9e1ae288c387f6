"""Closing a month: once a month is reported (the recap printed, the package sent),
its records are locked.

``tutup_bulan`` locks a month; every write of a dated record (db/records.py
calls ``periksa_tulis`` for the tables of ``KOLOM_TANGGAL``, and for victims
and attendance through their event, ``KOLOM_INDUK``) then refuses a record
dated in that month with "Bulan Desember 2025 sudah dilaporkan pada
…". ``buka_kembali`` reopens it with a reason, logged in the audit trail, and
raises ``urutan_paket`` so the next package of that month is recognisably a
newer revision.

Table ``periode_tutup(periode 'YYYY-MM', ditutup 0/1, ditutup_at, alasan,
dibuka_at, alasan_buka, urutan_paket)``.
"""
from __future__ import annotations

import datetime as _dt
import json
import re

from sqlite_utils import Database

from db.clock import now_iso, today
from db.errors import KnownError
from db.indonesian import periode_label, tanggal_panjang

_PERIODE_RE = re.compile(r"^(\d{4})-(\d{2})$")


def normal_periode(periode) -> str:
    """``2025-12`` (also from ``2025-12-31``, a date, or ``2025-1``); KnownError otherwise."""
    if isinstance(periode, (_dt.date, _dt.datetime)):
        return f"{periode:%Y-%m}"
    text = str(periode or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2}.*)?", text)
    if not m or not 1 <= int(m[2]) <= 12:
        raise KnownError(f"Periode '{periode}' tidak sah; tulis YYYY-MM, mis. 2025-12.")
    return f"{int(m[1]):04d}-{int(m[2]):02d}"


def status_bulan(db: Database, periode) -> dict | None:
    """The periode_tutup row of a month (whether closed or reopened), or None if never closed."""
    p = normal_periode(periode)
    cur = db.conn.execute("SELECT * FROM periode_tutup WHERE periode = ?", [p])
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cur.description], row))


def sudah_ditutup(db: Database, periode) -> bool:
    st = status_bulan(db, periode)
    return bool(st and st["ditutup"])


def bulan_ditutup(db: Database) -> list[str]:
    """Every closed month, oldest first."""
    return [r[0] for r in db.conn.execute("SELECT periode FROM periode_tutup WHERE ditutup = 1 ORDER BY periode")]


def pesan_terkunci(row: dict) -> str:
    when = tanggal_panjang(row["ditutup_at"][:10]) if row.get("ditutup_at") else "sebelumnya"
    alasan = f" ({row['alasan']})" if row.get("alasan") else ""
    return (
        f"Bulan {periode_label(row['periode'])} sudah dilaporkan pada {when}{alasan}; data bulan itu terkunci. "
        "Buka kembali bulan tersebut di halaman Rekap Bulanan bila memang perlu diubah."
    )


def pastikan_terbuka(db: Database, tanggal) -> None:
    """Raise KnownError when ``tanggal`` (ISO text or date; None = nothing to check) lies in a closed month."""
    if tanggal is None or tanggal == "":
        return
    if isinstance(tanggal, (_dt.date, _dt.datetime)):
        bulan = f"{tanggal:%Y-%m}"
    else:
        bulan = str(tanggal)[:7]
        if not _PERIODE_RE.match(bulan):
            return  # not a date: the record's own validation reports it
    cur = db.conn.execute("SELECT * FROM periode_tutup WHERE periode = ? AND ditutup = 1", [bulan])
    row = cur.fetchone()
    if row is not None:
        raise KnownError(pesan_terkunci(dict(zip([c[0] for c in cur.description], row))))


def _audit(db: Database, periode: str, aksi: str, lama: dict | None, baru: dict) -> None:
    from db.records import actor

    install_id, operator = actor(db)
    db.execute(
        "INSERT INTO audit (waktu, install_id, operator, tabel, record_id, aksi, lama, baru) VALUES (?,?,?,?,?,?,?,?)",
        [now_iso(), install_id, operator, "periode_tutup", periode, aksi,
         json.dumps(lama, ensure_ascii=False) if lama is not None else None, json.dumps(baru, ensure_ascii=False)],
    )


def tutup_bulan(db: Database, periode, alasan: str = "Rekap bulanan dilaporkan") -> dict:
    """Lock a month's records. Refuses a month that has not started or is already closed."""
    p = normal_periode(periode)
    alasan = (alasan or "").strip() or "Rekap bulanan dilaporkan"
    if p > f"{today():%Y-%m}":
        raise KnownError(f"Bulan {periode_label(p)} belum berjalan; tidak dapat ditutup.")
    with db.atomic():
        old = status_bulan(db, p)
        if old and old["ditutup"]:
            raise KnownError(pesan_terkunci(old).split(";")[0] + "; bulan itu sudah ditutup.")
        now = now_iso()
        if old is None:
            db.execute("INSERT INTO periode_tutup (periode, ditutup, ditutup_at, alasan, urutan_paket) VALUES (?,1,?,?,0)",
                       [p, now, alasan])
        else:
            db.execute("UPDATE periode_tutup SET ditutup = 1, ditutup_at = ?, alasan = ? WHERE periode = ?",
                       [now, alasan, p])
        _audit(db, p, "tutup", {"ditutup": 0} if old else None, {"ditutup": 1, "ditutup_at": now, "alasan": alasan})
    return status_bulan(db, p)


def buka_kembali(db: Database, periode, alasan: str) -> dict:
    """Reopen a closed month (reason required); the next package of the month gets a higher sequence."""
    p = normal_periode(periode)
    if not (alasan or "").strip():
        raise KnownError("Alasan membuka kembali bulan wajib diisi.")
    with db.atomic():
        old = status_bulan(db, p)
        if not old or not old["ditutup"]:
            raise KnownError(f"Bulan {periode_label(p)} belum ditutup.")
        now = now_iso()
        db.execute(
            "UPDATE periode_tutup SET ditutup = 0, dibuka_at = ?, alasan_buka = ?, urutan_paket = urutan_paket + 1 "
            "WHERE periode = ?", [now, alasan.strip(), p])
        _audit(db, p, "buka", {"ditutup": 1, "urutan_paket": old["urutan_paket"]},
               {"ditutup": 0, "dibuka_at": now, "alasan_buka": alasan.strip(), "urutan_paket": old["urutan_paket"] + 1})
    return status_bulan(db, p)


def urutan_paket(db: Database, periode) -> int:
    """How many times the month was reopened (0 if never): a package of the month made now
    must carry a higher sequence than any made before the last reopening."""
    st = status_bulan(db, periode)
    return int(st["urutan_paket"]) if st else 0


# --------------------------------------------------------------------------- the write hook

# Record table -> its date column, and the columns that may still change after
# the month is closed (they do not alter any reported number). For ppks, the
# closing of a registration is checked against its own date (tanggal_tutup).
KOLOM_TANGGAL = {
    "layanan": "tanggal",
    "ppks": "tanggal_pendataan",
    "bencana": "tanggal",
    "kegiatan": "tanggal_mulai",
}
BEBAS_DIUBAH = {
    "layanan": {"keterangan", "petugas", "updated_at"},
    "ppks": {"status", "alasan_tutup", "tanggal_tutup", "keterangan", "petugas", "sumber_laporan", "updated_at"},
    "bencana": {"keterangan", "status", "updated_at"},
    "kegiatan": {"keterangan", "penyelenggara", "tempat", "updated_at"},
}
KOLOM_TANGGAL_TAMBAHAN = {"ppks": "tanggal_tutup"}
# Records without a date of their own take their parent's: a victim is counted in its
# event's month (SPM_BENCANA), an attendance in its event's month (PSKS_DIBINA).
KOLOM_INDUK = {
    "korban": ("bencana", "bencana_id", "tanggal"),
    "kegiatan_peserta": ("kegiatan", "kegiatan_id", "tanggal_mulai"),
}
BEBAS_DIUBAH.update({"korban": {"keterangan", "updated_at"}, "kegiatan_peserta": {"keterangan", "updated_at"}})


def _tanggal_induk(db: Database, table: str, row: dict | None) -> str | None:
    parent, fk, col = KOLOM_INDUK[table]
    if not row or not row.get(fk):
        return None
    found = db.conn.execute(f"SELECT {col} FROM [{parent}] WHERE id = ?", [row[fk]]).fetchone()
    return found[0] if found else None


def periksa_tulis(db: Database, table: str, lama: dict | None, baru: dict | None) -> None:
    """Refuse a write of ``table`` that touches a closed month (called by db/records.py).

    insert: ``lama`` None; soft delete/restore: ``baru`` None; update: both,
    ``baru`` holding only the changed columns.
    """
    if table in KOLOM_INDUK:
        if not db.conn.execute("SELECT 1 FROM periode_tutup WHERE ditutup = 1 LIMIT 1").fetchone():
            return
        if lama is not None and baru is not None:
            changed = {k for k, v in baru.items() if lama.get(k) != v}
            if not changed - BEBAS_DIUBAH[table]:
                return
            pastikan_terbuka(db, _tanggal_induk(db, table, {**lama, **baru}))
        pastikan_terbuka(db, _tanggal_induk(db, table, lama if lama is not None else baru))
        return
    col = KOLOM_TANGGAL.get(table)
    if col is None:
        return
    if not db.conn.execute("SELECT 1 FROM periode_tutup WHERE ditutup = 1 LIMIT 1").fetchone():
        return
    if lama is None:  # insert
        pastikan_terbuka(db, (baru or {}).get(col))
        return
    if baru is None:  # soft delete / restore
        pastikan_terbuka(db, lama.get(col))
        return
    changed = {k for k, v in baru.items() if lama.get(k) != v}
    if changed - BEBAS_DIUBAH.get(table, set()):
        pastikan_terbuka(db, lama.get(col))
        if col in changed:
            pastikan_terbuka(db, baru.get(col))
    extra = KOLOM_TANGGAL_TAMBAHAN.get(table)
    if extra and extra in changed:
        pastikan_terbuka(db, lama.get(extra))
        pastikan_terbuka(db, baru.get(extra))


def periksa_banyak(db: Database, table: str, rows: list[dict]) -> None:
    """insert_many: one check per distinct month (per distinct parent for victims/attendance)."""
    if not rows or (table not in KOLOM_TANGGAL and table not in KOLOM_INDUK):
        return
    if not db.conn.execute("SELECT 1 FROM periode_tutup WHERE ditutup = 1 LIMIT 1").fetchone():
        return
    if table in KOLOM_INDUK:
        fk = KOLOM_INDUK[table][1]
        for parent in sorted({r.get(fk) for r in rows if r.get(fk)}):
            pastikan_terbuka(db, _tanggal_induk(db, table, {fk: parent}))
        return
    col = KOLOM_TANGGAL[table]
    for bulan in sorted({str(r.get(col))[:7] for r in rows if r.get(col)}):
        pastikan_terbuka(db, bulan + "-01")
