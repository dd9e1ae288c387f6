"""The PSKS form: register or edit one person or institution.

The type decides which fields show: people get NIK, sex and birth date;
institutions get the head (Nama Ketua). Errors sit under their fields; NIK
mismatches (sex, birth date) are warnings the user confirms once.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea,
    QVBoxLayout, QWidget,
)

from db import psks as psks_db, reference
from db.errors import KnownError, ValidationError
from desktop import msgbox
from desktop.widgets.date_edit import DateEdit
from desktop.widgets.form import FieldErrors
from desktop.widgets.wilayah import WilayahEdit


class PsksDialog(QDialog):
    """``PsksDialog(ctx)`` registers a new PSKS; ``PsksDialog(ctx, psks_id=...)`` edits one.

    ``preset`` pre-fills fields of a new record (e.g. the NIK typed in an event's
    participant box). After ``accept()``, ``record`` holds the saved row.
    """

    def __init__(self, ctx, psks_id: str | None = None, preset: dict | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.psks_id = psks_id
        self.record: dict | None = None
        self._warned: str | None = None
        self.setWindowTitle(self.tr("Ubah data PSKS") if psks_id else self.tr("Daftarkan PSKS"))
        self.setMinimumWidth(560)

        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.form = QFormLayout(body)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.summary = QLabel()
        self.summary.setProperty("role", "error")
        self.summary.setStyleSheet("color: #b00020")
        self.summary.setWordWrap(True)
        self.summary.hide()
        outer.addWidget(self.summary)
        self.errors = FieldErrors(self.form, self.summary)

        self.jenis = QComboBox()
        self.jenis.addItem(self.tr("— pilih jenis PSKS —"), None)
        self._jenis_rows = {r["kode"]: r for r in reference.psks_jenis(self.db)}
        for r in self._jenis_rows.values():
            label = r["nama"] + (f" ({r['singkatan']})" if r["singkatan"] and r["singkatan"] != r["nama"] else "")
            self.jenis.addItem(label + (self.tr("  · lembaga") if r["bentuk"] == "lembaga" else ""), r["kode"])
        self.nama = QLineEdit()
        self.nik = QLineEdit()
        self.nik.setPlaceholderText(self.tr("16 digit"))
        self.nik.setMaxLength(24)
        self.jenis_kelamin = QComboBox()
        for text, kode in ((self.tr("—"), None), (self.tr("Laki-laki"), "L"), (self.tr("Perempuan"), "P")):
            self.jenis_kelamin.addItem(text, kode)
        self.tanggal_lahir = DateEdit()
        self.nama_ketua = QLineEdit()
        self.kode_wilayah = WilayahEdit(self.db, within=self._scope())
        self.alamat = QLineEdit()
        self.nomor_registrasi = QLineEdit()
        self.tanggal_mulai_aktif = DateEdit()
        self.status = QComboBox()
        self.status.addItem(self.tr("Aktif"), "aktif")
        self.status.addItem(self.tr("Nonaktif"), "nonaktif")
        self.tanggal_nonaktif = DateEdit()
        self.nomor_dokumen = QLineEdit()
        self.nomor_dokumen.setPlaceholderText(self.tr("No. sertifikat/SK (orang) atau akta/izin (lembaga)"))
        self.tanggal_dokumen = DateEdit()
        self.telepon = QLineEdit()
        self.email = QLineEdit()
        self.keterangan = QPlainTextEdit()
        self.keterangan.setTabChangesFocus(True)
        self.keterangan.setFixedHeight(60)

        for key, label, widget in (
            ("jenis_kode", self.tr("&Jenis PSKS"), self.jenis),
            ("nama", self.tr("&Nama"), self.nama),
            ("nik", self.tr("NI&K"), self.nik),
            ("jenis_kelamin", self.tr("Jenis ke&lamin"), self.jenis_kelamin),
            ("tanggal_lahir", self.tr("Tanggal lahir"), self.tanggal_lahir),
            ("nama_ketua", self.tr("Nama &ketua"), self.nama_ketua),
            ("kode_wilayah", self.tr("&Wilayah"), self.kode_wilayah),
            ("alamat", self.tr("&Alamat"), self.alamat),
            ("nomor_registrasi", self.tr("Nomor &registrasi"), self.nomor_registrasi),
            ("tanggal_mulai_aktif", self.tr("Tanggal &mulai aktif"), self.tanggal_mulai_aktif),
            ("status", self.tr("&Status"), self.status),
            ("tanggal_nonaktif", self.tr("Tanggal nonaktif"), self.tanggal_nonaktif),
            ("nomor_dokumen", self.tr("Nomor &dokumen"), self.nomor_dokumen),
            ("tanggal_dokumen", self.tr("Tanggal dokumen"), self.tanggal_dokumen),
            ("telepon", self.tr("&Telepon"), self.telepon),
            ("email", self.tr("&Email"), self.email),
            ("keterangan", self.tr("Keteran&gan"), self.keterangan),
        ):
            widget.setObjectName(key)
            self.errors.add(key, label, widget)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("&Simpan"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("&Batal"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self.jenis.currentIndexChanged.connect(self._bentuk_changed)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.nik.textEdited.connect(lambda _t: setattr(self, "_warned", None))
        if psks_id:
            self._load(psks_db.get_psks(self.db, psks_id))
        else:
            self.kode_wilayah.set_kode(ctx.install.kode_wilayah)
            self._preset(preset or {})
        self._bentuk_changed()
        self._status_changed()
        self.jenis.setFocus()

    def _scope(self) -> str | None:
        """Suggest areas of the install's kab/kota first (a TKSK/PSM works there)."""
        kode = self.ctx.install.kode_wilayah
        return kode[:5] if kode and len(kode) >= 5 else None

    # --- filling -----------------------------------------------------------
    def _set_combo(self, combo: QComboBox, value) -> None:
        idx = combo.findData(value)
        combo.setCurrentIndex(max(idx, 0))

    def _preset(self, values: dict) -> None:
        for key, value in values.items():
            widget = getattr(self, key, None)
            if value is None or widget is None:
                continue
            if isinstance(widget, QComboBox):
                self._set_combo(widget, value)
            elif isinstance(widget, DateEdit):
                widget.set_date(value)
            elif isinstance(widget, WilayahEdit):
                widget.set_kode(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            else:
                widget.setText(str(value))

    def _load(self, row: dict | None) -> None:
        if row is None:
            raise KnownError("Data PSKS tidak ditemukan.")
        self._preset({k: row.get(k) for k in psks_db.FIELDS})

    def _bentuk(self) -> str | None:
        row = self._jenis_rows.get(self.jenis.currentData())
        return row["bentuk"] if row else None

    def _bentuk_changed(self) -> None:
        lembaga = self._bentuk() == "lembaga"
        for widget in (self.nik, self.jenis_kelamin, self.tanggal_lahir):
            self.form.setRowVisible(widget, not lembaga)
        self.form.setRowVisible(self.nama_ketua, lembaga)
        label = self.form.labelForField(self.nama)
        if label is not None:
            label.setText(self.tr("&Nama lembaga") if lembaga else self.tr("&Nama"))

    def _status_changed(self) -> None:
        nonaktif = self.status.currentData() == "nonaktif"
        self.tanggal_nonaktif.setEnabled(nonaktif)
        if not nonaktif:
            self.tanggal_nonaktif.clear()

    # --- saving ------------------------------------------------------------
    def values(self) -> dict:
        """What the form holds, in the shape db.psks expects (dates as typed)."""
        lembaga = self._bentuk() == "lembaga"
        return {
            "jenis_kode": self.jenis.currentData(),
            "nama": self.nama.text(),
            "nik": None if lembaga else self.nik.text(),
            "jenis_kelamin": None if lembaga else self.jenis_kelamin.currentData(),
            "tanggal_lahir": None if lembaga else self.tanggal_lahir.text(),
            "nama_ketua": self.nama_ketua.text() if lembaga else None,
            "kode_wilayah": self.kode_wilayah.kode() or self.kode_wilayah.text(),
            "alamat": self.alamat.text(),
            "nomor_registrasi": self.nomor_registrasi.text(),
            "tanggal_mulai_aktif": self.tanggal_mulai_aktif.text(),
            "status": self.status.currentData(),
            "tanggal_nonaktif": self.tanggal_nonaktif.text() if self.status.currentData() == "nonaktif" else None,
            "nomor_dokumen": self.nomor_dokumen.text(),
            "tanggal_dokumen": self.tanggal_dokumen.text(),
            "telepon": self.telepon.text(),
            "email": self.email.text(),
            "keterangan": self.keterangan.toPlainText(),
        }

    def save(self) -> bool:
        values = self.values()
        check = psks_db.check_psks(self.db, values, psks_id=self.psks_id)
        if check.errors:
            self.errors.show(check.errors)
            first = next(iter(check.errors))
            widget = getattr(self, first, None)
            if isinstance(widget, QWidget) and widget.isVisible():
                widget.setFocus()
            return False
        self.errors.clear()
        warning = check.warnings.get("nik")
        if warning and warning != self._warned:
            self.errors.show({"nik": warning}, warnings=True)
            if not msgbox.confirm(self, self.tr("Periksa NIK"),
                                  self.tr("%1.\nSimpan juga dengan data ini?").replace("%1", warning),
                                  yes=self.tr("Simpan juga"), no=self.tr("Periksa lagi")):
                self.nik.setFocus()
                return False
            self._warned = warning
        try:
            if self.psks_id:
                self.record = psks_db.update_psks(self.db, self.psks_id, values)
            else:
                self.record = psks_db.create_psks(self.db, values)
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return False
        except KnownError as exc:
            self.summary.setText(exc.pesan)
            self.summary.show()
            return False
        self.ctx.changed("psks")
        self.accept()
        return True

    def keyPressEvent(self, event) -> None:  # Enter saves from any line edit
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not isinstance(self.focusWidget(), QPlainTextEdit):
            self.save()
            return
        super().keyPressEvent(event)
