"""What a Dinas install does with the packages it received (DOMAIN.md §9-10).

- **Completeness** (DHIS2's reporting rate): for a month, every kelurahan/desa
  of the kab/kota (from ``ref_wilayah``), whether it sent that month's package,
  when, on time or late, and which are missing; for a year, a kelurahan ×
  month grid. "Sent" = an accepted package of that month from an install of
  that area (``paket_log``); "when" = the package's own ``created_at`` (the
  moment the kelurahan made it, not when the Dinas got round to importing it;
  the import time is shown too). On time = made on or before the deadline day
  of the following month, set by the Dinas (setting ``batas_hari_kirim``,
  default 10; clamped to the month's length). Packages of TKSK installs working
  on a kecamatan are listed on a row of their own.
- **Duplicates**: the same NIK registered (living records) by two or more
  installs, for review with the records side by side; people without NIK with
  the same name and birth date in two installs are listed as a weaker hint.
  Indicators already count such a person once at kecamatan and kab/kota level
  (``db/indikator.py`` counts distinct ``COALESCE(nik, id)``).
- **Targets and verdicts**: thin wrappers over ``db/indikator.py``'s targets
  (table ``target``, for the Dinas's kab/kota code) and rating scale
  (setting ``skala_penilaian``, from ``ref_skala``).
"""
from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass

from sqlite_utils import Database

from db import indikator, reference
from db.clock import today
from db.errors import KnownError
from db.install import get_install, get_setting, set_setting
from db.sinkron import DITERIMA, TIDAK_BERUBAH, periode_deadline

SETTING_BATAS = "batas_hari_kirim"
BATAS_BAWAAN = 10

TEPAT_WAKTU, TERLAMBAT, BELUM, MENUNGGU, AKAN_DATANG = "tepat_waktu", "terlambat", "belum", "menunggu", "akan_datang"
STATUS_LABEL = {
    TEPAT_WAKTU: "Tepat waktu",
    TERLAMBAT: "Terlambat",
    BELUM: "Belum mengirim",
    MENUNGGU: "Belum (batas belum lewat)",
    AKAN_DATANG: "—",
}


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    cur = db.conn.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _dinas(db: Database):
    inst = get_install(db)
    if inst is None or not inst.is_dinas:
        raise KnownError("Fungsi ini hanya untuk basis data Dinas (peran DINAS).")
    return inst


# =========================================================================== completeness


def batas_hari(db: Database) -> int:
    """The deadline day of the following month (setting; default 10)."""
    try:
        value = int(get_setting(db, SETTING_BATAS, str(BATAS_BAWAAN)) or BATAS_BAWAAN)
    except ValueError:
        return BATAS_BAWAAN
    return min(max(value, 1), 31)


def set_batas_hari(db: Database, hari: int) -> None:
    try:
        hari = int(hari)
    except (TypeError, ValueError):
        raise KnownError("Batas hari pengiriman harus berupa angka 1-31.") from None
    if not 1 <= hari <= 31:
        raise KnownError("Batas hari pengiriman harus antara 1 dan 31.")
    set_setting(db, SETTING_BATAS, str(hari))


def _month_range(periode: str) -> tuple[str, str]:
    y, m = int(periode[:4]), int(periode[5:7])
    return f"{periode}-01", f"{periode}-{calendar.monthrange(y, m)[1]:02d}"


def areas(db: Database) -> list[dict]:
    """Every kelurahan/desa of the Dinas's kab/kota with its kecamatan (by code)."""
    inst = _dinas(db)
    kab = inst.kode_wilayah
    return _rows(
        db,
        "SELECT w.kode, w.nama, w.jenis, k.kode AS kecamatan_kode, k.nama AS kecamatan_nama "
        "FROM ref_wilayah w JOIN ref_wilayah k ON k.kode = w.induk "
        "WHERE w.tingkat = 4 AND w.kode > ? AND w.kode < ? ORDER BY w.kode",
        [kab + ".", kab + "/"],
    )


def _received(db: Database, periodes: list[str]) -> dict[tuple[str, str], dict]:
    """(kode_wilayah, periode) -> {dikirim, diterima, urutan, paket, instalasi} of accepted packages."""
    if not periodes:
        return {}
    marks = ",".join("?" * len(periodes))
    out: dict[tuple[str, str], dict] = {}
    for r in _rows(
        db,
        f"SELECT kode_wilayah, periode, min(COALESCE(dibuat_at, waktu)) AS dikirim, min(waktu) AS diterima, "
        f"max(urutan) AS urutan, count(DISTINCT sha256) AS paket, count(DISTINCT install_asal) AS instalasi, "
        f"max(waktu) AS terakhir "
        f"FROM paket_log WHERE arah = 'masuk' AND hasil IN (?, ?) AND periode IN ({marks}) "
        f"GROUP BY kode_wilayah, periode",
        [DITERIMA, TIDAK_BERUBAH, *periodes],
    ):
        out[(r["kode_wilayah"], r["periode"])] = r
    return out


def _status(periode: str, got: dict | None, batas: int, hari_ini: _dt.date) -> tuple[str, str]:
    deadline = periode_deadline(periode, batas)
    if got:
        sent = _dt.date.fromisoformat(got["dikirim"][:10])
        return (TEPAT_WAKTU if sent <= deadline else TERLAMBAT), deadline.isoformat()
    first = _dt.date.fromisoformat(periode + "-01")
    if hari_ini < first:
        return AKAN_DATANG, deadline.isoformat()
    if hari_ini <= deadline:
        return MENUNGGU, deadline.isoformat()
    return BELUM, deadline.isoformat()


@dataclass
class Kelengkapan:
    periode: str
    batas: str  # ISO date of the deadline
    baris: list[dict]
    jumlah_wilayah: int
    mengirim: int
    tepat_waktu: int
    terlambat: int
    belum: int

    @property
    def persen(self) -> float | None:
        """Reporting rate: areas that sent / all areas x 100."""
        return self.mengirim / self.jumlah_wilayah * 100 if self.jumlah_wilayah else None

    @property
    def persen_tepat_waktu(self) -> float | None:
        return self.tepat_waktu / self.jumlah_wilayah * 100 if self.jumlah_wilayah else None


def kelengkapan_bulan(db: Database, periode: str, *, hari_ini: _dt.date | None = None) -> Kelengkapan:
    """Completeness of one month: one row per kelurahan/desa (and per other area that sent)."""
    from db.sinkron import check_periode

    periode = check_periode(periode)
    hari_ini = hari_ini or today()
    batas = batas_hari(db)
    got = _received(db, [periode])
    rows = []
    seen = set()
    for a in areas(db):
        seen.add(a["kode"])
        r = got.get((a["kode"], periode))
        status, deadline = _status(periode, r, batas, hari_ini)
        rows.append({**a, "status": status, "status_label": STATUS_LABEL[status], "batas": deadline,
                     "dikirim": r["dikirim"] if r else None, "diterima": r["diterima"] if r else None,
                     "urutan": r["urutan"] if r else None, "instalasi": r["instalasi"] if r else 0})
    for (kode, _p), r in sorted(got.items()):
        if kode in seen:
            continue
        w = reference.wilayah(db, kode) or {"nama": kode, "jenis": ""}
        status, deadline = _status(periode, r, batas, hari_ini)
        kec = reference.wilayah(db, kode[:8]) or {"kode": kode[:8], "nama": ""}
        rows.append({"kode": kode, "nama": w["nama"], "jenis": w.get("jenis", ""), "kecamatan_kode": kec["kode"],
                     "kecamatan_nama": kec["nama"], "status": status, "status_label": STATUS_LABEL[status],
                     "batas": deadline, "dikirim": r["dikirim"], "diterima": r["diterima"], "urutan": r["urutan"],
                     "instalasi": r["instalasi"]})
    base = [r for r in rows if r["kode"] in seen]
    mengirim = sum(1 for r in base if r["status"] in (TEPAT_WAKTU, TERLAMBAT))
    tepat = sum(1 for r in base if r["status"] == TEPAT_WAKTU)
    return Kelengkapan(
        periode=periode, batas=periode_deadline(periode, batas).isoformat(), baris=rows, jumlah_wilayah=len(base),
        mengirim=mengirim, tepat_waktu=tepat, terlambat=mengirim - tepat, belum=len(base) - mengirim,
    )


def kelengkapan_tahun(db: Database, tahun: int, *, hari_ini: _dt.date | None = None) -> dict:
    """Year grid: {"bulan": [12 periods], "baris": [{kode, nama, kecamatan..., "sel": {periode: status}}],
    "ringkasan": {periode: {"mengirim", "tepat_waktu", "jumlah"}}}."""
    tahun = int(tahun)
    hari_ini = hari_ini or today()
    batas = batas_hari(db)
    bulan = [f"{tahun:04d}-{m:02d}" for m in range(1, 13)]
    got = _received(db, bulan)
    rows = []
    seen = set()
    for a in areas(db):
        seen.add(a["kode"])
        sel = {p: _status(p, got.get((a["kode"], p)), batas, hari_ini)[0] for p in bulan}
        rows.append({**a, "sel": sel})
    extra = sorted({k for (k, _p) in got} - seen)
    for kode in extra:
        w = reference.wilayah(db, kode) or {"nama": kode}
        kec = reference.wilayah(db, kode[:8]) or {"kode": kode[:8], "nama": ""}
        sel = {p: _status(p, got.get((kode, p)), batas, hari_ini)[0] for p in bulan}
        rows.append({"kode": kode, "nama": w["nama"], "jenis": w.get("jenis", ""), "kecamatan_kode": kec["kode"],
                     "kecamatan_nama": kec["nama"], "sel": sel})
    ringkasan = {}
    base = [r for r in rows if r["kode"] in seen]
    for p in bulan:
        sent = sum(1 for r in base if r["sel"][p] in (TEPAT_WAKTU, TERLAMBAT))
        ringkasan[p] = {"mengirim": sent, "tepat_waktu": sum(1 for r in base if r["sel"][p] == TEPAT_WAKTU),
                        "jumlah": len(base)}
    return {"tahun": tahun, "bulan": bulan, "baris": rows, "ringkasan": ringkasan}


# =========================================================================== duplicates

_PERSON_COLS = (
    "o.id, o.nik, o.nama, o.jenis_kelamin, o.tanggal_lahir, o.alamat, o.rt, o.rw, o.kode_wilayah, "
    "o.install_id, o.created_at, o.updated_at, w.nama AS nama_wilayah, i.kode_wilayah AS wilayah_instalasi, "
    "(SELECT group_concat(p.kategori_kode, ', ') FROM ppks p WHERE p.orang_id = o.id AND p.deleted_at IS NULL) "
    "AS kategori, "
    "(SELECT count(*) FROM layanan l WHERE l.orang_id = o.id AND l.deleted_at IS NULL AND l.status <> 'batal') "
    "AS jumlah_layanan"
)


def duplikat(db: Database, *, offset: int = 0, limit: int | None = None, dengan_petunjuk: bool = True) -> list[dict]:
    """Pairs of records of one person registered by two installs, for review side by side.

    Each item: {"dasar": "NIK" | "nama + tanggal lahir", "kunci", "a": record, "b": record}
    where ``a`` is the earliest registration and ``b`` each later one from another install.
    """
    groups = _rows(
        db,
        f"SELECT {_PERSON_COLS} FROM orang o "
        "JOIN (SELECT nik FROM orang WHERE nik IS NOT NULL AND deleted_at IS NULL GROUP BY nik "
        "      HAVING count(DISTINCT install_id) > 1) d ON d.nik = o.nik "
        "LEFT JOIN ref_wilayah w ON w.kode = o.kode_wilayah LEFT JOIN instalasi i ON i.install_id = o.install_id "
        "WHERE o.deleted_at IS NULL ORDER BY o.nik, o.created_at, o.id",
    )
    out = _pairs(groups, "NIK", lambda r: r["nik"])
    if dengan_petunjuk:
        hints = _rows(
            db,
            f"SELECT {_PERSON_COLS}, lower(trim(o.nama)) || '|' || o.tanggal_lahir AS kunci FROM orang o "
            "JOIN (SELECT lower(trim(nama)) AS n, tanggal_lahir AS t FROM orang "
            "      WHERE nik IS NULL AND deleted_at IS NULL AND tanggal_lahir IS NOT NULL "
            "      GROUP BY 1, 2 HAVING count(DISTINCT install_id) > 1) d "
            "  ON d.n = lower(trim(o.nama)) AND d.t = o.tanggal_lahir "
            "LEFT JOIN ref_wilayah w ON w.kode = o.kode_wilayah LEFT JOIN instalasi i ON i.install_id = o.install_id "
            "WHERE o.nik IS NULL AND o.deleted_at IS NULL ORDER BY kunci, o.created_at, o.id",
        )
        out += _pairs(hints, "nama + tanggal lahir", lambda r: r["kunci"])
    if offset or limit is not None:
        out = out[offset: None if limit is None else offset + limit]
    return out


def _pairs(rows: list[dict], dasar: str, key) -> list[dict]:
    out = []
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    for k, members in groups.items():
        first = members[0]
        for other in members[1:]:
            if other["install_id"] == first["install_id"]:
                continue
            out.append({"dasar": dasar, "kunci": k, "a": first, "b": other})
    return out


def jumlah_duplikat(db: Database) -> int:
    """How many NIKs are registered by more than one install (living records)."""
    return db.conn.execute(
        "SELECT count(*) FROM (SELECT nik FROM orang WHERE nik IS NOT NULL AND deleted_at IS NULL "
        "GROUP BY nik HAVING count(DISTINCT install_id) > 1)"
    ).fetchone()[0]


# =========================================================================== targets and verdicts


def skala_dipilih(db: Database) -> str:
    return (get_setting(db, indikator.SETTING_SKALA, indikator.SKALA_BAWAAN) or indikator.SKALA_BAWAAN).upper()


def pilih_skala(db: Database, kode: str) -> None:
    if reference.skala(db, kode) is None:
        pilihan = ", ".join(k for k, _ in reference.daftar_skala(db))
        raise KnownError(f"Skala penilaian '{kode}' tidak dikenal. Pilihan: {pilihan}.")
    set_setting(db, indikator.SETTING_SKALA, kode.strip().upper())


def daftar_target(db: Database, tahun: int) -> list[dict]:
    """Every indicator and output with this year's target for the Dinas's kab/kota (None if unset)."""
    inst = _dinas(db)
    tg = indikator.targets(db, tahun, inst.kode_wilayah)
    return [
        {"id": d["id"], "nama": d["nama"], "jenis": d["jenis"], "satuan": d.get("satuan", ""),
         "arah": d.get("arah", "naik"), "target": tg.get(d["id"])}
        for d in reference.indikator_defs(db)
    ]


def simpan_target(db: Database, tahun: int, indikator_id: str, nilai) -> None:
    """Set a yearly target for the kab/kota; an empty value removes it (soft delete, audited)."""
    from db import records

    inst = _dinas(db)
    if nilai is None or str(nilai).strip() == "":
        row = db.conn.execute(
            "SELECT id FROM target WHERE tahun = ? AND indikator_id = ? AND kode_wilayah = ? AND deleted_at IS NULL",
            [int(tahun), indikator_id, inst.kode_wilayah]).fetchone()
        if row:
            records.soft_delete(db, "target", row[0], "target dikosongkan")
        return
    if isinstance(nilai, str):
        nilai = parse_target(nilai)
    indikator.set_target(db, int(tahun), indikator_id, inst.kode_wilayah, nilai)


def parse_target(text: str) -> float:
    """'85,3' / '85.3' / '100%' / '1.500' (thousands) / '1.500,5' -> float; KnownError otherwise."""
    import re

    from db.parsing import parse_number

    t = str(text).strip().replace(" ", "").rstrip("%")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    try:
        value = parse_number(t)
    except ValueError:
        raise KnownError(f"Target harus berupa angka, bukan '{text}'.") from None
    if value is None:
        raise KnownError("Target kosong.")
    return value


def penilaian(db: Database, periode: str, hasil_ytd: dict | None = None) -> list[dict]:
    """Realisation (year-to-date at ``periode``, or the whole year for ``YYYY``), target,
    achievement and verdict for every indicator with a target of the kab/kota."""
    inst = _dinas(db)
    per = indikator.Periode.dari(periode)
    if hasil_ytd is None:
        ytd = per if per.jenis == "tahun" else per.tahun_berjalan()
        hasil_ytd = indikator.hitung_indikator(db, ytd, inst.kode_wilayah)
    nilai = indikator.penilaian(db, hasil_ytd, per.akhir.year, inst.kode_wilayah)
    out = []
    for d in reference.indikator_defs(db):
        if d["id"] in nilai:
            h = hasil_ytd[d["id"]]
            out.append({"id": d["id"], "nama": d["nama"], "jenis": d["jenis"], "satuan": h.satuan,
                        "arah": h.arah, **nilai[d["id"]]})
    return out
