"""The PSKS register: people and institutions, uniqueness, status, soft delete."""
import pytest

from db import psks as psks_db
from db.errors import KnownError, ValidationError
from tests.db.psks_data import make_psks, nik


def test_person_is_registered_with_type_bentuk_and_clean_values(db):
    rec = psks_db.create_psks(db, {
        "jenis_kode": "PSM", "nama": "  Rudi Hartono ", "nik": "6171 0315 0890 0001", "jenis_kelamin": "l",
        "nomor_registrasi": "PSM/61.71/001", "tanggal_mulai_aktif": "15/01/2024", "telepon": "0812 555",
        "nomor_dokumen": "SK 462/12/2024", "tanggal_dokumen": "2 Januari 2024",
    })
    got = psks_db.get_psks(db, rec["id"])
    assert got["bentuk"] == "orang"
    assert got["nama"] == "Rudi Hartono"
    assert got["nik"] == "6171031508900001"
    assert got["jenis_kelamin"] == "L"
    assert got["kode_wilayah"] == "61.71.03.1001"  # the install's area by default
    assert got["tanggal_mulai_aktif"] == "2024-01-15"
    assert got["tanggal_dokumen"] == "2024-01-02"
    assert got["status"] == "aktif" and got["tanggal_nonaktif"] is None
    assert got["jenis_nama"] == "Pekerja Sosial Masyarakat" and got["wilayah_nama"] == "Pallima"
    assert [h["aksi"] for h in psks_db.psks_history(db, rec["id"])] == ["tambah"]


def test_institution_has_head_and_address_and_refuses_person_fields(db):
    rec = psks_db.create_psks(db, {
        "jenis_kode": "KARTAR", "nama": "Karang Taruna Pal Lima", "nama_ketua": "Andi",
        "alamat": "Jl. Pak Benceng No. 5", "nomor_dokumen": "SK Lurah 12/2023",
    })
    assert rec["bentuk"] == "lembaga" and rec["nama_ketua"] == "Andi"
    with pytest.raises(ValidationError) as exc:
        psks_db.create_psks(db, {"jenis_kode": "LKS", "nama": "LKS Harapan", "nik": nik(3), "jenis_kelamin": "L"})
    assert "Lembaga Kesejahteraan Sosial adalah lembaga" in exc.value.errors["nik"]
    assert "jenis_kelamin" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        psks_db.create_psks(db, {"jenis_kode": "TKSK", "nama": "Budi", "nama_ketua": "X"})
    assert "Nama Ketua hanya untuk lembaga" in exc.value.errors["nama_ketua"]


def test_required_fields_and_unknown_type(db):
    with pytest.raises(ValidationError) as exc:
        psks_db.create_psks(db, {"jenis_kode": "", "nama": " "})
    assert exc.value.errors["jenis_kode"] == "Jenis PSKS wajib dipilih"
    assert exc.value.errors["nama"] == "Nama wajib diisi"
    with pytest.raises(ValidationError) as exc:
        psks_db.create_psks(db, {"jenis_kode": "SUPERHERO", "nama": "X", "kode_wilayah": "99.99"})
    assert exc.value.errors["jenis_kode"] == "Jenis PSKS 'SUPERHERO' tidak dikenal"
    assert "tidak dikenal" in exc.value.errors["kode_wilayah"]


def test_invalid_nik_blocks_and_mismatch_only_warns(db):
    with pytest.raises(ValidationError) as exc:
        psks_db.create_psks(db, {"jenis_kode": "PSM", "nama": "A", "nik": "12345"})
    assert "16 digit" in exc.value.errors["nik"]
    check = psks_db.check_psks(db, {"jenis_kode": "PSM", "nama": "A", "nik": nik(1), "jenis_kelamin": "P",
                                    "kode_wilayah": "61.71.03.1001"})
    assert check.ok
    assert "jenis kelamin laki-laki" in check.warnings["nik"]


def test_duplicate_registration_number_within_type_names_holder(db):
    make_psks(db, "TKSK", 1, nama="Slamet Riyadi", nomor_registrasi="TKSK-0007")
    with pytest.raises(ValidationError) as exc:
        make_psks(db, "TKSK", 2, nama="Joko", nomor_registrasi="TKSK-0007")
    assert exc.value.errors["nomor_registrasi"] == (
        "Nomor registrasi TKSK-0007 sudah dipakai TKSK lain: Slamet Riyadi (Pallima)"
    )
    # The same number in another type is another register.
    other = make_psks(db, "PSM", 3, nomor_registrasi="TKSK-0007")
    assert other["nomor_registrasi"] == "TKSK-0007"


def test_same_nik_once_per_type_but_allowed_across_types(db):
    make_psks(db, "PSM", 5, nama="Wati")
    with pytest.raises(ValidationError) as exc:
        make_psks(db, "PSM", 5, nomor_registrasi="PSM-9999")
    assert exc.value.errors["nik"] == "NIK ini sudah terdaftar sebagai PSM: Wati (No. Reg. PSM-0005)"
    tagana = make_psks(db, "TAGANA", 5, nama="Wati")
    assert [r["jenis_kode"] for r in psks_db.find_by_nik(db, nik(5))] == ["PSM", "TAGANA"]
    assert tagana["nik"] == nik(5)


def test_nonaktif_needs_date_after_start_and_activation_clears_it(db):
    rec = make_psks(db, "TAGANA", 1)
    with pytest.raises(ValidationError) as exc:
        psks_db.update_psks(db, rec["id"], {"status": "nonaktif"})
    assert exc.value.errors["tanggal_nonaktif"] == "Tanggal nonaktif wajib diisi bila status nonaktif"
    with pytest.raises(ValidationError) as exc:
        psks_db.deactivate_psks(db, rec["id"], "01/01/2024")
    assert "sebelum tanggal mulai aktif (15 Januari 2024)" in exc.value.errors["tanggal_nonaktif"]
    psks_db.deactivate_psks(db, rec["id"], "01/03/2025", "pindah domisili")
    got = psks_db.get_psks(db, rec["id"])
    assert (got["status"], got["tanggal_nonaktif"]) == ("nonaktif", "2025-03-01")
    assert got["keterangan"] == "Nonaktif: pindah domisili"
    assert psks_db.status_text(got) == "Nonaktif sejak 1 Maret 2025"
    psks_db.activate_psks(db, rec["id"])
    got = psks_db.get_psks(db, rec["id"])
    assert (got["status"], got["tanggal_nonaktif"]) == ("aktif", None)
    actions = [h["aksi"] for h in psks_db.psks_history(db, rec["id"])]
    assert actions == ["tambah", "ubah", "ubah"]


def test_soft_delete_frees_number_and_restore_refuses_clash(db):
    old = make_psks(db, "PSM", 1, nomor_registrasi="PSM-1")
    psks_db.delete_psks(db, old["id"], "salah input")
    assert psks_db.count_psks(db) == 0
    assert psks_db.get_psks(db, old["id"])["deleted_at"]
    make_psks(db, "PSM", 2, nomor_registrasi="PSM-1")
    with pytest.raises(KnownError) as exc:
        psks_db.restore_psks(db, old["id"])
    assert "Tidak dapat dipulihkan" in exc.value.pesan and "PSM-1" in exc.value.pesan
    with pytest.raises(KnownError):
        psks_db.update_psks(db, old["id"], {"nama": "X"})
    third = make_psks(db, "PSM", 3)
    psks_db.delete_psks(db, third["id"], "ganda")
    psks_db.restore_psks(db, third["id"])
    assert psks_db.get_psks(db, third["id"])["deleted_at"] is None
    assert [h["aksi"] for h in psks_db.psks_history(db, third["id"])] == ["tambah", "hapus", "pulihkan"]


def test_list_filters_search_sort_and_paging(db):
    make_psks(db, "PSM", 1, nama="Ani")
    make_psks(db, "PSM", 2, nama="Budi", kode_wilayah="61.71.03.1002")
    t = make_psks(db, "TAGANA", 3, nama="Citra")
    psks_db.deactivate_psks(db, t["id"], "2025-01-01")
    psks_db.create_psks(db, {"jenis_kode": "LKS", "nama": "LKS Bina Ummat", "kode_wilayah": "61.71.01"})
    assert [r["nama"] for r in psks_db.list_psks(db)] == ["Ani", "Budi", "Citra", "LKS Bina Ummat"]
    assert [r["nama"] for r in psks_db.list_psks(db, jenis_kode="PSM")] == ["Ani", "Budi"]
    assert [r["nama"] for r in psks_db.list_psks(db, status="nonaktif")] == ["Citra"]
    assert [r["nama"] for r in psks_db.list_psks(db, wilayah="61.71.03.1002")] == ["Budi"]
    assert [r["nama"] for r in psks_db.list_psks(db, wilayah="61.71.03")] == ["Ani", "Budi", "Citra"]
    assert [r["nama"] for r in psks_db.list_psks(db, search="bina")] == ["LKS Bina Ummat"]
    assert [r["nama"] for r in psks_db.list_psks(db, search=nik(2)[:10])] == ["Budi"]
    assert [r["nama"] for r in psks_db.list_psks(db, search="tagana-0003")] == ["Citra"]
    assert [r["nama"] for r in psks_db.list_psks(db, sort="nama", descending=True, limit=2)] == ["LKS Bina Ummat", "Citra"]
    assert [r["nama"] for r in psks_db.list_psks(db, sort="nama", descending=True, limit=2, offset=2)] == ["Budi", "Ani"]
    assert psks_db.count_psks(db, wilayah="61.71.03") == 3
    labels = dict(psks_db.wilayah_in_register(db))
    assert labels["61.71.01"] == "Kec. Pontianak Selatan (61.71.01)"
    assert labels["61.71.03.1001"] == "Pallima (61.71.03.1001)"


def test_find_jenis_by_code_name_or_abbreviation(db):
    assert psks_db.find_jenis(db, "tagana")["kode"] == "TAGANA"
    assert psks_db.find_jenis(db, "Taruna Siaga Bencana")["kode"] == "TAGANA"
    assert psks_db.find_jenis(db, "Pekerja Sosial Masyarakat (PSM)")["kode"] == "PSM"
    assert psks_db.find_jenis(db, "fasilitator slrt")["kode"] == "FAS_SLRT"
    assert psks_db.find_jenis(db, "Pendamping Rehabilitasi Sosial")["kode"] == "PENDAMPING_REHSOS"
    assert psks_db.find_jenis(db, "Pendamping") is None  # ambiguous: PKH or Rehsos
    assert psks_db.find_jenis(db, "astronot") is None


def test_services_delivered_by_a_psks_are_listed(db):
    from db import records

    rec = make_psks(db, "PSM", 1)
    orang = records.insert(db, "orang", {"nama": "Mbah Sarinah", "kode_wilayah": "61.71.03.1001"})
    records.insert(db, "layanan", {"orang_id": orang["id"], "kode_layanan": "1.06.04.2.01.0001",
                                   "tanggal": "2025-11-03", "jumlah": 30, "satuan": "paket", "nilai": 450000,
                                   "psks_id": rec["id"]})
    rows = psks_db.psks_layanan(db, rec["id"])
    assert [(r["penerima_nama"], r["layanan_nama"], r["jumlah"]) for r in rows] == [
        ("Mbah Sarinah", "Penyediaan Permakanan", 30)
    ]
