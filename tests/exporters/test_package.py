"""The package format: round trip, atomic writing, and every kind of bad file."""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import struct
import zipfile

import pytest

from db.errors import KnownError
from exporters import package as pkg

MANIFEST = {
    "app_version": "0.1.0",
    "install_id": "01JTESTINSTALL0000000000AA",
    "peran": "PSM",
    "kode_wilayah": "61.71.03.1001",
    "periode": "2025-12",
    "urutan": 3,
    "created_at": "2026-01-05T09:12:00",
    "operator": "Siti Aminah",
}


def _tables(n_orang: int = 2) -> dict[str, list[dict]]:
    orang = [
        {"id": f"O{i:03d}", "nik": f"61710301015000{i:02d}", "nama": f"Nama {i}", "updated_at": "2025-12-01T08:00:00"}
        for i in range(n_orang)
    ]
    return {"orang": orang, "layanan": [{"id": "L1", "orang_id": "O000", "jumlah": 1.5, "nilai": 150000}]}


def _good() -> bytes:
    return pkg.build_package(MANIFEST, _tables(), b"PK-fake-xlsx-bytes")


def _craft(members: dict[str, bytes], manifest: dict | None = None, *, fix_sha: bool = True,
           fix_counts: bool = True) -> bytes:
    """A zip with the given members and a manifest that is correct unless told otherwise."""
    head = {"aplikasi": pkg.APP_NAME, "format_version": 1, **MANIFEST, "counts": {}, "sha256": {}}
    if fix_counts:
        head["counts"] = {t: members.get(f"data/{t}.jsonl", b"").count(b"\n") for t in pkg.TABLES}
    if fix_sha:
        head["sha256"] = {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}
    head.update(manifest or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(pkg.MANIFEST, json.dumps(head))
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _data_members(**extra: bytes) -> dict[str, bytes]:
    members = {f"data/{t}.jsonl": b"" for t in pkg.TABLES}
    members["data/orang.jsonl"] = b'{"id":"O1","nama":"A"}\n'
    members.update(extra)
    return members


def _refused(data, match: str, limits: pkg.Limits = pkg.DEFAULT_LIMITS):
    with pytest.raises(pkg.PackageError, match=match) as info:
        pkg.read_package(data, limits)
    return info.value.pesan


# --------------------------------------------------------------------------- round trip


def test_round_trip_keeps_manifest_records_and_recap():
    data = _good()
    p = pkg.read_package(data)
    assert p.manifest["format_version"] == pkg.FORMAT_VERSION
    assert (p.install_id, p.kode_wilayah, p.periode, p.urutan) == (
        MANIFEST["install_id"], "61.71.03.1001", "2025-12", 3)
    assert p.tables["orang"] == _tables()["orang"]
    assert p.tables["layanan"][0]["jumlah"] == 1.5
    assert p.tables["kuitansi"] == []
    assert p.counts["orang"] == 2 and p.counts["psks"] == 0
    assert p.rekap == b"PK-fake-xlsx-bytes"
    assert p.sha256 == hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert names[0] == "manifest.json"
    assert set(names) == {"manifest.json", "rekap.xlsx", *(f"data/{t}.jsonl" for t in pkg.TABLES)}
    assert manifest["sha256"]["rekap.xlsx"] == hashlib.sha256(b"PK-fake-xlsx-bytes").hexdigest()


def test_same_content_gives_same_bytes():
    assert _good() == _good()


def test_recap_member_is_optional():
    p = pkg.read_package(pkg.build_package(MANIFEST, _tables()))
    assert p.rekap is None


def test_names_follow_the_convention():
    assert pkg.package_name("61.71.03.1001", "2025-12", 3) == "61.71.03.1001_2025-12_003.kesos"
    assert pkg.parse_package_name("/x/61.71.03.1001_2025-12_003.kesos") == ("61.71.03.1001", "2025-12", 3)
    assert pkg.parse_package_name("rekap.xlsx") is None


def test_reads_from_a_path(tmp_path):
    path = tmp_path / "a.kesos"
    path.write_bytes(_good())
    assert pkg.read_package(path).counts["orang"] == 2


# --------------------------------------------------------------------------- writing


def test_write_is_atomic_and_leaves_no_part_file(tmp_path):
    path = pkg.write_package_file(_good(), tmp_path, "x.kesos", verify=pkg.read_package)
    assert path == tmp_path / "x.kesos"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.kesos"]
    assert pkg.read_package(path).counts["orang"] == 2


def test_failed_verification_leaves_nothing(tmp_path):
    def bad(_data):
        raise pkg.PackageError("rusak")

    with pytest.raises(pkg.PackageError):
        pkg.write_package_file(_good(), tmp_path, "x.kesos", verify=bad)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_gives_a_clear_message_and_no_file(tmp_path, monkeypatch):
    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pkg.os, "fsync", full)
    with pytest.raises(KnownError, match="penuh"):
        pkg.write_package_file(_good(), tmp_path, "x.kesos")
    assert list(tmp_path.iterdir()) == []


def test_stick_pulled_during_rename_keeps_no_half_file_under_final_name(tmp_path, monkeypatch):
    def pulled(src, dst):
        raise OSError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(pkg.os, "replace", pulled)
    with pytest.raises(KnownError, match="dicabut"):
        pkg.write_package_file(_good(), tmp_path, "x.kesos")
    assert not (tmp_path / "x.kesos").exists()
    assert not (tmp_path / "x.kesos.part").exists()


def test_read_only_folder_is_refused(tmp_path, read_only_dir):
    ro = read_only_dir(_write(tmp_path / "seed.txt", b"x")).parent
    with pytest.raises(KnownError, match="hanya-baca"):
        pkg.write_package_file(_good(), ro, "x.kesos")
    assert sorted(p.name for p in ro.iterdir()) == ["seed.txt"]


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(KnownError, match="tidak ada"):
        pkg.write_package_file(_good(), tmp_path / "nope", "x.kesos")


def _write(path, data):
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", ["../evil.jsonl", "data/../../evil", "/etc/passwd", "C:/Windows/x", "data\\..\\x"])
def test_dangerous_member_paths_are_refused(name):
    data = _craft(_data_members(**{name: b"x"}))
    _refused(data, "jalur berbahaya")


def test_unexpected_member_is_refused():
    data = _craft(_data_members(**{"data/lain.jsonl": b""}))
    _refused(data, "tidak dikenal")


def test_member_that_inflates_past_the_limit_is_refused():
    bomb = b"\n" * (3 * 1024 * 1024)  # compresses to a few KB
    data = _craft(_data_members(**{"data/layanan.jsonl": bomb}))
    assert len(data) < 100_000
    pesan = _refused(data, "mengembang melebihi batas", pkg.Limits(member_bytes=1024 * 1024))
    assert "data/layanan.jsonl" in pesan


def test_member_lying_about_its_size_is_refused():
    """The zip headers say 10 bytes; the member really inflates to 2 MB."""
    body = b'{"id":"X"}\n' * 200_000
    data = bytearray(_craft(_data_members(**{"data/layanan.jsonl": body})))
    target = b"data/layanan.jsonl"
    patched = 0
    # (signature, offset of the uncompressed size, offset of the name length, offset of the name)
    for sig, size_at, len_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        start = 0
        while (i := data.find(sig, start)) >= 0:
            n = struct.unpack("<H", data[i + len_at: i + len_at + 2])[0]
            if bytes(data[i + name_at: i + name_at + n]) == target:
                data[i + size_at: i + size_at + 4] = struct.pack("<I", 10)
                patched += 1
            start = i + 4
    assert patched == 2
    _refused(bytes(data), "rusak|CRC|melebihi", pkg.Limits(member_bytes=1024 * 1024))


def test_total_size_limit():
    members = _data_members(**{f"data/{t}.jsonl": b"\n" * 600_000 for t in ("layanan", "ppks")})
    _refused(_craft(members), "melebihi batas",
             pkg.Limits(member_bytes=1024 * 1024, total_bytes=1024 * 1024))


def test_manifest_lying_about_a_checksum_is_refused():
    members = _data_members()
    head = {"sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}
    head["sha256"]["data/orang.jsonl"] = "0" * 64
    _refused(_craft(members, head, fix_sha=False), "Checksum data/orang.jsonl tidak cocok")


def test_manifest_lying_about_counts_is_refused():
    members = _data_members()
    counts = {t: 0 for t in pkg.TABLES}
    counts["orang"] = 5
    _refused(_craft(members, {"counts": counts}, fix_counts=False), r"Jumlah catatan orang \(1\).*\(5\)")


def test_tampered_record_is_refused_by_checksum():
    data = pkg.build_package(MANIFEST, _tables(), compresslevel=0)
    tampered = data.replace(b"Nama 1", b"Nama X")
    assert tampered != data
    _refused(tampered, "CRC|Checksum|rusak")


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9, 0.999])
def test_truncated_file_is_refused(cut):
    data = _good()
    _refused(data[: int(len(data) * cut)], "rusak atau terpotong")


def test_empty_file_is_refused(tmp_path):
    _refused(_write(tmp_path / "a.kesos", b""), "kosong")


def test_plain_xlsx_renamed_is_refused(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Rekap"
    path = tmp_path / "61.71.03.1001_2025-12_001.kesos"
    wb.save(path)
    _refused(path, "buku kerja Excel")


def test_zip_without_manifest_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("foto.jpg", b"x")
    _refused(buf.getvalue(), "manifest.json tidak ada")


def test_not_a_zip_at_all_is_refused():
    _refused(b"hello, this is a text file\n" * 10, "rusak atau terpotong")


def test_newer_format_version_is_refused():
    pesan = _refused(_craft(_data_members(), {"format_version": 2}), "lebih baru")
    assert "Perbarui" in pesan


@pytest.mark.parametrize("changes, match", [
    ({"format_version": "1"}, "format_version"),
    ({"periode": "2025-13"}, "periode"),
    ({"urutan": 0}, "urutan"),
    ({"install_id": None}, "install_id"),
])
def test_malformed_manifest_is_refused(changes, match):
    _refused(_craft(_data_members(), changes), match)


def test_missing_data_member_is_refused():
    members = _data_members()
    del members["data/kuitansi.jsonl"]
    _refused(_craft(members), "tidak lengkap.*kuitansi")


def test_member_not_in_manifest_is_refused():
    members = _data_members()
    head = {"sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}
    data = _craft({**members, "rekap.xlsx": b"x"}, head, fix_sha=False)
    _refused(data, "tidak tercatat di manifest")


@pytest.mark.parametrize("body, match", [
    (b"not json\n", "bukan JSON"),
    (b"[1,2]\n", "bukan catatan"),
    (b'{"nama":"tanpa id"}\n', "id catatan"),
    (b'{"id":"A"}\n{"id":"A"}\n', "dua kali"),
    (b"\xff\xfe\n", "UTF-8"),
])
def test_malformed_records_are_refused(body, match):
    _refused(_craft(_data_members(**{"data/orang.jsonl": body})), match)


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = _write(tmp_path / "a.kesos", _good())
    _refused(path, "terlalu besar", pkg.Limits(file_bytes=100))


def test_package_files_in_folder_ignores_part_files(tmp_path):
    for name in ("b.kesos", "a.KESOS", "c.kesos.part", "d.xlsx"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub.kesos").mkdir()
    assert [p.name for p in pkg.package_files_in(tmp_path)] == ["a.KESOS", "b.kesos"]


def test_reader_never_writes_anything(tmp_path):
    data = _craft(_data_members(**{"../evil.jsonl": b"x"}))
    path = _write(tmp_path / "a.kesos", data)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(pkg.PackageError):
        pkg.read_package(path)
    assert sorted(os.listdir(tmp_path)) == before
    assert not (tmp_path.parent / "evil.jsonl").exists()


def test_truncated_package_is_not_mistaken_for_the_workbook_inside():
    """Cut off its directory, a package must not be read through a zip embedded in it."""
    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Rekap"
    wb.save(buf)
    inner = buf.getvalue()
    for level in (0, 6):
        data = pkg.build_package(MANIFEST, _tables(), inner, compresslevel=level)
        assert pkg.read_package(data).rekap == inner
        _refused(data[:-150], "rusak atau terpotong")
    # A plain zip of the workbook with something in front is no package either.
    _refused(b"PK\x03\x04junk" + inner, "rusak atau terpotong")
