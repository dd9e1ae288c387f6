"""Daftar hadir (attendance list) of a PSKS event: PDF and xlsx read back."""
import openpyxl
import pdfplumber
import pytest

from db import kegiatan as keg_db
from db.errors import KnownError
from exporters.daftar_hadir import daftar_hadir_data, write_daftar_hadir_pdf, write_daftar_hadir_xlsx
from tests.db.psks_data import make_psks
from tests.db.test_psks_indikator import pontianak_2025  # noqa: F401 - fixture


@pytest.fixture
def small_event(db, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")
    a = make_psks(db, "PSM", 1, nama="Ani Rahmawati")
    b = make_psks(db, "TAGANA", 2, nama="=Budi+1")  # would be a formula if written carelessly
    c = make_psks(db, "PENDAMPING_REHSOS", 3, nama="Citra Dewi", kode_wilayah="61.71.03.1002")
    return keg_db.create_kegiatan(db, {
        "kode_kegiatan": "BT-01", "nama": "Bimbingan Teknis Pendataan PPKS", "jenis": "bimbingan teknis",
        "kode_layanan": "1.06.02.2.03.01", "tanggal_mulai": "2025-11-20", "tanggal_selesai": "2025-11-21",
        "penyelenggara": "Dinas Sosial Kota Pontianak", "tempat": "Aula Kantor Lurah Pal Lima",
    }, {a["id"]: True, b["id"]: False, c["id"]: True})


def test_data_has_event_details_and_numbered_rows(db, small_event):
    data = daftar_hadir_data(db, small_event["id"])
    assert dict(data["details"])["Hari/tanggal"] == "Kamis, 20 November 2025 s.d. Jumat, 21 November 2025"
    assert dict(data["details"])["Sub kegiatan"] == (
        "1.06.02.2.03.01 Peningkatan Kemampuan Potensi Pekerja Sosial Masyarakat (PSM)")
    assert [(r["no"], r["nama"], r["jenis"], r["nomor_registrasi"], r["asal"]) for r in data["rows"]] == [
        (1, "Ani Rahmawati", "PSM", "PSM-0001", "Pallima"),
        (2, "=Budi+1", "Tagana", "TAGANA-0002", "Pallima"),
        (3, "Citra Dewi", "Pendamping Rehabilitasi Sosial", "PENDAMPING_REHSOS-0003", "Sungaijawi Dalam"),
    ]
    assert data["tempat_tanggal"] == "Pontianak, 20 November 2025"
    assert [r["nama"] for r in daftar_hadir_data(db, small_event["id"], hanya_hadir=True)["rows"]] == [
        "Ani Rahmawati", "Citra Dewi"]


def test_pdf_is_a4_with_text_fonts_and_signature_column(db, small_event, tmp_path):
    path = write_daftar_hadir_pdf(db, small_event["id"], tmp_path / "dh.pdf")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
        text = page.extract_text()
        fonts = {ch["fontname"] for ch in page.chars}
    assert "DAFTAR HADIR PESERTA" in text
    assert "Bimbingan Teknis Pendataan PPKS" in text
    assert "Hari/tanggal : Kamis, 20 November 2025 s.d. Jumat, 21 November 2025" in text
    assert "Tempat : Aula Kantor Lurah Pal Lima" in text
    assert "No Nama Jenis PSKS No. Registrasi Asal Tanda Tangan" in text
    assert "1 Ani Rahmawati PSM PSM-0001 Pallima 1. ......" in text
    assert "=Budi+1" in text
    assert "Jumlah peserta: 3 orang/lembaga" in text
    assert "Pontianak, 20 November 2025" in text and "Siti Aminah" in text
    assert "Halaman 1 dari 1" in text
    assert all("DejaVuSans" in f for f in fonts)


def test_pdf_of_134_participants_spans_pages_with_repeated_header(db, pontianak_2025, tmp_path):  # noqa: F811
    path = write_daftar_hadir_pdf(db, pontianak_2025["rakor"]["id"], tmp_path / "rakor.pdf", hanya_hadir=True)
    with pdfplumber.open(path) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) >= 4
    for i, t in enumerate(texts, start=1):
        assert "No Nama Jenis PSKS No. Registrasi Asal Tanda Tangan" in t
        assert f"Halaman {i} dari {len(texts)}" in t
    assert "Jumlah peserta: 134 orang/lembaga" in texts[-1]
    assert "134 . ......" not in texts[-1] and "134." in texts[-1]


def test_xlsx_reads_back_cell_by_cell(db, small_event, tmp_path):
    path = write_daftar_hadir_xlsx(db, small_event["id"], tmp_path / "dh.xlsx")
    ws = openpyxl.load_workbook(path)["Daftar Hadir"]
    assert ws["A1"].value == "DAFTAR HADIR PESERTA"
    assert ws["A2"].value == "Bimbingan Teknis Pendataan PPKS"
    header = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "No")
    assert [ws.cell(row=header, column=c).value for c in range(1, 7)] == [
        "No", "Nama", "Jenis PSKS", "No. Registrasi", "Asal", "Tanda Tangan"]
    rows = [[ws.cell(row=header + i, column=c).value for c in range(1, 7)] for i in (1, 2, 3)]
    assert rows[0] == [1, "Ani Rahmawati", "PSM", "PSM-0001", "Pallima", "1. ..............."]
    assert rows[1][1] == "=Budi+1" and ws.cell(row=header + 2, column=2).data_type == "s"
    assert ws.cell(row=header + 2, column=6).alignment.horizontal == "right"  # even numbers sign on the right
    assert ws.print_title_rows == f"${header}:${header}"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9 = A4
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "Jumlah peserta: 3 orang/lembaga" in values and "Siti Aminah" in values


def test_deleted_event_is_refused(db, small_event, tmp_path):
    keg_db.delete_kegiatan(db, small_event["id"], "batal")
    with pytest.raises(KnownError):
        write_daftar_hadir_pdf(db, small_event["id"], tmp_path / "x.pdf")
