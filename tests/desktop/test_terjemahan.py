"""Qt's own dialogs speak Indonesian: the compiled translation is current and used."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QWizard

from desktop.terjemahan import QM_PATH, install_qt_indonesian


def _lrelease() -> str | None:
    found = Path(sys.executable).parent / "pyside6-lrelease"
    return str(found) if found.exists() else shutil.which("pyside6-lrelease")


def test_compiled_translation_is_current(tmp_path):
    tool = _lrelease()
    if tool is None:
        pytest.skip("pyside6-lrelease not installed")
    subprocess.run([tool, "-silent", str(QM_PATH.with_suffix(".ts")), "-qm", str(tmp_path / "qt_id.qm")], check=True)
    assert (tmp_path / "qt_id.qm").read_bytes() == QM_PATH.read_bytes(), \
        "run: pyside6-lrelease resources/i18n/qt_id.ts -qm resources/i18n/qt_id.qm"


def test_standard_buttons_wizard_and_menus_in_indonesian(qtbot):
    app = QApplication.instance()
    translator = install_qt_indonesian(app)
    assert translator is not None
    try:
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Save)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.Cancel).text() == "Batal"
        assert box.button(QDialogButtonBox.Save).text() == "Simpan"
        wizard = QWizard()
        qtbot.addWidget(wizard)
        assert wizard.buttonText(QWizard.NextButton) == "&Lanjut >"
        edit = QLineEdit("teks")
        qtbot.addWidget(edit)
        menu = edit.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
        assert "&Salin" in texts and "&Tempel" in texts and "Pilih Semua" in texts
        assert QCoreApplication.translate("QPrintDialog", "Print") == "Cetak"
        assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Nama berkas:"
    finally:
        app.removeTranslator(translator)
