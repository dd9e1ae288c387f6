"""Small builders for PSKS tests (register rows with valid NIKs, events)."""
from __future__ import annotations

from db import psks as psks_db


def nik(n: int, *, perempuan: bool = False, kecamatan: str = "617103") -> str:
    """A valid NIK of Kec. Pontianak Barat: birth date from ``n``, serial ``n``."""
    day = 1 + n % 28 + (40 if perempuan else 0)
    month = 1 + (n // 28) % 12
    year = 70 + n % 25
    return f"{kecamatan}{day:02d}{month:02d}{year:02d}{n % 10000 or 1:04d}"


def make_psks(db, jenis_kode: str, n: int, **extra) -> dict:
    """A person PSKS with NIK number ``n`` (``nik(n)``) and registration ``<JENIS>-<n>``."""
    values = {
        "jenis_kode": jenis_kode,
        "nama": extra.pop("nama", f"{jenis_kode.title()} {n:03d}"),
        "nik": nik(n),
        "jenis_kelamin": "L",
        "kode_wilayah": extra.pop("kode_wilayah", "61.71.03.1001"),
        "nomor_registrasi": f"{jenis_kode}-{n:04d}",
        "tanggal_mulai_aktif": "2024-01-15",
    }
    values.update(extra)
    return psks_db.create_psks(db, values)
