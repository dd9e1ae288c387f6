"""The indicator engine: every indicator and output of DOMAIN.md §8, computed
from records for any area and any period.

Driven by the definitions in ``resources/reference/indikator.json`` (table
``ref_indikator``, see ``db.reference.indikator_defs``): each numerator,
denominator and output measure names a *hitung* word of the vocabulary plus
filters; this module implements each word once, as set-based SQL.

How it counts (decisions, documented in resources/reference/README.md too):

- **Area**: a Kemendagri code prefix. People (PPKS, service recipients) belong
  to ``orang.kode_wilayah``; a household service without a person to the area
  of a living person with that No. KK; disasters and their victims to
  ``bencana.kode_wilayah``; PSKS to ``psks.kode_wilayah``; PSKS event outputs
  to the area of their attending participants (a kota-wide meeting counts for
  the kelurahan of each participant). ``wilayah=None`` = the whole database.
  A record whose code is only a kecamatan counts for the kecamatan and above,
  never for one of its kelurahan.
- **Distinct persons** by ``COALESCE(nik, id)``: one person registered by two
  installs (same NIK) counts once at kecamatan/kota level. Households by
  ``COALESCE(no_kk, 'O:' || person key)`` (a person without No. KK is their own
  household). PSKS by ``COALESCE(nik, id)`` too (a PSM who is also Tagana is
  one PSKS in the totals and one in each type's row; institutions by id), as
  db/psks_indikator.py decided.
- **Active in the period**: registered on or before the period's last day and
  not closed (status ``ditutup``) before its first day. PSKS: started on or
  before the last day (``tanggal_mulai_aktif``, else the day it was recorded)
  and not ``nonaktif`` before the first day (``nonaktif`` without a date = not
  active).
- **Served**: a person counts as served when *any* record of the same person
  key got a service in the period, wherever it was recorded (a person
  registered in kelurahan A and served by the install of B is served), or
  when a household service (sub-kegiatan with ``per_kk``) went to the
  person's No. KK. Soft-deleted records, services of soft-deleted people and
  cancelled services (``status = 'batal'``) never count.
- **Disaster window**: a victim is served in time when a service of the
  filter, linked to the event (``layanan.bencana_id``), for the victim (same
  person key) or the victim's household (service without person, same No.
  KK), is dated from the event's date to ``tanggal + lama_tanggap_darurat``
  days inclusive — the window of ``db.bencana.akhir_masa_tanggap``. The window
  may run past the period's end.
- **PSKS events** are dated by ``tanggal_mulai`` (an event spanning two months
  counts in the month it starts, like the month lock in db/periode.py). A PSKS
  is coached (dibina) when it — or the same person under the same type —
  attended (``hadir``) an event starting in the period. The number of events
  of an output counts events with at least one attending participant of the area.

Speed: each computation (``Konteks``) builds a few TEMP tables (the active
registrations, the period's services, victims, PSKS and attendance) once and
every indicator is then one GROUP BY over them. Rows carry their area code cut
to the build level (``w``); grouping by a prefix of it gives every kelurahan,
kecamatan or the kab/kota from the same tables (``Konteks.pada``,
``hitung_per_wilayah``, ``hitung_bertingkat``), and the costly counts (services
per sub-kegiatan, registrations served) are made once at the build level and
rolled up to the others (``distinct_bertingkat``). A kota month (150,000
people, 600,000 services a year) takes about 2 s of CPU; its kelurahan,
kecamatan and kota month and year-to-date about 10 s; see bench/bench_recap.py
and bench/bench_sinkron.py.

API: ``Periode``; ``hitung_indikator``, ``hitung_per_wilayah``,
``hitung_bertingkat`` -> ``Hasil``; recap breakdowns ``ppks_per_kategori``,
``bencana_kejadian``, ``bencana_per_jenis``, ``psks_per_jenis``,
``kegiatan_periode``, ``bnba``; dashboard ``layanan_per_bulan``,
``perlu_dikerjakan``; targets ``set_target``, ``targets``, ``capaian``,
``predikat``, ``penilaian``.
"""
from __future__ import annotations

import calendar
import contextlib
import copy
import datetime as _dt
import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from sqlite_utils import Database

from db import reference
from db.errors import KnownError
from db.parsing import BULAN

# Which filter keys apply to which side of a count.
PPKS_FILTERS = ("kategori", "kelompok_spm")
LAYANAN_FILTERS = ("kode_layanan", "kode_layanan_prefix", "jenis_layanan")
PLAIN_KEYS = {"hitung", "label", "kode", "satuan"}

PANJANG_TINGKAT = {1: 2, 2: 5, 3: 8, 4: 13}
TINGKAT_NAMA = {1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Kelurahan/Desa"}


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Periode:
    """A closed date range [mulai, akhir] with what it is (month, year, year-to-date, range)."""

    mulai: _dt.date
    akhir: _dt.date
    jenis: str = "rentang"  # bulan | tahun | tahun_berjalan | rentang

    @classmethod
    def bulan(cls, tahun: int, bulan: int) -> "Periode":
        last = calendar.monthrange(tahun, bulan)[1]
        return cls(_dt.date(tahun, bulan, 1), _dt.date(tahun, bulan, last), "bulan")

    @classmethod
    def tahun(cls, tahun: int) -> "Periode":
        return cls(_dt.date(tahun, 1, 1), _dt.date(tahun, 12, 31), "tahun")

    @classmethod
    def rentang(cls, mulai, akhir) -> "Periode":
        a, b = _as_date(mulai), _as_date(akhir)
        if b < a:
            raise KnownError(f"Akhir periode ({b:%d/%m/%Y}) sebelum awalnya ({a:%d/%m/%Y}).")
        return cls(a, b, "rentang")

    @classmethod
    def dari(cls, value: "Periode | str") -> "Periode":
        """A Periode from ``2025-12`` (month), ``2025`` (year) or a Periode."""
        if isinstance(value, Periode):
            return value
        from db.parsing import parse_period

        try:
            year, month = parse_period(str(value))
        except ValueError as exc:
            raise KnownError(f"Periode tidak sah: {exc}.") from None
        return cls.bulan(year, month) if month else cls.tahun(year)

    def tahun_berjalan(self) -> "Periode":
        """From 1 January of the period's (last) year to the period's last day."""
        return Periode(_dt.date(self.akhir.year, 1, 1), self.akhir, "tahun_berjalan")

    @property
    def kode(self) -> str:
        """ISO period as DHIS2 writes it: ``202512`` (month), ``2025`` (year)."""
        if self.jenis == "bulan":
            return f"{self.mulai:%Y%m}"
        if self.jenis == "tahun":
            return f"{self.mulai:%Y}"
        return f"{self.mulai:%Y%m%d}_{self.akhir:%Y%m%d}"

    @property
    def teks(self) -> str:
        """``2025-12`` / ``2025`` (the CLI's --period form), else ``yyyy-mm-dd..yyyy-mm-dd``."""
        if self.jenis == "bulan":
            return f"{self.mulai:%Y-%m}"
        if self.jenis == "tahun":
            return f"{self.mulai:%Y}"
        return f"{self.mulai.isoformat()}..{self.akhir.isoformat()}"

    @property
    def label(self) -> str:
        if self.jenis == "bulan":
            return f"{BULAN[self.mulai.month - 1]} {self.mulai.year}"
        if self.jenis == "tahun":
            return f"Tahun {self.mulai.year}"
        if self.jenis == "tahun_berjalan":
            if self.akhir.month == 1 and self.akhir.day == 31:
                return f"Januari {self.akhir.year}"
            return f"Januari s.d. {BULAN[self.akhir.month - 1]} {self.akhir.year}"
        from db.indonesian import tanggal_panjang

        return f"{tanggal_panjang(self.mulai)} s.d. {tanggal_panjang(self.akhir)}"

    def bulan_sebelumnya(self, n: int = 1) -> "Periode":
        y, m = self.mulai.year, self.mulai.month - n
        while m < 1:
            y, m = y - 1, m + 12
        return Periode.bulan(y, m)


def _as_date(value) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value)[:10])


# --------------------------------------------------------------------------- results


@dataclass
class Hasil:
    """One indicator for one area and period.

    Percentages: ``numerator``/``denominator`` and ``nilai`` = numerator /
    denominator x pengali (None when the denominator is 0). Outputs: the main
    measure (recipients, participants, records) in ``numerator`` and ``nilai``,
    no denominator; every measure in ``ukuran`` (by its kode: penerima,
    jumlah_layanan, kuantitas, nilai, peserta, kegiatan, terdata...),
    ``kuantitas`` per unit code, and ``per_sumber_dana`` = {funding code: {measure: value}}.
    """

    id: str
    nama: str
    jenis: str  # persentase | keluaran
    satuan: str
    numerator: float | int | None
    denominator: float | int | None
    nilai: float | None
    label_numerator: str = ""
    label_denominator: str = ""
    arah: str = "naik"
    kode_layanan: str | None = None
    ukuran: dict[str, float] = field(default_factory=dict)
    kuantitas: dict[str, float] = field(default_factory=dict)
    per_sumber_dana: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "nama": self.nama, "jenis": self.jenis, "satuan": self.satuan,
            "numerator": self.numerator, "denominator": self.denominator, "nilai": self.nilai,
            "label_numerator": self.label_numerator, "label_denominator": self.label_denominator,
            "kode_layanan": self.kode_layanan, "ukuran": dict(self.ukuran), "kuantitas": dict(self.kuantitas),
            "per_sumber_dana": {k: dict(v) for k, v in self.per_sumber_dana.items()},
        }


def _num(v):
    """Counts as int, sums as int when whole."""
    if v is None:
        return 0
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


# --------------------------------------------------------------------------- SQL helpers

_counter = itertools.count(1)


def in_wilayah_sql(column: str, wilayah: str | None) -> tuple[str, list]:
    """SQL condition "``column`` is ``wilayah`` or an area under it" (index-friendly range)."""
    if not wilayah:
        return "1", []
    # '/' is the character after '.', so [w + '.', w + '/') is every code under w.
    return f"({column} = ? OR ({column} >= ? AND {column} < ?))", [wilayah, wilayah + ".", wilayah + "/"]


def _prefix_sql(column: str, prefix: str) -> tuple[str, list]:
    prefix = prefix.rstrip(".")
    return f"({column} = ? OR ({column} >= ? AND {column} < ?))", [prefix, prefix + ".", prefix + "/"]


def _norm_wilayah(wilayah: str | None) -> str | None:
    if wilayah is None or str(wilayah).strip() == "":
        return None
    norm = reference.normalize_kode_wilayah(wilayah)
    if norm is None:
        raise KnownError(f"Kode wilayah '{wilayah}' tidak sah.")
    return norm


class Konteks:
    """Computation context for one period and one area (optionally grouped by a sub-level).

    ``wilayah``: area code prefix (None = everything). ``panjang``: length of
    the code prefix results are grouped by (``len(wilayah)`` by default, i.e.
    one group; 13 = per kelurahan, 8 = per kecamatan). ``semua_grup``: every
    code length results will be asked for through ``pada`` (e.g. 13, 8, 5 for
    a kota's kelurahan, kecamatan and itself): the costly counts are then made
    for all of them in one pass (``distinct_bertingkat``). Use as a context
    manager: the TEMP tables it builds are dropped on exit.
    """

    def __init__(self, db: Database, periode: Periode | str, wilayah: str | None = None, panjang: int | None = None,
                 semua_grup: Iterable[int] = ()):
        self.db = db
        self.periode = Periode.dari(periode)
        self.wilayah = _norm_wilayah(wilayah)
        self.panjang = panjang if panjang is not None else (len(self.wilayah) if self.wilayah else 0)
        self.grup = self.panjang  # the code length results are grouped by (<= panjang, see ``pada``)
        self.semua_grup = tuple(sorted({self.panjang, *semua_grup}, reverse=True))
        if self.semua_grup[0] > self.panjang:
            raise ValueError("Konteks: semua_grup cannot be finer than panjang")
        self.mulai = self.periode.mulai.isoformat()
        self.akhir = self.periode.akhir.isoformat()
        self._prefix = f"temp._ik{next(_counter)}"
        self._made: set[str] = set()
        self._cache: dict[Any, Any] = {}  # results of this grouping (reset by ``pada``)
        self._shared: dict[Any, Any] = {}  # results for every grouping, kept by ``pada`` views
        self._kategori_children: dict[str, list[str]] | None = None

    # --- lifecycle -----------------------------------------------------------
    def __enter__(self) -> "Konteks":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for name in list(self._made):
            self.db.conn.execute(f"DROP TABLE IF EXISTS {self._prefix}_{name}")
        self._made.clear()
        self._cache.clear()
        self._shared.clear()

    def pada(self, panjang: int) -> "Konteks":
        """The same tables (built once) grouped by a shorter code prefix: a context built per
        kelurahan (13) also gives every kecamatan (8) and the kab/kota (5). Close the original only."""
        if panjang > self.panjang:
            raise ValueError("pada(): a context cannot group finer than it was built")
        view = copy.copy(self)
        view.grup = panjang
        view._cache = {}
        return view

    @property
    def grup_dihitung(self) -> tuple[int, ...]:
        """The code lengths one computation of this view serves: every length of ``semua_grup``
        when this view's grouping is one of them, else only this view's."""
        return self.semua_grup if self.grup in self.semua_grup else (self.grup,)

    def g(self, alias: str = "") -> str:
        """SQL of the group key of a row of a TEMP table (``alias.w`` cut to ``grup``)."""
        col = f"{alias}.w" if alias else "w"
        return col if self.grup == self.panjang else f"substr({col}, 1, {self.grup})"

    # --- building blocks -------------------------------------------------------
    def w_expr(self, column: str) -> str:
        """The group key of a row whose area code is ``column`` (rows outside the area: NULL)."""
        cond, _ = in_wilayah_sql(column, self.wilayah)
        key = f"substr({column}, 1, {self.panjang})" if self.panjang else "''"
        if not self.wilayah:
            return key if self.panjang else "''"
        return f"CASE WHEN {cond} THEN {key} END"

    def w_params(self) -> list:
        return in_wilayah_sql("x", self.wilayah)[1]

    def w_literal(self, column: str) -> str:
        """``w_expr`` with the area code written into the SQL (codes are digits and dots only)."""
        sql, params = self.w_expr(column), self.w_params()
        for p in params:
            assert all(ch.isdigit() or ch in "./" for ch in p), p
            sql = sql.replace("?", f"'{p}'", 1)
        return sql

    def orang_sumber(self) -> str:
        """Where people are looked up (columns oid, w, pk, kk, jk): for a month of a wide area a
        view over ``orang`` (SQLite flattens it into index lookups); for a long period or a
        kecamatan/kelurahan the in-memory person map (``table('orang')``), which is cheaper then."""
        long_period = (self.periode.akhir - self.periode.mulai).days > 62
        narrow = bool(self.wilayah) and len(self.wilayah) >= 8
        if long_period or narrow:
            return self.table("orang")
        return (f"(SELECT id AS oid, {self.w_literal('kode_wilayah')} AS w, COALESCE(nik, id) AS pk, "
                f"COALESCE(no_kk, 'O:' || COALESCE(nik, id)) AS kk, jenis_kelamin AS jk "
                f"FROM orang WHERE deleted_at IS NULL)")

    def area_where(self, column: str) -> tuple[str, list]:
        return in_wilayah_sql(column, self.wilayah)

    def table(self, name: str) -> str:
        """The TEMP table ``name`` (ppks, lay, korban, psks, hadir), built on first use."""
        if name not in self._made:
            getattr(self, f"_build_{name}")(f"{self._prefix}_{name}")
            self._made.add(name)
        return f"{self._prefix}_{name}"

    def simpan_tabel(self, sql: str, params: Iterable = ()) -> str:
        """A TEMP table holding the rows of ``sql`` (made once per context, for every view)."""
        params = list(params)
        key = ("tabel", sql, tuple(params))
        if key not in self._shared:
            name = f"t{next(_counter)}"
            self._exec(f"CREATE TABLE {self._prefix}_{name} AS {sql}", params)
            self._made.add(name)
            self._shared[key] = f"{self._prefix}_{name}"
        return self._shared[key]

    def _exec(self, sql: str, params: Iterable = ()) -> None:
        conn = self.db.conn
        outside = not conn.in_transaction
        conn.execute(sql, list(params))
        if outside and conn.in_transaction:
            # An INSERT into a TEMP table opens an implicit transaction; left open, the app's
            # later atomic() writes became savepoints inside it and were never committed.
            conn.commit()

    def rows(self, sql: str, params: Iterable = ()) -> list[tuple]:
        return self.db.conn.execute(sql, list(params)).fetchall()

    def _build_orang(self, t: str) -> None:
        # Every living person once: id -> group key (NULL outside the area), person and household
        # keys. One sequential scan of orang; the other tables then look people up here (in
        # memory) instead of in the on-disk index, 3-4 times faster for a kota.
        # Outside the area only people sharing a NIK with someone inside matter (their services
        # make the same person "served"), so a kelurahan of a kota database stays small.
        self._exec(f"CREATE TABLE {t} (oid TEXT PRIMARY KEY, w TEXT, pk TEXT, kk TEXT, jk TEXT) WITHOUT ROWID")
        scope, scope_p = "1", []
        if self.wilayah and len(self.wilayah) >= 8:  # kecamatan, kelurahan (a kota: everybody, cheaper)
            area, area_p = self.area_where("kode_wilayah")
            scope = (f"({area} OR nik IN (SELECT nik FROM orang WHERE deleted_at IS NULL AND nik IS NOT NULL "
                     f"AND {area}))")
            scope_p = area_p + area_p
        self._exec(
            f"""INSERT INTO {t}
            SELECT id, {self.w_expr('kode_wilayah')}, COALESCE(nik, id),
                   COALESCE(no_kk, 'O:' || COALESCE(nik, id)), jenis_kelamin
            FROM orang WHERE deleted_at IS NULL AND {scope}""",
            self.w_params() + scope_p,
        )

    def _build_ppks(self, t: str) -> None:
        # Registrations active in the period of people in the area.
        o = self.orang_sumber()
        self._exec(
            f"""CREATE TABLE {t} AS
            SELECT o.w AS w, o.pk AS pk, o.kk AS kk,
                   p.kategori_kode AS kat,
                   CASE WHEN r.spm_kelompok IS NOT NULL AND (r.butuh_terlantar = 0 OR p.terlantar = 1)
                        THEN r.spm_kelompok END AS kel,
                   p.tanggal_pendataan AS tgl,
                   o.jk AS jk,
                   CASE WHEN p.status = 'ditutup' THEN p.tanggal_tutup END AS tutup, p.status AS status,
                   p.id AS ppks_id, p.orang_id AS orang_id
            FROM ppks p
            JOIN {o} o ON o.oid = p.orang_id
            LEFT JOIN ref_ppks_kategori r ON r.kode = p.kategori_kode
            WHERE p.deleted_at IS NULL AND o.w IS NOT NULL
              AND p.tanggal_pendataan <= ?
              AND NOT (p.status = 'ditutup' AND p.tanggal_tutup < ?)""",
            [self.akhir, self.mulai],
        )
        # no index: every query scans it once (lookups go into the services table)

    def _build_lay(self, t: str) -> None:
        # Every service of the period (all areas: "served" is a property of the
        # person key); w is NULL for services outside the area. A long period
        # reads the services table in order instead of through the date index.
        o = self.orang_sumber()
        long_period = (self.periode.akhir - self.periode.mulai).days > 62
        tgl = "+l.tanggal" if long_period else "l.tanggal"
        self._exec(
            f"""CREATE TABLE {t} AS
            SELECT CASE WHEN orang_id IS NOT NULL THEN ow ELSE {self.w_expr('wk')} END AS w,
                   pk, kk, CASE WHEN per_kk = 1 THEN 'K' || kk ELSE 'P' || pk END AS rk,
                   kode, jenis, per_kk, sumber, satuan, jumlah, nilai, id
            FROM (
              SELECT l.id, l.orang_id, o.w AS ow,
                     CASE WHEN l.orang_id IS NULL THEN
                              (SELECT o2.kode_wilayah FROM orang o2
                               WHERE o2.no_kk = l.no_kk AND o2.deleted_at IS NULL AND o2.kode_wilayah IS NOT NULL
                               ORDER BY o2.created_at LIMIT 1) END AS wk,
                     o.pk AS pk,
                     COALESCE(l.no_kk, o.kk) AS kk,
                     l.kode_layanan AS kode, rl.jenis AS jenis, COALESCE(rl.per_kk, 0) AS per_kk,
                     COALESCE(l.sumber_dana, '') AS sumber, l.satuan AS satuan, l.jumlah AS jumlah,
                     l.nilai AS nilai
              FROM layanan l
              LEFT JOIN {o} o ON o.oid = l.orang_id
              LEFT JOIN ref_layanan rl ON rl.kode = l.kode_layanan
              WHERE l.deleted_at IS NULL AND l.status <> 'batal'
                AND {tgl} >= ? AND {tgl} <= ?
                AND (l.orang_id IS NULL OR o.oid IS NOT NULL)
            )""",
            [*self.w_params(), self.mulai, self.akhir + "~"],
        )
        short = t.split(".")[1]
        self._exec(f"CREATE INDEX {t}_pk ON {short}(pk, jenis, kode)")
        self._exec(f"CREATE INDEX {t}_kk ON {short}(kk, per_kk, jenis, kode)")

    def _build_korban(self, t: str) -> None:
        area, area_p = self.area_where("b.kode_wilayah")
        self._exec(
            f"""CREATE TABLE {t} AS
            SELECT {self.w_expr('b.kode_wilayah')} AS w,
                   COALESCE(o.nik, o.id) AS pk, o.id AS orang_id, o.nik AS nik,
                   b.id AS bencana_id, b.jenis_kode AS jenis, b.tanggal AS mulai,
                   date(b.tanggal, '+' || b.lama_tanggap_darurat || ' days') AS akhir,
                   o.no_kk AS no_kk, k.id AS korban_id
            FROM korban k
            JOIN bencana b ON b.id = k.bencana_id
            JOIN orang o ON o.id = k.orang_id
            WHERE k.deleted_at IS NULL AND b.deleted_at IS NULL AND o.deleted_at IS NULL
              AND b.tanggal >= ? AND b.tanggal <= ? AND {area}""",
            [*self.w_params(), self.mulai, self.akhir + "~", *area_p],
        )

    def _psks_key(self, alias: str) -> str:
        return f"COALESCE({alias}.nik, {alias}.id)"

    def _build_psks(self, t: str) -> None:
        area, area_p = self.area_where("s.kode_wilayah")
        self._exec(
            f"""CREATE TABLE {t} AS
            SELECT {self.w_expr('s.kode_wilayah')} AS w, {self._psks_key('s')} AS sk,
                   s.jenis_kode AS jenis, s.bentuk AS bentuk, s.jenis_kelamin AS jk, s.id AS psks_id
            FROM psks s
            WHERE s.deleted_at IS NULL
              AND COALESCE(s.tanggal_mulai_aktif, substr(s.created_at, 1, 10)) <= ?
              AND NOT (s.status = 'nonaktif' AND COALESCE(s.tanggal_nonaktif, '0000') < ?)
              AND {area}""",
            [*self.w_params(), self.akhir, self.mulai, *area_p],
        )
        self._exec(f"CREATE INDEX {t}_sk ON {t.split('.')[1]}(sk)")

    def _build_hadir(self, t: str) -> None:
        # Attendance at PSKS events starting in the period, of PSKS anywhere (w NULL outside the area).
        self._exec(
            f"""CREATE TABLE {t} AS
            SELECT {self.w_expr('s.kode_wilayah')} AS w, {self._psks_key('s')} AS sk, s.jenis_kode AS jenis,
                   g.id AS kegiatan_id, g.kode_layanan AS kode
            FROM kegiatan_peserta kp
            JOIN kegiatan g ON g.id = kp.kegiatan_id
            JOIN psks s ON s.id = kp.psks_id
            WHERE kp.deleted_at IS NULL AND g.deleted_at IS NULL AND s.deleted_at IS NULL AND kp.hadir = 1
              AND g.tanggal_mulai >= ? AND g.tanggal_mulai <= ?""",
            [*self.w_params(), self.mulai, self.akhir + "~"],
        )
        self._exec(f"CREATE INDEX {t}_sk ON {t.split('.')[1]}(sk, jenis)")

    # --- filters -----------------------------------------------------------------
    def kategori_with_children(self, codes: Iterable[str]) -> list[str]:
        if self._kategori_children is None:
            kids: dict[str, list[str]] = {}
            for kode, induk in self.db.conn.execute("SELECT kode, induk FROM ref_ppks_kategori"):
                if induk:
                    kids.setdefault(induk, []).append(kode)
            self._kategori_children = kids
        out: list[str] = []
        todo = [str(c) for c in codes]
        while todo:
            c = todo.pop()
            if c not in out:
                out.append(c)
                todo.extend(self._kategori_children.get(c, []))
        return out

    def ppks_filter(self, part: dict, alias: str = "a") -> tuple[str, list]:
        conds, params = [], []
        if part.get("kategori"):
            cats = self.kategori_with_children(part["kategori"])
            conds.append(f"{alias}.kat IN ({','.join('?' * len(cats))})")
            params += cats
        if part.get("kelompok_spm"):
            conds.append(f"{alias}.kel = ?")
            params.append(part["kelompok_spm"])
        return (" AND ".join(conds) or "1"), params

    def layanan_filter(self, part: dict, alias: str = "l", kode_col: str = "kode", jenis_col: str = "jenis") -> tuple[str, list]:
        conds, params = [], []
        if part.get("kode_layanan"):
            kode = reference.normalize_kode_layanan(part["kode_layanan"]) or part["kode_layanan"]
            conds.append(f"{alias}.{kode_col} = ?")
            params.append(kode)
        if part.get("kode_layanan_prefix"):
            c, p = _prefix_sql(f"{alias}.{kode_col}", part["kode_layanan_prefix"])
            conds.append(c)
            params += p
        if part.get("jenis_layanan") and jenis_col:
            jl = list(part["jenis_layanan"])
            conds.append(f"{alias}.{jenis_col} IN ({','.join('?' * len(jl))})")
            params += jl
        return (" AND ".join(conds) or "1"), params

    # --- grouped counting -------------------------------------------------------------
    def grouped(self, sql: str, params: Iterable = ()) -> dict[str, float]:
        """Run ``SELECT w, value ... GROUP BY w``; NULL groups and other-level codes dropped."""
        out: dict[str, float] = {}
        for w, v in self.rows(sql, params):
            if w is None or (self.grup and len(w) != self.grup):
                continue
            out[w] = _num(v)
        return out


# --------------------------------------------------------------------------- every level in one pass
#
# A kota recap asks each count for its 29 kelurahan, 6 kecamatan and the kota.
# Sums add up from the kelurahan to the levels above. Distinct counts almost
# do: a person (household, PSKS) found in one area only counts once in every
# group above it, so a group's count is the sum of its areas' counts less, for
# each value found in several of its areas, the areas beyond the first. Those
# values are few (one NIK registered by two kelurahan) and one more pass over
# the rows finds them. So one GROUP BY at the build level replaces one per level.


def _naik(k: Konteks, w: str):
    """(level length, group code) of every level of ``k.grup_dihitung`` a row of area ``w`` counts for
    (a kecamatan-only code counts for the kecamatan and above, never for a kelurahan)."""
    return [(n, w[:n]) for n in k.grup_dihitung if len(w) >= n]


def jumlah_bertingkat(k: Konteks, source: str, params: Iterable, keys: Sequence[str],
                      sums: Sequence[str]) -> dict[tuple, list]:
    """{(group, *keys): [sum, ...]} of the expressions ``sums`` (count(*), sum(x)) over the rows of
    ``source`` (a table or "(SELECT ...)" with a column ``w``), for every level of ``k.grup_dihitung``."""
    by = "".join(f", {c}" for c in keys)
    out: dict[tuple, list] = {}
    for row in k.rows(f"SELECT w{by}, {', '.join(sums)} FROM {source} WHERE w IS NOT NULL GROUP BY w{by}", params):
        rest, values = row[1:1 + len(keys)], row[1 + len(keys):]
        for _n, g in _naik(k, row[0]):
            slot = out.setdefault((g, *rest), [0] * len(sums))
            for j, v in enumerate(values):
                slot[j] += v or 0
    return out


def distinct_bertingkat(k: Konteks, source: str, params: Iterable, keys: Sequence[str], counts: Sequence[str],
                        ident: str) -> dict[tuple, list[int]]:
    """{(group, *keys): [count(DISTINCT c) for c in counts]} over the rows of ``source`` (a table or
    "(SELECT ...)" with a column ``w``), for every level of ``k.grup_dihitung``.

    Each count expression is ``ident`` or NULL on a row (``CASE WHEN s THEN pk END``). ``source`` is
    read twice more when a level above the build level is asked: make costly ones a table first.
    """
    params = list(params)
    by = "".join(f", {c}" for c in keys)
    nk = len(keys)
    out: dict[tuple, list[int]] = {}
    for row in k.rows(f"SELECT w{by}, {', '.join(f'count(DISTINCT {c})' for c in counts)} FROM {source} "
                      f"WHERE w IS NOT NULL GROUP BY w{by}", params):
        rest, values = row[1:1 + nk], row[1 + nk:]
        for _n, g in _naik(k, row[0]):
            slot = out.setdefault((g, *rest), [0] * len(counts))
            for j, v in enumerate(values):
                slot[j] += v
    if all(n == k.panjang for n in k.grup_dihitung):
        return out  # one group per area: nothing counted twice
    several = k.simpan_tabel(f"SELECT {ident} AS v FROM {source} WHERE w IS NOT NULL GROUP BY {ident} "
                             f"HAVING min(w) <> max(w)", params)
    areas: dict[tuple, set[str]] = {}
    for row in k.rows(f"SELECT DISTINCT w{by}, {', '.join(counts)} FROM {source} WHERE w IS NOT NULL "
                      f"AND {ident} IN (SELECT v FROM {several})", params):
        rest, values = row[1:1 + nk], row[1 + nk:]
        for n, g in _naik(k, row[0]):
            if n == k.panjang:
                continue
            for j, v in enumerate(values):
                if v is not None:
                    areas.setdefault((g, *rest, j, v), set()).add(row[0])
    for (*group, j, _v), found in areas.items():
        if len(found) > 1:
            out[tuple(group)][j] -= len(found) - 1
    return out


# --------------------------------------------------------------------------- the vocabulary

Hitung = Callable[[Konteks, dict], dict[str, float]]
HITUNG: dict[str, Hitung] = {}


def hitung_word(name: str):
    def deco(fn: Hitung) -> Hitung:
        HITUNG[name] = fn
        return fn

    return deco


@hitung_word("orang_ppks_aktif")
def _orang_ppks_aktif(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("ppks")
    cond, params = k.ppks_filter(part)
    return k.grouped(f"SELECT {k.g('a')}, count(DISTINCT a.pk) FROM {t} a WHERE {cond} GROUP BY 1", params)


def dilayani_sql(k: Konteks, part: dict, alias: str = "a") -> tuple[str, list]:
    """Condition: the registration row ``alias`` of _ppks got a service of ``part`` in the period:
    recorded to the same person key, or a household service (per_kk) to the person's No. KK."""
    lay = k.table("lay")
    lcond, lparams = k.layanan_filter(part)
    sql = (f"(EXISTS (SELECT 1 FROM {lay} l WHERE l.pk = {alias}.pk AND {lcond}) "
           f"OR EXISTS (SELECT 1 FROM {lay} l WHERE l.kk = {alias}.kk AND l.per_kk = 1 AND {lcond}))")
    return sql, lparams + lparams


@hitung_word("orang_ppks_dilayani")
def _orang_ppks_dilayani(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("ppks")
    cond, params = k.ppks_filter(part)
    scond, sparams = dilayani_sql(k, part)
    return k.grouped(f"SELECT {k.g('a')}, count(DISTINCT a.pk) FROM {t} a WHERE {cond} AND {scond} GROUP BY 1",
                     params + sparams)


@hitung_word("kk_kategori_aktif")
def _kk_kategori_aktif(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("ppks")
    cond, params = k.ppks_filter(part)
    return k.grouped(f"SELECT {k.g('a')}, count(DISTINCT a.kk) FROM {t} a WHERE {cond} GROUP BY 1", params)


@hitung_word("kk_kategori_menerima")
def _kk_kategori_menerima(k: Konteks, part: dict) -> dict[str, float]:
    t, lay = k.table("ppks"), k.table("lay")
    cond, params = k.ppks_filter(part)
    lcond, lparams = k.layanan_filter(part)
    return k.grouped(
        f"SELECT {k.g('a')}, count(DISTINCT a.kk) FROM {t} a WHERE {cond} "
        f"AND EXISTS (SELECT 1 FROM {lay} l WHERE l.kk = a.kk AND {lcond}) GROUP BY 1",
        params + lparams,
    )


@hitung_word("korban_bencana_terdaftar")
def _korban_terdaftar(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("korban")
    return k.grouped(f"SELECT {k.g()}, count(DISTINCT pk) FROM {t} GROUP BY 1")


def korban_dilayani_sql(k: Konteks, part: dict, alias: str = "v") -> tuple[str, list]:
    """EXISTS condition: victim row ``alias`` got a service of ``part`` linked to its event in the window."""
    lcond, lparams = k.layanan_filter(part, alias="+l", kode_col="kode_layanan", jenis_col="")
    if part.get("jenis_layanan"):
        jl = list(part["jenis_layanan"])
        lcond += f" AND l.kode_layanan IN (SELECT kode FROM ref_layanan WHERE jenis IN ({','.join('?' * len(jl))}))"
        lparams += jl
    sql = (
        f"EXISTS (SELECT 1 FROM layanan l LEFT JOIN orang o3 ON o3.id = l.orang_id "
        f"WHERE l.bencana_id = {alias}.bencana_id AND l.deleted_at IS NULL AND l.status <> 'batal' "
        f"AND +l.tanggal >= {alias}.mulai AND +l.tanggal <= {alias}.akhir || '~' "
        f"AND ((o3.deleted_at IS NULL AND (o3.id = {alias}.orang_id OR o3.nik = {alias}.nik)) "
        f"OR (l.orang_id IS NULL AND l.no_kk = {alias}.no_kk)) AND {lcond})"
    )
    return sql, lparams


@hitung_word("korban_dilayani_dalam_masa_tanggap")
def _korban_dilayani(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("korban")
    cond, params = korban_dilayani_sql(k, part)
    return k.grouped(f"SELECT {k.g('v')}, count(DISTINCT v.pk) FROM {t} v WHERE {cond} GROUP BY 1", params)


@hitung_word("psks_aktif")
def _psks_aktif(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("psks")
    return k.grouped(f"SELECT {k.g()}, count(DISTINCT sk) FROM {t} GROUP BY 1")


def dibina_sql(k: Konteks, alias: str = "a") -> str:
    """Condition: PSKS row ``alias`` of _psks (or the same person under the same type, e.g. registered
    by another install) attended an event starting in the period."""
    return f"EXISTS (SELECT 1 FROM {k.table('hadir')} h WHERE h.sk = {alias}.sk AND h.jenis = {alias}.jenis)"


@hitung_word("psks_aktif_dibina")
def _psks_aktif_dibina(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("psks")
    return k.grouped(
        f"SELECT {k.g('a')}, count(DISTINCT a.sk) FROM {t} a WHERE {dibina_sql(k)} GROUP BY 1"
    )


@hitung_word("registrasi_ppks_baru")
def _registrasi_baru(k: Konteks, part: dict) -> dict[str, float]:
    t = k.table("ppks")
    cond, params = k.ppks_filter(part)
    return k.grouped(
        f"SELECT {k.g('a')}, count(DISTINCT a.pk) FROM {t} a WHERE {cond} AND a.tgl >= ? GROUP BY 1",
        params + [k.mulai],
    )


def _ppks_columns(db: Database) -> set[str]:
    return {r[1] for r in db.conn.execute("PRAGMA table_info(ppks)")}


@hitung_word("registrasi_ppks_diverifikasi")
def _registrasi_diverifikasi(k: Konteks, part: dict) -> dict[str, float]:
    # Verification is recorded by the PPKS module as a date on the registration
    # (``tanggal_verifikasi``); a database without that column has none.
    if "tanggal_verifikasi" not in _ppks_columns(k.db):
        return {}
    t = k.table("ppks")
    cond, params = k.ppks_filter(part)
    return k.grouped(
        f"SELECT {k.g('a')}, count(DISTINCT a.pk) FROM {t} a JOIN ppks p ON p.id = a.ppks_id "
        f"WHERE {cond} AND p.tanggal_verifikasi >= ? AND p.tanggal_verifikasi <= ? GROUP BY 1",
        params + [k.mulai, k.akhir + "~"],
    )


def _lay_where(k: Konteks, part: dict) -> tuple[str, list]:
    return k.layanan_filter(part)


@hitung_word("penerima_layanan")
def _penerima_layanan(k: Konteks, part: dict) -> dict[str, float]:
    lay = k.table("lay")
    cond, params = _lay_where(k, part)
    return k.grouped(
        f"SELECT {k.g('l')}, count(DISTINCT l.rk) FROM {lay} l WHERE l.w IS NOT NULL AND {cond} GROUP BY 1",
        params,
    )


@hitung_word("jumlah_layanan")
def _jumlah_layanan(k: Konteks, part: dict) -> dict[str, float]:
    lay = k.table("lay")
    cond, params = _lay_where(k, part)
    return k.grouped(f"SELECT {k.g('l')}, count(*) FROM {lay} l WHERE l.w IS NOT NULL AND {cond} GROUP BY 1", params)


@hitung_word("kuantitas_layanan")
def _kuantitas_layanan(k: Konteks, part: dict) -> dict[str, float]:
    # The measure's own unit (``satuan``); other units are reported in Hasil.kuantitas.
    lay = k.table("lay")
    cond, params = _lay_where(k, part)
    if part.get("satuan"):
        cond += " AND l.satuan = ?"
        params = params + [part["satuan"]]
    return k.grouped(f"SELECT {k.g('l')}, sum(l.jumlah) FROM {lay} l WHERE l.w IS NOT NULL AND {cond} GROUP BY 1", params)


@hitung_word("nilai_layanan")
def _nilai_layanan(k: Konteks, part: dict) -> dict[str, float]:
    lay = k.table("lay")
    cond, params = _lay_where(k, part)
    return k.grouped(f"SELECT {k.g('l')}, sum(l.nilai) FROM {lay} l WHERE l.w IS NOT NULL AND {cond} GROUP BY 1", params)


@hitung_word("peserta_kegiatan_hadir")
def _peserta_hadir(k: Konteks, part: dict) -> dict[str, float]:
    h = k.table("hadir")
    cond, params = k.layanan_filter(part, alias="h", jenis_col="")
    return k.grouped(f"SELECT {k.g('h')}, count(DISTINCT h.sk) FROM {h} h WHERE h.w IS NOT NULL AND {cond} GROUP BY 1", params)


@hitung_word("jumlah_kegiatan")
def _jumlah_kegiatan(k: Konteks, part: dict) -> dict[str, float]:
    h = k.table("hadir")
    cond, params = k.layanan_filter(part, alias="h", jenis_col="")
    return k.grouped(
        f"SELECT {k.g('h')}, count(DISTINCT h.kegiatan_id) FROM {h} h WHERE h.w IS NOT NULL AND {cond} GROUP BY 1", params)


# --- batched forms for the one-code-per-output measures (43 outputs in a few queries)

def _per_kode_layanan(k: Konteks) -> dict[tuple[str, str], dict[str, Any]]:
    """{(w, kode): {penerima, jumlah_layanan, nilai, kuantitas: {satuan: qty}, per_sumber: {...}}}, for
    every grouping of ``k.grup_dihitung`` at once (their codes differ in length)."""
    key = ("per_kode", k.grup_dihitung)
    if key in k._shared:
        return k._shared[key]
    lay = k.table("lay")
    out: dict[tuple[str, str], dict[str, Any]] = {}

    def slot(w, kode):
        return out.setdefault((w, kode), {"penerima": 0, "jumlah_layanan": 0, "nilai": 0, "kuantitas": {}, "per_sumber": {}})

    # sorted like the GROUP BY of one level: the order units and funding sources are listed in
    for (w, kode), (n_pen,) in sorted(distinct_bertingkat(k, lay, [], ["kode"], ["rk"], "rk").items()):
        slot(w, kode)["penerima"] = _num(n_pen)
    for (w, kode, sumber), (n_pen,) in sorted(distinct_bertingkat(k, lay, [], ["kode", "sumber"], ["rk"],
                                                                   "rk").items()):
        slot(w, kode)["per_sumber"][sumber] = {"penerima": _num(n_pen), "jumlah_layanan": 0, "nilai": 0, "kuantitas": {}}
    # counts and sums per unit and funding source; totals are their sums
    for (w, kode, sumber, satuan), (n, qty, nilai) in sorted(jumlah_bertingkat(
            k, lay, [], ["kode", "sumber", "satuan"], ["count(*)", "sum(jumlah)", "sum(nilai)"]).items()):
        s, ps = slot(w, kode), slot(w, kode)["per_sumber"][sumber]
        for target in (s, ps):
            target["jumlah_layanan"] += n
            target["nilai"] += nilai or 0
            target["kuantitas"][satuan] = _num(target["kuantitas"].get(satuan, 0) + (qty or 0))
    k._shared[key] = out
    return out


def _per_kode_kegiatan(k: Konteks) -> dict[tuple[str, str], dict[str, float]]:
    if "per_kode_kegiatan" in k._cache:
        return k._cache["per_kode_kegiatan"]
    h = k.table("hadir")
    out: dict[tuple[str, str], dict[str, float]] = {}
    for w, kode, n, n_keg in k.rows(
        f"SELECT {k.g()}, kode, count(DISTINCT sk), count(DISTINCT kegiatan_id) FROM {h} WHERE w IS NOT NULL "
        "GROUP BY 1, 2"
    ):
        out.setdefault((w, kode), {}).update(peserta=_num(n), kegiatan=_num(n_keg))
    k._cache["per_kode_kegiatan"] = out
    return out


_BATCH_LAYANAN = {"penerima_layanan": "penerima", "jumlah_layanan": "jumlah_layanan", "nilai_layanan": "nilai"}
_BATCH_KEGIATAN = {"peserta_kegiatan_hadir": "peserta", "jumlah_kegiatan": "kegiatan"}


def _only_kode_filter(part: dict) -> bool:
    return bool(part.get("kode_layanan")) and not (set(part) - PLAIN_KEYS - {"kode_layanan"})


def _measure(k: Konteks, part: dict) -> dict[str, float]:
    """Evaluate one numerator/denominator/measure: {group: value}."""
    word = part.get("hitung")
    if word not in HITUNG:
        raise KnownError(f"Definisi indikator memakai kata hitung yang tidak dikenal: '{word}'.")
    if _only_kode_filter(part) and (word in _BATCH_LAYANAN or word in _BATCH_KEGIATAN or word == "kuantitas_layanan"):
        kode = part["kode_layanan"]
        if word in _BATCH_KEGIATAN:
            data = _per_kode_kegiatan(k)
            return {w: v.get(_BATCH_KEGIATAN[word], 0) for (w, c), v in data.items() if c == kode and _keep(k, w)}
        data = _per_kode_layanan(k)
        if word == "kuantitas_layanan":
            sat = part.get("satuan")
            return {w: v["kuantitas"].get(sat, 0) for (w, c), v in data.items() if c == kode and _keep(k, w)}
        return {w: v[_BATCH_LAYANAN[word]] for (w, c), v in data.items() if c == kode and _keep(k, w)}
    return HITUNG[word](k, part)


def _keep(k: Konteks, w: str | None) -> bool:
    return w is not None and (not k.grup or len(w) == k.grup)


# --------------------------------------------------------------------------- evaluating definitions


def definisi(db: Database, ids: Iterable[str] | None = None) -> list[dict]:
    defs = reference.indikator_defs(db)
    if ids is None:
        return defs
    wanted = list(ids)
    by_id = {d["id"]: d for d in defs}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise KnownError(f"Indikator tidak dikenal: {', '.join(unknown)}.")
    return [by_id[i] for i in wanted]


def _pair(k: Konteks, num_part: dict, den_part: dict) -> tuple[dict, dict] | None:
    """Numerator and denominator in one pass when the numerator is "those of the denominator
    who were served" (same registration filters): one scan of the registrations instead of two."""
    key = (num_part.get("hitung"), den_part.get("hitung"))
    column = {("orang_ppks_dilayani", "orang_ppks_aktif"): "pk", ("kk_kategori_menerima", "kk_kategori_aktif"): "kk"}
    if key not in column:
        return None
    if any(num_part.get(f) != den_part.get(f) for f in PPKS_FILTERS) or any(den_part.get(f) for f in LAYANAN_FILTERS):
        return None
    col = column[key]
    cond, params = k.ppks_filter(num_part)
    if col == "pk":
        served, sparams = dilayani_sql(k, num_part)
    else:
        lcond, lparams = k.layanan_filter(num_part)
        served, sparams = f"EXISTS (SELECT 1 FROM {k.table('lay')} l WHERE l.kk = a.kk AND {lcond})", lparams
    cache_key = ("pair", col, served, cond, tuple(sparams), tuple(params), k.grup_dihitung)
    if cache_key not in k._shared:
        source, source_params = tandai(k, served, sparams, cond, params)
        num, den = {}, {}
        counts = distinct_bertingkat(k, f"(SELECT w, {col} AS v, s FROM {source})", source_params, [],
                                     ["v", "CASE WHEN s THEN v END"], "v")
        for (w,), (n_den, n_num) in counts.items():
            num[w], den[w] = _num(n_num), _num(n_den)
        k._shared[cache_key] = (num, den)
    num, den = k._shared[cache_key]
    return {w: v for w, v in num.items() if _keep(k, w)}, {w: v for w, v in den.items() if _keep(k, w)}


def tandai(k: Konteks, served: str, sparams: list, cond: str = "1", params: Iterable = ()) -> tuple[str, list]:
    """The registrations of _ppks matching ``cond`` (area, person, household, category, sex, dates)
    and ``s`` = the condition ``served``
    (on alias ``a``), as (source, params): a subquery when one grouping is asked (SQLite folds it into
    the count), a TEMP table made once when several are (it is read three times, see
    ``distinct_bertingkat``; the PPKS table of the Dinas recap shares it)."""
    sql = (f"SELECT a.w, a.pk, a.kk, a.kat, a.jk, a.tgl, a.tutup, ({served}) AS s FROM {k.table('ppks')} a "
           f"WHERE {cond} AND a.w IS NOT NULL")
    args = [*sparams, *params]
    if len(k.grup_dihitung) == 1 and k.grup == k.panjang:
        return f"({sql})", args
    return k.simpan_tabel(sql, args), []


def _evaluate(k: Konteks, defs: list[dict], groups: Iterable[str]) -> dict[str, dict[str, Hasil]]:
    groups = list(groups)
    out: dict[str, dict[str, Hasil]] = {g: {} for g in groups}
    for d in defs:
        if d["jenis"] == "persentase":
            paired = _pair(k, d["numerator"], d["denominator"])
            if paired:
                num, den = paired
            else:
                num = _measure(k, d["numerator"])
                den = _measure(k, d["denominator"])
            pengali = d.get("pengali", 100)
            for g in groups:
                n, m = num.get(g, 0), den.get(g, 0)
                out[g][d["id"]] = Hasil(
                    id=d["id"], nama=d["nama"], jenis="persentase", satuan=d.get("satuan", "%"),
                    numerator=n, denominator=m, nilai=(n / m * pengali) if m else None,
                    label_numerator=d["numerator"].get("label", ""), label_denominator=d["denominator"].get("label", ""),
                    arah=d.get("arah", "naik"),
                )
        else:
            measures = {u["kode"]: _measure(k, u) for u in d.get("ukuran", [])}
            main = d["ukuran"][0]["kode"] if d.get("ukuran") else None
            per_kode = _per_kode_layanan(k) if d.get("jenis_layanan") in ("layanan", "izin") else {}
            for g in groups:
                ukuran = {kode: vals.get(g, 0) for kode, vals in measures.items()}
                value = ukuran.get(main, 0) if main else 0
                extra = per_kode.get((g, d.get("kode_layanan")), {})
                per_sumber = {}
                for sumber, vals in extra.get("per_sumber", {}).items():
                    sv = {"penerima": vals["penerima"], "jumlah_layanan": vals["jumlah_layanan"], "nilai": vals["nilai"]}
                    if "kuantitas" in ukuran:
                        sv["kuantitas"] = vals["kuantitas"].get(d.get("satuan_default"), 0)
                        sv["kuantitas_per_satuan"] = dict(vals["kuantitas"])
                    per_sumber[sumber] = sv
                out[g][d["id"]] = Hasil(
                    id=d["id"], nama=d["nama"], jenis="keluaran", satuan=d.get("satuan", "orang"),
                    numerator=value, denominator=None, nilai=value,
                    label_numerator=d["ukuran"][0].get("label", "") if main else "",
                    arah=d.get("arah", "naik"), kode_layanan=d.get("kode_layanan"), ukuran=ukuran,
                    kuantitas=dict(extra.get("kuantitas", {})) if "kuantitas" in ukuran else {},
                    per_sumber_dana=per_sumber,
                )
    return out


@contextlib.contextmanager
def _konteks(db: Database, periode, wilayah, given: "Konteks | None"):
    """``given`` (a caller's context for the same period and area, left open) or a new one."""
    if given is not None:
        yield given
        return
    with Konteks(db, periode, wilayah) as k:
        yield k


def hitung_indikator(
    db: Database, periode: Periode | str, wilayah: str | None = None, ids: Iterable[str] | None = None, *,
    konteks: Konteks | None = None,
) -> dict[str, Hasil]:
    """Every indicator (or those in ``ids``) for one area (None = whole database) and period.

    Returns {indicator id: Hasil}, in definition order: the percentages of
    DOMAIN §8 first, then OUT_<kode> per sub-kegiatan. ``konteks``: an open
    ``Konteks`` of the same period and area to reuse (its TEMP tables).
    """
    defs = definisi(db, ids)
    with _konteks(db, periode, wilayah, konteks) as k:
        group = k.wilayah[: k.grup] if k.wilayah else ""
        return _evaluate(k, defs, [group])[group]


def hitung_per_wilayah(
    db: Database, periode: Periode | str, induk: str | None, tingkat: int, ids: Iterable[str] | None = None,
    kode_list: Iterable[str] | None = None,
) -> dict[str, dict[str, Hasil]]:
    """Indicators of every area of level ``tingkat`` (3 kecamatan, 4 kelurahan, 2 kab/kota) under ``induk``,
    in one pass. Areas of ``kode_list`` (default: every area of that level under
    ``induk`` in ref_wilayah) are present even without records (zeros)."""
    if tingkat not in PANJANG_TINGKAT:
        raise KnownError(f"Tingkat wilayah {tingkat} tidak dikenal.")
    induk = _norm_wilayah(induk)
    defs = definisi(db, ids)
    panjang = PANJANG_TINGKAT[tingkat]
    if kode_list is None:
        kode_list = daftar_wilayah(db, induk, tingkat)
    with Konteks(db, periode, induk, panjang) as k:
        return _evaluate(k, defs, list(kode_list))


def hitung_bertingkat(
    db: Database, periode: Periode | str, induk: str, tingkat: Iterable[int] = (4, 3, 2),
    ids: Iterable[str] | None = None, *, konteks: Konteks | None = None,
) -> dict[str, dict[str, Hasil]]:
    """Indicators of ``induk`` and of every area of each level in ``tingkat`` under it
    (e.g. a kota: its kelurahan, kecamatan and itself), from ONE set of TEMP tables
    grouped per level (``Konteks.pada``), the costly counts made for every level in
    one pass. Same numbers as ``hitung_per_wilayah`` / ``hitung_indikator`` for each
    area; areas without records get zeros. ``konteks``: an open context of the same
    period and area (``konteks_bertingkat``) to reuse."""
    induk = _norm_wilayah(induk)
    if not induk:
        raise KnownError("hitung_bertingkat memerlukan kode wilayah induk.")
    levels = sorted({int(t) for t in tingkat}, reverse=True)
    for t in levels:
        if t not in PANJANG_TINGKAT or PANJANG_TINGKAT[t] < len(induk):
            raise KnownError(f"Tingkat wilayah {t} tidak ada di bawah {induk}.")
    defs = definisi(db, ids)
    out: dict[str, dict[str, Hasil]] = {}
    given = konteks
    k = given or konteks_bertingkat(db, periode, induk, levels)
    try:
        for t in levels:
            n = PANJANG_TINGKAT[t]
            codes = [induk] if n == len(induk) else daftar_wilayah(db, induk, t)
            out.update(_evaluate(k.pada(n), defs, codes))
    finally:
        if given is None:
            k.close()
    return out


def konteks_bertingkat(db: Database, periode: Periode | str, induk: str | None,
                       tingkat: Iterable[int] = (4, 3, 2)) -> Konteks:
    """A context for ``induk`` built at the finest of the levels ``tingkat`` (4 kelurahan, 3 kecamatan,
    2 kab/kota) that serves all of them (``Konteks.pada``); close it after use."""
    lengths = [PANJANG_TINGKAT[int(t)] for t in tingkat]
    return Konteks(db, periode, induk, max(lengths), semua_grup=lengths)


def daftar_wilayah(db: Database, induk: str | None, tingkat: int) -> list[str]:
    """Codes of every area of ``tingkat`` under ``induk`` (ref_wilayah), sorted."""
    cond, params = in_wilayah_sql("kode", _norm_wilayah(induk))
    return [r[0] for r in db.conn.execute(f"SELECT kode FROM ref_wilayah WHERE tingkat = ? AND {cond} ORDER BY kode",
                                          [tingkat, *params])]


def hasil_kosong(db: Database, ids: Iterable[str] | None = None) -> dict[str, Hasil]:
    """Every indicator with zero counts (a layout without data)."""
    with Konteks(db, Periode.bulan(1900, 1), "00") as k:
        return _evaluate(k, definisi(db, ids), ["00"])["00"]


# --------------------------------------------------------------------------- breakdowns for the recap


def _layanan_part(db: Database, indikator_id: str) -> dict:
    """The service filters of an indicator's numerator (what "served" means for the recap tables)."""
    d = reference.indikator(db, indikator_id) or {}
    return {k: v for k, v in (d.get("numerator") or {}).items() if k in LAYANAN_FILTERS}


def ppks_per_kategori(db: Database, periode: Periode | str, wilayah: str | None = None, *,
                      konteks: Konteks | None = None, konteks_ytd: Konteks | None = None) -> list[dict]:
    """Per PPKS category: registered at the period's end (L/P/total), new in the period,
    served in the period and served year-to-date (distinct persons; "served" as
    PPKS_TERTANGANI counts it). The last row (kode None) counts every person once."""
    periode = Periode.dari(periode)
    part = _layanan_part(db, "PPKS_TERTANGANI")
    cats = reference.ppks_kategori(db)
    rows = {c["kode"]: {"kode": c["kode"], "nama": c["nama"], "singkatan": c["singkatan"],
                        "spm_kelompok": c["spm_kelompok"], "L": 0, "P": 0, "jumlah": 0, "baru": 0,
                        "dilayani": 0, "dilayani_ytd": 0} for c in cats}
    total = {"kode": None, "nama": "Jumlah (orang dihitung sekali)", "singkatan": None, "spm_kelompok": None,
             "L": 0, "P": 0, "jumlah": 0, "baru": 0, "dilayani": 0, "dilayani_ytd": 0}

    def put(kat, key, value):
        target = total if kat is None else rows.setdefault(kat, {
            "kode": kat, "nama": kat, "singkatan": None, "spm_kelompok": None, "L": 0, "P": 0, "jumlah": 0,
            "baru": 0, "dilayani": 0, "dilayani_ytd": 0})
        target[key] = _num(value)

    for ctx_periode, served_key, given in ((periode, "dilayani", konteks),
                                           (periode.tahun_berjalan(), "dilayani_ytd", konteks_ytd)):
        with _konteks(db, ctx_periode, wilayah, given) as k:
            t = k.table("ppks")
            served, lparams = dilayani_sql(k, part)
            for kat, n in k.rows(f"SELECT a.kat, count(DISTINCT a.pk) FROM {t} a WHERE {served} GROUP BY a.kat", lparams):
                put(kat, served_key, n)
            put(None, served_key, k.rows(f"SELECT count(DISTINCT a.pk) FROM {t} a WHERE {served}", lparams)[0][0])
            if ctx_periode is not periode:
                continue
            at_end = "(a.tutup IS NULL OR a.tutup > ?)"
            for kat, n_l, n_p, n in k.rows(
                f"SELECT a.kat, count(DISTINCT CASE WHEN a.jk = 'L' THEN a.pk END), "
                f"count(DISTINCT CASE WHEN a.jk = 'P' THEN a.pk END), count(DISTINCT a.pk) "
                f"FROM {t} a WHERE {at_end} GROUP BY a.kat", [k.akhir]
            ):
                put(kat, "L", n_l), put(kat, "P", n_p), put(kat, "jumlah", n)
            n_l, n_p, n = k.rows(
                f"SELECT count(DISTINCT CASE WHEN a.jk = 'L' THEN a.pk END), "
                f"count(DISTINCT CASE WHEN a.jk = 'P' THEN a.pk END), count(DISTINCT a.pk) FROM {t} a WHERE {at_end}",
                [k.akhir],
            )[0]
            put(None, "L", n_l), put(None, "P", n_p), put(None, "jumlah", n)
            for kat, n in k.rows(f"SELECT a.kat, count(DISTINCT a.pk) FROM {t} a WHERE a.tgl >= ? GROUP BY a.kat", [k.mulai]):
                put(kat, "baru", n)
            put(None, "baru", k.rows(f"SELECT count(DISTINCT a.pk) FROM {t} a WHERE a.tgl >= ?", [k.mulai])[0][0])
    return list(rows.values()) + [total]


def bencana_kejadian(db: Database, periode: Periode | str, wilayah: str | None = None, *,
                     konteks: Konteks | None = None) -> list[dict]:
    """Each disaster event of the period in the area with victims registered, victims served
    in the emergency window (as SPM_BENCANA counts them) and services per sub-kegiatan."""
    periode = Periode.dari(periode)
    d = reference.indikator(db, "SPM_BENCANA") or {}
    part = {k2: v for k2, v in (d.get("numerator") or {}).items() if k2 in LAYANAN_FILTERS}
    with _konteks(db, periode, wilayah, konteks) as k:
        area, area_p = k.area_where("b.kode_wilayah")
        events = _dicts(db, f"""
            SELECT b.id, b.kode_kejadian, b.tanggal, b.waktu, b.kelompok, b.jenis_kode,
                   COALESCE(j.nama, b.jenis_kode) AS jenis_nama, b.kode_wilayah,
                   COALESCE(rw.nama, '') AS wilayah_nama, b.lokasi, b.rt, b.rw, b.kk_terdampak,
                   b.jiwa_terdampak, b.rumah_rusak, b.lama_tanggap_darurat,
                   date(b.tanggal, '+' || b.lama_tanggap_darurat || ' days') AS akhir_tanggap_darurat
            FROM bencana b LEFT JOIN ref_bencana_jenis j ON j.kode = b.jenis_kode
            LEFT JOIN ref_wilayah rw ON rw.kode = b.kode_wilayah
            WHERE b.deleted_at IS NULL AND b.tanggal >= ? AND b.tanggal <= ? AND {area}
            ORDER BY b.tanggal, b.waktu, b.kode_kejadian""", [k.mulai, k.akhir + "~", *area_p])
        if not events:
            return []
        t = k.table("korban")
        cond, params = korban_dilayani_sql(k, part)
        korban = {r[0]: (r[1], r[2]) for r in k.rows(
            f"SELECT v.bencana_id, count(DISTINCT v.pk), count(DISTINCT CASE WHEN {cond} THEN v.pk END) "
            f"FROM {t} v GROUP BY v.bencana_id", params)}
        ids = [e["id"] for e in events]
        marks = ",".join("?" * len(ids))
        services: dict[str, dict[str, int]] = {}
        for bid, kode, n in db.conn.execute(
            f"SELECT bencana_id, kode_layanan, count(*) FROM layanan WHERE deleted_at IS NULL AND status <> 'batal' "
            f"AND bencana_id IN ({marks}) GROUP BY bencana_id, kode_layanan", ids):
            services.setdefault(bid, {})[kode] = n
    for e in events:
        e["korban"], e["korban_dilayani"] = korban.get(e["id"], (0, 0))
        e["layanan"] = services.get(e["id"], {})
    return events


def bencana_per_jenis(events: list[dict]) -> list[dict]:
    """Totals per disaster type of ``bencana_kejadian`` rows (victims summed per event)."""
    out: dict[str, dict] = {}
    for e in events:
        r = out.setdefault(e["jenis_kode"], {"jenis_kode": e["jenis_kode"], "jenis_nama": e["jenis_nama"],
                                             "kelompok": e["kelompok"], "kejadian": 0, "kk_terdampak": 0,
                                             "jiwa_terdampak": 0, "rumah_rusak": 0, "korban": 0,
                                             "korban_dilayani": 0, "layanan": {}})
        r["kejadian"] += 1
        for key in ("kk_terdampak", "jiwa_terdampak", "rumah_rusak", "korban", "korban_dilayani"):
            r[key] += e.get(key) or 0
        for kode, n in e["layanan"].items():
            r["layanan"][kode] = r["layanan"].get(kode, 0) + n
    return list(out.values())


def psks_per_jenis(db: Database, periode: Periode | str, wilayah: str | None = None, *,
                   konteks: Konteks | None = None, konteks_ytd: Konteks | None = None) -> list[dict]:
    """Per PSKS type: active at the period, coached (attended an event) in the period and year-to-date."""
    periode = Periode.dari(periode)
    rows = {j["kode"]: {"kode": j["kode"], "nama": j["nama"], "bentuk": j["bentuk"], "aktif": 0, "dibina": 0,
                        "dibina_ytd": 0} for j in reference.psks_jenis(db)}
    total = {"kode": None, "nama": "Jumlah", "bentuk": None, "aktif": 0, "dibina": 0, "dibina_ytd": 0}
    for p, key, given in ((periode, "dibina", konteks), (periode.tahun_berjalan(), "dibina_ytd", konteks_ytd)):
        with _konteks(db, p, wilayah, given) as k:
            t = k.table("psks")
            if key == "dibina":
                for jenis, n in k.rows(f"SELECT jenis, count(DISTINCT sk) FROM {t} GROUP BY jenis"):
                    rows.setdefault(jenis, {"kode": jenis, "nama": jenis, "bentuk": None, "aktif": 0, "dibina": 0,
                                            "dibina_ytd": 0})["aktif"] = n
                total["aktif"] = k.rows(f"SELECT count(DISTINCT sk) FROM {t}")[0][0]
            cond = dibina_sql(k)
            for jenis, n in k.rows(f"SELECT a.jenis, count(DISTINCT a.sk) FROM {t} a WHERE {cond} GROUP BY a.jenis"):
                rows.setdefault(jenis, {"kode": jenis, "nama": jenis, "bentuk": None, "aktif": 0, "dibina": 0,
                                        "dibina_ytd": 0})[key] = n
            total[key] = k.rows(f"SELECT count(DISTINCT a.sk) FROM {t} a WHERE {cond}")[0][0]
    return list(rows.values()) + [total]


def kegiatan_periode(db: Database, periode: Periode | str, wilayah: str | None = None) -> list[dict]:
    """PSKS events starting in the period that concern the area (held there, or attended by its PSKS),
    with their participants (``peserta``: list of dicts) and counts."""
    periode = Periode.dari(periode)
    mulai, akhir = periode.mulai.isoformat(), periode.akhir.isoformat() + "~"
    w = _norm_wilayah(wilayah)
    area_g, pg = in_wilayah_sql("g.kode_wilayah", w)
    area_s, ps = in_wilayah_sql("s.kode_wilayah", w)
    events = _dicts(db, f"""
        SELECT g.id, g.kode_kegiatan, g.nama, g.jenis, COALESCE(jk.nama, g.jenis) AS jenis_nama, g.kode_layanan,
               COALESCE(rl.nama, '') AS layanan_nama, g.tanggal_mulai, g.tanggal_selesai, g.penyelenggara,
               g.tempat, g.kode_wilayah
        FROM kegiatan g
        LEFT JOIN ref_daftar jk ON jk.daftar = 'jenis_kegiatan' AND jk.kode = g.jenis
        LEFT JOIN ref_layanan rl ON rl.kode = g.kode_layanan
        WHERE g.deleted_at IS NULL AND g.tanggal_mulai >= ? AND g.tanggal_mulai <= ?
          AND ({area_g if w else '1'} OR EXISTS (
              SELECT 1 FROM kegiatan_peserta kp JOIN psks s ON s.id = kp.psks_id
              WHERE kp.kegiatan_id = g.id AND kp.deleted_at IS NULL AND s.deleted_at IS NULL AND {area_s}))
        ORDER BY g.tanggal_mulai, g.nama""", [mulai, akhir, *(pg if w else []), *ps])
    for e in events:
        e["peserta"] = _dicts(db, f"""
            SELECT s.id AS psks_id, s.nama, s.nik, s.jenis_kode, COALESCE(j.nama, s.jenis_kode) AS jenis_nama,
                   s.kode_wilayah, s.nomor_registrasi, kp.hadir, ({area_s}) AS dari_wilayah
            FROM kegiatan_peserta kp JOIN psks s ON s.id = kp.psks_id
            LEFT JOIN ref_psks_jenis j ON j.kode = s.jenis_kode
            WHERE kp.kegiatan_id = ? AND kp.deleted_at IS NULL AND s.deleted_at IS NULL
            ORDER BY s.nama""", [*ps, e["id"]])
        e["peserta_terdaftar"] = len(e["peserta"])
        e["peserta_hadir"] = sum(1 for p in e["peserta"] if p["hadir"])
        e["peserta_hadir_wilayah"] = sum(1 for p in e["peserta"] if p["hadir"] and p["dari_wilayah"])
    return events


def bnba(db: Database, periode: Periode | str, wilayah: str | None = None, *,
         konteks: Konteks | None = None) -> list[dict]:
    """The by-name-by-address list of the period's services in the area (not cancelled), by date."""
    periode = Periode.dari(periode)
    with _konteks(db, periode, wilayah, konteks) as k:
        lay = k.table("lay")
        return _dicts(db, f"""
            SELECT l.id, l.tanggal, l.kode_layanan, COALESCE(rl.nama, l.kode_layanan) AS layanan_nama,
                   l.jumlah, l.satuan, l.nilai, l.sumber_dana, l.petugas, l.keterangan, l.no_kk AS layanan_no_kk,
                   o.id AS orang_id, o.nik, o.nik_sementara, COALESCE(o.no_kk, l.no_kk) AS no_kk,
                   COALESCE(o.nama, '(KK ' || l.no_kk || ')') AS nama, o.jenis_kelamin, o.tanggal_lahir,
                   o.alamat, o.rt, o.rw, COALESCE(o.kode_wilayah, {k.g('t')}) AS kode_wilayah,
                   q.nomor AS nomor_kuitansi, b.kode_kejadian
            FROM {lay} t JOIN layanan l ON l.id = t.id
            LEFT JOIN orang o ON o.id = l.orang_id
            LEFT JOIN ref_layanan rl ON rl.kode = l.kode_layanan
            LEFT JOIN kuitansi q ON q.layanan_id = l.id AND q.deleted_at IS NULL
            LEFT JOIN bencana b ON b.id = l.bencana_id
            WHERE t.w IS NOT NULL
            ORDER BY l.tanggal, nama, l.kode_layanan, l.id""")


def layanan_per_bulan(db: Database, akhir: Periode | str, n: int = 12, wilayah: str | None = None) -> list[tuple[str, int]]:
    """(``2025-12``, number of services) for the ``n`` months ending with ``akhir`` (a month),
    services counted in the area as the recap counts them (household services by No. KK)."""
    last = Periode.dari(akhir)
    first = last.bulan_sebelumnya(n - 1)
    w = _norm_wilayah(wilayah)
    area, area_p = in_wilayah_sql("wk", w)
    sql = f"""
        SELECT bulan, count(*) FROM (
          SELECT substr(l.tanggal, 1, 7) AS bulan,
                 COALESCE(o.kode_wilayah,
                          (SELECT o2.kode_wilayah FROM orang o2
                           WHERE l.orang_id IS NULL AND o2.no_kk = l.no_kk AND o2.deleted_at IS NULL
                             AND o2.kode_wilayah IS NOT NULL ORDER BY o2.created_at LIMIT 1)) AS wk
          FROM layanan l LEFT JOIN orang o ON o.id = l.orang_id
          WHERE l.deleted_at IS NULL AND l.status <> 'batal' AND (l.orang_id IS NULL OR o.deleted_at IS NULL)
            AND l.tanggal >= ? AND l.tanggal <= ?)
        WHERE {area} GROUP BY bulan"""
    counts = dict(db.conn.execute(sql, [first.mulai.isoformat(), last.akhir.isoformat() + "~", *area_p]).fetchall())
    out = []
    for i in range(n - 1, -1, -1):
        p = last.bulan_sebelumnya(i)
        out.append((p.teks, counts.get(p.teks, 0)))
    return out


def perlu_dikerjakan(db: Database, hari_ini: _dt.date | None = None, wilayah: str | None = None,
                     hari_tanpa_layanan: int = 90, contoh: int = 5) -> list[dict]:
    """What still needs doing: disaster victims not yet served (window open or ended in the
    last 30 days) and active PPKS registrations without any service for ``hari_tanpa_layanan`` days.

    Each item: {jenis, jumlah, teks, contoh: [names], ...}.
    """
    from db.clock import today
    from db.indonesian import angka, tanggal

    hari_ini = hari_ini or today()
    w = _norm_wilayah(wilayah)
    items: list[dict] = []
    d = reference.indikator(db, "SPM_BENCANA") or {}
    part = {k2: v for k2, v in (d.get("numerator") or {}).items() if k2 in LAYANAN_FILTERS}
    since = (hari_ini - _dt.timedelta(days=30)).isoformat()
    with Konteks(db, Periode.rentang(_dt.date(hari_ini.year - 1, 1, 1), hari_ini), w) as k:
        area, area_p = k.area_where("b.kode_wilayah")
        k_sql, k_params = korban_dilayani_sql(k, part, alias="v")
        rows = k.rows(f"""
            SELECT b.id, b.kode_kejadian, b.tanggal, COALESCE(j.nama, b.jenis_kode),
                   date(b.tanggal, '+' || b.lama_tanggap_darurat || ' days') AS akhir,
                   count(DISTINCT v.pk), group_concat(v.nama, ', ')
            FROM (SELECT k.bencana_id, COALESCE(o.nik, o.id) AS pk, o.id AS orang_id, o.nik, o.no_kk, o.nama,
                         b2.tanggal AS mulai,
                         date(b2.tanggal, '+' || b2.lama_tanggap_darurat || ' days') AS akhir
                  FROM korban k JOIN orang o ON o.id = k.orang_id JOIN bencana b2 ON b2.id = k.bencana_id
                  WHERE k.deleted_at IS NULL AND o.deleted_at IS NULL) v
            JOIN bencana b ON b.id = v.bencana_id
            LEFT JOIN ref_bencana_jenis j ON j.kode = b.jenis_kode
            WHERE b.deleted_at IS NULL AND {area}
              AND date(b.tanggal, '+' || b.lama_tanggap_darurat || ' days') >= ? AND b.tanggal <= ?
              AND NOT {k_sql}
            GROUP BY b.id ORDER BY b.tanggal""", [*area_p, since, hari_ini.isoformat() + "~", *k_params])
    for bid, kode, tgl, jenis, akhir, n, names in rows:
        terbuka = akhir >= hari_ini.isoformat()
        teks = (f"{angka(n)} korban {jenis.lower()} {tanggal(tgl)}"
                f"{' (' + kode + ')' if kode else ''} belum menerima layanan; masa tanggap darurat "
                f"{'berakhir' if terbuka else 'telah berakhir'} {tanggal(akhir)}")
        items.append({"jenis": "korban_belum_dilayani", "bencana_id": bid, "jumlah": n, "teks": teks,
                      "mendesak": terbuka, "contoh": sorted(set((names or "").split(", ")))[:contoh]})
    batas = hari_ini - _dt.timedelta(days=hari_tanpa_layanan)
    with Konteks(db, Periode.rentang(batas + _dt.timedelta(days=1), hari_ini), w) as k:
        t = k.table("ppks")
        served, sparams = dilayani_sql(k, {})
        n, names = k.rows(
            f"SELECT count(DISTINCT a.pk), group_concat(DISTINCT o.nama) FROM {t} a JOIN orang o ON o.id = a.orang_id "
            f"WHERE a.status = 'aktif' AND a.tutup IS NULL AND a.tgl <= ? AND NOT {served}",
            [batas.isoformat(), *sparams])[0]
    if n:
        items.append({"jenis": "ppks_tanpa_layanan", "jumlah": n,
                      "teks": f"{angka(n)} PPKS aktif belum menerima layanan selama {hari_tanpa_layanan} hari terakhir",
                      "mendesak": False, "contoh": sorted((names or "").split(","))[:contoh]})
    return items


def _dicts(db: Database, sql: str, params: Iterable = ()) -> list[dict]:
    cur = db.conn.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


# --------------------------------------------------------------------------- targets and verdicts

SETTING_SKALA = "skala_penilaian"
SKALA_BAWAAN = "PONTIANAK"


def set_target(db: Database, tahun: int, indikator_id: str, kode_wilayah: str, nilai: float) -> dict:
    """Set (or change) the yearly target of an indicator for an area (audited)."""
    from db import records

    if reference.indikator(db, indikator_id) is None:
        raise KnownError(f"Indikator tidak dikenal: {indikator_id}.")
    kode = _norm_wilayah(kode_wilayah)
    try:
        nilai = float(nilai)
    except (TypeError, ValueError):
        raise KnownError(f"Target harus berupa angka, bukan '{nilai}'.") from None
    if nilai < 0:
        raise KnownError("Target tidak boleh negatif.")
    with db.atomic():
        row = db.conn.execute(
            "SELECT id FROM target WHERE tahun = ? AND indikator_id = ? AND kode_wilayah = ? AND deleted_at IS NULL",
            [int(tahun), indikator_id, kode]).fetchone()
        if row:
            return records.update(db, "target", row[0], {"nilai": nilai})
        return records.insert(db, "target", {"tahun": int(tahun), "indikator_id": indikator_id,
                                             "kode_wilayah": kode, "nilai": nilai})


def targets(db: Database, tahun: int, kode_wilayah: str) -> dict[str, float]:
    """{indicator id: target} of one year and area."""
    return dict(db.conn.execute(
        "SELECT indikator_id, nilai FROM target WHERE tahun = ? AND kode_wilayah = ? AND deleted_at IS NULL",
        [int(tahun), _norm_wilayah(kode_wilayah)]).fetchall())


def capaian(realisasi: float | None, target: float | None, arah: str = "naik") -> float | None:
    """Achievement in percent: realisasi / target x 100 (reversed for "lower is better")."""
    if realisasi is None or target is None:
        return None
    if arah == "turun":
        return (target / realisasi * 100) if realisasi else None
    return (realisasi / target * 100) if target else None


def skala_aktif(db: Database) -> dict | None:
    """The rating scale chosen in the settings (``skala_penilaian``; default Pontianak)."""
    from db.install import get_setting

    return reference.skala(db, get_setting(db, SETTING_SKALA, SKALA_BAWAAN) or SKALA_BAWAAN)


def predikat(db: Database, capaian_pct: float | None, skala_def: dict | None = None) -> str | None:
    """The verdict of the office's rating scale for an achievement percentage."""
    return reference.nilai_skala(skala_def or skala_aktif(db), capaian_pct)


def penilaian(db: Database, hasil_ytd: dict[str, Hasil], tahun: int, kode_wilayah: str) -> dict[str, dict]:
    """{id: {target, realisasi, capaian, predikat}} for the indicators that have a target."""
    tg = targets(db, tahun, kode_wilayah)
    sk = skala_aktif(db)
    out = {}
    for ident, t in tg.items():
        h = hasil_ytd.get(ident)
        if h is None:
            continue
        c = capaian(h.nilai, t, h.arah)
        out[ident] = {"target": t, "realisasi": h.nilai, "capaian": c, "predikat": reference.nilai_skala(sk, c)}
    return out


def to_json(hasil: dict[str, Hasil]) -> str:
    return json.dumps({k: v.as_dict() for k, v in hasil.items()}, ensure_ascii=False)
