"""Test data for the sync/Dinas tests: field installs with a few records.

Records are written with ``db.records.insert`` (what every record module
uses), so the tests do not depend on the PPKS/services modules' forms.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from db import records
from db.connection import open_database
from db.install import init_install


def make_install(template: Path, path: Path, kode: str, *, peran: str = "PSM", operator: str = "Petugas Uji"):
    shutil.copyfile(template, path)
    db = open_database(path)
    init_install(db, kode_wilayah=kode, operator_nama=operator, peran=peran, lurah_nama="Lurah Uji")
    return db


def add_person(db, *, nama: str, nik: str | None = None, kode_wilayah: str | None = None, jk: str = "L",
               kategori: str = "8", terlantar: int = 1, tanggal: str = "2025-11-03", no_kk: str | None = None,
               sementara: str | None = None) -> dict:
    if kode_wilayah is None:
        kode_wilayah = db.execute("SELECT kode_wilayah FROM install").fetchone()[0]
    orang = records.insert(db, "orang", {
        "nik": nik, "nik_sementara": sementara if nik is None else None, "no_kk": no_kk, "nama": nama,
        "jenis_kelamin": jk, "tanggal_lahir": "1950-01-01", "alamat": "Jl. Uji No. 1", "kode_wilayah": kode_wilayah,
    })
    ppks = records.insert(db, "ppks", {
        "orang_id": orang["id"], "kategori_kode": kategori, "terlantar": terlantar, "tanggal_pendataan": tanggal,
        "sumber_laporan": "kelurahan", "status": "aktif",
    })
    return {"orang": orang, "ppks": ppks}


def add_service(db, orang_id: str, *, kode: str = "1.06.04.2.01.0001", tanggal: str = "2025-11-10",
                jumlah: float = 1, satuan: str = "paket", nilai: int = 150000, sumber_dana: str = "APBD_KOTA") -> dict:
    return records.insert(db, "layanan", {
        "orang_id": orang_id, "kode_layanan": kode, "tanggal": tanggal, "jumlah": jumlah, "satuan": satuan,
        "nilai": nilai, "sumber_dana": sumber_dana, "petugas": "Petugas Uji",
    })


def tick_clock(monkeypatch, start: str = "2025-12-01T08:00:00") -> None:
    """Every call of now_iso (records and packages) one second later than the last: tests
    that edit and re-send within one real second still see distinct, ordered times."""
    import datetime as dt
    import itertools

    from db import sinkron

    base = dt.datetime.fromisoformat(start)
    counter = itertools.count()

    def now() -> str:
        return (base + dt.timedelta(seconds=next(counter))).isoformat(timespec="seconds")

    monkeypatch.setattr(records, "now_iso", now)
    monkeypatch.setattr(sinkron, "now_iso", now)


PALLIMA, SUNGAIJAWI_DALAM, AKCAYA = "61.71.03.1001", "61.71.03.1002", "61.71.01.1006"
SHARED_NIK = "6171030101400007"


def three_kelurahan(tmp_path, template, dinas_db, periode: str = "2025-11", indicator_ids=None) -> dict:
    """Three kelurahan installs (two in Pontianak Barat, one in Pontianak Selatan) with lansia
    and gepeng, one person registered and served in both Pontianak Barat kelurahan; their
    packages imported at ``dinas_db``. Returns {kode: that install's own indicators}."""
    from db import indikator, sinkron

    out = tmp_path / "usb3"
    out.mkdir(exist_ok=True)
    fields = {}
    for kode, n_lansia, n_gepeng in ((PALLIMA, 3, 1), (SUNGAIJAWI_DALAM, 2, 2), (AKCAYA, 4, 0)):
        db = make_install(template, tmp_path / f"{kode}.db", kode)
        serial = int(kode[-4:]) * 10
        for i in range(n_lansia):
            p = add_person(db, nama=f"Lansia {kode} {i}", nik=f"61710301015{serial + i:05d}", kategori="8",
                           jk="L" if i % 2 else "P")
            if i:  # the first lansia of each kelurahan is registered but not served
                add_service(db, p["orang"]["id"])
        for i in range(n_gepeng):
            p = add_person(db, nama=f"Gepeng {kode} {i}", nik=f"61710301016{serial + i:05d}", kategori="11")
            add_service(db, p["orang"]["id"], kode="1.06.04.2.01.0002", satuan="stel")
        fields[kode] = db
    for kode in (PALLIMA, SUNGAIJAWI_DALAM):
        p = add_person(fields[kode], nama="Mbah Sarip", nik=SHARED_NIK, kategori="8", kode_wilayah=kode)
        add_service(fields[kode], p["orang"]["id"], tanggal="2025-11-21")
    local = {kode: indikator.hitung_indikator(db, periode, kode, indicator_ids) for kode, db in fields.items()}
    for db in fields.values():
        outcome = sinkron.import_package(dinas_db, sinkron.export_package(db, periode, out).path)
        assert outcome.hasil == "diterima", outcome.alasan
        db.close()
    return local
