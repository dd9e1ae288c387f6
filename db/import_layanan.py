"""Import/export layout of services (CLI.md ``layanan`` columns, exactly).

One row = one service to one registered person, found by ``NIK`` or, for
people without NIK, ``ID Orang`` (the temporary id ``SMT-...`` or the record
id). Rules:

- Every row goes through ``db.layanan.catat_layanan`` (the same checks as the
  form) and gets its receipt number.
- Warnings the form would ask about (person's registrations all closed, the
  same service on the same day) do not refuse the row; they go to the
  report's warnings. A person deleted from the register is not found.
- ``Nama`` is a safety check: when it is clearly another name than the one
  registered for that NIK, the row is refused (a typo in an NIK must not hand
  aid to someone else).
- ``Kode Kejadian`` links disaster aid to the event with that user reference.
- A row equal to a service already recorded (same person, code, date,
  quantity, unit, value, funding source and event) is "unchanged", so
  importing a file twice changes nothing.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from db import layanan, ppks, reference
from db.errors import ValidationError
from db.indonesian import tanggal
from db.parsing import clean_digits, parse_period
from exporters.importer import Column, ImportSpec, RowError

# layanan field -> template column (for error messages)
COLUMN_OF = {
    "orang_id": "NIK", "no_kk": "NIK", "kode_layanan": "Kode Layanan", "tanggal": "Tanggal", "jumlah": "Jumlah",
    "satuan": "Satuan", "nilai": "Nilai (Rp)", "sumber_dana": "Sumber Dana", "bencana_id": "Kode Kejadian",
    "petugas": "Petugas", "psks_id": "Petugas", "keterangan": "Keterangan",
}


def _layanan_choices(db) -> list[str]:
    return [f"{r['kode']} - {r['nama']}" for r in layanan.layanan_jasa(db)]


def _satuan_choices(db) -> list[str]:
    return [nama for _k, nama in reference.daftar(db, "satuan")]


def _dana_choices(db) -> list[str]:
    return [nama for _k, nama in reference.daftar(db, "sumber_dana")]


def _kejadian_choices(db) -> list[str]:
    return [r["kode_kejadian"] for r in layanan.bencana_pilihan(db) if r["kode_kejadian"]]


COLUMNS = [
    Column("NIK", aliases=("No NIK", "Nomor NIK", "NIK Penerima", "Nomor Induk Kependudukan"), text=True, width=20,
           help="NIK penerima (16 digit, sebagai teks). Penerima harus sudah terdaftar di register."),
    Column("ID Orang", aliases=("ID Sementara", "ID Penerima"), text=True, width=20,
           help="Untuk penerima tanpa NIK: ID sementara (SMT-...) dari register."),
    Column("Nama", aliases=("Nama Penerima", "Nama Lengkap"), width=28,
           help="Nama penerima, untuk pemeriksaan: baris ditolak bila jelas berbeda dengan nama di register."),
    Column("Tanggal", required=True, aliases=("Tanggal Layanan", "Tgl Layanan", "Tanggal Penyerahan", "Tgl"),
           width=14, help="Tanggal layanan diberikan: dd/mm/yyyy, yyyy-mm-dd, atau 17 Agustus 2026."),
    Column("Kode Layanan", required=True, aliases=("Kode Sub Kegiatan", "Sub Kegiatan", "Kode Subkegiatan"),
           text=True, choices=_layanan_choices, width=44,
           help="Kode sub-kegiatan, mis. 1.06.04.2.01.01 atau 1.06.04.2.01.0001 (boleh diikuti namanya)."),
    Column("Jumlah", aliases=("Kuantitas", "Volume", "Qty"), width=9, help="Lebih dari 0. Kosong = 1."),
    Column("Satuan", choices=_satuan_choices, width=12, help="Kosong = satuan baku sub-kegiatan."),
    Column("Nilai (Rp)", aliases=("Nilai", "Nilai Rp", "Nominal", "Jumlah Rupiah"), width=16,
           help="Rupiah penuh: 1500000, 1.500.000 atau Rp 1.500.000 (bukan 1,5 jt)."),
    Column("Sumber Dana", aliases=("Dana", "Sumber Anggaran"), choices=_dana_choices, width=18,
           help="APBD Kab/Kota, APBD Provinsi, APBN/Kemensos, atau CSR/Lainnya."),
    Column("Kode Kejadian", aliases=("Kode Bencana", "Kejadian"), text=True, choices=_kejadian_choices, width=16,
           help="Untuk bantuan korban bencana (1.06.06.2.01.*): kode kejadian bencana."),
    Column("Petugas", aliases=("Nama Petugas", "Petugas Penyerah"), width=22),
    Column("Keterangan", aliases=("Ket", "Catatan"), width=30),
]

EXAMPLE = {
    "NIK": "6171034501600001", "ID Orang": None, "Nama": "Aminah binti Said", "Tanggal": "17/08/2026",
    "Kode Layanan": "1.06.04.2.01.0001 - Penyediaan Permakanan", "Jumlah": 30, "Satuan": "Paket",
    "Nilai (Rp)": "1.500.000", "Sumber Dana": "APBD Kab/Kota", "Kode Kejadian": None, "Petugas": "Siti Aminah",
    "Keterangan": "Permakanan Agustus",
}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _norm_name(name: str) -> str:
    return " ".join(re.findall(r"[a-z]+", name.lower()))


def same_person_name(given: str, stored: str) -> bool:
    """Whether a typed name plausibly names the registered person (spelling, titles, order)."""
    a, b = _norm_name(given), _norm_name(stored)
    if not a or a == b:
        return True
    wa, wb = {w for w in a.split() if len(w) > 2}, {w for w in b.split() if len(w) > 2}
    if wa and wb and (wa <= wb or wb <= wa):  # titles added or a name part left out
        return True
    return difflib.SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio() >= 0.75


def _person(db, values: dict) -> dict:
    nik_raw, ref = values.get("NIK"), _text(values.get("ID Orang"))
    if _text(nik_raw):
        try:
            nik = clean_digits(nik_raw, length=16, label="NIK")
        except ValueError as exc:
            raise RowError("NIK", str(exc)) from None
        person = ppks.find_by_nik(db, nik)
        if person is None:
            raise RowError("NIK", f"NIK {nik} tidak ada di register; daftarkan dulu orangnya (impor ppks)")
        return person
    if ref:
        person = ppks.find_person_ref(db, ref)
        if person is None:
            raise RowError("ID Orang", f"ID Orang '{ref}' tidak ada di register")
        return person
    raise RowError("NIK", "isi NIK penerima, atau ID Orang bila penerima belum punya NIK")


def prepare(db, state: dict) -> None:
    state["kejadian"] = {}


def _bencana_id(db, state: dict, value) -> str | None:
    kode = _text(value)
    if not kode:
        return None
    key = kode.upper()
    if key not in state["kejadian"]:
        row = db.execute(
            "SELECT id FROM bencana WHERE deleted_at IS NULL AND upper(trim(kode_kejadian)) = ? "
            "ORDER BY created_at LIMIT 1", [key]).fetchone()
        state["kejadian"][key] = row[0] if row else None
    if state["kejadian"][key] is None:
        raise RowError("Kode Kejadian", f"kejadian bencana dengan kode '{kode}' tidak ada")
    return state["kejadian"][key]


_SAME_SQL = """
SELECT id FROM layanan WHERE deleted_at IS NULL AND orang_id = ? AND kode_layanan = ? AND tanggal = ?
  AND jumlah = ? AND satuan = ? AND nilai = ? AND coalesce(sumber_dana, '') = coalesce(?, '')
  AND coalesce(bencana_id, '') = coalesce(?, '') LIMIT 1
"""


def apply_row(db, values: dict[str, Any], state: dict) -> str:
    person = _person(db, values)
    nama = _text(values.get("Nama"))
    if nama and not same_person_name(nama, person["nama"]):
        raise RowError("Nama", f"'{nama}' berbeda dengan nama di register untuk penerima ini ({person['nama']}); "
                               "periksa NIK/ID Orang")
    record = {
        "orang_id": person["id"],
        "kode_layanan": _text(values.get("Kode Layanan")),
        "tanggal": values.get("Tanggal"),
        "jumlah": values.get("Jumlah"),
        "satuan": _text(values.get("Satuan")),
        "nilai": values.get("Nilai (Rp)"),
        "sumber_dana": _text(values.get("Sumber Dana")),
        "bencana_id": _bencana_id(db, state, values.get("Kode Kejadian")),
        "petugas": _text(values.get("Petugas")),
        "keterangan": _text(values.get("Keterangan")),
    }
    check = layanan.periksa(db, record)
    errors = {**check.common, **check.temuan[0].errors}
    if errors:
        raise ValidationError({COLUMN_OF.get(k, k): v for k, v in errors.items()})
    row = check.rows[0]
    same = db.execute(_SAME_SQL, [row["orang_id"], row["kode_layanan"], row["tanggal"], row["jumlah"],
                                  row["satuan"], row["nilai"], row["sumber_dana"], row["bencana_id"]]).fetchone()
    if same:
        return "unchanged"
    layanan.catat_layanan(db, record, konfirmasi=True)
    for w in check.warnings:
        state.setdefault("row_warnings", []).append((None, w))
    return "imported"


def list_rows(db, period: str | None = None):
    """One row per service (cancelled ones too, with their status), oldest first."""
    if period:
        parse_period(period)
    offset = 0
    while True:
        rows = layanan.daftar_layanan(db, periode=period or None, urut="tanggal", offset=offset, limit=2000)
        for r in rows:
            yield {
                "id": r["id"],
                "orang_id": r["orang_id"],
                "NIK": r["nik"],
                "ID Orang": None if r["nik"] else (r["nik_sementara"] or r["orang_id"]),
                "Nama": r["nama"],
                "Tanggal": tanggal(r["tanggal"]),
                "Kode Layanan": r["kode_layanan"],
                "Jumlah": int(r["jumlah"]) if float(r["jumlah"]).is_integer() else r["jumlah"],
                "Satuan": r["satuan_nama"] or r["satuan"],
                "Nilai (Rp)": r["nilai"],
                "Sumber Dana": r["sumber_dana_nama"] or r["sumber_dana"],
                "Kode Kejadian": r["kode_kejadian"],
                "Petugas": r["petugas"],
                "Keterangan": r["keterangan"],
                "Nomor Kuitansi": r["nomor_kuitansi"],
                "Status": r["status"],
            }
        if len(rows) < 2000:
            return
        offset += 2000


SPEC = ImportSpec(
    kind="layanan",
    title="Layanan",
    columns=COLUMNS,
    example=EXAMPLE,
    apply_row=apply_row,
    list_rows=list_rows,
    prepare=prepare,
)
