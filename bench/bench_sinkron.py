"""Sync packages and the Dinas consolidation (issue 8).

Packages are made from generated installs (``db.synthetic.iter_installs``) with
``exporters.package.build_package`` and cached under ``bench/data/sinkron/``
(the directory name carries the generator, package format, schema and
reference-data versions, so stale files are never reused):

- one kelurahan of 5,000 people / ~20,000 services (Pallima);
- 29 such packages: Kota Pontianak, ~145,000 people, ~580,000 services;
- 1,500 packages of the province size (Kalimantan Barat, ~700 people each),
  the first 1,500 kelurahan/desa in code order.

Cases (targets from the issue): importing the one package into a fresh Dinas
database (< 2 s); importing the 29 and writing the kota recap for December
2025 (< 60 s, the note splits import and recap); the province run in a child
process (every package into the Dinas database of its kab/kota), reported
with its time and the child's peak memory. The import time is measured inside
each run; copying the empty Dinas database is not counted.

``python -m bench.bench_sinkron prepare`` builds the cached packages ahead.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import data
from bench.harness import Case, Result, run_process

os.environ.setdefault("KESOS_DATA_DIR", tempfile.mkdtemp(prefix="kesos-bench-"))

PERIODE = "2025-12"
KELURAHAN = "61.71.03.1001"
PEOPLE_ONE = 5_000
PROVINSI_PACKAGES = 1_500
WORKERS = int(os.environ.get("KESOS_BENCH_WORKERS", "2"))


def _key() -> str:
    from db import schema
    from db.reference import read_manifest
    from db.synthetic import GENERATOR_VERSION
    from exporters.package import FORMAT_VERSION

    return (f"g{GENERATOR_VERSION}-f{FORMAT_VERSION}-s{schema.latest_version()}-r{read_manifest().get('version')}"
            f"-seed{data.SEED}-d{data.DATA_TODAY:%Y%m%d}")


def _root() -> Path:
    root = data.DATA_DIR / "sinkron"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _reference_db() -> Path:
    """An empty migrated database with the reference data (read by the generator), cached."""
    path = _root() / f"ref-{_key()}.db"
    if not path.exists():
        from db.connection import open_database

        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        db = open_database(tmp, create=True)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        tmp.rename(path)
    return path


def dinas_template(kab: str, folder: Path) -> Path:
    """A fresh Dinas database for ``kab`` (made once per folder, copied per run)."""
    path = folder / f"dinas-{kab}.db"
    if not path.exists():
        from db.connection import open_database
        from db.install import init_install

        shutil.copyfile(_reference_db(), path)
        db = open_database(path)
        init_install(db, kode_wilayah=kab, operator_nama="Operator Dinas", peran="DINAS")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    return path


def _write_packages(folder: Path, size, limit: int | None = None, workers: int = 0) -> Path:
    """Build one package per generated install of ``size`` into ``folder`` (skipped when complete)."""
    from db.connection import open_database
    from db.synthetic import iter_installs
    from exporters import package as pkg

    done = folder / "SELESAI"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    tmp = folder.with_name(folder.name + ".building")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    ref = open_database(_reference_db())
    t0 = time.perf_counter()
    n = 0
    rows = 0
    try:
        for inst in iter_installs(ref, size, seed=data.SEED, today=data.DATA_TODAY, workers=workers):
            manifest = {"app_version": "bench", "install_id": inst.install_id, "peran": "PSM",
                        "kode_wilayah": inst.kode_wilayah, "periode": PERIODE, "urutan": 1,
                        "created_at": "2026-01-05T09:00:00", "operator": inst.operator_nama}
            (tmp / pkg.package_name(inst.kode_wilayah, PERIODE, 1)).write_bytes(
                pkg.build_package(manifest, inst.tables))
            rows += sum(inst.counts().values())
            n += 1
            if n % 50 == 0:
                print(f"\r[bench] paket {n}", end="", file=sys.stderr, flush=True)
            if limit and n >= limit:
                break
    finally:
        ref.close()
    (tmp / "SELESAI").write_text(json.dumps({"packages": n, "rows": rows,
                                             "seconds": round(time.perf_counter() - t0, 1)}))
    tmp.rename(folder)
    print(f"\r[bench] {n} paket dibuat dalam {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return folder


def one_package() -> Path:
    from db.synthetic import Size

    folder = _write_packages(_root() / f"satu-{_key()}", Size("satu", KELURAHAN, PEOPLE_ONE))
    return next(folder.glob("*.kesos"))


def kota_packages() -> Path:
    from db.synthetic import Size

    return _write_packages(_root() / f"kota29-{_key()}", Size("kota29", "61.71", 29 * PEOPLE_ONE))


def provinsi_packages() -> Path:
    return _write_packages(_root() / f"provinsi-{_key()}", "provinsi", limit=PROVINSI_PACKAGES, workers=WORKERS)


def _n(value: int) -> str:
    from db.indonesian import angka

    return angka(value)


def _info(folder: Path) -> dict:
    return json.loads((folder / "SELESAI").read_text())


# --------------------------------------------------------------------------- cases


def _fresh(template: Path, work: Path, name: str):
    from db.connection import open_database

    target = work / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return open_database(target)


def setup_one():
    path = one_package()
    work = Path(tempfile.mkdtemp(prefix="kesos-bench-sinkron-"))
    return {"package": path, "template": dinas_template("61.71", work), "work": work}


def import_one(arg) -> Result:
    from db import sinkron

    db = _fresh(arg["template"], arg["work"], "dinas.db")
    try:
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        outcome = sinkron.import_package(db, arg["package"])
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        if outcome.hasil != "diterima":
            raise RuntimeError(outcome.alasan)
        n = sum(v["baru"] for v in outcome.jumlah.values())
        return Result(value=elapsed, note=f"{_n(n)} catatan ({_n(outcome.jumlah['orang']['baru'])} orang, "
                                          f"{_n(outcome.jumlah['layanan']['baru'])} layanan); CPU {cpu:.2f} s; "
                                          f"berkas {arg['package'].stat().st_size / 1e6:.1f} MB")
    finally:
        db.close()


def setup_kota():
    folder = kota_packages()
    work = Path(tempfile.mkdtemp(prefix="kesos-bench-sinkron-"))
    return {"folder": folder, "template": dinas_template("61.71", work), "work": work}


def consolidate_kota(arg) -> Result:
    from db import sinkron
    from exporters import dinas_recap

    db = _fresh(arg["template"], arg["work"], "dinas.db")
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        outcomes = sinkron.import_files(db, [arg["folder"]])
        t1, c1 = time.perf_counter(), time.process_time()
        refused = [o for o in outcomes if not o.ok]
        if refused:
            raise RuntimeError(f"{refused[0].nama_file}: {refused[0].alasan}")
        dinas_recap.write_dinas_recap(db, PERIODE, arg["work"] / "rekap-kota.xlsx")
        t2, c2 = time.perf_counter(), time.process_time()
        orang, layanan = (db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("orang", "layanan"))
        return Result(value=t2 - t0, note=(f"{len(outcomes)} paket, {_n(orang)} orang, {_n(layanan)} layanan: "
                                           f"impor {t1 - t0:.1f} s (CPU {c1 - c0:.1f} s), rekap {t2 - t1:.1f} s "
                                           f"(CPU {c2 - c1:.1f} s)"))
    finally:
        db.close()


def setup_provinsi():
    folder = provinsi_packages()
    work = Path(tempfile.mkdtemp(prefix="kesos-bench-sinkron-prov-"))
    return {"folder": folder, "work": work}


def import_provinsi(arg) -> Result:
    run = run_process([sys.executable, "-m", "bench.bench_sinkron", "provinsi-import", str(arg["folder"]),
                       str(arg["work"])], timeout=6 * 3600)
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else f"exit {run.returncode}")
    report = json.loads((arg["work"] / "laporan.json").read_text())
    info = _info(arg["folder"])
    note = (f"{_n(report['paket'])} paket ({_n(report['diterima'])} diterima) ke {report['kab']} basis data Dinas, "
            f"{_n(report['catatan'])} catatan, {report['paket'] / report['detik']:.1f} paket/s, "
            f"CPU {report['cpu']:.0f} s; pembuatan paket {info['seconds']:.0f} s")
    return Result(value=report["detik"], peak_memory=run.peak_rss, note=note)


def cleanup(arg) -> None:
    """The run's copies of the Dinas databases (half a gigabyte each for the kota) go with it."""
    shutil.rmtree(arg["work"], ignore_errors=True)


CASES = [
    Case("Impor satu paket kelurahan (5.000 orang, ~20.000 layanan)", import_one, size="kelurahan-5000",
         setup=setup_one, teardown=cleanup, unit="s", target="< 2 s"),
    Case("Konsolidasi 29 paket kelurahan + rekap gabungan kota", consolidate_kota, size="kota-29x5000",
         setup=setup_kota, teardown=cleanup, unit="s", target="< 60 s", repeat=1, warmup=0),
    Case("Provinsi: impor 1.500 paket (per kab/kota)", import_provinsi, size="provinsi-1500",
         setup=setup_provinsi, teardown=cleanup, unit="s", target="(laporan)", repeat=1, warmup=0),
]


# --------------------------------------------------------------------------- child process


def _provinsi_import(folder: Path, work: Path) -> dict:
    """Import every package of ``folder`` into the Dinas database of its kab/kota (in ``work``)."""
    from db import sinkron
    from db.connection import open_database
    from exporters.package import parse_package_name

    files = sorted(folder.glob("*.kesos"))
    by_kab: dict[str, list[Path]] = {}
    for f in files:
        kode, _p, _u = parse_package_name(f.name)
        by_kab.setdefault(kode[:5], []).append(f)
    for kab in by_kab:  # empty databases first: not part of the timing
        template = dinas_template(kab, work)
        shutil.copyfile(template, work / f"kerja-{kab}.db")
    t0, c0 = time.perf_counter(), time.process_time()
    accepted = rows = 0
    for kab, paths in by_kab.items():
        db = open_database(work / f"kerja-{kab}.db")
        try:
            for p in paths:
                o = sinkron.import_package(db, p)
                if o.ok:
                    accepted += 1
                    rows += sum(v["baru"] for v in o.jumlah.values())
                else:
                    print(f"{p.name}: {o.alasan}", file=sys.stderr)
        finally:
            db.close()
    seconds = time.perf_counter() - t0
    report = {"paket": len(files), "diterima": accepted, "kab": len(by_kab), "catatan": rows,
              "detik": round(seconds, 2), "cpu": round(time.process_time() - c0, 2)}
    (work / "laporan.json").write_text(json.dumps(report))
    return report


def main(argv: list[str]) -> int:
    if argv[:1] == ["provinsi-import"]:
        report = _provinsi_import(Path(argv[1]), Path(argv[2]))
        return 0 if report["diterima"] == report["paket"] else 1
    if argv[:1] == ["prepare"]:
        print(one_package())
        print(kota_packages())
        print(provinsi_packages())
        return 0
    print("Pemakaian: python -m bench.bench_sinkron prepare | provinsi-import FOLDER KERJA", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
