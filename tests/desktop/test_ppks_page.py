"""The PPKS list driven like a user: search as you type, filters, sorting, add, delete/undo, export."""
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from db import ppks
from desktop import msgbox
from tests.conftest import KELURAHAN


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")


@pytest.fixture
def people(db):
    def add(nama, nik=None, kategori=None, kode=KELURAHAN, **kw):
        regs = [{"kategori_kode": kategori, "tanggal_pendataan": "2025-02-01", **kw.pop("reg", {})}] if kategori else []
        return ppks.save_person(db, {"nama": nama, "nik": nik, "kode_wilayah": kode, **kw}, registrations=regs,
                                confirm_warnings=True)

    return {
        "ani": add("Ani Suryani", "6171034501900001", "8", alamat="Jl. Tanjung Raya"),
        "budi": add("Budi Hartono", "6171030507850002", "9", reg={"terlantar": 1}),
        "siti": add("Siti Aminah", None, "11", kode="61.71.03"),
        "tono": add("Tono", None, None, alamat="Gg. Damai"),
    }


def _page(qtbot, ctx):
    from desktop.ppks.page import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def _names(page):
    return [r["nama"] for r in page.model.rows]


def _select(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def test_list_counts_and_search_as_you_type(qtbot, ctx, people, qtmodeltester):
    page = _page(qtbot, ctx)
    assert _names(page) == ["Ani Suryani", "Budi Hartono", "Siti Aminah", "Tono"]
    assert page.count_label.text() == "4 orang"
    qtmodeltester.check(page.model)
    row = page.model.rows[2]
    assert page.model.index(2, 1).data() == row["nik_sementara"]  # temporary id shown where there is no NIK
    assert page.model.index(0, 6).data() == "8 Lanjut Usia Terlantar"
    qtbot.keyClicks(page.search, "si")
    assert _names(page) == ["Ani Suryani", "Budi Hartono", "Siti Aminah", "Tono"]  # debounced: not yet
    qtbot.waitUntil(lambda: _names(page) == ["Siti Aminah"], timeout=2000)
    assert page.count_label.text() == "1 orang"
    page.search.clear()
    qtbot.keyClicks(page.search, "6171 0345")  # an NIK typed with a space
    qtbot.waitUntil(lambda: _names(page) == ["Ani Suryani"], timeout=2000)
    page.search.clear()
    qtbot.keyClicks(page.search, "damai")
    qtbot.keyClick(page.search, Qt.Key_Return)  # Enter searches at once and moves to the list
    assert _names(page) == ["Tono"] and page.selected()["nama"] == "Tono"


def test_filters(qtbot, ctx, people):
    page = _page(qtbot, ctx)
    _select(page.kategori, "9")
    assert _names(page) == ["Budi Hartono"]
    _select(page.kategori, None)
    _select(page.spm, "GEPENG")
    assert _names(page) == ["Siti Aminah"]
    _select(page.spm, None)
    _select(page.status, "tanpa")
    assert _names(page) == ["Tono"] and page.count_label.text() == "1 orang"
    _select(page.status, None)
    qtbot.mouseClick(page.tanpa_nik, Qt.LeftButton)
    assert _names(page) == ["Siti Aminah", "Tono"]
    qtbot.mouseClick(page.tanpa_nik, Qt.LeftButton)
    _select(page.wilayah, "61.71.03")
    assert len(_names(page)) == 4
    _select(page.wilayah, KELURAHAN)
    assert _names(page) == ["Ani Suryani", "Budi Hartono", "Tono"]


def test_sorting_by_clicking_headers(qtbot, ctx, people):
    page = _page(qtbot, ctx)
    header = page.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(header.sectionViewportPosition(0) + 5, 5))
    assert page.model.descending and _names(page)[0] == "Tono"
    page.view.sortByColumn(1, Qt.AscendingOrder)  # NIK: people without NIK first
    assert page.model.sort_key == "nik" and set(_names(page)[:2]) == {"Siti Aminah", "Tono"}
    assert _names(page)[2:] == ["Budi Hartono", "Ani Suryani"]
    before = _names(page)
    page.view.sortByColumn(6, Qt.AscendingOrder)  # category: not sortable, order kept
    assert _names(page) == before


def test_add_through_the_form(qtbot, ctx, people, monkeypatch, db):
    from desktop.ppks.form import PersonDialog

    def exec_(dlg):
        qtbot.keyClicks(dlg.nik, "6171036008700003")
        qtbot.keyClicks(dlg.nama, "Syarifah Nur")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(PersonDialog, "exec", exec_)
    page = _page(qtbot, ctx)
    qtbot.mouseClick(page.tambah, Qt.LeftButton)
    assert page.count_label.text() == "5 orang" and page.selected()["nama"] == "Syarifah Nur"


def test_duplicate_nik_from_the_list_opens_existing(qtbot, ctx, people, monkeypatch, db):
    from desktop.ppks.form import PersonDialog

    seen = []

    def exec_(dlg):
        msgbox.answers.append(True)
        qtbot.keyClicks(dlg.nik, "6171034501900001")  # Ani's NIK
        qtbot.keyClicks(dlg.nama, "Ani S.")
        dlg.save()  # offers Ani; the form now edits her
        seen.append((dlg.orang_id, dlg.nama.text()))
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(PersonDialog, "exec", exec_)
    page = _page(qtbot, ctx)
    qtbot.mouseClick(page.tambah, Qt.LeftButton)
    assert seen == [(people["ani"]["id"], "Ani Suryani")]
    assert page.count_label.text() == "4 orang" and page.selected()["nama"] == "Ani Suryani"


def test_delete_with_reason_undo_and_restore(qtbot, ctx, people, db):
    page = _page(qtbot, ctx)
    page.view.selectRow(1)
    assert page.selected()["nama"] == "Budi Hartono"
    qtbot.mouseClick(page.hapus, Qt.LeftButton)  # no reason given: nothing happens
    assert page.count_label.text() == "4 orang"
    msgbox.answers.append("pindah ke Sambas")
    qtbot.mouseClick(page.hapus, Qt.LeftButton)
    assert "Budi Hartono" not in _names(page) and page.count_label.text() == "3 orang"
    assert page.undo_bar.isVisible() and page.undo_label.text() == "Budi Hartono dihapus (alasan: pindah ke Sambas)."
    qtbot.mouseClick(page.undo_button, Qt.LeftButton)
    assert "Budi Hartono" in _names(page) and not page.undo_bar.isVisible()
    assert page.selected()["nama"] == "Budi Hartono"
    # delete again, then find it among deleted ones and restore
    msgbox.answers.append("data ganda")
    page.activateWindow()
    page.view.setFocus()
    qtbot.waitUntil(page.view.hasFocus)
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert "Budi Hartono" not in _names(page)
    qtbot.mouseClick(page.dihapus, Qt.LeftButton)
    assert "Budi Hartono" in _names(page) and page.pulihkan.isVisible()
    page.select_id(people["budi"]["id"])
    index = page.model.index(page.view.currentIndex().row(), 0)
    assert index.data(Qt.FontRole).strikeOut()
    assert not page.hapus.isEnabled() and page.pulihkan.isEnabled()
    qtbot.mouseClick(page.pulihkan, Qt.LeftButton)
    assert db.execute("SELECT deleted_at FROM orang WHERE id = ?", [people["budi"]["id"]]).fetchone()[0] is None


def test_history_from_the_list(qtbot, ctx, people, monkeypatch):
    from desktop.ppks.history import HistoryDialog

    monkeypatch.setattr(HistoryDialog, "exec", lambda self: QDialog.Accepted)
    page = _page(qtbot, ctx)
    page.view.selectRow(0)
    dlg = page.history()
    assert [r[2] for r in dlg.texts()] == ["Data orang", "Registrasi 8 Lanjut Usia Terlantar"]


def test_export_the_filtered_list(qtbot, ctx, people, tmp_path, db):
    page = _page(qtbot, ctx)
    _select(page.kategori, "9")
    target = tmp_path / "ekspor"
    page.ask_save_path = lambda title, suggested: str(target)
    op = page.export()
    qtbot.waitUntil(lambda: op.result is not None or op.error is not None, timeout=10000)
    assert op.error is None
    ws = load_workbook(tmp_path / "ekspor.xlsx")["Daftar PPKS"]
    assert ws.max_row == 4 and ws["B4"].value == "Budi Hartono" and ws["C4"].value == "6171030507850002"
    assert msgbox.shown[-1][1] == "Ekspor selesai" and "1 orang diekspor" in msgbox.shown[-1][2]
    logged = db.execute("SELECT jenis, berkas, jumlah FROM ekspor_log").fetchall()
    assert logged == [("daftar", str(tmp_path / "ekspor.xlsx"), 1)]


def test_page_refreshes_when_data_changes_elsewhere(qtbot, ctx, people, db):
    page = _page(qtbot, ctx)
    ppks.save_person(db, {"nama": "Zulkifli", "kode_wilayah": KELURAHAN})
    ctx.changed("korban")
    assert page.count_label.text() == "5 orang"


def test_main_window_has_the_ppks_area(qtbot, ctx, people):
    from desktop.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_area("ppks")
    assert page.count_label.text() == "4 orang"
