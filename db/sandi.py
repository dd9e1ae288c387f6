"""The database passphrase: SQLCipher encryption at rest (see docs/keamanan.md).

An encrypted database is an ordinary SQLCipher 4 file: AES-256 pages, an
HMAC per page, a random 16-byte salt in the first 16 bytes of the file and
the key ``PBKDF2-HMAC-SHA512(passphrase, salt, 256000 iterations)``. We derive
that key ourselves (same parameters as SQLCipher's default) and give SQLCipher
the raw key, so that

- the file still opens with the passphrase in any SQLCipher 4 tool;
- one process derives a key once per (file salt, passphrase): the costly KDF
  is not repeated each time the GUI or a test reopens the same file;
- the raw key is the *recovery code* (docs/keamanan.md): printed once for
  the operator and, when the Dinas public key is known, sealed for the Dinas
  in ``<database>.pemulihan``. Whoever holds neither the passphrase nor the
  code cannot open the file: there is no other way in.

Plain databases keep using the standard library's ``sqlite3``. ``sqlcipher3``
is imported only for encrypted files, and its exception classes are made
subclasses of the standard ``sqlite3`` ones so that every
``except sqlite3.IntegrityError`` in the code base (and in sqlite-utils)
keeps working whichever driver opened the file.
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import hmac
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.errors import DatabaseOpenError, KnownError

ENV_PASSPHRASE = "KESOS_PASSPHRASE"
SQLITE_HEADER = b"SQLite format 3\x00"
KDF_ITERATIONS = 256_000  # SQLCipher 4 default
KEY_BYTES = 32
SALT_BYTES = 16
MIN_PASSPHRASE = 8
CACHE_KIB = -131072  # page cache of an encrypted connection: up to 128 MiB


class PassphraseRequired(DatabaseOpenError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphrase(DatabaseOpenError):
    """The passphrase (or recovery code) does not open the file."""


@dataclass(frozen=True)
class KeyInfo:
    """The key an open encrypted database was opened with."""

    key: bytes
    salt: bytes


# (salt, sha256(passphrase)) -> derived key. A process that opened a file
# once reopens it without paying the KDF again.
_KEY_CACHE: dict[tuple[bytes, bytes], bytes] = {}
# resolved path -> the key it was last opened with in this process. Background
# work (desktop/worker.py) opens its own connection to the database the user
# already unlocked: it reuses the key instead of asking again.
_OPEN_KEYS: dict[str, "KeyInfo"] = {}

_driver = None


def driver():
    """The sqlcipher3 DB-API module, with exceptions tied to the stdlib ones."""
    global _driver
    if _driver is None:
        try:
            from sqlcipher3 import dbapi2 as sc
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise KnownError(
                "Modul enkripsi (sqlcipher3) tidak terpasang; basis data terenkripsi tidak dapat dibuka. "
                "Pasang ulang aplikasi."
            ) from exc
        _link_exceptions(sc)
        _driver = sc
    return _driver


def _link_exceptions(sc) -> None:
    """Make ``sc.IntegrityError`` also a ``sqlite3.IntegrityError`` (and so on).

    ``sc.Error`` itself cannot be re-based (CPython refuses the layout), but
    every error SQLite raises is a DatabaseError or InterfaceError subclass,
    so ``except sqlite3.Error`` catches them all.
    """
    if issubclass(sc.DatabaseError, sqlite3.DatabaseError):
        return
    sc.InterfaceError.__bases__ = (sc.Error, sqlite3.InterfaceError)
    sc.DatabaseError.__bases__ = (sc.Error, sqlite3.DatabaseError)
    for name in ("DataError", "OperationalError", "IntegrityError", "InternalError",
                 "ProgrammingError", "NotSupportedError"):
        ours, std = getattr(sc, name), getattr(sqlite3, name)
        ours.__bases__ = (sc.DatabaseError, std)


# --- files -----------------------------------------------------------------

def looks_encrypted(path: str | os.PathLike) -> bool:
    """True when ``path`` looks like a SQLCipher file (not plain SQLite, not empty).

    A SQLCipher file starts with a random salt instead of the SQLite magic and
    is a whole number of pages. Text files, pictures and workbooks fail one of
    those and are reported as "not a database" instead of "wrong passphrase".
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if size < 512 or size % 512 or head == SQLITE_HEADER:
        return False
    if head.startswith((b"PK\x03\x04", b"\x89PNG", b"%PDF", b"\xd0\xcf\x11\xe0", b"\xff\xd8\xff")):
        return False
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in head)
    return printable < 14  # 16 random bytes are almost never (nearly) all printable text


def file_salt(path: str | os.PathLike) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(SALT_BYTES)


def database_path(db) -> Path | None:
    """The main file of an open Database/connection (None for :memory:)."""
    conn = getattr(db, "conn", db)
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


# --- keys ------------------------------------------------------------------

def derive_key(passphrase: str, salt: bytes) -> bytes:
    ident = (bytes(salt), hashlib.sha256(passphrase.encode("utf-8")).digest())
    key = _KEY_CACHE.get(ident)
    if key is None:
        key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
        _KEY_CACHE[ident] = key
    return key


def check_new_passphrase(passphrase: str | None) -> str:
    """A passphrase good enough for a new database, or KnownError saying why not."""
    passphrase = passphrase or ""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KnownError(f"Kata sandi terlalu pendek: minimal {MIN_PASSPHRASE} karakter.")
    if passphrase.strip() != passphrase:
        raise KnownError("Kata sandi tidak boleh diawali atau diakhiri spasi.")
    return passphrase


def passphrase_from_env() -> str | None:
    value = os.environ.get(ENV_PASSPHRASE)
    return value if value else None


def _key_pragma(key: bytes, salt: bytes | None = None) -> str:
    return f"x'{key.hex()}{salt.hex() if salt else ''}'"


def _verify_open(conn, path: Path) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WrongPassphrase(
            f"Kata sandi salah, atau berkas {path.name} bukan basis data Kesos Lapangan. Berkas tidak diubah."
        ) from exc


def connect(path: str | os.PathLike, *, key: bytes | None = None, passphrase: str | None = None,
            create: bool = False, read_only: bool = False, timeout: float = 5.0):
    """A sqlcipher3 connection to ``path`` with its key set and checked.

    ``create``: the file is new; a fresh random salt is chosen. Returns
    ``(connection, KeyInfo)``. Raises WrongPassphrase / PassphraseRequired.
    """
    sc = driver()
    path = Path(path)
    if create:
        salt = secrets.token_bytes(SALT_BYTES)
    else:
        salt = file_salt(path)
    if key is None:
        if passphrase is None:
            raise PassphraseRequired(
                f"Basis data {path.name} terenkripsi: masukkan kata sandinya "
                f"(atau setel {ENV_PASSPHRASE} untuk skrip)."
            )
        key = derive_key(passphrase, salt)
    target = f"file:{path}?mode=ro" if read_only else str(path)
    conn = sc.connect(target, timeout=timeout, uri=read_only)
    conn.execute("PRAGMA cipher_log_level = NONE")  # no HMAC noise on stderr for a wrong key
    conn.execute(f'PRAGMA key = "{_key_pragma(key, salt if create else None)}"')
    if not create:
        _verify_open(conn, path)
    # Every page read from the OS is decrypted and its HMAC checked: a larger page
    # cache (grows only as used; kelurahan files are ~30 MB) keeps the kota-sized
    # indicator run as fast as on a plain file (bench/bench_keamanan.py: 2x -> 1x).
    conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")
    info = KeyInfo(key=key, salt=salt)
    _OPEN_KEYS[_ident(path)] = info
    return conn, info


def _ident(path: Path) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(path)


def remembered_key(path: str | os.PathLike) -> bytes | None:
    """The key this process last opened ``path`` with, if the file still has that salt."""
    info = _OPEN_KEYS.get(_ident(Path(path)))
    if info is None:
        return None
    try:
        if file_salt(path) != info.salt:
            return None
    except OSError:
        return None
    return info.key


def forget_open_keys() -> None:
    """Forget which files this process unlocked (the derived-key cache stays)."""
    _OPEN_KEYS.clear()


def key_info(db) -> KeyInfo | None:
    """The key of an open encrypted Database, None for a plain one."""
    return getattr(db, "_kesos_kunci", None)


def remember_key(db, info: KeyInfo | None) -> None:
    db._kesos_kunci = info


def is_encrypted_db(db) -> bool:
    return key_info(db) is not None


def passphrase_matches(db, passphrase: str) -> bool:
    """Does ``passphrase`` open this (encrypted, open) database? Used by the app lock."""
    info = key_info(db)
    if info is None or not passphrase:
        return False
    return hmac.compare_digest(derive_key(passphrase, info.salt), info.key)


# --- recovery code -------------------------------------------------------------

def recovery_code(key: bytes) -> str:
    """The raw key + a 3-byte checksum as 14 groups of 4 base32 characters."""
    data = key + hashlib.sha256(b"kesos-pemulihan" + key).digest()[:3]
    text = base64.b32encode(data).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery_code(code: str) -> bytes:
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    text = text.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(text) != 56:
        raise KnownError("Kode pemulihan tidak lengkap: harus 14 kelompok 4 karakter.")
    try:
        data = base64.b32decode(text)
    except (ValueError, base64.binascii.Error) as exc:
        raise KnownError("Kode pemulihan tidak sah: periksa kembali huruf dan angkanya.") from exc
    if len(data) != KEY_BYTES + 3:
        raise KnownError("Kode pemulihan tidak lengkap: harus 14 kelompok 4 karakter.")
    key, check = data[:KEY_BYTES], data[KEY_BYTES:]
    if hashlib.sha256(b"kesos-pemulihan" + key).digest()[:3] != check:
        raise KnownError("Kode pemulihan salah ketik: periksa kembali setiap kelompok.")
    return key


# --- re-encrypting a file: migration, passphrase change, reset ---------------

def _copy_user_version(src, dst_schema: str) -> None:
    version = src.execute("PRAGMA main.user_version").fetchone()[0]
    src.execute(f"PRAGMA {dst_schema}.user_version = {int(version)}")


def _table_counts(conn, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()]
    counts = {}
    for name in names:
        try:
            counts[name] = conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
        except sqlite3.OperationalError:  # virtual tables of a module we lack
            continue
    return counts


def _export(src, target: Path, key: bytes | None, salt: bytes | None) -> None:
    """``sqlcipher_export`` the open ``src`` connection (sqlcipher3) into ``target``."""
    target.unlink(missing_ok=True)
    spec = _key_pragma(key, salt) if key else "''"
    src.execute(f"ATTACH DATABASE ? AS kesos_baru KEY \"{spec}\"" if key else
                "ATTACH DATABASE ? AS kesos_baru KEY ''", [str(target)])
    try:
        src.execute("SELECT sqlcipher_export('kesos_baru')")
        _copy_user_version(src, "kesos_baru")
    finally:
        src.execute("DETACH DATABASE kesos_baru")


def _verify_copy(target: Path, key: bytes | None, expected: dict[str, int]) -> None:
    sc = driver()
    conn = sc.connect(str(target))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key:
            conn.execute(f'PRAGMA key = "{_key_pragma(key)}"')
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise KnownError(f"Salinan terenkripsi tidak utuh ({result}); basis data lama tetap dipakai.")
        got = _table_counts(conn)
        if got != expected:
            raise KnownError("Salinan terenkripsi tidak sama dengan aslinya; basis data lama tetap dipakai.")
    finally:
        conn.close()


def _wipe(path: Path) -> None:
    """Overwrite then delete a plaintext file (best effort: SSDs may keep old blocks)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            chunk = b"\x00" * 65536
            left = size
            while left > 0:
                n = min(left, len(chunk))
                fh.write(chunk[:n])
                left -= n
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def _replace_file(db_path: Path, new: Path, *, wipe_old: bool) -> None:
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            if wipe_old and suffix == "-wal":
                _wipe(side)
            side.unlink(missing_ok=True)
    with open(new, "rb+") as fh:
        os.fsync(fh.fileno())
    if wipe_old:
        old = db_path.with_name(db_path.name + ".lama-sementara")
        os.replace(db_path, old)
        os.replace(new, db_path)
        _wipe(old)
    else:
        os.replace(new, db_path)


def _checkpoint_and_close(path: Path, conn) -> None:
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def reencrypt(db_path: str | os.PathLike, *, old_key: bytes | None, new_passphrase: str | None,
              wipe_old: bool = False) -> KeyInfo | None:
    """Copy the database at ``db_path`` under a new key (or none), verify, then replace it.

    ``old_key`` None: the file is plain now. ``new_passphrase`` None: the copy
    is plain (only used by tests and by 'tanpa sandi' conversions). Close every
    connection to the file first. On any failure the original stays as it was.
    """
    db_path = Path(db_path)
    sc = driver()
    new_salt = secrets.token_bytes(SALT_BYTES) if new_passphrase else None
    new_key = derive_key(new_passphrase, new_salt) if new_passphrase else None
    tmp = db_path.with_name(db_path.name + ".enkripsi-sementara")
    src = sc.connect(str(db_path), timeout=5.0)
    try:
        src.execute("PRAGMA cipher_log_level = NONE")
        if old_key:
            src.execute(f'PRAGMA key = "{_key_pragma(old_key)}"')
            _verify_open(src, db_path)
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        expected = _table_counts(src)
        try:
            _export(src, tmp, new_key, new_salt)
        except sqlite3.Error as exc:
            tmp.unlink(missing_ok=True)
            from db.gangguan import known_error

            raise known_error(exc) or KnownError(f"Enkripsi gagal: {exc}; basis data lama tetap dipakai.") from exc
    finally:
        src.close()
    try:
        _verify_copy(tmp, new_key, expected)
        _replace_file(db_path, tmp, wipe_old=wipe_old)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return KeyInfo(key=new_key, salt=new_salt) if new_key else None


def encrypt_database(db_path: str | os.PathLike, passphrase: str) -> KeyInfo:
    """Turn a plain database into an encrypted one (close it first).

    The plaintext original is overwritten and removed only after the
    encrypted copy passed ``integrity_check`` and has the same row counts.
    """
    db_path = Path(db_path)
    check_new_passphrase(passphrase)
    if looks_encrypted(db_path):
        raise KnownError("Basis data ini sudah terenkripsi.")
    info = reencrypt(db_path, old_key=None, new_passphrase=passphrase, wipe_old=True)
    return info


def change_passphrase(db_path: str | os.PathLike, *, old_passphrase: str | None = None,
                      recovery: str | None = None, new_passphrase: str) -> KeyInfo:
    """Re-encrypt an encrypted database under a new passphrase.

    The old key comes from the old passphrase or, when it is forgotten, from
    the recovery code (docs/keamanan.md). Close the database first.
    """
    db_path = Path(db_path)
    check_new_passphrase(new_passphrase)
    if not looks_encrypted(db_path):
        raise KnownError("Basis data ini belum terenkripsi; gunakan 'kesos enkripsi' untuk memasang kata sandi.")
    if recovery:
        old_key = parse_recovery_code(recovery)
    elif old_passphrase:
        old_key = derive_key(old_passphrase, file_salt(db_path))
    else:
        raise PassphraseRequired("Masukkan kata sandi lama atau kode pemulihan.")
    return reencrypt(db_path, old_key=old_key, new_passphrase=new_passphrase)


# --- recovery file sealed for the Dinas ---------------------------------------

RECOVERY_SUFFIX = ".pemulihan"


def recovery_file_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + RECOVERY_SUFFIX)


def write_recovery_file(db, key: bytes | None = None) -> Path | None:
    """Seal this database's key for the Dinas (if its public key was imported).

    Writes ``<database>.pemulihan`` next to the file; returns its path, or
    None when the database is plain or no Dinas key is known yet.
    """
    import json

    from db import kunci
    from db.install import get_install

    info = key_info(db)
    key = key or (info.key if info else None)
    path = database_path(db)
    dinas = kunci.dinas_public_key(db)
    if key is None or path is None or dinas is None:
        return None
    inst = get_install(db)
    sealed = kunci.seal_for(dinas.public_bytes, key, context=b"kesos-pemulihan-v1")
    doc = {
        "format": "kesos-pemulihan",
        "versi": 1,
        "install_id": inst.install_id if inst else None,
        "kode_wilayah": inst.kode_wilayah if inst else None,
        "operator": inst.operator_nama if inst else None,
        "dibuat": _dt.datetime.now().isoformat(timespec="seconds"),
        "sidik_jari_dinas": dinas.fingerprint,
        "kunci_tersegel": base64.b64encode(sealed).decode("ascii"),
    }
    target = recovery_file_path(path)
    tmp = target.with_name(target.name + ".sementara")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, target)
    return target


def open_recovery_file(dinas_db, path: str | os.PathLike) -> dict:
    """(Dinas) Unseal a field install's recovery file: the recovery code and who it is for."""
    import json

    from db import kunci

    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != "kesos-pemulihan":
            raise ValueError("format")
        sealed = base64.b64decode(doc["kunci_tersegel"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KnownError(f"{path.name} bukan berkas pemulihan Kesos Lapangan.") from exc
    key = kunci.unseal_with_dinas_key(dinas_db, sealed, context=b"kesos-pemulihan-v1")
    return {
        "kode_pemulihan": recovery_code(key),
        "install_id": doc.get("install_id"),
        "kode_wilayah": doc.get("kode_wilayah"),
        "operator": doc.get("operator"),
        "dibuat": doc.get("dibuat"),
    }
