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


def test_main_window_is_painted_before_the_rest_of_the_start(tmp_path, db, db_path):
    """The fast start paints first (KESOS_SHOWN), then adds the security bar and the dashboard."""
    db.close()
    probe = tmp_path / "probe.py"
    # At the first paint the data layer's heavy library must not have been needed yet.
    probe.write_text(
        "import sys, runpy\n"
        "import builtins\n"
        "real_print = builtins.print\n"
        "def print(*a, **k):\n"
        "    if a and a[0] == 'KESOS_SHOWN':\n"
        "        real_print('SQLITE_UTILS_LOADED' if 'sqlite_utils' in sys.modules else 'SQLITE_UTILS_LATER')\n"
        "    real_print(*a, **k)\n"
        "builtins.print = print\n"
        "sys.argv = ['desktop.app'] + sys.argv[1:]\n"
        "runpy.run_module('desktop.app', run_name='__main__')\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KESOS_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, str(probe), "--db", str(db_path), "--exit-when-shown"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("KESOS_", "SQLITE_"))]
    assert lines == ["SQLITE_UTILS_LATER", "KESOS_SHOWN", "KESOS_READY"], proc.stdout


def test_log_is_rotated_at_start(tmp_path):
    from desktop.errors import rotate_log

    log = tmp_path / "kesos.log"
    log.write_text("x" * 50)
    rotate_log(log, max_bytes=100, backups=3)
    assert log.exists()  # small: kept
    for n in range(5):
        log.write_text(f"isi {n} " + "x" * 200)
        rotate_log(log, max_bytes=100, backups=3)
        assert not log.exists()
    # the newest three survive, newest first
    assert [(tmp_path / f"kesos.log.{n}").read_text()[:5] for n in (1, 2, 3)] == ["isi 4", "isi 3", "isi 2"]
    assert not (tmp_path / "kesos.log.4").exists()
