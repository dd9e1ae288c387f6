"""Import/export layout of the PSKS register (CLI.md ``psks`` columns).

The nine columns of CLI.md come first; four optional ones follow (Tanggal
Nonaktif, Alamat, Nama Ketua, Telepon) because a ``nonaktif`` row needs the
date it took effect and institutions need their head and address.

A row is matched to the register by (type, registration number), else (type,
NIK), else (type, name, area): a match is updated with the non-empty cells of
the row (``unchanged`` when nothing differs), so importing a file twice
changes nothing. A registration number held by someone else of the same type
(another NIK) is refused, naming the holder.
"""
from __future__ import annotations

import calendar
from typing import Any

from db import psks as psks_db
from db.errors import ValidationError
from db.parsing import clean_digits, parse_period
from db.psks_indikator import active_clause
from exporters.importer import Column, ImportSpec, RowError

COLUMN_OF = {
    "jenis_kode": "Jenis PSKS",
    "nik": "NIK",
    "nama": "Nama",
    "jenis_kelamin": "Jenis Kelamin",
    "kode_wilayah": "Kode Wilayah",
    "nomor_registrasi": "Nomor Registrasi",
    "tanggal_mulai_aktif": "Tanggal Mulai Aktif",
    "status": "Status",
    "keterangan": "Keterangan",
    "tanggal_nonaktif": "Tanggal Nonaktif",
    "alamat": "Alamat",
    "nama_ketua": "Nama Ketua",
    "telepon": "Telepon",
}


def _jenis_choices(db) -> list[str]:
    from db import reference

    return [r["nama"] for r in reference.psks_jenis(db)]


COLUMNS = [
    Column("Jenis PSKS", required=True, aliases=("Jenis", "Tipe PSKS"), choices=_jenis_choices, width=34,
           help="Nama, singkatan atau kode jenis PSKS (mis. Pekerja Sosial Masyarakat, PSM, Tagana, TKSK, "
                "Karang Taruna, LKS)."),
    Column("NIK", aliases=("No NIK", "Nomor Induk Kependudukan"), text=True, width=20,
           help="16 digit, sebagai teks. Hanya untuk PSKS perorangan; kosongkan untuk lembaga."),
    Column("Nama", required=True, aliases=("Nama PSKS", "Nama Lembaga"), width=30,
           help="Nama orang atau nama lembaga."),
    Column("Jenis Kelamin", aliases=("JK", "L/P"), choices=lambda db: ["L", "P"], width=8,
           help="L atau P (perorangan)."),
    Column("Kode Wilayah", aliases=("Kode Kelurahan", "Kode Desa"), text=True, width=16,
           help="Kode Kemendagri kelurahan/desa (atau kecamatan/kota untuk TKSK dan lembaga tingkat kota). "
                "Kosong = wilayah basis data ini."),
    Column("Nomor Registrasi", aliases=("No Registrasi", "No Reg", "Nomor Induk"), text=True, width=20,
           help="Unik untuk satu jenis PSKS."),
    Column("Tanggal Mulai Aktif", aliases=("Tanggal Mulai", "TMT"), width=16, help="dd/mm/yyyy."),
    Column("Status", choices=lambda db: ["aktif", "nonaktif"], width=10,
           help="aktif atau nonaktif (kosong = aktif)."),
    Column("Keterangan", width=30),
    Column("Tanggal Nonaktif", width=16, help="Wajib bila Status nonaktif: sejak kapan tidak aktif."),
    Column("Alamat", width=30),
    Column("Nama Ketua", aliases=("Ketua",), width=24, help="Untuk lembaga (LKS, Karang Taruna, ...)."),
    Column("Telepon", aliases=("No HP", "HP"), text=True, width=16),
]

EXAMPLE = {
    "Jenis PSKS": "Pekerja Sosial Masyarakat",
    "NIK": "6171031508900001",
    "Nama": "Rudi Hartono",
    "Jenis Kelamin": "L",
    "Kode Wilayah": "61.71.03.1001",
    "Nomor Registrasi": "PSM/6171/0001",
    "Tanggal Mulai Aktif": "15/01/2024",
    "Status": "aktif",
    "Keterangan": "",
    "Tanggal Nonaktif": "",
    "Alamat": "Jl. Pak Benceng No. 5",
    "Nama Ketua": "",
    "Telepon": "081234567890",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _find_existing(db, jenis_kode: str, values: dict) -> tuple[dict | None, str | None]:
    """(record, how) of the register entry this row describes."""
    if values.get("nomor_registrasi"):
        row = db.execute("SELECT id FROM psks WHERE jenis_kode = ? AND nomor_registrasi = ? AND deleted_at IS NULL",
                         [jenis_kode, values["nomor_registrasi"]]).fetchone()
        if row:
            return psks_db.get_psks(db, row[0]), "nomor"
    if values.get("nik"):
        row = db.execute("SELECT id FROM psks WHERE jenis_kode = ? AND nik = ? AND deleted_at IS NULL",
                         [jenis_kode, values["nik"]]).fetchone()
        if row:
            return psks_db.get_psks(db, row[0]), "nik"
        return None, None
    row = db.execute(
        "SELECT id FROM psks WHERE jenis_kode = ? AND lower(nama) = lower(?) AND kode_wilayah IS ? "
        "AND nik IS NULL AND deleted_at IS NULL",
        [jenis_kode, values.get("nama"), values.get("kode_wilayah")],
    ).fetchone()
    return (psks_db.get_psks(db, row[0]), "nama") if row else (None, None)


def _as_column_errors(errors: dict[str, str]) -> ValidationError:
    return ValidationError({COLUMN_OF.get(k, k): v for k, v in errors.items()})


def apply_row(db, row: dict[str, Any], state: dict) -> str:
    jenis_text = _text(row.get("Jenis PSKS"))
    jrow = psks_db.find_jenis(db, jenis_text)
    if not jenis_text:
        raise RowError("Jenis PSKS", "wajib diisi")
    if jrow is None:
        raise RowError("Jenis PSKS", f"'{jenis_text}' bukan jenis PSKS yang dikenal")
    try:
        nik = clean_digits(row.get("NIK"), length=16, label="NIK")
    except ValueError as exc:
        raise RowError("NIK", str(exc)) from None
    values: dict[str, Any] = {"jenis_kode": jrow["kode"], "nik": nik}
    for field, column in COLUMN_OF.items():
        if field in ("jenis_kode", "nik"):
            continue
        values[field] = _text(row.get(column))
    if values["kode_wilayah"]:
        from db import reference

        values["kode_wilayah"] = reference.normalize_kode_wilayah(values["kode_wilayah"]) or values["kode_wilayah"]
    else:
        values["kode_wilayah"] = state.setdefault(
            "kode_wilayah", db.execute("SELECT kode_wilayah FROM install").fetchone()[0])
    existing, how = _find_existing(db, jrow["kode"], values)
    if existing and how == "nomor" and nik and existing["nik"] and existing["nik"] != nik:
        raise RowError(
            "Nomor Registrasi",
            f"Nomor registrasi {values['nomor_registrasi']} sudah dipakai {psks_db.jenis_label(jrow)} lain: "
            f"{existing['nama']} (NIK {existing['nik']})",
        )
    if existing is None:
        check = psks_db.check_psks(db, values)
        if check.errors:
            raise _as_column_errors(check.errors)
        psks_db.create_psks(db, check.values)
        return "imported"
    changes = {k: v for k, v in values.items() if v is not None and k in psks_db.FIELDS}
    if changes.get("status") and changes["status"].lower() == "aktif":
        changes["tanggal_nonaktif"] = None
    merged = {k: existing.get(k) for k in psks_db.FIELDS}
    merged.update(changes)
    check = psks_db.check_psks(db, merged, psks_id=existing["id"])
    if check.errors:
        raise _as_column_errors(check.errors)
    diff = {k: v for k, v in check.values.items() if k in psks_db.FIELDS and existing.get(k) != v}
    if not diff:
        return "unchanged"
    psks_db.update_psks(db, existing["id"], diff)
    return "imported"


def period_range(period: str) -> tuple[str, str]:
    """'2025-11' -> ('2025-11-01', '2025-11-30'); '2025' -> the whole year."""
    year, month = parse_period(period)
    if month is None:
        return f"{year}-01-01", f"{year}-12-31"
    last = calendar.monthrange(year, month)[1]
    return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}"


def list_rows(db, period: str | None = None):
    """The living register, one row per PSKS; with ``period``, those active in it."""
    where, params = "p.deleted_at IS NULL", []
    if period:
        where, params = active_clause(*period_range(period))
    cur = db.execute(
        "SELECT p.*, j.nama AS jenis_nama FROM psks p LEFT JOIN ref_psks_jenis j ON j.kode = p.jenis_kode "
        f"WHERE {where} ORDER BY j.urut, p.nama COLLATE NOCASE, p.id",
        params,
    )
    cols = [d[0] for d in cur.description]
    for values in cur:
        r = dict(zip(cols, values))
        yield {
            "id": r["id"],
            "Jenis PSKS": r["jenis_nama"] or r["jenis_kode"],
            "NIK": r["nik"],
            "Nama": r["nama"],
            "Jenis Kelamin": r["jenis_kelamin"],
            "Kode Wilayah": r["kode_wilayah"],
            "Nomor Registrasi": r["nomor_registrasi"],
            "Tanggal Mulai Aktif": r["tanggal_mulai_aktif"],
            "Status": r["status"],
            "Keterangan": r["keterangan"],
            "Tanggal Nonaktif": r["tanggal_nonaktif"],
            "Alamat": r["alamat"],
            "Nama Ketua": r["nama_ketua"],
            "Telepon": r["telepon"],
        }


SPEC = ImportSpec(
    kind="psks",
    title="Register PSKS",
    columns=COLUMNS,
    example=EXAMPLE,
    apply_row=apply_row,
    list_rows=list_rows,
)
