"""PSKS events (kegiatan): training, technical guidance, coordination meetings,
socialisation, simulations (DOMAIN.md §5), with participants from the PSKS
register and their attendance.

Rules:
- the kind comes from the ``jenis_kegiatan`` code list, the sub-kegiatan from
  the catalogue lines counted from PSKS events (``ref_layanan.jenis =
  'kegiatan_psks'``: 1.06.02.2.03.*, 1.06.06.2.02.*);
- an event cannot end before it starts;
- attendance can only be recorded once the event has started
  (``db.clock.today()``);
- a participant must be in the register (``PsksTidakTerdaftar`` otherwise, so
  the GUI can offer to register them) and must not have been deactivated
  before the event's first day (``PesertaNonaktif``).

Every write goes through ``db.records``. Pure Python: no Qt here.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Mapping

from sqlite_utils import Database

from db import clock, psks as psks_db, records, reference
from db.errors import KnownError, ValidationError
from db.indonesian import tanggal_panjang
from db.parsing import parse_date

TABLE = "kegiatan"
PESERTA = "kegiatan_peserta"

FIELDS = ("kode_kegiatan", "nama", "jenis", "kode_layanan", "tanggal_mulai", "tanggal_selesai",
          "penyelenggara", "tempat", "kode_wilayah", "keterangan")
LABELS = {
    "kode_kegiatan": "Kode kegiatan",
    "nama": "Nama kegiatan",
    "jenis": "Jenis kegiatan",
    "kode_layanan": "Sub kegiatan",
    "tanggal_mulai": "Tanggal mulai",
    "tanggal_selesai": "Tanggal selesai",
    "penyelenggara": "Penyelenggara",
    "tempat": "Tempat",
    "kode_wilayah": "Wilayah",
    "keterangan": "Keterangan",
}

SORT_KEYS = {
    "tanggal_mulai": "k.tanggal_mulai",
    "nama": "k.nama COLLATE NOCASE",
    "jenis_nama": "d.urut",
    "kode_layanan": "k.kode_layanan",
    "tempat": "k.tempat COLLATE NOCASE",
    "penyelenggara": "k.penyelenggara COLLATE NOCASE",
    "jumlah_peserta": "jumlah_peserta",
    "jumlah_hadir": "jumlah_hadir",
    "kode_kegiatan": "k.kode_kegiatan",
}


class PsksTidakTerdaftar(KnownError):
    """A participant who is not in the PSKS register (offer to register them)."""

    def __init__(self, nik: str | None = None, nama: str | None = None, psks_id: str | None = None):
        who = f"NIK {nik}" if nik else (nama or psks_id or "Peserta")
        if nik and nama:
            who = f"{nama} (NIK {nik})"
        super().__init__(f"{who} tidak terdaftar di register PSKS. Daftarkan dulu sebagai PSKS.")
        self.nik = nik
        self.nama = nama
        self.psks_id = psks_id


class PesertaNonaktif(KnownError):
    """A participant deactivated before the event's first day."""

    def __init__(self, psks: dict, kegiatan_mulai: str):
        jenis = psks.get("jenis_singkatan") or psks.get("jenis_nama") or psks.get("jenis_kode") or ""
        since = psks.get("tanggal_nonaktif")
        sejak = f"sejak {tanggal_panjang(since)}" if since else "tanpa tanggal"
        nomor = f", No. Reg. {psks['nomor_registrasi']}" if psks.get("nomor_registrasi") else ""
        super().__init__(
            f"{psks['nama']} ({jenis}{nomor}) berstatus nonaktif {sejak}, sebelum kegiatan dimulai "
            f"({tanggal_panjang(kegiatan_mulai)}). Aktifkan kembali di register PSKS bila ia memang ikut."
        )
        self.psks = psks
        self.kegiatan_mulai = kegiatan_mulai


class BelumDimulai(KnownError):
    """Attendance for an event that has not started yet."""

    def __init__(self, kegiatan: Mapping[str, Any], today: _dt.date):
        super().__init__(
            f"Kehadiran belum dapat dicatat: kegiatan '{kegiatan['nama']}' baru dimulai "
            f"{tanggal_panjang(kegiatan['tanggal_mulai'])} (hari ini {tanggal_panjang(today)})."
        )


# --------------------------------------------------------------------------- reference helpers


def jenis_options(db: Database) -> list[tuple[str, str]]:
    """(kode, nama) of the event kinds."""
    return reference.daftar(db, "jenis_kegiatan")


def find_jenis(db: Database, text: Any) -> str | None:
    """The kind code from its code or name ('rapat koordinasi', 'Rapat Koordinasi', 'bimtek')."""
    if text is None or not str(text).strip():
        return None
    key = " ".join(str(text).replace("_", " ").lower().split())
    aliases = {"bimtek": "bimbingan teknis", "rakor": "rapat koordinasi"}
    key = aliases.get(key, key)
    for kode, nama in jenis_options(db):
        if key in (kode.replace("_", " "), nama.lower()):
            return kode
    return None


def sub_kegiatan_options(db: Database) -> list[dict]:
    """Catalogue lines counted from PSKS events, in reporting order."""
    return reference.layanan_list(db, "kegiatan_psks")


# --------------------------------------------------------------------------- validation


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def check_kegiatan(db: Database, values: Mapping[str, Any], *, kegiatan_id: str | None = None) -> dict:
    """Cleaned event values; ValidationError with per-field messages when invalid."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {k: _text(values.get(k)) for k in FIELDS}
    for key in ("tanggal_mulai", "tanggal_selesai"):
        try:
            d = parse_date(values.get(key))
            clean[key] = d.isoformat() if d else None
        except ValueError as exc:
            errors[key] = f"{LABELS[key]}: {exc}"
            clean[key] = None
    if not clean["nama"]:
        errors["nama"] = "Nama kegiatan wajib diisi"
    if not clean["jenis"]:
        errors["jenis"] = "Jenis kegiatan wajib dipilih"
    else:
        kode = find_jenis(db, clean["jenis"])
        if kode is None:
            names = ", ".join(n.lower() for _k, n in jenis_options(db))
            errors["jenis"] = f"Jenis kegiatan '{clean['jenis']}' tidak dikenal (pilih: {names})"
        clean["jenis"] = kode or clean["jenis"]
    if clean["kode_layanan"]:
        row = reference.layanan(db, clean["kode_layanan"])
        if row is None:
            errors["kode_layanan"] = f"Kode sub kegiatan '{clean['kode_layanan']}' tidak dikenal"
        elif row["jenis"] != "kegiatan_psks":
            errors["kode_layanan"] = (
                f"{reference.short_kode_layanan(row['kode'])} {row['nama']} bukan sub kegiatan pembinaan PSKS "
                "(pilih 1.06.02.2.03.xx atau 1.06.06.2.02.xx)"
            )
        else:
            clean["kode_layanan"] = row["kode"]
    if not clean["tanggal_mulai"] and "tanggal_mulai" not in errors:
        errors["tanggal_mulai"] = "Tanggal mulai wajib diisi"
    if not clean["tanggal_selesai"] and "tanggal_selesai" not in errors:
        clean["tanggal_selesai"] = clean["tanggal_mulai"]
    if (clean["tanggal_mulai"] and clean["tanggal_selesai"]
            and clean["tanggal_selesai"] < clean["tanggal_mulai"]):
        errors["tanggal_selesai"] = (
            f"Tanggal selesai ({tanggal_panjang(clean['tanggal_selesai'])}) sebelum tanggal mulai "
            f"({tanggal_panjang(clean['tanggal_mulai'])})"
        )
    if clean["kode_wilayah"]:
        norm = reference.normalize_kode_wilayah(clean["kode_wilayah"])
        if norm is None or reference.wilayah(db, norm) is None:
            errors["kode_wilayah"] = f"Kode wilayah '{clean['kode_wilayah']}' tidak dikenal"
        else:
            clean["kode_wilayah"] = norm
    else:
        row = db.execute("SELECT kode_wilayah FROM install").fetchone()
        clean["kode_wilayah"] = row[0] if row else None
    if clean["kode_kegiatan"]:
        other = db.execute(
            "SELECT nama, tanggal_mulai FROM kegiatan WHERE kode_kegiatan = ? AND deleted_at IS NULL AND id IS NOT ?",
            [clean["kode_kegiatan"], kegiatan_id],
        ).fetchone()
        if other:
            errors["kode_kegiatan"] = (
                f"Kode kegiatan {clean['kode_kegiatan']} sudah dipakai kegiatan '{other[0]}' "
                f"({tanggal_panjang(other[1])})"
            )
    if errors:
        raise ValidationError(errors)
    return clean


def _started(kegiatan: Mapping[str, Any], today: _dt.date | None = None) -> bool:
    today = today or clock.today()
    return kegiatan["tanggal_mulai"] <= today.isoformat()


def check_participant(db: Database, kegiatan: Mapping[str, Any], psks_id: str) -> dict:
    """The PSKS row of an allowed participant, or PsksTidakTerdaftar / PesertaNonaktif."""
    row = psks_db.get_psks(db, psks_id)
    if row is None or row["deleted_at"]:
        raise PsksTidakTerdaftar(nama=row["nama"] if row else None, psks_id=psks_id)
    if psks_db.deactivated_before(row, kegiatan["tanggal_mulai"]):
        raise PesertaNonaktif(row, kegiatan["tanggal_mulai"])
    return row


# --------------------------------------------------------------------------- writes


def _living_peserta(db: Database, kegiatan_id: str) -> dict[str, dict]:
    cur = db.execute(
        "SELECT * FROM kegiatan_peserta WHERE kegiatan_id = ? AND deleted_at IS NULL", [kegiatan_id]
    )
    cols = [d[0] for d in cur.description]
    return {r["psks_id"]: r for r in (dict(zip(cols, v)) for v in cur.fetchall())}


def save_kegiatan(db: Database, values: Mapping[str, Any], peserta: Mapping[str, bool] | None = None, *,
                  kegiatan_id: str | None = None, today: _dt.date | None = None) -> dict:
    """Create (``kegiatan_id`` None) or update an event and, when ``peserta`` is
    given, make its participant list exactly ``{psks_id: hadir}``.

    All in one transaction: a refused participant leaves nothing written.
    Raises ValidationError (fields), PsksTidakTerdaftar, PesertaNonaktif, or
    BelumDimulai (attendance ticked for an event that has not started).
    """
    today = today or clock.today()
    with db.atomic():
        old = None
        if kegiatan_id:
            old = records.get(db, TABLE, kegiatan_id)
            if old is None or old["deleted_at"]:
                raise KnownError("Kegiatan tidak ditemukan (mungkin sudah dihapus).")
            merged = {k: old.get(k) for k in FIELDS}
            merged.update({k: v for k, v in values.items() if k in FIELDS})
            values = merged
        clean = check_kegiatan(db, values, kegiatan_id=kegiatan_id)
        current = _living_peserta(db, kegiatan_id) if kegiatan_id else {}
        wanted = {k: bool(v["hadir"]) for k, v in current.items()}
        if peserta is not None:
            wanted = {k: bool(v) for k, v in peserta.items()}
        if any(wanted.values()) and not _started(clean, today):
            raise BelumDimulai(clean, today)
        date_moved = old is not None and old["tanggal_mulai"] != clean["tanggal_mulai"]
        for psks_id, hadir in wanted.items():
            existing = current.get(psks_id)
            # New participants, newly ticked attendance, or a moved event: check the register.
            if existing is None or date_moved or (hadir and not existing["hadir"]):
                check_participant(db, clean, psks_id)
        if old is None:
            if not clean["kode_kegiatan"]:
                # Every event gets a code, so `list kegiatan` output can be imported back.
                year = clean["tanggal_mulai"][:4]
                while True:
                    kode = f"KEG-{year}-{records.next_number(db, 'kode_kegiatan', year):04d}"
                    if find_by_kode(db, kode) is None:
                        break
                clean["kode_kegiatan"] = kode
            record = records.insert(db, TABLE, clean)
            kegiatan_id = record["id"]
        else:
            record = records.update(db, TABLE, kegiatan_id, clean)
        rows = []
        for psks_id, hadir in wanted.items():
            existing = current.get(psks_id)
            if existing is None:
                rows.append({"kegiatan_id": kegiatan_id, "psks_id": psks_id, "hadir": int(hadir)})
            elif bool(existing["hadir"]) != hadir:
                records.update(db, PESERTA, existing["id"], {"hadir": int(hadir)})
        records.insert_many(db, PESERTA, rows)
        for psks_id, existing in current.items():
            if psks_id not in wanted:
                records.soft_delete(db, PESERTA, existing["id"], "dikeluarkan dari daftar peserta")
        return record


def create_kegiatan(db: Database, values: Mapping[str, Any], peserta: Mapping[str, bool] | Iterable[str] | None = None,
                    **kw) -> dict:
    """A new event; ``peserta`` is {psks_id: hadir} or a list of invited psks ids."""
    if peserta is not None and not isinstance(peserta, Mapping):
        peserta = {p: False for p in peserta}
    return save_kegiatan(db, values, peserta, **kw)


def update_kegiatan(db: Database, kegiatan_id: str, values: Mapping[str, Any],
                    peserta: Mapping[str, bool] | None = None, **kw) -> dict:
    return save_kegiatan(db, values, peserta, kegiatan_id=kegiatan_id, **kw)


def _get_living(db: Database, kegiatan_id: str) -> dict:
    row = records.get(db, TABLE, kegiatan_id)
    if row is None or row["deleted_at"]:
        raise KnownError("Kegiatan tidak ditemukan (mungkin sudah dihapus).")
    return row


def add_peserta(db: Database, kegiatan_id: str, psks_id: str, *, hadir: bool = False,
                today: _dt.date | None = None) -> dict:
    """Invite one PSKS (optionally present); an already invited one is left as is
    except for ``hadir`` when True."""
    with db.atomic():
        keg = _get_living(db, kegiatan_id)
        check_participant(db, keg, psks_id)
        if hadir and not _started(keg, today):
            raise BelumDimulai(keg, today or clock.today())
        existing = _living_peserta(db, kegiatan_id).get(psks_id)
        if existing:
            if hadir and not existing["hadir"]:
                return records.update(db, PESERTA, existing["id"], {"hadir": 1})
            return existing
        return records.insert(db, PESERTA, {"kegiatan_id": kegiatan_id, "psks_id": psks_id, "hadir": int(hadir)})


def resolve_nik(db: Database, nik: str, *, kegiatan: Mapping[str, Any] | None = None, nama: str | None = None) -> dict:
    """The register record of a participant known by NIK.

    One person may hold several records (PSM and Tagana): the record whose type
    is usually coached under the event's sub-kegiatan wins, then an active one,
    then the oldest. PsksTidakTerdaftar when the NIK is not in the register.
    """
    from db.parsing import clean_digits

    try:
        digits = clean_digits(nik, length=16, label="NIK")
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    if not digits:
        raise KnownError("NIK peserta wajib diisi.")
    found = psks_db.find_by_nik(db, digits)
    if not found:
        raise PsksTidakTerdaftar(nik=digits, nama=nama)
    if len(found) == 1:
        return found[0]
    kode = (kegiatan or {}).get("kode_layanan")
    if kode:
        pembinaan = {r["kode"] for r in reference.psks_jenis(db) if r["kode_layanan_pembinaan"] == kode}
        match = [r for r in found if r["jenis_kode"] in pembinaan]
        if match:
            found = match
    day = (kegiatan or {}).get("tanggal_mulai") or clock.today().isoformat()
    active = [r for r in found if not psks_db.deactivated_before(r, day)]
    return (active or found)[0]


def add_peserta_nik(db: Database, kegiatan_id: str, nik: str, *, nama: str | None = None,
                    hadir: bool = False, today: _dt.date | None = None) -> dict:
    """Invite a participant by NIK; PsksTidakTerdaftar when the NIK is not registered."""
    keg = _get_living(db, kegiatan_id)
    row = resolve_nik(db, nik, kegiatan=keg, nama=nama)
    return add_peserta(db, kegiatan_id, row["id"], hadir=hadir, today=today)


def set_hadir(db: Database, kegiatan_id: str, psks_id: str, hadir: bool = True,
              today: _dt.date | None = None) -> dict:
    """Record (or withdraw) the attendance of an invited participant."""
    with db.atomic():
        keg = _get_living(db, kegiatan_id)
        if hadir and not _started(keg, today):
            raise BelumDimulai(keg, today or clock.today())
        existing = _living_peserta(db, kegiatan_id).get(psks_id)
        if existing is None:
            row = psks_db.get_psks(db, psks_id)
            nama = row["nama"] if row else "Peserta"
            raise KnownError(f"{nama} bukan peserta kegiatan '{keg['nama']}'. Tambahkan sebagai peserta dulu.")
        if hadir:
            check_participant(db, keg, psks_id)
        return records.update(db, PESERTA, existing["id"], {"hadir": int(bool(hadir))})


def remove_peserta(db: Database, kegiatan_id: str, psks_id: str, reason: str = "dikeluarkan dari daftar peserta") -> None:
    existing = _living_peserta(db, kegiatan_id).get(psks_id)
    if existing:
        records.soft_delete(db, PESERTA, existing["id"], reason)


def delete_kegiatan(db: Database, kegiatan_id: str, reason: str) -> None:
    records.soft_delete(db, TABLE, kegiatan_id, reason)


def restore_kegiatan(db: Database, kegiatan_id: str) -> None:
    with db.atomic():
        old = records.get(db, TABLE, kegiatan_id)
        if old is None:
            raise KnownError("Kegiatan tidak ditemukan.")
        if old["kode_kegiatan"]:
            clash = db.execute(
                "SELECT nama FROM kegiatan WHERE kode_kegiatan = ? AND deleted_at IS NULL AND id <> ?",
                [old["kode_kegiatan"], kegiatan_id],
            ).fetchone()
            if clash:
                raise KnownError(
                    f"Tidak dapat dipulihkan: kode kegiatan {old['kode_kegiatan']} kini dipakai '{clash[0]}'."
                )
        records.restore(db, TABLE, kegiatan_id)


def kegiatan_history(db: Database, kegiatan_id: str) -> list[dict]:
    return records.history(db, TABLE, kegiatan_id)


# --------------------------------------------------------------------------- reads

_SELECT = """
SELECT k.*, d.nama AS jenis_nama, r.nama AS layanan_nama,
  (SELECT count(*) FROM kegiatan_peserta p WHERE p.kegiatan_id = k.id AND p.deleted_at IS NULL) AS jumlah_peserta,
  (SELECT count(*) FROM kegiatan_peserta p WHERE p.kegiatan_id = k.id AND p.deleted_at IS NULL AND p.hadir = 1)
      AS jumlah_hadir
FROM kegiatan k
LEFT JOIN ref_daftar d ON d.daftar = 'jenis_kegiatan' AND d.kode = k.jenis
LEFT JOIN ref_layanan r ON r.kode = k.kode_layanan
"""


def _dicts(cursor) -> list[dict]:
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def get_kegiatan(db: Database, kegiatan_id: str) -> dict | None:
    rows = _dicts(db.execute(_SELECT + " WHERE k.id = ?", [kegiatan_id]))
    return rows[0] if rows else None


def find_by_kode(db: Database, kode_kegiatan: str) -> dict | None:
    rows = _dicts(db.execute(_SELECT + " WHERE k.kode_kegiatan = ? AND k.deleted_at IS NULL", [kode_kegiatan]))
    return rows[0] if rows else None


def _filters(search=None, date_from=None, date_to=None, kode_layanan=None, jenis=None,
             include_deleted=False, only_deleted=False) -> tuple[str, list]:
    where, params = [], []
    if only_deleted:
        where.append("k.deleted_at IS NOT NULL")
    elif not include_deleted:
        where.append("k.deleted_at IS NULL")
    if date_from:
        where.append("k.tanggal_mulai >= ?")
        params.append(str(date_from)[:10])
    if date_to:
        where.append("k.tanggal_mulai <= ?")
        params.append(str(date_to)[:10])
    if kode_layanan:
        where.append("k.kode_layanan = ?")
        params.append(reference.normalize_kode_layanan(kode_layanan) or kode_layanan)
    if jenis:
        where.append("k.jenis = ?")
        params.append(jenis)
    if search and search.strip():
        like = f"%{search.strip().lower()}%"
        where.append("(lower(k.nama) LIKE ? OR lower(coalesce(k.tempat,'')) LIKE ? "
                     "OR lower(coalesce(k.penyelenggara,'')) LIKE ? OR lower(coalesce(k.kode_kegiatan,'')) LIKE ?)")
        params += [like] * 4
    return (" WHERE " + " AND ".join(where)) if where else "", params


def list_kegiatan(db: Database, *, search: str | None = None, date_from=None, date_to=None,
                  kode_layanan: str | None = None, jenis: str | None = None,
                  include_deleted: bool = False, only_deleted: bool = False, offset: int = 0,
                  limit: int | None = None, sort: str | None = None, descending: bool = True) -> list[dict]:
    """Events (newest first by default) with participant and attendance counts."""
    where, params = _filters(search, date_from, date_to, kode_layanan, jenis, include_deleted, only_deleted)
    order = SORT_KEYS.get(sort or "tanggal_mulai", "k.tanggal_mulai")
    sql = _SELECT + where + f" ORDER BY {order}{' DESC' if descending else ''}, k.nama COLLATE NOCASE, k.id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return _dicts(db.execute(sql, params))


def count_kegiatan(db: Database, **filters) -> int:
    where, params = _filters(filters.get("search"), filters.get("date_from"), filters.get("date_to"),
                             filters.get("kode_layanan"), filters.get("jenis"),
                             filters.get("include_deleted", False), filters.get("only_deleted", False))
    return db.execute("SELECT count(*) FROM kegiatan k" + where, params).fetchone()[0]


def peserta_list(db: Database, kegiatan_id: str) -> list[dict]:
    """Participants of an event (living), ordered by type then name, with their register data."""
    return _dicts(db.execute(
        "SELECT kp.id AS peserta_id, kp.hadir, kp.keterangan AS peserta_keterangan, p.*, "
        "j.nama AS jenis_nama, j.singkatan AS jenis_singkatan, w.nama AS wilayah_nama "
        "FROM kegiatan_peserta kp JOIN psks p ON p.id = kp.psks_id "
        "LEFT JOIN ref_psks_jenis j ON j.kode = p.jenis_kode "
        "LEFT JOIN ref_wilayah w ON w.kode = p.kode_wilayah "
        "WHERE kp.kegiatan_id = ? AND kp.deleted_at IS NULL "
        "ORDER BY j.urut, p.nama COLLATE NOCASE, p.id",
        [kegiatan_id],
    ))


def started(kegiatan: Mapping[str, Any], today: _dt.date | None = None) -> bool:
    """True once the event's first day has come (attendance may be recorded)."""
    return _started(kegiatan, today)
