"""The real entry point starts, shows its first window and exits (smoke test)."""
import os
import subprocess
import sys


def _start(args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KESOS_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "desktop.app", *args, "--exit-when-shown"], env=env,
                          capture_output=True, text=True, timeout=120)


def test_first_start_shows_wizard_on_new_database(tmp_path):
    proc = _start(["--db", str(tmp_path / "baru.db")], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "baru.db").exists()
    assert "Traceback" not in proc.stderr


def test_start_with_initialised_database_opens_main_window(tmp_path, db, db_path):
    db.close()
    proc = _start(["--db", str(db_path)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_start_on_a_non_database_file_exits_1_untouched(tmp_path):
    bad = tmp_path / "bukan.db"
    bad.write_text("bukan basis data" * 20)
    proc = _start(["--db", str(bad)], tmp_path)
    assert proc.returncode == 1
    assert "bukan basis data" in proc.stderr
    assert bad.read_text() == "bukan basis data" * 20
