"""Sealed sync packages: encrypted for the Dinas, signed by the field install, refused when wrong.

Field and Dinas databases here are encrypted (as in production); each test
copies module-wide encrypted templates (same salt, so the key is derived once).
"""
from __future__ import annotations

import shutil
import subprocess
import os

import pytest

from db import kunci, sandi, sinkron
from db.connection import open_database
from db.errors import KnownError
from exporters import package_seal
from tests.sinkron_helpers import add_person, add_service

SANDI = "Sandi-Paket-Uji-1"
NAMA = "Fransiska Kurniawati"
NIK = "6171034501900002"


def _encrypted_install(template, path, kode, peran):
    from db.install import init_install

    shutil.copyfile(template, path)
    sandi.encrypt_database(path, SANDI)
    db = open_database(path, passphrase=SANDI)
    init_install(db, kode_wilayah=kode, operator_nama=f"Operator {peran}", peran=peran)
    kunci.ensure_signing_key(db)
    db.close()
    return path


@pytest.fixture(scope="module")
def templates(_template_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("segel")
    return {
        "field": _encrypted_install(_template_db, folder / "field.db", "61.71.03.1001", "PSM"),
        "dinas": _encrypted_install(_template_db, folder / "dinas.db", "61.71", "DINAS"),
        "dinas2": _encrypted_install(_template_db, folder / "dinas2.db", "61.71", "DINAS"),
    }


def _open_copy(template, path):
    shutil.copyfile(template, path)
    return open_database(path, passphrase=SANDI)


@pytest.fixture
def dinas(templates, tmp_path):
    db = _open_copy(templates["dinas"], tmp_path / "dinas.db")
    yield db
    db.close()


@pytest.fixture
def field(templates, tmp_path, dinas, monkeypatch):
    """An encrypted field install with one person and one service, the Dinas key imported."""
    monkeypatch.setenv("KESOS_TODAY", "2025-12-15")
    db = _open_copy(templates["field"], tmp_path / "field.db")
    kunci.export_dinas_key(dinas, tmp_path / "kunci.json")
    kunci.import_dinas_key(db, tmp_path / "kunci.json")
    person = add_person(db, nama=NAMA, nik=NIK)
    add_service(db, person["orang"]["id"])
    yield db
    db.close()


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def _imported(dinas, nik=NIK):
    return dinas.execute("SELECT count(*) FROM orang WHERE nik = ?", [nik]).fetchone()[0]


def test_sealed_package_reveals_nothing_and_imports(field, dinas, usb):
    res = sinkron.export_package(field, "2025-11", usb)
    data = res.path.read_bytes()
    assert package_seal.is_sealed(data)
    for secret in (NAMA.encode(), NIK.encode(), b"Fransiska", b"Jl. Uji", b"data/orang.jsonl", b"manifest.json",
                   b"Operator PSM"):
        assert secret not in data
    outcome = sinkron.import_package(dinas, res.path)
    assert outcome.hasil == sinkron.DITERIMA, outcome.alasan
    assert _imported(dinas) == 1
    # the install's key is now known to the Dinas (trust on first use)
    recorded = dinas.execute("SELECT public_key FROM instalasi").fetchone()[0]
    import base64

    assert base64.b64decode(recorded) == kunci.signing_public_bytes(field)


def test_wrong_key_refused(field, templates, tmp_path, usb):
    res = sinkron.export_package(field, "2025-11", usb)
    other = _open_copy(templates["dinas2"], tmp_path / "dinas-lain.db")
    kunci.ensure_dinas_key_pair(other)
    outcome = sinkron.import_package(other, res.path)
    assert outcome.hasil == sinkron.DITOLAK
    assert outcome.alasan.startswith("paket disegel untuk kunci Dinas lain")
    assert _imported(other) == 0
    row = other.execute("SELECT hasil, alasan FROM paket_log WHERE arah = 'masuk'").fetchone()
    assert row[0] == "ditolak" and "kunci Dinas lain" in row[1]
    other.close()


@pytest.mark.parametrize("where", ["header", "body", "signature"])
def test_tampered_package_refused(field, dinas, usb, where):
    res = sinkron.export_package(field, "2025-11", usb)
    data = bytearray(res.path.read_bytes())
    offset = {"header": len(package_seal.MAGIC) + 30, "body": len(data) // 2, "signature": len(data) - 10}[where]
    data[offset] ^= 0x01
    res.path.write_bytes(bytes(data))
    outcome = sinkron.import_package(dinas, res.path)
    assert outcome.hasil == sinkron.DITOLAK
    assert "diubah atau rusak" in outcome.alasan or "rusak" in outcome.alasan
    assert _imported(dinas) == 0


def test_truncated_sealed_package_refused(field, dinas, usb):
    res = sinkron.export_package(field, "2025-11", usb)
    res.path.write_bytes(res.path.read_bytes()[:-100])
    outcome = sinkron.import_package(dinas, res.path)
    assert outcome.hasil == sinkron.DITOLAK and "terpotong" in outcome.alasan


def test_replayed_package_changes_nothing_and_older_sequence_refused(field, dinas, usb, tmp_path):
    from db import periode

    first = sinkron.export_package(field, "2025-11", usb)
    assert sinkron.import_package(dinas, first.path).hasil == sinkron.DITERIMA
    replay = sinkron.import_package(dinas, first.path)
    assert replay.hasil == sinkron.TIDAK_BERUBAH  # the same sealed file again changes nothing
    later = []
    for n in (2, 3):
        folder = tmp_path / f"usb{n}"
        folder.mkdir()
        periode.buka_kembali(field, "2025-11", alasan="koreksi data")
        later.append(sinkron.export_package(field, "2025-11", folder))
    assert [r.urutan for r in later] == [2, 3]
    assert sinkron.import_package(dinas, later[1].path).hasil == sinkron.DITERIMA
    old = sinkron.import_package(dinas, later[0].path)
    assert old.hasil == sinkron.DITOLAK and "urutan lebih lama" in old.alasan
    assert sinkron.import_package(dinas, first.path).hasil == sinkron.TIDAK_BERUBAH
    assert _imported(dinas) == 1


def test_unknown_signer_refused(field, dinas, usb, tmp_path):
    first = sinkron.export_package(field, "2025-11", usb)
    assert sinkron.import_package(dinas, first.path).hasil == sinkron.DITERIMA
    # someone with a copy of the install's identity but another key (or a laptop whose key changed)
    field.execute("DELETE FROM kunci WHERE nama = ?", [kunci.SIGNING])
    field.conn.commit()
    forged_dir = tmp_path / "palsu"
    forged_dir.mkdir()
    forged = sinkron.export_package(field, "2025-12", forged_dir)
    outcome = sinkron.import_package(dinas, forged.path)
    assert outcome.hasil == sinkron.DITOLAK
    assert outcome.alasan.startswith("penanda tangan tidak dikenal")
    assert dinas.execute("SELECT count(*) FROM paket_log WHERE hasil = 'diterima'").fetchone()[0] == 1


def test_unknown_signer_refused_in_the_same_run_as_the_first_package(field, dinas, usb, tmp_path):
    """One import run: the second file is read ahead before the first records the install's key;
    it is still checked against that key at its turn."""
    first = sinkron.export_package(field, "2025-11", usb)
    field.execute("DELETE FROM kunci WHERE nama = ?", [kunci.SIGNING])
    field.conn.commit()
    forged_dir = tmp_path / "palsu"
    forged_dir.mkdir()
    forged = sinkron.export_package(field, "2025-12", forged_dir)
    outcomes = sinkron.import_files(dinas, [first.path, forged.path])
    assert [o.hasil for o in outcomes] == [sinkron.DITERIMA, sinkron.DITOLAK]
    assert outcomes[1].alasan.startswith("penanda tangan tidak dikenal")


def test_unsealed_package_refused_by_an_encrypted_dinas(dinas, db, usb):
    """A demo (plain) field database writes a plain package; a real Dinas refuses it."""
    person = add_person(db, nama=NAMA, nik=NIK)
    add_service(db, person["orang"]["id"])
    res = sinkron.export_package(db, "2025-11", usb)
    assert not package_seal.is_sealed(res.path.read_bytes())
    outcome = sinkron.import_package(dinas, res.path)
    assert outcome.hasil == sinkron.DITOLAK and "tidak bersegel" in outcome.alasan


def test_a_renamed_workbook_is_called_that_not_an_unsealed_package(dinas, tmp_path):
    """At an encrypted Dinas a file that is no package at all must not send people off to
    import keys: it is named for what it is."""
    from openpyxl import Workbook

    path = tmp_path / "61.71.03.1001_2025-11_001.kesos"
    Workbook().save(path)
    outcome = sinkron.import_package(dinas, path)
    assert outcome.hasil == sinkron.DITOLAK
    assert "buku kerja Excel" in outcome.alasan and "tidak bersegel" not in outcome.alasan


def test_encrypted_field_without_dinas_key_refuses_to_package(templates, tmp_path, usb, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-15")
    db = _open_copy(templates["field"], tmp_path / "f.db")
    add_person(db, nama=NAMA, nik=NIK)
    with pytest.raises(KnownError, match="import-dinas-key"):
        sinkron.export_package(db, "2025-11", usb)
    assert os.listdir(usb) == []
    assert sinkron.peek_sequence(db, "2025-11") == 1  # the sequence number was not used up
    db.close()


def test_manifest_must_match_the_seal():
    seal = package_seal.Seal("01INSTALASI", "61.71.03.1001", "2025-11", 3, b"k" * 32)
    opened = package_seal.OpenedPackage(b"zip")
    opened.seal = seal
    good = {"install_id": "01INSTALASI", "kode_wilayah": "61.71.03.1001", "periode": "2025-11", "urutan": 3}
    package_seal.check_manifest(opened, good)
    with pytest.raises(package_seal.SealError, match="tidak cocok dengan segelnya"):
        package_seal.check_manifest(opened, {**good, "urutan": 4})


def test_sealed_cli_round_trip(cli, tmp_path, usb):
    """The CLI path: init (encrypted), keys, package, dinas import, report."""
    import json

    field_path, dinas_path = tmp_path / "f.db", tmp_path / "d.db"
    assert cli("init", "--kelurahan", "61.71.03.1001", "--operator", "Siti", "--peran", "PSM", db=field_path)[0] == 0
    assert cli("init", "--kelurahan", "61.71", "--operator", "Dinas", "--peran", "DINAS", db=dinas_path)[0] == 0
    code, out, err = cli("package", "--period", "2025-11", "--out", usb, db=field_path)
    assert code == 1 and "import-dinas-key" in err
    assert cli("dinas", "export-key", "--out", tmp_path / "k.json", db=dinas_path)[0] == 0
    assert cli("import-dinas-key", tmp_path / "k.json", db=field_path)[0] == 0
    code, out, err = cli("package", "--period", "2025-11", "--out", usb, db=field_path)
    assert code == 0, err
    code, out, err = cli("dinas", "import", out.strip(), "--json", db=dinas_path)
    assert code == 0, err
    assert "diterima" in out


def test_package_to_a_read_only_folder(field, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root for a read-only tmpfs")
    ro = tmp_path / "ro"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,ro", "tmpfs", str(ro)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with pytest.raises(KnownError, match="hanya-baca"):
            sinkron.export_package(field, "2025-11", ro)
        assert os.listdir(ro) == []
        assert sinkron.peek_sequence(field, "2025-11") == 1
    finally:
        subprocess.run(["umount", "-l", str(ro)])
