"""Rekap Bulanan: pick a month, see its indicators and tables, export the workbook, close the month.

Everything shown comes from ``db.rekap.kumpulkan`` (the indicator engine), the
same data the workbook is written from, so the screen and the file agree.
"Tutup bulan" locks the month's records (db/periode.py) with a reason;
"Buka kembali" asks for a reason, is logged in the audit trail, and makes the
next package of the month a new revision.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from db import indikator as ik
from db import periode as periode_db
from db.clock import today
from db.errors import KnownError
from db.indonesian import angka, persen, rupiah, tanggal, tanggal_panjang
from db.nik import mask_nik
from desktop import msgbox
from desktop.widgets.record_table import RecordTableModel, TableColumn

BULAN_DITAMPILKAN = 24  # months offered in the picker, newest first


def _fmt_pct(v):
    return persen(v) if v is not None else "–"


def _fmt_int(v):
    return angka(v) if v is not None else ""


def _fmt_rp(v):
    return rupiah(v) if v is not None else ""


class ListModel(RecordTableModel):
    """RecordTableModel over an in-memory list (sorted in Python: the lists are small)."""

    def __init__(self, columns: list[TableColumn], parent=None):
        self._source: list[dict] = []
        super().__init__(columns, self._fetch_rows, count=lambda: len(self._source), batch=500, parent=parent)

    def _fetch_rows(self, offset, limit, key, desc):
        rows = self._source
        if key:
            rows = sorted(rows, key=lambda r: (r.get(key) is None, r.get(key) if r.get(key) is not None else 0),
                          reverse=desc)
        return rows[offset:offset + limit]

    def set_rows(self, rows: list[dict]) -> None:
        self._source = list(rows)
        self.reload()


def _table(model: RecordTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.setEditTriggers(QTableView.NoEditTriggers)
    # No column sorted at first: the recap's own order (definition order, category number, date).
    view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicatorShown(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setAlternatingRowColors(True)
    return view


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.data = None
        self.last_export: Path | None = None
        self._dirty = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        title = QLabel(self.tr("Rekap Bulanan"))
        title.setProperty("role", "title")
        layout.addWidget(title)

        bar = QHBoxLayout()
        lbl = QLabel(self.tr("&Bulan:"))
        self.bulan = QComboBox()
        self.bulan.setObjectName("bulan")
        lbl.setBuddy(self.bulan)
        now = ik.Periode.bulan(today().year, today().month)
        for i in range(BULAN_DITAMPILKAN):
            p = now.bulan_sebelumnya(i)
            self.bulan.addItem(p.label, p.teks)
        self.bulan.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(lbl)
        bar.addWidget(self.bulan)
        bar.addStretch(1)
        self.ekspor = QPushButton(self.tr("&Ekspor Excel…"))
        self.ekspor.setObjectName("ekspor")
        self.ekspor.clicked.connect(self.export_dialog)
        self.buka = QPushButton(self.tr("B&uka berkas"))
        self.buka.setObjectName("buka_berkas")
        self.buka.setEnabled(False)
        self.buka.clicked.connect(self.open_export)
        self.tutup = QPushButton(self.tr("&Tutup bulan…"))
        self.tutup.setObjectName("tutup_bulan")
        self.tutup.clicked.connect(self.close_month)
        self.buka_kembali = QPushButton(self.tr("Buka &kembali…"))
        self.buka_kembali.setObjectName("buka_kembali")
        self.buka_kembali.clicked.connect(self.reopen_month)
        for b in (self.ekspor, self.buka, self.tutup, self.buka_kembali):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.status = QLabel()
        self.status.setObjectName("status_bulan")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tab_rekap")
        layout.addWidget(self.tabs, 1)
        self.models: dict[str, ListModel] = {}
        self.views: dict[str, QTableView] = {}
        self._add_tab("indikator", self.tr("Indikator"), [
            TableColumn("id", self.tr("Kode")),
            TableColumn("nama", self.tr("Indikator"), tooltip=lambda r: r["keterangan"]),
            TableColumn("num", self.tr("Pembilang"), format=_fmt_int, numeric=True),
            TableColumn("den", self.tr("Penyebut"), format=_fmt_int, numeric=True),
            TableColumn("nilai", self.tr("Bulan ini"), format=_fmt_pct, numeric=True),
            TableColumn("num_ytd", self.tr("Pembilang s.d."), format=_fmt_int, numeric=True),
            TableColumn("den_ytd", self.tr("Penyebut s.d."), format=_fmt_int, numeric=True),
            TableColumn("nilai_ytd", self.tr("S.d. bulan ini"), format=_fmt_pct, numeric=True),
            TableColumn("target", self.tr("Target"), format=lambda v: angka(v) if v is not None else "", numeric=True),
            TableColumn("predikat", self.tr("Predikat")),
        ])
        self._add_tab("ppks", self.tr("PPKS"), [
            TableColumn("kode", self.tr("Kode")), TableColumn("nama", self.tr("Kategori")),
            TableColumn("L", "L", format=_fmt_int, numeric=True), TableColumn("P", "P", format=_fmt_int, numeric=True),
            TableColumn("jumlah", self.tr("Terdaftar"), format=_fmt_int, numeric=True),
            TableColumn("baru", self.tr("Baru"), format=_fmt_int, numeric=True),
            TableColumn("dilayani", self.tr("Dilayani"), format=_fmt_int, numeric=True),
            TableColumn("dilayani_ytd", self.tr("Dilayani s.d."), format=_fmt_int, numeric=True),
        ])
        self._add_tab("layanan", self.tr("Layanan"), [
            TableColumn("kode", self.tr("Kode Sub Kegiatan")), TableColumn("nama", self.tr("Sub Kegiatan")),
            TableColumn("penerima", self.tr("Penerima"), format=_fmt_int, numeric=True),
            TableColumn("jumlah_layanan", self.tr("Layanan"), format=_fmt_int, numeric=True),
            TableColumn("kuantitas", self.tr("Kuantitas")),
            TableColumn("nilai", self.tr("Nilai"), format=_fmt_rp, numeric=True),
            TableColumn("sumber", self.tr("Per sumber dana")),
        ])
        self._add_tab("bencana", self.tr("Bencana"), [
            TableColumn("kode_kejadian", self.tr("Kode")), TableColumn("tanggal", self.tr("Tanggal"), format=tanggal),
            TableColumn("jenis_nama", self.tr("Jenis")), TableColumn("lokasi", self.tr("Lokasi")),
            TableColumn("akhir_tanggap_darurat", self.tr("Akhir tanggap darurat"), format=tanggal),
            TableColumn("korban", self.tr("Korban"), format=_fmt_int, numeric=True),
            TableColumn("korban_dilayani", self.tr("Dilayani tepat waktu"), format=_fmt_int, numeric=True),
        ])
        self._add_tab("psks", self.tr("PSKS"), [
            TableColumn("nama", self.tr("Jenis PSKS / kegiatan")),
            TableColumn("aktif", self.tr("Aktif / peserta"), format=_fmt_int, numeric=True),
            TableColumn("dibina", self.tr("Dibina / hadir"), format=_fmt_int, numeric=True),
            TableColumn("dibina_ytd", self.tr("Dibina s.d."), format=_fmt_int, numeric=True),
        ])
        self._add_tab("bnba", self.tr("Penerima (BNBA)"), [
            TableColumn("tanggal", self.tr("Tanggal"), format=tanggal),
            TableColumn("nik_teks", self.tr("NIK")),
            TableColumn("nama", self.tr("Nama")), TableColumn("layanan_nama", self.tr("Layanan")),
            TableColumn("jumlah_teks", self.tr("Jumlah")),
            TableColumn("nilai", self.tr("Nilai"), format=_fmt_rp, numeric=True),
            TableColumn("nomor_kuitansi", self.tr("Kuitansi")),
        ])
        ctx.data_changed.connect(self._on_changed)

    def _add_tab(self, key: str, title: str, columns: list[TableColumn]) -> None:
        model = ListModel(columns, self)
        self.models[key] = model
        view = _table(model, f"tabel_{key}")
        self.views[key] = view
        model.modelReset.connect(lambda v=view: self._fit_columns(v))
        self.tabs.addTab(view, title)

    @staticmethod
    def _fit_columns(view: QTableView) -> None:
        view.resizeColumnsToContents()
        header = view.horizontalHeader()
        for c in range(header.count() - 1):
            if header.sectionSize(c) > 340:
                header.resizeSection(c, 340)

    # --- data -------------------------------------------------------------------------------
    @property
    def periode(self) -> str:
        return self.bulan.currentData()

    def _on_changed(self, _kind: str) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def on_shown(self) -> None:
        if self._dirty or self.data is None:
            self.refresh()

    def refresh(self) -> None:
        from db.rekap import kumpulkan

        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.data = kumpulkan(self.ctx.db, self.periode)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._dirty = False
        self._fill()

    def _fill(self) -> None:
        d = self.data
        rows = []
        for ident in d.persentase:
            b, y = d.bulan[ident], d.ytd[ident]
            p = d.penilaian.get(ident, {})
            rows.append({"id": ident, "nama": b.nama, "num": b.numerator, "den": b.denominator, "nilai": b.nilai,
                         "num_ytd": y.numerator, "den_ytd": y.denominator, "nilai_ytd": y.nilai,
                         "target": p.get("target"), "predikat": p.get("predikat") or "",
                         "keterangan": f"Pembilang: {b.label_numerator}\nPenyebut: {b.label_denominator}"})
        self.models["indikator"].set_rows(rows)
        self.models["ppks"].set_rows([dict(r, nama=r["nama"] if r["kode"] else r["nama"].upper()) for r in d.ppks
                                      if r["jumlah"] or r["baru"] or r["dilayani"] or r["dilayani_ytd"]
                                      or r["kode"] is None])
        lay = []
        for ident in d.keluaran:
            h = d.bulan[ident]
            if not h.numerator and not h.ukuran.get("jumlah_layanan") and not h.ukuran.get("kegiatan"):
                continue
            ref = d.layanan_ref.get(h.kode_layanan, {})
            qty = ", ".join(f"{angka(q)} {d.satuan_nama.get(s, s)}" for s, q in h.kuantitas.items())
            sumber = "; ".join(f"{d.sumber_dana_nama.get(s, s or 'tidak diisi')}: {rupiah(v['nilai'])}"
                               for s, v in h.per_sumber_dana.items())
            lay.append({"kode": h.kode_layanan, "nama": ref.get("nama", h.nama), "penerima": h.numerator,
                        "jumlah_layanan": h.ukuran.get("jumlah_layanan", h.ukuran.get("kegiatan")),
                        "kuantitas": qty, "nilai": h.ukuran.get("nilai"), "sumber": sumber})
        self.models["layanan"].set_rows(lay)
        self.models["bencana"].set_rows(d.bencana)
        psks = [r for r in d.psks if r["aktif"] or r["dibina"] or r["dibina_ytd"] or r["kode"] is None]
        psks += [{"nama": f"Kegiatan: {e['nama']} ({tanggal(e['tanggal_mulai'])})", "aktif": e["peserta_terdaftar"],
                  "dibina": e["peserta_hadir"], "dibina_ytd": None} for e in d.kegiatan]
        self.models["psks"].set_rows(psks)
        self.models["bnba"].set_rows([
            dict(r, jumlah_teks=f"{angka(r['jumlah'])} {d.satuan_nama.get(r['satuan'], r['satuan'])}",
                 nik_teks=mask_nik(r["nik"]) if r["nik"] else ("NIK belum ada" if r["orang_id"] else "– (per KK)"))
            for r in d.bnba])
        for key, n in (("bencana", len(d.bencana)), ("bnba", len(d.bnba))):
            i = list(self.models).index(key)
            base = self.tabs.tabText(i).split(" (")[0] if key != "bnba" else self.tr("Penerima (BNBA)")
            self.tabs.setTabText(i, f"{base} ({angka(n)})" if key != "bnba" else f"{base} · {angka(n)}")
        self._show_status()

    def _show_status(self) -> None:
        st = self.data.status_bulan if self.data else None
        label = self.data.periode.label if self.data else ""
        if st and st["ditutup"]:
            self.status.setText(self.tr("Bulan %1 sudah ditutup (dilaporkan) pada %2: %3. Data bulan ini terkunci.")
                                .replace("%1", label).replace("%2", tanggal_panjang(st["ditutup_at"][:10]))
                                .replace("%3", st.get("alasan") or "-"))
            self.status.setProperty("role", "warning")
        elif st:
            self.status.setText(self.tr("Bulan %1 dibuka kembali pada %2 (%3); paket berikutnya: revisi %4.")
                                .replace("%1", label).replace("%2", tanggal_panjang((st.get("dibuka_at") or "")[:10]))
                                .replace("%3", st.get("alasan_buka") or "-").replace("%4", str(st["urutan_paket"] + 1)))
            self.status.setProperty("role", "")
        else:
            self.status.setText(self.tr("Bulan %1 belum ditutup. Setelah rekap diserahkan, tekan \"Tutup bulan\".")
                                .replace("%1", label))
            self.status.setProperty("role", "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        closed = bool(st and st["ditutup"])
        self.tutup.setEnabled(not closed)
        self.buka_kembali.setEnabled(closed)

    # --- actions ----------------------------------------------------------------------------
    def suggested_name(self) -> str:
        return f"rekap-{self.data.kode_wilayah}-{self.periode}.xlsx"

    def export_dialog(self) -> None:
        folder = Path.home() / "Documents"
        start = str((folder if folder.exists() else Path.home()) / self.suggested_name())
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Simpan rekap bulanan"), start,
                                              self.tr("Buku kerja Excel (*.xlsx)"))
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_to(path)

    def export_to(self, path) -> Path | None:
        """Write the workbook of what is on screen; returns the path (None when it failed)."""
        from openpyxl import Workbook

        from exporters.recap_xlsx import isi_buku, simpan

        if self.data is None or self._dirty:
            self.refresh()
        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            target = simpan(isi_buku(Workbook(), self.data), path)
        except KnownError as exc:
            QGuiApplication.restoreOverrideCursor()
            msgbox.error(self, self.tr("Rekap gagal disimpan"), exc.pesan)
            return None
        QGuiApplication.restoreOverrideCursor()
        from db.ekspor_log import catat_ekspor

        catat_ekspor(self.ctx.db, "rekap", target, None)  # UU PDP: the recap lists people by name (BNBA)
        self.last_export = Path(target)
        self.buka.setEnabled(True)
        self.buka.setToolTip(str(target))
        msgbox.info(self, self.tr("Rekap tersimpan"),
                    self.tr("Rekap %1 tersimpan di %2").replace("%1", self.data.periode.label).replace("%2", str(target)))
        return self.last_export

    def open_export(self) -> bool:
        if not self.last_export:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export)))

    def close_month(self) -> None:
        label = self.data.periode.label if self.data else self.periode
        alasan = msgbox.ask_text(self, self.tr("Tutup bulan"),
                                 self.tr("Menutup %1 mengunci semua data bulan itu.\nAlasan / keterangan:")
                                 .replace("%1", label), self.tr("Rekap bulanan dilaporkan"))
        if not alasan:
            return
        try:
            periode_db.tutup_bulan(self.ctx.db, self.periode, alasan)
        except KnownError as exc:
            msgbox.error(self, self.tr("Bulan tidak dapat ditutup"), exc.pesan)
            return
        self.ctx.changed("periode")
        self.refresh()
        msgbox.info(self, self.tr("Bulan ditutup"),
                    self.tr("%1 ditutup. Data bulan itu tidak dapat diubah lagi kecuali dibuka kembali.")
                    .replace("%1", label))

    def reopen_month(self) -> None:
        label = self.data.periode.label if self.data else self.periode
        alasan = msgbox.ask_text(self, self.tr("Buka kembali"),
                                 self.tr("Alasan membuka kembali %1 (wajib, dicatat):").replace("%1", label))
        if not alasan:
            return
        try:
            st = periode_db.buka_kembali(self.ctx.db, self.periode, alasan)
        except KnownError as exc:
            msgbox.error(self, self.tr("Bulan tidak dapat dibuka"), exc.pesan)
            return
        self.ctx.changed("periode")
        self.refresh()
        msgbox.info(self, self.tr("Bulan dibuka kembali"),
                    self.tr("%1 dapat diubah lagi. Paket berikutnya bulan itu dikirim sebagai revisi %2.")
                    .replace("%1", label).replace("%2", str(st["urutan_paket"] + 1)))
