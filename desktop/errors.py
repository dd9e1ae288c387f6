"""Unexpected errors (bugs): logged with a traceback, shown with "Salin rincian".

Known errors from the world (db.errors.KnownError) are shown as their short
Indonesian message only. Logs never contain NIKs: the traceback's text is
scrubbed of 16-digit runs before it is written or shown.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import traceback

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from db.errors import KnownError
from db.paths import log_dir
from desktop import msgbox

log = logging.getLogger("kesos")
# A NIK/No KK in any form: 15 or more digits, possibly split by single spaces, dots
# or dashes ("6171 0345 0190 0001", "617103.450190.0001", a NIK inside a longer
# run); a number Excel turned into a float ("6.17103450190000E+15") too.
_NIK_LIKE = re.compile(r"\d(?:[ .\-]?\d){14,}")
_NIK_FLOAT = re.compile(r"\b\d\.\d{5,16}[eE]\+1[4-6]\b")


def scrub(text: str) -> str:
    """Logs and crash reports never contain a NIK (issue 10)."""
    text = _NIK_FLOAT.sub("[NIK]", text)
    return _NIK_LIKE.sub("****************", text)


class ScrubFilter(logging.Filter):
    """Scrubs every log record (message, arguments, traceback) before it reaches the file."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


def rotate_log(path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS) -> None:
    """kesos.log -> kesos.log.1 -> ... -> kesos.log.<backups> when it has grown past ``max_bytes``.

    Done once at start rather than by logging.handlers' RotatingFileHandler while
    writing: that module (sockets, pickle, queues) cost ~10 ms of every start, and
    one session writes far less than a megabyte of log.
    """
    try:
        if os.path.getsize(path) < max_bytes:
            return
    except OSError:
        return  # no log yet
    for n in range(backups - 1, 0, -1):
        older = f"{path}.{n}"
        if os.path.exists(older):
            os.replace(older, f"{path}.{n + 1}")
    os.replace(path, f"{path}.1")


def setup_logging() -> None:
    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "kesos.log"
    rotate_log(path)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ScrubFilter())
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
    if not isinstance(exc, KnownError):
        from db.gangguan import known_error

        exc = known_error(exc) or exc  # disk full, read-only folder: a message, not a bug report
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
