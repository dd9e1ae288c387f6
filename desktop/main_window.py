"""The main window: navigation on the left, one page per area on the right.

Each area is a module ``desktop.<area>.page`` with a ``Page`` class. The
navigation (titles and which roles see an area) is described here in ``AREAS``,
so start-up imports only the page shown first: importing every page module to
read its metadata cost about 50 ms of the start (their db modules with them).
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget,
)

from db.reference import wilayah
from desktop import msgbox
from desktop.context import AppContext



@dataclass(frozen=True)
class Area:
    key: str           # the package: desktop.<key>.page
    title: str         # the navigation label
    only_for: tuple = ()   # roles that see it (empty: all)
    not_for: tuple = ()    # roles that do not

    def visible_for(self, peran: str) -> bool:
        return (not self.only_for or peran in self.only_for) and peran not in self.not_for


# Order is the order in the navigation list.
AREAS = [
    Area("beranda", "Beranda"),
    Area("ppks", "PPKS"),
    Area("layanan", "Layanan", not_for=("DINAS",)),
    Area("bencana", "Bencana"),
    Area("psks", "PSKS"),
    # the Dinas consolidated recap lives in the Dinas area
    Area("rekap", "Rekap Bulanan", not_for=("DINAS",)),
    Area("sinkron", "Kirim ke Dinas", not_for=("DINAS",)),
    Area("dinas", "Dinas", only_for=("DINAS",)),
    Area("pengaturan", "Pengaturan"),
]


def load_page_class(area: str):
    module = importlib.import_module(f"desktop.{area}.page")
    return module.Page


class LazyPages(Mapping):
    """The area pages by key, each built on first access.

    Start-up then builds only the page shown first (Beranda); the others cost
    nothing until the user opens them. ``key in pages`` tells whether the area
    exists for this install's role, built or not.
    """

    def __init__(self, keys, build):
        self._keys = list(keys)
        self._built: dict[str, QWidget] = {}
        self._build = build

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            if key not in self._keys:
                raise KeyError(key)
            self._built[key] = self._build(key, load_page_class(key))
        return self._built[key]

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def built(self) -> dict[str, QWidget]:
        return dict(self._built)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        inst = ctx.install
        area = wilayah(ctx.conn, inst.kode_wilayah) or {"nama": inst.kode_wilayah}
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
        keys = []
        for area in AREAS:
            if not area.visible_for(inst.peran):
                continue
            keys.append(area.key)
            self.stack.addWidget(QWidget())  # placeholder until the page is first shown
            item = QListWidgetItem(area.title)
            item.setData(Qt.UserRole, area.key)
            self.nav.addItem(item)
        self.pages = LazyPages(keys, self._build_page)
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
        act = QAction("&Panduan pengguna", self)
        act.setShortcut(QKeySequence.HelpContents)  # F1
        act.triggered.connect(self.show_guide)
        bantuan.addAction(act)
        act = QAction("&Tentang Kesos Lapangan", self)
        act.triggered.connect(self.about)
        bantuan.addAction(act)

    def closeEvent(self, event) -> None:
        guard = getattr(self, "close_guard", None)  # keamanan.CloseBackup, once the start is finished
        if guard is not None and not guard.may_close():
            event.ignore()
            return
        super().closeEvent(event)

    def show_guide(self) -> None:
        from desktop.bantuan import show_guide  # the guide's viewer is imported when first asked for

        show_guide(self)

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
        from db.ekspor_log import catat_ekspor

        catat_ekspor(self.ctx.db, "cadangan", path, None)  # UU PDP: a copy of everything left the app
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
