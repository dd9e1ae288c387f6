"""build_installer.py's logic on any OS, with sys.platform and subprocess faked (Anki's approach)."""
import subprocess
import tarfile
from pathlib import Path

import pytest

import build_installer as bi


class FakeRunner:
    """Records commands; makes PyInstaller 'produce' a bundle folder."""

    def __init__(self, test_rc=0, fail_on=None):
        self.calls = []
        self.test_rc = test_rc
        self.fail_on = fail_on

    def __call__(self, cmd, **kw):
        self.calls.append([str(c) for c in cmd])
        joined = " ".join(map(str, cmd))
        if list(map(str, cmd[1:3])) == ["-m", "pytest"]:
            return subprocess.CompletedProcess(cmd, self.test_rc)
        if self.fail_on and str(cmd[0]) == self.fail_on:
            return subprocess.CompletedProcess(cmd, 1)
        if "PyInstaller" in joined:
            dist = Path(cmd[cmd.index("--distpath") + 1])
            name = cmd[cmd.index("--name") + 1]
            (dist / name).mkdir(parents=True, exist_ok=True)
            (dist / name / name).write_text("exe")
        return subprocess.CompletedProcess(cmd, 0)


@pytest.mark.parametrize("plat,kind", [("linux", "linux"), ("win32", "windows"), ("darwin", "macos")])
def test_platform_kind(plat, kind):
    assert bi.platform_kind(plat) == kind


def test_refuses_to_package_when_tests_fail(tmp_path, capsys):
    runner = FakeRunner(test_rc=1)
    assert bi.main(["--out", str(tmp_path / "o")], runner=runner, sys_platform="linux") == 1
    assert not any("PyInstaller" in " ".join(c) for c in runner.calls)
    assert "Uji gagal" in capsys.readouterr().err


def test_linux_build_makes_tarball_with_desktop_file(tmp_path):
    runner = FakeRunner()
    out = tmp_path / "o"
    assert bi.main(["--out", str(out), "--no-smoke"], runner=runner, sys_platform="linux") == 0
    py = [c for c in runner.calls if "PyInstaller" in " ".join(c)]
    assert len(py) == 1 and "--onedir" in py[0] and "resources:resources" in " ".join(py[0])
    tarball = next(out.glob("KesosLapangan-*-linux-x86_64.tar.gz"))
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    assert any(n.endswith("/install.sh") for n in names)
    assert any(n.endswith("/kesos-lapangan.desktop.in") for n in names)


def test_windows_plan_is_per_user_with_shortcuts_and_keeps_data(tmp_path):
    runner = FakeRunner()
    out = tmp_path / "o"
    assert bi.main(["--out", str(out), "--no-smoke", "--skip-tests"], runner=runner, sys_platform="win32") == 0
    iss = (out / "kesos.iss").read_text()
    assert "PrivilegesRequired=lowest" in iss
    assert "{userdesktop}" in iss and "{group}" in iss
    assert "UninstallDelete" not in iss.split("; The database")[0]
    assert "Languages\\Indonesian.isl" in iss
    cmds = [" ".join(c) for c in runner.calls]
    assert any("--windowed" in c for c in cmds)
    assert cmds[-1].startswith("iscc")
    assert ";resources" in cmds[0]  # Windows uses ';' in --add-data


def test_a_failing_step_stops_the_build(tmp_path):
    runner = FakeRunner(fail_on="iscc")
    assert bi.main(["--out", str(tmp_path / "o"), "--no-smoke", "--skip-tests"], runner=runner, sys_platform="win32") == 1


def test_desktop_entry_opens_gui():
    entry = bi.desktop_entry("/opt/k", "1.2.3")
    assert "Exec=/opt/k/kesos gui" in entry and "Terminal=false" in entry


def test_smoke_test_fails_on_traceback(tmp_path):
    def runner(cmd, **kw):
        return subprocess.CompletedProcess(cmd, 0, stdout="Kesos Lapangan 0.1.0", stderr="Traceback (most recent call last)")

    with pytest.raises(SystemExit, match="uji asap gagal"):
        bi.smoke_test(tmp_path, "linux", runner)
