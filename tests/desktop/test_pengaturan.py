"""Pengaturan: receipt size, lock timeout and PIN, Dinas key, backups list and verified restore."""
import shutil

import pytest
from PySide6.QtCore import Qt

from db import cadangan, kunci, kunci_layar, sandi
from db.connection import open_database
from db.install import get_setting, set_setting
from desktop import msgbox


@pytest.fixture
def page(qtbot, db, db_path, monkeypatch):
    from desktop.context import AppContext
    from desktop.pengaturan.page import Page

    for day in ("2026-03-01", "2026-03-02"):
        monkeypatch.setenv("KESOS_TODAY", day)
        cadangan.auto_backup(db, db_path)
    widget = Page(AppContext(db, db_path))
    qtbot.addWidget(widget)
    widget.resize(900, 1100)
    widget.show()
    return widget


def test_settings_are_saved(qtbot, page, db):
    from db import kuitansi

    page.receipt_size.setCurrentIndex(page.receipt_size.findData("80mm"))
    assert kuitansi.ukuran(db) == "80mm"
    page.lock_minutes.setValue(25)
    assert kunci_layar.lock_minutes(db) == 25
    page.keep.setValue(3)
    assert cadangan.keep_count(db) == 3
    qtbot.keyClicks(page.pin, "12")
    qtbot.mouseClick(page.pin_save, Qt.LeftButton)
    assert msgbox.shown[-1][:2] == ("warning", "PIN tidak disimpan") and not kunci_layar.has_pin(db)
    page.pin.clear()
    qtbot.keyClicks(page.pin, "2468")
    qtbot.mouseClick(page.pin_save, Qt.LeftButton)
    assert kunci_layar.check_pin(db, "2468")
    assert page.lock_status.text() == "Kunci layar dibuka dengan PIN."


def test_plain_database_shows_the_warning_and_backups(page):
    assert "TIDAK terenkripsi" in page.encryption_status.text()
    assert page.encrypt_button.isVisible()
    assert page.backups.rowCount() == 2
    assert page.backups.item(0, 0).text() == "2 Maret 2026"
    assert "belum diimpor" in page.key_status.text()
    page.grab().save("/tmp/helper-keamanan/pengaturan.png")


def test_restore_verifies_confirms_and_replaces(qtbot, page, db, db_path, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2026-03-03")
    set_setting(db, "penanda", "sesudah-cadangan")
    page.backups.selectRow(1)  # 1 March
    msgbox.answers.append(False)  # "Batal" at the confirmation
    assert not page.restore_selected()
    assert msgbox.shown[-1][0] == "confirm" and "sudah diperiksa dan utuh" in msgbox.shown[-1][2]
    msgbox.answers.append(True)
    assert page.restore_selected()
    reopened = open_database(db_path)
    assert get_setting(reopened, "penanda") is None
    reopened.close()
    # the state before the restore was kept as today's backup
    assert (db_path.parent / "cadangan" / "kesos-2026-03-03.db").exists()


def test_a_damaged_backup_is_refused_before_anything_changes(qtbot, page, db, db_path):
    backup = cadangan.list_backups(db_path)[0].path
    data = bytearray(backup.read_bytes())
    data[5000:9000] = b"\x00" * 4000
    backup.write_bytes(bytes(data))
    page._refresh_backups()
    page.backups.selectRow(0)
    assert not page.restore_selected()
    assert msgbox.shown[-1][:2] == ("error", "Cadangan tidak dapat dipakai")
    assert db.execute("SELECT count(*) FROM install").fetchone()[0] == 1  # still open and untouched


def test_import_dinas_key_from_the_page(qtbot, page, db, dinas_db, tmp_path):
    key_file = tmp_path / "kunci.json"
    kunci.export_dinas_key(dinas_db, key_file)
    page.import_key(key_file)
    assert msgbox.shown[-1][:2] == ("info", "Kunci Dinas")
    assert kunci.fingerprint(kunci.own_dinas_public_bytes(dinas_db)) in page.key_status.text()


def test_encrypt_from_the_page(qtbot, page, db_path):
    msgbox.answers.append("Sandi-Dari-GUI-1")
    assert page.start_encrypt()
    assert sandi.looks_encrypted(db_path)
    kinds = [s[0] for s in msgbox.shown]
    assert "kode_pemulihan" in kinds
    backups = list((db_path.parent / "cadangan").glob("*.db"))
    assert backups and all(sandi.looks_encrypted(b) for b in backups)  # the plain backups are gone
    database = open_database(db_path, passphrase="Sandi-Dari-GUI-1")
    database.close()


def test_encrypted_database_page(qtbot, tmp_path, _template_db):
    from desktop.context import AppContext
    from desktop.pengaturan.page import Page
    from db.install import init_install

    path = tmp_path / "e.db"
    shutil.copyfile(_template_db, path)
    sandi.encrypt_database(path, "Sandi-Halaman-1")
    database = open_database(path, passphrase="Sandi-Halaman-1")
    init_install(database, kode_wilayah="61.71.03.1001", operator_nama="Siti", peran="PSM")
    widget = Page(AppContext(database, path))
    qtbot.addWidget(widget)
    assert "terenkripsi" in widget.encryption_status.text() and widget.encrypt_button.isHidden()
    assert "kata sandi basis data" in widget.lock_status.text()
    database.close()


def _encrypted_page(qtbot, tmp_path, template, passphrase):
    from db.install import init_install
    from desktop.context import AppContext
    from desktop.pengaturan.page import Page

    path = tmp_path / "e.db"
    shutil.copyfile(template, path)
    sandi.encrypt_database(path, passphrase)
    database = open_database(path, passphrase=passphrase)
    init_install(database, kode_wilayah="61.71.03.1001", operator_nama="Siti", peran="PSM")
    widget = Page(AppContext(database, path))
    qtbot.addWidget(widget)
    return widget, path, database


def test_change_passphrase_from_the_page(qtbot, tmp_path, _template_db):
    widget, path, database = _encrypted_page(qtbot, tmp_path, _template_db, "Sandi-Lama-Sekali-1")
    assert not widget.change_button.isHidden()
    old_code = sandi.recovery_code(sandi.key_info(database).key)
    msgbox.answers.append({"lama": "salah-sandi-lama", "baru": "Sandi-Baru-Sekali-2"})
    assert not widget.change_passphrase()  # wrong old passphrase: nothing happens
    assert msgbox.shown[-1][:2] == ("error", "Kata sandi tidak diganti") and "salah" in msgbox.shown[-1][2]
    msgbox.answers.append({"lama": "Sandi-Lama-Sekali-1", "baru": "Sandi-Baru-Sekali-2"})
    assert widget.change_passphrase()
    codes = [s[2] for s in msgbox.shown if s[0] == "kode_pemulihan"]
    assert codes and codes[-1] != old_code  # a new recovery code; the old one no longer opens it
    with pytest.raises(sandi.WrongPassphrase):
        open_database(path, passphrase="Sandi-Lama-Sekali-1")
    reopened = open_database(path, passphrase="Sandi-Baru-Sekali-2")
    assert reopened.execute("SELECT operator_nama FROM install").fetchone()[0] == "Siti"
    reopened.close()


def test_forgotten_passphrase_changed_with_the_recovery_code(qtbot, tmp_path, _template_db):
    widget, path, database = _encrypted_page(qtbot, tmp_path, _template_db, "Sandi-Terlupa-Sekali-1")
    code = sandi.recovery_code(sandi.key_info(database).key)
    msgbox.answers.append({"kode": "AAAA-BBBB", "baru": "Sandi-Baru-Sekali-3"})
    assert not widget.change_passphrase()  # a malformed code is refused before anything changes
    msgbox.answers.append({"kode": code.lower(), "baru": "Sandi-Baru-Sekali-3"})
    assert widget.change_passphrase()
    open_database(path, passphrase="Sandi-Baru-Sekali-3").close()


def test_change_passphrase_dialog_checks_the_old_secret(qtbot, tmp_path, _template_db):
    from desktop.keamanan import ChangePassphraseDialog

    widget, path, database = _encrypted_page(qtbot, tmp_path, _template_db, "Sandi-Dialog-Sekali-1")
    dialog = ChangePassphraseDialog(database, widget)
    qtbot.addWidget(dialog)
    dialog.old.setText("keliru")
    dialog.form.first.setText("Sandi-Baru-Dialog-9")
    dialog.form.second.setText("Sandi-Baru-Dialog-9")
    dialog.accept()
    assert dialog.result() == 0 and dialog.error.text() == "Kata sandi lama salah."
    dialog.forgot.setChecked(True)
    assert dialog.old_label.text() == "&Kode pemulihan:" and dialog.old.text() == ""
    dialog.old.setText(sandi.recovery_code(sandi.key_info(database).key))
    dialog.form.first.setText("Sandi-Baru-Dialog-9")
    dialog.form.second.setText("Sandi-Baru-Dialog-9")
    dialog.show()
    dialog.grab().save(str(tmp_path / "ganti-sandi.png"))
    dialog.accept()
    assert dialog.value["baru"] == "Sandi-Baru-Dialog-9" and dialog.value["kode"]
    database.close()
