"""Kirim ke Dinas: write the month's sync package to a folder (a USB stick).

Shows the month, the destination folder, what the package will hold (records
per kind, corrections included), its sequence number and file name, and
whether the month was already sent. "Buat paket" runs the export in the
background (progress bar); the month is closed when the package is written.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSizePolicy, QVBoxLayout, QWidget,
)

from db import sinkron
from db.clock import today
from db.errors import KnownError
from db.indonesian import angka, periode_label, tanggal_panjang
from db.install import get_setting, set_setting
from desktop import msgbox

SETTING_FOLDER = "folder_paket"
TABLE_LABELS = [
    ("orang", "Orang"),
    ("ppks", "Registrasi PPKS"),
    ("layanan", "Layanan"),
    ("kuitansi", "Kuitansi"),
    ("bencana", "Kejadian bencana"),
    ("korban", "Korban bencana"),
    ("psks", "PSKS"),
    ("kegiatan", "Kegiatan PSKS"),
    ("kegiatan_peserta", "Peserta kegiatan"),
]


def recent_months(n: int = 13, hari_ini: _dt.date | None = None) -> list[str]:
    """The current month and the ``n - 1`` before it, newest first (``2025-12``)."""
    d = hari_ini or today()
    y, m = d.year, d.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.op = None
        self.last_result: sinkron.ExportResult | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel(self.tr("Kirim ke Dinas"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "Paket sinkron berisi semua data laptop ini (termasuk koreksi dan data yang dihapus) dan rekap "
            "bulanan. Simpan ke flashdisk lalu serahkan ke Dinas Sosial, atau kirim lewat surel bila ada "
            "sambungan. Membuat paket menutup bulan tersebut."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.bulan = QComboBox()
        self.bulan.setObjectName("bulan")
        months = recent_months()
        for p in months:
            self.bulan.addItem(periode_label(p), p)
        self.bulan.setCurrentIndex(1 if len(months) > 1 else 0)  # usually last month's report
        form.addRow(self.tr("&Bulan:"), self.bulan)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setObjectName("folder")
        self.folder.setPlaceholderText(self.tr("Folder tujuan, mis. flashdisk E:\\"))
        self.folder.setText(get_setting(ctx.db, SETTING_FOLDER, "") or "")
        self.pilih = QPushButton(self.tr("&Pilih folder…"))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.pilih)
        folder_label = QLabel(self.tr("&Folder tujuan:"))
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        layout.addLayout(form)

        card = QFrame()
        card.setProperty("role", "card")
        card.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)  # never squeezed below its rows' height
        card_layout = QVBoxLayout(card)
        self.heading = QLabel()
        self.heading.setObjectName("judul_paket")
        self.heading.setStyleSheet("font-weight: 600; font-size: 15px;")
        card_layout.addWidget(self.heading)
        grid = QGridLayout()
        grid.setVerticalSpacing(6)
        grid.setHorizontalSpacing(24)
        grid.addWidget(self._bold(self.tr("Data")), 0, 0)
        grid.addWidget(self._bold(self.tr("Jumlah")), 0, 1, Qt.AlignRight)
        grid.addWidget(self._bold(self.tr("Di antaranya dihapus")), 0, 2, Qt.AlignRight)
        self.count_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for i, (key, text) in enumerate(TABLE_LABELS, start=1):
            grid.addWidget(QLabel(self.tr(text)), i, 0)
            n, d = QLabel("0"), QLabel("0")
            n.setObjectName(f"jumlah_{key}")
            d.setObjectName(f"dihapus_{key}")
            grid.addWidget(n, i, 1, Qt.AlignRight)
            grid.addWidget(d, i, 2, Qt.AlignRight)
            self.count_labels[key] = (n, d)
        grid.setColumnStretch(3, 1)
        card_layout.addLayout(grid)
        self.details = QLabel()
        self.details.setObjectName("rincian")
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        card_layout.addWidget(self.details)
        layout.addWidget(card)

        buttons = QHBoxLayout()
        self.buat = QPushButton(self.tr("&Buat paket"))
        self.buat.setObjectName("buat_paket")
        self.buat.setDefault(True)
        buttons.addWidget(self.buat)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setObjectName("hasil")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.result)
        layout.addStretch(1)

        self.bulan.currentIndexChanged.connect(lambda _i: self.refresh())
        self.pilih.clicked.connect(self.choose_folder)
        self.buat.clicked.connect(self.export)
        self.folder.returnPressed.connect(self.export)
        ctx.data_changed.connect(lambda _kind: self.refresh())
        self.setTabOrder(self.bulan, self.folder)
        self.setTabOrder(self.folder, self.pilih)
        self.setTabOrder(self.pilih, self.buat)
        self.refresh()

    @staticmethod
    def _bold(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600;")
        return label

    def periode(self) -> str:
        return self.bulan.currentData()

    def refresh(self) -> None:
        s = sinkron.package_summary(self.ctx.db, self.periode())
        self.heading.setText(self.tr("Paket %1 · nomor urut %2").replace("%1", periode_label(s.periode))
                             .replace("%2", f"{s.urutan:03d}"))
        for key, (n, d) in self.count_labels.items():
            c = s.counts.get(key, {"semua": 0, "dihapus": 0})
            n.setText(angka(c["semua"]))
            d.setText(angka(c["dihapus"]))
        lines = [self.tr("Nama berkas: %1").replace("%1", s.nama_file),
                 self.tr("Rekap bulanan %1 ikut di dalam paket.").replace("%1", periode_label(s.periode))]
        if s.terakhir:
            lines.append(self.tr("Terakhir dibuat %1, nomor urut %2: %3")
                         .replace("%1", tanggal_panjang(s.terakhir["waktu"][:10]) + " " + s.terakhir["waktu"][11:16])
                         .replace("%2", f"{s.terakhir['urutan']:03d}")
                         .replace("%3", Path(s.terakhir["nama_file"]).name))
        if s.ditutup:
            lines.append(self.tr("Bulan ini sudah ditutup: paket yang dibuat lagi memakai nomor urut yang sama.\n"
                                 "Bila ada koreksi, buka kembali bulan di halaman Rekap Bulanan."))
        else:
            lines.append(self.tr("Setelah paket dibuat, data bulan %1 terkunci.").replace(
                "%1", periode_label(s.periode)))
        self.details.setText("\n".join(lines))

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Pilih folder tujuan"), self.folder.text() or "")
        if path:
            self.folder.setText(path)

    def export(self) -> None:
        folder = self.folder.text().strip()
        if not folder:
            msgbox.warning(self, self.tr("Folder belum dipilih"),
                           self.tr("Pilih folder tujuan (mis. flashdisk) terlebih dahulu."))
            self.folder.setFocus()
            return
        if not Path(folder).is_dir():
            msgbox.error(self, self.tr("Folder tidak ada"),
                         self.tr("Folder %1 tidak ada. Pasang flashdisk atau pilih folder lain.").replace("%1", folder))
            return
        periode = self.periode()
        if periode == today().strftime("%Y-%m") and not msgbox.confirm(
                self, self.tr("Bulan ini belum selesai"),
                self.tr("%1 masih berjalan. Membuat paketnya menutup bulan ini: layanan dan data baru "
                        "bertanggal bulan ini tidak dapat dicatat lagi sampai bulan dibuka kembali.\n\n"
                        "Tetap buat paket %1?").replace("%1", periode_label(periode)),
                yes=self.tr("Tetap buat paket"), no=self.tr("Batal"), danger=True):
            return
        db_path = self.ctx.db_path

        def work(progress):
            from db.connection import open_database

            db = open_database(db_path)
            try:
                return sinkron.export_package(db, periode, folder, progress=progress)
            finally:
                db.close()

        self.buat.setEnabled(False)
        self.result.clear()
        from desktop.worker import run_in_background

        self.op = run_in_background(self, self.tr("Membuat paket…"), work, self._done, self._failed)

    def _done(self, res: sinkron.ExportResult) -> None:
        self.buat.setEnabled(True)
        self.last_result = res
        from db.ekspor_log import catat_ekspor

        catat_ekspor(self.ctx.db, "paket", res.path, sum(res.counts.values()))  # UU PDP: who exported whom
        set_setting(self.ctx.db, SETTING_FOLDER, str(res.path.parent))
        self.result.setText(self.tr("Paket tersimpan: %1").replace("%1", str(res.path)))
        self.ctx.changed("paket")
        self.refresh()
        msgbox.info(self, self.tr("Paket dibuat"),
                    self.tr("Paket %1 tersimpan di %2.\nSerahkan berkas ini ke Dinas Sosial.")
                    .replace("%1", res.nama_file).replace("%2", str(res.path.parent)))

    def _failed(self, exc: BaseException) -> None:
        self.buat.setEnabled(True)
        if isinstance(exc, KnownError):
            self.result.setText(exc.pesan)
            msgbox.error(self, self.tr("Paket tidak dibuat"), exc.pesan)
            return
        from desktop.errors import report_exception

        report_exception(type(exc), exc, exc.__traceback__, self)

    def on_shown(self) -> None:
        self.refresh()
