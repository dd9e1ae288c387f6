"""Import/export layout of PSKS events (CLI.md ``kegiatan`` columns).

One row per participant. Rows are grouped by ``Kode Kegiatan``: the first
valid row of a code creates (or updates) the event; the event cells of later
rows may be left empty, and when filled they must agree with the first row.
Participants are matched by NIK to the PSKS register: an unknown NIK rejects
the row ("tidak terdaftar di register PSKS"), so the register is imported
first. Importing the same file twice changes nothing.
"""
from __future__ import annotations

from typing import Any

from db import clock, kegiatan as keg_db, records
from db.errors import KnownError, ValidationError
from db.import_psks import period_range
from db.indonesian import tanggal_panjang
from db.parsing import clean_digits, parse_yes_no
from exporters.importer import Column, ImportSpec, RowError

EVENT_COLUMNS = {
    "nama": "Nama Kegiatan",
    "jenis": "Jenis Kegiatan",
    "kode_layanan": "Kode Sub Kegiatan",
    "tanggal_mulai": "Tanggal Mulai",
    "tanggal_selesai": "Tanggal Selesai",
    "penyelenggara": "Penyelenggara",
    "tempat": "Tempat",
}
COLUMN_OF = {"kode_kegiatan": "Kode Kegiatan", **EVENT_COLUMNS}


def _jenis_choices(db) -> list[str]:
    return [nama.lower() for _kode, nama in keg_db.jenis_options(db)]


def _sub_choices(db) -> list[str]:
    from db.reference import short_kode_layanan

    return [f"{short_kode_layanan(r['kode'])} - {r['nama']}" for r in keg_db.sub_kegiatan_options(db)]


COLUMNS = [
    Column("Kode Kegiatan", required=True, aliases=("Kode",), text=True, width=16,
           help="Kode buatan Anda sendiri untuk satu kegiatan; semua baris peserta satu kegiatan memakai kode yang sama."),
    Column("Nama Kegiatan", required=True, aliases=("Kegiatan", "Judul"), width=36),
    Column("Jenis Kegiatan", required=True, aliases=("Jenis",), choices=_jenis_choices, width=18,
           help="pelatihan, bimbingan teknis, rapat koordinasi, sosialisasi, simulasi."),
    Column("Kode Sub Kegiatan", aliases=("Sub Kegiatan", "Kode Layanan"), text=True, choices=_sub_choices, width=30,
           help="1.06.02.2.03.xx atau 1.06.06.2.02.xx (boleh diikuti namanya)."),
    Column("Tanggal Mulai", required=True, width=14, help="dd/mm/yyyy."),
    Column("Tanggal Selesai", width=14, help="Kosong = sama dengan tanggal mulai."),
    Column("Penyelenggara", width=26),
    Column("Tempat", aliases=("Lokasi",), width=26),
    Column("NIK Peserta", required=True, aliases=("NIK",), text=True, width=20,
           help="NIK peserta yang sudah terdaftar di register PSKS."),
    Column("Nama Peserta", aliases=("Nama",), width=26, help="Untuk memudahkan membaca; peserta dicocokkan dengan NIK."),
    Column("Hadir", choices=lambda db: ["Ya", "Tidak"], width=8,
           help="Ya/Tidak (kosong = Tidak). Kehadiran hanya untuk kegiatan yang sudah dimulai."),
]

EXAMPLE = {
    "Kode Kegiatan": "RAKOR-2025-11",
    "Nama Kegiatan": "Rapat Koordinasi dan Evaluasi PSKS",
    "Jenis Kegiatan": "rapat koordinasi",
    "Kode Sub Kegiatan": "1.06.02.2.03.04",
    "Tanggal Mulai": "20/11/2025",
    "Tanggal Selesai": "20/11/2025",
    "Penyelenggara": "Dinas Sosial Kota Pontianak",
    "Tempat": "Aula Dinas Sosial",
    "NIK Peserta": "6171031508900001",
    "Nama Peserta": "Rudi Hartono",
    "Hadir": "Ya",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _event_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for field, column in EVENT_COLUMNS.items():
        value = row.get(column)
        values[field] = value if hasattr(value, "year") else _text(value)
    return values


def _norm_field(db, field: str, value: Any) -> Any:
    """One event cell in stored form (for comparing a later row with the first one)."""
    from db.parsing import parse_date
    from db.reference import layanan

    try:
        if field.startswith("tanggal"):
            d = parse_date(value)
            return d.isoformat() if d else None
    except ValueError:
        return value
    if field == "jenis":
        return keg_db.find_jenis(db, value) or value
    if field == "kode_layanan":
        row = layanan(db, value)
        return row["kode"] if row else value
    return value


def apply_row(db, row: dict[str, Any], state: dict) -> str:
    kode = _text(row.get("Kode Kegiatan"))
    if not kode:
        raise RowError("Kode Kegiatan", "wajib diisi (baris peserta satu kegiatan memakai kode yang sama)")
    given = _event_values(row)
    seen = state.setdefault("events", {})
    existing = keg_db.find_by_kode(db, kode)

    if kode in seen:
        clean = seen[kode]
        for field, column in EVENT_COLUMNS.items():
            if given[field] is not None and _norm_field(db, field, given[field]) != clean[field]:
                first = clean[field]
                shown = tanggal_panjang(first) if field.startswith("tanggal") and first else first
                raise RowError(column, f"berbeda dengan baris pertama Kode Kegiatan {kode} ({shown or 'kosong'})")
    else:
        base = {k: existing.get(k) for k in keg_db.FIELDS} if existing else {}
        merged = {**base, "kode_kegiatan": kode, **{k: v for k, v in given.items() if v is not None}}
        if not existing and not merged.get("tanggal_selesai"):
            merged["tanggal_selesai"] = None
        try:
            clean = keg_db.check_kegiatan(db, merged, kegiatan_id=existing and existing["id"])
        except ValidationError as exc:
            raise ValidationError({COLUMN_OF.get(k, k): v for k, v in exc.errors.items()}) from None

    # The participant.
    nama = _text(row.get("Nama Peserta"))
    try:
        nik = clean_digits(row.get("NIK Peserta"), length=16, label="NIK Peserta")
    except ValueError as exc:
        raise RowError("NIK Peserta", str(exc)) from None
    if not nik:
        raise RowError("NIK Peserta", "wajib diisi")
    try:
        hadir = bool(parse_yes_no(row.get("Hadir")))
    except ValueError as exc:
        raise RowError("Hadir", str(exc)) from None
    try:
        psks = keg_db.resolve_nik(db, nik, kegiatan=clean, nama=nama)
    except keg_db.PsksTidakTerdaftar:
        who = f" ({nama})" if nama else ""
        raise RowError("NIK Peserta", f"NIK {nik}{who} tidak terdaftar di register PSKS; "
                                      "daftarkan/impor dulu data PSKS-nya") from None
    try:
        keg_db.check_participant(db, clean, psks["id"])
    except KnownError as exc:
        raise RowError("NIK Peserta", exc.pesan) from None
    if hadir and not keg_db.started(clean):
        raise RowError("Hadir", keg_db.BelumDimulai(clean, clock.today()).pesan)

    # Write: the event first (once per code and file), then the participant.
    outcome = "unchanged"
    if existing is None:
        existing = keg_db.save_kegiatan(db, clean)
        outcome = "imported"
    elif kode not in seen and any(existing.get(k) != clean.get(k) for k in keg_db.FIELDS):
        try:
            existing = keg_db.save_kegiatan(db, clean, kegiatan_id=existing["id"])
        except KnownError as exc:
            raise RowError(None, exc.pesan) from None
        outcome = "imported"
    current = db.execute(
        "SELECT id, hadir FROM kegiatan_peserta WHERE kegiatan_id = ? AND psks_id = ? AND deleted_at IS NULL",
        [existing["id"], psks["id"]],
    ).fetchone()
    if current is None:
        records.insert(db, keg_db.PESERTA, {"kegiatan_id": existing["id"], "psks_id": psks["id"], "hadir": int(hadir)})
        outcome = "imported"
    elif bool(current[1]) != hadir:
        records.update(db, keg_db.PESERTA, current[0], {"hadir": int(hadir)})
        outcome = "imported"
    seen[kode] = clean
    return outcome


def list_rows(db, period: str | None = None):
    """One row per participant (an event without participants gives one row with empty participant cells)."""
    where, params = "k.deleted_at IS NULL", []
    if period:
        start, end = period_range(period)
        where += " AND k.tanggal_mulai BETWEEN ? AND ?"
        params = [start, end]
    cur = db.execute(
        "SELECT k.id, k.kode_kegiatan, k.nama, d.nama AS jenis_nama, k.kode_layanan, k.tanggal_mulai, "
        "k.tanggal_selesai, k.penyelenggara, k.tempat, p.nik, p.nama AS peserta_nama, kp.hadir, kp.id AS peserta_id "
        "FROM kegiatan k LEFT JOIN ref_daftar d ON d.daftar = 'jenis_kegiatan' AND d.kode = k.jenis "
        "LEFT JOIN kegiatan_peserta kp ON kp.kegiatan_id = k.id AND kp.deleted_at IS NULL "
        "LEFT JOIN psks p ON p.id = kp.psks_id "
        "LEFT JOIN ref_psks_jenis j ON j.kode = p.jenis_kode "
        f"WHERE {where} ORDER BY k.tanggal_mulai, k.nama COLLATE NOCASE, k.id, j.urut, p.nama COLLATE NOCASE",
        params,
    )
    for (kid, kode, nama, jenis, kode_layanan, mulai, selesai, penyelenggara, tempat, nik, peserta, hadir,
         peserta_id) in cur:
        yield {
            "id": kid,
            "peserta_id": peserta_id,
            "Kode Kegiatan": kode,
            "Nama Kegiatan": nama,
            "Jenis Kegiatan": jenis.lower() if jenis else None,
            "Kode Sub Kegiatan": kode_layanan,
            "Tanggal Mulai": mulai,
            "Tanggal Selesai": selesai,
            "Penyelenggara": penyelenggara,
            "Tempat": tempat,
            "NIK Peserta": nik,
            "Nama Peserta": peserta,
            "Hadir": None if hadir is None else ("Ya" if hadir else "Tidak"),
        }


SPEC = ImportSpec(
    kind="kegiatan",
    title="Kegiatan PSKS",
    columns=COLUMNS,
    example=EXAMPLE,
    apply_row=apply_row,
    list_rows=list_rows,
)
