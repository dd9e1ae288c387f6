"""The service-list workbook, read back cell by cell with openpyxl."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from db import layanan
from exporters.layanan_xlsx import COLUMNS, tulis_layanan_xlsx
from tests.db.layanan_helpers import NIK_SITI, TODAY, orang


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


def test_workbook_has_the_filtered_services(db, tmp_path):
    a = orang(db, keterangan=None)
    b = orang(db, nama="=HYPERLINK(\"x\")", nik=None, nik_sementara="SMT-2026-0001", tanggal_lahir=None)
    layanan.catat_layanan(db, orang_id=a["id"], kode_layanan="1.06.04.2.01.0001", tanggal="2026-03-02",
                          jumlah=2, nilai="1.500.000", sumber_dana="APBN", petugas="Andi")
    c = layanan.catat_layanan(db, orang_id=b["id"], kode_layanan="1.06.04.2.01.0002", tanggal="2026-03-03",
                              nilai=75000)
    layanan.catat_layanan(db, orang_id=a["id"], kode_layanan="1.06.04.2.01.0001", tanggal="2026-02-03")
    layanan.batalkan_layanan(db, c["id"], "salah")
    path = tulis_layanan_xlsx(db, tmp_path / "l.xlsx", periode="2026-03")
    wb = load_workbook(path)
    ws = wb["Layanan"]
    head = [c.value for c in ws[1]]
    assert head == [c[0] for c in COLUMNS]
    assert ws.max_row == 3
    row = {h: ws.cell(row=2, column=i + 1) for i, h in enumerate(head)}
    assert row["Tanggal"].value == dt.datetime(2026, 3, 2) and "mmmm" in row["Tanggal"].number_format
    assert row["NIK"].value == NIK_SITI and row["NIK"].data_type == "s" and row["NIK"].number_format == "@"
    assert row["Nilai (Rp)"].value == 1500000 and row["Nilai (Rp)"].number_format == '"Rp" #,##0'
    assert row["Jumlah"].value == 2 and row["Satuan"].value == "Paket"
    assert row["Nama Layanan"].value == "Penyediaan Permakanan" and row["Sumber Dana"].value == "APBN/Kemensos"
    assert row["Nomor Kuitansi"].value == "TT/61.71.03.1001/2026/00001" and row["Status"].value == "Aktif"
    second = {h: ws.cell(row=3, column=i + 1).value for i, h in enumerate(head)}
    assert second["Nama"] == '=HYPERLINK("x")' and ws.cell(row=3, column=3).data_type == "s"  # not a formula
    assert second["ID Orang"] == "SMT-2026-0001" and second["NIK"] is None
    assert second["Status"] == "Batal" and second["Alasan Batal"] == "salah"
    assert ws.freeze_panes == "C2" and ws.print_title_rows == "$1:$1"
    info = {r[0].value: r[1].value for r in wb["Keterangan"].iter_rows()}
    assert info["Periode"] == "Maret 2026"
    assert info["Jumlah baris"] == 2 and info["Layanan aktif"] == 1 and info["Nilai layanan aktif (Rp)"] == 1500000


def test_empty_list_still_makes_a_workbook(db, tmp_path):
    path = tulis_layanan_xlsx(db, tmp_path / "kosong.xlsx", sumber_dana="CSR")
    ws = load_workbook(path)["Layanan"]
    assert ws.max_row == 1
    assert {r[0].value: r[1].value for r in load_workbook(path)["Keterangan"].iter_rows()}["Sumber dana"] == "CSR/Lainnya"
