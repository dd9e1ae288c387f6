"""The event report: one A4 page of PDF, and the workbook read back cell by cell."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from db import bencana as B
from db import bencana_bantuan as BB
from db import korban as K

PALLIMA = "61.71.03.1001"
KK = "6171030101090007"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-09-15")


@pytest.fixture
def fire(db):
    ev = B.tambah_bencana(db, {"jenis_kode": "kebakaran_permukiman", "tanggal": "2025-09-05", "waktu": "23:10",
                               "kode_wilayah": PALLIMA, "kode_kejadian": "KBR-07", "lokasi": "Gg. Damai",
                               "rt": "003", "rw": "002", "kk_terdampak": 3, "jiwa_terdampak": 9, "rumah_rusak": 2,
                               "keterangan": "=SUM(A1) bukan rumus"})
    people = K.tambah_keluarga(
        db, ev["id"], {"nama": "Budi Hartono", "nik": "6171031205800001", "jenis_kelamin": "L",
                       "kelompok_rentan": "lansia"},
        [{"nama": "Siti Rahmah", "nik": "6171034307850002", "jenis_kelamin": "P", "kelompok_rentan": "ibu hamil, disabilitas"},
         {"nama": "Rizky", "jenis_kelamin": "L", "tempat_tinggal": "keluarga", "kelompok_rentan": "balita"}],
        no_kk=KK, alamat="Gg. Damai No. 7", tempat_tinggal="pengungsian")
    K.tambah_korban(db, ev["id"], orang={"nama": "Dewi", "jenis_kelamin": "P"}, tempat_tinggal="rumah sendiri")
    BB.bantuan_kejadian(db, ev["id"], {"kode_layanan": "1.06.06.2.01.01", "tanggal": "2025-09-06", "jumlah": 3,
                                       "nilai": 45000}, tempat_tinggal="pengungsian")
    BB.beri_bantuan(db, ev["id"], [people[2]["orang_id"]], {"kode_layanan": "1.06.06.2.01.02",
                                                            "tanggal": "2025-09-14", "nilai": 150000}, konfirmasi=True)
    return ev


def test_pdf_is_one_page_with_the_numbers(db, fire, tmp_path):
    import pdfplumber

    from exporters.laporan_bencana import write_laporan_pdf

    path = write_laporan_pdf(db, fire["id"], tmp_path / "laporan.pdf")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "LAPORAN KEJADIAN BENCANA" in text
    assert "KELURAHAN PALLIMA, KECAMATAN PONTIANAK BARAT, KOTA PONTIANAK" in text
    assert "Kebakaran Permukiman (bencana sosial)" in text
    assert "Jumat, 5 September 2025, pukul 23:10" in text
    assert "7 hari setelah kejadian: 05/09/2025 s.d. 12/09/2025" in text
    assert "3 KK, 9 jiwa terdampak, 2 rumah rusak" in text
    assert "Korban terdaftar (jiwa) 4" in text
    assert "Belum dilayani 1 25,00%" in text and "2 50,00%" in text and "Jumlah korban 4 100%" in text
    assert "1.06.06.2.01.01 Penyediaan Makanan 2 2 6 Paket 90.000 0" in text
    assert "1.06.06.2.01.02 Penyediaan Sandang 1 1 1 Stel 150.000 1" in text
    assert "Jumlah 3 240.000 1" in text
    assert "Budi Santoso" in text and "Siti Aminah" in text  # Lurah and reporter (conftest install)
    assert "Pontianak, 15 September 2025" in text


def test_xlsx_summary_and_by_name_list(db, fire, tmp_path):
    from exporters.laporan_bencana import write_laporan_xlsx

    path = write_laporan_xlsx(db, fire["id"], tmp_path / "laporan.xlsx")
    wb = load_workbook(path)
    ws = wb["Laporan"]
    cells = {}
    for row in ws.iter_rows():
        if row[0].value is not None:
            cells[row[0].value] = [c.value for c in row[1:]]
    assert ws["A2"].value == "LAPORAN KEJADIAN BENCANA"
    assert cells["Kode Kejadian"][0] == "KBR-07"
    assert cells["Jenis Bencana"][0] == "Kebakaran Permukiman"
    assert cells["Tanggal Kejadian"][0] == "05/09/2025"
    assert cells["Kode Wilayah"][0] == PALLIMA
    assert cells["Akhir Tanggap Darurat"][0] == "12/09/2025"
    assert cells["Lama Tanggap Darurat (hari)"][0] == 7
    assert cells["Keterangan"][0] == "=SUM(A1) bukan rumus"
    assert ws.cell(row=[c.row for c in ws["A"] if c.value == "Keterangan"][0], column=2).data_type == "s"
    assert cells["Korban terdaftar (jiwa)"][0] == 4
    assert cells["Tinggal: Tempat Pengungsian"][0] == 2
    assert cells["Dilayani dalam masa tanggap darurat"][:2] == [2, 0.5]
    assert cells["Dilayani di luar masa tanggap darurat"][:2] == [1, 0.25]
    assert cells["Belum dilayani"][:2] == [1, 0.25]
    assert cells["1.06.06.2.01.01"][:7] == ["Penyediaan Makanan", 2, 2, 6, "Paket", 90000, 0]
    assert cells["1.06.06.2.01.02"][:7] == ["Penyediaan Sandang", 1, 1, 1, "Stel", 150000, 1]
    assert cells["Lanjut Usia"][0] == 1 and cells["Ibu Hamil"][0] == 1 and cells["Balita"][0] == 1
    assert cells["Korban rentan (orang)"][0] == 3
    assert int(ws.page_setup.paperSize) == 9  # A4

    wk = wb["Daftar Korban"]
    head = [c.value for c in wk[1]]
    assert head[:6] == ["No", "Kode Kejadian", "NIK", "ID Sementara", "No KK", "Nama"]
    rows = [[c.value for c in r] for r in wk.iter_rows(min_row=2)]
    by_name = {r[5]: dict(zip(head, r)) for r in rows}
    assert by_name["Budi Hartono"]["NIK"] == "6171031205800001"
    budi = next(r for r in wk.iter_rows(min_row=2) if r[5].value == "Budi Hartono")
    assert budi[2].data_type == "s" and budi[2].number_format == "@"
    assert by_name["Budi Hartono"]["Kepala Keluarga"] == "Ya"
    assert by_name["Siti Rahmah"]["Kelompok Rentan"] == "Penyandang Disabilitas, Ibu Hamil"
    assert by_name["Rizky"]["Status Layanan"] == "Dilayani di luar masa tanggap darurat"
    assert by_name["Dewi"]["Status Layanan"] == "Belum dilayani"
    assert by_name["Dewi"]["NIK"] is None and by_name["Dewi"]["ID Sementara"]


def test_event_without_victims_or_aid(db, tmp_path):
    import pdfplumber

    from exporters.laporan_bencana import write_laporan_pdf, write_laporan_xlsx

    ev = B.tambah_bencana(db, {"jenis_kode": "banjir", "tanggal": "2025-09-14", "kode_wilayah": PALLIMA})
    path = write_laporan_pdf(db, ev["id"], tmp_path / "kosong.pdf")
    with pdfplumber.open(path) as pdf:
        assert "Belum ada bantuan tercatat." in pdf.pages[0].extract_text()
    write_laporan_xlsx(db, ev["id"], tmp_path / "kosong.xlsx")
    assert load_workbook(tmp_path / "kosong.xlsx")["Daftar Korban"].max_row == 1
