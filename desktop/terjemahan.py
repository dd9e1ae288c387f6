"""Qt's own dialogs in Bahasa Indonesia (file and print dialogs, standard and wizard buttons, text menus).

Qt ships no Indonesian translation, so the strings of its dialogs that this
app shows are translated in ``resources/i18n/qt_id.ts`` and compiled to
``qt_id.qm`` (a test checks the compiled file is current). Installed once on
the QApplication at start; the app's own texts are written in Indonesian.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTranslator

QM_PATH = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "qt_id.qm"


def install_qt_indonesian(app) -> QTranslator | None:
    """Load and install the translator; None (English dialogs, nothing else lost) if the file is missing."""
    translator = QTranslator(app)
    if not translator.load(str(QM_PATH)):
        return None
    app.installTranslator(translator)
    return translator
