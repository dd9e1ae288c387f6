"""`kesos template/import/list psks|kegiatan` (CLI.md)."""
import json

import openpyxl

from tests.conftest import KELURAHAN
from tests.db.psks_data import nik
from tests.db.test_psks_import import KEG_HEAD, PSKS_HEAD, workbook


def _init(cli):
    code, _out, err = cli("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM")
    assert code == 0, err


def test_templates_have_cli_columns_text_nik_and_dropdowns(cli, tmp_path):
    _init(cli)
    out = tmp_path / "psks.xlsx"
    code, stdout, err = cli("template", "psks", "--out", out)
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    ws = wb["Data"]
    assert [c.value for c in ws[1]][:9] == PSKS_HEAD
    assert ws["B2"].number_format == "@"  # NIK stays text
    lists = wb["Daftar"]
    assert (lists["A1"].value, lists["A2"].value) == ("Jenis PSKS", "Pekerja Sosial Profesional")
    jenis = [c.value for c in lists["A"][1:]]
    assert "Taruna Siaga Bencana" in jenis and "Fasilitator SLRT" in jenis and len(jenis) == 18
    assert wb["Contoh"]["B2"].value == "6171031508900001"

    out = tmp_path / "kegiatan.xlsx"
    assert cli("template", "kegiatan", "--out", out)[0] == 0
    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb["Data"][1]] == KEG_HEAD
    lists = {c.value: i for i, c in enumerate(wb["Daftar"][1])}
    jenis = [c.value for c in list(wb["Daftar"].iter_cols(min_col=lists["Jenis Kegiatan"] + 1,
                                                          max_col=lists["Jenis Kegiatan"] + 1))[0][1:] if c.value]
    assert jenis == ["pelatihan", "bimbingan teknis", "rapat koordinasi", "sosialisasi", "simulasi", "lainnya"]


def test_import_and_list_round_trip_with_exit_codes(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-01")
    _init(cli)
    psks_file = workbook(tmp_path / "psks.xlsx", PSKS_HEAD, [
        ["PSM", nik(1), "Ani", "L", "", "PSM-1", "01/01/2024", "aktif", ""],
        ["Tagana", nik(2), "Budi", "L", "61.71.03.1002", "TG-1", "01/01/2024", "aktif", ""],
    ])
    code, out, err = cli("import", "psks", psks_file, "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": 2, "unchanged": 0, "rejected": 0, "errors_file": None}

    keg_file = workbook(tmp_path / "keg.xlsx", KEG_HEAD, [
        ["RK-1", "Rakor PSKS", "rapat koordinasi", "1.06.02.2.03.04", "20/11/2025", "", "Dinsos", "Aula",
         nik(1), "Ani", "Ya"],
        ["RK-1", "", "", "", "", "", "", "", nik(2), "Budi", "Tidak"],
        ["RK-1", "", "", "", "", "", "", "", nik(7), "Orang Baru", "Ya"],
    ])
    code, out, err = cli("import", "kegiatan", keg_file, "--json")
    assert code == 3, err  # done in part
    report = json.loads(out)
    assert (report["imported"], report["rejected"]) == (2, 1)
    assert f"NIK {nik(7)} (Orang Baru) tidak terdaftar di register PSKS" in err
    errors = openpyxl.load_workbook(report["errors_file"]).active
    assert errors.cell(row=2, column=1).value == 4
    assert errors.cell(row=2, column=10).value == nik(7)  # NIK written back as text, all 16 digits

    code, out, err = cli("list", "psks", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["Nama"], r["Jenis PSKS"], r["Kode Wilayah"]) for r in rows] == [
        ("Ani", "Pekerja Sosial Masyarakat", KELURAHAN), ("Budi", "Taruna Siaga Bencana", "61.71.03.1002")]
    assert all(r["id"] for r in rows)

    code, out, err = cli("list", "kegiatan", "--period", "2025-11", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["Kode Kegiatan"], r["Nama Peserta"], r["Hadir"]) for r in rows] == [
        ("RK-1", "Ani", "Ya"), ("RK-1", "Budi", "Tidak")]
    assert cli("list", "kegiatan", "--period", "2025-10")[1] == ""
    code, out, err = cli("list", "kegiatan")
    assert out.count("\n") == 2 and "Rakor PSKS" in out

    # Re-importing the participant file with the unknown row removed changes nothing.
    keg_file2 = workbook(tmp_path / "keg2.xlsx", KEG_HEAD, [
        ["RK-1", "Rakor PSKS", "rapat koordinasi", "1.06.02.2.03.04", "20/11/2025", "", "Dinsos", "Aula",
         nik(1), "Ani", "Ya"],
        ["RK-1", "", "", "", "", "", "", "", nik(2), "Budi", "Tidak"],
    ])
    code, out, err = cli("import", "kegiatan", keg_file2, "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 2


def test_import_with_only_bad_rows_exits_1(cli, tmp_path):
    _init(cli)
    bad = workbook(tmp_path / "bad.xlsx", PSKS_HEAD, [["Astronot", "", "X", "", "", "", "", "", ""]])
    code, out, err = cli("import", "psks", bad)
    assert code == 1
    assert "'Astronot' bukan jenis PSKS yang dikenal" in err
