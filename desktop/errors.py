"""Unexpected errors (bugs): logged with a traceback, shown with "Salin rincian".

Known errors from the world (db.errors.KnownError) are shown as their short
Indonesian message only. Logs never contain NIKs: the traceback's text is
scrubbed of 16-digit runs before it is written or shown.
"""
from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import traceback

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from db.errors import KnownError
from db.paths import log_dir
from desktop import msgbox

log = logging.getLogger("kesos")
_DIGITS16 = re.compile(r"\d{16}")


def scrub(text: str) -> str:
    return _DIGITS16.sub("****************", text)


def setup_logging() -> None:
    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(directory / "kesos.log", maxBytes=1_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class BugDialog(QDialog):
    def __init__(self, details: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Terjadi kesalahan")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Maaf, terjadi kesalahan yang tidak terduga. Data yang sudah disimpan tetap aman.\n"
            "Salin rincian di bawah dan kirimkan kepada petugas TI Dinas Sosial."))
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        copy = buttons.addButton("Salin rincian", QDialogButtonBox.ActionRole)
        close = buttons.addButton("Tutup", QDialogButtonBox.AcceptRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.text.toPlainText()))
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 400)


def report_exception(exc_type, exc, tb, parent=None) -> None:
    if isinstance(exc, KnownError):
        msgbox.error(parent, "Tidak dapat dilanjutkan", exc.pesan)
        return
    details = scrub("".join(traceback.format_exception(exc_type, exc, tb)))
    log.error("Kesalahan tak terduga:\n%s", details)
    msgbox.shown.append(("bug", "Terjadi kesalahan", details))
    if msgbox.unattended():
        return
    BugDialog(details, parent).exec()


def install_excepthook() -> None:
    def hook(exc_type, exc, tb):
        report_exception(exc_type, exc, tb, QApplication.activeWindow())

    sys.excepthook = hook
