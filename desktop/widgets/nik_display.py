"""A NIK shown masked (``617103********01``) with a "tampilkan" action (issue 10, UU 27/2022 PDP).

Screens that do not need the full number show it masked. "Tampilkan" reveals
it for ``REVEAL_SECONDS`` and writes an audit row ``lihat_nik`` (who, when,
which record): looking is logged, like changing. Table models use
``masked_nik`` for their NIK columns and ``reveal_nik`` from a row action.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from db.ekspor_log import catat_lihat_nik
from db.nik import mask_nik

REVEAL_SECONDS = 20


def masked_nik(nik: str | None) -> str:
    """The text a table cell shows for a NIK."""
    return mask_nik(nik) if nik else "-"


def reveal_nik(db, tabel: str, record_id: str, nik: str | None) -> str:
    """The full NIK, after logging who looked at it."""
    if nik:
        catat_lihat_nik(db, tabel, record_id)
    return nik or "-"


class NikDisplay(QWidget):
    """Masked NIK label + a "tampilkan" button; ``set_nik(nik, tabel, record_id)``."""

    revealed = Signal(str)

    def __init__(self, db, parent=None, *, seconds: int = REVEAL_SECONDS):
        super().__init__(parent)
        self.db = db
        self.seconds = seconds
        self._nik: str | None = None
        self._tabel = "orang"
        self._record_id: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("-")
        self.label.setObjectName("nik")
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.button = QToolButton()
        self.button.setText("tampilkan")
        self.button.setToolTip("Tampilkan NIK lengkap sebentar (tercatat di jejak audit)")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.reveal)
        row.addWidget(self.label)
        row.addWidget(self.button)
        row.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide_again)

    def set_nik(self, nik: str | None, tabel: str = "orang", record_id: str | None = None) -> None:
        self._nik, self._tabel, self._record_id = nik, tabel, record_id
        self.timer.stop()
        self.label.setText(masked_nik(nik))
        self.button.setVisible(bool(nik))
        self.button.setEnabled(True)

    def text(self) -> str:
        return self.label.text()

    def is_revealed(self) -> bool:
        return self.timer.isActive()

    def reveal(self) -> None:
        if not self._nik:
            return
        reveal_nik(self.db, self._tabel, self._record_id or "-", self._nik)
        self.label.setText(self._nik)
        self.button.setEnabled(False)
        self.timer.start(self.seconds * 1000)
        self.revealed.emit(self._nik)

    def hide_again(self) -> None:
        self.timer.stop()
        self.label.setText(masked_nik(self._nik))
        self.button.setEnabled(True)
