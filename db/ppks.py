"""The PPKS register: people (``orang``) and their registrations (``ppks``).

DOMAIN.md §2-4. Everything the person form, the list, the importer and the
CLI do with people goes through these functions:

- ``check_person`` cleans and validates what the user typed and says what is
  wrong (errors: cannot be saved), what looks odd (warnings: NIK does not
  match the birth date, sex or a known kecamatan; a similar name with the same
  birth date is already registered) and whether the NIK is already in the
  database (``duplicate``: the form opens that person instead of a twin).
- ``save_person`` writes a person (and optionally their registrations) in one
  transaction; it refuses errors, refuses a duplicate NIK and refuses warnings
  unless ``confirm_warnings``.
- People without an NIK get a temporary id (``nik_sementara``) from a counter
  that never goes down, so an id is never handed out twice.
- Deletion is soft with a reason, can be undone, and every change is in the
  audit trail (``person_history``).
- ``search_people`` / ``count_people`` serve the list: FTS5 over names and
  addresses, index ranges over NIK / No. KK prefixes, filters, SQL paging.

Pure Python + sqlite-utils; no Qt here.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlite_utils import Database

from db import records, reference
from db.clock import today
from db.errors import KnownError, ValidationError
from db.indonesian import tanggal
from db.nik import check_nik
from db.parsing import clean_digits, parse_date, parse_yes_no

PERSON_FIELDS = (
    "nik", "no_kk", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "alamat", "rt", "rw",
    "kode_wilayah", "asal_luar", "telepon", "status_dtks", "desil", "jenis_disabilitas", "keterangan",
)
REGISTRATION_FIELDS = (
    "kategori_kode", "terlantar", "tanggal_pendataan", "sumber_laporan", "petugas", "status",
    "alasan_tutup", "tanggal_tutup", "keterangan",
)
STATUSES = ("aktif", "tertangani", "ditutup")

# What the user sees for each column (form labels, history, error messages).
LABELS = {
    "nik": "NIK", "nik_sementara": "ID sementara", "no_kk": "No KK", "nama": "Nama",
    "jenis_kelamin": "Jenis kelamin", "tempat_lahir": "Tempat lahir", "tanggal_lahir": "Tanggal lahir",
    "alamat": "Alamat", "rt": "RT", "rw": "RW", "kode_wilayah": "Wilayah", "asal_luar": "Asal (luar wilayah)",
    "telepon": "Telepon", "status_dtks": "Status DTKS/DTSEN", "desil": "Desil", "jenis_disabilitas": "Jenis disabilitas",
    "keterangan": "Keterangan", "kategori_kode": "Kategori PPKS", "terlantar": "Terlantar",
    "tanggal_pendataan": "Tanggal pendataan", "sumber_laporan": "Sumber laporan", "petugas": "Petugas",
    "status": "Status", "alasan_tutup": "Alasan penutupan", "tanggal_tutup": "Tanggal penutupan",
    "deleted_at": "Dihapus", "delete_reason": "Alasan hapus",
}

TEMP_ID_PREFIX = "SMT"
_MIN_YEAR = 1900


class DuplicateNikError(KnownError):
    """The NIK already belongs to a living person: open that person instead."""

    def __init__(self, existing: dict):
        self.existing = existing
        super().__init__(
            f"NIK {existing['nik']} sudah terdaftar atas nama {existing['nama']}. "
            "Buka data orang tersebut; jangan membuat data kembar."
        )


class NeedsConfirmation(KnownError):
    """Saving is possible, but the user must first accept these warnings."""

    def __init__(self, warnings: dict[str, str]):
        self.warnings = dict(warnings)
        super().__init__("Periksa peringatan: " + "; ".join(self.warnings.values()))


@dataclass
class PersonCheck:
    values: dict[str, Any]  # cleaned values (only the fields that were given)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    duplicate: dict | None = None  # living person with the same NIK
    similar: list[dict] = field(default_factory=list)  # similar name + same birth date

    @property
    def ok(self) -> bool:
        return not self.errors and self.duplicate is None


# --------------------------------------------------------------------------- small readers


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


_SEX = {"l": "L", "lk": "L", "laki": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L",
        "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "w": "P", "f": "P"}


def parse_sex(value) -> str | None:
    text = _text(value)
    if text is None:
        return None
    sex = _SEX.get(text.lower())
    if sex is None:
        raise ValueError(f"'{text}' bukan jenis kelamin (tulis L atau P)")
    return sex


def _rt_rw(value, label: str) -> str | None:
    text = _text(value)
    if text is None:
        return None
    digits = text.lstrip("0") or "0"
    if not text.isdigit() or len(digits) > 3:
        raise ValueError(f"{label} harus angka, paling banyak 3 digit (mis. 003)")
    return digits.zfill(3)


def _list_code(db: Database, daftar: str, value, label: str) -> str | None:
    """A code of one ``ref_daftar`` list from its code or its name (case-insensitive)."""
    text = _text(value)
    if text is None:
        return None
    low = text.lower()
    for kode, nama in reference.daftar(db, daftar):
        if low in (kode.lower(), nama.lower()):
            return kode
    pilihan = ", ".join(n for _k, n in reference.daftar(db, daftar))
    raise ValueError(f"'{text}' bukan {label} yang dikenal (pilih: {pilihan})")


def sumber_code(db: Database, value) -> str | None:
    """A known source of report becomes its code; other text is kept as typed."""
    text = _text(value)
    if text is None:
        return None
    low = text.lower()
    for kode, nama in reference.daftar(db, "sumber_laporan"):
        if low in (kode.lower(), nama.lower()):
            return kode
    return text


def sumber_label(db: Database, value: str | None) -> str:
    if not value:
        return ""
    return reference.daftar_nama(db, "sumber_laporan", value) or value


def _date(value, label: str, *, not_future: bool = True) -> _dt.date | None:
    d = parse_date(value)
    if d is None:
        return None
    if d.year < _MIN_YEAR:
        raise ValueError(f"{label} {tanggal(d)} tidak mungkin (sebelum tahun {_MIN_YEAR})")
    if not_future and d > today():
        raise ValueError(f"{label} {tanggal(d)} ada di masa depan")
    return d


def area_error(db: Database, raw) -> str:
    """The message for an unknown or unusable area code, with the closest matches."""
    text = str(raw).strip()
    saran = reference.closest_wilayah(db, text, limit=5)
    saran = [s for s in saran if s["tingkat"] in (3, 4)] or saran
    extra = ""
    if saran:
        extra = " Mungkin maksud Anda: " + "; ".join(f"{s['kode']} {s['nama']}" for s in saran[:5]) + "."
    return f"kode wilayah '{text}' tidak dikenal.{extra}"


def parse_area(db: Database, value) -> str | None:
    """A kelurahan/desa or kecamatan code (dotted form); ValueError otherwise."""
    text = _text(value)
    if text is None:
        return None
    norm = reference.normalize_kode_wilayah(text)
    row = reference.wilayah(db, norm) if norm else None
    if row is None:
        raise ValueError(area_error(db, text))
    if row["tingkat"] not in (3, 4):
        raise ValueError(
            f"kode wilayah '{text}' ({row['nama']}) bukan kelurahan/desa atau kecamatan"
        )
    return row["kode"]


# --------------------------------------------------------------------------- people: checking


def _norm_name(name: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (name or "").lower()).split())


def normalize_person(db: Database, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the given fields; returns (clean values, errors by field)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def take(key, fn):
        if key not in values:
            return
        try:
            clean[key] = fn(values[key])
        except ValueError as exc:
            errors[key] = str(exc)

    take("nama", _text)
    if "nama" in values and not clean.get("nama") and "nama" not in errors:
        errors["nama"] = "Nama wajib diisi"
    if clean.get("nama") and len(clean["nama"]) > 120:
        errors["nama"] = "Nama terlalu panjang (paling banyak 120 huruf)"
    take("no_kk", lambda v: clean_digits(v, length=16, label="No KK"))
    take("jenis_kelamin", parse_sex)
    take("tempat_lahir", _text)
    take("tanggal_lahir", lambda v: _date(v, "Tanggal lahir"))
    take("alamat", _text)
    take("rt", lambda v: _rt_rw(v, "RT"))
    take("rw", lambda v: _rt_rw(v, "RW"))
    take("kode_wilayah", lambda v: parse_area(db, v))
    take("asal_luar", _text)
    take("telepon", _phone)
    take("status_dtks", lambda v: _list_code(db, "status_dtks", v, "status DTKS/DTSEN"))
    take("desil", _desil)
    take("jenis_disabilitas", lambda v: _list_code(db, "jenis_disabilitas", v, "jenis disabilitas"))
    take("keterangan", _text)
    if "nik" in values:
        chk = check_nik(values["nik"])
        if chk.errors:
            errors["nik"] = chk.errors[0]
        clean["nik"] = chk.nik
    if isinstance(clean.get("tanggal_lahir"), _dt.date):
        clean["tanggal_lahir"] = clean["tanggal_lahir"].isoformat()
    return clean, errors


def _phone(value) -> str | None:
    text = _text(value)
    if text is None:
        return None
    digits = re.sub(r"[\s\-().]", "", text)
    if not re.fullmatch(r"\+?\d{8,15}", digits):
        raise ValueError("Nomor telepon harus 8-15 angka (boleh diawali +)")
    return digits


def _desil(value) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 10:
        raise ValueError("Desil harus angka 1 sampai 10")
    return int(text)


def _kecamatan_known(db: Database):
    def known(kode: str) -> bool:
        row = reference.wilayah(db, kode)
        return row is not None and row["tingkat"] == 3

    return known


def find_by_nik(db: Database, nik: str | None, *, exclude_id: str | None = None) -> dict | None:
    """The living person holding ``nik`` (this install's record first), or None."""
    if not nik:
        return None
    install_id, _ = records.actor(db)
    row = db.execute(
        "SELECT id FROM orang WHERE nik = ? AND deleted_at IS NULL AND id IS NOT ? "
        "ORDER BY install_id = ? DESC, created_at LIMIT 1",
        [nik, exclude_id, install_id],
    ).fetchone()
    return records.get(db, "orang", row[0]) if row else None


def similar_people(db: Database, nama: str | None, tanggal_lahir: str | None, *,
                   exclude_id: str | None = None) -> list[dict]:
    """Living people born the same day whose name is the same or nearly so."""
    if not nama or not tanggal_lahir:
        return []
    key = _norm_name(nama)
    out = []
    for row in _rows(db, "SELECT id, nik, nik_sementara, nama, tanggal_lahir, alamat FROM orang "
                         "WHERE tanggal_lahir = ? AND deleted_at IS NULL AND id IS NOT ?", [tanggal_lahir, exclude_id]):
        if names_similar(key, _norm_name(row["nama"])):
            out.append(row)
    return out


SIMILAR_RATIO = 0.85


def names_similar(a: str, b: str) -> bool:
    """Same or nearly the same normalised name ('ani suryani' ~ 'ani suryanii')."""
    if a == b:
        return True
    # Cheap tests first (an import compares every row with everyone born the same day):
    # a different first letter or very different lengths cannot reach the ratio.
    if not a or not b or a[0] != b[0] or 2 * min(len(a), len(b)) / (len(a) + len(b)) < SIMILAR_RATIO:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO


def check_person(db: Database, values: dict[str, Any], *, orang_id: str | None = None) -> PersonCheck:
    """Clean and check a person's fields (as the form or an import row gives them).

    For an existing person (``orang_id``) the missing fields are taken from the
    stored record, so the cross-field checks see the whole person.
    """
    clean, errors = normalize_person(db, values)
    stored = records.get(db, "orang", orang_id) if orang_id else None
    if orang_id and stored is None:
        raise KnownError("Data orang tidak ditemukan (mungkin sudah dihapus permanen).")
    whole = {**(stored or {}), **clean}
    if not orang_id and not whole.get("nama") and "nama" not in errors:
        errors["nama"] = "Nama wajib diisi"
    if not whole.get("kode_wilayah") and not whole.get("asal_luar") and "kode_wilayah" not in errors:
        errors["kode_wilayah"] = "Pilih kelurahan atau kecamatan, atau isi asal dari luar wilayah"
    result = PersonCheck(values=clean, errors=errors)
    nik = whole.get("nik")
    if nik and "nik" not in errors:
        born = _dt.date.fromisoformat(whole["tanggal_lahir"]) if whole.get("tanggal_lahir") else None
        chk = check_nik(nik, tanggal_lahir=born, jenis_kelamin=whole.get("jenis_kelamin"),
                        kecamatan_dikenal=_kecamatan_known(db), today=today())
        if chk.errors:
            errors["nik"] = chk.errors[0]
        elif chk.warnings:
            result.warnings["nik"] = "; ".join(chk.warnings)
        if "nik" not in errors:
            result.duplicate = find_by_nik(db, nik, exclude_id=orang_id)
    if whole.get("nama") and whole.get("tanggal_lahir") and "nama" not in errors:
        similar = similar_people(db, whole["nama"], whole["tanggal_lahir"], exclude_id=orang_id)
        if result.duplicate:
            similar = [s for s in similar if s["id"] != result.duplicate["id"]]
        if similar:
            result.similar = similar
            first = similar[0]
            ident = first["nik"] or first["nik_sementara"] or "tanpa NIK"
            more = f" dan {len(similar) - 1} orang lain" if len(similar) > 1 else ""
            result.warnings["nama"] = (
                f"Sudah ada {first['nama']} ({ident}) dengan tanggal lahir yang sama{more}; "
                "pastikan bukan orang yang sama"
            )
    return result


# --------------------------------------------------------------------------- people: writing


def make_nik_sementara(db: Database) -> str:
    """A new temporary id, e.g. ``SMT-617103-K7QF2-00012``; never handed out twice.

    Area digits (kecamatan part of the install's area) and five characters of
    the install id keep ids from different laptops apart at the Dinas; the
    serial comes from ``records.next_number`` inside the caller's transaction.
    """
    install_id, _ = records.actor(db)
    row = db.execute("SELECT kode_wilayah FROM install").fetchone()
    area = re.sub(r"\D", "", row[0] if row else "")[:6] or "000000"
    serial = records.next_number(db, "nik_sementara", "semua")
    return f"{TEMP_ID_PREFIX}-{area}-{install_id[-5:]}-{serial:05d}"


def save_person(db: Database, values: dict[str, Any], *, orang_id: str | None = None,
                confirm_warnings: bool = False, registrations: Iterable[dict] | None = None) -> dict:
    """Create (no ``orang_id``) or update a person; returns the stored row.

    ``registrations``: dicts of registration fields; with ``id`` they update
    that registration, without they add one, and with ``hapus_alasan`` they
    soft-delete it. Everything happens in one transaction.
    Raises ValidationError, DuplicateNikError or NeedsConfirmation.
    """
    chk = check_person(db, values, orang_id=orang_id)
    if chk.errors:
        raise ValidationError(chk.errors)
    if chk.duplicate:
        raise DuplicateNikError(chk.duplicate)
    if chk.warnings and not confirm_warnings:
        raise NeedsConfirmation(chk.warnings)
    clean = {k: v for k, v in chk.values.items() if k in PERSON_FIELDS}
    with db.atomic():
        if orang_id is None:
            if not clean.get("nik"):
                clean["nik"] = None
                clean["nik_sementara"] = make_nik_sementara(db)
            person = records.insert(db, "orang", clean)
        else:
            stored = records.get(db, "orang", orang_id)
            if stored["deleted_at"]:
                raise KnownError("Data orang ini sudah dihapus; pulihkan dulu sebelum mengubahnya.")
            if "nik" in clean and not clean["nik"] and not stored["nik_sementara"]:
                clean["nik_sementara"] = make_nik_sementara(db)
            person = records.update(db, "orang", orang_id, clean)
        for reg in registrations or ():
            reg = dict(reg)
            reg_id = reg.pop("id", None)
            reason = reg.pop("hapus_alasan", None)
            if reg_id and reason:
                delete_registration(db, reg_id, reason)
            elif reg_id:
                update_registration(db, reg_id, reg)
            elif not reason:
                add_registration(db, person["id"], reg)
    return records.get(db, "orang", person["id"])


def fill_empty(db: Database, orang_id: str, values: dict[str, Any]) -> list[str]:
    """Fill only the person's EMPTY fields from ``values`` (already clean); never overwrite.

    Returns the fields that were filled (an import row adding what the worker
    had not typed yet).
    """
    stored = records.get(db, "orang", orang_id)
    changes = {k: v for k, v in values.items()
               if k in PERSON_FIELDS and k != "nik" and v not in (None, "") and stored.get(k) in (None, "")}
    if "kode_wilayah" in changes and stored.get("asal_luar"):
        changes.pop("kode_wilayah")  # a person from outside the area stays so
    if "asal_luar" in changes and stored.get("kode_wilayah"):
        changes.pop("asal_luar")
    if changes:
        records.update(db, "orang", orang_id, changes)
    return sorted(changes)


def delete_person(db: Database, orang_id: str, reason: str) -> None:
    """Soft-delete a person and their living registrations, with a reason."""
    if not reason or not reason.strip():
        raise KnownError("Alasan penghapusan wajib diisi.")
    with db.atomic():
        person = records.get(db, "orang", orang_id)
        if person is None:
            raise KnownError("Data orang tidak ditemukan.")
        if person["deleted_at"]:
            return
        # The person first: registrations deleted with them carry the same reason
        # and a time not before theirs, which is how restore_person finds them.
        records.soft_delete(db, "orang", orang_id, reason)
        for (reg_id,) in db.execute("SELECT id FROM ppks WHERE orang_id = ? AND deleted_at IS NULL", [orang_id]).fetchall():
            records.soft_delete(db, "ppks", reg_id, reason)


def restore_person(db: Database, orang_id: str) -> None:
    """Undo a deletion: the person and the registrations deleted with them."""
    with db.atomic():
        person = records.get(db, "orang", orang_id)
        if person is None:
            raise KnownError("Data orang tidak ditemukan.")
        if not person["deleted_at"]:
            return
        if person["nik"]:
            other = find_by_nik(db, person["nik"], exclude_id=orang_id)
            if other:
                raise KnownError(
                    f"Tidak dapat dipulihkan: NIK {person['nik']} sekarang dipakai oleh {other['nama']} "
                    "yang didaftarkan sesudahnya. Gabungkan datanya secara manual."
                )
        for (reg_id,) in db.execute(
                "SELECT id FROM ppks WHERE orang_id = ? AND deleted_at >= ? AND delete_reason IS ?",
                [orang_id, person["deleted_at"], person["delete_reason"]]).fetchall():
            records.restore(db, "ppks", reg_id)
        records.restore(db, "orang", orang_id)


def get_person(db: Database, orang_id: str) -> dict | None:
    """The person's row plus ``registrations`` (living ones) and ``wilayah_label``."""
    person = records.get(db, "orang", orang_id)
    if person is None:
        return None
    person["registrations"] = registrations(db, orang_id)
    person["wilayah_label"] = area_label(db, person)
    return person


def area_label(db: Database, person: dict) -> str:
    kode = person.get("kode_wilayah")
    if kode:
        path = reference.wilayah_path(db, kode)
        if path:
            own = path[-1]
            if own["tingkat"] == 4:
                return f"{own['nama']}, Kec. {path[-2]['nama']}"
            return f"Kec. {own['nama']} (tanpa kelurahan)"
        return kode
    if person.get("asal_luar"):
        return f"Luar wilayah: {person['asal_luar']}"
    return ""


def find_person_ref(db: Database, text: str | None) -> dict | None:
    """A living person from an NIK, a temporary id (SMT-...) or a record id."""
    raw = (str(text).strip() if text is not None else "")
    if not raw:
        return None
    if raw.upper().startswith(TEMP_ID_PREFIX):
        row = db.execute("SELECT id FROM orang WHERE nik_sementara = ? AND deleted_at IS NULL", [raw.upper()]).fetchone()
        return records.get(db, "orang", row[0]) if row else None
    try:
        nik = clean_digits(raw, length=16, label="NIK")
    except ValueError:
        nik = None
    if nik:
        return find_by_nik(db, nik)
    person = records.get(db, "orang", raw)
    return person if person and not person["deleted_at"] else None


# --------------------------------------------------------------------------- registrations


def normalize_registration(db: Database, values: dict[str, Any], *, stored: dict | None = None,
                           person: dict | None = None, require: bool = True) -> tuple[dict, dict[str, str]]:
    """Clean registration fields; with ``stored`` the missing ones come from it.

    ``require=False`` skips the "wajib diisi" checks of category and date (an
    import row fills them itself).
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "kategori_kode" in values:
        kat = reference.find_kategori(db, _text(values["kategori_kode"]))
        if kat is None:
            if _text(values["kategori_kode"]):
                errors["kategori_kode"] = f"Kategori PPKS '{_text(values['kategori_kode'])}' tidak dikenal (tulis nomor 1-26 atau namanya)"
            else:
                errors["kategori_kode"] = "Kategori PPKS wajib diisi"
        else:
            clean["kategori_kode"] = kat["kode"]
    for key, fn in (
        ("terlantar", lambda v: 1 if parse_yes_no(v) else 0),
        ("tanggal_pendataan", lambda v: _date(v, "Tanggal pendataan")),
        ("tanggal_tutup", lambda v: _date(v, "Tanggal penutupan")),
        ("sumber_laporan", lambda v: sumber_code(db, v)),
        ("petugas", _text),
        ("keterangan", _text),
        ("alasan_tutup", lambda v: _list_code(db, "alasan_tutup", v, "alasan penutupan")),
    ):
        if key in values:
            try:
                clean[key] = fn(values[key])
            except ValueError as exc:
                errors[key] = str(exc)
    if "status" in values:
        status = (_text(values["status"]) or "aktif").lower()
        if status not in STATUSES:
            errors["status"] = f"Status '{values['status']}' tidak dikenal (aktif, tertangani, ditutup)"
        clean["status"] = status
    for key in ("tanggal_pendataan", "tanggal_tutup"):
        if isinstance(clean.get(key), _dt.date):
            clean[key] = clean[key].isoformat()
    whole = {**(stored or {}), **clean}
    if require and not whole.get("kategori_kode") and "kategori_kode" not in errors:
        errors["kategori_kode"] = "Kategori PPKS wajib diisi"
    if require and not whole.get("tanggal_pendataan") and "tanggal_pendataan" not in errors:
        errors["tanggal_pendataan"] = "Tanggal pendataan wajib diisi"
    status = whole.get("status") or "aktif"
    if status == "ditutup" and "status" not in errors:
        if not whole.get("alasan_tutup") and "alasan_tutup" not in errors:
            errors["alasan_tutup"] = "Pilih alasan penutupan"
        if not whole.get("tanggal_tutup") and "tanggal_tutup" not in errors:
            errors["tanggal_tutup"] = "Tanggal penutupan wajib diisi"
        if (whole.get("tanggal_tutup") and whole.get("tanggal_pendataan")
                and whole["tanggal_tutup"] < whole["tanggal_pendataan"] and "tanggal_tutup" not in errors):
            errors["tanggal_tutup"] = "Tanggal penutupan tidak boleh sebelum tanggal pendataan"
        if whole.get("alasan_tutup") == "lainnya" and not whole.get("keterangan") and "keterangan" not in errors:
            errors["keterangan"] = "Tuliskan alasan penutupan di keterangan"
    elif status != "ditutup":
        if whole.get("alasan_tutup") or whole.get("tanggal_tutup"):
            clean["alasan_tutup"] = None
            clean["tanggal_tutup"] = None
    if person and person.get("tanggal_lahir") and whole.get("tanggal_pendataan") \
            and whole["tanggal_pendataan"] < person["tanggal_lahir"] and "tanggal_pendataan" not in errors:
        errors["tanggal_pendataan"] = "Tanggal pendataan sebelum tanggal lahir"
    return clean, errors


def add_registration(db: Database, orang_id: str, values: dict[str, Any]) -> dict:
    person = records.get(db, "orang", orang_id)
    if person is None or person["deleted_at"]:
        raise KnownError("Data orang tidak ditemukan atau sudah dihapus.")
    values = {"status": "aktif", **values}
    if not values.get("tanggal_pendataan"):
        values["tanggal_pendataan"] = today()
    if not _text(values.get("petugas")):
        values["petugas"] = records.actor(db)[1]
    clean, errors = normalize_registration(db, values, person=person)
    if errors:
        raise ValidationError(errors)
    row = {k: clean.get(k) for k in REGISTRATION_FIELDS}
    row["terlantar"] = row["terlantar"] or 0
    row["orang_id"] = orang_id
    return records.insert(db, "ppks", row)


def update_registration(db: Database, ppks_id: str, values: dict[str, Any]) -> dict:
    stored = records.get(db, "ppks", ppks_id)
    if stored is None:
        raise KnownError("Registrasi PPKS tidak ditemukan.")
    if stored["deleted_at"]:
        raise KnownError("Registrasi ini sudah dihapus; pulihkan dulu sebelum mengubahnya.")
    person = records.get(db, "orang", stored["orang_id"])
    clean, errors = normalize_registration(db, {k: v for k, v in values.items() if k in REGISTRATION_FIELDS},
                                           stored=stored, person=person)
    if errors:
        raise ValidationError(errors)
    return records.update(db, "ppks", ppks_id, clean)


def close_registration(db: Database, ppks_id: str, alasan: str, tanggal_tutup=None,
                       keterangan: str | None = None) -> dict:
    values = {"status": "ditutup", "alasan_tutup": alasan, "tanggal_tutup": tanggal_tutup or today()}
    if keterangan is not None:
        values["keterangan"] = keterangan
    return update_registration(db, ppks_id, values)


def delete_registration(db: Database, ppks_id: str, reason: str) -> None:
    records.soft_delete(db, "ppks", ppks_id, reason)


def restore_registration(db: Database, ppks_id: str) -> None:
    reg = records.get(db, "ppks", ppks_id)
    if reg is None:
        raise KnownError("Registrasi PPKS tidak ditemukan.")
    person = records.get(db, "orang", reg["orang_id"])
    if person["deleted_at"]:
        raise KnownError("Pulihkan dulu data orangnya.")
    records.restore(db, "ppks", ppks_id)


def registrations(db: Database, orang_id: str, *, include_deleted: bool = False) -> list[dict]:
    """A person's registrations, newest assessment first, with display names."""
    rows = _rows(
        db,
        "SELECT p.*, k.nama AS kategori_nama, k.singkatan AS kategori_singkatan, k.butuh_terlantar, "
        "k.spm_kelompok AS kategori_spm FROM ppks p LEFT JOIN ref_ppks_kategori k ON k.kode = p.kategori_kode "
        "WHERE p.orang_id = ?" + ("" if include_deleted else " AND p.deleted_at IS NULL")
        + " ORDER BY p.tanggal_pendataan DESC, p.id DESC",
        [orang_id],
    )
    for r in rows:
        r["spm_kelompok"] = r["kategori_spm"] if (r["kategori_spm"] and (not r["butuh_terlantar"] or r["terlantar"])) else None
        r.pop("kategori_spm")
        r["sumber_label"] = sumber_label(db, r["sumber_laporan"])
        r["alasan_label"] = reference.daftar_nama(db, "alasan_tutup", r["alasan_tutup"]) or (r["alasan_tutup"] or "")
    return rows


def kategori_label(row: dict) -> str:
    """'9 Penyandang Disabilitas', '9a ODGJ' (short form for tables)."""
    name = row.get("kategori_singkatan") or row.get("kategori_nama") or ""
    return f"{row['kategori_kode']} {name}".strip()


# --------------------------------------------------------------------------- history


ACTIONS = {"tambah": "Ditambahkan", "ubah": "Diubah", "hapus": "Dihapus", "pulihkan": "Dipulihkan"}
_INTERNAL = {"id", "created_at", "updated_at", "install_id", "orang_id"}


def _show(db: Database, key: str, value) -> str:
    if value is None or value == "":
        return "(kosong)"
    if key in ("tanggal_lahir", "tanggal_pendataan", "tanggal_tutup"):
        try:
            return tanggal(value)
        except ValueError:
            return str(value)
    if key == "terlantar":
        return "Ya" if value else "Tidak"
    if key == "jenis_kelamin":
        return {"L": "Laki-laki", "P": "Perempuan"}.get(value, str(value))
    if key == "kategori_kode":
        row = db.execute("SELECT nama FROM ref_ppks_kategori WHERE kode = ?", [value]).fetchone()
        return f"{value} {row[0]}" if row else str(value)
    if key == "kode_wilayah":
        row = reference.wilayah(db, value)
        return f"{row['nama']} ({value})" if row else str(value)
    if key == "sumber_laporan":
        return sumber_label(db, value)
    if key in ("status_dtks", "jenis_disabilitas", "alasan_tutup"):
        return reference.daftar_nama(db, key, value) or str(value)
    return str(value)


def describe(db: Database, entry: dict) -> str:
    """One audit entry as Indonesian text: 'Alamat: Jl. A → Jl. B; RT: (kosong) → 003'."""
    if entry["aksi"] == "tambah":
        new = entry["baru"] or {}
        shown = [f"{LABELS.get(k, k)}: {_show(db, k, v)}" for k, v in new.items()
                 if k not in _INTERNAL and k not in ("deleted_at", "delete_reason") and v not in (None, "")]
        return "; ".join(shown)
    if entry["aksi"] == "hapus":
        return f"Alasan: {(entry['baru'] or {}).get('delete_reason') or '-'}"
    if entry["aksi"] == "pulihkan":
        return f"Sebelumnya dihapus dengan alasan: {(entry['lama'] or {}).get('delete_reason') or '-'}"
    old, new = entry["lama"] or {}, entry["baru"] or {}
    parts = [f"{LABELS.get(k, k)}: {_show(db, k, old.get(k))} → {_show(db, k, v)}"
             for k, v in new.items() if k not in _INTERNAL]
    return "; ".join(parts)


def person_history(db: Database, orang_id: str) -> list[dict]:
    """The person's audit trail merged with their registrations', oldest first.

    Each entry: waktu, operator, aksi, aksi_label (Ditambahkan/Diubah/...),
    objek ('Data orang' or 'Registrasi 8 Lanjut Usia Terlantar'), rincian (text).
    """
    import json

    objek = {("orang", orang_id): "Data orang"}
    for reg in registrations(db, orang_id, include_deleted=True):
        objek[("ppks", reg["id"])] = f"Registrasi {kategori_label(reg)}"
    reg_ids = [k[1] for k in objek if k[0] == "ppks"]
    marks = ",".join("?" * len(reg_ids))
    sql = ("SELECT tabel, record_id, waktu, operator, aksi, lama, baru FROM audit "
           "WHERE (tabel = 'orang' AND record_id = ?)"
           + (f" OR (tabel = 'ppks' AND record_id IN ({marks}))" if reg_ids else "") + " ORDER BY id")
    out = []
    for tabel, record_id, waktu, operator, aksi, lama, baru in db.execute(sql, [orang_id, *reg_ids]).fetchall():
        e = {"waktu": waktu, "operator": operator, "aksi": aksi,
             "lama": json.loads(lama) if lama else None, "baru": json.loads(baru) if baru else None}
        e.update(objek=objek[(tabel, record_id)], aksi_label=ACTIONS.get(aksi, aksi), rincian=describe(db, e))
        out.append(e)
    return out


# --------------------------------------------------------------------------- list and search


@dataclass
class PpksFilter:
    """What the list shows. ``status`` may also be 'tanpa' (no living registration)."""

    text: str = ""
    kode_wilayah: str | None = None  # a kelurahan, kecamatan or kota code; "luar" = outside any area
    kategori: str | None = None  # a category code; includes its working sub-categories (9 → 9a)
    spm_kelompok: str | None = None
    status: str | None = None
    tanpa_nik: bool = False
    include_deleted: bool = False
    only_deleted: bool = False


# sort key -> (index walked when many rows match, ORDER BY). Ties are broken by
# a unique column that is part of the index, so paging is stable and the
# index alone gives the order.
SORTS = {
    "nama": ("idx_orang_nama", "o.nama COLLATE NOCASE {d}, o.id {d}"),
    "nik": ("idx_orang_nik", "o.nik {d}, o.rowid {d}"),
    "no_kk": ("idx_orang_no_kk", "o.no_kk {d}, o.rowid {d}"),
    "tanggal_lahir": ("idx_orang_lahir", "o.tanggal_lahir {d}, o.rowid {d}"),
    "wilayah": ("idx_orang_wilayah", "o.kode_wilayah {d}, o.nama COLLATE NOCASE {d}, o.id {d}"),
    "dibuat": (None, "o.rowid {d}"),
}
SORT_KEYS = tuple(SORTS)
# When many people match, a page is read by walking the sort index and testing
# each person (cost ~ rows needed × all people / matches); when few match, the
# most selective condition drives and the matches are sorted (cost ~ matches).
# Walk when matches² > WALK_FACTOR × rows needed × all people, and never for
# fewer than WALK_THRESHOLD matches (measured: bench/bench_ppks.py).
WALK_THRESHOLD = 2000
WALK_FACTOR = 2

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _digits_upper(prefix: str) -> str:
    return prefix + ":"  # ':' sorts right after '9'


@dataclass
class _Query:
    where: str
    params: list
    fts: str | None  # the FTS5 query when the text has words
    only_text: bool  # no condition besides the text (and the living-people rule)
    nik_prefix: str | None = None  # the text is one short NIK prefix


def _text_parts(text: str) -> tuple[list[str], list[str]]:
    """(words for FTS, digit prefixes for NIK / No KK)."""
    squeezed = re.sub(r"[\s.]", "", text)
    if squeezed.isdigit() and len(squeezed) >= 4:
        return [], [squeezed]  # an NIK typed with spaces or dots
    words, digits = [], []
    for tok in _TOKEN.findall(text.lower()):
        (digits if tok.isdigit() and len(tok) >= 4 else words).append(tok)
    return words, digits


# A digit prefix this long also searches No KK; shorter ones (an NIK being
# typed) search NIK only: "6171" matches nearly everyone in Kota Pontianak
# and counting two such ranges together costs half a second.
KK_PREFIX_MIN = 10


def _like_words(words: list[str], alias: str = "o") -> tuple[str, list]:
    """Word search for deleted people (not in the FTS index; there are few)."""
    parts, params = [], []
    for w in words:
        parts.append(f"(lower({alias}.nama) LIKE ? OR lower(coalesce({alias}.alamat, '')) LIKE ?)")
        params += [f"%{w}%", f"%{w}%"]
    return " AND ".join(parts) or "1", params


def _build(db: Database, flt: PpksFilter, *, fts_drives: bool = True) -> _Query:
    """The WHERE clause of the list. ``fts_drives=False`` keeps SQLite from
    starting at the text matches (when they are many and another filter is
    more selective)."""
    clauses: list[str] = []
    params: list = []
    other = False
    nik_prefix = None
    if flt.only_deleted:
        clauses.append("o.deleted_at IS NOT NULL")
    elif not flt.include_deleted:
        clauses.append("o.deleted_at IS NULL")
    fts = None
    text = (flt.text or "").strip()
    if text:
        if text.upper().startswith(TEMP_ID_PREFIX + "-"):
            clauses.append("o.nik_sementara >= ? AND o.nik_sementara < ?")
            params += [text.upper(), text.upper() + "~"]
            other = True
        else:
            words, digits = _text_parts(text)
            for tok in digits:
                if len(tok) >= KK_PREFIX_MIN:
                    clauses.append("((o.nik >= ? AND o.nik < ?) OR (o.no_kk >= ? AND o.no_kk < ?))")
                    params += [tok, _digits_upper(tok), tok, _digits_upper(tok)]
                else:
                    clauses.append("(o.nik >= ? AND o.nik < ?)")
                    params += [tok, _digits_upper(tok)]
            if len(digits) == 1 and not words and len(digits[0]) < KK_PREFIX_MIN:
                nik_prefix = digits[0]
            elif digits:
                other = True
            if words:
                fts = " ".join('"' + w.replace('"', "") + '"*' for w in words)
                rowid = "o.rowid" if fts_drives else "+o.rowid"
                like, like_params = _like_words(words, "d")
                if flt.only_deleted:
                    clauses.append(_like_words(words)[0])
                    params += like_params
                elif flt.include_deleted:
                    clauses.append(f"{rowid} IN (SELECT rowid FROM orang_fts WHERE orang_fts MATCH ? UNION ALL "
                                   f"SELECT d.rowid FROM orang d WHERE d.deleted_at IS NOT NULL AND {like})")
                    params += [fts, *like_params]
                else:
                    clauses.append(f"{rowid} IN (SELECT rowid FROM orang_fts WHERE orang_fts MATCH ?)")
                    params.append(fts)
    if flt.kode_wilayah:
        other = True
        if flt.kode_wilayah == "luar":
            clauses.append("o.kode_wilayah IS NULL")
        else:
            kode = reference.normalize_kode_wilayah(flt.kode_wilayah) or flt.kode_wilayah
            clauses.append("(o.kode_wilayah = ? OR (o.kode_wilayah >= ? AND o.kode_wilayah < ?))")
            params += [kode, kode + ".", kode + ".~"]
    if flt.tanpa_nik:
        other = True
        clauses.append("o.nik IS NULL")
    if flt.status == "tanpa":
        other = True
        clauses.append("o.id NOT IN (SELECT p.orang_id FROM ppks p WHERE p.deleted_at IS NULL)")
    elif flt.kategori or flt.spm_kelompok or flt.status:
        other = True
        sub = ["p.deleted_at IS NULL"]
        sub_params: list = []
        if flt.status:
            sub.append("p.status = ?")
            sub_params.append(flt.status)
        if flt.kategori:
            sub.append("p.kategori_kode IN (SELECT kode FROM ref_ppks_kategori WHERE kode = ? OR induk = ?)")
            sub_params += [flt.kategori, flt.kategori]
        if flt.spm_kelompok:
            # DOMAIN §4: categories with butuh_terlantar count only when marked terlantar.
            sub.append("p.kategori_kode IN (SELECT kode FROM ref_ppks_kategori WHERE spm_kelompok = ?) "
                       "AND (p.terlantar = 1 OR p.kategori_kode IN "
                       "(SELECT kode FROM ref_ppks_kategori WHERE spm_kelompok = ? AND butuh_terlantar = 0))")
            sub_params += [flt.spm_kelompok, flt.spm_kelompok]
        cond = f"o.id IN (SELECT p.orang_id FROM ppks p WHERE {' AND '.join(sub)})"
        if flt.spm_kelompok == "BENCANA" and not flt.kategori and not flt.status:
            # DOMAIN §4: every registered disaster victim counts in the disaster SPM group.
            cond = f"({cond} OR o.id IN (SELECT k.orang_id FROM korban k WHERE k.deleted_at IS NULL))"
        clauses.append(cond)
        params += sub_params
    only_text = not other and not flt.include_deleted and not flt.only_deleted
    if only_text and fts and nik_prefix:
        only_text = False
    return _Query(" AND ".join(clauses) or "1", params, fts, only_text, nik_prefix if only_text else None)


def _query(db: Database, flt: PpksFilter) -> _Query:
    """The query, with the text matches driving only when they are few or alone."""
    q = _build(db, flt)
    if q.fts and not q.only_text and not flt.only_deleted:
        n = db.execute("SELECT count(*) FROM orang_fts WHERE orang_fts MATCH ?", [q.fts]).fetchone()[0]
        if n > WALK_THRESHOLD:
            q = _build(db, flt, fts_drives=False)
    return q


def count_people(db: Database, flt: PpksFilter | None = None) -> int:
    """How many people the filter shows (what the list's count label says)."""
    flt = flt or PpksFilter()
    q = _query(db, flt)
    if q.only_text:
        # Each fast path counts an index, then subtracts the (few, indexed) deleted people.
        deleted = "SELECT count(*) FROM orang INDEXED BY idx_orang_dihapus WHERE deleted_at IS NOT NULL"
        if q.nik_prefix:
            rng = [q.nik_prefix, _digits_upper(q.nik_prefix)]
            return (db.execute("SELECT count(*) FROM orang WHERE nik >= ? AND nik < ?", rng).fetchone()[0]
                    - db.execute(deleted + " AND nik >= ? AND nik < ?", rng).fetchone()[0])
        if q.fts is None:
            return db.execute("SELECT count(*) FROM orang").fetchone()[0] - db.execute(deleted).fetchone()[0]
        # The FTS index holds living people only: no join needed.
        return db.execute("SELECT count(*) FROM orang_fts WHERE orang_fts MATCH ?", [q.fts]).fetchone()[0]
    return db.execute(f"SELECT count(*) FROM orang o WHERE {q.where}", q.params).fetchone()[0]


_LIST_COLUMNS = ("o.id, o.nik, o.nik_sementara, o.no_kk, o.nama, o.jenis_kelamin, o.tempat_lahir, o.tanggal_lahir, "
                 "o.alamat, o.rt, o.rw, o.kode_wilayah, o.asal_luar, o.telepon, o.keterangan, o.created_at, "
                 "o.updated_at, o.deleted_at, o.delete_reason, w.nama AS wilayah_nama")


def search_people(db: Database, flt: PpksFilter | None = None, *, offset: int = 0, limit: int = 200,
                  sort: str | None = "nama", descending: bool = False, total: int | None = None) -> list[dict]:
    """One page of the list, sorted in SQL. ``total``: the count if the caller has it.

    Each row: the person's columns, ``wilayah_nama`` and a summary of their
    living registrations (``kategori``, ``status``, ``spm``,
    ``terakhir_didata``, ``registrasi``: how many).
    """
    flt = flt or PpksFilter()
    q = _query(db, flt)
    index, order = SORTS.get(sort or "nama", SORTS["nama"])
    order = order.format(d="DESC" if descending else "ASC")
    hint = ""
    if q.where != "o.deleted_at IS NULL" and q.where != "1":
        if total is None:
            total = count_people(db, flt)
        if total > WALK_THRESHOLD:
            everyone = db.execute("SELECT coalesce(max(rowid), 0) FROM orang").fetchone()[0]
            if total * total >= WALK_FACTOR * (offset + limit) * everyone:
                hint = f"INDEXED BY {index}" if index else "NOT INDEXED"
    rows = _rows(
        db,
        f"SELECT {_LIST_COLUMNS} FROM orang o {hint} LEFT JOIN ref_wilayah w ON w.kode = o.kode_wilayah "
        f"WHERE {q.where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*q.params, int(limit), int(offset)],
    )
    _attach_summary(db, rows)
    return rows


def _attach_summary(db: Database, rows: list[dict]) -> None:
    if not rows:
        return
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r.update(kategori="", status="", spm="", terakhir_didata=None, registrasi=0, _regs=[])
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for reg in _rows(
            db,
            "SELECT p.orang_id, p.kategori_kode, p.status, p.terlantar, p.tanggal_pendataan, k.nama AS kategori_nama, "
            "k.singkatan AS kategori_singkatan, k.spm_kelompok, k.butuh_terlantar, k.urut "
            f"FROM ppks p LEFT JOIN ref_ppks_kategori k ON k.kode = p.kategori_kode "
            f"WHERE p.deleted_at IS NULL AND p.orang_id IN ({marks}) ORDER BY k.urut, p.tanggal_pendataan",
            chunk,
        ):
            by_id[reg["orang_id"]]["_regs"].append(reg)
    status_order = {s: i for i, s in enumerate(STATUSES)}
    for r in rows:
        regs = r.pop("_regs")
        r["registrasi"] = len(regs)
        r["kategori"] = ", ".join(dict.fromkeys(
            f"{g['kategori_kode']} {g['kategori_singkatan'] or g['kategori_nama'] or ''}".strip() for g in regs))
        r["status"] = ", ".join(sorted({g["status"] for g in regs}, key=lambda s: status_order.get(s, 9)))
        r["spm"] = ", ".join(dict.fromkeys(
            g["spm_kelompok"] for g in regs if g["spm_kelompok"] and (not g["butuh_terlantar"] or g["terlantar"])))
        dates = [g["tanggal_pendataan"] for g in regs if g["tanggal_pendataan"]]
        r["terakhir_didata"] = max(dates) if dates else None


def iter_people(db: Database, flt: PpksFilter | None = None, *, sort: str | None = "nama",
                descending: bool = False, batch: int = 2000):
    """Every row of the filtered list, in pages (for the export)."""
    flt = flt or PpksFilter()
    total = count_people(db, flt)
    offset = 0
    while True:
        rows = search_people(db, flt, offset=offset, limit=batch, sort=sort, descending=descending, total=total)
        yield from rows
        if len(rows) < batch:
            return
        offset += batch


def rebuild_search_index(db: Database) -> None:
    """Rebuild the name/address index from the living people (after a repair or restore)."""
    with db.atomic():
        db.execute("INSERT INTO orang_fts (orang_fts) VALUES ('rebuild')")


def search_index_ok(db: Database) -> bool:
    """FTS5's own check of the index against the living people."""
    import sqlite3

    try:
        db.execute("INSERT INTO orang_fts (orang_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def wilayah_choices(db: Database, install_kode: str) -> list[tuple[str, str]]:
    """(kode, label) for the list's area filter under the install's area."""
    out: list[tuple[str, str]] = []
    row = reference.wilayah(db, install_kode)
    if row is None:
        return out
    if row["tingkat"] == 4:
        kec = reference.wilayah(db, install_kode[:8])
        out.append((install_kode, row["nama"]))
        if kec:
            out.append((kec["kode"], f"Kec. {kec['nama']} (semua)"))
    elif row["tingkat"] == 3:
        out.append((row["kode"], f"Kec. {row['nama']} (semua)"))
        out += [(c["kode"], f"   {c['nama']}") for c in reference.children(db, row["kode"])]
    else:
        for kec in reference.children(db, row["kode"]):
            out.append((kec["kode"], f"Kec. {kec['nama']}"))
            out += [(c["kode"], f"   {c['nama']}") for c in reference.children(db, kec["kode"])]
    out.append(("luar", "Dari luar wilayah"))
    return out


def _rows(db: Database, sql: str, params: Any = ()) -> list[dict]:
    cur = db.conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]
