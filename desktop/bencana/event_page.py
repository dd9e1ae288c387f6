"""The page of one disaster event: its window, victims and their service status, aid by type,
vulnerable groups, and the actions (victims, households, emergency aid, event report)."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from db import bencana as B
from db import korban as K
from db import reference
from db.clock import today
from db.errors import KnownError
from db.indonesian import angka, persen, tanggal, tanggal_panjang
from db.nik import mask_nik
from desktop import msgbox
from desktop.widgets.record_table import RecordTableModel, TableColumn, record_view, select_record, selected_record

STATUS_SINGKAT = {"dalam_masa": "Dalam masa tanggap", "terlambat": "Di luar masa", "belum": "Belum dilayani"}
STATUS_COLORS = {"dalam_masa": "#2e7d32", "terlambat": "#8a5a00", "belum": "#b00020"}
STATUS_FILTERS = [("Semua korban", None), ("Belum dilayani", "belum"),
                  ("Dilayani dalam masa tanggap darurat", "dalam_masa"),
                  ("Dilayani di luar masa tanggap darurat", "terlambat")]


class KorbanModel(RecordTableModel):
    """Victims of one event; the status column is coloured (green in time, amber late, red not yet)."""

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid() and self.columns[index.column()].key == "status_layanan":
            row = self.rows[index.row()]
            return QBrush(QColor(STATUS_COLORS.get(row["status_layanan"], "#000000")))
        return super().data(index, role)


def _card(title: str, name: str) -> tuple[QFrame, QLabel, QLabel]:
    card = QFrame()
    card.setProperty("role", "card")
    card.setObjectName(f"kartu_{name}")
    box = QVBoxLayout(card)
    box.setContentsMargins(12, 8, 12, 8)
    value = QLabel("0")
    value.setObjectName(f"nilai_{name}")
    value.setStyleSheet("font-size: 22px; font-weight: 600; color: #1f4e79;")
    sub = QLabel()
    sub.setObjectName(f"sub_{name}")
    sub.setStyleSheet("color: #555;")
    box.addWidget(value)
    box.addWidget(QLabel(title))
    box.addWidget(sub)
    return card, value, sub


def _small_table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QTableWidget.NoEditTriggers)
    t.setSelectionMode(QTableWidget.NoSelection)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
    for c in range(1, len(headers)):
        t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeToContents)
    t.setAlternatingRowColors(True)
    t.setWordWrap(False)
    t.setTextElideMode(Qt.ElideRight)
    t.verticalHeader().setDefaultSectionSize(22)
    return t


def _cell(text, right: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    if right:
        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    if bold:
        f = item.font()
        f.setBold(True)
        item.setFont(f)
    return item


class EventPage(QWidget):
    """Shows one event (``set_bencana``); emits ``back`` when the user returns to the list."""

    back = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.bencana_id: str | None = None
        self.summary: dict | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)

        top = QHBoxLayout()
        self.back_btn = QPushButton(self.tr("← Da&ftar kejadian"))
        self.back_btn.setObjectName("kembali")
        self.back_btn.clicked.connect(self.back.emit)
        top.addWidget(self.back_btn)
        top.addStretch(1)
        self.edit_btn = QPushButton(self.tr("&Ubah kejadian…"))
        self.extend_btn = QPushButton(self.tr("&Perpanjang masa…"))
        self.report_btn = QPushButton(self.tr("&Laporan kejadian ▾"))
        menu = QMenu(self.report_btn)
        self.act_pdf = menu.addAction(self.tr("Simpan PDF…"), lambda: self.export_report("pdf"))
        self.act_xlsx = menu.addAction(self.tr("Simpan Excel…"), lambda: self.export_report("xlsx"))
        self.report_btn.setMenu(menu)
        for b in (self.edit_btn, self.extend_btn, self.report_btn):
            top.addWidget(b)
        layout.addLayout(top)

        self.title = QLabel()
        self.title.setObjectName("judul_kejadian")
        self.title.setStyleSheet("font-size: 18px; font-weight: 600; color: #1f4e79;")
        self.info = QLabel()
        self.info.setObjectName("info_kejadian")
        self.info.setWordWrap(True)
        self.window_label = QLabel()
        self.window_label.setObjectName("masa_tanggap")
        self.window_label.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addWidget(self.window_label)

        cards = QGridLayout()
        self.cards = {}
        for i, (key, title) in enumerate((("korban", self.tr("Korban terdaftar")),
                                          ("dalam_masa", self.tr("Dilayani dalam masa tanggap darurat")),
                                          ("terlambat", self.tr("Dilayani di luar masa")),
                                          ("belum", self.tr("Belum dilayani")))):
            card, value, sub = _card(title, key)
            self.cards[key] = (value, sub)
            cards.addWidget(card, 0, i)
        layout.addLayout(cards)

        split = QSplitter(Qt.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("cari_korban")
        self.search.setPlaceholderText(self.tr("Cari nama, NIK, No. KK, alamat…"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("filter_status")
        for text, value in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(text), value)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.status_filter, 1)
        ll.addLayout(bar)
        tempat_names = dict(reference.daftar(self.db, K.TEMPAT_TINGGAL))
        self.model = KorbanModel([
            TableColumn("nama", self.tr("Nama")),
            TableColumn("status_layanan", self.tr("Status layanan"), lambda v: self.tr(STATUS_SINGKAT.get(v, "")),
                        tooltip=lambda r: B.STATUS_LAYANAN_KORBAN.get(r["status_layanan"], "")),
            TableColumn("jumlah_bantuan", self.tr("Bantuan"), lambda v: angka(v or 0), numeric=True),
            TableColumn("nik", self.tr("NIK"), lambda v: mask_nik(v) if v else self.tr("belum ada")),
            TableColumn("no_kk", self.tr("No. KK"), lambda v: v or ""),
            TableColumn("jenis_kelamin", self.tr("L/P"), lambda v: v or ""),
            TableColumn("tempat_tinggal", self.tr("Tinggal"), lambda v: tempat_names.get(v, "") if v else ""),
            TableColumn("kelompok_rentan", self.tr("Kelompok rentan"), lambda v: K.kelompok_rentan_nama(self.db, v)),
        ], self._fetch, self._count, parent=self)
        self.view = record_view(self.model, "korban", (190, 140, 60, 125, 130, 34, 160))
        ll.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.add_btn = QPushButton(self.tr("Tambah &korban…"))
        self.add_btn.setObjectName("tambah_korban")
        self.family_btn = QPushButton(self.tr("Tambah kelu&arga…"))
        self.family_btn.setObjectName("tambah_keluarga")
        self.edit_victim_btn = QPushButton(self.tr("U&bah korban…"))
        self.delete_btn = QPushButton(self.tr("&Hapus korban…"))
        self.aid_btn = QPushButton(self.tr("Bantuan &darurat ▾"))
        self.aid_btn.setObjectName("bantuan_darurat")
        aid_menu = QMenu(self.aid_btn)
        self.act_aid_one = aid_menu.addAction(self.tr("Untuk korban terpilih…"), lambda: self.give_aid("korban"))
        self.act_aid_kk = aid_menu.addAction(self.tr("Untuk keluarga korban terpilih…"), lambda: self.give_aid("kk"))
        self.act_aid_all = aid_menu.addAction(self.tr("Untuk semua korban kejadian ini…"),
                                              lambda: self.give_aid("kejadian"))
        self.aid_btn.setMenu(aid_menu)
        for b in (self.add_btn, self.family_btn, self.edit_victim_btn, self.delete_btn, self.aid_btn):
            actions.addWidget(b)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("jumlah_korban")
        actions.addWidget(self.count_label)
        ll.addLayout(actions)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        g1 = QGroupBox(self.tr("Bantuan per jenis"))
        v1 = QVBoxLayout(g1)
        self.aid_table = _small_table([self.tr("Jenis"), self.tr("Layanan"), self.tr("Jumlah"), self.tr("Terlambat")],
                                      "bantuan_per_jenis")
        v1.addWidget(self.aid_table)
        g2 = QGroupBox(self.tr("Kelompok rentan"))
        v2 = QVBoxLayout(g2)
        self.rentan_table = _small_table([self.tr("Kelompok"), self.tr("Jiwa")], "kelompok_rentan")
        v2.addWidget(self.rentan_table)
        g3 = QGroupBox(self.tr("Tempat tinggal sementara"))
        v3 = QVBoxLayout(g3)
        self.tempat_table = _small_table([self.tr("Tempat"), self.tr("Jiwa")], "tempat_tinggal")
        v3.addWidget(self.tempat_table)
        rl.addWidget(g1, 3)
        rl.addWidget(g2, 4)
        rl.addWidget(g3, 3)
        split.addWidget(right)
        split.setSizes([780, 420])
        layout.addWidget(split, 1)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh_victims)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh_victims())
        self.edit_btn.clicked.connect(self.edit_event)
        self.extend_btn.clicked.connect(self.extend_window)
        self.add_btn.clicked.connect(self.add_victim)
        self.family_btn.clicked.connect(self.add_family)
        self.edit_victim_btn.clicked.connect(self.edit_victim)
        self.delete_btn.clicked.connect(self.delete_victim)
        self.view.activated.connect(lambda _i: self.edit_victim())  # Enter or double-click
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.add_victim)
        QShortcut(QKeySequence("Ctrl+B"), self, activated=lambda: self.give_aid("korban"))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key_Escape:
            self.back.emit()
            return
        super().keyPressEvent(event)

    # --- data ------------------------------------------------------------------
    def set_bencana(self, bencana_id: str) -> None:
        self.bencana_id = bencana_id
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.status_filter.blockSignals(True)
        self.status_filter.setCurrentIndex(0)
        self.status_filter.blockSignals(False)
        self.refresh()

    def _fetch(self, offset, limit, sort_key, descending):
        if not self.bencana_id:
            return []
        return K.daftar_korban(self.db, self.bencana_id, offset, limit, sort_key, descending,
                               cari=self.search.text() or None, status=self.status_filter.currentData())

    def _count(self):
        if not self.bencana_id:
            return 0
        return K.hitung_korban(self.db, self.bencana_id, cari=self.search.text() or None,
                               status=self.status_filter.currentData())

    def refresh(self) -> None:
        if not self.bencana_id:
            return
        try:
            s = B.ringkasan_bencana(self.db, self.bencana_id)
        except KnownError:
            self.back.emit()
            return
        self.summary = s
        ev = s["bencana"]
        self.title.setText(f"{ev['jenis_nama']} — {ev['kode_kejadian'] or ''}")
        place = ", ".join(x for x in (ev["lokasi"], f"RT {ev['rt']}/RW {ev['rw']}" if ev["rt"] or ev["rw"] else "",
                                      f"Kel. {ev['kelurahan_nama']}" if ev["kelurahan_nama"] else "",
                                      f"Kec. {ev['kecamatan_nama']}" if ev["kecamatan_nama"] else "") if x)

        def est(v):
            return "-" if v is None else angka(v)

        self.info.setText(
            f"{tanggal_panjang(ev['tanggal'], hari=True)}{', pukul ' + ev['waktu'] if ev['waktu'] else ''} · "
            f"{ev['kelompok_nama']} · {place}<br>"
            + self.tr("Perkiraan awal: %1 KK, %2 jiwa, %3 rumah rusak · Status: %4")
            .replace("%1", est(ev["kk_terdampak"])).replace("%2", est(ev["jiwa_terdampak"]))
            .replace("%3", est(ev["rumah_rusak"])).replace("%4", ev["status_nama"]))
        akhir = _dt.date.fromisoformat(ev["akhir_masa_tanggap"])
        text = (self.tr("Masa tanggap darurat %1 hari: %2 s.d. %3").replace("%1", str(ev["lama_tanggap_darurat"]))
                .replace("%2", tanggal(ev["tanggal"])).replace("%3", tanggal(akhir)))
        sisa = (akhir - today()).days
        if sisa >= 0:
            text += " — " + self.tr("masih berlangsung, sisa %1 hari").replace("%1", str(sisa))
            color = "#2e7d32"
        else:
            text += " — " + self.tr("sudah berakhir")
            color = "#555555"
        if ev["alasan_perpanjangan"]:
            text += " · " + self.tr("diubah: %1").replace("%1", ev["alasan_perpanjangan"])
        self.window_label.setText(text)
        self.window_label.setStyleSheet(f"color: {color}; font-weight: 600;")

        total = s["korban"]["total"]
        self.cards["korban"][0].setText(angka(total))
        self.cards["korban"][1].setText(self.tr("%1 L · %2 P · %3 KK").replace("%1", angka(s["korban"]["L"]))
                                        .replace("%2", angka(s["korban"]["P"])).replace("%3", angka(s["korban"]["kk"])))
        for key in ("dalam_masa", "terlambat", "belum"):
            n = s["dilayani"][key]
            self.cards[key][0].setText(angka(n))
            self.cards[key][0].setStyleSheet(f"font-size: 22px; font-weight: 600; color: {STATUS_COLORS[key]};")
            self.cards[key][1].setText(persen(n * 100.0 / total) if total else "-")

        self.aid_table.setRowCount(0)
        for b in s["bantuan"]:
            r = self.aid_table.rowCount()
            self.aid_table.insertRow(r)
            satuan = "/".join(reference.daftar_nama(self.db, "satuan", k) or k for k in b["satuan"].split(",") if k)
            name = _cell(b["nama"])
            name.setToolTip(f"{b['kode']} {b['nama']}")
            self.aid_table.setItem(r, 0, name)
            self.aid_table.setItem(r, 1, _cell(angka(b["layanan"]), right=True))
            self.aid_table.setItem(r, 2, _cell(f"{angka(b['jumlah'])} {satuan}", right=True))
            self.aid_table.setItem(r, 3, _cell(angka(b["terlambat"]), right=True))
        if not s["bantuan"]:
            self.aid_table.insertRow(0)
            self.aid_table.setItem(0, 0, _cell(self.tr("Belum ada bantuan")))
        self.rentan_table.setRowCount(0)
        for x in s["rentan"] + [{"nama": self.tr("Korban rentan (orang)"), "jumlah": s["rentan_total"], "total": 1}]:
            r = self.rentan_table.rowCount()
            self.rentan_table.insertRow(r)
            self.rentan_table.setItem(r, 0, _cell(x["nama"], bold="total" in x))
            self.rentan_table.setItem(r, 1, _cell(angka(x["jumlah"]), right=True, bold="total" in x))
        self.tempat_table.setRowCount(0)
        names = dict(reference.daftar(self.db, K.TEMPAT_TINGGAL))
        rows = list(s["korban"]["tempat_tinggal"].items())
        if s["korban"]["tempat_tinggal_kosong"]:
            rows.append((None, s["korban"]["tempat_tinggal_kosong"]))
        for kode, n in rows:
            r = self.tempat_table.rowCount()
            self.tempat_table.insertRow(r)
            self.tempat_table.setItem(r, 0, _cell(names.get(kode, self.tr("Belum diisi"))))
            self.tempat_table.setItem(r, 1, _cell(angka(n), right=True))
        self.refresh_victims()

    def refresh_victims(self) -> None:
        self.model.reload()
        if self.model.rows:
            self.view.selectRow(0)
        shown = self.model.total or 0
        total = self.summary["korban"]["total"] if self.summary else 0
        self.count_label.setText(self.tr("%1 dari %2 korban").replace("%1", angka(shown)).replace("%2", angka(total))
                                 if shown != total else self.tr("%1 korban").replace("%1", angka(total)))
        self._update_buttons()

    def selected(self) -> dict | None:
        return selected_record(self.view)

    def select_orang(self, orang_id: str) -> bool:
        return select_record(self.view, self.model, "orang_id", orang_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        for w in (self.edit_victim_btn, self.delete_btn):
            w.setEnabled(row is not None)
        self.act_aid_one.setEnabled(row is not None)
        self.act_aid_kk.setEnabled(bool(row and row.get("no_kk")))
        self.act_aid_all.setEnabled(bool(self.summary and self.summary["korban"]["total"]))

    def _changed(self) -> None:
        self.refresh()

    # --- actions -----------------------------------------------------------------
    def run_dialog(self, dlg) -> bool:
        """Show a dialog modally; True when accepted (tests replace this to drive the dialog)."""
        self.last_dialog = dlg
        return bool(dlg.exec())

    def edit_event(self) -> None:
        from desktop.bencana.dialogs import BencanaDialog

        dlg = BencanaDialog(self.ctx, self.bencana_id, parent=self)
        if self.run_dialog(dlg):
            self.refresh()

    def extend_window(self) -> None:
        ev = B.get_bencana(self.db, self.bencana_id)
        lama = msgbox.ask_text(self, self.tr("Masa tanggap darurat"),
                               self.tr("Lama masa tanggap darurat (hari) untuk kejadian ini:"),
                               str(ev["lama_tanggap_darurat"]))
        if lama is None:
            return
        if not lama.strip().isdigit():
            msgbox.error(self, self.tr("Masa tanggap darurat"), self.tr("Tulis jumlah hari sebagai angka."))
            return
        alasan = msgbox.ask_text(self, self.tr("Alasan perubahan"),
                                 self.tr("Alasan perubahan masa tanggap darurat (mis. nomor SK perpanjangan):"))
        if alasan is None:
            return
        try:
            B.ubah_masa_tanggap(self.db, self.bencana_id, int(lama), alasan)
        except KnownError as exc:
            msgbox.error(self, self.tr("Masa tanggap darurat tidak diubah"), exc.pesan)
            return
        self.ctx.changed("bencana")
        self.refresh()

    def add_victim(self) -> None:
        from desktop.bencana.dialogs import KorbanDialog

        dlg = KorbanDialog(self.ctx, self.bencana_id, parent=self)
        if self.run_dialog(dlg):
            self.refresh()
            self.select_orang(dlg.record["orang_id"])

    def add_family(self) -> None:
        from desktop.bencana.dialogs import KeluargaDialog

        dlg = KeluargaDialog(self.ctx, self.bencana_id, parent=self)
        if self.run_dialog(dlg):
            self.refresh()

    def edit_victim(self) -> None:
        from desktop.bencana.dialogs import KorbanDialog

        row = self.selected()
        if row is None:
            return
        dlg = KorbanDialog(self.ctx, self.bencana_id, korban_id=row["id"], parent=self)
        if self.run_dialog(dlg):
            self.refresh()

    def delete_victim(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not msgbox.with_reason(
                self, self.tr("Hapus korban"),
                self.tr("Alasan menghapus %1 dari daftar korban:").replace("%1", row["nama"]),
                lambda alasan: K.hapus_korban(self.db, row["id"], alasan),
                error_title=self.tr("Korban tidak dihapus")):
            return
        self.ctx.changed("korban")
        self.refresh()

    def give_aid(self, scope: str) -> None:
        from desktop.bencana.dialogs import BantuanDialog

        row = self.selected()
        if scope in ("korban", "kk") and row is None:
            msgbox.info(self, self.tr("Bantuan darurat"), self.tr("Pilih dulu korbannya di daftar."))
            return
        if scope == "kk" and not row.get("no_kk"):
            msgbox.info(self, self.tr("Bantuan darurat"),
                        self.tr("%1 belum memiliki No. KK; beri bantuan perorangan.").replace("%1", row["nama"]))
            return
        kwargs = {}
        if scope == "korban":
            kwargs["korban_id"] = row["id"]
        elif scope == "kk":
            kwargs["no_kk"] = row["no_kk"]
        dlg = BantuanDialog(self.ctx, self.bencana_id, parent=self, **kwargs)
        if self.run_dialog(dlg):
            self.refresh()

    def export_report(self, kind: str, path: str | None = None) -> str | None:
        from exporters.laporan_bencana import write_laporan_pdf, write_laporan_xlsx

        ev = self.summary["bencana"] if self.summary else B.get_bencana(self.db, self.bencana_id)
        if path is None:
            suggested = str(Path(self.ctx.db_path).parent / f"Laporan bencana {ev['kode_kejadian'] or ''}.{kind}")
            filt = self.tr("PDF (*.pdf)") if kind == "pdf" else self.tr("Buku kerja Excel (*.xlsx)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Simpan laporan kejadian"), suggested, filt)
            if not path:
                return None
        if not str(path).lower().endswith("." + kind):
            path = f"{path}.{kind}"
        try:
            written = (write_laporan_pdf if kind == "pdf" else write_laporan_xlsx)(self.db, self.bencana_id, path)
        except KnownError as exc:
            msgbox.error(self, self.tr("Laporan tidak tersimpan"), exc.pesan)
            return None
        from db.ekspor_log import catat_ekspor

        catat_ekspor(self.db, "laporan_bencana", written, None)  # UU PDP: the report lists the victims
        msgbox.info(self, self.tr("Laporan tersimpan"), self.tr("Laporan kejadian disimpan di:\n%1").replace("%1", written))
        return written
