"""What every command handler gets: the parsed options and a lazy database."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


@dataclass
class Context:
    db_path: Path
    json: bool = False
    _db: Any = field(default=None, repr=False)

    def open_db(self, *, create: bool = False, require_install: bool = True):
        """The database (migrated, reference data loaded); KnownError if unusable."""
        if self._db is None:
            from db.errors import KnownError
            from db.install import get_install
            from desktop.cli.passphrase import open_database_interactive

            self._db = open_database_interactive(self.db_path, create=create)
            if require_install and get_install(self._db) is None:
                raise KnownError(
                    f"Basis data {self.db_path} belum disiapkan. Jalankan 'kesos init' terlebih dahulu."
                )
        return self._db

    def install(self):
        from db.install import get_install

        return get_install(self.open_db())

    def require_dinas(self):
        from db.errors import KnownError

        inst = self.install()
        if not inst.is_dinas:
            raise KnownError("Perintah ini hanya untuk basis data Dinas (peran DINAS).")
        return inst

    def emit(self, report: dict, text: str | None = None) -> None:
        """Print a report: one JSON object with --json, else the human text."""
        if self.json:
            print(json.dumps(report, ensure_ascii=False, default=str))
        else:
            print(text if text is not None else json.dumps(report, ensure_ascii=False, indent=2, default=str))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def error(message: str) -> None:
    print(message, file=sys.stderr)
