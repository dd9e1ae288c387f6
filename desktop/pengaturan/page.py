"""Pengaturan: receipt size, security (passphrase, app lock, Dinas key) and backups with restore."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from db import cadangan, kunci, kunci_layar, sandi
from db.errors import KnownError
from db.indonesian import angka, tanggal_panjang
from desktop import msgbox
from desktop.keamanan import ChangePassphraseDialog, check_old_secret


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{angka(max(1, n // 1024))} KB"


class _PassphraseDialog(QDialog):
    """A new passphrase (twice) to encrypt the database."""

    def __init__(self, parent=None):
        super().__init__(parent)
        from desktop.keamanan import NewPassphraseForm

        self.setWindowTitle("Pasang kata sandi")
        layout = QVBoxLayout(self)
        text = QLabel("Basis data akan disalin terenkripsi, diperiksa, lalu menggantikan berkas lama (yang "
                      "ditimpa dan dihapus). Setelah itu aplikasi ditutup; buka kembali dengan kata sandi baru.")
        text.setWordWrap(True)
        self.form = NewPassphraseForm()
        buttons = QDialogButtonBox()
        buttons.addButton("&Enkripsi", QDialogButtonBox.AcceptRole)
        buttons.addButton("&Batal", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(text)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.value = None

    def accept(self) -> None:
        self.value = self.form.passphrase()
        if self.value is not None:
            super().accept()


class Page(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel("Pengaturan")
        title.setProperty("role", "title")
        layout.addWidget(title)
        if not ctx.install.is_dinas:
            layout.addWidget(self._receipt_box())
        layout.addWidget(self._security_box())
        layout.addWidget(self._lock_box())
        layout.addWidget(self._key_box())
        layout.addWidget(self._backup_box())
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.refresh()

    # ------------------------------------------------------------------ boxes
    def _receipt_box(self) -> QGroupBox:
        from db import kuitansi

        box = QGroupBox("Kuitansi")
        form = QFormLayout(box)
        self.receipt_size = QComboBox()
        for key, label in kuitansi.UKURAN.items():
            self.receipt_size.addItem(label, key)
        self.receipt_size.setCurrentIndex(self.receipt_size.findData(kuitansi.ukuran(self.ctx.db)))
        self.receipt_size.currentIndexChanged.connect(
            lambda _i: kuitansi.set_ukuran(self.ctx.db, self.receipt_size.currentData()))
        form.addRow("&Ukuran kertas kuitansi:", self.receipt_size)
        return box

    def _security_box(self) -> QGroupBox:
        box = QGroupBox("Enkripsi basis data")
        row = QHBoxLayout(box)
        self.encryption_status = QLabel()
        self.encryption_status.setWordWrap(True)
        self.encrypt_button = QPushButton("&Pasang kata sandi…")
        self.encrypt_button.clicked.connect(self.start_encrypt)
        self.change_button = QPushButton("&Ganti kata sandi…")
        self.change_button.clicked.connect(self.change_passphrase)
        row.addWidget(self.encryption_status, 1)
        row.addWidget(self.encrypt_button)
        row.addWidget(self.change_button)
        return box

    def _lock_box(self) -> QGroupBox:
        box = QGroupBox("Kunci layar")
        form = QFormLayout(box)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setSuffix(" menit")
        self.lock_minutes.setSpecialValueText("tidak pernah")
        self.lock_minutes.setValue(kunci_layar.lock_minutes(self.ctx.db))
        self.lock_minutes.valueChanged.connect(self._save_minutes)
        form.addRow("Kunci &otomatis setelah tidak dipakai:", self.lock_minutes)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.Password)
        self.pin.setPlaceholderText("angka, min. 4 digit")
        self.pin.setMaxLength(12)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin)
        self.pin_save = QPushButton("&Simpan PIN")
        self.pin_remove = QPushButton("&Hapus PIN")
        self.pin_save.clicked.connect(self._save_pin)
        self.pin_remove.clicked.connect(self._remove_pin)
        pin_row.addWidget(self.pin_save)
        pin_row.addWidget(self.pin_remove)
        pin_label = QLabel("&PIN kunci layar:")
        pin_label.setBuddy(self.pin)
        form.addRow(pin_label, pin_row)
        self.lock_status = QLabel()
        self.lock_status.setWordWrap(True)
        form.addRow("", self.lock_status)
        self.lock_now = QPushButton("&Kunci sekarang")
        self.lock_now.clicked.connect(self._lock_now)
        form.addRow("", self.lock_now)
        return box

    def _key_box(self) -> QGroupBox:
        box = QGroupBox("Kunci Dinas (segel paket)")
        row = QHBoxLayout(box)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        self.key_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        row.addWidget(self.key_status, 1)
        if self.ctx.install.is_dinas:
            self.key_button = QPushButton("&Ekspor kunci publik…")
            self.key_button.clicked.connect(self._export_key)
        else:
            self.key_button = QPushButton("&Impor kunci Dinas…")
            self.key_button.clicked.connect(self._import_key)
        row.addWidget(self.key_button)
        return box

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox("Cadangan otomatis")
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setSuffix(" cadangan terakhir")
        self.keep.setValue(cadangan.keep_count(self.ctx.db))
        self.keep.valueChanged.connect(lambda n: cadangan.set_keep_count(self.ctx.db, n))
        form.addRow("&Simpan:", self.keep)
        self.backup_folder = QLabel(str(cadangan.backup_dir(self.ctx.db_path)))
        self.backup_folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow("Folder:", self.backup_folder)
        layout.addLayout(form)
        self.backups = QTableWidget(0, 3)
        self.backups.setHorizontalHeaderLabels(["Tanggal", "Ukuran", "Berkas"])
        self.backups.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.backups.setSelectionMode(QAbstractItemView.SingleSelection)
        self.backups.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.backups.verticalHeader().setVisible(False)
        self.backups.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.backups.setMinimumHeight(160)
        layout.addWidget(self.backups)
        buttons = QHBoxLayout()
        self.backup_now = QPushButton("&Buat cadangan sekarang")
        self.restore_button = QPushButton("P&ulihkan…")
        self.backup_now.clicked.connect(self._backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.backup_now)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    # ------------------------------------------------------------------ state
    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        db = self.ctx.db
        if sandi.is_encrypted_db(db):
            self.encryption_status.setText("Basis data <b>terenkripsi</b> (SQLCipher, AES-256). Berkas yang disalin "
                                           "tidak dapat dibaca tanpa kata sandi.")
            self.encrypt_button.hide()
            self.change_button.show()
        else:
            self.change_button.hide()
            self.encryption_status.setText("<span style='color:#8a5a00'><b>Basis data TIDAK terenkripsi.</b> Nama "
                                           "dan NIK dapat dibaca siapa pun yang menyalin berkasnya.</span>")
            self.encrypt_button.show()
        if kunci_layar.has_pin(db):
            self.lock_status.setText("Kunci layar dibuka dengan PIN.")
        elif sandi.is_encrypted_db(db):
            self.lock_status.setText("Kunci layar dibuka dengan kata sandi basis data (atau atur PIN).")
        else:
            self.lock_status.setText("Atur PIN agar layar dapat dikunci (basis data tanpa kata sandi).")
        self.pin_remove.setEnabled(kunci_layar.has_pin(db))
        self.lock_now.setEnabled(kunci_layar.can_lock(db))
        self._refresh_key()
        self._refresh_backups()

    def _refresh_key(self) -> None:
        db = self.ctx.db
        if self.ctx.install.is_dinas:
            own = kunci.own_dinas_public_bytes(db)
            self.key_status.setText(
                f"Kunci penerima paket Dinas. Sidik jari: <b>{kunci.fingerprint(own)}</b>" if own else
                "Kunci penerima paket belum dibuat: ekspor untuk membuatnya, lalu bagikan ke setiap kelurahan.")
            return
        key = kunci.dinas_public_key(db)
        if key:
            self.key_status.setText(f"Paket disegel untuk Dinas {key.nama_wilayah or key.kode_wilayah}. "
                                    f"Sidik jari: <b>{key.fingerprint}</b>")
        else:
            self.key_status.setText("<span style='color:#8a5a00'>Kunci Dinas belum diimpor: paket ke Dinas belum "
                                    "dapat disegel. Minta berkas kunci dari Dinas Sosial.</span>")

    def _refresh_backups(self) -> None:
        items = cadangan.list_backups(self.ctx.db_path)
        self.backups.setRowCount(len(items))
        for row, b in enumerate(items):
            date_item = QTableWidgetItem(tanggal_panjang(b.tanggal))
            date_item.setData(Qt.UserRole, str(b.path))
            self.backups.setItem(row, 0, date_item)
            self.backups.setItem(row, 1, QTableWidgetItem(_size(b.ukuran)))
            self.backups.setItem(row, 2, QTableWidgetItem(b.path.name))
        if items:
            self.backups.selectRow(0)
        self.restore_button.setEnabled(bool(items))

    # ------------------------------------------------------------------ actions
    def _save_minutes(self, value: int) -> None:
        kunci_layar.set_lock_minutes(self.ctx.db, value)
        lock = getattr(self.window(), "app_lock", None)
        if lock is not None:
            lock.apply_settings()

    def _save_pin(self) -> None:
        try:
            kunci_layar.set_pin(self.ctx.db, self.pin.text())
        except KnownError as exc:
            msgbox.warning(self, "PIN tidak disimpan", exc.pesan)
            return
        self.pin.clear()
        msgbox.info(self, "PIN disimpan", "PIN kunci layar disimpan.")
        self.refresh()
        self._save_minutes(self.lock_minutes.value())

    def _remove_pin(self) -> None:
        if not msgbox.confirm(self, "Hapus PIN", "Hapus PIN kunci layar?", yes="Hapus"):
            return
        kunci_layar.set_pin(self.ctx.db, None)
        self.refresh()
        self._save_minutes(self.lock_minutes.value())

    def _lock_now(self) -> None:
        lock = getattr(self.window(), "app_lock", None)
        if lock is not None:
            lock.lock()

    def _import_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Impor kunci Dinas", "", "Kunci Dinas (*.json);;Semua berkas (*)")
        if path:
            self.import_key(Path(path))

    def import_key(self, path: Path) -> None:
        try:
            result = kunci.import_dinas_key(self.ctx.db, path)
        except KnownError as exc:
            msgbox.error(self, "Kunci Dinas tidak diimpor", exc.pesan)
            return
        sandi.write_recovery_file(self.ctx.db)
        msgbox.info(self, "Kunci Dinas", f"Kunci Dinas {result['nama_wilayah'] or result['kode_wilayah']} diimpor.\n"
                                         f"Sidik jari: {result['sidik_jari']}\nCocokkan dengan Dinas lewat telepon.")
        self.refresh()

    def _export_key(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Ekspor kunci publik Dinas", "kunci-dinas.json",
                                              "Kunci Dinas (*.json)")
        if path:
            try:
                kunci.export_dinas_key(self.ctx.db, path)
            except KnownError as exc:
                msgbox.error(self, "Kunci tidak diekspor", exc.pesan)
                return
            msgbox.info(self, "Kunci Dinas", f"Kunci publik ditulis ke {path}. Bagikan ke setiap kelurahan.")
            self.refresh()

    def _backup_now(self) -> None:
        try:
            path = cadangan.auto_backup(self.ctx.db, self.ctx.db_path, refresh=True)
        except KnownError as exc:
            msgbox.error(self, "Cadangan gagal", exc.pesan)
            return
        msgbox.info(self, "Cadangan dibuat", f"Cadangan tersimpan: {path}")
        self._refresh_backups()

    def selected_backup(self) -> Path | None:
        row = self.backups.currentRow()
        item = self.backups.item(row, 0) if row >= 0 else None
        return Path(item.data(Qt.UserRole)) if item else None

    def restore_selected(self) -> bool:
        """Verify the selected backup, confirm, replace the database, then close the app."""
        from db.backup import restore_from, verify_backup

        path = self.selected_backup()
        if path is None:
            return False
        info = sandi.key_info(self.ctx.db)
        key = info.key if info else None
        try:
            checked = verify_backup(path, key=key)
        except KnownError as exc:
            msgbox.error(self, "Cadangan tidak dapat dipakai", exc.pesan)
            return False
        if checked["install_id"] != self.ctx.install.install_id:
            msgbox.error(self, "Cadangan tidak dapat dipakai",
                         "Cadangan ini milik instalasi lain; basis data tidak diganti.")
            return False
        if not msgbox.confirm(
                self, "Pulihkan dari cadangan",
                f"Cadangan {path.name} sudah diperiksa dan utuh.\nSemua perubahan sesudah cadangan ini dibuat akan "
                "HILANG. Cadangan hari ini dibuat dulu agar keadaan sekarang tidak hilang.\n"
                "Aplikasi ditutup setelah pemulihan. Lanjutkan?", yes="Pulihkan", danger=True):
            return False
        today_name = f"{self.ctx.db_path.stem}-{cadangan.today():%Y-%m-%d}.db"
        if path.name != today_name:  # keep the current state as today's backup first
            try:
                cadangan.auto_backup(self.ctx.db, self.ctx.db_path, refresh=True)
            except KnownError:
                pass
        self.ctx.db.close()
        try:
            restore_from(self.ctx.db_path, path, key=key)
        except KnownError as exc:
            msgbox.error(self, "Pemulihan gagal", exc.pesan + "\nBuka kembali aplikasi.")
            self._quit()
            return False
        msgbox.info(self, "Pemulihan selesai",
                    f"Basis data dipulihkan dari cadangan {tanggal_panjang(_date_of(path))}. "
                    "Aplikasi ditutup; buka kembali.")
        self._quit()
        return True

    def start_encrypt(self) -> bool:
        """Encrypt a plain database (verified copy), show the recovery code, then close the app."""
        if sandi.is_encrypted_db(self.ctx.db):
            return False
        dialog = _PassphraseDialog(self)
        if msgbox.unattended():
            value = msgbox.answers.popleft() if msgbox.answers else None
        else:
            value = dialog.value if dialog.exec() == QDialog.Accepted else None
        if not value:
            return False
        self.ctx.db.close()
        try:
            sandi.encrypt_database(self.ctx.db_path, value)
        except KnownError as exc:
            msgbox.error(self, "Enkripsi gagal", exc.pesan + "\nBasis data lama tetap dipakai; buka kembali aplikasi.")
            self._quit()
            return False
        self._reopen_and_finish(value, "Basis data terenkripsi",
                                "Basis data sekarang terenkripsi. Aplikasi ditutup; buka kembali dengan kata sandi baru.")
        return True

    def change_passphrase(self) -> bool:
        """Re-encrypt under a new passphrase (old passphrase or recovery code), new recovery code, close the app."""
        if not sandi.is_encrypted_db(self.ctx.db):
            return False
        if msgbox.unattended():
            value = msgbox.answers.popleft() if msgbox.answers else None
            problem = check_old_secret(self.ctx.db, value) if value else None
            if problem:  # the dialog shows it beside the field instead
                msgbox.error(self, "Kata sandi tidak diganti", problem)
                return False
        else:
            dialog = ChangePassphraseDialog(self.ctx.db, self)
            value = dialog.value if dialog.exec() == QDialog.Accepted else None
        if not value:
            return False
        self.ctx.db.close()
        try:
            sandi.change_passphrase(self.ctx.db_path, old_passphrase=value.get("lama"), recovery=value.get("kode"),
                                    new_passphrase=value["baru"])
        except KnownError as exc:
            msgbox.error(self, "Kata sandi tidak diganti",
                         exc.pesan + "\nKata sandi lama tetap berlaku; buka kembali aplikasi.")
            self._quit()
            return False
        self._reopen_and_finish(value["baru"], "Kata sandi diganti",
                                "Kata sandi diganti; kode pemulihan lama tidak berlaku lagi. Aplikasi ditutup; "
                                "buka kembali dengan kata sandi baru.")
        return True

    def _reopen_and_finish(self, passphrase: str, title: str, text: str) -> None:
        """After re-encryption: today's backup under the new key, the new recovery code, then close the app."""
        from db.connection import open_database
        from desktop.keamanan import show_recovery_code

        db = open_database(self.ctx.db_path, passphrase=passphrase)
        try:
            cadangan.auto_backup(db, self.ctx.db_path, refresh=True)
            for old in cadangan.plaintext_backups(self.ctx.db_path):
                sandi._wipe(old)
        except KnownError:
            pass
        show_recovery_code(db, self)
        db.close()
        msgbox.info(self, title, text)
        self._quit()

    def _quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.closed_for_restart = True
        if not msgbox.unattended():
            QApplication.instance().quit()


def _date_of(path: Path):
    import datetime as dt
    import re

    m = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return dt.date.fromisoformat(m.group(1)) if m else dt.date.today()
