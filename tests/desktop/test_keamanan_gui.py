"""GUI security: the passphrase prompt, the wizard's passphrase step, the unencrypted warning."""
import os
import subprocess
import sys
import sqlite3

from PySide6.QtCore import Qt

from db import sandi
from db.connection import open_database
from db.install import get_install, init_install
from desktop import msgbox
from tests.conftest import KELURAHAN

SANDI = "Kata-sandi-lapangan-1"


def _encrypted(path):
    database = open_database(path, create=True, passphrase=SANDI)
    init_install(database, kode_wilayah=KELURAHAN, operator_nama="Siti Aminah", peran="PSM")
    database.close()
    sandi.forget_open_keys()  # as if the app started fresh
    return path


def test_passphrase_dialog_retries_then_opens(qtbot, tmp_path, monkeypatch):
    from desktop.keamanan import PassphraseDialog, open_database_gui

    monkeypatch.delenv("KESOS_PASSPHRASE", raising=False)
    path = _encrypted(tmp_path / "rahasia.db")
    dialog = open_database_gui(path, show_only=True)
    assert isinstance(dialog, PassphraseDialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.edit, "salah-sandinya")
    qtbot.keyClick(dialog.edit, Qt.Key_Return)
    assert dialog.db is None and dialog.isVisible()
    assert dialog.error.text() == "Kata sandi salah (percobaan ke-1). Coba lagi."
    assert dialog.edit.text() == ""
    dialog.grab().save("/tmp/helper-keamanan/kata-sandi.png")
    qtbot.keyClicks(dialog.edit, SANDI)
    qtbot.keyClick(dialog.edit, Qt.Key_Return)
    assert dialog.db is not None and get_install(dialog.db).kode_wilayah == KELURAHAN
    dialog.db.close()


def test_forgot_passphrase_explains_the_dinas_procedure(qtbot, tmp_path):
    from desktop.keamanan import PassphraseDialog

    dialog = PassphraseDialog(_encrypted(tmp_path / "rahasia.db"))
    qtbot.addWidget(dialog)
    msgbox.shown.clear()
    qtbot.mouseClick(dialog.forgot, Qt.LeftButton)
    kind, title, text = msgbox.shown[-1]
    assert title == "Lupa kata sandi" and "kesos ganti-sandi --kode-pemulihan" in text and "Dinas" in text
    assert "Pakai kode pemulihan" in text


def test_forgotten_passphrase_recovered_at_the_prompt(qtbot, tmp_path):
    from desktop.keamanan import ChangePassphraseDialog, PassphraseDialog

    path = _encrypted(tmp_path / "rahasia.db")
    opened = open_database(path, passphrase=SANDI)
    code = sandi.recovery_code(sandi.key_info(opened).key)
    opened.close()
    other = sandi.recovery_code(bytes(32))  # well formed, but another database's
    dialog = PassphraseDialog(path)
    qtbot.addWidget(dialog)
    msgbox.shown.clear()
    msgbox.answers.append({"kode": other, "baru": "Sandi-Baru-Pulih-7"})
    assert not dialog.use_recovery_code()
    assert dialog.error.text() == "Kode pemulihan tidak cocok dengan basis data ini." and dialog.db is None
    open_database(path, passphrase=SANDI).close()  # nothing changed
    msgbox.answers.append({"kode": code, "baru": "Sandi-Baru-Pulih-7"})
    assert dialog.use_recovery_code()
    assert get_install(dialog.db).kode_wilayah == KELURAHAN
    new_code = [s[2] for s in msgbox.shown if s[0] == "kode_pemulihan"][-1]
    assert new_code != code
    dialog.db.close()
    open_database(path, passphrase="Sandi-Baru-Pulih-7").close()
    # the dialog the button opens asks only the code (the database cannot be checked yet)
    ask = ChangePassphraseDialog(None, dialog)
    qtbot.addWidget(ask)
    assert ask.forgot.isChecked() and ask.forgot.isHidden() and ask.old_label.text() == "&Kode pemulihan:"


def test_wizard_with_a_passphrase_makes_an_encrypted_database(qtbot, empty_db_path):
    from desktop.setup_wizard import SetupWizard

    database = open_database(empty_db_path)
    wizard = SetupWizard(database)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.wilayah_page.wilayah.set_kode(KELURAHAN)
    wizard.next()
    qtbot.keyClicks(wizard.operator_page.nama, "Siti Aminah")
    wizard.next()
    page = wizard.sandi_page
    assert wizard.currentPage() is page
    assert page.pakai.isChecked()  # the safe choice is the default
    qtbot.keyClicks(page.form.first, "pendek")
    assert not page.validatePage() and "terlalu pendek" in page.form.error.text()
    page.form.first.clear()
    qtbot.keyClicks(page.form.first, "Sandi-Wizard-1")
    qtbot.keyClicks(page.form.second, "Sandi-Wizard-2")
    assert not page.validatePage() and page.form.error.text() == "Kedua kata sandi tidak sama."
    page.form.second.clear()
    qtbot.keyClicks(page.form.second, "Sandi-Wizard-1")
    assert page.validatePage()
    wizard.resize(640, 480)
    wizard.grab().save("/tmp/helper-keamanan/wizard-sandi.png")
    msgbox.shown.clear()
    wizard.accept()
    assert wizard.install is not None
    assert sandi.is_encrypted_db(wizard.db) and sandi.looks_encrypted(empty_db_path)
    assert b"Siti Aminah" not in empty_db_path.read_bytes()
    assert msgbox.shown[-1][0] == "kode_pemulihan"
    code = msgbox.shown[-1][2]
    assert sandi.parse_recovery_code(code) == sandi.key_info(wizard.db).key
    wizard.db.close()


def test_wizard_without_a_passphrase_is_an_explicit_choice(qtbot, empty_db_path):
    from desktop.setup_wizard import SetupWizard

    database = open_database(empty_db_path)
    wizard = SetupWizard(database)
    qtbot.addWidget(wizard)
    wizard.wilayah_page.wilayah.set_kode(KELURAHAN)
    qtbot.keyClicks(wizard.operator_page.nama, "Siti Aminah")
    wizard.accept()
    assert wizard.install is None  # no passphrase typed and no explicit "tanpa": nothing happens
    assert "terlalu pendek" in wizard.sandi_page.form.error.text()
    wizard.sandi_page.tanpa.setChecked(True)
    assert not wizard.sandi_page.form.isEnabled()
    wizard.accept()
    assert wizard.install is not None, wizard.operator_page.error.text()
    assert not sandi.is_encrypted_db(wizard.db)
    database.close()


def test_unencrypted_database_warns_at_every_start(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.keamanan import install_security
    from desktop.main_window import MainWindow

    win = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(win)
    win.show()
    lock = install_security(win, win.ctx)
    assert win.security_banner.isVisible()
    assert "TIDAK terenkripsi" in win.security_banner.label.text()
    qtbot.waitUntil(lambda: bool(list((db_path.parent / "cadangan").glob("kesos-*.db"))), timeout=20_000)
    win.grab().save("/tmp/helper-keamanan/peringatan-tanpa-sandi.png")
    lock.close()


def test_encrypted_database_has_no_warning(qtbot, tmp_path, monkeypatch):
    from desktop.context import AppContext
    from desktop.keamanan import install_security
    from desktop.main_window import MainWindow

    path = _encrypted(tmp_path / "rahasia.db")
    database = open_database(path, passphrase=SANDI)
    win = MainWindow(AppContext(database, path))
    qtbot.addWidget(win)
    lock = install_security(win, win.ctx)
    assert not hasattr(win, "security_banner")
    qtbot.waitUntil(lambda: bool(list((tmp_path / "cadangan").glob("rahasia-*.db"))), timeout=20_000)
    backups = list((tmp_path / "cadangan").glob("rahasia-*.db"))
    assert backups and sandi.looks_encrypted(backups[0])
    lock.close()
    database.close()


def test_app_start_on_an_encrypted_database_shows_the_prompt(tmp_path):
    path = _encrypted(tmp_path / "rahasia.db")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KESOS_DATA_DIR=str(tmp_path / "data"))
    env.pop("KESOS_PASSPHRASE", None)
    proc = subprocess.run([sys.executable, "-m", "desktop.app", "--db", str(path), "--exit-when-shown"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_closing_after_changes_refreshes_todays_backup_in_the_background(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.keamanan import install_security
    from desktop.main_window import MainWindow

    win = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(win)
    win.show()
    lock = install_security(win, win.ctx)
    folder = db_path.parent / "cadangan"
    qtbot.waitUntil(lambda: bool(list(folder.glob("kesos-*.db"))), timeout=20_000)  # the start's backup
    (backup,) = list(folder.glob("kesos-*.db"))
    # a session that only looked closes at once, today's backup untouched
    assert win.close_guard.may_close()
    db.execute("INSERT INTO pengaturan VALUES ('penanda', 'setelah cadangan pagi')")
    db.conn.commit()
    win.ctx.changed("pengaturan")
    assert win.close() is False  # refused for now: the backup runs first
    assert win.isVisible() and win.close_guard.op is not None
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=20_000)  # closed by itself when done
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT value FROM pengaturan WHERE key = 'penanda'").fetchone()[0] == "setelah cadangan pagi"
    copy.close()
    lock.close()
