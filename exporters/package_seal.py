"""Sealed sync packages: encrypted for the Dinas, signed by the field install (issue 10).

A sealed ``.kesos`` file wraps the plain package zip (``exporters/package.py``)::

    MAGIC (13 bytes)  b"KESOS-SEGEL1\\n"
    u32 big-endian    length of the header
    header            JSON: format, install id, area, month, sequence (the file
                      name shows those already), the signer's Ed25519 public
                      key, the recipient Dinas key and its fingerprint
    u64 big-endian    length of the sealed body
    body              db.kunci.seal_for(Dinas X25519 key, plain zip):
                      ephemeral X25519 + HKDF-SHA256 + AES-256-GCM
    signature         64 bytes, Ed25519 over everything before it

Opening (at the Dinas) checks, in order, and refuses with the reason:
the format; the signature (*tampered*); that it was sealed for this Dinas's
key (*wrong key*); that the signer is the key this Dinas recorded for that
install on its first accepted package (trust on first use; otherwise *unknown
signer*); decryption; and, once the zip is read, that its manifest names the
same install, area, month and sequence as the signed header.

Demo mode (docs/keamanan.md): a field database created explicitly without a
passphrase (``init --tanpa-sandi``) and without a Dinas key writes plain
packages, and only a Dinas database without a passphrase accepts them. An
encrypted field database refuses to write a package until the Dinas key is
imported; an encrypted Dinas database refuses plain packages.
"""
from __future__ import annotations

import base64
import io
import json
import struct
import zipfile
from dataclasses import dataclass

from sqlite_utils import Database

from db import kunci, sandi
from db.errors import KnownError
from exporters.package import MANIFEST, PackageError

MAGIC = b"KESOS-SEGEL1\n"
FORMAT = "kesos-paket-tersegel"
VERSION = 1
CONTEXT = b"kesos-paket-v1"
MAX_HEADER = 64 * 1024
SIGNATURE_BYTES = 64


class SealError(PackageError):
    """A sealed package refused (wrong key, tampered, unknown signer, not sealed)."""


@dataclass(frozen=True)
class Seal:
    """What the envelope of an opened package said (checked against its manifest)."""

    install_id: str
    kode_wilayah: str
    periode: str
    urutan: int
    signer: bytes

    @property
    def signer_b64(self) -> str:
        return base64.b64encode(self.signer).decode("ascii")


class OpenedPackage(bytes):
    """The plain zip bytes of an opened package, carrying its ``seal`` (None when it was not sealed)."""

    seal: Seal | None = None


def is_sealed(data: bytes) -> bool:
    return data[:len(MAGIC)] == MAGIC


def _manifest_of(plain: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        return json.loads(zf.read(MANIFEST))


# --------------------------------------------------------------------------- field side

def seal_package(db: Database, plain: bytes) -> bytes:
    """Seal the plain package bytes for the imported Dinas key and sign them.

    Without a Dinas key: a demo database (no passphrase) gets its plain bytes
    back; an encrypted one is refused with how to import the key.
    """
    dinas = kunci.dinas_public_key(db)
    if dinas is None:
        if not sandi.is_encrypted_db(db):
            return plain  # demo mode: explicitly created without a passphrase
        raise KnownError(
            "Kunci Dinas belum diimpor, sehingga paket tidak dapat disegel. Minta berkas kunci dari Dinas Sosial "
            "(dibuat dengan 'kesos dinas export-key') lalu impor: menu Pengaturan › Kunci Dinas, atau "
            "'kesos import-dinas-key BERKAS'. Tidak ada yang ditulis."
        )
    signer = kunci.ensure_signing_key(db)
    m = _manifest_of(plain)
    header = json.dumps({
        "format": FORMAT,
        "versi": VERSION,
        "algoritma": "X25519-HKDF-SHA256-AES-256-GCM; Ed25519",
        "install_id": m["install_id"],
        "kode_wilayah": m["kode_wilayah"],
        "periode": m["periode"],
        "urutan": m["urutan"],
        "penanda_tangan": base64.b64encode(kunci.signing_public_bytes(db)).decode("ascii"),
        "penerima": base64.b64encode(dinas.public_bytes).decode("ascii"),
        "sidik_jari_penerima": dinas.fingerprint,
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body = kunci.seal_for(dinas.public_bytes, plain, context=CONTEXT + header)
    signed = MAGIC + struct.pack(">I", len(header)) + header + struct.pack(">Q", len(body)) + body
    return signed + signer.sign(signed)


# --------------------------------------------------------------------------- Dinas side

def _parse(data: bytes) -> tuple[dict, bytes, bytes, bytes]:
    """(header dict, header bytes, body, signed part) or SealError."""
    pos = len(MAGIC)
    try:
        (hlen,) = struct.unpack(">I", data[pos:pos + 4])
        if hlen > MAX_HEADER:
            raise ValueError("header too big")
        header_bytes = data[pos + 4:pos + 4 + hlen]
        pos += 4 + hlen
        (blen,) = struct.unpack(">Q", data[pos:pos + 8])
        pos += 8
        body = data[pos:pos + blen]
        if len(header_bytes) != hlen or len(body) != blen or len(data) != pos + blen + SIGNATURE_BYTES:
            raise ValueError("length")
        header = json.loads(header_bytes)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError("format")
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise SealError("paket tersegel rusak atau terpotong (salin ulang dari kelurahan)") from exc
    if header.get("versi", 0) > VERSION:
        raise SealError("paket tersegel berformat lebih baru; perbarui aplikasi Dinas")
    return header, header_bytes, body, data[:pos + blen]


def _recorded_key(db: Database, install_id: str) -> str | None:
    row = db.execute("SELECT public_key FROM instalasi WHERE install_id = ?", [install_id]).fetchone()
    return row[0] if row else None


def open_package(db: Database, data: bytes) -> OpenedPackage:
    """(Dinas) Verify and decrypt a package; plain packages only in demo mode. SealError says why not."""
    if not is_sealed(data):
        if sandi.is_encrypted_db(db):
            # A file that is no package at all (a renamed workbook, a damaged copy) says
            # so first; only a real but unsealed package gets the "import the key" advice.
            from exporters.package import read_package

            read_package(data)
            raise SealError(
                "paket tidak bersegel (tidak terenkripsi dan tidak bertanda tangan) ditolak: kelurahan harus "
                "mengimpor kunci Dinas lalu membuat paket ulang"
            )
        opened = OpenedPackage(data)
        return opened
    header, header_bytes, body, signed = _parse(data)
    try:
        signer = base64.b64decode(header["penanda_tangan"], validate=True)
        recipient = base64.b64decode(header["penerima"], validate=True)
        install_id = str(header["install_id"])
        seal = Seal(install_id, str(header["kode_wilayah"]), str(header["periode"]), int(header["urutan"]), signer)
    except (KeyError, ValueError, TypeError) as exc:
        raise SealError("segel paket tidak lengkap (rusak)") from exc
    if not kunci.verify_signature(signer, data[len(signed):], signed):
        raise SealError("paket telah diubah atau rusak: tanda tangan tidak cocok dengan isinya")
    own = kunci.own_dinas_public_bytes(db)
    if own is None or recipient != own:
        mine = kunci.fingerprint(own) if own else "belum dibuat"
        raise SealError(
            f"paket disegel untuk kunci Dinas lain (sidik jari {kunci.fingerprint(recipient)}, kunci Dinas ini "
            f"{mine}): kelurahan harus mengimpor kunci Dinas ini lalu membuat paket ulang"
        )
    recorded = _recorded_key(db, install_id)
    if recorded and recorded != seal.signer_b64:
        raise SealError(
            f"penanda tangan tidak dikenal: paket mengaku dari instalasi {install_id}, tetapi ditandatangani "
            f"kunci lain (sidik jari {kunci.fingerprint(signer)}) daripada kunci yang tercatat untuk instalasi "
            "itu. Paket ditolak; hubungi operator kelurahan tersebut"
        )
    try:
        plain = kunci.unseal_with_dinas_key(db, body, context=CONTEXT + header_bytes)
    except kunci.UnsealError as exc:
        raise SealError("isi paket tidak dapat dibuka dengan kunci Dinas ini (rusak atau diubah)") from exc
    opened = OpenedPackage(plain)
    opened.seal = seal
    return opened


def check_manifest(opened: bytes, manifest: dict) -> None:
    """The signed header and the manifest inside must name the same package."""
    seal = getattr(opened, "seal", None)
    if seal is None:
        return
    inner = (manifest.get("install_id"), manifest.get("kode_wilayah"), manifest.get("periode"), manifest.get("urutan"))
    if inner != (seal.install_id, seal.kode_wilayah, seal.periode, seal.urutan):
        raise SealError("isi paket tidak cocok dengan segelnya (instalasi, wilayah, bulan atau urutan berbeda)")


def remember_signer(db: Database, opened: bytes) -> None:
    """After an accepted package: record the install's key on first use (TOFU)."""
    seal = getattr(opened, "seal", None)
    if seal is None:
        return
    db.execute("UPDATE instalasi SET public_key = ? WHERE install_id = ? AND public_key IS NULL",
               [seal.signer_b64, seal.install_id])
