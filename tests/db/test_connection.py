import sqlite3

import pytest

from db import schema
from db.connection import integrity_problems, open_database
from db.errors import DatabaseOpenError
from db.install import get_install, init_install, record_counts
from db.errors import KnownError


def test_pragmas_chosen(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.latest_version()


def test_schema_has_every_record_kind(db):
    for table in ["orang", "ppks", "layanan", "kuitansi", "bencana", "korban", "psks", "kegiatan",
                  "kegiatan_peserta", "target", "install", "pengaturan", "audit", "paket_log"]:
        assert db[table].exists(), table
    for table in ["orang", "ppks", "layanan", "bencana", "korban", "psks", "kegiatan"]:
        cols = set(db[table].columns_dict)
        assert {"id", "created_at", "updated_at", "install_id", "deleted_at", "delete_reason"} <= cols


def test_missing_file_not_created_without_create(tmp_path):
    with pytest.raises(DatabaseOpenError, match="tidak ditemukan"):
        open_database(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_not_a_database_left_untouched(tmp_path):
    path = tmp_path / "catatan.db"
    path.write_bytes(b"ini bukan basis data, hanya teks biasa" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="bukan basis data"):
        open_database(path)
    assert path.read_bytes() == before


def test_corrupt_database_refused(db_path, db):
    db.close()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the magic header, wreck page 1
    db_path.write_bytes(bytes(data))
    (db_path.with_name(db_path.name + "-wal")).unlink(missing_ok=True)
    with pytest.raises(DatabaseOpenError, match="rusak"):
        open_database(db_path)


def test_read_only_file_refused(db_path, db, read_only_dir):
    db.close()
    target = read_only_dir(db_path)
    before = target.read_bytes()
    with pytest.raises(DatabaseOpenError, match="hanya-baca"):
        open_database(target)
    assert target.read_bytes() == before


def test_newer_schema_refused_and_not_modified(db_path, db):
    db.execute(f"PRAGMA user_version = {schema.latest_version() + 1}")
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="lebih baru"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_unknown_applied_migration_means_newer(db_path, db):
    db["_sqlite_migrations"].insert({"migration_set": "kesos", "name": "9999_future", "applied_at": "x"})
    db.close()
    with pytest.raises(DatabaseOpenError, match="lebih baru"):
        open_database(db_path)


def test_pending_migration_backs_up_first(db_path, db, monkeypatch):
    db.execute("INSERT INTO pengaturan VALUES ('penanda', 'ada')")
    db.conn.commit()
    db.close()

    @schema.migrations(name="9000_test_only")
    def _extra(database):
        database.execute("CREATE TABLE uji_migrasi (x)")

    try:
        reopened = open_database(db_path)
        assert reopened["uji_migrasi"].exists()
        backups = list(db_path.parent.glob("kesos.sebelum-migrasi-*.db"))
        assert len(backups) == 1
        copy = sqlite3.connect(backups[0])
        assert copy.execute("SELECT value FROM pengaturan WHERE key='penanda'").fetchone()[0] == "ada"
        assert copy.execute("SELECT count(*) FROM sqlite_master WHERE name='uji_migrasi'").fetchone()[0] == 0
        reopened.close()
    finally:
        schema.migrations._migrations.pop()


def test_failed_migration_rolls_back(db_path, db):
    db.close()

    @schema.migrations(name="9001_fails")
    def _bad(database):
        database.execute("CREATE TABLE setengah (x)")
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            open_database(db_path)
        check = sqlite3.connect(db_path)
        assert check.execute("SELECT count(*) FROM sqlite_master WHERE name='setengah'").fetchone()[0] == 0
        check.close()
    finally:
        schema.migrations._migrations.pop()


def test_init_twice_refused(db):
    with pytest.raises(KnownError, match="sudah disiapkan"):
        init_install(db, kode_wilayah="61.71.03.1001", operator_nama="X", peran="PSM")


def test_unknown_area_suggests_closest(empty_db_path):
    database = open_database(empty_db_path)
    with pytest.raises(KnownError) as info:
        init_install(database, kode_wilayah="61.71.03.1009", operator_nama="X", peran="PSM")
    assert "tidak dikenal" in info.value.pesan and "61.71.03.100" in info.value.pesan
    assert get_install(database) is None


def test_dinas_takes_the_kab_kota(empty_db_path):
    database = open_database(empty_db_path)
    inst = init_install(database, kode_wilayah="61.71.03.1001", operator_nama="X", peran="DINAS")
    assert inst.kode_wilayah == "61.71" and inst.is_dinas


def test_fresh_counts_are_zero_and_integrity_ok(db):
    assert set(record_counts(db).values()) == {0}
    assert integrity_problems(db) == []


def test_area_code_typed_without_dots_is_stored_canonical(empty_db_path):
    database = open_database(empty_db_path)
    inst = init_install(database, kode_wilayah="6171031001", operator_nama="X", peran="PSM")
    assert inst.kode_wilayah == "61.71.03.1001"


# --- the GUI's fast start: a plain connection when nothing is to be done --------------------


def test_fast_open_of_a_current_plain_database(db_path, db):
    from db.connection import open_current_plain
    from db.install import get_install, record_counts

    db.close()
    conn = open_current_plain(db_path)
    assert isinstance(conn, sqlite3.Connection)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL, as open_database
        # the start's reads take the plain connection as well as a Database
        assert get_install(conn).kode_wilayah == "61.71.03.1001"
        assert record_counts(conn)["orang"] == 0
    finally:
        conn.close()


def test_fast_open_leaves_everything_else_to_open_database(tmp_path, db_path, db):
    from db.connection import open_current_plain

    assert open_current_plain(tmp_path / "belum-ada.db") is None  # the wizard creates it
    assert not (tmp_path / "belum-ada.db").exists()
    db.execute("PRAGMA user_version = 6")  # a migration pending
    db.close()
    assert open_current_plain(db_path) is None
    reopened = open_database(db_path)
    reopened.execute("UPDATE ref_meta SET value = 'lama' WHERE key = 'version'")  # reference data to load
    reopened.conn.commit()
    reopened.close()
    assert open_current_plain(db_path) is None
    open_database(db_path).close()  # loads the reference data again
    assert open_current_plain(db_path) is not None


def test_fast_open_refuses_what_open_database_refuses(tmp_path, db_path, db):
    from db.connection import open_current_plain

    bad = tmp_path / "bukan.db"
    bad.write_text("bukan basis data" * 50)
    with pytest.raises(DatabaseOpenError, match="bukan basis data"):
        open_current_plain(bad)
    assert bad.read_text() == "bukan basis data" * 50
    db.execute(f"PRAGMA user_version = {schema.latest_version() + 1}")
    db.close()
    assert open_current_plain(db_path) is None  # and open_database says why:
    with pytest.raises(DatabaseOpenError, match="lebih baru"):
        open_database(db_path)


def test_schema_version_constant_matches_the_migrations():
    from db.version import SCHEMA_VERSION

    assert SCHEMA_VERSION == schema.latest_version() == len(schema.migration_names())


def test_living_counts_ignore_soft_deleted_rows(db):
    from db import records
    from db.install import COUNT_TABLES, record_counts
    from tests.db import rekap_fixture

    rekap_fixture.build(db)
    before = record_counts(db)
    for table in ("layanan", "ppks", "orang"):
        first = db.execute(f"SELECT id FROM {table} WHERE deleted_at IS NULL ORDER BY id LIMIT 1").fetchone()[0]
        records.soft_delete(db, table, first, "salah input")
    counts = record_counts(db)
    for name, table in COUNT_TABLES.items():
        assert counts[name] == db.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]
    assert [counts[k] for k in ("layanan", "ppks", "orang")] == [before[k] - 1 for k in ("layanan", "ppks", "orang")]
