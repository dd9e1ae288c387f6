"""Receipt numbers, check values, the print counter and what a receipt shows."""
import pytest

from db import kuitansi, layanan, records
from db.errors import KnownError
from db.install import get_install, get_setting
from tests.db.layanan_helpers import NIK_SITI, TODAY, bencana, orang

PERMAKANAN = "1.06.04.2.01.0001"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


def catat(db, orang_id, **kw):
    values = {"orang_id": orang_id, "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02", "nilai": "1.500.000"}
    values.update(kw)
    return layanan.catat_layanan(db, values, konfirmasi=True)


def test_numbers_count_per_year_of_the_service_date(db):
    o = orang(db)
    a = catat(db, o["id"], tanggal="2025-12-31")
    b = catat(db, o["id"], tanggal="2026-01-01")
    c = catat(db, o["id"], tanggal="2025-11-30")
    assert [x["kuitansi"]["nomor"] for x in (a, b, c)] == [
        "TT/61.71.03.1001/2025/00001", "TT/61.71.03.1001/2026/00001", "TT/61.71.03.1001/2025/00002"]
    k = kuitansi.kuitansi_of(db, a["id"])
    assert (k["tahun"], k["urut"], k["jumlah_cetak"]) == (2025, 1, 0)
    assert kuitansi.layanan_id_dari_nomor(db, "TT/61.71.03.1001/2025/00002") == c["id"]


def test_check_value_is_an_hmac_with_a_stored_per_install_secret(db):
    o = orang(db)
    rec = catat(db, o["id"])
    secret = get_setting(db, kuitansi.KUNCI_RAHASIA)
    assert secret and len(secret) == 64
    k = rec["kuitansi"]
    inst = get_install(db)
    expected = kuitansi.hitung_kode_cek(bytes.fromhex(secret), k["nomor"], inst.install_id, rec["id"], 1500000)
    assert k["kode_cek"] == expected and len(expected) == 16
    catat(db, o["id"], tanggal="2026-03-03")
    assert get_setting(db, kuitansi.KUNCI_RAHASIA) == secret  # made once, then kept


def test_qr_text_round_trips_and_verifies(db):
    rec = catat(db, orang(db)["id"])
    inst = get_install(db)
    text = kuitansi.isi_qr(rec["kuitansi"], inst.install_id)
    assert text == f"KESOS-TT|1|TT/61.71.03.1001/2026/00001|{inst.install_id}|{rec['kuitansi']['kode_cek']}"
    assert kuitansi.baca_qr(text) == {"nomor": rec["kuitansi"]["nomor"], "install_id": inst.install_id,
                                      "kode_cek": rec["kuitansi"]["kode_cek"]}
    assert kuitansi.verifikasi_qr(db, text) == (True, "Kuitansi TT/61.71.03.1001/2026/00001 asli")


def test_tampered_or_foreign_receipts_fail_verification(db):
    rec = catat(db, orang(db)["id"])
    inst = get_install(db)
    text = kuitansi.isi_qr(rec["kuitansi"], inst.install_id)
    assert kuitansi.verifikasi_qr(db, "hello") == (False, "Kode QR ini bukan kuitansi Kesos Lapangan")
    forged = text[:-1] + ("0" if text[-1] != "0" else "1")
    assert kuitansi.verifikasi_qr(db, forged) == (False, "Kode cek tidak cocok: isi kuitansi telah diubah")
    other = text.replace("/00001", "/00009")
    assert kuitansi.verifikasi_qr(db, other)[0] is False
    # Changing the amount behind the receipt's back breaks the check value.
    db.execute("UPDATE layanan SET nilai = 2500000 WHERE id = ?", [rec["id"]])
    assert kuitansi.verifikasi_qr(db, text) == (False, "Kode cek tidak cocok: isi kuitansi telah diubah")


def test_cancelled_receipt_verifies_as_cancelled(db):
    rec = catat(db, orang(db)["id"])
    layanan.batalkan_layanan(db, rec["id"], "salah input")
    text = kuitansi.isi_qr(rec["kuitansi"], get_install(db).install_id)
    assert kuitansi.verifikasi_qr(db, text) == (True, "Kuitansi TT/61.71.03.1001/2026/00001 asli, tetapi layanannya DIBATALKAN")
    assert kuitansi.data_kuitansi(db, [rec["id"]])[0].batal is True


def test_print_counter_turns_receipts_into_copies(db):
    rec = catat(db, orang(db)["id"])
    assert kuitansi.data_kuitansi(db, [rec["id"]])[0].salinan is False
    kuitansi.catat_cetak(db, [rec["id"]])
    k = kuitansi.kuitansi_of(db, rec["id"])
    assert k["jumlah_cetak"] == 1 and k["pertama_dicetak"] == k["terakhir_dicetak"]
    d = kuitansi.data_kuitansi(db, [rec["id"]])[0]
    assert d.salinan is True and d.jumlah_cetak == 1
    kuitansi.catat_cetak(db, [rec["id"]])
    assert kuitansi.kuitansi_of(db, rec["id"])["jumlah_cetak"] == 2
    assert [h["aksi"] for h in records.history(db, "kuitansi", k["id"])] == ["tambah", "ubah", "ubah"]


@pytest.mark.parametrize("nilai,teks", [
    (1500000, "Satu juta lima ratus ribu rupiah"),
    (0, "Nol rupiah"),
    (1000, "Seribu rupiah"),
    (2_750_500, "Dua juta tujuh ratus lima puluh ribu lima ratus rupiah"),
])
def test_amount_in_words(nilai, teks):
    assert kuitansi.terbilang_rupiah(nilai) == teks


def test_receipt_data_masks_the_nik_and_names_the_places(db):
    o = orang(db)
    ev = bencana(db)
    rec = catat(db, o["id"], kode_layanan="1.06.04.2.01.0010", bencana_id=ev["id"], jumlah="2",
                sumber_dana="APBN", petugas="Andi Saputra", keterangan="Diantar ke rumah")
    d = kuitansi.data_kuitansi(db, [rec["id"]])[0]
    assert d.nik_samaran == "617103********01" and NIK_SITI not in str(d.as_dict())
    assert d.pemerintah == "PEMERINTAH KOTA PONTIANAK" and d.instansi == "Dinas Sosial Kota Pontianak"
    assert d.wilayah == "Kelurahan Pallima, Kecamatan Pontianak Barat"
    assert d.alamat == "Jl. Merdeka No. 5, RT 003/RW 002, Kel. Pallima, Kec. Pontianak Barat"
    assert d.jumlah == "2 orang" and d.nilai_teks == "Rp 1.500.000"
    assert d.terbilang == "Satu juta lima ratus ribu rupiah"
    assert d.tempat == "Pontianak" and d.tanggal_teks == "2 Maret 2026"
    assert d.petugas_nama == "Andi Saputra" and d.lurah_jabatan == "Lurah Pallima" and d.lurah_nama == "Budi Santoso"
    assert d.sumber_dana == "APBN/Kemensos"
    assert d.bencana == "Banjir, 1 Maret 2026, RT 003 (kode BJR-01)"
    assert d.keterangan == "Diantar ke rumah"


def test_receipt_without_nik_and_default_officer(db):
    o = orang(db, nik=None, nik_sementara="TMP-0001")
    rec = catat(db, o["id"])
    d = kuitansi.data_kuitansi(db, [rec["id"]])[0]
    assert d.nik_samaran == "(NIK belum ada)"
    assert (d.petugas_nama, d.petugas_keterangan) == ("Siti Aminah", "PSM Kelurahan Pallima")


def test_receipt_size_setting(db):
    assert kuitansi.ukuran(db) == "a5"
    assert kuitansi.set_ukuran(db, "80 mm") == "80mm"
    assert kuitansi.ukuran(db) == "80mm" and get_setting(db, "ukuran_kuitansi") == "80mm"
    assert kuitansi.set_ukuran(db, "A4") == "a4"
    with pytest.raises(KnownError, match="Ukuran kuitansi 'letter' tidak dikenal"):
        kuitansi.set_ukuran(db, "letter")
    with pytest.raises(KnownError):
        kuitansi.data_kuitansi(db, ["01NOSUCH"])


def test_missing_receipts_of_own_services_are_issued_on_demand(db):
    o = orang(db)
    rec = catat(db, o["id"])
    # A service that arrived without receipt (older/generated data), and one of another install.
    own = records.insert(db, "layanan", {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-01-05",
                                         "jumlah": 1, "satuan": "paket", "nilai": 0})
    foreign = records.insert(db, "layanan", {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-01-06",
                                             "jumlah": 1, "satuan": "paket", "nilai": 0, "install_id": "01OTHERINSTALL"})
    assert kuitansi.pastikan_kuitansi(db, [rec["id"], own["id"], foreign["id"]]) == 1
    assert kuitansi.kuitansi_of(db, own["id"])["nomor"] == "TT/61.71.03.1001/2026/00002"
    assert kuitansi.kuitansi_of(db, foreign["id"]) is None
    assert kuitansi.pastikan_kuitansi(db, [own["id"]]) == 0
    with pytest.raises(KnownError, match="tidak ditemukan"):
        kuitansi.data_kuitansi(db, [foreign["id"]])
