"""Dialogs of the Bencana area: event, victim (existing or new person), household, emergency aid."""
from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from db import bencana as B
from db import bencana_bantuan as BB
from db import korban as K
from db import records, reference
from db.clock import today
from db.errors import KnownError, ValidationError
from db.indonesian import angka, rupiah, tanggal as tanggal_pendek
from db.parsing import parse_rupiah
from desktop import msgbox
from desktop.widgets.date_edit import DateEdit
from desktop.widgets.form import FieldErrors, error_label
from desktop.widgets.wilayah import WilayahEdit


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.AcceptRole)
    cancel = box.addButton(dialog.tr("&Batal"), QDialogButtonBox.RejectRole)
    ok.setDefault(True)
    ok.setAutoDefault(True)
    cancel.setAutoDefault(False)
    return box, ok


def _confirm(parent, warnings, question: str) -> bool:
    items = list(warnings.values()) if isinstance(warnings, dict) else list(warnings)
    text = "\n".join(f"• {w}" for w in items[:12])
    if len(items) > 12:
        text += f"\n• … dan {len(items) - 12} peringatan lain"
    return msgbox.confirm(parent, parent.tr("Periksa dulu"), f"{text}\n\n{question}", yes=parent.tr("Tetap simpan"),
                          no=parent.tr("Batal"))


# --------------------------------------------------------------------------- event


class BencanaDialog(QDialog):
    """New event, or edit one (``bencana_id``). After ``accept()``, ``record`` is the saved event."""

    def __init__(self, ctx, bencana_id: str | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.old = B.get_bencana(self.db, bencana_id) if bencana_id else None
        self.record: dict | None = None
        self.setWindowTitle(self.tr("Ubah kejadian bencana") if self.old else self.tr("Kejadian bencana baru"))
        self.setMinimumWidth(640)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        self.summary = error_label("ringkasan_kesalahan")
        self.errors = FieldErrors(form, self.summary)

        self.jenis = QComboBox()
        self.jenis.setObjectName("jenis")
        self.jenis.addItem(self.tr("— pilih jenis bencana —"), None)
        for kelompok, label in B.KELOMPOK.items():
            for r in reference.bencana_jenis(self.db, kelompok):
                self.jenis.addItem(f"{r['nama']} ({label.lower()})", r["kode"])
        self.tanggal = DateEdit()
        self.tanggal.setObjectName("tanggal")
        self.waktu = QLineEdit()
        self.waktu.setObjectName("waktu")
        self.waktu.setPlaceholderText("jj:mm")
        self.waktu.setMaximumWidth(90)
        inst = ctx.install
        self.wilayah = WilayahEdit(self.db, within=(inst.kode_wilayah[:5] if inst else None))
        self.wilayah.setObjectName("kode_wilayah")
        self.lokasi = QLineEdit()
        self.lokasi.setObjectName("lokasi")
        self.lokasi.setPlaceholderText(self.tr("Jalan, gang, nama tempat"))
        rtrw = QWidget()
        h = QHBoxLayout(rtrw)
        h.setContentsMargins(0, 0, 0, 0)
        self.rt = QLineEdit()
        self.rt.setObjectName("rt")
        self.rw = QLineEdit()
        self.rw.setObjectName("rw")
        for w, ph in ((self.rt, "RT"), (self.rw, "RW")):
            w.setPlaceholderText(ph)
            w.setMaximumWidth(70)
            h.addWidget(w)
        h.addStretch(1)
        est = QWidget()
        h = QHBoxLayout(est)
        h.setContentsMargins(0, 0, 0, 0)
        self.kk = QLineEdit()
        self.kk.setObjectName("kk_terdampak")
        self.jiwa = QLineEdit()
        self.jiwa.setObjectName("jiwa_terdampak")
        self.rumah = QLineEdit()
        self.rumah.setObjectName("rumah_rusak")
        for w, text in ((self.kk, self.tr("KK")), (self.jiwa, self.tr("jiwa")), (self.rumah, self.tr("rumah rusak"))):
            w.setMaximumWidth(70)
            h.addWidget(w)
            h.addWidget(QLabel(text))
        h.addStretch(1)
        lama = QWidget()
        h = QHBoxLayout(lama)
        h.setContentsMargins(0, 0, 0, 0)
        self.lama = QSpinBox()
        self.lama.setObjectName("lama_tanggap_darurat")
        self.lama.setRange(1, 365)
        self.lama.setValue(B.LAMA_BAKU)
        self.lama.setSuffix(self.tr(" hari"))
        self.akhir = QLabel()
        self.akhir.setObjectName("akhir_masa")
        h.addWidget(self.lama)
        h.addWidget(self.akhir, 1)
        self.alasan = QLineEdit()
        self.alasan.setObjectName("alasan_perpanjangan")
        self.alasan.setPlaceholderText(self.tr("Wajib bila masa tanggap darurat bukan 7 hari / diubah (mis. nomor SK)"))
        self.status = QComboBox()
        self.status.setObjectName("status")
        for kode, nama in B.STATUS.items():
            self.status.addItem(nama, kode)
        self.kode = QLineEdit()
        self.kode.setObjectName("kode_kejadian")
        self.kode.setPlaceholderText(self.tr("Kosongkan: dibuat otomatis (KJD-tahun-nomor)"))
        self.keterangan = QLineEdit()
        self.keterangan.setObjectName("keterangan")

        self.errors.add("jenis_kode", self.tr("&Jenis bencana"), self.jenis)
        self.errors.labels["kelompok"] = self.errors.labels["jenis_kode"]
        self.errors.add("tanggal", self.tr("&Tanggal kejadian"), self.tanggal)
        self.errors.add("waktu", self.tr("&Waktu"), self.waktu)
        self.errors.add("kode_wilayah", self.tr("Ke&lurahan"), self.wilayah)
        self.errors.add("lokasi", self.tr("L&okasi"), self.lokasi)
        self.errors.add("rt", self.tr("&RT/RW"), rtrw)
        self.errors.labels["rw"] = self.errors.labels["rt"]
        self.errors.add("kk_terdampak", self.tr("&Perkiraan awal"), est)
        self.errors.labels["jiwa_terdampak"] = self.errors.labels["kk_terdampak"]
        self.errors.labels["rumah_rusak"] = self.errors.labels["kk_terdampak"]
        self.errors.add("lama_tanggap_darurat", self.tr("&Masa tanggap darurat"), lama)
        self.errors.add("alasan_perpanjangan", self.tr("&Alasan perubahan masa"), self.alasan)
        self.errors.add("status", self.tr("Stat&us"), self.status)
        self.errors.add("kode_kejadian", self.tr("&Kode kejadian"), self.kode)
        self.errors.add("keterangan", self.tr("K&eterangan"), self.keterangan)
        outer.addWidget(self.summary)
        box, self.ok = _buttons(self, self.tr("&Simpan"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        outer.addWidget(box)

        if self.old:
            self._fill(self.old)
        else:
            self.tanggal.set_date(today())
            if inst and reference.wilayah(self.db, inst.kode_wilayah) and \
                    reference.wilayah(self.db, inst.kode_wilayah)["tingkat"] == 4:
                self.wilayah.set_kode(inst.kode_wilayah)
            self.status.setEnabled(False)
        self.lama.valueChanged.connect(lambda _v: self._update_window())
        self.tanggal.textChanged.connect(lambda _t: self._update_window())
        self._update_window()
        self.jenis.setFocus()

    def _fill(self, ev: dict) -> None:
        self.jenis.setCurrentIndex(max(self.jenis.findData(ev["jenis_kode"]), 0))
        self.tanggal.set_date(ev["tanggal"])
        self.waktu.setText(ev["waktu"] or "")
        self.wilayah.set_kode(ev["kode_wilayah"])
        self.lokasi.setText(ev["lokasi"] or "")
        self.rt.setText(ev["rt"] or "")
        self.rw.setText(ev["rw"] or "")
        for w, key in ((self.kk, "kk_terdampak"), (self.jiwa, "jiwa_terdampak"), (self.rumah, "rumah_rusak")):
            w.setText("" if ev[key] is None else str(ev[key]))
        self.lama.setValue(ev["lama_tanggap_darurat"])
        self.status.setCurrentIndex(max(self.status.findData(ev["status"]), 0))
        self.kode.setText(ev["kode_kejadian"] or "")
        self.keterangan.setText(ev["keterangan"] or "")

    def _update_window(self) -> None:
        d = self.tanggal.date()
        lama = self.lama.value()
        if d:
            end = B.akhir_masa_tanggap(d, lama)
            self.akhir.setText(self.tr("s.d. %1 (hari kejadian + %2 hari)").replace("%1", end.strftime("%d/%m/%Y"))
                               .replace("%2", str(lama)))
        else:
            self.akhir.clear()
        changed = lama != (self.old["lama_tanggap_darurat"] if self.old else B.LAMA_BAKU)
        self.alasan.setEnabled(changed)

    def values(self) -> dict:
        return {
            "jenis_kode": self.jenis.currentData(),
            "tanggal": self.tanggal.date() or self.tanggal.text(),
            "waktu": self.waktu.text(),
            "kode_wilayah": self.wilayah.kode() or self.wilayah.text(),
            "lokasi": self.lokasi.text(),
            "rt": self.rt.text(),
            "rw": self.rw.text(),
            "kk_terdampak": self.kk.text(),
            "jiwa_terdampak": self.jiwa.text(),
            "rumah_rusak": self.rumah.text(),
            "lama_tanggap_darurat": self.lama.value(),
            "alasan_perpanjangan": self.alasan.text() if self.alasan.isEnabled() else None,
            "kode_kejadian": self.kode.text(),
            "keterangan": self.keterangan.text(),
        }

    def save(self) -> None:
        self.errors.clear()
        if self.tanggal.error():
            self.errors.show({"tanggal": self.tanggal.error()})
            return
        values = self.values()
        try:
            if self.old is None:
                self.record = B.tambah_bencana(self.db, {k: v for k, v in values.items() if v is not None})
            else:
                values["status"] = self.status.currentData()
                if values["alasan_perpanjangan"] is None:
                    values.pop("alasan_perpanjangan")
                self.record = B.ubah_bencana(self.db, self.old["id"], values)
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return
        except KnownError as exc:
            msgbox.error(self, self.tr("Kejadian tidak tersimpan"), exc.pesan)
            return
        self.ctx.changed("bencana")
        self.accept()


# --------------------------------------------------------------------------- victim fields


class _KorbanFields(QWidget):
    """Residence, vulnerable groups, head-of-household flag and note of a victim."""

    def __init__(self, db, form: QFormLayout, errors: FieldErrors, parent=None):
        super().__init__(parent)
        self.tempat = QComboBox()
        self.tempat.setObjectName("tempat_tinggal")
        self.tempat.addItem(self.tr("— belum diisi —"), None)
        for kode, nama in reference.daftar(db, K.TEMPAT_TINGGAL):
            self.tempat.addItem(nama, kode)
        rentan = QWidget()
        grid = QGridLayout(rentan)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rentan: dict[str, QCheckBox] = {}
        for i, (kode, nama) in enumerate(reference.daftar(db, K.KELOMPOK_RENTAN)):
            box = QCheckBox(nama)
            box.setObjectName(f"rentan_{kode}")
            self.rentan[kode] = box
            grid.addWidget(box, i // 3, i % 3)
        self.kepala = QCheckBox(self.tr("Kepala keluarga"))
        self.kepala.setObjectName("kepala_keluarga")
        self.keterangan = QLineEdit()
        self.keterangan.setObjectName("keterangan_korban")
        errors.add("tempat_tinggal", self.tr("Te&mpat tinggal sementara"), self.tempat)
        errors.add("kelompok_rentan", self.tr("Kelompok &rentan"), rentan)
        form.addRow("", self.kepala)
        errors.add("keterangan", self.tr("Keterangan"), self.keterangan)

    def values(self) -> dict:
        return {
            "tempat_tinggal": self.tempat.currentData(),
            "kelompok_rentan": [k for k, box in self.rentan.items() if box.isChecked()],
            "kepala_keluarga": self.kepala.isChecked(),
            "keterangan": self.keterangan.text(),
        }

    def fill(self, korban: dict) -> None:
        self.tempat.setCurrentIndex(max(self.tempat.findData(korban["tempat_tinggal"]), 0))
        codes = set((korban["kelompok_rentan"] or "").split(","))
        for k, box in self.rentan.items():
            box.setChecked(k in codes)
        self.kepala.setChecked(bool(korban["kepala_keluarga"]))
        self.keterangan.setText(korban["keterangan"] or "")


PERSON_KEYS = ("nama", "nik", "no_kk", "jenis_kelamin", "tanggal_lahir", "alamat", "rt", "rw", "kode_wilayah")


class KorbanDialog(QDialog):
    """Register a victim: an existing person (search) or a new one, in the same dialog.

    With ``korban_id`` it edits the victim's own fields. After ``accept()``,
    ``record`` is the victim row (with ``orang`` and ``orang_baru`` when added).
    """

    def __init__(self, ctx, bencana_id: str, korban_id: str | None = None, parent=None):
        super().__init__(parent)
        from desktop.layanan.widgets import PenerimaPicker

        self.ctx = ctx
        self.db = ctx.db
        self.bencana_id = bencana_id
        self.old = records.get(self.db, "korban", korban_id) if korban_id else None
        self.record: dict | None = None
        ev = B.get_bencana(self.db, bencana_id)
        self.setWindowTitle(self.tr("Ubah data korban") if self.old else self.tr("Tambah korban"))
        self.setMinimumWidth(640)
        outer = QVBoxLayout(self)
        head = QLabel(f"<b>{ev['kode_kejadian']}</b> · {B.jenis_nama(self.db, ev['jenis_kode'])} · "
                      f"{tanggal_pendek(ev['tanggal'])}")
        outer.addWidget(head)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.summary = error_label("ringkasan_kesalahan")
        self.errors = FieldErrors(form, self.summary)

        self.mode_lama = QRadioButton(self.tr("Orang yang sudah &terdaftar"))
        self.mode_lama.setObjectName("mode_terdaftar")
        self.mode_baru = QRadioButton(self.tr("Orang bar&u"))
        self.mode_baru.setObjectName("mode_baru")
        group = QButtonGroup(self)
        group.addButton(self.mode_lama)
        group.addButton(self.mode_baru)
        modes = QHBoxLayout()
        modes.addWidget(self.mode_lama)
        modes.addWidget(self.mode_baru)
        modes.addStretch(1)
        self.person_note = QLabel()
        self.person_note.setObjectName("orang_korban")
        if self.old is None:
            outer.addLayout(modes)
        else:
            person = records.get(self.db, "orang", self.old["orang_id"])
            self.person_note.setText(f"<b>{person['nama']}</b> ({person['nik'] or person['nik_sementara'] or '-'})")
            outer.addWidget(self.person_note)
        outer.addLayout(form)

        self.cari = PenerimaPicker(self.db)
        self.cari.setObjectName("cari_orang")
        self.cari.setPlaceholderText(self.tr("Ketik nama atau NIK orang yang sudah terdaftar…"))
        self.errors.add("orang_id", self.tr("&Orang"), self.cari)

        self.nama = QLineEdit()
        self.nik = QLineEdit()
        self.nik.setPlaceholderText(self.tr("16 digit; kosong = NIK belum ada"))
        self.no_kk = QLineEdit()
        self.jk = QComboBox()
        self.jk.addItem("—", None)
        self.jk.addItem(self.tr("Laki-laki"), "L")
        self.jk.addItem(self.tr("Perempuan"), "P")
        self.lahir = DateEdit()
        self.alamat = QLineEdit()
        self.alamat.setPlaceholderText(self.tr("Kosong = kelurahan kejadian"))
        for key, w in (("nama", self.nama), ("nik", self.nik), ("no_kk", self.no_kk), ("jenis_kelamin", self.jk),
                       ("tanggal_lahir", self.lahir), ("alamat", self.alamat)):
            w.setObjectName(key)
        self.new_rows = [
            ("nama", self.tr("&Nama"), self.nama), ("nik", self.tr("N&IK"), self.nik),
            ("no_kk", self.tr("No. &KK"), self.no_kk), ("jenis_kelamin", self.tr("&Jenis kelamin"), self.jk),
            ("tanggal_lahir", self.tr("Tanggal &lahir"), self.lahir), ("alamat", self.tr("&Alamat"), self.alamat),
        ]
        for key, label, w in self.new_rows:
            self.errors.add(key, label, w)
        self.fields = _KorbanFields(self.db, form, self.errors)
        outer.addWidget(self.summary)
        box, self.ok = _buttons(self, self.tr("&Simpan"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        outer.addWidget(box)
        self.form = form
        self.mode_lama.toggled.connect(lambda _c: self._mode_changed())
        if self.old is not None:
            self.fields.fill(self.old)
            self._show_rows(False, False)
        else:
            self.mode_baru.setChecked(True)
            self._mode_changed()

    def _show_rows(self, lama: bool, baru: bool) -> None:
        for w, visible in [(self.cari, lama)] + [(w, baru) for _k, _l, w in self.new_rows]:
            w.setVisible(visible)
            label = self.form.labelForField(w)
            if label is not None:
                label.setVisible(visible)

    def _mode_changed(self) -> None:
        lama = self.mode_lama.isChecked()
        self._show_rows(lama, not lama)
        self.errors.clear()
        (self.cari if lama else self.nama).setFocus()

    def person_values(self) -> dict:
        return {
            "nama": self.nama.text(), "nik": self.nik.text(), "no_kk": self.no_kk.text(),
            "jenis_kelamin": self.jk.currentData(), "tanggal_lahir": self.lahir.date() or self.lahir.text(),
            "alamat": self.alamat.text(),
        }

    def save(self) -> None:
        from db.ppks import NeedsConfirmation

        self.errors.clear()
        fields = self.fields.values()
        try:
            if self.old is not None:
                self.record = K.ubah_korban(self.db, self.old["id"], fields)
            else:
                kwargs = dict(fields)
                if self.mode_lama.isChecked():
                    if not self.cari.orang_id():
                        self.errors.show({"orang_id": self.tr("Pilih orangnya dari daftar pencarian")})
                        return
                    kwargs["orang_id"] = self.cari.orang_id()
                else:
                    if self.lahir.error():
                        self.errors.show({"tanggal_lahir": self.lahir.error()})
                        return
                    kwargs["orang"] = self.person_values()
                try:
                    self.record = K.tambah_korban(self.db, self.bencana_id, terima_peringatan=False, **kwargs)
                except NeedsConfirmation as exc:
                    if not _confirm(self, exc.warnings, self.tr("Tetap catat sebagai korban?")):
                        return
                    self.record = K.tambah_korban(self.db, self.bencana_id, terima_peringatan=True, **kwargs)
        except K.KorbanGanda as exc:
            self.errors.show({"orang_id" if self.mode_lama.isChecked() else "nama": exc.pesan})
            return
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return
        except KnownError as exc:
            msgbox.error(self, self.tr("Korban tidak tersimpan"), exc.pesan)
            return
        self.ctx.changed("korban")
        self.accept()


# --------------------------------------------------------------------------- household


class KeluargaDialog(QDialog):
    """Quick household entry: the head on the first row, then members sharing No. KK and address."""

    COLUMNS = ("Nama", "NIK", "L/P", "Tanggal lahir", "Kelompok rentan")
    KEYS = ("nama", "nik", "jenis_kelamin", "tanggal_lahir", "kelompok_rentan")

    def __init__(self, ctx, bencana_id: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.bencana_id = bencana_id
        self.records: list[dict] = []
        self.setWindowTitle(self.tr("Tambah korban satu keluarga"))
        self.resize(860, 560)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        self.summary = error_label("ringkasan_kesalahan")
        self.errors = FieldErrors(form, self.summary)
        self.no_kk = QLineEdit()
        self.no_kk.setObjectName("no_kk")
        self.alamat = QLineEdit()
        self.alamat.setObjectName("alamat")
        rtrw = QWidget()
        h = QHBoxLayout(rtrw)
        h.setContentsMargins(0, 0, 0, 0)
        self.rt = QLineEdit()
        self.rt.setObjectName("rt")
        self.rw = QLineEdit()
        self.rw.setObjectName("rw")
        for w, ph in ((self.rt, "RT"), (self.rw, "RW")):
            w.setPlaceholderText(ph)
            w.setMaximumWidth(70)
            h.addWidget(w)
        h.addStretch(1)
        self.tempat = QComboBox()
        self.tempat.setObjectName("tempat_tinggal")
        self.tempat.addItem(self.tr("— belum diisi —"), None)
        for kode, nama in reference.daftar(self.db, K.TEMPAT_TINGGAL):
            self.tempat.addItem(nama, kode)
        self.errors.add("no_kk", self.tr("No. &KK"), self.no_kk)
        self.errors.add("alamat", self.tr("&Alamat"), self.alamat)
        self.errors.add("rt", self.tr("RT/R&W"), rtrw)
        self.errors.add("tempat_tinggal", self.tr("Tempat &tinggal sementara"), self.tempat)
        outer.addLayout(form)
        note = QLabel(self.tr("Baris pertama = kepala keluarga. Kelompok rentan ditulis dipisah koma: lansia, "
                              "disabilitas, ibu hamil, ibu menyusui, anak, balita. Baris tanpa nama diabaikan."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        outer.addWidget(note)
        self.table = QTableWidget(5, len(self.COLUMNS))
        self.table.setObjectName("anggota")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setVerticalHeaderLabels([self.tr("Kepala")] + [str(i) for i in range(1, 5)])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for c, w in enumerate((220, 150, 50, 110)):
            self.table.setColumnWidth(c, w)
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers)
        outer.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_row = QPushButton(self.tr("Tambah ba&ris"))
        self.add_row.clicked.connect(self._add_row)
        row.addWidget(self.add_row)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addWidget(self.summary)
        box, self.ok = _buttons(self, self.tr("&Simpan keluarga"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        outer.addWidget(box)
        self.no_kk.setFocus()

    def _add_row(self) -> None:
        n = self.table.rowCount()
        self.table.insertRow(n)
        self.table.setVerticalHeaderItem(n, QTableWidgetItem(str(n)))

    def set_cell(self, row: int, key: str, text: str) -> None:
        if row >= self.table.rowCount():
            self._add_row()
        self.table.setItem(row, self.KEYS.index(key), QTableWidgetItem(text))

    def members(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            values = {}
            for c, key in enumerate(self.KEYS):
                item = self.table.item(r, c)
                text = item.text().strip() if item else ""
                values[key] = text or None
            if values["nama"]:
                out.append(values)
        return out

    def save(self) -> None:
        from db.ppks import NeedsConfirmation

        self.errors.clear()
        members = self.members()
        if not members:
            self.errors.show({"anggota": self.tr("Isi minimal nama kepala keluarga (baris pertama)")})
            return
        kwargs = {"no_kk": self.no_kk.text() or None, "alamat": self.alamat.text() or None,
                  "rt": self.rt.text() or None, "rw": self.rw.text() or None,
                  "tempat_tinggal": self.tempat.currentData()}
        try:
            try:
                self.records = K.tambah_keluarga(self.db, self.bencana_id, members[0], members[1:],
                                                 terima_peringatan=False, **kwargs)
            except NeedsConfirmation as exc:
                if not _confirm(self, exc.warnings, self.tr("Tetap catat keluarga ini?")):
                    return
                self.records = K.tambah_keluarga(self.db, self.bencana_id, members[0], members[1:],
                                                 terima_peringatan=True, **kwargs)
        except ValidationError as exc:
            own = {k: v for k, v in exc.errors.items() if k in self.errors.labels}
            rest = {k: v for k, v in exc.errors.items() if k not in self.errors.labels}
            self.errors.show({**own, **{k: f"{k}: {v}" for k, v in rest.items()}})
            return
        except KnownError as exc:
            self.errors.show({"keluarga": exc.pesan})
            return
        self.ctx.changed("korban")
        self.accept()


# --------------------------------------------------------------------------- emergency aid


class BantuanDialog(QDialog):
    """Emergency aid (1.06.06.2.01.*) to one victim, one household, or the event's victims in one step.

    Scope: ``korban_id`` (one victim), ``no_kk`` (a household), or neither
    (the event, with filters: residence, vulnerable group, one per household,
    skip those already served that day). After ``accept()``, ``hasil`` is the
    ``HasilBantuan`` (services and receipts).
    """

    def __init__(self, ctx, bencana_id: str, *, korban_id: str | None = None, no_kk: str | None = None,
                 parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.ev = B.get_bencana(self.db, bencana_id)
        self.korban = records.get(self.db, "korban", korban_id) if korban_id else None
        self.no_kk = no_kk
        self.hasil = None
        self.setWindowTitle(self.tr("Bantuan darurat"))
        self.setMinimumWidth(680)
        outer = QVBoxLayout(self)
        akhir = _dt.date.fromisoformat(self.ev["akhir_masa_tanggap"])
        head = QLabel(f"<b>{self.ev['kode_kejadian']}</b> · {B.jenis_nama(self.db, self.ev['jenis_kode'])} · "
                      f"{tanggal_pendek(self.ev['tanggal'])}<br>"
                      + self.tr("Masa tanggap darurat: %1 s.d. %2").replace("%1", tanggal_pendek(self.ev["tanggal"]))
                      .replace("%2", akhir.strftime("%d/%m/%Y")))
        outer.addWidget(head)

        scope = QGroupBox(self.tr("Penerima"))
        sl = QFormLayout(scope)
        self.scope_label = QLabel()
        self.scope_label.setObjectName("penerima")
        self.scope_label.setWordWrap(True)
        sl.addRow(self.scope_label)
        self.tempat = QComboBox()
        self.tempat.setObjectName("filter_tempat")
        self.tempat.addItem(self.tr("Semua korban"), None)
        for kode, nama in reference.daftar(self.db, K.TEMPAT_TINGGAL):
            self.tempat.addItem(self.tr("Hanya: %1").replace("%1", nama), kode)
        self.rentan = QComboBox()
        self.rentan.setObjectName("filter_rentan")
        self.rentan.addItem(self.tr("Semua"), None)
        for kode, nama in reference.daftar(self.db, K.KELOMPOK_RENTAN):
            self.rentan.addItem(nama, kode)
        self.per_kk = QCheckBox(self.tr("Satu per &keluarga (kepala keluarga), mis. terpal"))
        self.per_kk.setObjectName("per_kk")
        self.lewati = QCheckBox(self.tr("&Lewati korban yang sudah menerima bantuan ini pada tanggal yang sama"))
        self.lewati.setObjectName("lewati")
        if self.korban is None and self.no_kk is None:
            sl.addRow(self.tr("Te&mpat tinggal"), self.tempat)
            sl.addRow(self.tr("Kelompok &rentan"), self.rentan)
            sl.addRow(self.per_kk)
            sl.addRow(self.lewati)
        elif self.no_kk is not None:
            self.per_kk.setText(self.tr("Hanya &kepala keluarga (bantuan per KK, mis. terpal)"))
            sl.addRow(self.per_kk)
        outer.addWidget(scope)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.summary = error_label("masalah_bantuan")
        self.errors = FieldErrors(form, self.summary)
        self.layanan = QComboBox()
        self.layanan.setObjectName("kode_layanan")
        self.rows = BB.layanan_darurat(self.db)
        for r in self.rows:
            self.layanan.addItem(f"{reference.short_kode_layanan(r['kode'])} — {r['nama']}", r["kode"])
        self.tanggal = DateEdit()
        self.tanggal.setObjectName("tanggal")
        self.tanggal.set_date(BB.tanggal_default(self.ev))
        self.window_note = QLabel()
        self.window_note.setObjectName("catatan_masa")
        self.window_note.setWordWrap(True)
        self.jumlah = QLineEdit("1")
        self.jumlah.setObjectName("jumlah")
        self.jumlah.setMaximumWidth(110)
        self.satuan = QComboBox()
        self.satuan.setObjectName("satuan")
        for kode, nama in reference.daftar(self.db, "satuan"):
            self.satuan.addItem(nama, kode)
        self.nilai = QLineEdit()
        self.nilai.setObjectName("nilai")
        self.nilai.setPlaceholderText(self.tr("per penerima, mis. 45.000"))
        self.sumber = QComboBox()
        self.sumber.setObjectName("sumber_dana")
        self.sumber.addItem(self.tr("— pilih sumber dana —"), None)
        for kode, nama in reference.daftar(self.db, "sumber_dana"):
            self.sumber.addItem(nama, kode)
        self.petugas = QLineEdit(ctx.install.operator_nama if ctx.install else "")
        self.petugas.setObjectName("petugas")
        self.keterangan = QLineEdit()
        self.keterangan.setObjectName("keterangan")
        self.errors.add("kode_layanan", self.tr("Jen&is bantuan"), self.layanan)
        self.errors.add("tanggal", self.tr("&Tanggal"), self.tanggal)
        form.addRow("", self.window_note)
        self.errors.add("jumlah", self.tr("&Jumlah"), self.jumlah)
        self.errors.add("satuan", self.tr("&Satuan"), self.satuan)
        self.errors.add("nilai", self.tr("&Nilai per penerima (Rp)"), self.nilai)
        self.errors.add("sumber_dana", self.tr("Sumber &dana"), self.sumber)
        self.errors.add("petugas", self.tr("&Petugas"), self.petugas)
        self.errors.add("keterangan", self.tr("K&eterangan"), self.keterangan)
        outer.addLayout(form)
        self.show_receipts = QCheckBox(self.tr("Tampilkan k&uitansi setelah disimpan"))
        self.show_receipts.setObjectName("tampilkan_kuitansi")
        self.show_receipts.setChecked(True)
        outer.addWidget(self.show_receipts)
        outer.addWidget(self.summary)
        box, self.ok = _buttons(self, self.tr("&Catat bantuan"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        outer.addWidget(box)

        self.layanan.currentIndexChanged.connect(lambda _i: self._layanan_changed())
        self.tanggal.textChanged.connect(lambda _t: self._update())
        for combo in (self.tempat, self.rentan):
            combo.currentIndexChanged.connect(lambda _i: self._update())
        for check in (self.per_kk, self.lewati):
            check.toggled.connect(lambda _c: self._update())
        self._layanan_changed()
        self.layanan.setFocus()

    # --- recipients ----------------------------------------------------------
    def recipients(self) -> list[str]:
        if self.korban is not None:
            return [self.korban["orang_id"]]
        if self.no_kk is not None:
            return BB.penerima_keluarga(self.db, self.ev["id"], self.no_kk, hanya_kepala=self.per_kk.isChecked())
        return BB.penerima_kejadian(
            self.db, self.ev["id"], tempat_tinggal=self.tempat.currentData(),
            kelompok_rentan=self.rentan.currentData(), per_kk=self.per_kk.isChecked(),
            lewati_sudah_menerima=self.lewati.isChecked(), kode_layanan=self.layanan.currentData(),
            tanggal=self.tanggal.date())

    def _layanan_changed(self) -> None:
        row = next((r for r in self.rows if r["kode"] == self.layanan.currentData()), None)
        if row:
            i = self.satuan.findData(row["satuan_default"])
            if i >= 0:
                self.satuan.setCurrentIndex(i)
            if row["kode"].endswith(".0003"):  # shelter items go one per household by default
                self.per_kk.setChecked(True)
        self._update()

    def _update(self) -> None:
        ids = self.recipients()
        if self.korban is not None:
            person = records.get(self.db, "orang", self.korban["orang_id"])
            text = person["nama"]
        elif self.no_kk is not None:
            text = self.tr("Keluarga No. KK %1: %2 korban").replace("%1", self.no_kk).replace("%2", angka(len(ids)))
        else:
            text = self.tr("%1 korban kejadian ini akan menerima bantuan").replace("%1", angka(len(ids)))
        self.scope_label.setText(text)
        d = self.tanggal.date()
        akhir = _dt.date.fromisoformat(self.ev["akhir_masa_tanggap"])
        if d and d > akhir:
            self.window_note.setText(self.tr("Di luar masa tanggap darurat (berakhir %1): bantuan akan ditandai "
                                             "terlambat.").replace("%1", akhir.strftime("%d/%m/%Y")))
            self.window_note.setStyleSheet("color: #8a5a00")
        elif d and d < _dt.date.fromisoformat(self.ev["tanggal"]):
            self.window_note.setText(self.tr("Tanggal sebelum kejadian bencana."))
            self.window_note.setStyleSheet("color: #b00020")
        elif d:
            sisa = (akhir - d).days
            self.window_note.setText(self.tr("Dalam masa tanggap darurat (sisa %1 hari).").replace("%1", str(sisa)))
            self.window_note.setStyleSheet("color: #2e7d32")
        else:
            self.window_note.clear()
        self.ok.setEnabled(bool(ids))

    def values(self) -> dict:
        return {
            "kode_layanan": self.layanan.currentData(),
            "tanggal": self.tanggal.date() or self.tanggal.text(),
            "jumlah": self.jumlah.text(),
            "satuan": self.satuan.currentData(),
            "nilai": self.nilai.text(),
            "sumber_dana": self.sumber.currentData(),
            "petugas": self.petugas.text(),
            "keterangan": self.keterangan.text(),
        }

    # --- saving ------------------------------------------------------------------
    def save(self) -> None:
        from db.layanan import DistribusiError, PerluKonfirmasi

        self.errors.clear()
        if self.tanggal.error():
            self.errors.show({"tanggal": self.tanggal.error()})
            return
        ids = self.recipients()
        values = self.values()
        if len(ids) > 1:
            try:
                nilai = parse_rupiah(values["nilai"]) or 0
            except ValueError:
                nilai = 0
            question = (self.tr("Catat %1 untuk %2 korban?").replace("%1", self.layanan.currentText())
                        .replace("%2", angka(len(ids)))
                        + (self.tr(" Total %1.").replace("%1", rupiah(nilai * len(ids))) if nilai else "")
                        + self.tr("\nSetiap penerima mendapat satu kuitansi."))
            if not msgbox.confirm(self, self.tr("Catat bantuan"), question, yes=self.tr("Catat"), no=self.tr("Batal")):
                return
        try:
            try:
                self.hasil = BB.beri_bantuan(self.db, self.ev["id"], ids, values)
            except PerluKonfirmasi as exc:
                if not _confirm(self, exc.warnings, self.tr("Tetap catat bantuan ini?")):
                    return
                self.hasil = BB.beri_bantuan(self.db, self.ev["id"], ids, values, konfirmasi=True)
        except DistribusiError as exc:
            self.errors.show({k: v for k, v in exc.errors.items()})
            return
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return
        except KnownError as exc:
            msgbox.error(self, self.tr("Bantuan tidak tersimpan"), exc.pesan)
            return
        self.ctx.changed("layanan")
        self.accept()
        if self.show_receipts.isChecked() and self.hasil.layanan_ids:
            from desktop.layanan.printing import open_preview

            self.preview = open_preview(self.ctx, self.parent(), self.hasil.layanan_ids)
