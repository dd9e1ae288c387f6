"""The PSKS register (Potensi dan Sumber Kesejahteraan Sosial, DOMAIN.md §5).

People (PSM, TKSK, Tagana, Pekerja Sosial Profesional, Penyuluh Sosial, ...)
and institutions (LKS, Karang Taruna, LK3, WKSBM, Dunia Usaha) in one table.
The type (``ref_psks_jenis``) decides the ``bentuk``: ``orang`` records carry
NIK, sex and birth date; ``lembaga`` records carry the head (``nama_ketua``)
and the address. Every write goes through ``db.records`` (audit trail).

Rules:
- a registration number is unique within one type (the message names the
  holder); one NIK is registered at most once per type;
- ``status`` is ``aktif`` or ``nonaktif``; ``nonaktif`` needs the date it took
  effect (``tanggal_nonaktif``), which drives "active in the period";
- the NIK of a person is checked with ``db.nik``: format errors block saving,
  mismatches with sex/birth date are warnings the caller may show.

Pure Python: no Qt here.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from db import reference, records
from db.errors import KnownError, ValidationError
from db.indonesian import tanggal_panjang
from db.nik import check_nik
from db.parsing import parse_date

TABLE = "psks"
STATUS = ("aktif", "nonaktif")

# Fields a caller may set, and which bentuk each applies to (None = both).
FIELDS: dict[str, str | None] = {
    "jenis_kode": None,
    "nama": None,
    "nik": "orang",
    "jenis_kelamin": "orang",
    "tanggal_lahir": "orang",
    "kode_wilayah": None,
    "alamat": None,
    "nomor_registrasi": None,
    "tanggal_mulai_aktif": None,
    "status": None,
    "tanggal_nonaktif": None,
    "nomor_dokumen": None,
    "tanggal_dokumen": None,
    "telepon": None,
    "email": None,
    "nama_ketua": "lembaga",
    "keterangan": None,
}
DATE_FIELDS = ("tanggal_lahir", "tanggal_mulai_aktif", "tanggal_nonaktif", "tanggal_dokumen")

LABELS = {
    "jenis_kode": "Jenis PSKS",
    "nama": "Nama",
    "nik": "NIK",
    "jenis_kelamin": "Jenis kelamin",
    "tanggal_lahir": "Tanggal lahir",
    "kode_wilayah": "Wilayah",
    "alamat": "Alamat",
    "nomor_registrasi": "Nomor registrasi",
    "tanggal_mulai_aktif": "Tanggal mulai aktif",
    "status": "Status",
    "tanggal_nonaktif": "Tanggal nonaktif",
    "nomor_dokumen": "Nomor dokumen",
    "tanggal_dokumen": "Tanggal dokumen",
    "telepon": "Telepon",
    "email": "Email",
    "nama_ketua": "Nama ketua",
    "keterangan": "Keterangan",
}

# Columns the list query may sort by (user input never reaches SQL otherwise).
SORT_KEYS = {
    "nama": "p.nama COLLATE NOCASE",
    "jenis_nama": "j.urut",
    "jenis_kode": "j.urut",
    "jenis_label": "j.urut",
    "nomor_registrasi": "p.nomor_registrasi",
    "kode_wilayah": "p.kode_wilayah",
    "wilayah_nama": "w.nama",
    "status": "p.status",
    "status_teks": "p.status",
    "tanggal_mulai_aktif": "p.tanggal_mulai_aktif",
    "nik": "p.nik",
    "created_at": "p.created_at",
}


@dataclass
class PsksCheck:
    """The cleaned values of a PSKS record, with blocking errors and warnings."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- types


def jenis(db: Database, kode: str | None) -> dict | None:
    """The ref_psks_jenis row of a type code, or None."""
    if not kode:
        return None
    row = db.execute("SELECT * FROM ref_psks_jenis WHERE kode = ?", [kode]).fetchone()
    if row is None:
        return None
    cols = [d[0] for d in db.execute("SELECT * FROM ref_psks_jenis LIMIT 0").description]
    return dict(zip(cols, row))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[()_.,/-]+", " ", str(text)).lower().split())


def find_jenis(db: Database, text: Any) -> dict | None:
    """A type from its code, name, abbreviation or 'nama (singkatan)', case-insensitive."""
    if text is None or not str(text).strip():
        return None
    key = _norm(text)
    rows = reference.psks_jenis(db)
    for r in rows:
        names = {_norm(r["kode"]), _norm(r["nama"])}
        if r["singkatan"]:
            names.add(_norm(r["singkatan"]))
            names.add(_norm(f"{r['nama']} ({r['singkatan']})"))
        if key in names:
            return r
    contains = [r for r in rows if key in _norm(r["nama"])]
    return contains[0] if len(contains) == 1 else None


def jenis_label(row: dict | None) -> str:
    if not row:
        return ""
    return row["singkatan"] or row["nama"]


# --------------------------------------------------------------------------- validation


def _clean_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _iso(value: Any) -> str | None:
    d = parse_date(value)
    return d.isoformat() if d else None


def check_psks(db: Database, values: dict[str, Any], *, psks_id: str | None = None) -> PsksCheck:
    """Validate a whole record (new, or an existing one with changes merged in)."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key in FIELDS:
        value = values.get(key)
        if key in DATE_FIELDS:
            try:
                clean[key] = _iso(value)
            except ValueError as exc:
                errors[key] = f"{LABELS[key]}: {exc}"
                clean[key] = None
        else:
            clean[key] = _clean_text(value)

    jrow = jenis(db, clean["jenis_kode"]) if clean["jenis_kode"] else None
    if not clean["jenis_kode"]:
        errors["jenis_kode"] = "Jenis PSKS wajib dipilih"
    elif jrow is None:
        errors["jenis_kode"] = f"Jenis PSKS '{clean['jenis_kode']}' tidak dikenal"
    bentuk = jrow["bentuk"] if jrow else None
    clean["bentuk"] = bentuk

    if not clean["nama"]:
        errors["nama"] = "Nama wajib diisi" if bentuk != "lembaga" else "Nama lembaga wajib diisi"

    if bentuk == "lembaga":
        for key in ("nik", "jenis_kelamin", "tanggal_lahir"):
            if clean[key] and key not in errors:
                errors[key] = (f"{jrow['nama']} adalah lembaga: {LABELS[key]} tidak diisi "
                               "(tulis pengurusnya di Nama Ketua)")
    elif bentuk == "orang":
        if clean["nama_ketua"]:
            errors["nama_ketua"] = f"{jrow['nama']} adalah perorangan: Nama Ketua hanya untuk lembaga"

    if clean["jenis_kelamin"]:
        jk = clean["jenis_kelamin"].upper()
        jk = {"LAKI-LAKI": "L", "LAKI LAKI": "L", "PEREMPUAN": "P", "LAKI": "L"}.get(jk, jk)
        if jk not in ("L", "P"):
            errors["jenis_kelamin"] = "Jenis kelamin harus L atau P"
        clean["jenis_kelamin"] = jk

    if clean["nik"] and bentuk != "lembaga":
        born = _dt.date.fromisoformat(clean["tanggal_lahir"]) if clean["tanggal_lahir"] else None
        res = check_nik(values.get("nik"), tanggal_lahir=born, jenis_kelamin=clean["jenis_kelamin"],
                        kecamatan_dikenal=lambda k: reference.wilayah(db, k) is not None)
        if res.errors:
            errors["nik"] = res.errors[0]
        else:
            clean["nik"] = res.nik
            if res.warnings:
                warnings["nik"] = "; ".join(res.warnings)

    if not clean["kode_wilayah"]:
        errors["kode_wilayah"] = "Wilayah wajib diisi"
    else:
        norm = reference.normalize_kode_wilayah(clean["kode_wilayah"])
        if norm is None or reference.wilayah(db, norm) is None:
            errors["kode_wilayah"] = f"Kode wilayah '{clean['kode_wilayah']}' tidak dikenal"
        else:
            clean["kode_wilayah"] = norm

    status = (clean["status"] or "aktif").lower()
    status = {"tidak aktif": "nonaktif", "non aktif": "nonaktif", "non-aktif": "nonaktif"}.get(status, status)
    if status not in STATUS:
        errors["status"] = "Status harus aktif atau nonaktif"
    clean["status"] = status
    if status == "aktif":
        clean["tanggal_nonaktif"] = None
    elif status == "nonaktif" and not clean["tanggal_nonaktif"] and "tanggal_nonaktif" not in errors:
        errors["tanggal_nonaktif"] = "Tanggal nonaktif wajib diisi bila status nonaktif"
    if (clean["tanggal_nonaktif"] and clean["tanggal_mulai_aktif"]
            and clean["tanggal_nonaktif"] < clean["tanggal_mulai_aktif"]):
        errors["tanggal_nonaktif"] = (
            f"Tanggal nonaktif ({tanggal_panjang(clean['tanggal_nonaktif'])}) sebelum tanggal mulai aktif "
            f"({tanggal_panjang(clean['tanggal_mulai_aktif'])})"
        )
    if clean["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", clean["email"]):
        errors["email"] = "Alamat email tidak sah"

    # Uniqueness within the type (living records only).
    if jrow and clean["nomor_registrasi"]:
        holder = db.execute(
            "SELECT id, nama, kode_wilayah FROM psks WHERE jenis_kode = ? AND nomor_registrasi = ? "
            "AND deleted_at IS NULL AND id IS NOT ?",
            [jrow["kode"], clean["nomor_registrasi"], psks_id],
        ).fetchone()
        if holder:
            errors["nomor_registrasi"] = (
                f"Nomor registrasi {clean['nomor_registrasi']} sudah dipakai {jenis_label(jrow)} lain: "
                f"{holder[1]}{_wilayah_suffix(db, holder[2])}"
            )
    if jrow and clean["nik"] and "nik" not in errors:
        holder = db.execute(
            "SELECT id, nama, nomor_registrasi FROM psks WHERE jenis_kode = ? AND nik = ? "
            "AND deleted_at IS NULL AND id IS NOT ?",
            [jrow["kode"], clean["nik"], psks_id],
        ).fetchone()
        if holder:
            nomor = f" (No. Reg. {holder[2]})" if holder[2] else ""
            errors["nik"] = f"NIK ini sudah terdaftar sebagai {jenis_label(jrow)}: {holder[1]}{nomor}"
    return PsksCheck(values=clean, errors=errors, warnings=warnings)


def _wilayah_suffix(db: Database, kode: str | None) -> str:
    row = reference.wilayah(db, kode) if kode else None
    return f" ({row['nama']})" if row else ""


def _default_area(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    if values.get("kode_wilayah"):
        return values
    row = db.execute("SELECT kode_wilayah FROM install").fetchone()
    return {**values, "kode_wilayah": row[0] if row else None}


# --------------------------------------------------------------------------- writes


def create_psks(db: Database, values: dict[str, Any]) -> dict:
    """Register a PSKS; ValidationError with per-field messages when invalid.

    An empty ``kode_wilayah`` takes the install's area.
    """
    with db.atomic():
        check = check_psks(db, _default_area(db, values))
        if check.errors:
            raise ValidationError(check.errors)
        return records.insert(db, TABLE, check.values)


def update_psks(db: Database, psks_id: str, changes: dict[str, Any]) -> dict:
    """Apply ``changes`` (any subset of FIELDS) after validating the merged record."""
    with db.atomic():
        old = records.get(db, TABLE, psks_id)
        if old is None or old["deleted_at"]:
            raise KnownError("Data PSKS tidak ditemukan (mungkin sudah dihapus).")
        merged = {k: old.get(k) for k in FIELDS}
        merged.update({k: v for k, v in changes.items() if k in FIELDS})
        check = check_psks(db, merged, psks_id=psks_id)
        if check.errors:
            raise ValidationError(check.errors)
        return records.update(db, TABLE, psks_id, check.values)


def deactivate_psks(db: Database, psks_id: str, tanggal: Any, alasan: str | None = None) -> dict:
    """Mark a PSKS nonaktif from ``tanggal`` (the date it stopped being active)."""
    changes: dict[str, Any] = {"status": "nonaktif", "tanggal_nonaktif": tanggal}
    if alasan and alasan.strip():
        old = records.get(db, TABLE, psks_id) or {}
        note = f"Nonaktif: {alasan.strip()}"
        changes["keterangan"] = f"{old.get('keterangan')}\n{note}" if old.get("keterangan") else note
    return update_psks(db, psks_id, changes)


def activate_psks(db: Database, psks_id: str) -> dict:
    return update_psks(db, psks_id, {"status": "aktif", "tanggal_nonaktif": None})


def delete_psks(db: Database, psks_id: str, reason: str) -> None:
    records.soft_delete(db, TABLE, psks_id, reason)


def restore_psks(db: Database, psks_id: str) -> None:
    """Bring back a deleted record, unless its number/NIK was given to another one since."""
    with db.atomic():
        old = records.get(db, TABLE, psks_id)
        if old is None:
            raise KnownError("Data PSKS tidak ditemukan.")
        if not old["deleted_at"]:
            return
        check = check_psks(db, old, psks_id=psks_id)
        clash = {k: v for k, v in check.errors.items() if k in ("nomor_registrasi", "nik")}
        if clash:
            raise KnownError("Tidak dapat dipulihkan: " + "; ".join(clash.values()))
        records.restore(db, TABLE, psks_id)


def psks_history(db: Database, psks_id: str) -> list[dict]:
    return records.history(db, TABLE, psks_id)


# --------------------------------------------------------------------------- reads

_SELECT = """
SELECT p.*, j.nama AS jenis_nama, j.singkatan AS jenis_singkatan, w.nama AS wilayah_nama
FROM psks p
LEFT JOIN ref_psks_jenis j ON j.kode = p.jenis_kode
LEFT JOIN ref_wilayah w ON w.kode = p.kode_wilayah
"""


def _dicts(cursor) -> list[dict]:
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def get_psks(db: Database, psks_id: str) -> dict | None:
    """One record (deleted ones too) with jenis_nama, jenis_singkatan and wilayah_nama."""
    rows = _dicts(db.execute(_SELECT + " WHERE p.id = ?", [psks_id]))
    return rows[0] if rows else None


def find_by_nik(db: Database, nik: str) -> list[dict]:
    """Living records with this NIK (one person may be PSM and Tagana), oldest first."""
    return _dicts(db.execute(_SELECT + " WHERE p.nik = ? AND p.deleted_at IS NULL ORDER BY p.created_at, p.id",
                             [nik]))


def area_clause(column: str, prefix: str | None) -> tuple[str, list]:
    """SQL matching ``column`` to an area code or anything under it ('61.71' covers '61.71.03.1001')."""
    if not prefix:
        return "1", []
    norm = reference.normalize_kode_wilayah(prefix) or prefix
    return f"({column} = ? OR {column} LIKE ?)", [norm, norm + ".%"]


def _filters(jenis_kode=None, status=None, wilayah=None, search=None, bentuk=None,
             include_deleted=False, only_deleted=False) -> tuple[str, list]:
    where, params = [], []
    if only_deleted:
        where.append("p.deleted_at IS NOT NULL")
    elif not include_deleted:
        where.append("p.deleted_at IS NULL")
    if jenis_kode:
        where.append("p.jenis_kode = ?")
        params.append(jenis_kode)
    if bentuk:
        where.append("p.bentuk = ?")
        params.append(bentuk)
    if status:
        where.append("p.status = ?")
        params.append(status)
    if wilayah:
        sql, extra = area_clause("p.kode_wilayah", wilayah)
        where.append(sql)
        params += extra
    if search and search.strip():
        s = search.strip()
        digits = re.sub(r"[\s.]", "", s)
        like = f"%{s.lower()}%"
        cond = ["lower(p.nama) LIKE ?", "lower(coalesce(p.nomor_registrasi,'')) LIKE ?",
                "lower(coalesce(p.nama_ketua,'')) LIKE ?"]
        params += [like, like, like]
        if digits.isdigit():
            cond.append("p.nik LIKE ?")
            params.append(digits + "%")
        where.append("(" + " OR ".join(cond) + ")")
    return (" WHERE " + " AND ".join(where)) if where else "", params


def list_psks(db: Database, *, jenis_kode: str | None = None, status: str | None = None,
              wilayah: str | None = None, search: str | None = None, bentuk: str | None = None,
              include_deleted: bool = False, only_deleted: bool = False,
              offset: int = 0, limit: int | None = None, sort: str | None = None,
              descending: bool = False) -> list[dict]:
    """Register rows filtered by type, status, area (code prefix) and a search text."""
    where, params = _filters(jenis_kode, status, wilayah, search, bentuk, include_deleted, only_deleted)
    order = SORT_KEYS.get(sort or "", None)
    direction = " DESC" if descending else ""
    order_sql = f"{order}{direction}, p.nama COLLATE NOCASE, p.id" if order else "j.urut, p.nama COLLATE NOCASE, p.id"
    sql = _SELECT + where + f" ORDER BY {order_sql}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return _dicts(db.execute(sql, params))


def count_psks(db: Database, **filters) -> int:
    where, params = _filters(filters.get("jenis_kode"), filters.get("status"), filters.get("wilayah"),
                             filters.get("search"), filters.get("bentuk"), filters.get("include_deleted", False),
                             filters.get("only_deleted", False))
    return db.execute("SELECT count(*) FROM psks p" + where, params).fetchone()[0]


def wilayah_in_register(db: Database) -> list[tuple[str, str]]:
    """(kode, label) of the areas the register uses, for the area filter."""
    rows = db.execute(
        "SELECT DISTINCT p.kode_wilayah, w.nama, w.tingkat FROM psks p "
        "LEFT JOIN ref_wilayah w ON w.kode = p.kode_wilayah "
        "WHERE p.deleted_at IS NULL AND p.kode_wilayah IS NOT NULL ORDER BY p.kode_wilayah"
    ).fetchall()
    prefix = {3: "Kec. ", 2: ""}
    return [(k, f"{prefix.get(t, '')}{n or k} ({k})") for k, n, t in rows]


def psks_kegiatan(db: Database, psks_id: str) -> list[dict]:
    """The events a PSKS was invited to, newest first, with attendance."""
    return _dicts(db.execute(
        "SELECT k.id, k.kode_kegiatan, k.nama, k.jenis, d.nama AS jenis_nama, k.kode_layanan, "
        "k.tanggal_mulai, k.tanggal_selesai, k.tempat, k.penyelenggara, kp.hadir "
        "FROM kegiatan_peserta kp JOIN kegiatan k ON k.id = kp.kegiatan_id "
        "LEFT JOIN ref_daftar d ON d.daftar = 'jenis_kegiatan' AND d.kode = k.jenis "
        "WHERE kp.psks_id = ? AND kp.deleted_at IS NULL AND k.deleted_at IS NULL "
        "ORDER BY k.tanggal_mulai DESC, k.nama",
        [psks_id],
    ))


def psks_layanan(db: Database, psks_id: str) -> list[dict]:
    """The services this PSKS delivered (layanan.psks_id), newest first."""
    return _dicts(db.execute(
        "SELECT l.id, l.tanggal, l.kode_layanan, r.nama AS layanan_nama, l.jumlah, l.satuan, l.nilai, "
        "l.status, o.nama AS penerima_nama, l.no_kk "
        "FROM layanan l LEFT JOIN ref_layanan r ON r.kode = l.kode_layanan "
        "LEFT JOIN orang o ON o.id = l.orang_id "
        "WHERE l.psks_id = ? AND l.deleted_at IS NULL ORDER BY l.tanggal DESC, l.id",
        [psks_id],
    ))


def deactivated_before(psks: dict, day: str | _dt.date) -> bool:
    """True when the record was already nonaktif before ``day`` (ISO text or date)."""
    day = day.isoformat() if isinstance(day, _dt.date) else str(day)[:10]
    if psks.get("status") != "nonaktif":
        return False
    since = psks.get("tanggal_nonaktif")
    return since is None or since < day


def status_text(psks: dict) -> str:
    """'Aktif' / 'Nonaktif sejak 1 Maret 2025' / 'Dihapus'."""
    if psks.get("deleted_at"):
        return "Dihapus"
    if psks.get("status") == "nonaktif":
        since = psks.get("tanggal_nonaktif")
        return f"Nonaktif sejak {tanggal_panjang(since)}" if since else "Nonaktif"
    return "Aktif"
