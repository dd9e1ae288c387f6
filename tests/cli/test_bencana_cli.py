"""`kesos template/import/list bencana|korban` (CLI.md): columns, exit codes, bad rows."""
from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import KELURAHAN

HEAD_BENCANA = ["Kode Kejadian", "Tanggal Kejadian", "Jenis Bencana", "Kode Wilayah", "Lokasi", "KK Terdampak",
                "Jiwa Terdampak", "Rumah Rusak", "Lama Tanggap Darurat (hari)"]
HEAD_KORBAN = ["Kode Kejadian", "NIK", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Alamat",
               "Kelompok Rentan", "Tempat Tinggal Sementara"]
KK = "6171030101090007"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-31")


def _init(cli):
    assert cli("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM")[0] == 0


def _xlsx(path, head, rows):
    wb = Workbook()
    wb.active.append(head)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


EVENTS = [
    ["KBR-01", "05/09/2025", "Kebakaran Permukiman", KELURAHAN, "Gg. Damai", 12, 41, 9, None],
    ["ROB-01", "2025-01-10", "banjir rob", "61.71.02.1005", "Tepian Kapuas", 33, 99, 12, 14],
]
VICTIMS = [
    ["KBR-01", "6171031205800001", KK, "Budi Hartono", "L", "12/05/1980", "Gg. Damai No. 7", "lansia",
     "pengungsian"],
    ["KBR-01", "6171034307850002", KK, "Siti Rahmah", "P", "03/07/1985", "Gg. Damai No. 7", "ibu hamil, disabilitas",
     "pengungsian"],
    ["KBR-01", None, KK, "Rizky", "L", "02/02/2022", "Gg. Damai No. 7", "balita", "pengungsian"],
    ["ROB-01", "6171031205800001", None, "Budi Hartono", "L", "12/05/1980", None, None, "keluarga"],
]


def test_templates_have_the_cli_columns(cli, tmp_path):
    _init(cli)
    for kind, head in (("bencana", HEAD_BENCANA), ("korban", HEAD_KORBAN)):
        code, out, err = cli("template", kind, "--out", tmp_path / f"{kind}.xlsx")
        assert code == 0, err
        wb = load_workbook(tmp_path / f"{kind}.xlsx")
        assert [c.value for c in wb["Data"][1]] == head
        assert [c.value for c in wb["Contoh"][1]] == head
    daftar = load_workbook(tmp_path / "bencana.xlsx")["Daftar"]
    assert "Banjir Rob" in [c.value for c in daftar["A"]]


def test_import_events_then_victims_then_list(cli, tmp_path):
    _init(cli)
    ev = _xlsx(tmp_path / "bencana.xlsx", HEAD_BENCANA, EVENTS)
    code, out, err = cli("import", "bencana", ev, "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": 2, "unchanged": 0, "rejected": 0, "errors_file": None}
    assert json.loads(cli("import", "bencana", ev, "--json")[1])["unchanged"] == 2

    kb = _xlsx(tmp_path / "korban.xlsx", HEAD_KORBAN, VICTIMS)
    code, out, err = cli("import", "korban", kb, "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": 4, "unchanged": 0, "rejected": 0, "errors_file": None}
    code, out, err = cli("import", "korban", kb, "--json")  # twice: nothing changes
    assert code == 0 and json.loads(out) == {"imported": 0, "unchanged": 4, "rejected": 0, "errors_file": None}

    code, out, err = cli("list", "bencana", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["Kode Kejadian"], r["Tanggal Kejadian"], r["Jenis Bencana"], r["Lama Tanggap Darurat (hari)"],
             r["Akhir Tanggap Darurat"], r["Jumlah Korban"]) for r in rows] == [
        ("ROB-01", "10/01/2025", "Banjir Rob", 14, "24/01/2025", 1),
        ("KBR-01", "05/09/2025", "Kebakaran Permukiman", 7, "12/09/2025", 3)]
    assert all(r["id"] for r in rows)

    code, out, err = cli("list", "korban", "--json", "--period", "2025-09")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["Nama"], r["NIK"], r["Kelompok Rentan"], r["Tempat Tinggal Sementara"], r["Kepala Keluarga"],
             r["Status Layanan"]) for r in rows] == [
        ("Budi Hartono", "6171031205800001", "lansia", "pengungsian", "Ya", "Belum dilayani"),
        ("Siti Rahmah", "6171034307850002", "disabilitas, ibu hamil", "pengungsian", "Tidak", "Belum dilayani"),
        ("Rizky", None, "balita", "pengungsian", "Tidak", "Belum dilayani")]
    assert rows[2]["ID Sementara"]
    code, out, err = cli("list", "korban")
    assert code == 0 and out.count("\n") == 4 and "6171031205800001" in out


def test_victim_row_with_unknown_event_code_is_rejected(cli, tmp_path):
    _init(cli)
    cli("import", "bencana", _xlsx(tmp_path / "b.xlsx", HEAD_BENCANA, EVENTS[:1]))
    rows = [VICTIMS[0], ["KBR-99", None, None, "Tono", "L", None, None, None, "pengungsian"]]
    path = _xlsx(tmp_path / "korban.xlsx", HEAD_KORBAN, rows)
    code, out, err = cli("import", "korban", path, "--json")
    assert code == 3
    assert ("baris 3, kolom 'Kode Kejadian': Kode Kejadian 'KBR-99' tidak ditemukan; catat atau impor kejadian "
            "bencananya dulu (jenis data bencana), atau periksa kodenya") in err
    assert json.loads(out)["imported"] == 1 and json.loads(out)["rejected"] == 1
    report = load_workbook(tmp_path / "korban-kesalahan.xlsx").active
    assert report["B2"].value == "KBR-99"
    assert "tidak ditemukan" in report.cell(row=2, column=report.max_column).value


def test_event_dated_in_the_future_rejected_by_import(cli, tmp_path):
    _init(cli)
    rows = [EVENTS[0], ["FUT-01", "01/01/2026", "Banjir", KELURAHAN, None, None, None, None, None]]
    code, out, err = cli("import", "bencana", _xlsx(tmp_path / "b.xlsx", HEAD_BENCANA, rows))
    assert code == 3
    assert ("baris 3, kolom 'Tanggal Kejadian': Tanggal kejadian 01/01/2026 belum terjadi (setelah hari ini); "
            "periksa tanggalnya") in err


def test_same_person_twice_for_one_event_in_one_file(cli, tmp_path):
    _init(cli)
    cli("import", "bencana", _xlsx(tmp_path / "b.xlsx", HEAD_BENCANA, EVENTS[:1]))
    path = _xlsx(tmp_path / "k.xlsx", HEAD_KORBAN, [VICTIMS[0], VICTIMS[0]])
    code, out, err = cli("import", "korban", path)
    assert code == 3
    assert ("baris 3, kolom 'NIK': NIK 6171031205800001 sudah ada di baris 2 berkas ini untuk kejadian KBR-01; "
            "orang yang sama tidak dapat dicatat dua kali") in err


def test_all_or_nothing_and_all_bad_exit_1(cli, tmp_path):
    _init(cli)
    path = _xlsx(tmp_path / "k.xlsx", HEAD_KORBAN, [VICTIMS[0]])  # no event imported yet
    code, out, err = cli("import", "korban", path)
    assert code == 1 and "tidak ditemukan" in err
    code, out, err = cli("info", "--json")
    assert json.loads(out)["counts"]["korban"] == 0
