"""Generating one install's worth of realistic field records.

The unit of generation is an *install*: one field laptop (TKSK/PSM) working on
one kelurahan, or on a kecamatan's villages. ``generate_install`` returns
plain dicts per table, ready for ``db.synthetic.writer.write_install``; it
never touches a database, so a caller can also turn the rows into sync
packages or stream them (``db.synthetic.sizes.iter_provinsi``).

Everything is drawn from one ``random.Random`` seeded by (seed, area code):
the same seed, area and ``today`` give the same records, ids included.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
import random
from dataclasses import dataclass, field

from db.kuitansi import format_nomor, hitung_kode_cek
from db.ppks import TEMP_ID_PREFIX
from db.synthetic import names
from db.synthetic.catalog import Catalog
from db.synthetic.ids import NumberAllocator, ulid_at

# ----------------------------------------------------------------------------
# Behaviour tables, keyed by reference codes. Codes the reference data lacks are
# skipped; reference codes missing here get the defaults.

# SPM groups as counted in Pontianak 2025 (DOMAIN.md §4): the shares of the
# four "terlantar" groups among themselves; together they are SPM_SHARE of all
# registrations (fakir miskin dominate the rest).
SPM_GROUP_COUNTS = {"DISABILITAS": 273, "ANAK": 111, "LANSIA": 212, "GEPENG": 185}
SPM_SHARE = 0.16
# How a group's share splits over its categories (unknown categories: weight 1).
SPLIT_IN_GROUP = {"9": 6, "9a": 2.5, "5": 1.5, "1": 3.5, "2": 6.5, "11": 4.5, "12": 5.5, "8": 1}
# Other categories, in percent of all registrations.
OTHER_WEIGHTS = {
    "24": 55, "23": 4, "13": 2, "4": 1.2, "25": 2, "19": 1.2, "6": 0.8, "3": 0.6, "7": 0.6,
    "15": 0.6, "16": 0.5, "17": 0.7, "18": 0.2, "20": 0.5, "20a": 0.2, "10": 0.4, "14": 0.3,
    "26": 0.0, "OT": 1.0, "21": 0.0, "22": 0.0,
}
# Disabled people who are *not* terlantar (outside the SPM group), percent.
DISABLED_NOT_TERLANTAR = {"9": 4.0, "5": 1.0, "9a": 1.0}
DEFAULT_OTHER_WEIGHT = 0.3
# Fakir miskin are registered as households: 1-4 members of one KK each.
FAKIR_HOUSEHOLD = (1, 1, 2, 2, 3, 4)

AGES = {
    "1": (0, 5), "2": (6, 17), "3": (12, 17), "4": (7, 17), "5": (2, 17), "6": (4, 17), "7": (3, 17),
    "8": (60, 92), "9": (18, 75), "9a": (18, 65), "10": (18, 45), "11": (20, 75), "12": (25, 80),
    "13": (15, 70), "14": (18, 70), "15": (20, 60), "16": (20, 55), "17": (16, 45), "18": (14, 35),
    "19": (18, 60), "20": (20, 50), "20a": (20, 50), "23": (25, 59), "24": (20, 85), "25": (25, 65),
    "26": (0, 80), "OT": (18, 70),
}
DEFAULT_AGES = (18, 70)
# Probability that the person is a woman.
FEMALE = {
    "8": 0.58, "10": 0.85, "11": 0.35, "12": 0.55, "15": 0.15, "17": 0.15, "18": 0.8, "19": 0.75,
    "20": 0.4, "23": 1.0, "24": 0.4, "6": 0.55,
}
# Probability of "NIK belum ada" (overall about 2%).
NO_NIK = {"OT": 0.8, "4": 0.2, "11": 0.15, "12": 0.08, "1": 0.08, "2": 0.03, "9a": 0.03, "20a": 0.2}
DEFAULT_NO_NIK = 0.003

# Services: expected number per registration over the year, by SPM group or
# category, and the sub-kegiatan weights to draw from.
LAMBDA_GROUP = {"LANSIA": 8.0, "DISABILITAS": 5.0, "ANAK": 4.0, "GEPENG": 3.0}
LAMBDA_CAT = {"24": 1.8, "OT": 2.0, "20a": 1.0}
DEFAULT_LAMBDA = 1.6
SPM_SERVICE_WEIGHTS = {
    "LANSIA": {"0001": 60, "0002": 10, "0005": 8, "0008": 10, "0003": 5, "0012": 3, "0006": 4},
    "DISABILITAS": {"0001": 30, "0003": 18, "0005": 14, "0008": 10, "0007": 5, "0012": 15, "0006": 8},
    "ANAK": {"0001": 25, "0002": 20, "0008": 20, "0007": 15, "0005": 10, "0004": 5, "0011": 5},
    "GEPENG": {"0010": 20, "0005": 25, "0004": 15, "0011": 15, "0012": 10, "0001": 15},
}
OTHER_SERVICE_WEIGHTS = {"0001": 8, "0002": 15, "0004": 8, "0005": 3, "0006": 8, "0007": 20,
                         "0008": 12, "0009": 6, "0010": 10, "0011": 3, "0012": 3, "0013": 6}
SUMBER_DANA = {"APBD_KOTA": 50, "APBN": 28, "APBD_PROV": 12, "CSR": 10}
SUMBER_DANA_BANSOS = {"APBN": 60, "APBD_KOTA": 30, "APBD_PROV": 10}
SUMBER_LAPORAN = {"laporan_masyarakat": 30, "kelurahan": 25, "penjangkauan": 20, "rumah_sakit": 8,
                  "polisi": 5, "provinsi": 4, "lainnya": 3}
ALASAN_TUTUP = {"meninggal": 20, "pindah": 25, "kembali_ke_keluarga": 15, "dirujuk_ke_panti": 10,
                "terminasi": 25, "lainnya": 5}
STATUS_DTKS_MISKIN = {"terdaftar": 70, "dalam_usulan": 15, "tidak_terdaftar": 10, "belum_diketahui": 5}
STATUS_DTKS_LAIN = {"terdaftar": 35, "dalam_usulan": 10, "tidak_terdaftar": 30, "belum_diketahui": 25}
BENCANA_WEIGHTS = {"kebakaran_permukiman": 40, "angin_puting_beliung": 25, "banjir_rob": 20, "banjir": 15,
                   "tanah_longsor": 2, "abrasi": 2, "konflik_sosial": 1}
TEMPAT_TINGGAL = {"pengungsian": 50, "keluarga": 35, "rumah_sendiri": 15}
# PSKS per village: expected count by type (person or institution).
PSKS_PER_VILLAGE = {
    "PSM": 2.3, "TAGANA": 2.0, "FAS_SLRT": 1.0, "PENDAMPING_PKH": 1.5, "KARTAR": 1.0, "LKS": 1.0,
    "WKSBM": 0.5, "PEKSOS": 0.2, "SAKTI_PEKSOS": 0.2, "PENDAMPING_REHSOS": 0.2, "PENYULUH": 0.1,
    "WPKS": 0.2, "KELUARGA_PIONER": 0.15, "LK3": 0.1, "DUNIA_USAHA": 0.15, "PELOPOR_PERDAMAIAN": 0.1,
    "FAS_PUSKESOS": 0.3, "TKSK": 0.0,  # TKSK: one per kecamatan, placed separately
}
DEFAULT_PSKS_PER_VILLAGE = 0.1

WORK_START = _dt.time(8, 0)


@dataclass
class Village:
    """A kelurahan/desa to fill, with its slice of the NIK serial range."""

    kode: str
    nama: str
    people: int
    ordinal: int = 1  # position among the kecamatan's villages (1-based)
    villages_in_kecamatan: int = 1
    first_in_kecamatan: bool = True


@dataclass
class InstallData:
    """Rows of one install, per table, in insertion order."""

    kode_wilayah: str
    install_id: str
    operator_nama: str
    tables: dict[str, list[dict]] = field(default_factory=dict)
    nomor_urut: list[tuple[str, str, int]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self.tables.items()}


TABLE_ORDER = ("orang", "ppks", "psks", "bencana", "korban", "kegiatan", "kegiatan_peserta", "layanan", "kuitansi")


def window_start(today: _dt.date, months: int) -> _dt.date:
    """First day of the month ``months - 1`` months before ``today``'s month."""
    y, m = today.year, today.month - (months - 1)
    while m <= 0:
        m += 12
        y -= 1
    return _dt.date(y, m, 1)


class _W:
    """A prepared weighted choice (keys + cumulative weights): cheaper than a dict per draw."""

    __slots__ = ("keys", "cum", "weights")

    def __init__(self, weights: dict[str, float]):
        self.weights = {k: w for k, w in weights.items() if w > 0}
        self.keys = list(self.weights)
        total, self.cum = 0.0, []
        for k in self.keys:
            total += self.weights[k]
            self.cum.append(total)

    def __contains__(self, key) -> bool:
        return key in self.weights

    def __bool__(self) -> bool:
        return bool(self.keys)


def _weighted(rng: random.Random, weights):
    if not isinstance(weights, _W):
        weights = _W(weights)
    return rng.choices(weights.keys, cum_weights=weights.cum)[0]


def _filter_weights(weights: dict[str, float], allowed) -> _W:
    allowed = list(allowed)
    out = {k: w for k, w in weights.items() if k in allowed}
    return _W(out or {k: 1.0 for k in allowed})


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _rand_date(rng: random.Random, start: _dt.date, end: _dt.date) -> _dt.date:
    if end <= start:
        return start
    return start + _dt.timedelta(days=rng.randint(0, (end - start).days))


def _stamp(rng: random.Random, day: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(day, WORK_START) + _dt.timedelta(seconds=rng.randint(0, 8 * 3600))


def _iso(dt: _dt.datetime) -> str:
    return dt.isoformat(timespec="seconds")


def _years_ago(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _InstallBuilder:
    def __init__(self, catalog: Catalog, *, kode_install: str, install_id: str, operator_nama: str,
                 today: _dt.date, months: int, services_per_person: float, seed: int,
                 penyelenggara: str, kab_names: list[str], disasters_per_village: float):
        self.c = catalog
        self.kode_install = kode_install
        self.install_id = install_id
        self.operator = operator_nama
        self.today = today
        self.start = window_start(today, months)
        self.spp = services_per_person
        self.rng = random.Random(f"{seed}:{kode_install}")
        self.penyelenggara = penyelenggara
        self.kab_names = kab_names
        self.disasters_per_village = disasters_per_village
        self.t: dict[str, list[dict]] = {name: [] for name in TABLE_ORDER}
        self.sem_counter = 0
        self.households: list[dict] = []
        self.bencana_seq: dict[int, int] = {}
        self.kegiatan_seq: dict[int, int] = {}
        self.secret = b""
        self.village_names: list[str] = []
        self.field_workers: list[dict] = []
        self.counters: list[tuple[str, str, int]] = []
        self._prepare_weights()

    # ------------------------------------------------------------ reference-driven weights

    def _prepare_weights(self) -> None:
        c = self.c
        weights: dict[tuple[str, bool], float] = {}
        total_spm = sum(SPM_GROUP_COUNTS.values())
        spm_cats: set[str] = set()
        for group, count in SPM_GROUP_COUNTS.items():
            cats = c.kategori_of_group(group)
            if not cats:
                continue
            split = {k: SPLIT_IN_GROUP.get(k, 1.0) for k in cats}
            ssum = sum(split.values())
            for k in cats:
                weights[(k, True)] = 100 * SPM_SHARE * count / total_spm * split[k] / ssum
                spm_cats.add(k)
        for k in c.kategori:
            if k in spm_cats and not c.needs_terlantar(k):
                continue
            if c.kategori[k].get("spm_kelompok") == "BENCANA":
                continue  # victims come from disaster events
            if k in DISABLED_NOT_TERLANTAR and c.needs_terlantar(k):
                weights[(k, False)] = DISABLED_NOT_TERLANTAR[k]
            elif k not in spm_cats:
                weights[(k, k == "OT")] = OTHER_WEIGHTS.get(k, DEFAULT_OTHER_WEIGHT)
        if ("24", False) in weights:  # weights count persons; a draw makes a whole household
            weights[("24", False)] /= sum(FAKIR_HOUSEHOLD) / len(FAKIR_HOUSEHOLD)
        self.cat_keys = [k for k, w in weights.items() if w > 0]
        self.cat_w = [weights[k] for k in self.cat_keys]

        # Services.
        spm_codes = c.services(spm=1)
        self.svc_spm: dict[str, dict[str, float]] = {}
        for group, table in SPM_SERVICE_WEIGHTS.items():
            self.svc_spm[group] = _W({k: table.get(k.rsplit(".", 1)[1], 1.0) for k in spm_codes})
        others = [k for k in c.services(spm=0, bencana=0, per_kk=0) if k.startswith("1.06.04.")]
        self.svc_other = _W({k: OTHER_SERVICE_WEIGHTS.get(k.rsplit(".", 1)[1], 1.0) for k in others})
        self.svc_kk = c.services(per_kk=1)
        self.svc_ekonomi = [k for k in c.services(spm=0, bencana=0, per_kk=0) if k.startswith("1.06.05.2.02.")]
        self.svc_anak = [k for k in c.services(spm=0, bencana=0, per_kk=0) if k.startswith("1.06.05.2.01.")]
        self.svc_migran = [k for k in c.services(spm=0, bencana=0, per_kk=0) if k.startswith("1.06.03.")]
        self.svc_bencana = c.services(bencana=1)
        self.w_anak = _W({k: 1.0 for k in self.svc_anak})
        self.w_kk = _W({k: 1.0 for k in self.svc_kk})
        self.w_ekonomi = _W({k: 1.0 for k in self.svc_ekonomi if k not in self.svc_kk})
        self.w_migran = _W({k: 1.0 for k in self.svc_migran})
        self.dana_bencana = _filter_weights({"APBD_KOTA": 60, "APBN": 20, "CSR": 20}, c.codes("sumber_dana"))
        self.dana = _filter_weights(SUMBER_DANA, c.codes("sumber_dana"))
        self.dana_bansos = _filter_weights(SUMBER_DANA_BANSOS, c.codes("sumber_dana"))
        self.laporan = _filter_weights(SUMBER_LAPORAN, c.codes("sumber_laporan"))
        self.laporan_by_kat = {}
        for kode, (source, factor) in {"4": ("penjangkauan", 4), "11": ("penjangkauan", 4), "12": ("penjangkauan", 4),
                                       "OT": ("penjangkauan", 4), "3": ("polisi", 10)}.items():
            if source in self.laporan:
                w = dict(self.laporan.weights)
                w[source] *= factor
                self.laporan_by_kat[kode] = _W(w)
        self.alasan = _filter_weights(ALASAN_TUTUP, c.codes("alasan_tutup"))
        self.dtks_miskin = _filter_weights(STATUS_DTKS_MISKIN, c.codes("status_dtks"))
        self.dtks_lain = _filter_weights(STATUS_DTKS_LAIN, c.codes("status_dtks"))
        self.tempat = _filter_weights(TEMPAT_TINGGAL, c.codes("tempat_tinggal_sementara"))
        self.disab = c.codes("jenis_disabilitas")
        self.alat = c.codes("alat_bantu")
        self.rentan = set(c.codes("kelompok_rentan"))
        self.jenis_kegiatan = c.codes("jenis_kegiatan")
        alam = {k: BENCANA_WEIGHTS.get(k, 0.2) for k in c.bencana_jenis}
        self.bencana_w = alam

    # ------------------------------------------------------------ identities

    def _nik(self, alloc: NumberAllocator, kec: str, born: _dt.date, sex: str) -> str | None:
        day = born.day + (40 if sex == "P" else 0)
        key = f"{day:02d}{born.month:02d}{born.year % 100:02d}"
        serial = alloc.take(key)
        if serial is None:
            return None
        return f"{kec}{key}{serial:04d}"

    def _kk(self, alloc: NumberAllocator, kec: str, issued: _dt.date) -> str:
        while True:
            key = f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
            serial = alloc.take("KK" + key)
            if serial is not None:
                return f"{kec}{key}{serial:04d}"
            issued -= _dt.timedelta(days=1)

    def _sementara(self) -> str:
        # The same shape and counter as db.ppks.make_nik_sementara, so real entries continue the series.
        self.sem_counter += 1
        area = "".join(ch for ch in self.kode_install if ch.isdigit())[:6] or "000000"
        return f"{TEMP_ID_PREFIX}-{area}-{self.install_id[-5:]}-{self.sem_counter:05d}"

    def _birth(self, lo: int, hi: int) -> _dt.date:
        rng = self.rng
        oldest = _years_ago(self.today, hi + 1) + _dt.timedelta(days=1)
        youngest = _years_ago(self.today, lo) if lo > 0 else self.today - _dt.timedelta(days=30)
        return _rand_date(rng, oldest, youngest)

    # ------------------------------------------------------------ people

    def new_person(self, v: Village, hh: dict, *, sex: str, born: _dt.date, kode_kat: str | None,
                   created: _dt.datetime, group: str | None = None, allow_no_nik: bool = True) -> dict:
        rng = self.rng
        nik = None
        no_nik_p = NO_NIK.get(kode_kat, DEFAULT_NO_NIK) if allow_no_nik else 0.0
        if rng.random() >= no_nik_p:
            for _ in range(20):
                nik = self._nik(hh["alloc"], hh["kec"], born, sex)
                if nik:
                    break
                born += _dt.timedelta(days=1)  # serial slice full for that day: shift the birth date
        row = {
            "id": ulid_at(rng, created),
            "nik": nik,
            "nik_sementara": None if nik else self._sementara(),
            "no_kk": hh["kk"] if nik or rng.random() < 0.3 else None,
            "nama": names.person_name(rng, sex, group or hh["group"], born_year=born.year, family=hh["family"]),
            "jenis_kelamin": sex,
            "tempat_lahir": self._birthplace(),
            "tanggal_lahir": born.isoformat(),
            "alamat": hh["alamat"],
            "rt": hh["rt"],
            "rw": hh["rw"],
            "kode_wilayah": v.kode,
            "asal_luar": None,
            "telepon": names.telepon(rng) if rng.random() < 0.35 and born.year < self.today.year - 17 else None,
            "status_dtks": None,
            "desil": None,
            "jenis_disabilitas": None,
            "keterangan": None,
            "created_at": _iso(created),
            "updated_at": _iso(created),
            "install_id": self.install_id,
        }
        self.t["orang"].append(row)
        return row

    def _birthplace(self) -> str:
        r = self.rng.random()
        if r < 0.6 and self.kab_names:
            return self.kab_names[0]
        if r < 0.85 and len(self.kab_names) > 1:
            return self.rng.choice(self.kab_names[1:])
        return self.rng.choice(names.TEMPAT_LAHIR_NASIONAL)

    def _household(self, v: Village, alloc: NumberAllocator) -> dict:
        rng = self.rng
        group = names.pick_group(rng)
        issued = _rand_date(rng, _dt.date(self.today.year - 20, 1, 1), self.today - _dt.timedelta(days=60))
        return {
            "group": group,
            "family": names.family_name(rng, group),
            "kk": self._kk(alloc, v.kode[:8].replace(".", ""), issued),
            "alamat": names.address(rng, v.nama),
            "rt": f"{rng.randint(1, 12):03d}",
            "rw": f"{rng.randint(1, 8):03d}",
            "alloc": alloc,
            "kec": v.kode[:8].replace(".", ""),
            "members": [],
        }

    def _register(self, person: dict, kode: str, terlantar: bool, *, pendataan: _dt.date | None = None,
                  status: str | None = None, petugas: str | None = None) -> dict:
        rng = self.rng
        born = _dt.date.fromisoformat(person["tanggal_lahir"])
        if pendataan is None:
            pendataan = self._pick_pendataan(born)
        tutup = alasan = None
        if status is None:
            r = rng.random()
            status = "aktif" if r < 0.78 else ("tertangani" if r < 0.90 else "ditutup")
        if status == "ditutup":
            lo = pendataan + _dt.timedelta(days=30)
            if lo >= self.today:
                status = "aktif"
            else:
                tutup = _rand_date(rng, lo, self.today)
                alasan = _weighted(rng, self.alasan)
                if born.year < self.today.year - 75 and rng.random() < 0.5 and "meninggal" in self.alasan:
                    alasan = "meninggal"
        created = _stamp(rng, pendataan)
        updated = _stamp(rng, tutup) if tutup else created
        laporan = self.laporan_by_kat.get(kode, self.laporan)
        row = {
            "id": ulid_at(rng, created),
            "orang_id": person["id"],
            "kategori_kode": kode,
            "terlantar": 1 if terlantar else 0,
            "tanggal_pendataan": pendataan.isoformat(),
            "sumber_laporan": _weighted(rng, laporan),
            "petugas": petugas or self._petugas_name(),
            "status": status,
            "alasan_tutup": alasan,
            "tanggal_tutup": tutup.isoformat() if tutup else None,
            "keterangan": "Ditutup: " + alasan.replace("_", " ") if alasan else None,
            "created_at": _iso(created),
            "updated_at": _iso(updated),
            "install_id": self.install_id,
        }
        if created < _dt.datetime.fromisoformat(person["created_at"]):
            person["created_at"] = person["updated_at"] = row["created_at"]
        self.t["ppks"].append(row)
        return row

    def _pick_pendataan(self, born: _dt.date) -> _dt.date:
        earliest = max(born + _dt.timedelta(days=14), _years_ago(self.today, 3))
        if self.rng.random() < 0.35:
            earliest = max(earliest, self.start)
        return _rand_date(self.rng, earliest, self.today)

    def _petugas_name(self) -> str:
        if self.field_workers and self.rng.random() < 0.45:
            return self.rng.choice(self.field_workers)["nama"]
        return self.operator

    def _age_ok(self, kode: str, age: int, sex: str) -> bool:
        lo, hi = AGES.get(kode, DEFAULT_AGES)
        if not lo <= age <= hi:
            return False
        return not (FEMALE.get(kode) == 1.0 and sex != "P")

    def people(self, v: Village, alloc: NumberAllocator) -> None:
        rng = self.rng
        made = 0
        households = []
        while made < v.people:
            hh = self._household(v, alloc)
            households.append(hh)
            n_members = 1
            kode, terl = rng.choices(self.cat_keys, self.cat_w)[0]
            if kode == "24":
                n_members = rng.choice(FAKIR_HOUSEHOLD)
            elif rng.random() < 0.2:
                n_members = 2
            for i in range(min(n_members, v.people - made)):
                if i > 0 and kode != "24":
                    kode, terl = rng.choices(self.cat_keys, self.cat_w)[0]
                if kode == "24" and i > 0:
                    # Spouse of a similar age, then children.
                    head = hh["members"][0]
                    hb = _dt.date.fromisoformat(head["tanggal_lahir"])
                    if i == 1 and hb.year < self.today.year - 22:
                        sex = "P" if head["jenis_kelamin"] == "L" else "L"
                        born = _rand_date(rng, _years_ago(hb, 6), min(_years_ago(hb, -6), _years_ago(self.today, 18)))
                    else:
                        sex = rng.choice("LP")
                        born = self._birth(0, min(17, max(0, self.today.year - hb.year - 18)))
                else:
                    lo, hi = AGES.get(kode, DEFAULT_AGES)
                    sex = "P" if rng.random() < FEMALE.get(kode, 0.5) else "L"
                    born = self._birth(lo, hi)
                pendataan = self._pick_pendataan(born)
                person = self.new_person(v, hh, sex=sex, born=born, kode_kat=kode, created=_stamp(rng, pendataan))
                born = _dt.date.fromisoformat(person["tanggal_lahir"])  # may have moved a day
                hh["members"].append(person)
                if kode == "OT":
                    person["asal_luar"] = self._asal_luar()
                    person["alamat"] = rng.choice(["Tidak tetap", "Terminal bus", "Pelabuhan", "Rumah singgah",
                                                   "Emperan pasar", "Tidak diketahui"])
                    person["rt"] = person["rw"] = None
                    person["no_kk"] = None
                self._person_details(person, kode, terl)
                self._register(person, kode, terl, pendataan=max(pendataan, born + _dt.timedelta(days=14)))
                made += 1
                # A second registration for some people (an elderly person with a disability ...).
                if rng.random() < 0.05:
                    second = self._second_category(person, kode)
                    if second:
                        self._register(person, *second)
        self.households.extend(households)

    def _asal_luar(self) -> str:
        """Where a stranded person (orang terlantar) comes from: elsewhere in the province, or farther."""
        if len(self.kab_names) > 1 and self.rng.random() < 0.6:
            return self.rng.choice(self.kab_names[1:])
        return self.rng.choice(["Prov. Jawa Timur", "Prov. Jawa Tengah", "Prov. Sulawesi Selatan",
                                "Prov. Kalimantan Tengah", "Prov. Sumatera Utara", "Kuching, Malaysia",
                                "Tidak diketahui"])

    def _person_details(self, person: dict, kode: str, terlantar: bool) -> None:
        rng = self.rng
        dtks = self.dtks_miskin if kode in ("24", "8", "23") else self.dtks_lain
        person["status_dtks"] = _weighted(rng, dtks) if dtks else None
        if person["status_dtks"] == "terdaftar":
            person["desil"] = rng.choice((1, 1, 1, 2, 2, 3, 4)) if kode == "24" else rng.randint(1, 6)
        if self.c.kategori.get(kode, {}).get("spm_kelompok") == "DISABILITAS" and self.disab:
            if kode == "9a" and "mental" in self.disab:
                person["jenis_disabilitas"] = "mental"
            else:
                person["jenis_disabilitas"] = rng.choice(self.disab)

    def _second_category(self, person: dict, first: str):
        born = _dt.date.fromisoformat(person["tanggal_lahir"])
        age = self.today.year - born.year
        sex = person["jenis_kelamin"]
        options, weights = [], []
        for kode, terl, w in (("24", False, 3), ("8", True, 2), ("9", False, 2), ("9", True, 1), ("23", False, 1),
                              ("19", False, 1), ("5", True, 0.5), ("2", True, 0.5)):
            if kode != first and kode in self.c.kategori and self._age_ok(kode, age, sex):
                options.append((kode, terl if self.c.kategori[kode].get("spm_kelompok") else False))
                weights.append(w)
        if not options:
            return None
        kode, terl = self.rng.choices(options, weights)[0]
        if kode in ("9", "5") and not person["jenis_disabilitas"] and self.disab:
            person["jenis_disabilitas"] = self.rng.choice(self.disab)
        return kode, terl

    # ------------------------------------------------------------ PSKS and events

    def psks(self, v: Village, alloc: NumberAllocator) -> None:
        rng = self.rng
        plan: list[str] = []
        for kode in self.c.psks_jenis:
            lam = PSKS_PER_VILLAGE.get(kode, DEFAULT_PSKS_PER_VILLAGE)
            if kode == "TKSK":
                lam = 1.0 if v.first_in_kecamatan else 0.0
                plan += [kode] * int(lam)
                continue
            n = int(lam) + (1 if rng.random() < lam - int(lam) else 0)
            if kode in ("PSM", "TAGANA") and n < 1:
                n = 1
            plan += [kode] * n
        counters: dict[str, int] = {}
        for kode in plan:
            ref = self.c.psks_jenis[kode]
            counters[kode] = counters.get(kode, 0) + 1
            mulai = _rand_date(rng, _years_ago(self.today, 10), self.today - _dt.timedelta(days=120))
            created = _stamp(rng, mulai)
            status = "aktif" if rng.random() < 0.9 else "nonaktif"
            label = ref.get("singkatan") or kode
            row = {
                "id": ulid_at(rng, created),
                "jenis_kode": kode,
                "bentuk": ref["bentuk"],
                "nik": None,
                "nama": "",
                "jenis_kelamin": None,
                "tanggal_lahir": None,
                "kode_wilayah": v.kode,
                "alamat": names.address(rng, v.nama),
                "nomor_registrasi": f"{label.upper()}/{v.kode.replace('.', '')}/{counters[kode]:03d}",
                "tanggal_mulai_aktif": mulai.isoformat(),
                "status": status,
                "tanggal_nonaktif": None,
                "nomor_dokumen": f"400.9/{rng.randint(100, 999)}/DINSOS/{mulai.year}",
                "tanggal_dokumen": mulai.isoformat(),
                "telepon": names.telepon(rng),
                "email": None,
                "nama_ketua": None,
                "keterangan": None,
                "created_at": _iso(created),
                "updated_at": _iso(created),
                "install_id": self.install_id,
            }
            if status == "nonaktif":
                off = _rand_date(rng, mulai + _dt.timedelta(days=60), self.today)
                row["tanggal_nonaktif"] = off.isoformat()
                row["updated_at"] = _iso(_stamp(rng, off))
            if ref["bentuk"] == "orang":
                sex = "P" if rng.random() < (0.55 if kode in ("PSM", "WPKS") else 0.35) else "L"
                born = self._birth(22, 60)
                if kode == "WPKS":
                    sex = "P"
                row["jenis_kelamin"] = sex
                row["tanggal_lahir"] = born.isoformat()
                for _ in range(20):
                    row["nik"] = self._nik(alloc, v.kode[:8].replace(".", ""), born, sex)
                    if row["nik"]:
                        break
                    born += _dt.timedelta(days=1)
                    row["tanggal_lahir"] = born.isoformat()
                row["nama"] = names.person_name(rng, sex, born_year=born.year)
            else:
                row["nama"] = names.lembaga_name(rng, kode, v.nama)
                row["nama_ketua"] = names.person_name(rng, rng.choice("LP"))
                if rng.random() < 0.3:
                    row["email"] = row["nama"].lower().replace(" ", "")[:20] + "@gmail.com"
            self.t["psks"].append(row)

    def kegiatan(self) -> None:
        rng = self.rng
        psks = [p for p in self.t["psks"] if p["bentuk"] == "orang" or p["jenis_kode"] in ("KARTAR", "LKS")]
        if not psks:
            return
        by_kind: dict[str, list[dict]] = {}
        for p in psks:
            by_kind.setdefault(p["jenis_kode"], []).append(p)
        jk = set(self.jenis_kegiatan)

        def jenis(code: str) -> str:
            return code if code in jk or not jk else sorted(jk)[0]

        pembinaan = {k: r.get("kode_layanan_pembinaan") for k, r in self.c.psks_jenis.items()}
        events = []
        recent = max(self.start, self.today - _dt.timedelta(days=45))
        # Training of PSM: recent, so a demo shows a training in the last weeks.
        if "PSM" in by_kind:
            events.append(("Pelatihan Peningkatan Kapasitas Pekerja Sosial Masyarakat", jenis("pelatihan"),
                           pembinaan.get("PSM"), _rand_date(rng, recent, self.today - _dt.timedelta(days=2)), 3,
                           by_kind["PSM"] + by_kind.get("FAS_SLRT", [])))
        if "TKSK" in by_kind:
            events.append(("Bimbingan Teknis TKSK", jenis("bimbingan_teknis"), pembinaan.get("TKSK"),
                           _rand_date(rng, self.start, self.today), 2, by_kind["TKSK"]))
        if "TAGANA" in by_kind:
            events.append(("Koordinasi, Sosialisasi dan Pelaksanaan Taruna Siaga Bencana", jenis("sosialisasi"),
                           pembinaan.get("TAGANA"), _rand_date(rng, self.start, self.today), 1, by_kind["TAGANA"]))
            events.append(("Simulasi Penanganan Bencana Kebakaran", jenis("simulasi"), pembinaan.get("TAGANA"),
                           _rand_date(rng, self.start, self.today), 1, by_kind["TAGANA"]))
        lembaga = by_kind.get("KARTAR", []) + by_kind.get("LKS", [])
        if lembaga:
            events.append(("Pelatihan Pengurus Karang Taruna dan LKS", jenis("pelatihan"),
                           pembinaan.get("KARTAR") or pembinaan.get("LKS"),
                           _rand_date(rng, self.start, self.today), 2, lembaga))
        q = self.start
        while q <= self.today:
            day = min(self.today, q + _dt.timedelta(days=rng.randint(5, 25)))
            events.append(("Rapat Koordinasi PSKS Triwulanan", jenis("rapat_koordinasi"), None, day, 1, psks))
            q = _dt.date(q.year + (q.month + 2) // 12, (q.month + 2) % 12 + 1, 1)
        tempat = ["Aula Kantor Lurah {v}", "Aula Dinas Sosial", "Aula Kantor Camat", "Hotel Kapuas Palace",
                  "Balai Pertemuan {v}"]
        for nama, jns, kode_layanan, mulai, dur, peserta in sorted(events, key=lambda e: e[3]):
            selesai = min(self.today, mulai + _dt.timedelta(days=dur - 1))
            self.kegiatan_seq[mulai.year] = n = self.kegiatan_seq.get(mulai.year, 0) + 1
            created = _stamp(rng, selesai)
            row = {
                "id": ulid_at(rng, created),
                "kode_kegiatan": f"KEG-{mulai.year}-{n:04d}",  # as db.kegiatan numbers them
                "nama": nama,
                "jenis": jns,
                "kode_layanan": kode_layanan,
                "tanggal_mulai": mulai.isoformat(),
                "tanggal_selesai": selesai.isoformat(),
                "penyelenggara": self.penyelenggara,
                "tempat": rng.choice(tempat).format(v=self.village_names[0]),
                "kode_wilayah": self.kode_install,
                "keterangan": None,
                "created_at": _iso(created),
                "updated_at": _iso(created),
                "install_id": self.install_id,
            }
            self.t["kegiatan"].append(row)
            seen = set()
            for p in peserta:
                if p["id"] in seen or p["tanggal_mulai_aktif"] > row["tanggal_mulai"]:
                    continue
                if p["tanggal_nonaktif"] and p["tanggal_nonaktif"] < row["tanggal_mulai"]:
                    continue
                seen.add(p["id"])
                self.t["kegiatan_peserta"].append({
                    "id": ulid_at(rng, created),
                    "kegiatan_id": row["id"],
                    "psks_id": p["id"],
                    "hadir": 1 if rng.random() < 0.88 else 0,
                    "keterangan": None,
                    "created_at": _iso(created),
                    "updated_at": _iso(created),
                    "install_id": self.install_id,
                })

    # ------------------------------------------------------------ services

    def _money(self, kode: str, satuan: str) -> tuple[float, int]:
        rng = self.rng
        if satuan == "paket":
            n = rng.choice((1, 1, 1, 2, 3, 5, 10, 20, 30))
            return n, n * rng.choice((25_000, 30_000, 35_000, 50_000, 75_000))
        if satuan == "stel":
            n = rng.choice((1, 1, 2, 3))
            return n, n * rng.choice((100_000, 150_000, 200_000, 250_000))
        if satuan == "unit":
            if kode.startswith("1.06.04.2.02.0003"):
                return 1, rng.choice((15_000_000, 20_000_000, 25_000_000))
            if kode.startswith("1.06.06."):
                n = rng.choice((1, 1, 2))
                return n, n * rng.choice((150_000, 200_000, 300_000))
            return 1, rng.choice((350_000, 750_000, 1_500_000, 2_500_000, 3_500_000))
        if satuan == "KK":
            return 1, rng.choice((200_000, 300_000, 600_000))
        if satuan == "orang" and rng.random() < 0.4:
            return 1, rng.choice((100_000, 150_000, 250_000, 500_000))
        return 1, 0

    def _service(self, *, person: dict | None, kode: str, day: _dt.date, no_kk: str | None = None,
                 bencana_id: str | None = None, dana: dict | None = None, psks_pool=None) -> dict:
        rng = self.rng
        ref = self.c.layanan[kode]
        satuan = ref["satuan_default"]
        jumlah, nilai = self._money(kode, satuan)
        created = _stamp(rng, day)
        if rng.random() < 0.1:
            created = _stamp(rng, min(self.today, day + _dt.timedelta(days=rng.randint(1, 5))))
        pool = psks_pool if psks_pool is not None else self.field_workers
        deliver = rng.choice(pool) if pool and rng.random() < 0.4 else None
        keterangan = None
        if satuan == "unit" and kode.endswith(("2.01.0003", "2.02.0005")) and self.alat:
            keterangan = "Alat bantu: " + rng.choice(self.alat).replace("_", " ")
        row = {
            "id": ulid_at(rng, created),
            "orang_id": person["id"] if person else None,
            "no_kk": no_kk,
            "kode_layanan": kode,
            "tanggal": day.isoformat(),
            "jumlah": float(jumlah),
            "satuan": satuan,
            "nilai": int(nilai),
            "sumber_dana": _weighted(rng, dana or self.dana),
            "petugas": deliver["nama"] if deliver else self.operator,
            "psks_id": deliver["id"] if deliver else None,
            "bencana_id": bencana_id,
            "distribusi_id": None,
            "terlambat": 0,
            "status": "aktif",
            "alasan_batal": None,
            "tanggal_batal": None,
            "keterangan": keterangan,
            "created_at": _iso(created),
            "updated_at": _iso(created),
            "install_id": self.install_id,
        }
        if rng.random() < 0.01:
            row["status"] = "batal"
            row["alasan_batal"] = rng.choice(["Salah input penerima", "Penerima tidak hadir", "Data ganda"])
            row["tanggal_batal"] = min(self.today, day + _dt.timedelta(days=rng.randint(0, 3))).isoformat()
        self.t["layanan"].append(row)
        return row

    def services(self) -> None:
        rng = self.rng
        people = {p["id"]: p for p in self.t["orang"]}
        plan = []
        kk_heads: dict[str, tuple] = {}
        for reg in self.t["ppks"]:
            kode = reg["kategori_kode"]
            group = self.c.spm_group(kode, bool(reg["terlantar"]))
            if group == "BENCANA":
                continue
            start = max(self.start, _dt.date.fromisoformat(reg["tanggal_pendataan"]))
            end = _dt.date.fromisoformat(reg["tanggal_tutup"]) if reg["tanggal_tutup"] else self.today
            if end < start:
                continue
            span = ((end - start).days + 1) / ((self.today - self.start).days + 1)
            person = people[reg["orang_id"]]
            if group in LAMBDA_GROUP:
                lam = LAMBDA_GROUP[group]
                pools = [(self.svc_spm[group], 0.85)]
                if group == "ANAK" and self.svc_anak:
                    pools.append((self.w_anak, 0.15))
                else:
                    pools[0] = (self.svc_spm[group], 1.0)
            elif kode == "24":
                if person["no_kk"] and person["no_kk"] not in kk_heads and self.svc_kk:
                    kk_heads[person["no_kk"]] = (reg, person)
                    lam = LAMBDA_CAT["24"]
                    pools = [(self.w_kk, 0.85), (self.w_ekonomi, 0.15)]
                else:
                    lam = 0.4
                    pools = [(self.svc_other, 1.0)]
            elif kode.startswith("20") and self.svc_migran:
                lam = LAMBDA_CAT.get(kode, DEFAULT_LAMBDA)
                pools = [(self.w_migran, 0.5), (self.svc_other, 0.5)]
            else:
                lam = LAMBDA_CAT.get(kode, DEFAULT_LAMBDA)
                pools = [(self.svc_other, 1.0)]
            pools = [(w, p) for w, p in pools if w]
            if pools:
                plan.append((reg, person, lam * span, pools, start, end))
        raw = sum(p[2] for p in plan)
        target = self.spp * len(self.t["orang"])
        scale = target / raw if raw else 0.0
        for reg, person, lam, pools, start, end in plan:
            n = _poisson(rng, lam * scale)
            for _ in range(n):
                weights = pools[0][0] if len(pools) == 1 else rng.choices([w for w, _ in pools], [p for _, p in pools])[0]
                kode = _weighted(rng, weights)
                day = _rand_date(rng, start, end)
                per_kk = int(self.c.layanan[kode]["per_kk"])
                self._service(person=person, kode=kode, day=day,
                              no_kk=person["no_kk"] if per_kk else None,
                              dana=self.dana_bansos if per_kk else None)

    # ------------------------------------------------------------ disasters

    def disasters(self, v: Village, alloc: NumberAllocator, *, force_recent: bool) -> None:
        rng = self.rng
        if not self.bencana_w or not self.svc_bencana:
            return
        n = _poisson(rng, self.disasters_per_village)
        days = [_rand_date(rng, self.start, self.today - _dt.timedelta(days=21)) for _ in range(n)]
        if force_recent:
            days.append(self.today - _dt.timedelta(days=rng.randint(10, 16)))
        for day in sorted(days):
            self._disaster(v, alloc, day)

    def _disaster(self, v: Village, alloc: NumberAllocator, day: _dt.date) -> None:
        rng = self.rng
        jenis = _weighted(rng, self.bencana_w)
        kelompok = self.c.bencana_jenis[jenis]["kelompok"]
        kat = self.c.korban_kategori(kelompok)
        if kat is None:
            return
        kk = rng.randint(2, 12) if jenis.startswith("kebakaran") else rng.randint(4, 25)
        lama = 7 if rng.random() < 0.9 else 14
        created = _stamp(rng, day)
        self.bencana_seq[day.year] = self.bencana_seq.get(day.year, 0) + 1
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 8):03d}"
        ev = {
            "id": ulid_at(rng, created),
            "kode_kejadian": f"KJD-{day.year}-{self.bencana_seq[day.year]:03d}",  # as db.bencana numbers them
            "kelompok": kelompok,
            "jenis_kode": jenis,
            "tanggal": day.isoformat(),
            "waktu": f"{rng.randint(0, 23):02d}:{rng.choice((0, 10, 15, 30, 45)):02d}",
            "kode_wilayah": v.kode,
            "lokasi": f"{names.address(rng, v.nama)}, RT {rt}/RW {rw}",
            "rt": rt,
            "rw": rw,
            "kk_terdampak": kk,
            "jiwa_terdampak": 0,
            "rumah_rusak": max(1, int(kk * rng.uniform(0.5, 1.0))),
            "lama_tanggap_darurat": lama,
            "alasan_perpanjangan": "Diperpanjang dengan SK Wali Kota karena pengungsi belum dapat kembali"
            if lama > 7 else None,
            "status": "tanggap_darurat" if day + _dt.timedelta(days=lama) > self.today else "selesai",
            "keterangan": None,
            "created_at": _iso(created),
            "updated_at": _iso(created),
            "install_id": self.install_id,
        }
        self.t["bencana"].append(ev)
        window_end = day + _dt.timedelta(days=lama - 1)
        jiwa = 0
        # A few affected households are already registered (e.g. fakir miskin).
        existing = [h for h in self.households if h["members"] and h["members"][0]["kode_wilayah"] == v.kode]
        taken: set[int] = set()
        for h in range(kk):
            if existing and rng.random() < 0.1 and len(taken) < len(existing):
                hh = rng.choice(existing)
                if id(hh) in taken:
                    continue
                taken.add(id(hh))
                members = list(hh["members"])
            else:
                hh = self._household(v, alloc)
                hh["rt"], hh["rw"] = rt, rw
                size = rng.choice((1, 2, 3, 3, 4, 4, 5, 6))
                members = []
                head_born = self._birth(25, 70)
                head_sex = "L" if rng.random() < 0.8 else "P"
                for i in range(size):
                    if i == 0:
                        sex, born = head_sex, head_born
                    elif i == 1:
                        sex, born = ("P" if head_sex == "L" else "L"), self._birth(max(20, self.today.year - head_born.year - 8), min(80, self.today.year - head_born.year + 6))
                    else:
                        sex, born = rng.choice("LP"), self._birth(0, 17)
                    person = self.new_person(v, hh, sex=sex, born=born, kode_kat=None, created=created)
                    hh["members"].append(person)
                    members.append(person)
                self.households.append(hh)
            jiwa += len(members)
            tempat = _weighted(rng, self.tempat)
            for i, person in enumerate(members):
                status = "tertangani" if window_end < self.today - _dt.timedelta(days=30) and rng.random() < 0.7 else "aktif"
                reg = self._register(person, kat, False, status=status,
                                     pendataan=min(self.today, day + _dt.timedelta(days=rng.randint(0, 2))))
                reg["sumber_laporan"] = "kelurahan" if "kelurahan" in self.laporan else reg["sumber_laporan"]
                rentan = self._rentan(person, day)
                kcreated = _dt.datetime.fromisoformat(reg["created_at"])
                self.t["korban"].append({
                    "id": ulid_at(rng, kcreated),
                    "bencana_id": ev["id"],
                    "orang_id": person["id"],
                    "ppks_id": reg["id"],
                    "kepala_keluarga": 1 if i == 0 else 0,
                    "tempat_tinggal": tempat,
                    "kelompok_rentan": ",".join(rentan) or None,
                    "keterangan": None,
                    "created_at": reg["created_at"],
                    "updated_at": reg["created_at"],
                    "install_id": self.install_id,
                })
                self._aid(ev, person, day, window_end, tempat, rentan, head=(i == 0))
        ev["jiwa_terdampak"] = jiwa

    def _rentan(self, person: dict, day: _dt.date) -> list[str]:
        born = _dt.date.fromisoformat(person["tanggal_lahir"])
        age = (day - born).days // 365
        out = []
        if age >= 60:
            out.append("lansia")
        elif age < 5:
            out.append("balita")
        elif age < 18:
            out.append("anak")
        if self.rng.random() < 0.03:
            out.append("disabilitas")
        if person["jenis_kelamin"] == "P" and 20 <= age <= 40:
            r = self.rng.random()
            if r < 0.06:
                out.append("ibu_hamil")
            elif r < 0.12:
                out.append("ibu_menyusui")
        return [k for k in out if k in self.rentan]

    def _aid(self, ev: dict, person: dict, day: _dt.date, window_end: _dt.date, tempat: str,
             rentan: list[str], head: bool) -> None:
        rng = self.rng
        codes = {k.rsplit(".", 1)[1]: k for k in self.svc_bencana}
        dana = self.dana_bencana
        tagana = [p for p in self.t["psks"] if p["jenis_kode"] == "TAGANA" and p["status"] == "aktif"]

        def when() -> _dt.date:
            if rng.random() < 0.85:
                d = _rand_date(rng, day, window_end)
            else:  # aid that came late, outside the emergency window
                d = window_end + _dt.timedelta(days=rng.randint(1, 10))
            return min(d, self.today)

        wanted = []
        if tempat != "rumah_sendiri" or rng.random() < 0.3:
            wanted.append("0001")
        if rng.random() < 0.6:
            wanted.append("0002")
        if head and rng.random() < 0.5:
            wanted.append("0003")
        if rentan and rng.random() < 0.8:
            wanted.append("0004")
        if rng.random() < (0.5 if "anak" in rentan else 0.15):
            wanted.append("0005")
        for suffix in wanted:
            kode = codes.get(suffix) or rng.choice(self.svc_bencana)
            self._service(person=person, kode=kode, day=when(), bencana_id=ev["id"], dana=dana,
                          psks_pool=tagana or None)

    # ------------------------------------------------------------ receipts

    def receipts(self) -> None:
        rng = self.rng
        rows = [s for s in self.t["layanan"] if s["nilai"] > 0 and s["status"] == "aktif" and rng.random() < 0.85]
        rows.sort(key=lambda s: (s["tanggal"], s["created_at"], s["id"]))
        last: dict[int, int] = {}
        for s in rows:
            year = int(s["tanggal"][:4])
            urut = last.get(year, 0) + 1
            last[year] = urut
            nomor = format_nomor(self.kode_install, year, urut)
            printed = s["created_at"]
            self.t["kuitansi"].append({
                "id": ulid_at(rng, _dt.datetime.fromisoformat(printed)),
                "layanan_id": s["id"],
                "nomor": nomor,
                "tahun": year,
                "urut": urut,
                "kode_cek": hitung_kode_cek(self.secret, nomor, s["install_id"], s["id"], s["nilai"]),
                "jumlah_cetak": 1 if rng.random() < 0.9 else 2,
                "pertama_dicetak": printed,
                "terakhir_dicetak": printed,
                "created_at": printed,
                "updated_at": printed,
                "install_id": self.install_id,
            })
        # Counters as db.records.next_number keys them, so real entries continue each series.
        self.counters = [("kuitansi", str(y), n) for y, n in sorted(last.items())]
        self.counters += [("kode_kejadian", str(y), n) for y, n in sorted(self.bencana_seq.items())]
        self.counters += [("kode_kegiatan", str(y), n) for y, n in sorted(self.kegiatan_seq.items())]
        if self.sem_counter:
            self.counters.append(("nik_sementara", "semua", self.sem_counter))


def generate_install(
    catalog: Catalog,
    villages: list[Village],
    *,
    kode_install: str,
    install_id: str,
    operator_nama: str,
    today: _dt.date,
    seed: int = 1,
    months: int = 12,
    services_per_person: float = 4.0,
    disasters_per_village: float = 1.5,
    recent_disaster: bool = False,
    penyelenggara: str = "Dinas Sosial",
    kab_names: list[str] | None = None,
    kuitansi_secret: bytes | None = None,
) -> InstallData:
    """All records of one install covering ``villages`` (usually one kelurahan).

    ``people`` of each village counts registered persons (disaster victims come
    on top). About ``services_per_person`` services per person fall in the
    ``months`` months ending ``today``; ``recent_disaster`` adds one event 10-16
    days before ``today`` in the first village. ``kuitansi_secret`` is the
    install's receipt secret (``db.kuitansi``), so receipts verify.
    """
    b = _InstallBuilder(
        catalog, kode_install=kode_install, install_id=install_id, operator_nama=operator_nama, today=today,
        months=months, services_per_person=services_per_person, seed=seed, penyelenggara=penyelenggara,
        kab_names=kab_names or [], disasters_per_village=disasters_per_village,
    )
    b.village_names = [v.nama for v in villages]
    # Receipt check values are HMACs with the install's secret (db.kuitansi); a synthetic
    # install without one gets a secret derived from the seed.
    b.secret = kuitansi_secret or hashlib.sha256(f"{seed}:kuitansi:{install_id}".encode()).digest()
    allocs = {v.kode: NumberAllocator(v.ordinal, v.villages_in_kecamatan, b.rng) for v in villages}
    for v in villages:
        b.psks(v, allocs[v.kode])
    b.field_workers = [p for p in b.t["psks"] if p["jenis_kode"] in ("PSM", "TKSK") and p["status"] == "aktif"]
    for v in villages:
        b.people(v, allocs[v.kode])
    b.services()
    for i, v in enumerate(villages):
        b.disasters(v, allocs[v.kode], force_recent=recent_disaster and i == 0)
    b.kegiatan()
    b.receipts()
    return InstallData(
        kode_wilayah=kode_install,
        install_id=install_id,
        operator_nama=operator_nama,
        tables={name: b.t[name] for name in TABLE_ORDER},
        nomor_urut=b.counters,
    )
