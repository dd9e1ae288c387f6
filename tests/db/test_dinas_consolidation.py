"""Done-when of issue 8: three kelurahan installs → packages → one Dinas; the consolidated
indicators equal the sum of the three, with a person registered in two kelurahan counted once."""
from __future__ import annotations

import pytest

from db import indikator
from tests.sinkron_helpers import AKCAYA, PALLIMA, SUNGAIJAWI_DALAM, three_kelurahan

PERIODE = "2025-11"
IDS = ["PPKS_TERTANGANI", "SPM_LANSIA", "SPM_GEPENG", "OUT_1.06.04.2.01.0001", "OUT_1.06.04.2.01.0002"]


@pytest.fixture
def three(tmp_path, _template_db, dinas_db):
    return three_kelurahan(tmp_path, _template_db, dinas_db, PERIODE, IDS)


def _sum(local, kodes, ident, attr):
    return sum(getattr(local[k][ident], attr) for k in kodes)


def test_each_kelurahan_at_the_dinas_equals_its_own_install(three, dinas_db):
    per_kel = indikator.hitung_per_wilayah(dinas_db, PERIODE, "61.71", 4, IDS)
    assert len(per_kel) == 29
    for kode, local in three.items():
        for ident in IDS:
            got, want = per_kel[kode][ident], local[ident]
            assert (got.numerator, got.denominator) == (want.numerator, want.denominator), (kode, ident)
    assert per_kel["61.71.05.1001"]["PPKS_TERTANGANI"].denominator == 0


def test_kota_equals_the_sum_minus_the_shared_person(three, dinas_db):
    kota = indikator.hitung_indikator(dinas_db, PERIODE, "61.71", IDS)
    all3 = list(three)
    for ident in ("PPKS_TERTANGANI", "SPM_LANSIA"):
        assert kota[ident].denominator == _sum(three, all3, ident, "denominator") - 1
        assert kota[ident].numerator == _sum(three, all3, ident, "numerator") - 1
    assert kota["SPM_GEPENG"].numerator == _sum(three, all3, "SPM_GEPENG", "numerator") == 3
    out = kota["OUT_1.06.04.2.01.0001"]
    assert out.ukuran["penerima"] == _sum(three, all3, "OUT_1.06.04.2.01.0001", "numerator") - 1
    # Services are counted per service, not per person: both services of the shared person count.
    assert out.ukuran["jumlah_layanan"] == sum(three[k]["OUT_1.06.04.2.01.0001"].ukuran["jumlah_layanan"]
                                               for k in all3)
    assert kota["PPKS_TERTANGANI"].denominator == 3 + 1 + 2 + 2 + 4 + 0 + 1  # 13 people, the shared one once


def test_kecamatan_counts_the_shared_person_once(three, dinas_db):
    per_kec = indikator.hitung_per_wilayah(dinas_db, PERIODE, "61.71", 3, IDS)
    barat = per_kec["61.71.03"]["SPM_LANSIA"]
    pair = [PALLIMA, SUNGAIJAWI_DALAM]
    assert barat.denominator == _sum(three, pair, "SPM_LANSIA", "denominator") - 1
    assert barat.numerator == _sum(three, pair, "SPM_LANSIA", "numerator") - 1
    selatan = per_kec["61.71.01"]["SPM_LANSIA"]
    assert (selatan.numerator, selatan.denominator) == (three[AKCAYA]["SPM_LANSIA"].numerator,
                                                       three[AKCAYA]["SPM_LANSIA"].denominator)
