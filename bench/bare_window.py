"""The baseline for the GUI start benchmark: a bare QApplication + QMainWindow.

Started exactly like ``python -m desktop.app --exit-when-shown`` (a fresh
Python process, offscreen) and quits the same way: it prints KESOS_SHOWN right after the
window's first paint. Nothing of the app is imported.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Kosong")
    window.setCentralWidget(QLabel("Kosong"))
    window.resize(1100, 720)

    def done():  # exactly desktop.app's --exit-when-shown
        window.repaint()
        print("KESOS_SHOWN", flush=True)
        app.quit()

    window.show()
    QTimer.singleShot(0, done)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
