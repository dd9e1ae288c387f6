"""PSKS register and events (issue 6): indicator, outputs, register page, daftar hadir, event dialog.

Two data sets: the generated ``kota`` database (Kota Pontianak, a few hundred PSKS
and events), and a province-sized register made here (Bengkulu's counts, seed 004:
~3,700 PSKS) with one 850-participant Tagana event, the largest list the event
dialog and the daftar hadir must handle.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bench import data
from bench.harness import Case, Result, Skip

os.environ.setdefault("KESOS_DATA_DIR", tempfile.mkdtemp(prefix="kesos-bench-"))

# Bengkulu province (DOMAIN.md §5): TKSK 129, PSM 711, Tagana 849, Karang Taruna 1,513, Pendamping PKH 497.
PROVINSI_COUNTS = {"TKSK": 129, "PSM": 711, "TAGANA": 849, "KARTAR": 1513, "PENDAMPING_PKH": 497}


def _kota():
    from db.connection import open_database

    return open_database(data.database("kota"))


def dibina_kota_year(db) -> Result:
    from db.psks_indikator import psks_dibina

    r = psks_dibina(db, "61.71", "2025-01-01", "2025-12-31")
    return Result(value=None, note=f"{r['numerator']}/{r['denominator']}")


def output_kota_year(db) -> None:
    from db.psks_indikator import output_kegiatan

    output_kegiatan(db, "1.06.02.2.03", "61.71", "2025-01-01", "2025-12-31")


def _provinsi_setup():
    """A fresh database with ~3,700 PSKS and one 850-participant event (untimed)."""
    from db import records
    from db.connection import open_database
    from db.install import init_install

    tmp = Path(tempfile.mkdtemp(prefix="kesos-bench-psks-"))
    db = open_database(tmp / "prov.db", create=True)
    init_install(db, kode_wilayah="17.71", operator_nama="Operator Dinas", peran="DINAS")
    rows, n = [], 0
    for jenis, count in PROVINSI_COUNTS.items():
        bentuk = "lembaga" if jenis == "KARTAR" else "orang"
        for _ in range(count):
            n += 1
            rows.append({
                "jenis_kode": jenis, "bentuk": bentuk, "nama": f"{jenis.title()} {n:05d}",
                "nik": None if bentuk == "lembaga" else f"177101{1 + n % 28:02d}0190{n:04d}",
                "kode_wilayah": "17.71.01.1001", "nomor_registrasi": f"{jenis}-{n:05d}",
                "tanggal_mulai_aktif": "2024-01-01", "status": "aktif",
            })
    with db.atomic():
        records.insert_many(db, "psks", rows)
    db.conn.commit()
    from db import kegiatan as keg_db

    tagana = [r[0] for r in db.execute("SELECT id FROM psks WHERE jenis_kode = 'TAGANA'")]
    os.environ["KESOS_TODAY"] = "2025-12-31"
    keg = keg_db.create_kegiatan(db, {
        "kode_kegiatan": "TAGANA-2025", "nama": "Koordinasi, Sosialisasi dan Pelaksanaan Tagana Provinsi",
        "jenis": "pelatihan", "kode_layanan": "1.06.06.2.02.02", "tanggal_mulai": "2025-09-01",
        "tanggal_selesai": "2025-09-03", "tempat": "Bengkulu"}, {i: True for i in tagana})
    db.conn.commit()
    return {"db": db, "dir": tmp, "kegiatan_id": keg["id"]}


def _provinsi_teardown(state) -> None:
    state["db"].close()
    shutil.rmtree(state["dir"], ignore_errors=True)


def dibina_provinsi(state) -> Result:
    from db.psks_indikator import psks_dibina

    r = psks_dibina(state["db"], "17", "2025-01-01", "2025-12-31")
    return Result(value=None, note=f"{r['numerator']}/{r['denominator']} PSKS")


def register_first_page(state) -> None:
    from db import psks as psks_db

    psks_db.list_psks(state["db"], limit=200)
    psks_db.count_psks(state["db"])


def register_search(state) -> None:
    from db import psks as psks_db

    psks_db.list_psks(state["db"], search="tagana 008", limit=200)


def daftar_hadir_pdf(state) -> Result:
    from exporters.daftar_hadir import write_daftar_hadir_pdf

    path = write_daftar_hadir_pdf(state["db"], state["kegiatan_id"], state["dir"] / "dh.pdf")
    return Result(value=None, note=f"850 peserta, {Path(path).stat().st_size // 1024} KB")


def _qt_setup():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KESOS_NO_DIALOGS"] = "1"
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:  # pragma: no cover
        raise Skip("PySide6 missing") from exc
    state = _provinsi_setup()
    state["app"] = QApplication.instance() or QApplication([])
    from desktop.context import AppContext

    state["ctx"] = AppContext(state["db"], state["dir"] / "prov.db")
    return state


def event_dialog_open(state) -> None:
    from desktop.psks.kegiatan_dialog import KegiatanDialog

    dlg = KegiatanDialog(state["ctx"], kegiatan_id=state["kegiatan_id"])
    dlg.show()
    state["app"].processEvents()
    dlg.close()
    dlg.deleteLater()


CASES = [
    Case("PSKS_DIBINA, kota, one year", dibina_kota_year, size="kota", setup=_kota,
         teardown=lambda db: db.close(), unit="ms", target="< 50 ms"),
    Case("output 1.06.02.2.03.*, kota, one year", output_kota_year, size="kota", setup=_kota,
         teardown=lambda db: db.close(), unit="ms", target="< 50 ms"),
    Case("PSKS_DIBINA, 3,699 PSKS (Bengkulu counts)", dibina_provinsi, size="provinsi register",
         setup=_provinsi_setup, teardown=_provinsi_teardown, unit="ms", target="< 100 ms"),
    Case("register first page + count, 3,699 PSKS", register_first_page, size="provinsi register",
         setup=_provinsi_setup, teardown=_provinsi_teardown, unit="ms", target="< 100 ms"),
    Case("register search, 3,699 PSKS", register_search, size="provinsi register",
         setup=_provinsi_setup, teardown=_provinsi_teardown, unit="ms", target="< 100 ms"),
    Case("daftar hadir PDF, 850 participants", daftar_hadir_pdf, size="provinsi register",
         setup=_provinsi_setup, teardown=_provinsi_teardown, unit="s", target="< 3 s"),
    Case("event dialog open, 3,699 PSKS / 850 participants", event_dialog_open, size="provinsi register",
         setup=_qt_setup, teardown=_provinsi_teardown, unit="ms", target="< 500 ms"),
]
