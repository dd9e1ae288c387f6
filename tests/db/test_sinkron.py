"""Exporting packages at a field install and importing them at the Dinas."""
from __future__ import annotations

import json
import sqlite3

import pytest

from db import periode, records, sinkron
from db.errors import KnownError
from exporters import package as pkg
from tests.sinkron_helpers import add_person, add_service, make_install

PALLIMA = "61.71.03.1001"
SUNGAIJAWI_DALAM = "61.71.03.1002"


@pytest.fixture
def field(tmp_path, _template_db):
    db = make_install(_template_db, tmp_path / "pallima.db", PALLIMA, operator="Siti Aminah")
    yield db
    db.close()


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "usb"
    d.mkdir()
    return d


def _fill(db):
    a = add_person(db, nama="Ahmad Yani", nik="6171030101500001")
    b = add_person(db, nama="Siti Rahma", nik="6171034101550002", jk="P", kategori="11", terlantar=0)
    add_service(db, a["orang"]["id"])
    add_service(db, b["orang"]["id"], tanggal="2025-11-20", nilai=75000)
    return a, b


def _rewrite(path, mutate):
    """Rebuild a package after ``mutate(manifest, tables)`` (a field install gone wrong)."""
    p = pkg.read_package(path)
    manifest, tables = dict(p.manifest), {t: [dict(r) for r in rows] for t, rows in p.tables.items()}
    mutate(manifest, tables)
    path.write_bytes(pkg.build_package(manifest, tables, p.rekap))
    return path


# --------------------------------------------------------------------------- export


def test_export_writes_named_package_with_every_record(field, out):
    a, _ = _fill(field)
    records.soft_delete(field, "layanan", add_service(field, a["orang"]["id"])["id"], "salah input")
    res = sinkron.export_package(field, "2025-11", out)
    assert res.path == out / "61.71.03.1001_2025-11_001.kesos"
    assert res.urutan == 1
    assert [p.name for p in out.iterdir()] == [res.path.name]
    p = pkg.read_package(res.path)
    assert p.manifest["install_id"] == field.execute("SELECT install_id FROM install").fetchone()[0]
    assert p.manifest["peran"] == "PSM" and p.manifest["operator"] == "Siti Aminah"
    assert p.counts["orang"] == 2 and p.counts["layanan"] == 3
    assert sum(1 for r in p.tables["layanan"] if r["deleted_at"]) == 1  # corrections travel too
    assert p.sha256 == res.sha256
    log = field.execute("SELECT arah, periode, urutan, sha256, hasil FROM paket_log").fetchall()
    assert log == [("keluar", "2025-11", 1, res.sha256, "ditulis")]


def test_export_closes_the_month_and_reopening_raises_the_sequence(field, out):
    _fill(field)
    summary = sinkron.package_summary(field, "2025-11")
    assert (summary.urutan, summary.ditutup, summary.terakhir) == (1, False, None)
    assert summary.counts["orang"] == {"semua": 2, "aktif": 2, "dihapus": 0}
    first = sinkron.export_package(field, "2025-11", out)
    assert periode.sudah_ditutup(field, "2025-11")
    summary = sinkron.package_summary(field, "2025-11")
    assert summary.ditutup and summary.terakhir["urutan"] == 1
    # Made again while the month stays closed: the same revision, the same name.
    again = sinkron.export_package(field, "2025-11", out)
    assert (again.urutan, again.path) == (1, first.path)
    periode.buka_kembali(field, "2025-11", "koreksi data layanan")
    assert sinkron.package_summary(field, "2025-11").nama_file == "61.71.03.1001_2025-11_002.kesos"
    second = sinkron.export_package(field, "2025-11", out)
    assert second.urutan == 2 and periode.sudah_ditutup(field, "2025-11")
    assert sinkron.export_package(field, "2025-12", out).urutan == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "61.71.03.1001_2025-11_001.kesos", "61.71.03.1001_2025-11_002.kesos", "61.71.03.1001_2025-12_001.kesos"]


def test_month_not_yet_started_cannot_be_sent(field, out, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-15")
    with pytest.raises(KnownError, match="belum berjalan"):
        sinkron.export_package(field, "2025-12", out)
    assert list(out.iterdir()) == []


def test_failed_write_takes_no_sequence_and_logs_nothing(field, out, monkeypatch):
    _fill(field)

    def pulled(*a, **k):
        raise KnownError("Folder hilang (flashdisk dicabut?).")

    monkeypatch.setattr(pkg, "write_package_file", pulled)
    with pytest.raises(KnownError, match="dicabut"):
        sinkron.export_package(field, "2025-11", out)
    assert sinkron.peek_sequence(field, "2025-11") == 1
    assert not periode.sudah_ditutup(field, "2025-11")
    assert field.execute("SELECT count(*) FROM paket_log").fetchone()[0] == 0
    assert list(out.iterdir()) == []


def test_dinas_does_not_export(dinas_db, out):
    with pytest.raises(KnownError, match="Dinas tidak membuat paket"):
        sinkron.export_package(dinas_db, "2025-11", out)


@pytest.mark.parametrize("periode", ["2025", "2025-13", "Nov 2025"])
def test_export_needs_a_month(field, out, periode):
    with pytest.raises(KnownError, match="[Pp]eriode"):
        sinkron.export_package(field, periode, out)


def test_export_to_missing_folder_is_refused(field, tmp_path):
    with pytest.raises(KnownError, match="tidak ada"):
        sinkron.export_package(field, "2025-11", tmp_path / "tidak-ada")


# --------------------------------------------------------------------------- import


def test_import_inserts_records_with_their_ids_and_install(field, dinas_db, out):
    a, b = _fill(field)
    res = sinkron.export_package(field, "2025-11", out)
    outcome = sinkron.import_package(dinas_db, res.path)
    assert outcome.hasil == "diterima", outcome.alasan
    assert outcome.jumlah["orang"] == {"baru": 2, "diperbarui": 0, "tetap": 0}
    assert outcome.line().startswith("61.71.03.1001_2025-11_001.kesos: diterima")
    row = records.get(dinas_db, "orang", a["orang"]["id"])
    assert row["nama"] == "Ahmad Yani"
    assert row["install_id"] == a["orang"]["install_id"]
    assert row["updated_at"] == a["orang"]["updated_at"]
    assert sinkron.totals(dinas_db)["layanan"] == (2, 2)
    inst = sinkron.known_installs(dinas_db)
    assert [(i["install_id"], i["kode_wilayah"], i["nama_wilayah"]) for i in inst] == [
        (a["orang"]["install_id"], PALLIMA, "Pallima")]
    log = sinkron.import_log(dinas_db)
    assert [(r["hasil"], r["periode"], r["urutan"], r["kode_wilayah"]) for r in log] == [
        ("diterima", "2025-11", 1, PALLIMA)]
    assert log[0]["dibuat_at"] and log[0]["jumlah"]["layanan"]["baru"] == 2


def test_same_package_again_changes_nothing(field, dinas_db, out):
    _fill(field)
    res = sinkron.export_package(field, "2025-11", out)
    sinkron.import_package(dinas_db, res.path)
    before = sinkron.fingerprint(dinas_db)
    again = sinkron.import_package(dinas_db, res.path)
    assert again.hasil == "tidak_berubah"
    assert "sudah pernah diimpor" in again.line()
    assert sinkron.fingerprint(dinas_db) == before
    assert [r["hasil"] for r in sinkron.import_log(dinas_db)] == ["tidak_berubah", "diterima"]


def test_newer_record_replaces_older_and_is_audited(field, dinas_db, out, monkeypatch):
    a, _ = _fill(field)
    sinkron.import_package(dinas_db, sinkron.export_package(field, "2025-11", out).path)
    periode.buka_kembali(field, "2025-11", "koreksi")
    monkeypatch.setattr(records, "now_iso", lambda: "2099-01-01T00:00:00")
    records.update(field, "orang", a["orang"]["id"], {"nama": "Ahmad Yani Putra"})
    records.soft_delete(field, "ppks", a["ppks"]["id"], "meninggal, salah kategori")
    outcome = sinkron.import_package(dinas_db, sinkron.export_package(field, "2025-11", out).path)
    assert outcome.hasil == "diterima"
    assert outcome.jumlah["orang"] == {"baru": 0, "diperbarui": 1, "tetap": 1}
    assert records.get(dinas_db, "orang", a["orang"]["id"])["nama"] == "Ahmad Yani Putra"
    assert records.get(dinas_db, "ppks", a["ppks"]["id"])["deleted_at"] is not None
    hist = records.history(dinas_db, "orang", a["orang"]["id"])
    assert hist[-1]["aksi"] == "impor_ubah"
    assert hist[-1]["lama"]["nama"] == "Ahmad Yani" and hist[-1]["baru"]["nama"] == "Ahmad Yani Putra"


def test_older_record_never_overwrites_newer(field, dinas_db, out, monkeypatch):
    a, _ = _fill(field)
    nov = sinkron.export_package(field, "2025-11", out).path
    monkeypatch.setattr(records, "now_iso", lambda: "2099-01-01T00:00:00")
    records.update(field, "orang", a["orang"]["id"], {"nama": "Nama Baru"})
    dec = sinkron.export_package(field, "2025-12", out).path
    assert sinkron.import_package(dinas_db, dec).hasil == "diterima"
    older = sinkron.import_package(dinas_db, nov)  # another month: accepted, but nothing older wins
    assert older.hasil == "diterima"
    assert older.jumlah["orang"] == {"baru": 0, "diperbarui": 0, "tetap": 2}
    assert records.get(dinas_db, "orang", a["orang"]["id"])["nama"] == "Nama Baru"


def test_older_sequence_of_the_same_month_is_refused(field, dinas_db, out):
    _fill(field)
    first = sinkron.export_package(field, "2025-11", out).path
    periode.buka_kembali(field, "2025-11", "koreksi")
    second = sinkron.export_package(field, "2025-11", out).path
    assert sinkron.import_package(dinas_db, second).hasil == "diterima"
    before = sinkron.fingerprint(dinas_db)
    outcome = sinkron.import_package(dinas_db, first)
    assert outcome.hasil == "ditolak"
    assert "urutan lebih lama" in outcome.alasan and "urutan 2" in outcome.alasan
    assert sinkron.fingerprint(dinas_db) == before


def test_package_of_another_kab_kota_is_refused(tmp_path, _template_db, dinas_db, out):
    singkawang = make_install(_template_db, tmp_path / "skw.db", "61.72.01.1001")
    add_person(singkawang, nama="Orang Singkawang", nik="6172010101500001")
    path = sinkron.export_package(singkawang, "2025-11", out).path
    outcome = sinkron.import_package(dinas_db, path)
    assert outcome.hasil == "ditolak"
    assert "di luar wilayah Dinas ini" in outcome.alasan and "61.71 Kota Pontianak" in outcome.alasan
    assert sinkron.totals(dinas_db)["orang"] == (0, 0)
    assert sinkron.known_installs(dinas_db) == []
    assert sinkron.import_log(dinas_db)[0]["alasan"] == outcome.alasan
    singkawang.close()


def test_truncated_package_is_refused_and_logged(field, dinas_db, out):
    _fill(field)
    path = sinkron.export_package(field, "2025-11", out).path
    path.write_bytes(path.read_bytes()[:-200])
    outcome = sinkron.import_package(dinas_db, path)
    assert outcome.hasil == "ditolak" and "terpotong" in outcome.alasan
    assert sinkron.totals(dinas_db)["orang"] == (0, 0)
    log = sinkron.import_log(dinas_db)
    assert (log[0]["nama_file"], log[0]["hasil"]) == (path.name, "ditolak")


@pytest.mark.parametrize("table, column, value, match", [
    ("ppks", "kategori_kode", "99", "kategori PPKS '99' tidak dikenal"),
    ("layanan", "kode_layanan", "1.06.09.2.01.0001", "kode sub-kegiatan '1.06.09.2.01.0001' tidak dikenal"),
    ("orang", "kode_wilayah", "61.71.99.1999", "kode wilayah '61.71.99.1999' tidak dikenal"),
])
def test_records_with_unknown_codes_are_refused(field, dinas_db, out, table, column, value, match):
    _fill(field)
    path = sinkron.export_package(field, "2025-11", out).path

    def bad(_m, tables):
        tables[table][-1][column] = value

    outcome = sinkron.import_package(dinas_db, _rewrite(path, bad))
    assert outcome.hasil == "ditolak"
    assert match in outcome.alasan
    assert all(n == (0, 0) for n in sinkron.totals(dinas_db).values())


@pytest.mark.parametrize("mutate, match", [
    (lambda m, t: t["orang"][0].update(install_id="LAIN"), "bukan buatan instalasi pengirim"),
    (lambda m, t: t["orang"][0].update(warna="merah"), "kolom yang tidak dikenal"),
    (lambda m, t: t["orang"][0].update(nama=None), "kolom wajib 'nama' kosong"),
    (lambda m, t: t["layanan"][0].update(orang_id="TIDAK-ADA"), "merujuk orang TIDAK-ADA"),
    (lambda m, t: t["layanan"][-1].update(jumlah=0), "melanggar aturan isian"),
    (lambda m, t: t["orang"][1].update(alamat={"jalan": "x"}), "bukan teks atau angka"),
    (lambda m, t: t["layanan"][0].update(nilai=2**70), "bukan teks atau angka"),
    (lambda m, t: m.update(peran="DINAS"), "bukan PSM/TKSK"),
    (lambda m, t: m.update(kode_wilayah="61.71"), "di luar wilayah"),
])
def test_malformed_records_refuse_the_whole_package(field, dinas_db, out, mutate, match):
    _fill(field)
    path = _rewrite(sinkron.export_package(field, "2025-11", out).path, mutate)
    outcome = sinkron.import_package(dinas_db, path)
    assert outcome.hasil == "ditolak"
    assert match in outcome.alasan
    assert all(n == (0, 0) for n in sinkron.totals(dinas_db).values())  # nothing half-imported
    assert dinas_db.execute("SELECT count(*) FROM instalasi").fetchone()[0] == 0


def test_failure_in_the_last_table_rolls_back_the_first(field, dinas_db, out, monkeypatch):
    _fill(field)
    path = sinkron.export_package(field, "2025-11", out).path
    real = sinkron._apply

    def boom(staging, progress):
        real(staging, progress)
        raise sqlite3.IntegrityError("UNIQUE constraint failed: kuitansi.install_id, kuitansi.nomor")

    monkeypatch.setattr(sinkron, "_apply", boom)
    outcome = sinkron.import_package(dinas_db, path)
    assert outcome.hasil == "ditolak" and "nomor kuitansi tercatat dua kali" in outcome.alasan
    assert all(n == (0, 0) for n in sinkron.totals(dinas_db).values())


def test_install_cannot_change_its_area(field, dinas_db, out):
    _fill(field)
    sinkron.import_package(dinas_db, sinkron.export_package(field, "2025-11", out).path)
    path = _rewrite(sinkron.export_package(field, "2025-12", out).path,
                    lambda m, t: m.update(kode_wilayah=SUNGAIJAWI_DALAM))
    outcome = sinkron.import_package(dinas_db, path)
    assert outcome.hasil == "ditolak" and "sebelumnya mengirim paket untuk 61.71.03.1001" in outcome.alasan


def test_same_nik_from_two_installs_is_kept_twice(tmp_path, _template_db, dinas_db, out):
    a = make_install(_template_db, tmp_path / "a.db", PALLIMA)
    b = make_install(_template_db, tmp_path / "b.db", SUNGAIJAWI_DALAM)
    add_person(a, nama="Budi", nik="6171030101500009")
    add_person(b, nama="Budi S.", nik="6171030101500009", kode_wilayah=SUNGAIJAWI_DALAM)
    for db in (a, b):
        assert sinkron.import_package(dinas_db, sinkron.export_package(db, "2025-11", out).path).hasil == "diterima"
        db.close()
    assert dinas_db.execute("SELECT count(*) FROM orang WHERE nik = '6171030101500009'").fetchone()[0] == 2


def test_field_database_cannot_import(field, out):
    with pytest.raises(KnownError, match="hanya di basis data Dinas"):
        sinkron.import_package(field, out / "x.kesos")


def test_import_files_expands_folders_and_reports_each(field, dinas_db, out, tmp_path):
    _fill(field)
    sinkron.export_package(field, "2025-11", out)
    sinkron.export_package(field, "2025-12", out)
    (out / "catatan.txt").write_text("bukan paket")
    junk = tmp_path / "junk.kesos"
    junk.write_bytes(b"not a zip")
    seen = []
    outcomes = sinkron.import_files(dinas_db, [out, junk], progress=lambda d, t, s: seen.append((d, t)))
    assert [(o.nama_file, o.hasil) for o in outcomes] == [
        ("61.71.03.1001_2025-11_001.kesos", "diterima"),
        ("61.71.03.1001_2025-12_001.kesos", "diterima"),
        ("junk.kesos", "ditolak"),
    ]
    assert seen[-1] == (3, 3)
    assert sinkron.import_log_count(dinas_db) == 3
    assert sinkron.import_log_count(dinas_db, "2025-12") == 1


def test_manifest_counts_are_logged_as_json(field, dinas_db, out):
    _fill(field)
    sinkron.import_package(dinas_db, sinkron.export_package(field, "2025-11", out).path)
    raw = dinas_db.execute("SELECT jumlah FROM paket_log").fetchone()[0]
    assert json.loads(raw)["orang"]["baru"] == 2


def test_deadline_day_is_clamped_to_the_month():
    import datetime as dt

    assert sinkron.periode_deadline("2025-12", 10) == dt.date(2026, 1, 10)
    assert sinkron.periode_deadline("2026-01", 31) == dt.date(2026, 2, 28)


def test_tie_on_updated_at_goes_to_the_later_package_in_any_order(field, tmp_path, _template_db, out, monkeypatch):
    """Two edits within one second: the package made later holds the later state."""
    import itertools
    import shutil

    from db.connection import open_database

    monkeypatch.setattr(records, "now_iso", lambda: "2025-12-01T08:00:00")  # every record edit: same second
    ticks = itertools.count()
    monkeypatch.setattr(sinkron, "now_iso", lambda: f"2025-12-01T09:00:{next(ticks):02d}")
    a, _ = _fill(field)
    old = sinkron.export_package(field, "2025-11", out).path
    shutil.copyfile(old, tmp_path / "old.kesos")
    records.update(field, "orang", a["orang"]["id"], {"alamat": "Jl. Baru"})
    new = sinkron.export_package(field, "2025-12", out).path
    results = []
    for order in ((tmp_path / "old.kesos", new), (new, tmp_path / "old.kesos")):
        shutil.copyfile(_template_db, tmp_path / "d.db")
        d = open_database(tmp_path / "d.db")
        from db.install import init_install

        init_install(d, kode_wilayah="61.71", operator_nama="D", peran="DINAS")
        for p in order:
            assert sinkron.import_package(d, p).ok
        results.append(records.get(d, "orang", a["orang"]["id"])["alamat"])
        d.close()
        (tmp_path / "d.db").unlink()
    assert results == ["Jl. Baru", "Jl. Baru"]


def test_two_laptops_of_one_kelurahan_with_the_same_receipt_numbers(tmp_path, _template_db, dinas_db, out):
    """Receipt numbers count per install (TT/<kode>/<tahun>/<urut>): two PSMs of Pallima both
    issue TT/61.71.03.1001/2025/00001, and the Dinas must accept both packages."""
    from db.kuitansi import pastikan_kuitansi

    numbers = []
    for name in ("a.db", "b.db"):
        db = make_install(_template_db, tmp_path / name, PALLIMA)
        person = add_person(db, nama=f"Orang {name}", nik="6171030101500001" if name == "a.db" else "6171030101500002")
        service = add_service(db, person["orang"]["id"])
        pastikan_kuitansi(db, [service["id"]])
        numbers.append(db.execute("SELECT nomor FROM kuitansi").fetchone()[0])
        result = sinkron.import_package(dinas_db, sinkron.export_package(db, "2025-11", out).path)
        assert result.hasil == "diterima", result.alasan
        db.close()
    assert numbers[0] == numbers[1]
    assert dinas_db.execute("SELECT count(*) FROM kuitansi WHERE nomor = ?", [numbers[0]]).fetchone()[0] == 2
    with pytest.raises(sqlite3.IntegrityError):
        row = dict(zip([d[0] for d in dinas_db.execute("SELECT * FROM kuitansi").description],
                       dinas_db.execute("SELECT * FROM kuitansi").fetchone()))
        row["id"] = "duplikat"
        dinas_db["kuitansi"].insert(row)


# --------------------------------------------------------------------------- one run, many packages


def _schema(db):
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


@pytest.fixture
def tunda_always(monkeypatch):
    """Set the indexes aside from the first package on (a run of real size does it by itself)."""
    monkeypatch.setattr(sinkron._Tunda, "MIN_ROWS", 0)


def _two_kelurahan_packages(tmp_path, _template_db, out):
    paths = []
    for kode, nik in ((PALLIMA, "6171030101500001"), (SUNGAIJAWI_DALAM, "6171030101500002")):
        db = make_install(_template_db, tmp_path / f"{kode}.db", kode)
        person = add_person(db, nama=f"Warga {kode}", nik=nik, kode_wilayah=kode)
        add_service(db, person["orang"]["id"])
        paths.append(sinkron.export_package(db, "2025-11", out).path)
        db.close()
    return paths


def test_a_run_sets_indexes_aside_and_leaves_the_same_schema_and_search(tunda_always, tmp_path, _template_db,
                                                                       dinas_db, out):
    before = _schema(dinas_db)
    junk = tmp_path / "junk.kesos"
    junk.write_bytes(b"not a zip")
    paths = _two_kelurahan_packages(tmp_path, _template_db, out)
    outcomes = sinkron.import_files(dinas_db, [paths[0], junk, paths[1], paths[0]])
    assert [o.hasil for o in outcomes] == ["diterima", "ditolak", "diterima", "tidak_berubah"]
    assert _schema(dinas_db) == before
    assert dinas_db.execute("SELECT count(*) FROM orang").fetchone()[0] == 2
    # the people added while the search triggers were set aside are found
    dinas_db.execute("INSERT INTO orang_fts(orang_fts) VALUES ('integrity-check')")
    hits = dinas_db.execute("SELECT rowid FROM orang_fts WHERE orang_fts MATCH 'warga'").fetchall()
    assert len(hits) == 2


def test_a_package_refused_while_indexes_are_aside_leaves_nothing(tunda_always, tmp_path, _template_db, dinas_db,
                                                                   out, monkeypatch):
    paths = _two_kelurahan_packages(tmp_path, _template_db, out)
    real = sinkron._apply

    def boom(staging, progress):
        counts = real(staging, progress)
        if staging.package.kode_wilayah == SUNGAIJAWI_DALAM:
            raise sqlite3.IntegrityError("UNIQUE constraint failed: kuitansi.install_id, kuitansi.nomor")
        return counts

    before = _schema(dinas_db)
    monkeypatch.setattr(sinkron, "_apply", boom)
    outcomes = sinkron.import_files(dinas_db, paths)
    assert [o.hasil for o in outcomes] == ["diterima", "ditolak"]
    assert dinas_db.execute("SELECT kode_wilayah FROM orang").fetchall() == [(PALLIMA,)]
    assert _schema(dinas_db) == before
    assert sinkron.import_log_count(dinas_db) == 2


def test_a_bug_in_one_package_keeps_the_packages_before_it(tunda_always, tmp_path, _template_db, dinas_db, out,
                                                           monkeypatch):
    paths = _two_kelurahan_packages(tmp_path, _template_db, out)
    real = sinkron._apply

    def bug(staging, progress):
        if staging.package.kode_wilayah == SUNGAIJAWI_DALAM:
            real(staging, progress)
            raise ZeroDivisionError("a bug")
        return real(staging, progress)

    before = _schema(dinas_db)
    monkeypatch.setattr(sinkron, "_apply", bug)
    with pytest.raises(ZeroDivisionError):
        sinkron.import_files(dinas_db, paths)
    assert not dinas_db.conn.in_transaction
    assert dinas_db.execute("SELECT kode_wilayah FROM orang").fetchall() == [(PALLIMA,)]
    assert _schema(dinas_db) == before
    assert [r["hasil"] for r in sinkron.import_log(dinas_db)] == ["diterima"]


def test_references_checked_before_writing_are_the_schemas_foreign_keys(dinas_db):
    # An import run leaves SQLite's foreign key check off because these are checked first.
    schema = {(t, fk[3]): fk[2] for t in sinkron.TABLES for fk in dinas_db.execute(f"PRAGMA foreign_key_list({t})")}
    assert schema == sinkron.REFERENCES


def test_a_run_restores_the_connection_settings(field, dinas_db, out):
    _fill(field)
    before = {k: dinas_db.execute(f"PRAGMA {k}").fetchone()[0] for k in ("foreign_keys", "temp_store", "cache_size")}
    assert before["foreign_keys"] == 1
    sinkron.import_files(dinas_db, [sinkron.export_package(field, "2025-11", out).path])
    assert {k: dinas_db.execute(f"PRAGMA {k}").fetchone()[0] for k in before} == before
