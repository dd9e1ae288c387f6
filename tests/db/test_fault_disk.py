"""Full disks and read-only folders: a clear message, nothing lost, no half file (small tmpfs mounts)."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from db import cadangan, records
from db.backup import backup_to, verify_backup
from db.connection import integrity_problems, open_database
from db.errors import KnownError
from db.gangguan import atomic_write, known_error


@pytest.fixture
def mount_tmpfs(tmp_path):
    """``mount_tmpfs(name, size, read_only=False) -> folder``: a small tmpfs (root only)."""
    mounts = []

    def _mount(name: str, size: str, read_only: bool = False):
        if os.geteuid() != 0:
            pytest.skip("mounting a tmpfs needs root")
        target = tmp_path / name
        target.mkdir(exist_ok=True)
        opts = f"size={size}" + (",ro" if read_only else "")
        if subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(target)]).returncode:
            pytest.skip("cannot mount a tmpfs here")
        mounts.append(target)
        return target

    yield _mount
    for m in reversed(mounts):
        subprocess.run(["umount", "-l", str(m)])


def _fill(folder, leave_bytes: int) -> None:
    """Fill a tmpfs until only about ``leave_bytes`` are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / "pengisi.bin", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_bytes))


def test_backup_to_a_full_disk(db, mount_tmpfs):
    records.insert(db, "orang", {"nama": "Sebelum Penuh", "kode_wilayah": "61.71.03.1001"})
    full = mount_tmpfs("usb", "2m")
    with pytest.raises(KnownError) as info:
        backup_to(db, full / "cadangan.db")
    assert info.value.pesan.startswith("Disk penuh: cadangan tidak dapat ditulis")
    assert "Data yang sudah tersimpan sebelumnya tetap aman" in info.value.pesan
    assert os.listdir(full) == []  # no half backup, no temporary file
    assert integrity_problems(db) == []
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 1


def test_daily_backup_on_a_full_disk_keeps_the_previous_one(db, db_path, mount_tmpfs, monkeypatch):
    folder = mount_tmpfs("cadangan", "14m")
    assert folder == cadangan.backup_dir(db_path)
    monkeypatch.setenv("KESOS_TODAY", "2026-02-01")
    first = cadangan.auto_backup(db, db_path)
    monkeypatch.setenv("KESOS_TODAY", "2026-02-02")
    with pytest.raises(KnownError, match="Disk penuh"):
        cadangan.auto_backup(db, db_path)
    assert [b.path for b in cadangan.list_backups(db_path)] == [first]
    assert verify_backup(first)["install_id"]
    assert sorted(os.listdir(folder)) == [first.name]


def test_database_hitting_a_full_disk_keeps_every_commit(tmp_path, mount_tmpfs):
    """SQLITE_FULL in the middle of a write: the write is undone whole, the rest stays, writing resumes."""
    disk = mount_tmpfs("disk", "3m")
    path = disk / "kesos.db"
    db = open_database(path, create=True, load_reference=False)
    db["install"].insert({"singleton": 1, "install_id": "01FULLTEST0000000000000000", "peran": "PSM",
                          "kode_wilayah": "61.71.03.1001", "operator_nama": "Uji", "created_at": "2026-01-01",
                          "app_version": "uji"})
    _fill(disk, 1_000_000)
    saved = []
    with pytest.raises(Exception) as info:
        for i in range(10_000):
            with db.atomic():
                person = records.insert(db, "orang", {"nama": f"Warga {i}", "keterangan": "k" * 4000,
                                                      "kode_wilayah": "61.71.03.1001"})
                records.next_number(db, "uji", "penuh")
            saved.append(person["id"])
    known = known_error(info.value)
    assert known is not None, repr(info.value)
    assert known.pesan.startswith("Disk penuh: perubahan terakhir tidak tersimpan (dibatalkan utuh)")
    assert len(saved) > 10
    # nothing committed is lost, the failed transaction left no trace, the file is sound
    assert {r[0] for r in db.execute("SELECT id FROM orang")} == set(saved)
    assert db.execute("SELECT terakhir FROM nomor_urut WHERE jenis = 'uji'").fetchone()[0] == len(saved)
    assert integrity_problems(db) == []
    # free some space: writing goes on
    (disk / "pengisi.bin").unlink()
    records.insert(db, "orang", {"nama": "Sesudah Dikosongkan", "kode_wilayah": "61.71.03.1001"})
    db.close()
    reopened = open_database(path, load_reference=False)
    assert reopened.execute("SELECT count(*) FROM orang").fetchone()[0] == len(saved) + 1
    reopened.close()


def test_atomic_write_on_a_full_disk_leaves_nothing(mount_tmpfs):
    full = mount_tmpfs("usb", "1m")

    def write(tmp):
        with open(tmp, "wb") as fh:
            fh.write(b"x" * 3_000_000)

    with pytest.raises(KnownError, match="Disk penuh: daftar tidak dapat ditulis"):
        atomic_write(full / "daftar.xlsx", write, what="daftar")
    assert os.listdir(full) == []


def test_atomic_write_to_a_read_only_folder(mount_tmpfs):
    ro = mount_tmpfs("ro", "1m", read_only=True)
    with pytest.raises(KnownError, match="hanya-baca"):
        atomic_write(ro / "daftar.xlsx", lambda tmp: tmp.write_bytes(b"x"), what="daftar")


def test_backup_to_a_read_only_folder(db, mount_tmpfs):
    ro = mount_tmpfs("ro", "16m", read_only=True)
    with pytest.raises(KnownError, match="hanya-baca"):
        backup_to(db, ro / "cadangan.db")
    assert integrity_problems(db) == []


def test_export_to_a_full_disk_via_the_cli(cli, db_path, mount_tmpfs):
    """Template and error report (exporters/importer.py) to a full stick: exit 1, a clear message, no file."""
    assert cli("init", "--kelurahan", "61.71.03.1001", "--operator", "A", "--peran", "PSM", "--tanpa-sandi")[0] == 0
    full = mount_tmpfs("usb", "1m")
    _fill(full, 2_000)
    code, out, err = cli("template", "ppks", "--out", full / "templat.xlsx")
    assert code == 1
    assert err.splitlines()[0].startswith("Disk penuh")
    assert sorted(os.listdir(full)) == ["pengisi.bin"]
