"""The Dinas page (Dinas installs only): import packages, completeness, duplicates,
targets and the consolidated recap.

Tabs:
- "Impor paket": import by file, by folder, or by dropping files/folders on
  the page (drag & drop), in the background with a progress bar; the import
  log lists every file with its outcome.
- "Kelengkapan": per month, which kelurahan sent, when, on time or late, and
  which are missing; per year, a kelurahan × month grid. The deadline day is
  set here.
- "Data ganda": one NIK registered by two installs, both records side by side.
- "Target & capaian": yearly targets per indicator and output, the rating
  scale, realisation, achievement and verdict.
- "Rekap gabungan": the kab/kota workbook (``dinas recap``).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QStackedWidget, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from db import dinas, sinkron
from db.clock import today
from db.errors import KnownError
from db.indonesian import angka, periode_label, persen, tanggal
from db.nik import mask_nik
from desktop import msgbox
from desktop.widgets.record_table import RecordRole, RecordTableModel, TableColumn

HASIL_WARNA = {"diterima": "#1b7f3b", "tidak_berubah": "#555555", "ditolak": "#b00020"}
STATUS_WARNA = {
    dinas.TEPAT_WAKTU: ("#d9f2e1", "#1b5e20"),
    dinas.TERLAMBAT: ("#fff1cc", "#7a4f00"),
    dinas.BELUM: ("#fbdada", "#8b0000"),
    dinas.MENUNGGU: ("#eeeeee", "#555555"),
    dinas.AKAN_DATANG: (None, "#999999"),
}
STATUS_TANDA = {dinas.TEPAT_WAKTU: "✓", dinas.TERLAMBAT: "T", dinas.BELUM: "✗", dinas.MENUNGGU: "…",
                dinas.AKAN_DATANG: ""}


def _view(model, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.setSelectionMode(QTableView.SingleSelection)
    view.setEditTriggers(QTableView.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    return view


def _list_fetch(rows_fn):
    """A RecordTableModel fetch over a list computed in Python (small lists: areas, targets)."""
    cache: dict = {}

    def fetch(offset, limit, sort_key, descending):
        if offset == 0 or "rows" not in cache:
            rows = list(rows_fn())
            if sort_key:
                def key(r):
                    v = r.get(sort_key)
                    return (v is None, v if isinstance(v, (int, float)) else str(v or ""))

                rows.sort(key=key, reverse=descending)
            cache["rows"] = rows
        return cache["rows"][offset: offset + limit]

    return fetch


class ColouredModel(RecordTableModel):
    """RecordTableModel with a background/foreground per cell from ``colour(row, key)``."""

    def __init__(self, *args, colour=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.colour = colour

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if self.colour and role in (Qt.BackgroundRole, Qt.ForegroundRole) and index.isValid():
            row = self.rows[index.row()]
            pair = self.colour(row, self.columns[index.column()].key)
            if pair:
                value = pair[0] if role == Qt.BackgroundRole else pair[1]
                return QBrush(QColor(value)) if value else None
            return None
        if role == Qt.TextAlignmentRole and index.isValid() and self.columns[index.column()].key[:2].isdigit():
            return int(Qt.AlignCenter)
        return super().data(index, role)


def _recent_months(n: int = 24) -> list[str]:
    d = today()
    y, m = d.year, d.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out


def _month_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for p in _recent_months():
        combo.addItem(periode_label(p), p)
    combo.setCurrentIndex(1)
    return combo


# =========================================================================== import


class ImportTab(QWidget):
    def __init__(self, page: "Page"):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.impor_berkas = QPushButton(self.tr("Impor &berkas…"))
        self.impor_folder = QPushButton(self.tr("Impor &folder…"))
        bar.addWidget(self.impor_berkas)
        bar.addWidget(self.impor_folder)
        hint = QLabel(self.tr("atau tarik berkas .kesos (atau foldernya) ke jendela ini"))
        hint.setObjectName("petunjuk_tarik")
        hint.setStyleSheet("color: #555; border: 1px dashed #999; padding: 6px 12px;")
        bar.addWidget(hint)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("ringkasan_impor")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("Catatan impor (terbaru di atas):")))
        self.model = ColouredModel([
            TableColumn("waktu", self.tr("Waktu impor"), lambda v: f"{tanggal(v[:10])} {v[11:16]}" if v else ""),
            TableColumn("nama_file", self.tr("Berkas")),
            TableColumn("nama_wilayah", self.tr("Kelurahan/Desa"),
                        tooltip=lambda r: r.get("kode_wilayah") or ""),
            TableColumn("periode", self.tr("Bulan"), lambda v: periode_label(v) if v else "-"),
            TableColumn("urutan", self.tr("Urutan"), lambda v: f"{v:03d}" if v else "-", numeric=True),
            TableColumn("hasil", self.tr("Hasil"), lambda v: sinkron.HASIL_LABEL.get(v, v or "")),
            TableColumn("rincian", self.tr("Rincian"), sortable=False, tooltip=lambda r: r.get("rincian") or ""),
        ], self._fetch, lambda: sinkron.import_log_count(self.ctx.db), parent=self,
            colour=lambda r, k: (None, HASIL_WARNA.get(r["hasil"])) if k == "hasil" else None)
        self.model.sort_key, self.model.descending = "waktu", True
        self.view = _view(self.model, "log_impor")
        for col, width in enumerate((130, 260, 150, 120, 60, 100)):
            self.view.setColumnWidth(col, width)
        layout.addWidget(self.view, 1)
        self.impor_berkas.clicked.connect(self.choose_files)
        self.impor_folder.clicked.connect(self.choose_folder)
        self.refresh()

    def _fetch(self, offset, limit, sort_key, descending):
        rows = sinkron.import_log(self.ctx.db, offset=offset, limit=limit, sort=sort_key, descending=descending)
        for r in rows:
            if r["hasil"] == sinkron.DITOLAK:
                r["rincian"] = r["alasan"]
            elif r["jumlah"]:
                baru = sum(v.get("baru", 0) for v in r["jumlah"].values())
                ubah = sum(v.get("diperbarui", 0) for v in r["jumlah"].values())
                r["rincian"] = self.tr("%1 baru, %2 diperbarui").replace("%1", angka(baru)).replace("%2", angka(ubah))
                if r["hasil"] == sinkron.TIDAK_BERUBAH:
                    r["rincian"] = self.tr("paket ini sudah pernah diimpor")
            else:
                r["rincian"] = ""
        return rows

    def refresh(self) -> None:
        self.model.reload()

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Pilih paket"), "",
                                                self.tr("Paket Kesos (*.kesos);;Semua berkas (*)"))
        if paths:
            self.page.import_paths(paths)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Pilih folder berisi paket"))
        if path:
            self.page.import_paths([path])


# =========================================================================== completeness


class KelengkapanTab(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self._bulan: dinas.Kelengkapan | None = None
        self._tahun: dict | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        self.mode.addItem(self.tr("Per bulan"), "bulan")
        self.mode.addItem(self.tr("Setahun"), "tahun")
        self.bulan = _month_combo("bulan_kelengkapan")
        self.tahun = QSpinBox()
        self.tahun.setObjectName("tahun_kelengkapan")
        self.tahun.setRange(2000, 2100)
        self.tahun.setValue(today().year)
        self.tahun.hide()
        self.batas = QSpinBox()
        self.batas.setObjectName("batas_hari")
        self.batas.setRange(1, 31)
        self.batas.setValue(dinas.batas_hari(ctx.db))
        batas_label = QLabel(self.tr("Batas kirim: tanggal"))
        batas_label.setBuddy(self.batas)
        bar.addWidget(self.mode)
        bar.addWidget(self.bulan)
        bar.addWidget(self.tahun)
        bar.addSpacing(24)
        bar.addWidget(batas_label)
        bar.addWidget(self.batas)
        bar.addWidget(QLabel(self.tr("bulan berikutnya")))
        bar.addStretch(1)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("ringkasan_kelengkapan")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.month_model = ColouredModel([
            TableColumn("kode", self.tr("Kode")),
            TableColumn("nama", self.tr("Kelurahan/Desa")),
            TableColumn("kecamatan_nama", self.tr("Kecamatan")),
            TableColumn("status_label", self.tr("Status")),
            TableColumn("dikirim", self.tr("Dibuat/dikirim"), lambda v: f"{tanggal(v[:10])} {v[11:16]}" if v else "-"),
            TableColumn("diterima", self.tr("Diimpor"), lambda v: f"{tanggal(v[:10])} {v[11:16]}" if v else "-"),
            TableColumn("urutan", self.tr("Urutan"), lambda v: f"{v:03d}" if v else "-", numeric=True),
        ], _list_fetch(lambda: self._bulan.baris if self._bulan else []), parent=self,
            colour=lambda r, k: STATUS_WARNA.get(r["status"]) if k == "status_label" else None)
        self.month_view = _view(self.month_model, "kelengkapan_bulan")
        for col, width in enumerate((110, 170, 150, 190, 140, 140)):
            self.month_view.setColumnWidth(col, width)
        self.month_view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.month_view.setSortingEnabled(True)
        self.month_view.horizontalHeader().setSortIndicatorShown(True)

        self.year_model = ColouredModel(self._year_columns(today().year), _list_fetch(self._year_rows), parent=self,
                                        colour=self._year_colour)
        self.year_view = _view(self.year_model, "kelengkapan_tahun")
        self.year_view.setSelectionBehavior(QTableView.SelectItems)
        self.year_view.horizontalHeader().setStretchLastSection(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.month_view)
        self.stack.addWidget(self.year_view)
        layout.addWidget(self.stack, 1)
        legend = QLabel(self.tr("Kisi setahun: ✓ tepat waktu · T terlambat · ✗ belum mengirim · … belum lewat batas"))
        legend.setStyleSheet("color: #555;")
        layout.addWidget(legend)

        self.mode.currentIndexChanged.connect(lambda _i: self.refresh())
        self.bulan.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tahun.valueChanged.connect(lambda _v: self.refresh())
        self.batas.valueChanged.connect(self._set_batas)

    def _year_columns(self, year: int) -> list[TableColumn]:
        cols = [TableColumn("kode", self.tr("Kode")), TableColumn("nama", self.tr("Kelurahan/Desa")),
                TableColumn("kecamatan_nama", self.tr("Kecamatan"))]
        from db.indonesian import nama_bulan

        for m in range(1, 13):
            key = f"{year:04d}-{m:02d}"
            cols.append(TableColumn(key, nama_bulan(m)[:3], lambda v: STATUS_TANDA.get(v, ""), sortable=False))
        return cols

    def _year_rows(self) -> list[dict]:
        if not self._tahun:
            return []
        return [{**{k: v for k, v in r.items() if k != "sel"}, **r["sel"]} for r in self._tahun["baris"]]

    @staticmethod
    def _year_colour(row: dict, key: str):
        if key[:2].isdigit():
            return STATUS_WARNA.get(row.get(key))
        return None

    def _set_batas(self, value: int) -> None:
        dinas.set_batas_hari(self.ctx.db, value)
        self.refresh()

    def refresh(self) -> None:
        if self.mode.currentData() == "bulan":
            self.bulan.show()
            self.tahun.hide()
            self._bulan = dinas.kelengkapan_bulan(self.ctx.db, self.bulan.currentData())
            k = self._bulan
            self.summary.setText(self.tr(
                "%1: %2 dari %3 kelurahan/desa mengirim paket (%4) · %5 tepat waktu · %6 terlambat · "
                "%7 belum · batas kirim %8")
                .replace("%1", periode_label(k.periode)).replace("%2", angka(k.mengirim))
                .replace("%3", angka(k.jumlah_wilayah)).replace("%4", persen(k.persen or 0, 1))
                .replace("%5", angka(k.tepat_waktu)).replace("%6", angka(k.terlambat))
                .replace("%7", angka(k.belum)).replace("%8", tanggal(k.batas)))
            self.month_model.reload()
            self.stack.setCurrentWidget(self.month_view)
        else:
            self.bulan.hide()
            self.tahun.show()
            year = self.tahun.value()
            self._tahun = dinas.kelengkapan_tahun(self.ctx.db, year)
            self.year_model.beginResetModel()
            self.year_model.columns = self._year_columns(year)
            self.year_model.endResetModel()
            self.year_model.reload()
            self.year_view.setColumnWidth(0, 110)
            self.year_view.setColumnWidth(1, 160)
            self.year_view.setColumnWidth(2, 140)
            for c in range(3, 15):
                self.year_view.setColumnWidth(c, 44)
            sent = sum(v["mengirim"] for v in self._tahun["ringkasan"].values())
            self.summary.setText(self.tr("Tahun %1: %2 paket bulanan diterima dari %3 kelurahan/desa.")
                                 .replace("%1", str(year)).replace("%2", angka(sent))
                                 .replace("%3", angka(len(self._tahun["baris"]))))
            self.stack.setCurrentWidget(self.year_view)


# =========================================================================== duplicates


class DuplikatTab(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self._rows: list[dict] = []
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("ringkasan_duplikat")
        layout.addWidget(self.summary)
        note = QLabel(self.tr("Indikator kecamatan dan kota menghitung orang dengan NIK yang sama satu kali. "
                              "Bila memang orang yang sama, hapus salah satu di laptop kelurahan."))
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.model = RecordTableModel([
            TableColumn("dasar", self.tr("Dasar")),
            TableColumn("kunci_tampil", self.tr("NIK / kunci")),
            TableColumn("a_nama", self.tr("Nama (A)")),
            TableColumn("a_wilayah", self.tr("Didaftar di (A)")),
            TableColumn("b_nama", self.tr("Nama (B)")),
            TableColumn("b_wilayah", self.tr("Didaftar di (B)")),
        ], _list_fetch(lambda: self._rows), parent=self)
        self.view = _view(self.model, "duplikat")
        for col, width in enumerate((120, 150, 180, 160, 180)):
            self.view.setColumnWidth(col, width)
        layout.addWidget(self.view, 1)
        cards = QHBoxLayout()
        self.card_a = self._card("kartu_a")
        self.card_b = self._card("kartu_b")
        cards.addWidget(self.card_a)
        cards.addWidget(self.card_b)
        layout.addLayout(cards)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_pair(cur.row()))

    @staticmethod
    def _card(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.RichText)
        label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        label.setMinimumHeight(150)
        label.setStyleSheet("background: white; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px;")
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return label

    def refresh(self) -> None:
        pairs = dinas.duplikat(self.ctx.db)
        rows = []
        for p in pairs:
            a, b = p["a"], p["b"]
            rows.append({
                "dasar": p["dasar"], "kunci_tampil": mask_nik(p["kunci"]) if p["dasar"] == "NIK" else
                f"{a['nama']} · {tanggal(a['tanggal_lahir'])}",
                "a_nama": a["nama"], "a_wilayah": a["nama_wilayah"] or a["kode_wilayah"] or "-",
                "b_nama": b["nama"], "b_wilayah": b["nama_wilayah"] or b["kode_wilayah"] or "-", "pair": p,
            })
        self._rows = rows
        n_nik = sum(1 for p in pairs if p["dasar"] == "NIK")
        self.summary.setText(self.tr(
            "%1 pasang data dengan NIK sama dari dua instalasi · %2 pasang tanpa NIK dengan nama dan tanggal lahir "
            "sama").replace("%1", angka(n_nik)).replace("%2", angka(len(pairs) - n_nik)))
        self.model.reload()
        if rows:
            self.view.selectRow(0)
            self.show_pair(0)
        else:
            self.card_a.clear()
            self.card_b.clear()

    def show_pair(self, row: int) -> None:
        record = self.model.record(row)
        if not record:
            return
        p = record["pair"]
        self.card_a.setText(self._describe("A", p["a"]))
        self.card_b.setText(self._describe("B", p["b"]))

    def _describe(self, side: str, r: dict) -> str:
        from html import escape

        jk = {"L": "Laki-laki", "P": "Perempuan"}.get(r["jenis_kelamin"], "-")
        if not hasattr(self, "_kategori"):
            from db.reference import ppks_kategori

            self._kategori = {c["kode"]: c["nama"] for c in ppks_kategori(self.ctx.db)}
        kategori = ", ".join(f"{k} {self._kategori.get(k, '')}".strip()
                             for k in (r["kategori"] or "").split(", ") if k) or "-"
        lines = [
            f"<b>{side}: {escape(r['nama'])}</b>",
            f"NIK: {escape(mask_nik(r['nik']) if r['nik'] else 'belum ada')}",
            f"{jk}, lahir {escape(tanggal(r['tanggal_lahir']) or '-')}",
            f"Alamat: {escape(r['alamat'] or '-')} RT {escape(r['rt'] or '-')}/RW {escape(r['rw'] or '-')}",
            f"Wilayah: {escape(r['nama_wilayah'] or '-')} ({escape(r['kode_wilayah'] or '-')})",
            f"Kategori PPKS: {escape(kategori)} · layanan: {angka(r['jumlah_layanan'])}",
            f"Didaftarkan {escape(tanggal(r['created_at'][:10]))} oleh instalasi "
            f"{escape(r['wilayah_instalasi'] or '-')}",
        ]
        return "<br>".join(lines)


# =========================================================================== targets


class TargetTab(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self._rows: list[dict] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.tahun = QSpinBox()
        self.tahun.setObjectName("tahun_target")
        self.tahun.setRange(2000, 2100)
        self.tahun.setValue(today().year)
        tahun_label = QLabel(self.tr("&Tahun:"))
        tahun_label.setBuddy(self.tahun)
        self.skala = QComboBox()
        self.skala.setObjectName("skala")
        from db import reference

        for kode, nama in reference.daftar_skala(ctx.db):
            self.skala.addItem(nama, kode)
        self.skala.setCurrentIndex(max(self.skala.findData(dinas.skala_dipilih(ctx.db)), 0))
        skala_label = QLabel(self.tr("&Skala penilaian:"))
        skala_label.setBuddy(self.skala)
        self.ubah = QPushButton(self.tr("&Ubah target…"))
        self.hapus = QPushButton(self.tr("&Hapus target"))
        bar.addWidget(tahun_label)
        bar.addWidget(self.tahun)
        bar.addSpacing(16)
        bar.addWidget(skala_label)
        bar.addWidget(self.skala, 1)
        bar.addWidget(self.ubah)
        bar.addWidget(self.hapus)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("ringkasan_target")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RecordTableModel([
            TableColumn("id", self.tr("Indikator")),
            TableColumn("nama", self.tr("Nama")),
            TableColumn("satuan", self.tr("Satuan")),
            TableColumn("target", self.tr("Target"), lambda v: "-" if v is None else angka(v, 2 if v % 1 else 0),
                        numeric=True),
            TableColumn("realisasi", self.tr("Realisasi"), lambda v: "-" if v is None else angka(v, 2 if v % 1 else 0),
                        numeric=True),
            TableColumn("capaian", self.tr("Capaian"), lambda v: "-" if v is None else persen(v, 2), numeric=True),
            TableColumn("predikat", self.tr("Predikat"), lambda v: v or "-"),
        ], _list_fetch(lambda: self._rows), parent=self)
        self.view = _view(self.model, "target")
        for col, width in enumerate((200, 380, 60, 80, 90, 90)):
            self.view.setColumnWidth(col, width)
        layout.addWidget(self.view, 1)
        self.tahun.valueChanged.connect(lambda _v: self.refresh())
        self.skala.currentIndexChanged.connect(self._set_skala)
        self.ubah.clicked.connect(self.edit)
        self.hapus.clicked.connect(self.remove)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        QShortcut(QKeySequence(Qt.Key_Return), self.view, activated=self.edit)

    def _set_skala(self, _i: int) -> None:
        dinas.pilih_skala(self.ctx.db, self.skala.currentData())
        self.refresh()

    def refresh(self) -> None:
        from db import indikator

        inst = self.ctx.install
        year = self.tahun.value()
        now = today()
        if year == now.year:
            periode = indikator.Periode.bulan(year, now.month).tahun_berjalan()
        else:
            periode = indikator.Periode.tahun(year)
        hasil = indikator.hitung_indikator(self.ctx.db, periode, inst.kode_wilayah)
        sk = indikator.skala_aktif(self.ctx.db)
        rows = []
        for r in dinas.daftar_target(self.ctx.db, year):
            h = hasil.get(r["id"])
            real = h.nilai if h else None
            cap = indikator.capaian(real, r["target"], r["arah"]) if r["target"] is not None else None
            rows.append({**r, "realisasi": real, "capaian": cap,
                         "predikat": indikator.predikat(self.ctx.db, cap, sk) if cap is not None else None})
        # Indicators with a target first, then the rest in definition order.
        rows.sort(key=lambda r: r["target"] is None)
        self._rows = rows
        n = sum(1 for r in rows if r["target"] is not None)
        self.summary.setText(self.tr("Realisasi %1 untuk %2. %3 indikator/keluaran bertarget.")
                             .replace("%1", periode.label).replace("%2", self._area_name())
                             .replace("%3", angka(n)))
        self.model.reload()

    def _area_name(self) -> str:
        from db.reference import wilayah

        return (wilayah(self.ctx.db, self.ctx.install.kode_wilayah) or {}).get("nama", self.ctx.install.kode_wilayah)

    def selected(self) -> dict | None:
        index = self.view.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def edit(self) -> None:
        row = self.selected()
        if row is None:
            msgbox.info(self, self.tr("Pilih indikator"), self.tr("Pilih indikator yang targetnya akan diubah."))
            return
        current = "" if row["target"] is None else angka(row["target"], 2 if row["target"] % 1 else 0)
        text = msgbox.ask_text(
            self, self.tr("Target %1").replace("%1", str(self.tahun.value())),
            self.tr("Target tahun %1 untuk %2 (%3):")
            .replace("%1", str(self.tahun.value())).replace("%2", row["nama"]).replace("%3", row["satuan"]),
            current)
        if text is None:
            return
        self._save(row, text)

    def remove(self) -> None:
        row = self.selected()
        if row is None or row["target"] is None:
            return
        if msgbox.confirm(self, self.tr("Hapus target"),
                          self.tr("Hapus target %1 untuk %2?").replace("%1", str(self.tahun.value()))
                          .replace("%2", row["nama"]), yes=self.tr("Hapus")):
            self._save(row, "")

    def _save(self, row: dict, text: str) -> None:
        try:
            dinas.simpan_target(self.ctx.db, self.tahun.value(), row["id"], text)
        except KnownError as exc:
            msgbox.error(self, self.tr("Target tidak disimpan"), exc.pesan)
            return
        ident = row["id"]
        self.refresh()
        for r, rec in enumerate(self.model.rows):
            if rec["id"] == ident:
                self.view.selectRow(r)
                break


# =========================================================================== consolidated recap


class RekapTab(QWidget):
    def __init__(self, page: "Page"):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.op = None
        self.last_path: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Rekap gabungan kab/kota: ringkasan indikator, PPKS, layanan, bencana dan PSKS per kecamatan dan "
            "kelurahan, matriks kecamatan → kelurahan × kelompok PPKS, kelengkapan pengiriman, data ganda, serta "
            "target, capaian dan predikat. Isi satu bulan (TTTT-BB) atau satu tahun (TTTT)."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.periode = QLineEdit()
        self.periode.setObjectName("periode_rekap")
        self.periode.setText(_recent_months()[1])
        self.periode.setMaximumWidth(120)
        label = QLabel(self.tr("&Periode:"))
        label.setBuddy(self.periode)
        self.simpan = QPushButton(self.tr("&Simpan rekap gabungan…"))
        self.bnba = QCheckBox(self.tr("Sertakan daftar &nama penerima (BNBA)"))
        self.bnba.setObjectName("sertakan_bnba")
        self.bnba.setChecked(True)
        self.bnba.setToolTip(self.tr("Untuk satu bulan. Daftar sekota bisa puluhan ribu baris dan memperlama penulisan."))
        row.addWidget(label)
        row.addWidget(self.periode)
        row.addWidget(self.bnba)
        row.addWidget(self.simpan)
        row.addStretch(1)
        layout.addLayout(row)
        self.result = QLabel()
        self.result.setObjectName("hasil_rekap")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.simpan.clicked.connect(self.save)
        self.periode.returnPressed.connect(self.save)

    def save(self) -> None:
        periode = self.periode.text().strip()
        try:
            from db.indikator import Periode

            Periode.dari(periode)
        except KnownError as exc:
            msgbox.error(self, self.tr("Periode tidak sah"), exc.pesan)
            return
        suggested = f"rekap-gabungan-{self.ctx.install.kode_wilayah}-{periode}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Simpan rekap gabungan"), suggested,
                                              self.tr("Buku kerja Excel (*.xlsx)"))
        if not path:
            return
        db_path = self.ctx.db_path
        with_bnba = self.bnba.isChecked()

        def work(progress):
            from db.connection import open_database
            from exporters import dinas_recap

            db = open_database(db_path)
            try:
                return dinas_recap.write_dinas_recap(db, periode, Path(path), progress=progress, bnba=with_bnba)
            finally:
                db.close()

        self.simpan.setEnabled(False)
        from desktop.worker import run_in_background

        self.op = run_in_background(self, self.tr("Menyusun rekap gabungan…"), work, self._done, self._failed)

    def _done(self, path) -> None:
        self.simpan.setEnabled(True)
        from db.ekspor_log import catat_ekspor

        catat_ekspor(self.ctx.db, "rekap_dinas", path, None)  # UU PDP: duplicates are listed by name/NIK
        self.last_path = Path(path)
        self.result.setText(self.tr("Rekap gabungan tersimpan: %1").replace("%1", str(path)))

    def _failed(self, exc) -> None:
        self.simpan.setEnabled(True)
        if isinstance(exc, KnownError):
            self.result.setText(exc.pesan)
            msgbox.error(self, self.tr("Rekap tidak dibuat"), exc.pesan)
            return
        from desktop.errors import report_exception

        report_exception(type(exc), exc, exc.__traceback__, self)


# =========================================================================== the page


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.op = None
        self.last_outcomes: list[sinkron.ImportOutcome] | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel(self.tr("Dinas: paket kelurahan dan rekap gabungan"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.impor = ImportTab(self)
        self.kelengkapan = KelengkapanTab(ctx)
        self.duplikat = DuplikatTab(ctx)
        self.target = TargetTab(ctx)
        self.rekap = RekapTab(self)
        self.tabs.addTab(self.impor, self.tr("&Impor paket"))
        self.tabs.addTab(self.kelengkapan, self.tr("&Kelengkapan"))
        self.tabs.addTab(self.duplikat, self.tr("Data &ganda"))
        self.tabs.addTab(self.target, self.tr("T&arget && capaian"))
        self.tabs.addTab(self.rekap, self.tr("&Rekap gabungan"))
        layout.addWidget(self.tabs, 1)
        self._stale = {self.kelengkapan, self.duplikat, self.target}
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        ctx.data_changed.connect(self._data_changed)

    # --- refreshing ----------------------------------------------------------
    def _data_changed(self, _kind: str) -> None:
        self._stale = {self.kelengkapan, self.duplikat, self.target}
        self.impor.refresh()
        self._refresh_current()

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab in self._stale:
            self._stale.discard(tab)
            tab.refresh()

    def on_shown(self) -> None:
        self.impor.refresh()
        self._refresh_current()

    # --- drag & drop -----------------------------------------------------------
    @staticmethod
    def _paths(mime) -> list[str]:
        if not mime.hasUrls():
            return []
        out = []
        for url in mime.urls():
            if url.isLocalFile():
                p = Path(url.toLocalFile())
                if p.is_dir() or p.suffix.lower() == ".kesos":
                    out.append(str(p))
        return out

    def dragEnterEvent(self, event) -> None:
        if self._paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # --- importing ---------------------------------------------------------------
    def import_paths(self, paths: list[str]) -> None:
        files = sinkron.expand_paths(paths)
        if not files:
            msgbox.warning(self, self.tr("Tidak ada paket"), self.tr("Tidak ada berkas .kesos di sana."))
            return
        db_path = self.ctx.db_path

        def work(progress):
            from db.connection import open_database

            db = open_database(db_path)
            try:
                return sinkron.import_files(db, files, progress)
            finally:
                db.close()

        self.tabs.setCurrentWidget(self.impor)
        from desktop.worker import run_in_background

        self.op = run_in_background(self, self.tr("Mengimpor paket…"), work, self._imported, self._failed)

    def _imported(self, outcomes: list[sinkron.ImportOutcome]) -> None:
        self.last_outcomes = outcomes
        n = {h: sum(1 for o in outcomes if o.hasil == h) for h in sinkron.HASIL_LABEL}
        head = self.tr("%1 berkas: %2 diterima, %3 tidak berubah, %4 ditolak.") \
            .replace("%1", angka(len(outcomes))).replace("%2", angka(n[sinkron.DITERIMA])) \
            .replace("%3", angka(n[sinkron.TIDAK_BERUBAH])).replace("%4", angka(n[sinkron.DITOLAK]))
        refused = [o for o in outcomes if not o.ok]
        detail = "\n".join(f"• {o.nama_file}: {o.alasan}" for o in refused[:10])
        self.impor.summary.setText(head + ("\n" + detail if detail else ""))
        self.ctx.changed("paket")
        if refused:
            msgbox.warning(self, self.tr("Sebagian paket ditolak") if len(refused) < len(outcomes)
                           else self.tr("Paket ditolak"), head + "\n\n" + detail)
        else:
            msgbox.info(self, self.tr("Impor selesai"), head)

    def _failed(self, exc) -> None:
        if isinstance(exc, KnownError):
            msgbox.error(self, self.tr("Impor gagal"), exc.pesan)
            return
        from desktop.errors import report_exception

        report_exception(type(exc), exc, exc.__traceback__, self)
