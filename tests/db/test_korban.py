"""Disaster victims: new or existing people, households, PPKS registration 21/22, duplicates."""
from __future__ import annotations

import pytest

from db import bencana as B
from db import korban as K
from db import records
from db.errors import KnownError, ValidationError

PALLIMA = "61.71.03.1001"
# NIKs of Kec. Pontianak Barat (61.71.03): a man born 12/05/1980, a woman born 03/07/1985 (day + 40).
NIK_BUDI = "6171031205800001"
NIK_SITI = "6171034307850002"
KK = "6171030101090007"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-31")


@pytest.fixture
def fire(db):
    return B.tambah_bencana(db, {"jenis_kode": "kebakaran_permukiman", "tanggal": "2025-03-01",
                                 "kode_wilayah": PALLIMA, "kode_kejadian": "KBR-01"})


@pytest.fixture
def flood(db):
    return B.tambah_bencana(db, {"jenis_kode": "banjir_rob", "tanggal": "2025-11-20", "kode_wilayah": PALLIMA})


def _budi(**over):
    data = {"nama": "Budi Hartono", "nik": NIK_BUDI, "jenis_kelamin": "L", "tanggal_lahir": "12/05/1980",
            "alamat": "Jl. Kom Yos Sudarso Gg. Damai", "rt": "003", "rw": "002", "kode_wilayah": PALLIMA}
    data.update(over)
    return data


def test_new_person_becomes_victim_with_ppks_registration_21_or_22(db, fire, flood):
    v = K.tambah_korban(db, fire["id"], orang=_budi(), tempat_tinggal="pengungsian", kelompok_rentan="lansia")
    assert v["orang_baru"] is True
    person = records.get(db, "orang", v["orang_id"])
    assert (person["nama"], person["nik"], person["jenis_kelamin"]) == ("Budi Hartono", NIK_BUDI, "L")
    reg = records.get(db, "ppks", v["ppks_id"])
    # kebakaran permukiman is bencana sosial -> category 22, dated the day of the event
    assert (reg["orang_id"], reg["kategori_kode"], reg["tanggal_pendataan"], reg["status"]) == (
        person["id"], "22", "2025-03-01", "aktif")
    assert (v["tempat_tinggal"], v["kelompok_rentan"]) == ("pengungsian", "lansia")
    # the same person in a flood (bencana alam): linked by NIK, gets category 21
    w = K.tambah_korban(db, flood["id"], orang=_budi())
    assert w["orang_baru"] is False and w["orang_id"] == person["id"]
    assert records.get(db, "ppks", w["ppks_id"])["kategori_kode"] == "21"
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 1


def test_link_an_existing_person(db, fire):
    person = K.tambah_korban(db, fire["id"], orang=_budi())["orang"]
    ev2 = B.tambah_bencana(db, {"jenis_kode": "banjir", "tanggal": "2025-06-01", "kode_wilayah": PALLIMA})
    v = K.tambah_korban(db, ev2["id"], orang_id=person["id"], tempat_tinggal="keluarga")
    assert v["orang_id"] == person["id"] and v["tempat_tinggal"] == "keluarga"


def test_same_person_twice_in_one_event_is_refused(db, fire):
    first = K.tambah_korban(db, fire["id"], orang=_budi())
    with pytest.raises(K.KorbanGanda) as err:
        K.tambah_korban(db, fire["id"], orang_id=first["orang_id"])
    assert err.value.pesan == (
        "Budi Hartono (NIK 6171031205800001) sudah terdaftar sebagai korban kejadian KBR-01 "
        "(Kebakaran Permukiman, 01/03/2025); orang yang sama tidak dapat dicatat dua kali.")
    assert err.value.korban_id == first["id"]
    # typed again as "new" with the same NIK: same refusal, nothing created
    with pytest.raises(K.KorbanGanda):
        K.tambah_korban(db, fire["id"], orang=_budi(nik="6171 0312 0580 0001"))
    assert db.execute("SELECT count(*) FROM korban").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM ppks").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 1


def test_person_without_nik_gets_a_temporary_id(db, fire):
    v = K.tambah_korban(db, fire["id"], orang={"nama": "Anak Tanpa NIK", "jenis_kelamin": "P"})
    assert v["orang"]["nik"] is None and v["orang"]["nik_sementara"]


def test_invalid_person_fields_are_reported_per_field(db, fire):
    with pytest.raises(ValidationError) as err:
        K.tambah_korban(db, fire["id"], orang={"nama": " ", "nik": "61710312058000"})
    assert set(err.value.errors) >= {"nama", "nik"}
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0


def test_vulnerable_groups_and_residence_are_read_leniently(db):
    assert K.parse_kelompok_rentan(db, "Ibu Hamil, lansia; balita") == "lansia,ibu_hamil,balita"
    assert K.parse_kelompok_rentan(db, ["disabilitas", "Penyandang Disabilitas"]) == "disabilitas"
    assert K.parse_kelompok_rentan(db, "ibu menyusui dan anak") == "ibu_menyusui,anak"
    assert K.parse_kelompok_rentan(db, "") is None
    with pytest.raises(ValueError, match="Kelompok rentan 'remaja' tidak dikenal"):
        K.parse_kelompok_rentan(db, "lansia, remaja")
    assert K.parse_tempat_tinggal(db, "rumah sendiri") == "rumah_sendiri"
    assert K.parse_tempat_tinggal(db, "Pengungsian") == "pengungsian"
    assert K.parse_tempat_tinggal(db, "keluarga") == "keluarga"
    with pytest.raises(ValueError, match="Tempat tinggal sementara 'hotel' tidak dikenal"):
        K.parse_tempat_tinggal(db, "hotel")
    assert K.kelompok_rentan_nama(db, "lansia,ibu_hamil") == "Lanjut Usia, Ibu Hamil"


def test_bad_victim_fields_refused(db, fire):
    with pytest.raises(ValidationError) as err:
        K.tambah_korban(db, fire["id"], orang=_budi(), tempat_tinggal="hotel", kelompok_rentan="remaja")
    assert set(err.value.errors) == {"tempat_tinggal", "kelompok_rentan"}
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0


def test_household_in_one_step_shares_kk_and_address(db, fire):
    rows = K.tambah_keluarga(
        db, fire["id"],
        {"nama": "Budi Hartono", "nik": NIK_BUDI, "jenis_kelamin": "L"},
        [{"nama": "Siti Rahmah", "nik": NIK_SITI, "jenis_kelamin": "P", "kelompok_rentan": "ibu hamil"},
         {"nama": "Rizky", "jenis_kelamin": "L", "tanggal_lahir": "2022-02-02", "kelompok_rentan": "balita"}],
        no_kk=KK, alamat="Gg. Damai No. 7", rt="003", rw="002", kode_wilayah=PALLIMA, tempat_tinggal="pengungsian",
    )
    assert [r["kepala_keluarga"] for r in rows] == [1, 0, 0]
    people = [records.get(db, "orang", r["orang_id"]) for r in rows]
    assert {(p["no_kk"], p["alamat"], p["rt"], p["rw"]) for p in people} == {(KK, "Gg. Damai No. 7", "003", "002")}
    assert [r["tempat_tinggal"] for r in rows] == ["pengungsian"] * 3
    assert [r["kelompok_rentan"] for r in rows] == [None, "ibu_hamil", "balita"]
    listed = K.daftar_korban(db, fire["id"])
    assert [r["nama"] for r in listed] == ["Budi Hartono", "Siti Rahmah", "Rizky"]  # head first


def test_household_is_all_or_nothing(db, fire):
    with pytest.raises(ValidationError) as err:
        K.tambah_keluarga(db, fire["id"], {"nama": "Budi Hartono", "nik": NIK_BUDI},
                          [{"nama": "Siti", "nik": "123"}], no_kk=KK)
    assert list(err.value.errors) == ["Anggota 1 - nik"]
    assert db.execute("SELECT count(*) FROM korban").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0


def test_household_member_already_victim_names_the_member(db, fire):
    K.tambah_korban(db, fire["id"], orang=_budi())
    with pytest.raises(K.KorbanGanda) as err:
        K.tambah_keluarga(db, fire["id"], {"nama": "Siti Rahmah", "nik": NIK_SITI}, [_budi()], no_kk=KK)
    assert err.value.pesan.startswith("Anggota 1: Budi Hartono (NIK 6171031205800001) sudah terdaftar")
    assert db.execute("SELECT count(*) FROM korban").fetchone()[0] == 1


def test_edit_and_delete_victim(db, fire):
    v = K.tambah_korban(db, fire["id"], orang=_budi())
    v2 = K.ubah_korban(db, v["id"], {"tempat_tinggal": "keluarga", "kelompok_rentan": "disabilitas, lansia"})
    assert (v2["tempat_tinggal"], v2["kelompok_rentan"]) == ("keluarga", "lansia,disabilitas")
    K.hapus_korban(db, v["id"], "Ternyata bukan korban")
    assert records.get(db, "korban", v["id"])["deleted_at"]
    assert records.get(db, "ppks", v["ppks_id"])["deleted_at"]
    assert K.hitung_korban(db, fire["id"]) == 0
    # after deletion the person may be registered again
    K.tambah_korban(db, fire["id"], orang_id=v["orang_id"])
    assert K.hitung_korban(db, fire["id"]) == 1


def test_victim_list_search_and_counts(db, fire):
    K.tambah_korban(db, fire["id"], orang=_budi(), tempat_tinggal="pengungsian")
    K.tambah_korban(db, fire["id"], orang={"nama": "Siti Rahmah", "nik": NIK_SITI}, tempat_tinggal="keluarga")
    assert [r["nama"] for r in K.daftar_korban(db, fire["id"], cari="siti")] == ["Siti Rahmah"]
    assert [r["nama"] for r in K.daftar_korban(db, fire["id"], cari="617103120")] == ["Budi Hartono"]
    assert K.hitung_korban(db, fire["id"], tempat_tinggal="pengungsian") == 1
    assert K.hitung_korban(db, fire["id"], status="belum") == 2
    assert [r["status_layanan"] for r in K.daftar_korban(db, fire["id"])] == ["belum", "belum"]
    assert [r["nama"] for r in K.daftar_korban(db, fire["id"], sort_key="nama", descending=True)] == [
        "Siti Rahmah", "Budi Hartono"]


def test_unknown_event_refused(db):
    with pytest.raises(KnownError, match="Kejadian bencana tidak ditemukan"):
        K.tambah_korban(db, "nope", orang=_budi())


def test_closed_month_locks_the_event_and_its_victims(db, fire):
    """Once March 2025 is reported, its event's window and victim list no longer change."""
    from db.periode import tutup_bulan

    K.tambah_korban(db, fire["id"], orang=_budi())
    tutup_bulan(db, "2025-03")
    with pytest.raises(KnownError, match="Maret 2025"):
        B.ubah_masa_tanggap(db, fire["id"], 14, "SK perpanjangan")
    with pytest.raises(KnownError, match="Maret 2025"):
        K.tambah_korban(db, fire["id"], orang={"nama": "Terlambat Didata", "jenis_kelamin": "P"})
    assert K.hitung_korban(db, fire["id"]) == 1
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 1  # nothing half-written
    B.ubah_bencana(db, fire["id"], {"status": "selesai", "keterangan": "Ditutup"})  # free columns still change
