"""The consolidated recap workbook of a Dinas, read back cell by cell."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from db import dinas, indikator as ik
from db.errors import KnownError
from exporters import dinas_recap
from tests.sinkron_helpers import AKCAYA, PALLIMA, SHARED_NIK, SUNGAIJAWI_DALAM, three_kelurahan


@pytest.fixture
def kota(tmp_path, _template_db, dinas_db, monkeypatch):
    from db import sinkron

    monkeypatch.setenv("KESOS_TODAY", "2025-12-20")
    monkeypatch.setattr(sinkron, "now_iso", lambda: "2025-12-05T10:00:00")  # packages made on time
    local = three_kelurahan(tmp_path, _template_db, dinas_db)
    return local


def _rows(ws, header_text="Kode Wilayah"):
    """Data rows (as lists) under the header row whose first cell is ``header_text``."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == header_text)
    return rows[start], [list(r) for r in rows[start + 1:] if r[0] is not None]


def test_recap_has_every_part_per_area(kota, dinas_db, tmp_path):
    path = dinas_recap.write_dinas_recap(dinas_db, "2025-11", tmp_path / "gabungan.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Sampul", "Indikator", "Matriks SPM", "PPKS", "Keluaran", "Sumber Dana", "Bencana", "Bencana per Jenis",
        "PSKS", "Kegiatan PSKS", "Peserta Kegiatan", "Kelengkapan", "Data Ganda", "Target dan Capaian", "BNBA",
        "Pengesahan"]
    assert wb["Sampul"]["A1"].value == "REKAPITULASI GABUNGAN PELAYANAN KESEJAHTERAAN SOSIAL"
    header, rows = _rows(wb["Indikator"])
    areas = list(dict.fromkeys(r[0] for r in rows))
    assert areas[0] == "61.71" and areas[1] == "61.71.01" and areas[2] == "61.71.01.1002"
    assert len(areas) == 1 + 6 + 29
    by = {(r[0], r[1]): r for r in rows}
    col = {name: header.index(name) for name in header}
    kota_row = by[("61.71", "PPKS_TERTANGANI")]
    total_local = sum(kota[k]["PPKS_TERTANGANI"].denominator for k in kota)
    assert kota_row[col["Penyebut Bulan Ini"]] == total_local - 1  # the shared person once
    for kode, local in kota.items():
        r = by[(kode, "SPM_LANSIA")]
        assert (r[col["Pembilang Bulan Ini"]], r[col["Penyebut Bulan Ini"]]) == (
            local["SPM_LANSIA"].numerator, local["SPM_LANSIA"].denominator)
    barat = by[("61.71.03", "SPM_LANSIA")]
    assert barat[col["Penyebut Bulan Ini"]] == (kota[PALLIMA]["SPM_LANSIA"].denominator
                                               + kota[SUNGAIJAWI_DALAM]["SPM_LANSIA"].denominator - 1)


def test_matrix_kecamatan_kelurahan_by_spm_group(kota, dinas_db, tmp_path):
    path = dinas_recap.write_dinas_recap(dinas_db, "2025-11", tmp_path / "g.xlsx")
    header, rows = _rows(load_workbook(path)["Matriks SPM"])
    assert header[:3] == ("Kode Wilayah", "No", "Kecamatan / Kelurahan")
    assert header[3:] == ("Penyandang disabilitas terlantar", "Anak terlantar", "Lanjut usia terlantar",
                          "Gelandangan dan pengemis (tuna sosial)", "Jumlah")
    by = {r[0]: r for r in rows}
    lansia, gepeng = 5, 6
    # served lansia: Pallima 2 + shared, Sungaijawi Dalam 1 + shared, Akcaya 3
    assert by[PALLIMA][lansia] == 3 and by[SUNGAIJAWI_DALAM][lansia] == 2 and by[AKCAYA][lansia] == 3
    assert by["61.71.03"][lansia] == 4  # the shared person once
    assert by["61.71.03"][1] == 3 and by["61.71.03"][2] == "Pontianak Barat"
    assert by[PALLIMA][2].strip() == "Pallima"
    assert by["61.71"][lansia] == 7 and by["61.71"][gepeng] == 3
    assert by["61.71"][-1] == sum(by["61.71"][3:7])
    assert rows[-1][0] == "61.71"


def test_ppks_per_area_matches_the_engine_breakdown(kota, dinas_db):
    per = ik.Periode.dari("2025-11")
    grouped = dinas_recap._ppks_bertingkat(dinas_db, per, "61.71")
    for kode in ("61.71", "61.71.03", PALLIMA, SUNGAIJAWI_DALAM, AKCAYA):
        assert grouped[kode] == ik.ppks_per_kategori(dinas_db, per, kode), kode
    year = ik.Periode.dari("2025")
    grouped_year = dinas_recap._ppks_bertingkat(dinas_db, year, "61.71")
    for kode in ("61.71", PALLIMA):
        assert grouped_year[kode] == ik.ppks_per_kategori(dinas_db, year, kode), kode
    total = grouped["61.71.03"][-1]
    assert total["jumlah"] == 3 + 1 + 2 + 2 + 1 and total["dilayani"] == 7


def test_ppks_per_area_counts_kecamatan_records_and_shared_people_once(db):
    # The hand-built month: P24 is recorded on Kec. Pontianak Barat without a kelurahan, P25 (A) and
    # P23 (B) share a NIK. Every level must equal the engine's own breakdown for that area.
    from tests.db import rekap_fixture as F

    F.build(db)
    for periode in (ik.Periode.dari("2025-12"), ik.Periode.dari("2025")):
        grouped = dinas_recap._ppks_bertingkat(db, periode, "61.71")
        for kode in ("61.71", F.K, F.A, F.B):
            assert grouped[kode] == ik.ppks_per_kategori(db, periode, kode), (periode, kode)
        kec, kel = grouped[F.K][-1], [grouped[c][-1] for c in (F.A, F.B)]
        assert kec["jumlah"] == sum(r["jumlah"] for r in kel)  # + P24, - the shared person


def test_completeness_duplicates_targets_and_bnba(kota, dinas_db, tmp_path):
    dinas.simpan_target(dinas_db, 2025, "SPM_LANSIA", "80")
    dinas.pilih_skala(dinas_db, "PONTIANAK")
    wb = load_workbook(dinas_recap.write_dinas_recap(dinas_db, "2025-11", tmp_path / "g.xlsx"))
    _h, rows = _rows(wb["Kelengkapan"])
    status = {r[0]: r[3] for r in rows}
    assert len(status) == 29
    assert status[PALLIMA] == status[AKCAYA] == status[SUNGAIJAWI_DALAM] == "Tepat waktu"
    assert status["61.71.06.1001"] == "Belum mengirim"
    ws = wb["Data Ganda"]
    h, rows = _rows(ws, "Kode Wilayah A")
    assert len(rows) == 1 and rows[0][2] == SHARED_NIK
    nik_cell = next(c for c in ws[ws.max_row] if c.value == SHARED_NIK)
    assert nik_cell.data_type == "s" and nik_cell.number_format == "@"
    h, rows = _rows(wb["Target dan Capaian"])
    (row,) = rows
    assert row[1] == "SPM_LANSIA" and row[5] == 80
    lansia = ik.hitung_indikator(dinas_db, ik.Periode.dari("2025-11").tahun_berjalan(), "61.71", ["SPM_LANSIA"])
    assert row[6] == pytest.approx(lansia["SPM_LANSIA"].nilai)
    assert row[7] == pytest.approx(lansia["SPM_LANSIA"].nilai / 80 * 100)
    assert row[8] == ik.predikat(dinas_db, row[7])
    h, rows = _rows(wb["BNBA"])
    assert len(rows) == 2 + 1 + 1 + 2 + 3 + 2  # every service of November in the three kelurahan
    assert {r[0] for r in rows} == {PALLIMA, SUNGAIJAWI_DALAM, AKCAYA}


def test_year_recap_has_the_grid_and_no_bnba(kota, dinas_db, tmp_path):
    wb = load_workbook(dinas_recap.write_dinas_recap(dinas_db, "2025", tmp_path / "t.xlsx"))
    assert "BNBA" not in wb.sheetnames
    header, rows = _rows(wb["Kelengkapan"])
    assert header[3:15] == ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    pallima = next(r for r in rows if r[0] == PALLIMA)
    assert pallima[13] == "Tepat" and pallima[12] == "Belum" and pallima[-1] == 1


def test_only_at_a_dinas_and_only_xlsx(db, dinas_db, tmp_path):
    with pytest.raises(KnownError, match="hanya dibuat di basis data Dinas"):
        dinas_recap.write_dinas_recap(db, "2025-11", tmp_path / "x.xlsx")
    with pytest.raises(KnownError, match=".xlsx"):
        dinas_recap.write_dinas_recap(dinas_db, "2025-11", tmp_path / "x.csv")
    with pytest.raises(KnownError, match="tidak ada"):
        dinas_recap.write_dinas_recap(dinas_db, "2025-11", tmp_path / "nope" / "x.xlsx")


def test_bnba_can_be_left_out(kota, dinas_db, tmp_path):
    wb = load_workbook(dinas_recap.write_dinas_recap(dinas_db, "2025-11", tmp_path / "g.xlsx", bnba=False))
    assert "BNBA" not in wb.sheetnames and "Matriks SPM" in wb.sheetnames
