"""The Pontianak 2025 picture (DOMAIN.md §7): 667 victims of three events, aid inside and
outside the emergency window, and the exact event summaries and SPM_BENCANA.

Seed 002 reports 667 victims served in 2025: banjir rob 99, puting beliung 289,
kebakaran 279; services counted per service: food 412, clothing 228,
tarpaulins 81 units, vulnerable 55, psychosocial 52. This test builds those
events through the same functions the GUI uses and serves them so that the
per-type service counts equal the seed's, while some victims are served only
late and some not yet, so the SPM numerator differs from the 667 registered.

Events (victims are entered household by household, head first; index i is
the i-th victim of the event in entry order):

A  banjir rob, Tanjung Hilir (61.71.02.1005, Kec. Pontianak Timur), 10/01/2025,
   window 7 days -> ends 17/01/2025. 99 victims in 33 households of 3.
   displaced (pengungsian): i < 60; lansia i < 10 (i = 0 also disabilitas); balita 10..14.
   - food 11/01 (in window) to the 60 displaced              -> 60 services
   - clothing 20/01 (LATE, after 17/01) to i = 10..87        -> 78 services
   served in window: i < 60 = 60; late only: 60..87 = 28; not yet: 88..98 = 11.

B  angin puting beliung, Siantan Hilir (61.71.04.1003, Kec. Pontianak Utara),
   20/05/2025, window extended to 14 days with a reason -> ends 03/06/2025.
   289 victims: 46 households of 4 (i = 0..183) and 35 of 3 (i = 184..288): 81 heads.
   displaced: i < 200; disabilitas i < 8; ibu hamil 8..11.
   - food 22/05 (in window) to the 200 displaced               -> 200 services
   - psychosocial 02/06 (in window thanks to the extension) to i = 180..231 -> 52
   - tarpaulin 10/06 (LATE) one unit to each of the 81 heads   -> 81 services, 81 units
   served in window: i < 232 = 232. Late only: heads with i >= 232, i.e. heads of
   the 3-person households 184 + 3k >= 232 -> k = 16..34 -> 19. Not yet: 289-232-19 = 38.

C  kebakaran permukiman (bencana sosial), Pallima (61.71.03.1001, Kec. Pontianak Barat),
   05/09/2025, window ends 12/09/2025. 279 victims in 93 households of 3.
   displaced: i < 152; vulnerable i = 200..254 (55), group cycling
   lansia, anak, balita, ibu menyusui, disabilitas (11 each).
   - food 06/09 (in window) to the 152 displaced                       -> 152 services
   - clothing 07/09 (in window) to i = 100..249                         -> 150 services
   - vulnerable-group care 12/09 (last day of the window) to i = 200..254 -> 55 services
   - one more food service 06/09 to i = 260, then CANCELLED (does not count)
   served in window: i < 250 plus 250..254 = 255; late only 0; not yet 279-255 = 24.

Per-type totals: food 60+200+152 = 412; clothing 78+150 = 228; tarpaulin 81;
vulnerable 55; psychosocial 52 -- the seed's numbers.

SPM_BENCANA, Kota Pontianak (61.71), 2025: denominator 99+289+279 = 667 victims,
numerator 60+232+255 = 547 served within the window -> 547/667 = 82,01 %.
"""
from __future__ import annotations

import os
import shutil

import pytest

from db import bencana as B
from db import bencana_bantuan as BB
from db import korban as K
from db import layanan as L

FOOD, CLOTHING, SHELTER, RENTAN, PSIKO = (f"1.06.06.2.01.000{i}" for i in range(1, 6))
CYCLE = ["lansia", "anak", "balita", "ibu_menyusui", "disabilitas"]


def _nik(kec: str, i: int, sex: str) -> str:
    """A valid NIK of kecamatan ``kec`` ('617102') for a person born 01/01/1980 + i days' worth."""
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    dd = day + 40 if sex == "P" else day
    return f"{kec}{dd:02d}{month:02d}80{i + 1:04d}"


def _household(db, bencana_id, kec, kode_wilayah, start, size, attrs):
    """Enter one household (head + members) of victims start..start+size-1."""
    members = []
    for i in range(start, start + size):
        sex = "L" if i % 2 == 0 else "P"
        a = attrs(i)
        members.append({"nama": f"Korban {kode_wilayah[-4:]}-{i:03d}", "nik": _nik(kec, i, sex),
                        "jenis_kelamin": sex, "tempat_tinggal": a.get("tt", "keluarga"),
                        "kelompok_rentan": a.get("kr")})
    kk = f"{kec}0101{25}{start + 1:04d}"
    return K.tambah_keluarga(db, bencana_id, members[0], members[1:], no_kk=kk,
                             alamat=f"Jl. Contoh No. {start}", kode_wilayah=kode_wilayah)


def _orang(victims, idx):
    return [victims[i]["orang_id"] for i in idx]


@pytest.fixture(scope="module")
def picture(_template_db, tmp_path_factory):
    from db.connection import open_database
    from db.install import init_install

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KESOS_TODAY", "2025-12-31")
        path = tmp_path_factory.mktemp("pontianak") / "kesos.db"
        shutil.copyfile(_template_db, path)
        db = open_database(path)
        init_install(db, kode_wilayah="61.71.03.1001", operator_nama="Siti Aminah", peran="PSM")

        # --- A: banjir rob -------------------------------------------------
        a = B.tambah_bencana(db, {"jenis_kode": "Banjir Rob", "tanggal": "10/01/2025", "waktu": "05:30",
                                  "kode_wilayah": "61.71.02.1005", "lokasi": "Tepian Sungai Kapuas",
                                  "kk_terdampak": 33, "jiwa_terdampak": 99, "rumah_rusak": 12,
                                  "kode_kejadian": "ROB-2025-01"})

        def attrs_a(i):
            kr = "lansia" if i < 10 else ("balita" if i < 15 else None)
            if i == 0:
                kr = "lansia, disabilitas"
            return {"tt": "pengungsian" if i < 60 else "keluarga", "kr": kr}

        va = []
        for h in range(33):
            va += _household(db, a["id"], "617102", "61.71.02.1005", 3 * h, 3, attrs_a)
        BB.beri_bantuan(db, a["id"], _orang(va, range(60)), {"kode_layanan": FOOD, "tanggal": "11/01/2025",
                                                             "jumlah": 3, "satuan": "paket", "nilai": 45000})
        with pytest.raises(L.PerluKonfirmasi):
            BB.beri_bantuan(db, a["id"], _orang(va, range(10, 88)), {"kode_layanan": CLOTHING, "tanggal": "20/01/2025"})
        late = BB.beri_bantuan(db, a["id"], _orang(va, range(10, 88)),
                               {"kode_layanan": CLOTHING, "tanggal": "20/01/2025", "nilai": 150000}, konfirmasi=True)
        assert late.terlambat

        # --- B: angin puting beliung, window extended ------------------------
        b = B.tambah_bencana(db, {"jenis_kode": "angin_puting_beliung", "tanggal": "2025-05-20",
                                  "kode_wilayah": "61.71.04.1003", "lokasi": "RT 004/RW 012",
                                  "kk_terdampak": 81, "jiwa_terdampak": 289, "rumah_rusak": 64})
        B.ubah_masa_tanggap(db, b["id"], 14, "SK Wali Kota Pontianak perpanjangan status tanggap darurat")

        def attrs_b(i):
            kr = "disabilitas" if i < 8 else ("ibu hamil" if i < 12 else None)
            return {"tt": "pengungsian" if i < 200 else "rumah_sendiri", "kr": kr}

        vb = []
        for h in range(46):
            vb += _household(db, b["id"], "617104", "61.71.04.1003", 4 * h, 4, attrs_b)
        for h in range(35):
            vb += _household(db, b["id"], "617104", "61.71.04.1003", 184 + 3 * h, 3, attrs_b)
        BB.bantuan_kejadian(db, b["id"], {"kode_layanan": FOOD, "tanggal": "22/05/2025", "jumlah": 3},
                            tempat_tinggal="pengungsian")
        BB.beri_bantuan(db, b["id"], _orang(vb, range(180, 232)), {"kode_layanan": PSIKO, "tanggal": "02/06/2025"})
        BB.bantuan_kejadian(db, b["id"], {"kode_layanan": SHELTER, "tanggal": "10/06/2025", "jumlah": 1,
                                          "satuan": "unit", "nilai": 250000}, per_kk=True, konfirmasi=True)

        # --- C: kebakaran permukiman -------------------------------------------
        c = B.tambah_bencana(db, {"jenis_kode": "Kebakaran Permukiman", "tanggal": "05/09/2025", "waktu": "23:10",
                                  "kode_wilayah": "61.71.03.1001", "lokasi": "Gg. Damai", "rt": "003", "rw": "002",
                                  "kk_terdampak": 93, "jiwa_terdampak": 279, "rumah_rusak": 70})

        def attrs_c(i):
            return {"tt": "pengungsian" if i < 152 else "keluarga",
                    "kr": CYCLE[(i - 200) % 5] if 200 <= i <= 254 else None}

        vc = []
        for h in range(93):
            vc += _household(db, c["id"], "617103", "61.71.03.1001", 3 * h, 3, attrs_c)
        BB.bantuan_kejadian(db, c["id"], {"kode_layanan": FOOD, "tanggal": "06/09/2025", "jumlah": 3},
                            tempat_tinggal="pengungsian")
        BB.beri_bantuan(db, c["id"], _orang(vc, range(100, 250)), {"kode_layanan": CLOTHING, "tanggal": "07/09/2025"})
        for group in CYCLE:
            BB.bantuan_kejadian(db, c["id"], {"kode_layanan": RENTAN, "tanggal": "12/09/2025"},
                                kelompok_rentan=group)
        extra = BB.beri_bantuan(db, c["id"], _orang(vc, [260]), {"kode_layanan": FOOD, "tanggal": "06/09/2025"})
        L.batalkan_layanan(db, extra.layanan_ids[0], "Salah penerima")

        yield {"db": db, "A": a, "B": b, "C": c, "va": va, "vb": vb, "vc": vc}
        db.close()


def test_victims_and_their_ppks_registrations(picture):
    db = picture["db"]
    assert (len(picture["va"]), len(picture["vb"]), len(picture["vc"])) == (99, 289, 279)
    assert db.execute("SELECT count(*) FROM korban WHERE deleted_at IS NULL").fetchone()[0] == 667
    # every victim has its own registration: 21 for the two natural disasters, 22 for the fire
    rows = dict(db.execute(
        "SELECT p.kategori_kode, count(*) FROM korban k JOIN ppks p ON p.id = k.ppks_id GROUP BY p.kategori_kode"))
    assert rows == {"21": 99 + 289, "22": 279}


def test_summary_banjir_rob(picture):
    s = B.ringkasan_bencana(picture["db"], picture["A"]["id"])
    assert s["bencana"]["jenis_nama"] == "Banjir Rob" and s["bencana"]["akhir_masa_tanggap"] == "2025-01-17"
    assert s["bencana"]["kecamatan_nama"] == "Pontianak Timur"
    assert s["korban"]["total"] == 99
    assert (s["korban"]["L"], s["korban"]["P"]) == (50, 49)  # even indexes are men
    assert (s["korban"]["kepala_keluarga"], s["korban"]["kk"]) == (33, 33)
    assert s["korban"]["tempat_tinggal"] == {"pengungsian": 60, "keluarga": 39, "rumah_sendiri": 0}
    assert (s["dilayani"]["dalam_masa"], s["dilayani"]["terlambat"], s["dilayani"]["belum"]) == (60, 28, 11)
    assert [(b["kode"], b["layanan"], b["penerima"], b["jumlah"], b["satuan"], b["nilai"], b["terlambat"])
            for b in s["bantuan"]] == [
        (FOOD, 60, 60, 180, "paket", 60 * 45000, 0),
        (CLOTHING, 78, 78, 78, "stel", 78 * 150000, 78),
    ]
    assert {r["kode"]: r["jumlah"] for r in s["rentan"]} == {
        "lansia": 10, "disabilitas": 1, "ibu_hamil": 0, "ibu_menyusui": 0, "anak": 0, "balita": 5}
    assert s["rentan_total"] == 15


def test_summary_puting_beliung_with_extended_window(picture):
    s = B.ringkasan_bencana(picture["db"], picture["B"]["id"])
    assert s["bencana"]["lama_tanggap_darurat"] == 14 and s["bencana"]["akhir_masa_tanggap"] == "2025-06-03"
    assert s["korban"]["total"] == 289 and s["korban"]["kepala_keluarga"] == 81
    assert s["korban"]["tempat_tinggal"] == {"pengungsian": 200, "keluarga": 0, "rumah_sendiri": 89}
    assert (s["dilayani"]["dalam_masa"], s["dilayani"]["terlambat"], s["dilayani"]["belum"]) == (232, 19, 38)
    assert [(b["kode"], b["layanan"], b["jumlah"], b["satuan"], b["terlambat"]) for b in s["bantuan"]] == [
        (FOOD, 200, 600, "paket", 0),
        (SHELTER, 81, 81, "unit", 81),
        (PSIKO, 52, 52, "orang", 0),
    ]
    assert s["bantuan_total"] == {"layanan": 333, "nilai": 81 * 250000, "terlambat": 81}
    assert {r["kode"]: r["jumlah"] for r in s["rentan"] if r["jumlah"]} == {"disabilitas": 8, "ibu_hamil": 4}


def test_summary_kebakaran(picture):
    s = B.ringkasan_bencana(picture["db"], picture["C"]["id"])
    assert s["bencana"]["kelompok_nama"] == "Bencana Sosial"
    assert (s["dilayani"]["dalam_masa"], s["dilayani"]["terlambat"], s["dilayani"]["belum"]) == (255, 0, 24)
    # the cancelled food service is not counted
    assert [(b["kode"], b["layanan"]) for b in s["bantuan"]] == [(FOOD, 152), (CLOTHING, 150), (RENTAN, 55)]
    assert {r["kode"]: r["jumlah"] for r in s["rentan"]} == {
        "lansia": 11, "disabilitas": 11, "ibu_hamil": 0, "ibu_menyusui": 11, "anak": 11, "balita": 11}
    assert s["rentan_total"] == 55
    served = set(s["dilayani"]["ids"]["dalam_masa"])
    vc = picture["vc"]
    assert vc[254]["id"] in served and vc[255]["id"] not in served and vc[260]["id"] not in served


def test_services_per_type_match_the_seed(picture):
    rows = dict(picture["db"].execute(
        "SELECT kode_layanan, count(*) FROM layanan WHERE status = 'aktif' AND deleted_at IS NULL "
        "GROUP BY kode_layanan"))
    assert rows == {FOOD: 412, CLOTHING: 228, SHELTER: 81, RENTAN: 55, PSIKO: 52}
    units = picture["db"].execute(
        "SELECT sum(jumlah) FROM layanan WHERE kode_layanan = ? AND status = 'aktif'", [SHELTER]).fetchone()[0]
    assert units == 81


def test_spm_bencana_kota_year(picture):
    db = picture["db"]
    spm = B.spm_bencana(db, "61.71", "2025-01-01", "2025-12-31")
    assert (spm["numerator"], spm["denominator"]) == (60 + 232 + 255, 99 + 289 + 279)
    assert round(spm["value"], 2) == 82.01  # 547 / 667


@pytest.mark.parametrize("prefix,start,end,num,den", [
    ("61.71.02", "2025-01-01", "2025-12-31", 60, 99),      # Kec. Pontianak Timur: the flood only
    ("61.71.04.1003", "2025-01-01", "2025-12-31", 232, 289),
    ("61.71.03", "2025-09-01", "2025-09-30", 255, 279),    # September: the fire
    ("61.71", "2025-01-01", "2025-01-31", 60, 99),         # January only
    ("61.71", "2025-02-01", "2025-04-30", 0, 0),           # no event
    ("", "2025-05-20", "2025-05-20", 232, 289),            # everywhere, the day of the storm
    ("61.72", "2025-01-01", "2025-12-31", 0, 0),           # another kota
])
def test_spm_bencana_by_area_and_period(picture, prefix, start, end, num, den):
    spm = B.spm_bencana(picture["db"], prefix, start, end)
    assert (spm["numerator"], spm["denominator"]) == (num, den)
    assert spm["value"] == (num * 100.0 / den if den else None)


def test_event_list_counts(picture):
    rows = {r["kode_kejadian"]: r for r in B.daftar_bencana(picture["db"])}
    assert rows["ROB-2025-01"]["jumlah_korban"] == 99 and rows["ROB-2025-01"]["korban_dilayani"] == 60
    assert [r["jumlah_korban"] for r in B.daftar_bencana(picture["db"])] == [279, 289, 99]
    assert [r["korban_dilayani"] for r in B.daftar_bencana(picture["db"])] == [255, 232, 60]


def test_shortening_the_window_afterwards_marks_aid_late(picture, tmp_path):
    """Moving the window re-flags the event's services (on a copy: the picture stays as is)."""
    from db.connection import open_database

    src = picture["db"]
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "copy.db"
    src.execute(f"VACUUM INTO '{path}'")
    db = open_database(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KESOS_TODAY", "2025-12-31")
        B.ubah_masa_tanggap(db, picture["B"]["id"], 7, "Koreksi: SK perpanjangan tidak jadi terbit")
    late = db.execute("SELECT count(*) FROM layanan WHERE bencana_id = ? AND terlambat = 1",
                      [picture["B"]["id"]]).fetchone()[0]
    assert late == 81 + 52  # psychosocial on 02/06 is now after 27/05
    assert B.spm_bencana(db, "61.71.04", "2025-01-01", "2025-12-31")["numerator"] == 200
    db.close()


@pytest.mark.parametrize("wilayah", ["61.71", "61.71.02", "61.71.04.1003", "61.71.03"])
def test_spm_bencana_agrees_with_the_event_summaries(picture, wilayah):
    """SPM_BENCANA (the indicator engine behind spm_bencana) and the event summaries (their own
    SQL in db/bencana.status_korban_sql) count the same victims; in this picture every victim is
    in one event only, so the per-event counts add up to the distinct-person counts."""
    db = picture["db"]
    mine = B.spm_bencana(db, wilayah, "2025-01-01", "2025-12-31")
    num = den = 0
    for key in ("A", "B", "C"):
        ev = picture[key]
        if ev["kode_wilayah"] == wilayah or ev["kode_wilayah"].startswith(wilayah + "."):
            s = B.ringkasan_bencana(db, ev["id"])
            num += s["dilayani"]["dalam_masa"]
            den += s["korban"]["total"]
    assert (mine["numerator"], mine["denominator"]) == (num, den)
