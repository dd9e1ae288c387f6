"""Import/export layout of disaster victims (CLI.md ``korban`` columns, exactly).

One row = one victim of one event, which ``Kode Kejadian`` names (the event
must already exist: import the events first). Rules:

- A row pointing at an unknown Kode Kejadian is refused with that message.
- The person: the registered person with that NIK; without NIK, a victim of
  the same event with the same name and birth date, else a registered person
  without NIK with the same name and birth date (DOMAIN §3's fallback hint);
  otherwise a new person (validated by the PPKS register; an empty NIK means
  "NIK belum ada" and gets a temporary id). An existing person's EMPTY fields
  are filled from the row, never overwritten.
- The first row of a No. KK in an event makes that person the household head
  (when the household has none yet): files list the head first.
- The same person twice for one event in one file: the later row is refused,
  naming the first. A person already registered as a victim of the event is
  "unchanged" (or imported when the row fills an empty field), so importing a
  file twice changes nothing.
- Each new victim gets its PPKS registration 21/22 (``db/korban.py``).
- NIK mismatches (birth date, sex, kecamatan) do not refuse the row: they are
  listed as warnings.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from db import bencana as B
from db import korban as K
from db import ppks, records
from db.errors import KnownError, ValidationError
from db.indonesian import tanggal
from db.nik import check_nik
from exporters.importer import Column, ImportSpec, RowError

PERSON_COLUMNS = {
    "NIK": "nik", "No KK": "no_kk", "Nama": "nama", "Jenis Kelamin": "jenis_kelamin",
    "Tanggal Lahir": "tanggal_lahir", "Alamat": "alamat",
}
COLUMN_OF = {v: k for k, v in PERSON_COLUMNS.items()}
COLUMN_OF.update({"tempat_tinggal": "Tempat Tinggal Sementara", "kelompok_rentan": "Kelompok Rentan",
                  "kode_wilayah": "Kode Kejadian"})


def _kejadian_choices(db) -> list[str]:
    return [r["kode_kejadian"] for r in B.daftar_bencana(db, 0, 500) if r["kode_kejadian"]]


def _rentan_choices(db) -> list[str]:
    from db import reference

    return [kode.replace("_", " ") for kode, _ in reference.daftar(db, K.KELOMPOK_RENTAN)]


def _tempat_choices(db) -> list[str]:
    from db import reference

    return [kode.replace("_", " ") for kode, _ in reference.daftar(db, K.TEMPAT_TINGGAL)]


COLUMNS = [
    Column("Kode Kejadian", required=True, aliases=("Kode", "No Kejadian", "ID Kejadian"), text=True,
           choices=_kejadian_choices, width=16,
           help="Kode kejadian bencana yang sudah tercatat (impor data bencana dulu)."),
    Column("NIK", aliases=("No NIK", "Nomor NIK", "NIK KTP"), text=True, width=20,
           help="16 digit, ditulis sebagai teks. Kosong = NIK belum ada (diberi ID sementara)."),
    Column("No KK", aliases=("Nomor KK", "No Kartu Keluarga", "KK"), text=True, width=20,
           help="16 digit, sebagai teks. Anggota keluarga ditulis berurutan, kepala keluarga lebih dulu."),
    Column("Nama", required=True, aliases=("Nama Lengkap", "Nama Korban"), width=28),
    Column("Jenis Kelamin", aliases=("JK", "L/P"), choices=lambda db: ["L", "P"], width=9, help="L atau P."),
    Column("Tanggal Lahir", aliases=("Tgl Lahir",), width=14,
           help="dd/mm/yyyy, yyyy-mm-dd, sel tanggal Excel, atau 17 Agustus 1960."),
    Column("Alamat", aliases=("Alamat Lengkap",), width=32),
    Column("Kelompok Rentan", aliases=("Rentan", "Kelompok Rentan (pisahkan dengan koma)"), choices=_rentan_choices,
           width=26, help="Dipisah koma: lansia, disabilitas, ibu hamil, ibu menyusui, anak, balita. Kosong = tidak ada."),
    Column("Tempat Tinggal Sementara", aliases=("Tempat Tinggal", "Tinggal Sementara", "Status Pengungsian"),
           choices=_tempat_choices, width=22, help="pengungsian, keluarga, atau rumah sendiri."),
]

EXAMPLE = {
    "Kode Kejadian": "KBR-2025-01", "NIK": "6171034307850002", "No KK": "6171030101090007", "Nama": "Siti Rahmah",
    "Jenis Kelamin": "P", "Tanggal Lahir": "03/07/1985", "Alamat": "Gg. Damai No. 7 RT 003/RW 002",
    "Kelompok Rentan": "ibu hamil", "Tempat Tinggal Sementara": "pengungsian",
}


def prepare(db, state: dict) -> None:
    state["events"] = {}
    state["seen"] = {}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _event(db, state, kode: str) -> dict | None:
    key = kode.upper()
    if key not in state["events"]:
        state["events"][key] = B.cari_kode_kejadian(db, kode)
    return state["events"][key]


def _match_without_nik(db, bencana_id: str, person: dict) -> dict | None:
    born = person.get("tanggal_lahir")
    row = db.execute(
        "SELECT o.id FROM korban k JOIN orang o ON o.id = k.orang_id WHERE k.bencana_id = ? "
        "AND k.deleted_at IS NULL AND o.nik IS NULL AND o.nama = ? COLLATE NOCASE AND o.tanggal_lahir IS ? "
        "ORDER BY k.created_at LIMIT 1", [bencana_id, person["nama"], born]).fetchone()
    if row is None and born:
        row = db.execute(
            "SELECT id FROM orang WHERE nik IS NULL AND deleted_at IS NULL AND nama = ? COLLATE NOCASE "
            "AND tanggal_lahir = ? ORDER BY created_at LIMIT 1", [person["nama"], born]).fetchone()
    return records.get(db, "orang", row[0]) if row else None


def apply_row(db, values: dict[str, Any], state: dict) -> str:
    kode = _text(values.get("Kode Kejadian"))
    if kode is None:
        raise RowError("Kode Kejadian", "Kode Kejadian wajib diisi")
    ev = _event(db, state, kode)
    if ev is None:
        raise RowError("Kode Kejadian", f"Kode Kejadian '{kode}' tidak ditemukan; catat atau impor kejadian "
                                        "bencananya dulu (jenis data bencana), atau periksa kodenya")
    errors: dict[str, str] = {}
    person, perr = ppks.normalize_person(db, {f: values.get(c) for c, f in PERSON_COLUMNS.items()})
    for f, msg in perr.items():
        errors[COLUMN_OF.get(f, f)] = msg
    if not person.get("nama") and "Nama" not in errors:
        errors["Nama"] = "Nama wajib diisi"
    fields = {}
    try:
        fields["tempat_tinggal"] = K.parse_tempat_tinggal(db, values.get("Tempat Tinggal Sementara"))
    except ValueError as exc:
        errors["Tempat Tinggal Sementara"] = str(exc)
    try:
        fields["kelompok_rentan"] = K.parse_kelompok_rentan(db, values.get("Kelompok Rentan"))
    except ValueError as exc:
        errors["Kelompok Rentan"] = str(exc)
    if errors:
        raise ValidationError(errors)

    warnings = state.setdefault("row_warnings", [])
    if person.get("nik"):
        born = _dt.date.fromisoformat(person["tanggal_lahir"]) if person.get("tanggal_lahir") else None
        for w in check_nik(person["nik"], tanggal_lahir=born, jenis_kelamin=person.get("jenis_kelamin")).warnings:
            warnings.append(("NIK", w))
        existing = ppks.find_by_nik(db, person["nik"])
        ident = f"NIK {person['nik']}"
    else:
        existing = _match_without_nik(db, ev["id"], person)
        ident = f"{person['nama']} ({tanggal(person.get('tanggal_lahir')) or 'tanpa tanggal lahir'})"

    seen_key = (ev["id"], existing["id"] if existing else ident)
    first = state["seen"].get(seen_key)
    if first is not None:
        raise RowError("NIK" if person.get("nik") else "Nama",
                       f"{ident} sudah ada di baris {first} berkas ini untuk kejadian {ev['kode_kejadian']}; "
                       "orang yang sama tidak dapat dicatat dua kali")
    state["seen"][seen_key] = state.get("row_no", "sebelumnya")

    head = False
    if person.get("no_kk"):
        head = db.execute(
            "SELECT count(*) FROM korban k JOIN orang o ON o.id = k.orang_id WHERE k.bencana_id = ? "
            "AND k.deleted_at IS NULL AND o.no_kk = ?", [ev["id"], person["no_kk"]]).fetchone()[0] == 0

    if existing is not None:
        changed = bool(ppks.fill_empty(db, existing["id"], {k: v for k, v in person.items() if k != "nik"}))
        victim = K.korban_dari_orang(db, ev["id"], existing["id"])
        if victim is not None:
            fill = {k: v for k, v in fields.items() if v and not victim.get(k)}
            if fill:
                K.ubah_korban(db, victim["id"], fill)
            state["seen"][(ev["id"], existing["id"])] = state["seen"][seen_key]
            return "imported" if (fill or changed) else "unchanged"
        try:
            K.tambah_korban(db, ev["id"], orang_id=existing["id"], kepala_keluarga=head, **fields)
        except KnownError as exc:
            raise RowError(None, exc.pesan) from None
        return "imported"
    try:
        rec = K.tambah_korban(db, ev["id"], orang=person, kepala_keluarga=head, **fields)
    except ValidationError as exc:
        raise ValidationError({COLUMN_OF.get(k, k): v for k, v in exc.errors.items()}) from None
    state["seen"][(ev["id"], rec["orang_id"])] = state["seen"][seen_key]
    return "imported"


def list_rows(db, period: str | None = None):
    """One row per living victim (events of ``period`` when given), households together."""
    n = K.hitung_korban(db, periode=period)
    for r in K.daftar_korban(db, None, 0, max(n, 1), periode=period):
        yield {
            "id": r["id"],
            "Kode Kejadian": r["kode_kejadian"],
            "NIK": r["nik"],
            "ID Sementara": r["nik_sementara"],
            "No KK": r["no_kk"],
            "Nama": r["nama"],
            "Jenis Kelamin": r["jenis_kelamin"],
            "Tanggal Lahir": tanggal(r["tanggal_lahir"]) or None,
            "Alamat": r["alamat"],
            "Kelompok Rentan": ", ".join(c.replace("_", " ") for c in (r["kelompok_rentan"] or "").split(",") if c)
            or None,
            "Tempat Tinggal Sementara": (r["tempat_tinggal"] or "").replace("_", " ") or None,
            "Kepala Keluarga": "Ya" if r["kepala_keluarga"] else "Tidak",
            "Status Layanan": B.STATUS_LAYANAN_KORBAN[r["status_layanan"]],
            "Jumlah Bantuan": r["jumlah_bantuan"],
        }


SPEC = ImportSpec(
    kind="korban",
    title="Korban Bencana",
    columns=COLUMNS,
    example=EXAMPLE,
    apply_row=apply_row,
    list_rows=list_rows,
    prepare=prepare,
)
