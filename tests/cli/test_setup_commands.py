import json

from tests.conftest import KELURAHAN


def test_init_then_info_reports_area_and_zero_counts(cli, db_path):
    code, out, err = cli("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM")
    assert code == 0, err
    code, out, err = cli("info", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["kode_wilayah"] == KELURAHAN
    assert report["peran"] == "PSM"
    assert len(report["install_id"]) == 26
    assert report["counts"] == {"orang": 0, "ppks": 0, "layanan": 0, "bencana": 0, "korban": 0, "psks": 0,
                                "kegiatan": 0}


def test_init_on_existing_database_refuses(cli):
    assert cli("init", "--kelurahan", KELURAHAN, "--operator", "A", "--peran", "PSM")[0] == 0
    code, out, err = cli("init", "--kelurahan", KELURAHAN, "--operator", "B", "--peran", "PSM")
    assert code == 1 and "sudah" in err
    assert json.loads(cli("info", "--json")[1])["kode_wilayah"] == KELURAHAN


def test_unknown_area_refused_with_closest_matches(cli, db_path):
    code, out, err = cli("init", "--kelurahan", "61.71.03.1099", "--operator", "A", "--peran", "PSM")
    assert code == 1
    assert "tidak dikenal" in err and "61.71.03.1001" in err
    assert not db_path.exists()


def test_info_on_missing_database_exit_1(cli, tmp_path):
    code, out, err = cli("info", db=tmp_path / "tidak-ada.db")
    assert code == 1 and "tidak ditemukan" in err
    assert not (tmp_path / "tidak-ada.db").exists()


def test_info_on_non_database_file(cli, tmp_path):
    path = tmp_path / "foto.db"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)
    code, out, err = cli("info", db=path)
    assert code == 1 and "bukan" in err
    assert path.read_bytes().startswith(b"\x89PNG")


def test_usage_error_exit_2(cli):
    code, out, err = cli("init", "--operator", "A")
    assert code == 2 and "wajib" in err


def test_check_backup_restore_round_trip(cli, db_path, tmp_path):
    assert cli("init", "--kelurahan", KELURAHAN, "--operator", "A", "--peran", "PSM")[0] == 0
    assert cli("check")[0] == 0
    backup = tmp_path / "cadangan.db"
    code, out, err = cli("backup", "--out", backup)
    assert code == 0 and backup.exists()
    code, out, err = cli("backup", "--out", backup)
    assert code == 1 and "sudah ada" in err
    from db.connection import open_database
    from db.install import set_setting

    database = open_database(db_path)
    set_setting(database, "uji", "sesudah-cadangan")
    database.close()
    code, out, err = cli("restore", backup)
    assert code == 0, err
    database = open_database(db_path)
    from db.install import get_setting

    assert get_setting(database, "uji") is None
    database.close()


def test_restore_refuses_a_broken_backup(cli, db_path, tmp_path):
    assert cli("init", "--kelurahan", KELURAHAN, "--operator", "A", "--peran", "PSM")[0] == 0
    bad = tmp_path / "rusak.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    code, out, err = cli("restore", bad)
    assert code == 1
    assert cli("check")[0] == 0


def test_help_is_indonesian(cli, capsys):
    from desktop.cli.main import main

    try:
        main(["--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert "penggunaan:" in out and "perintah" in out
