"""The Bencana page driven like a user: event, victims, household, emergency aid, report."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableWidgetItem

from db import bencana as B
from db import korban as K
from db import records
from desktop import msgbox
from tests.desktop import last_export

SHOTS = Path("/tmp/helper-bencana")
PALLIMA = "61.71.03.1001"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-09-10")
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def fire(db):
    ev = B.tambah_bencana(db, {"jenis_kode": "kebakaran_permukiman", "tanggal": "2025-09-05", "waktu": "23:10",
                               "kode_wilayah": PALLIMA, "kode_kejadian": "KBR-07", "lokasi": "Gg. Damai",
                               "kk_terdampak": 3, "jiwa_terdampak": 9})
    K.tambah_keluarga(db, ev["id"], {"nama": "Budi Hartono", "nik": "6171031205800001", "jenis_kelamin": "L"},
                      [{"nama": "Siti Rahmah", "nik": "6171034307850002", "jenis_kelamin": "P",
                        "kelompok_rentan": "ibu hamil"},
                       {"nama": "Rizky", "jenis_kelamin": "L", "kelompok_rentan": "balita"}],
                      no_kk="6171030101090007", tempat_tinggal="pengungsian")
    K.tambah_korban(db, ev["id"], orang={"nama": "Dewi Lestari", "jenis_kelamin": "P"}, tempat_tinggal="keluarga")
    return ev


def _page(qtbot, ctx):
    from desktop.bencana.page import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.resize(1240, 720)
    page.show()
    return page


def _driver(page, fill):
    """Replace the modal exec: ``fill(dlg)`` types into the dialog and presses save."""
    def run(dlg):
        page.last_dialog = dlg
        dlg.show()
        fill(dlg)
        return dlg.result() == QDialog.Accepted
    page.run_dialog = run


def test_list_opens_event_page_with_summary(qtbot, ctx, fire, qtmodeltester):
    page = _page(qtbot, ctx)
    lst = page.list
    qtmodeltester.check(lst.model)
    assert lst.count_label.text() == "1 kejadian"
    assert [lst.model.data(lst.model.index(0, c)) for c in range(6)] == [
        "KBR-07", "05/09/2025", "Kebakaran Permukiman", "Pallima", "Gg. Damai", "4"]
    qtbot.keyClick(lst.view, Qt.Key_Return)
    ev = page.event_page
    assert page.stack.currentWidget() is ev
    qtmodeltester.check(ev.model)
    assert ev.title.text() == "Kebakaran Permukiman — KBR-07"
    assert ev.window_label.text() == "Masa tanggap darurat 7 hari: 05/09/2025 s.d. 12/09/2025 — masih berlangsung, sisa 2 hari"
    assert ev.cards["korban"][0].text() == "4" and ev.cards["korban"][1].text() == "2 L · 2 P · 1 KK"
    assert ev.cards["belum"][0].text() == "4"
    assert [r["nama"] for r in ev.model.rows] == ["Budi Hartono", "Siti Rahmah", "Rizky", "Dewi Lestari"]
    assert ev.model.data(ev.model.index(0, 3)) == "617103********01"  # masked NIK
    assert ev.model.data(ev.model.index(2, 3)) == "belum ada"
    rentan = {ev.rentan_table.item(r, 0).text(): ev.rentan_table.item(r, 1).text()
              for r in range(ev.rentan_table.rowCount())}
    assert rentan["Ibu Hamil"] == "1" and rentan["Balita"] == "1" and rentan["Korban rentan (orang)"] == "2"
    qtbot.keyClicks(ev.search, "siti")
    qtbot.waitUntil(lambda: [r["nama"] for r in ev.model.rows] == ["Siti Rahmah"])
    assert ev.count_label.text() == "1 dari 4 korban"
    qtbot.keyClick(ev, Qt.Key_Escape)
    assert page.stack.currentWidget() is lst


def test_new_event_dialog_refuses_future_date_then_saves(qtbot, ctx):
    page = _page(qtbot, ctx)

    def fill(dlg):
        dlg.jenis.setCurrentIndex(dlg.jenis.findData("banjir_rob"))
        dlg.tanggal.clear()
        qtbot.keyClicks(dlg.tanggal, "11/09/2025")
        qtbot.keyClicks(dlg.waktu, "05.30")
        qtbot.keyClicks(dlg.lokasi, "Tepian Kapuas")
        qtbot.keyClicks(dlg.jiwa, "120")
        dlg.grab().save(str(SHOTS / "dialog_kejadian.png"))
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)
        assert dlg.errors.text("tanggal") == (
            "Tanggal kejadian 11/09/2025 belum terjadi (setelah hari ini); periksa tanggalnya")
        dlg.tanggal.clear()
        qtbot.keyClicks(dlg.tanggal, "09/09/2025")
        dlg.lama.setValue(14)
        assert dlg.alasan.isEnabled()
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)
        assert dlg.errors.text("alasan_perpanjangan").startswith("Masa tanggap darurat 14 hari")
        qtbot.keyClicks(dlg.alasan, "SK Lurah 3/2025")
        qtbot.keyClick(dlg.alasan, Qt.Key_Return)

    _driver(page, fill)
    qtbot.mouseClick(page.list.new_btn, Qt.LeftButton)
    ev = B.daftar_bencana(ctx.db)[0]
    assert (ev["jenis_kode"], ev["tanggal"], ev["waktu"], ev["kode_wilayah"], ev["jiwa_terdampak"]) == (
        "banjir_rob", "2025-09-09", "05:30", PALLIMA, 120)
    assert (ev["lama_tanggap_darurat"], ev["alasan_perpanjangan"], ev["kode_kejadian"]) == (
        14, "SK Lurah 3/2025", "KJD-2025-001")
    assert page.stack.currentWidget() is page.event_page  # the new event opens at once
    assert page.event_page.title.text() == "Banjir Rob — KJD-2025-001"


def test_add_new_victim_then_same_person_refused(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])

    def fill_new(dlg):
        assert dlg.mode_baru.isChecked()
        qtbot.keyClicks(dlg.nama, "Hasan Basri")
        qtbot.keyClicks(dlg.nik, "6171031506700003")
        dlg.jk.setCurrentIndex(dlg.jk.findData("L"))
        dlg.fields.tempat.setCurrentIndex(dlg.fields.tempat.findData("pengungsian"))
        dlg.fields.rentan["lansia"].setChecked(True)
        dlg.grab().save(str(SHOTS / "dialog_korban.png"))
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)

    _driver(page, fill_new)
    qtbot.mouseClick(page.event_page.add_btn, Qt.LeftButton)
    v = page.last_dialog.record
    assert v["orang_baru"] and records.get(ctx.db, "ppks", v["ppks_id"])["kategori_kode"] == "22"
    assert page.event_page.cards["korban"][0].text() == "5"
    assert page.event_page.selected()["nama"] == "Hasan Basri"

    def fill_existing(dlg):
        dlg.mode_lama.setChecked(True)
        dlg.cari.set_orang(v["orang_id"])
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)
        assert dlg.errors.text("orang_id") == (
            "Hasan Basri (NIK 6171031506700003) sudah terdaftar sebagai korban kejadian KBR-07 "
            "(Kebakaran Permukiman, 05/09/2025); orang yang sama tidak dapat dicatat dua kali.")

    _driver(page, fill_existing)
    qtbot.mouseClick(page.event_page.add_btn, Qt.LeftButton)
    assert page.last_dialog.result() != QDialog.Accepted
    assert K.hitung_korban(ctx.db, fire["id"]) == 5


def test_household_quick_entry(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])

    def fill(dlg):
        qtbot.keyClicks(dlg.no_kk, "6171030101090099")
        qtbot.keyClicks(dlg.alamat, "Gg. Damai No. 9")
        dlg.tempat.setCurrentIndex(dlg.tempat.findData("pengungsian"))
        dlg.set_cell(0, "nama", "Joko Susilo")
        dlg.set_cell(0, "jenis_kelamin", "L")
        dlg.set_cell(1, "nama", "Ratna Sari")
        dlg.set_cell(1, "nik", "6171034101900004")
        dlg.set_cell(1, "kelompok_rentan", "ibu menyusui")
        dlg.set_cell(2, "nama", "Agus")
        dlg.set_cell(2, "tanggal_lahir", "01/02/2020")
        dlg.set_cell(2, "kelompok_rentan", "balita, anak")
        dlg.grab().save(str(SHOTS / "dialog_keluarga.png"))
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)

    _driver(page, fill)
    qtbot.mouseClick(page.event_page.family_btn, Qt.LeftButton)
    recs = page.last_dialog.records
    assert [r["kepala_keluarga"] for r in recs] == [1, 0, 0]
    people = [records.get(ctx.db, "orang", r["orang_id"]) for r in recs]
    assert {p["no_kk"] for p in people} == {"6171030101090099"}
    assert [r["kelompok_rentan"] for r in recs] == [None, "ibu_menyusui", "anak,balita"]
    assert page.event_page.cards["korban"][0].text() == "7"


def test_household_error_names_the_member(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])

    def fill(dlg):
        dlg.set_cell(0, "nama", "Joko")
        dlg.set_cell(1, "nama", "Ratna")
        dlg.set_cell(1, "nik", "12345")
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)
        assert "Anggota 1 - nik: NIK harus 16 digit (tertulis 5 digit)" in dlg.summary.text()

    _driver(page, fill)
    qtbot.mouseClick(page.event_page.family_btn, Qt.LeftButton)
    assert K.hitung_korban(ctx.db, fire["id"]) == 4


def test_food_for_every_displaced_victim_with_receipts(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])
    ev = page.event_page

    def fill(dlg):
        assert dlg.scope_label.text() == "4 korban kejadian ini akan menerima bantuan"
        dlg.tempat.setCurrentIndex(dlg.tempat.findData("pengungsian"))
        assert dlg.scope_label.text() == "3 korban kejadian ini akan menerima bantuan"
        assert dlg.window_note.text() == "Dalam masa tanggap darurat (sisa 2 hari)."
        dlg.jumlah.setText("3")
        qtbot.keyClicks(dlg.nilai, "45.000")
        dlg.grab().save(str(SHOTS / "dialog_bantuan.png"))
        msgbox.answers.append(True)  # "Catat ... untuk 3 korban?"
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)

    _driver(page, fill)
    ev.give_aid("kejadian")
    dlg = page.last_dialog
    assert msgbox.shown[-1][2].startswith("Catat 1.06.06.2.01.01 — Penyediaan Makanan untuk 3 korban? Total Rp 135.000.")
    assert len(dlg.hasil.layanan) == 3 and len(dlg.hasil.kuitansi) == 3
    assert dlg.preview.page_count() == 3  # one receipt per recipient, shown for printing
    assert ev.cards["dalam_masa"][0].text() == "3" and ev.cards["belum"][0].text() == "1"
    assert ev.aid_table.item(0, 0).text() == "Penyediaan Makanan" and ev.aid_table.item(0, 2).text() == "9 Paket"
    ev.grab().save(str(SHOTS / "event_page_test.png"))


def test_aid_outside_window_warns_and_marks_late(qtbot, ctx, fire, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-09-20")
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])
    ev = page.event_page
    ev.status_filter.setCurrentIndex(ev.status_filter.findData("belum"))
    ev.view.selectRow([r["nama"] for r in ev.model.rows].index("Dewi Lestari"))

    def fill(dlg):
        assert dlg.scope_label.text() == "Dewi Lestari"
        assert dlg.window_note.text() == ("Di luar masa tanggap darurat (berakhir 12/09/2025): bantuan akan "
                                          "ditandai terlambat.")
        dlg.layanan.setCurrentIndex(dlg.layanan.findData("1.06.06.2.01.0002"))
        dlg.show_receipts.setChecked(False)
        msgbox.answers.append(True)  # accept the warning
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)

    _driver(page, fill)
    ev.give_aid("korban")
    assert msgbox.shown[-1][2].startswith("• Tanggal bantuan 20/09/2025 di luar masa tanggap darurat kejadian KBR-07")
    assert page.last_dialog.hasil.terlambat
    assert ev.cards["terlambat"][0].text() == "1"
    ev.status_filter.setCurrentIndex(ev.status_filter.findData("terlambat"))
    assert [r["nama"] for r in ev.model.rows] == ["Dewi Lestari"]
    assert ev.model.data(ev.model.index(0, 1)) == "Di luar masa"


def test_aid_for_a_household_head_only(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])
    ev = page.event_page
    ev.view.selectRow(1)  # Siti, a member of the household

    def fill(dlg):
        dlg.layanan.setCurrentIndex(dlg.layanan.findData("1.06.06.2.01.0003"))  # tarpaulin: per household
        assert dlg.per_kk.isChecked()
        assert dlg.scope_label.text() == "Keluarga No. KK 6171030101090007: 1 korban"
        dlg.per_kk.setChecked(False)
        assert dlg.scope_label.text() == "Keluarga No. KK 6171030101090007: 3 korban"
        dlg.per_kk.setChecked(True)
        dlg.show_receipts.setChecked(False)
        qtbot.mouseClick(dlg.ok, Qt.LeftButton)

    _driver(page, fill)
    ev.give_aid("kk")
    rows = page.last_dialog.hasil.layanan
    assert [records.get(ctx.db, "orang", r["orang_id"])["nama"] for r in rows] == ["Budi Hartono"]
    assert rows[0]["satuan"] == "unit"


def test_extend_window_asks_reason(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])
    msgbox.answers.extend(["14", "SK Wali Kota perpanjangan"])
    page.event_page.extend_window()
    assert B.get_bencana(ctx.db, fire["id"])["akhir_masa_tanggap"] == "2025-09-19"
    assert "14 hari: 05/09/2025 s.d. 19/09/2025" in page.event_page.window_label.text()
    assert "diubah: SK Wali Kota perpanjangan" in page.event_page.window_label.text()
    msgbox.answers.extend(["21"])  # no reason given: nothing changes
    page.event_page.extend_window()
    assert B.get_bencana(ctx.db, fire["id"])["lama_tanggap_darurat"] == 14


def test_delete_victim_needs_reason(qtbot, ctx, fire):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])
    page.event_page.view.selectRow(3)
    page.event_page.delete_victim()  # no reason queued: cancelled
    assert K.hitung_korban(ctx.db, fire["id"]) == 4
    msgbox.answers.append("Salah input")
    page.event_page.delete_victim()
    assert K.hitung_korban(ctx.db, fire["id"]) == 3
    assert page.event_page.cards["korban"][0].text() == "3"


def test_export_event_report(qtbot, ctx, fire, tmp_path):
    page = _page(qtbot, ctx)
    page.open_event(fire["id"])
    pdf = page.event_page.export_report("pdf", str(tmp_path / "laporan"))
    assert pdf.endswith("laporan.pdf")
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1 and "LAPORAN KEJADIAN BENCANA" in doc.pages[0].extract_text()
    xlsx = page.event_page.export_report("xlsx", str(tmp_path / "laporan.xlsx"))
    assert Path(xlsx).exists()
    assert msgbox.shown[-1][0] == "info" and xlsx in msgbox.shown[-1][2]
    assert last_export(ctx.db) == ("laporan_bencana", xlsx, None)  # UU PDP export log


def test_main_window_has_the_bencana_area(qtbot, ctx, fire):
    from desktop.main_window import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    page = win.show_area("bencana")
    assert page.list.model.rows[0]["kode_kejadian"] == "KBR-07"


def test_import_menu_opens_the_wizard_for_events_and_victims(qtbot, ctx):
    from desktop.bencana import page as page_module

    if page_module._import_wizard_class() is None:
        pytest.skip("the shared import wizard is not in this tree yet")
    page = _page(qtbot, ctx)
    seen = []
    page.run_dialog = lambda dlg: seen.append(dlg.spec.kind) or False
    page.list.open_import("bencana")
    page.list.open_import("korban")
    assert seen == ["bencana", "korban"]
    assert [a.text() for a in page.list.import_btn.menu().actions()] == [
        "Kejadian bencana dari Excel/CSV…", "Korban bencana dari Excel/CSV…"]
