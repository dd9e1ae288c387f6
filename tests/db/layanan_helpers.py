"""Small builders for service tests: people, registrations, disaster events, victims."""
from __future__ import annotations

from db import records

TODAY = "2026-03-10"
NIK_SITI = "6171034501900001"  # woman born 05/01/1990, Kec. Pontianak Barat


def orang(db, nama="Siti Rahmah", **kw) -> dict:
    values = {
        "nama": nama, "nik": NIK_SITI, "jenis_kelamin": "P", "tanggal_lahir": "1990-01-05",
        "alamat": "Jl. Merdeka No. 5", "rt": "3", "rw": "2", "kode_wilayah": "61.71.03.1001",
    }
    values.update(kw)
    return records.insert(db, "orang", values)


def orang_banyak(db, n: int, *, lahir="1950-06-01") -> list[dict]:
    rows = [{"nama": f"Lansia {i:04d}", "nik": f"617103{(i % 28) + 1:02d}0650{i % 10000:04d}",
             "jenis_kelamin": "L", "tanggal_lahir": lahir, "alamat": f"Gg. Mawar {i}", "rt": str(i % 9 + 1),
             "rw": "1", "kode_wilayah": "61.71.03.1001"} for i in range(1, n + 1)]
    return records.insert_many(db, "orang", rows)


def ppks(db, orang_id, kategori="8", **kw) -> dict:
    values = {"orang_id": orang_id, "kategori_kode": kategori, "tanggal_pendataan": "2025-01-10", "status": "aktif"}
    values.update(kw)
    return records.insert(db, "ppks", values)


def bencana(db, tanggal="2026-03-01", lama=7, kode="BJR-01") -> dict:
    return records.insert(db, "bencana", {
        "kode_kejadian": kode, "kelompok": "alam", "jenis_kode": "banjir", "tanggal": tanggal,
        "kode_wilayah": "61.71.03.1001", "lokasi": "RT 003", "lama_tanggap_darurat": lama,
    })


def korban(db, bencana_id, orang_id) -> dict:
    return records.insert(db, "korban", {"bencana_id": bencana_id, "orang_id": orang_id})
