"""The shared reader/writer and import engine, on a toy spec (each kind tests its own spec)."""
import pytest
from openpyxl import Workbook, load_workbook

from db.errors import KnownError
from exporters.importer import Column, ImportSpec, RowError, auto_mapping, read_for, run_import, write_error_report, write_template
from exporters.tabular import read_table, safe_cell


def _toy_spec():
    def apply_row(db, values, state):
        name = (values.get("Nama") or "").strip()
        if not name:
            raise RowError("Nama", "wajib diisi")
        if name in state.setdefault("seen", set()):
            raise RowError("Nama", "ganda di berkas ini")
        state["seen"].add(name)
        existing = db.execute("SELECT 1 FROM pengaturan WHERE key = ?", [name]).fetchone()
        if existing:
            return "unchanged"
        db.execute("INSERT INTO pengaturan (key, value) VALUES (?, ?)", [name, str(values.get("Nilai"))])
        return "imported"

    return ImportSpec(kind="toy", title="Uji", columns=[Column("Nama", required=True, aliases=("Nama Lengkap",)),
                                                       Column("Nilai", text=True)],
                      example={"Nama": "Contoh", "Nilai": "0012"}, apply_row=apply_row, list_rows=lambda db, period=None: [])


def _xlsx(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_header_found_below_title_rows_and_aliases(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["DATA BNBA KELURAHAN"], [], ["No", "Nama Lengkap", "Nilai"], [1, "Ani", "7"], [2, "Budi", "8"]])
    table = read_for(_toy_spec(), path)
    assert table.header_row == 3 and table.row_numbers == [4, 5]
    assert auto_mapping(table.headers, _toy_spec()) == {"Nama": 1, "Nilai": 2}


def test_valid_rows_imported_bad_rows_reported_then_reimport_unchanged(db, tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["Nama", "Nilai"], ["Ani", "1"], ["", "2"], ["Budi", "3"], ["Ani", "4"]])
    spec = _toy_spec()
    report = run_import(db, spec, read_for(spec, path))
    assert (report.imported, report.unchanged, report.rejected) == (2, 0, 2)
    assert [p.text() for p in report.problems] == ["baris 3, kolom 'Nama': wajib diisi",
                                                   "baris 5, kolom 'Nama': ganda di berkas ini"]
    out = write_error_report(tmp_path / "err.xlsx", read_for(spec, path), report)
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["Baris", "Nama", "Nilai", "Kesalahan"]
    assert ws.cell(row=2, column=1).value == 3 and "wajib diisi" in ws.cell(row=2, column=4).value
    again = run_import(db, spec, read_for(spec, path))
    assert (again.imported, again.unchanged) == (0, 2)


def test_all_or_nothing_writes_nothing(db, tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["Nama", "Nilai"], ["Ani", "1"], ["", "2"]])
    spec = _toy_spec()
    report = run_import(db, spec, read_for(spec, path), all_or_nothing=True)
    assert report.rolled_back and report.imported == 0 and report.rejected == 1
    assert db.execute("SELECT count(*) FROM pengaturan WHERE key = 'Ani'").fetchone()[0] == 0


def test_missing_required_column_refused(db, tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["Alamat", "Nilai"], ["x", "1"]])
    spec = _toy_spec()
    with pytest.raises(KnownError, match="Kolom wajib"):
        run_import(db, spec, read_for(spec, path))


@pytest.mark.parametrize("content,word", [(b"", "kosong"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "kata sandi"),
                                          (b"PK\x03\x04garbage", "bukan buku kerja")])
def test_unreadable_files(tmp_path, content, word):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(KnownError, match=word):
        read_table(path, ["Nama"])


def test_too_big_file_refused_before_parsing(tmp_path, monkeypatch):
    import exporters.tabular as tab

    monkeypatch.setattr(tab, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "besar.csv"
    path.write_text("Nama\n" + "x\n" * 2000)
    with pytest.raises(KnownError, match="terlalu besar"):
        read_table(path, ["Nama"])


def test_csv_with_semicolons(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Nama;Nilai\nAni;0012\n", encoding="utf-8")
    table = read_table(path, ["Nama", "Nilai"])
    assert table.rows == [["Ani", "0012"]]


def test_formula_looking_text_stays_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    for i, text in enumerate(["=1+1", "+62 812", "-kosong-", "@SUM(A1)"], start=1):
        safe_cell(ws.cell(row=i, column=1), text)
    wb.save(tmp_path / "f.xlsx")
    ws2 = load_workbook(tmp_path / "f.xlsx").active
    assert [ws2.cell(row=i, column=1).value for i in range(1, 5)] == ["=1+1", "+62 812", "-kosong-", "@SUM(A1)"]
    assert all(ws2.cell(row=i, column=1).data_type == "s" for i in range(1, 5))


def test_template_has_header_text_columns_and_example(db, tmp_path):
    out = write_template(tmp_path / "t.xlsx", _toy_spec(), db)
    wb = load_workbook(out)
    assert [c.value for c in wb["Data"][1]] == ["Nama", "Nilai"]
    assert wb["Data"].cell(row=2, column=2).number_format == "@"
    assert wb["Contoh"].cell(row=2, column=2).value == "0012"
