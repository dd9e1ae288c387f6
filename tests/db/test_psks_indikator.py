"""PSKS_DIBINA and the outputs of PSKS events (DOMAIN.md §8), with Pontianak 2025."""
import pytest

from db import kegiatan as keg_db, psks as psks_db
from db.psks_indikator import output_kegiatan, psks_dibina, psks_per_jenis
from tests.db.psks_data import make_psks, nik

# Kelurahan of Kota Pontianak the register is spread over (one per kecamatan).
AREAS = ["61.71.01.1002", "61.71.02.1001", "61.71.03.1001", "61.71.04.1001", "61.71.05.1001", "61.71.06.1001"]


@pytest.fixture
def pontianak_2025(db, monkeypatch):
    """LKjIP 2025 Dinas Sosial Kota Pontianak (seed 002), sub-kegiatan 1.2.1 "Peningkatan Potensi
    Sumber Kesejahteraan Sosial Masyarakat": realisasi 134 orang, "rapat koordinasi dan evaluasi bersama
    24 Orang Pendamping Rehabilitasi Sosial, 26 Orang TKSK, 50 Orang Tagana dan 34 Orang Fasilitator
    SLRT". The seed names the line without a code; its nearest catalogue line is 1.06.02.2.03.0004
    (Peningkatan Kemampuan Potensi Sumber Kesejahteraan Sosial Kelembagaan Masyarakat).

    Register built around it (n = NIK/registration number):
      attending the rakor:  24 PENDAMPING_REHSOS + 26 TKSK + 50 TAGANA + 34 FAS_SLRT = 134
      active, not invited:  12 TAGANA (the seed's other Tagana count is 62 = 50 + 12)
      active, invited but absent (hadir = Tidak): 6 PSM
      active, one institution: 1 LKS
      Tagana n=200 also registered as PSM (same NIK): the same person, counted once
      deactivated 31/12/2024 (before 2025): 3 TKSK                 -> not active in 2025
      deactivated 30/06/2025 (during 2025): 2 FAS_SLRT             -> active in 2025, not in Nov
      registered from 05/01/2026: 1 PSM                            -> not active in 2025
      soft-deleted: 1 PSM                                          -> never counted
      in Kota Metro (18.72): 1 PSM                                 -> outside 61.71
    A second event, Tagana training on 10/08/2025 (1.06.06.2.02.0002), is attended by 20 of the
    same 50 Tagana: they are coached twice but counted once.
    """
    monkeypatch.setenv("KESOS_TODAY", "2025-12-31")
    n = iter(range(200, 400))
    peserta: dict[str, bool] = {}
    groups = {}
    for jenis, count in (("PENDAMPING_REHSOS", 24), ("TKSK", 26), ("TAGANA", 50), ("FAS_SLRT", 34)):
        groups[jenis] = []
        for i in range(count):
            rec = make_psks(db, jenis, next(n), kode_wilayah=AREAS[i % 6])
            groups[jenis].append(rec)
            peserta[rec["id"]] = True
    assert len(peserta) == 134
    for i in range(12):
        make_psks(db, "TAGANA", next(n), kode_wilayah=AREAS[i % 6])
    for i in range(6):
        peserta[make_psks(db, "PSM", next(n), kode_wilayah=AREAS[i % 6])["id"]] = False
    psks_db.create_psks(db, {"jenis_kode": "LKS", "nama": "LKS Bina Ummat", "kode_wilayah": "61.71.03",
                             "nama_ketua": "H. Abdullah", "tanggal_mulai_aktif": "2020-05-01"})
    first_tagana = groups["TAGANA"][0]
    make_psks(db, "PSM", 200 + 24 + 26, nama=first_tagana["nama"], nik=first_tagana["nik"],
              nomor_registrasi="PSM-DOUBLE")
    assert first_tagana["nik"] == nik(250)
    for _ in range(3):
        rec = make_psks(db, "TKSK", next(n))
        psks_db.deactivate_psks(db, rec["id"], "2024-12-31")
    for _ in range(2):
        rec = make_psks(db, "FAS_SLRT", next(n))
        psks_db.deactivate_psks(db, rec["id"], "2025-06-30")
    make_psks(db, "PSM", next(n), tanggal_mulai_aktif="2026-01-05")
    deleted = make_psks(db, "PSM", next(n))
    psks_db.delete_psks(db, deleted["id"], "data ganda")
    make_psks(db, "PSM", next(n), kode_wilayah="18.72.01.1001", nik=nik(399, kecamatan="187201"))

    rakor = keg_db.create_kegiatan(db, {
        "kode_kegiatan": "RAKOR-2025", "nama": "Rapat Koordinasi dan Evaluasi PSKS Kota Pontianak",
        "jenis": "rapat_koordinasi", "kode_layanan": "1.06.02.2.03.04", "tanggal_mulai": "2025-11-20",
        "tanggal_selesai": "2025-11-20", "penyelenggara": "Dinas Sosial Kota Pontianak", "tempat": "Aula Dinsos",
    }, peserta)
    latihan = keg_db.create_kegiatan(db, {
        "nama": "Pelatihan Tagana", "jenis": "pelatihan", "kode_layanan": "1.06.06.2.02.02",
        "tanggal_mulai": "2025-08-10", "tanggal_selesai": "2025-08-12",
    }, {r["id"]: True for r in groups["TAGANA"][:20]})
    return {"rakor": rakor, "latihan": latihan, "groups": groups}


def test_rakor_output_is_134_persons(db, pontianak_2025):
    out = output_kegiatan(db, "1.06.02.2.03.0004", "61.71", "2025-01-01", "2025-12-31")
    assert out["distinct_persons"] == 134
    assert out["per_jenis"] == {"PENDAMPING_REHSOS": 24, "TKSK": 26, "TAGANA": 50, "FAS_SLRT": 34}
    assert out["jumlah_kegiatan"] == 1
    assert out["undangan"] == 140  # 134 + 6 absent PSM
    assert out["kehadiran"] == 134
    # The whole kegiatan (prefix) gives the same; the 2-digit code is the same line.
    assert output_kegiatan(db, "1.06.02.2.03.*", "61.71", "2025-01-01", "2025-12-31")["distinct_persons"] == 134
    assert output_kegiatan(db, "1.06.02.2.03.04", "61.71", "2025-11-01", "2025-11-30")["distinct_persons"] == 134
    # October has no rakor.
    assert output_kegiatan(db, "1.06.02.2.03.04", "61.71", "2025-10-01", "2025-10-31")["distinct_persons"] == 0
    # Kec. Pontianak Barat (61.71.03) sees only its own PSKS: member i of each group lives in AREAS[i % 6],
    # so i = 2, 8, 14, ...: 4 of 24 Pendamping, 4 of 26 TKSK, 8 of 50 Tagana, 6 of 34 SLRT.
    assert output_kegiatan(db, "1.06.02.2.03.04", "61.71.03", "2025-01-01", "2025-12-31")["distinct_persons"] == (
        4 + 4 + 8 + 6)


def test_tagana_output_counts_training_only(db, pontianak_2025):
    out = output_kegiatan(db, "1.06.06.2.02.02", "61.71", "2025-01-01", "2025-12-31")
    assert (out["distinct_persons"], out["jumlah_kegiatan"]) == (20, 1)


def test_psks_dibina_year_2025_exact(db, pontianak_2025):
    # Denominator: active in 2025 within 61.71, persons counted once:
    #   134 attending + 12 Tagana not invited + 6 PSM absent + 1 LKS
    #   + 2 Fasilitator SLRT deactivated 30/06/2025 (still active in part of 2025)          = 155
    #   (the Tagana who is also PSM is one person; 3 TKSK gone in 2024, the PSM starting
    #   in 2026, the deleted PSM and the Metro PSM are not counted)
    # Numerator: active and attended >= 1 event in 2025: the 134 (20 Tagana trained twice count once).
    r = psks_dibina(db, "61.71", "2025-01-01", "2025-12-31")
    assert (r["numerator"], r["denominator"]) == (134, 155)
    assert r["value"] == pytest.approx(134 * 100 / 155)  # 86,45 %


def test_psks_dibina_by_month_and_scope(db, pontianak_2025):
    # November: the 2 SLRT deactivated in June are no longer active -> 153.
    assert psks_dibina(db, "61.71", "2025-11-01", "2025-11-30") == {
        "id": "PSKS_DIBINA", "numerator": 134, "denominator": 153, "value": pytest.approx(134 * 100 / 153),
        "satuan": "%"}
    # August: only the Tagana training (20 attending).
    aug = psks_dibina(db, "61.71", "2025-08-01", "2025-08-31")
    assert (aug["numerator"], aug["denominator"]) == (20, 153)
    # No area filter: the Metro PSM joins the denominator.
    assert psks_dibina(db, None, "2025-01-01", "2025-12-31")["denominator"] == 156
    # 2024: nobody coached; the 3 TKSK were still active on 31/12/2024, the 2026 PSM not yet.
    y24 = psks_dibina(db, "61.71", "2024-01-01", "2024-12-31")
    assert (y24["numerator"], y24["denominator"]) == (0, 158)
    assert psks_dibina(db, "61.71", "2019-01-01", "2019-12-31") == {
        "id": "PSKS_DIBINA", "numerator": 0, "denominator": 0, "value": None, "satuan": "%"}


def test_deleting_the_event_or_attendance_changes_the_numbers(db, pontianak_2025):
    rakor = pontianak_2025["rakor"]
    one = pontianak_2025["groups"]["TKSK"][0]
    keg_db.set_hadir(db, rakor["id"], one["id"], False)
    assert psks_dibina(db, "61.71", "2025-01-01", "2025-12-31")["numerator"] == 133
    assert output_kegiatan(db, "1.06.02.2.03.04", "61.71", "2025-01-01", "2025-12-31")["distinct_persons"] == 133
    keg_db.delete_kegiatan(db, rakor["id"], "salah input")
    assert psks_dibina(db, "61.71", "2025-01-01", "2025-12-31")["numerator"] == 20


def test_per_type_rows(db, pontianak_2025):
    rows = {r["jenis_kode"]: (r["aktif"], r["dibina"]) for r in psks_per_jenis(db, "61.71", "2025-01-01", "2025-12-31")}
    assert rows["TAGANA"] == (62, 50)
    # 6 absent + the Tagana who is also PSM: he attended as Tagana, his PSM record was not coached.
    assert rows["PSM"] == (7, 0)
    assert rows["FAS_SLRT"] == (36, 34)
    assert rows["TKSK"] == (26, 26)
    assert rows["LKS"] == (1, 0)
    assert rows["KARTAR"] == (0, 0)
