"""The first-run wizard and the main window, driven like a user would."""
from PySide6.QtCore import Qt

from db.install import get_install
from tests.conftest import KELURAHAN


def test_wizard_creates_install_from_typed_area(qtbot, empty_db_path):
    from db.connection import open_database
    from desktop.setup_wizard import SetupWizard

    database = open_database(empty_db_path)
    wizard = SetupWizard(database)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.peran_page.buttons["PSM"].isChecked()
    wizard.next()
    edit = wizard.wilayah_page.wilayah
    qtbot.keyClicks(edit, "pallima")
    edit._refresh()  # the debounce timer would do this 120 ms later
    labels = edit.model.stringList()
    assert labels and labels[0].startswith("Pallima — Kec. Pontianak Barat, Kota Pontianak")
    edit.completer_.activated[str].emit(labels[0])
    assert edit.kode() == KELURAHAN
    wizard.next()
    assert wizard.currentPage() is wizard.operator_page
    op = wizard.operator_page
    qtbot.keyClicks(op.nik, "12345")
    wizard.accept()  # Selesai
    assert "Nama operator" in op.error.text() or get_install(database) is None
    qtbot.keyClicks(op.nama, "Siti Aminah")
    assert not op.validatePage()  # NIK with 5 digits blocks
    assert "16 digit" in op.error.text()
    op.nik.clear()
    qtbot.keyClicks(op.lurah, "Budi Santoso")
    assert op.validatePage()
    wizard.sandi_page.tanpa.setChecked(True)  # issue 10: the passphrase page (tests/desktop/test_keamanan_gui.py)
    wizard.accept()
    inst = get_install(database)
    assert inst.kode_wilayah == KELURAHAN and inst.operator_nama == "Siti Aminah" and inst.lurah_nama == "Budi Santoso"
    database.close()


def test_wizard_refuses_unknown_area(qtbot, empty_db_path):
    from db.connection import open_database
    from desktop.setup_wizard import SetupWizard

    database = open_database(empty_db_path)
    wizard = SetupWizard(database)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.keyClicks(wizard.wilayah_page.wilayah, "61.71.03.1099")
    assert not wizard.wilayah_page.validatePage()
    assert "tidak dikenal" in wizard.wilayah_page.error.text()
    assert wizard.currentPage() is wizard.wilayah_page
    database.close()


def test_main_window_shows_area_and_counts(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    window = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(window)
    window.show()
    assert "Pallima" in window.windowTitle()
    home = window.pages["beranda"]
    assert home.title.text() == "Pallima"
    assert "Kota Pontianak" in home.subtitle.text()
    assert home.count_labels["orang"].text() == "0"
    db.execute("INSERT INTO orang (id, nama, created_at, updated_at, install_id) VALUES ('x', 'A', '', '', 'i')")
    db.conn.commit()
    window.ctx.changed("orang")
    assert home.count_labels["orang"].text() == "1"
    assert window.nav.item(0).text() == "Beranda"


def test_backup_from_the_menu_is_a_verified_copy_and_logged(qtbot, db, db_path, tmp_path, monkeypatch):
    import sqlite3

    from PySide6.QtWidgets import QFileDialog

    from desktop.context import AppContext
    from desktop.main_window import MainWindow
    from tests.desktop import last_export

    window = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(window)
    target = tmp_path / "salinan.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.make_backup()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT kode_wilayah FROM install").fetchone()[0] == "61.71.03.1001"
    copy.close()
    assert last_export(db) == ("cadangan", str(target), None)  # UU PDP: a copy of everything left the app
