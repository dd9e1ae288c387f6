"""NIK never in logs or crash reports; faults become messages; the NIK display widget; the export log."""
import errno
import logging

import pytest
from PySide6.QtCore import Qt

from db.ekspor_log import catat_ekspor, daftar_ekspor
from desktop import msgbox
from desktop.errors import ScrubFilter, report_exception, scrub

NIK = "6171034501900002"


@pytest.mark.parametrize("text", [
    f"NIK {NIK} salah",
    "NIK 6171 0345 0190 0002 salah",
    "NIK 617103.450190.0002 salah",
    "NIK 6171-0345-0190-0002 salah",
    "No KK 617103450190002 (15 digit)",
    "17 digit 61710345019000021",
    "di dalam angka panjang 99617103450190000299",
    "Excel: 6.17103450190000E+15",
])
def test_scrub_removes_every_form_of_a_nik(text):
    out = scrub(text)
    digits = "".join(ch for ch in out if ch.isdigit())
    assert "617103" not in digits and "0190" not in out
    assert "salah" in out or "digit" in out or "Excel" in out or "angka" in out


@pytest.mark.parametrize("text", ["tanggal 2026-11-22 15:44:12", "telepon 0812-3456-7890", "id 01KA2B3C4D5E6F7G8H9J0K1M2N",
                                  "nilai Rp 1.800.000"])
def test_scrub_keeps_ordinary_numbers(text):
    assert scrub(text) == text


def test_log_records_are_scrubbed(tmp_path):
    logger = logging.getLogger("kesos.uji_scrub")
    handler = logging.FileHandler(tmp_path / "kesos.log", encoding="utf-8")
    handler.addFilter(ScrubFilter())
    logger.addHandler(handler)
    try:
        logger.warning("impor baris dengan NIK %s gagal", NIK)
        try:
            raise ValueError(f"NIK {NIK} tidak sah")
        except ValueError:
            logger.exception("kesalahan")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = (tmp_path / "kesos.log").read_text(encoding="utf-8")
    assert NIK not in text and "impor baris dengan NIK" in text and "ValueError" in text


def test_crash_report_has_no_nik(qtbot):
    msgbox.shown.clear()
    try:
        raise RuntimeError(f"gagal menyimpan {NIK}")
    except RuntimeError as exc:
        report_exception(type(exc), exc, exc.__traceback__)
    kind, title, details = msgbox.shown[-1]
    assert kind == "bug" and NIK not in details and "RuntimeError" in details


def test_disk_full_in_the_gui_is_a_message_not_a_bug(qtbot):
    msgbox.shown.clear()
    exc = OSError(errno.ENOSPC, "No space left on device", "/media/usb/daftar.xlsx")
    report_exception(OSError, exc, None)
    kind, title, text = msgbox.shown[-1]
    assert kind == "error" and text.startswith("Disk penuh")


def test_nik_display_masks_reveals_for_a_while_and_logs(qtbot, db):
    from db import records
    from desktop.widgets.nik_display import NikDisplay

    person = records.insert(db, "orang", {"nama": "Rahmawati", "nik": NIK, "kode_wilayah": "61.71.03.1001"})
    widget = NikDisplay(db, seconds=1)
    qtbot.addWidget(widget)
    widget.set_nik(NIK, "orang", person["id"])
    assert widget.text() == "617103********02"
    qtbot.mouseClick(widget.button, Qt.LeftButton)
    assert widget.text() == NIK and widget.is_revealed()
    rows = db.execute("SELECT operator, tabel, record_id FROM audit WHERE aksi = 'lihat_nik'").fetchall()
    assert rows == [("Siti Aminah", "orang", person["id"])]
    qtbot.waitUntil(lambda: widget.text() == "617103********02", timeout=3000)
    widget.set_nik(None)
    assert widget.text() == "-" and widget.button.isHidden()


def test_export_log(db):
    catat_ekspor(db, "daftar", "/tmp/daftar-ppks.xlsx", 812)
    [row] = daftar_ekspor(db)
    assert (row["jenis"], row["berkas"], row["jumlah"], row["operator"]) == ("daftar", "/tmp/daftar-ppks.xlsx", 812,
                                                                            "Siti Aminah")
    assert row["waktu"]


def test_psks_detail_shows_the_nik_masked(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.psks.detail import PsksDetailDialog
    from desktop.widgets.nik_display import NikDisplay
    from tests.db.psks_data import make_psks, nik

    row = make_psks(db, "TKSK", 7)
    dlg = PsksDetailDialog(AppContext(db, db_path), row["id"])
    qtbot.addWidget(dlg)
    [widget] = dlg.findChildren(NikDisplay)
    assert widget.text() == nik(7)[:6] + "********" + nik(7)[-2:]
    assert nik(7) not in [lbl.text() for lbl in dlg.findChildren(type(widget.label))]
    qtbot.mouseClick(widget.button, Qt.LeftButton)
    assert widget.text() == nik(7)
    assert db.execute("SELECT tabel, record_id FROM audit WHERE aksi = 'lihat_nik'").fetchall() == [("psks", row["id"])]


def test_ppks_list_shows_the_nik_masked(qtbot, db, db_path, monkeypatch):
    from db import ppks
    from desktop.context import AppContext
    from desktop.ppks.page import Page

    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")
    ppks.save_person(db, {"nama": "Ani Suryani", "nik": "6171034501900001", "kode_wilayah": "61.71.03.1001"},
                     registrations=[{"kategori_kode": "8", "tanggal_pendataan": "2025-02-01"}], confirm_warnings=True)
    page = Page(AppContext(db, db_path))
    qtbot.addWidget(page)
    page.model.reload() if hasattr(page.model, "reload") else None
    col = [c.key for c in page.model.columns].index("nik")
    shown = [page.model.index(r, col).data() for r in range(page.model.rowCount())]
    assert shown == ["617103********01"]
