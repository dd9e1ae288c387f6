"""The install's identity: role, area, operator. One row per database."""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from db import reference
from db.clock import now_iso
from db.errors import KnownError, ValidationError
from db.ids import new_id
from db.records import forget_actor

if TYPE_CHECKING:
    from sqlite_utils import Database

PERAN = ("TKSK", "PSM", "DINAS")


@dataclass
class Install:
    install_id: str
    peran: str
    kode_wilayah: str
    operator_nama: str
    operator_nik: str | None
    operator_nomor: str | None
    lurah_nama: str | None
    created_at: str
    app_version: str

    @property
    def is_dinas(self) -> bool:
        return self.peran == "DINAS"

    def as_dict(self) -> dict:
        return asdict(self)


def get_install(db: Database | sqlite3.Connection) -> Install | None:
    """The install's identity, None before setup. Takes a plain connection too (the GUI start)."""
    names = [f.name for f in fields(Install)]
    try:
        row = db.execute(f"SELECT {', '.join(names)} FROM install LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no install table yet: a file made but never set up
        return None
    return Install(*row) if row else None


def resolve_area(db: Database, kode: str, peran: str) -> str:
    """The area code an install of ``peran`` works on, or a KnownError with close matches."""
    kode = (kode or "").strip()
    found = reference.wilayah(db, kode)
    if found is None:
        saran = reference.closest_wilayah(db, kode, limit=5)
        daftar = "; ".join(f"{s['kode']} {s['nama']}" for s in saran)
        extra = f" Mungkin maksud Anda: {daftar}." if daftar else ""
        raise KnownError(f"Kode wilayah '{kode}' tidak dikenal.{extra}")
    tingkat = found["tingkat"]
    kode = found["kode"]  # the canonical dotted form, whatever the user typed
    if peran == "DINAS":
        if tingkat < 2:
            raise KnownError("Peran DINAS memerlukan kode kabupaten/kota (mis. 61.71) atau wilayah di dalamnya.")
        return kode[:5]
    if peran == "TKSK" and tingkat in (3, 4):
        return kode
    if tingkat != 4:
        raise KnownError(f"Kode '{kode}' ({found['nama']}) bukan kelurahan/desa. Gunakan kode kelurahan, mis. 61.71.03.1001.")
    return kode


def init_install(
    db: Database,
    *,
    kode_wilayah: str,
    operator_nama: str,
    peran: str,
    operator_nik: str | None = None,
    operator_nomor: str | None = None,
    lurah_nama: str | None = None,
    app_version: str = "",
) -> Install:
    if get_install(db) is not None:
        raise KnownError("Basis data ini sudah disiapkan; 'init' tidak menimpa data yang ada.")
    errors = {}
    peran = (peran or "").strip().upper()
    if peran not in PERAN:
        errors["peran"] = "harus TKSK, PSM, atau DINAS"
    if not (operator_nama or "").strip():
        errors["operator"] = "nama operator wajib diisi"
    if operator_nik:
        from db.nik import check_nik

        chk = check_nik(operator_nik)
        if chk.errors:
            errors["nik"] = chk.errors[0]
        operator_nik = chk.nik
    if errors:
        raise ValidationError(errors)
    kode = resolve_area(db, kode_wilayah, peran)
    if not app_version:
        from db.version import APP_VERSION

        app_version = APP_VERSION
    row = {
        "singleton": 1,
        "install_id": new_id(),
        "peran": peran,
        "kode_wilayah": kode,
        "operator_nama": operator_nama.strip(),
        "operator_nik": operator_nik,
        "operator_nomor": (operator_nomor or "").strip() or None,
        "lurah_nama": (lurah_nama or "").strip() or None,
        "created_at": now_iso(),
        "app_version": app_version,
    }
    with db.atomic():
        db["install"].insert(row)
    forget_actor(db)
    return get_install(db)


def update_install(db: Database, **changes) -> Install:
    allowed = {"operator_nama", "operator_nik", "operator_nomor", "lurah_nama"}
    bad = set(changes) - allowed
    if bad:
        raise KnownError(f"Tidak dapat mengubah {', '.join(sorted(bad))}.")
    with db.atomic():
        db["install"].update(1, changes)
    forget_actor(db)
    return get_install(db)


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM pengaturan WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str | None) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO pengaturan (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


COUNT_TABLES = {
    "orang": "orang",
    "ppks": "ppks",
    "layanan": "layanan",
    "bencana": "bencana",
    "korban": "korban",
    "psks": "psks",
    "kegiatan": "kegiatan",
}


def record_counts(db: Database | sqlite3.Connection) -> dict[str, int]:
    """Living (not soft-deleted) records per kind, as `kesos info` reports them.

    All rows minus the deleted ones: both counts are served by indexes (see
    migration 0007), where ``WHERE deleted_at IS NULL`` would scan the table.
    """
    counts = {}
    for name, table in COUNT_TABLES.items():
        total = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
        deleted = db.execute(f"SELECT count(*) FROM [{table}] WHERE deleted_at IS NOT NULL").fetchone()[0]
        counts[name] = total - deleted
    return counts
