#!/usr/bin/env python3
"""Build the installer for the platform this runs on (ENGINEERING.md §8).

- Linux: a self-contained folder (PyInstaller onedir: no system Python
  needed) with a ``.desktop`` file and an icon, packed as a ``.tar.gz``.
- Windows: the same frozen folder wrapped by Inno Setup into a per-user
  installer (no admin rights), Start-menu and desktop shortcuts, data kept in
  %APPDATA%\\KesosLapangan (the uninstaller leaves it alone).
- macOS: the frozen folder only (no signed .app/.dmg yet).

It refuses to package when the tests fail, then smoke-tests the bundle
unattended: ``kesos --version``, ``init``, ``demo``, ``recap``, ``receipt``
from the bundle with a temporary data folder and dialogs off, plus the GUI
start time. The logic is small pure functions; ``tests/test_installer.py``
drives them on any OS by faking ``sys.platform`` and the subprocess runner.

Usage: python3 dev.py installer [--skip-tests] [--no-smoke]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent
APP_NAME = "KesosLapangan"
DISPLAY_NAME = "Kesos Lapangan"
EXE = "kesos"


def project_version(root: Path = ROOT) -> str:
    """APP_VERSION from db/version.py (pyproject.toml takes its version from there too)."""
    import re

    text = (root / "db" / "version.py").read_text(encoding="utf-8")
    return re.search(r'^APP_VERSION = "([^"]+)"', text, re.M).group(1)


def platform_kind(sys_platform: str) -> str:
    if sys_platform.startswith("win"):
        return "windows"
    if sys_platform == "darwin":
        return "macos"
    if sys_platform.startswith("linux"):
        return "linux"
    raise SystemExit(f"platform {sys_platform} tidak didukung")


def exe_name(kind: str, base: str = EXE) -> str:
    return base + (".exe" if kind == "windows" else "")


def pyinstaller_args(kind: str, root: Path, work: Path, dist: Path) -> list[str]:
    """Arguments for one onedir build holding both the CLI and the GUI entry.

    One executable serves both (``kesos`` = CLI, ``kesos gui`` = window), so the
    heavy Qt libraries are bundled once. On Windows a second, windowed launcher
    avoids a console window behind the GUI.
    """
    sep = ";" if kind == "windows" else ":"
    args = [
        "--noconfirm", "--clean", "--onedir",
        "--name", EXE,
        "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
        "--add-data", f"{root / 'resources'}{sep}resources",
        "--add-data", f"{root / 'docs'}{sep}docs",
        # reportlab loads its barcode modules by name at run time (QR on receipts).
        "--collect-submodules", "reportlab.graphics.barcode",
        "--collect-submodules", "desktop",
        "--collect-submodules", "db",
        "--collect-submodules", "exporters",
        "--copy-metadata", "kesos-lapangan",
        "--exclude-module", "tkinter",
        "--exclude-module", "pytest",
        "--exclude-module", "hypothesis",
    ]
    icon = root / "resources" / "icons" / ("kesos.ico" if kind == "windows" else "kesos.png")
    if icon.exists() and kind == "windows":
        args += ["--icon", str(icon)]
    args.append(str(root / "build_entry.py"))
    return args


def windows_gui_args(root: Path, work: Path, dist: Path) -> list[str]:
    """A second, windowed launcher (no console window); its exe is copied next to ``kesos.exe``."""
    return ["--noconfirm", "--onedir", "--windowed", "--name", f"{EXE}-gui",
            "--distpath", str(dist / "gui"), "--workpath", str(work / "gui"), "--specpath", str(work),
            "--add-data", f"{root / 'resources'};resources", "--add-data", f"{root / 'docs'};docs",
            "--collect-submodules", "reportlab.graphics.barcode", "--collect-submodules", "desktop", "--collect-submodules", "db", "--collect-submodules", "exporters",
            "--copy-metadata", "kesos-lapangan", str(root / "build_entry_gui.py")]


def desktop_entry(install_dir: str, version: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={DISPLAY_NAME}",
        "Comment=Pendataan dan pelayanan kesejahteraan sosial tanpa internet",
        f"Exec={install_dir}/{EXE} gui",
        f"Icon={install_dir}/kesos.png",
        "Terminal=false",
        "Categories=Office;Database;",
        f"X-Kesos-Version={version}",
        "",
    ])


def linux_install_script() -> str:
    """install.sh shipped in the tarball: per-user install, no root needed."""
    return """#!/bin/sh
# Pasang Kesos Lapangan untuk pengguna ini (tanpa hak admin).
set -e
SRC="$(cd "$(dirname "$0")" && pwd)"
DEST="${XDG_DATA_HOME:-$HOME/.local/share}/KesosLapangan-app"
mkdir -p "$DEST" "$HOME/.local/share/applications" "$HOME/.local/bin"
cp -a "$SRC/." "$DEST/"
sed "s#@INSTALL_DIR@#$DEST#g" "$SRC/kesos-lapangan.desktop.in" > "$HOME/.local/share/applications/kesos-lapangan.desktop"
ln -sf "$DEST/kesos" "$HOME/.local/bin/kesos"
echo "Kesos Lapangan terpasang di $DEST. Buka dari menu aplikasi atau jalankan: kesos gui"
"""


def inno_setup_script(version: str, source_dir: str, output_dir: str) -> str:
    """Per-user installer: no admin rights, shortcuts, data left in place on uninstall."""
    return f"""; Generated by build_installer.py
[Setup]
AppId={{{{8E4B6C52-6F1E-4B55-9C1D-KESOSLAPANGAN}}}}
AppName={DISPLAY_NAME}
AppVersion={version}
AppPublisher=Kesos Lapangan
DefaultDirName={{localappdata}}\\Programs\\{APP_NAME}
DefaultGroupName={DISPLAY_NAME}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={output_dir}
OutputBaseFilename={APP_NAME}-{version}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={{app}}\\{EXE}.exe

[Languages]
Name: "id"; MessagesFile: "compiler:Languages\\Indonesian.isl"

[Tasks]
Name: "desktopicon"; Description: "Buat pintasan di desktop"; GroupDescription: "Pintasan:"

[Files]
Source: "{source_dir}\\*"; DestDir: "{{app}}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{{group}}\\{DISPLAY_NAME}"; Filename: "{{app}}\\{EXE}-gui.exe"
Name: "{{group}}\\Hapus {DISPLAY_NAME}"; Filename: "{{uninstallexe}}"
Name: "{{userdesktop}}\\{DISPLAY_NAME}"; Filename: "{{app}}\\{EXE}-gui.exe"; Tasks: desktopicon

; The database lives in {{userappdata}}\\{APP_NAME} and is deliberately not listed
; under [UninstallDelete]: uninstalling never deletes field data.
"""


@dataclass
class Plan:
    kind: str
    version: str
    dist: Path
    steps: list[list[str]] = field(default_factory=list)
    artifact: Path | None = None


def plan_build(kind: str, root: Path, out: Path, version: str, python: str = sys.executable) -> Plan:
    work = out / "work"
    dist = out / "dist"
    plan = Plan(kind=kind, version=version, dist=dist / EXE)
    plan.steps.append([python, "-m", "PyInstaller", *pyinstaller_args(kind, root, work, dist)])
    if kind == "windows":
        plan.steps.append([python, "-m", "PyInstaller", *windows_gui_args(root, work, dist)])
        plan.steps.append([python, "-c",
                           "import shutil,sys; shutil.copyfile(sys.argv[1], sys.argv[2])",
                           str(dist / "gui" / f"{EXE}-gui" / f"{EXE}-gui.exe"), str(dist / EXE / f"{EXE}-gui.exe")])
        plan.steps.append(["iscc", str(out / "kesos.iss")])
        plan.artifact = out / f"{APP_NAME}-{version}-setup.exe"
    elif kind == "linux":
        plan.artifact = out / f"{APP_NAME}-{version}-linux-x86_64.tar.gz"
    else:
        plan.artifact = plan.dist
    return plan


Runner = Callable[..., subprocess.CompletedProcess]


def run_tests(runner: Runner, root: Path = ROOT) -> bool:
    proc = runner([sys.executable, "-m", "pytest", "-q", "-x"], cwd=str(root),
                  env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return proc.returncode == 0


def finish_linux_bundle(plan: Plan, root: Path) -> Path:
    bundle = plan.dist
    icon = root / "resources" / "icons" / "kesos.png"
    if icon.exists():
        shutil.copyfile(icon, bundle / "kesos.png")
    (bundle / "kesos-lapangan.desktop.in").write_text(desktop_entry("@INSTALL_DIR@", plan.version), encoding="utf-8")
    script = bundle / "install.sh"
    script.write_text(linux_install_script(), encoding="utf-8")
    script.chmod(0o755)
    with tarfile.open(plan.artifact, "w:gz") as tar:
        tar.add(bundle, arcname=f"{APP_NAME}-{plan.version}")
    return plan.artifact


def smoke_test(bundle: Path, kind: str, runner: Runner = subprocess.run) -> dict:
    """Run the frozen app unattended; raise SystemExit on any unexpected error."""
    exe = bundle / exe_name(kind)
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="kesos-smoke-") as tmp:
        env = dict(os.environ, KESOS_DATA_DIR=tmp, KESOS_NO_DIALOGS="1", QT_QPA_PLATFORM="offscreen",
                   KESOS_PASSPHRASE="uji-asap-123")
        db = str(Path(tmp) / "smoke.db")

        def call(*args, expect=0):
            t0 = time.perf_counter()
            proc = runner([str(exe), *args], env=env, capture_output=True, text=True, timeout=300)
            elapsed = time.perf_counter() - t0
            if proc.returncode != expect or "Traceback" in (proc.stderr or ""):
                raise SystemExit(f"uji asap gagal: {' '.join(args)} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
            return proc, elapsed

        proc, _ = call("--version")
        report["version"] = proc.stdout.strip()
        call("--db", db, "init", "--kelurahan", "61.71.03.1001", "--operator", "Uji Asap", "--peran", "PSM",
             *init_extra(bundle, kind, runner, env))
        call("--db", db, "demo")
        proc, _ = call("--db", db, "info", "--json")
        report["counts"] = json.loads(proc.stdout)["counts"]
        period = time.strftime("%Y-%m")
        call("--db", db, "recap", "--period", period, "--out", str(Path(tmp) / "rekap.xlsx"))
        proc, _ = call("--db", db, "list", "layanan", "--json")
        first = json.loads(proc.stdout.splitlines()[0])
        call("--db", db, "receipt", first["id"], "--out", str(Path(tmp) / "tt.pdf"))
        for f in ("rekap.xlsx", "tt.pdf"):
            if not (Path(tmp) / f).stat().st_size:
                raise SystemExit(f"uji asap gagal: {f} kosong")
        starts = []
        for _ in range(3):
            _, elapsed = call("--db", db, "gui", "--exit-when-shown")
            starts.append(elapsed)
        report["gui_start_s"] = sorted(starts)[1]
    report["bundle_mb"] = round(dir_size(bundle) / 1e6, 1)
    return report


def init_extra(bundle: Path, kind: str, runner: Runner, env: dict) -> list[str]:
    """``--tanpa-sandi`` is not needed: KESOS_PASSPHRASE is set. Kept as a hook for options."""
    return []


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None, *, runner: Runner = subprocess.run,
         sys_platform: str = sys.platform) -> int:
    p = argparse.ArgumentParser(description="Bangun installer Kesos Lapangan untuk platform ini")
    p.add_argument("--out", default=str(ROOT / "build" / "installer"))
    p.add_argument("--skip-tests", action="store_true", help="jangan jalankan uji dulu (tidak untuk rilis)")
    p.add_argument("--no-smoke", action="store_true")
    args = p.parse_args(argv)
    kind = platform_kind(sys_platform)
    out = Path(args.out)
    if not args.skip_tests and not run_tests(runner):
        print("Uji gagal: installer tidak dibuat.", file=sys.stderr)
        return 1
    version = project_version()
    plan = plan_build(kind, ROOT, out, version)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if kind == "windows":
        (out / "kesos.iss").write_text(inno_setup_script(version, str(plan.dist), str(out)), encoding="utf-8")
    for step in plan.steps:
        proc = runner(step, cwd=str(ROOT))
        if proc.returncode != 0:
            print(f"Langkah gagal: {' '.join(step[:3])}…", file=sys.stderr)
            return 1
    if kind == "linux":
        finish_linux_bundle(plan, ROOT)
    report = {"artifact": str(plan.artifact)}
    if not args.no_smoke:
        report.update(smoke_test(plan.dist, kind, runner))
    if plan.artifact and plan.artifact.is_file():
        report["artifact_mb"] = round(plan.artifact.stat().st_size / 1e6, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
