"""The log of exports of personal data (UU 27/2022 PDP: who, when, what file, how many records).

Every path that writes people's data out of the database (a list or register
workbook, an import error report, a sync package, a receipt, a backup, the
CLI `list`) calls ``catat_ekspor`` once the file is written. The log lives in
the database (table ``ekspor_log``, schema migration 0004) and is never put
into packages.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from db.clock import now_iso

# Known kinds (free text is accepted; these keep reports tidy).
JENIS = {
    "daftar": "daftar data (xlsx/CSV)",
    "laporan_kesalahan": "laporan kesalahan impor",
    "paket": "paket sinkron ke Dinas",
    "kuitansi": "kuitansi",
    "cadangan": "cadangan basis data",
    "rekap": "rekap bulanan",
    "rekap_dinas": "rekap gabungan Dinas",
    "daftar_hadir": "daftar hadir kegiatan PSKS",
    "laporan_bencana": "laporan kejadian bencana",
    "cli_list": "daftar di baris perintah",
}


def catat_ekspor(db: Database, jenis: str, path: str | os.PathLike | None, jumlah: int | None) -> None:
    """Record one export of personal data. Never raises for a database without the table."""
    if not db["ekspor_log"].exists():
        return
    row = db.execute("SELECT install_id, operator_nama FROM install").fetchone()
    install_id, operator = (row[0], row[1]) if row else (None, None)
    with db.atomic():
        db.execute(
            "INSERT INTO ekspor_log (waktu, install_id, operator, jenis, berkas, jumlah) VALUES (?,?,?,?,?,?)",
            [now_iso(), install_id, operator, jenis, str(Path(path)) if path is not None else None,
             int(jumlah) if jumlah is not None else None],
        )


def daftar_ekspor(db: Database, limit: int = 200) -> list[dict]:
    """The latest exports, newest first."""
    if not db["ekspor_log"].exists():
        return []
    return list(db.query("SELECT * FROM ekspor_log ORDER BY id DESC LIMIT ?", [limit]))


def catat_lihat_nik(db: Database, tabel: str, record_id: str) -> None:
    """Audit row ``lihat_nik``: someone revealed a full NIK on screen."""
    row = db.execute("SELECT install_id, operator_nama FROM install").fetchone()
    install_id, operator = (row[0], row[1]) if row else (None, None)
    with db.atomic():
        db.execute(
            "INSERT INTO audit (waktu, install_id, operator, tabel, record_id, aksi, lama, baru) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [now_iso(), install_id, operator, tabel, record_id, "lihat_nik", None, None],
        )
