"""Encryption at rest (SQLCipher): a copied file reveals nothing without the passphrase."""
import sqlite3

import pytest

from db import records, sandi
from db.backup import backup_to, restore_from, verify_backup
from db.connection import integrity_problems, open_database
from db.errors import DatabaseOpenError, KnownError
from db.install import get_install, init_install
from tests.conftest import KELURAHAN

SANDI = "Kata-sandi-lapangan-1"
NAMA = "Rahmawati Kusumadewi"
NIK = "6171034501900002"


def _person(database, nama=NAMA, nik=NIK):
    return records.insert(database, "orang", {"nama": nama, "nik": nik, "jenis_kelamin": "P",
                                              "alamat": "Jl. Komyos Sudarso Gg. Bersatu", "kode_wilayah": KELURAHAN})


def _all_bytes(path):
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


@pytest.fixture(scope="module")
def _enc_template(tmp_path_factory):
    """One encrypted, initialised database per module; each test gets a copy (same salt: the key is cached)."""
    path = tmp_path_factory.mktemp("enc") / "template.db"
    database = open_database(path, create=True, passphrase=SANDI)
    init_install(database, kode_wilayah=KELURAHAN, operator_nama="Siti Aminah", peran="PSM")
    _person(database)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def enc_path(tmp_path, monkeypatch, _enc_template):
    import shutil

    monkeypatch.delenv("KESOS_PASSPHRASE", raising=False)
    path = tmp_path / "rahasia.db"
    shutil.copyfile(_enc_template, path)
    return path


def test_copied_file_holds_no_name_or_nik(enc_path):
    data = _all_bytes(enc_path)
    assert not data.startswith(sandi.SQLITE_HEADER)
    assert NAMA.encode() not in data and NIK.encode() not in data
    assert b"Rahmawati" not in data and b"Pallima" not in data and b"Siti Aminah" not in data
    # while the same content in a plain database is readable by anyone
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(enc_path).execute("SELECT * FROM orang").fetchall()


def test_data_written_while_open_is_not_readable_in_the_wal(tmp_path, monkeypatch):
    monkeypatch.delenv("KESOS_PASSPHRASE", raising=False)
    path = tmp_path / "buka.db"
    database = open_database(path, create=True, passphrase=SANDI)
    init_install(database, kode_wilayah=KELURAHAN, operator_nama="Siti Aminah", peran="PSM")
    _person(database)
    # the database is still open: the record sits in the -wal file
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    assert NIK.encode() not in _all_bytes(path) and b"Rahmawati" not in _all_bytes(path)
    database.close()


def test_reopen_with_passphrase_reads_everything(enc_path):
    database = open_database(enc_path, passphrase=SANDI)
    assert database.execute("SELECT nama, nik FROM orang").fetchall() == [(NAMA, NIK)]
    assert get_install(database).kode_wilayah == KELURAHAN
    assert integrity_problems(database) == []
    assert sandi.is_encrypted_db(database)
    database.close()


def test_wrong_passphrase_refused_and_file_untouched(enc_path):
    before = _all_bytes(enc_path)
    with pytest.raises(sandi.WrongPassphrase) as info:
        open_database(enc_path, passphrase="bukan-sandinya")
    assert info.value.pesan.startswith("Kata sandi salah")
    assert isinstance(info.value, DatabaseOpenError)
    assert _all_bytes(enc_path) == before


def test_no_passphrase_asks_for_one(enc_path):
    with pytest.raises(sandi.PassphraseRequired, match="terenkripsi"):
        open_database(enc_path)


def test_background_work_reuses_the_key_of_the_unlocked_file(enc_path):
    """desktop/worker.py jobs open their own connection to the database the user unlocked."""
    first = open_database(enc_path, passphrase=SANDI)
    second = open_database(enc_path)  # no passphrase, no KESOS_PASSPHRASE
    assert second.execute("SELECT nama FROM orang").fetchone()[0] == NAMA
    second.close()
    first.close()
    sandi.forget_open_keys()
    with pytest.raises(sandi.PassphraseRequired):
        open_database(enc_path)


def test_passphrase_from_environment(enc_path, monkeypatch):
    monkeypatch.setenv("KESOS_PASSPHRASE", SANDI)
    database = open_database(enc_path)
    assert database.execute("SELECT count(*) FROM orang").fetchone()[0] == 1
    database.close()


def test_standard_sqlcipher_tools_open_it_with_the_passphrase(enc_path):
    """The file is plain SQLCipher 4 (the raw key we derive equals SQLCipher's own KDF)."""
    sc = sandi.driver()
    conn = sc.connect(str(enc_path))
    conn.execute(f"PRAGMA key = '{SANDI}'")
    assert conn.execute("SELECT nama FROM orang").fetchall() == [(NAMA,)]
    conn.close()


def test_plain_database_opens_as_before_even_with_a_passphrase(db_path, db):
    db.close()
    database = open_database(db_path, passphrase="apa-saja-123")
    assert not sandi.is_encrypted_db(database)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    database.close()


def test_creating_from_environment_alone_stays_plain(tmp_path, monkeypatch):
    monkeypatch.setenv("KESOS_PASSPHRASE", SANDI)
    path = tmp_path / "baru.db"
    open_database(path, create=True, load_reference=False).close()
    assert path.read_bytes().startswith(sandi.SQLITE_HEADER)


def test_short_passphrase_refused_for_a_new_database(tmp_path):
    with pytest.raises(DatabaseOpenError, match="terlalu pendek"):
        open_database(tmp_path / "x.db", create=True, passphrase="1234")
    assert not (tmp_path / "x.db").exists()


def test_search_constraints_and_pragmas_work_encrypted(enc_path):
    database = open_database(enc_path, passphrase=SANDI)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert database.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    hits = database.execute(
        "SELECT o.nama FROM orang_fts f JOIN orang o ON o.rowid = f.rowid WHERE orang_fts MATCH 'rahma*'").fetchall()
    assert hits == [(NAMA,)]
    # the driver's errors are the standard library's: every `except sqlite3.X` keeps working
    with pytest.raises(sqlite3.IntegrityError):
        _person(database, nama="Orang Lain")  # same NIK in the same install
    with pytest.raises(sqlite3.OperationalError):
        database.execute("SELECT * FROM tidak_ada")
    # sqlite-utils on the SQLCipher connection: insert, atomic rollback, table introspection
    with pytest.raises(RuntimeError):
        with database.atomic():
            database["pengaturan"].insert({"key": "x", "value": "y"})
            raise RuntimeError("batal")
    assert database["pengaturan"].count_where("key = 'x'") == 0
    assert "nik" in database["orang"].columns_dict
    database.close()


def test_not_a_database_is_still_not_a_database(tmp_path):
    path = tmp_path / "catatan.db"
    path.write_bytes(b"ini bukan basis data, hanya teks biasa\n" * 200)
    with pytest.raises(DatabaseOpenError, match="bukan basis data"):
        open_database(path, passphrase=SANDI)


def test_random_bytes_the_size_of_pages_are_refused_without_change(tmp_path):
    import os

    path = tmp_path / "acak.db"
    data = os.urandom(8192)
    path.write_bytes(data)
    with pytest.raises(DatabaseOpenError, match="Kata sandi salah, atau berkas acak.db bukan basis data"):
        open_database(path, passphrase=SANDI)
    assert path.read_bytes() == data


def test_backup_of_an_encrypted_database_is_encrypted_and_verifiable(enc_path, tmp_path):
    database = open_database(enc_path, passphrase=SANDI)
    target = backup_to(database, tmp_path / "cadangan.db")
    info = sandi.key_info(database)
    database.close()
    assert NIK.encode() not in target.read_bytes()
    with pytest.raises(KnownError, match="kata sandi"):
        verify_backup(target)
    assert verify_backup(target, key=info.key)["install_id"]
    assert verify_backup(target, passphrase=SANDI)["install_id"]
    with pytest.raises(KnownError, match="Kata sandi salah"):
        verify_backup(target, passphrase="salah-sandi-123")


def test_restore_of_an_encrypted_backup(enc_path, tmp_path):
    database = open_database(enc_path, passphrase=SANDI)
    target = backup_to(database, tmp_path / "cadangan.db")
    _person(database, nama="Sesudah Cadangan", nik="6171030101900003")
    database.close()
    restore_from(enc_path, target, passphrase=SANDI)
    database = open_database(enc_path, passphrase=SANDI)
    assert [r[0] for r in database.execute("SELECT nama FROM orang")] == [NAMA]
    database.close()


def test_migrating_a_plain_database_to_encrypted(db_path, db, tmp_path):
    _person(db)
    counts = {t: db[t].count for t in ("orang", "audit", "ref_wilayah", "install")}
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    assert NIK.encode() in _all_bytes(db_path)
    info = sandi.encrypt_database(db_path, SANDI)
    assert NIK.encode() not in _all_bytes(db_path)
    assert not list(tmp_path.glob("*sementara*"))
    database = open_database(db_path, passphrase=SANDI)
    assert {t: database[t].count for t in counts} == counts
    assert database.execute("PRAGMA user_version").fetchone()[0] == version
    assert sandi.key_info(database).key == info.key
    assert integrity_problems(database) == []
    database.close()
    with pytest.raises(KnownError, match="sudah terenkripsi"):
        sandi.encrypt_database(db_path, SANDI)


def test_failed_migration_leaves_the_plain_database(db_path, db, monkeypatch):
    _person(db)
    db.close()
    before = db_path.read_bytes()

    def broken(*args, **kwargs):
        raise KnownError("Salinan terenkripsi tidak utuh (uji)")

    monkeypatch.setattr(sandi, "_verify_copy", broken)
    with pytest.raises(KnownError, match="tidak utuh"):
        sandi.encrypt_database(db_path, SANDI)
    assert db_path.read_bytes() == before
    assert not db_path.with_name(db_path.name + ".enkripsi-sementara").exists()


def test_change_passphrase(enc_path):
    sandi.change_passphrase(enc_path, old_passphrase=SANDI, new_passphrase="Sandi-Baru-2026")
    with pytest.raises(sandi.WrongPassphrase):
        open_database(enc_path, passphrase=SANDI)
    database = open_database(enc_path, passphrase="Sandi-Baru-2026")
    assert database.execute("SELECT nama FROM orang").fetchone()[0] == NAMA
    database.close()


def test_change_passphrase_with_a_wrong_old_one_changes_nothing(enc_path):
    before = _all_bytes(enc_path)
    with pytest.raises(sandi.WrongPassphrase):
        sandi.change_passphrase(enc_path, old_passphrase="salah-sandi-lama", new_passphrase="Sandi-Baru-2026")
    assert _all_bytes(enc_path) == before


def test_forgotten_passphrase_recovered_with_the_recovery_code(enc_path):
    database = open_database(enc_path, passphrase=SANDI)
    code = sandi.recovery_code(sandi.key_info(database).key)
    database.close()
    assert len(code.split("-")) == 14
    sandi.change_passphrase(enc_path, recovery=code.lower().replace("-", " "), new_passphrase="Sandi-Pulih-2026")
    database = open_database(enc_path, passphrase="Sandi-Pulih-2026")
    assert database.execute("SELECT nama FROM orang").fetchone()[0] == NAMA
    database.close()


def test_recovery_code_typos_are_caught():
    code = sandi.recovery_code(bytes(range(32)))
    assert sandi.parse_recovery_code(code) == bytes(range(32))
    typo = ("B" if code[0] != "B" else "C") + code[1:]
    with pytest.raises(KnownError, match="salah ketik"):
        sandi.parse_recovery_code(typo)
    with pytest.raises(KnownError, match="tidak lengkap"):
        sandi.parse_recovery_code(code[:-5])


def test_a_recovery_code_of_another_database_does_not_open_this_one(enc_path):
    other = sandi.recovery_code(bytes(32))
    with pytest.raises(sandi.WrongPassphrase):
        sandi.change_passphrase(enc_path, recovery=other, new_passphrase="Sandi-Pulih-2026")


def test_pending_migration_backup_of_an_encrypted_database_is_encrypted(enc_path):
    from db import schema

    @schema.migrations(name="9002_test_only")
    def _extra(database):
        database.execute("CREATE TABLE uji_migrasi (x)")

    try:
        open_database(enc_path, passphrase=SANDI).close()
        backups = list(enc_path.parent.glob("rahasia.sebelum-migrasi-*.db"))
        assert len(backups) == 1
        assert NIK.encode() not in backups[0].read_bytes()
        assert verify_backup(backups[0], passphrase=SANDI)
    finally:
        schema.migrations._migrations.pop()
