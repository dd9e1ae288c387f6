"""Services (layanan, DOMAIN.md §6): recording, checking, cancelling, distributions, lists.

A service is one sub-kegiatan of the national nomenclature delivered to one
registered person on one date, with a quantity in a unit, a value in whole
rupiah, a funding source, the officer and/or PSKS who delivered it, the
disaster event it answers (if any) and a note. Every service gets its receipt
(``db/kuitansi.py``) in the same transaction, so a number is never lost or
handed out twice.

Checks (``periksa``) are done for a whole batch at once (a distribution of 500
people costs a handful of queries, not 500 × N):

- errors (the record cannot be saved): unknown person; date missing, in the
  future, before the person's birth, in a month already closed, before the
  disaster; code unknown or not a service line (``ref_layanan.jenis`` must be
  ``layanan``); quantity not > 0; unknown unit or funding source; value not a
  whole rupiah amount (``1.5jt`` is refused); unknown PSKS or event; disaster
  aid (``ref_layanan.bencana = 1``: 1.06.06.2.01.*) without an event, or for a
  person who is not a victim of that event (table ``korban``); a per-household
  line (``per_kk``) for a person without No. KK.
- warnings (saved only with ``konfirmasi=True``; otherwise ``PerluKonfirmasi``
  is raised so the caller can ask): the person was deleted from the register;
  every registration of the person was closed before the date; the same
  service was already recorded for the person on that date.

Further checks plug in with ``register_validator`` (see ``Validator``).

Cancelling (``batalkan_layanan``) keeps the record and its receipt number:
the receipt then prints BATAL. Services are never deleted.

Pure Python + sqlite_utils: no Qt here.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from sqlite_utils import Database

from db import records, reference
from db.clock import today
from db.errors import KnownError, ValidationError
from db.ids import new_id
from db.indonesian import periode_label, tanggal as tanggal_pendek
from db.parsing import parse_date, parse_number, parse_rupiah

# Fields a caller may give; everything else (ids, stamps, status) is ours.
FIELDS = (
    "orang_id", "no_kk", "kode_layanan", "tanggal", "jumlah", "satuan", "nilai", "sumber_dana",
    "petugas", "psks_id", "bencana_id", "keterangan",
)
LAMA_TANGGAP_BAKU = 7
_CHUNK = 800  # ids per IN (...) query


class PerluKonfirmasi(KnownError):
    """The record is valid but something deserves a second look; save with ``konfirmasi=True``."""

    def __init__(self, warnings: list[str]):
        self.warnings = list(warnings)
        super().__init__("Perlu konfirmasi: " + "; ".join(self.warnings))


class DistribusiError(ValidationError):
    """Some recipients of a distribution cannot be recorded; ``per_orang`` says why (orang_id -> errors)."""

    def __init__(self, common: dict[str, str], per_orang: dict[str, dict[str, str]], nama: dict[str, str]):
        self.per_orang = per_orang
        self.nama = nama
        errors = dict(common)
        if per_orang:
            lines = [f"{nama.get(oid, oid)}: {'; '.join(errs.values())}" for oid, errs in per_orang.items()]
            shown = lines[:5] + ([f"… dan {len(lines) - 5} lainnya"] if len(lines) > 5 else [])
            errors["penerima"] = f"{len(per_orang)} penerima tidak dapat dicatat — " + " | ".join(shown)
        super().__init__(errors)


@dataclass
class Temuan:
    """What the checks found for one record: errors by field, and warnings."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# A validator sees the whole batch: ``(db, rows, temuan)`` where ``rows[i]`` is
# a cleaned record (keys of FIELDS plus ``_orang`` = the person row or None and
# ``_ref`` = the ref_layanan row) and ``temuan[i]`` collects its findings.
# Validators run only when the common fields (code, date, ...) are valid.
Validator = Callable[[Database, list[dict], list[Temuan]], None]
_VALIDATORS: list[Validator] = []


def register_validator(fn: Validator) -> Validator:
    """Add a check run on every service saved (usable as a decorator); idempotent."""
    if fn not in _VALIDATORS:
        _VALIDATORS.append(fn)
    return fn


def unregister_validator(fn: Validator) -> None:
    if fn in _VALIDATORS:
        _VALIDATORS.remove(fn)


# --------------------------------------------------------------------------- small lookups


def _norm(text: Any) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def _from_list(db: Database, daftar: str, value: Any) -> str | None:
    """The code of a ref_daftar list entry given its code or name (any case/punctuation)."""
    key = _norm(value)
    if not key:
        return None
    for kode, nama in reference.daftar(db, daftar):
        if key in (_norm(kode), _norm(nama)):
            return kode
    return None


def satuan_kode(db: Database, value: Any) -> str | None:
    """'Paket' / 'paket' / 'Orang/Kali' -> the unit code; None if unknown."""
    return _from_list(db, "satuan", value)


def sumber_dana_kode(db: Database, value: Any) -> str | None:
    """'APBN' / 'APBN/Kemensos' / 'apbd kab/kota' -> the funding-source code; None if unknown."""
    code = _from_list(db, "sumber_dana", value)
    if code is None:
        # Common short forms: 'APBD Kota', 'APBD Kabupaten', 'APBD Prov', 'CSR'
        key = _norm(value)
        for kode, nama in reference.daftar(db, "sumber_dana"):
            if key and (_norm(nama).startswith(key) or key.startswith(_norm(kode).replace("_", ""))):
                return kode
    return code


def layanan_jasa(db: Database) -> list[dict]:
    """The sub-kegiatan that are recorded as services (jenis 'layanan'), in reporting order."""
    return reference.layanan_list(db, "layanan")


def akhir_masa_tanggap(tanggal: str, lama: int | None) -> _dt.date:
    """Last day (inclusive) of an event's emergency window: event day + ``lama`` days (same rule as db/bencana)."""
    return _dt.date.fromisoformat(str(tanggal)[:10]) + _dt.timedelta(days=int(lama or LAMA_TANGGAP_BAKU))


def bulan_ditutup(db: Database, tanggal: str) -> bool:
    """Whether the month of ``tanggal`` was closed (reported to the Dinas)."""
    row = db.execute("SELECT ditutup FROM periode_tutup WHERE periode = ?", [str(tanggal)[:7]]).fetchone()
    return bool(row and row[0])


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _dicts(cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def _orang_rows(db: Database, ids: Sequence[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for part in _chunks(list(ids)):
        marks = ",".join("?" * len(part))
        for r in _dicts(db.execute(
            f"SELECT id, nama, nik, nik_sementara, no_kk, tanggal_lahir, alamat, rt, rw, kode_wilayah, "
            f"deleted_at, delete_reason FROM orang WHERE id IN ({marks})", list(part))):
            out[r["id"]] = r
    return out


# --------------------------------------------------------------------------- checking


@dataclass
class Pemeriksaan:
    """Result of checking a batch: common errors, per-record findings, cleaned rows."""

    common: dict[str, str]
    rows: list[dict]
    temuan: list[Temuan]

    @property
    def ok(self) -> bool:
        return not self.common and not any(t.errors for t in self.temuan)

    @property
    def warnings(self) -> list[str]:
        return [w for t in self.temuan for w in t.warnings]


def _clean_common(db: Database, values: dict[str, Any]) -> tuple[dict, dict[str, str], dict | None]:
    """Check the fields shared by every recipient; returns (clean, errors, ref_layanan row)."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}

    raw_kode = values.get("kode_layanan")
    ref = None
    if raw_kode is None or not str(raw_kode).strip():
        errors["kode_layanan"] = "Kode layanan (sub-kegiatan) wajib diisi"
    else:
        ref = reference.layanan(db, raw_kode)
        if ref is None:
            errors["kode_layanan"] = f"Kode layanan '{str(raw_kode).strip()}' tidak dikenal"
        elif ref["jenis"] != "layanan":
            why = {
                "kegiatan_psks": "dihitung dari kegiatan PSKS",
                "pendataan": "dihitung dari register PPKS",
                "izin": "bukan layanan kepada penerima",
            }.get(ref["jenis"], "bukan layanan")
            errors["kode_layanan"] = f"{ref['kode']} {ref['nama']} bukan layanan yang dicatat per penerima ({why})"
            ref = None
        else:
            clean["kode_layanan"] = ref["kode"]

    try:
        tgl = parse_date(values.get("tanggal"))
    except ValueError as exc:
        errors["tanggal"] = str(exc)[:1].upper() + str(exc)[1:]
        tgl = None
    else:
        if tgl is None:
            errors["tanggal"] = "Tanggal layanan wajib diisi"
        elif tgl > today():
            errors["tanggal"] = f"Tanggal layanan {tgl.strftime('%d/%m/%Y')} belum terjadi (di masa depan)"
        elif bulan_ditutup(db, tgl.isoformat()):
            errors["tanggal"] = (f"Bulan {periode_label(tgl.isoformat()[:7])} sudah ditutup (sudah dilaporkan "
                                 "ke Dinas); buka kembali bulan itu untuk menambah layanan")
        else:
            clean["tanggal"] = tgl.isoformat()

    raw_jumlah = values.get("jumlah", 1)
    try:
        jumlah = parse_number(raw_jumlah)
    except ValueError as exc:
        errors["jumlah"] = str(exc)[:1].upper() + str(exc)[1:]
    else:
        if jumlah is None:
            jumlah = 1.0
        if jumlah <= 0:
            errors["jumlah"] = "Jumlah harus lebih dari 0"
        else:
            clean["jumlah"] = int(jumlah) if float(jumlah).is_integer() else float(jumlah)

    raw_satuan = values.get("satuan")
    if raw_satuan is None or not str(raw_satuan).strip():
        if ref is not None:
            clean["satuan"] = ref["satuan_default"]
    else:
        kode = satuan_kode(db, raw_satuan)
        if kode is None:
            pilihan = ", ".join(n for _k, n in reference.daftar(db, "satuan"))
            errors["satuan"] = f"Satuan '{raw_satuan}' tidak dikenal (pilih: {pilihan})"
        else:
            clean["satuan"] = kode

    try:
        nilai = parse_rupiah(values.get("nilai"))
    except ValueError as exc:
        errors["nilai"] = str(exc)[:1].upper() + str(exc)[1:]
    else:
        clean["nilai"] = nilai or 0

    raw_dana = values.get("sumber_dana")
    if raw_dana is not None and str(raw_dana).strip():
        kode = sumber_dana_kode(db, raw_dana)
        if kode is None:
            pilihan = ", ".join(n for _k, n in reference.daftar(db, "sumber_dana"))
            errors["sumber_dana"] = f"Sumber dana '{raw_dana}' tidak dikenal (pilih: {pilihan})"
        else:
            clean["sumber_dana"] = kode
    else:
        clean["sumber_dana"] = None

    petugas = values.get("petugas")
    clean["petugas"] = str(petugas).strip() or None if petugas is not None else None
    ket = values.get("keterangan")
    clean["keterangan"] = str(ket).strip() or None if ket is not None else None

    psks_id = values.get("psks_id") or None
    if psks_id:
        row = db.execute("SELECT nama, deleted_at FROM psks WHERE id = ?", [psks_id]).fetchone()
        if row is None or row[1]:
            errors["psks_id"] = "PSKS yang dipilih tidak ada di register PSKS"
    clean["psks_id"] = psks_id

    bencana_id = values.get("bencana_id") or None
    clean["bencana_id"] = bencana_id
    clean["terlambat"] = 0
    if bencana_id:
        ev = records.get(db, "bencana", bencana_id)
        if ev is None or ev["deleted_at"]:
            errors["bencana_id"] = "Kejadian bencana yang dipilih tidak ada"
        elif "tanggal" in clean:
            if clean["tanggal"] < ev["tanggal"]:
                errors["tanggal"] = (f"Tanggal layanan sebelum kejadian bencana "
                                     f"({tanggal_pendek(ev['tanggal'])})")
            elif _dt.date.fromisoformat(clean["tanggal"]) > akhir_masa_tanggap(ev["tanggal"], ev["lama_tanggap_darurat"]):
                clean["terlambat"] = 1
    elif ref is not None and ref["bencana"]:
        errors["bencana_id"] = (f"{ref['kode']} adalah bantuan korban bencana: pilih kejadian bencananya "
                                "(isi Kode Kejadian)")
    return clean, errors, ref


def _check_people(db: Database, clean: dict, ref: dict, rows: list[dict], temuan: list[Temuan],
                  people: dict[str, dict]) -> None:
    tanggal = clean["tanggal"]
    for row, t in zip(rows, temuan):
        orang = people.get(row["orang_id"]) if row["orang_id"] else None
        row["_orang"] = orang
        if orang is None:
            t.errors["orang_id"] = "Penerima tidak ditemukan di register" if row["orang_id"] else "Pilih penerima"
            continue
        if orang["deleted_at"]:
            alasan = f" (alasan: {orang['delete_reason']})" if orang.get("delete_reason") else ""
            t.warnings.append(f"{orang['nama']} sudah dihapus dari register{alasan}")
        if orang["tanggal_lahir"] and tanggal < orang["tanggal_lahir"]:
            t.errors["tanggal"] = (f"Tanggal layanan sebelum tanggal lahir {orang['nama']} "
                                   f"({tanggal_pendek(orang['tanggal_lahir'])})")
        if ref["per_kk"]:
            if not row.get("no_kk"):
                row["no_kk"] = orang["no_kk"]
            if not row.get("no_kk"):
                t.errors["no_kk"] = f"{ref['kode']} diberikan per keluarga: {orang['nama']} belum punya No. KK"

    ids = [r["orang_id"] for r, t in zip(rows, temuan) if r["_orang"] is not None]
    if not ids:
        return
    # Registrations all closed before the date.
    closed: dict[str, tuple[int, int, str | None, str | None]] = {}
    for part in _chunks(ids):
        marks = ",".join("?" * len(part))
        for oid, total, before, last, alasan in db.execute(
            "SELECT orang_id, count(*), sum(status = 'ditutup' AND tanggal_tutup < ?), max(tanggal_tutup), "
            f"max(alasan_tutup) FROM ppks WHERE deleted_at IS NULL AND orang_id IN ({marks}) GROUP BY orang_id",
            [tanggal, *part],
        ):
            closed[oid] = (total, before or 0, last, alasan)
    # The same service already recorded on that date.
    same: dict[str, str] = {}
    for part in _chunks(ids):
        marks = ",".join("?" * len(part))
        for oid, nomor in db.execute(
            "SELECT l.orang_id, k.nomor FROM layanan l LEFT JOIN kuitansi k ON k.layanan_id = l.id "
            f"WHERE l.deleted_at IS NULL AND l.status = 'aktif' AND l.kode_layanan = ? AND l.tanggal = ? "
            f"AND l.orang_id IN ({marks})",
            [clean["kode_layanan"], tanggal, *part],
        ):
            same[oid] = nomor or ""
    for row, t in zip(rows, temuan):
        orang = row["_orang"]
        if orang is None:
            continue
        info = closed.get(orang["id"])
        if info and info[0] and info[0] == info[1]:
            alasan = reference.daftar_nama(db, "alasan_tutup", info[3]) or info[3]
            why = f", {alasan.lower()}" if alasan else ""
            t.warnings.append(f"Semua registrasi PPKS {orang['nama']} sudah ditutup sebelum tanggal layanan "
                              f"(ditutup {tanggal_pendek(info[2])}{why})")
        if orang["id"] in same:
            nomor = f" (kuitansi {same[orang['id']]})" if same[orang["id"]] else ""
            t.warnings.append(f"{orang['nama']} sudah menerima layanan ini pada tanggal yang sama{nomor}")


@register_validator
def cek_korban_bencana(db: Database, rows: list[dict], temuan: list[Temuan]) -> None:
    """Disaster aid (ref_layanan.bencana = 1) only for victims of the chosen event (table korban)."""
    todo = [(r, t) for r, t in zip(rows, temuan)
            if r["_ref"]["bencana"] and r.get("bencana_id") and r["_orang"] is not None]
    if not todo:
        return
    bencana_id = todo[0][0]["bencana_id"]
    ids = [r["orang_id"] for r, _t in todo]
    victims: set[str] = set()
    for part in _chunks(ids):
        marks = ",".join("?" * len(part))
        victims.update(oid for (oid,) in db.execute(
            f"SELECT orang_id FROM korban WHERE bencana_id = ? AND deleted_at IS NULL AND orang_id IN ({marks})",
            [bencana_id, *part]))
    for r, t in todo:
        if r["orang_id"] not in victims:
            t.errors["bencana_id"] = (f"{r['_orang']['nama']} bukan korban terdaftar kejadian bencana ini; "
                                      "daftarkan dulu sebagai korban")


def periksa(db: Database, values: dict[str, Any], orang_ids: Sequence[str] | None = None) -> Pemeriksaan:
    """Check a service for one person (``values['orang_id']``) or for each of ``orang_ids``.

    Nothing is written. ``rows`` holds the cleaned records (without id) in the
    order of the recipients.
    """
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise KnownError(f"Kolom layanan tidak dikenal: {', '.join(sorted(unknown))}")
    ids = list(orang_ids) if orang_ids is not None else [values.get("orang_id")]
    clean, common, ref = _clean_common(db, values)
    rows = []
    for oid in ids:
        row = {k: clean.get(k) for k in clean}
        row["orang_id"] = oid or None
        row["no_kk"] = values.get("no_kk") or None
        row["_ref"] = ref
        row["_orang"] = None
        rows.append(row)
    temuan = [Temuan() for _ in rows]
    if common:
        return Pemeriksaan(common, rows, temuan)
    people = _orang_rows(db, [i for i in ids if i])
    _check_people(db, clean, ref, rows, temuan, people)
    for fn in list(_VALIDATORS):
        fn(db, rows, temuan)
    return Pemeriksaan(common, rows, temuan)


# --------------------------------------------------------------------------- writing

_STORED = ("orang_id", "no_kk", "kode_layanan", "tanggal", "jumlah", "satuan", "nilai", "sumber_dana",
           "petugas", "psks_id", "bencana_id", "terlambat", "keterangan")


def _to_record(row: dict, distribusi_id: str | None) -> dict:
    rec = {k: row.get(k) for k in _STORED}
    rec["distribusi_id"] = distribusi_id
    rec["status"] = "aktif"
    return rec


def catat_layanan(db: Database, values: dict[str, Any] | None = None, *, konfirmasi: bool = False,
                  **kwargs: Any) -> dict:
    """Record one service and its receipt; returns the layanan row with ``kuitansi`` (the receipt row).

    ``values`` (or keyword arguments) use the names of FIELDS; raw text is
    accepted (``'17/08/2026'``, ``'Rp 1.500.000'``, ``'Paket'``, ``'APBN'``,
    ``'1.06.04.2.01.01'``). Raises ValidationError (field -> message) or,
    without ``konfirmasi``, PerluKonfirmasi with the warnings.
    """
    from db import kuitansi

    values = {**(values or {}), **kwargs}
    check = periksa(db, values)
    errors = {**check.common, **check.temuan[0].errors}
    if errors:
        raise ValidationError(errors)
    if check.warnings and not konfirmasi:
        raise PerluKonfirmasi(check.warnings)
    with db.atomic():
        rec = records.insert(db, "layanan", _to_record(check.rows[0], None))
        rec["kuitansi"] = kuitansi.buat_kuitansi(db, [rec])[0]
    return rec


@dataclass
class HasilDistribusi:
    distribusi_id: str
    layanan: list[dict]
    kuitansi: list[dict]
    warnings: list[str]

    @property
    def layanan_ids(self) -> list[str]:
        return [r["id"] for r in self.layanan]


def periksa_distribusi(db: Database, orang_ids: Sequence[str], values: dict[str, Any]) -> Pemeriksaan:
    """Check a distribution without writing (for the confirmation step)."""
    ids = list(dict.fromkeys(i for i in orang_ids if i))
    return periksa(db, {k: v for k, v in values.items() if k != "orang_id"}, ids)


def catat_distribusi(db: Database, orang_ids: Sequence[str], values: dict[str, Any], *,
                     konfirmasi: bool = False) -> HasilDistribusi:
    """The same service to many people in ONE transaction, one receipt each, sharing a ``distribusi_id``.

    All or nothing: when any recipient fails a check, DistribusiError names
    them and nothing is written. Duplicate ids are recorded once.
    """
    from db import kuitansi

    ids = list(dict.fromkeys(i for i in orang_ids if i))
    if not ids:
        raise ValidationError({"penerima": "Pilih minimal satu penerima"})
    check = periksa_distribusi(db, ids, values)
    per_orang = {r["orang_id"]: t.errors for r, t in zip(check.rows, check.temuan) if t.errors}
    if check.common or per_orang:
        names = {r["orang_id"]: (r["_orang"] or {}).get("nama", r["orang_id"]) for r in check.rows}
        raise DistribusiError(check.common, per_orang, names)
    if check.warnings and not konfirmasi:
        raise PerluKonfirmasi(check.warnings)
    distribusi_id = new_id()
    with db.atomic():
        rows = records.insert_many(db, "layanan", [_to_record(r, distribusi_id) for r in check.rows])
        kw = kuitansi.buat_kuitansi(db, rows)
    return HasilDistribusi(distribusi_id, rows, kw, check.warnings)


def batalkan_layanan(db: Database, layanan_id: str, alasan: str) -> dict:
    """Cancel a service: status 'batal' with reason and date; the receipt keeps its number (prints BATAL)."""
    if not alasan or not str(alasan).strip():
        raise ValidationError({"alasan_batal": "Alasan pembatalan wajib diisi"})
    row = records.get(db, "layanan", layanan_id)
    if row is None or row["deleted_at"]:
        raise KnownError("Layanan tidak ditemukan.")
    if row["status"] == "batal":
        raise KnownError("Layanan ini sudah dibatalkan.")
    if bulan_ditutup(db, row["tanggal"]):
        raise KnownError(f"Bulan {periode_label(row['tanggal'][:7])} sudah ditutup (sudah dilaporkan ke Dinas); "
                         "buka kembali bulan itu untuk membatalkan layanan.")
    return records.update(db, "layanan", layanan_id, {
        "status": "batal", "alasan_batal": str(alasan).strip(), "tanggal_batal": today().isoformat(),
    })


def batalkan_distribusi(db: Database, distribusi_id: str, alasan: str) -> int:
    """Cancel every active service of a distribution (one transaction); returns how many."""
    ids = [r[0] for r in db.execute(
        "SELECT id FROM layanan WHERE distribusi_id = ? AND status = 'aktif' AND deleted_at IS NULL",
        [distribusi_id])]
    with db.atomic():
        for lid in ids:
            batalkan_layanan(db, lid, alasan)
    return len(ids)


# --------------------------------------------------------------------------- reading

_SELECT = """
SELECT l.*, o.nama AS nama, o.nik AS nik, o.nik_sementara AS nik_sementara, o.tanggal_lahir AS tanggal_lahir,
       o.alamat AS alamat, o.rt AS rt, o.rw AS rw, o.kode_wilayah AS orang_wilayah,
       r.nama AS layanan_nama, r.program_nama AS program_nama, r.kegiatan_kode AS kegiatan_kode,
       sd.nama AS sumber_dana_nama, st.nama AS satuan_nama,
       k.nomor AS nomor_kuitansi, k.jumlah_cetak AS jumlah_cetak,
       b.kode_kejadian AS kode_kejadian, ps.nama AS psks_nama
FROM layanan l
LEFT JOIN orang o ON o.id = l.orang_id
LEFT JOIN ref_layanan r ON r.kode = l.kode_layanan
LEFT JOIN ref_daftar sd ON sd.daftar = 'sumber_dana' AND sd.kode = l.sumber_dana
LEFT JOIN ref_daftar st ON st.daftar = 'satuan' AND st.kode = l.satuan
LEFT JOIN kuitansi k ON k.layanan_id = l.id
LEFT JOIN bencana b ON b.id = l.bencana_id
LEFT JOIN psks ps ON ps.id = l.psks_id
"""

SORT_KEYS = {
    "tanggal": "l.tanggal", "nama": "o.nama COLLATE NOCASE", "nik": "o.nik", "kode_layanan": "l.kode_layanan",
    "layanan_nama": "r.nama", "jumlah": "l.jumlah", "satuan": "l.satuan", "nilai": "l.nilai",
    "sumber_dana": "l.sumber_dana", "sumber_dana_nama": "sd.nama", "petugas": "l.petugas",
    "nomor_kuitansi": "k.urut", "status": "l.status", "kode_kejadian": "b.kode_kejadian",
    "created_at": "l.created_at",
}


def _period_range(periode: str) -> tuple[str, str]:
    from db.parsing import parse_period

    try:
        year, month = parse_period(periode)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    if month is None:
        return f"{year:04d}-01-01", f"{year + 1:04d}-01-01"
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}-01", f"{nxt[0]:04d}-{nxt[1]:02d}-01"


def _filters(*, orang_id=None, periode=None, kode_layanan=None, sumber_dana=None, bencana_id=None,
             distribusi_id=None, status=None, cari=None, psks_id=None, include_deleted=False) -> tuple[str, list]:
    clauses, params = [], []
    if not include_deleted:
        clauses.append("l.deleted_at IS NULL")
    if orang_id:
        clauses.append("l.orang_id = ?")
        params.append(orang_id)
    if periode:
        start, end = _period_range(periode)
        clauses.append("l.tanggal >= ? AND l.tanggal < ?")
        params += [start, end]
    if kode_layanan:
        norm = reference.normalize_kode_layanan(kode_layanan)
        if norm:
            clauses.append("l.kode_layanan = ?")
            params.append(norm)
        else:  # a program or kegiatan prefix such as '1.06.04.2.01'
            clauses.append("l.kode_layanan LIKE ?")
            params.append(str(kode_layanan).strip().rstrip(".") + ".%")
    if sumber_dana:
        clauses.append("l.sumber_dana = ?")
        params.append(sumber_dana)
    if bencana_id:
        clauses.append("l.bencana_id = ?")
        params.append(bencana_id)
    if distribusi_id:
        clauses.append("l.distribusi_id = ?")
        params.append(distribusi_id)
    if psks_id:
        clauses.append("l.psks_id = ?")
        params.append(psks_id)
    if status:
        clauses.append("l.status = ?")
        params.append(status)
    if cari and str(cari).strip():
        text = str(cari).strip()
        digits = re.sub(r"\D", "", text)
        if digits and len(digits) == len(re.sub(r"[\s.]", "", text)):
            clauses.append("(o.nik LIKE ? OR k.nomor LIKE ?)")
            params += [digits + "%", f"%{digits}%"]
        else:
            clauses.append("(o.nama LIKE ? OR k.nomor LIKE ? OR l.petugas LIKE ?)")
            params += [f"%{text}%", f"%{text}%", f"%{text}%"]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def daftar_layanan(db: Database, *, offset: int = 0, limit: int | None = None, urut: str | None = None,
                   turun: bool = False, **filters: Any) -> list[dict]:
    """Services with person, catalogue, funding and receipt names, newest first by default.

    Filters: ``orang_id``, ``periode`` ('YYYY-MM' or 'YYYY'), ``kode_layanan``
    (a sub-kegiatan code in either form, or a kegiatan/program prefix),
    ``sumber_dana`` (code), ``bencana_id``, ``distribusi_id``, ``psks_id``,
    ``status`` ('aktif'/'batal'), ``cari`` (name, NIK prefix, receipt number,
    officer). Paged in SQL with ``offset``/``limit``; ``urut`` is a key of SORT_KEYS.
    """
    where, params = _filters(**filters)
    if urut in SORT_KEYS:
        order = f"{SORT_KEYS[urut]} {'DESC' if turun else 'ASC'}, l.id {'DESC' if turun else 'ASC'}"
    else:
        order = "l.tanggal DESC, l.id DESC"
    sql = _SELECT + where + f" ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    return _dicts(db.execute(sql, params))


def hitung_layanan(db: Database, **filters: Any) -> int:
    where, params = _filters(**filters)
    return db.execute(
        "SELECT count(*) FROM layanan l LEFT JOIN orang o ON o.id = l.orang_id "
        "LEFT JOIN kuitansi k ON k.layanan_id = l.id" + where, params).fetchone()[0]


def ringkasan_layanan(db: Database, **filters: Any) -> dict:
    """Totals of the (active) services matching the filters: count, distinct recipients, value."""
    filters = {**filters, "status": filters.get("status") or "aktif"}
    where, params = _filters(**filters)
    n, penerima, nilai = db.execute(
        "SELECT count(*), count(DISTINCT l.orang_id), coalesce(sum(l.nilai), 0) FROM layanan l "
        "LEFT JOIN orang o ON o.id = l.orang_id LEFT JOIN kuitansi k ON k.layanan_id = l.id" + where,
        params).fetchone()
    return {"jumlah_layanan": n, "penerima": penerima, "nilai": nilai}


def get_layanan(db: Database, layanan_id: str) -> dict | None:
    """One service with the same joined names as ``daftar_layanan`` (deleted ones too)."""
    rows = _dicts(db.execute(_SELECT + " WHERE l.id = ?", [layanan_id]))
    return rows[0] if rows else None


def periode_tersedia(db: Database) -> list[str]:
    """Months ('YYYY-MM') that have services, newest first."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT substr(tanggal, 1, 7) AS p FROM layanan WHERE deleted_at IS NULL ORDER BY p DESC")]


def layanan_distribusi(db: Database, distribusi_id: str) -> list[str]:
    """Ids of the services of one distribution, in recording order."""
    return [r[0] for r in db.execute(
        "SELECT l.id FROM layanan l LEFT JOIN kuitansi k ON k.layanan_id = l.id "
        "WHERE l.distribusi_id = ? AND l.deleted_at IS NULL ORDER BY k.urut, l.id", [distribusi_id])]


# --------------------------------------------------------------------------- choosing recipients


def cari_penerima(db: Database, teks: str, limit: int = 20, *, include_deleted: bool = False) -> list[dict]:
    """People for a picker (the register's search: name words, NIK/No. KK prefix, temporary id)."""
    from db.ppks import PpksFilter, search_people

    if not (teks or "").strip():
        return []
    return search_people(db, PpksFilter(text=teks, include_deleted=include_deleted), limit=limit)


def calon_penerima(db: Database, *, kategori: str | None = None, kelompok_spm: str | None = None,
                   rt: str | None = None, rw: str | None = None, cari: str | None = None,
                   bencana_id: str | None = None, hanya_aktif: bool = True, limit: int | None = 5000) -> list[dict]:
    """People a distribution may go to, with their PPKS categories.

    Default: people with at least one active (not closed) registration.
    ``kategori`` (children included: '9' finds '9a'), ``kelompok_spm``,
    ``rt``/``rw``, ``cari`` (name or NIK prefix) narrow it; ``bencana_id``
    lists that event's victims instead (registered or not).
    """
    clauses = ["o.deleted_at IS NULL"]
    params: list[Any] = []
    if bencana_id:
        clauses.append("o.id IN (SELECT orang_id FROM korban WHERE bencana_id = ? AND deleted_at IS NULL)")
        params.append(bencana_id)
    reg = ["p.orang_id = o.id", "p.deleted_at IS NULL"]
    reg_params: list[Any] = []
    if hanya_aktif:
        reg.append("p.status <> 'ditutup'")
    if kategori:
        reg.append("(p.kategori_kode = ? OR p.kategori_kode IN (SELECT kode FROM ref_ppks_kategori WHERE induk = ?))")
        reg_params += [kategori, kategori]
    if kelompok_spm:
        reg.append("p.kategori_kode IN (SELECT kode FROM ref_ppks_kategori WHERE spm_kelompok = ? "
                   "AND (butuh_terlantar = 0 OR p.terlantar = 1))")
        reg_params.append(kelompok_spm)
    if not bencana_id or kategori or kelompok_spm:
        clauses.append("EXISTS (SELECT 1 FROM ppks p WHERE " + " AND ".join(reg) + ")")
        params += reg_params
    if rt:
        clauses.append("ltrim(o.rt, '0') = ltrim(?, '0')")
        params.append(str(rt).strip())
    if rw:
        clauses.append("ltrim(o.rw, '0') = ltrim(?, '0')")
        params.append(str(rw).strip())
    if cari and str(cari).strip():
        text = str(cari).strip()
        compact = re.sub(r"[\s.]", "", text)
        if compact.isdigit():
            clauses.append("o.nik LIKE ?")
            params.append(compact + "%")
        else:
            clauses.append("(o.nama LIKE ? OR o.alamat LIKE ?)")
            params += [f"%{text}%", f"%{text}%"]
    sql = (
        "SELECT o.id, o.nama, o.nik, o.nik_sementara, o.tanggal_lahir, o.jenis_kelamin, o.alamat, o.rt, o.rw, "
        "(SELECT group_concat(kategori_kode, ', ') FROM (SELECT DISTINCT p.kategori_kode FROM ppks p "
        " WHERE p.orang_id = o.id AND p.deleted_at IS NULL AND p.status <> 'ditutup')) AS kategori "
        "FROM orang o WHERE " + " AND ".join(clauses) + " ORDER BY o.nama COLLATE NOCASE, o.id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return _dicts(db.execute(sql, params))


def bencana_pilihan(db: Database, limit: int = 200) -> list[dict]:
    """Living disaster events for a picker, newest first: id, kode_kejadian, tanggal, jenis name, place."""
    return _dicts(db.execute(
        "SELECT b.id, b.kode_kejadian, b.tanggal, b.lokasi, b.kode_wilayah, b.lama_tanggap_darurat, "
        "j.nama AS jenis_nama FROM bencana b LEFT JOIN ref_bencana_jenis j ON j.kode = b.jenis_kode "
        "WHERE b.deleted_at IS NULL ORDER BY b.tanggal DESC, b.id DESC LIMIT ?", [limit]))
