"""Sync packages: the field side (export) and the Dinas side (import).

Field install (PSM/TKSK) — ``export_package(db, periode, folder)``:
  gathers EVERY record of the field tables (current state, soft-deleted ones
  included, so the Dinas sees corrections), the month's recap workbook (issue
  7's exporter), takes the month's next sequence number and closes the month
  (issue 7's ``db.periode``), builds the package (``exporters/package.py``),
  checks it by reading it back, and writes it atomically. The sequence, the
  month closing and the ``paket_log`` row ("keluar") commit only when the file
  is safely on disk.

Dinas install — ``import_package(db, source)`` / ``import_files(db, paths)``:
  1. read and verify the file (``read_package``: zip sanity, limits,
     checksums, counts, format version);
  2. package rules: the install must be a field install of an area inside
     the Dinas's kab/kota; the same package again (install, month, sequence
     and SHA-256 of the plain zip) is "tidak berubah"; an older sequence of
     the same install and month than one already accepted is refused
     ("urutan lebih lama") and never overwrites; an install keeps its area;
  3. record rules, all checked before anything is written: known columns,
     required columns, every record made by the sending install, codes that
     exist in the reference lists (PPKS category, sub-kegiatan, area, disaster
     type, PSKS type, kind of event), references between records resolvable;
  4. apply, per record, all or nothing (a savepoint per package): insert when
     new; when the record exists, replace it only if the incoming
     ``updated_at`` is newer, so
     importing again changes nothing and the order of imports does not matter.
     A tie (two edits within the same second) keeps the stored version, unless
     the incoming package was made after every package already applied from
     that install: a later package holds the later state of each record, so
     this keeps the rule order-independent. Records keep their original ids
     and install id.
  Every file, whatever the outcome, gets a ``paket_log`` row ("masuk": name,
  time, install, area, month, sequence, SHA-256, outcome, reason, counts) and
  accepted packages update the ``instalasi`` table of known installs.
  The files of one ``import_files`` call are one run (``_Batch``): one
  transaction, committed once, with the secondary indexes set aside and rebuilt
  once when the run fills the tables (``_Tunda``): a new Dinas importing 29
  kelurahan of 5,000 people took 47 s one transaction per package, about 27 s so.

Imported inserts are not written to ``audit`` row by row (the package's
``paket_log`` row is the import's audit entry and the field install keeps the
record history); corrections (updates) are, with old and new values.

Sealing (issue 10) slots in at ``_seal`` / ``_unseal``: the package bytes are
sealed after they are built and verified, and unsealed before ``read_package``.
"""
from __future__ import annotations

import datetime as _dt
import json
import operator
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlite_utils import Database

from db.clock import now_iso
from db.errors import KnownError
from db.install import get_install
from exporters import package as pkg
from exporters import package_seal

Progress = Callable[[int, int, str], None]

TABLES = pkg.TABLES
# Foreign keys between field tables: (table, column) -> referenced table.
REFERENCES = {
    ("ppks", "orang_id"): "orang",
    ("korban", "bencana_id"): "bencana",
    ("korban", "orang_id"): "orang",
    ("korban", "ppks_id"): "ppks",
    ("kegiatan_peserta", "kegiatan_id"): "kegiatan",
    ("kegiatan_peserta", "psks_id"): "psks",
    ("layanan", "orang_id"): "orang",
    ("layanan", "psks_id"): "psks",
    ("layanan", "bencana_id"): "bencana",
    ("kuitansi", "layanan_id"): "layanan",
}
# Coded columns and the reference list each code must exist in.
CODE_CHECKS = {
    ("ppks", "kategori_kode"): ("kategori", "kategori PPKS"),
    ("layanan", "kode_layanan"): ("layanan", "kode sub-kegiatan"),
    ("kegiatan", "kode_layanan"): ("layanan", "kode sub-kegiatan"),
    ("bencana", "jenis_kode"): ("bencana_jenis", "jenis bencana"),
    ("psks", "jenis_kode"): ("psks_jenis", "jenis PSKS"),
    ("kegiatan", "jenis"): ("jenis_kegiatan", "jenis kegiatan"),
    ("orang", "kode_wilayah"): ("wilayah", "kode wilayah"),
    ("bencana", "kode_wilayah"): ("wilayah", "kode wilayah"),
    ("psks", "kode_wilayah"): ("wilayah", "kode wilayah"),
    ("kegiatan", "kode_wilayah"): ("wilayah", "kode wilayah"),
}
FIELD_PERAN = ("PSM", "TKSK")

DITERIMA, TIDAK_BERUBAH, DITOLAK = "diterima", "tidak_berubah", "ditolak"
HASIL_LABEL = {DITERIMA: "diterima", TIDAK_BERUBAH: "tidak berubah", DITOLAK: "ditolak"}


# =========================================================================== helpers


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    cur = db.conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _columns(db: Database, table: str) -> dict[str, dict]:
    """name -> {notnull, dflt_value, pk} of a table."""
    return {
        r[1]: {"notnull": bool(r[3]), "default": r[4], "pk": bool(r[5])}
        for r in db.conn.execute(f"PRAGMA table_info([{table}])")
    }


def check_periode(periode: str) -> str:
    """'2025-12' (also '2025-1') -> '2025-12'; KnownError otherwise."""
    from db.parsing import parse_period

    try:
        year, month = parse_period(periode)
    except ValueError as exc:
        raise KnownError(f"Periode tidak sah: {exc}. Contoh: 2025-12.") from exc
    if month is None:
        raise KnownError(f"Periode paket harus satu bulan (TTTT-BB), bukan '{periode}'.")
    return f"{year:04d}-{month:02d}"


# =========================================================================== field side (export)


def gather_records(db: Database) -> dict[str, Iterator[dict]]:
    """Every record of every field table (soft-deleted included), by id: lazy per table."""

    def table_rows(table: str) -> Iterator[dict]:
        cur = db.conn.execute(f"SELECT * FROM [{table}] ORDER BY id")
        cols = [c[0] for c in cur.description]
        for values in cur:
            yield dict(zip(cols, values))

    return {t: table_rows(t) for t in TABLES}


def record_counts_all(db: Database) -> dict[str, dict[str, int]]:
    """Per field table: {"semua", "aktif", "dihapus"} (what a package will hold)."""
    out = {}
    for t in TABLES:
        total, deleted = db.conn.execute(
            f"SELECT count(*), count(deleted_at) FROM [{t}]"
        ).fetchone()
        out[t] = {"semua": total, "aktif": total - deleted, "dihapus": deleted}
    return out


def _periode_module():
    try:
        from db import periode  # issue 7: month closing
    except ImportError:
        return None
    return periode


def peek_sequence(db: Database, periode: str) -> int:
    """The sequence number the next package of ``periode`` gets (nothing is taken).

    With issue 7's month closing: ``urutan_paket + 1``, i.e. 1 until the month
    is reopened ("Buka kembali" raises it). A package made again while the
    month stays closed keeps its sequence (same revision of the month's data).
    """
    mod = _periode_module()
    if mod is not None:
        return int(mod.urutan_paket(db, periode)) + 1
    row = db.conn.execute(
        "SELECT terakhir FROM nomor_urut WHERE jenis = 'paket' AND kunci = ?", [periode]
    ).fetchone()
    return (row[0] if row else 0) + 1


def _take_sequence(db: Database, periode: str) -> int:
    if _periode_module() is not None:
        return peek_sequence(db, periode)
    from db.records import next_number

    return next_number(db, "paket", periode)


def month_closed(db: Database, periode: str) -> bool:
    mod = _periode_module()
    return bool(mod is not None and mod.sudah_ditutup(db, periode))


def _close_month(db: Database, periode: str) -> None:
    mod = _periode_module()
    if mod is not None and not mod.sudah_ditutup(db, periode):
        mod.tutup_bulan(db, periode, alasan="Paket dikirim ke Dinas")


def _recap_bytes(db: Database, periode: str) -> bytes | None:
    """The month's recap workbook from issue 7's exporter, or None while it does not exist."""
    try:
        from exporters import recap_xlsx  # issue 7
    except ImportError:
        return None
    fn = getattr(recap_xlsx, "recap_bytes", None)
    if fn is None:
        return None
    return fn(db, periode)


def _seal(db: Database, data: bytes) -> bytes:
    """Issue 10: encrypt for the imported Dinas key and sign (exporters/package_seal.py)."""
    from exporters.package_seal import seal_package

    return seal_package(db, data)


def _unseal(db: Database, data: bytes) -> bytes:
    """Issue 10: verify the signature (and the install's known key), decrypt; plain only in demo mode."""
    from exporters.package_seal import open_package

    return open_package(db, data)


@dataclass
class PackageSummary:
    """What the next package of a month will hold (the "Kirim ke Dinas" page)."""

    periode: str
    urutan: int
    nama_file: str
    counts: dict[str, dict[str, int]]
    ditutup: bool
    terakhir: dict | None  # the last package written for this month (paket_log "keluar")


def package_summary(db: Database, periode: str) -> PackageSummary:
    inst = get_install(db)
    periode = check_periode(periode)
    urutan = peek_sequence(db, periode)
    ditutup = month_closed(db, periode)
    last = _rows(
        db,
        "SELECT * FROM paket_log WHERE arah = 'keluar' AND periode = ? ORDER BY id DESC LIMIT 1",
        [periode],
    )
    return PackageSummary(
        periode=periode,
        urutan=urutan,
        nama_file=pkg.package_name(inst.kode_wilayah, periode, urutan),
        counts=record_counts_all(db),
        ditutup=ditutup,
        terakhir=last[0] if last else None,
    )


@dataclass
class ExportResult:
    path: Path
    nama_file: str
    periode: str
    urutan: int
    counts: dict[str, int]
    sha256: str
    size: int


def export_package(
    db: Database,
    periode: str,
    folder: str | Path,
    *,
    progress: Progress | None = None,
    compresslevel: int = 6,
) -> ExportResult:
    """Write the package of ``periode`` into ``folder``; the month is closed and the sequence taken.

    Everything in the database (sequence, month closing, ``paket_log``) is
    committed only after the file is verified and in place: a failure leaves
    neither a half file nor a used-up sequence number.
    """
    from db.version import APP_VERSION

    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan.")
    if inst.is_dinas:
        raise KnownError("Basis data Dinas tidak membuat paket; paket dibuat di laptop kelurahan/kecamatan.")
    periode = check_periode(periode)
    folder = Path(folder)
    if not folder.is_dir():
        raise KnownError(f"Folder tujuan {folder} tidak ada. Pilih folder (mis. flashdisk) yang tersedia.")
    step = progress or (lambda *_: None)
    with db.atomic():
        step(0, 4, "Menyiapkan rekap bulanan")
        rekap = _recap_bytes(db, periode)
        urutan = _take_sequence(db, periode)
        _close_month(db, periode)  # refuses a month that has not started yet
        created_at = now_iso()
        manifest = {
            "format_version": pkg.FORMAT_VERSION,
            "app_version": APP_VERSION,
            "install_id": inst.install_id,
            "peran": inst.peran,
            "kode_wilayah": inst.kode_wilayah,
            "periode": periode,
            "urutan": urutan,
            "created_at": created_at,
            "operator": inst.operator_nama,
        }
        step(1, 4, "Mengumpulkan data")
        plain = pkg.build_package(manifest, gather_records(db), rekap, compresslevel=compresslevel)
        step(2, 4, "Memeriksa paket")
        checked = pkg.read_package(plain)
        sealed = _seal(db, plain)
        name = pkg.package_name(inst.kode_wilayah, periode, urutan)
        step(3, 4, "Menulis berkas")
        path = pkg.write_package_file(sealed, folder, name)
        db.conn.execute(
            "INSERT INTO paket_log (waktu, arah, nama_file, install_asal, kode_wilayah, periode, urutan, sha256, "
            "hasil, alasan, jumlah, dibuat_at, operator) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [now_iso(), "keluar", str(path), inst.install_id, inst.kode_wilayah, periode, urutan,
             checked.sha256, "ditulis", None, json.dumps(checked.counts), created_at, inst.operator_nama],
        )
    step(4, 4, "Selesai")
    return ExportResult(
        path=path, nama_file=name, periode=periode, urutan=urutan, counts=checked.counts,
        sha256=checked.sha256, size=len(sealed),
    )


# =========================================================================== Dinas side (import)


@dataclass
class ImportOutcome:
    """One file's import result, as logged in ``paket_log`` and reported by the CLI."""

    nama_file: str
    hasil: str  # DITERIMA | TIDAK_BERUBAH | DITOLAK
    alasan: str | None = None
    install_id: str | None = None
    kode_wilayah: str | None = None
    periode: str | None = None
    urutan: int | None = None
    sha256: str | None = None
    dibuat_at: str | None = None
    # table -> {"baru": n, "diperbarui": n, "tetap": n}
    jumlah: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.hasil != DITOLAK

    def as_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        """One line of the CLI/GUI report."""
        head = f"{self.nama_file}: {HASIL_LABEL[self.hasil]}"
        if self.hasil == DITOLAK:
            return f"{head} — {self.alasan}"
        if self.hasil == DITERIMA:
            baru = sum(v["baru"] for v in self.jumlah.values())
            ubah = sum(v["diperbarui"] for v in self.jumlah.values())
            return f"{head} ({self.kode_wilayah}, {self.periode}, urutan {self.urutan}: {baru} baru, {ubah} diperbarui)"
        return f"{head} ({self.kode_wilayah}, {self.periode}, urutan {self.urutan}: paket ini sudah pernah diimpor)"


class _Refused(Exception):
    def __init__(self, alasan: str):
        super().__init__(alasan)
        self.alasan = alasan


def _require_dinas(db: Database):
    inst = get_install(db)
    if inst is None or not inst.is_dinas:
        raise KnownError("Impor paket hanya di basis data Dinas (peran DINAS).")
    return inst


def _area_name(db: Database, kode: str) -> str:
    row = db.conn.execute("SELECT nama FROM ref_wilayah WHERE kode = ?", [kode]).fetchone()
    return f"{kode} {row[0]}" if row else kode


def _check_package_level(db: Database, dinas, package: pkg.Package) -> str | None:
    """Refuse (raise _Refused) or return TIDAK_BERUBAH / None (go on)."""
    m = package.manifest
    if m["peran"] not in FIELD_PERAN:
        raise _Refused(f"paket dibuat oleh instalasi berperan '{m['peran']}', bukan PSM/TKSK")
    if m["install_id"] == dinas.install_id:
        raise _Refused("paket ini dibuat oleh basis data Dinas ini sendiri")
    kode = m["kode_wilayah"]
    area = db.conn.execute("SELECT tingkat FROM ref_wilayah WHERE kode = ?", [kode]).fetchone()
    if area is None:
        raise _Refused(f"kode wilayah paket '{kode}' tidak dikenal")
    if not kode.startswith(dinas.kode_wilayah + ".") or area[0] < 3:
        raise _Refused(
            f"paket dari {_area_name(db, kode)}, di luar wilayah Dinas ini ({_area_name(db, dinas.kode_wilayah)})"
        )
    known = db.conn.execute("SELECT kode_wilayah FROM instalasi WHERE install_id = ?", [m["install_id"]]).fetchone()
    if known and known[0] != kode:
        raise _Refused(
            f"instalasi ini sebelumnya mengirim paket untuk {_area_name(db, known[0])}, bukan {_area_name(db, kode)}"
        )
    same = db.conn.execute(
        "SELECT 1 FROM paket_log WHERE arah = 'masuk' AND install_asal = ? AND periode = ? AND urutan = ? "
        "AND sha256 = ? AND hasil IN (?, ?) LIMIT 1",
        [m["install_id"], m["periode"], m["urutan"], package.sha256, DITERIMA, TIDAK_BERUBAH],
    ).fetchone()
    if same:
        return TIDAK_BERUBAH
    newest = db.conn.execute(
        "SELECT max(urutan) FROM paket_log WHERE arah = 'masuk' AND install_asal = ? AND periode = ? "
        "AND hasil IN (?, ?)",
        [m["install_id"], m["periode"], DITERIMA, TIDAK_BERUBAH],
    ).fetchone()[0]
    if newest is not None and newest > m["urutan"]:
        raise _Refused(
            f"urutan lebih lama: paket urutan {m['urutan']} untuk {m['periode']}, padahal urutan {newest} "
            "dari instalasi yang sama sudah diterima"
        )
    return None


_REF_SQL = {
    "kategori": "SELECT 1 FROM ref_ppks_kategori r WHERE r.kode = i.[{col}]",
    "layanan": "SELECT 1 FROM ref_layanan r WHERE r.kode = i.[{col}]",
    "bencana_jenis": "SELECT 1 FROM ref_bencana_jenis r WHERE r.kode = i.[{col}]",
    "psks_jenis": "SELECT 1 FROM ref_psks_jenis r WHERE r.kode = i.[{col}]",
    "jenis_kegiatan": "SELECT 1 FROM ref_daftar r WHERE r.daftar = 'jenis_kegiatan' AND r.kode = i.[{col}]",
    "wilayah": "SELECT 1 FROM ref_wilayah r WHERE r.kode = i.[{col}]",
}


class _Staging:
    """The package's records in TEMP tables (no constraints), checked and applied with SQL.

    Staging makes the checks set-based and lets each table be inserted with one
    ``INSERT ... SELECT`` (the FTS triggers on ``orang`` batch their work within
    one statement: 3x faster than row by row). The caller drops the TEMP tables
    (``drop``) whatever the outcome.
    """

    def __init__(self, db: Database, package: pkg.Package):
        self.db = db
        self.package = package
        self.info = {t: _columns(db, t) for t in TABLES}
        self.columns = {t: list(self.info[t]) for t in TABLES}
        self.names = {t: f"temp.[_impor_{t}]" for t in TABLES}
        self.present = {t: f"temp.[_impor_{t}_ada]" for t in TABLES}
        self._probed: set[str] = set()

    def one(self, sql: str, params=()) -> tuple | None:
        return self.db.conn.execute(sql, list(params)).fetchone()

    def ada(self, table: str) -> str:
        """TEMP table of the staged records already at the Dinas (id, install and updated_at there),
        made with one probe per record: the checks, the updates and the inserts all read it."""
        name = self.present[table]
        if table not in self._probed:
            self.db.conn.execute(f"DROP TABLE IF EXISTS {name}")
            self.db.conn.execute(f"CREATE TABLE {name} (id TEXT PRIMARY KEY, install_id TEXT, updated_at TEXT) "
                                 "WITHOUT ROWID")
            # CROSS JOIN: loop over the package's records, look each up at the Dinas (never the reverse)
            self.db.conn.execute(f"INSERT INTO {name} SELECT m.id, m.install_id, m.updated_at "
                                 f"FROM {self.names[table]} i CROSS JOIN main.[{table}] m ON m.id = i.id")
            self._probed.add(table)
        return name

    def baru(self, table: str) -> int:
        """How many staged records of ``table`` the Dinas does not have yet."""
        return len(self.package.tables[table]) - self.one(f"SELECT count(*) FROM {self.ada(table)}")[0]

    # --- loading -------------------------------------------------------------
    def load(self) -> None:
        for table in TABLES:
            rows = self.package.tables[table]
            cols = self.columns[table]
            if rows:
                keys: set[str] = set().union(*rows)
                unknown = keys - set(cols)
                if unknown:
                    rid = next(r["id"] for r in rows if set(r) & unknown)
                    raise _Refused(
                        f"catatan {table} {rid} memuat kolom yang tidak dikenal ({', '.join(sorted(unknown))}); "
                        "perbarui aplikasi Dinas"
                    )
            name = self.names[table]
            self.db.conn.execute(f"DROP TABLE IF EXISTS {name}")
            self.db.conn.execute(f"CREATE TABLE {name} AS SELECT * FROM main.[{table}] WHERE 0")
            marks = ",".join("?" * len(cols))
            try:
                self.db.conn.executemany(
                    f"INSERT INTO {name} ({','.join(f'[{c}]' for c in cols)}) VALUES ({marks})",
                    _values(rows, cols),
                )
            except (sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError) as exc:
                bad = next((r["id"] for r in rows if any(
                    not isinstance(v, (str, int, float, type(None))) or (isinstance(v, int) and abs(v) >= 2**63)
                    for v in r.values())), "?")
                raise _Refused(f"catatan {table} {bad} memuat nilai yang bukan teks atau angka") from exc
            self.db.conn.execute(f"CREATE UNIQUE INDEX temp.[_impor_{table}_id] ON [_impor_{table}](id)")

    def drop(self) -> None:
        for name in [*self.names.values(), *self.present.values()]:
            self.db.conn.execute(f"DROP TABLE IF EXISTS {name}")

    # --- checks ----------------------------------------------------------------
    def check(self) -> None:
        install_id = self.package.install_id
        for table in TABLES:
            t = self.names[table]
            required = [c for c, i in self.info[table].items() if i["notnull"] and i["default"] is None]
            for c in required:
                row = self.one(f"SELECT id FROM {t} WHERE [{c}] IS NULL LIMIT 1")
                if row:
                    raise _Refused(f"catatan {table} {row[0]}: kolom wajib '{c}' kosong")
            row = self.one(f"SELECT id FROM {t} WHERE install_id IS NOT ? LIMIT 1", [install_id])
            if row:
                raise _Refused(f"catatan {table} {row[0]} bukan buatan instalasi pengirim")
            row = self.one(f"SELECT id FROM {t} WHERE typeof(created_at) <> 'text' OR typeof(updated_at) <> 'text' "
                           f"OR typeof(id) <> 'text' LIMIT 1")
            if row:
                raise _Refused(f"catatan {table} {row[0]}: id atau waktu pembuatan/perubahan tidak sah")
            for (tbl, col), (kind, label) in CODE_CHECKS.items():
                if tbl != table:
                    continue
                cond = _REF_SQL[kind].format(col=col)
                row = self.one(f"SELECT i.id, i.[{col}] FROM {t} i WHERE i.[{col}] IS NOT NULL "
                               f"AND NOT EXISTS ({cond}) LIMIT 1")
                if row:
                    raise _Refused(f"catatan {table} {row[0]}: {label} '{row[1]}' tidak dikenal")
            for (tbl, col), target in REFERENCES.items():
                if tbl != table:
                    continue
                row = self.one(
                    f"SELECT i.id, i.[{col}] FROM {t} i WHERE i.[{col}] IS NOT NULL "
                    f"AND NOT EXISTS (SELECT 1 FROM {self.names[target]} x WHERE x.id = i.[{col}]) "
                    f"AND NOT EXISTS (SELECT 1 FROM main.[{target}] y WHERE y.id = i.[{col}]) LIMIT 1")
                if row:
                    raise _Refused(f"{table}.{col} merujuk {target} {row[1]} yang tidak ada di paket")
            # (every staged record is the sender's, checked above)
            row = self.one(f"SELECT i.id FROM {self.ada(table)} m CROSS JOIN {t} i ON i.id = m.id "
                           f"WHERE m.install_id <> ? ORDER BY i.rowid LIMIT 1", [install_id])
            if row:
                raise _Refused(f"catatan {table} {row[0]} sudah ada di Dinas sebagai milik instalasi lain")

    # --- applying ----------------------------------------------------------------
    def apply(self, progress: Progress | None) -> dict[str, dict[str, int]]:
        db = self.db
        counts: dict[str, dict[str, int]] = {}
        install_id = self.package.install_id
        waktu = now_iso()
        dinas_install, dinas_operator = db.conn.execute("SELECT install_id, operator_nama FROM install").fetchone()
        # Tie-break for equal updated_at (two edits within one second): a package
        # made later than every package already applied from this install holds
        # the later state of each of its records, so its version wins the tie.
        latest = db.conn.execute(
            "SELECT max(dibuat_at) FROM paket_log WHERE arah = 'masuk' AND install_asal = ? AND hasil = ?",
            [install_id, DITERIMA]).fetchone()[0]
        later_package = 1 if latest is None or self.package.manifest["created_at"] > latest else 0
        for i, table in enumerate(TABLES):
            if progress:
                progress(i, len(TABLES), f"Menyimpan {table}")
            t = self.names[table]
            cols = self.columns[table]
            set_cols = [c for c in cols if c != "id"]
            total = len(self.package.tables[table])
            present = self.ada(table)
            # Updates first, rows becoming deleted before the others: that frees
            # unique keys (NIK per install, kode kejadian...) a later row takes over.
            candidates = db.conn.execute(
                f"SELECT i.id FROM {present} m CROSS JOIN {t} i ON i.id = m.id "
                f"WHERE i.updated_at > m.updated_at OR (? AND i.updated_at = m.updated_at) "
                f"ORDER BY i.deleted_at IS NULL, i.id", [later_package]).fetchall()
            updated = 0
            if candidates:
                by_id = {r["id"]: r for r in self.package.tables[table]}
                sql = f"UPDATE main.[{table}] SET " + ", ".join(f"[{c}] = ?" for c in set_cols) + " WHERE id = ?"
                audit = []
                for (rid,) in candidates:
                    cur = db.conn.execute(f"SELECT * FROM main.[{table}] WHERE id = ?", [rid])
                    old = dict(zip([c[0] for c in cur.description], cur.fetchone()))
                    row = by_id[rid]
                    diff = [c for c in set_cols if old.get(c) != row.get(c)]
                    if not diff:  # a tie with identical content
                        continue
                    db.conn.execute(sql, [row.get(c) for c in set_cols] + [rid])
                    updated += 1
                    audit.append((
                        waktu, dinas_install, dinas_operator, table, rid, "impor_ubah",
                        json.dumps({c: old.get(c) for c in diff}, ensure_ascii=False, default=str),
                        json.dumps({c: row.get(c) for c in diff}, ensure_ascii=False, default=str),
                    ))
                db.conn.executemany(
                    "INSERT INTO audit (waktu, install_id, operator, tabel, record_id, aksi, lama, baru) "
                    "VALUES (?,?,?,?,?,?,?,?)", audit)
            names = ",".join(f"[{c}]" for c in cols)
            cur = db.conn.execute(
                f"INSERT INTO main.[{table}] ({names}) SELECT {names} FROM {t} i "
                f"WHERE NOT EXISTS (SELECT 1 FROM {present} m WHERE m.id = i.id) ORDER BY i.id")
            inserted = cur.rowcount
            counts[table] = {"baru": inserted, "diperbarui": updated, "tetap": total - inserted - updated}
        return counts


def _apply(staging: _Staging, progress: Progress | None) -> dict[str, dict[str, int]]:
    """Write the staged records (inside the package's savepoint); counts per table."""
    return staging.apply(progress)


def _values(rows: list[dict], cols: list[str]) -> Iterable[tuple]:
    """Each record's values in column order (None for a column it lacks)."""
    if len(cols) > 1 and all(len(r) == len(cols) for r in rows):
        # every record has every column (what the app writes; unknown ones were refused):
        # itemgetter builds the tuples in C
        return map(operator.itemgetter(*cols), rows)
    return ([row.get(c) for c in cols] for row in rows)


_CONSTRAINT_MESSAGES = (
    ("uq_orang_nik", "NIK yang sama tercatat dua kali untuk satu instalasi"),
    ("orang.nik_sementara", "nomor sementara (NIK belum ada) bentrok dengan data lain"),
    ("uq_kuitansi_nomor", "nomor kuitansi tercatat dua kali untuk satu instalasi"),
    ("kuitansi.install_id, kuitansi.nomor", "nomor kuitansi tercatat dua kali untuk satu instalasi"),
    ("psks", "nomor registrasi PSKS tercatat dua kali"),
    ("bencana", "kode kejadian bencana tercatat dua kali"),
    ("FOREIGN KEY", "catatan merujuk data yang tidak ada"),
    ("CHECK", "nilai catatan melanggar aturan isian"),
    ("NOT NULL", "kolom wajib kosong"),
)


def _integrity_reason(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    for needle, message in _CONSTRAINT_MESSAGES:
        if needle in text:
            return f"{message} ({text})"
    return f"data paket tidak dapat disimpan ({text})"


def _log(db: Database, outcome: ImportOutcome, *, operator: str | None = None) -> None:
    db.conn.execute(
        "INSERT INTO paket_log (waktu, arah, nama_file, install_asal, kode_wilayah, periode, urutan, sha256, "
        "hasil, alasan, jumlah, dibuat_at, operator) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [now_iso(), "masuk", outcome.nama_file, outcome.install_id, outcome.kode_wilayah, outcome.periode,
         outcome.urutan, outcome.sha256, outcome.hasil, outcome.alasan,
         json.dumps(outcome.jumlah, ensure_ascii=False) if outcome.jumlah else None, outcome.dibuat_at, operator],
    )


def _remember_install(db: Database, m: dict) -> None:
    now = now_iso()
    db.conn.execute(
        "INSERT INTO instalasi (install_id, kode_wilayah, peran, operator, app_version, first_seen, last_seen) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT(install_id) DO UPDATE SET last_seen = excluded.last_seen, "
        "operator = excluded.operator, app_version = excluded.app_version, peran = excluded.peran",
        [m["install_id"], m["kode_wilayah"], m["peran"], m["operator"], m["app_version"], now, now],
    )


# Staging tables in memory for ordinary packages (a kelurahan: tens of thousands of
# records, ~60 bytes each in the file); a run with a very large file keeps them on disk.
MEMORY_STAGING_BYTES = 16 * 1024 * 1024


class _Tunda:
    """Secondary indexes (and the FTS triggers of ``orang``) of tables a run fills, set aside and rebuilt once.

    Keeping a dozen indexes in step row by row costs more than building them once
    from the finished table when a run adds as many records to a table as it held
    before (a new Dinas importing every kelurahan): the random keys (ids, dates,
    names) touch pages all over every index, and each package wrote them again.
    Only indexes that enforce nothing are set aside (UNIQUE ones stay), inside the
    run's transaction but outside any package's savepoint, and rebuilt from their
    stored SQL before it commits: the schema ends up the same, and a crash leaves
    the database as it was. The people added meanwhile are indexed for search in
    one statement (as db/import_ppks.py does for a big sheet); edits of people
    indexed before keep it in step through a temporary trigger.
    """

    FTS_TRIGGERS = ("orang_fts_ai", "orang_fts_ad", "orang_fts_au")
    MIN_ROWS = 10_000  # below this a run is quick either way

    def __init__(self, db: Database):
        self.db = db
        # rowid tables: the largest rowid is the size, read without a scan
        self.awal = {t: db.conn.execute(f"SELECT coalesce(max(rowid), 0) FROM main.[{t}]").fetchone()[0]
                     for t in TABLES}
        self.baru = dict.fromkeys(TABLES, 0)
        self.lepas: dict[str, list[tuple[str, str]]] = {}  # table -> [(index, CREATE INDEX sql)]
        self.stats: list[tuple] = []
        self.fts: dict | None = None

    def sebelum_menulis(self, new_rows: dict[str, int]) -> None:
        """A package is about to add ``new_rows`` records per table: set aside the indexes of the
        tables this run has by then at least doubled."""
        for table, n in new_rows.items():
            self.baru[table] += n
            if table not in self.lepas and self.baru[table] >= max(self.awal[table], self.MIN_ROWS):
                self._lepas(table)

    def _lepas(self, table: str) -> None:
        conn = self.db.conn
        found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                             "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name", [table]).fetchall()
        if found and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            # DROP INDEX deletes the index's statistics: kept to be put back with it
            self.stats += conn.execute(f"SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN "
                                       f"({','.join('?' * len(found))})", [n for n, _ in found]).fetchall()
        for name, _sql in found:
            conn.execute(f"DROP INDEX main.[{name}]")
        self.lepas[table] = found
        if table == "orang":
            self._lepas_fts()

    def _lepas_fts(self) -> None:
        conn = self.db.conn
        sql = dict(conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                                f"({','.join('?' * len(self.FTS_TRIGGERS))})", self.FTS_TRIGGERS).fetchall())
        if set(sql) != set(self.FTS_TRIGGERS):
            return  # a schema this code does not know: keep the per-row triggers
        max_before = conn.execute("SELECT coalesce(max(rowid), 0) FROM orang").fetchone()[0]
        for name in self.FTS_TRIGGERS:
            conn.execute(f"DROP TRIGGER main.{name}")
        conn.execute(
            f"CREATE TEMP TRIGGER impor_orang_fts_au AFTER UPDATE OF nama, alamat, deleted_at ON main.orang "
            f"WHEN old.rowid <= {int(max_before)} BEGIN "
            "INSERT INTO orang_fts (orang_fts, rowid, nama, alamat) "
            "SELECT 'delete', old.rowid, old.nama, old.alamat WHERE old.deleted_at IS NULL; "
            "INSERT INTO orang_fts (rowid, nama, alamat) SELECT new.rowid, new.nama, new.alamat "
            "WHERE new.deleted_at IS NULL; END")
        self.fts = {"max_before": max_before, "sql": sql}

    def selesai(self) -> None:
        """Rebuild what was set aside (before the run commits)."""
        conn = self.db.conn
        for found in self.lepas.values():
            for _name, sql in found:
                conn.execute(sql)
        if self.stats:
            conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", self.stats)
        if self.fts:
            conn.execute("INSERT INTO orang_fts (rowid, nama, alamat) SELECT rowid, nama, alamat FROM orang "
                         "WHERE rowid > ? AND deleted_at IS NULL", [self.fts["max_before"]])
            conn.execute("DROP TRIGGER temp.impor_orang_fts_au")
            for name in self.FTS_TRIGGERS:
                conn.execute(self.fts["sql"][name])
        self.lepas.clear()
        self.stats.clear()
        self.fts = None


class _Batch:
    """One import run: ONE transaction, each package in a savepoint of it.

    A refused package rolls back to its savepoint, so it leaves the database as
    it was before it; a crash (power, kill) loses the run and leaves the database
    as it was before the run; a bug in one package rolls that package back and
    the packages before it are committed, as they were when every package had
    its own transaction. Committing once (and ``_Tunda``) is what makes a new
    Dinas's first run of 29 kelurahan fast: a commit writes every page a package
    touched, and each package touched most of every index.
    """

    def __init__(self, db: Database, sizes: Iterable[int]):
        self.db = db
        self.memory = max(sizes, default=0) <= MEMORY_STAGING_BYTES
        self.dinas = None
        self.tunda: _Tunda | None = None
        self.pragmas: dict[str, int] = {}

    def __enter__(self) -> "_Batch":
        self.dinas = _require_dinas(self.db)
        conn = self.db.conn
        if conn.in_transaction:
            raise RuntimeError("import_package runs its own transaction")
        self.pragmas = {k: conn.execute(f"PRAGMA {k}").fetchone()[0]
                        for k in ("temp_store", "cache_size", "foreign_keys")}
        conn.execute(f"PRAGMA temp_store = {'MEMORY' if self.memory else 'FILE'}")
        conn.execute("PRAGMA cache_size = -65536")
        # Every reference a package makes is checked before it is written (``_Staging.check``:
        # REFERENCES are the schema's foreign keys, a test keeps them so) and an import never
        # deletes nor renames a record: SQLite's own check would only repeat a million lookups.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN")
        self.tunda = _Tunda(self.db)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        conn = self.db.conn
        try:
            if conn.in_transaction:  # an error may have ended it (disk full): nothing to keep then
                try:
                    self.tunda.selesai()
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        finally:
            for key, value in self.pragmas.items():
                conn.execute(f"PRAGMA {key} = {int(value)}")

    def impor(self, source: bytes | str | Path, *, nama_file: str | None = None, progress: Progress | None = None,
              limits: pkg.Limits = pkg.DEFAULT_LIMITS) -> ImportOutcome:
        """Import one package (path or bytes) in a savepoint of the run."""
        db = self.db
        if nama_file is None:
            nama_file = Path(source).name if not isinstance(source, (bytes, bytearray)) else "(paket)"
        outcome = ImportOutcome(nama_file=nama_file, hasil=DITOLAK)
        try:
            raw = source if isinstance(source, (bytes, bytearray)) else pkg.load_package_bytes(source, limits)
            opened = _unseal(db, bytes(raw))
            package = pkg.read_package(opened, limits)
            package_seal.check_manifest(opened, package.manifest)  # issue 10: the seal names this package
        except pkg.PackageError as exc:
            outcome.alasan = exc.pesan
            with db.atomic():
                _log(db, outcome)
            return outcome
        m = package.manifest
        outcome.install_id, outcome.kode_wilayah = m["install_id"], m["kode_wilayah"]
        outcome.periode, outcome.urutan, outcome.sha256 = m["periode"], m["urutan"], package.sha256
        outcome.dibuat_at = m["created_at"]
        try:
            verdict = _check_package_level(db, self.dinas, package)
            if verdict == TIDAK_BERUBAH:
                outcome.hasil = TIDAK_BERUBAH
                outcome.jumlah = {t: {"baru": 0, "diperbarui": 0, "tetap": n} for t, n in package.counts.items()}
                with db.atomic():
                    self._simpan_hasil(outcome, m, opened)
            else:
                staging = _Staging(db, package)
                try:
                    staging.load()
                    staging.check()
                    self.tunda.sebelum_menulis({t: staging.baru(t) for t in TABLES})
                    with db.atomic():
                        outcome.jumlah = _apply(staging, progress)
                        outcome.hasil = DITERIMA
                        self._simpan_hasil(outcome, m, opened)
                finally:
                    staging.drop()
        except _Refused as exc:
            outcome.hasil, outcome.alasan, outcome.jumlah = DITOLAK, exc.alasan, {}
        except sqlite3.IntegrityError as exc:
            outcome.hasil, outcome.alasan, outcome.jumlah = DITOLAK, _integrity_reason(exc), {}
        if outcome.hasil == DITOLAK:
            with db.atomic():
                _log(db, outcome, operator=m.get("operator"))
        return outcome

    def _simpan_hasil(self, outcome: ImportOutcome, m: dict, opened: bytes) -> None:
        """What every package that is not refused leaves: the known install, its key, the log row."""
        _remember_install(self.db, m)
        package_seal.remember_signer(self.db, opened)  # issue 10: the install's key, on first use
        _log(self.db, outcome, operator=m["operator"])


def _size(source) -> int:
    if isinstance(source, (bytes, bytearray)):
        return len(source)
    try:
        return Path(source).stat().st_size
    except OSError:
        return 0  # reported by the import itself


def import_package(
    db: Database,
    source: bytes | str | Path,
    *,
    nama_file: str | None = None,
    progress: Progress | None = None,
    limits: pkg.Limits = pkg.DEFAULT_LIMITS,
) -> ImportOutcome:
    """Import one package file (path) or its bytes at a Dinas; never half-imports.

    Returns the outcome (also logged); raises only KnownError for a database
    that is not a Dinas database, or for bugs.
    """
    with _Batch(db, [_size(source)]) as batch:
        return batch.impor(source, nama_file=nama_file, progress=progress, limits=limits)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders replaced by the ``*.kesos`` files inside them."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(pkg.package_files_in(p))
        else:
            out.append(p)
    return out


def import_files(db: Database, paths: Iterable[str | Path], progress: Progress | None = None) -> list[ImportOutcome]:
    """Import files (and folders of packages) one by one in one run (``_Batch``); one outcome per file."""
    files = expand_paths(paths)
    outcomes = []
    if files:
        with _Batch(db, map(_size, files)) as batch:
            for i, path in enumerate(files):
                if progress:
                    progress(i, len(files), f"Mengimpor {path.name}")
                outcomes.append(batch.impor(path))
    if progress:
        progress(len(files), len(files), "Selesai")
    return outcomes


def import_log(db: Database, *, offset: int = 0, limit: int = 200, sort: str | None = None,
               descending: bool = True, periode: str | None = None) -> list[dict]:
    """Rows of ``paket_log`` (incoming), newest first by default, for tables and reports."""
    allowed = {"waktu", "nama_file", "kode_wilayah", "periode", "urutan", "hasil", "dibuat_at", "install_asal"}
    order = sort if sort in allowed else "id"
    where, params = "arah = 'masuk'", []
    if periode:
        where += " AND periode = ?"
        params.append(periode)
    rows = _rows(
        db,
        f"SELECT p.*, w.nama AS nama_wilayah FROM paket_log p LEFT JOIN ref_wilayah w ON w.kode = p.kode_wilayah "
        f"WHERE {where} ORDER BY {order} {'DESC' if descending else 'ASC'}, p.id DESC LIMIT ? OFFSET ?",
        params + [limit, offset],
    )
    for r in rows:
        r["jumlah"] = json.loads(r["jumlah"]) if r["jumlah"] else {}
    return rows


def import_log_count(db: Database, periode: str | None = None) -> int:
    if periode:
        return db.conn.execute(
            "SELECT count(*) FROM paket_log WHERE arah = 'masuk' AND periode = ?", [periode]).fetchone()[0]
    return db.conn.execute("SELECT count(*) FROM paket_log WHERE arah = 'masuk'").fetchone()[0]


def known_installs(db: Database) -> list[dict]:
    return _rows(
        db,
        "SELECT i.*, w.nama AS nama_wilayah FROM instalasi i LEFT JOIN ref_wilayah w ON w.kode = i.kode_wilayah "
        "ORDER BY i.kode_wilayah, i.first_seen",
    )


def totals(db: Database) -> dict[str, tuple[int, int]]:
    """(records, living records) per field table: what order-independence tests compare."""
    return {t: db.conn.execute(f"SELECT count(*), count(*) - count(deleted_at) FROM [{t}]").fetchone()
            for t in TABLES}


def fingerprint(db: Database) -> dict[str, str]:
    """A digest of every field table's content (ids + updated_at + deleted_at)."""
    import hashlib

    out = {}
    for t in TABLES:
        h = hashlib.sha256()
        for rid, upd, dele in db.conn.execute(f"SELECT id, updated_at, deleted_at FROM [{t}] ORDER BY id"):
            h.update(f"{rid}|{upd}|{dele}\n".encode())
        out[t] = h.hexdigest()
    return out


def periode_deadline(periode: str, hari: int) -> _dt.date:
    """Day ``hari`` of the month after ``periode`` (clamped to the month's length)."""
    import calendar

    year, month = int(periode[:4]), int(periode[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _dt.date(year, month, min(hari, calendar.monthrange(year, month)[1]))
