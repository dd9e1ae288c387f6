"""The app lock: PIN/passphrase at start and after inactivity; activity resets the timer."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from db import kunci_layar
from db.connection import open_database
from db.install import init_install
from tests.conftest import KELURAHAN

SANDI = "Kata-sandi-lapangan-1"


@pytest.fixture
def window(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.lock import AppLock
    from desktop.main_window import MainWindow

    kunci_layar.set_pin(db, "2468")
    win = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(win)
    win.show()
    win.app_lock = AppLock(win, win.ctx)
    yield win
    win.app_lock.close()


def test_pin_is_stored_hashed(db):
    kunci_layar.set_pin(db, "2468")
    stored = db.execute("SELECT value FROM pengaturan WHERE key = 'kunci_pin'").fetchone()[0]
    assert "2468" not in stored and stored.startswith("scrypt$")
    assert kunci_layar.check_pin(db, "2468") and not kunci_layar.check_pin(db, "2469")
    with pytest.raises(Exception, match="minimal 4"):
        kunci_layar.set_pin(db, "12")


def test_lock_covers_the_window_and_blocks_shortcuts(qtbot, window):
    lock = window.app_lock
    assert lock.lock()
    assert lock.screen.isVisible()
    assert lock.screen.geometry() == window.rect()
    assert not window.centralWidget().isEnabled()
    assert all(not a.isEnabled() for a in window.findChildren(QAction) if a.text())
    window.grab().save("/tmp/helper-keamanan/kunci-layar.png")
    qtbot.keyClicks(lock.screen.edit, "1111")
    qtbot.keyClick(lock.screen.edit, Qt.Key_Return)
    assert lock.locked and lock.screen.error.text() == "PIN salah. Coba lagi."
    qtbot.keyClicks(lock.screen.edit, "2468")
    qtbot.keyClick(lock.screen.edit, Qt.Key_Return)
    assert not lock.locked and not lock.screen.isVisible()
    assert window.centralWidget().isEnabled()
    assert any(a.isEnabled() for a in window.findChildren(QAction) if a.text())


def test_five_wrong_entries_make_the_user_wait(qtbot, window):
    lock = window.app_lock
    lock.lock()
    for _ in range(5):
        lock.try_unlock("0000")
    assert "Tunggu 30 detik" in lock.screen.error.text()
    assert not lock.screen.edit.isEnabled()
    assert not lock.try_unlock("2468")  # even the right PIN waits
    lock.wait.stop()
    lock._end_wait()
    assert lock.try_unlock("2468") and not lock.locked


def test_inactivity_locks_and_activity_resets_the_timer(qtbot, window, db):
    lock = window.app_lock
    kunci_layar.set_lock_minutes(db, 1)
    lock.apply_settings()
    assert lock.timer.isActive() and lock.timer.interval() == 60_000
    lock.timer.setInterval(2500)  # the same timer, shortened for the test (generous: CI machines are slow)
    lock.timer.start()
    restarts = []
    start = lock.timer.start
    lock.timer.start = lambda *a: (restarts.append(1), start(*a))
    # activity keeps it open: each key press or click restarts the timer
    for _ in range(4):
        before = len(restarts)
        qtbot.keyClick(window.nav, Qt.Key_Down)
        assert len(restarts) > before
        assert not lock.locked
    before = len(restarts)
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton)
    assert len(restarts) > before
    qtbot.waitUntil(lambda: lock.locked, timeout=10_000)
    assert lock.screen.isVisible()


def test_zero_minutes_never_locks(window, db):
    kunci_layar.set_lock_minutes(db, 0)
    window.app_lock.apply_settings()
    assert not window.app_lock.timer.isActive()


def test_plain_database_without_pin_cannot_lock(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.lock import AppLock
    from desktop.main_window import MainWindow

    win = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(win)
    lock = AppLock(win, win.ctx)
    assert not lock.lock() and not lock.timer.isActive()
    lock.close()


def test_encrypted_database_unlocks_with_its_passphrase(qtbot, tmp_path):
    from desktop.context import AppContext
    from desktop.lock import AppLock
    from desktop.main_window import MainWindow

    path = tmp_path / "rahasia.db"
    database = open_database(path, create=True, passphrase=SANDI)
    init_install(database, kode_wilayah=KELURAHAN, operator_nama="Siti Aminah", peran="PSM")
    win = MainWindow(AppContext(database, path))
    qtbot.addWidget(win)
    win.show()
    lock = AppLock(win, win.ctx)
    assert lock.lock()
    assert lock.screen.edit.placeholderText() == "Kata sandi"
    assert not lock.try_unlock("bukan-sandinya")
    assert lock.try_unlock(SANDI) and not lock.locked
    lock.close()
    database.close()
