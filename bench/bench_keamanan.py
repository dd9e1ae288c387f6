"""Issue 10: the cost of encryption (ratios to plain), on kota-sized data.

- database: the kota database (~150,000 people, ~600,000 services) plain vs the
  same file encrypted with SQLCipher (made once by ``db.sandi.encrypt_database``
  and cached next to the bench data): open, a name search (FTS5) plus a NIK
  lookup, and an indicator run for the kota and a month; first open of the
  encrypted file including the passphrase KDF;
- packages: a kelurahan package (5,000 people / 20,000 services) and a
  kota-sized one (every record of the kota database in one package): building
  the plain zip vs building + sealing (X25519/AES-256-GCM + Ed25519), and
  reading it vs opening the seal + reading it, at a Dinas.

Each case measures plain and encrypted alternately in the same run and reports
``encrypted / plain`` (×) with both times in the note.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench import data
from bench.harness import Case, Result, Skip

SANDI = "Sandi-Bench-Keamanan-1"
PERIODE = "2025-12"
KOTA = "61.71"


def _encrypted_copy(plain: Path) -> Path:
    """The kota database encrypted (built once next to the plain one)."""
    from db import sandi

    target = plain.with_name(plain.stem + "-terenkripsi.db")
    if target.exists():
        return target
    for old in plain.parent.glob("kota-*-terenkripsi.db"):
        old.unlink(missing_ok=True)
    work = plain.with_name(plain.stem + "-enkripsi-kerja.db")
    shutil.copyfile(plain, work)
    sandi.encrypt_database(work, SANDI)
    work.replace(target)
    return target


def _plain_copy(plain: Path) -> Path:
    """A VACUUMed plain copy: the same page layout as the encrypted copy (sqlcipher_export
    also writes a fresh, defragmented file), so the ratio measures the cipher only."""
    import sqlite3

    target = plain.with_name(plain.stem + "-polos.db")
    if target.exists():
        return target
    for old in plain.parent.glob("kota-*-polos.db"):
        old.unlink(missing_ok=True)
    work = plain.with_name(plain.stem + "-polos-kerja.db")
    work.unlink(missing_ok=True)
    conn = sqlite3.connect(plain)
    conn.execute("VACUUM INTO ?", [str(work)])
    conn.close()
    work.replace(target)
    return target


def _pair_setup():
    from db.connection import open_database

    source = data.database("kota")
    enc_path = _encrypted_copy(source)
    plain_path = _plain_copy(source)
    plain = open_database(plain_path)
    enc = open_database(enc_path, passphrase=SANDI)
    return {"plain": plain, "enc": enc, "plain_path": plain_path, "enc_path": enc_path}


def _pair_teardown(state) -> None:
    state["plain"].close()
    state["enc"].close()


def _ratio(fn_plain, fn_enc, rounds: int = 3) -> Result:
    tp = te = 0.0
    for i in range(rounds):  # alternate which goes first: the second one finds a warmer cache
        first, second = (fn_plain, fn_enc) if i % 2 == 0 else (fn_enc, fn_plain)
        t0 = time.perf_counter()
        first()
        t1 = time.perf_counter()
        second()
        t2 = time.perf_counter()
        a, b = t1 - t0, t2 - t1
        tp += a if first is fn_plain else b
        te += b if first is fn_plain else a
    tp, te = tp / rounds, te / rounds
    return Result(value=te / tp if tp else None, note=f"polos {tp * 1000:.1f} ms, terenkripsi {te * 1000:.1f} ms")


# --- database ---------------------------------------------------------------------

def open_ratio(state) -> Result:
    from db.connection import open_database

    def plain():
        open_database(state["plain_path"]).close()

    def enc():  # the key is cached in-process: this is the page-decryption cost of opening
        open_database(state["enc_path"], passphrase=SANDI).close()

    return _ratio(plain, enc, rounds=6)


def first_open_with_kdf(state) -> Result:
    from db import sandi
    from db.connection import open_database

    sandi._KEY_CACHE.clear()
    t0 = time.perf_counter()
    open_database(state["enc_path"], passphrase=SANDI).close()
    return Result(value=(time.perf_counter() - t0) * 1000, note="PBKDF2-HMAC-SHA512 256.000 iterasi + buka")


def _search(db):
    rows = db.execute(
        "SELECT o.id, o.nama, o.nik FROM orang_fts f JOIN orang o ON o.rowid = f.rowid "
        "WHERE orang_fts MATCH 'siti*' ORDER BY rank LIMIT 100").fetchall()
    nik = db.execute("SELECT nik FROM orang WHERE nik IS NOT NULL LIMIT 1 OFFSET 70000").fetchone()[0]
    db.execute("SELECT id FROM orang WHERE nik = ?", [nik]).fetchall()
    db.execute("SELECT count(*) FROM orang WHERE nama LIKE 'Sri%' AND deleted_at IS NULL").fetchone()
    return rows


def search_ratio(state) -> Result:
    return _ratio(lambda: _search(state["plain"]), lambda: _search(state["enc"]), rounds=6)


def indicator_ratio(state) -> Result:
    try:
        from db.indikator import hitung_indikator
    except ImportError as exc:
        raise Skip("db.indikator missing") from exc
    return _ratio(lambda: hitung_indikator(state["plain"], PERIODE, KOTA),
                  lambda: hitung_indikator(state["enc"], PERIODE, KOTA), rounds=2)


# --- packages ---------------------------------------------------------------------

_BUILT: dict[str, tuple[bytes, float]] = {}
# A kota-sized package is beyond the import limits of a kelurahan package (one
# member > 256 MB uncompressed): read it with room to spare, it is a measurement.
def _limits():
    from exporters import package as pkg

    return pkg.Limits(file_bytes=4096 * 1024 * 1024, member_bytes=4096 * 1024 * 1024,
                      total_bytes=8192 * 1024 * 1024)


def _package_setup(size: str):
    def setup():
        import tempfile

        from db import kunci, sinkron
        from db.connection import open_database
        from db.install import get_install, init_install
        from exporters import package as pkg

        if size not in _BUILT:
            source = data.database(size) if size == "kota" else _kelurahan5000()
            db = open_database(source)
            inst = get_install(db)
            manifest = {"format_version": pkg.FORMAT_VERSION, "app_version": "bench",
                        "install_id": inst.install_id, "peran": "PSM", "kode_wilayah": "61.71.03.1001",
                        "periode": PERIODE, "urutan": 1, "created_at": "2026-01-05T09:00:00", "operator": "Bench"}
            t0 = time.perf_counter()
            _BUILT[size] = (pkg.build_package(manifest, sinkron.gather_records(db), None), time.perf_counter() - t0)
            db.close()
        plain, build_seconds = _BUILT[size]
        # a Dinas and a field install with keys (small databases: only their key tables matter)
        tmp = Path(tempfile.mkdtemp(prefix="kesos-bench-segel-"))
        template = data.database("kelurahan")
        shutil.copyfile(template, tmp / "field.db")
        field = open_database(tmp / "field.db", passphrase=None)
        dinas_db = open_database(tmp / "dinas.db", create=True)
        init_install(dinas_db, kode_wilayah=KOTA, operator_nama="Bench Dinas", peran="DINAS")
        kunci.export_dinas_key(dinas_db, tmp / "kunci.json")
        kunci.import_dinas_key(field, tmp / "kunci.json", replace=True)
        return {"plain": plain, "build": build_seconds, "field": field, "dinas": dinas_db, "tmp": tmp}
    return setup


def _kelurahan5000() -> Path:
    from db.synthetic import Size

    return data.database(Size("kelurahan5000", "61.71.03.1001", 5_000))


def _package_teardown(state) -> None:
    state["field"].close()
    state["dinas"].close()
    shutil.rmtree(state["tmp"], ignore_errors=True)


def seal_ratio(state) -> Result:
    """(build + seal) / build: what sealing adds to writing a package."""
    from exporters.package_seal import seal_package

    t0 = time.perf_counter()
    sealed = seal_package(state["field"], state["plain"])
    seal = time.perf_counter() - t0
    state["sealed"] = sealed
    mb = len(state["plain"]) / 1024 / 1024
    return Result(value=(state["build"] + seal) / state["build"],
                  note=f"zip {mb:.1f} MB dibuat {state['build']:.2f} s, segel {seal * 1000:.0f} ms")


def open_ratio_package(state) -> Result:
    """(open seal + read) / read at the Dinas."""
    from exporters import package as pkg
    from exporters.package_seal import open_package, seal_package

    sealed = state.get("sealed") or seal_package(state["field"], state["plain"])
    t0 = time.perf_counter()
    pkg.read_package(state["plain"], _limits())
    read = time.perf_counter() - t0
    t1 = time.perf_counter()
    open_package(state["dinas"], sealed)
    unseal = time.perf_counter() - t1
    return Result(value=(read + unseal) / read, note=f"baca {read * 1000:.0f} ms, buka segel {unseal * 1000:.0f} ms")


CASES = [
    Case("DB buka: terenkripsi/polos", open_ratio, size="kota", setup=_pair_setup, teardown=_pair_teardown,
         unit="×", repeat=3),
    Case("DB buka pertama (KDF) terenkripsi", first_open_with_kdf, size="kota", setup=_pair_setup,
         teardown=_pair_teardown, unit="ms", repeat=3),
    Case("Cari nama (FTS) + NIK: terenkripsi/polos", search_ratio, size="kota", setup=_pair_setup,
         teardown=_pair_teardown, unit="×", repeat=3),
    Case("Indikator kota 1 bulan: terenkripsi/polos", indicator_ratio, size="kota", setup=_pair_setup,
         teardown=_pair_teardown, unit="×", repeat=3),
    Case("Paket kelurahan 5.000 orang: (buat+segel)/buat", seal_ratio, size="kelurahan5000",
         setup=_package_setup("kelurahan5000"), teardown=_package_teardown, unit="×", repeat=3),
    Case("Paket kelurahan 5.000 orang: (buka segel+baca)/baca", open_ratio_package, size="kelurahan5000",
         setup=_package_setup("kelurahan5000"), teardown=_package_teardown, unit="×", repeat=3),
    Case("Paket seukuran kota: (buat+segel)/buat", seal_ratio, size="kota",
         setup=_package_setup("kota"), teardown=_package_teardown, unit="×", repeat=2, warmup=0),
    Case("Paket seukuran kota: (buka segel+baca)/baca", open_ratio_package, size="kota",
         setup=_package_setup("kota"), teardown=_package_teardown, unit="×", repeat=2, warmup=0),
]
