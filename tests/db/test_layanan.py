"""Recording services: validation, warnings, cancelling, distributions, lists (DOMAIN.md §6)."""
import pytest

from db import kuitansi, layanan, records
from db.errors import KnownError, ValidationError
from db.layanan import DistribusiError, PerluKonfirmasi
from tests.db.layanan_helpers import TODAY, bencana, korban, orang, orang_banyak, ppks

PERMAKANAN = "1.06.04.2.01.0001"
MAKANAN_BENCANA = "1.06.06.2.01.0001"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


def catat(db, orang_id, **kw):
    values = {"orang_id": orang_id, "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02", "nilai": "150.000",
              "sumber_dana": "APBD_KOTA"}
    values.update(kw)
    return layanan.catat_layanan(db, values)


def test_records_a_service_with_its_receipt_and_catalogue_unit(db):
    o = orang(db)
    rec = catat(db, o["id"], kode_layanan="1.06.04.2.01.01", jumlah="2", petugas="Andi")
    assert rec["kode_layanan"] == PERMAKANAN  # 2-digit form stored in 4-digit form
    assert rec["satuan"] == "paket"  # default from the catalogue
    assert rec["jumlah"] == 2 and rec["nilai"] == 150000 and rec["status"] == "aktif"
    assert rec["kuitansi"]["nomor"] == "TT/61.71.03.1001/2026/00001"
    second = catat(db, o["id"], tanggal="2026-03-03")
    assert second["kuitansi"]["nomor"] == "TT/61.71.03.1001/2026/00002"
    stored = records.get(db, "layanan", rec["id"])
    assert stored["petugas"] == "Andi" and stored["sumber_dana"] == "APBD_KOTA"
    assert [h["aksi"] for h in records.history(db, "layanan", rec["id"])] == ["tambah"]


def test_unit_can_be_changed_and_given_by_name(db):
    o = orang(db)
    rec = catat(db, o["id"], satuan="Orang/Kali")
    assert rec["satuan"] == "orang_kali"
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], satuan="karung", tanggal="2026-03-04")
    assert "Satuan 'karung' tidak dikenal" in exc.value.errors["satuan"]


@pytest.mark.parametrize("nilai", ["1.500.000", "Rp 1.500.000", "1,500,000", "Rp1500000", 1500000])
def test_value_forms_mean_the_same(db, nilai):
    rec = catat(db, orang(db)["id"], nilai=nilai)
    assert records.get(db, "layanan", rec["id"])["nilai"] == 1500000


@pytest.mark.parametrize("nilai", ["1.5jt", "1,5 juta", "-150000", "150000.50"])
def test_shorthand_or_negative_values_are_refused(db, nilai):
    with pytest.raises(ValidationError) as exc:
        catat(db, orang(db)["id"], nilai=nilai)
    assert set(exc.value.errors) == {"nilai"}
    assert hitung(db) == 0


def hitung(db):
    return db.execute("SELECT count(*) FROM layanan").fetchone()[0]


def test_date_before_birth_is_refused(db):
    o = orang(db, tanggal_lahir="2026-02-01", nik=None)
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], tanggal="2026-01-31")
    assert exc.value.errors["tanggal"] == "Tanggal layanan sebelum tanggal lahir Siti Rahmah (01/02/2026)"
    assert catat(db, o["id"], tanggal="2026-02-01")["tanggal"] == "2026-02-01"  # the birth day itself is fine


def test_date_in_the_future_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        catat(db, orang(db)["id"], tanggal="11/03/2026")
    assert exc.value.errors["tanggal"] == "Tanggal layanan 11/03/2026 belum terjadi (di masa depan)"
    assert catat(db, orang(db, nik=None, nama="B")["id"], tanggal=TODAY)["tanggal"] == TODAY


def test_missing_or_garbled_date_is_refused(db):
    o = orang(db)
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], tanggal="")
    assert exc.value.errors["tanggal"] == "Tanggal layanan wajib diisi"
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], tanggal="31/02/2026")
    assert "tidak ada di kalender" in exc.value.errors["tanggal"]


@pytest.mark.parametrize("kode,pesan", [
    ("1.06.04.2.01.0099", "Kode layanan '1.06.04.2.01.0099' tidak dikenal"),
    ("permakanan", "Kode layanan 'permakanan' tidak dikenal"),
    ("1.06.02.2.03.0001", "bukan layanan yang dicatat per penerima (dihitung dari kegiatan PSKS)"),
    ("1.06.05.2.02.01", "bukan layanan yang dicatat per penerima (dihitung dari register PPKS)"),
    ("", "Kode layanan (sub-kegiatan) wajib diisi"),
])
def test_unknown_or_non_service_codes_are_refused(db, kode, pesan):
    with pytest.raises(ValidationError) as exc:
        catat(db, orang(db)["id"], kode_layanan=kode)
    assert pesan in exc.value.errors["kode_layanan"]


@pytest.mark.parametrize("jumlah", [0, -1, "-2", "0,0"])
def test_zero_or_negative_quantity_is_refused(db, jumlah):
    with pytest.raises(ValidationError) as exc:
        catat(db, orang(db)["id"], jumlah=jumlah)
    assert exc.value.errors["jumlah"] == "Jumlah harus lebih dari 0"


def test_fractional_quantity_and_text_quantity(db):
    o = orang(db)
    assert catat(db, o["id"], jumlah="2,5")["jumlah"] == 2.5
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], jumlah="dua", tanggal="2026-03-05")
    assert exc.value.errors["jumlah"] == "'dua' bukan angka"


def test_funding_source_by_code_or_name_and_unknown_refused(db):
    o = orang(db)
    assert catat(db, o["id"], sumber_dana="APBN/Kemensos")["sumber_dana"] == "APBN"
    assert catat(db, o["id"], sumber_dana="apbd provinsi", tanggal="2026-03-03")["sumber_dana"] == "APBD_PROV"
    assert catat(db, o["id"], sumber_dana=None, tanggal="2026-03-04")["sumber_dana"] is None
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], sumber_dana="Hibah Luar Negeri", tanggal="2026-03-05")
    assert "Sumber dana 'Hibah Luar Negeri' tidak dikenal" in exc.value.errors["sumber_dana"]


def test_unknown_person_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        catat(db, "01NOTAPERSON")
    assert exc.value.errors == {"orang_id": "Penerima tidak ditemukan di register"}
    with pytest.raises(ValidationError) as exc:
        catat(db, None)
    assert exc.value.errors == {"orang_id": "Pilih penerima"}


def test_deleted_person_needs_confirmation(db):
    o = orang(db)
    records.soft_delete(db, "orang", o["id"], "data ganda")
    with pytest.raises(PerluKonfirmasi) as exc:
        catat(db, o["id"])
    assert exc.value.warnings == ["Siti Rahmah sudah dihapus dari register (alasan: data ganda)"]
    assert hitung(db) == 0
    rec = layanan.catat_layanan(db, {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02"},
                                konfirmasi=True)
    assert rec["kuitansi"]["nomor"].endswith("/00001")


def test_all_registrations_closed_before_the_date_needs_confirmation(db):
    o = orang(db)
    ppks(db, o["id"], status="ditutup", tanggal_tutup="2026-02-15", alasan_tutup="meninggal")
    ppks(db, o["id"], kategori="24", status="ditutup", tanggal_tutup="2026-01-15", alasan_tutup="pindah")
    with pytest.raises(PerluKonfirmasi) as exc:
        catat(db, o["id"])
    assert len(exc.value.warnings) == 1
    assert exc.value.warnings[0].startswith("Semua registrasi PPKS Siti Rahmah sudah ditutup sebelum tanggal layanan")
    # Closed after the service date: no warning.
    assert catat(db, o["id"], tanggal="2026-01-10")["status"] == "aktif"


def test_one_open_registration_means_no_warning(db):
    o = orang(db)
    ppks(db, o["id"], status="ditutup", tanggal_tutup="2026-02-15", alasan_tutup="pindah")
    ppks(db, o["id"], kategori="24")
    check = layanan.periksa(db, {"orang_id": o["id"], "kode_layanan": PERMAKANAN, "tanggal": "2026-03-02"})
    assert check.ok and check.warnings == []


def test_same_service_same_day_needs_confirmation(db):
    o = orang(db)
    catat(db, o["id"])
    with pytest.raises(PerluKonfirmasi) as exc:
        catat(db, o["id"])
    assert "sudah menerima layanan ini pada tanggal yang sama (kuitansi TT/61.71.03.1001/2026/00001)" in exc.value.pesan


def test_household_line_needs_a_family_card(db):
    o = orang(db, no_kk=None)
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], kode_layanan="1.06.05.2.02.0003")
    assert "belum punya No. KK" in exc.value.errors["no_kk"]
    o2 = orang(db, nama="Ahmad", nik=None, no_kk="6171030101200001")
    rec = catat(db, o2["id"], kode_layanan="1.06.05.2.02.0003")
    assert rec["no_kk"] == "6171030101200001" and rec["satuan"] == "KK"


def test_disaster_aid_needs_the_event_and_a_registered_victim(db):
    o = orang(db)
    ev = bencana(db, tanggal="2026-03-01", lama=7)
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], kode_layanan=MAKANAN_BENCANA)
    assert "pilih kejadian bencananya" in exc.value.errors["bencana_id"]
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], kode_layanan=MAKANAN_BENCANA, bencana_id=ev["id"])
    assert exc.value.errors["bencana_id"] == (
        "Siti Rahmah bukan korban terdaftar kejadian bencana ini; daftarkan dulu sebagai korban")
    korban(db, ev["id"], o["id"])
    inside = catat(db, o["id"], kode_layanan=MAKANAN_BENCANA, bencana_id=ev["id"], tanggal="2026-03-08")
    assert inside["terlambat"] == 0 and inside["satuan"] == "paket"
    late = catat(db, o["id"], kode_layanan=MAKANAN_BENCANA, bencana_id=ev["id"], tanggal="2026-03-09")
    assert late["terlambat"] == 1
    with pytest.raises(ValidationError) as exc:
        catat(db, o["id"], kode_layanan=MAKANAN_BENCANA, bencana_id=ev["id"], tanggal="2026-02-28")
    assert exc.value.errors["tanggal"] == "Tanggal layanan sebelum kejadian bencana (01/03/2026)"


def test_victim_of_another_event_is_refused(db):
    o = orang(db)
    ev1, ev2 = bencana(db, kode="A"), bencana(db, kode="B")
    korban(db, ev1["id"], o["id"])
    with pytest.raises(ValidationError):
        catat(db, o["id"], kode_layanan=MAKANAN_BENCANA, bencana_id=ev2["id"])


def test_other_services_may_name_an_event_without_victim_check(db):
    o = orang(db)
    ev = bencana(db)
    rec = catat(db, o["id"], kode_layanan="1.06.04.2.01.0010", bencana_id=ev["id"])
    assert rec["bencana_id"] == ev["id"]


def test_validator_hook_sees_the_batch(db):
    seen = []

    def no_big_values(database, rows, temuan):
        seen.append(len(rows))
        for row, t in zip(rows, temuan):
            if row["nilai"] > 1_000_000:
                t.errors["nilai"] = "terlalu besar"

    layanan.register_validator(no_big_values)
    try:
        with pytest.raises(ValidationError) as exc:
            catat(db, orang(db)["id"], nilai="2.000.000")
        assert exc.value.errors == {"nilai": "terlalu besar"}
        assert seen == [1]
    finally:
        layanan.unregister_validator(no_big_values)
    assert catat(db, orang(db, nik=None, nama="X")["id"], nilai="2.000.000")["nilai"] == 2_000_000


def test_closed_month_is_refused(db):
    db.execute("INSERT INTO periode_tutup (periode, ditutup) VALUES ('2026-02', 1)")
    with pytest.raises(ValidationError) as exc:
        catat(db, orang(db)["id"], tanggal="2026-02-20")
    assert "Bulan Februari 2026 sudah ditutup" in exc.value.errors["tanggal"]


def test_unknown_psks_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        catat(db, orang(db)["id"], psks_id="01NOPSKS")
    assert "psks_id" in exc.value.errors


def test_cancel_keeps_the_number_and_never_reuses_it(db):
    o = orang(db)
    first = catat(db, o["id"])
    with pytest.raises(ValidationError):
        layanan.batalkan_layanan(db, first["id"], "  ")
    cancelled = layanan.batalkan_layanan(db, first["id"], "salah penerima")
    assert cancelled["status"] == "batal" and cancelled["alasan_batal"] == "salah penerima"
    assert cancelled["tanggal_batal"] == TODAY
    assert kuitansi.kuitansi_of(db, first["id"])["nomor"] == "TT/61.71.03.1001/2026/00001"
    with pytest.raises(KnownError, match="sudah dibatalkan"):
        layanan.batalkan_layanan(db, first["id"], "lagi")
    again = catat(db, o["id"])  # the cancelled one does not count as "same service same day"
    assert again["kuitansi"]["nomor"] == "TT/61.71.03.1001/2026/00002"
    assert [h["aksi"] for h in records.history(db, "layanan", first["id"])] == ["tambah", "ubah"]


def test_distribution_is_one_transaction_with_one_receipt_each(db):
    people = orang_banyak(db, 3)
    ids = [p["id"] for p in people]
    result = layanan.catat_distribusi(db, ids + [ids[0]], {"kode_layanan": PERMAKANAN, "tanggal": "2026-03-05",
                                                           "nilai": "Rp 50.000", "sumber_dana": "APBN"})
    assert len(result.layanan) == 3
    assert {r["distribusi_id"] for r in result.layanan} == {result.distribusi_id}
    assert [k["nomor"][-5:] for k in result.kuitansi] == ["00001", "00002", "00003"]
    assert layanan.layanan_distribusi(db, result.distribusi_id) == result.layanan_ids
    assert layanan.hitung_layanan(db, distribusi_id=result.distribusi_id) == 3


def test_distribution_with_one_bad_recipient_writes_nothing(db):
    people = orang_banyak(db, 3)
    baby = orang(db, nama="Bayi", nik=None, tanggal_lahir="2026-03-07")
    ids = [p["id"] for p in people] + [baby["id"]]
    with pytest.raises(DistribusiError) as exc:
        layanan.catat_distribusi(db, ids, {"kode_layanan": PERMAKANAN, "tanggal": "2026-03-05"})
    assert list(exc.value.per_orang) == [baby["id"]]
    assert exc.value.errors["penerima"].startswith("1 penerima tidak dapat dicatat — Bayi: Tanggal layanan sebelum")
    assert hitung(db) == 0
    assert db.execute("SELECT count(*) FROM kuitansi").fetchone()[0] == 0
    rec = catat(db, people[0]["id"])
    assert rec["kuitansi"]["nomor"].endswith("/00001")  # the failed batch took no number


def test_distribution_common_errors_and_empty_selection(db):
    with pytest.raises(ValidationError) as exc:
        layanan.catat_distribusi(db, [], {"kode_layanan": PERMAKANAN, "tanggal": "2026-03-05"})
    assert exc.value.errors == {"penerima": "Pilih minimal satu penerima"}
    people = orang_banyak(db, 2)
    with pytest.raises(DistribusiError) as exc:
        layanan.catat_distribusi(db, [p["id"] for p in people], {"kode_layanan": PERMAKANAN, "tanggal": "2026-03-05",
                                                                 "jumlah": 0})
    assert exc.value.errors == {"jumlah": "Jumlah harus lebih dari 0"}


def test_distribution_warnings_need_confirmation(db):
    people = orang_banyak(db, 2)
    records.soft_delete(db, "orang", people[1]["id"], "pindah")
    values = {"kode_layanan": PERMAKANAN, "tanggal": "2026-03-05"}
    with pytest.raises(PerluKonfirmasi) as exc:
        layanan.catat_distribusi(db, [p["id"] for p in people], values)
    assert exc.value.warnings == ["Lansia 0002 sudah dihapus dari register (alasan: pindah)"]
    result = layanan.catat_distribusi(db, [p["id"] for p in people], values, konfirmasi=True)
    assert len(result.layanan) == 2 and result.warnings == exc.value.warnings


def test_cancel_a_whole_distribution(db):
    people = orang_banyak(db, 3)
    result = layanan.catat_distribusi(db, [p["id"] for p in people], {"kode_layanan": PERMAKANAN,
                                                                      "tanggal": "2026-03-05"})
    assert layanan.batalkan_distribusi(db, result.distribusi_id, "paket rusak") == 3
    assert layanan.hitung_layanan(db, status="batal") == 3


def test_list_filters_and_paging(db):
    a = orang(db)
    b = orang(db, nama="Ahmad Yani", nik="6171030101800002", tanggal_lahir="1980-01-01")
    catat(db, a["id"], tanggal="2026-02-10", sumber_dana="APBN")
    catat(db, a["id"], tanggal="2026-03-02", kode_layanan="1.06.04.2.01.0002", nilai="200.000")
    catat(db, b["id"], tanggal="2026-03-03")
    assert [r["tanggal"] for r in layanan.daftar_layanan(db)] == ["2026-03-03", "2026-03-02", "2026-02-10"]
    assert layanan.hitung_layanan(db, periode="2026-03") == 2
    assert layanan.hitung_layanan(db, periode="2026") == 3
    assert layanan.hitung_layanan(db, orang_id=a["id"]) == 2
    assert layanan.hitung_layanan(db, kode_layanan="1.06.04.2.01.02") == 1
    assert layanan.hitung_layanan(db, kode_layanan="1.06.04.2.01") == 3
    assert layanan.hitung_layanan(db, sumber_dana="APBN") == 1
    assert layanan.hitung_layanan(db, cari="ahmad") == 1
    assert layanan.hitung_layanan(db, cari="6171030101") == 1
    assert layanan.hitung_layanan(db, cari="2026/00002") == 1
    page = layanan.daftar_layanan(db, offset=1, limit=1, urut="nama")
    assert [r["nama"] for r in page] == ["Siti Rahmah"]
    first = layanan.daftar_layanan(db, urut="nilai", turun=True, limit=1)[0]
    assert first["nilai"] == 200000 and first["layanan_nama"] == "Penyediaan Sandang"
    assert first["nomor_kuitansi"] == "TT/61.71.03.1001/2026/00002" and first["satuan_nama"] == "Stel"
    assert layanan.ringkasan_layanan(db, periode="2026-03") == {"jumlah_layanan": 2, "penerima": 2, "nilai": 350000}
    assert layanan.periode_tersedia(db) == ["2026-03", "2026-02"]
    with pytest.raises(KnownError):
        layanan.daftar_layanan(db, periode="2026-13")


def test_recipient_search_and_candidates(db):
    a = orang(db)
    b = orang(db, nama="Ahmad Yani", nik="6171030101800002", tanggal_lahir="1980-01-01", rt="7")
    c = orang(db, nama="Tanpa Registrasi", nik=None)
    ppks(db, a["id"], kategori="8")
    ppks(db, b["id"], kategori="9a", terlantar=1)
    ppks(db, c["id"], kategori="24", status="ditutup", tanggal_tutup="2025-12-01", alasan_tutup="pindah")
    assert [r["nama"] for r in layanan.cari_penerima(db, "siti")] == ["Siti Rahmah"]
    assert [r["nama"] for r in layanan.cari_penerima(db, "617103 0101")] == ["Ahmad Yani"]
    assert [r["nama"] for r in layanan.calon_penerima(db)] == ["Ahmad Yani", "Siti Rahmah"]
    assert [r["nama"] for r in layanan.calon_penerima(db, kategori="9")] == ["Ahmad Yani"]
    assert [r["nama"] for r in layanan.calon_penerima(db, kelompok_spm="LANSIA")] == ["Siti Rahmah"]
    assert [r["nama"] for r in layanan.calon_penerima(db, rt="007")] == ["Ahmad Yani"]
    assert [r["nama"] for r in layanan.calon_penerima(db, hanya_aktif=False, kategori="24")] == ["Tanpa Registrasi"]
    ev = bencana(db)
    korban(db, ev["id"], c["id"])
    assert [r["nama"] for r in layanan.calon_penerima(db, bencana_id=ev["id"])] == ["Tanpa Registrasi"]
