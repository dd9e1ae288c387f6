"""Disaster events: validation, the emergency window, editing with a reason, listing."""
from __future__ import annotations

import datetime as dt

import pytest

from db import bencana as B
from db import records
from db.errors import KnownError, ValidationError

PALLIMA = "61.71.03.1001"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-31")


def _event(db, **over):
    values = {"jenis_kode": "kebakaran_permukiman", "tanggal": "01/03/2025", "waktu": "21.15",
              "kode_wilayah": PALLIMA, "lokasi": "Gg. Damai", "rt": "003", "rw": "002",
              "kk_terdampak": "12", "jiwa_terdampak": 41, "rumah_rusak": 9}
    values.update(over)
    return B.tambah_bencana(db, values)


def test_new_event_takes_kind_from_type_and_gets_a_code_and_window(db):
    ev = _event(db)
    assert ev["kelompok"] == "sosial"  # kebakaran permukiman is handled as bencana sosial (DOMAIN §7)
    assert ev["jenis_kode"] == "kebakaran_permukiman"
    assert ev["tanggal"] == "2025-03-01" and ev["waktu"] == "21:15"
    assert (ev["kk_terdampak"], ev["jiwa_terdampak"], ev["rumah_rusak"]) == (12, 41, 9)
    assert ev["lama_tanggap_darurat"] == 7 and ev["status"] == "tanggap_darurat"
    assert ev["kode_kejadian"] == "KJD-2025-001"
    # 1 March + 7 days after the event = 8 March (inclusive)
    assert ev["akhir_masa_tanggap"] == "2025-03-08"
    assert _event(db, tanggal="2025-04-02")["kode_kejadian"] == "KJD-2025-002"
    hist = records.history(db, "bencana", ev["id"])
    assert hist[0]["aksi"] == "tambah"


def test_type_by_name_and_alam_kind(db):
    ev = _event(db, jenis_kode="Banjir Rob")
    assert (ev["jenis_kode"], ev["kelompok"]) == ("banjir_rob", "alam")
    ev = _event(db, jenis_kode="angin puting beliung")
    assert (ev["jenis_kode"], ev["kelompok"]) == ("angin_puting_beliung", "alam")


def test_window_boundaries():
    ev = {"tanggal": "2025-03-01", "lama_tanggap_darurat": 7}
    assert B.akhir_masa_tanggap("2025-03-01", 7) == dt.date(2025, 3, 8)
    assert B.akhir_masa_tanggap(dt.date(2025, 12, 28), 7) == dt.date(2026, 1, 4)
    assert B.dalam_masa_tanggap(ev, "2025-03-01")
    assert B.dalam_masa_tanggap(ev, "2025-03-08")
    assert not B.dalam_masa_tanggap(ev, "2025-03-09")
    assert not B.dalam_masa_tanggap(ev, "2025-02-28")


def test_event_dated_in_the_future_is_refused(db):
    with pytest.raises(ValidationError) as err:
        _event(db, tanggal="01/01/2026")
    assert err.value.errors == {
        "tanggal": "Tanggal kejadian 01/01/2026 belum terjadi (setelah hari ini); periksa tanggalnya"}
    assert db.execute("SELECT count(*) FROM bencana").fetchone()[0] == 0
    assert _event(db, tanggal="31/12/2025")["tanggal"] == "2025-12-31"  # today is fine


@pytest.mark.parametrize("field,value,message", [
    ("jenis_kode", "hujan es", "Jenis bencana 'hujan es' tidak dikenal"),
    ("jenis_kode", None, "Jenis bencana wajib dipilih"),
    ("tanggal", "", "Tanggal kejadian wajib diisi"),
    ("tanggal", "31/02/2025", "tanggal '31/02/2025' tidak ada di kalender"),
    ("waktu", "25:10", "Waktu '25:10' tidak sah (tulis jj:mm, mis. 14:30)"),
    ("kode_wilayah", "61.71.03.1999", "Kode wilayah '61.71.03.1999' tidak dikenal"),
    ("kode_wilayah", "61.71", "Kota Pontianak bukan kelurahan/desa (atau kecamatan)"),
    ("kk_terdampak", "-3", "KK terdampak tidak boleh kurang dari 0"),
    ("jiwa_terdampak", "banyak", "'banyak' bukan angka"),
    ("lama_tanggap_darurat", 0, "Lama tanggap darurat tidak boleh kurang dari 1"),
    ("status", "beres", "Status 'beres' tidak dikenal"),
])
def test_invalid_fields(db, field, value, message):
    with pytest.raises(ValidationError) as err:
        _event(db, **{field: value})
    assert err.value.errors[field] == message


def test_kind_must_match_type(db):
    with pytest.raises(ValidationError) as err:
        _event(db, jenis_kode="banjir", kelompok="sosial")
    assert err.value.errors == {"kelompok": "Banjir termasuk bencana alam, bukan bencana sosial"}


def test_a_longer_window_at_creation_needs_a_reason(db):
    with pytest.raises(ValidationError) as err:
        _event(db, lama_tanggap_darurat=14)
    assert "alasan_perpanjangan" in err.value.errors
    ev = _event(db, lama_tanggap_darurat=14, alasan_perpanjangan="SK Wali Kota 12/2025")
    assert ev["akhir_masa_tanggap"] == "2025-03-15"


def test_extending_the_window_needs_a_reason_and_is_audited(db):
    ev = _event(db)
    with pytest.raises(ValidationError) as err:
        B.ubah_bencana(db, ev["id"], {"lama_tanggap_darurat": 14})
    assert err.value.errors["alasan_perpanjangan"].startswith("Mengubah lama masa tanggap darurat memerlukan alasan")
    with pytest.raises(ValidationError):
        B.ubah_masa_tanggap(db, ev["id"], 14, "  ")
    ev = B.ubah_masa_tanggap(db, ev["id"], 14, "SK perpanjangan status tanggap darurat no. 5")
    assert ev["lama_tanggap_darurat"] == 14 and ev["akhir_masa_tanggap"] == "2025-03-15"
    change = records.history(db, "bencana", ev["id"])[-1]
    assert change["aksi"] == "ubah"
    assert change["lama"]["lama_tanggap_darurat"] == 7
    assert change["baru"]["lama_tanggap_darurat"] == 14
    assert change["baru"]["alasan_perpanjangan"] == "SK perpanjangan status tanggap darurat no. 5"
    # a second extension needs a new reason, not the old one again
    with pytest.raises(ValidationError):
        B.ubah_bencana(db, ev["id"], {"lama_tanggap_darurat": 21,
                                      "alasan_perpanjangan": "SK perpanjangan status tanggap darurat no. 5"})


def test_other_edits_do_not_need_a_reason(db):
    ev = _event(db)
    ev = B.ubah_bencana(db, ev["id"], {"status": "selesai", "jiwa_terdampak": 44, "keterangan": "Data final"})
    assert (ev["status"], ev["jiwa_terdampak"], ev["keterangan"]) == ("selesai", 44, "Data final")


def test_event_code_is_unique(db):
    _event(db, kode_kejadian="KBR-01")
    with pytest.raises(ValidationError) as err:
        _event(db, kode_kejadian="kbr-01")
    assert err.value.errors == {"kode_kejadian": "Kode kejadian 'kbr-01' sudah dipakai untuk kejadian tanggal 01/03/2025"}
    assert B.cari_kode_kejadian(db, " kbr-01 ")["kode_kejadian"] == "KBR-01"
    assert B.cari_kode_kejadian(db, "KBR-02") is None


def test_listing_filters_and_counts(db):
    a = _event(db, tanggal="2025-03-01", lokasi="Gg. Damai")
    _event(db, tanggal="2025-04-10", jenis_kode="banjir_rob", lokasi="Tepian Kapuas")
    rows = B.daftar_bencana(db)
    assert [r["tanggal"] for r in rows] == ["2025-04-10", "2025-03-01"]  # newest first
    assert rows[1]["jenis_nama"] == "Kebakaran Permukiman" and rows[1]["wilayah_nama"] == "Pallima"
    assert rows[1]["akhir_masa_tanggap"] == "2025-03-08"
    assert [r["id"] for r in B.daftar_bencana(db, periode="2025-03")] == [a["id"]]
    assert [r["lokasi"] for r in B.daftar_bencana(db, cari="kapuas")] == ["Tepian Kapuas"]
    assert B.hitung_bencana(db) == 2 and B.hitung_bencana(db, periode="2025-04") == 1
    rows = B.daftar_bencana(db, sort_key="tanggal")
    assert [r["tanggal"] for r in rows] == ["2025-03-01", "2025-04-10"]


def test_delete_needs_a_reason_and_hides_the_event(db):
    ev = _event(db)
    with pytest.raises(KnownError):
        B.hapus_bencana(db, ev["id"], "")
    B.hapus_bencana(db, ev["id"], "Salah input")
    assert B.daftar_bencana(db) == []
    with pytest.raises(KnownError):
        B.ringkasan_bencana(db, ev["id"])
