"""A person's history: every change to them and their registrations (the audit trail)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from db import ppks, records
from db.indonesian import tanggal


class HistoryDialog(QDialog):
    COLUMNS = ("Waktu", "Operator", "Data", "Perubahan", "Rincian")

    def __init__(self, ctx, orang_id: str, parent=None):
        super().__init__(parent)
        person = records.get(ctx.db, "orang", orang_id)
        self.setWindowTitle(self.tr("Riwayat: %1").replace("%1", person["nama"] if person else orang_id))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        self.entries = ppks.person_history(ctx.db, orang_id)
        intro = QLabel(self.tr("Semua perubahan data orang ini dan registrasinya, yang terlama di atas."))
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.entries), len(self.COLUMNS))
        self.table.setObjectName("riwayat")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        for r, e in enumerate(self.entries):
            waktu = f"{tanggal(e['waktu'][:10])} {e['waktu'][11:16]}"
            for c, text in enumerate((waktu, e["operator"] or "", e["objek"], e["aksi_label"], e["rincian"])):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        box = QDialogButtonBox(QDialogButtonBox.Close)
        box.button(QDialogButtonBox.Close).setText(self.tr("&Tutup"))
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def texts(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]
