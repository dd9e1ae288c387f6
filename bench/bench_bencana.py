"""Disasters (issue 5): emergency aid to 300 victims in one step, victim entry, event summary,
event report, SPM_BENCANA over a whole kota.

Data: a private copy of the generated ``kelurahan`` database (Pallima) with one
fire on 24/12/2025 and 300 victims (100 households of 3, 240 of them
displaced) added in the untimed setup; the ``kota`` database (read-only) for
SPM_BENCANA. Target from the issue: food for 300 victims of one event in one
step < 1 s (services + receipts, one transaction).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench import data
from bench.harness import Case, Result

os.environ.setdefault("KESOS_DATA_DIR", tempfile.mkdtemp(prefix="kesos-bench-"))

FOOD = "1.06.06.2.01.0001"
EVENT_DAY = "2025-12-24"


def _today():
    os.environ["KESOS_TODAY"] = data.DATA_TODAY.isoformat()


def _event_with_victims(n_households: int = 100, size: int = 3):
    from db import bencana, korban
    from db.connection import open_database

    _today()
    tmp = Path(tempfile.mkdtemp(prefix="kesos-bench-bencana-"))
    db = open_database(data.copy_of("kelurahan", tmp / "kelurahan.db"))
    ev = bencana.tambah_bencana(db, {"jenis_kode": "kebakaran_permukiman", "tanggal": EVENT_DAY,
                                     "kode_wilayah": "61.71.03.1001", "kode_kejadian": "BENCH-KBR",
                                     "lokasi": "Gg. Bench"})
    for h in range(n_households):
        members = [{"nama": f"Korban Bench {h:03d}-{j}", "jenis_kelamin": "LP"[j % 2]} for j in range(size)]
        korban.tambah_keluarga(db, ev["id"], members[0], members[1:], no_kk=f"6171039912250{h:03d}",
                               alamat=f"Gg. Bench No. {h}",
                               tempat_tinggal="pengungsian" if h < 80 else "keluarga")
    return db, ev


class _Food:
    """Each run gives food on the next day of the window (so runs do not repeat a date)."""

    def __init__(self):
        self.day = 0

    def setup(self):
        db, ev = _event_with_victims()
        return db, ev

    def __call__(self, arg) -> Result:
        import datetime as dt

        from db import bencana_bantuan

        db, ev = arg
        tanggal = dt.date.fromisoformat(EVENT_DAY) + dt.timedelta(days=self.day % 8)
        self.day += 1
        hasil = bencana_bantuan.bantuan_kejadian(
            db, ev["id"], {"kode_layanan": FOOD, "tanggal": tanggal, "jumlah": 3, "nilai": "45.000",
                           "sumber_dana": "APBD_KOTA", "petugas": "Bench"}, konfirmasi=True)
        return Result(note=f"{len(hasil.layanan)} layanan + kuitansi")


class _FoodDisplaced(_Food):
    def __call__(self, arg) -> Result:
        import datetime as dt

        from db import bencana_bantuan

        db, ev = arg
        tanggal = dt.date.fromisoformat(EVENT_DAY) + dt.timedelta(days=self.day % 8)
        self.day += 1
        hasil = bencana_bantuan.bantuan_kejadian(
            db, ev["id"], {"kode_layanan": FOOD, "tanggal": tanggal, "jumlah": 3}, tempat_tinggal="pengungsian",
            konfirmasi=True)
        return Result(note=f"{len(hasil.layanan)} layanan + kuitansi")


class _Household:
    """Register one household of 3 new people as victims (people, PPKS registrations, victims)."""

    def __init__(self):
        self.n = 0

    def setup(self):
        return _event_with_victims(n_households=10)

    def __call__(self, arg):
        from db import korban

        db, ev = arg
        self.n += 1
        members = [{"nama": f"Keluarga Baru {self.n}-{j}", "jenis_kelamin": "LP"[j % 2]} for j in range(3)]
        korban.tambah_keluarga(db, ev["id"], members[0], members[1:], no_kk=f"61710398122{self.n:05d}",
                               tempat_tinggal="pengungsian")


def _served_setup():
    from db import bencana_bantuan

    db, ev = _event_with_victims()
    bencana_bantuan.bantuan_kejadian(db, ev["id"], {"kode_layanan": FOOD, "tanggal": "2025-12-25"},
                                     tempat_tinggal="pengungsian", konfirmasi=True)
    return db, ev


def summary(arg) -> Result:
    from db import bencana

    db, ev = arg
    s = bencana.ringkasan_bencana(db, ev["id"])
    return Result(note=f"{s['korban']['total']} korban, {s['dilayani']['dalam_masa']} tepat waktu")


def victim_page(arg) -> Result:
    from db import korban

    db, ev = arg
    rows = korban.daftar_korban(db, ev["id"], 0, 200)
    return Result(note=f"{len(rows)} baris pertama")


def report_pdf(arg) -> Result:
    from exporters.laporan_bencana import write_laporan_pdf

    db, ev = arg
    out = Path(tempfile.mkdtemp(prefix="kesos-bench-laporan-")) / "laporan.pdf"
    write_laporan_pdf(db, ev["id"], out)
    return Result(note=f"{out.stat().st_size // 1024} KB")


def report_xlsx(arg) -> Result:
    from exporters.laporan_bencana import write_laporan_xlsx

    db, ev = arg
    out = Path(tempfile.mkdtemp(prefix="kesos-bench-laporan-")) / "laporan.xlsx"
    write_laporan_xlsx(db, ev["id"], out)
    return Result(note=f"{out.stat().st_size // 1024} KB")


def _kota():
    from db.connection import open_database

    _today()
    return open_database(data.database("kota"))


def spm_kota(db) -> Result:
    from db import bencana

    r = bencana.spm_bencana(db, "61.71", "2025-01-01", "2025-12-31")
    return Result(note=f"{r['numerator']}/{r['denominator']}")


def _close(arg):
    db = arg[0] if isinstance(arg, tuple) else arg
    db.close()


_food = _Food()
_food_displaced = _FoodDisplaced()
_household = _Household()

CASES = [
    Case("Bantuan darurat: makanan untuk 300 korban satu kejadian (satu langkah)", _food, size="kelurahan",
         setup=_food.setup, teardown=_close, unit="ms", target="< 1 s"),
    Case("Bantuan darurat: makanan untuk 240 korban di pengungsian (filter)", _food_displaced, size="kelurahan",
         setup=_food_displaced.setup, teardown=_close, unit="ms", target="< 1 s"),
    Case("Tambah keluarga korban (3 orang baru + PPKS 22)", _household, size="kelurahan",
         setup=_household.setup, teardown=_close, unit="ms", target="< 150 ms"),
    Case("Ringkasan kejadian (300 korban)", summary, size="kelurahan", setup=_served_setup, teardown=_close,
         unit="ms", target="< 200 ms"),
    Case("Halaman korban (200 baris pertama, status layanan)", victim_page, size="kelurahan",
         setup=_served_setup, teardown=_close, unit="ms", target="< 200 ms"),
    Case("Laporan kejadian PDF", report_pdf, size="kelurahan", setup=_served_setup, teardown=_close,
         unit="ms", target="< 2 s"),
    Case("Laporan kejadian xlsx (dengan daftar 300 korban)", report_xlsx, size="kelurahan", setup=_served_setup,
         teardown=_close, unit="ms", target="< 2 s"),
    Case("SPM_BENCANA kota, setahun", spm_kota, size="kota", setup=_kota, teardown=_close, unit="ms",
         target="< 1 s"),
]
