"""Importing the PSKS register and PSKS events from workbooks (CLI.md columns)."""
import openpyxl
import pytest

from db import kegiatan as keg_db, psks as psks_db
from db.psks_indikator import output_kegiatan, psks_dibina
from exporters.importer import get_spec, read_for, run_import
from tests.db.psks_data import make_psks, nik

PSKS_HEAD = ["Jenis PSKS", "NIK", "Nama", "Jenis Kelamin", "Kode Wilayah", "Nomor Registrasi",
             "Tanggal Mulai Aktif", "Status", "Keterangan"]
KEG_HEAD = ["Kode Kegiatan", "Nama Kegiatan", "Jenis Kegiatan", "Kode Sub Kegiatan", "Tanggal Mulai",
            "Tanggal Selesai", "Penyelenggara", "Tempat", "NIK Peserta", "Nama Peserta", "Hadir"]


def workbook(path, head, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    wb.save(path)
    return path


def do_import(db, kind, path, **kw):
    spec = get_spec(kind)
    table = read_for(spec, path)
    return run_import(db, spec, table, **kw)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-01")


def test_spec_columns_follow_cli_md():
    assert [c.name for c in get_spec("psks").columns][:9] == PSKS_HEAD
    assert [c.name for c in get_spec("kegiatan").columns] == KEG_HEAD


def test_psks_rows_are_imported_once_and_updated_by_registration_number(db, tmp_path):
    rows = [
        ["PSM", nik(1), "Rudi", "L", "61.71.03.1001", "PSM-1", "15/01/2024", "aktif", ""],
        ["Taruna Siaga Bencana", nik(2), "Sari", "L", "6171031002", "TG-1", "2024-02-01", "", ""],
        ["Karang Taruna", "", "Karang Taruna Pal Lima", "", "", "KT-1", "", "aktif", "lembaga"],
        ["tksk", nik(3), "Hendra", "L", "61.71.03", "TKSK-1", "01/01/2023", "nonaktif", "pindah"],
    ]
    path = workbook(tmp_path / "psks.xlsx", PSKS_HEAD + ["Tanggal Nonaktif"], [r + ([""] if i < 3 else ["31/12/2024"])
                                                                              for i, r in enumerate(rows)])
    report = do_import(db, "psks", path)
    assert (report.imported, report.unchanged, report.rejected) == (4, 0, 0), report.problems
    got = {r["nama"]: r for r in psks_db.list_psks(db)}
    assert got["Sari"]["jenis_kode"] == "TAGANA" and got["Sari"]["kode_wilayah"] == "61.71.03.1002"
    assert got["Karang Taruna Pal Lima"]["bentuk"] == "lembaga"
    assert got["Karang Taruna Pal Lima"]["kode_wilayah"] == "61.71.03.1001"
    assert (got["Hendra"]["status"], got["Hendra"]["tanggal_nonaktif"]) == ("nonaktif", "2024-12-31")
    again = do_import(db, "psks", path)
    assert (again.imported, again.unchanged, again.rejected) == (0, 4, 0)
    # A corrected name is an update, not a new record.
    rows[0][2] = "Rudi Hartono"
    path2 = workbook(tmp_path / "psks2.xlsx", PSKS_HEAD, rows[:1])
    third = do_import(db, "psks", path2)
    assert (third.imported, third.unchanged) == (1, 0)
    assert psks_db.count_psks(db) == 4
    assert psks_db.list_psks(db, jenis_kode="PSM")[0]["nama"] == "Rudi Hartono"


def test_psks_bad_rows_are_rejected_with_reasons(db, tmp_path):
    make_psks(db, "TKSK", 1, nama="Slamet", nomor_registrasi="TKSK-7")
    rows = [
        ["Tksk", nik(2), "Joko", "L", "", "TKSK-7", "", "", ""],          # number held by Slamet
        ["Astronot", nik(3), "X", "", "", "", "", "", ""],                 # unknown type
        ["PSM", "3.17101E+15", "Y", "", "", "", "", "", ""],               # NIK lost digits
        ["LKS", nik(4), "LKS Z", "", "", "", "", "", ""],                  # NIK on an institution
        ["PSM", nik(5), "W", "", "", "", "", "nonaktif", ""],              # nonaktif without date
        ["PSM", nik(6), "Good", "L", "", "PSM-6", "", "", ""],
    ]
    report = do_import(db, "psks", workbook(tmp_path / "bad.xlsx", PSKS_HEAD, rows))
    assert (report.imported, report.rejected) == (1, 5)
    texts = [p.text() for p in report.problems]
    assert texts[0] == (f"baris 2, kolom 'Nomor Registrasi': Nomor registrasi TKSK-7 sudah dipakai TKSK lain: "
                        f"Slamet (NIK {nik(1)})")
    assert texts[1] == "baris 3, kolom 'Jenis PSKS': 'Astronot' bukan jenis PSKS yang dikenal"
    assert "kolom 'NIK'" in texts[2] and "kehilangan digit" in texts[2]
    assert "kolom 'NIK'" in texts[3] and "adalah lembaga" in texts[3]
    assert texts[4] == "baris 6, kolom 'Tanggal Nonaktif': Tanggal nonaktif wajib diisi bila status nonaktif"


def _register_for_events(db):
    make_psks(db, "PSM", 1, nama="Ani")
    make_psks(db, "PSM", 2, nama="Budi")
    make_psks(db, "TAGANA", 3, nama="Citra")
    gone = make_psks(db, "TKSK", 4, nama="Dedi")
    psks_db.deactivate_psks(db, gone["id"], "2025-03-01")


def test_kegiatan_rows_grouped_by_code(db, tmp_path):
    _register_for_events(db)
    rows = [
        ["RK-1", "Rakor PSKS", "rapat koordinasi", "1.06.02.2.03.04", "20/11/2025", "20/11/2025", "Dinsos", "Aula",
         nik(1), "Ani", "Ya"],
        ["RK-1", "", "", "", "", "", "", "", nik(2), "Budi", "Tidak"],
        ["RK-1", "Rakor PSKS", "", "", "20/11/2025", "", "", "", nik(3), "Citra", "Ya"],
        ["LT-1", "Latihan Tagana", "Pelatihan", "1.06.06.2.02.0002 - Koordinasi", "2025-08-10", "2025-08-12",
         "", "Posko", nik(3), "Citra", "ya"],
    ]
    path = workbook(tmp_path / "keg.xlsx", KEG_HEAD, rows)
    report = do_import(db, "kegiatan", path)
    assert (report.imported, report.unchanged, report.rejected) == (4, 0, 0), [p.text() for p in report.problems]
    rk = keg_db.find_by_kode(db, "RK-1")
    assert (rk["jenis"], rk["kode_layanan"], rk["jumlah_peserta"], rk["jumlah_hadir"]) == (
        "rapat_koordinasi", "1.06.02.2.03.0004", 3, 2)
    assert keg_db.find_by_kode(db, "LT-1")["tanggal_selesai"] == "2025-08-12"
    assert output_kegiatan(db, "1.06.02.2.03", None, "2025-01-01", "2025-12-31")["distinct_persons"] == 2
    r = psks_dibina(db, None, "2025-01-01", "2025-12-31")
    assert (r["numerator"], r["denominator"]) == (2, 4)  # Ani, Citra of Ani, Budi, Citra, Dedi (left in March)
    again = do_import(db, "kegiatan", path)
    assert (again.imported, again.unchanged, again.rejected) == (0, 4, 0)
    # Round trip: what `list kegiatan` prints imports as unchanged.
    listed = list(get_spec("kegiatan").list_rows(db))
    assert len(listed) == 4 and listed[0]["Kode Kegiatan"] == "LT-1"
    path3 = workbook(tmp_path / "back.xlsx", KEG_HEAD, [[r[h] for h in KEG_HEAD] for r in listed])
    back = do_import(db, "kegiatan", path3)
    assert (back.imported, back.unchanged, back.rejected) == (0, 4, 0), [p.text() for p in back.problems]
    assert [r["Nama Peserta"] for r in get_spec("kegiatan").list_rows(db, period="2025-11")] == ["Ani", "Budi", "Citra"]


def test_kegiatan_bad_rows(db, tmp_path):
    _register_for_events(db)
    unknown = nik(99)
    rows = [
        ["RK-1", "Rakor", "rapat koordinasi", "1.06.02.2.03.04", "20/11/2025", "", "", "", unknown, "Eko", "Ya"],
        ["RK-1", "Rakor", "rapat koordinasi", "1.06.02.2.03.04", "20/11/2025", "", "", "", nik(1), "Ani", "Ya"],
        ["RK-1", "", "", "", "21/11/2025", "", "", "", nik(2), "Budi", "Ya"],          # conflicts with first row
        ["RK-1", "", "", "", "", "", "", "", nik(4), "Dedi", "Ya"],                    # inactive since March
        ["FUT", "Simulasi", "simulasi", "1.06.06.2.02.02", "10/12/2025", "", "", "", nik(3), "Citra", "Ya"],
        ["BAD", "Rakor", "rapat koordinasi", "", "20/11/2025", "19/11/2025", "", "", nik(3), "Citra", ""],
        ["", "Rakor", "rapat koordinasi", "", "20/11/2025", "", "", "", nik(3), "Citra", ""],
    ]
    report = do_import(db, "kegiatan", workbook(tmp_path / "bad.xlsx", KEG_HEAD, rows))
    assert (report.imported, report.rejected) == (1, 6)
    texts = [p.text() for p in report.problems]
    assert texts[0] == (f"baris 2, kolom 'NIK Peserta': NIK {unknown} (Eko) tidak terdaftar di register PSKS; "
                        "daftarkan/impor dulu data PSKS-nya")
    assert texts[1] == ("baris 4, kolom 'Tanggal Mulai': berbeda dengan baris pertama Kode Kegiatan RK-1 "
                        "(20 November 2025)")
    assert texts[2].startswith("baris 5, kolom 'NIK Peserta': Dedi (TKSK, No. Reg. TKSK-0004) berstatus nonaktif "
                               "sejak 1 Maret 2025")
    assert texts[3] == ("baris 6, kolom 'Hadir': Kehadiran belum dapat dicatat: kegiatan 'Simulasi' baru dimulai "
                        "10 Desember 2025 (hari ini 1 Desember 2025).")
    assert texts[4] == ("baris 7, kolom 'Tanggal Selesai': Tanggal selesai (19 November 2025) sebelum tanggal mulai "
                        "(20 November 2025)")
    assert texts[5].startswith("baris 8, kolom 'Kode Kegiatan': wajib diisi")
    assert keg_db.count_kegiatan(db) == 1
    assert [p["nama"] for p in keg_db.peserta_list(db, keg_db.find_by_kode(db, "RK-1")["id"])] == ["Ani"]


def test_all_or_nothing_leaves_nothing(db, tmp_path):
    _register_for_events(db)
    rows = [
        ["RK-1", "Rakor", "rapat koordinasi", "", "20/11/2025", "", "", "", nik(1), "Ani", "Ya"],
        ["RK-1", "Rakor", "rapat koordinasi", "", "20/11/2025", "", "", "", nik(98), "?", "Ya"],
    ]
    report = do_import(db, "kegiatan", workbook(tmp_path / "k.xlsx", KEG_HEAD, rows), all_or_nothing=True)
    assert report.rolled_back and report.rejected == 1
    assert keg_db.count_kegiatan(db) == 0
