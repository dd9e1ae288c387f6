"""The baseline for the GUI start benchmark: a bare QApplication + QMainWindow.

Started exactly like ``python -m desktop.app --exit-when-shown`` (a fresh
Python process, offscreen) and quits the same way, right after the window's
first paint. Nothing of the app is imported.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Kosong")
    window.setCentralWidget(QLabel("Kosong"))
    window.resize(1100, 720)

    class ExitOnPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Paint:
                QTimer.singleShot(0, app.quit)
            return False

    f = ExitOnPaint()
    window.installEventFilter(f)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
