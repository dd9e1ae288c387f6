"""Every indicator of the hand-built month (tests/db/rekap_fixture.py) against numbers worked out by hand.

Read the fixture's docstring first: P01..P32 are people, E0..E2 disasters, S1..S7 PSKS, G1..G3 events.
A = Pallima 61.71.03.1001, B = Sungaijawi Dalam 61.71.03.1002, K = Kec. Pontianak Barat 61.71.03.
"""
from __future__ import annotations

import datetime as dt

import pytest

from db import indikator as ik
from tests.db import rekap_fixture as F


@pytest.fixture
def month_db(db):
    F.build(db)
    return db


def nd(hasil, ident):
    h = hasil[ident]
    return (h.numerator, h.denominator)


def test_percentages_of_the_kelurahan_in_december(month_db):
    r = ik.hitung_indikator(month_db, "2025-12", F.A)
    # PPKS_TERTANGANI
    # Active in Dec in A (registered <= 31/12, not closed before 1/12, nothing soft-deleted):
    #   P01 P02 P03 P05(closed 15/12: still active) P06 P07 P08 P09 P10 P11 P12 P13 P15 P16 P17 P18 P19
    #   P20 P21 P22(two registrations, one person) P25(same NIK as P23 of B)            = 21
    #   not: P04 (closed 20/11), P14 (registration deleted), P26 (person deleted), P23 (B), P24 (K)
    # Served in Dec (any service of jenis 'layanan', not cancelled/deleted):
    #   P01 P03 P06 P07 P08 P10 P12 P13 P15+P16 (household aid to KK1) P17 P20 P21 P22
    #   P25 (NIK N23 served through P23's permakanan on 05/12)                           = 15
    #   not: P02 (Nov), P05, P09 (Jan 2026), P11 (its service deleted), P18, P19
    assert nd(r, "PPKS_TERTANGANI") == (15, 21)
    assert r["PPKS_TERTANGANI"].nilai == pytest.approx(15 / 21 * 100)
    # SPM_LANSIA (cat 8): P01 P02 P03 P05 P22 P25 = 6; served with 1.06.04.2.01.*: P01 P03 P22 P25 = 4
    assert nd(r, "SPM_LANSIA") == (4, 6)
    # SPM_DISABILITAS (5/9/9a only when terlantar): P06 P08 P09 P22 = 4 (P07 not terlantar);
    #   served with 1.06.04.2.01.*: P06 (alat bantu) P08 (rujukan) P22 (permakanan) = 3
    assert nd(r, "SPM_DISABILITAS") == (3, 4)
    # SPM_ANAK (1, 2): P10 P11 = 2; served: P10 (akses pendidikan) = 1
    assert nd(r, "SPM_ANAK") == (1, 2)
    # SPM_GEPENG (11, 12): P12 P13 = 2 (P14 deleted, P24 is K); served with an SPM service: P12 = 1
    #   (P13's kedaruratan is 1.06.04.2.02: not SPM; P12's cancelled permakanan does not count)
    assert nd(r, "SPM_GEPENG") == (1, 2)
    # SPM_BENCANA: victims of events dated in Dec in A: E1 -> P27 P28 P29 P30 = 4
    #   served in the window 08/12-15/12 by a 1.06.06.2.01 service linked to E1: P27 = 1
    #   (P28 served 16/12, after the window, P29's service not linked to the event)
    assert nd(r, "SPM_BENCANA") == (1, 4)
    assert r["SPM_BENCANA"].nilai == 25.0
    # PSKS_DIBINA: active PSKS in A: S1 S2 S3 S4 = 4 (S5 nonaktif since 15/11);
    #   attended an event starting in Dec: S1 (G1) S4 (G3) = 2 (S2 absent)
    assert nd(r, "PSKS_DIBINA") == (2, 4)
    # KPM_BANSOS: households of cat 24: KK1 (P15, P16), KK2 (P17), KK3 (P18), P19 (no KK: own household) = 4
    #   received 1.06.05.2.02.0003 in Dec: KK1 (recorded per KK), KK2 (recorded to P17) = 2
    assert nd(r, "KPM_BANSOS") == (2, 4)
    assert r["KPM_BANSOS"].nilai == 50.0


def test_percentages_year_to_date(month_db):
    r = ik.hitung_indikator(month_db, ik.Periode.dari("2025-12").tahun_berjalan(), F.A)
    # YTD 1/1-31/12: P04 is active again (closed 20/11, after 1/1) -> 22; served adds P02 (Nov) and P04 (Oct) -> 17
    assert nd(r, "PPKS_TERTANGANI") == (17, 22)
    # cat 8: + P04 = 7; served: P01 P02 P03 P04 P22 P25 = 6
    assert nd(r, "SPM_LANSIA") == (6, 7)
    assert nd(r, "SPM_DISABILITAS") == (3, 4)
    assert nd(r, "SPM_ANAK") == (1, 2)
    assert nd(r, "SPM_GEPENG") == (1, 2)
    # + E0 (25/11, A): P32 served 26/11 in its window -> 5 victims, 2 served
    assert nd(r, "SPM_BENCANA") == (2, 5)
    # S5 active until 15/11 -> 5; attended: S1 S4 (Dec), S3 (G2 Nov), S5 (G1 Dec) = 4
    assert nd(r, "PSKS_DIBINA") == (4, 5)
    assert nd(r, "KPM_BANSOS") == (2, 4)


def test_outputs_of_the_kelurahan_in_december(month_db):
    r = ik.hitung_indikator(month_db, "2025-12", F.A)
    u = {k: v.ukuran for k, v in r.items() if v.jenis == "keluaran"}
    # Permakanan: P01 (3 paket APBD_KOTA + 3 paket APBN), P22 (1 kali, 50.000) -> 2 people, 3 services,
    #   6 paket (+1 kali, another unit), 350.000. Not: P23 (B), P26 (deleted person), P11 (deleted
    #   service), P12 (cancelled), P09 (January).
    assert u["OUT_1.06.04.2.01.0001"] == {"penerima": 2, "jumlah_layanan": 3, "kuantitas": 6, "nilai": 350000}
    perm = r["OUT_1.06.04.2.01.0001"]
    assert perm.kuantitas == {"paket": 6, "kali": 1}
    assert perm.per_sumber_dana["APBD_KOTA"]["penerima"] == 2 and perm.per_sumber_dana["APBD_KOTA"]["nilai"] == 200000
    assert perm.per_sumber_dana["APBN"] == {"penerima": 1, "jumlah_layanan": 1, "nilai": 150000, "kuantitas": 3,
                                           "kuantitas_per_satuan": {"paket": 3}}
    assert (perm.numerator, perm.denominator, perm.nilai, perm.satuan) == (2, None, 2, "orang")
    # Sandang SPM: P03 2 stel 200.000
    assert u["OUT_1.06.04.2.01.0002"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 2, "nilai": 200000}
    # Alat bantu: P06 + P07, 1 unit each, 1.800.000 each (APBD_PROV)
    assert u["OUT_1.06.04.2.01.0003"] == {"penerima": 2, "jumlah_layanan": 2, "kuantitas": 2, "nilai": 3600000}
    assert r["OUT_1.06.04.2.01.0003"].per_sumber_dana["APBD_PROV"]["nilai"] == 3600000
    # Bimbingan: P12 only (P24 is K)
    assert u["OUT_1.06.04.2.01.0005"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 1, "nilai": 0}
    assert u["OUT_1.06.04.2.01.0008"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 1, "nilai": 500000}
    assert u["OUT_1.06.04.2.01.0012"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 1, "nilai": 0}
    # Kedaruratan PMKS lainnya: P13 100.000 + P21 250.000
    assert u["OUT_1.06.04.2.02.0002"] == {"penerima": 2, "jumlah_layanan": 2, "kuantitas": 2, "nilai": 350000}
    assert u["OUT_1.06.04.2.02.0004"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 2, "nilai": 100000}
    # Household aid: KK1 (no person; in A through its members) + KK2 -> 2 KK, 600.000
    assert u["OUT_1.06.05.2.02.0003"] == {"penerima": 2, "jumlah_layanan": 2, "kuantitas": 2, "nilai": 600000}
    assert r["OUT_1.06.05.2.02.0003"].satuan == "KK"
    # Pendataan fakir miskin: cat 24 registered in Dec: P18
    assert u["OUT_1.06.05.2.02.0001"] == {"terdata": 1}
    # Disaster food: P27 (linked) + P29 (unlinked) 3 paket 75.000 each; P31 is B, P32 November
    assert u["OUT_1.06.06.2.01.0001"] == {"penerima": 2, "jumlah_layanan": 2, "kuantitas": 6, "nilai": 150000}
    assert u["OUT_1.06.06.2.01.0002"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 2, "nilai": 150000}
    assert u["OUT_1.06.06.2.01.0005"] == {"penerima": 1, "jumlah_layanan": 1, "kuantitas": 1, "nilai": 0}
    # PSM training G1: attending PSKS of A: S1, S5 (S6 is B, S2 absent) -> 2 people, 1 event
    assert u["OUT_1.06.02.2.03.0001"] == {"peserta": 2, "kegiatan": 1}
    # Rakor G3 in A: S4
    assert u["OUT_1.06.02.2.03.0004"] == {"peserta": 1, "kegiatan": 1}
    # Tagana G2 is in November
    assert u["OUT_1.06.06.2.02.0002"] == {"peserta": 0, "kegiatan": 0}
    # Every other sub-kegiatan is zero
    busy = {k for k, v in u.items() if any(v.values())}
    assert busy == {
        "OUT_1.06.04.2.01.0001", "OUT_1.06.04.2.01.0002", "OUT_1.06.04.2.01.0003", "OUT_1.06.04.2.01.0005",
        "OUT_1.06.04.2.01.0008", "OUT_1.06.04.2.01.0012", "OUT_1.06.04.2.02.0002", "OUT_1.06.04.2.02.0004",
        "OUT_1.06.05.2.02.0003", "OUT_1.06.05.2.02.0001", "OUT_1.06.06.2.01.0001", "OUT_1.06.06.2.01.0002",
        "OUT_1.06.06.2.01.0005", "OUT_1.06.02.2.03.0001", "OUT_1.06.02.2.03.0004",
    }


def test_outputs_year_to_date(month_db):
    r = ik.hitung_indikator(month_db, ik.Periode.dari("2025-12").tahun_berjalan(), F.A)
    u = {k: v.ukuran for k, v in r.items()}
    # Permakanan + P02 (Nov, 3 paket 150.000) + P04 (Oct, 3 paket 150.000)
    assert u["OUT_1.06.04.2.01.0001"] == {"penerima": 4, "jumlah_layanan": 5, "kuantitas": 12, "nilai": 650000}
    # Household aid: KK1 twice (Oct, Dec) + KK2 -> 2 households, 3 services
    assert u["OUT_1.06.05.2.02.0003"] == {"penerima": 2, "jumlah_layanan": 3, "kuantitas": 3, "nilai": 900000}
    # Cat 24 registered in 2025: P15 P16 P17 P18 P19
    assert u["OUT_1.06.05.2.02.0001"] == {"terdata": 5}
    # Disaster food + P32 (Nov)
    assert u["OUT_1.06.06.2.01.0001"] == {"penerima": 3, "jumlah_layanan": 3, "kuantitas": 9, "nilai": 225000}
    # Tagana simulation G2 (Nov, in A): S3
    assert u["OUT_1.06.06.2.02.0002"] == {"peserta": 1, "kegiatan": 1}


def test_kecamatan_counts_a_person_of_two_installs_once(month_db):
    r = ik.hitung_indikator(month_db, "2025-12", F.K)
    # A's 21 + P23 (B; same NIK as P25 -> same person) + P24 (K) = 22; served: A's 15 + P24 = 16
    assert nd(r, "PPKS_TERTANGANI") == (16, 22)
    assert nd(r, "SPM_LANSIA") == (4, 6)  # P23/P25 counted once
    # GEPENG: P12 P13 P24; served P12 P24 (bimbingan)
    assert nd(r, "SPM_GEPENG") == (2, 3)
    # + E2 in B: P31 served 21/12 inside 20/12-27/12
    assert nd(r, "SPM_BENCANA") == (2, 5)
    # active S1 S2 S3 S4 S6 S7; attended S1 S4 S6
    assert nd(r, "PSKS_DIBINA") == (3, 6)
    assert nd(r, "KPM_BANSOS") == (2, 4)
    # Permakanan: P01 x2, P22, P23 -> 3 people, 4 services, 9 paket
    assert r["OUT_1.06.04.2.01.0001"].ukuran == {"penerima": 3, "jumlah_layanan": 4, "kuantitas": 9, "nilai": 500000}
    # G1: S1, S5, S6
    assert r["OUT_1.06.02.2.03.0001"].ukuran == {"peserta": 3, "kegiatan": 1}


def test_other_kelurahan(month_db):
    r = ik.hitung_indikator(month_db, "2025-12", F.B)
    assert nd(r, "PPKS_TERTANGANI") == (1, 1)  # P23
    assert nd(r, "SPM_BENCANA") == (1, 1)  # P31
    assert nd(r, "PSKS_DIBINA") == (1, 1)  # S6
    assert nd(r, "KPM_BANSOS") == (0, 0) and r["KPM_BANSOS"].nilai is None


def test_one_pass_per_kelurahan_equals_each_area_alone(month_db):
    per = ik.hitung_per_wilayah(month_db, "2025-12", F.K, 4)
    assert sorted(per) == ["61.71.03.1001", "61.71.03.1002", "61.71.03.1003", "61.71.03.1004"]
    for kode in (F.A, F.B, "61.71.03.1003"):
        alone = ik.hitung_indikator(month_db, "2025-12", kode)
        assert {k: (v.numerator, v.denominator, v.ukuran) for k, v in per[kode].items()} == \
               {k: (v.numerator, v.denominator, v.ukuran) for k, v in alone.items()}
    # P24 (kecamatan-level record) counts for the kecamatan but for none of its kelurahan
    assert per[F.A]["SPM_GEPENG"].denominator + per[F.B]["SPM_GEPENG"].denominator == 2
    kec = ik.hitung_per_wilayah(month_db, "2025-12", "61.71", 3)
    assert nd(kec["61.71.03"], "SPM_GEPENG") == (2, 3)
    assert nd(kec["61.71.01"], "PPKS_TERTANGANI") == (0, 0)


def test_ppks_per_category(month_db):
    rows = {r["kode"]: r for r in ik.ppks_per_kategori(month_db, "2025-12", F.A)}
    # cat 8 at 31/12: P01 (L) P02 P03 (P) P22 (L) P25 (P); P05 closed 15/12 -> L 2, P 3;
    #   new: P03; served Dec: P01 P03 P22 P25; YTD: + P02 P04
    assert {k: rows["8"][k] for k in ("L", "P", "jumlah", "baru", "dilayani", "dilayani_ytd")} == \
           {"L": 2, "P": 3, "jumlah": 5, "baru": 1, "dilayani": 4, "dilayani_ytd": 6}
    # cat 9: P06 (L) P07 (P) P22 (L), all served
    assert (rows["9"]["L"], rows["9"]["P"], rows["9"]["dilayani"]) == (2, 1, 3)
    # cat 24: P15 P17 P19 (L), P16 P18 (P); new P18; served P15 P16 (KK1) P17
    assert (rows["24"]["L"], rows["24"]["P"], rows["24"]["baru"], rows["24"]["dilayani"]) == (3, 2, 1, 3)
    assert (rows["12"]["jumlah"], rows["1"]["baru"], rows["OT"]["baru"]) == (1, 1, 1)
    # The total counts people once: 21 active minus P05 = 20 (10 L, 10 P); new P03 P11 P18 P21
    total = rows[None]
    assert (total["L"], total["P"], total["jumlah"], total["baru"], total["dilayani"], total["dilayani_ytd"]) == \
           (10, 10, 20, 4, 15, 17)


def test_disaster_psks_and_lists(month_db):
    [e1] = ik.bencana_kejadian(month_db, "2025-12", F.A)
    assert (e1["kode_kejadian"], e1["korban"], e1["korban_dilayani"], e1["akhir_tanggap_darurat"]) == \
           ("KBR-01", 4, 1, "2025-12-15")
    # services linked to E1: P27 food + psychosocial, P28 clothing (P29's food is not linked)
    assert e1["layanan"] == {"1.06.06.2.01.0001": 1, "1.06.06.2.01.0005": 1, "1.06.06.2.01.0002": 1}
    per_type = ik.bencana_per_jenis(ik.bencana_kejadian(month_db, "2025-12", F.K))
    assert {r["jenis_kode"]: (r["kejadian"], r["korban"], r["korban_dilayani"]) for r in per_type} == \
           {"kebakaran_permukiman": (1, 4, 1), "banjir": (1, 1, 1)}
    psks = {r["kode"]: r for r in ik.psks_per_jenis(month_db, "2025-12", F.A)}
    assert (psks["PSM"]["aktif"], psks["PSM"]["dibina"], psks["PSM"]["dibina_ytd"]) == (2, 1, 2)
    assert (psks["TAGANA"]["aktif"], psks["TAGANA"]["dibina"], psks["TAGANA"]["dibina_ytd"]) == (1, 0, 1)
    assert (psks[None]["aktif"], psks[None]["dibina"], psks[None]["dibina_ytd"]) == (4, 2, 4)
    events = ik.kegiatan_periode(month_db, "2025-12", F.A)
    assert [(e["kode_kegiatan"], e["peserta_terdaftar"], e["peserta_hadir"], e["peserta_hadir_wilayah"])
            for e in events] == [("G1", 4, 3, 2), ("G3", 1, 1, 1)]
    # BNBA: every service of Dec whose recipient is in A: P01 x2, P03, P06, P07, P08, P10, P12, P13,
    #   KK1, P17, P20, P21, P22, P27 x2, P28, P29 = 18
    rows = ik.bnba(month_db, "2025-12", F.A)
    assert len(rows) == 18
    assert [r["tanggal"] for r in rows] == sorted(r["tanggal"] for r in rows)
    assert {r["nama"] for r in rows if r["orang_id"] is None} == {f"(KK {F.KK1})"}


def test_services_per_month_and_what_needs_doing(month_db):
    months = ik.layanan_per_bulan(month_db, "2025-12", 12, F.A)
    assert months[0] == ("2025-01", 0) and len(months) == 12
    # Oct: P04, KK1; Nov: P02, P32; Dec: the 18 of the BNBA list
    assert months[-3:] == [("2025-10", 2), ("2025-11", 2), ("2025-12", 18)]
    todo = ik.perlu_dikerjakan(month_db, dt.date(2025, 12, 20), F.A)
    # E1 window ended 15/12: P28 P29 P30 not served in it; E0's only victim was served
    assert todo[0]["jenis"] == "korban_belum_dilayani" and todo[0]["jumlah"] == 3
    assert "telah berakhir 15/12/2025" in todo[0]["teks"]
    # active registrations from before 21/09 without a service since then (to 20/12):
    #   P08 (served only 22/12), P09 (served only in 2026), P19 -> 3
    assert todo[1]["jenis"] == "ppks_tanpa_layanan" and todo[1]["jumlah"] == 3
    assert todo[1]["contoh"] == ["Orang P08", "Orang P09", "Orang P19"]


def test_all_levels_from_one_build_equal_each_level_alone(month_db):
    every = ik.hitung_bertingkat(month_db, "2025-12", "61.71", (4, 3, 2))
    assert len(every) == 29 + 6 + 1
    for kode, alone in ((F.A, ik.hitung_indikator(month_db, "2025-12", F.A)),
                        (F.K, ik.hitung_indikator(month_db, "2025-12", F.K)),
                        ("61.71", ik.hitung_indikator(month_db, "2025-12", "61.71"))):
        assert {i: (h.numerator, h.denominator, h.ukuran, h.per_sumber_dana) for i, h in every[kode].items()} == \
               {i: (h.numerator, h.denominator, h.ukuran, h.per_sumber_dana) for i, h in alone.items()}
    assert nd(every[F.K], "PPKS_TERTANGANI") == (16, 22) and nd(every[F.A], "SPM_GEPENG") == (1, 2)


@pytest.mark.parametrize("year_to_date", [False, True])
def test_all_levels_in_one_pass_equal_one_pass_per_level(month_db, year_to_date):
    # The fixture has what the one-pass counting must correct for: P25 (A) and P23 (B) share a NIK
    # (one person in the kecamatan and the kota), P24 is recorded on the kecamatan only.
    periode = ik.Periode.dari("2025-12")
    periode = periode.tahun_berjalan() if year_to_date else periode
    every = ik.hitung_bertingkat(month_db, periode, "61.71", (4, 3, 2))
    alone = {**ik.hitung_per_wilayah(month_db, periode, "61.71", 4), **ik.hitung_per_wilayah(month_db, periode, "61.71", 3),
             "61.71": ik.hitung_indikator(month_db, periode, "61.71")}
    assert every.keys() == alone.keys()
    for kode in alone:
        assert {i: h.as_dict() for i, h in every[kode].items()} == {i: h.as_dict() for i, h in alone[kode].items()}, kode
    # the corrections were needed: the kecamatan is not the sum of its kelurahan
    kec, kel = every[F.K]["PPKS_TERTANGANI"], [every[c]["PPKS_TERTANGANI"] for c in (F.A, F.B)]
    assert kec.denominator < sum(h.denominator for h in kel) + 1
