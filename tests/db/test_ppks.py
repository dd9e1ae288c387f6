"""People and registrations: validation, NIK rules, duplicates, deletion, history."""
import pytest

from db import ppks, records
from db.errors import KnownError, ValidationError
from tests.conftest import KELURAHAN

ANI = {  # a woman born 5 Jan 1990 in Kec. Pontianak Barat
    "nik": "6171034501900001", "nama": "Ani Suryani", "jenis_kelamin": "P", "tanggal_lahir": "05/01/1990",
    "tempat_lahir": "Pontianak", "alamat": "Jl. Komodor Yos Sudarso Gg. Damai", "rt": "3", "rw": "12",
    "kode_wilayah": KELURAHAN,
}
REG = {"kategori_kode": "8", "tanggal_pendataan": "2025-03-01", "sumber_laporan": "Laporan Masyarakat"}


def test_new_person_is_cleaned_and_stored_with_audit(db):
    person = ppks.save_person(db, {**ANI, "nik": "6171 0345 0190 0001", "no_kk": "'6171030101900005",
                                   "telepon": "0812-3456-7890", "desil": "2", "status_dtks": "Terdaftar DTKS/DTSEN"},
                              registrations=[REG])
    assert person["nik"] == "6171034501900001" and person["no_kk"] == "6171030101900005"
    assert person["tanggal_lahir"] == "1990-01-05" and person["rt"] == "003" and person["rw"] == "012"
    assert person["telepon"] == "081234567890" and person["desil"] == 2 and person["status_dtks"] == "terdaftar"
    assert person["nik_sementara"] is None
    regs = ppks.registrations(db, person["id"])
    assert len(regs) == 1 and regs[0]["kategori_kode"] == "8" and regs[0]["status"] == "aktif"
    assert regs[0]["sumber_laporan"] == "laporan_masyarakat" and regs[0]["petugas"] == "Siti Aminah"
    assert regs[0]["spm_kelompok"] == "LANSIA"
    assert [h["aksi"] for h in records.history(db, "orang", person["id"])] == ["tambah"]


@pytest.mark.parametrize("nik,word", [
    ("617103450190000", "16 digit"),       # 15 digits
    ("61710345019000012", "16 digit"),     # 17 digits
    ("61710345019000AB", "angka"),         # letters
    ("6171033213900001", "tidak mungkin"),  # 32/13/90
    ("3.17101E+15", "kehilangan digit"),
    (3171010101900001.0, "digitnya hilang"),
])
def test_nik_format_errors_block_saving(db, nik, word):
    with pytest.raises(ValidationError) as exc:
        ppks.save_person(db, {**ANI, "nik": nik})
    assert word in exc.value.errors["nik"]
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0


def test_nik_mismatches_warn_and_need_confirmation(db):
    values = {**ANI, "tanggal_lahir": "06/01/1990", "jenis_kelamin": "L"}
    chk = ppks.check_person(db, values)
    assert not chk.errors
    assert "berbeda dengan tanggal lahir" in chk.warnings["nik"] and "perempuan" in chk.warnings["nik"]
    with pytest.raises(ppks.NeedsConfirmation) as exc:
        ppks.save_person(db, values)
    assert "nik" in exc.value.warnings
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0
    person = ppks.save_person(db, values, confirm_warnings=True)
    assert person["jenis_kelamin"] == "L"


def test_unknown_kecamatan_in_nik_warns(db):
    chk = ppks.check_person(db, {**ANI, "nik": "6199034501900001"})
    assert "bukan kecamatan yang dikenal" in chk.warnings["nik"]


def test_duplicate_nik_returns_existing_person(db):
    first = ppks.save_person(db, ANI)
    chk = ppks.check_person(db, {**ANI, "nama": "Ani S."})
    assert chk.duplicate["id"] == first["id"]
    with pytest.raises(ppks.DuplicateNikError) as exc:
        ppks.save_person(db, {**ANI, "nama": "Ani S."})
    assert exc.value.existing["id"] == first["id"] and "sudah terdaftar atas nama Ani Suryani" in exc.value.pesan
    # editing the person themselves is not a duplicate
    assert ppks.check_person(db, {"alamat": "Jl. Baru"}, orang_id=first["id"]).duplicate is None


def test_similar_name_same_birth_date_warns(db):
    ppks.save_person(db, {**ANI, "nik": None})
    chk = ppks.check_person(db, {**ANI, "nik": None, "nama": "ani  suryani"})
    assert "Sudah ada Ani Suryani" in chk.warnings["nama"] and len(chk.similar) == 1
    assert "nama" not in ppks.check_person(db, {**ANI, "nik": None, "nama": "Budi Hartono"}).warnings
    assert "nama" not in ppks.check_person(db, {**ANI, "nik": None, "tanggal_lahir": "06/01/1990"}).warnings


def test_without_nik_gets_temporary_id_never_reused(db):
    a = ppks.save_person(db, {**ANI, "nik": ""})
    b = ppks.save_person(db, {**ANI, "nik": None, "nama": "Budi", "tanggal_lahir": None})
    install_id = records.actor(db)[0]
    assert a["nik"] is None and a["nik_sementara"] == f"SMT-617103-{install_id[-5:]}-00001"
    assert b["nik_sementara"].endswith("-00002")
    ppks.delete_person(db, b["id"], "salah input")
    c = ppks.save_person(db, {**ANI, "nik": None, "nama": "Citra", "tanggal_lahir": None})
    assert c["nik_sementara"].endswith("-00003")
    assert ppks.find_person_ref(db, a["nik_sementara"].lower())["id"] == a["id"]


@pytest.mark.parametrize("field,value,word", [
    ("tanggal_lahir", "31/02/1980", "tidak ada di kalender"),
    ("tanggal_lahir", "12/05/1850", "sebelum tahun 1900"),
    ("tanggal_lahir", "01/01/2999", "masa depan"),
    ("tanggal_lahir", "kemarin", "bukan tanggal"),
    ("jenis_kelamin", "X", "bukan jenis kelamin"),
    ("no_kk", "123", "16 digit"),
    ("rt", "1234", "RT harus angka"),
    ("desil", "11", "Desil"),
    ("telepon", "12ab", "telepon"),
    ("kode_wilayah", "61.71.03.1099", "tidak dikenal. Mungkin maksud Anda: 61.71.03"),
    ("kode_wilayah", "61.71", "bukan kelurahan/desa atau kecamatan"),
    ("nama", "  ", "wajib"),
])
def test_field_errors(db, field, value, word):
    chk = ppks.check_person(db, {**ANI, field: value})
    assert word in chk.errors[field]


def test_area_kecamatan_only_or_outside(db):
    kec = ppks.save_person(db, {**ANI, "nik": None, "kode_wilayah": "61.71.03"})
    assert ppks.area_label(db, kec) == "Kec. Pontianak Barat (tanpa kelurahan)"
    luar = ppks.save_person(db, {**ANI, "nik": None, "nama": "Tono", "kode_wilayah": None,
                                 "asal_luar": "Kab. Brebes, Jawa Tengah"})
    assert luar["kode_wilayah"] is None and ppks.area_label(db, luar) == "Luar wilayah: Kab. Brebes, Jawa Tengah"
    chk = ppks.check_person(db, {**ANI, "kode_wilayah": None})
    assert "asal dari luar wilayah" in chk.errors["kode_wilayah"]


def test_update_changes_only_what_changed(db):
    person = ppks.save_person(db, ANI)
    ppks.save_person(db, {**ANI, "alamat": "Jl. Baru No. 2"}, orang_id=person["id"])
    hist = records.history(db, "orang", person["id"])
    assert hist[-1]["aksi"] == "ubah" and set(hist[-1]["baru"]) == {"alamat", "updated_at"}


def test_fill_empty_never_overwrites(db):
    person = ppks.save_person(db, {**ANI, "tempat_lahir": None})
    filled = ppks.fill_empty(db, person["id"], {"tempat_lahir": "Sambas", "alamat": "Lain", "nama": "X"})
    assert filled == ["tempat_lahir"]
    stored = records.get(db, "orang", person["id"])
    assert stored["tempat_lahir"] == "Sambas" and stored["alamat"] == ANI["alamat"] and stored["nama"] == "Ani Suryani"


def test_registrations_several_and_closing_rules(db):
    person = ppks.save_person(db, ANI, registrations=[REG, {"kategori_kode": "Penyandang Disabilitas",
                                                            "terlantar": "Ya", "tanggal_pendataan": "2025-04-02"}])
    regs = ppks.registrations(db, person["id"])
    assert [r["kategori_kode"] for r in regs] == ["9", "8"]
    assert regs[0]["spm_kelompok"] == "DISABILITAS"
    with pytest.raises(ValidationError) as exc:
        ppks.update_registration(db, regs[0]["id"], {"status": "ditutup"})
    assert set(exc.value.errors) == {"alasan_tutup", "tanggal_tutup"}
    with pytest.raises(ValidationError) as exc:
        ppks.close_registration(db, regs[0]["id"], "pindah", "2025-01-01")
    assert "sebelum tanggal pendataan" in exc.value.errors["tanggal_tutup"]
    with pytest.raises(ValidationError) as exc:
        ppks.close_registration(db, regs[0]["id"], "lainnya", "2025-05-01")
    assert "keterangan" in exc.value.errors
    closed = ppks.close_registration(db, regs[0]["id"], "Kembali ke Keluarga", "2025-05-01")
    assert closed["status"] == "ditutup" and closed["alasan_tutup"] == "kembali_ke_keluarga"
    reopened = ppks.update_registration(db, regs[0]["id"], {"status": "aktif"})
    assert reopened["alasan_tutup"] is None and reopened["tanggal_tutup"] is None


def test_registration_errors(db):
    person = ppks.save_person(db, ANI)
    with pytest.raises(ValidationError) as exc:
        ppks.add_registration(db, person["id"], {"kategori_kode": "99", "tanggal_pendataan": "01/01/1980"})
    assert "tidak dikenal" in exc.value.errors["kategori_kode"]
    with pytest.raises(ValidationError) as exc:
        ppks.add_registration(db, person["id"], {"kategori_kode": "8", "tanggal_pendataan": "01/01/1980"})
    assert "sebelum tanggal lahir" in exc.value.errors["tanggal_pendataan"]


def test_soft_delete_restore_and_history(db):
    person = ppks.save_person(db, ANI, registrations=[REG])
    with pytest.raises(KnownError, match="Alasan"):
        ppks.delete_person(db, person["id"], " ")
    ppks.delete_person(db, person["id"], "data ganda")
    assert records.get(db, "orang", person["id"])["delete_reason"] == "data ganda"
    assert db.execute("SELECT count(*) FROM ppks WHERE deleted_at IS NULL").fetchone()[0] == 0
    assert ppks.find_by_nik(db, ANI["nik"]) is None
    ppks.restore_person(db, person["id"])
    assert records.get(db, "orang", person["id"])["deleted_at"] is None
    assert len(ppks.registrations(db, person["id"])) == 1
    hist = ppks.person_history(db, person["id"])
    assert [(h["objek"].split()[0], h["aksi_label"]) for h in hist] == [
        ("Data", "Ditambahkan"), ("Registrasi", "Ditambahkan"), ("Data", "Dihapus"), ("Registrasi", "Dihapus"),
        ("Registrasi", "Dipulihkan"), ("Data", "Dipulihkan")]
    assert hist[2]["rincian"] == "Alasan: data ganda"
    assert "Nama: Ani Suryani" in hist[0]["rincian"] and "Tanggal lahir: 05/01/1990" in hist[0]["rincian"]


def test_restore_refused_when_nik_taken_again(db):
    person = ppks.save_person(db, ANI)
    ppks.delete_person(db, person["id"], "keliru")
    ppks.save_person(db, {**ANI, "nama": "Ani Baru"})
    with pytest.raises(KnownError, match="sekarang dipakai oleh Ani Baru"):
        ppks.restore_person(db, person["id"])


def test_edit_history_describes_change(db):
    person = ppks.save_person(db, ANI)
    ppks.save_person(db, {"kode_wilayah": "61.71.03"}, orang_id=person["id"])
    last = ppks.person_history(db, person["id"])[-1]
    assert last["rincian"] == "Wilayah: Pallima (61.71.03.1001) → Pontianak Barat (61.71.03)"
