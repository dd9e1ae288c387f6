"""Disaster events (DOMAIN.md §7), their emergency window, the event summary
and the SPM_BENCANA indicator (§8).

An event has a kind (``alam``/``sosial``, taken from its type in
``ref_bencana_jenis``), a date (never in the future) and time, a kelurahan and
place, first estimates (KK, jiwa, houses damaged), the length of its emergency
period (``lama_tanggap_darurat``, default 7 days), a status and notes.

**The emergency window.** Seed 002 says basic needs are met "dalam masa
tanggap darurat yaitu 7 (tujuh) hari setelah terjadi bencana": seven days
*after* the day of the event. The day of the event itself is obviously inside
(aid usually starts that evening), so the window is
``[tanggal, tanggal + lama]``: a fire on 1 March 2025 with the standard 7 days
has its window end on 8 March 2025 (inclusive). ``akhir_masa_tanggap`` is the
one place that computes it. The length is changed only with a reason
(``alasan_perpanjangan``), which the audit trail keeps with old and new value.

Pure Python + sqlite_utils: no Qt here.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from sqlite_utils import Database

from db import records, reference
from db.clock import today
from db.errors import KnownError, ValidationError
from db.parsing import parse_date, parse_number

LAMA_BAKU = 7  # "7 (tujuh) hari setelah terjadi bencana" (seed 002)
KODE_LAYANAN_BENCANA = "1.06.06.2.01"  # Perlindungan Sosial Korban Bencana Alam dan Sosial
KATEGORI_PPKS = {"alam": "21", "sosial": "22"}  # Korban Bencana Alam / Sosial (Permensos 8/2012)

# Workflow state of an event (not a regulatory list): shown by name in the UI.
STATUS = {
    "tanggap_darurat": "Tanggap Darurat",
    "pemulihan": "Pemulihan",
    "selesai": "Selesai",
}
KELOMPOK = {"alam": "Bencana Alam", "sosial": "Bencana Sosial"}

# Columns a caller may set; everything else (ids, stamps) is ours.
FIELDS = (
    "kode_kejadian", "kelompok", "jenis_kode", "tanggal", "waktu", "kode_wilayah", "lokasi", "rt", "rw",
    "kk_terdampak", "jiwa_terdampak", "rumah_rusak", "lama_tanggap_darurat", "alasan_perpanjangan",
    "status", "keterangan",
)


# --------------------------------------------------------------------------- window


def akhir_masa_tanggap(tanggal, lama: int | None = None) -> _dt.date:
    """Last day (inclusive) of the emergency window: the event day + ``lama`` days."""
    d = tanggal if isinstance(tanggal, _dt.date) else _dt.date.fromisoformat(str(tanggal)[:10])
    return d + _dt.timedelta(days=int(lama or LAMA_BAKU))


def dalam_masa_tanggap(bencana: dict, tanggal) -> bool:
    """Whether ``tanggal`` falls inside the event's emergency window."""
    d = tanggal if isinstance(tanggal, _dt.date) else _dt.date.fromisoformat(str(tanggal)[:10])
    start = _dt.date.fromisoformat(bencana["tanggal"])
    return start <= d <= akhir_masa_tanggap(start, bencana["lama_tanggap_darurat"])


# --------------------------------------------------------------------------- lookups


def jenis_row(db: Database, text: str | None) -> dict | None:
    """A disaster type by code ('banjir_rob') or name ('Banjir Rob', 'banjir rob', 'Puting Beliung')."""
    if text is None or not str(text).strip():
        return None
    key = str(text).strip()
    rows = reference.bencana_jenis(db)
    for r in rows:
        if r["kode"] == key:
            return r
    norm = _norm(key)
    for r in rows:
        if norm in (_norm(r["kode"]), _norm(r["nama"])):
            return r
    # 'Angin Puting Beliung' for 'Angin Puting Beliung/Angin Kencang', 'kebakaran' for 'Kebakaran Permukiman'
    contains = [r for r in rows if any(norm in _norm(part) for part in re.split(r"[/,]", r["nama"]))]
    return contains[0] if len(contains) == 1 else None


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


def jenis_nama(db: Database, kode: str | None) -> str:
    row = jenis_row(db, kode)
    return row["nama"] if row else (kode or "")


def get_bencana(db: Database, bencana_id: str) -> dict | None:
    """The event (living or deleted) with ``akhir_masa_tanggap`` (ISO) added, or None."""
    row = records.get(db, "bencana", bencana_id)
    if row is not None:
        row["akhir_masa_tanggap"] = akhir_masa_tanggap(row["tanggal"], row["lama_tanggap_darurat"]).isoformat()
    return row


def cari_kode_kejadian(db: Database, kode_kejadian: str | None) -> dict | None:
    """The living event with this user reference (case-insensitive, spaces trimmed), or None."""
    if kode_kejadian is None or not str(kode_kejadian).strip():
        return None
    row = db.execute(
        "SELECT id FROM bencana WHERE deleted_at IS NULL AND upper(trim(kode_kejadian)) = upper(?) "
        "ORDER BY created_at LIMIT 1",
        [str(kode_kejadian).strip()],
    ).fetchone()
    return get_bencana(db, row[0]) if row else None


# --------------------------------------------------------------------------- validation


def _int_field(value, label: str, errors: dict, key: str, minimum: int = 0) -> int | None:
    try:
        number = parse_number(value)
    except ValueError as exc:
        errors[key] = str(exc)
        return None
    if number is None:
        return None
    if number != int(number):
        errors[key] = f"{label} harus bilangan bulat"
        return None
    if number < minimum:
        errors[key] = f"{label} tidak boleh kurang dari {minimum}"
        return None
    return int(number)


_WAKTU_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")


def validate_bencana(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    """Clean ``values`` into column values; ValidationError({field: message}) when invalid.

    Only keys present in ``values`` are checked, plus the required ones
    (jenis_kode, tanggal, kode_wilayah) when ``values`` is a full record.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key in values:
        if key not in FIELDS:
            raise KnownError(f"Kolom kejadian bencana tidak dikenal: {key}")

    if "kode_kejadian" in values:
        kode = (values["kode_kejadian"] or "").strip() if values["kode_kejadian"] is not None else ""
        clean["kode_kejadian"] = kode or None

    if "jenis_kode" in values:
        jenis = jenis_row(db, values["jenis_kode"])
        if jenis is None:
            errors["jenis_kode"] = (
                "Jenis bencana wajib dipilih" if not values["jenis_kode"]
                else f"Jenis bencana '{values['jenis_kode']}' tidak dikenal"
            )
        else:
            clean["jenis_kode"] = jenis["kode"]
            kelompok = values.get("kelompok")
            if kelompok and kelompok != jenis["kelompok"]:
                errors["kelompok"] = (
                    f"{jenis['nama']} termasuk {KELOMPOK[jenis['kelompok']].lower()}, bukan {KELOMPOK.get(kelompok, kelompok).lower()}"
                )
            clean["kelompok"] = jenis["kelompok"]
    elif values.get("kelompok") is not None:
        if values["kelompok"] not in KELOMPOK:
            errors["kelompok"] = "Kelompok bencana harus alam atau sosial"
        else:
            clean["kelompok"] = values["kelompok"]

    if "tanggal" in values:
        try:
            d = parse_date(values["tanggal"])
        except ValueError as exc:
            errors["tanggal"] = str(exc)
        else:
            if d is None:
                errors["tanggal"] = "Tanggal kejadian wajib diisi"
            elif d > today():
                errors["tanggal"] = (
                    f"Tanggal kejadian {d.strftime('%d/%m/%Y')} belum terjadi (setelah hari ini); periksa tanggalnya"
                )
            else:
                clean["tanggal"] = d.isoformat()

    if "waktu" in values:
        text = (str(values["waktu"]).strip() if values["waktu"] is not None else "")
        if isinstance(values["waktu"], _dt.time):
            text = values["waktu"].strftime("%H:%M")
        if not text:
            clean["waktu"] = None
        else:
            m = _WAKTU_RE.match(text)
            if not m or int(m[1]) > 23 or int(m[2]) > 59:
                errors["waktu"] = f"Waktu '{text}' tidak sah (tulis jj:mm, mis. 14:30)"
            else:
                clean["waktu"] = f"{int(m[1]):02d}:{m[2]}"

    if "kode_wilayah" in values:
        kode = (values["kode_wilayah"] or "").strip() if values["kode_wilayah"] else ""
        norm = reference.normalize_kode_wilayah(kode) if kode else None
        found = reference.wilayah(db, norm or kode) if kode else None
        if not kode:
            errors["kode_wilayah"] = "Kelurahan wajib diisi"
        elif found is None:
            errors["kode_wilayah"] = f"Kode wilayah '{kode}' tidak dikenal"
        elif found["tingkat"] < reference.TINGKAT_KECAMATAN:
            errors["kode_wilayah"] = f"{found['nama']} bukan kelurahan/desa (atau kecamatan)"
        else:
            clean["kode_wilayah"] = found["kode"]

    for key in ("lokasi", "rt", "rw", "keterangan", "alasan_perpanjangan"):
        if key in values:
            v = values[key]
            v = str(v).strip() if v is not None else ""
            clean[key] = v or None

    for key, label in (("kk_terdampak", "KK terdampak"), ("jiwa_terdampak", "Jiwa terdampak"),
                       ("rumah_rusak", "Rumah rusak")):
        if key in values:
            clean[key] = _int_field(values[key], label, errors, key)

    if "lama_tanggap_darurat" in values:
        lama = _int_field(values["lama_tanggap_darurat"], "Lama tanggap darurat", errors, "lama_tanggap_darurat", 1)
        if "lama_tanggap_darurat" not in errors:
            if lama is None:
                lama = LAMA_BAKU
            if lama > 365:
                errors["lama_tanggap_darurat"] = "Lama tanggap darurat paling lama 365 hari"
            clean["lama_tanggap_darurat"] = lama

    if "status" in values:
        status = values["status"] or "tanggap_darurat"
        if status not in STATUS:
            errors["status"] = f"Status '{status}' tidak dikenal"
        else:
            clean["status"] = status

    if errors:
        raise ValidationError(errors)
    return clean


# --------------------------------------------------------------------------- writing


def _kode_baru(db: Database, tahun: int) -> str:
    while True:
        n = records.next_number(db, "kode_kejadian", str(tahun))
        kode = f"KJD-{tahun}-{n:03d}"
        if cari_kode_kejadian(db, kode) is None:
            return kode


def _check_kode_unik(db: Database, kode: str | None, except_id: str | None = None) -> None:
    if not kode:
        return
    other = cari_kode_kejadian(db, kode)
    if other is not None and other["id"] != except_id:
        raise ValidationError({
            "kode_kejadian": f"Kode kejadian '{kode}' sudah dipakai untuk kejadian tanggal "
                             f"{_dt.date.fromisoformat(other['tanggal']).strftime('%d/%m/%Y')}"
        })


def tambah_bencana(db: Database, values: dict[str, Any]) -> dict:
    """Record a new event; returns it (with ``akhir_masa_tanggap``).

    Required: ``jenis_kode`` (code or name), ``tanggal`` (not in the future),
    ``kode_wilayah``. ``lama_tanggap_darurat`` defaults to 7; another length
    needs ``alasan_perpanjangan``. An empty ``kode_kejadian`` gets
    ``KJD-<year>-<nnn>``.
    """
    full = {k: values.get(k) for k in ("jenis_kode", "tanggal", "kode_wilayah")}
    full.update(values)
    clean = validate_bencana(db, full)
    lama = clean.get("lama_tanggap_darurat") or LAMA_BAKU
    clean["lama_tanggap_darurat"] = lama
    if lama != LAMA_BAKU and not clean.get("alasan_perpanjangan"):
        raise ValidationError({
            "alasan_perpanjangan": f"Masa tanggap darurat {lama} hari (bukan {LAMA_BAKU} hari) memerlukan alasan "
                                   "(mis. nomor SK perpanjangan)"
        })
    clean.setdefault("status", "tanggap_darurat")
    with db.atomic():
        if clean.get("kode_kejadian"):
            _check_kode_unik(db, clean["kode_kejadian"])
        else:
            clean["kode_kejadian"] = _kode_baru(db, int(clean["tanggal"][:4]))
        rec = records.insert(db, "bencana", clean)
    return get_bencana(db, rec["id"])


def ubah_bencana(db: Database, bencana_id: str, changes: dict[str, Any]) -> dict:
    """Change an event. A new ``lama_tanggap_darurat`` needs ``alasan_perpanjangan``
    (the audit trail keeps old and new values); moving the date after aid already
    given is refused when that aid would then fall before the event."""
    old = get_bencana(db, bencana_id)
    if old is None or old["deleted_at"]:
        raise KnownError("Kejadian bencana tidak ditemukan (mungkin sudah dihapus).")
    clean = validate_bencana(db, changes)
    if "lama_tanggap_darurat" in clean and clean["lama_tanggap_darurat"] != old["lama_tanggap_darurat"]:
        alasan = clean.get("alasan_perpanjangan")
        if not alasan or alasan == old.get("alasan_perpanjangan"):
            raise ValidationError({
                "alasan_perpanjangan": "Mengubah lama masa tanggap darurat memerlukan alasan baru "
                                       "(mis. SK perpanjangan status tanggap darurat)"
            })
    elif "alasan_perpanjangan" in clean and clean["alasan_perpanjangan"] != old.get("alasan_perpanjangan"):
        # The reason belongs to a length change; do not let it drift silently.
        clean.pop("alasan_perpanjangan")
    if "kelompok" in clean and clean["kelompok"] != old["kelompok"]:
        n = db.execute("SELECT count(*) FROM korban WHERE bencana_id = ? AND deleted_at IS NULL",
                       [bencana_id]).fetchone()[0]
        if n:
            raise ValidationError({
                "jenis_kode": "Kejadian ini sudah memiliki korban terdaftar; jenis hanya boleh diganti "
                              "dalam kelompok yang sama (alam/sosial)"
            })
    if "tanggal" in clean and clean["tanggal"] > old["tanggal"]:
        first = db.execute(
            "SELECT min(tanggal) FROM layanan WHERE bencana_id = ? AND deleted_at IS NULL AND status = 'aktif'",
            [bencana_id],
        ).fetchone()[0]
        if first is not None and first < clean["tanggal"]:
            raise ValidationError({
                "tanggal": f"Sudah ada bantuan tanggal {_dt.date.fromisoformat(first).strftime('%d/%m/%Y')} "
                           "untuk kejadian ini; tanggal kejadian tidak boleh sesudahnya"
            })
    with db.atomic():
        if "kode_kejadian" in clean:
            if not clean["kode_kejadian"]:
                clean.pop("kode_kejadian")
            else:
                _check_kode_unik(db, clean["kode_kejadian"], except_id=bencana_id)
        records.update(db, "bencana", bencana_id, clean)
        if "tanggal" in clean or "lama_tanggap_darurat" in clean:
            tandai_terlambat(db, bencana_id)
    return get_bencana(db, bencana_id)


def ubah_masa_tanggap(db: Database, bencana_id: str, lama: int, alasan: str) -> dict:
    """Extend (or shorten) the emergency window; ``alasan`` is required and audited."""
    if not alasan or not str(alasan).strip():
        raise ValidationError({"alasan_perpanjangan": "Alasan perubahan masa tanggap darurat wajib diisi"})
    return ubah_bencana(db, bencana_id, {"lama_tanggap_darurat": lama, "alasan_perpanjangan": alasan})


def tandai_terlambat(db: Database, bencana_id: str) -> int:
    """Recompute the ``terlambat`` flag of the event's services after its window moved.

    Returns the number of services whose flag changed (each change audited).
    """
    ev = get_bencana(db, bencana_id)
    end = ev["akhir_masa_tanggap"]
    rows = db.execute(
        "SELECT id, terlambat, tanggal FROM layanan WHERE bencana_id = ? AND deleted_at IS NULL",
        [bencana_id],
    ).fetchall()
    changed = 0
    with db.atomic():
        for lid, flag, tgl in rows:
            late = 1 if (tgl > end or tgl < ev["tanggal"]) else 0
            if late != flag:
                records.update(db, "layanan", lid, {"terlambat": late})
                changed += 1
    return changed


def hapus_bencana(db: Database, bencana_id: str, alasan: str) -> None:
    """Soft-delete an event; refused while it still has victims or aid recorded."""
    n_korban = db.execute("SELECT count(*) FROM korban WHERE bencana_id = ? AND deleted_at IS NULL",
                          [bencana_id]).fetchone()[0]
    n_layanan = db.execute("SELECT count(*) FROM layanan WHERE bencana_id = ? AND deleted_at IS NULL",
                           [bencana_id]).fetchone()[0]
    if n_korban or n_layanan:
        raise KnownError(
            f"Kejadian ini masih memiliki {n_korban} korban dan {n_layanan} bantuan tercatat; "
            "hapus atau pindahkan dulu datanya."
        )
    records.soft_delete(db, "bencana", bencana_id, alasan)


# --------------------------------------------------------------------------- listing

_LIST_SQL = """
SELECT b.*, j.nama AS jenis_nama, w.nama AS wilayah_nama,
       date(b.tanggal, '+' || b.lama_tanggap_darurat || ' days') AS akhir_masa_tanggap,
       (SELECT count(*) FROM korban k WHERE k.bencana_id = b.id AND k.deleted_at IS NULL) AS jumlah_korban,
       (SELECT count(*) FROM korban k WHERE k.bencana_id = b.id AND k.deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM layanan l {served})) AS korban_dilayani
FROM bencana b
LEFT JOIN ref_bencana_jenis j ON j.kode = b.jenis_kode
LEFT JOIN ref_wilayah w ON w.kode = b.kode_wilayah
"""

_SORT_KEYS = {
    "kode_kejadian": "b.kode_kejadian", "tanggal": "b.tanggal", "jenis_nama": "j.nama",
    "wilayah_nama": "w.nama", "lokasi": "b.lokasi", "jumlah_korban": "jumlah_korban",
    "korban_dilayani": "korban_dilayani", "status": "b.status", "akhir_masa_tanggap": "akhir_masa_tanggap",
    "kk_terdampak": "b.kk_terdampak", "jiwa_terdampak": "b.jiwa_terdampak",
}


def served_condition(korban_alias: str = "k", event_alias: str | None = None) -> str:
    """SQL (after ``FROM layanan l``) that a victim got 1.06.06.2.01 aid of its event within the window.

    A service counts for a victim when it is for the victim's person, or for
    the victim's household (``orang_id`` empty, ``no_kk`` equal) - active,
    not deleted, of the same event, dated from the event day to the window end.
    """
    ev = event_alias or f"(SELECT tanggal FROM bencana WHERE id = {korban_alias}.bencana_id)"
    lama = (f"{event_alias}.lama_tanggap_darurat" if event_alias
            else f"(SELECT lama_tanggap_darurat FROM bencana WHERE id = {korban_alias}.bencana_id)")
    start = f"{event_alias}.tanggal" if event_alias else ev
    return (
        f"WHERE l.bencana_id = {korban_alias}.bencana_id AND l.deleted_at IS NULL AND l.status = 'aktif' "
        f"AND l.kode_layanan LIKE '{KODE_LAYANAN_BENCANA}.%' "
        f"AND (l.orang_id = {korban_alias}.orang_id OR (l.orang_id IS NULL AND l.no_kk IS NOT NULL "
        f"AND l.no_kk = (SELECT no_kk FROM orang WHERE id = {korban_alias}.orang_id))) "
        f"AND l.tanggal >= {start} AND l.tanggal <= date({start}, '+' || {lama} || ' days')"
    )


def _where(cari: str | None, periode: str | None, include_deleted: bool) -> tuple[str, list]:
    clauses, params = [], []
    if not include_deleted:
        clauses.append("b.deleted_at IS NULL")
    if periode:
        from db.parsing import parse_period

        year, month = parse_period(periode)
        prefix = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
        clauses.append("substr(b.tanggal, 1, ?) = ?")
        params += [len(prefix), prefix]
    if cari and cari.strip():
        like = f"%{cari.strip()}%"
        clauses.append("(b.kode_kejadian LIKE ? OR b.lokasi LIKE ? OR j.nama LIKE ? OR w.nama LIKE ? "
                       "OR b.keterangan LIKE ?)")
        params += [like] * 5
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def daftar_bencana(db: Database, offset: int = 0, limit: int = 200, sort_key: str | None = None,
                   descending: bool = False, *, cari: str | None = None, periode: str | None = None,
                   include_deleted: bool = False) -> list[dict]:
    """Events with type/area names, window end, victim and served counts; newest first by default."""
    where, params = _where(cari, periode, include_deleted)
    order = _SORT_KEYS.get(sort_key or "", None)
    order_sql = f"{order} {'DESC' if descending else 'ASC'}, b.id DESC" if order else "b.tanggal DESC, b.waktu DESC, b.id DESC"
    sql = (_LIST_SQL.format(served=served_condition("k", "b")) + where
           + f" ORDER BY {order_sql} LIMIT ? OFFSET ?")
    cur = db.execute(sql, [*params, limit, offset])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def hitung_bencana(db: Database, *, cari: str | None = None, periode: str | None = None) -> int:
    where, params = _where(cari, periode, False)
    sql = ("SELECT count(*) FROM bencana b LEFT JOIN ref_bencana_jenis j ON j.kode = b.jenis_kode "
           "LEFT JOIN ref_wilayah w ON w.kode = b.kode_wilayah" + where)
    return db.execute(sql, params).fetchone()[0]


# --------------------------------------------------------------------------- summary


def status_korban_sql() -> str:
    """SQL expression (over ``korban k``) giving a victim's service status for its event:
    'dalam_masa' (aid inside the window), 'terlambat' (aid only outside it), 'belum' (none yet)."""
    any_aid = (
        "WHERE l.bencana_id = k.bencana_id AND l.deleted_at IS NULL AND l.status = 'aktif' "
        f"AND l.kode_layanan LIKE '{KODE_LAYANAN_BENCANA}.%' "
        "AND (l.orang_id = k.orang_id OR (l.orang_id IS NULL AND l.no_kk IS NOT NULL "
        "AND l.no_kk = (SELECT no_kk FROM orang WHERE id = k.orang_id)))"
    )
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM layanan l {served_condition('k')}) THEN 'dalam_masa' "
        f"WHEN EXISTS (SELECT 1 FROM layanan l {any_aid}) THEN 'terlambat' ELSE 'belum' END"
    )


STATUS_LAYANAN_KORBAN = {
    "dalam_masa": "Dilayani dalam masa tanggap darurat",
    "terlambat": "Dilayani di luar masa tanggap darurat",
    "belum": "Belum dilayani",
}


def ringkasan_bencana(db: Database, bencana_id: str) -> dict:
    """Everything the event page and the event report show, as plain values.

    Keys: ``bencana`` (the event with ``jenis_nama``, ``kelompok_nama``,
    ``wilayah`` path names, ``akhir_masa_tanggap``), ``korban`` (total, L, P,
    kepala_keluarga, households, per ``tempat_tinggal``), ``dilayani`` (counts
    ``dalam_masa``/``terlambat``/``belum`` and the victim ids of each),
    ``bantuan`` (per sub-kegiatan: kode, nama, layanan, penerima, jumlah,
    satuan, nilai, terlambat; in catalogue order), ``bantuan_total``
    (layanan, nilai, terlambat), ``rentan`` (per kelompok_rentan code: nama,
    jumlah; every code of the list, zero included), ``rentan_total`` (victims
    in at least one vulnerable group).
    """
    ev = get_bencana(db, bencana_id)
    if ev is None or ev["deleted_at"]:
        raise KnownError("Kejadian bencana tidak ditemukan (mungkin sudah dihapus).")
    jenis = jenis_row(db, ev["jenis_kode"])
    path = reference.wilayah_path(db, ev["kode_wilayah"]) or []
    names = {p["tingkat"]: p["nama"] for p in path}
    bencana = dict(ev)
    bencana.update(
        jenis_nama=jenis["nama"] if jenis else ev["jenis_kode"],
        kelompok_nama=KELOMPOK.get(ev["kelompok"], ev["kelompok"]),
        status_nama=STATUS.get(ev["status"], ev["status"]),
        kelurahan_nama=names.get(4),
        kecamatan_nama=names.get(3),
        kabkota_nama=names.get(2),
        provinsi_nama=names.get(1),
    )

    rows = db.execute(
        f"SELECT k.id, k.kepala_keluarga, k.tempat_tinggal, k.kelompok_rentan, o.jenis_kelamin, o.no_kk, "
        f"({status_korban_sql()}) AS status_layanan "
        "FROM korban k JOIN orang o ON o.id = k.orang_id WHERE k.bencana_id = ? AND k.deleted_at IS NULL",
        [bencana_id],
    ).fetchall()
    tempat = {kode: 0 for kode, _ in reference.daftar(db, "tempat_tinggal_sementara")}
    rentan_codes = reference.daftar(db, "kelompok_rentan")
    rentan = {kode: 0 for kode, _ in rentan_codes}
    dilayani: dict[str, list[str]] = {"dalam_masa": [], "terlambat": [], "belum": []}
    laki = perempuan = kepala = rentan_any = 0
    households: set[str] = set()
    tanpa_tempat = 0
    for kid, kk_flag, tt, kr, jk, no_kk, status in rows:
        laki += jk == "L"
        perempuan += jk == "P"
        kepala += bool(kk_flag)
        if no_kk:
            households.add(no_kk)
        if tt in tempat:
            tempat[tt] += 1
        else:
            tanpa_tempat += 1
        codes = [c for c in (kr or "").split(",") if c]
        for c in codes:
            if c in rentan:
                rentan[c] += 1
        rentan_any += bool(codes)
        dilayani[status].append(kid)

    bantuan_rows = db.execute(
        "SELECT l.kode_layanan, r.nama, count(*), "
        "count(DISTINCT coalesce(l.orang_id, 'KK:' || l.no_kk)), sum(l.jumlah), "
        "group_concat(DISTINCT l.satuan), sum(l.nilai), sum(l.terlambat) "
        "FROM layanan l LEFT JOIN ref_layanan r ON r.kode = l.kode_layanan "
        "WHERE l.bencana_id = ? AND l.deleted_at IS NULL AND l.status = 'aktif' "
        "GROUP BY l.kode_layanan ORDER BY coalesce(r.urut, 9999), l.kode_layanan",
        [bencana_id],
    ).fetchall()
    bantuan = [
        {"kode": kode, "nama": nama or kode, "layanan": n, "penerima": penerima, "jumlah": jumlah,
         "satuan": satuan or "", "nilai": nilai or 0, "terlambat": late or 0}
        for kode, nama, n, penerima, jumlah, satuan, nilai, late in bantuan_rows
    ]
    return {
        "bencana": bencana,
        "korban": {
            "total": len(rows), "L": laki, "P": perempuan, "kepala_keluarga": kepala, "kk": len(households),
            "tempat_tinggal": tempat, "tempat_tinggal_kosong": tanpa_tempat,
        },
        "dilayani": {
            "dalam_masa": len(dilayani["dalam_masa"]), "terlambat": len(dilayani["terlambat"]),
            "belum": len(dilayani["belum"]), "ids": dilayani,
        },
        "bantuan": bantuan,
        "bantuan_total": {
            "layanan": sum(b["layanan"] for b in bantuan), "nilai": sum(b["nilai"] for b in bantuan),
            "terlambat": sum(b["terlambat"] for b in bantuan),
        },
        "rentan": [{"kode": kode, "nama": nama, "jumlah": rentan[kode]} for kode, nama in rentan_codes],
        "rentan_total": rentan_any,
    }


# --------------------------------------------------------------------------- SPM_BENCANA


def spm_bencana(db: Database, kode_wilayah_prefix: str | None, date_from, date_to) -> dict:
    """SPM_BENCANA (DOMAIN.md §8) for events in an area and a period, computed by the
    indicator engine (db/indikator.py, issue 7), which follows this module's window
    (``akhir_masa_tanggap``) and ``served_condition`` rules:

    - denominator: victims registered for events whose date lies in
      [date_from, date_to] and whose kelurahan is ``kode_wilayah_prefix`` or
      under it (None/'' = everywhere);
    - numerator: those victims who received at least one active 1.06.06.2.01.*
      service of their event inside its emergency window, for the person or
      the household.

    Victims are distinct persons (by NIK, else person id); a person who is a
    victim of two events in the period counts once, and counts as served when
    served within the window of either. Returns ``{"numerator",
    "denominator", "value"}`` with value in percent (None when the denominator is 0).
    """
    from db.indikator import Periode, hitung_indikator

    d0 = parse_date(date_from) if not isinstance(date_from, _dt.date) else date_from
    d1 = parse_date(date_to) if not isinstance(date_to, _dt.date) else date_to
    h = hitung_indikator(db, Periode.rentang(d0, d1), (kode_wilayah_prefix or "").strip().rstrip(".") or None,
                         ids=["SPM_BENCANA"])["SPM_BENCANA"]
    return {"numerator": h.numerator, "denominator": h.denominator, "value": h.nilai}
