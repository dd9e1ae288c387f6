"""DHIS2 dataValueSets CSV (DOMAIN.md §8): elements, periods, org units, and the engine's numbers."""
from __future__ import annotations

import csv

import pytest

from db import indikator as ik
from db.errors import KnownError
from exporters.datavalues import KOLOM, baris, tulis_datavalues
from tests.db import rekap_fixture as F


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == KOLOM
    return [dict(zip(KOLOM, r)) for r in rows[1:]]


def values(rows):
    return {(r["orgunit"], r["dataelement"], r["catoptcombo"]): r["value"] for r in rows}


def test_dinas_writes_every_kelurahan_kecamatan_and_the_kota(dinas_db, tmp_path):
    F.build(dinas_db)
    out = tmp_path / "dv.csv"
    report = tulis_datavalues(dinas_db, "2025-12", out)
    rows = read(out)
    units = {r["orgunit"] for r in rows}
    # Kota Pontianak: 29 kelurahan, 6 kecamatan, the kota
    assert len(units) == report["orgunits"] == 36 and report["rows"] == len(rows)
    assert {len(u) for u in units} == {13, 8, 5}
    v = values(rows)
    # the same person (NIK N23) in A and in B: counted in each kelurahan, once in the kecamatan and the kota
    assert (v[(F.A, "PPKS_TERTANGANI.DEN", "")], v[(F.B, "PPKS_TERTANGANI.DEN", "")]) == ("21", "1")
    assert v[("61.71.03", "PPKS_TERTANGANI.DEN", "")] == v[("61.71", "PPKS_TERTANGANI.DEN", "")] == "22"
    assert v[("61.71.03", "PPKS_TERTANGANI.NUM", "")] == "16"
    # P24 (kecamatan-level record) is in the kecamatan but in no kelurahan
    assert (v[(F.A, "SPM_GEPENG.DEN", "")], v[("61.71.03", "SPM_GEPENG.DEN", "")]) == ("2", "3")
    # an empty kelurahan reports zeros, and no percentage for a zero denominator
    assert v[("61.71.01.1002", "PPKS_TERTANGANI.NUM", "")] == "0"
    assert ("61.71.01.1002", "PPKS_TERTANGANI", "") not in v
    assert v[(F.A, "SPM_BENCANA", "")] == "25"
    # every value equals the engine's for that area
    for kode in (F.A, F.B, "61.71.03"):
        for ident, h in ik.hitung_indikator(dinas_db, "2025-12", kode).items():
            assert v[(kode, ident if h.jenis == "keluaran" else f"{ident}.NUM", "")] == str(h.numerator)
    assert {r["period"] for r in rows} == {"202512"}
    assert {r["storedby"] for r in rows} == {"kesos-lapangan"} and {r["followup"] for r in rows} == {"false"}


def test_output_elements(db, tmp_path):
    F.build(db)
    out = tmp_path / "dv.csv"
    tulis_datavalues(db, "2025-12", out)
    v = values(read(out))
    k = lambda e, c="": v[(F.A, e, c)]  # noqa: E731
    # permakanan: 2 people, 3 services, 6 paket + 1 kali, Rp 350.000
    assert (k("OUT_1.06.04.2.01.0001"), k("OUT_1.06.04.2.01.0001.JML"), k("OUT_1.06.04.2.01.0001.VAL")) == \
           ("2", "3", "350000")
    assert (k("OUT_1.06.04.2.01.0001.QTY", "paket"), k("OUT_1.06.04.2.01.0001.QTY", "kali")) == ("6", "1")
    # household aid in KK; PSKS events: participants and number of events; pendataan: people recorded
    assert (k("OUT_1.06.05.2.02.0003"), k("OUT_1.06.05.2.02.0003.QTY", "KK")) == ("2", "2")
    assert (k("OUT_1.06.02.2.03.0001"), k("OUT_1.06.02.2.03.0001.JML")) == ("2", "1")
    assert ("61.71.03.1001", "OUT_1.06.02.2.03.0001.VAL", "") not in v
    assert k("OUT_1.06.05.2.02.0001") == "1"
    # a sub-kegiatan without services: zeros in its default unit
    assert (k("OUT_1.06.04.2.02.0003"), k("OUT_1.06.04.2.02.0003.QTY", "unit")) == ("0", "0")
    assert k("KPM_BANSOS") == "50" and k("PPKS_TERTANGANI") == "71.43"


def test_year_period(db, tmp_path):
    F.build(db)
    out = tmp_path / "dv.csv"
    tulis_datavalues(db, "2025", out)
    v = values(read(out))
    # the whole year 2025 = year-to-date December (tests/db/test_indikator_fixture.py)
    assert (v[(F.A, "PPKS_TERTANGANI.NUM", "")], v[(F.A, "PPKS_TERTANGANI.DEN", "")]) == ("17", "22")
    assert {r["period"] for r in read(out)} == {"2025"}


def test_rows_of_one_result_and_refusals(db, tmp_path):
    h = ik.hasil_kosong(db, ["SPM_ANAK", "OUT_1.06.04.2.01.0003"])
    rows = baris(h, "202512", F.A, satuan_default={"1.06.04.2.01.0003": "unit"}, lastupdated="2026-01-05T10:00:00")
    assert [r[0] for r in rows] == ["SPM_ANAK.NUM", "SPM_ANAK.DEN", "OUT_1.06.04.2.01.0003",
                                    "OUT_1.06.04.2.01.0003.JML", "OUT_1.06.04.2.01.0003.QTY", "OUT_1.06.04.2.01.0003.VAL"]
    assert rows[4][3] == "unit" and rows[0][7] == "2026-01-05T10:00:00"
    with pytest.raises(KnownError, match="tidak ada"):
        tulis_datavalues(db, "2025-12", tmp_path / "x" / "dv.csv")
