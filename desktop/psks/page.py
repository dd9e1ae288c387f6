"""PSKS area: the register (people and institutions) and the events (kegiatan).

Tab "Register PSKS": filters (type, status, area), search, the SQL-paged list,
and actions (register, edit, detail, deactivate/activate, delete/restore,
import). Tab "Kegiatan": the events with participant/attendance counts,
create/edit (participants and attendance), delete, and the daftar hadir
(PDF/xlsx).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QTabWidget, QVBoxLayout,
    QWidget,
)

from db import clock, kegiatan as keg_db, psks as psks_db, reference
from db.errors import KnownError
from db.indonesian import angka, tanggal
from db.nik import mask_nik
from db.parsing import parse_date
from desktop import msgbox
from desktop.psks.detail import PsksDetailDialog
from desktop.psks.form import PsksDialog
from desktop.psks.kegiatan_dialog import KegiatanDialog
from desktop.widgets.record_table import RecordRole, RecordTableModel, TableColumn, select_record, selected_record

STATUS_FILTERS = [("Semua status", None), ("Aktif", "aktif"), ("Nonaktif", "nonaktif"), ("Dihapus", "dihapus")]


def _view(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.setSelectionMode(QTableView.SingleSelection)
    view.setEditTriggers(QTableView.NoEditTriggers)
    # No column sorted at first: the query's own order (type then name; newest event first).
    view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicatorShown(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setAlternatingRowColors(True)
    return view


def open_import_wizard(parent, ctx, kind: str, run_dialog) -> bool:
    """The shared import wizard for ``kind``; True when something was imported."""
    from desktop.widgets.import_wizard import ImportWizard
    from exporters.importer import get_spec

    wizard = ImportWizard(ctx, get_spec(kind), parent=parent)
    run_dialog(wizard)
    if wizard.report is not None:
        ctx.changed(kind)
        return True
    return False


class RegisterTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("cari")
        self.search.setPlaceholderText(self.tr("Cari nama, NIK, nomor registrasi, ketua…"))
        self.search.setClearButtonEnabled(True)
        self.jenis = QComboBox()
        self.jenis.setObjectName("filter_jenis")
        self.jenis.addItem(self.tr("Semua jenis"), None)
        for r in reference.psks_jenis(ctx.db):
            self.jenis.addItem(r["nama"], r["kode"])
        self.status = QComboBox()
        self.status.setObjectName("filter_status")
        for text, value in STATUS_FILTERS:
            self.status.addItem(self.tr(text), value)
        self.wilayah = QComboBox()
        self.wilayah.setObjectName("filter_wilayah")
        self.wilayah.setMinimumContentsLength(18)
        self.wilayah.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.jenis, 1)
        bar.addWidget(self.status)
        bar.addWidget(self.wilayah, 1)
        layout.addLayout(bar)

        self.model = RecordTableModel([
            TableColumn("nama", self.tr("Nama")),
            TableColumn("jenis_label", self.tr("Jenis PSKS"),
                        tooltip=lambda r: r["jenis_nama"] + " · " + (self.tr("lembaga") if r["bentuk"] == "lembaga"
                                                                   else self.tr("perorangan"))),
            TableColumn("nomor_registrasi", self.tr("No. Registrasi")),
            TableColumn("nik", self.tr("NIK"), lambda v: mask_nik(v) if v else "-"),
            TableColumn("wilayah_nama", self.tr("Wilayah"), tooltip=lambda r: r["kode_wilayah"] or ""),
            TableColumn("status_teks", self.tr("Status")),
            TableColumn("tanggal_mulai_aktif", self.tr("Mulai aktif"), tanggal),
        ], self._fetch, self._count, parent=self)
        self.view = _view(self.model)
        self.view.setObjectName("register")
        for col, width in enumerate((220, 170, 125, 130, 145, 200)):
            self.view.setColumnWidth(col, width)
        layout.addWidget(self.view, 1)

        actions = QHBoxLayout()
        self.tambah = QPushButton(self.tr("&Tambah PSKS…"))
        self.ubah = QPushButton(self.tr("&Ubah…"))
        self.detail = QPushButton(self.tr("&Detail…"))
        self.nonaktif = QPushButton(self.tr("Non&aktifkan…"))
        self.hapus = QPushButton(self.tr("&Hapus…"))
        self.pulihkan = QPushButton(self.tr("&Pulihkan"))
        for b in (self.tambah, self.ubah, self.detail, self.nonaktif, self.hapus, self.pulihkan):
            actions.addWidget(b)
        self.impor = QPushButton(self.tr("&Impor…"))
        self.impor.setToolTip(self.tr("Impor register PSKS dari Excel/CSV (kolom seperti templat 'psks')"))
        actions.addWidget(self.impor)
        self.impor.clicked.connect(self.open_import)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("jumlah")
        actions.addWidget(self.count_label)
        layout.addLayout(actions)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.jenis, self.status, self.wilayah):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tambah.clicked.connect(self.add)
        self.ubah.clicked.connect(self.edit)
        self.detail.clicked.connect(self.show_detail)
        self.nonaktif.clicked.connect(self.toggle_status)
        self.hapus.clicked.connect(self.delete)
        self.pulihkan.clicked.connect(self.restore)
        self.view.doubleClicked.connect(lambda _i: self.show_detail())
        QShortcut(QKeySequence(Qt.Key_Return), self.view, activated=self.show_detail)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.add)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.refresh_areas()
        self.refresh()

    # --- data --------------------------------------------------------------
    def filters(self) -> dict:
        status = self.status.currentData()
        return {
            "jenis_kode": self.jenis.currentData(),
            "status": status if status in ("aktif", "nonaktif") else None,
            "only_deleted": status == "dihapus",
            "wilayah": self.wilayah.currentData(),
            "search": self.search.text(),
        }

    def _fetch(self, offset, limit, sort_key, descending):
        rows = psks_db.list_psks(self.ctx.db, offset=offset, limit=limit, sort=sort_key, descending=descending,
                                 **self.filters())
        for r in rows:
            r["status_teks"] = psks_db.status_text(r)  # "Nonaktif sejak 1 Maret 2025"
            r["jenis_label"] = r["jenis_singkatan"] or r["jenis_nama"]
        return rows

    def _count(self):
        return psks_db.count_psks(self.ctx.db, **self.filters())

    def refresh_areas(self) -> None:
        current = self.wilayah.currentData()
        self.wilayah.blockSignals(True)
        self.wilayah.clear()
        self.wilayah.addItem(self.tr("Semua wilayah"), None)
        for kode, label in psks_db.wilayah_in_register(self.ctx.db):
            self.wilayah.addItem(label, kode)
        self.wilayah.setCurrentIndex(max(self.wilayah.findData(current), 0))
        self.wilayah.blockSignals(False)

    def refresh(self) -> None:
        self.model.reload()
        total = self.model.total or 0
        self.count_label.setText(self.tr("%1 PSKS").replace("%1", angka(total)))
        self._update_buttons()

    def selected(self) -> dict | None:
        return selected_record(self.view)

    def select_id(self, psks_id: str) -> bool:
        return select_record(self.view, self.model, "id", psks_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        deleted = bool(row and row.get("deleted_at"))
        for b in (self.ubah, self.detail, self.nonaktif, self.hapus):
            b.setEnabled(bool(row) and not deleted)
        self.pulihkan.setVisible(self.status.currentData() == "dihapus")
        self.pulihkan.setEnabled(deleted)
        nonaktif = bool(row) and row["status"] == "nonaktif"
        self.nonaktif.setText(self.tr("&Aktifkan") if nonaktif else self.tr("Non&aktifkan…"))

    # --- actions -----------------------------------------------------------
    def _after_write(self, psks_id: str | None = None) -> None:
        self.refresh_areas()
        self.refresh()
        if psks_id:
            self.select_id(psks_id)

    def add(self) -> None:
        dlg = PsksDialog(self.ctx, parent=self)
        if dlg.exec() and dlg.record:
            self._after_write(dlg.record["id"])

    def edit(self) -> None:
        row = self.selected()
        if not row:
            return
        dlg = PsksDialog(self.ctx, psks_id=row["id"], parent=self)
        if dlg.exec() and dlg.record:
            self._after_write(row["id"])

    def show_detail(self) -> None:
        row = self.selected()
        if row:
            PsksDetailDialog(self.ctx, row["id"], parent=self).exec()

    def toggle_status(self) -> None:
        row = self.selected()
        if not row:
            return
        try:
            if row["status"] == "nonaktif":
                psks_db.activate_psks(self.ctx.db, row["id"])
            else:
                text = msgbox.ask_text(self, self.tr("Nonaktifkan PSKS"),
                                       self.tr("%1 tidak aktif sejak tanggal (hh/bb/tttt):").replace("%1", row["nama"]),
                                       clock.today().strftime("%d/%m/%Y"))
                if not text:
                    return
                try:
                    parse_date(text)
                except ValueError as exc:
                    msgbox.error(self, self.tr("Tanggal tidak sah"), str(exc))
                    return
                alasan = msgbox.ask_text(self, self.tr("Nonaktifkan PSKS"),
                                         self.tr("Alasan (boleh kosong), mis. pindah, mengundurkan diri:"))
                psks_db.deactivate_psks(self.ctx.db, row["id"], text, alasan)
        except KnownError as exc:
            msgbox.error(self, self.tr("Tidak dapat diubah"), exc.pesan)
            return
        self.ctx.changed("psks")
        self._after_write(row["id"])

    def delete(self) -> None:
        row = self.selected()
        if not row:
            return
        if not msgbox.with_reason(
                self, self.tr("Hapus PSKS"),
                self.tr("Alasan menghapus %1 dari register (wajib):").replace("%1", row["nama"]),
                lambda reason: psks_db.delete_psks(self.ctx.db, row["id"], reason),
                error_title=self.tr("Tidak dapat dihapus")):
            return
        self.ctx.changed("psks")
        self._after_write()

    def restore(self) -> None:
        row = self.selected()
        if not row:
            return
        try:
            psks_db.restore_psks(self.ctx.db, row["id"])
        except KnownError as exc:
            msgbox.error(self, self.tr("Tidak dapat dipulihkan"), exc.pesan)
            return
        self.ctx.changed("psks")
        self._after_write()

    def run_dialog(self, dlg) -> int:
        """Show a modal dialog (tests replace this to drive it)."""
        return dlg.exec()

    def open_import(self) -> None:
        if open_import_wizard(self, self.ctx, "psks", self.run_dialog):
            self._after_write()


class KegiatanTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("cari_kegiatan")
        self.search.setPlaceholderText(self.tr("Cari nama kegiatan, tempat, penyelenggara, kode…"))
        self.search.setClearButtonEnabled(True)
        self.tahun = QComboBox()
        self.tahun.setObjectName("filter_tahun")
        bar.addWidget(self.search, 1)
        bar.addWidget(QLabel(self.tr("Tahun:")))
        bar.addWidget(self.tahun)
        layout.addLayout(bar)
        self.model = RecordTableModel([
            TableColumn("tanggal_mulai", self.tr("Tanggal"), tanggal),
            TableColumn("nama", self.tr("Nama kegiatan")),
            TableColumn("jenis_nama", self.tr("Jenis")),
            TableColumn("kode_layanan", self.tr("Sub kegiatan"),
                        lambda v: reference.short_kode_layanan(v) if v else "-",
                        tooltip=lambda r: r.get("layanan_nama") or ""),
            TableColumn("tempat", self.tr("Tempat")),
            TableColumn("jumlah_peserta", self.tr("Peserta"), angka, numeric=True),
            TableColumn("jumlah_hadir", self.tr("Hadir"), angka, numeric=True),
        ], self._fetch, self._count, parent=self)
        self.view = _view(self.model)
        self.view.setObjectName("kegiatan")
        self.view.setColumnWidth(0, 95)
        self.view.setColumnWidth(1, 330)
        self.view.setColumnWidth(2, 130)
        self.view.setColumnWidth(3, 120)
        self.view.setColumnWidth(4, 200)
        layout.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.tambah = QPushButton(self.tr("&Tambah kegiatan…"))
        self.ubah = QPushButton(self.tr("&Ubah / kehadiran…"))
        self.cetak = QPushButton(self.tr("Cetak daftar &hadir (PDF)…"))
        self.excel = QPushButton(self.tr("Daftar hadir &Excel…"))
        self.hapus = QPushButton(self.tr("Ha&pus…"))
        for b in (self.tambah, self.ubah, self.cetak, self.excel, self.hapus):
            actions.addWidget(b)
        self.impor = QPushButton(self.tr("&Impor…"))
        self.impor.setToolTip(self.tr("Impor kegiatan dan pesertanya dari Excel/CSV (satu baris per peserta)"))
        actions.addWidget(self.impor)
        self.impor.clicked.connect(self.open_import)
        actions.addStretch(1)
        self.count_label = QLabel()
        actions.addWidget(self.count_label)
        layout.addLayout(actions)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.tahun.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tambah.clicked.connect(self.add)
        self.ubah.clicked.connect(self.edit)
        self.cetak.clicked.connect(lambda: self.export_daftar_hadir("pdf"))
        self.excel.clicked.connect(lambda: self.export_daftar_hadir("xlsx"))
        self.hapus.clicked.connect(self.delete)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        QShortcut(QKeySequence(Qt.Key_Return), self.view, activated=self.edit)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.refresh_years()
        self.refresh()

    def _filters(self) -> dict:
        year = self.tahun.currentData()
        if not year:
            return {"search": self.search.text()}
        return {"search": self.search.text(), "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}

    def _fetch(self, offset, limit, sort_key, descending):
        if sort_key is None:
            descending = True
        return keg_db.list_kegiatan(self.ctx.db, offset=offset, limit=limit, sort=sort_key, descending=descending,
                                    **self._filters())

    def _count(self):
        return keg_db.count_kegiatan(self.ctx.db, **self._filters())

    def refresh_years(self) -> None:
        current = self.tahun.currentData()
        years = [r[0] for r in self.ctx.db.execute(
            "SELECT DISTINCT substr(tanggal_mulai, 1, 4) FROM kegiatan WHERE deleted_at IS NULL ORDER BY 1 DESC")]
        self.tahun.blockSignals(True)
        self.tahun.clear()
        self.tahun.addItem(self.tr("Semua"), None)
        for y in years:
            self.tahun.addItem(y, y)
        self.tahun.setCurrentIndex(max(self.tahun.findData(current), 0))
        self.tahun.blockSignals(False)

    def refresh(self) -> None:
        self.model.reload()
        self.count_label.setText(self.tr("%1 kegiatan").replace("%1", angka(self.model.total or 0)))
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(RecordRole) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        for b in (self.ubah, self.cetak, self.excel, self.hapus):
            b.setEnabled(has)

    def select_id(self, kegiatan_id: str) -> None:
        for r, row in enumerate(self.model.rows):
            if row["id"] == kegiatan_id:
                self.view.selectRow(r)
                return

    def add(self) -> None:
        dlg = KegiatanDialog(self.ctx, parent=self)
        if dlg.exec() and dlg.record:
            self.refresh_years()
            self.refresh()
            self.select_id(dlg.record["id"])

    def edit(self) -> None:
        row = self.selected()
        if not row:
            return
        dlg = KegiatanDialog(self.ctx, kegiatan_id=row["id"], parent=self)
        if dlg.exec():
            self.refresh_years()
            self.refresh()
            self.select_id(row["id"])

    def delete(self) -> None:
        row = self.selected()
        if not row:
            return
        if not msgbox.with_reason(
                self, self.tr("Hapus kegiatan"),
                self.tr("Alasan menghapus kegiatan '%1' (wajib):").replace("%1", row["nama"]),
                lambda reason: keg_db.delete_kegiatan(self.ctx.db, row["id"], reason),
                error_title=self.tr("Tidak dapat dihapus")):
            return
        self.ctx.changed("kegiatan")
        self.refresh_years()
        self.refresh()

    def ask_save_path(self, suggested: str, fmt: str) -> str | None:
        """The file to write (a dialog; tests replace this method)."""
        filters = {"pdf": self.tr("PDF (*.pdf)"), "xlsx": self.tr("Buku kerja Excel (*.xlsx)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Simpan daftar hadir"), suggested, filters[fmt])
        return path or None

    def export_daftar_hadir(self, fmt: str = "pdf") -> str | None:
        from exporters.daftar_hadir import write_daftar_hadir_pdf, write_daftar_hadir_xlsx

        row = self.selected()
        if not row:
            return None
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in (row["kode_kegiatan"] or row["nama"]))[:60]
        suggested = str(Path(self.ctx.db_path).parent / f"daftar-hadir-{safe}.{fmt}")
        path = self.ask_save_path(suggested, fmt)
        if not path:
            return None
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        hanya_hadir = False
        if row["jumlah_hadir"]:
            hanya_hadir = msgbox.confirm(
                self, self.tr("Daftar hadir"),
                self.tr("Cetak hanya peserta yang hadir (%1 dari %2)?\nPilih 'Semua peserta' untuk lembar tanda tangan "
                        "sebelum kegiatan.").replace("%1", str(row["jumlah_hadir"]))
                .replace("%2", str(row["jumlah_peserta"])),
                yes=self.tr("Hanya yang hadir"), no=self.tr("Semua peserta"))
        writer = write_daftar_hadir_pdf if fmt == "pdf" else write_daftar_hadir_xlsx
        # About 1 s for 850 participants (bench/bench_psks.py): a wait cursor, not a worker thread.
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            written = writer(self.ctx.db, row["id"], path, hanya_hadir=hanya_hadir)
        except KnownError as exc:
            msgbox.error(self, self.tr("Daftar hadir gagal dibuat"), exc.pesan)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        from db.ekspor_log import catat_ekspor

        jumlah = row["jumlah_hadir"] if hanya_hadir else row["jumlah_peserta"]
        catat_ekspor(self.ctx.db, "daftar_hadir", written, jumlah)  # UU PDP: names, NIKs and signatures
        if msgbox.confirm(self, self.tr("Daftar hadir tersimpan"),
                          self.tr("Daftar hadir tersimpan di %1.\nBuka sekarang?").replace("%1", written),
                          yes=self.tr("Buka"), no=self.tr("Tutup")):
            QDesktopServices.openUrl(QUrl.fromLocalFile(written))
        return written

    def run_dialog(self, dlg) -> int:
        """Show a modal dialog (tests replace this to drive it)."""
        return dlg.exec()

    def open_import(self) -> None:
        if open_import_wizard(self, self.ctx, "kegiatan", self.run_dialog):
            self.refresh_years()
            self.refresh()


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        title = QLabel(self.tr("PSKS — Potensi dan Sumber Kesejahteraan Sosial"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.register = RegisterTab(ctx)
        self.kegiatan = KegiatanTab(ctx)
        self.tabs.addTab(self.register, self.tr("&Register PSKS"))
        self.tabs.addTab(self.kegiatan, self.tr("&Kegiatan"))
        layout.addWidget(self.tabs, 1)
        ctx.data_changed.connect(self._changed)

    def _changed(self, kind: str) -> None:
        if kind in ("psks", "kegiatan", "kegiatan_peserta", "layanan", "*"):
            self.register.refresh_areas()
            self.register.refresh()
            self.kegiatan.refresh_years()
            self.kegiatan.refresh()

    def on_shown(self) -> None:
        self.register.refresh()
        self.kegiatan.refresh()
