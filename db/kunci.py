"""Key pairs of an install, the Dinas public key, and sealing bytes for a key.

Standard constructions from ``cryptography`` only (docs/keamanan.md):

- every install has an **Ed25519** signing key (made at setup, or on first
  use for older databases); the field install signs its packages with it;
- a Dinas install has an **X25519** key pair for package encryption; its
  public half is exported to a file (``kesos dinas export-key``) and imported
  into each field install (``kesos import-dinas-key``);
- ``seal_for`` encrypts bytes for an X25519 public key: an ephemeral X25519
  key, ECDH, HKDF-SHA256 and AES-256-GCM (the ECIES pattern, as in HPKE's
  base mode), the ephemeral and recipient keys bound as associated data.

Private keys live only inside the database (encrypted at rest when the
database has a passphrase) and never leave it: packages and backups of the
records do not carry them.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlite_utils import Database

from db.clock import now_iso
from db.errors import KnownError

SIGNING = "tanda_tangan"      # own Ed25519 key pair (every install)
DINAS_PAIR = "paket_dinas"     # own X25519 key pair (Dinas install)
DINAS_PUBLIC = "dinas_publik"  # the Dinas public key imported into a field install

KEY_FILE_FORMAT = "kesos-kunci-dinas"
SEAL_VERSION = 1

_RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
_RAW_PRIV = dict(encoding=serialization.Encoding.Raw, format=serialization.PrivateFormat.Raw,
                 encryption_algorithm=serialization.NoEncryption())


def fingerprint(public_bytes: bytes) -> str:
    """A short, readable fingerprint to compare keys over the phone: 8 groups of 4 hex."""
    digest = hashlib.sha256(public_bytes).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class DinasKey:
    public_bytes: bytes
    fingerprint: str
    kode_wilayah: str | None
    nama_wilayah: str | None
    install_id: str | None


# --- storage ---------------------------------------------------------------

def _row(db: Database, nama: str) -> dict | None:
    if not db["kunci"].exists():
        raise KnownError("Basis data belum diperbarui untuk kunci keamanan; buka ulang aplikasi.")
    rows = list(db.query("SELECT * FROM kunci WHERE nama = ?", [nama]))
    return rows[0] if rows else None


def _store(db: Database, nama: str, jenis: str, private: bytes | None, public: bytes,
           keterangan: dict | None = None) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO kunci (nama, jenis, kunci_privat, kunci_publik, keterangan, dibuat_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(nama) DO UPDATE SET jenis = excluded.jenis, "
            "kunci_privat = excluded.kunci_privat, kunci_publik = excluded.kunci_publik, "
            "keterangan = excluded.keterangan, dibuat_at = excluded.dibuat_at",
            [nama, jenis, private, public, json.dumps(keterangan or {}, ensure_ascii=False), now_iso()],
        )


# --- the install's signing key ---------------------------------------------

def ensure_signing_key(db: Database) -> Ed25519PrivateKey:
    """This install's Ed25519 key, made on first use."""
    row = _row(db, SIGNING)
    if row is None:
        key = Ed25519PrivateKey.generate()
        _store(db, SIGNING, "ed25519", key.private_bytes(**_RAW_PRIV), key.public_key().public_bytes(**_RAW))
        return key
    return Ed25519PrivateKey.from_private_bytes(bytes(row["kunci_privat"]))


def signing_public_bytes(db: Database) -> bytes:
    return ensure_signing_key(db).public_key().public_bytes(**_RAW)


def verify_signature(public_bytes: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_bytes).verify(signature, data)
    except Exception:  # InvalidSignature, or a malformed key
        return False
    return True


# --- the Dinas encryption key pair -------------------------------------------

def ensure_dinas_key_pair(db: Database) -> X25519PrivateKey:
    """(Dinas) The X25519 key pair packages are sealed for, made on first use."""
    from db.install import get_install

    inst = get_install(db)
    if inst is None or not inst.is_dinas:
        raise KnownError("Hanya basis data Dinas (peran DINAS) yang memiliki kunci penerima paket.")
    row = _row(db, DINAS_PAIR)
    if row is None:
        key = X25519PrivateKey.generate()
        _store(db, DINAS_PAIR, "x25519", key.private_bytes(**_RAW_PRIV), key.public_key().public_bytes(**_RAW))
        return key
    return X25519PrivateKey.from_private_bytes(bytes(row["kunci_privat"]))


def export_dinas_key(db: Database, out: str | os.PathLike) -> dict:
    """(Dinas) Write the public key file field installs import. Returns what was written."""
    from db.install import get_install
    from db.reference import wilayah

    key = ensure_dinas_key_pair(db)
    inst = get_install(db)
    public = key.public_key().public_bytes(**_RAW)
    doc = {
        "format": KEY_FILE_FORMAT,
        "versi": 1,
        "kode_wilayah": inst.kode_wilayah,
        "nama_wilayah": (wilayah(db, inst.kode_wilayah) or {}).get("nama"),
        "install_id": inst.install_id,
        "algoritma": "X25519",
        "kunci_publik": base64.b64encode(public).decode("ascii"),
        "sidik_jari": fingerprint(public),
        "dibuat": now_iso(),
    }
    out = Path(out)
    tmp = out.with_name(out.name + ".sementara")
    try:
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        from db.gangguan import known_error

        raise known_error(exc, out) from exc
    return doc


def read_key_file(path: str | os.PathLike) -> dict:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != KEY_FILE_FORMAT:
            raise ValueError("format")
        public = base64.b64decode(doc["kunci_publik"], validate=True)
        if len(public) != 32:
            raise ValueError("length")
        X25519PublicKey.from_public_bytes(public)
    except FileNotFoundError as exc:
        raise KnownError(f"Berkas kunci {path} tidak ditemukan.") from exc
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise KnownError(f"{path.name} bukan berkas kunci Dinas Kesos Lapangan (dibuat dengan 'kesos dinas export-key').") from exc
    doc["_public"] = public
    return doc


def import_dinas_key(db: Database, path: str | os.PathLike, *, replace: bool = False) -> dict:
    """(Field install) Take the Dinas public key; ``package`` seals for it from then on.

    Returns ``{"sidik_jari", "kode_wilayah", "nama_wilayah", "status": "baru"|"sama"|"diganti"}``.
    """
    from db.install import get_install

    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan.")
    if inst.is_dinas:
        raise KnownError("Kunci Dinas diimpor di basis data kelurahan/TKSK, bukan di basis data Dinas.")
    doc = read_key_file(path)
    kode = doc.get("kode_wilayah") or ""
    if not inst.kode_wilayah.startswith(kode + ".") and inst.kode_wilayah != kode:
        raise KnownError(
            f"Kunci ini milik Dinas {doc.get('nama_wilayah') or kode} ({kode}), bukan kabupaten/kota "
            f"wilayah Anda ({inst.kode_wilayah}). Minta berkas kunci dari Dinas Sosial Anda."
        )
    public = doc["_public"]
    current = dinas_public_key(db)
    status = "baru"
    if current is not None:
        if current.public_bytes == public:
            status = "sama"
        elif not replace:
            raise KnownError(
                f"Sudah ada kunci Dinas lain (sidik jari {current.fingerprint}). Jika Dinas memang mengganti "
                "kuncinya, ulangi dengan pilihan --ganti."
            )
        else:
            status = "diganti"
    if status != "sama":
        _store(db, DINAS_PUBLIC, "x25519", None, public, {
            "kode_wilayah": kode, "nama_wilayah": doc.get("nama_wilayah"), "install_id": doc.get("install_id"),
        })
    return {"sidik_jari": fingerprint(public), "kode_wilayah": kode, "nama_wilayah": doc.get("nama_wilayah"),
            "status": status}


def dinas_public_key(db: Database) -> DinasKey | None:
    """(Field install) The imported Dinas key, or None."""
    if not db["kunci"].exists():
        return None
    row = _row(db, DINAS_PUBLIC)
    if row is None:
        return None
    info = json.loads(row["keterangan"] or "{}")
    public = bytes(row["kunci_publik"])
    return DinasKey(public, fingerprint(public), info.get("kode_wilayah"), info.get("nama_wilayah"),
                    info.get("install_id"))


def own_dinas_public_bytes(db: Database) -> bytes | None:
    """(Dinas) The public half of its own X25519 pair, None before it was made."""
    if not db["kunci"].exists():
        return None
    row = _row(db, DINAS_PAIR)
    return bytes(row["kunci_publik"]) if row else None


# --- sealing ---------------------------------------------------------------

def _derive(shared: bytes, eph_public: bytes, recipient_public: bytes, context: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_public + recipient_public,
                info=context).derive(shared)


def seal_for(recipient_public: bytes, plaintext: bytes, *, context: bytes) -> bytes:
    """Encrypt ``plaintext`` so only the holder of the X25519 private key can read it.

    Layout: version (1) | ephemeral public key (32) | nonce (12) | AES-256-GCM ciphertext+tag.
    """
    eph = X25519PrivateKey.generate()
    eph_public = eph.public_key().public_bytes(**_RAW)
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _derive(shared, eph_public, recipient_public, context)
    nonce = secrets.token_bytes(12)
    aad = bytes([SEAL_VERSION]) + eph_public + recipient_public + context
    return bytes([SEAL_VERSION]) + eph_public + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


class UnsealError(KnownError):
    """The sealed bytes cannot be opened with this key (wrong key or altered)."""


def unseal(private: X25519PrivateKey, blob: bytes, *, context: bytes) -> bytes:
    if len(blob) < 1 + 32 + 12 + 16 or blob[0] != SEAL_VERSION:
        raise UnsealError("Data tersegel rusak atau berformat tidak dikenal.")
    eph_public, nonce, body = blob[1:33], blob[33:45], blob[45:]
    recipient_public = private.public_key().public_bytes(**_RAW)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_public))
    except ValueError as exc:
        raise UnsealError("Data tersegel rusak.") from exc
    key = _derive(shared, eph_public, recipient_public, context)
    aad = bytes([SEAL_VERSION]) + eph_public + recipient_public + context
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise UnsealError("Data tersegel tidak dapat dibuka: kunci salah atau isinya telah diubah.") from exc


def unseal_with_dinas_key(db: Database, blob: bytes, *, context: bytes) -> bytes:
    from db.install import get_install

    inst = get_install(db)
    if inst is None or not inst.is_dinas or _row(db, DINAS_PAIR) is None:
        raise KnownError("Hanya basis data Dinas yang memegang kunci privat penerima yang dapat membuka ini.")
    return unseal(ensure_dinas_key_pair(db), blob, context=context)
