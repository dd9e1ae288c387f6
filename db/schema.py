"""The schema, as numbered sqlite-utils migrations.

Each migration runs in its own transaction together with its record in
``_sqlite_migrations``. ``PRAGMA user_version`` mirrors the number of applied
migrations so an older app can tell it is looking at a newer file without
knowing the names. Never edit a migration that has shipped: add a new one.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db.version import SCHEMA_VERSION

migrations = Migrations("kesos")

# Columns every field record carries (ENGINEERING.md §2).
COMMON = """
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    install_id TEXT NOT NULL,
    deleted_at TEXT,
    delete_reason TEXT
"""

SCHEMA_0001 = f"""
CREATE TABLE install (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    install_id TEXT NOT NULL,
    peran TEXT NOT NULL CHECK (peran IN ('TKSK','PSM','DINAS')),
    kode_wilayah TEXT NOT NULL,
    operator_nama TEXT NOT NULL,
    operator_nik TEXT,
    operator_nomor TEXT,
    lurah_nama TEXT,
    created_at TEXT NOT NULL,
    app_version TEXT NOT NULL
);

CREATE TABLE pengaturan (
    key TEXT PRIMARY KEY,
    value TEXT
);

-- One counter per kind and year (receipt numbers, temporary ids, package
-- sequences). Numbers are taken inside the transaction that uses them, and a
-- counter never goes down, so a number is never handed out twice.
CREATE TABLE nomor_urut (
    jenis TEXT NOT NULL,
    kunci TEXT NOT NULL,
    terakhir INTEGER NOT NULL,
    PRIMARY KEY (jenis, kunci)
);

CREATE TABLE orang (
    id TEXT PRIMARY KEY,
    nik TEXT CHECK (nik IS NULL OR (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*')),
    nik_sementara TEXT,
    no_kk TEXT CHECK (no_kk IS NULL OR (length(no_kk) = 16 AND no_kk NOT GLOB '*[^0-9]*')),
    nama TEXT NOT NULL CHECK (length(trim(nama)) > 0),
    jenis_kelamin TEXT CHECK (jenis_kelamin IN ('L','P')),
    tempat_lahir TEXT,
    tanggal_lahir TEXT,
    alamat TEXT,
    rt TEXT,
    rw TEXT,
    kode_wilayah TEXT,
    asal_luar TEXT,
    telepon TEXT,
    status_dtks TEXT,
    desil INTEGER CHECK (desil IS NULL OR desil BETWEEN 1 AND 10),
    jenis_disabilitas TEXT,
    keterangan TEXT,
    {COMMON}
);
CREATE INDEX idx_orang_nik ON orang(nik);
CREATE INDEX idx_orang_no_kk ON orang(no_kk);
CREATE INDEX idx_orang_wilayah ON orang(kode_wilayah);
CREATE INDEX idx_orang_lahir ON orang(tanggal_lahir);
-- One living record per NIK per install: the NIK is the dedup key. At the
-- Dinas the same NIK may arrive from two installs; that is reported, not refused.
CREATE UNIQUE INDEX uq_orang_nik ON orang(install_id, nik)
    WHERE nik IS NOT NULL AND deleted_at IS NULL;
CREATE UNIQUE INDEX uq_orang_nik_sementara ON orang(nik_sementara)
    WHERE nik_sementara IS NOT NULL;

CREATE TABLE ppks (
    id TEXT PRIMARY KEY,
    orang_id TEXT NOT NULL REFERENCES orang(id),
    kategori_kode TEXT NOT NULL,
    terlantar INTEGER NOT NULL DEFAULT 0 CHECK (terlantar IN (0,1)),
    tanggal_pendataan TEXT NOT NULL,
    sumber_laporan TEXT,
    petugas TEXT,
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif','tertangani','ditutup')),
    alasan_tutup TEXT,
    tanggal_tutup TEXT,
    keterangan TEXT,
    {COMMON},
    CHECK (status <> 'ditutup' OR tanggal_tutup IS NOT NULL)
);
CREATE INDEX idx_ppks_orang ON ppks(orang_id);
CREATE INDEX idx_ppks_kategori ON ppks(kategori_kode);

CREATE TABLE bencana (
    id TEXT PRIMARY KEY,
    kode_kejadian TEXT,
    kelompok TEXT NOT NULL CHECK (kelompok IN ('alam','sosial')),
    jenis_kode TEXT NOT NULL,
    tanggal TEXT NOT NULL,
    waktu TEXT,
    kode_wilayah TEXT NOT NULL,
    lokasi TEXT,
    rt TEXT,
    rw TEXT,
    kk_terdampak INTEGER,
    jiwa_terdampak INTEGER,
    rumah_rusak INTEGER,
    lama_tanggap_darurat INTEGER NOT NULL DEFAULT 7 CHECK (lama_tanggap_darurat >= 1),
    alasan_perpanjangan TEXT,
    status TEXT NOT NULL DEFAULT 'tanggap_darurat',
    keterangan TEXT,
    {COMMON}
);
CREATE INDEX idx_bencana_tanggal ON bencana(tanggal);
CREATE UNIQUE INDEX uq_bencana_kode ON bencana(install_id, kode_kejadian)
    WHERE kode_kejadian IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE korban (
    id TEXT PRIMARY KEY,
    bencana_id TEXT NOT NULL REFERENCES bencana(id),
    orang_id TEXT NOT NULL REFERENCES orang(id),
    ppks_id TEXT REFERENCES ppks(id),
    kepala_keluarga INTEGER NOT NULL DEFAULT 0,
    tempat_tinggal TEXT,
    kelompok_rentan TEXT,
    keterangan TEXT,
    {COMMON}
);
CREATE INDEX idx_korban_bencana ON korban(bencana_id);
CREATE INDEX idx_korban_orang ON korban(orang_id);
CREATE UNIQUE INDEX uq_korban ON korban(bencana_id, orang_id) WHERE deleted_at IS NULL;

CREATE TABLE psks (
    id TEXT PRIMARY KEY,
    jenis_kode TEXT NOT NULL,
    bentuk TEXT NOT NULL CHECK (bentuk IN ('orang','lembaga')),
    nik TEXT CHECK (nik IS NULL OR (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*')),
    nama TEXT NOT NULL CHECK (length(trim(nama)) > 0),
    jenis_kelamin TEXT CHECK (jenis_kelamin IN ('L','P')),
    tanggal_lahir TEXT,
    kode_wilayah TEXT,
    alamat TEXT,
    nomor_registrasi TEXT,
    tanggal_mulai_aktif TEXT,
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif','nonaktif')),
    tanggal_nonaktif TEXT,
    nomor_dokumen TEXT,
    tanggal_dokumen TEXT,
    telepon TEXT,
    email TEXT,
    nama_ketua TEXT,
    keterangan TEXT,
    {COMMON}
);
CREATE INDEX idx_psks_nik ON psks(nik);
CREATE INDEX idx_psks_jenis ON psks(jenis_kode);
CREATE UNIQUE INDEX uq_psks_registrasi ON psks(jenis_kode, nomor_registrasi)
    WHERE nomor_registrasi IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE kegiatan (
    id TEXT PRIMARY KEY,
    kode_kegiatan TEXT,
    nama TEXT NOT NULL,
    jenis TEXT NOT NULL,
    kode_layanan TEXT,
    tanggal_mulai TEXT NOT NULL,
    tanggal_selesai TEXT NOT NULL,
    penyelenggara TEXT,
    tempat TEXT,
    kode_wilayah TEXT,
    keterangan TEXT,
    {COMMON},
    CHECK (tanggal_selesai >= tanggal_mulai)
);
CREATE INDEX idx_kegiatan_tanggal ON kegiatan(tanggal_mulai);

CREATE TABLE kegiatan_peserta (
    id TEXT PRIMARY KEY,
    kegiatan_id TEXT NOT NULL REFERENCES kegiatan(id),
    psks_id TEXT NOT NULL REFERENCES psks(id),
    hadir INTEGER NOT NULL DEFAULT 0 CHECK (hadir IN (0,1)),
    keterangan TEXT,
    {COMMON}
);
CREATE INDEX idx_peserta_kegiatan ON kegiatan_peserta(kegiatan_id);
CREATE INDEX idx_peserta_psks ON kegiatan_peserta(psks_id);
CREATE UNIQUE INDEX uq_peserta ON kegiatan_peserta(kegiatan_id, psks_id) WHERE deleted_at IS NULL;

CREATE TABLE layanan (
    id TEXT PRIMARY KEY,
    orang_id TEXT REFERENCES orang(id),
    no_kk TEXT,
    kode_layanan TEXT NOT NULL,
    tanggal TEXT NOT NULL,
    jumlah REAL NOT NULL CHECK (jumlah > 0),
    satuan TEXT NOT NULL,
    nilai INTEGER NOT NULL DEFAULT 0 CHECK (nilai >= 0),
    sumber_dana TEXT,
    petugas TEXT,
    psks_id TEXT REFERENCES psks(id),
    bencana_id TEXT REFERENCES bencana(id),
    distribusi_id TEXT,
    terlambat INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif','batal')),
    alasan_batal TEXT,
    tanggal_batal TEXT,
    keterangan TEXT,
    {COMMON},
    CHECK (orang_id IS NOT NULL OR no_kk IS NOT NULL)
);
CREATE INDEX idx_layanan_orang ON layanan(orang_id);
CREATE INDEX idx_layanan_tanggal ON layanan(tanggal);
CREATE INDEX idx_layanan_kode ON layanan(kode_layanan, tanggal);
CREATE INDEX idx_layanan_bencana ON layanan(bencana_id);
CREATE INDEX idx_layanan_psks ON layanan(psks_id);

CREATE TABLE kuitansi (
    id TEXT PRIMARY KEY,
    layanan_id TEXT NOT NULL UNIQUE REFERENCES layanan(id),
    nomor TEXT NOT NULL UNIQUE,
    tahun INTEGER NOT NULL,
    urut INTEGER NOT NULL,
    kode_cek TEXT NOT NULL,
    jumlah_cetak INTEGER NOT NULL DEFAULT 0,
    pertama_dicetak TEXT,
    terakhir_dicetak TEXT,
    {COMMON}
);

CREATE TABLE target (
    id TEXT PRIMARY KEY,
    tahun INTEGER NOT NULL,
    indikator_id TEXT NOT NULL,
    kode_wilayah TEXT NOT NULL,
    nilai REAL NOT NULL,
    {COMMON}
);
CREATE UNIQUE INDEX uq_target ON target(tahun, indikator_id, kode_wilayah) WHERE deleted_at IS NULL;

-- Months reported to the Dinas are locked (issue: closing a month).
CREATE TABLE periode_tutup (
    periode TEXT PRIMARY KEY,
    ditutup INTEGER NOT NULL DEFAULT 1,
    ditutup_at TEXT,
    alasan TEXT,
    dibuka_at TEXT,
    alasan_buka TEXT,
    urutan_paket INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    waktu TEXT NOT NULL,
    install_id TEXT,
    operator TEXT,
    tabel TEXT NOT NULL,
    record_id TEXT NOT NULL,
    aksi TEXT NOT NULL,
    lama TEXT,
    baru TEXT
);
CREATE INDEX idx_audit_record ON audit(tabel, record_id);

CREATE TABLE paket_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    waktu TEXT NOT NULL,
    arah TEXT NOT NULL CHECK (arah IN ('keluar','masuk')),
    nama_file TEXT NOT NULL,
    install_asal TEXT,
    kode_wilayah TEXT,
    periode TEXT,
    urutan INTEGER,
    sha256 TEXT,
    hasil TEXT NOT NULL,
    alasan TEXT,
    jumlah TEXT
);
CREATE INDEX idx_paket_periode ON paket_log(periode, kode_wilayah);
"""


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    # executescript would COMMIT the migration's transaction; run statements
    # one by one so the migration stays atomic.
    for statement in _split_sql(SCHEMA_0001):
        db.execute(statement)


def _split_sql(script: str) -> list[str]:
    statements, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        if line.rstrip().endswith(";"):
            stmt = "\n".join(buf).strip().rstrip(";")
            if stmt:
                statements.append(stmt)
            buf = []
    tail = "\n".join(buf).strip()
    if tail:
        statements.append(tail)
    return statements


def latest_version() -> int:
    return len(migrations._migrations)


def migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


# --- issue 3 (PPKS register): search ------------------------------------------
# Full-text search over names and addresses (search-as-you-type on 150k people):
# an external-content FTS5 table on orang, kept current by triggers. The
# update trigger fires only when an indexed column changes. Prefix indexes
# make "sit*" cheap. Names sorted case-insensitively for the list's first page.
SCHEMA_0002_PPKS = """
CREATE VIRTUAL TABLE orang_fts USING fts5(
    nama, alamat,
    content='orang', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE TRIGGER orang_fts_ai AFTER INSERT ON orang BEGIN
    INSERT INTO orang_fts (rowid, nama, alamat) VALUES (new.rowid, new.nama, new.alamat);
END;
CREATE TRIGGER orang_fts_ad AFTER DELETE ON orang BEGIN
    INSERT INTO orang_fts (orang_fts, rowid, nama, alamat) VALUES ('delete', old.rowid, old.nama, old.alamat);
END;
CREATE TRIGGER orang_fts_au AFTER UPDATE OF nama, alamat ON orang BEGIN
    INSERT INTO orang_fts (orang_fts, rowid, nama, alamat) VALUES ('delete', old.rowid, old.nama, old.alamat);
    INSERT INTO orang_fts (rowid, nama, alamat) VALUES (new.rowid, new.nama, new.alamat);
END;
CREATE INDEX idx_orang_nama ON orang(nama COLLATE NOCASE, id);
CREATE INDEX idx_ppks_orang_status ON ppks(orang_id, status, kategori_kode);
"""


@migrations(name="0002_ppks_search")
def m0002_ppks_search(db: Database) -> None:
    for statement in _split_trigger_sql(SCHEMA_0002_PPKS):
        db.execute(statement)
    db.execute("INSERT INTO orang_fts (orang_fts) VALUES ('rebuild')")


def _split_trigger_sql(script: str) -> list[str]:
    """Like _split_sql, but keeps CREATE TRIGGER ... BEGIN ...; END together."""
    statements, buf, in_trigger = [], [], False
    for line in script.splitlines():
        if not line.strip() or line.strip().startswith("--"):
            continue
        buf.append(line)
        if line.lstrip().upper().startswith("CREATE TRIGGER"):
            in_trigger = True
        done = line.strip().upper() == "END;" if in_trigger else line.rstrip().endswith(";")
        if done:
            statements.append("\n".join(buf).strip().rstrip(";"))
            buf, in_trigger = [], False
    return statements


# --- issue 8 (sync packages, Dinas consolidation) ------------------------------
# Known field installs at a Dinas (one row per install that sent a package;
# public_key is filled by issue 10's sealed packages). paket_log gains the
# package's own creation time and operator (completeness: "sent when").
# PSKS registration numbers are unique per install: at a Dinas the same person
# may be registered by a kelurahan PSM install and the kecamatan TKSK install.
SCHEMA_0003_SINKRON = """
CREATE TABLE instalasi (
    install_id TEXT PRIMARY KEY,
    kode_wilayah TEXT NOT NULL,
    peran TEXT,
    operator TEXT,
    app_version TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    public_key TEXT
);
ALTER TABLE paket_log ADD COLUMN dibuat_at TEXT;
ALTER TABLE paket_log ADD COLUMN operator TEXT;
CREATE INDEX idx_paket_install ON paket_log(install_asal, periode, urutan);
DROP INDEX uq_psks_registrasi;
CREATE UNIQUE INDEX uq_psks_registrasi ON psks(install_id, jenis_kode, nomor_registrasi)
    WHERE nomor_registrasi IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX idx_orang_install ON orang(install_id);
"""


@migrations(name="0003_sinkron_dinas")
def m0003_sinkron_dinas(db: Database) -> None:
    for statement in _split_sql(SCHEMA_0003_SINKRON):
        db.execute(statement)


# --- issue 10 (data protection) ------------------------------------------------
# kunci: this install's key pairs (Ed25519 signing; X25519 package key at a
# Dinas) and, at a field install, the imported Dinas public key. Never exported.
# ekspor_log: every export of personal data (who, when, what file, how many).
SCHEMA_0004_KEAMANAN = """
CREATE TABLE kunci (
    nama TEXT PRIMARY KEY,
    jenis TEXT NOT NULL,
    kunci_privat BLOB,
    kunci_publik BLOB NOT NULL,
    keterangan TEXT,
    dibuat_at TEXT NOT NULL
);
CREATE TABLE ekspor_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    waktu TEXT NOT NULL,
    install_id TEXT,
    operator TEXT,
    jenis TEXT NOT NULL,
    berkas TEXT,
    jumlah INTEGER
);
"""


@migrations(name="0004_keamanan")
def m0004_keamanan(db: Database) -> None:
    for statement in _split_sql(SCHEMA_0004_KEAMANAN):
        db.execute(statement)


# --- issue 3 (PPKS register): search over living people only -------------------
# Measured on the kota database (150k people): counting a text match needs no
# join when the index holds only living (not soft-deleted) people, so the FTS
# table now reads a view of them; the trigger moves a person out of (and back
# into) the index when deleted (restored). Partial indexes serve the list's
# registration filters and the count of deleted people.
SCHEMA_0005_PPKS = """
DROP TRIGGER orang_fts_ai;
DROP TRIGGER orang_fts_ad;
DROP TRIGGER orang_fts_au;
DROP TABLE orang_fts;
CREATE VIEW orang_fts_isi AS SELECT rowid AS rid, nama, alamat FROM orang WHERE deleted_at IS NULL;
CREATE VIRTUAL TABLE orang_fts USING fts5(
    nama, alamat,
    content='orang_fts_isi', content_rowid='rid',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE TRIGGER orang_fts_ai AFTER INSERT ON orang WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO orang_fts (rowid, nama, alamat) VALUES (new.rowid, new.nama, new.alamat);
END;
CREATE TRIGGER orang_fts_ad AFTER DELETE ON orang WHEN old.deleted_at IS NULL BEGIN
    INSERT INTO orang_fts (orang_fts, rowid, nama, alamat) VALUES ('delete', old.rowid, old.nama, old.alamat);
END;
CREATE TRIGGER orang_fts_au AFTER UPDATE OF nama, alamat, deleted_at ON orang BEGIN
    INSERT INTO orang_fts (orang_fts, rowid, nama, alamat)
        SELECT 'delete', old.rowid, old.nama, old.alamat WHERE old.deleted_at IS NULL;
    INSERT INTO orang_fts (rowid, nama, alamat)
        SELECT new.rowid, new.nama, new.alamat WHERE new.deleted_at IS NULL;
END;
DROP INDEX idx_ppks_orang_status;
CREATE INDEX idx_ppks_hidup_orang ON ppks(orang_id, kategori_kode, status, terlantar) WHERE deleted_at IS NULL;
CREATE INDEX idx_ppks_hidup_kategori ON ppks(kategori_kode, status, terlantar, orang_id) WHERE deleted_at IS NULL;
CREATE INDEX idx_ppks_hidup_status ON ppks(status, orang_id) WHERE deleted_at IS NULL;
CREATE INDEX idx_orang_dihapus ON orang(deleted_at) WHERE deleted_at IS NOT NULL;
"""


@migrations(name="0005_ppks_search_living")
def m0005_ppks_search_living(db: Database) -> None:
    for statement in _split_trigger_sql(SCHEMA_0005_PPKS):
        db.execute(statement)
    db.execute("INSERT INTO orang_fts (orang_fts) VALUES ('rebuild')")


# --- receipts from two laptops of one kelurahan ---------------------------------
# Receipt numbers are TT/<kode wilayah>/<tahun>/<urut> counted per install, so two
# PSMs of the same kelurahan both issue TT/…/2026/00001. Each is unique on its own
# laptop, but the Dinas holds both: uniqueness is per install, not global.


@migrations(name="0006_kuitansi_unik_per_instalasi")
def m0006_kuitansi_unik_per_instalasi(db: Database) -> None:
    (create_sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'kuitansi'").fetchall()[0]
    new_sql = create_sql.replace("nomor TEXT NOT NULL UNIQUE", "nomor TEXT NOT NULL", 1)
    if new_sql == create_sql:
        raise RuntimeError("kuitansi.nomor is not declared as expected; refusing to rebuild the table")
    new_sql = new_sql.replace("CREATE TABLE kuitansi", "CREATE TABLE kuitansi_baru", 1)
    columns = ", ".join(f"[{c[1]}]" for c in db.execute("PRAGMA table_info(kuitansi)").fetchall())
    db.execute(new_sql)
    db.execute(f"INSERT INTO kuitansi_baru ({columns}) SELECT {columns} FROM kuitansi")
    # No table references kuitansi, so dropping it cannot cascade or break a foreign key.
    db.execute("DROP TABLE kuitansi")
    db.execute("ALTER TABLE kuitansi_baru RENAME TO kuitansi")
    db.execute("CREATE UNIQUE INDEX uq_kuitansi_nomor ON kuitansi(install_id, nomor)")
    db.execute("CREATE INDEX idx_kuitansi_nomor ON kuitansi(nomor)")


@migrations(name="0007_hitungan_cepat")
def m0007_hitungan_cepat(db: Database) -> None:
    # Living-record counts (Beranda, `kesos info`) are "all rows minus soft-deleted rows":
    # count(*) walks the smallest index, and these partial indexes hold only the few
    # deleted rows. Counting `WHERE deleted_at IS NULL` scanned a kota's 600,000
    # services (~0.15 s at every start); this way it takes ~10 ms.
    for table in ("ppks", "layanan", "bencana", "korban", "psks", "kegiatan"):
        db.execute(f"CREATE INDEX IF NOT EXISTS idx_{table}_dihapus ON {table}(deleted_at) "
                   "WHERE deleted_at IS NOT NULL")


# Keep at the end of the module, after every migration is registered.
if latest_version() != SCHEMA_VERSION:
    raise RuntimeError(f"db/schema.py has {latest_version()} migrations but db/version.py says "
                       f"SCHEMA_VERSION = {SCHEMA_VERSION}: update SCHEMA_VERSION with each new migration")
