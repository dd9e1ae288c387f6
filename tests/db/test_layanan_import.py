"""The layanan import spec (CLI.md columns) with the bad-input cases, via the shared engine."""
import pytest
from openpyxl import Workbook

from db import layanan
from exporters.importer import get_spec, read_for, run_import
from tests.db.layanan_helpers import NIK_SITI, TODAY, bencana, korban, orang

HEAD = ["NIK", "ID Orang", "Nama", "Tanggal", "Kode Layanan", "Jumlah", "Satuan", "Nilai (Rp)", "Sumber Dana",
        "Kode Kejadian", "Petugas", "Keterangan"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY)


def row(**kw):
    base = {"NIK": NIK_SITI, "ID Orang": None, "Nama": "Siti Rahmah", "Tanggal": "02/03/2026",
            "Kode Layanan": "1.06.04.2.01.01", "Jumlah": 2, "Satuan": "Paket", "Nilai (Rp)": "Rp 1.500.000",
            "Sumber Dana": "APBD Kab/Kota", "Kode Kejadian": None, "Petugas": "Andi", "Keterangan": None}
    base.update(kw)
    return [base[h] for h in HEAD]


def run(db, tmp_path, rows, **kw):
    wb = Workbook()
    wb.active.append(HEAD)
    for r in rows:
        wb.active.append(r)
    path = tmp_path / "layanan.xlsx"
    wb.save(path)
    spec = get_spec("layanan")
    return run_import(db, spec, read_for(spec, path), **kw)


def problems(report):
    return [(p.row, p.column, p.message) for p in report.problems]


def test_columns_are_the_cli_contract():
    assert [c.name for c in get_spec("layanan").columns] == HEAD


def test_import_then_again_changes_nothing(db, tmp_path):
    orang(db)
    rows = [row(), row(Tanggal="03/03/2026", **{"Nilai (Rp)": "1,500,000"}),
            row(Tanggal="2026-03-04", **{"Nilai (Rp)": 1500000, "Kode Layanan": "1.06.04.2.01.0001 - Permakanan"})]
    report = run(db, tmp_path, rows)
    assert (report.imported, report.unchanged, report.rejected) == (3, 0, 0), problems(report)
    assert {r["nilai"] for r in layanan.daftar_layanan(db)} == {1500000}
    assert [r["nomor_kuitansi"][-5:] for r in layanan.daftar_layanan(db, urut="tanggal")] == ["00001", "00002", "00003"]
    again = run(db, tmp_path, rows)
    assert (again.imported, again.unchanged, again.rejected) == (0, 3, 0)
    assert layanan.hitung_layanan(db) == 3


def test_person_by_temporary_id(db, tmp_path):
    o = orang(db, nama="Anak Jalanan", nik=None, nik_sementara="SMT-2026-0001", tanggal_lahir=None)
    report = run(db, tmp_path, [row(NIK=None, Nama="Anak Jalanan", **{"ID Orang": "SMT-2026-0001"})])
    assert report.imported == 1, problems(report)
    assert layanan.daftar_layanan(db)[0]["orang_id"] == o["id"]


@pytest.mark.parametrize("changes,column,message", [
    ({"NIK": "6171034501900099"}, "NIK", "NIK 6171034501900099 tidak ada di register"),
    ({"NIK": "3.17101E+15"}, "NIK", "kehilangan digit"),
    ({"NIK": None}, "NIK", "isi NIK penerima, atau ID Orang"),
    ({"Nama": "Bambang Pamungkas"}, "Nama", "berbeda dengan nama di register"),
    ({"Nama": "Siti Aminah"}, "Nama", "berbeda dengan nama di register"),
    ({"Tanggal": "01/01/1989"}, "Tanggal", "sebelum tanggal lahir"),
    ({"Tanggal": "11/03/2026"}, "Tanggal", "belum terjadi"),
    ({"Kode Layanan": "1.06.09.2.01.01"}, "Kode Layanan", "tidak dikenal"),
    ({"Kode Layanan": "1.06.02.2.03.01"}, "Kode Layanan", "bukan layanan yang dicatat per penerima"),
    ({"Jumlah": 0}, "Jumlah", "lebih dari 0"),
    ({"Jumlah": -3}, "Jumlah", "lebih dari 0"),
    ({"Nilai (Rp)": "1.5jt"}, "Nilai (Rp)", "bukan nilai rupiah"),
    ({"Satuan": "karung"}, "Satuan", "tidak dikenal"),
    ({"Sumber Dana": "Hibah"}, "Sumber Dana", "tidak dikenal"),
    ({"Kode Kejadian": "XX-99"}, "Kode Kejadian", "kejadian bencana dengan kode 'XX-99' tidak ada"),
])
def test_bad_rows_are_refused_with_the_column(db, tmp_path, changes, column, message):
    orang(db)
    report = run(db, tmp_path, [row(**changes), row(Tanggal="05/03/2026")])
    assert (report.imported, report.rejected) == (1, 1)
    (p,) = report.problems
    assert p.row == 2 and p.column == column and message in p.message


def test_name_spelled_differently_is_accepted(db, tmp_path):
    orang(db)
    report = run(db, tmp_path, [row(Nama="SITI RAHMA"), row(Nama="Hj. Siti Rahmah", Tanggal="03/03/2026"),
                                row(Nama="Rahmah", Tanggal="04/03/2026")])
    assert report.imported == 3, problems(report)


def test_disaster_aid_by_event_code(db, tmp_path):
    o = orang(db)
    ev = bencana(db, kode="KBK-2026-01")
    aid = {"Kode Layanan": "1.06.06.2.01.0001", "Kode Kejadian": "kbk-2026-01", "Satuan": None}
    report = run(db, tmp_path, [row(**aid)])
    assert report.rejected == 1 and "bukan korban terdaftar" in report.problems[0].message
    assert report.problems[0].column == "Kode Kejadian"
    korban(db, ev["id"], o["id"])
    report = run(db, tmp_path, [row(**aid)])
    assert report.imported == 1, problems(report)
    rec = layanan.daftar_layanan(db)[0]
    assert rec["bencana_id"] == ev["id"] and rec["kode_kejadian"] == "KBK-2026-01" and rec["satuan"] == "paket"


def test_closed_registrations_import_with_a_warning(db, tmp_path):
    from tests.db.layanan_helpers import ppks

    o = orang(db)
    ppks(db, o["id"], status="ditutup", tanggal_tutup="2026-01-01", alasan_tutup="pindah")
    report = run(db, tmp_path, [row()])
    assert report.imported == 1
    assert any("sudah ditutup sebelum tanggal layanan" in w.message for w in report.warnings)


def test_all_or_nothing(db, tmp_path):
    orang(db)
    report = run(db, tmp_path, [row(), row(Jumlah=0)], all_or_nothing=True)
    assert report.rolled_back and layanan.hitung_layanan(db) == 0
    assert db.execute("SELECT count(*) FROM kuitansi").fetchone()[0] == 0


def test_list_rows_round_trip(db, tmp_path):
    orang(db)
    run(db, tmp_path, [row(), row(Tanggal="03/03/2026")])
    rows = list(get_spec("layanan").list_rows(db))
    assert [r["Tanggal"] for r in rows] == ["02/03/2026", "03/03/2026"]
    first = rows[0]
    assert {k: first[k] for k in HEAD} == {
        "NIK": NIK_SITI, "ID Orang": None, "Nama": "Siti Rahmah", "Tanggal": "02/03/2026",
        "Kode Layanan": "1.06.04.2.01.0001", "Jumlah": 2, "Satuan": "Paket", "Nilai (Rp)": 1500000,
        "Sumber Dana": "APBD Kab/Kota", "Kode Kejadian": None, "Petugas": "Andi", "Keterangan": None}
    assert first["Nomor Kuitansi"] == "TT/61.71.03.1001/2026/00001" and first["Status"] == "aktif"
    assert list(get_spec("layanan").list_rows(db, period="2026-04")) == []
    # What `list` prints can be imported back unchanged.
    report = run(db, tmp_path, [[r[h] for h in HEAD] for r in rows])
    assert (report.imported, report.unchanged) == (0, 2)
