import datetime as dt

from db.indonesian import angka, periode_label, persen, rupiah, tanggal, tanggal_panjang


def test_numbers():
    assert angka(1800000) == "1.800.000"
    assert angka(2.5) == "2,5"
    assert angka(0) == "0"
    assert rupiah(1500000) == "Rp 1.500.000"
    assert persen(85.333) == "85,33%"


def test_dates():
    assert tanggal("2025-12-31") == "31/12/2025"
    assert tanggal_panjang(dt.date(2026, 8, 17), hari=True) == "Senin, 17 Agustus 2026"
    assert periode_label("2025-12") == "Desember 2025"
    assert periode_label("2025") == "Tahun 2025"
