"""PPKS area: the register of people in need and their registrations.

Search as you type (debounced) over name, address, NIK and No. KK; filters by
area, category, SPM group, status, "NIK belum ada" and deleted records; the
count; SQL-paged, sortable list (150,000 people stay responsive); add, edit,
delete with a reason and undo, restore, history; import through the shared
wizard; export of the filtered list to xlsx.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from db import ppks, reference
from db.errors import KnownError
from db.indonesian import angka, tanggal
from db.ppks import PpksFilter
from desktop.widgets.nik_display import masked_nik
from desktop import msgbox
from desktop.widgets.record_table import RecordRole, RecordTableModel, TableColumn

SEARCH_DELAY_MS = 150


def _alamat(row: dict) -> str:
    parts = [row.get("alamat") or ""]
    if row.get("rt") or row.get("rw"):
        parts.append(f"RT {row.get('rt') or '-'}/RW {row.get('rw') or '-'}")
    return ", ".join(p for p in parts if p)


class PpksTableModel(RecordTableModel):
    """The register's model: temporary ids in grey where there is no NIK, deleted rows struck out."""

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        key = self.columns[index.column()].key
        if key == "nik" and not row.get("nik"):
            if role == Qt.DisplayRole:
                return row.get("nik_sementara") or ""
            if role == Qt.ForegroundRole:
                return QBrush(QColor("#777777"))
            if role == Qt.ToolTipRole:
                return "NIK belum ada; ini ID sementara"
        if row.get("deleted_at"):
            if role == Qt.ForegroundRole:
                return QBrush(QColor("#999999"))
            if role == Qt.FontRole:
                font = QFont()
                font.setStrikeOut(True)
                return font
            if role == Qt.ToolTipRole:
                return f"Dihapus {tanggal(row['deleted_at'][:10])}: {row.get('delete_reason') or ''}"
        return super().data(index, role)


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.db = ctx.db
        self._total = 0
        self._dirty = False
        self._last_deleted: dict | None = None
        self.op = None
        # Tests (and unattended runs) replace these to answer file dialogs.
        self.ask_save_path = self._ask_save_path

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("Register PPKS"))
        title.setProperty("role", "title")
        layout.addWidget(title)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("cari")
        self.search.setPlaceholderText(self.tr("Cari nama, alamat, NIK atau No. KK…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 3)
        self.wilayah = QComboBox()
        self.wilayah.setObjectName("filter_wilayah")
        self.wilayah.addItem(self.tr("Semua wilayah"), None)
        for kode, label in ppks.wilayah_choices(self.db, ctx.install.kode_wilayah):
            self.wilayah.addItem(label, kode)
        self.kategori = QComboBox()
        self.kategori.setObjectName("filter_kategori")
        self.kategori.addItem(self.tr("Semua kategori"), None)
        for r in reference.ppks_kategori(self.db):
            self.kategori.addItem(f"{r['kode']} — {r['singkatan'] or r['nama']}", r["kode"])
        self.kategori.setMaximumWidth(260)
        self.spm = QComboBox()
        self.spm.setObjectName("filter_spm")
        self.spm.addItem(self.tr("Semua kelompok SPM"), None)
        for r in reference.spm_kelompok(self.db):
            self.spm.addItem(r["nama"], r["kode"])
        self.spm.setMaximumWidth(240)
        self.status = QComboBox()
        self.status.setObjectName("filter_status")
        self.status.addItem(self.tr("Semua status"), None)
        for kode, nama in reference.daftar(self.db, "status_ppks"):
            self.status.addItem(nama, kode)
        self.status.addItem(self.tr("Tanpa registrasi"), "tanpa")
        for w in (self.wilayah, self.kategori, self.spm, self.status):
            bar.addWidget(w, 1)
        layout.addLayout(bar)

        bar2 = QHBoxLayout()
        self.tanpa_nik = QCheckBox(self.tr("Hanya yang &NIK-nya belum ada"))
        self.tanpa_nik.setObjectName("filter_tanpa_nik")
        self.dihapus = QCheckBox(self.tr("Tampilkan yang &dihapus"))
        self.dihapus.setObjectName("filter_dihapus")
        bar2.addWidget(self.tanpa_nik)
        bar2.addWidget(self.dihapus)
        bar2.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("jumlah")
        self.count_label.setStyleSheet("font-weight: 600;")
        bar2.addWidget(self.count_label)
        layout.addLayout(bar2)

        self.model = PpksTableModel([
            TableColumn("nama", self.tr("Nama")),
            TableColumn("nik", self.tr("NIK / ID sementara"), masked_nik),  # issue 10: masked in the list
            TableColumn("jenis_kelamin", self.tr("L/P"), sortable=False),
            TableColumn("tanggal_lahir", self.tr("Tgl lahir"), tanggal),
            TableColumn("alamat_rt", self.tr("Alamat"), sortable=False),
            TableColumn("wilayah", self.tr("Wilayah"), tooltip=lambda r: r.get("kode_wilayah") or r.get("asal_luar") or ""),
            TableColumn("kategori", self.tr("Kategori PPKS"), sortable=False),
            TableColumn("status", self.tr("Status"), sortable=False),
            TableColumn("terakhir_didata", self.tr("Didata"), tanggal, sortable=False),
        ], self._fetch, self._count, parent=self)
        self.model.sort_key = "nama"
        self.view = QTableView()
        self.view.setObjectName("daftar")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectRows)
        self.view.setSelectionMode(QTableView.SingleSelection)
        self.view.setEditTriggers(QTableView.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(True)
        for col, width in enumerate((190, 175, 36, 82, 200, 110, 200, 100)):
            self.view.setColumnWidth(col, width)
        layout.addWidget(self.view, 1)

        self.undo_bar = QWidget()
        self.undo_bar.setObjectName("urungkan_bar")
        ub = QHBoxLayout(self.undo_bar)
        ub.setContentsMargins(8, 4, 8, 4)
        self.undo_bar.setStyleSheet("background: #fff4ce; border-radius: 4px;")
        self.undo_label = QLabel()
        self.undo_label.setObjectName("urungkan_teks")
        self.undo_button = QPushButton(self.tr("&Urungkan (Ctrl+Z)"))
        self.undo_button.setObjectName("urungkan")
        ub.addWidget(self.undo_label, 1)
        ub.addWidget(self.undo_button)
        self.undo_bar.hide()
        layout.addWidget(self.undo_bar)

        actions = QHBoxLayout()
        self.tambah = QPushButton(self.tr("&Tambah orang… (Ctrl+N)"))
        self.ubah = QPushButton(self.tr("&Buka/ubah… (Enter)"))
        self.hapus = QPushButton(self.tr("&Hapus… (Del)"))
        self.pulihkan = QPushButton(self.tr("&Pulihkan"))
        self.riwayat = QPushButton(self.tr("&Riwayat…"))
        self.impor = QPushButton(self.tr("&Impor…"))
        self.ekspor = QPushButton(self.tr("&Ekspor ke Excel…"))
        for name, b in (("tambah", self.tambah), ("ubah", self.ubah), ("hapus", self.hapus),
                        ("pulihkan", self.pulihkan), ("riwayat", self.riwayat), ("impor", self.impor),
                        ("ekspor", self.ekspor)):
            b.setObjectName(name)
        for b in (self.tambah, self.ubah, self.hapus, self.pulihkan, self.riwayat):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.impor)
        actions.addWidget(self.ekspor)
        layout.addLayout(actions)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        for combo in (self.wilayah, self.kategori, self.spm, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.tanpa_nik, self.dihapus):
            box.toggled.connect(lambda _on: self.refresh())
        self.tambah.clicked.connect(self.add)
        self.ubah.clicked.connect(self.edit)
        self.hapus.clicked.connect(self.delete)
        self.pulihkan.clicked.connect(self.restore)
        self.riwayat.clicked.connect(self.history)
        self.impor.clicked.connect(self.open_import)
        self.ekspor.clicked.connect(self.export)
        self.undo_button.clicked.connect(self.undo_delete)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        # Only while the list has focus: Enter in the search box searches, Del there edits text.
        for key, slot in ((Qt.Key_Return, self.edit), (Qt.Key_Enter, self.edit), (Qt.Key_Delete, self.delete)):
            QShortcut(QKeySequence(key), self.view, activated=slot, context=Qt.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.add)
        QShortcut(QKeySequence("Ctrl+Z"), self, activated=self.undo_delete)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        ctx.data_changed.connect(self._data_changed)
        self.refresh()

    # ------------------------------------------------------------------ data
    def filter(self) -> PpksFilter:
        return PpksFilter(
            text=self.search.text().strip(),
            kode_wilayah=self.wilayah.currentData(),
            kategori=self.kategori.currentData(),
            spm_kelompok=self.spm.currentData(),
            status=self.status.currentData(),
            tanpa_nik=self.tanpa_nik.isChecked(),
            include_deleted=self.dihapus.isChecked(),
        )

    def _fetch(self, offset, limit, sort_key, descending):
        flt = self.filter()
        if offset == 0:
            self._total = ppks.count_people(self.db, flt)
        rows = ppks.search_people(self.db, flt, offset=offset, limit=limit, sort=sort_key or "nama",
                                  descending=descending, total=self._total)
        status_names = dict(reference.daftar(self.db, "status_ppks"))
        for r in rows:
            r["alamat_rt"] = _alamat(r)
            r["status"] = ", ".join(status_names.get(s, s) for s in r["status"].split(", ") if s)
            r["wilayah"] = r["wilayah_nama"] or (self.tr("Luar: %1").replace("%1", r["asal_luar"])
                                                 if r["asal_luar"] else "")
        return rows

    def _count(self):
        return self._total

    def refresh(self) -> None:
        self._timer.stop()
        selected = self.selected()
        self.model.reload()
        self._dirty = False
        self.count_label.setText(self.tr("%1 orang").replace("%1", angka(self.model.total or 0)))
        if selected:
            self.select_id(selected["id"], fetch=False)
        self._update_buttons()

    def _search_now(self) -> None:
        self.refresh()
        if self.model.rowCount():
            self.view.setFocus()
            self.view.selectRow(0)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _data_changed(self, _kind: str) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def on_shown(self) -> None:
        if self._dirty:
            self.refresh()

    def selected(self) -> dict | None:
        sel = self.view.selectionModel()
        rows = sel.selectedRows() if sel else []
        if rows:
            return rows[0].data(RecordRole)
        return None

    def select_id(self, orang_id: str, *, fetch: bool = True) -> bool:
        while True:
            for r, row in enumerate(self.model.rows):
                if row["id"] == orang_id:
                    self.view.selectRow(r)
                    self.view.scrollTo(self.model.index(r, 0))
                    return True
            if not fetch or not self.model.canFetchMore():
                return False
            self.model.fetchMore()

    def _update_buttons(self) -> None:
        row = self.selected()
        deleted = bool(row and row.get("deleted_at"))
        self.ubah.setEnabled(bool(row))
        self.riwayat.setEnabled(bool(row))
        self.hapus.setEnabled(bool(row) and not deleted)
        self.pulihkan.setVisible(self.dihapus.isChecked())
        self.pulihkan.setEnabled(deleted)

    # ------------------------------------------------------------------ actions
    def add(self):
        from desktop.ppks.form import PersonDialog

        dlg = PersonDialog(self.ctx, parent=self)
        dlg.exec()
        self._after_dialog(dlg)
        return dlg

    def edit(self):
        row = self.selected()
        if not row:
            return None
        from desktop.ppks.form import PersonDialog

        dlg = PersonDialog(self.ctx, row["id"], parent=self)
        dlg.exec()
        self._after_dialog(dlg)
        return dlg

    def _after_dialog(self, dlg) -> None:
        if dlg.record:
            self.refresh()
            self.select_id(dlg.record["id"])

    def delete(self) -> None:
        row = self.selected()
        if not row or row.get("deleted_at"):
            return
        n_layanan = self.db.execute("SELECT count(*) FROM layanan WHERE orang_id = ? AND deleted_at IS NULL",
                                    [row["id"]]).fetchone()[0]
        label = self.tr("Alasan menghapus %1 dari register (wajib):").replace("%1", row["nama"])
        if n_layanan:
            label += "\n" + self.tr("Catatan: %1 layanan untuk orang ini tetap tersimpan.").replace("%1", angka(n_layanan))
        reason = msgbox.with_reason(self, self.tr("Hapus orang"), label,
                                    lambda reason: ppks.delete_person(self.db, row["id"], reason),
                                    error_title=self.tr("Tidak dapat dihapus"))
        if not reason:
            return
        self._last_deleted = row
        self.undo_label.setText(self.tr("%1 dihapus (alasan: %2).").replace("%1", row["nama"]).replace("%2", reason))
        self.undo_bar.show()
        self.ctx.changed("orang")
        self.refresh()

    def undo_delete(self) -> None:
        row = self._last_deleted
        if not row:
            return
        try:
            ppks.restore_person(self.db, row["id"])
        except KnownError as exc:
            msgbox.error(self, self.tr("Tidak dapat dipulihkan"), exc.pesan)
            return
        self._last_deleted = None
        self.undo_bar.hide()
        self.ctx.changed("orang")
        self.refresh()
        self.select_id(row["id"])

    def restore(self) -> None:
        row = self.selected()
        if not row or not row.get("deleted_at"):
            return
        try:
            ppks.restore_person(self.db, row["id"])
        except KnownError as exc:
            msgbox.error(self, self.tr("Tidak dapat dipulihkan"), exc.pesan)
            return
        if self._last_deleted and self._last_deleted["id"] == row["id"]:
            self._last_deleted = None
            self.undo_bar.hide()
        self.ctx.changed("orang")
        self.refresh()
        self.select_id(row["id"])

    def history(self):
        row = self.selected()
        if not row:
            return None
        from desktop.ppks.history import HistoryDialog

        dlg = HistoryDialog(self.ctx, row["id"], parent=self)
        dlg.exec()
        return dlg

    def open_import(self):
        from db.import_ppks import SPEC
        from desktop.widgets.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, SPEC, parent=self)
        wizard.exec()
        if wizard.report is not None:
            self.refresh()
        return wizard

    def _ask_save_path(self, title: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, self.tr("Buku kerja Excel (*.xlsx)"))
        return path or None

    def export(self):
        flt = self.filter()
        suggested = f"daftar-ppks-{self.ctx.install.kode_wilayah}.xlsx"
        path = self.ask_save_path(self.tr("Ekspor daftar PPKS"), suggested)
        if not path:
            return None
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        db_path = self.ctx.db_path
        sort, descending = self.model.sort_key or "nama", self.model.descending

        def work(progress):
            from db.connection import open_database
            from exporters.ppks_xlsx import export_people

            from db.ekspor_log import catat_ekspor

            db = open_database(db_path)
            try:
                result = export_people(db, path, flt, sort=sort, descending=descending, progress=progress)
                catat_ekspor(db, "daftar", result["path"], result["rows"])  # UU PDP: who exported whom
                return result
            finally:
                db.close()

        def done(result):
            self.ekspor.setEnabled(True)
            msgbox.info(self, self.tr("Ekspor selesai"),
                        self.tr("%1 orang diekspor ke %2").replace("%1", angka(result["rows"]))
                        .replace("%2", str(Path(result["path"]))))

        def failed(exc):
            self.ekspor.setEnabled(True)
            if isinstance(exc, KnownError):
                msgbox.error(self, self.tr("Ekspor gagal"), exc.pesan)
                return
            from desktop.errors import report_exception

            report_exception(type(exc), exc, exc.__traceback__, self)

        from desktop.worker import run_in_background

        self.ekspor.setEnabled(False)
        self.op = run_in_background(self, self.tr("Mengekspor daftar PPKS…"), work, done, failed)
        return self.op
