"""Import/export layout of disaster events (CLI.md ``bencana`` columns, exactly).

One row = one event, identified by ``Kode Kejadian`` (the user's own reference,
which the victims' file points at). Rules:

- A new code makes a new event (date not in the future, known type and area;
  an empty ``Kode Wilayah`` means the install's own kelurahan). A window
  length other than 7 days is taken with the reason "Ditetapkan dalam berkas
  impor" (the audit trail keeps it).
- A code already in the database: the row may fill the event's EMPTY fields
  (place, estimates) and then counts as imported; a value that differs from
  what is stored is not overwritten but listed as a warning. A row changing
  nothing is "unchanged", so importing a file twice changes nothing. A row
  whose date or type differs from the stored event with that code is
  refused: the code belongs to another event.
"""
from __future__ import annotations

from typing import Any

from db import bencana as B
from db import reference
from db.errors import ValidationError
from db.indonesian import tanggal
from exporters.importer import Column, ImportSpec, RowError

COLUMN_OF = {
    "kode_kejadian": "Kode Kejadian", "tanggal": "Tanggal Kejadian", "jenis_kode": "Jenis Bencana",
    "kelompok": "Jenis Bencana", "kode_wilayah": "Kode Wilayah", "lokasi": "Lokasi",
    "kk_terdampak": "KK Terdampak", "jiwa_terdampak": "Jiwa Terdampak", "rumah_rusak": "Rumah Rusak",
    "lama_tanggap_darurat": "Lama Tanggap Darurat (hari)", "alasan_perpanjangan": "Lama Tanggap Darurat (hari)",
}
FIELD_OF = {v: k for k, v in COLUMN_OF.items() if k not in ("kelompok", "alasan_perpanjangan")}
ALASAN_IMPOR = "Ditetapkan dalam berkas impor"


def _jenis_choices(db) -> list[str]:
    return [r["nama"] for r in reference.bencana_jenis(db)]


def _wilayah_choices(db) -> list[str]:
    row = db.execute("SELECT kode_wilayah FROM install").fetchone()
    if not row:
        return []
    kode = row[0]
    area = reference.wilayah(db, kode)
    if area is None:
        return []
    if area["tingkat"] == 4:
        return [f"{area['kode']} {area['nama']}"]
    if area["tingkat"] == 3:
        rows = reference.children(db, area["kode"])
    else:  # a Dinas: every kelurahan/desa of its kab/kota
        rows = [v for k in reference.children(db, area["kode"]) for v in reference.children(db, k["kode"])]
    return [f"{r['kode']} {r['nama']}" for r in rows if r["tingkat"] == 4]


COLUMNS = [
    Column("Kode Kejadian", required=True, aliases=("Kode", "No Kejadian", "Nomor Kejadian", "ID Kejadian"),
           text=True, width=16,
           help="Kode Anda sendiri untuk kejadian ini (mis. KBR-2025-01); dipakai berkas korban untuk merujuk kejadian."),
    Column("Tanggal Kejadian", required=True, aliases=("Tanggal", "Tgl Kejadian", "Tgl"), width=16,
           help="dd/mm/yyyy, yyyy-mm-dd, sel tanggal Excel, atau 17 Agustus 2025. Tidak boleh setelah hari ini."),
    Column("Jenis Bencana", required=True, aliases=("Jenis", "Bencana", "Jenis Kejadian"), choices=_jenis_choices,
           width=30, help="Banjir, Banjir Rob, Angin Puting Beliung/Angin Kencang, Tanah Longsor, Kebakaran "
                          "Permukiman, ... (kelompok alam/sosial mengikuti jenisnya)."),
    Column("Kode Wilayah", aliases=("Kode Kelurahan", "Kode Desa", "Kelurahan"), text=True,
           choices=_wilayah_choices, width=30,
           help="Kode kelurahan/desa lokasi kejadian, mis. 61.71.03.1001. Kosong = wilayah basis data ini."),
    Column("Lokasi", aliases=("Tempat", "Alamat", "Lokasi Kejadian"), width=30, help="RT/RW, jalan, gang, tempat."),
    Column("KK Terdampak", aliases=("Jumlah KK", "KK"), width=12, help="Perkiraan awal jumlah KK terdampak."),
    Column("Jiwa Terdampak", aliases=("Jumlah Jiwa", "Jiwa"), width=12, help="Perkiraan awal jumlah jiwa terdampak."),
    Column("Rumah Rusak", aliases=("Jumlah Rumah Rusak",), width=12, help="Jumlah rumah rusak."),
    Column("Lama Tanggap Darurat (hari)", aliases=("Lama Tanggap Darurat", "Masa Tanggap Darurat"), width=14,
           help="Kosong = 7 hari (masa tanggap darurat baku). Isi bila diperpanjang oleh pihak berwenang."),
]

EXAMPLE = {
    "Kode Kejadian": "KBR-2025-01", "Tanggal Kejadian": "05/09/2025", "Jenis Bencana": "Kebakaran Permukiman",
    "Kode Wilayah": "61.71.03.1001", "Lokasi": "Gg. Damai RT 003/RW 002", "KK Terdampak": 12,
    "Jiwa Terdampak": 41, "Rumah Rusak": 9, "Lama Tanggap Darurat (hari)": 7,
}


def prepare(db, state: dict) -> None:
    row = db.execute("SELECT kode_wilayah FROM install").fetchone()
    area = reference.wilayah(db, row[0]) if row else None
    state["default_area"] = area["kode"] if area and area["tingkat"] in (3, 4) else None


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _area_code(value) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return text.split(" ")[0]  # "61.71.03.1001 Pallima" (the drop-down form) -> the code


def apply_row(db, values: dict[str, Any], state: dict) -> str:
    kode = _text(values.get("Kode Kejadian"))
    if kode is None:
        raise RowError("Kode Kejadian", "Kode Kejadian wajib diisi")
    raw = {
        "kode_kejadian": kode, "tanggal": values.get("Tanggal Kejadian"), "jenis_kode": _text(values.get("Jenis Bencana")),
        "kode_wilayah": _area_code(values.get("Kode Wilayah")) or state.get("default_area"),
        "lokasi": _text(values.get("Lokasi")), "kk_terdampak": values.get("KK Terdampak"),
        "jiwa_terdampak": values.get("Jiwa Terdampak"), "rumah_rusak": values.get("Rumah Rusak"),
        "lama_tanggap_darurat": values.get("Lama Tanggap Darurat (hari)"),
    }
    try:
        clean = B.validate_bencana(db, raw)
    except ValidationError as exc:
        raise ValidationError({COLUMN_OF.get(k, k): v for k, v in exc.errors.items()}) from None
    lama_given = _text(values.get("Lama Tanggap Darurat (hari)")) is not None
    existing = B.cari_kode_kejadian(db, kode)
    if existing is None:
        if clean.get("lama_tanggap_darurat", B.LAMA_BAKU) != B.LAMA_BAKU:
            clean["alasan_perpanjangan"] = ALASAN_IMPOR
        try:
            B.tambah_bencana(db, clean)
        except ValidationError as exc:
            raise ValidationError({COLUMN_OF.get(k, k): v for k, v in exc.errors.items()}) from None
        return "imported"

    if existing["tanggal"] != clean["tanggal"] or existing["jenis_kode"] != clean["jenis_kode"]:
        raise RowError("Kode Kejadian", (
            f"Kode Kejadian {kode} sudah dipakai untuk kejadian lain "
            f"({B.jenis_nama(db, existing['jenis_kode'])}, {tanggal(existing['tanggal'])}); "
            "periksa kodenya"))
    fill, warnings = {}, state.setdefault("row_warnings", [])
    keys = ["kode_wilayah", "lokasi", "kk_terdampak", "jiwa_terdampak", "rumah_rusak"]
    if lama_given:
        keys.append("lama_tanggap_darurat")
    for key in keys:
        new = clean.get(key)
        if new is None:
            continue
        old = existing.get(key)
        if old is None:
            fill[key] = new
        elif old != new:
            warnings.append((COLUMN_OF[key], f"berbeda dengan data tersimpan ({old}); tidak diubah"))
    if not fill:
        return "unchanged"
    B.ubah_bencana(db, existing["id"], fill)
    return "imported"


def list_rows(db, period: str | None = None):
    """One row per living event, oldest first, with the template's columns and a few more."""
    n = B.hitung_bencana(db, periode=period)
    for r in B.daftar_bencana(db, 0, max(n, 1), "tanggal", False, periode=period):
        yield {
            "id": r["id"],
            "Kode Kejadian": r["kode_kejadian"],
            "Tanggal Kejadian": tanggal(r["tanggal"]),
            "Jenis Bencana": r["jenis_nama"] or r["jenis_kode"],
            "Kelompok": B.KELOMPOK.get(r["kelompok"], r["kelompok"]),
            "Kode Wilayah": r["kode_wilayah"],
            "Kelurahan": r["wilayah_nama"],
            "Lokasi": r["lokasi"],
            "KK Terdampak": r["kk_terdampak"],
            "Jiwa Terdampak": r["jiwa_terdampak"],
            "Rumah Rusak": r["rumah_rusak"],
            "Lama Tanggap Darurat (hari)": r["lama_tanggap_darurat"],
            "Akhir Tanggap Darurat": tanggal(r["akhir_masa_tanggap"]),
            "Status": B.STATUS.get(r["status"], r["status"]),
            "Jumlah Korban": r["jumlah_korban"],
            "Korban Dilayani Tepat Waktu": r["korban_dilayani"],
        }


SPEC = ImportSpec(
    kind="bencana",
    title="Kejadian Bencana",
    columns=COLUMNS,
    example=EXAMPLE,
    apply_row=apply_row,
    list_rows=list_rows,
    prepare=prepare,
)
