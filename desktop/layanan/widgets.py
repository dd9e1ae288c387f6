"""Pickers and the shared service fields of the Layanan area."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox, QCompleter, QFormLayout, QLabel, QLineEdit, QWidget,
)

from db import layanan as layanan_db, reference
from db.clock import today
from db.indonesian import angka, tanggal as tanggal_pendek
from db.parsing import parse_rupiah
from desktop.widgets.date_edit import DateEdit
from desktop.widgets.form import FieldErrors


def layanan_label(row: dict) -> str:
    return f"{row['kode']} — {row['nama']}"


class LayananPicker(QComboBox):
    """Sub-kegiatan picker: only service lines, grouped by program, searchable by code or name.

    Type part of a code or name ("permakanan", "2.01.03") and pick from the
    pop-up. ``kode()`` is the chosen code, or the code typed (normalised) so
    that a non-service code still reaches validation and gets its message.
    """

    kodeChanged = Signal(object)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.setMaxVisibleItems(18)
        # Names run to 150 characters: do not let them size the dialog.
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(34)
        self.rows = {r["kode"]: r for r in layanan_db.layanan_jasa(db)}
        model = QStandardItemModel(self)
        bold = QFont()
        bold.setBold(True)
        empty = QStandardItem("")
        empty.setData(None, Qt.UserRole)
        model.appendRow(empty)
        program = None
        labels = []
        for r in self.rows.values():
            if r["program_kode"] != program:
                program = r["program_kode"]
                head = QStandardItem(f"{r['program_kode']} {r['program_nama']}")
                head.setFlags(Qt.NoItemFlags)
                head.setFont(bold)
                head.setData(None, Qt.UserRole)
                model.appendRow(head)
            item = QStandardItem("    " + layanan_label(r))
            item.setData(r["kode"], Qt.UserRole)
            item.setData(layanan_label(r), Qt.EditRole)
            item.setData("    " + layanan_label(r), Qt.DisplayRole)
            model.appendRow(item)
            labels.append(layanan_label(r))
        self.setModel(model)
        self.lineEdit().setPlaceholderText(self.tr("Ketik kode atau nama sub-kegiatan…"))
        self.search_model = QStringListModel(labels, self)
        self.completer_ = QCompleter(self.search_model, self)
        self.completer_.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchContains)
        self.completer_.setCompletionMode(QCompleter.PopupCompletion)
        self.completer_.setMaxVisibleItems(14)
        self.setCompleter(self.completer_)
        self.completer_.activated[str].connect(self._chosen)
        self.currentIndexChanged.connect(lambda _i: self.kodeChanged.emit(self.kode()))
        self.lineEdit().editingFinished.connect(self._typed)
        self.setCurrentIndex(0)

    def _chosen(self, label: str) -> None:
        kode = label.split(" — ", 1)[0].strip()
        self.set_kode(kode)

    def _typed(self) -> None:
        kode = self.kode()
        if kode in self.rows and self.currentData(Qt.UserRole) != kode:
            self.set_kode(kode)

    def set_kode(self, kode: str | None) -> None:
        norm = reference.normalize_kode_layanan(kode) if kode else None
        for i in range(self.count()):
            if self.itemData(i, Qt.UserRole) == norm and norm:
                self.setCurrentIndex(i)
                self.setEditText(layanan_label(self.rows[norm]))
                self.kodeChanged.emit(norm)
                return
        self.setCurrentIndex(0)
        self.setEditText(kode or "")
        self.kodeChanged.emit(self.kode())

    def kode(self) -> str | None:
        text = self.currentText().strip()
        if not text:
            return None
        data = self.currentData(Qt.UserRole)
        if data and text == layanan_label(self.rows[data]):
            return data
        head = text.split(" — ", 1)[0].strip()
        return reference.normalize_kode_layanan(head) or text

    def row(self) -> dict | None:
        return self.rows.get(self.kode() or "")


class PenerimaPicker(QLineEdit):
    """Person picker over the register: type a name or NIK, choose from the pop-up.

    ``orang_id()`` is the chosen person (None until one is chosen; typing
    again clears the choice). ``set_orang(id)`` preselects someone.
    """

    orangChanged = Signal(object)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self._orang: dict | None = None
        self._found: dict[str, dict] = {}
        self.setPlaceholderText(self.tr("Ketik nama atau NIK penerima…"))
        self.model = QStringListModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[str].connect(self._chosen)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._refresh)
        self.textEdited.connect(self._edited)

    @staticmethod
    def label(row: dict) -> str:
        tr = QCoreApplication.translate
        ident = row.get("nik") or row.get("nik_sementara") or tr("PenerimaPicker", "tanpa NIK")
        if row.get("tanggal_lahir"):
            ident += ", " + tr("PenerimaPicker", "lahir %1").replace("%1", tanggal_pendek(row["tanggal_lahir"]))
        return f"{row['nama']} ({ident})"

    def _edited(self, _text: str) -> None:
        if self._orang is not None:
            self._orang = None
            self.orangChanged.emit(None)
        self._timer.start()

    def _refresh(self) -> None:
        self._timer.stop()  # called directly (tests, Enter) it replaces the pending search
        text = self.text().strip()
        if len(text) < 2:
            return
        rows = layanan_db.cari_penerima(self.db, text, limit=20)
        self._found = {self.label(r): r for r in rows}
        self.model.setStringList(list(self._found))
        if self._found:
            self.completer_.complete()

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _chosen(self, label: str) -> None:
        row = self._found.get(label)
        if row:
            self.set_orang(row["id"])

    def set_orang(self, orang_id: str | None) -> None:
        row = None
        if orang_id:
            cur = self.db.execute(
                "SELECT id, nama, nik, nik_sementara, tanggal_lahir, alamat, rt, rw, deleted_at FROM orang WHERE id = ?",
                [orang_id])
            values = cur.fetchone()
            row = dict(zip([c[0] for c in cur.description], values)) if values else None
        self._orang = row
        self.setText(self.label(row) if row else "")
        self.orangChanged.emit(orang_id if row else None)

    def orang_id(self) -> str | None:
        return self._orang["id"] if self._orang else None

    def orang(self) -> dict | None:
        return self._orang


class LayananFields(QWidget):
    """The fields of a service except the recipient; used by the single and the distribution dialog.

    ``values()`` returns the dict ``db.layanan`` takes (raw text where the
    user typed text); ``errors`` shows messages next to the fields.
    """

    changed = Signal()

    def __init__(self, ctx, form: QFormLayout | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        own = form is None
        if own:
            form = QFormLayout(self)
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.form = form
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #b00020")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.errors = FieldErrors(form, self.summary)

        self.layanan = LayananPicker(self.db)
        self.bencana = QComboBox()
        self.bencana.addItem(self.tr("— pilih kejadian bencana —"), None)
        for ev in layanan_db.bencana_pilihan(self.db):
            kode = ev["kode_kejadian"] or self.tr("(tanpa kode)")
            text = f"{kode} · {ev['jenis_nama'] or ''} · {tanggal_pendek(ev['tanggal'])}"
            if ev["lokasi"]:
                text += f" · {ev['lokasi']}"
            self.bencana.addItem(text, ev["id"])
        self.tanggal = DateEdit()
        self.tanggal.set_date(today())
        self.jumlah = QLineEdit("1")
        self.jumlah.setMaximumWidth(110)
        self.satuan = QComboBox()
        for kode, nama in reference.daftar(self.db, "satuan"):
            self.satuan.addItem(nama, kode)
        self.nilai = QLineEdit()
        self.nilai.setPlaceholderText(self.tr("mis. 1.500.000"))
        self.nilai.editingFinished.connect(self._format_nilai)
        self.sumber_dana = QComboBox()
        self.sumber_dana.addItem(self.tr("— pilih sumber dana —"), None)
        for kode, nama in reference.daftar(self.db, "sumber_dana"):
            self.sumber_dana.addItem(nama, kode)
        self.petugas = QLineEdit(ctx.install.operator_nama if ctx.install else "")
        self.psks = QComboBox()
        self.psks.addItem(self.tr("— tidak ada —"), None)
        for pid, nama, jenis in self.db.execute(
                "SELECT p.id, p.nama, coalesce(j.singkatan, j.nama, p.jenis_kode) FROM psks p "
                "LEFT JOIN ref_psks_jenis j ON j.kode = p.jenis_kode "
                "WHERE p.deleted_at IS NULL AND p.status = 'aktif' ORDER BY p.nama COLLATE NOCASE LIMIT 1000"):
            self.psks.addItem(f"{nama} ({jenis})", pid)
        self.keterangan = QLineEdit()

        self.errors.add("kode_layanan", self.tr("&Layanan"), self.layanan)
        self.errors.add("bencana_id", self.tr("&Kejadian bencana"), self.bencana)
        self.errors.add("tanggal", self.tr("&Tanggal"), self.tanggal)
        self.errors.add("jumlah", self.tr("&Jumlah"), self.jumlah)
        self.errors.add("satuan", self.tr("Sat&uan"), self.satuan)
        self.errors.add("nilai", self.tr("&Nilai (Rp)"), self.nilai)
        self.errors.add("sumber_dana", self.tr("Sumber &dana"), self.sumber_dana)
        self.errors.add("petugas", self.tr("&Petugas"), self.petugas)
        self.errors.add("psks_id", self.tr("PSKS pel&aksana"), self.psks)
        self.errors.add("keterangan", self.tr("Keteran&gan"), self.keterangan)
        self.layanan.kodeChanged.connect(self._layanan_changed)
        self._layanan_changed(None)

    def _format_nilai(self) -> None:
        try:
            value = parse_rupiah(self.nilai.text())
        except ValueError:
            return
        if value is not None:
            self.nilai.setText(angka(value))

    def _layanan_changed(self, _kode) -> None:
        row = self.layanan.row()
        is_bencana = bool(row and row["bencana"])
        self.bencana.setVisible(is_bencana)
        self.form.labelForField(self.bencana).setVisible(is_bencana)
        if row:
            i = self.satuan.findData(row["satuan_default"])
            if i >= 0:
                self.satuan.setCurrentIndex(i)
        self.changed.emit()

    def tanggal_value(self):
        return self.tanggal.date() if self.tanggal.date() else self.tanggal.text()

    def values(self) -> dict:
        row = self.layanan.row()
        return {
            "kode_layanan": self.layanan.kode(),
            "tanggal": self.tanggal_value(),
            "jumlah": self.jumlah.text(),
            "satuan": self.satuan.currentData(),
            "nilai": self.nilai.text(),
            "sumber_dana": self.sumber_dana.currentData(),
            "petugas": self.petugas.text(),
            "psks_id": self.psks.currentData(),
            "bencana_id": self.bencana.currentData() if row and row["bencana"] else None,
            "keterangan": self.keterangan.text(),
        }

    def set_bencana(self, bencana_id: str | None) -> None:
        i = self.bencana.findData(bencana_id)
        self.bencana.setCurrentIndex(max(i, 0))

