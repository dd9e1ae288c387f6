"""Foundation: start-up costs on a kota-sized database (~150,000 people, ~600,000 services)."""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import data
from bench.harness import Case, Result, Skip, run_process, time_until_line

HERE = Path(__file__).resolve().parent
# Keep the app's log files and settings away from the developer's real data folder.
_DATA_DIR = tempfile.mkdtemp(prefix="kesos-bench-")
ENV = {"KESOS_DATA_DIR": _DATA_DIR, "QT_QPA_PLATFORM": "offscreen", "KESOS_NO_DIALOGS": "1"}


def kesos_command() -> list[str]:
    """The installed ``kesos`` console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).parent / ("kesos.exe" if os.name == "nt" else "kesos")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "desktop.cli.main"]


def compile_like_installed() -> None:
    """Write the project's bytecode, as pip or the installer bundle do.

    An editable install run with PYTHONDONTWRITEBYTECODE (as on CI machines)
    otherwise compiles every module from source at each start (~150 ms of the GUI
    start), which no installed copy does.
    """
    import compileall

    root = HERE.parent
    for package in ("db", "desktop", "exporters"):
        compileall.compile_dir(str(root / package), quiet=1)


def _check(run, what: str) -> None:
    if run.returncode != 0:
        tail = run.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"{what} exit {run.returncode}: {' / '.join(tail)}")


# (a) ------------------------------------------------------------------------

def cold_info(path: Path) -> Result:
    run = run_process([*kesos_command(), "--db", str(path), "info"], env=ENV)
    _check(run, "kesos info")
    return Result(value=run.seconds, peak_memory=run.peak_rss)


# (b) ------------------------------------------------------------------------

def open_db(path: Path) -> None:
    from db.connection import open_database

    db = open_database(path)
    db.close()


# (c) ------------------------------------------------------------------------

def info_setup() -> Path:
    compile_like_installed()
    return data.database("kota")


def gui_setup() -> Path:
    if importlib.util.find_spec("desktop.app") is None:
        raise Skip("desktop.app missing")
    compile_like_installed()
    # A private copy: the app writes beside its database (daily backups), and the
    # cached file must stay as built.
    tmp = Path(tempfile.mkdtemp(prefix="kesos-bench-gui-"))
    return data.copy_of("kota", tmp / "kota.db")


def gui_teardown(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def gui_ratio(path: Path) -> Result:
    # Both are timed from launch to their "KESOS_SHOWN" line, printed right after the first
    # paint: the app's shutdown work (e.g. the daily backup on quit) is not start-up time.
    # The app goes on after its paint (security bar, app lock, Beranda's dashboard) until
    # "KESOS_READY": reported in the note, so nothing moved after the paint goes unseen.
    app = time_until_line([sys.executable, "-m", "desktop.app", "--db", str(path), "--exit-when-shown"],
                          "KESOS_SHOWN", later=("KESOS_READY",), env=ENV)
    _check(app, "desktop.app")
    bare = time_until_line([sys.executable, str(HERE / "bare_window.py")], "KESOS_SHOWN", env=ENV)
    _check(bare, "bare_window.py")
    return Result(value=app.seconds / bare.seconds, peak_memory=app.peak_rss,
                  note=(f"app painted {app.seconds:.2f} s (start finished {app.marks['KESOS_READY']:.2f} s) "
                        f"vs bare window {bare.seconds:.2f} s"))


# extra: the generator itself ---------------------------------------------------

def build_kelurahan() -> Result:
    from db.synthetic import build_database

    with tempfile.TemporaryDirectory() as tmp:
        report = build_database(Path(tmp) / "k.db", "kelurahan", today=data.DATA_TODAY)
    return Result(value=report.seconds, note=f"{report.counts['orang']:,} orang, {report.counts['layanan']:,} layanan")


CASES = [
    Case("cold start: kesos info (subprocess)", cold_info, size="kota", setup=info_setup,
         unit="s", target="< 0.5 s"),
    Case("open_database, nothing to migrate", open_db, size="kota", setup=lambda: data.database("kota"),
         unit="ms", target="< 100 ms"),
    Case("GUI start to main window painted / bare window", gui_ratio, size="kota", setup=gui_setup,
         teardown=gui_teardown, unit="×", target="< 2×"),
    Case("synthetic data: build kelurahan database", build_kelurahan, size="kelurahan", unit="s",
         target="(info)", warmup=0),
]
