"""The fast sheet reader gives exactly what openpyxl gives (or steps aside)."""
import datetime as dt
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from exporters.xlsx_fast import read_sheet


def _openpyxl(path, sheet=None):
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows, ws.title


def _same(path, sheet=None):
    fast = read_sheet(path, sheet)
    assert fast is not None
    slow = _openpyxl(path, sheet)
    width = max([len(r) for r in slow[0]] + [len(r) for r in fast[0]] + [0])
    pad = lambda rows: [list(r) + [None] * (width - len(r)) for r in rows]  # noqa: E731
    assert pad(fast[0]) == pad(slow[0])
    assert [[type(v) for v in r] for r in pad(fast[0])] == [[type(v) for v in r] for r in pad(slow[0])]
    assert fast[1] == slow[1]
    return fast[0]


def test_values_types_gaps_and_dates(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Data PPKS"
    ws["A1"] = "NIK"
    ws["B1"] = "Tanggal"
    ws["A3"] = "6171034501600001"
    ws["B3"] = dt.datetime(1960, 1, 5)
    ws["C3"] = dt.date(2025, 8, 17)
    ws["D3"] = 3171034501600001
    ws["E3"] = 2.5
    ws["F3"] = True
    ws["G3"] = "=A3"  # a formula: no cached value in an openpyxl file
    ws["H3"] = "Jl. Ñandú «x» & <y>"
    ws["J5"] = 0
    ws["A7"] = dt.datetime(2025, 8, 17, 10, 30)
    ws["B7"] = 44927
    ws["B7"].number_format = "dd/mm/yyyy"
    ws["C7"] = 1234.5
    ws["C7"].number_format = '"Rp" #,##0'
    wb.create_sheet("Lain").append(["x"])
    wb.save(tmp_path / "a.xlsx")
    rows = _same(tmp_path / "a.xlsx")
    assert rows[1] == [] or all(v is None for v in rows[1])  # the empty row 2 is kept
    assert rows[2][0] == "6171034501600001" and rows[2][1] == dt.datetime(1960, 1, 5)
    _same(tmp_path / "a.xlsx", "Lain")


def test_files_the_app_writes_read_the_same(db, tmp_path):
    from db import ppks
    from db.import_ppks import SPEC
    from exporters.importer import write_template
    from exporters.ppks_xlsx import export_people

    write_template(tmp_path / "t.xlsx", SPEC, db)
    _same(tmp_path / "t.xlsx")
    _same(tmp_path / "t.xlsx", "Contoh")
    _same(tmp_path / "t.xlsx", "Daftar")
    ppks.save_person(db, {"nama": "Ani", "nik": "6171034501600001", "tanggal_lahir": "1960-01-05",
                          "kode_wilayah": "61.71.03.1001"},
                     registrations=[{"kategori_kode": "8", "tanggal_pendataan": "2025-08-17"}])
    export_people(db, tmp_path / "e.xlsx")
    rows = _same(tmp_path / "e.xlsx")
    assert rows[3][7] == dt.datetime(1960, 1, 5)


def test_inline_strings_rich_text_and_prefixed_xml(tmp_path):
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?>'
             b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
             b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>NIK</x:t></x:is></x:c>'
             b'<x:c r="C1" t="s"><x:v>0</x:v></x:c></x:row>'
             b'<x:row r="2"><x:c r="A2" t="str"><x:v>6171034501600001</x:v></x:c><x:c r="B2" t="e"><x:v>#N/A</x:v></x:c>'
             b'<x:c r="C2" t="b"><x:v>0</x:v></x:c><x:c r="D2"><x:v>1.5E+3</x:v></x:c></x:row>'
             b'</x:sheetData></x:worksheet>')
    shared = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<si><r><t>Na</t></r><r><t xml:space="preserve">ma </t></r><rPh><t>yomi</t></rPh></si></sst>')
    wb = Workbook()
    wb.active["A1"] = "placeholder"
    wb.save(tmp_path / "b.xlsx")
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        items = {n: z.read(n) for n in z.namelist()}
    items["xl/worksheets/sheet1.xml"] = sheet
    items["xl/sharedStrings.xml"] = shared
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as z:
        for n, data in items.items():
            z.writestr(n, data)
    rows, _title = read_sheet(tmp_path / "b.xlsx")
    assert rows == [["NIK", None, "Nama "], ["6171034501600001", "#N/A", False, 1500.0]]


@pytest.mark.parametrize("content", [b"PK\x03\x04 rusak", b"bukan zip"])
def test_steps_aside_for_what_it_cannot_read(tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert read_sheet(path) is None


def test_unknown_sheet_left_to_openpyxl(tmp_path):
    wb = Workbook()
    wb.save(tmp_path / "a.xlsx")
    assert read_sheet(tmp_path / "a.xlsx", "Tidak Ada") is None


def test_row_limit(tmp_path):
    wb = Workbook()
    for i in range(12):
        wb.active.append([i])
    wb.save(tmp_path / "a.xlsx")
    with pytest.raises(OverflowError):
        read_sheet(tmp_path / "a.xlsx", max_rows=10)


# --------------------------------------------------------------------------- writing


def _cells(path, sheet):
    """Every cell of ``sheet`` with what a reader sees: value, type, number format, font, fill,
    border, alignment; plus row heights, freeze panes, filter and dimension."""
    wb = load_workbook(path)
    ws = wb[sheet]
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            st = c._style
            cells[c.coordinate] = (c.value, type(c.value), c.data_type, c.number_format, wb._fonts[st.fontId],
                                   wb._fills[st.fillId], wb._borders[st.borderId], wb._alignments[st.alignmentId])
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    return cells, heights, ws.freeze_panes, ws.auto_filter.ref, ws.max_row, ws.max_column, ws.print_title_rows


def test_rows_written_as_text_equal_openpyxl_cells(tmp_path):
    from exporters import recap_xlsx as rx

    kolom = [rx.Kolom("Kode", 12, "kode"), rx.Kolom("NIK", 18, "nik"), rx.Kolom("Nama", 10),
             rx.Kolom("Tanggal", 10, "date"), rx.Kolom("Jumlah", 8, "num"), rx.Kolom("Nilai", 12, "rp"),
             rx.Kolom("Persen", 8, "pct"), rx.Kolom("Orang", 8, "int"), rx.Kolom("Catatan", 12)]
    rows = [
        ["61.71", 6171034501600001, "Ani", "2025-12-01", 2, 150000, 33.333333333333336, 7, None],
        ["61.71.03", "6171030101400007", "  spasi depan", dt.date(2025, 1, 5), 2.5, 0, None, 0, "=1+1"],
        ["61.71.03.1001", None, "", None, 0.1 + 0.2, None, 100.0, True, "teks & <tanda> \"kutip\""],
        ["61.71.03.1002", "", "Nama yang sangat panjang sekali sampai harus dibungkus beberapa baris", None,
         1e-7, 10**15, float("nan"), 3, "baris\nbaru"],
        [None, None, "Jumlah", None, 12, 300000, None, 10, "+62 812"],
    ]
    books = []
    for sel in (True, False):
        wb = Workbook()
        ws = wb.active
        ws.title = "Uji"
        rx.tulis_tabel(ws, ["JUDUL", "Wilayah"], kolom, rows, total=[4], catatan=["Catatan."], sel=sel)
        rx.tulis_tabel(wb.create_sheet("Kosong"), ["JUDUL"], kolom, [], sel=sel)
        path = tmp_path / f"sel{sel}.xlsx"
        rx.simpan(wb, path)
        books.append(path)
    for sheet in ("Uji", "Kosong"):
        assert _cells(books[0], sheet) == _cells(books[1], sheet)
    cells, heights, *_ = _cells(books[1], "Uji")
    assert cells["B6"][:3] == ("6171034501600001", str, "s") and cells["I7"][0] == "=1+1"
    assert cells["C7"][0] == "  spasi depan" and cells["D7"][0] == dt.datetime(2025, 1, 5)
    assert max(heights.values()) > 14
    assert read_sheet(books[1], "Uji")[0][5][:3] == ["61.71", "6171034501600001", "Ani"]


def test_rows_written_as_text_refuse_what_openpyxl_refuses(tmp_path):
    from openpyxl.utils.exceptions import IllegalCharacterError

    from exporters import recap_xlsx as rx

    wb = Workbook()
    with pytest.raises(IllegalCharacterError):
        rx.tulis_tabel(wb.active, ["JUDUL"], [rx.Kolom("Nama")], [["bel\x07"]])
