"""kesos package / dinas import / dinas status (CLI.md)."""
from __future__ import annotations

import json

import pytest

from db.connection import open_database
from tests.sinkron_helpers import add_person, add_service


@pytest.fixture
def field(cli, db_path):
    # --tanpa-sandi: demo databases exchange plain packages (sealed ones: tests/exporters/test_package_seal.py)
    code, _out, err = cli("init", "--kelurahan", "61.71.03.1001", "--operator", "Siti Aminah", "--peran", "PSM",
                          "--tanpa-sandi")
    assert code == 0, err
    db = open_database(db_path)
    p = add_person(db, nama="Ahmad", nik="6171030101500001")
    add_service(db, p["orang"]["id"])
    db.close()
    return db_path


@pytest.fixture
def dinas_path(cli, tmp_path):
    path = tmp_path / "dinas.db"
    code, _out, err = cli("init", "--kelurahan", "61.71", "--operator", "Operator Dinas", "--peran", "DINAS",
                          "--tanpa-sandi", db=path)
    assert code == 0, err
    return path


def test_package_prints_the_path(cli, field, tmp_path):
    code, out, err = cli("package", "--period", "2025-11", "--out", tmp_path)
    assert code == 0, err
    assert out.strip() == str(tmp_path / "61.71.03.1001_2025-11_001.kesos")
    assert (tmp_path / "61.71.03.1001_2025-11_001.kesos").is_file()


def test_package_json(cli, field, tmp_path):
    code, out, _ = cli("package", "--period", "2025-11", "--out", tmp_path, "--json")
    report = json.loads(out)
    assert code == 0 and report["urutan"] == 1 and report["counts"]["orang"] == 1


def test_package_refuses_bad_period_and_missing_folder(cli, field, tmp_path):
    code, _, err = cli("package", "--period", "2025", "--out", tmp_path)
    assert code == 1 and "TTTT-BB" in err
    code, _, err = cli("package", "--period", "2025-11", "--out", tmp_path / "nope")
    assert code == 1 and err.splitlines()[0].startswith("Folder tujuan")
    code, _, _ = cli("package", "--period", "2025-11")
    assert code == 2


def test_dinas_import_exit_codes(cli, field, dinas_path, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    cli("package", "--period", "2025-11", "--out", usb)
    good = usb / "61.71.03.1001_2025-11_001.kesos"
    bad = tmp_path / "rusak.kesos"
    bad.write_bytes(good.read_bytes()[:300])

    code, out, err = cli("dinas", "import", good, db=dinas_path)
    assert code == 0, err
    assert out.splitlines()[0].startswith("61.71.03.1001_2025-11_001.kesos: diterima")
    assert out.splitlines()[-1] == "Diterima: 1, tidak berubah: 0, ditolak: 0"

    code, out, err = cli("dinas", "import", good, bad, db=dinas_path)
    assert code == 3
    assert "tidak berubah" in out.splitlines()[0]
    assert err.splitlines()[0].startswith("rusak.kesos: ditolak — Berkas rusak atau terpotong")

    code, out, err = cli("dinas", "import", bad, db=dinas_path)
    assert code == 1
    assert err.splitlines()[0].startswith("Semua paket ditolak: rusak.kesos: Berkas rusak")


def test_dinas_import_folder_and_json(cli, field, dinas_path, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    cli("package", "--period", "2025-10", "--out", usb)
    cli("package", "--period", "2025-11", "--out", usb)
    code, out, _ = cli("dinas", "import", usb, "--json", db=dinas_path)
    report = json.loads(out)
    assert code == 0
    assert (report["diterima"], report["tidak_berubah"], report["ditolak"]) == (2, 0, 0)
    assert [f["periode"] for f in report["files"]] == ["2025-10", "2025-11"]


def test_dinas_import_empty_folder(cli, dinas_path, tmp_path):
    code, _, err = cli("dinas", "import", tmp_path, db=dinas_path)
    assert code == 1 and "Tidak ada berkas paket" in err


def test_dinas_commands_need_a_dinas_database(cli, field, tmp_path):
    code, _, err = cli("dinas", "import", tmp_path / "x.kesos")
    assert code == 1 and "hanya untuk basis data Dinas" in err
    code, _, err = cli("dinas", "status", "--period", "2025-11")
    assert code == 1 and "hanya untuk basis data Dinas" in err


def test_dinas_status(cli, field, dinas_path, tmp_path, monkeypatch):
    from db import sinkron

    monkeypatch.setenv("KESOS_TODAY", "2026-01-20")
    monkeypatch.setattr(sinkron, "now_iso", lambda: "2025-12-20T10:00:00")
    cli("package", "--period", "2025-11", "--out", tmp_path)
    cli("dinas", "import", tmp_path, db=dinas_path)
    code, out, err = cli("dinas", "status", "--period", "2025-11", db=dinas_path)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Kelengkapan paket November 2025 (batas kirim 10/12/2025): 1 dari 29")
    pallima = next(line for line in lines if line.startswith("61.71.03.1001"))
    assert "Pallima" in pallima and pallima.rstrip().endswith("1")
    assert "Terlambat" in pallima and "2025-12-20 10:00" in pallima  # made after the 10 December deadline
    missing = next(line for line in lines if line.startswith("61.71.03.1002"))
    assert "Belum mengirim" in missing
    code, out, _ = cli("dinas", "status", "--period", "2025-11", "--json", db=dinas_path)
    report = json.loads(out)
    assert report["mengirim"] == 1 and "61.71.03.1002" in report["belum_mengirim"]
    code, out, _ = cli("dinas", "status", "--period", "2025", db=dinas_path)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("61.71.03.1001"))
    assert row.split()[-2:] == ["T", "x"]  # November late; December missing (deadline 10 January passed)


def test_dinas_recap_and_datavalues_for_every_level(cli, tmp_path, _template_db, dinas_path, monkeypatch):
    import csv

    from db.connection import open_database
    from tests.sinkron_helpers import PALLIMA, SUNGAIJAWI_DALAM, three_kelurahan

    monkeypatch.setenv("KESOS_TODAY", "2025-12-20")
    db = open_database(dinas_path)
    three_kelurahan(tmp_path, _template_db, db)
    db.close()
    out = tmp_path / "gabungan.xlsx"
    code, text, err = cli("dinas", "recap", "--period", "2025-11", "--out", out, db=dinas_path)
    assert code == 0, err
    assert text.strip() == f"Rekap gabungan ditulis: {out}" and out.is_file()
    from openpyxl import load_workbook

    assert "BNBA" in load_workbook(out).sheetnames
    code, _, err = cli("dinas", "recap", "--period", "2025-11", "--out", out, "--tanpa-bnba", db=dinas_path)
    assert code == 0 and "BNBA" not in load_workbook(out).sheetnames
    code, _, err = cli("dinas", "recap", "--period", "2025-11-03", "--out", out, db=dinas_path)
    assert code == 1 and "Periode" in err
    csv_path = tmp_path / "dv.csv"
    code, _, err = cli("datavalues", "--period", "2025-11", "--out", csv_path, db=dinas_path)
    assert code == 0, err
    with open(csv_path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    units = {r["orgunit"] for r in rows}
    assert {"61.71", "61.71.03", PALLIMA, SUNGAIJAWI_DALAM, "61.71.05.1001"} <= units
    den = {r["orgunit"]: int(r["value"]) for r in rows if r["dataelement"] == "SPM_LANSIA.DEN"}
    assert den["61.71.03"] == den[PALLIMA] + den[SUNGAIJAWI_DALAM] - 1  # the shared person once
