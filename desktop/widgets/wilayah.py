"""Picking a kelurahan/kecamatan by typing its name or code."""
from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from db import reference


class WilayahEdit(QLineEdit):
    """Line edit with a completer over the national list.

    Shows "Pallima — Kec. Pontianak Barat, Kota Pontianak (61.71.03.1001)";
    ``kode()`` returns the chosen code (or the typed text if it is a code).
    ``tingkat`` limits suggestions (4 = kelurahan/desa, 3 = kecamatan, ...);
    ``within`` limits them to codes under a prefix (e.g. the Dinas's kota).
    """

    kodeChanged = Signal(str)

    def __init__(self, db, parent=None, *, tingkat=None, within: str | None = None):
        super().__init__(parent)
        self.db = db
        self.tingkat = tingkat
        self.within = within
        self._kode: str | None = None
        self._labels: dict[str, str] = {}
        self.setPlaceholderText("Ketik nama atau kode wilayah…")
        self.model = QStringListModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[str].connect(self._chosen)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self._refresh)
        self.textEdited.connect(lambda _t: self._timer.start())

    def _refresh(self) -> None:
        text = self.text().strip()
        if len(text) < 2:
            return
        rows = reference.search_wilayah(self.db, text, limit=20, tingkat=self.tingkat, dalam=self.within)
        self._labels = {}
        for r in rows:
            label = wilayah_label(r)
            self._labels[label] = r["kode"]
        self.model.setStringList(list(self._labels))
        self.completer_.complete()

    def _chosen(self, label: str) -> None:
        kode = self._labels.get(label)
        if kode:
            self.set_kode(kode)

    def set_kode(self, kode: str | None) -> None:
        self._kode = kode
        if kode:
            row = decorated(self.db, kode)
            self.setText(wilayah_label(row) if row else kode)
        else:
            self.clear()
        self.kodeChanged.emit(kode or "")

    def kode(self) -> str | None:
        text = self.text().strip()
        if self._kode and text == self._current_label():
            return self._kode
        if text and text.replace(".", "").isdigit():
            return text
        return self._labels.get(text)

    def _current_label(self) -> str:
        row = decorated(self.db, self._kode) if self._kode else None
        return wilayah_label(row) if row else (self._kode or "")


def decorated(db, kode: str) -> dict | None:
    """The area row with its display label, or None if the code is unknown."""
    rows = reference.search_wilayah(db, kode, limit=1)
    return rows[0] if rows and rows[0]["kode"] == kode else None


def wilayah_label(row: dict) -> str:
    """"Pallima — Kec. Pontianak Barat, Kota Pontianak (61.71.03.1001)"."""
    return f"{row.get('label') or row['nama']} ({row['kode']})"
