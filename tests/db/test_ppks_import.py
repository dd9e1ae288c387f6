"""Importing the PPKS register (CLI.md ppks columns), every bad input of issue 3."""
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from db import ppks, records
from db.errors import KnownError
from db.import_ppks import SPEC
from exporters.importer import auto_mapping, read_for, run_import, write_error_report, write_template
from tests.conftest import KELURAHAN

HEAD = [c.name for c in SPEC.columns]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ppks"


def row(**kw):
    base = {"NIK": "6171034501600001", "No KK": "6171030101080003", "Nama": "Aminah binti Said",
            "Jenis Kelamin": "P", "Tempat Lahir": "Pontianak", "Tanggal Lahir": "05/01/1960",
            "Alamat": "Jl. Komodor Yos Sudarso", "RT": "3", "RW": "12", "Kode Wilayah": KELURAHAN,
            "Kategori PPKS": "8", "Terlantar": "Tidak", "Tanggal Pendataan": "17/08/2025",
            "Sumber Laporan": "Laporan Masyarakat", "Keterangan": "Tinggal sendiri"}
    base.update(kw)
    return [base.get(h) for h in HEAD]


def xlsx(path, rows, head=HEAD, above=()):
    wb = Workbook()
    ws = wb.active
    for r in above:
        ws.append(r)
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _as_excel_float(path, old, new):
    """Rewrite a number cell the way Excel stores a 16-digit number (a double)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert f"<v>{old}</v>".encode() in items[sheet]
    items[sheet] = items[sheet].replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
    with zipfile.ZipFile(path, "w") as z:
        for n, data in items.items():
            z.writestr(n, data)


def run(db, path, **kw):
    return run_import(db, SPEC, read_for(SPEC, path), **kw)


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]


def test_template_has_exact_columns_text_nik_and_dropdowns(db, tmp_path):
    assert HEAD == ["NIK", "No KK", "Nama", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Alamat", "RT", "RW",
                    "Kode Wilayah", "Kategori PPKS", "Terlantar", "Tanggal Pendataan", "Sumber Laporan", "Keterangan"]
    path = write_template(tmp_path / "t.xlsx", SPEC, db)
    wb = load_workbook(path)
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == HEAD
    assert ws["A2"].number_format == "@" and ws["B2"].number_format == "@"
    lists = wb["Daftar"]
    values = [c.value for c in lists[1]]
    assert "Kategori PPKS" in values and "Kode Wilayah" in values
    kat_col = values.index("Kategori PPKS") + 1
    assert lists.cell(row=2, column=kat_col).value == "1 - Anak Balita Terlantar"
    wil_col = values.index("Kode Wilayah") + 1
    assert lists.cell(row=2, column=wil_col).value == f"{KELURAHAN} Pallima"
    example = wb["Contoh"]
    assert example["A2"].value == "6171034501600001" and example["A2"].data_type == "s"
    # the example row itself imports cleanly, drop-down forms included
    table = read_for(SPEC, path)
    assert table.rows == []
    report = run_import(db, SPEC, read_for(SPEC, path, sheet="Contoh"))
    assert (report.imported, report.rejected) == (1, 0), [p.text() for p in report.problems]


def test_import_then_reimport_is_unchanged(db, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [
        row(),
        row(NIK="", Nama="Tono", **{"Tanggal Lahir": "", "Kategori PPKS": "Gelandangan", "Jenis Kelamin": "L"}),
        row(NIK=None, Nama="Siti", **{"Kategori PPKS": "9a", "Terlantar": "Ya", "Jenis Kelamin": "P",
                                      "Tanggal Lahir": "01/02/1970"}),
    ])
    report = run(db, path)
    assert (report.imported, report.unchanged, report.rejected) == (3, 0, 0), [p.text() for p in report.problems]
    person = ppks.find_by_nik(db, "6171034501600001")
    assert person["rt"] == "003" and person["tanggal_lahir"] == "1960-01-05" and person["no_kk"] == "6171030101080003"
    regs = ppks.registrations(db, person["id"])
    assert [(r["kategori_kode"], r["tanggal_pendataan"], r["sumber_laporan"], r["petugas"], r["keterangan"])
            for r in regs] == [("8", "2025-08-17", "laporan_masyarakat", "Siti Aminah", "Tinggal sendiri")]
    temp = db.execute("SELECT nama, nik_sementara FROM orang WHERE nik IS NULL ORDER BY nama").fetchall()
    assert [t[0] for t in temp] == ["Siti", "Tono"] and all(t[1].startswith("SMT-617103-") for t in temp)
    audit_before = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    again = run(db, path)
    assert (again.imported, again.unchanged, again.rejected) == (0, 3, 0)
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_before
    assert (count(db, "orang"), count(db, "ppks")) == (3, 3)


def test_existing_nik_fills_only_empty_fields_and_adds_registration(db, tmp_path):
    typed = ppks.save_person(db, {"nik": "6171034501600001", "nama": "Aminah", "alamat": "Gg. Damai 4",
                                  "kode_wilayah": KELURAHAN, "jenis_kelamin": "P"},
                             registrations=[{"kategori_kode": "8", "tanggal_pendataan": "2025-01-01"}])
    path = xlsx(tmp_path / "a.xlsx", [row(**{"Kategori PPKS": "24"})])
    report = run(db, path)
    assert (report.imported, report.unchanged) == (1, 0)
    stored = records.get(db, "orang", typed["id"])
    assert stored["nama"] == "Aminah" and stored["alamat"] == "Gg. Damai 4"  # never overwritten
    assert stored["tempat_lahir"] == "Pontianak" and stored["no_kk"] == "6171030101080003"  # filled
    assert sorted(r["kategori_kode"] for r in ppks.registrations(db, typed["id"])) == ["24", "8"]
    # same category again: no second registration; only its empty fields are filled
    report = run(db, xlsx(tmp_path / "b.xlsx", [row(**{"Kategori PPKS": "Lanjut Usia Terlantar"})]))
    assert (report.imported, report.unchanged) == (1, 0)
    assert count(db, "ppks") == 2
    reg8 = next(r for r in ppks.registrations(db, typed["id"]) if r["kategori_kode"] == "8")
    assert reg8["tanggal_pendataan"] == "2025-01-01" and reg8["sumber_laporan"] == "laporan_masyarakat"
    report = run(db, xlsx(tmp_path / "b.xlsx", [row(**{"Kategori PPKS": "Lanjut Usia Terlantar"})]))
    assert (report.imported, report.unchanged) == (0, 1)


def test_closed_registration_reassessed_later_adds_new_one(db, tmp_path):
    run(db, xlsx(tmp_path / "a.xlsx", [row()]))
    reg = ppks.registrations(db, ppks.find_by_nik(db, "6171034501600001")["id"])[0]
    ppks.close_registration(db, reg["id"], "kembali_ke_keluarga", "2025-09-01")
    assert run(db, xlsx(tmp_path / "a.xlsx", [row()])).unchanged == 1
    report = run(db, xlsx(tmp_path / "b.xlsx", [row(**{"Tanggal Pendataan": "01/10/2025"})]))
    assert report.imported == 1 and count(db, "ppks") == 2


def test_duplicate_nik_in_one_file_rejects_later_row_naming_first(db, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [row(), row(Nama="Orang Lain", **{"Kategori PPKS": "24"})])
    report = run(db, path)
    assert (report.imported, report.rejected) == (1, 1)
    assert report.problems[0].text() == ("baris 3, kolom 'NIK': NIK 6171034501600001 sudah ada di baris 2 berkas ini; "
                                         "baris ini tidak diimpor (satu orang satu baris)")


@pytest.mark.parametrize("cell,word", [
    ("617103450160000", "NIK harus 16 digit (tertulis 15 digit)"),
    ("61710345016000011", "NIK harus 16 digit (tertulis 17 digit)"),
    ("61710345O16OOOO1", "NIK hanya boleh berisi angka"),
    ("6171033201600001", "bagian tanggal lahir pada NIK tidak mungkin"),
    ("3.17101E+15", "kehilangan digit"),
    ("float", "tersimpan sebagai angka di Excel sehingga digitnya hilang"),
    (6171034501600001, "tersimpan sebagai angka di Excel (digit terakhir bisa hilang)"),
])
def test_bad_nik_cells(db, tmp_path, cell, word):
    path = xlsx(tmp_path / "a.xlsx", [row(NIK=111 if cell == "float" else cell)])
    if cell == "float":
        _as_excel_float(path, "111", "3.1710345016000008E+15")
    report = run(db, path)
    assert report.rejected == 1 and report.imported == 0
    problem = report.problems[0]
    assert (problem.row, problem.column) == (2, "NIK") and word in problem.message


@pytest.mark.parametrize("column,cell,word", [
    ("Tanggal Lahir", "31/02/1960", "tanggal '31/02/1960' tidak ada di kalender"),
    ("Tanggal Lahir", "kemarin sore", "'kemarin sore' bukan tanggal yang dikenali"),
    ("Tanggal Lahir", 21900, "'21900' bukan tanggal"),
    ("Tanggal Lahir", "01/01/2999", "masa depan"),
    ("Tanggal Lahir", "01/01/1800", "sebelum tahun 1900"),
    ("Tanggal Pendataan", "2025-13-01", "tidak ada di kalender"),
    ("Tanggal Pendataan", "01/01/1950", "Tanggal pendataan sebelum tanggal lahir"),
    ("Kategori PPKS", "Pengamen", "Kategori PPKS 'Pengamen' tidak dikenal"),
    ("Kategori PPKS", "27", "Kategori PPKS '27' tidak dikenal"),
    ("Kode Wilayah", "61.71.03.1099", "Kode wilayah '61.71.03.1099' tidak dikenal. Mungkin maksud Anda: 61.71.03.1004"),
    ("Kode Wilayah", "61.71", "bukan kelurahan/desa atau kecamatan"),
    ("Jenis Kelamin", "X", "bukan jenis kelamin"),
    ("Terlantar", "mungkin", "harus Ya atau Tidak"),
    ("Nama", "", "Nama wajib diisi"),
    ("No KK", "12345", "No KK harus 16 digit"),
])
def test_bad_cells_name_row_and_column(db, tmp_path, column, cell, word):
    report = run(db, xlsx(tmp_path / "a.xlsx", [row(), row(NIK="6171030507850002", **{"Jenis Kelamin": "L",
                                                                                        "Tanggal Lahir": "05/07/1985",
                                                                                        column: cell})]))
    assert (report.imported, report.rejected) == (1, 1)
    problem = report.problems[0]
    assert (problem.row, problem.column) == (3, column)
    assert word in problem.message


@pytest.mark.parametrize("cell", ["05/01/1960", "5-1-1960", "05.01.1960", "1960-01-05", "5 Januari 1960",
                                  "5 Jan 1960", dt.datetime(1960, 1, 5), dt.date(1960, 1, 5)])
def test_every_accepted_date_form(db, tmp_path, cell):
    report = run(db, xlsx(tmp_path / "a.xlsx", [row(**{"Tanggal Lahir": cell})]))
    assert report.imported == 1, [p.text() for p in report.problems]
    assert ppks.find_by_nik(db, "6171034501600001")["tanggal_lahir"] == "1960-01-05"


def test_nik_mismatch_and_similar_name_are_warnings_not_rejections(db, tmp_path):
    ppks.save_person(db, {"nama": "Budi Hartono", "tanggal_lahir": "1985-07-05", "kode_wilayah": KELURAHAN})
    report = run(db, xlsx(tmp_path / "a.xlsx", [
        row(**{"Jenis Kelamin": "L", "Tanggal Lahir": "06/01/1960"}),
        row(NIK="6171030507850002", Nama="Budi  Hartono", **{"Jenis Kelamin": "L", "Tanggal Lahir": "05/07/1985"}),
    ]))
    assert (report.imported, report.rejected) == (2, 0)
    texts = [w.text() for w in report.warnings]
    assert any(t.startswith("baris 2, kolom 'NIK': Tanggal lahir pada NIK (05/01/1960) berbeda") for t in texts)
    assert any(t.startswith("baris 2, kolom 'NIK': NIK menunjukkan jenis kelamin perempuan") for t in texts)
    assert any(t.startswith("baris 3, kolom 'Nama': mirip dengan Budi Hartono") for t in texts)


def test_all_or_nothing_and_dry_run_write_nothing(db, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [row(), row(NIK="123")])
    report = run(db, path, all_or_nothing=True)
    assert report.rolled_back and report.imported == 0 and count(db, "orang") == 0
    dry = run(db, path, dry_run=True)
    assert (dry.imported, dry.rejected) == (1, 1) and count(db, "orang") == 0
    assert db.execute("SELECT count(*) FROM nomor_urut").fetchone()[0] == 0


def test_dtks_export_with_title_rows_other_headers_only_nik_and_nama(db, tmp_path):
    above = [["DATA TERPADU KESEJAHTERAAN SOSIAL"], ["KELURAHAN PALLIMA"], [], ["Dicetak 01/09/2025"]]
    path = xlsx(tmp_path / "dtks.xlsx", [[1, "6171034501600001", "AMINAH"], [2, "6171030507850002", "BUDI"]],
                head=["NO", "NOMOR INDUK KEPENDUDUKAN", "NAMA LENGKAP"], above=above)
    table = read_for(SPEC, path)
    assert table.header_row == 5 and table.row_numbers == [6, 7]
    mapping = auto_mapping(table.headers, SPEC)
    assert mapping["NIK"] == 1 and mapping["Nama"] == 2 and mapping["Kategori PPKS"] is None
    report = run_import(db, SPEC, table, mapping)
    assert (report.imported, report.rejected) == (2, 0)
    person = ppks.find_by_nik(db, "6171030507850002")
    assert person["kode_wilayah"] == KELURAHAN and ppks.registrations(db, person["id"]) == []


def test_header_row_chosen_by_user(db, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [row()], above=[["Judul"], ["Nama", "Keterangan"]])
    table = read_for(SPEC, path, header_row=3)
    assert table.headers == HEAD and len(table.rows) == 1


def test_error_report_keeps_nik_as_text(db, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [row(**{"Kategori PPKS": "99"})])
    table = read_for(SPEC, path)
    report = run_import(db, SPEC, table)
    out = write_error_report(tmp_path / "err.xlsx", table, report, SPEC)
    ws = load_workbook(out).active
    assert ws["B2"].value == "6171034501600001" and ws["B2"].data_type == "s"
    assert "Kategori PPKS: Kategori PPKS '99' tidak dikenal" in ws.cell(row=2, column=ws.max_column).value


# --------------------------------------------------------------------------- unreadable files


def _big(path: Path) -> Path:
    with open(path, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(50 * 1024 * 1024)
    return path


def _bytes(data):
    def make(path):
        path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize("make,word", [
    (_bytes(b""), "kosong"),
    (lambda p: xlsx(p, [], head=[]), "kosong"),
    (_bytes(b"PK\x03\x04 ini bukan zip"), "bukan buku kerja Excel"),
    (_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)), "bukan buku kerja Excel yang sah"),
    (_bytes((FIXTURES / "terkunci-sandi-rahasia.xlsx").read_bytes()), "dilindungi kata sandi"),
    (_big, "terlalu besar (50 MB"),
])
def test_unreadable_file_is_refused_whole(db, tmp_path, make, word):
    path = make(tmp_path / "masuk.xlsx")
    with pytest.raises(KnownError) as exc:
        run(db, path)
    assert word in exc.value.pesan
    assert count(db, "orang") == 0


def test_password_fixture_is_a_real_encrypted_workbook():
    data = (FIXTURES / "terkunci-sandi-rahasia.xlsx").read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data


def test_list_rows_one_per_registration_and_period(db, tmp_path):
    run(db, xlsx(tmp_path / "a.xlsx", [row(), row(NIK="", Nama="Tono", **{"Kategori PPKS": "",
                                                                          "Terlantar": "", "Tanggal Pendataan": "",
                                                                          "Sumber Laporan": ""})]))
    rows = list(SPEC.list_rows(db))
    assert [r["Nama"] for r in rows] == ["Aminah binti Said", "Tono"]
    first = rows[0]
    assert first["NIK"] == "6171034501600001" and first["Kategori PPKS"] == "8" and first["Terlantar"] == "Tidak"
    assert first["Tanggal Pendataan"] == "17/08/2025" and first["Sumber Laporan"] == "Laporan Masyarakat"
    assert first["id"] == first["ppks_id"]
    assert rows[1]["NIK"] is None and rows[1]["ID Sementara"].startswith("SMT-") and rows[1]["Keterangan"] == "Tinggal sendiri"
    assert [r["Nama"] for r in SPEC.list_rows(db, period="2025-08")] == ["Aminah binti Said"]
    assert list(SPEC.list_rows(db, period="2025-07")) == []


def test_csv_import_and_binary_file_named_csv(db, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(";".join(HEAD) + "\n" + ";".join("" if v is None else str(v) for v in row()) + "\n",
                    encoding="utf-8")
    report = run(db, path)
    assert report.imported == 1 and ppks.find_by_nik(db, "6171034501600001")["rw"] == "012"
    bad = tmp_path / "laporan.csv"
    bad.write_bytes(b"%PDF-1.4\n\x00\x01\x02 binary")
    with pytest.raises(KnownError, match="bukan buku kerja atau CSV"):
        run(db, bad)


def test_registration_in_a_closed_month_is_refused_per_row(db, tmp_path):
    from db.periode import tutup_bulan

    tutup_bulan(db, "2025-08")
    report = run(db, xlsx(tmp_path / "a.xlsx", [row(), row(NIK="6171030507850002", Nama="Budi", **{
        "Jenis Kelamin": "L", "Tanggal Lahir": "05/07/1985", "Tanggal Pendataan": "01/09/2025"})]))
    assert (report.imported, report.rejected) == (1, 1)
    problem = report.problems[0]
    assert (problem.row, problem.column) == (2, "Tanggal Pendataan") and "Agustus 2025" in problem.message
    assert ppks.find_by_nik(db, "6171034501600001") is None  # the whole row is left out


def test_similar_name_check_on_a_long_file_uses_the_birth_date_cache(db, tmp_path):
    ppks.save_person(db, {"nama": "Siti Rahmah", "tanggal_lahir": "1970-03-03", "kode_wilayah": KELURAHAN})
    only_person = {"Kategori PPKS": "", "Terlantar": "", "Tanggal Pendataan": "", "Sumber Laporan": ""}
    rows = [row(NIK="", Nama=f"Orang {i}", **{"Tanggal Lahir": "01/01/1990", **only_person}) for i in range(60)]
    rows.append(row(NIK="", Nama="Siti  Rahmah.", **{"Tanggal Lahir": "03/03/1970", **only_person}))
    rows.append(row(NIK="", Nama="Orang 1x", **{"Tanggal Lahir": "01/01/1990", **only_person}))
    report = run(db, xlsx(tmp_path / "a.xlsx", rows))
    assert report.imported == 62
    texts = [w.text() for w in report.warnings if w.column == "Nama"]
    assert any(t.startswith("baris 62, kolom 'Nama': mirip dengan Siti Rahmah") for t in texts)
    assert any(t.startswith("baris 63, kolom 'Nama': mirip dengan Orang 1 ") for t in texts)  # a row of this file


@pytest.mark.parametrize("outcome", ["commit", "dry_run", "all_or_nothing"])
def test_long_file_indexes_new_people_in_one_go_and_keeps_triggers(db, tmp_path, monkeypatch, outcome):
    import db.import_ppks as imp

    monkeypatch.setattr(imp, "BULK_INDEX_AFTER", 2)
    old = ppks.save_person(db, {"nik": "6171030507850002", "nama": "Budi Lama", "kode_wilayah": KELURAHAN})
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
    rows = [row(), row(NIK="", Nama="Tono Sutono", Alamat="Gg. Kenanga"),
            row(NIK="6171030507850002", Nama="Budi", Alamat="Jl. Alamat Baru", **{
                "Jenis Kelamin": "L", "Tanggal Lahir": "05/07/1985"}),  # fills Budi's empty address
            row(NIK="", Nama="Tono Sutono", Alamat="Gg. Kenanga", **{"Kategori PPKS": "24"})]  # same person again
    if outcome == "all_or_nothing":
        rows.append(row(NIK="123", Nama="Salah"))
    report = run(db, xlsx(tmp_path / "a.xlsx", rows), dry_run=outcome == "dry_run",
                 all_or_nothing=outcome == "all_or_nothing")
    assert db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall() == triggers
    assert db.execute("SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger'").fetchone()[0] == 0
    assert ppks.search_index_ok(db)
    found = lambda text: [r["nama"] for r in ppks.search_people(db, ppks.PpksFilter(text=text))]  # noqa: E731
    if outcome == "commit":
        assert report.imported == 4 and report.rejected == 0
        assert found("tono") == ["Tono Sutono"] and found("kenanga") == ["Tono Sutono"]
        assert found("aminah") == ["Aminah binti Said"] and found("alamat baru") == ["Budi Lama"]
    else:
        assert found("tono") == [] and found("lama") == ["Budi Lama"]
    # the triggers work again for ordinary writes afterwards
    ppks.save_person(db, {"alamat": "Jl. Sesudah"}, orang_id=old["id"])
    assert found("sesudah") == ["Budi Lama"] and ppks.search_index_ok(db)
