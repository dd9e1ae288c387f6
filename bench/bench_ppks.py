"""PPKS register (issue 3) on the kota database (~150,000 people).

- search as you type: every keystroke of a few typical searches (names,
  an address, an NIK typed digit by digit) runs what the list runs (count +
  first page of 200); the row shows the WORST keystroke, the median is in the
  note (target < 50 ms per keystroke);
- first page of the list: the query alone, and the PPKS page built and shown
  offscreen until its first page is in the view (target < 300 ms);
- import of 50,000 template rows with ``kesos import ppks`` as a subprocess
  into a private copy of the kota database: wall time and the child's peak
  RSS (target < 20 s); the file is generated once into bench/data/;
- reading that file alone (information).
"""
from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import data
from bench.harness import Case, Result, Skip, run_process

IMPORT_ROWS = 50_000
TYPED = ["siti aminah", "muhammad", "jl. tanjung", "6171034", "lim"]
ENV = {"KESOS_DATA_DIR": tempfile.mkdtemp(prefix="kesos-bench-ppks-"), "QT_QPA_PLATFORM": "offscreen",
       "KESOS_NO_DIALOGS": "1"}


def _open_kota():
    from db.connection import open_database

    return open_database(data.database("kota"))


# --------------------------------------------------------------------------- search


def search_keystrokes(db) -> Result:
    from db.ppks import PpksFilter, count_people, search_people

    times = []
    for text in TYPED:
        for i in range(1, len(text) + 1):
            flt = PpksFilter(text=text[:i])
            t0 = time.perf_counter()
            total = count_people(db, flt)
            search_people(db, flt, limit=200, total=total)
            times.append((time.perf_counter() - t0) * 1000)
    return Result(value=max(times), note=f"median {statistics.median(times):.1f} ms over {len(times)} keystrokes "
                                          f"({', '.join(repr(t) for t in TYPED)})")


def first_page_query(db) -> None:
    from db.ppks import PpksFilter, count_people, search_people

    flt = PpksFilter()
    search_people(db, flt, limit=200, total=count_people(db, flt))


# --------------------------------------------------------------------------- GUI


def gui_setup():
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:  # pragma: no cover
        raise Skip(f"PySide6: {exc}") from exc
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("KESOS_NO_DIALOGS", "1")
    app = QApplication.instance() or QApplication([])
    from desktop.context import AppContext

    path = data.database("kota")
    db = _open_kota()
    return app, AppContext(db, path)


def gui_first_page(arg) -> Result:
    app, ctx = arg
    from desktop.ppks.page import Page

    t0 = time.perf_counter()
    page = Page(ctx)
    page.resize(1300, 720)
    page.show()
    app.processEvents()
    page.view.viewport().repaint()
    elapsed = (time.perf_counter() - t0) * 1000
    rows = page.model.rowCount()
    page.close()
    page.deleteLater()
    app.processEvents()
    return Result(value=elapsed, note=f"{rows} rows loaded, count label '{page.count_label.text()}'")


# --------------------------------------------------------------------------- import


def import_file() -> Path:
    """The 50,000-row template file (generated once, deterministic)."""
    target = data.DATA_DIR / f"ppks-impor-{IMPORT_ROWS}.xlsx"
    if target.exists():
        return target
    from openpyxl import Workbook

    from db import reference
    from db.import_ppks import SPEC
    from db.synthetic import names

    db = _open_kota()
    kelurahan = [k["kode"] for kec in reference.children(db, "61.71") for k in reference.children(db, kec["kode"])]
    db.close()
    rng = random.Random(3)
    kats = ["8", "9", "9a", "11", "12", "24", "2", "1", "5", "21", "4"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append([c.name for c in SPEC.columns])
    for i in range(IMPORT_ROWS):
        kode = rng.choice(kelurahan)
        sex = rng.choice("LP")
        y, m, d = rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28)
        # serials 5000-9999 per (kecamatan, birth date): clear of the generator's own people
        nik = f"{kode[:8].replace('.', '')}{d + (40 if sex == 'P' else 0):02d}{m:02d}{y % 100:02d}{5000 + i % 4999:04d}"
        kat = rng.choice(kats)
        ws.append([nik, None, names.person_name(rng, sex, born_year=y), sex, "Pontianak", f"{d:02d}/{m:02d}/{y}",
                   names.address(rng, "Pontianak"), f"{rng.randint(1, 15):03d}", f"{rng.randint(1, 8):03d}", kode, kat,
                   "Ya" if kat in ("5", "9", "9a") and rng.random() < 0.5 else "Tidak",
                   f"{rng.randint(1, 28):02d}/{rng.randint(1, 10):02d}/2025", "Hasil Penjangkauan", None])
    tmp = target.with_suffix(".part")
    wb.save(tmp)
    tmp.replace(target)
    return target


def import_setup():
    src = import_file()
    tmpdir = Path(tempfile.mkdtemp(prefix="kesos-bench-impor-"))
    copy = data.copy_of("kota", tmpdir / "kota.db")
    return tmpdir, copy, src


def import_teardown(arg) -> None:
    shutil.rmtree(arg[0], ignore_errors=True)


def _kesos() -> list[str]:
    script = Path(sys.executable).parent / ("kesos.exe" if os.name == "nt" else "kesos")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli.main"]


def import_50k(arg) -> Result:
    import sqlite3

    _tmpdir, copy, src = arg
    before = sqlite3.connect(copy).execute("SELECT count(*) FROM orang").fetchone()[0]
    run = run_process([*_kesos(), "--db", str(copy), "import", "ppks", str(src), "--json"], env=ENV, timeout=900)
    if run.returncode not in (0, 3):
        raise RuntimeError(f"kesos import exit {run.returncode}: {run.stderr.strip().splitlines()[-1:]}")
    after = sqlite3.connect(copy).execute("SELECT count(*) FROM orang").fetchone()[0]
    return Result(value=run.seconds, peak_memory=run.peak_rss,
                  note=f"{after - before:,} new people (+ registrations), exit {run.returncode}, "
                       "subprocess incl. start-up and reading the file")


def read_50k(path: Path) -> Result:
    from db.import_ppks import SPEC
    from exporters.importer import read_for

    t0 = time.perf_counter()
    table = read_for(SPEC, path)
    return Result(value=time.perf_counter() - t0, note=f"{len(table.rows):,} rows × {len(table.headers)} columns")


CASES = [
    Case("PPKS search as you type, worst keystroke", search_keystrokes, size="kota", setup=_open_kota,
         teardown=lambda db: db.close(), unit="ms", target="< 50 ms per keystroke"),
    Case("PPKS list first page (count + 200 rows)", first_page_query, size="kota", setup=_open_kota,
         teardown=lambda db: db.close(), unit="ms", target="< 300 ms"),
    Case("PPKS page shown with first page (GUI)", gui_first_page, size="kota", setup=gui_setup,
         teardown=lambda arg: arg[1].db.close(), unit="ms", target="< 300 ms"),
    Case("PPKS import 50,000 template rows (kesos import)", import_50k, size="kota", setup=import_setup,
         teardown=import_teardown, unit="s", target="< 20 s", repeat=1, warmup=0),
    Case("PPKS read 50,000-row import file", read_50k, size="kota", setup=import_file, unit="s",
         target="", repeat=1, warmup=0),
]
