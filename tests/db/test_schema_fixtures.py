"""Every released schema's database still opens, migrates and reads (TagStudio's idea).

tests/fixtures/schema/kesos-<version>.db is made by make_fixture.py at each
release; a new release adds a file, never replaces one.
"""
import shutil
from pathlib import Path

import pytest

from db import schema
from db.connection import integrity_problems, open_database
from db.install import get_install, record_counts

FIXTURES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "schema").glob("kesos-*.db"))


def test_there_is_a_fixture_per_release():
    assert FIXTURES, "no released-schema fixture found"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_released_database_opens_and_migrates(fixture, tmp_path):
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    db = open_database(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.latest_version()
        assert get_install(db).kode_wilayah == "61.71.03.1001"
        counts = record_counts(db)
        assert all(counts[k] >= 1 for k in ("orang", "ppks", "layanan", "bencana", "korban", "psks", "kegiatan"))
        assert integrity_problems(db) == []
        assert db.execute("SELECT count(*) FROM ref_wilayah").fetchone()[0] > 80000
        nomor = db.execute("SELECT nomor FROM kuitansi").fetchone()[0]
        assert nomor == "TT/61.71.03.1001/2025/00001"
    finally:
        db.close()
