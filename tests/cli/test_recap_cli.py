"""`kesos recap`, `kesos datavalues`, `kesos tutup-bulan` / `buka-bulan` (CLI.md)."""
from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from tests.db import rekap_fixture as F


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2026-01-05")


@pytest.fixture
def filled(db):
    F.build(db)
    return db


def test_recap_writes_the_workbook_and_reports_the_indicators(filled, cli, tmp_path):
    out = tmp_path / "rekap.xlsx"
    code, stdout, err = cli("recap", "--period", "2025-12", "--out", out)
    assert (code, err) == (0, "")
    assert "Rekap Desember 2025 Pallima (61.71.03.1001) ditulis" in stdout
    assert "PPKS_TERTANGANI  bulan ini 15/21 = 71,43%" in stdout
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Sampul" and "BNBA" in wb.sheetnames
    code, stdout, _ = cli("recap", "--period", "2025-12", "--out", out, "--json")
    report = json.loads(stdout)
    assert report["indikator"]["SPM_BENCANA"]["bulan"] == {"numerator": 1, "denominator": 4, "nilai": 25.0}
    assert report["indikator"]["PSKS_DIBINA"]["tahun_berjalan"]["numerator"] == 4
    assert report["bnba"] == 18


def test_recap_usage_and_failures(filled, cli, tmp_path):
    code, _, err = cli("recap", "--period", "Desember", "--out", tmp_path / "x.xlsx")
    assert code == 2 and "bukan bulan YYYY-MM" in err
    code, _, err = cli("recap", "--period", "2025-12")
    assert code == 2
    code, _, err = cli("recap", "--period", "2025-12", "--out", tmp_path / "tidak-ada" / "x.xlsx")
    assert code == 1 and err.startswith("Folder ") and "tidak ada" in err


def test_datavalues_month_for_a_field_install(filled, cli, tmp_path):
    out = tmp_path / "dv.csv"
    code, stdout, err = cli("datavalues", "--period", "2025-12", "--out", out)
    assert (code, err) == (0, "")
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
                             "lastupdated", "comment", "followup"]
    assert {r["period"] for r in rows} == {"202512"} and {r["orgunit"] for r in rows} == {F.A}
    v = {(r["dataelement"], r["catoptcombo"]): r["value"] for r in rows}
    assert (v[("PPKS_TERTANGANI.NUM", "")], v[("PPKS_TERTANGANI.DEN", "")], v[("PPKS_TERTANGANI", "")]) == \
           ("15", "21", "71.43")
    assert v[("OUT_1.06.04.2.01.0001", "")] == "2"
    assert v[("OUT_1.06.04.2.01.0001.QTY", "paket")] == "6" and v[("OUT_1.06.04.2.01.0001.QTY", "kali")] == "1"
    code, stdout, _ = cli("datavalues", "--period", "2025", "--out", out, "--json")
    assert json.loads(stdout)["period"] == "2025"
    code, _, err = cli("datavalues", "--period", "25-12", "--out", out)
    assert code == 2 and "YYYY-MM atau YYYY" in err


def test_close_and_reopen_a_month(filled, cli):
    code, stdout, err = cli("tutup-bulan", "--period", "2025-12", "--alasan", "Rekap diserahkan")
    assert code == 0 and "Bulan Desember 2025 ditutup" in stdout
    code, _, err = cli("tutup-bulan", "--period", "2025-12")
    assert code == 1 and "sudah ditutup" in err
    from db import records
    from db.errors import KnownError

    with pytest.raises(KnownError, match="Bulan Desember 2025 sudah dilaporkan pada"):
        records.insert(filled, "layanan", {"orang_id": None, "no_kk": F.KK1, "kode_layanan": "1.06.05.2.02.0003",
                                           "tanggal": "2025-12-30", "jumlah": 1, "satuan": "KK"})
    code, _, err = cli("buka-bulan", "--period", "2025-12")
    assert code == 2
    code, stdout, err = cli("buka-bulan", "--period", "2025-12", "--alasan", "Koreksi nilai bantuan")
    assert code == 0 and "revisi 2" in stdout
