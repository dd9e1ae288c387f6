"""Everything the monthly recap shows (DOMAIN.md §9), computed once by the indicator engine.

``kumpulkan(db, periode, wilayah)`` returns a ``RekapData``: the header facts
(area path, reporter, dates), the indicators of the month and year-to-date
(with targets and verdicts where targets exist), PPKS per category, the
outputs per sub-kegiatan and funding source, disasters, PSKS and events, and
the by-name list of service recipients. The workbook writer
(exporters/recap_xlsx.py) and the Rekap page only lay these values out, so
what is printed, shown and exported as data values is the same number.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from sqlite_utils import Database

from db import indikator as ik
from db import reference
from db.clock import today
from db.errors import KnownError
from db.install import get_install


@dataclass
class RekapData:
    periode: ik.Periode
    kode_wilayah: str
    nama_wilayah: str
    path: list[dict]  # ref_wilayah rows from provinsi down to the area
    peran: str
    pelapor: str
    pelapor_nomor: str | None
    lurah: str | None
    tanggal: _dt.date
    tempat: str
    bulan: dict[str, ik.Hasil]
    ytd: dict[str, ik.Hasil]
    penilaian: dict[str, dict]
    ppks: list[dict]
    bencana: list[dict]
    bencana_jenis: list[dict]
    psks: list[dict]
    kegiatan: list[dict]
    bnba: list[dict]
    status_bulan: dict | None = None
    satuan_nama: dict[str, str] = field(default_factory=dict)
    sumber_dana_nama: dict[str, str] = field(default_factory=dict)
    layanan_ref: dict[str, dict] = field(default_factory=dict)

    @property
    def persentase(self) -> list[str]:
        return [k for k, v in self.bulan.items() if v.jenis == "persentase"]

    @property
    def keluaran(self) -> list[str]:
        return [k for k, v in self.bulan.items() if v.jenis == "keluaran"]

    def tingkat(self) -> int:
        return self.path[-1]["tingkat"] if self.path else 0


def tempat_ttd(path: list[dict]) -> str:
    """The place written before the signature date: the kab/kota name without 'Kota'/'Kabupaten'."""
    for row in path:
        if row["tingkat"] == 2:
            nama = row["nama"]
            for prefix in ("Kota ", "Kabupaten "):
                if nama.startswith(prefix):
                    return nama[len(prefix):]
            return nama
    return path[-1]["nama"] if path else ""


def kumpulkan(db: Database, periode: ik.Periode | str, wilayah: str | None = None, *,
              tanggal: _dt.date | None = None) -> RekapData:
    """The recap of ``periode`` (a month) for ``wilayah`` (default: the install's area)."""
    periode = ik.Periode.dari(periode)
    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan (jalankan 'kesos init' atau wizard penyiapan).")
    kode = reference.normalize_kode_wilayah(wilayah or inst.kode_wilayah)
    path = reference.wilayah_path(db, kode)
    if not path:
        raise KnownError(f"Kode wilayah '{kode}' tidak dikenal.")
    ytd_periode = periode.tahun_berjalan()
    # one context per period: the TEMP tables are built once for every part of the recap
    with ik.Konteks(db, periode, kode) as km, ik.Konteks(db, ytd_periode, kode) as ky:
        bulan = ik.hitung_indikator(db, periode, kode, konteks=km)
        ytd = ik.hitung_indikator(db, ytd_periode, kode, konteks=ky)
        bencana = ik.bencana_kejadian(db, periode, kode, konteks=km)
        ppks = ik.ppks_per_kategori(db, periode, kode, konteks=km, konteks_ytd=ky)
        psks = ik.psks_per_jenis(db, periode, kode, konteks=km, konteks_ytd=ky)
        bnba = ik.bnba(db, periode, kode, konteks=km)
    from db.periode import status_bulan

    status = status_bulan(db, periode.teks) if periode.jenis == "bulan" else None
    return RekapData(
        periode=periode,
        kode_wilayah=kode,
        nama_wilayah=path[-1]["nama"],
        path=path,
        peran=inst.peran,
        pelapor=inst.operator_nama,
        pelapor_nomor=inst.operator_nomor,
        lurah=inst.lurah_nama,
        tanggal=tanggal or today(),
        tempat=tempat_ttd(path),
        bulan=bulan,
        ytd=ytd,
        penilaian=ik.penilaian(db, ytd, periode.akhir.year, kode),
        ppks=ppks,
        bencana=bencana,
        bencana_jenis=ik.bencana_per_jenis(bencana),
        psks=psks,
        kegiatan=ik.kegiatan_periode(db, periode, kode),
        bnba=bnba,
        status_bulan=status,
        satuan_nama=dict(reference.daftar(db, "satuan")),
        sumber_dana_nama=dict(reference.daftar(db, "sumber_dana")),
        layanan_ref={r["kode"]: r for r in reference.layanan_list(db)},
    )
