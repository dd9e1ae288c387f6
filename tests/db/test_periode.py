"""Closing a month locks its records; reopening needs a reason and is logged."""
from __future__ import annotations

import pytest

from db import periode, records
from db.errors import KnownError
from db.indonesian import tanggal_panjang
from tests.conftest import KELURAHAN


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2026-01-05")


@pytest.fixture
def orang(db):
    return records.insert(db, "orang", {"nama": "Ibu Rahma", "kode_wilayah": KELURAHAN, "jenis_kelamin": "P"})["id"]


def layanan(db, orang_id, tanggal, **extra):
    return records.insert(db, "layanan", {"orang_id": orang_id, "kode_layanan": "1.06.04.2.01.0001", "tanggal": tanggal,
                                          "jumlah": 1, "satuan": "paket", "nilai": 50000, **extra})["id"]


def test_closed_month_refuses_new_records_with_the_date_it_was_reported(db, orang):
    before = layanan(db, orang, "2025-12-05")
    st = periode.tutup_bulan(db, "2025-12", "Rekap dikirim ke Dinas")
    assert st["ditutup"] == 1 and st["alasan"] == "Rekap dikirim ke Dinas"
    assert periode.sudah_ditutup(db, "2025-12") and periode.bulan_ditutup(db) == ["2025-12"]
    with pytest.raises(KnownError) as exc:
        layanan(db, orang, "2025-12-20")
    when = tanggal_panjang(st["ditutup_at"][:10])  # e.g. "5 Januari 2026"
    assert exc.value.pesan.startswith(f"Bulan Desember 2025 sudah dilaporkan pada {when} (Rekap dikirim ke Dinas)")
    assert "Buka kembali" in exc.value.pesan
    assert db.execute("SELECT count(*) FROM layanan").fetchone()[0] == 1
    layanan(db, orang, "2026-01-02")  # the open month still takes records
    # changing what the recap counted is refused; a note is not
    with pytest.raises(KnownError, match="Desember 2025"):
        records.update(db, "layanan", before, {"jumlah": 2})
    with pytest.raises(KnownError, match="Desember 2025"):
        records.update(db, "layanan", before, {"status": "batal", "alasan_batal": "x", "tanggal_batal": "2026-01-05"})
    records.update(db, "layanan", before, {"keterangan": "diterima anaknya"})
    with pytest.raises(KnownError, match="Desember 2025"):
        records.soft_delete(db, "layanan", before, "salah input")
    # moving a January record into the closed month is refused too
    jan = layanan(db, orang, "2026-01-03")
    with pytest.raises(KnownError, match="Desember 2025"):
        records.update(db, "layanan", jan, {"tanggal": "2025-12-30"})
    with pytest.raises(KnownError, match="Desember 2025"):
        records.insert_many(db, "layanan", [
            {"orang_id": orang, "kode_layanan": "1.06.04.2.01.0001", "tanggal": d, "jumlah": 1, "satuan": "paket"}
            for d in ("2026-01-04", "2025-12-31")])
    assert db.execute("SELECT count(*) FROM layanan").fetchone()[0] == 3


def test_every_dated_record_kind_is_locked(db, orang):
    periode.tutup_bulan(db, "2025-11")
    with pytest.raises(KnownError, match="November 2025"):
        records.insert(db, "ppks", {"orang_id": orang, "kategori_kode": "8", "tanggal_pendataan": "2025-11-03"})
    with pytest.raises(KnownError, match="November 2025"):
        records.insert(db, "bencana", {"kelompok": "alam", "jenis_kode": "banjir", "tanggal": "2025-11-03",
                                       "kode_wilayah": KELURAHAN})
    with pytest.raises(KnownError, match="November 2025"):
        records.insert(db, "kegiatan", {"nama": "Rakor", "jenis": "rapat_koordinasi", "tanggal_mulai": "2025-11-28",
                                        "tanggal_selesai": "2025-12-01"})
    # undated kinds (orang, psks) are not locked
    records.insert(db, "orang", {"nama": "Pak Darto"})


def test_a_registration_of_a_closed_month_can_still_be_closed_later(db, orang):
    pid = records.insert(db, "ppks", {"orang_id": orang, "kategori_kode": "8", "tanggal_pendataan": "2025-11-03"})["id"]
    periode.tutup_bulan(db, "2025-11")
    periode.tutup_bulan(db, "2025-12")
    with pytest.raises(KnownError, match="November 2025"):
        records.update(db, "ppks", pid, {"kategori_kode": "9"})
    # closing it with a date in a closed month would change December's numbers
    with pytest.raises(KnownError, match="Desember 2025"):
        records.update(db, "ppks", pid, {"status": "ditutup", "alasan_tutup": "meninggal", "tanggal_tutup": "2025-12-20"})
    records.update(db, "ppks", pid, {"status": "ditutup", "alasan_tutup": "meninggal", "tanggal_tutup": "2026-01-02"})
    assert records.get(db, "ppks", pid)["status"] == "ditutup"


def test_reopen_needs_a_reason_is_logged_and_raises_the_package_sequence(db, orang):
    periode.tutup_bulan(db, "2025-12", "Paket dikirim")
    assert periode.urutan_paket(db, "2025-12") == 0
    with pytest.raises(KnownError, match="Alasan"):
        periode.buka_kembali(db, "2025-12", "  ")
    st = periode.buka_kembali(db, "2025-12", "Ada layanan yang terlewat")
    assert (st["ditutup"], st["alasan_buka"], st["urutan_paket"]) == (0, "Ada layanan yang terlewat", 1)
    layanan(db, orang, "2025-12-20")
    periode.tutup_bulan(db, "2025-12", "Paket revisi dikirim")
    periode.buka_kembali(db, "2025-12", "Koreksi kedua")
    assert periode.urutan_paket(db, "2025-12") == 2
    log = db.execute("SELECT aksi, baru FROM audit WHERE tabel = 'periode_tutup' AND record_id = '2025-12' ORDER BY id").fetchall()
    assert [a for a, _ in log] == ["tutup", "buka", "tutup", "buka"]
    assert "Ada layanan yang terlewat" in log[1][1]
    with pytest.raises(KnownError, match="belum ditutup"):
        periode.buka_kembali(db, "2025-12", "lagi")


def test_closing_rules(db):
    with pytest.raises(KnownError, match="belum berjalan"):
        periode.tutup_bulan(db, "2026-02")
    periode.tutup_bulan(db, "2026-01")  # the running month may be closed (reported on its last day)
    with pytest.raises(KnownError, match="sudah ditutup"):
        periode.tutup_bulan(db, "2026-01")
    with pytest.raises(KnownError, match="tidak sah"):
        periode.tutup_bulan(db, "Desember")
    assert periode.normal_periode("2025-1") == "2025-01"
    assert periode.status_bulan(db, "2025-12") is None and periode.urutan_paket(db, "2025-12") == 0


def test_victims_and_attendance_follow_their_event_month(db, orang):
    ev = records.insert(db, "bencana", {"kelompok": "alam", "jenis_kode": "banjir", "tanggal": "2025-12-03",
                                        "kode_wilayah": KELURAHAN})["id"]
    k1 = records.insert(db, "korban", {"bencana_id": ev, "orang_id": orang})["id"]
    psks = records.insert(db, "psks", {"jenis_kode": "PSM", "bentuk": "orang", "nama": "Bu Sari"})["id"]
    g = records.insert(db, "kegiatan", {"nama": "Rakor", "jenis": "rapat_koordinasi", "tanggal_mulai": "2025-12-10",
                                        "tanggal_selesai": "2025-12-10"})["id"]
    hadir = records.insert(db, "kegiatan_peserta", {"kegiatan_id": g, "psks_id": psks, "hadir": 0})["id"]
    periode.tutup_bulan(db, "2025-12")
    other = records.insert(db, "orang", {"nama": "Pak Darto"})["id"]
    with pytest.raises(KnownError, match="Desember 2025"):
        records.insert(db, "korban", {"bencana_id": ev, "orang_id": other})
    with pytest.raises(KnownError, match="Desember 2025"):
        records.insert_many(db, "korban", [{"bencana_id": ev, "orang_id": other}])
    with pytest.raises(KnownError, match="Desember 2025"):
        records.update(db, "kegiatan_peserta", hadir, {"hadir": 1})
    with pytest.raises(KnownError, match="Desember 2025"):
        records.soft_delete(db, "korban", k1, "salah orang")
    records.update(db, "korban", k1, {"keterangan": "menumpang di rumah anak"})  # a note is free
    assert db.execute("SELECT count(*) FROM korban WHERE deleted_at IS NULL").fetchone()[0] == 1
