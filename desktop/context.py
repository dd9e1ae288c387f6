"""What every page gets: the open database, the install, and change signals."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from db.install import Install, get_install

if TYPE_CHECKING:
    from sqlite_utils import Database


class AppContext(QObject):
    # Emitted after any write, with the kind of record ("orang", "layanan", ...),
    # so pages showing that kind refresh themselves.
    data_changed = Signal(str)
    # Emitted once the main window has been painted at start (see ``starting``).
    start_finished = Signal()

    def __init__(self, db: Database | sqlite3.Connection, db_path: Path, *, starting: bool = False):
        """``db``: the open Database, or (the GUI's fast start) its plain connection.

        ``starting``: the app is between building the main window and its first
        paint. Pages then read only what they show at once (through ``conn``,
        which needs no sqlite-utils) and leave the rest to ``start_finished``.
        """
        super().__init__()
        if isinstance(db, sqlite3.Connection):
            self.conn, self._db = db, None
        else:
            self.conn, self._db = db.conn, db
        self.db_path = Path(db_path)
        self.starting = starting
        self.changed_since_start = False  # any write this session (the backup at close needs it)
        self.install: Install = get_install(self.conn)

    @property
    def db(self) -> Database:
        """The sqlite-utils Database over ``conn``, made on first use."""
        if self._db is None:
            from db.connection import wrap

            self._db = wrap(self.conn)
        return self._db

    def finish_start(self) -> None:
        self.starting = False
        self.start_finished.emit()

    def reload_install(self) -> None:
        self.install = get_install(self.conn)

    def changed(self, kind: str) -> None:
        self.changed_since_start = True
        self.data_changed.emit(kind)
