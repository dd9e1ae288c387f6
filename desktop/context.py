"""What every page gets: the open database, the install, and change signals."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from db.install import Install, get_install


class AppContext(QObject):
    # Emitted after any write, with the kind of record ("orang", "layanan", ...),
    # so pages showing that kind refresh themselves.
    data_changed = Signal(str)

    def __init__(self, db: Database, db_path: Path):
        super().__init__()
        self.db = db
        self.db_path = Path(db_path)
        self.install: Install = get_install(db)

    def reload_install(self) -> None:
        self.install = get_install(self.db)

    def changed(self, kind: str) -> None:
        self.data_changed.emit(kind)
