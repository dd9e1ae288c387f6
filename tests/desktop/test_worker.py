"""Long work off the UI thread: progress dialog, cancel, results back on the UI thread."""
import threading
import time

from PySide6.QtWidgets import QPushButton

from desktop.worker import Cancelled, run_in_background


def test_silent_work_still_shows_its_dialog_and_returns_its_result(qtbot):
    release = threading.Event()

    def work(_progress):  # one long step that reports no progress (e.g. VACUUM INTO)
        release.wait(10)
        return threading.current_thread() is not threading.main_thread()

    got = []
    op = run_in_background(None, "Menyimpan…", work, got.append, cancellable=False)
    qtbot.waitUntil(lambda: op.dialog.isVisible(), timeout=5000)
    assert not op.dialog.findChildren(QPushButton)  # no cancel: it must finish once started
    release.set()
    qtbot.waitUntil(lambda: got == [True], timeout=5000)
    assert not op.dialog.isVisible()


def test_cancel_stops_work_at_its_next_progress_report(qtbot):
    started = threading.Event()
    failures = []

    def work(progress):
        started.set()
        for i in range(1000):
            progress(i, 1000, "langkah")
            time.sleep(0.005)
        return "selesai"

    from desktop import msgbox

    op = run_in_background(None, "Impor", work, on_failure=failures.append)
    assert started.wait(5)
    op.cancel()
    qtbot.waitUntil(lambda: op.error is not None, timeout=5000)
    assert isinstance(op.error, Cancelled) and op.result is None
    assert msgbox.shown[-1][:2] == ("info", "Dibatalkan")
