"""The indicator engine's behaviour beyond the hand-built month: periods, definitions, targets."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from db import indikator as ik
from db import records
from db.errors import KnownError
from tests.db import rekap_fixture as F


def test_periods():
    dec = ik.Periode.dari("2025-12")
    assert (dec.mulai, dec.akhir, dec.kode, dec.teks, dec.label) == (
        dt.date(2025, 12, 1), dt.date(2025, 12, 31), "202512", "2025-12", "Desember 2025")
    ytd = dec.tahun_berjalan()
    assert (ytd.mulai, ytd.akhir, ytd.label) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "Januari s.d. Desember 2025")
    assert ik.Periode.dari("2024-02").akhir == dt.date(2024, 2, 29)
    year = ik.Periode.dari("2025")
    assert (year.kode, year.label, year.akhir) == ("2025", "Tahun 2025", dt.date(2025, 12, 31))
    assert ik.Periode.dari("2025-01").bulan_sebelumnya(2).teks == "2024-11"
    rng = ik.Periode.rentang("2025-12-05", "2025-12-10")
    assert rng.label == "5 Desember 2025 s.d. 10 Desember 2025"
    with pytest.raises(KnownError):
        ik.Periode.dari("2025-13")
    with pytest.raises(KnownError):
        ik.Periode.rentang("2025-12-10", "2025-12-05")


def test_empty_database_gives_zeros_not_errors(db):
    r = ik.hitung_indikator(db, "2025-12", F.A)
    assert r["PPKS_TERTANGANI"].numerator == 0 and r["PPKS_TERTANGANI"].nilai is None
    assert all(v.numerator == 0 for v in r.values())
    # definition order: the eight percentages, then one output per sub-kegiatan
    assert list(r)[:8] == ["PPKS_TERTANGANI", "SPM_DISABILITAS", "SPM_ANAK", "SPM_LANSIA", "SPM_GEPENG",
                           "SPM_BENCANA", "PSKS_DIBINA", "KPM_BANSOS"]
    assert ik.hasil_kosong(db)["OUT_1.06.04.2.01.0003"].ukuran == {
        "penerima": 0, "jumlah_layanan": 0, "kuantitas": 0, "nilai": 0}


def test_any_date_range_and_whole_database(db):
    F.build(db)
    # 1-10 Dec in A: active = the same 21 as for the month (P03 and P18 registered before the 10th,
    #   P11 on the 1st, nobody closed before the 1st); served in 1-10 Dec: P01 (5/12), P06 P07 (3/12),
    #   P10 (9/12), P15 P16 (KK1 10/12), P17 (10/12), P20 (2/12), P21 (7/12), P25 (via P23 5/12) = 10
    r = ik.hitung_indikator(db, ik.Periode.rentang("2025-12-01", "2025-12-10"), F.A)
    assert (r["PPKS_TERTANGANI"].numerator, r["PPKS_TERTANGANI"].denominator) == (10, 21)
    whole = ik.hitung_indikator(db, "2025-12", None, ids=["PPKS_TERTANGANI", "SPM_BENCANA"])
    assert list(whole) == ["PPKS_TERTANGANI", "SPM_BENCANA"]
    # whole database = the kecamatan here (every record is under 61.71.03)
    assert (whole["PPKS_TERTANGANI"].numerator, whole["PPKS_TERTANGANI"].denominator) == (16, 22)
    with pytest.raises(KnownError, match="tidak dikenal"):
        ik.hitung_indikator(db, "2025-12", F.A, ids=["TIDAK_ADA"])


def test_cancelling_or_deleting_a_service_changes_the_numbers(db):
    F.build(db)
    before = ik.hitung_indikator(db, "2025-12", F.A)["OUT_1.06.04.2.01.0003"].ukuran["penerima"]
    lid = db.execute("SELECT l.id FROM layanan l JOIN orang o ON o.id = l.orang_id "
                     "WHERE o.nama = 'Orang P07' AND l.kode_layanan = '1.06.04.2.01.0003'").fetchone()[0]
    records.update(db, "layanan", lid, {"status": "batal", "alasan_batal": "salah orang", "tanggal_batal": "2025-12-04"})
    after = ik.hitung_indikator(db, "2025-12", F.A)
    assert (before, after["OUT_1.06.04.2.01.0003"].ukuran["penerima"]) == (2, 1)
    # P07 had no other service: PPKS_TERTANGANI loses one
    assert after["PPKS_TERTANGANI"].numerator == 14


def test_engine_follows_the_definitions_in_reference_data(db):
    F.build(db)
    row = db.execute("SELECT json FROM ref_indikator WHERE id = 'PPKS_TERTANGANI'").fetchone()[0]
    d = json.loads(row)
    d["numerator"]["kode_layanan_prefix"] = "1.06.04.2.01"  # count only SPM services as "tertangani"
    db.execute("UPDATE ref_indikator SET json = ? WHERE id = 'PPKS_TERTANGANI'", [json.dumps(d)])
    r = ik.hitung_indikator(db, "2025-12", F.A, ids=["PPKS_TERTANGANI"])
    # served with SPM services: P01 P03 P06 P07 P08 P10 P12 P22 P25 = 9 (no longer P13 P15 P16 P17 P20 P21)
    assert r["PPKS_TERTANGANI"].numerator == 9
    d["numerator"]["hitung"] = "tidak_ada"
    db.execute("UPDATE ref_indikator SET json = ? WHERE id = 'PPKS_TERTANGANI'", [json.dumps(d)])
    with pytest.raises(KnownError, match="tidak_ada"):
        ik.hitung_indikator(db, "2025-12", F.A, ids=["PPKS_TERTANGANI"])


def test_temp_tables_are_dropped(db):
    F.build(db)
    ik.hitung_indikator(db, "2025-12", F.A)
    ik.ppks_per_kategori(db, "2025-12", F.A)
    assert db.execute("SELECT count(*) FROM sqlite_temp_master WHERE type = 'table'").fetchone()[0] == 0


def test_unknown_area_code_is_refused(db):
    with pytest.raises(KnownError, match="tidak sah"):
        ik.hitung_indikator(db, "2025-12", "Pallima")


def test_targets_achievement_and_verdict(db):
    F.build(db)
    ik.set_target(db, 2025, "PPKS_TERTANGANI", F.A, 85.3)
    ik.set_target(db, 2025, "PPKS_TERTANGANI", F.A, 90)  # changing keeps one row
    ik.set_target(db, 2025, "OUT_1.06.04.2.01.0003", F.A, 4)
    assert ik.targets(db, 2025, F.A) == {"PPKS_TERTANGANI": 90.0, "OUT_1.06.04.2.01.0003": 4.0}
    assert db.execute("SELECT count(*) FROM target WHERE deleted_at IS NULL").fetchone()[0] == 2
    ytd = ik.hitung_indikator(db, ik.Periode.dari("2025-12").tahun_berjalan(), F.A)
    p = ik.penilaian(db, ytd, 2025, F.A)
    # realisasi 17/22 = 77.27 %; capaian 77.27 / 90 = 85.86 % -> Pontianak scale "> 85" Sangat Berhasil
    assert p["PPKS_TERTANGANI"]["capaian"] == pytest.approx(17 / 22 * 100 / 90 * 100)
    assert p["PPKS_TERTANGANI"]["predikat"] == "Sangat Berhasil"
    # 2 recipients of alat bantu against a target of 4 -> 50 % -> Tidak Berhasil (<= 55)
    assert (p["OUT_1.06.04.2.01.0003"]["capaian"], p["OUT_1.06.04.2.01.0003"]["predikat"]) == (50.0, "Tidak Berhasil")
    from db.install import set_setting

    set_setting(db, ik.SETTING_SKALA, "METRO")
    assert ik.predikat(db, 50.0) == "Sangat Rendah" and ik.predikat(db, 90.5) == "Tinggi"
    assert ik.capaian(20, 10, "turun") == 50.0 and ik.capaian(None, 10) is None and ik.capaian(5, 0) is None
    with pytest.raises(KnownError):
        ik.set_target(db, 2025, "TIDAK_ADA", F.A, 1)
    with pytest.raises(KnownError):
        ik.set_target(db, 2025, "PPKS_TERTANGANI", F.A, "banyak")


def test_disaster_window_includes_its_last_day_and_household_aid(db):
    """Window = event day .. event day + lama (db.bencana.akhir_masa_tanggap), both inclusive."""
    ev = records.insert(db, "bencana", {"kelompok": "alam", "jenis_kode": "banjir", "tanggal": "2025-12-01",
                                        "kode_wilayah": F.A, "lama_tanggap_darurat": 7})["id"]
    people = {}
    for key, kk in (("a", F.KK1), ("b", F.KK2), ("c", F.KK3), ("d", None)):
        people[key] = records.insert(db, "orang", {"nama": key, "kode_wilayah": F.A, "no_kk": kk})["id"]
        records.insert(db, "korban", {"bencana_id": ev, "orang_id": people[key]})

    def aid(orang_id, tanggal, no_kk=None):
        records.insert(db, "layanan", {"orang_id": orang_id, "no_kk": no_kk, "kode_layanan": "1.06.06.2.01.0001",
                                       "tanggal": tanggal, "jumlah": 1, "satuan": "paket", "bencana_id": ev})

    aid(people["a"], "2025-12-08")  # the 8th = 1 Dec + 7 days: last day of the window -> in time
    aid(people["b"], "2025-12-09")  # one day late
    aid(None, "2025-12-02", no_kk=F.KK3)  # to c's household, no person named -> c served in time
    r = ik.hitung_indikator(db, "2025-12", F.A, ids=["SPM_BENCANA"])["SPM_BENCANA"]
    assert (r.numerator, r.denominator) == (2, 4)


def test_psks_person_with_two_types_counts_once(db):
    def psks(jenis, nik_):
        return records.insert(db, "psks", {"jenis_kode": jenis, "bentuk": "orang", "nama": "Bu Sari", "nik": nik_,
                                           "kode_wilayah": F.A, "tanggal_mulai_aktif": "2024-01-01"})["id"]

    tagana = psks("TAGANA", F.nik(501))
    psks("PSM", F.nik(501))
    psks("PSM", F.nik(502))
    g = records.insert(db, "kegiatan", {"nama": "Latihan", "jenis": "pelatihan", "kode_layanan": "1.06.06.2.02.0002",
                                        "tanggal_mulai": "2025-12-03", "tanggal_selesai": "2025-12-03"})["id"]
    records.insert(db, "kegiatan_peserta", {"kegiatan_id": g, "psks_id": tagana, "hadir": 1})
    r = ik.hitung_indikator(db, "2025-12", F.A)
    assert (r["PSKS_DIBINA"].numerator, r["PSKS_DIBINA"].denominator) == (1, 2)
    rows = {x["kode"]: x for x in ik.psks_per_jenis(db, "2025-12", F.A)}
    # coached as Tagana, not as PSM; each type's row counts the person
    assert (rows["TAGANA"]["aktif"], rows["TAGANA"]["dibina"], rows["PSM"]["aktif"], rows["PSM"]["dibina"]) == (1, 1, 2, 0)
    assert r["OUT_1.06.06.2.02.0002"].ukuran == {"peserta": 1, "kegiatan": 1}
