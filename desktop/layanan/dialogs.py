"""Catat layanan (one person) and Distribusi (one service to many people at once)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from db import layanan as layanan_db, reference
from db.errors import KnownError, ValidationError
from db.indonesian import angka, rupiah, tanggal as tanggal_pendek
from db.layanan import DistribusiError, PerluKonfirmasi
from db.parsing import parse_rupiah
from desktop import msgbox
from desktop.layanan import fill
from desktop.layanan.widgets import LayananFields, PenerimaPicker


def _buttons(ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.AcceptRole)
    cancel = box.addButton("&Batal", QDialogButtonBox.RejectRole)
    ok.setDefault(True)
    ok.setAutoDefault(True)
    cancel.setAutoDefault(False)
    return box, ok


def _confirm_warnings(parent, warnings: list[str], question: str) -> bool:
    tr = QCoreApplication.translate
    text = "\n".join("• " + w for w in warnings[:12])
    if len(warnings) > 12:
        text += "\n• " + fill(tr("Layanan", "… dan %1 peringatan lain"), len(warnings) - 12)
    return msgbox.confirm(parent, tr("Layanan", "Periksa dulu"), text + "\n\n" + question,
                          yes=tr("Layanan", "Tetap simpan"), no=tr("Layanan", "Batal"))


class CatatDialog(QDialog):
    """Record one service. After ``accept()``, ``record`` is the saved row (with ``kuitansi``)."""

    def __init__(self, ctx, orang_id: str | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.record: dict | None = None
        self.setWindowTitle(self.tr("Catat layanan"))
        self.setMinimumWidth(620)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.penerima = PenerimaPicker(ctx.db)
        self.penerima_info = QLabel()
        self.penerima_info.setStyleSheet("color: #555")
        self.penerima_info.setWordWrap(True)
        outer.addLayout(form)
        self.fields = LayananFields(ctx, form)
        # The recipient goes first: insert its rows at the top of the form.
        form.insertRow(0, self.tr("P&enerima"), self.penerima)
        form.insertRow(1, "", self.penerima_info)
        self.penerima_error = QLabel()
        self.penerima_error.setObjectName("error_orang_id")
        self.penerima_error.setStyleSheet("color: #b00020")
        self.penerima_error.setWordWrap(True)
        self.penerima_error.hide()
        form.insertRow(2, "", self.penerima_error)
        self.fields.errors.labels["orang_id"] = self.penerima_error
        self.fields.errors.labels["no_kk"] = self.penerima_error
        outer.addWidget(self.fields.summary)
        self.show_receipt = QCheckBox(self.tr("Ta&mpilkan kuitansi setelah disimpan"))
        self.show_receipt.setChecked(True)
        outer.addWidget(self.show_receipt)
        box, self.ok = _buttons(self.tr("&Simpan"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        outer.addWidget(box)
        self.penerima.orangChanged.connect(self._penerima_changed)
        if orang_id:
            self.penerima.set_orang(orang_id)
        self.setTabOrder(self.penerima, self.fields.layanan)
        self.penerima.setFocus()

    def _penerima_changed(self, _orang_id) -> None:
        row = self.penerima.orang()
        if not row:
            self.penerima_info.clear()
            return
        bits = [row.get("alamat") or ""]
        if row.get("rt") or row.get("rw"):
            bits.append(fill(self.tr("RT %1/RW %2"), row.get("rt") or "-", row.get("rw") or "-"))
        if row.get("tanggal_lahir"):
            bits.append(fill(self.tr("lahir %1"), tanggal_pendek(row["tanggal_lahir"])))
        if row.get("deleted_at"):
            bits.append(self.tr("SUDAH DIHAPUS dari register"))
        self.penerima_info.setText(", ".join(b for b in bits if b))

    def values(self) -> dict:
        return {"orang_id": self.penerima.orang_id(), **self.fields.values()}

    def save(self) -> None:
        self.fields.errors.clear()
        if self.fields.tanggal.error():
            self.fields.errors.show({"tanggal": self.fields.tanggal.error()})
            return
        values = self.values()
        try:
            try:
                rec = layanan_db.catat_layanan(self.ctx.db, values)
            except PerluKonfirmasi as exc:
                if not _confirm_warnings(self, exc.warnings, self.tr("Tetap simpan layanan ini?")):
                    return
                rec = layanan_db.catat_layanan(self.ctx.db, values, konfirmasi=True)
        except ValidationError as exc:
            self.fields.errors.show(exc.errors)
            return
        except KnownError as exc:
            msgbox.error(self, self.tr("Layanan tidak tersimpan"), exc.pesan)
            return
        self.record = rec
        self.ctx.changed("layanan")
        self.accept()


class _Candidates(QStandardItemModel):
    def __init__(self, parent=None):
        headers = [self.tr("Nama"), self.tr("NIK"), self.tr("Tgl lahir"), self.tr("Alamat"), self.tr("RT/RW"),
                   self.tr("Kategori")]
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)

    def fill(self, rows: list[dict], checked: set[str]) -> None:
        self.removeRows(0, self.rowCount())
        for r in rows:
            first = QStandardItem(r["nama"])
            first.setCheckable(True)
            first.setEditable(False)
            first.setData(r["id"], Qt.UserRole)
            first.setCheckState(Qt.Checked if r["id"] in checked else Qt.Unchecked)
            rest = [r["nik"] or r["nik_sementara"] or "", tanggal_pendek(r["tanggal_lahir"]), r["alamat"] or "",
                    f"{r['rt'] or '-'}/{r['rw'] or '-'}", r["kategori"] or ""]
            items = [first] + [QStandardItem(str(v)) for v in rest]
            for it in items[1:]:
                it.setEditable(False)
            self.appendRow(items)

    def ids(self, state=Qt.Checked) -> list[str]:
        out = []
        for i in range(self.rowCount()):
            it = self.item(i, 0)
            if it.checkState() == state:
                out.append(it.data(Qt.UserRole))
        return out

    def set_all(self, state) -> None:
        for i in range(self.rowCount()):
            self.item(i, 0).setCheckState(state)


class DistribusiDialog(QDialog):
    """The same service to many people: pick recipients with filters and a checklist, confirm, save once.

    After ``accept()``, ``hasil`` is the ``HasilDistribusi``; the page then
    offers the batch PDF of all receipts.
    """

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.hasil = None
        self.checked: set[str] = set()
        self.setWindowTitle(self.tr("Distribusi layanan"))
        self.resize(1100, 760)
        outer = QVBoxLayout(self)
        split = QSplitter(Qt.Horizontal)
        outer.addWidget(split, 1)

        left = QGroupBox(self.tr("&1. Layanan yang dibagikan"))
        left_layout = QVBoxLayout(left)
        self.fields = LayananFields(ctx)
        left_layout.addWidget(self.fields)
        left_layout.addWidget(self.fields.summary)
        left_layout.addStretch(1)
        split.addWidget(left)

        right = QGroupBox(self.tr("&2. Penerima"))
        rl = QVBoxLayout(right)
        filters = QHBoxLayout()
        self.kategori = QComboBox()
        self.kategori.addItem(self.tr("Semua kategori PPKS"), None)
        for k in reference.ppks_kategori(self.db):
            self.kategori.addItem(f"{k['kode']} {k['nama']}", k["kode"])
        self.kelompok = QComboBox()
        self.kelompok.addItem(self.tr("Semua kelompok SPM"), None)
        for g in reference.spm_kelompok(self.db):
            self.kelompok.addItem(g["nama"], g["kode"])
        self.rt = QLineEdit()
        self.rt.setPlaceholderText(self.tr("RT"))
        self.rt.setMaximumWidth(50)
        self.rw = QLineEdit()
        self.rw.setPlaceholderText(self.tr("RW"))
        self.rw.setMaximumWidth(50)
        self.cari = QLineEdit()
        self.cari.setPlaceholderText(self.tr("Cari nama/NIK/alamat…"))
        self.kategori.setMaximumWidth(250)
        self.kelompok.setMaximumWidth(210)
        self.cari.setMinimumWidth(150)
        for w in (self.kategori, self.kelompok, self.rt, self.rw, self.cari):
            filters.addWidget(w)
        filters.setStretch(4, 1)
        rl.addLayout(filters)
        self.victims_note = QLabel()
        self.victims_note.setStyleSheet("color: #1f4e79")
        self.victims_note.hide()
        rl.addWidget(self.victims_note)
        self.model = _Candidates(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(3, 200)
        rl.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.all_btn = QPushButton(self.tr("Pilih &semua"))
        self.none_btn = QPushButton(self.tr("K&osongkan"))
        self.count_label = QLabel()
        row.addWidget(self.all_btn)
        row.addWidget(self.none_btn)
        row.addStretch(1)
        row.addWidget(self.count_label)
        rl.addLayout(row)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 680])

        self.problem = QLabel()
        self.problem.setObjectName("distribusi_problem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.hide()
        outer.addWidget(self.problem)
        box, self.ok = _buttons(self.tr("&Catat distribusi…"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        outer.addWidget(box)

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.reload)
        for w in (self.kategori, self.kelompok):
            w.currentIndexChanged.connect(lambda _i: self.reload())
        for w in (self.rt, self.rw, self.cari):
            w.textEdited.connect(lambda _t: self._timer.start())
        self.fields.changed.connect(self.reload)
        self.fields.bencana.currentIndexChanged.connect(lambda _i: self.reload())
        self.all_btn.clicked.connect(lambda: self._set_all(Qt.Checked))
        self.none_btn.clicked.connect(lambda: self._set_all(Qt.Unchecked))
        self.model.itemChanged.connect(self._item_changed)
        self.fields.nilai.textChanged.connect(lambda _t: self._update_count())
        QShortcut(QKeySequence("Ctrl+A"), self.table, activated=lambda: self._set_all(Qt.Checked))
        self.reload()

    # --- recipients -------------------------------------------------------------
    def _bencana_id(self) -> str | None:
        row = self.fields.layanan.row()
        return self.fields.bencana.currentData() if row and row["bencana"] else None

    def reload(self) -> None:
        self._timer.stop()
        bencana_id = self._bencana_id()
        is_bencana = bool(self.fields.layanan.row() and self.fields.layanan.row()["bencana"])
        self.victims_note.setVisible(is_bencana)
        if is_bencana:
            self.victims_note.setText(
                self.tr("Bantuan bencana hanya untuk korban kejadian yang dipilih: daftar berisi korban kejadian itu.")
                if bencana_id else self.tr("Pilih kejadian bencana untuk melihat korbannya."))
        if is_bencana and not bencana_id:
            rows = []
        else:
            rows = layanan_db.calon_penerima(
                self.db, kategori=self.kategori.currentData(), kelompok_spm=self.kelompok.currentData(),
                rt=self.rt.text().strip() or None, rw=self.rw.text().strip() or None,
                cari=self.cari.text().strip() or None, bencana_id=bencana_id)
        self.model.blockSignals(True)
        self.model.fill(rows, self.checked)
        self.model.blockSignals(False)
        self.model.layoutChanged.emit()
        self._update_count()

    def _item_changed(self, item) -> None:
        if item.column() != 0:
            return
        oid = item.data(Qt.UserRole)
        if item.checkState() == Qt.Checked:
            self.checked.add(oid)
        else:
            self.checked.discard(oid)
        self._update_count()

    def _set_all(self, state) -> None:
        self.model.blockSignals(True)
        self.model.set_all(state)
        self.model.blockSignals(False)
        shown = self.model.ids(Qt.Checked) + self.model.ids(Qt.Unchecked)
        if state == Qt.Checked:
            self.checked.update(shown)
        else:
            self.checked.difference_update(shown)
        self.table.viewport().update()
        self._update_count()

    def selected_ids(self) -> list[str]:
        """Checked recipients, in the order of the list (checked ones hidden by a filter included)."""
        shown = self.model.ids(Qt.Checked)
        hidden = sorted(self.checked - set(shown))
        return shown + hidden

    def _nilai(self) -> int:
        try:
            return parse_rupiah(self.fields.nilai.text()) or 0
        except ValueError:
            return 0

    def _update_count(self) -> None:
        n = len(self.checked)
        total = n * self._nilai()
        text = fill(self.tr("%1 penerima dipilih dari %2 ditampilkan"), angka(n), angka(self.model.rowCount()))
        if total:
            text += fill(self.tr(" · total %1"), rupiah(total))
        self.count_label.setText(text)

    # --- saving -----------------------------------------------------------------
    def save(self) -> None:
        self.fields.errors.clear()
        self.problem.hide()
        if self.fields.tanggal.error():
            self.fields.errors.show({"tanggal": self.fields.tanggal.error()})
            return
        ids = self.selected_ids()
        values = self.fields.values()
        check = layanan_db.periksa_distribusi(self.db, ids, values) if ids else None
        if not ids:
            self._show_problem(self.tr("Pilih minimal satu penerima (centang di daftar)."))
            return
        per_orang = {r["orang_id"]: (r, t) for r, t in zip(check.rows, check.temuan) if t.errors}
        if check.common:
            self.fields.errors.show(check.common)
            return
        if per_orang:
            lines = [f"{(r['_orang'] or {}).get('nama', oid)}: {'; '.join(t.errors.values())}"
                     for oid, (r, t) in list(per_orang.items())[:8]]
            more = fill(self.tr("\n… dan %1 lainnya"), len(per_orang) - 8) if len(per_orang) > 8 else ""
            self._show_problem(fill(self.tr("%1 penerima tidak dapat dicatat (hapus centangnya atau perbaiki "
                                            "datanya):"), len(per_orang)) + "\n" + "\n".join(lines) + more)
            return
        ref = self.fields.layanan.row()
        nilai = check.rows[0]["nilai"] if check.rows else 0
        question = fill(self.tr("Catat %1 untuk %2 penerima pada %3"), ref["nama"] if ref else values["kode_layanan"],
                        angka(len(ids)), tanggal_pendek(check.rows[0]["tanggal"]))
        if nilai:
            question += fill(self.tr(", total %1"), rupiah(nilai * len(ids)))
        question += fill(self.tr("?\nSetiap penerima mendapat satu kuitansi (%1 nomor kuitansi)."), angka(len(ids)))
        if check.warnings:
            if not _confirm_warnings(self, check.warnings, question):
                return
        elif not msgbox.confirm(self, self.tr("Catat distribusi"), question, yes=self.tr("Catat"), no=self.tr("Batal")):
            return
        try:
            self.hasil = layanan_db.catat_distribusi(self.db, ids, values, konfirmasi=True)
        except DistribusiError as exc:
            self._show_problem(exc.errors.get("penerima") or exc.pesan)
            self.fields.errors.show({k: v for k, v in exc.errors.items() if k != "penerima"})
            return
        except ValidationError as exc:
            self.fields.errors.show(exc.errors)
            return
        except KnownError as exc:
            msgbox.error(self, self.tr("Distribusi tidak tersimpan"), exc.pesan)
            return
        self.ctx.changed("layanan")
        self.accept()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

