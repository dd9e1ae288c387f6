"""The PPKS list export, read back with openpyxl cell by cell."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from db import ppks
from db.errors import KnownError
from db.ppks import PpksFilter
from exporters.ppks_xlsx import export_people
from tests.conftest import KELURAHAN


@pytest.fixture
def people(db):
    ppks.save_person(db, {"nik": "6171034501600001", "no_kk": "0171030101080003", "nama": "Aminah", "jenis_kelamin": "P",
                          "tanggal_lahir": "1960-01-05", "alamat": "=HYPERLINK(\"x\")", "rt": "3", "rw": "12",
                          "kode_wilayah": KELURAHAN},
                     registrations=[{"kategori_kode": "8", "tanggal_pendataan": "2025-08-17"},
                                    {"kategori_kode": "9", "terlantar": 1, "tanggal_pendataan": "2025-08-18"}])
    ppks.save_person(db, {"nama": "Tono", "asal_luar": "Kab. Brebes"},
                     registrations=[{"kategori_kode": "11", "tanggal_pendataan": "2025-09-01"}])
    gone = ppks.save_person(db, {"nama": "Zainal", "kode_wilayah": KELURAHAN})
    ppks.delete_person(db, gone["id"], "ganda")
    return db


def test_export_layout_and_cells(people, tmp_path):
    out = export_people(people, tmp_path / "ppks.xlsx")
    assert out["rows"] == 2
    wb = load_workbook(out["path"])
    ws = wb["Daftar PPKS"]
    assert ws["A1"].value == "Daftar PPKS — Pallima"
    assert ws["A2"].value.startswith("Semua orang terdaftar · 2 orang · dicetak ")
    header = [c.value for c in ws[3]]
    assert header[:5] == ["No", "Nama", "NIK", "ID Sementara", "No KK"] and "Dihapus" not in header
    row = {h: c for h, c in zip(header, ws[4])}
    assert row["Nama"].value == "Aminah"
    assert row["NIK"].value == "6171034501600001" and row["NIK"].data_type == "s" and row["NIK"].number_format == "@"
    assert row["No KK"].value == "0171030101080003"  # leading zero kept
    assert row["Tanggal Lahir"].value == dt.datetime(1960, 1, 5)
    assert row["Tanggal Lahir"].number_format == "[$-421]dd mmmm yyyy"
    assert row["Alamat"].value == '=HYPERLINK("x")' and row["Alamat"].data_type == "s"  # never a formula
    assert row["RT"].value == "003" and row["Kode Wilayah"].value == KELURAHAN
    assert row["Kategori PPKS"].value == "8 Lanjut Usia Terlantar, 9 Penyandang Disabilitas"
    assert row["Kelompok SPM"].value == "Lanjut usia terlantar, Penyandang disabilitas terlantar"
    assert row["Terakhir Didata"].value == dt.datetime(2025, 8, 18)
    tono = {h: c.value for h, c in zip(header, ws[5])}
    assert tono["NIK"] is None and tono["ID Sementara"].startswith("SMT-617103-")
    assert tono["Wilayah"] == "Luar wilayah: Kab. Brebes"
    assert ws.freeze_panes == "C4" and ws.print_title_rows == "$3:$3" and ws.auto_filter.ref == "A3:R5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["B"].width == 28
    info = {r[0].value: r[1].value for r in wb["Keterangan"].iter_rows()}
    assert info["Jumlah orang"] == 2 and info["Kode wilayah"] == KELURAHAN


def test_export_follows_filter_and_sort(people, tmp_path):
    out = export_people(people, tmp_path / "a.xlsx", PpksFilter(text="ami", include_deleted=True))
    ws = load_workbook(out["path"])["Daftar PPKS"]
    assert [c.value for c in ws[4]][1] == "Aminah" and ws.max_row == 4
    assert "Pencarian: ami; Data terhapus: Ikut ditampilkan · 1 orang" in ws["A2"].value
    out = export_people(people, tmp_path / "b.xlsx", PpksFilter(only_deleted=True))
    ws = load_workbook(out["path"])["Daftar PPKS"]
    header = [c.value for c in ws[3]]
    assert header[-2:] == ["Dihapus", "Alasan Hapus"] and ws.cell(row=4, column=len(header)).value == "ganda"
    out = export_people(people, tmp_path / "c.xlsx", sort="nama", descending=True)
    ws = load_workbook(out["path"])["Daftar PPKS"]
    assert [ws.cell(row=r, column=2).value for r in (4, 5)] == ["Tono", "Aminah"]


def test_export_progress_can_cancel_and_leaves_no_file(people, tmp_path, monkeypatch):
    class Stop(Exception):
        pass

    def progress(done, total, text):
        raise Stop()

    monkeypatch.setattr("exporters.ppks_xlsx.ppks.iter_people",
                        lambda db, flt, **kw: iter([ppks.search_people(db, flt)[0]] * 1000))
    with pytest.raises(Stop):
        export_people(people, tmp_path / "x.xlsx", progress=progress)
    assert not (tmp_path / "x.xlsx").exists()


def test_unwritable_target_is_a_known_error(people, tmp_path):
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(KnownError, match="tidak dapat ditulis"):
        export_people(people, tmp_path / "folder.xlsx")
