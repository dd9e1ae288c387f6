"""Security in the GUI: passphrase prompt, recovery code, the unencrypted warning, app lock, daily backups.

``app.py`` calls ``open_database_gui`` (asks the passphrase of an encrypted
database) and ``install_security(window, ctx)`` once the main window exists:
a warning bar at every start when the database has no passphrase, the app
lock (desktop/lock.py), and the automatic daily backup at start and close.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QToolBar, QVBoxLayout, QWidget,
)

from db import sandi
from db.errors import KnownError
from desktop import msgbox
from desktop.widgets.form import error_label

log = logging.getLogger("kesos.keamanan")
BACKUP_DELAY_MS = 1500

FORGOT_TEXT = (
    "Kata sandi tidak dapat dipulihkan oleh aplikasi: tanpa kata sandi, data tidak dapat dibaca siapa pun.\n\n"
    "Jalan keluarnya lewat Dinas Sosial:\n"
    "1. Hubungi petugas TI Dinas Sosial. Mereka memegang kode pemulihan Anda (amplop yang Anda serahkan saat "
    "penyiapan) atau dapat membuka berkas '<basis data>.pemulihan' di folder data Anda dengan kunci Dinas.\n"
    "2. Petugas menyerahkan kode pemulihan (14 kelompok huruf) kepada Anda secara langsung.\n"
    "3. Klik 'Pakai kode pemulihan', ketik kode itu dan kata sandi baru (atau jalankan: "
    "kesos ganti-sandi --kode-pemulihan KODE).\n\n"
    "Panduan lengkap: docs/keamanan.md."
)


class PassphraseDialog(QDialog):
    """Asks the passphrase of an encrypted database; ``db`` holds the opened database on accept."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.db = None
        self.tries = 0
        self.setWindowTitle("Kesos Lapangan — kata sandi")
        layout = QVBoxLayout(self)
        title = QLabel("Basis data terkunci")
        title.setStyleSheet("font-size: 18px; font-weight: 600; color: #1f4e79;")
        info = QLabel(f"Basis data <b>{self.path.name}</b> dilindungi kata sandi. "
                      "Masukkan kata sandi untuk membukanya.")
        info.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.Password)
        self.edit.setPlaceholderText("Kata sandi")
        self.edit.setObjectName("sandi")
        self.error = error_label(hidden=False)
        self.forgot = QPushButton("&Lupa kata sandi?")
        self.forgot.setFlat(True)
        self.forgot.setStyleSheet("color: #1f4e79; text-decoration: underline; text-align: left;")
        self.forgot.clicked.connect(lambda: msgbox.info(self, "Lupa kata sandi", FORGOT_TEXT))
        self.recover = QPushButton("Pakai kode &pemulihan…")
        self.recover.clicked.connect(self.use_recovery_code)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("&Buka", QDialogButtonBox.AcceptRole)
        self.cancel = self.buttons.addButton("&Keluar", QDialogButtonBox.RejectRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.returnPressed.connect(self.accept)
        links = QHBoxLayout()
        links.addWidget(self.forgot)
        links.addStretch(1)
        links.addWidget(self.recover)
        for w in (title, info, self.edit, self.error):
            layout.addWidget(w)
        layout.addLayout(links)
        layout.addWidget(self.buttons)
        self.resize(460, 220)

    def accept(self) -> None:
        from db.connection import open_database

        text = self.edit.text()
        if not text:
            self.error.setText("Kata sandi wajib diisi.")
            return
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.db = open_database(self.path, passphrase=text)
        except sandi.WrongPassphrase:
            self.tries += 1
            self.error.setText(f"Kata sandi salah (percobaan ke-{self.tries}). Coba lagi.")
            self.edit.clear()
            self.edit.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()

    def use_recovery_code(self) -> bool:
        """Forgotten passphrase: the recovery code sets a new one, then the database opens with it."""
        from db.connection import open_database

        if msgbox.unattended():
            value = msgbox.answers.popleft() if msgbox.answers else None
        else:
            dialog = ChangePassphraseDialog(None, self)
            value = dialog.value if dialog.exec() == QDialog.Accepted else None
        if not value:
            return False
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            sandi.change_passphrase(self.path, recovery=value["kode"], new_passphrase=value["baru"])
            self.db = open_database(self.path, passphrase=value["baru"])
        except KnownError as exc:  # WrongPassphrase: the code is not this database's
            self.error.setText(exc.pesan if not isinstance(exc, sandi.WrongPassphrase)
                               else "Kode pemulihan tidak cocok dengan basis data ini.")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        show_recovery_code(self.db, self)  # the old code no longer works: hand out the new one
        super().accept()
        return True


def open_database_gui(db_path: Path, *, create: bool = True, show_only: bool = False):
    """Open the database for the GUI; ask the passphrase when it is encrypted.

    Returns the Database, or None when the user gave up. ``show_only``
    (smoke tests/screenshots): return the dialog, shown, instead of waiting.
    """
    from db.connection import open_database

    try:
        return open_database(db_path, create=create)
    except (sandi.PassphraseRequired, sandi.WrongPassphrase):
        pass
    dialog = PassphraseDialog(db_path)
    if show_only:
        dialog.show()
        return dialog
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.db


class NewPassphraseForm(QWidget):
    """Two password fields (passphrase + repeat) with the message next to them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.Password)
        self.first.setObjectName("sandiBaru")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.Password)
        self.second.setObjectName("sandiUlang")
        self.error = error_label(hidden=False)
        form.addRow("&Kata sandi:", self.first)
        form.addRow("&Ulangi kata sandi:", self.second)
        form.addRow("", self.error)

    def passphrase(self) -> str | None:
        """The checked passphrase, or None with the reason shown."""
        try:
            value = sandi.check_new_passphrase(self.first.text())
        except KnownError as exc:
            self.error.setText(exc.pesan)
            return None
        if self.second.text() != value:
            self.error.setText("Kedua kata sandi tidak sama.")
            return None
        self.error.clear()
        return value


class ChangePassphraseDialog(QDialog):
    """The old passphrase (or, when forgotten, the recovery code) and a new passphrase (twice).

    ``db``: the open database (Pengaturan), whose key the old secret is checked
    against at once. None at the passphrase prompt (the database cannot be
    opened): then only the recovery code is asked, and re-encrypting checks it.
    """

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Ganti kata sandi")
        layout = QVBoxLayout(self)
        text = QLabel("Basis data disalin dengan kata sandi baru, diperiksa, lalu menggantikan berkas lama. "
                      "Kode pemulihan lama tidak berlaku lagi; Anda mendapat kode baru. Setelah itu aplikasi "
                      "ditutup; buka kembali dengan kata sandi baru.")
        text.setWordWrap(True)
        old_form = QFormLayout()
        self.old = QLineEdit()
        self.old.setEchoMode(QLineEdit.Password)
        self.old.setObjectName("sandiLama")
        self.old_label = QLabel("Kata sandi &lama:")
        self.old_label.setBuddy(self.old)
        old_form.addRow(self.old_label, self.old)
        self.forgot = QCheckBox("Saya lupa kata sandi lama: pakai &kode pemulihan (dari amplop atau Dinas)")
        self.forgot.toggled.connect(self._forgot_toggled)
        self.form = NewPassphraseForm()
        self.error = error_label(hidden=False)
        buttons = QDialogButtonBox()
        buttons.addButton("&Ganti", QDialogButtonBox.AcceptRole)
        buttons.addButton("&Batal", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for part in (text, self.forgot):
            layout.addWidget(part)
        layout.addLayout(old_form)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.value = None
        if db is None:  # forgotten: the recovery code is the only way in
            self.forgot.setChecked(True)
            self.forgot.hide()

    def _forgot_toggled(self, on: bool) -> None:
        self.old.clear()
        self.old.setEchoMode(QLineEdit.Normal if on else QLineEdit.Password)
        self.old.setPlaceholderText("XXXX-XXXX-… (14 kelompok)" if on else "")
        self.old_label.setText("&Kode pemulihan:" if on else "Kata sandi &lama:")

    def accept(self) -> None:
        self.error.clear()
        answer = {"kode": self.old.text()} if self.forgot.isChecked() else {"lama": self.old.text()}
        problem = check_old_secret(self.db, answer)
        if problem:
            self.error.setText(problem)
            self.old.setFocus()
            return
        new = self.form.passphrase()
        if new is None:
            return
        self.value = {**answer, "baru": new}
        super().accept()


def check_old_secret(db, answer: dict) -> str | None:
    """Why the old passphrase / recovery code in ``answer`` does not open ``db``; None when it does.

    Without ``db`` (not open) only the recovery code's form is checked.
    """
    if answer.get("kode"):
        try:
            key = sandi.parse_recovery_code(answer["kode"])
        except KnownError as exc:
            return exc.pesan
        if db is None:
            return None
        info = sandi.key_info(db)
        return None if info is not None and key == info.key else "Kode pemulihan ini bukan milik basis data ini."
    if not answer.get("lama"):
        return "Isi kata sandi lama, atau centang 'Saya lupa kata sandi lama'."
    return None if sandi.passphrase_matches(db, answer["lama"]) else "Kata sandi lama salah."


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once, with what to do with it."""

    def __init__(self, code: str, recovery_file: Path | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Kode pemulihan")
        layout = QVBoxLayout(self)
        head = QLabel("Catat kode pemulihan ini sekarang")
        head.setStyleSheet("font-size: 18px; font-weight: 600; color: #1f4e79;")
        text = QLabel(
            "Kode ini membuka basis data bila kata sandi terlupa. Tulis di kertas, masukkan amplop tertutup, "
            "dan serahkan kepada Dinas Sosial. Jangan simpan di laptop ini. Kode hanya ditampilkan sekali."
        )
        text.setWordWrap(True)
        self.code = QLabel(code)
        self.code.setObjectName("kodePemulihan")
        self.code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.Monospace)
        font.setPointSize(13)
        self.code.setFont(font)
        self.code.setWordWrap(True)
        self.code.setStyleSheet("background: #f3f6f9; border: 1px solid #d0d7de; padding: 10px;")
        layout.addWidget(head)
        layout.addWidget(text)
        layout.addWidget(self.code)
        if recovery_file:
            note = QLabel(f"Salinan tersegel untuk Dinas juga ditulis: {recovery_file}")
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox()
        copy = buttons.addButton("&Salin", QDialogButtonBox.ActionRole)
        done = buttons.addButton("Sudah &dicatat", QDialogButtonBox.AcceptRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(code))
        done.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, 260)


def show_recovery_code(db, parent=None) -> str | None:
    info = sandi.key_info(db)
    if info is None:
        return None
    code = sandi.recovery_code(info.key)
    recovery_file = sandi.write_recovery_file(db)
    msgbox.shown.append(("kode_pemulihan", "Kode pemulihan", code))
    if not msgbox.unattended():
        RecoveryCodeDialog(code, recovery_file, parent).exec()
    return code


class SecurityBanner(QWidget):
    """The warning shown at every start while the database has no passphrase."""

    def __init__(self, parent=None, on_encrypt=None):
        super().__init__(parent)
        self.setObjectName("securityBanner")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("#securityBanner { background: #fff4ce; border-bottom: 1px solid #e0c36a; }"
                           "#securityBanner QLabel { color: #5c4400; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        self.label = QLabel(
            "<b>Basis data ini TIDAK terenkripsi.</b> Nama dan NIK penerima manfaat dapat dibaca siapa pun "
            "yang menyalin berkasnya. Pakai hanya untuk demo/latihan, atau pasang kata sandi."
        )
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.button = QPushButton("&Pasang kata sandi…")
        if on_encrypt:
            self.button.clicked.connect(on_encrypt)
        row.addWidget(self.button)


def install_security(window, ctx, *, lock_at_start: bool = True):
    """Warning bar, app lock and daily backups for a freshly shown main window."""
    from desktop.lock import AppLock

    if not sandi.is_encrypted_db(ctx.db):
        banner = SecurityBanner(on_encrypt=lambda: _go_to_settings(window))
        bar = QToolBar("Peringatan keamanan", window)
        bar.setObjectName("securityBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setVisible(False)
        bar.addWidget(banner)
        window.addToolBar(Qt.TopToolBarArea, bar)
        if window.isVisible():
            bar.show()
        window.security_banner = banner
        log.warning("Basis data %s tidak terenkripsi", ctx.db_path.name)
    window.app_lock = AppLock(window, ctx)
    from db import kunci_layar

    if lock_at_start and not sandi.is_encrypted_db(ctx.db) and kunci_layar.has_pin(ctx.db):
        window.app_lock.lock()  # an encrypted database was unlocked by its passphrase just now
    # after the first paint: the window shows at once, the day's first backup follows
    QTimer.singleShot(BACKUP_DELAY_MS, window, lambda: run_auto_backup(window, ctx, refresh=False))
    window.close_guard = CloseBackup(window, ctx)
    return window.app_lock


def _go_to_settings(window) -> None:
    try:
        page = window.show_area("pengaturan")
    except KeyError:
        msgbox.info(window, "Pasang kata sandi", "Jalankan 'kesos enkripsi' untuk memasang kata sandi.")
        return
    if hasattr(page, "start_encrypt"):
        page.start_encrypt()


class CloseBackup:
    """Today's backup brought up to date when the window closes, if anything was written.

    A session that only looked at the data closes at once (today's backup from
    the start is still current). Otherwise the copy is made in a worker thread
    behind a progress dialog without a cancel button, and the window closes when
    it is done: a kota-sized Dinas database takes ~10 s, which used to freeze a
    window already gone from the screen with the process still running.
    """

    def __init__(self, window, ctx):
        self.window, self.ctx = window, ctx
        self.op = None
        self.finished = False

    def may_close(self) -> bool:
        """True: close now. False: the backup has started; the window closes itself after it."""
        if self.finished or not self.ctx.changed_since_start:
            return True
        if self.op is None:
            from desktop.worker import run_in_background

            db_path = self.ctx.db_path

            def work(_progress):
                from db.connection import open_database

                from db.cadangan import auto_backup

                db = open_database(db_path)  # this thread's own connection (remembered key if encrypted)
                try:
                    return auto_backup(db, db_path, refresh=True)
                finally:
                    db.close()

            self.op = run_in_background(self.window, "Menyimpan cadangan harian…", work, self._done, self._failed,
                                        cancellable=False)
        return False

    def _done(self, _path) -> None:
        self.finished = True
        self.window.close()

    def _failed(self, exc) -> None:
        pesan = getattr(exc, "pesan", None) or str(exc)
        log.warning("Cadangan saat menutup gagal: %s", pesan)
        msgbox.warning(self.window, "Cadangan harian gagal",
                       f"Cadangan harian tidak dapat diperbarui: {pesan}\nData Anda tetap tersimpan di basis data.")
        self._done(None)


def run_auto_backup(window, ctx, *, refresh: bool) -> Path | None:
    """The daily backup; a failure is reported on the status bar, never blocks the app."""
    from db.cadangan import auto_backup

    try:
        path = auto_backup(ctx.db, ctx.db_path, refresh=refresh)
    except KnownError as exc:
        log.warning("Cadangan harian gagal: %s", exc.pesan)
        if window is not None:
            window.statusBar().showMessage(f"Cadangan harian gagal: {exc.pesan}", 15_000)
        return None
    except Exception:  # a closed database at quit, etc.: never crash on the way out
        log.exception("Cadangan harian gagal")
        return None
    if path and window is not None:
        window.statusBar().showMessage(f"Cadangan harian dibuat: {path.name}", 8_000)
    return path
