"""Emergency aid: one victim, a household, a whole event; window warnings; refusals."""
from __future__ import annotations

import pytest

from db import bencana as B
from db import bencana_bantuan as BB
from db import korban as K
from db import layanan as L
from db import records
from db.errors import KnownError, ValidationError

PALLIMA = "61.71.03.1001"
FOOD = "1.06.06.2.01.0001"
SHELTER = "1.06.06.2.01.0003"
KK1 = "6171030101090007"
KK2 = "6171030101090008"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-31")


@pytest.fixture
def fire(db):
    ev = B.tambah_bencana(db, {"jenis_kode": "kebakaran_permukiman", "tanggal": "2025-03-01",
                               "kode_wilayah": PALLIMA, "kode_kejadian": "KBR-01"})
    K.tambah_keluarga(db, ev["id"], {"nama": "Ahmad"}, [{"nama": "Aisyah", "kelompok_rentan": "ibu hamil"},
                                                       {"nama": "Bayu", "kelompok_rentan": "balita"}],
                      no_kk=KK1, tempat_tinggal="pengungsian")
    K.tambah_keluarga(db, ev["id"], {"nama": "Darman"}, [{"nama": "Dewi"}], no_kk=KK2, tempat_tinggal="keluarga")
    return ev


def _victims(db, ev):
    return {r["nama"]: r for r in K.daftar_korban(db, ev["id"])}


def test_aid_to_one_victim_with_receipt(db, fire):
    v = _victims(db, fire)["Ahmad"]
    res = BB.bantuan_korban(db, v["id"], {"kode_layanan": "1.06.06.2.01.01", "tanggal": "02/03/2025",
                                          "jumlah": 3, "satuan": "paket", "nilai": "Rp 45.000", "sumber_dana": "APBD Kab/Kota"})
    assert not res.terlambat and res.distribusi_id is None
    row = res.layanan[0]
    assert (row["orang_id"], row["bencana_id"], row["kode_layanan"], row["tanggal"], row["nilai"], row["terlambat"]) == (
        v["orang_id"], fire["id"], FOOD, "2025-03-02", 45000, 0)
    assert res.kuitansi[0]["nomor"].startswith("TT/")
    assert _victims(db, fire)["Ahmad"]["status_layanan"] == "dalam_masa"


def test_aid_per_household_members_or_head_only(db, fire):
    res = BB.bantuan_keluarga(db, fire["id"], KK1, {"kode_layanan": FOOD, "tanggal": "2025-03-02"})
    assert len(res.layanan) == 3 and len(res.kuitansi) == 3 and res.distribusi_id
    res = BB.bantuan_keluarga(db, fire["id"], KK2, {"kode_layanan": SHELTER, "tanggal": "2025-03-02", "jumlah": 1},
                              hanya_kepala=True)
    assert [r["orang_id"] for r in res.layanan] == [_victims(db, fire)["Darman"]["orang_id"]]
    with pytest.raises(KnownError, match="Tidak ada korban dengan No. KK 6171030101099999"):
        BB.bantuan_keluarga(db, fire["id"], "6171030101099999", {"kode_layanan": FOOD, "tanggal": "2025-03-02"})


def test_food_for_every_displaced_victim_in_one_step(db, fire):
    res = BB.bantuan_kejadian(db, fire["id"], {"kode_layanan": FOOD, "tanggal": "2025-03-01", "jumlah": 3},
                              tempat_tinggal="pengungsian")
    names = {records.get(db, "orang", r["orang_id"])["nama"] for r in res.layanan}
    assert names == {"Ahmad", "Aisyah", "Bayu"}
    assert len({r["distribusi_id"] for r in res.layanan}) == 1
    # a second round the same day can skip those already served
    with pytest.raises(ValidationError) as err:
        BB.bantuan_kejadian(db, fire["id"], {"kode_layanan": FOOD, "tanggal": "2025-03-01"},
                            tempat_tinggal="pengungsian", lewati_sudah_menerima=True)
    assert err.value.errors == {"penerima": "Tidak ada korban yang memenuhi pilihan ini"}
    res = BB.bantuan_kejadian(db, fire["id"], {"kode_layanan": FOOD, "tanggal": "2025-03-01"},
                              lewati_sudah_menerima=True)
    assert len(res.layanan) == 2  # Darman and Dewi


def test_per_household_and_vulnerable_group_selection(db, fire):
    ids = BB.penerima_kejadian(db, fire["id"], per_kk=True)
    assert [records.get(db, "orang", i)["nama"] for i in ids] == ["Ahmad", "Darman"]
    ids = BB.penerima_kejadian(db, fire["id"], kelompok_rentan="Balita")
    assert [records.get(db, "orang", i)["nama"] for i in ids] == ["Bayu"]


def test_aid_outside_the_window_warns_and_is_marked_late(db, fire):
    v = _victims(db, fire)["Dewi"]
    values = {"kode_layanan": FOOD, "tanggal": "09/03/2025"}  # window ended 08/03/2025
    with pytest.raises(L.PerluKonfirmasi) as err:
        BB.bantuan_korban(db, v["id"], values)
    assert err.value.warnings == [
        "Tanggal bantuan 09/03/2025 di luar masa tanggap darurat kejadian KBR-01 (berakhir 08/03/2025); "
        "bantuan dicatat terlambat dan tidak dihitung pada SPM bencana"]
    assert db.execute("SELECT count(*) FROM layanan").fetchone()[0] == 0
    res = BB.bantuan_korban(db, v["id"], values, konfirmasi=True)
    assert res.terlambat and res.layanan[0]["terlambat"] == 1
    assert _victims(db, fire)["Dewi"]["status_layanan"] == "terlambat"
    # the last day of the window is still in time
    res = BB.bantuan_korban(db, v["id"], {"kode_layanan": FOOD, "tanggal": "08/03/2025"})
    assert not res.terlambat
    assert _victims(db, fire)["Dewi"]["status_layanan"] == "dalam_masa"


def test_aid_dated_before_the_event_is_refused(db, fire):
    v = _victims(db, fire)["Ahmad"]
    with pytest.raises(ValidationError) as err:
        BB.bantuan_korban(db, v["id"], {"kode_layanan": FOOD, "tanggal": "28/02/2025"})
    assert err.value.errors["tanggal"] == "Tanggal layanan sebelum kejadian bencana (01/03/2025)"
    assert db.execute("SELECT count(*) FROM layanan").fetchone()[0] == 0


def test_aid_to_someone_who_is_not_a_victim_of_that_event_is_refused(db, fire):
    other = B.tambah_bencana(db, {"jenis_kode": "banjir", "tanggal": "2025-03-01", "kode_wilayah": PALLIMA})
    outsider = K.tambah_korban(db, other["id"], orang={"nama": "Orang Lain"})
    victim = _victims(db, fire)["Ahmad"]
    with pytest.raises(L.DistribusiError) as err:
        BB.beri_bantuan(db, fire["id"], [victim["orang_id"], outsider["orang_id"]],
                        {"kode_layanan": FOOD, "tanggal": "2025-03-02"})
    assert err.value.per_orang == {outsider["orang_id"]: {
        "bencana_id": "Orang Lain bukan korban terdaftar kejadian bencana ini; daftarkan dulu sebagai korban"}}
    assert db.execute("SELECT count(*) FROM layanan").fetchone()[0] == 0  # all or nothing
    # also when the date is outside the window: the refusal comes before the warning
    with pytest.raises(L.DistribusiError):
        BB.beri_bantuan(db, fire["id"], [outsider["orang_id"]], {"kode_layanan": FOOD, "tanggal": "2025-03-20"})


def test_only_emergency_aid_codes(db, fire):
    v = _victims(db, fire)["Ahmad"]
    with pytest.raises(ValidationError) as err:
        BB.bantuan_korban(db, v["id"], {"kode_layanan": "1.06.04.2.01.01", "tanggal": "2025-03-02"})
    assert err.value.errors["kode_layanan"].startswith("1.06.04.2.01.0001 Penyediaan Permakanan bukan bantuan darurat")
    assert [r["kode"] for r in BB.layanan_darurat(db)] == [f"1.06.06.2.01.000{i}" for i in range(1, 6)]


def test_nobody_selected(db, fire):
    with pytest.raises(ValidationError):
        BB.beri_bantuan(db, fire["id"], [], {"kode_layanan": FOOD, "tanggal": "2025-03-02"})


def test_victim_with_aid_cannot_be_deleted(db, fire):
    v = _victims(db, fire)["Ahmad"]
    BB.bantuan_korban(db, v["id"], {"kode_layanan": FOOD, "tanggal": "2025-03-02"})
    with pytest.raises(KnownError, match="sudah menerima 1 bantuan"):
        K.hapus_korban(db, v["id"], "salah")


def test_moving_the_event_date_after_aid_is_refused(db, fire):
    v = _victims(db, fire)["Ahmad"]
    BB.bantuan_korban(db, v["id"], {"kode_layanan": FOOD, "tanggal": "2025-03-02"})
    with pytest.raises(ValidationError) as err:
        B.ubah_bencana(db, fire["id"], {"tanggal": "2025-03-05"})
    assert err.value.errors["tanggal"].startswith("Sudah ada bantuan tanggal 02/03/2025")
    with pytest.raises(KnownError, match="masih memiliki 5 korban dan 1 bantuan"):
        B.hapus_bencana(db, fire["id"], "salah")
