"""Receipt PDFs read back the way a user's tools read them: text (pdfplumber) and QR (zxing-cpp)."""
import io

import pdfplumber
import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from db import kuitansi, layanan
from db.install import get_install
from exporters import receipt_pdf
from tests.db.layanan_helpers import NIK_SITI, TODAY, orang, orang_banyak

PERMAKANAN = "1.06.04.2.01.0001"
MM = 72 / 25.4


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


@pytest.fixture
def service(db):
    o = orang(db)
    return layanan.catat_layanan(db, {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02",
                                      "jumlah": 2, "nilai": "Rp 1.500.000", "sumber_dana": "APBD_KOTA"})


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def read_qr(data: bytes, page: int = 0) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        image = pdf[page].render(scale=4).to_pil()
    finally:
        pdf.close()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("ukuran", ["a4", "a5", "80mm"])
def test_receipt_text_has_number_name_masked_nik_and_words(db, service, ukuran):
    data = receipt_pdf.pdf_kuitansi(db, [service["id"]], ukuran)
    (text,) = pages_text(data)
    flat = " ".join(text.split())
    assert "TT/61.71.03.1001/2026/00001" in flat
    assert "Siti Rahmah" in flat
    assert "617103********01" in flat
    assert NIK_SITI not in flat.replace(" ", "") and NIK_SITI not in data.decode("latin-1")
    assert "Satu juta lima ratus ribu rupiah" in flat
    assert "Rp 1.500.000" in flat
    assert "PEMERINTAH KOTA PONTIANAK" in flat and "DINAS SOSIAL" in flat
    assert "Kelurahan Pallima, Kecamatan Pontianak Barat" in flat
    assert "Penyediaan Permakanan" in flat and "1.06.04.2.01.0001" in flat and "2 paket" in flat
    assert "Pontianak, 2 Maret 2026" in flat
    assert "Yang menerima," in flat and "Mengetahui," in flat and "Lurah Pallima" in flat
    assert "( Budi Santoso )" in flat and "( Siti Aminah )" in flat
    assert "SALINAN" not in flat and "BATAL" not in flat


@pytest.mark.parametrize("ukuran", ["a4", "a5", "80mm"])
def test_qr_decodes_to_the_stored_number_install_and_check_value(db, service, ukuran):
    data = receipt_pdf.pdf_kuitansi(db, [service["id"]], ukuran)
    (text,) = read_qr(data)
    k = kuitansi.kuitansi_of(db, service["id"])
    parsed = kuitansi.baca_qr(text)
    assert parsed == {"nomor": k["nomor"], "install_id": get_install(db).install_id, "kode_cek": k["kode_cek"]}
    assert kuitansi.verifikasi_qr(db, text)[0] is True


def test_page_sizes(db, service):
    def size(data):
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        return round(float(box.width) / MM), round(float(box.height) / MM)

    assert size(receipt_pdf.pdf_kuitansi(db, [service["id"]], "a4")) == (210, 297)
    assert size(receipt_pdf.pdf_kuitansi(db, [service["id"]], "a5")) == (148, 210)
    w, h = size(receipt_pdf.pdf_kuitansi(db, [service["id"]], "80mm"))
    assert w == 80 and 120 < h < 260


def test_roll_height_follows_the_content(db, service):
    short = receipt_pdf.pdf_kuitansi(db, [service["id"]], "80mm")
    o = orang(db, nama="Budi", nik=None)
    long_note = layanan.catat_layanan(db, {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02",
                                           "keterangan": "Paket berisi beras, minyak, gula, telur. " * 8})
    longer = receipt_pdf.pdf_kuitansi(db, [long_note["id"]], "80mm")
    h_short = float(PdfReader(io.BytesIO(short)).pages[0].mediabox.height)
    h_long = float(PdfReader(io.BytesIO(longer)).pages[0].mediabox.height)
    assert h_long > h_short + 20
    assert len(PdfReader(io.BytesIO(longer)).pages) == 1
    assert "Paket berisi beras" in pages_text(longer)[0]


def test_written_receipt_counts_and_reprint_says_salinan(db, service, tmp_path):
    out = receipt_pdf.tulis_kuitansi(db, [service["id"]], tmp_path / "k.pdf", "a5")
    assert "SALINAN" not in pages_text((tmp_path / "k.pdf").read_bytes())[0]
    assert kuitansi.kuitansi_of(db, service["id"])["jumlah_cetak"] == 1
    receipt_pdf.tulis_kuitansi(db, [service["id"]], tmp_path / "k2.pdf", "a5")
    text = pages_text((tmp_path / "k2.pdf").read_bytes())[0]
    assert "SALINAN (cetakan ke-2)" in text
    assert out == str(tmp_path / "k.pdf")


def test_cancelled_service_prints_batal_with_its_number(db, service):
    layanan.batalkan_layanan(db, service["id"], "salah penerima")
    text = " ".join(pages_text(receipt_pdf.pdf_kuitansi(db, [service["id"]], "a4"))[0].split())
    assert "BATAL" in text and "TT/61.71.03.1001/2026/00001" in text
    assert "dibatalkan pada 10 Maret 2026: salah penerima" in text


def test_one_pdf_for_a_whole_distribution(db):
    people = orang_banyak(db, 4)
    result = layanan.catat_distribusi(db, [p["id"] for p in people], {"kode_layanan": PERMAKANAN,
                                                                      "tanggal": "2026-03-05", "nilai": "50000"})
    for ukuran in ("a5", "80mm"):
        data = receipt_pdf.pdf_kuitansi(db, result.layanan_ids, ukuran)
        texts = pages_text(data)
        assert len(texts) == 4
        for i, t in enumerate(texts):
            assert f"TT/61.71.03.1001/2026/{i + 1:05d}" in t and f"Lansia {i + 1:04d}" in t
    assert [kuitansi.baca_qr(read_qr(data, 3)[0])["nomor"]] == ["TT/61.71.03.1001/2026/00004"]


def test_user_text_is_escaped(db):
    o = orang(db, nama="Tom & <Jerry>", nik=None)
    rec = layanan.catat_layanan(db, {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02",
                                     "keterangan": "a < b & c"})
    text = pages_text(receipt_pdf.pdf_kuitansi(db, [rec["id"]], "a5"))[0]
    assert "Tom & <Jerry>" in text and "a < b & c" in text


def test_writing_to_an_unwritable_place_is_a_clear_error(db, service, read_only_dir, tmp_path):
    from db.errors import KnownError

    target = read_only_dir(_touch(tmp_path / "x.txt"))
    with pytest.raises(KnownError, match="tidak dapat ditulis"):
        receipt_pdf.tulis_kuitansi(db, [service["id"]], target.parent / "k.pdf")
    assert kuitansi.kuitansi_of(db, service["id"])["jumlah_cetak"] == 0


def _touch(path):
    path.write_text("x")
    return path


def test_fast_reed_solomon_matches_reportlab():
    import random

    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    from exporters.receipt_pdf import _qr_codewords

    rnd = random.Random(7)
    for n in range(40):
        text = "KESOS-TT|1|" + "".join(rnd.choice("ABCDEFTX0123456789/|.") for _ in range(rnd.randint(1, 200)))
        qr = QRCode(None, QRErrorCorrectLevel.M)
        qr.addData(text)
        qr.version = qr.calculate_version()
        assert _qr_codewords(qr) == QRCode.createData(qr.version, qr.errorCorrectLevel, qr.dataList), text


def test_long_texts_wrap_instead_of_running_off(db):
    o = orang(db, nama="Siti " + "Nurhaliza " * 8, nik=None, alamat="Jl. " + "Panjang Sekali " * 12)
    rec = layanan.catat_layanan(db, {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02"})
    for ukuran in ("a5", "80mm"):
        data = receipt_pdf.pdf_kuitansi(db, [rec["id"]], ukuran)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            assert all(ch["x1"] <= page.width - 8 for ch in page.chars)  # nothing in or beyond the margin
            assert len(pdf.pages) == 1
        assert "Panjang Sekali" in pages_text(data)[0]
