"""`kesos template/import/list ppks` (CLI.md): columns, exit codes, error report."""
import json

from openpyxl import Workbook, load_workbook

from tests.conftest import KELURAHAN
from tests.db.test_ppks_import import HEAD, row


def _init(cli):
    assert cli("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM")[0] == 0


def _xlsx(path, rows):
    wb = Workbook()
    wb.active.append(HEAD)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_template_then_import_then_list(cli, tmp_path):
    _init(cli)
    code, out, err = cli("template", "ppks", "--out", tmp_path / "t.xlsx")
    assert code == 0, err
    assert [c.value for c in load_workbook(tmp_path / "t.xlsx")["Data"][1]] == HEAD
    path = _xlsx(tmp_path / "a.xlsx", [row(), row(NIK="", Nama="Tono", **{"Kategori PPKS": "11"})])
    code, out, err = cli("import", "ppks", path, "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": 2, "unchanged": 0, "rejected": 0, "errors_file": None}
    code, out, err = cli("import", "ppks", path, "--json")
    assert json.loads(out)["unchanged"] == 2 and code == 0
    code, out, err = cli("list", "ppks", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(r["Nama"], r["NIK"], r["Kategori PPKS"]) for r in lines] == [
        ("Aminah binti Said", "6171034501600001", "8"), ("Tono", None, "11")]
    assert all(r["id"] for r in lines)
    code, out, err = cli("list", "ppks", "--period", "2025-08")
    assert code == 0 and out.count("\n") == 2 and "6171034501600001" in out


def test_partial_import_exit_3_with_error_report(cli, tmp_path):
    _init(cli)
    path = _xlsx(tmp_path / "masuk.xlsx", [row(), row(NIK="617103450160000", Nama="Budi")])
    code, out, err = cli("import", "ppks", path)
    assert code == 3
    assert "baris 3, kolom 'NIK': NIK harus 16 digit (tertulis 15 digit)" in err
    report = load_workbook(tmp_path / "masuk-kesalahan.xlsx").active
    assert report["B2"].value == "617103450160000" and "16 digit" in report.cell(row=2, column=report.max_column).value
    code, out, err = cli("import", "ppks", path, "--all-or-nothing", "--errors", tmp_path / "e.xlsx", "--json")
    assert code == 1 and "Tidak ada yang diimpor" in err
    assert json.loads(out)["imported"] == 0


def test_unreadable_file_exit_1_nothing_imported(cli, tmp_path):
    _init(cli)
    bad = tmp_path / "bukan.xlsx"
    bad.write_text("ini teks biasa", encoding="utf-8")
    code, out, err = cli("import", "ppks", bad)
    assert code == 1 and "bukan buku kerja Excel" in err.splitlines()[0]
    code, out, err = cli("info", "--json")
    assert json.loads(out)["counts"]["orang"] == 0
