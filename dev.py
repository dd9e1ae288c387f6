#!/usr/bin/env python3
"""Developer entry point: one command to run the app, one to test it.

    python3 dev.py run [--demo]   set up .venv if needed, start the GUI
    python3 dev.py test [ARGS]    set up .venv with test extras, run pytest offscreen
    python3 dev.py bench [NAME]   run benchmarks, print a markdown table
    python3 dev.py installer      build the installer bundle and smoke-test it

Only the standard library is used here: it runs before anything is installed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# Shared libraries PySide6 needs to start offscreen on a bare Debian/Ubuntu
# (checked on a minimal bookworm): soname -> Debian package.
QT_SYSTEM_LIBS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
# To show a real window (not needed offscreen), the xcb platform plugin also needs these.
QT_XCB_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
}


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(cmd: list, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def missing_libs(libs: dict[str, str]) -> list[str]:
    if not sys.platform.startswith("linux"):
        return []
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    return sorted({pkg for so, pkg in libs.items() if so not in out})


_apt_updated = False


def apt_install(packages: list[str], why: str) -> None:
    global _apt_updated
    if not packages:
        return
    if not (is_root() and shutil.which("apt-get")):
        say(f"Pasang paket sistem berikut ({why}): sudo apt-get install {' '.join(packages)}")
        return
    say(f"apt-get install {' '.join(packages)} ({why})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        run(["apt-get", "update", "-qq"], env=env)
        _apt_updated = True
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], env=env)


def ensure_venv() -> None:
    if PY.exists():
        return
    say("membuat .venv")
    try:
        run([sys.executable, "-m", "venv", VENV])
    except subprocess.CalledProcessError:
        # Debian/Ubuntu split venv/ensurepip into python3-venv.
        shutil.rmtree(VENV, ignore_errors=True)
        ver = f"{sys.version_info.major}.{sys.version_info.minor}"
        apt_install([f"python{ver}-venv"], "modul venv Python")
        run([sys.executable, "-m", "venv", VENV])


def ensure_installed(extras: str = "") -> None:
    ensure_venv()
    stamp = VENV / f".installed{extras or ''}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    say(f"memasang proyek ({target}) ke .venv")
    run([PY, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([PY, "-m", "pip", "install", "-q", "-e", target], cwd=ROOT)
    stamp.write_text(digest)


def cmd_run(args: list[str]) -> int:
    headless = (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
                and not os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"))
    if headless:
        say("Tidak ada layar (DISPLAY/WAYLAND_DISPLAY kosong). Jalankan dari desktop, "
            "atau tanpa layar dengan QT_QPA_PLATFORM=offscreen.")
        return 1
    apt_install(missing_libs(QT_SYSTEM_LIBS), "pustaka sistem Qt")
    if os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        apt_install(missing_libs(QT_XCB_LIBS), "pustaka tampilan X11 Qt")
    ensure_installed()
    return subprocess.call([str(PY), "-m", "desktop.app", *args], cwd=ROOT)


def cmd_test(args: list[str]) -> int:
    apt_install(missing_libs(QT_SYSTEM_LIBS), "pustaka sistem Qt untuk uji tanpa layar")
    ensure_installed("test")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)


def cmd_bench(args: list[str]) -> int:
    apt_install(missing_libs(QT_SYSTEM_LIBS), "pustaka sistem Qt")
    ensure_installed("test")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(PY), "-m", "bench", *args], cwd=ROOT, env=env)


def cmd_installer(args: list[str]) -> int:
    apt_install(missing_libs(QT_SYSTEM_LIBS), "pustaka sistem Qt")
    ensure_installed("test,installer")
    return subprocess.call([str(PY), str(ROOT / "build_installer.py"), *args], cwd=ROOT)


COMMANDS = {"run": cmd_run, "test": cmd_test, "bench": cmd_bench, "installer": cmd_installer}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
