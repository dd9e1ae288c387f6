"""First run: who uses this laptop, for which area."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWizard, QWizardPage,
)

from db.errors import KnownError, ValidationError
from db.install import init_install
from db.nik import check_nik
from desktop.widgets.wilayah import WilayahEdit

PERAN_TEKS = {
    "PSM": "PSM — Pekerja Sosial Masyarakat (satu kelurahan)",
    "TKSK": "TKSK — Tenaga Kesejahteraan Sosial Kecamatan",
    "DINAS": "Dinas Sosial — menerima paket dari kelurahan (kabupaten/kota)",
}


class PeranPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Selamat datang di Kesos Lapangan")
        self.setSubTitle("Aplikasi ini bekerja tanpa internet. Pilih peran Anda.")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.buttons = {}
        for kode, teks in PERAN_TEKS.items():
            rb = QRadioButton(teks)
            self.group.addButton(rb)
            self.buttons[kode] = rb
            layout.addWidget(rb)
        self.buttons["PSM"].setChecked(True)

    def peran(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())


class WilayahPage(QWizardPage):
    def __init__(self, db, peran_page: PeranPage):
        super().__init__()
        self.db = db
        self.peran_page = peran_page
        self.setTitle("Wilayah kerja")
        layout = QFormLayout(self)
        self.wilayah = WilayahEdit(db)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addRow("Wilayah:", self.wilayah)
        layout.addRow("", self.hint)
        layout.addRow("", self.error)

    def initializePage(self):
        peran = self.peran_page.peran()
        self.wilayah.tingkat = {"DINAS": 2, "TKSK": None, "PSM": 4}[peran]
        self.hint.setText({
            "PSM": "Ketik nama kelurahan/desa Anda, mis. \"Pallima\", atau kodenya, mis. 61.71.03.1001.",
            "TKSK": "Ketik nama kecamatan atau kelurahan Anda.",
            "DINAS": "Ketik nama kabupaten/kota, mis. \"Kota Pontianak\" atau 61.71.",
        }[peran])

    def validatePage(self) -> bool:
        from db.install import resolve_area

        kode = self.wilayah.kode()
        try:
            if not kode:
                raise KnownError("Pilih wilayah dari daftar saran (ketik sedikitnya 2 huruf).")
            resolve_area(self.db, kode, self.peran_page.peran())
        except KnownError as exc:
            self.error.setText(exc.pesan)
            return False
        self.error.clear()
        return True


class OperatorPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Data operator")
        self.setSubTitle("Dipakai pada tanda terima dan laporan bulanan.")
        layout = QFormLayout(self)
        self.nama = QLineEdit()
        self.nik = QLineEdit()
        self.nik.setMaxLength(20)
        self.nomor = QLineEdit()
        self.lurah = QLineEdit()
        self.demo = QCheckBox("Coba dengan data contoh (isi kelurahan dengan data demo)")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addRow("Nama operator *:", self.nama)
        layout.addRow("NIK operator:", self.nik)
        layout.addRow("Nomor registrasi:", self.nomor)
        layout.addRow("Nama Lurah:", self.lurah)
        layout.addRow("", self.demo)
        layout.addRow("", self.error)

    def validatePage(self) -> bool:
        if not self.nama.text().strip():
            self.error.setText("Nama operator wajib diisi.")
            return False
        if self.nik.text().strip():
            chk = check_nik(self.nik.text())
            if chk.errors:
                self.error.setText("NIK operator: " + chk.errors[0])
                return False
        self.error.clear()
        return True


class SandiPage(QWizardPage):
    """Issue 10: a passphrase for the database, or explicitly none (demo only)."""

    def __init__(self):
        super().__init__()
        from desktop.keamanan import NewPassphraseForm

        self.setTitle("Kata sandi basis data")
        self.setSubTitle("Data penerima manfaat dilindungi UU 27/2022 (PDP). Dengan kata sandi, berkas basis "
                         "data tidak dapat dibaca bila laptop hilang atau dicuri.")
        layout = QVBoxLayout(self)
        self.pakai = QRadioButton("&Lindungi dengan kata sandi (disarankan)")
        self.tanpa = QRadioButton("&Tanpa kata sandi (hanya untuk demo/latihan)")
        self.pakai.setChecked(True)
        self.form = NewPassphraseForm()
        note = QLabel("Setelah selesai, aplikasi menampilkan kode pemulihan sekali: catat dan serahkan ke Dinas.")
        note.setWordWrap(True)
        for w in (self.pakai, self.form, self.tanpa, note):
            layout.addWidget(w)
        self.pakai.toggled.connect(self.form.setEnabled)

    def passphrase(self) -> str | None:
        """The chosen passphrase; "" for the explicit no-passphrase choice; None if invalid."""
        if self.tanpa.isChecked():
            return ""
        return self.form.passphrase()

    def validatePage(self) -> bool:
        return self.passphrase() is not None


class SetupWizard(QWizard):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.install = None
        self.fill_demo = False
        self.setWindowTitle("Penyiapan Kesos Lapangan")
        self.setWizardStyle(QWizard.ModernStyle)
        self.setButtonText(QWizard.NextButton, "Lanjut >")
        self.setButtonText(QWizard.BackButton, "< Kembali")
        self.setButtonText(QWizard.FinishButton, "Selesai")
        self.setButtonText(QWizard.CancelButton, "Batal")
        self.peran_page = PeranPage()
        self.wilayah_page = WilayahPage(db, self.peran_page)
        self.operator_page = OperatorPage()
        self.sandi_page = SandiPage()
        for page in (self.peran_page, self.wilayah_page, self.operator_page, self.sandi_page):
            self.addPage(page)
        self.resize(640, 440)

    def accept(self) -> None:
        op = self.operator_page
        passphrase = self.sandi_page.passphrase()
        if passphrase is None:
            return  # the reason is shown on the passphrase page
        try:
            if passphrase and not self._encrypt(passphrase):
                return
            self.install = init_install(
                self.db,
                kode_wilayah=self.wilayah_page.wilayah.kode(),
                operator_nama=op.nama.text(),
                peran=self.peran_page.peran(),
                operator_nik=op.nik.text().strip() or None,
                operator_nomor=op.nomor.text(),
                lurah_nama=op.lurah.text(),
            )
        except ValidationError as exc:
            op.error.setText(exc.pesan)
            return
        except KnownError as exc:
            op.error.setText(exc.pesan)
            return
        self.fill_demo = op.demo.isChecked() and self.install.peran != "DINAS"
        from db.kunci import ensure_signing_key
        from desktop.keamanan import show_recovery_code

        ensure_signing_key(self.db)
        super().accept()
        show_recovery_code(self.db, self)

    def _encrypt(self, passphrase: str) -> bool:
        """Encrypt the new (still empty) database before the first personal record is written."""
        from db import sandi
        from db.connection import open_database

        if sandi.is_encrypted_db(self.db):
            return True
        path = sandi.database_path(self.db)
        self.db.close()
        try:
            sandi.encrypt_database(path, passphrase)
        finally:
            self.db = open_database(path, passphrase=passphrase)
        self.wilayah_page.db = self.wilayah_page.wilayah.db = self.db
        return True
