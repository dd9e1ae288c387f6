"""Rekap Bulanan page: the month's indicators and tables on screen, export, open, close and reopen."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from db import records
from db.errors import KnownError
from desktop import msgbox
from desktop.widgets.record_table import RecordRole
from tests.db import rekap_fixture as F
from tests.desktop import last_export


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-20")
    msgbox.shown.clear()
    msgbox.answers.clear()


@pytest.fixture
def page(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    F.build(db)
    w = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(w)
    w.show()
    p = w.show_area("rekap")
    p.window_ = w
    return p


def cell(page, key, row, column_key):
    model = page.models[key]
    col = [c.key for c in model.columns].index(column_key)
    return model.data(model.index(row, col))


def test_the_month_on_screen(page):
    assert page.bulan.currentText() == "Desember 2025" and page.bulan.itemText(1) == "November 2025"
    rows = [page.models["indikator"].data(page.models["indikator"].index(r, 0), RecordRole)["id"]
            for r in range(page.models["indikator"].rowCount())]
    assert rows[0] == "PPKS_TERTANGANI" and len(rows) == 8
    assert (cell(page, "indikator", 0, "num"), cell(page, "indikator", 0, "den"), cell(page, "indikator", 0, "nilai")) == \
           ("15", "21", "71,43%")
    assert cell(page, "indikator", 0, "nilai_ytd") == "77,27%"
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs == ["Indikator", "PPKS", "Layanan", "Bencana (1)", "PSKS", "Penerima (BNBA) · 18"]
    assert "belum ditutup" in page.status.text()
    lay = {page.models["layanan"].record(r)["kode"]: page.models["layanan"].record(r)
           for r in range(page.models["layanan"].rowCount())}
    assert lay["1.06.04.2.01.0001"]["kuantitas"] == "1 Kali, 6 Paket" or lay["1.06.04.2.01.0001"]["kuantitas"] == "6 Paket, 1 Kali"
    bnba = [page.models["bnba"].record(r) for r in range(page.models["bnba"].rowCount())]
    assert bnba[0]["nik_teks"] == "617103********20"  # masked on screen
    assert {r["nik_teks"] for r in bnba if r["orang_id"] is None} == {"– (per KK)"}


def test_another_month(page, qtbot):
    page.bulan.setFocus()
    qtbot.keyClick(page.bulan, Qt.Key_Down)  # November 2025
    assert page.data.periode.teks == "2025-11"
    # November in A: E0 with P32 served in time
    bencana = [r for r in range(page.models["indikator"].rowCount())
               if page.models["indikator"].record(r)["id"] == "SPM_BENCANA"][0]
    assert (cell(page, "indikator", bencana, "num"), cell(page, "indikator", bencana, "den")) == ("1", "1")
    assert page.tabs.tabText(5) == "Penerima (BNBA) · 2"


def test_export_then_open(page, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "rekap-desember"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert not page.buka.isEnabled()
    qtbot.mouseClick(page.ekspor, Qt.LeftButton)
    path = tmp_path / "rekap-desember.xlsx"
    assert path.exists() and page.last_export == path
    assert last_export(page.ctx.db) == ("rekap", str(path), None)  # UU PDP export log
    assert msgbox.shown[-1] == ("info", "Rekap tersimpan", f"Rekap Desember 2025 tersimpan di {path}")
    wb = load_workbook(path)
    ws = wb["Indikator"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Kode Wilayah")
    names = [c.value for c in header]
    first = [c.value for c in next(ws.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 1))]
    assert (first[names.index("Pembilang Bulan Ini")], first[names.index("Penyebut Bulan Ini")]) == (15, 21)
    opened = []
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    assert page.buka.isEnabled()
    qtbot.mouseClick(page.buka, Qt.LeftButton)
    assert opened == [str(path)]


def test_export_failure_is_shown(page, tmp_path):
    assert page.export_to(tmp_path / "tidak-ada" / "rekap.xlsx") is None
    assert msgbox.shown[-1][0:2] == ("error", "Rekap gagal disimpan") and "tidak ada" in msgbox.shown[-1][2]


def test_close_and_reopen_the_month(page, qtbot, db):
    msgbox.answers.append("Rekap diserahkan ke kelurahan")
    qtbot.mouseClick(page.tutup, Qt.LeftButton)
    assert msgbox.shown[0][:2] == ("ask", "Tutup bulan")
    assert "sudah ditutup (dilaporkan)" in page.status.text() and "Rekap diserahkan ke kelurahan" in page.status.text()
    assert not page.tutup.isEnabled() and page.buka_kembali.isEnabled()
    with pytest.raises(KnownError, match="Bulan Desember 2025 sudah dilaporkan pada"):
        records.insert(db, "layanan", {"orang_id": None, "no_kk": F.KK3, "kode_layanan": "1.06.05.2.02.0003",
                                       "tanggal": "2025-12-19", "jumlah": 1, "satuan": "KK"})
    # cancelled reason prompt: nothing happens
    qtbot.mouseClick(page.buka_kembali, Qt.LeftButton)
    assert "sudah ditutup" in page.status.text()
    msgbox.answers.append("Ada bantuan yang belum dicatat")
    qtbot.mouseClick(page.buka_kembali, Qt.LeftButton)
    assert "dibuka kembali" in page.status.text() and "revisi 2" in page.status.text()
    assert msgbox.shown[-1] == ("info", "Bulan dibuka kembali",
                                "Desember 2025 dapat diubah lagi. Paket berikutnya bulan itu dikirim sebagai revisi 2.")
    assert db.execute("SELECT count(*) FROM audit WHERE tabel = 'periode_tutup' AND aksi = 'buka'").fetchone()[0] == 1
    records.insert(db, "layanan", {"orang_id": None, "no_kk": F.KK3, "kode_layanan": "1.06.05.2.02.0003",
                                   "tanggal": "2025-12-19", "jumlah": 1, "satuan": "KK"})
    page.window_.ctx.changed("layanan")
    # KK3 served: KPM_BANSOS 3 of 4
    kpm = [r for r in range(page.models["indikator"].rowCount())
           if page.models["indikator"].record(r)["id"] == "KPM_BANSOS"][0]
    assert cell(page, "indikator", kpm, "num") == "3"
