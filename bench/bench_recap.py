"""Indicators and the monthly recap (issue 7).

Targets from the issue: the recap of a kelurahan with 5,000 people and 20,000
services < 2 s; all indicators of a kota database (150,000 people, 600,000
services) for one month < 3 s; peak memory reported.

Data: a kelurahan database of that size built here once with ``db.synthetic``
(Pallima, 5,000 people x 4 services over 2025, cached in ``bench/data/`` like
the harness's sizes) and the harness's ``kota`` database (read-only: the
engine only reads; its TEMP tables live in the connection). The period is
December 2025 (the generated data covers January-December 2025).

Peak memory: the timed work runs once more in a child process
(``python -m bench.bench_recap <case> <db>``) whose peak RSS is reported.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench import data
from bench.harness import Case, Result, run_process

os.environ.setdefault("KESOS_DATA_DIR", tempfile.mkdtemp(prefix="kesos-bench-"))

PERIODE = "2025-12"
KOTA = "61.71"
KELURAHAN = "61.71.03.1001"
PEOPLE_5000 = 5_000


def kelurahan_5000() -> Path:
    """Path of the cached 5,000-person kelurahan database (built on first use, ~10 s)."""
    from db.synthetic import build_database
    from db.synthetic.sizes import Size

    data.DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = data.cache_key("kelurahan5000")
    path = data.DATA_DIR / f"{key}.db"
    if path.exists():
        return path
    for p in data.DATA_DIR.glob("kelurahan5000-g*"):
        p.unlink(missing_ok=True)
    tmp = data.DATA_DIR / f"{key}.building.db"
    print("[bench] membangun data 'kelurahan5000' (sekali saja) ...", file=sys.stderr, flush=True)
    build_database(tmp, Size("kelurahan5000", KELURAHAN, PEOPLE_5000, services_per_person=4.0),
                   seed=data.SEED, today=data.DATA_TODAY)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)
    return path


def _counts(db) -> str:
    n_orang = db.execute("SELECT count(*) FROM orang WHERE deleted_at IS NULL").fetchone()[0]
    n_layanan = db.execute("SELECT count(*) FROM layanan WHERE deleted_at IS NULL").fetchone()[0]
    return f"{n_orang:,} orang / {n_layanan:,} layanan".replace(",", ".")


# --- the work, shared by the timed cases and the child processes -----------------------------

def work_recap(db, out_dir: Path):
    from exporters.recap_xlsx import tulis_rekap

    return tulis_rekap(db, PERIODE, out_dir / "rekap.xlsx")


def work_kota_month(db):
    from db.indikator import hitung_indikator

    return hitung_indikator(db, PERIODE, KOTA)


def work_kota_ytd(db):
    from db.indikator import Periode, hitung_indikator

    return hitung_indikator(db, Periode.dari(PERIODE).tahun_berjalan(), KOTA)


def work_kota_per_kelurahan(db):
    from db.indikator import hitung_per_wilayah

    return hitung_per_wilayah(db, PERIODE, KOTA, 4)


def work_datavalues(db, out_dir: Path):
    from exporters.datavalues import tulis_datavalues

    return tulis_datavalues(db, PERIODE, out_dir / "dv.csv")


WORK = {
    "recap": lambda db, d: work_recap(db, d),
    "kota_month": lambda db, d: work_kota_month(db),
    "kota_ytd": lambda db, d: work_kota_ytd(db),
    "kota_per_kelurahan": lambda db, d: work_kota_per_kelurahan(db),
    "datavalues": lambda db, d: work_datavalues(db, d),
}


def _child_peak(name: str, db_path: Path) -> int | None:
    run = run_process([sys.executable, "-m", "bench.bench_recap", name, str(db_path)], timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"child {name} failed: {run.stderr[-500:]}")
    return run.peak_rss


def _open(path: Path):
    from db.connection import open_database

    return open_database(path)


def _setup(name: str, which: str):
    def setup():
        path = kelurahan_5000() if which == "kelurahan5000" else data.database("kota")
        db = _open(path)
        out = Path(tempfile.mkdtemp(prefix="kesos-bench-recap-"))
        peak = _child_peak(name, path)
        return db, out, peak, _counts(db)

    return setup


def _timed(name: str):
    def run(arg):
        import time

        db, out, peak, counts = arg
        cpu = time.process_time()
        WORK[name](db, out)
        cpu = time.process_time() - cpu
        load = f", beban mesin {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
        # wall time is what the harness reports; on a shared machine the CPU time of
        # this process tells what the code itself costs
        return Result(peak_memory=peak, note=f"{counts}; CPU {cpu:.2f} s{load}")

    return run


def _teardown(arg):
    arg[0].close()


CASES = [
    Case("rekap bulanan kelurahan (xlsx, semua lembar)", _timed("recap"), size="kelurahan 5.000 orang",
         setup=_setup("recap", "kelurahan5000"), teardown=_teardown, unit="s", target="< 2 s"),
    Case("semua indikator kota, satu bulan", _timed("kota_month"), size="kota",
         setup=_setup("kota_month", "kota"), teardown=_teardown, unit="s", target="< 3 s"),
    Case("semua indikator kota, Januari s.d. Desember", _timed("kota_ytd"), size="kota",
         setup=_setup("kota_ytd", "kota"), teardown=_teardown, unit="s", repeat=2),
    Case("semua indikator per kelurahan (29) sekali jalan, satu bulan", _timed("kota_per_kelurahan"), size="kota",
         setup=_setup("kota_per_kelurahan", "kota"), teardown=_teardown, unit="s", repeat=2),
    Case("datavalues Dinas (kelurahan+kecamatan+kota), satu bulan", _timed("datavalues"), size="kota",
         setup=_setup("datavalues", "kota"), teardown=_teardown, unit="s", repeat=2),
]


if __name__ == "__main__":  # child process for the peak-memory measurement
    name, db_path = sys.argv[1], Path(sys.argv[2])
    database = _open(db_path)
    WORK[name](database, Path(tempfile.mkdtemp(prefix="kesos-bench-recap-child-")))
    database.close()
