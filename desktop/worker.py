"""Running long work off the UI thread (Anki's CollectionOp idea).

``run_in_background(parent, title, fn, on_success)`` shows a progress dialog
with a cancel button and calls ``fn(progress)`` in a worker thread.
``progress(done, total, text)`` updates the bar and raises ``Cancelled`` once
the user pressed cancel. ``fn`` must not touch widgets; it should open its own
database connection (SQLite connections are per thread). ``on_success(result)``
and ``on_failure(exc)`` run back on the UI thread.
"""
from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Qt
from PySide6.QtWidgets import QProgressDialog


class Cancelled(Exception):
    """The user cancelled; the work must roll back what it started."""


class _Worker(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.cancel_event = threading.Event()

    def progress(self, done: int, total: int, text: str = "") -> None:
        if self.cancel_event.is_set():
            raise Cancelled()
        self.progressed.emit(int(done), int(total), text)

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            exc.__traceback_info__ = sys.exc_info()
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class BackgroundOp(QObject):
    finished = Signal()

    def __init__(self, parent, title: str, fn, on_success=None, on_failure=None, show_progress: bool = True,
                 cancellable: bool = True):
        super().__init__(parent)
        self.thread = QThread()
        self.worker = _Worker(fn)
        self.worker.moveToThread(self.thread)
        self.dialog = None
        if show_progress:
            self.dialog = QProgressDialog(title, "Batal", 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.canceled.connect(self.worker.cancel_event.set)
            if not cancellable:  # work that must finish once started (a backup being written)
                self.dialog.setCancelButton(None)
            self.worker.progressed.connect(self._on_progress)
        self.on_success = on_success
        self.on_failure = on_failure
        self.result = None
        self.error = None
        self.thread.started.connect(self.worker.run)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)

    def start(self) -> "BackgroundOp":
        self.thread.start()
        if self.dialog is not None:
            # QProgressDialog shows itself only from setValue(); work that reports no
            # progress (one long SQLite statement) would otherwise run with no dialog.
            QTimer.singleShot(self.dialog.minimumDuration(), self._show_if_running)
        return self

    def _show_if_running(self) -> None:
        if self.dialog is not None and self.thread.isRunning() and not self.dialog.wasCanceled():
            self.dialog.show()

    def cancel(self) -> None:
        self.worker.cancel_event.set()

    def _on_progress(self, done, total, text):
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(done)
        if text:
            self.dialog.setLabelText(text)

    def _finish(self):
        self.thread.quit()
        self.thread.wait()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
        self.finished.emit()

    def _succeeded(self, result):
        self.result = result
        self._finish()
        if self.on_success:
            self.on_success(result)

    def _failed(self, exc):
        self.error = exc
        self._finish()
        if isinstance(exc, Cancelled):
            from desktop import msgbox

            msgbox.info(self.parent(), "Dibatalkan", "Pekerjaan dibatalkan; tidak ada data yang berubah.")
            return
        if self.on_failure:
            self.on_failure(exc)
        else:
            from desktop.errors import report_exception

            report_exception(type(exc), exc, exc.__traceback__, self.parent())


def run_in_background(parent, title, fn, on_success=None, on_failure=None, show_progress=True,
                      cancellable=True) -> BackgroundOp:
    return BackgroundOp(parent, title, fn, on_success, on_failure, show_progress, cancellable).start()
