"""Aggregates as a DHIS2 ``dataValueSets`` CSV (DOMAIN.md §8).

Columns: ``dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,
lastupdated,comment,followup``. ``period`` is ISO (``202512`` a month, ``2025``
a year); ``orgunit`` the Kemendagri code. Data elements:

- each percentage indicator ``<ID>``: ``<ID>.NUM`` (numerator), ``<ID>.DEN``
  (denominator), and ``<ID>`` (the percentage, 2 decimals; left out when the
  denominator is 0, as DHIS2 leaves an undefined indicator empty);
- each sub-kegiatan output ``OUT_<kode>``: ``OUT_<kode>`` = its main measure
  (distinct recipients, or KK for household aid, attending participants for
  PSKS events, people recorded for pendataan), ``OUT_<kode>.JML`` = number of
  services (number of events for PSKS events), ``OUT_<kode>.QTY`` = total
  quantity with ``catoptcombo`` = the unit code (one row per unit used; the
  sub-kegiatan's default unit always), ``OUT_<kode>.VAL`` = total value in
  whole rupiah. Measures a sub-kegiatan does not have are not written.

Zeros are written (a kelurahan that served nobody reported 0, not nothing).
For a DINAS install: every kelurahan, every kecamatan and the kab/kota, each
computed in one pass per level by the indicator engine (a person registered
in two kelurahan counts in each kelurahan and once for the kota).
"""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Iterable

from sqlite_utils import Database

from db import indikator as ik
from db.clock import now_iso
from db.errors import KnownError
from db.install import get_install

KOLOM = ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby", "lastupdated",
         "comment", "followup"]
STOREDBY = "kesos-lapangan"


def _angka(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def baris(hasil: dict[str, ik.Hasil], period: str, orgunit: str, *, satuan_default: dict[str, str] | None = None,
          lastupdated: str = "", storedby: str = STOREDBY) -> list[list[str]]:
    """The data value rows of one area's results."""
    out: list[list[str]] = []

    def add(element: str, value, coc: str = "") -> None:
        out.append([element, period, orgunit, coc, "", _angka(value), storedby, lastupdated, "", "false"])

    for ident, h in hasil.items():
        if h.jenis == "persentase":
            add(f"{ident}.NUM", h.numerator)
            add(f"{ident}.DEN", h.denominator)
            if h.denominator:
                add(ident, round(h.nilai, 2))
            continue
        add(ident, h.numerator)
        u = h.ukuran
        if "jumlah_layanan" in u:
            add(f"{ident}.JML", u["jumlah_layanan"])
        elif "kegiatan" in u:
            add(f"{ident}.JML", u["kegiatan"])
        if "kuantitas" in u:
            default = (satuan_default or {}).get(h.kode_layanan or "")
            per_unit = dict(h.kuantitas)
            if default and default not in per_unit:
                per_unit[default] = 0
            for unit in sorted(per_unit, key=lambda s: (s != default, s)):
                add(f"{ident}.QTY", per_unit[unit], unit)
        if "nilai" in u:
            add(f"{ident}.VAL", u["nilai"])
    return out


def kumpulkan(db: Database, periode: ik.Periode | str) -> tuple[ik.Periode, list[list[str]], list[str]]:
    """(period, rows, orgunits) for the install's area; for a DINAS install every kelurahan,
    kecamatan and the kab/kota."""
    periode = ik.Periode.dari(periode)
    if periode.jenis not in ("bulan", "tahun"):
        raise KnownError("Periode data values harus satu bulan (YYYY-MM) atau satu tahun (YYYY).")
    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan (jalankan 'kesos init').")
    from db.reference import layanan_list

    defaults = {r["kode"]: r["satuan_default"] for r in layanan_list(db)}
    stamp = now_iso()
    rows: list[list[str]] = []
    orgunits: list[str] = []
    if inst.is_dinas:
        per = ik.hitung_bertingkat(db, periode, inst.kode_wilayah, (4, 3, 2))
    else:
        per = {inst.kode_wilayah: ik.hitung_indikator(db, periode, inst.kode_wilayah)}
    for kode, hasil in per.items():
        rows += baris(hasil, periode.kode, kode, satuan_default=defaults, lastupdated=stamp)
        orgunits.append(kode)
    return periode, rows, orgunits


def tulis(rows: Iterable[list[str]], path: str | os.PathLike) -> Path:
    """Write the CSV (UTF-8, header row) atomically."""
    path = Path(path)
    if not path.parent.exists():
        raise KnownError(f"Folder {path.parent} tidak ada.")
    if path.is_dir():
        raise KnownError(f"{path} adalah folder, bukan berkas.")
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(KOLOM)
            w.writerows(rows)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: {exc.strerror or exc}.") from None
    return path


def tulis_datavalues(db: Database, periode: ik.Periode | str, path: str | os.PathLike) -> dict:
    """Compute and write the data values; returns a report {file, period, orgunits, rows}."""
    target = Path(path)
    if not target.parent.exists():
        raise KnownError(f"Folder {target.parent} tidak ada.")
    p, rows, orgunits = kumpulkan(db, periode)
    tulis(rows, path)
    return {"file": str(path), "period": p.kode, "orgunits": len(orgunits), "rows": len(rows)}
