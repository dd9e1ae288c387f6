"""Layanan: the service list (per person or overall) with filters, recording, distributions, receipts."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableView, QToolButton, QVBoxLayout, QWidget,
)

from db import kuitansi, layanan as layanan_db, reference
from db.ekspor_log import catat_ekspor
from db.errors import KnownError
from db.indonesian import angka, periode_label, rupiah, tanggal as tanggal_pendek
from desktop.widgets.nik_display import masked_nik
from desktop import msgbox
from desktop.layanan import fill, printing
from desktop.layanan.dialogs import CatatDialog, DistribusiDialog
from desktop.widgets.record_table import RecordTableModel, TableColumn


def _jumlah(row: dict) -> str:
    return f"{angka(row['jumlah'])} {(row.get('satuan_nama') or row.get('satuan') or '').lower()}"


def _status(value) -> str:
    return QCoreApplication.translate("Layanan", "Batal" if value == "batal" else "Aktif")


# Titles are marked for translation here and translated when the page is built.
COLUMNS = [
    TableColumn("tanggal", QT_TRANSLATE_NOOP("Layanan", "Tanggal"), tanggal_pendek),
    TableColumn("nama", QT_TRANSLATE_NOOP("Layanan", "Penerima")),
    TableColumn("nik", QT_TRANSLATE_NOOP("Layanan", "NIK"), masked_nik),  # issue 10: masked in lists
    TableColumn("layanan_nama", QT_TRANSLATE_NOOP("Layanan", "Layanan")),
    TableColumn("jumlah", QT_TRANSLATE_NOOP("Layanan", "Jumlah"), None, numeric=True),
    TableColumn("nilai", QT_TRANSLATE_NOOP("Layanan", "Nilai"), rupiah, numeric=True),
    TableColumn("sumber_dana_nama", QT_TRANSLATE_NOOP("Layanan", "Sumber dana"), lambda v: v or ""),
    TableColumn("petugas", QT_TRANSLATE_NOOP("Layanan", "Petugas"), lambda v: v or ""),
    TableColumn("nomor_kuitansi", QT_TRANSLATE_NOOP("Layanan", "Nomor kuitansi"), lambda v: v or ""),
    TableColumn("status", QT_TRANSLATE_NOOP("Layanan", "Status"), _status),
]


def columns() -> list[TableColumn]:
    from dataclasses import replace

    return [replace(c, title=QCoreApplication.translate("Layanan", c.title)) for c in COLUMNS]


class _Model(RecordTableModel):
    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and index.isValid() and self.columns[index.column()].key == "jumlah":
            return _jumlah(self.rows[index.row()])
        if role == Qt.ToolTipRole and index.isValid():
            row = self.rows[index.row()]
            if self.columns[index.column()].key == "layanan_nama":
                return f"{row['kode_layanan']} {row['layanan_nama'] or ''}"
            if row["status"] == "batal":
                return fill(self.tr("Dibatalkan %1: %2"), tanggal_pendek(row["tanggal_batal"]), row["alasan_batal"] or "")
        if role == Qt.ForegroundRole and index.isValid() and self.rows[index.row()]["status"] == "batal":
            from PySide6.QtGui import QColor

            return QColor("#9a9a9a")
        return super().data(index, role)


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.db = ctx.db
        self.orang_id: str | None = None
        self.last_preview = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)

        head = QHBoxLayout()
        title = QLabel(self.tr("Layanan"))
        title.setProperty("role", "title")
        head.addWidget(title)
        head.addStretch(1)
        self.new_btn = QPushButton(self.tr("&Catat layanan…"))
        self.new_btn.setToolTip(self.tr("Catat satu layanan untuk satu penerima (Ctrl+N)"))
        self.dist_btn = QPushButton(self.tr("&Distribusi…"))
        self.dist_btn.setToolTip(self.tr("Layanan yang sama untuk banyak penerima sekaligus, satu kuitansi per penerima"))
        self.export_btn = QPushButton(self.tr("&Ekspor Excel…"))
        for b in (self.new_btn, self.dist_btn, self.export_btn):
            head.addWidget(b)
        layout.addLayout(head)

        filters = QHBoxLayout()
        self.bulan = QComboBox()
        self.layanan = QComboBox()
        self.layanan.addItem(self.tr("Semua sub-kegiatan"), None)
        for r in layanan_db.layanan_jasa(self.db):
            self.layanan.addItem(f"{r['kode']} — {r['nama']}", r["kode"])
        self.layanan.setMaximumWidth(360)
        self.dana = QComboBox()
        self.dana.addItem(self.tr("Semua sumber dana"), None)
        for kode, nama in reference.daftar(self.db, "sumber_dana"):
            self.dana.addItem(nama, kode)
        self.cari = QLineEdit()
        self.cari.setPlaceholderText(self.tr("Cari nama, NIK, nomor kuitansi, petugas…"))
        self.cari.setClearButtonEnabled(True)
        self.show_batal = QCheckBox(self.tr("Tampilkan yang &batal"))
        self.show_batal.setChecked(True)
        for w in (self.bulan, self.layanan, self.dana, self.cari, self.show_batal):
            filters.addWidget(w)
        filters.setStretch(3, 1)
        layout.addLayout(filters)

        self.person_bar = QWidget()
        pb = QHBoxLayout(self.person_bar)
        pb.setContentsMargins(0, 0, 0, 0)
        self.person_label = QLabel()
        self.person_label.setStyleSheet("font-weight: 600; color: #1f4e79")
        clear = QToolButton()
        clear.setText(self.tr("× Semua penerima"))
        clear.clicked.connect(lambda: self.set_orang(None))
        pb.addWidget(self.person_label)
        pb.addWidget(clear)
        pb.addStretch(1)
        self.person_bar.hide()
        layout.addWidget(self.person_bar)

        self.model = _Model(columns(), self._fetch, self._count, batch=200, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)
        self.table.setSortingEnabled(True)  # sorts once: newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((90, 190, 140, 260, 80, 110, 120, 120, 230)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.summary = QLabel()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(QLabel(self.tr("Ukuran &kuitansi:")))
        self.ukuran = QComboBox()
        for key, label in kuitansi.UKURAN.items():
            self.ukuran.addItem(label, key)
        bottom.itemAt(bottom.count() - 1).widget().setBuddy(self.ukuran)
        self.ukuran.setCurrentIndex(self.ukuran.findData(kuitansi.ukuran(self.db)))
        bottom.addWidget(self.ukuran)
        self.print_btn = QPushButton(self.tr("&Pratinjau / cetak kuitansi…"))
        self.save_btn = QPushButton(self.tr("&Simpan PDF…"))
        self.cancel_btn = QPushButton(self.tr("Bata&lkan layanan…"))
        for b in (self.print_btn, self.save_btn, self.cancel_btn):
            bottom.addWidget(b)
        layout.addLayout(bottom)

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.reload)
        self.cari.textChanged.connect(lambda _t: self._timer.start())
        for box in (self.bulan, self.layanan, self.dana):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_batal.toggled.connect(lambda _v: self.reload())
        self.new_btn.clicked.connect(self.catat)
        self.dist_btn.clicked.connect(self.distribusi)
        self.export_btn.clicked.connect(self.export)
        self.print_btn.clicked.connect(self.preview)
        self.save_btn.clicked.connect(self.save_pdf)
        self.cancel_btn.clicked.connect(self.batalkan)
        self.ukuran.currentIndexChanged.connect(self._ukuran_changed)
        self.table.doubleClicked.connect(lambda _i: self.preview())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        QShortcut(QKeySequence.New, self, activated=self.catat)
        QShortcut(QKeySequence.Print, self, activated=self.preview)
        ctx.data_changed.connect(self._data_changed)
        self._fill_months()
        self.reload()

    # --- data -------------------------------------------------------------------
    def filters(self) -> dict:
        return {
            "orang_id": self.orang_id,
            "periode": self.bulan.currentData(),
            "kode_layanan": self.layanan.currentData(),
            "sumber_dana": self.dana.currentData(),
            "cari": self.cari.text().strip() or None,
            "status": None if self.show_batal.isChecked() else "aktif",
        }

    def _fetch(self, offset, limit, sort_key, descending):
        return layanan_db.daftar_layanan(self.db, offset=offset, limit=limit, urut=sort_key, turun=descending,
                                         **self.filters())

    def _count(self) -> int:
        return layanan_db.hitung_layanan(self.db, **self.filters())

    def _fill_months(self) -> None:
        current = self.bulan.currentData()
        self.bulan.blockSignals(True)
        self.bulan.clear()
        self.bulan.addItem(self.tr("Semua bulan"), None)
        from db.clock import today

        months = set(layanan_db.periode_tersedia(self.db)) | {today().isoformat()[:7]}
        for p in sorted(months, reverse=True):
            self.bulan.addItem(periode_label(p), p)
        i = self.bulan.findData(current)
        self.bulan.setCurrentIndex(max(i, 0))
        self.bulan.blockSignals(False)

    def reload(self) -> None:
        self._timer.stop()
        self.model.reload()
        s = layanan_db.ringkasan_layanan(self.db, **{k: v for k, v in self.filters().items() if k != "status"})
        self.summary.setText(fill(self.tr("%1 baris · %2 layanan aktif · %3 penerima · %4"), angka(self.model.total or 0),
                                  angka(s["jumlah_layanan"]), angka(s["penerima"]), rupiah(s["nilai"])))
        self._update_buttons()

    def _data_changed(self, kind: str) -> None:
        if kind in ("layanan", "orang", "ppks", "bencana", "korban", "kuitansi"):
            self._fill_months()
            self.reload()

    def on_shown(self) -> None:
        self.reload()

    def set_orang(self, orang_id: str | None) -> None:
        """Show only one person's services (the PPKS page may call this)."""
        self.orang_id = orang_id
        if orang_id:
            row = self.db.execute("SELECT nama, nik, nik_sementara FROM orang WHERE id = ?", [orang_id]).fetchone()
            self.person_label.setText(fill(self.tr("Layanan untuk %1 (%2)"), row[0], row[1] or row[2] or self.tr("tanpa NIK"))
                                      if row else "")
        self.person_bar.setVisible(bool(orang_id))
        self.reload()

    def selected_rows(self) -> list[dict]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows if self.model.record(r)]

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        self.print_btn.setEnabled(bool(rows))
        self.save_btn.setEnabled(bool(rows))
        self.cancel_btn.setEnabled(len(rows) == 1 and rows[0]["status"] == "aktif")

    def select_id(self, layanan_id: str) -> bool:
        for r in range(self.model.rowCount()):
            if self.model.record(r)["id"] == layanan_id:
                self.table.selectRow(r)
                return True
        return False

    # --- actions --------------------------------------------------------------------
    def catat(self) -> CatatDialog:
        dlg = CatatDialog(self.ctx, orang_id=self.orang_id, parent=self)
        if msgbox.unattended():
            self.last_dialog = dlg
            return dlg
        if dlg.exec():
            self.after_catat(dlg)
        return dlg

    def after_catat(self, dlg: CatatDialog) -> None:
        self.select_id(dlg.record["id"])
        if dlg.show_receipt.isChecked():
            self.last_preview = printing.open_preview(self.ctx, self, [dlg.record["id"]], self.ukuran.currentData())

    def distribusi(self) -> DistribusiDialog:
        dlg = DistribusiDialog(self.ctx, parent=self)
        if msgbox.unattended():
            self.last_dialog = dlg
            return dlg
        if dlg.exec():
            self.after_distribusi(dlg)
        return dlg

    def after_distribusi(self, dlg: DistribusiDialog, path: str | None = None):
        hasil = dlg.hasil
        n = len(hasil.layanan)
        first, last = hasil.kuitansi[0]["nomor"], hasil.kuitansi[-1]["nomor"]
        if not msgbox.confirm(self, self.tr("Distribusi tercatat"),
                              fill(self.tr("%1 layanan tercatat dengan kuitansi %2 sampai %3.\n\n"
                                           "Simpan semua kuitansi dalam satu berkas PDF untuk dicetak?"), angka(n), first, last),
                              yes=self.tr("Simpan PDF"), no=self.tr("Nanti saja")):
            return None
        if path is None:
            path = printing.ask_save_path(self, printing.suggested_name(None, n))
            if not path:
                return None
        return self.save_batch(hasil.layanan_ids, path)

    def save_batch(self, ids: list[str], path: str):
        """Write many receipts to one PDF off the UI thread (progress + cancel)."""
        from desktop.worker import run_in_background
        from exporters import receipt_pdf

        ukuran = self.ukuran.currentData()
        if not str(path).lower().endswith(".pdf"):
            path = str(path) + ".pdf"
        step = self.tr("Menyusun kuitansi %1 dari %2")
        # Data is read here (fast, this thread's connection); only the layout runs in the worker.
        kuitansi.pastikan_kuitansi(self.db, ids)
        items = kuitansi.data_kuitansi(self.db, ids)

        def work(progress):
            data = receipt_pdf.render_kuitansi(
                items, ukuran, lambda done, total: progress(done, total, fill(step, done, total)))
            return receipt_pdf.simpan_pdf(path, data)

        def done(written):
            kuitansi.catat_cetak(self.db, ids)
            catat_ekspor(self.db, "kuitansi", written, len(ids))  # UU PDP: who exported whom
            self.ctx.changed("kuitansi")
            msgbox.info(self, self.tr("Kuitansi tersimpan"),
                        fill(self.tr("%1 kuitansi disimpan dalam satu PDF:\n%2"), angka(len(ids)), written))

        def failed(exc):
            if isinstance(exc, KnownError):
                msgbox.error(self, self.tr("Kuitansi tidak tersimpan"), exc.pesan)
            else:
                from desktop.errors import report_exception

                report_exception(type(exc), exc, exc.__traceback__, self)

        self.batch_op = run_in_background(self, self.tr("Menyimpan kuitansi"), work, done, failed)
        return self.batch_op

    def preview(self):
        rows = self.selected_rows()
        if not rows:
            return None
        self.last_preview = printing.open_preview(self.ctx, self, [r["id"] for r in rows], self.ukuran.currentData())
        return self.last_preview

    def save_pdf(self, path: str | None = None):
        rows = self.selected_rows()
        if not rows:
            return None
        ids = [r["id"] for r in rows]
        if len(ids) > 20:
            if path is None:
                path = printing.ask_save_path(self, printing.suggested_name(None, len(ids)))
            return self.save_batch(ids, path) if path else None
        return printing.save_receipts(self.ctx, self, ids, self.ukuran.currentData(), path)

    def batalkan(self) -> bool:
        rows = self.selected_rows()
        if len(rows) != 1:
            return False
        row = rows[0]
        if not msgbox.with_reason(
                self, self.tr("Batalkan layanan"),
                fill(self.tr("Alasan membatalkan layanan %1 untuk %2 (%3)?\nNomor kuitansinya tetap "
                             "dipakai dan kuitansinya dicetak BATAL."),
                     row["layanan_nama"], row["nama"], row["nomor_kuitansi"]),
                lambda alasan: layanan_db.batalkan_layanan(self.db, row["id"], alasan),
                error_title=self.tr("Tidak dapat dibatalkan")):
            return False
        self.ctx.changed("layanan")
        self.select_id(row["id"])
        return True

    def export(self, path: str | None = None):
        from exporters.layanan_xlsx import tulis_layanan_xlsx

        if path is None:
            suggested = "Layanan " + (self.bulan.currentText() if self.bulan.currentData() else "semua") + ".xlsx"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Ekspor daftar layanan"), suggested,
                                                  self.tr("Buku kerja Excel (*.xlsx)"))
            if not path:
                return None
        if not str(path).lower().endswith(".xlsx"):
            path = str(path) + ".xlsx"
        try:
            written = tulis_layanan_xlsx(self.db, path, **{k: v for k, v in self.filters().items() if v})
        except KnownError as exc:
            msgbox.error(self, self.tr("Ekspor gagal"), exc.pesan)
            return None
        catat_ekspor(self.db, "daftar", written, self.model.total)  # UU PDP: who exported whom
        msgbox.info(self, self.tr("Ekspor selesai"), fill(self.tr("Daftar layanan disimpan:\n%1"), written))
        return written

    def _ukuran_changed(self) -> None:
        kuitansi.set_ukuran(self.db, self.ukuran.currentData())
