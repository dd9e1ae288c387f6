"""PSKS events: validation, participants, attendance and the bad inputs of issue 6."""
import datetime as dt

import pytest

from db import kegiatan as keg_db, psks as psks_db
from db.errors import KnownError, ValidationError
from tests.db.psks_data import make_psks, nik

RAKOR = {
    "nama": "Rapat Koordinasi dan Evaluasi PSKS", "jenis": "rapat koordinasi",
    "kode_layanan": "1.06.02.2.03.04", "tanggal_mulai": "20/11/2025", "tanggal_selesai": "21/11/2025",
    "penyelenggara": "Dinas Sosial Kota Pontianak", "tempat": "Aula Dinas Sosial",
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")


def test_event_is_saved_with_codes_and_counts(db):
    a, b = make_psks(db, "PSM", 1), make_psks(db, "TKSK", 2)
    rec = keg_db.create_kegiatan(db, RAKOR, {a["id"]: True, b["id"]: False})
    got = keg_db.get_kegiatan(db, rec["id"])
    assert got["jenis"] == "rapat_koordinasi" and got["jenis_nama"] == "Rapat Koordinasi"
    assert got["kode_layanan"] == "1.06.02.2.03.0004"
    assert got["layanan_nama"] == "Peningkatan Kemampuan Potensi Sumber Kesejahteraan Sosial Kelembagaan Masyarakat"
    assert (got["tanggal_mulai"], got["tanggal_selesai"]) == ("2025-11-20", "2025-11-21")
    assert got["kode_wilayah"] == "61.71.03.1001"
    assert (got["jumlah_peserta"], got["jumlah_hadir"]) == (2, 1)
    assert [(p["nama"], p["hadir"]) for p in keg_db.peserta_list(db, rec["id"])] == [
        ("Psm 001", 1), ("Tksk 002", 0)
    ]
    assert [e["nama"] for e in psks_db.psks_kegiatan(db, a["id"])] == ["Rapat Koordinasi dan Evaluasi PSKS"]


def test_one_day_event_ends_the_day_it_starts_and_gets_a_code(db):
    rec = keg_db.create_kegiatan(db, {**RAKOR, "tanggal_selesai": None})
    assert rec["tanggal_selesai"] == "2025-11-20"
    assert rec["kode_kegiatan"] == "KEG-2025-0001"
    keg_db.create_kegiatan(db, {**RAKOR, "kode_kegiatan": "KEG-2025-0002"})
    assert keg_db.create_kegiatan(db, RAKOR)["kode_kegiatan"] == "KEG-2025-0003"  # never a taken code


def test_event_ending_before_it_starts_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        keg_db.create_kegiatan(db, {**RAKOR, "tanggal_mulai": "21/11/2025", "tanggal_selesai": "20/11/2025"})
    assert exc.value.errors == {
        "tanggal_selesai": "Tanggal selesai (20 November 2025) sebelum tanggal mulai (21 November 2025)"
    }
    assert keg_db.count_kegiatan(db) == 0


def test_unknown_kind_wrong_sub_kegiatan_and_missing_fields(db):
    with pytest.raises(ValidationError) as exc:
        keg_db.create_kegiatan(db, {"nama": "", "jenis": "arisan", "kode_layanan": "1.06.04.2.01.01",
                                    "tanggal_mulai": "32/11/2025"})
    errors = exc.value.errors
    assert errors["nama"] == "Nama kegiatan wajib diisi"
    assert errors["jenis"].startswith("Jenis kegiatan 'arisan' tidak dikenal (pilih: pelatihan, bimbingan teknis")
    assert "bukan sub kegiatan pembinaan PSKS" in errors["kode_layanan"]
    assert "tidak ada di kalender" in errors["tanggal_mulai"]
    assert keg_db.find_jenis(db, "Bimtek") == "bimbingan_teknis"


def test_kode_kegiatan_is_unique(db):
    keg_db.create_kegiatan(db, {**RAKOR, "kode_kegiatan": "RK-01"})
    with pytest.raises(ValidationError) as exc:
        keg_db.create_kegiatan(db, {**RAKOR, "kode_kegiatan": "RK-01", "nama": "Lain"})
    assert exc.value.errors["kode_kegiatan"] == (
        "Kode kegiatan RK-01 sudah dipakai kegiatan 'Rapat Koordinasi dan Evaluasi PSKS' (20 November 2025)"
    )


def test_attendance_for_an_event_not_started_is_refused(db, monkeypatch):
    a = make_psks(db, "TAGANA", 1)
    future = {**RAKOR, "nama": "Simulasi Banjir", "jenis": "simulasi", "kode_layanan": "1.06.06.2.02.02",
              "tanggal_mulai": "2025-12-05", "tanggal_selesai": "2025-12-06"}
    with pytest.raises(keg_db.BelumDimulai) as exc:
        keg_db.create_kegiatan(db, future, {a["id"]: True})
    assert exc.value.pesan == ("Kehadiran belum dapat dicatat: kegiatan 'Simulasi Banjir' baru dimulai "
                               "5 Desember 2025 (hari ini 25 November 2025).")
    assert keg_db.count_kegiatan(db) == 0  # nothing half-written
    rec = keg_db.create_kegiatan(db, future, [a["id"]])  # inviting is fine
    with pytest.raises(keg_db.BelumDimulai):
        keg_db.set_hadir(db, rec["id"], a["id"], True)
    monkeypatch.setenv("KESOS_TODAY", "2025-12-05")  # the first day has come
    keg_db.set_hadir(db, rec["id"], a["id"], True)
    assert keg_db.get_kegiatan(db, rec["id"])["jumlah_hadir"] == 1


def test_moving_an_attended_event_into_the_future_is_refused(db):
    a = make_psks(db, "PSM", 1)
    rec = keg_db.create_kegiatan(db, RAKOR, {a["id"]: True})
    with pytest.raises(keg_db.BelumDimulai):
        keg_db.update_kegiatan(db, rec["id"], {"tanggal_mulai": "2026-01-10", "tanggal_selesai": "2026-01-10"})
    assert keg_db.get_kegiatan(db, rec["id"])["tanggal_mulai"] == "2025-11-20"


def test_participant_deactivated_before_the_event_is_refused(db):
    gone = make_psks(db, "TKSK", 1, nama="Hendra")
    later = make_psks(db, "TKSK", 2, nama="Yusuf")
    psks_db.deactivate_psks(db, gone["id"], "2025-03-01")
    psks_db.deactivate_psks(db, later["id"], "2025-11-21")  # left after the event started: was active then
    with pytest.raises(keg_db.PesertaNonaktif) as exc:
        keg_db.create_kegiatan(db, RAKOR, {gone["id"]: True, later["id"]: True})
    assert exc.value.pesan == (
        "Hendra (TKSK, No. Reg. TKSK-0001) berstatus nonaktif sejak 1 Maret 2025, sebelum kegiatan dimulai "
        "(20 November 2025). Aktifkan kembali di register PSKS bila ia memang ikut."
    )
    assert keg_db.count_kegiatan(db) == 0
    rec = keg_db.create_kegiatan(db, RAKOR, {later["id"]: True})
    with pytest.raises(keg_db.PesertaNonaktif):
        keg_db.add_peserta(db, rec["id"], gone["id"])
    # Moving the event after Yusuf left makes him an invalid participant too.
    with pytest.raises(keg_db.PesertaNonaktif):
        keg_db.update_kegiatan(db, rec["id"], {"tanggal_mulai": "2025-11-22", "tanggal_selesai": "2025-11-22"})


def test_participant_not_in_register_gives_a_specific_error(db):
    rec = keg_db.create_kegiatan(db, RAKOR)
    unknown = nik(77)
    with pytest.raises(keg_db.PsksTidakTerdaftar) as exc:
        keg_db.add_peserta_nik(db, rec["id"], unknown, nama="Dewi", hadir=True)
    assert exc.value.nik == unknown and exc.value.nama == "Dewi"
    assert exc.value.pesan == f"Dewi (NIK {unknown}) tidak terdaftar di register PSKS. Daftarkan dulu sebagai PSKS."
    # The GUI then registers her and retries.
    make_psks(db, "PSM", 77, nama="Dewi")
    keg_db.add_peserta_nik(db, rec["id"], unknown, hadir=True)
    assert [(p["nama"], p["hadir"]) for p in keg_db.peserta_list(db, rec["id"])] == [("Dewi", 1)]
    # A deleted register entry is not in the register any more.
    other = make_psks(db, "PSM", 78)
    psks_db.delete_psks(db, other["id"], "salah input")
    with pytest.raises(keg_db.PsksTidakTerdaftar):
        keg_db.add_peserta(db, rec["id"], other["id"])


def test_nik_of_person_with_two_records_picks_the_type_coached_by_the_sub_kegiatan(db):
    make_psks(db, "PSM", 9, nama="Wati")
    tagana = make_psks(db, "TAGANA", 9, nama="Wati")
    rec = keg_db.create_kegiatan(db, {**RAKOR, "kode_layanan": "1.06.06.2.02.0002", "nama": "Latihan Tagana"})
    keg_db.add_peserta_nik(db, rec["id"], nik(9), hadir=True)
    assert [p["id"] for p in keg_db.peserta_list(db, rec["id"])] == [tagana["id"]]


def test_participant_list_is_synchronised_with_audit(db):
    a, b, c = (make_psks(db, "PSM", n) for n in (1, 2, 3))
    rec = keg_db.create_kegiatan(db, RAKOR, {a["id"]: True, b["id"]: False})
    keg_db.update_kegiatan(db, rec["id"], {"tempat": "Hotel Kapuas"}, {a["id"]: False, c["id"]: True})
    got = keg_db.get_kegiatan(db, rec["id"])
    assert got["tempat"] == "Hotel Kapuas"
    assert {p["nama"]: p["hadir"] for p in keg_db.peserta_list(db, rec["id"])} == {"Psm 001": 0, "Psm 003": 1}
    removed = db.execute("SELECT delete_reason FROM kegiatan_peserta WHERE psks_id = ?", [b["id"]]).fetchone()
    assert removed[0] == "dikeluarkan dari daftar peserta"
    assert [h["aksi"] for h in keg_db.kegiatan_history(db, rec["id"])] == ["tambah", "ubah"]
    # Updating without a participant list keeps it.
    keg_db.update_kegiatan(db, rec["id"], {"penyelenggara": "Dinsos"})
    assert keg_db.get_kegiatan(db, rec["id"])["jumlah_peserta"] == 2


def test_delete_restore_and_list_filters(db):
    r1 = keg_db.create_kegiatan(db, {**RAKOR, "kode_kegiatan": "K1"})
    keg_db.create_kegiatan(db, {**RAKOR, "nama": "Pelatihan Tagana", "jenis": "pelatihan",
                                "kode_layanan": "1.06.06.2.02.02", "tanggal_mulai": "2025-10-02",
                                "tanggal_selesai": "2025-10-03"})
    assert [k["nama"] for k in keg_db.list_kegiatan(db)] == ["Rapat Koordinasi dan Evaluasi PSKS", "Pelatihan Tagana"]
    assert [k["nama"] for k in keg_db.list_kegiatan(db, date_from="2025-10-01", date_to="2025-10-31")] == [
        "Pelatihan Tagana"]
    assert [k["nama"] for k in keg_db.list_kegiatan(db, search="tagana")] == ["Pelatihan Tagana"]
    assert keg_db.count_kegiatan(db, kode_layanan="1.06.06.2.02.02") == 1
    keg_db.delete_kegiatan(db, r1["id"], "dobel")
    assert keg_db.count_kegiatan(db) == 1
    keg_db.create_kegiatan(db, {**RAKOR, "kode_kegiatan": "K1", "nama": "Pengganti"})
    with pytest.raises(KnownError) as exc:
        keg_db.restore_kegiatan(db, r1["id"])
    assert "kode kegiatan K1 kini dipakai 'Pengganti'" in exc.value.pesan


def test_started_uses_the_clock(db):
    assert keg_db.started({"tanggal_mulai": "2025-11-25"})
    assert not keg_db.started({"tanggal_mulai": "2025-11-26"})
    assert keg_db.started({"tanggal_mulai": "2025-11-26"}, dt.date(2025, 11, 26))
