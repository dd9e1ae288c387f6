"""App lock: a PIN/passphrase screen over the main window at start and after inactivity.

``AppLock(window, ctx)`` installs an event filter on the QApplication: any key
press, click, mouse move or wheel restarts the inactivity timer (setting
``kunci_menit`` in Pengaturan, default 10, 0 = never). When it fires, a
``LockScreen`` covers the window, the window's widgets and actions are
disabled (no shortcut reaches a page under the lock) and only the PIN (or,
without a PIN, the database passphrase of an encrypted database) unlocks.
After 5 wrong entries the field is disabled for 30 s.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from db import kunci_layar

ACTIVITY = (QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin)
MAX_TRIES = 5
WAIT_MS = 30_000


class LockScreen(QWidget):
    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet(
            "#lockScreen { background: #1f4e79; }"
            "#lockCard { background: white; border-radius: 8px; }"
            "#lockCard QLabel[role='title'] { font-size: 20px; font-weight: 600; color: #1f4e79; }"
        )
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(420)
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 24, 28, 24)
        box.setSpacing(10)
        title = QLabel("Kesos Lapangan terkunci")
        title.setProperty("role", "title")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setMinimumHeight(40)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.Password)
        self.edit.setObjectName("lockInput")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.button = QPushButton("&Buka kunci")
        self.button.setDefault(True)
        for w in (title, self.hint, self.edit, self.error, self.button):
            box.addWidget(w)
        outer.addWidget(card, 0, Qt.AlignHCenter)
        outer.addStretch(2)
        self.button.clicked.connect(self._submit)
        self.edit.returnPressed.connect(self._submit)
        self.hide()

    def _submit(self) -> None:
        self.unlock_requested.emit(self.edit.text())


class AppLock(QObject):
    locked_changed = Signal(bool)

    def __init__(self, window: QWidget, ctx, app: QApplication | None = None):
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.locked = False
        self.failures = 0
        self._disabled_actions: list[QAction] = []
        self.screen = LockScreen(window)
        self.screen.unlock_requested.connect(self.try_unlock)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.wait = QTimer(self)
        self.wait.setSingleShot(True)
        self.wait.timeout.connect(self._end_wait)
        self.app = app or QApplication.instance()
        self.app.installEventFilter(self)
        window.installEventFilter(self)
        self.apply_settings()

    # -- settings -----------------------------------------------------------
    def minutes(self) -> int:
        return kunci_layar.lock_minutes(self.ctx.db)

    def apply_settings(self) -> None:
        minutes = self.minutes()
        if minutes <= 0 or not kunci_layar.can_lock(self.ctx.db):
            self.timer.stop()
            return
        self.timer.setInterval(minutes * 60_000)
        if not self.locked:
            self.timer.start()

    # -- activity -------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        kind = event.type()
        if obj is self.window and kind == QEvent.Resize:
            self.screen.setGeometry(self.window.rect())
        elif kind in ACTIVITY and not self.locked and self.timer.interval() > 0 and self.timer.isActive():
            self.timer.start()  # restart: the user is here
        return False

    # -- lock / unlock -----------------------------------------------------------
    def lock(self) -> bool:
        if self.locked or not kunci_layar.can_lock(self.ctx.db):
            return False
        self.locked = True
        self.timer.stop()
        label = kunci_layar.credential_label(self.ctx.db)
        wanted = label if label == "PIN" else label.lower()
        self.screen.hint.setText(f"Data penerima manfaat dilindungi. Masukkan {wanted} untuk melanjutkan.")
        self.screen.edit.setPlaceholderText(label)
        self.screen.edit.clear()
        self.screen.error.clear()
        central = getattr(self.window, "centralWidget", lambda: None)()
        if central is not None:
            central.setEnabled(False)
        menubar = getattr(self.window, "menuBar", lambda: None)()
        if menubar is not None:
            menubar.setEnabled(False)
        self._disabled_actions = [a for a in self.window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled_actions:
            action.setEnabled(False)
        self.screen.setGeometry(self.window.rect())
        self.screen.show()
        self.screen.layout().activate()
        self.screen.raise_()
        self.screen.edit.setFocus()
        self.locked_changed.emit(True)
        return True

    def try_unlock(self, text: str) -> bool:
        if not self.locked:
            return True
        if self.wait.isActive():
            return False
        if kunci_layar.unlocks(self.ctx.db, text):
            self.unlock()
            return True
        self.failures += 1
        self.screen.edit.clear()
        label = kunci_layar.credential_label(self.ctx.db)
        if self.failures >= MAX_TRIES:
            self.screen.error.setText(f"{label} salah {self.failures} kali. Tunggu 30 detik lalu coba lagi.")
            self.screen.edit.setEnabled(False)
            self.screen.button.setEnabled(False)
            self.wait.start(WAIT_MS)
        else:
            self.screen.error.setText(f"{label} salah. Coba lagi.")
        return False

    def _end_wait(self) -> None:
        self.failures = 0
        self.screen.edit.setEnabled(True)
        self.screen.button.setEnabled(True)
        self.screen.error.setText("Silakan coba lagi.")
        self.screen.edit.setFocus()

    def unlock(self) -> None:
        self.locked = False
        self.failures = 0
        self.screen.hide()
        central = getattr(self.window, "centralWidget", lambda: None)()
        if central is not None:
            central.setEnabled(True)
        menubar = getattr(self.window, "menuBar", lambda: None)()
        if menubar is not None:
            menubar.setEnabled(True)
        for action in self._disabled_actions:
            action.setEnabled(True)
        self._disabled_actions = []
        self.locked_changed.emit(False)
        self.apply_settings()

    def close(self) -> None:
        self.timer.stop()
        self.app.removeEventFilter(self)
