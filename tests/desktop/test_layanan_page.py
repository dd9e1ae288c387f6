"""The Layanan area driven like a user: record, list/filter/export, cancel, receipts, distributions."""
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from db import kuitansi, layanan, records
from desktop import msgbox
from desktop.layanan import printing
from tests.db.layanan_helpers import NIK_SITI, TODAY, bencana, korban, orang, orang_banyak, ppks
from tests.desktop import last_export

SHOTS = Path("/tmp/layanan_helper/shots")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


@pytest.fixture
def page(qtbot, ctx):
    from desktop.layanan.page import Page

    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1250, 650)
    p.show()
    return p


def shot(widget, name):
    from PySide6.QtWidgets import QApplication

    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # let pending layout requests settle
    widget.grab().save(str(SHOTS / name))


def pick_person(qtbot, dlg, text):
    qtbot.keyClicks(dlg.penerima, text)
    dlg.penerima._refresh()  # the debounce timer would do this 150 ms later
    labels = dlg.penerima.model.stringList()
    assert labels
    dlg.penerima.completer_.activated[str].emit(labels[0])
    return labels


def pick_layanan(qtbot, picker, text):
    qtbot.keyClicks(picker.lineEdit(), text)
    completer = picker.completer_
    completer.setCompletionPrefix(text)
    assert completer.completionCount() >= 1
    label = completer.currentCompletion()
    completer.activated[str].emit(label)
    return label


def pdf_text(data: bytes) -> str:
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())


def test_record_a_service_by_keyboard_and_see_its_receipt(qtbot, page, db):
    o = orang(db)
    dlg = page.catat()
    qtbot.addWidget(dlg)
    dlg.show()
    labels = pick_person(qtbot, dlg, "siti")
    assert labels[0] == "Siti Rahmah (6171034501900001, lahir 05/01/1990)"
    assert dlg.penerima.orang_id() == o["id"]
    assert "Jl. Merdeka No. 5" in dlg.penerima_info.text()
    label = pick_layanan(qtbot, dlg.fields.layanan, "permakanan")
    assert label == "1.06.04.2.01.0001 — Penyediaan Permakanan"
    assert dlg.fields.layanan.kode() == "1.06.04.2.01.0001"
    assert dlg.fields.satuan.currentText() == "Paket"  # default unit of the line
    assert dlg.fields.tanggal.text() == "10/03/2026"
    qtbot.keyClicks(dlg.fields.nilai, "1.5jt")
    dlg.fields.jumlah.selectAll()
    qtbot.keyClicks(dlg.fields.jumlah, "2")
    dlg.fields.sumber_dana.setCurrentIndex(dlg.fields.sumber_dana.findData("APBD_KOTA"))
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.result() == 0
    assert dlg.fields.errors.text("nilai") == "'1.5jt' bukan nilai rupiah (tulis angka lengkap, mis. 1.500.000)"
    assert dlg.fields.errors.labels["nilai"].isVisibleTo(dlg)
    shot(dlg, "catat_error.png")
    dlg.fields.nilai.clear()
    qtbot.keyClicks(dlg.fields.nilai, "Rp 1.500.000")
    qtbot.keyClick(dlg.fields.nilai, Qt.Key_Return)  # Enter saves
    assert dlg.result() == 1
    rec = dlg.record
    assert (rec["nilai"], rec["jumlah"], rec["satuan"], rec["sumber_dana"]) == (1500000, 2, "paket", "APBD_KOTA")
    assert rec["petugas"] == "Siti Aminah"
    page.after_catat(dlg)
    preview = page.last_preview
    assert preview.page_label.text() == "Halaman 1 dari 1"
    assert "TT/61.71.03.1001/2026/00001" in pdf_text(preview.data)
    preview.resize(720, 860)
    preview.show()
    shot(preview, "preview.png")
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 8)) == "TT/61.71.03.1001/2026/00001"
    assert page.model.data(page.model.index(0, 4)) == "2 paket"
    assert page.summary.text() == "1 baris · 1 layanan aktif · 1 penerima · Rp 1.500.000"


def test_bad_input_shows_next_to_the_fields(qtbot, page, db):
    orang(db)
    dlg = page.catat()
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.fields.errors.text("kode_layanan") == "Kode layanan (sub-kegiatan) wajib diisi"
    pick_person(qtbot, dlg, "6171034")
    qtbot.keyClicks(dlg.fields.layanan.lineEdit(), "1.06.02.2.03.01")
    dlg.fields.tanggal.clear()
    qtbot.keyClicks(dlg.fields.tanggal, "11/03/2026")
    dlg.fields.jumlah.clear()
    qtbot.keyClicks(dlg.fields.jumlah, "0")
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert "bukan layanan yang dicatat per penerima" in dlg.fields.errors.text("kode_layanan")
    dlg.fields.layanan.set_kode("1.06.04.2.01.0002")
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.fields.errors.text("tanggal") == "Tanggal layanan 11/03/2026 belum terjadi (di masa depan)"
    assert dlg.fields.errors.text("jumlah") == "Jumlah harus lebih dari 0"
    dlg.fields.tanggal.clear()
    qtbot.keyClicks(dlg.fields.tanggal, "01/01/1980")
    dlg.fields.jumlah.setText("1")
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.fields.errors.text("tanggal") == "Tanggal layanan sebelum tanggal lahir Siti Rahmah (05/01/1990)"
    assert dlg.result() == 0 and layanan.hitung_layanan(db) == 0


def test_service_for_a_deleted_person_asks_first(qtbot, page, db):
    o = orang(db)
    records.soft_delete(db, "orang", o["id"], "meninggal dunia")
    dlg = page.catat()
    qtbot.addWidget(dlg)
    dlg.penerima.set_orang(o["id"])
    assert "SUDAH DIHAPUS" in dlg.penerima_info.text()
    dlg.fields.layanan.set_kode("1.06.04.2.01.0001")
    msgbox.answers.append(False)
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    kind, title, text = msgbox.shown[-1]
    assert (kind, title) == ("confirm", "Periksa dulu")
    assert "Siti Rahmah sudah dihapus dari register (alasan: meninggal dunia)" in text
    assert dlg.result() == 0 and layanan.hitung_layanan(db) == 0
    msgbox.answers.append(True)
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.result() == 1 and layanan.hitung_layanan(db) == 1


def test_disaster_line_shows_the_event_picker(qtbot, page, db):
    o = orang(db)
    ev = bencana(db)
    korban(db, ev["id"], o["id"])
    dlg = page.catat()
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.fields.bencana.isVisible()
    dlg.penerima.set_orang(o["id"])
    pick_layanan(qtbot, dlg.fields.layanan, "1.06.06.2.01.0001")
    assert dlg.fields.bencana.isVisible()
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert "pilih kejadian bencananya" in dlg.fields.errors.text("bencana_id")
    dlg.fields.set_bencana(ev["id"])
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.result() == 1 and dlg.record["bencana_id"] == ev["id"]


def _three_services(db):
    a = orang(db)
    b = orang(db, nama="Ahmad Yani", nik="6171030101800002", tanggal_lahir="1980-01-01")
    layanan.catat_layanan(db, orang_id=a["id"], kode_layanan="1.06.04.2.01.0001", tanggal="2026-02-10",
                          nilai=100000, sumber_dana="APBN")
    layanan.catat_layanan(db, orang_id=a["id"], kode_layanan="1.06.04.2.01.0002", tanggal="2026-03-02",
                          nilai=200000, sumber_dana="APBD_KOTA")
    layanan.catat_layanan(db, orang_id=b["id"], kode_layanan="1.06.04.2.01.0001", tanggal="2026-03-03",
                          nilai=300000, sumber_dana="APBD_KOTA")
    return a, b


def test_list_filters_person_view_and_export(qtbot, page, db, tmp_path):
    a, _b = _three_services(db)
    page.ctx.changed("layanan")
    assert page.model.rowCount() == 3
    assert [page.bulan.itemText(i) for i in range(page.bulan.count())] == ["Semua bulan", "Maret 2026", "Februari 2026"]
    page.bulan.setCurrentIndex(page.bulan.findData("2026-03"))
    assert page.model.rowCount() == 2
    page.dana.setCurrentIndex(page.dana.findData("APBN"))
    assert page.model.rowCount() == 0
    page.bulan.setCurrentIndex(0)
    assert page.model.rowCount() == 1 and page.model.record(0)["nilai"] == 100000
    page.dana.setCurrentIndex(0)
    page.layanan.setCurrentIndex(page.layanan.findData("1.06.04.2.01.0001"))
    assert page.model.rowCount() == 2
    page.layanan.setCurrentIndex(0)
    qtbot.keyClicks(page.cari, "ahmad")
    page.reload()
    assert [page.model.record(r)["nama"] for r in range(page.model.rowCount())] == ["Ahmad Yani"]
    page.cari.clear()
    page.reload()
    page.set_orang(a["id"])
    assert page.person_label.text() == f"Layanan untuk Siti Rahmah ({NIK_SITI})"
    assert page.model.rowCount() == 2
    shot(page, "page.png")
    path = page.export(str(tmp_path / "daftar"))
    assert path == str(tmp_path / "daftar.xlsx")
    ws = load_workbook(path)["Layanan"]
    assert ws.max_row == 3 and {ws.cell(row=r, column=3).value for r in (2, 3)} == {"Siti Rahmah"}
    assert msgbox.shown[-1][:2] == ("info", "Ekspor selesai")
    assert last_export(db) == ("daftar", path, 2)  # UU PDP export log
    page.set_orang(None)
    assert page.model.rowCount() == 3 and not page.person_bar.isVisible()


def test_sorting_by_value_pages_in_sql(qtbot, page, db):
    _three_services(db)
    page.reload()
    page.table.sortByColumn(5, Qt.AscendingOrder)
    assert [page.model.record(r)["nilai"] for r in range(3)] == [100000, 200000, 300000]


def test_model_is_sound(qtmodeltester, page, db):
    _three_services(db)
    page.reload()
    qtmodeltester.check(page.model)


def test_cancel_from_the_list_keeps_the_number(qtbot, page, db):
    _three_services(db)
    page.reload()
    page.table.selectRow(0)
    row = page.selected_rows()[0]
    assert page.cancel_btn.isEnabled()
    msgbox.answers.append("salah penerima")
    qtbot.mouseClick(page.cancel_btn, Qt.LeftButton)
    stored = layanan.get_layanan(db, row["id"])
    assert stored["status"] == "batal" and stored["nomor_kuitansi"] == row["nomor_kuitansi"]
    assert page.model.record(0)["status"] == "batal"
    assert page.model.data(page.model.index(0, 9)) == "Batal"
    assert not page.cancel_btn.isEnabled()
    page.show_batal.setChecked(False)
    assert page.model.rowCount() == 2


def test_printing_without_a_printer_says_so_and_saves_pdf(qtbot, page, db, tmp_path, monkeypatch):
    _three_services(db)
    page.reload()
    page.table.selectRow(0)
    lid = page.selected_rows()[0]["id"]
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, suggested: str(tmp_path / suggested))
    preview = page.preview()
    qtbot.addWidget(preview)
    msgbox.answers.append(True)  # "Simpan kuitansi sebagai PDF sekarang?"
    assert preview.print_receipts() is False
    warning = [m for m in msgbox.shown if m[0] == "warning"][-1]
    assert warning[1] == "Tidak ada printer"
    assert warning[2].startswith("Tidak ada printer yang terpasang di komputer ini")
    saved = tmp_path / "Kuitansi TT-61.71.03.1001-2026-00003.pdf"
    assert saved.exists() and "TT/61.71.03.1001/2026/00003" in pdf_text(saved.read_bytes())
    assert kuitansi.kuitansi_of(db, lid)["jumlah_cetak"] == 1
    assert "SALINAN" in pdf_text(preview.data)  # the preview now shows what a reprint would be


def test_printing_on_a_printer_counts_the_print(qtbot, page, db, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    _three_services(db)
    page.reload()
    page.table.selectRow(0)
    lid = page.selected_rows()[0]["id"]
    out = tmp_path / "printed.pdf"

    def fake_printer():
        p = QPrinter(QPrinter.HighResolution)
        p.setOutputFormat(QPrinter.PdfFormat)
        p.setOutputFileName(str(out))
        p.setResolution(150)
        return p

    monkeypatch.setattr(printing, "available_printers", lambda: ["Printer Kantor"])
    monkeypatch.setattr(printing, "make_printer", fake_printer)
    monkeypatch.setattr(printing, "exec_print_dialog", lambda printer, parent: True)
    page.ukuran.setCurrentIndex(page.ukuran.findData("80mm"))
    preview = page.preview()
    qtbot.addWidget(preview)
    assert preview.ukuran == "80mm"
    assert preview.print_receipts() is True
    assert kuitansi.kuitansi_of(db, lid)["jumlah_cetak"] == 1
    assert last_export(db)[0] == "kuitansi" and last_export(db)[1].startswith("printer: ")
    from pypdf import PdfReader

    box = PdfReader(out).pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 80


def test_receipt_size_setting_is_kept(qtbot, page, db, ctx):
    page.ukuran.setCurrentIndex(page.ukuran.findData("a4"))
    assert kuitansi.ukuran(db) == "a4"
    from desktop.layanan.page import Page

    again = Page(ctx)
    qtbot.addWidget(again)
    assert again.ukuran.currentData() == "a4"


def test_distribution_end_to_end(qtbot, page, db, tmp_path):
    people = orang_banyak(db, 4)
    for p in people[:3]:
        ppks(db, p["id"], kategori="8")
    ppks(db, people[3]["id"], kategori="24")
    dlg = page.distribusi()
    qtbot.addWidget(dlg)
    dlg.resize(1100, 700)
    dlg.show()
    assert dlg.model.rowCount() == 4
    dlg.kategori.setCurrentIndex(dlg.kategori.findData("8"))
    assert dlg.model.rowCount() == 3
    qtbot.mouseClick(dlg.all_btn, Qt.LeftButton)
    assert dlg.count_label.text() == "3 penerima dipilih dari 3 ditampilkan"
    pick_layanan(qtbot, dlg.fields.layanan, "permakanan")
    qtbot.keyClicks(dlg.fields.nilai, "50.000")
    assert dlg.count_label.text() == "3 penerima dipilih dari 3 ditampilkan · total Rp 150.000"
    # Unticking one person through the checkbox.
    dlg.model.item(2, 0).setCheckState(Qt.Unchecked)
    assert len(dlg.selected_ids()) == 2
    dlg.model.item(2, 0).setCheckState(Qt.Checked)
    shot(dlg, "distribusi.png")
    msgbox.answers.append(True)
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    kind, title, text = msgbox.shown[-1]
    assert (kind, title) == ("confirm", "Catat distribusi")
    assert text.startswith("Catat Penyediaan Permakanan untuk 3 penerima pada 10/03/2026, total Rp 150.000?")
    assert dlg.result() == 1
    hasil = dlg.hasil
    assert len(hasil.layanan) == 3 and len({r["distribusi_id"] for r in hasil.layanan}) == 1
    msgbox.answers.append(True)  # save all receipts as one PDF
    op = page.after_distribusi(dlg, path=str(tmp_path / "semua"))
    qtbot.waitUntil(lambda: op.result is not None or op.error is not None, timeout=20000)
    assert op.error is None
    out = tmp_path / "semua.pdf"
    assert out.exists()
    import pypdf

    assert len(pypdf.PdfReader(out).pages) == 3
    assert all(kuitansi.kuitansi_of(db, i)["jumlah_cetak"] == 1 for i in hasil.layanan_ids)
    assert msgbox.shown[-1][:2] == ("info", "Kuitansi tersimpan")
    assert page.model.rowCount() == 3


def test_distribution_names_recipients_that_cannot_get_it(qtbot, page, db):
    people = orang_banyak(db, 2)
    baby = orang(db, nama="Bayi Baru", nik=None, tanggal_lahir="2026-03-09")
    for p in [*people, baby]:
        ppks(db, p["id"], kategori="1")
    dlg = page.distribusi()
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.all_btn, Qt.LeftButton)
    dlg.fields.layanan.set_kode("1.06.04.2.01.0002")
    dlg.fields.tanggal.setText("08/03/2026")
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.problem.text().startswith("1 penerima tidak dapat dicatat")
    assert "Bayi Baru: Tanggal layanan sebelum tanggal lahir Bayi Baru (09/03/2026)" in dlg.problem.text()
    assert dlg.result() == 0 and layanan.hitung_layanan(db) == 0
    qtbot.mouseClick(dlg.none_btn, Qt.LeftButton)
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.problem.text() == "Pilih minimal satu penerima (centang di daftar)."


def test_distribution_of_disaster_aid_lists_the_events_victims(qtbot, page, db):
    a, b = orang_banyak(db, 2)
    ppks(db, a["id"])
    ev = bencana(db)
    korban(db, ev["id"], b["id"])
    dlg = page.distribusi()
    qtbot.addWidget(dlg)
    dlg.fields.layanan.set_kode("1.06.06.2.01.0001")
    assert dlg.model.rowCount() == 0
    dlg.fields.set_bencana(ev["id"])
    assert [dlg.model.item(r, 0).text() for r in range(dlg.model.rowCount())] == ["Lansia 0002"]
    qtbot.mouseClick(dlg.all_btn, Qt.LeftButton)
    msgbox.answers.append(True)
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.result() == 1 and dlg.hasil.layanan[0]["bencana_id"] == ev["id"]
