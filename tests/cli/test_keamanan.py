"""CLI: passphrase from KESOS_PASSPHRASE or the terminal, init --tanpa-sandi, keys, recovery, auto backups."""
import json

import pytest

from db import sandi
from tests.conftest import KELURAHAN, TEST_PASSPHRASE

INIT = ("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM")


@pytest.fixture
def terminal(monkeypatch):
    """Pretend stdin is a terminal; queue what the user types at getpass prompts."""
    typed = []
    prompts = []

    def fake_getpass(prompt=""):
        prompts.append(prompt)
        if not typed:
            raise EOFError
        return typed.pop(0)

    monkeypatch.setattr("desktop.cli.passphrase.interactive", lambda: True)
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    return typed, prompts


def test_init_makes_an_encrypted_database_and_shows_the_recovery_code_once(cli, db_path):
    code, out, err = cli(*INIT, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["terenkripsi"] is True
    key = sandi.parse_recovery_code(report["kode_pemulihan"])
    assert sandi.derive_key(TEST_PASSPHRASE, sandi.file_salt(db_path)) == key
    assert sandi.looks_encrypted(db_path)
    assert b"Siti Aminah" not in db_path.read_bytes()
    code, out, err = cli("info", "--json")
    assert code == 0 and json.loads(out)["kode_wilayah"] == KELURAHAN
    assert "kode_pemulihan" not in out


def test_init_without_a_passphrase_non_interactive_refused(cli, db_path, monkeypatch):
    monkeypatch.delenv("KESOS_PASSPHRASE")
    code, out, err = cli(*INIT)
    assert code == 1
    assert "KESOS_PASSPHRASE" in err.splitlines()[0] and "--tanpa-sandi" in err
    assert not db_path.exists()


def test_init_tanpa_sandi_is_plain_and_says_so(cli, db_path, monkeypatch):
    monkeypatch.delenv("KESOS_PASSPHRASE")
    code, out, err = cli(*INIT, "--tanpa-sandi")
    assert code == 0, err
    assert "TIDAK terenkripsi" in out
    assert db_path.read_bytes().startswith(sandi.SQLITE_HEADER)


def test_encrypted_database_without_passphrase_non_interactive(cli, db_path, monkeypatch):
    assert cli(*INIT)[0] == 0
    monkeypatch.delenv("KESOS_PASSPHRASE")
    code, out, err = cli("info")
    assert code == 1 and "terenkripsi" in err.splitlines()[0] and "KESOS_PASSPHRASE" in err
    monkeypatch.setenv("KESOS_PASSPHRASE", "bukan-sandinya")
    code, out, err = cli("info")
    assert code == 1 and "salah" in err.splitlines()[0]
    assert "hmac" not in err.lower() and "ERROR" not in err  # no SQLCipher noise


def test_terminal_prompts_for_the_passphrase_with_retries(cli, db_path, monkeypatch, terminal):
    typed, prompts = terminal
    assert cli(*INIT)[0] == 0
    monkeypatch.delenv("KESOS_PASSPHRASE")
    typed[:] = ["salah-sekali", TEST_PASSPHRASE]
    code, out, err = cli("info")
    assert code == 0, err
    assert "Kata sandi salah. Coba lagi." in err
    assert len(prompts) == 2 and "Kata sandi basis data" in prompts[0]
    typed[:] = ["a1", "b2", "c3"]
    code, out, err = cli("info")
    assert code == 1 and "salah 3 kali" in err


def test_init_on_a_terminal_asks_twice(cli, db_path, monkeypatch, terminal):
    typed, prompts = terminal
    monkeypatch.delenv("KESOS_PASSPHRASE")
    typed[:] = ["pendek", "Sandi-Terminal-1", "Sandi-Lain-2", "Sandi-Terminal-1", "Sandi-Terminal-1"]
    code, out, err = cli(*INIT)
    assert code == 0, err
    assert "terlalu pendek" in err and "tidak sama" in err
    assert "KODE PEMULIHAN" in out
    monkeypatch.setenv("KESOS_PASSPHRASE", "Sandi-Terminal-1")
    assert cli("info")[0] == 0


def test_enkripsi_migrates_a_plain_database_and_removes_plain_backups(cli, db_path, monkeypatch):
    monkeypatch.delenv("KESOS_PASSPHRASE")
    assert cli(*INIT, "--tanpa-sandi")[0] == 0
    assert cli("backup", "--auto")[0] == 0
    plain_backups = list((db_path.parent / "cadangan").glob("*.db"))
    assert plain_backups and plain_backups[0].read_bytes().startswith(sandi.SQLITE_HEADER)
    monkeypatch.setenv("KESOS_PASSPHRASE", "Sandi-Migrasi-1")
    code, out, err = cli("enkripsi", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["terenkripsi"] and report["kode_pemulihan"]
    assert sandi.looks_encrypted(db_path)
    backups = list((db_path.parent / "cadangan").glob("*.db"))
    assert backups and all(sandi.looks_encrypted(b) for b in backups)
    assert cli("info")[0] == 0
    code, out, err = cli("enkripsi")
    assert code == 1 and "sudah terenkripsi" in err


def test_ganti_sandi_and_recovery_code(cli, db_path, monkeypatch):
    code, out, _ = cli(*INIT, "--json")
    first_code = json.loads(out)["kode_pemulihan"]
    monkeypatch.setenv("KESOS_PASSPHRASE_BARU", "Sandi-Kedua-22")
    code, out, err = cli("ganti-sandi", "--json")
    assert code == 0, err
    second_code = json.loads(out)["kode_pemulihan"]
    assert second_code != first_code
    code, out, err = cli("info")
    assert code == 1  # the old passphrase no longer opens it
    monkeypatch.setenv("KESOS_PASSPHRASE", "Sandi-Kedua-22")
    assert cli("info")[0] == 0
    # forgotten: the recovery code of the current key resets it
    monkeypatch.delenv("KESOS_PASSPHRASE")
    monkeypatch.setenv("KESOS_PASSPHRASE_BARU", "Sandi-Ketiga-33")
    code, out, err = cli("ganti-sandi", "--kode-pemulihan", first_code)
    assert code == 1 and "salah" in err  # the first code died with the first passphrase
    code, out, err = cli("ganti-sandi", "--kode-pemulihan", second_code)
    assert code == 0, err
    monkeypatch.setenv("KESOS_PASSPHRASE", "Sandi-Ketiga-33")
    assert cli("info")[0] == 0


def test_dinas_key_export_import_and_sealed_recovery(cli, db_path, tmp_path, monkeypatch):
    dinas = tmp_path / "dinas.db"
    assert cli("init", "--kelurahan", "61.71", "--operator", "Operator Dinas", "--peran", "DINAS", db=dinas)[0] == 0
    key_file = tmp_path / "kunci-dinas.json"
    code, out, err = cli("dinas", "export-key", "--out", key_file, "--json", db=dinas)
    assert code == 0, err
    fingerprint = json.loads(out)["sidik_jari"]
    assert json.loads(key_file.read_text())["sidik_jari"] == fingerprint
    # the same key every time
    cli("dinas", "export-key", "--out", tmp_path / "lagi.json", db=dinas)
    assert json.loads((tmp_path / "lagi.json").read_text())["kunci_publik"] == \
        json.loads(key_file.read_text())["kunci_publik"]

    code, out, _ = cli(*INIT, "--json")
    recovery = json.loads(out)["kode_pemulihan"]
    code, out, err = cli("import-dinas-key", key_file)
    assert code == 0, err
    assert fingerprint in out and "Kunci Dinas diimpor" in out
    sealed = db_path.with_name(db_path.name + ".pemulihan")
    assert sealed.exists() and recovery.replace("-", "") not in sealed.read_text()
    code, out, err = cli("import-dinas-key", key_file)
    assert code == 0 and "tidak ada yang berubah" in out

    # the Dinas opens the sealed recovery file: the same code the operator saw once
    code, out, err = cli("dinas", "buka-pemulihan", sealed, "--json", db=dinas)
    assert code == 0, err
    assert json.loads(out)["kode_pemulihan"] == recovery
    # a field database cannot open it
    code, out, err = cli("dinas", "buka-pemulihan", sealed)
    assert code == 1


def test_import_dinas_key_refusals(cli, db_path, tmp_path):
    dinas = tmp_path / "dinas.db"
    assert cli("init", "--kelurahan", "61.72", "--operator", "Dinas Singkawang", "--peran", "DINAS", db=dinas)[0] == 0
    other = tmp_path / "kunci-lain.json"
    assert cli("dinas", "export-key", "--out", other, db=dinas)[0] == 0
    assert cli(*INIT)[0] == 0
    code, out, err = cli("import-dinas-key", other)
    assert code == 1 and "bukan kabupaten/kota" in err
    junk = tmp_path / "bukan.json"
    junk.write_text("{}")
    code, out, err = cli("import-dinas-key", junk)
    assert code == 1 and "bukan berkas kunci Dinas" in err
    code, out, err = cli("dinas", "export-key", "--out", tmp_path / "x.json")
    assert code == 1 and "Dinas" in err


def test_import_dinas_key_replacement_needs_ganti(cli, db_path, tmp_path):
    first, second = tmp_path / "d1.db", tmp_path / "d2.db"
    for path in (first, second):
        assert cli("init", "--kelurahan", "61.71", "--operator", "Dinas", "--peran", "DINAS", db=path)[0] == 0
        assert cli("dinas", "export-key", "--out", path.with_suffix(".json"), db=path)[0] == 0
    assert cli(*INIT)[0] == 0
    assert cli("import-dinas-key", first.with_suffix(".json"))[0] == 0
    code, out, err = cli("import-dinas-key", second.with_suffix(".json"))
    assert code == 1 and "--ganti" in err
    code, out, err = cli("import-dinas-key", second.with_suffix(".json"), "--ganti")
    assert code == 0 and "diganti" in out


def test_backup_auto_rotates(cli, db_path, monkeypatch):
    assert cli(*INIT)[0] == 0
    for day in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"):
        monkeypatch.setenv("KESOS_TODAY", day)
        code, out, err = cli("backup", "--auto")
        assert code == 0, err
    from db.connection import open_database
    from db.cadangan import set_keep_count

    database = open_database(db_path)
    set_keep_count(database, 2)
    database.close()
    monkeypatch.setenv("KESOS_TODAY", "2026-01-05")
    code, out, err = cli("backup", "--auto", "--json")
    assert code == 0, err
    names = sorted(p.name for p in (db_path.parent / "cadangan").iterdir())
    assert names == ["kesos-2026-01-04.db", "kesos-2026-01-05.db"]
    assert all(sandi.looks_encrypted(db_path.parent / "cadangan" / n) for n in names)
    code, out, err = cli("backup")
    assert code == 2 and "--out" in err


def test_restore_an_encrypted_backup(cli, db_path, tmp_path):
    assert cli(*INIT)[0] == 0
    backup = tmp_path / "cadangan.db"
    assert cli("backup", "--out", backup)[0] == 0
    assert sandi.looks_encrypted(backup)
    code, out, err = cli("restore", backup)
    assert code == 0, err
    assert cli("check")[0] == 0


def test_exports_of_personal_data_are_logged(cli, db_path, tmp_path):
    from db.connection import open_database
    from db.ekspor_log import daftar_ekspor

    assert cli(*INIT)[0] == 0
    assert cli("list", "ppks")[0] == 0
    assert cli("backup", "--out", tmp_path / "salinan.db")[0] == 0
    bad = tmp_path / "ppks.csv"
    bad.write_text("NIK,Nama,Kategori PPKS\n123,Ahmad,8\n", encoding="utf-8")
    cli("import", "ppks", bad, "--errors", tmp_path / "kesalahan.xlsx")
    database = open_database(db_path)
    rows = {r["jenis"]: r for r in daftar_ekspor(database)}
    database.close()
    assert rows["cli_list:ppks"]["jumlah"] == 0 and rows["cli_list:ppks"]["operator"] == "Siti Aminah"
    assert rows["cadangan"]["berkas"] == str(tmp_path / "salinan.db")
    assert rows["laporan_kesalahan"]["berkas"] == str(tmp_path / "kesalahan.xlsx")
    assert rows["laporan_kesalahan"]["jumlah"] == 1
