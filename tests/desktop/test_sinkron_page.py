"""The "Kirim ke Dinas" page, driven like a user."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db import periode
from desktop import msgbox
from exporters import package as pkg
from tests.sinkron_helpers import add_person, add_service
from tests.desktop import last_export

SHOTS = Path("/tmp/helper-sinkron")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-03")


@pytest.fixture
def ctx(db, db_path):
    from desktop.context import AppContext

    a = add_person(db, nama="Ahmad Yani", nik="6171030101500001")
    b = add_person(db, nama="Siti Rahma", nik="6171034101550002", jk="P", kategori="11")
    add_service(db, a["orang"]["id"])
    from db import records

    records.soft_delete(db, "layanan", add_service(db, b["orang"]["id"])["id"], "salah input")
    return AppContext(db, db_path)


def _page(qtbot, ctx):
    from desktop.sinkron.page import Page

    from desktop.main_window import STYLE

    page = Page(ctx)
    qtbot.addWidget(page)
    page.setStyleSheet(STYLE)
    page.resize(900, 640)
    page.show()
    return page


def test_page_shows_what_the_package_holds(qtbot, ctx):
    page = _page(qtbot, ctx)
    assert page.bulan.currentText() == "November 2025"  # last month by default
    assert page.bulan.itemText(0) == "Desember 2025"
    assert page.heading.text() == "Paket November 2025 · nomor urut 001"
    assert page.count_labels["orang"][0].text() == "2"
    assert page.count_labels["layanan"][0].text() == "2"
    assert page.count_labels["layanan"][1].text() == "1"
    assert "Nama berkas: 61.71.03.1001_2025-11_001.kesos" in page.details.text()
    assert "terkunci" in page.details.text()


def test_export_writes_the_package_and_closes_the_month(qtbot, ctx, tmp_path):
    page = _page(qtbot, ctx)
    usb = tmp_path / "usb"
    usb.mkdir()
    qtbot.keyClicks(page.folder, str(usb))
    qtbot.mouseClick(page.buat, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=10000)
    path = usb / "61.71.03.1001_2025-11_001.kesos"
    assert path.is_file()
    assert pkg.read_package(path).counts["layanan"] == 2
    assert page.result.text() == f"Paket tersimpan: {path}"
    assert msgbox.shown[-1][0:2] == ("info", "Paket dibuat")
    assert last_export(ctx.db)[:2] == ("paket", str(path))  # UU PDP export log
    assert periode.sudah_ditutup(ctx.db, "2025-11")
    assert "sudah ditutup" in page.details.text()
    assert "Terakhir dibuat" in page.details.text()
    qtbot.wait(50)  # let the layout take the new texts
    page.grab().save(str(SHOTS / "kirim_ke_dinas.png"))
    # The folder is remembered for next time.
    from desktop.sinkron.page import Page

    again = Page(ctx)
    qtbot.addWidget(again)
    assert again.folder.text() == str(usb)


def test_missing_folder_is_reported_without_writing(qtbot, ctx, tmp_path):
    page = _page(qtbot, ctx)
    qtbot.mouseClick(page.buat, Qt.LeftButton)
    assert msgbox.shown[-1][0:2] == ("warning", "Folder belum dipilih")
    qtbot.keyClicks(page.folder, str(tmp_path / "flashdisk-dicabut"))
    qtbot.keyClick(page.folder, Qt.Key_Return)
    assert msgbox.shown[-1][0:2] == ("error", "Folder tidak ada")
    assert not periode.sudah_ditutup(ctx.db, "2025-11")


def test_failure_in_the_background_is_shown_and_nothing_closed(qtbot, ctx, tmp_path, monkeypatch):
    page = _page(qtbot, ctx)
    page.bulan.setCurrentIndex(page.bulan.findData("2025-12"))
    monkeypatch.setenv("KESOS_TODAY", "2025-11-30")  # December has not started: refused
    qtbot.keyClicks(page.folder, str(tmp_path))
    qtbot.mouseClick(page.buat, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.buat.isEnabled(), timeout=10000)
    assert msgbox.shown[-1][0:2] == ("error", "Paket tidak dibuat")
    assert "belum berjalan" in page.result.text()
    assert list(tmp_path.glob("*.kesos")) == []


def test_running_month_asks_first_and_cancel_writes_nothing(qtbot, ctx, tmp_path):
    """Sending the month that is still running would lock today's work: the page asks, and
    the safe answer (cancel) writes no package and closes nothing."""
    page = _page(qtbot, ctx)
    usb = tmp_path / "usb"
    usb.mkdir()
    qtbot.keyClicks(page.folder, str(usb))
    page.bulan.setCurrentIndex(page.bulan.findData("2025-12"))  # KESOS_TODAY is 2025-12-03
    msgbox.answers.clear()
    qtbot.mouseClick(page.buat, Qt.LeftButton)
    assert msgbox.shown[-1][0:2] == ("confirm", "Bulan ini belum selesai")
    assert "Desember 2025 masih berjalan" in msgbox.shown[-1][2]
    assert list(usb.iterdir()) == []
    assert not periode.sudah_ditutup(ctx.db, "2025-12")
