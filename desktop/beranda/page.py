"""Beranda (home): the area, record counts, and the dashboard.

Dashboard (computed by db/indikator.py, the same numbers as the recap):
indicator cards for the running month and year-to-date (numerator and
denominator in the tooltip), services per month for the last 12 months as a
bar chart, PPKS per category, and "Yang perlu dikerjakan" (disaster victims
not yet served in the emergency window, registrations without a service for
90 days, an earlier month not yet closed).

Field installs refresh the dashboard after every change (a kelurahan takes a
few tens of milliseconds). A Dinas database is a whole kota: its dashboard is
computed when the page is first shown and with "Perbarui", not after every import.

At app start the header and counts are read through the plain connection and
painted first; the dashboard (which needs the indicator engine) follows once the
window is on screen (``AppContext.start_finished``).
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QTableView,
    QVBoxLayout, QWidget,
)

from typing import TYPE_CHECKING

from db.clock import today
from db.indonesian import angka, nama_bulan, persen
from db.install import record_counts
from db.reference import wilayah_path
from desktop.widgets.bar_chart import BarChart
from desktop.widgets.record_table import RecordTableModel, TableColumn

if TYPE_CHECKING:
    from db import indikator as ik

COUNT_LABELS = [
    ("orang", "Orang terdaftar"),
    ("ppks", "Registrasi PPKS"),
    ("layanan", "Layanan"),
    ("bencana", "Kejadian bencana"),
    ("korban", "Korban bencana"),
    ("psks", "PSKS"),
    ("kegiatan", "Kegiatan PSKS"),
]


def judul_kartu(db, hasil: ik.Hasil) -> str:
    """A short card title: 'SPM Lanjut usia terlantar', 'PPKS yang tertangani'."""
    from db import reference

    for g in reference.spm_kelompok(db):
        if g["indikator"] == hasil.id:
            return f"SPM {g['nama'].split(' (')[0]}"
    nama = hasil.nama
    if nama.lower().startswith("persentase "):
        nama = nama[len("persentase "):]
    return nama[:1].upper() + nama[1:]


class IndicatorCard(QFrame):
    def __init__(self, ident: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"indikator_{ident}")
        self.setProperty("role", "card")
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        self.judul = QLabel()
        self.judul.setWordWrap(True)
        self.judul.setStyleSheet("color: #33404d; font-weight: 600;")
        self.nilai_bulan = QLabel("-")
        self.nilai_bulan.setStyleSheet("font-size: 22px; font-weight: 600; color: #1f4e79;")
        self.nilai_ytd = QLabel()
        self.nilai_ytd.setStyleSheet("color: #55606b;")
        box.addWidget(self.judul)
        box.addWidget(self.nilai_bulan)
        box.addWidget(self.nilai_ytd)

    def show_values(self, title: str, bulan: ik.Hasil, ytd: ik.Hasil, label_bulan: str) -> None:
        self.judul.setText(title)
        self.nilai_bulan.setText(persen(bulan.nilai) if bulan.denominator else "–")
        self.nilai_ytd.setText(self.tr("s.d. bulan ini: %1").replace("%1", persen(ytd.nilai) if ytd.denominator else "–"))
        tip = (f"{bulan.nama}\n"
               f"{label_bulan}: {angka(bulan.numerator)} dari {angka(bulan.denominator)}"
               f"{' = ' + persen(bulan.nilai) if bulan.denominator else ' (belum ada penyebut)'}\n"
               f"Tahun berjalan: {angka(ytd.numerator)} dari {angka(ytd.denominator)}"
               f"{' = ' + persen(ytd.nilai) if ytd.denominator else ''}\n"
               f"Pembilang: {bulan.label_numerator}\nPenyebut: {bulan.label_denominator}")
        self.setToolTip(tip)


def _list_model(columns: list[TableColumn]) -> RecordTableModel:
    rows: list[dict] = []
    model = RecordTableModel(columns, lambda offset, limit, key, desc: rows[offset:offset + limit], batch=1000)
    model._rows_source = rows
    return model


def _set_rows(model: RecordTableModel, rows: list[dict]) -> None:
    model._rows_source[:] = rows
    model.reload()


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self._dirty = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
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

        head = QHBoxLayout()
        self.indikator_judul = QLabel()
        self.indikator_judul.setObjectName("indikator_judul")
        self.indikator_judul.setStyleSheet("font-size: 15px; font-weight: 600; color: #1f4e79; margin-top: 10px;")
        head.addWidget(self.indikator_judul, 1)
        self.perbarui = QPushButton(self.tr("&Perbarui"))
        self.perbarui.setObjectName("perbarui")
        self.perbarui.setToolTip(self.tr("Hitung ulang indikator dari data terbaru"))
        self.perbarui.clicked.connect(self.refresh_stats)
        head.addWidget(self.perbarui)
        layout.addLayout(head)
        self.indicator_grid = QGridLayout()
        self.indicator_cards: dict[str, IndicatorCard] = {}
        layout.addLayout(self.indicator_grid)

        middle = QHBoxLayout()
        left = QVBoxLayout()
        chart_title = QLabel(self.tr("Layanan per bulan (12 bulan terakhir)"))
        chart_title.setStyleSheet("font-weight: 600; margin-top: 8px;")
        self.chart = BarChart(empty_text=self.tr("Belum ada layanan tercatat"))
        self.chart.setObjectName("grafik_layanan")
        self.chart.setMinimumHeight(200)
        left.addWidget(chart_title)
        left.addWidget(self.chart, 1)
        todo_title = QLabel(self.tr("Yang perlu dikerjakan"))
        todo_title.setStyleSheet("font-weight: 600; margin-top: 8px;")
        self.todo = QListWidget()
        self.todo.setObjectName("perlu_dikerjakan")
        self.todo.setWordWrap(True)
        self.todo.setMinimumHeight(110)
        left.addWidget(todo_title)
        left.addWidget(self.todo)
        middle.addLayout(left, 3)
        right = QVBoxLayout()
        ppks_title = QLabel(self.tr("PPKS per kategori"))
        ppks_title.setStyleSheet("font-weight: 600; margin-top: 8px;")
        self.ppks_model = _list_model([
            TableColumn("nama", self.tr("Kategori"), sortable=False),
            TableColumn("jumlah", self.tr("Terdaftar"), format=angka, numeric=True, sortable=False),
            TableColumn("dilayani", self.tr("Dilayani bulan ini"), format=angka, numeric=True, sortable=False),
        ])
        self.ppks_table = QTableView()
        self.ppks_table.setObjectName("ppks_per_kategori")
        self.ppks_table.setModel(self.ppks_model)
        self.ppks_table.verticalHeader().hide()
        self.ppks_table.setEditTriggers(QTableView.NoEditTriggers)
        self.ppks_table.horizontalHeader().setStretchLastSection(False)
        self.ppks_table.horizontalHeader().setSectionResizeMode(0, self.ppks_table.horizontalHeader().ResizeMode.Stretch)
        self.ppks_table.setMinimumWidth(360)
        right.addWidget(ppks_title)
        right.addWidget(self.ppks_table, 1)
        middle.addLayout(right, 2)
        layout.addLayout(middle, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._refresh_if_due)
        ctx.data_changed.connect(self._on_changed)
        self.refresh()

    # --- refreshing -----------------------------------------------------------------------
    @property
    def automatic(self) -> bool:
        """Field installs recompute after each change; a Dinas database (a kota) only on request."""
        return not self.ctx.install.is_dinas

    def _on_changed(self, _kind: str) -> None:
        self.refresh_counts()
        self._dirty = True
        if self.automatic and self.isVisible():
            self._timer.start()

    def _refresh_if_due(self) -> None:
        if self._dirty:
            self.refresh_stats()

    def refresh(self) -> None:
        self.refresh_header()
        self.refresh_counts()
        if self.automatic and self.ctx.starting:
            self.ctx.start_finished.connect(self._refresh_if_due)  # after the first paint
        elif self.automatic:
            self.refresh_stats()
        else:
            self.indikator_judul.setText(self.tr(
                "Indikator kota: tekan Perbarui untuk menghitung (beberapa detik untuk seluruh kota)"))

    def refresh_header(self) -> None:
        inst = self.ctx.install
        path = wilayah_path(self.ctx.conn, inst.kode_wilayah)
        names = " · ".join(p["nama"] for p in reversed(path)) if path else inst.kode_wilayah
        self.title.setText(path[-1]["nama"] if path else inst.kode_wilayah)
        self.subtitle.setText(
            f"{names}\nKode wilayah {inst.kode_wilayah} · Operator: {inst.operator_nama} ({inst.peran})"
        )

    def refresh_counts(self) -> None:
        self._counts_at = time.monotonic()
        for key, n in record_counts(self.ctx.conn).items():
            if key in self.count_labels:
                self.count_labels[key].setText(angka(n))

    def refresh_stats(self) -> None:
        """Recompute the indicator cards, the chart, PPKS per category and the to-do list."""
        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self._compute()
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._dirty = False

    def _compute(self) -> None:
        from db import indikator as ik

        db, kode = self.ctx.db, self.ctx.install.kode_wilayah
        hari_ini = today()
        bulan = ik.Periode.bulan(hari_ini.year, hari_ini.month)
        label_bulan = f"{nama_bulan(bulan.mulai.month)} {bulan.mulai.year}"
        self.indikator_judul.setText(self.tr("Indikator %1 (dan tahun berjalan)").replace("%1", label_bulan))
        month = ik.hitung_indikator(db, bulan, kode)
        ytd = ik.hitung_indikator(db, bulan.tahun_berjalan(), kode,
                                  ids=[i for i, h in month.items() if h.jenis == "persentase"])
        pct = [i for i, h in month.items() if h.jenis == "persentase"]
        for n, ident in enumerate(pct):
            card = self.indicator_cards.get(ident)
            if card is None:
                card = self.indicator_cards[ident] = IndicatorCard(ident)
                self.indicator_grid.addWidget(card, n // 4, n % 4)
            card.show_values(judul_kartu(db, month[ident]), month[ident], ytd[ident], label_bulan)
        per_bulan = ik.layanan_per_bulan(db, bulan, 12, kode)
        self.chart.set_data([
            (f"{nama_bulan(int(p[5:7]))[:3]} {p[2:4]}", n,
             f"{nama_bulan(int(p[5:7]))} {p[:4]}: {angka(n)} layanan") for p, n in per_bulan])
        rows = [r for r in ik.ppks_per_kategori(db, bulan, kode) if r["jumlah"] or r["dilayani"] or r["kode"] is None]
        for r in rows:
            if r.get("singkatan") and r["singkatan"] not in r["nama"]:
                r["nama"] = f"{r['nama']} ({r['singkatan']})"
        _set_rows(self.ppks_model, rows)
        self.todo.clear()
        items = ik.perlu_dikerjakan(db, hari_ini, kode)
        if not self.ctx.install.is_dinas:
            items += self._bulan_belum_ditutup(bulan)
        for it in items:
            item = QListWidgetItem(("⚠ " if it.get("mendesak") else "• ") + it["teks"])
            if it.get("contoh"):
                item.setToolTip(", ".join(it["contoh"]) + (" …" if it["jumlah"] > len(it["contoh"]) else ""))
            self.todo.addItem(item)
        if not items:
            self.todo.addItem(self.tr("Tidak ada yang perlu segera dikerjakan."))

    def _bulan_belum_ditutup(self, bulan: ik.Periode) -> list[dict]:
        from db.periode import sudah_ditutup

        prev = bulan.bulan_sebelumnya()
        has_data = self.ctx.db.execute(
            "SELECT 1 FROM layanan WHERE deleted_at IS NULL AND tanggal >= ? AND tanggal <= ? LIMIT 1",
            [prev.mulai.isoformat(), prev.akhir.isoformat() + "~"]).fetchone()
        if has_data and not sudah_ditutup(self.ctx.db, prev.teks):
            return [{"jenis": "bulan_belum_ditutup", "jumlah": 1, "mendesak": False, "contoh": [],
                     "teks": f"Rekap {prev.label} belum dilaporkan (bulan belum ditutup) — buka Rekap Bulanan"}]
        return []

    def on_shown(self) -> None:
        self.refresh_header()
        # Changes made in the app refresh the counts through data_changed; no need to
        # count again right after the page was built.
        if time.monotonic() - getattr(self, "_counts_at", 0.0) > 2.0:
            self.refresh_counts()
        if self._dirty and self.automatic and not self.ctx.starting:
            self.refresh_stats()
