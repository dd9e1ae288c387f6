"""Start the desktop application: `kesos-gui` or `python -m desktop.app`."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

_T0 = time.perf_counter()


def parse_args(argv):
    p = argparse.ArgumentParser(prog="kesos-gui", description="Kesos Lapangan (aplikasi desktop)")
    p.add_argument("--db", help="berkas basis data (bawaan: folder data pengguna)")
    p.add_argument("--demo", action="store_true", help="centang 'coba dengan data contoh' pada wizard")
    p.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


class _ExitOnPaint:
    """Quit right after ``widget`` has been shown and painted once (smoke tests of dialogs).

    A zero-delay timer fires once the show/expose events are processed; the
    forced ``repaint()`` then paints synchronously before the loop quits.
    """

    def __init__(self, app, widget):
        from PySide6.QtCore import QTimer

        def done():
            widget.repaint()
            # Benchmarks time the start-up to this line, not the shutdown after it.
            print("KESOS_SHOWN", flush=True)
            app.quit()

        QTimer.singleShot(0, done)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from db.errors import KnownError
    from db.install import get_install
    from db.paths import default_database
    from desktop import msgbox
    from desktop.errors import install_excepthook, setup_logging

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Kesos Lapangan")
    app.setOrganizationName("KesosLapangan")
    from desktop.terjemahan import install_qt_indonesian

    install_qt_indonesian(app)  # Qt's file/print dialogs and standard buttons in Indonesian
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(Path(__file__).resolve().parent.parent / "resources" / "icons" / "kesos.png")))
    try:
        setup_logging()
    except OSError:
        pass  # a read-only data folder must not stop the app; the DB error below explains
    install_excepthook()
    if args.exit_when_shown:
        msgbox.set_unattended(True)
    db_path = Path(args.db) if args.db else default_database()
    try:
        db = _open(db_path, show_only=args.exit_when_shown)
        if db is None:
            return 0
        if args.exit_when_shown and not hasattr(db, "execute"):  # the passphrase dialog (smoke test)
            _ExitOnPaint(app, db)
            app.exec()
            return 0
    except KnownError as exc:
        msgbox.error(None, "Basis data tidak dapat dibuka", exc.pesan)
        print(exc.pesan, file=sys.stderr)
        return 1

    if get_install(db) is None:
        from db.connection import wrap
        from desktop.setup_wizard import SetupWizard

        wizard = SetupWizard(wrap(db) if not hasattr(db, "conn") else db)
        if args.demo:
            wizard.operator_page.demo.setChecked(True)
        if args.exit_when_shown:
            wizard.show()
            _ExitOnPaint(app, wizard)
            app.exec()
            return 0
        if wizard.exec() != wizard.Accepted:
            return 0
        db = wizard.db  # an encrypted database when the user chose a passphrase
        if wizard.fill_demo:
            _fill_demo(db)
    window = open_main_window(db, db_path, exit_when_shown=args.exit_when_shown)
    return app.exec()


def _open(db_path: Path, *, show_only: bool):
    """The database for the GUI: its plain connection on the fast path, else a Database.

    The fast path (an existing plain file with nothing to migrate or load, i.e.
    nearly every start) needs neither sqlite-utils nor the security module
    before the main window is painted. Anything else goes through
    ``open_database_gui``: creating, migrating, or asking the passphrase.
    """
    from db.connection import open_current_plain

    conn = open_current_plain(db_path)
    if conn is not None:
        return conn
    from desktop.keamanan import open_database_gui

    return open_database_gui(db_path, show_only=show_only)


def open_main_window(db, db_path, *, exit_when_shown: bool = False):
    """Show the main window, paint it, then finish the start.

    What the window shows first (navigation, Beranda's area and counts) is read
    before the paint; the rest (the security bar and app lock, Beranda's
    dashboard) waits until the window is on screen, so the user sees the app
    as soon as Qt can show it. ``exit_when_shown`` (benchmarks, smoke tests)
    prints KESOS_SHOWN at the first paint and KESOS_READY once the start is
    finished, then quits.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    ctx = AppContext(db, db_path, starting=True)
    window = MainWindow(ctx)
    window.show()

    def finish_start():
        window.repaint()  # the first paint, if the expose event has not done it yet
        if exit_when_shown:
            print("KESOS_SHOWN", flush=True)
        from desktop.keamanan import install_security

        install_security(window, ctx)  # unencrypted warning, app lock, daily backup
        ctx.finish_start()
        if exit_when_shown:
            QApplication.processEvents()  # lay out and paint what was just added
            print("KESOS_READY", flush=True)
            QApplication.instance().quit()

    QTimer.singleShot(0, finish_start)
    return window


def _fill_demo(db) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from db.errors import KnownError
    from desktop import msgbox

    try:
        from db.demo import fill_demo
    except ImportError:
        return
    dlg = QProgressDialog("Mengisi data contoh…", None, 0, 0)
    dlg.setWindowModality(Qt.ApplicationModal)
    dlg.show()
    QApplication.processEvents()
    try:
        fill_demo(db)
    except KnownError as exc:
        msgbox.warning(None, "Data contoh", exc.pesan)
    finally:
        dlg.close()


if __name__ == "__main__":
    sys.exit(main())
