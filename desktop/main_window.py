"""The main window: navigation on the left, one page per area on the right.

Areas are found by module name (``desktop.<area>.page`` with a ``Page`` class),
so each area arrives with its own issue without editing this file's logic.
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget,
)

from db.reference import wilayah
from desktop import msgbox
from desktop.context import AppContext

# (package, navigation label); order is the order in the navigation list.
AREAS = [
    ("beranda", "Beranda"),
    ("ppks", "PPKS"),
    ("layanan", "Layanan"),
    ("bencana", "Bencana"),
    ("psks", "PSKS"),
    ("rekap", "Rekap Bulanan"),
    ("sinkron", "Kirim ke Dinas"),
    ("dinas", "Dinas"),
    ("pengaturan", "Pengaturan"),
]


def load_page_class(area: str):
    try:
        module = importlib.import_module(f"desktop.{area}.page")
    except ModuleNotFoundError as exc:
        if exc.name in (f"desktop.{area}", f"desktop.{area}.page"):
            return None
        raise
    return getattr(module, "Page", None)


class LazyPages(Mapping):
    """The area pages by key, each built on first access.

    Start-up then builds only the page shown first (Beranda); the others cost
    nothing until the user opens them. ``key in pages`` tells whether the area
    exists for this install's role, built or not.
    """

    def __init__(self, classes: dict, build):
        self._classes = dict(classes)
        self._built: dict[str, QWidget] = {}
        self._build = build

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            cls = self._classes[key]
            self._built[key] = self._build(key, cls)
        return self._built[key]

    def __contains__(self, key) -> bool:
        return key in self._classes

    def __iter__(self):
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def built(self) -> dict[str, QWidget]:
        return dict(self._built)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        inst = ctx.install
        area = wilayah(ctx.db, inst.kode_wilayah) or {"nama": inst.kode_wilayah}
        self.setWindowTitle(f"Kesos Lapangan — {area['nama']} ({inst.kode_wilayah})")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        classes = {}
        for key, label in AREAS:
            cls = load_page_class(key)
            if cls is None:
                continue
            if getattr(cls, "ONLY_FOR", None) and inst.peran not in cls.ONLY_FOR:
                continue
            if getattr(cls, "NOT_FOR", None) and inst.peran in cls.NOT_FOR:
                continue
            classes[key] = cls
            self.stack.addWidget(QWidget())  # placeholder until the page is first shown
            item = QListWidgetItem(getattr(cls, "TITLE", label))
            item.setData(Qt.UserRole, key)
            self.nav.addItem(item)
        self.pages = LazyPages(classes, self._build_page)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        self._build_menu()
        self.statusBar().showMessage(f"Operator: {inst.operator_nama} · Peran: {inst.peran}")
        self.setStyleSheet(STYLE)
        self.resize(1200, 760)

    def _build_page(self, key: str, cls) -> QWidget:
        """Make a page the first time it is needed and put it in its placeholder's slot."""
        page = cls(self.ctx)
        row = next(r for r in range(self.nav.count()) if self.nav.item(r).data(Qt.UserRole) == key)
        placeholder = self.stack.widget(row)
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        return page

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.pages[self.nav.item(row).data(Qt.UserRole)]  # build it if this is its first showing
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if hasattr(page, "on_shown"):
            page.on_shown()

    def show_area(self, key: str) -> QWidget:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.UserRole) == key:
                self.nav.setCurrentRow(row)
                return self.pages[key]
        raise KeyError(key)

    def _build_menu(self) -> None:
        berkas = self.menuBar().addMenu("&Berkas")
        act = QAction("Buat &cadangan…", self)
        act.triggered.connect(self.make_backup)
        berkas.addAction(act)
        berkas.addSeparator()
        act = QAction("&Keluar", self)
        act.setShortcut(QKeySequence.Quit)
        act.triggered.connect(self.close)
        berkas.addAction(act)
        buka = self.menuBar().addMenu("&Buka")
        for row in range(self.nav.count()):
            key = self.nav.item(row).data(Qt.UserRole)
            act = QAction(self.nav.item(row).text(), self)
            if row < 9:
                act.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            act.triggered.connect(lambda _=False, k=key: self.show_area(k))
            buka.addAction(act)
        bantuan = self.menuBar().addMenu("Ba&ntuan")
        from desktop.bantuan import guide_action

        bantuan.addAction(guide_action(self))  # Panduan pengguna (F1)
        act = QAction("&Tentang Kesos Lapangan", self)
        act.triggered.connect(self.about)
        bantuan.addAction(act)

    def make_backup(self) -> None:
        import datetime as dt

        from db.backup import backup_to
        from db.errors import KnownError

        suggested = str(self.ctx.db_path.with_name(f"cadangan-kesos-{dt.date.today():%Y%m%d}.db"))
        path, _ = QFileDialog.getSaveFileName(self, "Simpan cadangan", suggested, "Basis data (*.db)")
        if not path:
            return
        try:
            backup_to(self.ctx.db, path)
        except KnownError as exc:
            msgbox.error(self, "Cadangan gagal", exc.pesan)
            return
        msgbox.info(self, "Cadangan dibuat", f"Cadangan tersimpan di {path}")

    def about(self) -> None:
        from db.version import APP_VERSION

        msgbox.info(self, "Tentang Kesos Lapangan",
                    f"Kesos Lapangan {APP_VERSION}\nPendataan dan pelayanan kesejahteraan sosial tanpa internet.\n"
                    "Data wilayah: idn-area-data (ODbL).")


STYLE = """
QListWidget#nav { background: #1f4e79; color: white; border: none; font-size: 14px; padding-top: 8px; }
QListWidget#nav::item { padding: 10px 14px; }
QListWidget#nav::item:selected { background: #2e75b6; color: white; }
QLabel[role="title"] { font-size: 20px; font-weight: 600; color: #1f4e79; }
QLabel[role="error"] { color: #b00020; }
QLabel[role="warning"] { color: #8a5a00; }
QFrame[role="card"] { background: white; border: 1px solid #d0d7de; border-radius: 6px; }
"""
