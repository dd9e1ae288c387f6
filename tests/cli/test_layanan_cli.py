"""`kesos template/import/list layanan` and `kesos receipt` (CLI.md)."""
import json

import pdfplumber
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from tests.conftest import KELURAHAN
from tests.db.layanan_helpers import NIK_SITI, TODAY
from tests.db.test_layanan_import import HEAD, row


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


def _setup(cli, db_path):
    assert cli("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM",
               "--lurah", "Budi Santoso")[0] == 0
    from db.connection import open_database
    from tests.db.layanan_helpers import orang

    db = open_database(db_path)
    orang(db)
    db.close()


def _xlsx(path, rows):
    wb = Workbook()
    wb.active.append(HEAD)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _text(path):
    with pdfplumber.open(path) as pdf:
        return " ".join((pdf.pages[0].extract_text() or "").split())


def test_template_import_list_and_receipt(cli, db_path, tmp_path):
    _setup(cli, db_path)
    code, out, err = cli("template", "layanan", "--out", tmp_path / "t.xlsx")
    assert code == 0, err
    wb = load_workbook(tmp_path / "t.xlsx")
    assert [c.value for c in wb["Data"][1]] == HEAD
    assert "1.06.04.2.01.0001 - Penyediaan Permakanan" in [c.value for c in wb["Daftar"]["A"]]

    path = _xlsx(tmp_path / "a.xlsx", [row(), row(Tanggal="03/03/2026", Jumlah=0)])
    code, out, err = cli("import", "layanan", path, "--json", "--errors", tmp_path / "err.xlsx")
    assert code == 3, err
    assert json.loads(out) == {"imported": 1, "unchanged": 0, "rejected": 1, "errors_file": str(tmp_path / "err.xlsx")}
    assert "baris 3, kolom 'Jumlah': Jumlah harus lebih dari 0" in err

    code, out, err = cli("list", "layanan", "--json")
    (item,) = [json.loads(line) for line in out.splitlines()]
    assert item["NIK"] == NIK_SITI and item["Nomor Kuitansi"] == "TT/61.71.03.1001/2026/00001"
    assert cli("list", "layanan", "--period", "2026-02")[1] == ""

    out_pdf = tmp_path / "k.pdf"
    code, out, err = cli("receipt", item["id"], "--out", out_pdf, "--size", "80mm")
    assert code == 0, err
    assert out.strip() == f"Kuitansi TT/61.71.03.1001/2026/00001 ditulis: {out_pdf}"
    text = _text(out_pdf)
    assert "617103********01" in text and NIK_SITI not in text and "Satu juta lima ratus ribu rupiah" in text
    width = float(PdfReader(out_pdf).pages[0].mediabox.width)
    assert round(width / 72 * 25.4) == 80

    # Second time: a copy, found by its receipt number, in the default size (A5).
    code, out, err = cli("receipt", "TT/61.71.03.1001/2026/00001", "--out", tmp_path / "k2.pdf", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["salinan"] is True and report["ukuran"] == "a5"
    assert "SALINAN" in _text(tmp_path / "k2.pdf")
    assert round(float(PdfReader(tmp_path / "k2.pdf").pages[0].mediabox.width) / 72 * 25.4) == 148


def test_receipt_refusals(cli, db_path, tmp_path):
    _setup(cli, db_path)
    code, out, err = cli("receipt", "01NOSUCHID", "--out", tmp_path / "x.pdf")
    assert code == 1 and err.splitlines()[0] == "Layanan '01NOSUCHID' tidak ditemukan."
    assert not (tmp_path / "x.pdf").exists()
    code, out, err = cli("receipt", "01NOSUCHID", "--out", tmp_path / "x.pdf", "--size", "letter")
    assert code == 2


def test_receipt_size_from_the_setting_and_batal(cli, db_path, tmp_path):
    _setup(cli, db_path)
    from db import kuitansi, layanan
    from db.connection import open_database

    db = open_database(db_path)
    o = db.execute("SELECT id FROM orang").fetchone()[0]
    rec = layanan.catat_layanan(db, orang_id=o, kode_layanan="1.06.04.2.01.0002", tanggal="2026-03-01")
    layanan.batalkan_layanan(db, rec["id"], "double input")
    kuitansi.set_ukuran(db, "a4")
    db.close()
    code, out, err = cli("receipt", rec["id"], "--out", tmp_path / "b.pdf")
    assert code == 0, err
    assert "(BATAL)" in out
    assert round(float(PdfReader(tmp_path / "b.pdf").pages[0].mediabox.width) / 72 * 25.4) == 210
    assert "BATAL" in _text(tmp_path / "b.pdf")
