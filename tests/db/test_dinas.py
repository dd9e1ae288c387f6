"""Completeness, duplicates, targets and verdicts at a Dinas install."""
from __future__ import annotations

import datetime as dt

import pytest

from db import dinas, records, sinkron
from db.errors import KnownError
from tests.sinkron_helpers import add_person, add_service, make_install, tick_clock

PALLIMA, SUNGAIJAWI_DALAM, AKCAYA = "61.71.03.1001", "61.71.03.1002", "61.71.01.1006"


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "usb"
    d.mkdir()
    return d


@pytest.fixture
def make(tmp_path, _template_db):
    opened = []

    def _make(kode, peran="PSM"):
        db = make_install(_template_db, tmp_path / f"{kode}-{len(opened)}.db", kode, peran=peran)
        opened.append(db)
        return db

    yield _make
    for db in opened:
        db.close()


def _send(dinas_db, field, periode, out, *, made_at: str | None = None, monkeypatch=None):
    if made_at:
        monkeypatch.setattr(sinkron, "now_iso", lambda: made_at)
    outcome = sinkron.import_package(dinas_db, sinkron.export_package(field, periode, out).path)
    assert outcome.ok, outcome.alasan
    return outcome


# --------------------------------------------------------------------------- completeness


def test_month_lists_every_kelurahan_with_on_time_late_and_missing(make, dinas_db, out, monkeypatch):
    a, b = make(PALLIMA), make(AKCAYA)
    _send(dinas_db, a, "2025-11", out, made_at="2025-12-10T16:00:00", monkeypatch=monkeypatch)
    _send(dinas_db, b, "2025-11", out, made_at="2025-12-11T08:00:00", monkeypatch=monkeypatch)
    k = dinas.kelengkapan_bulan(dinas_db, "2025-11", hari_ini=dt.date(2026, 1, 5))
    assert k.batas == "2025-12-10"
    assert k.jumlah_wilayah == 29
    by = {r["kode"]: r for r in k.baris}
    assert by[PALLIMA]["status"] == "tepat_waktu" and by[PALLIMA]["dikirim"] == "2025-12-10T16:00:00"
    assert by[PALLIMA]["urutan"] == 1 and by[PALLIMA]["kecamatan_nama"] == "Pontianak Barat"
    assert by[AKCAYA]["status"] == "terlambat" and by[AKCAYA]["status_label"] == "Terlambat"
    assert by[SUNGAIJAWI_DALAM]["status"] == "belum" and by[SUNGAIJAWI_DALAM]["dikirim"] is None
    assert (k.mengirim, k.tepat_waktu, k.terlambat, k.belum) == (2, 1, 1, 27)
    assert k.persen == pytest.approx(2 / 29 * 100)


def test_deadline_day_is_a_setting(make, dinas_db, out, monkeypatch):
    a = make(PALLIMA)
    _send(dinas_db, a, "2025-11", out, made_at="2025-12-12T09:00:00", monkeypatch=monkeypatch)
    assert dinas.batas_hari(dinas_db) == 10
    dinas.set_batas_hari(dinas_db, 15)
    k = dinas.kelengkapan_bulan(dinas_db, "2025-11", hari_ini=dt.date(2026, 1, 5))
    assert k.batas == "2025-12-15"
    assert {r["kode"]: r["status"] for r in k.baris}[PALLIMA] == "tepat_waktu"
    with pytest.raises(KnownError, match="antara 1 dan 31"):
        dinas.set_batas_hari(dinas_db, 0)


def test_missing_before_the_deadline_is_waiting(dinas_db):
    k = dinas.kelengkapan_bulan(dinas_db, "2025-11", hari_ini=dt.date(2025, 12, 3))
    assert {r["status"] for r in k.baris} == {"menunggu"}
    k = dinas.kelengkapan_bulan(dinas_db, "2025-12", hari_ini=dt.date(2025, 11, 3))
    assert {r["status"] for r in k.baris} == {"akan_datang"}


def test_refused_packages_do_not_count_as_sent(make, dinas_db, out, monkeypatch):
    a = make(PALLIMA)
    path = sinkron.export_package(a, "2025-11", out).path
    path.write_bytes(path.read_bytes()[:100])
    assert sinkron.import_package(dinas_db, path).hasil == "ditolak"
    k = dinas.kelengkapan_bulan(dinas_db, "2025-11", hari_ini=dt.date(2026, 1, 5))
    assert k.mengirim == 0


def test_first_package_decides_on_time_later_revision_shows_its_sequence(make, dinas_db, out, monkeypatch):
    from db import periode

    a = make(PALLIMA)
    _send(dinas_db, a, "2025-11", out, made_at="2025-12-02T09:00:00", monkeypatch=monkeypatch)
    periode.buka_kembali(a, "2025-11", "koreksi")
    _send(dinas_db, a, "2025-11", out, made_at="2025-12-20T09:00:00", monkeypatch=monkeypatch)
    row = next(r for r in dinas.kelengkapan_bulan(dinas_db, "2025-11").baris if r["kode"] == PALLIMA)
    assert (row["status"], row["urutan"], row["dikirim"]) == ("tepat_waktu", 2, "2025-12-02T09:00:00")


def test_tksk_kecamatan_install_gets_its_own_row(make, dinas_db, out):
    t = make("61.71.03", peran="TKSK")
    _send(dinas_db, t, "2025-11", out)
    k = dinas.kelengkapan_bulan(dinas_db, "2025-11")
    extra = [r for r in k.baris if r["kode"] == "61.71.03"]
    assert extra and extra[0]["nama"] == "Pontianak Barat"
    assert k.jumlah_wilayah == 29 and k.mengirim == 0


def test_year_grid(make, dinas_db, out, monkeypatch):
    a = make(PALLIMA)
    _send(dinas_db, a, "2025-10", out, made_at="2025-11-05T09:00:00", monkeypatch=monkeypatch)
    _send(dinas_db, a, "2025-11", out, made_at="2025-12-25T09:00:00", monkeypatch=monkeypatch)
    grid = dinas.kelengkapan_tahun(dinas_db, 2025, hari_ini=dt.date(2025, 12, 27))
    assert grid["bulan"][0] == "2025-01" and len(grid["bulan"]) == 12
    row = next(r for r in grid["baris"] if r["kode"] == PALLIMA)
    assert row["sel"]["2025-10"] == "tepat_waktu"
    assert row["sel"]["2025-11"] == "terlambat"
    assert row["sel"]["2025-09"] == "belum"
    assert row["sel"]["2025-12"] == "menunggu"
    assert grid["ringkasan"]["2025-10"] == {"mengirim": 1, "tepat_waktu": 1, "jumlah": 29}


def test_completeness_only_at_a_dinas(db):
    with pytest.raises(KnownError, match="hanya untuk basis data Dinas"):
        dinas.kelengkapan_bulan(db, "2025-11")


# --------------------------------------------------------------------------- duplicates


def test_same_nik_in_two_installs_is_listed_side_by_side(make, dinas_db, out):
    a, b, c = make(PALLIMA), make(SUNGAIJAWI_DALAM), make(AKCAYA)
    pa = add_person(a, nama="Sarip", nik="6171030101400007", kategori="8")
    add_service(a, pa["orang"]["id"])
    add_person(b, nama="Syarif", nik="6171030101400007", kategori="9", kode_wilayah=SUNGAIJAWI_DALAM)
    add_person(c, nama="Orang Lain", nik="6171030101400008")
    add_person(a, nama="Tanpa NIK", sementara="SEM-1")
    add_person(b, nama="tanpa nik ", sementara="SEM-2", kode_wilayah=SUNGAIJAWI_DALAM)
    for f in (a, b, c):
        _send(dinas_db, f, "2025-11", out)
    pairs = dinas.duplikat(dinas_db)
    assert [p["dasar"] for p in pairs] == ["NIK", "nama + tanggal lahir"]
    first = pairs[0]
    assert first["kunci"] == "6171030101400007"
    assert (first["a"]["nama"], first["a"]["nama_wilayah"], first["a"]["kategori"], first["a"]["jumlah_layanan"]) == (
        "Sarip", "Pallima", "8", 1)
    assert (first["b"]["nama"], first["b"]["nama_wilayah"], first["b"]["kategori"]) == (
        "Syarif", "Sungaijawi Dalam", "9")
    assert first["a"]["wilayah_instalasi"] == PALLIMA
    assert dinas.jumlah_duplikat(dinas_db) == 1
    assert dinas.duplikat(dinas_db, dengan_petunjuk=False) == pairs[:1]


def test_deleted_record_is_no_longer_a_duplicate(make, dinas_db, out, monkeypatch):
    from db import periode

    tick_clock(monkeypatch)
    a, b = make(PALLIMA), make(SUNGAIJAWI_DALAM)
    pa = add_person(a, nama="Sarip", nik="6171030101400007")
    add_person(b, nama="Sarip", nik="6171030101400007", kode_wilayah=SUNGAIJAWI_DALAM)
    _send(dinas_db, a, "2025-11", out)
    _send(dinas_db, b, "2025-11", out)
    assert dinas.jumlah_duplikat(dinas_db) == 1
    periode.buka_kembali(a, "2025-11", "hapus data ganda")
    records.soft_delete(a, "orang", pa["orang"]["id"], "terdaftar di Sungaijawi Dalam")
    _send(dinas_db, a, "2025-11", out)
    assert dinas.jumlah_duplikat(dinas_db) == 0
    assert dinas.duplikat(dinas_db) == []


# --------------------------------------------------------------------------- targets and verdicts


def test_targets_scale_and_verdicts(make, dinas_db, out):
    a = make(PALLIMA)
    for i in range(4):
        p = add_person(a, nama=f"Lansia {i}", nik=f"617103010140001{i}", kategori="8")
        if i < 3:
            add_service(a, p["orang"]["id"])
    _send(dinas_db, a, "2025-11", out)
    rows = {r["id"]: r for r in dinas.daftar_target(dinas_db, 2025)}
    assert rows["SPM_LANSIA"]["target"] is None and "OUT_1.06.04.2.01.0001" in rows
    dinas.simpan_target(dinas_db, 2025, "SPM_LANSIA", "100")
    dinas.simpan_target(dinas_db, 2025, "OUT_1.06.04.2.01.0001", "4")
    dinas.simpan_target(dinas_db, 2025, "PPKS_TERTANGANI", "85,3")
    assert {r["id"]: r["target"] for r in dinas.daftar_target(dinas_db, 2025)}["PPKS_TERTANGANI"] == 85.3
    result = {r["id"]: r for r in dinas.penilaian(dinas_db, "2025-11")}
    assert result["SPM_LANSIA"]["realisasi"] == pytest.approx(75.0)
    assert result["SPM_LANSIA"]["capaian"] == pytest.approx(75.0)
    assert result["SPM_LANSIA"]["predikat"] == "Berhasil"  # Pontianak: 70 < x <= 85
    assert result["OUT_1.06.04.2.01.0001"]["realisasi"] == 3
    assert result["OUT_1.06.04.2.01.0001"]["capaian"] == pytest.approx(75.0)
    assert dinas.skala_dipilih(dinas_db) == "PONTIANAK"
    dinas.pilih_skala(dinas_db, "metro")
    assert dinas.skala_dipilih(dinas_db) == "METRO"
    result = {r["id"]: r for r in dinas.penilaian(dinas_db, "2025")}
    assert result["SPM_LANSIA"]["predikat"] == "Sedang"  # Metro: 66-75
    with pytest.raises(KnownError, match="tidak dikenal"):
        dinas.pilih_skala(dinas_db, "JAKARTA")
    dinas.simpan_target(dinas_db, 2025, "SPM_LANSIA", "")
    assert "SPM_LANSIA" not in {r["id"] for r in dinas.penilaian(dinas_db, "2025")}
    with pytest.raises(KnownError, match="angka"):
        dinas.simpan_target(dinas_db, 2025, "SPM_LANSIA", "seratus")


def test_target_value_parsing():
    assert dinas.parse_target("1.500") == 1500
    assert dinas.parse_target("85,3%") == 85.3
