"""Disaster victims by name and address (BNBA, DOMAIN.md §7).

A victim (table ``korban``) links one person (table ``orang``) to one event.
The person is either an existing one (``orang_id``) or created in the same
call from person fields (with the PPKS register's validation: NIK rules, name,
sex). Every victim automatically gets a PPKS registration of category 21
(Korban Bencana Alam) or 22 (Korban Bencana Sosial), dated the day of the
event, linked through ``korban.ppks_id``.

A household is entered quickly: the head first, then members who share the
head's No. KK and address (``tambah_keluarga``), all in one transaction.

The same person twice in one event is refused (``KorbanGanda``).

Pure Python + sqlite_utils: no Qt here.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable

from sqlite_utils import Database

from db import bencana as bencana_db
from db import records, reference
from db.errors import KnownError, ValidationError
from db.parsing import clean_digits

TEMPAT_TINGGAL = "tempat_tinggal_sementara"  # ref_daftar list
KELOMPOK_RENTAN = "kelompok_rentan"  # ref_daftar list
FIELDS = ("tempat_tinggal", "kelompok_rentan", "kepala_keluarga", "keterangan")


class KorbanGanda(KnownError):
    """The person is already a victim of this event."""

    def __init__(self, pesan: str, korban_id: str):
        super().__init__(pesan)
        self.korban_id = korban_id


# --------------------------------------------------------------------------- code lists


def _norm(text: Any) -> str:
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


def _match_daftar(db: Database, name: str, text: Any) -> str | None:
    """A code of a ref_daftar list from its code or name ('ibu hamil', 'Ibu Hamil', 'ibu_hamil')."""
    key = _norm(text)
    if not key:
        return None
    items = reference.daftar(db, name)
    for kode, nama in items:
        if key in (_norm(kode), _norm(nama)):
            return kode
    words = [(kode, _norm(nama).split()) for kode, nama in items]
    hits = [kode for kode, ws in words if all(w in ws for w in key.split())]
    return hits[0] if len(hits) == 1 else None


def parse_tempat_tinggal(db: Database, value: Any) -> str | None:
    """Code of the temporary residence (pengungsian/keluarga/rumah_sendiri); None if empty.

    ValueError with the accepted values when unknown."""
    if value is None or not str(value).strip():
        return None
    kode = _match_daftar(db, TEMPAT_TINGGAL, value)
    if kode is None:
        pilihan = ", ".join(k.replace("_", " ") for k, _ in reference.daftar(db, TEMPAT_TINGGAL))
        raise ValueError(f"Tempat tinggal sementara '{value}' tidak dikenal (pilih: {pilihan})")
    return kode


def parse_kelompok_rentan(db: Database, value: Any) -> str | None:
    """Comma list of vulnerable-group codes in list order ('lansia,disabilitas'); None if empty.

    Accepts a list or a text separated by commas/semicolons/'dan'."""
    if value is None:
        return None
    parts: Iterable[Any]
    if isinstance(value, (list, tuple, set)):
        parts = value
    else:
        parts = re.split(r"[,;/]|\bdan\b", str(value))
    codes: set[str] = set()
    for part in parts:
        if part is None or not str(part).strip():
            continue
        kode = _match_daftar(db, KELOMPOK_RENTAN, part)
        if kode is None:
            pilihan = ", ".join(k.replace("_", " ") for k, _ in reference.daftar(db, KELOMPOK_RENTAN))
            raise ValueError(f"Kelompok rentan '{str(part).strip()}' tidak dikenal (pilih: {pilihan})")
        codes.add(kode)
    if not codes:
        return None
    order = [k for k, _ in reference.daftar(db, KELOMPOK_RENTAN)]
    return ",".join(k for k in order if k in codes)


def kelompok_rentan_nama(db: Database, codes: str | None) -> str:
    """'lansia,disabilitas' -> 'Lanjut Usia, Penyandang Disabilitas'."""
    names = dict(reference.daftar(db, KELOMPOK_RENTAN))
    return ", ".join(names.get(c, c) for c in (codes or "").split(",") if c)


def _clean_korban_fields(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key in values:
        if key not in FIELDS:
            raise KnownError(f"Kolom korban tidak dikenal: {key}")
    if "tempat_tinggal" in values:
        try:
            clean["tempat_tinggal"] = parse_tempat_tinggal(db, values["tempat_tinggal"])
        except ValueError as exc:
            errors["tempat_tinggal"] = str(exc)
    if "kelompok_rentan" in values:
        try:
            clean["kelompok_rentan"] = parse_kelompok_rentan(db, values["kelompok_rentan"])
        except ValueError as exc:
            errors["kelompok_rentan"] = str(exc)
    if "kepala_keluarga" in values:
        clean["kepala_keluarga"] = 1 if values["kepala_keluarga"] else 0
    if "keterangan" in values:
        v = values["keterangan"]
        clean["keterangan"] = (str(v).strip() or None) if v is not None else None
    if errors:
        raise ValidationError(errors)
    return clean


# --------------------------------------------------------------------------- people (via the PPKS register)


def _buat_orang(db: Database, data: dict[str, Any], ev: dict, *, terima_peringatan: bool) -> tuple[dict, list[str]]:
    """(new person, warnings) through the PPKS register's ``save_person`` (its validation: NIK rules,
    name, sex, area). A victim without an area lives in the event's kelurahan."""
    from db import ppks

    data = {k: v for k, v in data.items() if k in ppks.PERSON_FIELDS}
    if not data.get("kode_wilayah") and not data.get("asal_luar"):
        data["kode_wilayah"] = ev["kode_wilayah"]
    chk = ppks.check_person(db, data)
    if chk.errors:
        raise ValidationError(chk.errors)
    if chk.warnings and not terima_peringatan:
        raise ppks.NeedsConfirmation(chk.warnings)
    person = ppks.save_person(db, data, confirm_warnings=True)
    return person, list(chk.warnings.values())


# --------------------------------------------------------------------------- writing


def _event(db: Database, bencana_id: str) -> dict:
    ev = bencana_db.get_bencana(db, bencana_id)
    if ev is None or ev["deleted_at"]:
        raise KnownError("Kejadian bencana tidak ditemukan (mungkin sudah dihapus).")
    return ev


def korban_dari_orang(db: Database, bencana_id: str, orang_id: str) -> dict | None:
    """The living victim record of this person in this event, or None."""
    row = db.execute("SELECT id FROM korban WHERE bencana_id = ? AND orang_id = ? AND deleted_at IS NULL",
                     [bencana_id, orang_id]).fetchone()
    return records.get(db, "korban", row[0]) if row else None


def _pesan_ganda(db: Database, ev: dict, orang: dict, korban_id: str) -> KorbanGanda:
    tgl = _dt.date.fromisoformat(ev["tanggal"]).strftime("%d/%m/%Y")
    ident = f"NIK {orang['nik']}" if orang.get("nik") else "tanpa NIK"
    return KorbanGanda(
        f"{orang['nama']} ({ident}) sudah terdaftar sebagai korban kejadian {ev['kode_kejadian']} "
        f"({bencana_db.jenis_nama(db, ev['jenis_kode'])}, {tgl}); orang yang sama tidak dapat dicatat dua kali.",
        korban_id,
    )


def tambah_korban(db: Database, bencana_id: str, *, orang_id: str | None = None,
                  orang: dict[str, Any] | None = None, tempat_tinggal: Any = None, kelompok_rentan: Any = None,
                  kepala_keluarga: bool = False, keterangan: str | None = None,
                  terima_peringatan: bool = True) -> dict:
    """Register a victim of an event; returns the korban row plus ``orang`` (the person),
    ``orang_baru`` (created now?), ``ppks`` (the registration) and ``peringatan`` (NIK warnings).

    Give ``orang_id`` to link an existing person, or ``orang`` (person fields:
    nama, nik, no_kk, jenis_kelamin, tanggal_lahir, alamat, rt, rw, kode_wilayah, ...)
    to create one - or to link the existing person with that NIK.
    Raises KorbanGanda when the person is already a victim of the event,
    ValidationError for invalid fields (person fields keep their own keys).
    """
    if (orang_id is None) == (orang is None):
        raise KnownError("Pilih orang yang sudah terdaftar atau isi data orang baru (salah satu).")
    ev = _event(db, bencana_id)
    fields = _clean_korban_fields(db, {
        "tempat_tinggal": tempat_tinggal, "kelompok_rentan": kelompok_rentan,
        "kepala_keluarga": kepala_keluarga, "keterangan": keterangan,
    })
    with db.atomic():
        warnings: list[str] = []
        created = False
        if orang_id is not None:
            person = records.get(db, "orang", orang_id)
            if person is None or person["deleted_at"]:
                raise KnownError("Orang yang dipilih tidak ditemukan (mungkin sudah dihapus).")
        else:
            from db import ppks

            existing = None
            nik = (orang or {}).get("nik")
            if nik:
                try:
                    existing = ppks.find_by_nik(db, clean_digits(nik, length=16, label="NIK"))
                except ValueError:
                    existing = None  # the person validation reports it
            if existing is not None:
                person = existing
            else:
                person, warnings = _buat_orang(db, dict(orang or {}), ev, terima_peringatan=terima_peringatan)
                created = True
        dup = korban_dari_orang(db, bencana_id, person["id"])
        if dup is not None:
            raise _pesan_ganda(db, ev, person, dup["id"])
        reg = _registrasi_ppks(db, ev, person["id"])
        rec = records.insert(db, "korban", {
            "bencana_id": bencana_id, "orang_id": person["id"], "ppks_id": reg["id"], **fields,
        })
    rec.update(orang=person, orang_baru=created, ppks=reg, peringatan=warnings)
    return rec


def _registrasi_ppks(db: Database, ev: dict, orang_id: str) -> dict:
    """The category 21/22 registration of a new victim, dated the day of the event (PPKS register)."""
    from db import ppks

    kategori = bencana_db.KATEGORI_PPKS[ev["kelompok"]]
    tgl = _dt.date.fromisoformat(ev["tanggal"]).strftime("%d/%m/%Y")
    return ppks.add_registration(db, orang_id, {
        "kategori_kode": kategori, "tanggal_pendataan": ev["tanggal"], "status": "aktif",
        "keterangan": f"Korban {bencana_db.jenis_nama(db, ev['jenis_kode'])} {tgl} ({ev['kode_kejadian']})",
    })


def tambah_keluarga(db: Database, bencana_id: str, kepala: dict[str, Any], anggota: list[dict[str, Any]] = (),
                    *, no_kk: str | None = None, alamat: str | None = None, rt: str | None = None,
                    rw: str | None = None, kode_wilayah: str | None = None, tempat_tinggal: Any = None,
                    terima_peringatan: bool = True) -> list[dict]:
    """Register a household in one step: the head, then members sharing No. KK and address.

    ``kepala`` and each of ``anggota`` hold either ``orang_id`` or person
    fields, plus optional ``tempat_tinggal``/``kelompok_rentan``/``keterangan``
    of that victim. The shared ``no_kk``/``alamat``/``rt``/``rw``/``kode_wilayah``
    fill new persons' empty fields (an existing person without No. KK gets the
    household's). ``tempat_tinggal`` is the household's default. All or
    nothing: a ValidationError names the member ("Anggota 2 - NIK: ...").
    """
    shared = {k: v for k, v in (("no_kk", no_kk), ("alamat", alamat), ("rt", rt), ("rw", rw),
                                ("kode_wilayah", kode_wilayah)) if v not in (None, "")}
    if shared.get("no_kk"):
        try:
            shared["no_kk"] = clean_digits(shared["no_kk"], length=16, label="No. KK")
        except ValueError as exc:
            raise ValidationError({"no_kk": str(exc)}) from None
    out = []
    with db.atomic():
        for i, member in enumerate([kepala, *anggota]):
            label = "Kepala keluarga" if i == 0 else f"Anggota {i}"
            member = dict(member)
            victim = {k: member.pop(k) for k in ("tempat_tinggal", "kelompok_rentan", "keterangan") if k in member}
            victim.setdefault("tempat_tinggal", tempat_tinggal)
            orang_id = member.pop("orang_id", None)
            try:
                if orang_id:
                    if shared.get("no_kk") and records.get(db, "orang", orang_id) is not None:
                        from db import ppks

                        ppks.fill_empty(db, orang_id, {"no_kk": shared["no_kk"]})
                    rec = tambah_korban(db, bencana_id, orang_id=orang_id, kepala_keluarga=i == 0,
                                        terima_peringatan=terima_peringatan, **victim)
                else:
                    for k, v in shared.items():
                        if member.get(k) in (None, ""):
                            member[k] = v
                    rec = tambah_korban(db, bencana_id, orang=member, kepala_keluarga=i == 0,
                                        terima_peringatan=terima_peringatan, **victim)
            except KorbanGanda as exc:
                raise KorbanGanda(f"{label}: {exc.pesan}", exc.korban_id) from None
            except ValidationError as exc:
                raise ValidationError({f"{label} - {k}": v for k, v in exc.errors.items()}) from None
            except KnownError as exc:
                raise KnownError(f"{label}: {exc.pesan}") from None
            out.append(rec)
    return out


def ubah_korban(db: Database, korban_id: str, changes: dict[str, Any]) -> dict:
    """Change a victim's residence, vulnerable groups, head flag or note (audited)."""
    old = records.get(db, "korban", korban_id)
    if old is None or old["deleted_at"]:
        raise KnownError("Data korban tidak ditemukan (mungkin sudah dihapus).")
    clean = _clean_korban_fields(db, changes)
    return records.update(db, "korban", korban_id, clean)


def hapus_korban(db: Database, korban_id: str, alasan: str) -> None:
    """Soft-delete a victim and its PPKS registration; refused while it has aid of the event."""
    old = records.get(db, "korban", korban_id)
    if old is None or old["deleted_at"]:
        return
    n = db.execute(
        "SELECT count(*) FROM layanan WHERE bencana_id = ? AND orang_id = ? AND deleted_at IS NULL "
        "AND status = 'aktif'", [old["bencana_id"], old["orang_id"]],
    ).fetchone()[0]
    if n:
        raise KnownError(f"Korban ini sudah menerima {n} bantuan untuk kejadian ini; batalkan bantuannya dulu.")
    with db.atomic():
        records.soft_delete(db, "korban", korban_id, alasan)
        if old["ppks_id"]:
            other = db.execute("SELECT count(*) FROM korban WHERE ppks_id = ? AND deleted_at IS NULL",
                               [old["ppks_id"]]).fetchone()[0]
            if not other:
                records.soft_delete(db, "ppks", old["ppks_id"], f"Data korban bencana dihapus: {alasan}")


# --------------------------------------------------------------------------- listing

_SORT_KEYS = {
    "nama": "nama COLLATE NOCASE", "nik": "nik", "no_kk": "no_kk", "jenis_kelamin": "jenis_kelamin",
    "tanggal_lahir": "tanggal_lahir", "alamat": "alamat", "tempat_tinggal": "tempat_tinggal",
    "kelompok_rentan": "kelompok_rentan", "status_layanan": "status_layanan", "jumlah_bantuan": "jumlah_bantuan",
    "kode_kejadian": "kode_kejadian", "created_at": "created_at",
}


def _korban_where(bencana_id, cari, periode, tempat_tinggal) -> tuple[str, list]:
    clauses, params = ["k.deleted_at IS NULL", "b.deleted_at IS NULL"], []
    if bencana_id:
        clauses.append("k.bencana_id = ?")
        params.append(bencana_id)
    if periode:
        from db.parsing import parse_period

        year, month = parse_period(periode)
        prefix = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
        clauses.append("substr(b.tanggal, 1, ?) = ?")
        params += [len(prefix), prefix]
    if tempat_tinggal:
        clauses.append("k.tempat_tinggal = ?")
        params.append(tempat_tinggal)
    if cari and cari.strip():
        text = cari.strip()
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4 and digits == text.replace(" ", "").replace(".", ""):
            clauses.append("(o.nik LIKE ? OR o.no_kk LIKE ?)")
            params += [digits + "%", digits + "%"]
        else:
            clauses.append("(o.nama LIKE ? OR o.alamat LIKE ?)")
            params += [f"%{text}%", f"%{text}%"]
    return " WHERE " + " AND ".join(clauses), params


def _select_sql() -> str:
    return (
        "SELECT k.id, k.bencana_id, k.orang_id, k.ppks_id, k.kepala_keluarga, k.tempat_tinggal, "
        "k.kelompok_rentan, k.keterangan, k.created_at, b.kode_kejadian, b.tanggal AS tanggal_kejadian, "
        "o.nama, o.nik, o.nik_sementara, o.no_kk, o.jenis_kelamin, o.tanggal_lahir, o.alamat, o.rt, o.rw, "
        f"({bencana_db.status_korban_sql()}) AS status_layanan, "
        "(SELECT count(*) FROM layanan l WHERE l.bencana_id = k.bencana_id AND l.orang_id = k.orang_id "
        "  AND l.deleted_at IS NULL AND l.status = 'aktif') AS jumlah_bantuan, "
        "k.rowid AS _urut, min(k.rowid) OVER (PARTITION BY k.bencana_id, coalesce(o.no_kk, k.id)) AS _urut_kk "
        "FROM korban k JOIN bencana b ON b.id = k.bencana_id JOIN orang o ON o.id = k.orang_id"
    )


def daftar_korban(db: Database, bencana_id: str | None = None, offset: int = 0, limit: int = 200,
                  sort_key: str | None = None, descending: bool = False, *, cari: str | None = None,
                  status: str | None = None, periode: str | None = None,
                  tempat_tinggal: str | None = None) -> list[dict]:
    """Victims with their person's fields, ``status_layanan`` ('dalam_masa'/'terlambat'/'belum')
    and ``jumlah_bantuan``; households together (by No. KK, head first) by default."""
    order = _SORT_KEYS.get(sort_key or "")
    if order:
        order_sql = f"{order} {'DESC' if descending else 'ASC'}, id"
    else:
        # households in the order they were entered, head first
        order_sql = "tanggal_kejadian DESC, bencana_id, _urut_kk, kepala_keluarga DESC, _urut"
    where, params = _korban_where(bencana_id, cari, periode, tempat_tinggal)
    sql = f"SELECT * FROM ({_select_sql()}{where})"
    if status:
        sql += " WHERE status_layanan = ?"
        params = [*params, status]
    sql += f" ORDER BY {order_sql} LIMIT ? OFFSET ?"
    cur = db.execute(sql, [*params, limit, offset])
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(cols, r))
        row.pop("_urut")
        row.pop("_urut_kk")
        out.append(row)
    return out


def hitung_korban(db: Database, bencana_id: str | None = None, *, cari: str | None = None,
                  status: str | None = None, periode: str | None = None, tempat_tinggal: str | None = None) -> int:
    where, params = _korban_where(bencana_id, cari, periode, tempat_tinggal)
    if status:
        sql = f"SELECT count(*) FROM ({_select_sql()}{where}) WHERE status_layanan = ?"
        params = [*params, status]
    else:
        sql = ("SELECT count(*) FROM korban k JOIN bencana b ON b.id = k.bencana_id "
               f"JOIN orang o ON o.id = k.orang_id{where}")
    return db.execute(sql, params).fetchone()[0]


def korban_ids(db: Database, bencana_id: str, *, tempat_tinggal: str | None = None,
               no_kk: str | None = None, kelompok_rentan: str | None = None) -> list[dict]:
    """(korban id, orang id, no_kk) of an event's living victims, optionally filtered; household order."""
    clauses, params = ["k.bencana_id = ?", "k.deleted_at IS NULL"], [bencana_id]
    if tempat_tinggal:
        clauses.append("k.tempat_tinggal = ?")
        params.append(tempat_tinggal)
    if no_kk:
        clauses.append("o.no_kk = ?")
        params.append(no_kk)
    if kelompok_rentan:
        clauses.append("(',' || coalesce(k.kelompok_rentan, '') || ',') LIKE ?")
        params.append(f"%,{kelompok_rentan},%")
    rows = db.execute(
        "SELECT k.id, k.orang_id, o.no_kk, o.nama, k.kepala_keluarga FROM korban k JOIN orang o ON o.id = k.orang_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY coalesce(o.no_kk, k.id), k.kepala_keluarga DESC, k.created_at",
        params,
    ).fetchall()
    return [{"id": r[0], "orang_id": r[1], "no_kk": r[2], "nama": r[3], "kepala_keluarga": r[4]} for r in rows]
