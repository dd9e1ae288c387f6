"""Beranda (home): the install's area, operator and record counts."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from db.indonesian import angka
from db.install import record_counts
from db.reference import wilayah_path

COUNT_LABELS = [
    ("orang", "Orang terdaftar"),
    ("ppks", "Registrasi PPKS"),
    ("layanan", "Layanan"),
    ("bencana", "Kejadian bencana"),
    ("korban", "Korban bencana"),
    ("psks", "PSKS"),
    ("kegiatan", "Kegiatan PSKS"),
]


class Page(QWidget):
    TITLE = "Beranda"

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        grid = QGridLayout()
        self.count_labels = {}
        for i, (key, text) in enumerate(COUNT_LABELS):
            card = QFrame()
            card.setProperty("role", "card")
            box = QVBoxLayout(card)
            value = QLabel("0")
            value.setStyleSheet("font-size: 26px; font-weight: 600; color: #1f4e79;")
            value.setObjectName(f"count_{key}")
            box.addWidget(value)
            box.addWidget(QLabel(text))
            self.count_labels[key] = value
            grid.addWidget(card, i // 4, i % 4)
        layout.addLayout(grid)
        layout.addStretch(1)
        ctx.data_changed.connect(lambda _kind: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        inst = self.ctx.install
        path = wilayah_path(self.ctx.db, inst.kode_wilayah)
        names = " · ".join(p["nama"] for p in reversed(path)) if path else inst.kode_wilayah
        self.title.setText(path[-1]["nama"] if path else inst.kode_wilayah)
        self.subtitle.setText(
            f"{names}\nKode wilayah {inst.kode_wilayah} · Operator: {inst.operator_nama} ({inst.peran})"
        )
        for key, n in record_counts(self.ctx.db).items():
            if key in self.count_labels:
                self.count_labels[key].setText(angka(n))

    def on_shown(self) -> None:
        self.refresh()
