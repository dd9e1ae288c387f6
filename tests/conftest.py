"""Shared fixtures. Qt runs offscreen for every test (set here, before any Qt import)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KESOS_NO_DIALOGS", "1")

import pytest  # noqa: E402

KELURAHAN = "61.71.03.1001"  # Pallima, Kec. Pontianak Barat, Kota Pontianak
# The passphrase `kesos` gets from the environment in CLI tests (issue 10): the
# `cli` fixture sets it, so `cli("init", ...)` makes an encrypted database.
TEST_PASSPHRASE = "sandi-uji-kesos"
# KESOS_TEST_SANDI=1 runs the whole suite with encrypted `db`/`dinas_db` too.
ENCRYPT_ALL = os.environ.get("KESOS_TEST_SANDI") == "1"
if ENCRYPT_ALL:
    os.environ["KESOS_PASSPHRASE"] = TEST_PASSPHRASE


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the developer's real data folder."""
    monkeypatch.setenv("KESOS_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    if ENCRYPT_ALL:
        monkeypatch.setenv("KESOS_PASSPHRASE", TEST_PASSPHRASE)
    else:
        monkeypatch.delenv("KESOS_PASSPHRASE", raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "kesos.db"


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory):
    """A migrated database with reference data loaded, made once per session.

    Loading the national area list takes ~0.5 s; copying a ready file takes
    milliseconds, so each test still gets its own fresh database.
    """
    from db.connection import open_database

    path = tmp_path_factory.mktemp("template") / "template.db"
    database = open_database(path, create=True, passphrase=TEST_PASSPHRASE if ENCRYPT_ALL else None)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def empty_db_path(db_path, _template_db):
    """A migrated database file with reference data but no install yet."""
    import shutil

    shutil.copyfile(_template_db, db_path)
    return db_path


@pytest.fixture
def db(empty_db_path):
    """A fresh, initialised kelurahan database (PSM of Pallima)."""
    from db.connection import open_database
    from db.install import init_install

    database = open_database(empty_db_path)
    init_install(database, kode_wilayah=KELURAHAN, operator_nama="Siti Aminah", peran="PSM", lurah_nama="Budi Santoso")
    yield database
    database.close()


@pytest.fixture
def dinas_db(tmp_path, _template_db):
    import shutil

    from db.connection import open_database
    from db.install import init_install

    shutil.copyfile(_template_db, tmp_path / "dinas.db")
    database = open_database(tmp_path / "dinas.db")
    init_install(database, kode_wilayah="61.71", operator_nama="Operator Dinas", peran="DINAS")
    yield database
    database.close()


@pytest.fixture
def cli(db_path, capsys, monkeypatch):
    """Run `kesos --db <db_path> ...` in-process; returns (exit code, stdout, stderr).

    KESOS_PASSPHRASE is set (TEST_PASSPHRASE), so `init` makes an encrypted
    database; a test wanting a plain one passes `--tanpa-sandi` to `init`.
    """
    from desktop.cli.main import main

    monkeypatch.setenv("KESOS_PASSPHRASE", TEST_PASSPHRASE)

    def _run(*args, db=None):
        code = main(["--db", str(db or db_path), *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def read_only_dir(tmp_path):
    """Put a file in a read-only place: a read-only tmpfs when root (root ignores
    permission bits), else a folder without write permission. Returns a function
    ``file -> path of the read-only copy``."""
    import os
    import shutil
    import subprocess

    mounts = []
    dirs = []

    def _make(src):
        target_dir = tmp_path / f"ro{len(mounts) + len(dirs)}"
        target_dir.mkdir()
        if os.geteuid() == 0:
            if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(target_dir)]).returncode:
                pytest.skip("cannot mount a tmpfs here")
            mounts.append(target_dir)
            shutil.copyfile(src, target_dir / src.name)
            subprocess.run(["mount", "-o", "remount,ro", str(target_dir)], check=True)
        else:
            shutil.copyfile(src, target_dir / src.name)
            os.chmod(target_dir / src.name, 0o444)
            os.chmod(target_dir, 0o555)
            dirs.append(target_dir)
        return target_dir / src.name

    yield _make
    for m in mounts:
        subprocess.run(["umount", "-l", str(m)])
    for d in dirs:
        os.chmod(d, 0o755)
