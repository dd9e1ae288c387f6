"""The Dinas page driven like a user: import (files, folder, drop), log, completeness, duplicates, targets."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from db import sinkron
from desktop import msgbox
from tests.sinkron_helpers import add_person, add_service, make_install
from tests.desktop import last_export

SHOTS = Path("/tmp/helper-sinkron")
KELURAHAN = ["61.71.03.1001", "61.71.03.1002", "61.71.03.1003", "61.71.01.1006", "61.71.05.1001"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-20")


@pytest.fixture
def packages(tmp_path, _template_db, monkeypatch):
    """November packages of five kelurahan (two late), one person registered in two of them."""
    usb = tmp_path / "usb"
    usb.mkdir()
    made = iter(["2025-12-03T09:15:00", "2025-12-08T10:00:00", "2025-12-10T15:30:00", "2025-12-12T08:00:00",
                 "2025-12-15T11:45:00"])
    for i, kode in enumerate(KELURAHAN):
        db = make_install(_template_db, tmp_path / f"f{i}.db", kode, operator=f"Petugas {i}")
        for j in range(3 + i):
            p = add_person(db, nama=f"Warga {kode[-4:]}-{j}", nik=f"6171{i:02d}0101{j:06d}", kategori="8")
            if j % 2 == 0:
                add_service(db, p["orang"]["id"])
        if i in (0, 1):
            p = add_person(db, nama="Mbah Sarip" if i == 0 else "Sarip bin Ahmad", nik="6171030101400007",
                           kategori="8", jk="L")
            add_service(db, p["orang"]["id"])
        monkeypatch.setattr(sinkron, "now_iso", lambda stamp=next(made): stamp)
        sinkron.export_package(db, "2025-11", usb)
        db.close()
    monkeypatch.undo()
    monkeypatch.setenv("KESOS_TODAY", "2025-12-20")
    return usb


@pytest.fixture
def ctx(dinas_db, tmp_path):
    from desktop.context import AppContext

    return AppContext(dinas_db, tmp_path / "dinas.db")


def _page(qtbot, ctx):
    from desktop.dinas.page import Page

    from desktop.main_window import STYLE

    page = Page(ctx)
    qtbot.addWidget(page)
    page.setStyleSheet(STYLE)
    page.resize(1150, 700)
    page.show()
    return page


def _import(qtbot, page, paths):
    page.last_outcomes = None
    page.import_paths([str(p) for p in paths])
    qtbot.waitUntil(lambda: page.last_outcomes is not None, timeout=20000)
    return page.last_outcomes


def test_import_folder_fills_the_log(qtbot, ctx, packages, qtmodeltester):
    page = _page(qtbot, ctx)
    outcomes = _import(qtbot, page, [packages])
    assert [o.hasil for o in outcomes] == ["diterima"] * 5
    assert page.impor.summary.text() == "5 berkas: 5 diterima, 0 tidak berubah, 0 ditolak."
    assert msgbox.shown[-1][:2] == ("info", "Impor selesai")
    log = page.impor.model
    assert log.rowCount() == 5
    assert log.index(0, 5).data() == "diterima"
    assert log.index(0, 6).data().endswith("baru, 0 diperbarui")
    qtmodeltester.check(log)


def test_import_again_and_a_broken_file(qtbot, ctx, packages, tmp_path):
    page = _page(qtbot, ctx)
    first = sorted(packages.iterdir())[0]
    _import(qtbot, page, [first])
    broken = tmp_path / "rusak.kesos"
    broken.write_bytes(first.read_bytes()[:500])
    outcomes = _import(qtbot, page, [first, broken])
    assert [o.hasil for o in outcomes] == ["tidak_berubah", "ditolak"]
    kind, title, text = msgbox.shown[-1]
    assert (kind, title) == ("warning", "Sebagian paket ditolak")
    assert "rusak.kesos: Berkas rusak atau terpotong" in text
    assert "1 ditolak" in page.impor.summary.text()
    hasil = [page.impor.model.index(r, 5).data() for r in range(page.impor.model.rowCount())]
    assert sorted(hasil) == ["diterima", "ditolak", "tidak berubah"]


def test_dropping_files_on_the_page_imports_them(qtbot, ctx, packages):
    page = _page(qtbot, ctx)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in sorted(packages.iterdir())[:2]])
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dropEvent(event)
    qtbot.waitUntil(lambda: page.last_outcomes is not None, timeout=20000)
    assert [o.hasil for o in page.last_outcomes] == ["diterima", "diterima"]
    # Something that is not a package is not accepted for dropping.
    other = QMimeData()
    other.setText("halo")
    assert page._paths(other) == []


def test_completeness_month_and_year(qtbot, ctx, packages):
    page = _page(qtbot, ctx)
    _import(qtbot, page, [packages])
    page.tabs.setCurrentWidget(page.kelengkapan)
    tab = page.kelengkapan
    tab.bulan.setCurrentIndex(tab.bulan.findData("2025-11"))
    assert tab.summary.text().startswith("November 2025: 5 dari 29 kelurahan/desa mengirim paket")
    assert "3 tepat waktu · 2 terlambat · 24 belum" in tab.summary.text()
    rows = {r["kode"]: r for r in tab.month_model.rows}
    assert rows["61.71.03.1001"]["status_label"] == "Tepat waktu"
    assert rows["61.71.05.1001"]["status_label"] == "Terlambat"
    assert rows["61.71.06.1001"]["status_label"] == "Belum mengirim"
    status_col = 3
    r = [row["kode"] for row in tab.month_model.rows].index("61.71.05.1001")
    assert tab.month_model.index(r, status_col).data(Qt.BackgroundRole).color().name() == "#fff1cc"
    qtbot.wait(50)
    page.grab().save(str(SHOTS / "dinas_kelengkapan_bulan.png"))
    tab.batas.setValue(15)
    assert "5 tepat waktu · 0 terlambat" in tab.summary.text()
    tab.mode.setCurrentIndex(1)
    assert tab.stack.currentWidget() is tab.year_view
    grid = {row["kode"]: row for row in tab.year_model.rows}
    assert grid["61.71.03.1001"]["2025-11"] == "tepat_waktu"
    assert grid["61.71.03.1001"]["2025-10"] == "belum"
    col_nov = 3 + 10
    r = [row["kode"] for row in tab.year_model.rows].index("61.71.03.1001")
    assert tab.year_model.index(r, col_nov).data() == "✓"
    assert tab.year_model.headerData(col_nov, Qt.Horizontal) == "Nov"
    qtbot.wait(50)
    page.grab().save(str(SHOTS / "dinas_kelengkapan_tahun.png"))


def test_duplicates_side_by_side(qtbot, ctx, packages):
    page = _page(qtbot, ctx)
    _import(qtbot, page, [packages])
    page.tabs.setCurrentWidget(page.duplikat)
    tab = page.duplikat
    assert tab.model.rowCount() == 1
    assert tab.summary.text().startswith("1 pasang data dengan NIK sama dari dua instalasi · 0 pasang tanpa NIK")
    assert tab.model.index(0, 1).data() == "617103********07"
    assert "Mbah Sarip" in tab.card_a.text() and "Pallima" in tab.card_a.text()
    assert "Sarip bin Ahmad" in tab.card_b.text() and "Sungaijawi Dalam" in tab.card_b.text()
    qtbot.wait(50)
    page.grab().save(str(SHOTS / "dinas_duplikat.png"))


def test_targets_scale_and_verdicts(qtbot, ctx, packages):
    page = _page(qtbot, ctx)
    _import(qtbot, page, [packages])
    page.tabs.setCurrentWidget(page.target)
    tab = page.target
    tab.tahun.setValue(2025)
    row = [r["id"] for r in tab.model.rows].index("SPM_LANSIA")
    tab.view.selectRow(row)
    msgbox.answers.append("80")
    qtbot.mouseClick(tab.ubah, Qt.LeftButton)
    rec = tab.model.rows[0]
    assert rec["id"] == "SPM_LANSIA" and rec["target"] == 80
    assert tab.model.index(0, 3).data() == "80"
    assert rec["realisasi"] is not None and rec["predikat"]
    assert tab.summary.text().endswith("1 indikator/keluaran bertarget.")
    tab.skala.setCurrentIndex(tab.skala.findData("METRO"))
    from db import dinas

    assert dinas.skala_dipilih(ctx.db) == "METRO"
    assert tab.model.rows[0]["predikat"] in ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
    for ident, value in (("PPKS_TERTANGANI", "85,3"), ("OUT_1.06.04.2.01.0001", "20")):
        tab.view.selectRow([r["id"] for r in tab.model.rows].index(ident))
        msgbox.answers.append(value)
        tab.edit()
    qtbot.wait(50)
    page.grab().save(str(SHOTS / "dinas_target.png"))
    msgbox.answers.append("seratus")
    tab.view.selectRow(0)
    tab.edit()
    assert msgbox.shown[-1][:2] == ("error", "Target tidak disimpan")
    tab.view.selectRow([r["id"] for r in tab.model.rows].index("SPM_LANSIA"))
    msgbox.answers.append(True)
    qtbot.mouseClick(tab.hapus, Qt.LeftButton)
    assert [r["target"] for r in tab.model.rows if r["id"] == "SPM_LANSIA"] == [None]


def test_page_only_in_a_dinas_install(qtbot, db, db_path, dinas_db, tmp_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    field = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(field)
    assert "dinas" not in field.pages and "sinkron" in field.pages
    office = MainWindow(AppContext(dinas_db, tmp_path / "dinas.db"))
    qtbot.addWidget(office)
    assert "dinas" in office.pages and "sinkron" not in office.pages


def test_consolidated_recap_from_the_page(qtbot, ctx, packages, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    page = _page(qtbot, ctx)
    _import(qtbot, page, [packages])
    page.tabs.setCurrentWidget(page.rekap)
    tab = page.rekap
    assert tab.periode.text() == "2025-11"
    target = tmp_path / "gabungan.xlsx"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (asked.append(a[2]) or str(target), "Buku kerja Excel (*.xlsx)"))
    qtbot.mouseClick(tab.simpan, Qt.LeftButton)
    qtbot.waitUntil(lambda: tab.last_path is not None, timeout=60000)
    assert asked == ["rekap-gabungan-61.71-2025-11.xlsx"]
    assert tab.result.text() == f"Rekap gabungan tersimpan: {target}"
    assert "BNBA" in load_workbook(target).sheetnames
    assert last_export(ctx.db) == ("rekap_dinas", str(target), None)  # UU PDP export log
    tab.bnba.setChecked(False)
    tab.last_path = None
    qtbot.mouseClick(tab.simpan, Qt.LeftButton)
    qtbot.waitUntil(lambda: tab.last_path is not None, timeout=60000)
    assert "BNBA" not in load_workbook(target).sheetnames
    tab.periode.setText("November")
    qtbot.keyClick(tab.periode, Qt.Key_Return)
    assert msgbox.shown[-1][:2] == ("error", "Periode tidak sah")
