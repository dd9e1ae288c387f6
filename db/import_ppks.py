"""Import/export layout of the PPKS register (CLI.md ``ppks`` columns, exactly).

One row = one person and (optionally) one registration. Rules (issue 3):

- An empty NIK means "NIK belum ada": the person gets a temporary id.
- A row whose NIK is already registered updates only the person's EMPTY
  fields and adds the registration when the person does not hold that
  category yet; it never overwrites what the worker typed. A row changing
  nothing is reported "unchanged", so importing a file twice changes nothing.
- A row without NIK is the same person as a registered person without NIK
  with the same name and birth date (or, without birth date, the same name,
  address and area): the fallback hint of DOMAIN §3.
- The same NIK twice in one file: the later row is refused, naming the first.
- NIK format errors, impossible dates, unknown categories or area codes
  refuse the row with a message naming the column. NIK mismatches (birth
  date, sex, kecamatan) and a similar name with the same birth date do not
  refuse the row: they are listed as warnings (records are often wrong at
  the source; the worker checks them in the form).
- A row without a category registers the person only (a DTKS/BNBA export
  with just NIK and Nama).
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from db import ppks, records, reference
from db.clock import today
from db.errors import KnownError, ValidationError
from db.indonesian import tanggal
from db.nik import check_nik
from db.parsing import parse_period, parse_yes_no
from exporters.importer import Column, ImportSpec, RowError

# template column -> person / registration field
PERSON_COLUMNS = {
    "NIK": "nik", "No KK": "no_kk", "Nama": "nama", "Jenis Kelamin": "jenis_kelamin", "Tempat Lahir": "tempat_lahir",
    "Tanggal Lahir": "tanggal_lahir", "Alamat": "alamat", "RT": "rt", "RW": "rw", "Kode Wilayah": "kode_wilayah",
}
REG_COLUMNS = {
    "Kategori PPKS": "kategori_kode", "Terlantar": "terlantar", "Tanggal Pendataan": "tanggal_pendataan",
    "Sumber Laporan": "sumber_laporan",
}
COLUMN_OF = {**{v: k for k, v in PERSON_COLUMNS.items()}, **{v: k for k, v in REG_COLUMNS.items()},
             "keterangan": "Keterangan"}


def _kategori_choices(db) -> list[str]:
    return [f"{r['kode']} - {r['nama']}" for r in reference.ppks_kategori(db)]


def _wilayah_choices(db) -> list[str]:
    row = db.execute("SELECT kode_wilayah FROM install").fetchone()
    if not row:
        return []
    return [f"{k} {label.strip()}" for k, label in ppks.wilayah_choices(db, row[0]) if k != "luar"]


def _sumber_choices(db) -> list[str]:
    return [nama for _k, nama in reference.daftar(db, "sumber_laporan")]


COLUMNS = [
    Column("NIK", aliases=("No NIK", "Nomor NIK", "Nomor Induk Kependudukan", "NIK KTP"), text=True, width=20,
           help="16 digit, ditulis sebagai teks. Kosong = NIK belum ada (diberi ID sementara)."),
    Column("No KK", aliases=("Nomor KK", "No Kartu Keluarga", "Nomor Kartu Keluarga", "NOKK", "KK"), text=True,
           width=20, help="16 digit, sebagai teks."),
    Column("Nama", required=True, aliases=("Nama Lengkap", "Nama PPKS", "Nama PMKS", "Nama Penerima", "Nama ART"),
           width=28, help="Nama lengkap sesuai KTP/KK."),
    Column("Jenis Kelamin", aliases=("JK", "L/P", "Kelamin", "Jns Kelamin"), choices=lambda db: ["L", "P"], width=9,
           help="L atau P."),
    Column("Tempat Lahir", aliases=("Tmp Lahir", "Tempat Lhr"), width=16),
    Column("Tanggal Lahir", aliases=("Tgl Lahir", "Tanggal Lhr", "Tgl Lhr"), width=14,
           help="dd/mm/yyyy, yyyy-mm-dd, sel tanggal Excel, atau 17 Agustus 1960."),
    Column("Alamat", aliases=("Alamat Lengkap", "Alamat Rumah", "Alamat Domisili"), width=32),
    Column("RT", text=True, width=6, help="Angka, mis. 003."),
    Column("RW", text=True, width=6, help="Angka, mis. 012."),
    Column("Kode Wilayah", aliases=("Kode Kelurahan", "Kode Desa", "Kode Wil", "Kode Kemendagri"), text=True,
           choices=_wilayah_choices, width=34,
           help="Kode kelurahan/desa (mis. 61.71.03.1001), atau kode kecamatan bila tidak ada kelurahannya. "
                "Kosong = wilayah basis data ini."),
    Column("Kategori PPKS", aliases=("Kategori", "Jenis PPKS", "Jenis PMKS", "Kategori PMKS"),
           choices=_kategori_choices, width=40,
           help="Nomor 1-26 (Permensos 8/2012) atau namanya, mis. 8 atau Lanjut Usia Terlantar; ODGJ = 9a. "
                "Kosong = hanya data orangnya."),
    Column("Terlantar", choices=lambda db: ["Ya", "Tidak"], width=10,
           help="Ya/Tidak. Untuk disabilitas (5, 9, 9a): Ya bila tidak ada yang mampu merawat."),
    Column("Tanggal Pendataan", aliases=("Tgl Pendataan", "Tanggal Asesmen", "Tanggal Didata"), width=16,
           help="Kapan didata/diasesmen. Kosong = hari impor."),
    Column("Sumber Laporan", aliases=("Sumber",), choices=_sumber_choices, width=24,
           help="Laporan Masyarakat, Kelurahan/Desa, Kepolisian, Rumah Sakit/Puskesmas, Dinas Sosial Provinsi, "
                "Hasil Penjangkauan, atau teks lain."),
    Column("Keterangan", aliases=("Ket", "Catatan"), width=30),
]

EXAMPLE = {
    "NIK": "6171034501600001", "No KK": "6171030101080003", "Nama": "Aminah binti Said", "Jenis Kelamin": "P",
    "Tempat Lahir": "Pontianak", "Tanggal Lahir": "05/01/1960", "Alamat": "Jl. Komodor Yos Sudarso Gg. Damai",
    "RT": "003", "RW": "012", "Kode Wilayah": "61.71.03.1001", "Kategori PPKS": "8 - Lanjut Usia Terlantar",
    "Terlantar": "Tidak", "Tanggal Pendataan": "17/08/2025", "Sumber Laporan": "Laporan Masyarakat",
    "Keterangan": "Tinggal sendiri",
}


# --------------------------------------------------------------------------- applying rows


# Name/address search index during a long import: one FTS5 insert per row costs
# ~0.13 ms on a kota-sized database, one INSERT ... SELECT at the end ~0.01 ms per
# row. So for files of more than this many rows, the insert trigger is set aside
# inside the import's own transaction and the new people are indexed in one go
# in finish(); any rollback (dry run, all-or-nothing, a crash) puts the triggers
# back with everything else.
BULK_INDEX_AFTER = 500
_FTS_TRIGGERS = ("orang_fts_ai", "orang_fts_au")


def prepare(db, state: dict) -> None:
    # A bigger page cache for this connection: a big file touches index pages all over.
    db.execute("PRAGMA cache_size = -65536")
    state["bulk_fts"] = None
    if state.get("total_rows", 0) > BULK_INDEX_AFTER:
        _suspend_fts_triggers(db, state)
    inst = db.execute("SELECT kode_wilayah, operator_nama FROM install").fetchone()
    area = reference.wilayah(db, inst[0]) if inst else None
    state["default_area"] = area["kode"] if area and area["tingkat"] in (3, 4) else None
    state["operator"] = inst[1] if inst else None
    state["seen_nik"] = {}
    state["area_cache"] = {}
    state["kec_cache"] = {}
    state["kat_cache"] = {}
    state["today"] = today()


def _suspend_fts_triggers(db, state: dict) -> None:
    sql = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
                          list(_FTS_TRIGGERS)).fetchall())
    if set(sql) != set(_FTS_TRIGGERS):
        return  # a schema this code does not know: keep the per-row triggers
    max_before = db.execute("SELECT coalesce(max(rowid), 0) FROM orang").fetchone()[0]
    for name in _FTS_TRIGGERS:
        db.execute(f"DROP TRIGGER main.{name}")
    # People already indexed keep their index in step when a row fills their empty address.
    db.execute(
        f"CREATE TEMP TRIGGER impor_orang_fts_au AFTER UPDATE OF nama, alamat, deleted_at ON main.orang "
        f"WHEN old.rowid <= {int(max_before)} BEGIN "
        "INSERT INTO orang_fts (orang_fts, rowid, nama, alamat) "
        "SELECT 'delete', old.rowid, old.nama, old.alamat WHERE old.deleted_at IS NULL; "
        "INSERT INTO orang_fts (rowid, nama, alamat) SELECT new.rowid, new.nama, new.alamat WHERE new.deleted_at IS NULL; "
        "END")
    state["bulk_fts"] = {"max_before": max_before, "sql": sql}


def finish(db, state: dict) -> None:
    bulk = state.get("bulk_fts")
    if not bulk:
        return
    db.execute("INSERT INTO orang_fts (rowid, nama, alamat) SELECT rowid, nama, alamat FROM orang "
               "WHERE rowid > ? AND deleted_at IS NULL", [bulk["max_before"]])
    db.execute("DROP TRIGGER temp.impor_orang_fts_au")
    for name in _FTS_TRIGGERS:
        db.execute(bulk["sql"][name])
    state["bulk_fts"] = None


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _area(db, state, value) -> str | None:
    text = _cell_text(value)
    if text is None:
        return None
    cache = state["area_cache"]
    if text not in cache:
        # "61.71.03.1001 Pallima" (the drop-down form) → the code part
        m = re.match(r"^\s*([\d.\s]*\d)(?:\s+\D.*)?$", text)
        code = m.group(1) if m else text
        try:
            cache[text] = (ppks.parse_area(db, code), None)
        except ValueError as exc:
            cache[text] = (None, str(exc))
    kode, err = cache[text]
    if err:
        raise ValueError(err[0].upper() + err[1:])
    return kode


def _kategori(db, state, value) -> str | None:
    text = _cell_text(value)
    if text is None:
        return None
    cache = state["kat_cache"]
    if text not in cache:
        kat = reference.find_kategori(db, text)
        if kat is None:
            m = re.match(r"^\s*(\w+)\s*[-–—:.]\s*\S", text)  # "8 - Lanjut Usia Terlantar"
            if m:
                kat = reference.find_kategori(db, m.group(1))
        cache[text] = kat["kode"] if kat else None
    if cache[text] is None:
        raise ValueError(f"Kategori PPKS '{text}' tidak dikenal (tulis nomor 1-26 atau nama kategorinya, mis. 8 "
                         "atau Lanjut Usia Terlantar)")
    return cache[text]


def _kecamatan_known(db, state):
    cache = state["kec_cache"]

    def known(kode):
        if kode not in cache:
            row = reference.wilayah(db, kode)
            cache[kode] = row is not None and row["tingkat"] == 3
        return cache[kode]

    return known


def _parse(db, values: dict, state: dict) -> tuple[dict, dict, list[tuple[str, str]]]:
    """(person fields, registration fields, warnings); ValidationError by column."""
    errors: dict[str, str] = {}
    person_raw = {field: values.get(col) for col, field in PERSON_COLUMNS.items() if col != "Kode Wilayah"}
    person, perr = ppks.normalize_person(db, person_raw)
    for field, msg in perr.items():
        errors[COLUMN_OF[field]] = msg
    if not person.get("nama") and "Nama" not in errors:
        errors["Nama"] = "Nama wajib diisi"
    try:
        person["kode_wilayah"] = _area(db, state, values.get("Kode Wilayah")) or state["default_area"]
        if person["kode_wilayah"] is None:
            errors["Kode Wilayah"] = "Kode wilayah wajib diisi (kode kelurahan/desa atau kecamatan)"
    except ValueError as exc:
        errors["Kode Wilayah"] = str(exc)
    reg: dict[str, Any] = {}
    try:
        reg["kategori_kode"] = _kategori(db, state, values.get("Kategori PPKS"))
    except ValueError as exc:
        errors["Kategori PPKS"] = str(exc)
    sumber = _cell_text(values.get("Sumber Laporan"))
    if sumber is not None:
        cache = state.setdefault("sumber_cache", {})
        if sumber not in cache:
            cache[sumber] = ppks.sumber_code(db, sumber)
        sumber = cache[sumber]
    reg_raw = {"terlantar": values.get("Terlantar"), "tanggal_pendataan": values.get("Tanggal Pendataan")}
    if reg.get("kategori_kode") or "Kategori PPKS" in errors:
        clean, rerr = ppks.normalize_registration(db, reg_raw, require=False)
        reg.update(clean)
        reg["sumber_laporan"] = sumber
        for field, msg in rerr.items():
            errors[COLUMN_OF.get(field, field)] = msg
        if reg.get("tanggal_pendataan") and person.get("tanggal_lahir") \
                and reg["tanggal_pendataan"] < person["tanggal_lahir"] and "Tanggal Pendataan" not in errors:
            errors["Tanggal Pendataan"] = "Tanggal pendataan sebelum tanggal lahir"
    else:
        for col in ("Terlantar", "Tanggal Pendataan", "Sumber Laporan"):
            if _cell_text(values.get(col)):
                errors.setdefault("Kategori PPKS", f"Kategori PPKS wajib diisi bila kolom '{col}' diisi")
    if errors:
        raise ValidationError(errors)
    ket = _cell_text(values.get("Keterangan"))
    if ket:
        ket = " ".join(ket.split())
        if reg.get("kategori_kode"):
            reg["keterangan"] = ket
        else:
            person["keterangan"] = ket
    warnings: list[tuple[str, str]] = []
    if person.get("nik"):
        born = _dt.date.fromisoformat(person["tanggal_lahir"]) if person.get("tanggal_lahir") else None
        chk = check_nik(person["nik"], tanggal_lahir=born, jenis_kelamin=person.get("jenis_kelamin"),
                        kecamatan_dikenal=_kecamatan_known(db, state), today=state["today"])
        for w in chk.warnings:
            warnings.append(("NIK", w))
    return person, reg, warnings


def _match_without_nik(db, person: dict) -> dict | None:
    rows = db.execute(
        "SELECT id, nama, tanggal_lahir, alamat, kode_wilayah FROM orang "
        "WHERE nama = ? COLLATE NOCASE AND nik IS NULL AND deleted_at IS NULL ORDER BY id",
        [person["nama"]],
    ).fetchall()
    for rid, _nama, born, alamat, kode in rows:
        if person.get("tanggal_lahir") or born:
            if born == person.get("tanggal_lahir"):
                return records.get(db, "orang", rid)
        elif (alamat or "").lower() == (person.get("alamat") or "").lower() and kode == person.get("kode_wilayah"):
            return records.get(db, "orang", rid)
    return None


# After this many rows the living people are read once, by birth date, for the
# similar-name check (a query per row costs more on a 50,000-row file).
_BIRTH_CACHE_AFTER = 50


def _similar(db, state: dict, nama: str, born: str) -> dict | None:
    state["similar_checks"] = state.get("similar_checks", 0) + 1
    if state.get("by_birth") is None and state["similar_checks"] <= _BIRTH_CACHE_AFTER:
        found = ppks.similar_people(db, nama, born)
        return found[0] if found else None
    if state.get("by_birth") is None:
        # birth date -> [[nama, nik, temporary id, normalised name or None], ...] (lists: 150,000 of them)
        cache: dict[str, list[list]] = {}
        for n, nik, tmp, lahir in db.execute(
                "SELECT nama, nik, nik_sementara, tanggal_lahir FROM orang "
                "WHERE deleted_at IS NULL AND tanggal_lahir IS NOT NULL"):
            cache.setdefault(lahir, []).append([n, nik, tmp, None])
        state["by_birth"] = cache
    key = ppks._norm_name(nama)
    for other in state["by_birth"].get(born, ()):
        if other[3] is None:
            other[3] = ppks._norm_name(other[0])
        if ppks.names_similar(key, other[3]):
            return {"nama": other[0], "nik": other[1], "nik_sementara": other[2], "tanggal_lahir": born}
    return None


def _remember_birth(state: dict, person: dict) -> None:
    cache = state.get("by_birth")
    if cache is not None and person.get("tanggal_lahir"):
        cache.setdefault(person["tanggal_lahir"], []).append(
            [person["nama"], person.get("nik"), person.get("nik_sementara"), None])


def _apply_registration(db, orang_id: str, reg: dict, state: dict) -> bool:
    """Add the registration unless the person holds the category; fill its empty fields. True if changed."""
    if not reg.get("kategori_kode"):
        return False
    same = db.execute(
        "SELECT id, status, tanggal_tutup, sumber_laporan, keterangan FROM ppks "
        "WHERE orang_id = ? AND kategori_kode = ? AND deleted_at IS NULL ORDER BY tanggal_pendataan DESC, id DESC",
        [orang_id, reg["kategori_kode"]],
    ).fetchall()
    if same:
        rid, status, tutup, sumber, ket = same[0]
        reassessed = (status == "ditutup" and reg.get("tanggal_pendataan") and tutup
                      and reg["tanggal_pendataan"] > tutup)
        if not reassessed:
            fill = {}
            if not sumber and reg.get("sumber_laporan"):
                fill["sumber_laporan"] = reg["sumber_laporan"]
            if not ket and reg.get("keterangan"):
                fill["keterangan"] = reg["keterangan"]
            if fill:
                records.update(db, "ppks", rid, fill)
            return bool(fill)
    row = {k: reg.get(k) for k in ppks.REGISTRATION_FIELDS}
    row.update(orang_id=orang_id, status="aktif", terlantar=reg.get("terlantar") or 0,
               tanggal_pendataan=reg.get("tanggal_pendataan") or state["today"].isoformat(),
               petugas=state["operator"], alasan_tutup=None, tanggal_tutup=None)
    records.insert(db, "ppks", row)
    return True


def apply_row(db, values: dict[str, Any], state: dict) -> str:
    row_no = state.get("row_no")
    person, reg, warnings = _parse(db, values, state)
    nik = person.get("nik")
    if nik:
        first = state["seen_nik"].get(nik)
        if first is not None:
            raise RowError("NIK", f"NIK {nik} sudah ada di baris {first} berkas ini; baris ini tidak diimpor "
                                  "(satu orang satu baris)")
        state["seen_nik"][nik] = row_no
        existing = ppks.find_by_nik(db, nik)
    else:
        existing = _match_without_nik(db, person)
    if existing is None and person.get("tanggal_lahir"):
        s = _similar(db, state, person["nama"], person["tanggal_lahir"])
        if s:
            warnings.append(("Nama", f"mirip dengan {s['nama']} ({s['nik'] or s['nik_sementara']}) yang lahir "
                                     f"{tanggal(s['tanggal_lahir'])}; periksa apakah orang yang sama"))
    try:
        if existing is not None:
            fields = {k: v for k, v in person.items() if k != "nik"}
            changed = bool(ppks.fill_empty(db, existing["id"], fields))
            changed = _apply_registration(db, existing["id"], reg, state) or changed
            outcome = "imported" if changed else "unchanged"
        else:
            row = {k: person.get(k) for k in ppks.PERSON_FIELDS}
            if not nik:
                row["nik_sementara"] = ppks.make_nik_sementara(db)
            created = records.insert(db, "orang", row)
            _remember_birth(state, created)
            _apply_registration(db, created["id"], reg, state)
            outcome = "imported"
    except ValidationError:
        raise
    except KnownError as exc:  # e.g. a registration dated in a month already closed (db/periode.py)
        raise RowError("Tanggal Pendataan" if reg.get("kategori_kode") else None, exc.pesan) from exc
    if warnings:
        state.setdefault("row_warnings", []).extend(warnings)
    return outcome


# --------------------------------------------------------------------------- listing


def list_rows(db, period: str | None = None):
    """One row per living registration (people without one: one row, empty category)."""
    params: list = []
    where = "o.deleted_at IS NULL"
    if period:
        year, month = parse_period(period)
        start = f"{year:04d}-{month or 1:02d}-01"
        end = f"{year + 1:04d}-01-01" if month in (None, 12) else f"{year:04d}-{month + 1:02d}-01"
        where += " AND p.tanggal_pendataan >= ? AND p.tanggal_pendataan < ?"
        params += [start, end]
    join = "JOIN" if period else "LEFT JOIN"
    cur = db.execute(
        "SELECT o.id AS orang_id, p.id AS ppks_id, o.nik, o.nik_sementara, o.no_kk, o.nama, o.jenis_kelamin, "
        "o.tempat_lahir, o.tanggal_lahir, o.alamat, o.rt, o.rw, o.kode_wilayah, o.asal_luar, o.keterangan AS ket_orang, "
        "p.kategori_kode, p.terlantar, p.tanggal_pendataan, p.sumber_laporan, p.keterangan AS ket_ppks, p.status "
        f"FROM orang o {join} ppks p ON p.orang_id = o.id AND p.deleted_at IS NULL "
        f"WHERE {where} ORDER BY o.nama COLLATE NOCASE, o.id, p.tanggal_pendataan",
        params,
    )
    cols = [c[0] for c in cur.description]
    for values in cur:
        r = dict(zip(cols, values))
        yield {
            "id": r["ppks_id"] or r["orang_id"],
            "orang_id": r["orang_id"],
            "ppks_id": r["ppks_id"],
            "NIK": r["nik"],
            "ID Sementara": r["nik_sementara"],
            "No KK": r["no_kk"],
            "Nama": r["nama"],
            "Jenis Kelamin": r["jenis_kelamin"],
            "Tempat Lahir": r["tempat_lahir"],
            "Tanggal Lahir": tanggal(r["tanggal_lahir"]) or None,
            "Alamat": r["alamat"],
            "RT": r["rt"],
            "RW": r["rw"],
            "Kode Wilayah": r["kode_wilayah"],
            "Asal Luar": r["asal_luar"],
            "Kategori PPKS": r["kategori_kode"],
            "Terlantar": None if r["ppks_id"] is None else ("Ya" if r["terlantar"] else "Tidak"),
            "Tanggal Pendataan": tanggal(r["tanggal_pendataan"]) or None,
            "Sumber Laporan": ppks.sumber_label(db, r["sumber_laporan"]) or None,
            "Status": r["status"],
            "Keterangan": r["ket_ppks"] if r["ppks_id"] else r["ket_orang"],
        }


SPEC = ImportSpec(
    kind="ppks",
    title="Register PPKS",
    columns=COLUMNS,
    example=EXAMPLE,
    apply_row=apply_row,
    list_rows=list_rows,
    prepare=prepare,
    finish=finish,
)
