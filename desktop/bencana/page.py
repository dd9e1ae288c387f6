"""Bencana area: the list of disaster events and, on opening one, its event page.

List: search, the SQL-paged table (code, date, type, kelurahan, place,
victims, served within the window, window end, status), new / open / edit /
delete. Enter or double-click opens the event page (``event_page.EventPage``):
victims, served-within-window status, aid by type, vulnerable groups, the
"Bantuan darurat" actions with receipts, and the event report (PDF/xlsx).
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from db import bencana as B
from db.indonesian import angka, tanggal
from desktop import msgbox
from desktop.bencana.event_page import EventPage
from desktop.widgets.record_table import RecordTableModel, TableColumn, record_view, select_record, selected_record


def _import_wizard_class():
    """The shared import wizard (built with the PPKS issue), when present."""
    try:
        from desktop.widgets import import_wizard
    except ImportError:
        return None
    return getattr(import_wizard, "ImportWizard", None)


class EventList(QWidget):
    def __init__(self, ctx, page, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("Kejadian bencana"))
        title.setStyleSheet("font-size: 18px; font-weight: 600; color: #1f4e79;")
        layout.addWidget(title)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("cari_kejadian")
        self.search.setPlaceholderText(self.tr("Cari kode, jenis, kelurahan, lokasi…"))
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        layout.addLayout(bar)
        self.model = RecordTableModel([
            TableColumn("kode_kejadian", self.tr("Kode")),
            TableColumn("tanggal", self.tr("Tanggal"), tanggal),
            TableColumn("jenis_nama", self.tr("Jenis bencana"), lambda v: v or ""),
            TableColumn("wilayah_nama", self.tr("Kelurahan"), lambda v: v or "",
                        tooltip=lambda r: r["kode_wilayah"]),
            TableColumn("lokasi", self.tr("Lokasi"), lambda v: v or ""),
            TableColumn("jumlah_korban", self.tr("Korban"), lambda v: angka(v or 0), numeric=True),
            TableColumn("korban_dilayani", self.tr("Dilayani tepat waktu"), lambda v: angka(v or 0), numeric=True),
            TableColumn("akhir_masa_tanggap", self.tr("Akhir tanggap darurat"), tanggal),
            TableColumn("status", self.tr("Status"), lambda v: B.STATUS.get(v, v or "")),
        ], self._fetch, self._count, parent=self)
        self.view = record_view(self.model, "kejadian", (110, 86, 165, 110, 155, 64, 150, 160))
        layout.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.new_btn = QPushButton(self.tr("Kejadian ba&ru…"))
        self.new_btn.setObjectName("kejadian_baru")
        self.open_btn = QPushButton(self.tr("&Buka"))
        self.open_btn.setObjectName("buka")
        self.edit_btn = QPushButton(self.tr("&Ubah…"))
        self.delete_btn = QPushButton(self.tr("&Hapus…"))
        for b in (self.new_btn, self.open_btn, self.edit_btn, self.delete_btn):
            actions.addWidget(b)
        self.import_btn = None
        if _import_wizard_class() is not None:
            self.import_btn = QPushButton(self.tr("&Impor ▾"))
            self.import_btn.setObjectName("impor")
            menu = QMenu(self.import_btn)
            menu.addAction(self.tr("Kejadian bencana dari Excel/CSV…"), lambda: self.open_import("bencana"))
            menu.addAction(self.tr("Korban bencana dari Excel/CSV…"), lambda: self.open_import("korban"))
            self.import_btn.setMenu(menu)
            actions.addWidget(self.import_btn)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("jumlah_kejadian")
        actions.addWidget(self.count_label)
        layout.addLayout(actions)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.new_btn.clicked.connect(self.add)
        self.open_btn.clicked.connect(self.open_selected)
        self.edit_btn.clicked.connect(self.edit)
        self.delete_btn.clicked.connect(self.delete)
        # Enter or double-click on a row (the view emits ``activated`` for both)
        self.view.activated.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.add)
        self.refresh()

    def _fetch(self, offset, limit, sort_key, descending):
        return B.daftar_bencana(self.ctx.db, offset, limit, sort_key, descending, cari=self.search.text() or None)

    def _count(self):
        return B.hitung_bencana(self.ctx.db, cari=self.search.text() or None)

    def refresh(self) -> None:
        self.model.reload()
        self.count_label.setText(self.tr("%1 kejadian").replace("%1", angka(self.model.total or 0)))
        if self.model.rows and not self.view.selectionModel().selectedRows():
            self.view.selectRow(0)  # Enter opens the newest event at once
        self._update_buttons()

    def selected(self) -> dict | None:
        return selected_record(self.view)

    def select_id(self, bencana_id: str) -> bool:
        return select_record(self.view, self.model, "id", bencana_id)

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        for b in (self.open_btn, self.edit_btn, self.delete_btn):
            b.setEnabled(has)

    def add(self) -> None:
        from desktop.bencana.dialogs import BencanaDialog

        dlg = BencanaDialog(self.ctx, parent=self)
        if self.page.run_dialog(dlg) and dlg.record:
            self.refresh()
            self.page.open_event(dlg.record["id"])

    def edit(self) -> None:
        from desktop.bencana.dialogs import BencanaDialog

        row = self.selected()
        if row is None:
            return
        dlg = BencanaDialog(self.ctx, row["id"], parent=self)
        if self.page.run_dialog(dlg):
            self.refresh()
            self.select_id(row["id"])

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.page.open_event(row["id"])

    def open_import(self, kind: str) -> None:
        """The import wizard for ``bencana`` or ``korban`` (CLI.md columns)."""
        from exporters.importer import get_spec

        cls = _import_wizard_class()
        if cls is None:
            return
        self.page.run_dialog(cls(self.ctx, get_spec(kind), parent=self))
        self.ctx.changed(kind)
        self.refresh()

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not msgbox.with_reason(
                self, self.tr("Hapus kejadian"),
                self.tr("Alasan menghapus kejadian %1:").replace("%1", row["kode_kejadian"] or ""),
                lambda alasan: B.hapus_bencana(self.ctx.db, row["id"], alasan),
                error_title=self.tr("Kejadian tidak dihapus")):
            return
        self.ctx.changed("bencana")
        self.refresh()


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.list = EventList(ctx, self)
        self.event_page = EventPage(ctx)
        self.event_page.run_dialog = lambda dlg: self.run_dialog(dlg)  # one place for tests to drive dialogs
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.event_page)
        self.event_page.back.connect(self.show_list)
        ctx.data_changed.connect(self._data_changed)

    def run_dialog(self, dlg) -> bool:
        """Show a dialog modally; True when accepted (tests replace this to drive the dialog)."""
        self.last_dialog = dlg
        return bool(dlg.exec())

    def open_event(self, bencana_id: str) -> None:
        self.event_page.set_bencana(bencana_id)
        self.stack.setCurrentWidget(self.event_page)
        self.event_page.view.setFocus()

    def show_list(self) -> None:
        self.list.refresh()
        if self.event_page.bencana_id:
            self.list.select_id(self.event_page.bencana_id)
        self.stack.setCurrentWidget(self.list)
        self.list.view.setFocus()

    def _data_changed(self, kind: str) -> None:
        if kind in ("bencana", "korban", "layanan", "orang", "ppks"):
            if self.stack.currentWidget() is self.list:
                self.list.refresh()

    def on_shown(self) -> None:
        if self.stack.currentWidget() is self.event_page:
            self.event_page.refresh()
        else:
            self.list.refresh()
