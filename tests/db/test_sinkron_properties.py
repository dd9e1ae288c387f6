"""Property: importing a set of packages in any order, or twice, gives identical totals."""
from __future__ import annotations

import itertools
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import periode, records, sinkron
from db.connection import open_database
from db.install import init_install
from tests.sinkron_helpers import add_person, add_service, make_install


@pytest.fixture(scope="module")
def world(tmp_path_factory, _template_db):
    """Packages of two kelurahan over two months, with corrections and a reopened month."""
    base = tmp_path_factory.mktemp("sinkron-world")
    out = base / "usb"
    out.mkdir()
    counter = itertools.count(1)
    mp = pytest.MonkeyPatch()
    # Distinct, increasing timestamps: every change is strictly newer than the last.
    mp.setattr(records, "now_iso", lambda: f"2025-12-01T08:00:00.{next(counter):06d}")
    try:
        paths = []
        a = make_install(_template_db, base / "a.db", "61.71.03.1001")
        b = make_install(_template_db, base / "b.db", "61.71.03.1002")
        pa1 = add_person(a, nama="A satu", nik="6171030101500001")
        pa2 = add_person(a, nama="A dua", nik="6171030101500002", kategori="11", terlantar=0)
        s1 = add_service(a, pa1["orang"]["id"])
        add_service(a, pa2["orang"]["id"], kode="1.06.04.2.01.0002")
        pb1 = add_person(b, nama="B satu", nik="6171030101500001", kode_wilayah="61.71.03.1002")  # same NIK as A
        add_service(b, pb1["orang"]["id"])
        paths.append(sinkron.export_package(a, "2025-11", out).path)
        paths.append(sinkron.export_package(b, "2025-11", out).path)
        periode.buka_kembali(a, "2025-11", "koreksi")
        records.update(a, "orang", pa1["orang"]["id"], {"nama": "A satu (perbaikan)"})
        records.soft_delete(a, "layanan", s1["id"], "dobel")
        paths.append(sinkron.export_package(a, "2025-11", out).path)
        add_person(a, nama="A tiga", nik="6171030101500003", tanggal="2025-12-02")
        paths.append(sinkron.export_package(a, "2025-12", out).path)
        records.update(b, "orang", pb1["orang"]["id"], {"alamat": "Jl. Baru"})
        add_service(b, pb1["orang"]["id"], tanggal="2025-12-05", kode="1.06.04.2.01.0003", satuan="unit")
        paths.append(sinkron.export_package(b, "2025-12", out).path)
        a.close()
        b.close()
        dinas = base / "dinas.db"
        shutil.copyfile(_template_db, dinas)
        db = open_database(dinas)
        init_install(db, kode_wilayah="61.71", operator_nama="Dinas", peran="DINAS")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        ref_db = _fresh(dinas, base / "ref.db")
        for p in paths:
            assert sinkron.import_package(ref_db, p).ok
        reference = (sinkron.totals(ref_db), sinkron.fingerprint(ref_db))
        ref_db.close()
    finally:
        mp.undo()
    assert len(set(paths)) == 5
    return {"paths": paths, "dinas": dinas, "reference": reference, "base": base}


_copies = itertools.count()


def _fresh(template, path):
    shutil.copyfile(template, path)
    return open_database(path)


def test_reference_state_has_latest_corrections(world):
    totals, _ = world["reference"]
    assert totals["orang"] == (4, 4)
    assert totals["layanan"] == (4, 3)  # one service soft-deleted by the correction


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_and_repeats_give_identical_totals(world, data):
    paths = world["paths"]
    order = data.draw(st.permutations(paths), label="order")
    repeats = data.draw(st.lists(st.sampled_from(paths), max_size=4), label="repeats")
    sequence = list(order)
    for p in repeats:
        sequence.insert(data.draw(st.integers(0, len(sequence)), label="at"), p)
    db = _fresh(world["dinas"], world["base"] / f"prop{next(_copies)}.db")
    try:
        outcomes = [sinkron.import_package(db, p) for p in sequence]
        assert (sinkron.totals(db), sinkron.fingerprint(db)) == world["reference"]
        # A package is refused only for being an older revision of a month already received.
        assert all("urutan lebih lama" in o.alasan for o in outcomes if not o.ok)
    finally:
        db.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), tunda=st.booleans())
def test_one_run_of_any_order_and_repeats_gives_identical_totals(world, data, tunda):
    """The same with every file in one run (one transaction, a savepoint per package), with or
    without the indexes and search triggers set aside for the run."""
    paths = world["paths"]
    sequence = list(data.draw(st.permutations(paths), label="order"))
    for p in data.draw(st.lists(st.sampled_from(paths), max_size=4), label="repeats"):
        sequence.insert(data.draw(st.integers(0, len(sequence)), label="at"), p)
    db = _fresh(world["dinas"], world["base"] / f"prop{next(_copies)}.db")
    schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(sinkron._Tunda, "MIN_ROWS", 0 if tunda else 10**9)
            outcomes = sinkron.import_files(db, sequence)
        assert (sinkron.totals(db), sinkron.fingerprint(db)) == world["reference"]
        assert all("urutan lebih lama" in o.alasan for o in outcomes if not o.ok)
        assert db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
        db.execute("INSERT INTO orang_fts(orang_fts) VALUES ('integrity-check')")
        living = db.execute("SELECT count(*) FROM orang WHERE deleted_at IS NULL").fetchone()[0]
        assert db.execute("SELECT count(*) FROM orang_fts WHERE orang_fts MATCH 'A OR B'").fetchone()[0] == living
    finally:
        db.close()
