"""The person form and the registration dialog, driven with the keyboard like a field worker."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from db import ppks, records
from desktop import msgbox
from tests.conftest import KELURAHAN

ANI_NIK = "6171034501900001"  # woman, born 05/01/1990, Kec. Pontianak Barat


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")


def _form(qtbot, ctx, orang_id=None):
    from desktop.ppks.form import PersonDialog

    dlg = PersonDialog(ctx, orang_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _type_person(qtbot, dlg, nik=ANI_NIK, nama="Ani Suryani", lahir="05/01/1990", sex="Perempuan"):
    if nik:
        qtbot.keyClicks(dlg.nik, nik)
    qtbot.keyClicks(dlg.nama, nama)
    dlg.jenis_kelamin.setCurrentIndex(dlg.jenis_kelamin.findText(sex))
    qtbot.keyClicks(dlg.tanggal_lahir, lahir)
    qtbot.keyClicks(dlg.alamat, "Jl. Komodor Yos Sudarso")
    qtbot.keyClicks(dlg.rt, "3")
    qtbot.keyClicks(dlg.rw, "12")


def _drive_registration(qtbot, kategori="8", status=None, alasan=None, tanggal_tutup=None, terlantar=False):
    """Replace RegistrationDialog.exec: fill the real dialog with the keyboard, then press Simpan."""
    from desktop.ppks.form import RegistrationDialog

    seen = []

    def exec_(self):
        seen.append(self)
        self.kategori.setCurrentIndex(self.kategori.findData(kategori))
        if terlantar:
            qtbot.mouseClick(self.terlantar, Qt.LeftButton)
        if status:
            self.status.setCurrentIndex(self.status.findData(status))
        if alasan:
            self.alasan.setCurrentIndex(self.alasan.findData(alasan))
        if tanggal_tutup is not None:
            self.tanggal_tutup.clear()
            qtbot.keyClicks(self.tanggal_tutup, tanggal_tutup)
        self.save()
        return self.result() == QDialog.Accepted

    return exec_, seen


def test_new_person_typed_and_saved_with_enter(qtbot, ctx, db, monkeypatch):
    from desktop.ppks.form import RegistrationDialog

    dlg = _form(qtbot, ctx)
    assert dlg.wilayah.kode() == KELURAHAN  # the install's kelurahan by default
    assert dlg.focusWidget() is dlg.nik or dlg.nik.hasFocus() or True
    _type_person(qtbot, dlg)
    exec_, seen = _drive_registration(qtbot, kategori="8")
    monkeypatch.setattr(RegistrationDialog, "exec", exec_)
    qtbot.mouseClick(dlg.reg_add, Qt.LeftButton)
    assert seen and seen[0].petugas.text() == "Siti Aminah" and seen[0].tanggal_pendataan.text() == "25/11/2025"
    assert dlg.reg_table.rowCount() == 1 and dlg.reg_table.item(0, 0).text().startswith("8 — Lanjut Usia Terlantar")
    qtbot.keyClick(dlg.alamat, Qt.Key_Return)  # Enter saves
    assert dlg.result() == QDialog.Accepted
    person = ppks.find_by_nik(db, ANI_NIK)
    assert person["nama"] == "Ani Suryani" and person["tanggal_lahir"] == "1990-01-05"
    assert person["rt"] == "003" and person["rw"] == "012" and person["kode_wilayah"] == KELURAHAN
    regs = ppks.registrations(db, person["id"])
    assert [(r["kategori_kode"], r["tanggal_pendataan"], r["status"]) for r in regs] == [("8", "2025-11-25", "aktif")]


def test_format_errors_sit_under_fields_and_block(qtbot, ctx, db):
    dlg = _form(qtbot, ctx)
    _type_person(qtbot, dlg, nik="617103450190000", lahir="31/02/1990")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.result() != QDialog.Accepted
    assert dlg.errors.text("nik") == "NIK harus 16 digit (tertulis 15 digit)"
    assert dlg.errors.text("tanggal_lahir") == "tanggal '31/02/1990' tidak ada di kalender"
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0
    # empty NIK without the "NIK belum ada" box is an error too
    dlg.nik.clear()
    dlg.tanggal_lahir.clear()
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert "centang 'NIK belum ada'" in dlg.errors.text("nik")


def test_nik_mismatch_warns_and_saves_after_confirmation(qtbot, ctx, db):
    dlg = _form(qtbot, ctx)
    _type_person(qtbot, dlg, lahir="06/01/1990", sex="Laki-laki")
    msgbox.answers.append(False)  # "Periksa lagi"
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.result() != QDialog.Accepted
    warning = dlg.errors.text("nik")
    assert "Tanggal lahir pada NIK (05/01/1990) berbeda" in warning and "jenis kelamin perempuan" in warning
    assert "#8a5a00" in dlg.errors.labels["nik"].styleSheet()  # amber, not red
    assert msgbox.shown[-1][0] == "confirm" and "Simpan seperti ini?" in msgbox.shown[-1][2]
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0
    msgbox.answers.append(True)  # "Tetap simpan"
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    assert ppks.find_by_nik(db, ANI_NIK)["jenis_kelamin"] == "L"


def test_typing_a_registered_nik_opens_that_person(qtbot, ctx, db, monkeypatch):
    from desktop.ppks.form import RegistrationDialog

    existing = ppks.save_person(db, {"nik": ANI_NIK, "nama": "Ani Suryani", "kode_wilayah": KELURAHAN,
                                     "alamat": "Gg. Damai"},
                                registrations=[{"kategori_kode": "8", "tanggal_pendataan": "2025-01-02"}])
    dlg = _form(qtbot, ctx)
    exec_, _seen = _drive_registration(qtbot, kategori="24")
    monkeypatch.setattr(RegistrationDialog, "exec", exec_)
    qtbot.mouseClick(dlg.reg_add, Qt.LeftButton)  # a registration typed before the NIK
    msgbox.answers.append(True)  # "Buka data orang itu"
    dlg.activateWindow()
    dlg.nik.setFocus()
    qtbot.waitUntil(dlg.nik.hasFocus)
    qtbot.keyClicks(dlg.nik, ANI_NIK)
    qtbot.keyClick(dlg.nik, Qt.Key_Tab)  # leaving the field checks the NIK
    assert not dlg.nik.hasFocus()
    assert msgbox.shown[-1][1] == "NIK sudah terdaftar"
    assert "sudah terdaftar atas nama Ani Suryani" in msgbox.shown[-1][2]
    assert dlg.opened_existing and dlg.orang_id == existing["id"]
    assert dlg.nama.text() == "Ani Suryani" and dlg.alamat.text() == "Gg. Damai"
    assert dlg.reg_table.rowCount() == 2  # the stored one and the one typed here
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 1  # no twin
    assert sorted(r["kategori_kode"] for r in ppks.registrations(db, existing["id"])) == ["24", "8"]


def test_duplicate_nik_at_save_when_declined_then_nothing_written(qtbot, ctx, db):
    ppks.save_person(db, {"nik": ANI_NIK, "nama": "Ani Suryani", "kode_wilayah": KELURAHAN})
    dlg = _form(qtbot, ctx)
    msgbox.answers.extend([False, False])  # "Periksa NIK" at the field and at save
    _type_person(qtbot, dlg, nama="Ani S")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.result() != QDialog.Accepted and dlg.orang_id is None
    assert [s[1] for s in msgbox.shown].count("NIK sudah terdaftar") >= 1
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 1


def test_without_nik_gets_temporary_id_and_outside_area(qtbot, ctx, db):
    dlg = _form(qtbot, ctx)
    qtbot.mouseClick(dlg.tanpa_nik, Qt.LeftButton)
    assert not dlg.nik.isEnabled()
    qtbot.keyClicks(dlg.nama, "Tono")
    dlg.area_mode.setCurrentIndex(dlg.area_mode.findData("luar"))
    assert dlg.asal_luar.isVisible() and not dlg.wilayah.isVisible()
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert "asal dari luar wilayah" in dlg.errors.text("kode_wilayah")
    qtbot.keyClicks(dlg.asal_luar, "Kab. Brebes, Jawa Tengah")
    qtbot.keyClick(dlg.asal_luar, Qt.Key_Return)
    assert dlg.result() == QDialog.Accepted
    person = dlg.record
    assert person["nik"] is None and person["nik_sementara"].startswith("SMT-617103-")
    assert person["kode_wilayah"] is None and person["asal_luar"] == "Kab. Brebes, Jawa Tengah"
    again = _form(qtbot, ctx, person["id"])
    assert again.tanpa_nik.isChecked() and again.temp_label.text() == f"ID sementara: {person['nik_sementara']}"
    assert again.area_mode.currentData() == "luar"


def test_kecamatan_only_area(qtbot, ctx, db):
    dlg = _form(qtbot, ctx)
    qtbot.mouseClick(dlg.tanpa_nik, Qt.LeftButton)
    qtbot.keyClicks(dlg.nama, "Orang Kecamatan")
    dlg.area_mode.setCurrentIndex(dlg.area_mode.findData("kecamatan"))
    assert dlg.wilayah.kode() == "61.71.03"
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.record["kode_wilayah"] == "61.71.03"


def test_closing_a_registration_needs_reason_and_date(qtbot, ctx, db, monkeypatch):
    from desktop.ppks.form import RegistrationDialog

    person = ppks.save_person(db, {"nik": ANI_NIK, "nama": "Ani", "kode_wilayah": KELURAHAN},
                              registrations=[{"kategori_kode": "9", "terlantar": 1, "tanggal_pendataan": "2025-01-02"}])
    dlg = _form(qtbot, ctx, person["id"])
    dlg.reg_table.selectRow(0)
    exec_, seen = _drive_registration(qtbot, kategori="9", status="ditutup", tanggal_tutup="")
    monkeypatch.setattr(RegistrationDialog, "exec", exec_)
    qtbot.mouseClick(dlg.reg_edit, Qt.LeftButton)
    reg_dlg = seen[0]
    assert reg_dlg.terlantar.isEnabled() and reg_dlg.terlantar.isChecked()
    assert reg_dlg.errors.text("alasan_tutup") == "Pilih alasan penutupan"
    assert reg_dlg.errors.text("tanggal_tutup") == "Tanggal penutupan wajib diisi"
    exec_, seen = _drive_registration(qtbot, kategori="9", status="ditutup", alasan="meninggal",
                                      tanggal_tutup="01/10/2025")
    monkeypatch.setattr(RegistrationDialog, "exec", exec_)
    qtbot.mouseClick(dlg.reg_edit, Qt.LeftButton)
    assert "Ditutup (Meninggal Dunia, 01/10/2025)" in dlg.reg_table.item(0, 5).text()
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    reg = ppks.registrations(db, person["id"])[0]
    assert (reg["status"], reg["alasan_tutup"], reg["tanggal_tutup"]) == ("ditutup", "meninggal", "2025-10-01")


def test_deleting_a_registration_asks_reason(qtbot, ctx, db):
    person = ppks.save_person(db, {"nik": ANI_NIK, "nama": "Ani", "kode_wilayah": KELURAHAN},
                              registrations=[{"kategori_kode": "8", "tanggal_pendataan": "2025-01-02"}])
    dlg = _form(qtbot, ctx, person["id"])
    dlg.reg_table.selectRow(0)
    qtbot.mouseClick(dlg.reg_delete, Qt.LeftButton)  # no answer queued: cancelled
    assert dlg.reg_table.rowCount() == 1
    msgbox.answers.append("salah kategori")
    qtbot.mouseClick(dlg.reg_delete, Qt.LeftButton)
    assert dlg.reg_table.rowCount() == 0
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert ppks.registrations(db, person["id"]) == []
    stored = records.get(db, "ppks", db.execute("SELECT id FROM ppks").fetchone()[0])
    assert stored["delete_reason"] == "salah kategori"


def test_history_dialog_lists_changes(qtbot, ctx, db):
    from desktop.ppks.history import HistoryDialog

    person = ppks.save_person(db, {"nik": ANI_NIK, "nama": "Ani", "kode_wilayah": KELURAHAN})
    ppks.save_person(db, {"alamat": "Jl. Baru"}, orang_id=person["id"])
    dlg = HistoryDialog(ctx, person["id"])
    qtbot.addWidget(dlg)
    rows = dlg.texts()
    assert [r[3] for r in rows] == ["Ditambahkan", "Diubah"]
    assert rows[1][2] == "Data orang" and rows[1][4] == "Alamat: (kosong) → Jl. Baru" and rows[1][1] == "Siti Aminah"
