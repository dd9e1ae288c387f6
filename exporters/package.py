"""The sync package: one self-describing file per install and month (DOMAIN.md §10).

Format (``FORMAT_VERSION`` 1), a zip file named ``<kode>_<YYYY-MM>_<urutan:03d>.kesos``::

    manifest.json            what the package is (see below)
    data/<table>.jsonl       one JSON object per line: every record of the install's
                             field tables, current state, soft-deleted ones included
    rekap.xlsx               the month's recap workbook (optional member)

``manifest.json``::

    {"aplikasi": "Kesos Lapangan", "format_version": 1, "app_version": "0.1.0",
     "install_id": "...", "peran": "PSM", "kode_wilayah": "61.71.03.1001",
     "periode": "2025-12", "urutan": 3, "created_at": "2026-01-05T09:12:00",
     "operator": "Siti Aminah",
     "counts": {"orang": 812, ...},                      # lines per data member
     "sha256": {"data/orang.jsonl": "...", ..., "rekap.xlsx": "..."}}

Members are stored under fixed names only. This module builds and reads the
*plain* zip bytes and knows nothing about databases; ``db/sinkron.py`` gathers
and applies the records. Sealing (encryption for the Dinas and the field
install's signature, issue #10) wraps these bytes: ``build_package`` returns
bytes that a sealer can wrap before ``write_package_file`` puts them on disk,
and ``read_package`` takes bytes (what an unsealer returns) or a path.

Reading refuses, with a ``PackageError`` whose message says why in Bahasa
Indonesia: damaged or truncated zips, a bad CRC, member names with ``..`` or
absolute paths, members not in the format, members that inflate past
``Limits`` (the declared size is checked AND the member is read with a bounded
reader, since a zip can lie about sizes), a plain xlsx renamed ``.kesos``,
checksums or counts that do not match the manifest, a newer ``format_version``
and malformed records. Writing goes through ``<final>.part`` in the
destination folder, fsync, re-read and verify, then ``os.replace``: a USB
stick pulled mid-write leaves no half file under the final name.
"""
from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from db.errors import KnownError

FORMAT_VERSION = 1
APP_NAME = "Kesos Lapangan"
EXTENSION = ".kesos"
MANIFEST = "manifest.json"
REKAP = "rekap.xlsx"
# Field tables in an order that satisfies their foreign keys (parents first).
TABLES = ("orang", "ppks", "psks", "bencana", "korban", "kegiatan", "kegiatan_peserta", "layanan", "kuitansi")
DATA_MEMBERS = {f"data/{t}.jsonl": t for t in TABLES}
ALLOWED_MEMBERS = frozenset({MANIFEST, REKAP, *DATA_MEMBERS})
REQUIRED_MEMBERS = frozenset({MANIFEST, *DATA_MEMBERS})
MANIFEST_FIELDS = {
    "format_version": int,
    "app_version": str,
    "install_id": str,
    "peran": str,
    "kode_wilayah": str,
    "periode": str,
    "urutan": int,
    "created_at": str,
    "operator": str,
    "counts": dict,
    "sha256": dict,
}
_PERIODE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
_MB = 1024 * 1024


class PackageError(KnownError):
    """The file is not a sound package; ``pesan`` says why (shown as the refusal reason)."""


@dataclass(frozen=True)
class Limits:
    """Ceilings that keep a hostile or broken file from exhausting memory or disk."""

    file_bytes: int = 512 * _MB  # the package file itself
    member_bytes: int = 256 * _MB  # one member, uncompressed
    total_bytes: int = 1024 * _MB  # all members, uncompressed
    manifest_bytes: int = 1 * _MB


DEFAULT_LIMITS = Limits()


@dataclass
class Package:
    """A verified package: its manifest, records per table and the recap workbook."""

    manifest: dict
    tables: dict[str, list[dict]]
    rekap: bytes | None
    sha256: str  # of the plain zip bytes
    size: int

    @property
    def install_id(self) -> str:
        return self.manifest["install_id"]

    @property
    def kode_wilayah(self) -> str:
        return self.manifest["kode_wilayah"]

    @property
    def periode(self) -> str:
        return self.manifest["periode"]

    @property
    def urutan(self) -> int:
        return self.manifest["urutan"]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest["counts"])


# --------------------------------------------------------------------------- names


def package_name(kode_wilayah: str, periode: str, urutan: int) -> str:
    """``61.71.03.1001_2025-12_003.kesos``."""
    return f"{kode_wilayah}_{periode}_{int(urutan):03d}{EXTENSION}"


_NAME_RE = re.compile(r"^(?P<kode>[0-9.]+)_(?P<periode>\d{4}-\d{2})_(?P<urutan>\d{3,})\.kesos$", re.IGNORECASE)


def parse_package_name(name: str) -> tuple[str, str, int] | None:
    """(kode, periode, urutan) from a package file name, None if it has another shape."""
    m = _NAME_RE.match(Path(name).name)
    if not m:
        return None
    return m["kode"], m["periode"], int(m["urutan"])


# --------------------------------------------------------------------------- writing


def _jsonl(rows: Iterable[dict]) -> tuple[bytes, int]:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    parts = []
    for row in rows:
        parts.append(dumps(row))
    body = "\n".join(parts)
    if parts:
        body += "\n"
    return body.encode("utf-8"), len(parts)


def _zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    try:
        t = _dt.datetime.fromisoformat(created_at)
    except ValueError:
        t = _dt.datetime(2000, 1, 1)
    if t.year < 1980:
        t = _dt.datetime(1980, 1, 1)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def build_package(
    manifest: Mapping,
    tables: Mapping[str, Iterable[dict]],
    rekap: bytes | None = None,
    *,
    compresslevel: int = 6,
) -> bytes:
    """The plain package (zip bytes) from the manifest header fields and the records.

    ``manifest`` holds every field of ``MANIFEST_FIELDS`` except ``counts`` and
    ``sha256`` (computed here; ``format_version`` defaults to ``FORMAT_VERSION``).
    ``tables`` maps each name of ``TABLES`` to its rows (dicts of column values).
    """
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    members: list[tuple[str, bytes]] = []
    counts: dict[str, int] = {}
    for table in TABLES:
        body, n = _jsonl(tables.get(table, ()))
        members.append((f"data/{table}.jsonl", body))
        counts[table] = n
    if rekap is not None:
        members.append((REKAP, bytes(rekap)))
    head = {"aplikasi": APP_NAME, "format_version": FORMAT_VERSION}
    head.update({k: v for k, v in manifest.items() if k not in ("counts", "sha256")})
    head["counts"] = counts
    head["sha256"] = {name: hashlib.sha256(body).hexdigest() for name, body in members}
    missing = [k for k in MANIFEST_FIELDS if k not in head]
    if missing:
        raise ValueError(f"manifest lacks {missing}")
    stamp = _zip_time(head["created_at"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        for name, body in [(MANIFEST, json.dumps(head, ensure_ascii=False, indent=1).encode("utf-8")), *members]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            # Everything deflated, the recap too: a stored xlsx would put its own
            # zip directory in the byte stream (see the offset check in _read_zip).
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body, compresslevel=compresslevel)
    return buf.getvalue()


def _disk_error(exc: OSError, folder: Path) -> KnownError:
    if exc.errno == errno.ENOSPC:
        return KnownError(f"Ruang penyimpanan di {folder} penuh. Kosongkan ruang atau pilih folder lain; "
                          "paket tidak ditulis.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return KnownError(f"Folder {folder} hanya-baca atau tidak boleh ditulisi. Pilih folder lain; "
                          "paket tidak ditulis.")
    if exc.errno == errno.ENOENT:
        return KnownError(f"Folder {folder} tidak ada (flashdisk dicabut?). Paket tidak ditulis.")
    return KnownError(f"Paket tidak dapat ditulis ke {folder}: {exc.strerror or exc}. Paket tidak ditulis.")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_package_file(
    data: bytes,
    folder: str | os.PathLike,
    name: str,
    *,
    verify: Callable[[bytes], None] | None = None,
) -> Path:
    """Put ``data`` at ``folder/name`` atomically and return the final path.

    Written to ``name + '.part'``, flushed and fsynced, read back and compared
    (SHA-256; plus ``verify(bytes_read)`` when given, e.g. ``read_package``),
    then renamed. On any failure the ``.part`` file is removed and a KnownError
    says what happened; the final name never holds a half-written file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KnownError(f"Folder tujuan {folder} tidak ada. Pilih folder (mis. flashdisk) yang tersedia.")
    final = folder / name
    part = folder / (name + ".part")
    expected = hashlib.sha256(data).hexdigest()
    try:
        with open(part, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with open(part, "rb") as fh:
            back = fh.read()
        if hashlib.sha256(back).hexdigest() != expected:
            raise KnownError(f"Paket yang dibaca ulang dari {folder} tidak sama dengan yang ditulis "
                             "(media penyimpanan bermasalah?). Coba folder atau flashdisk lain.")
        if verify is not None:
            verify(back)
        os.replace(part, final)
        _fsync_dir(folder)
    except OSError as exc:
        _remove_quietly(part)
        raise _disk_error(exc, folder) from exc
    except BaseException:
        _remove_quietly(part)
        raise
    return final


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


# --------------------------------------------------------------------------- reading


def load_package_bytes(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The raw bytes of a package file, refusing files above ``limits.file_bytes``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise PackageError(f"{path.name} adalah folder, bukan berkas paket.")
        if size > limits.file_bytes:
            raise PackageError(f"Berkas terlalu besar ({size // _MB} MB; batas {limits.file_bytes // _MB} MB).")
        with open(path, "rb") as fh:
            data = fh.read(limits.file_bytes + 1)
    except OSError as exc:
        raise PackageError(f"Berkas tidak dapat dibaca: {exc.strerror or exc}.") from exc
    if len(data) > limits.file_bytes:
        raise PackageError(f"Berkas terlalu besar (batas {limits.file_bytes // _MB} MB).")
    return data


def _unsafe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    parts = name.split("/")
    return any(p in ("..", ".") for p in parts) or "" in parts


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than ``limit`` (zip headers can lie about sizes)."""
    chunks, total = [], 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(min(1 * _MB, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise PackageError(
                    f"Anggota {info.filename} mengembang melebihi batas {limit // _MB or 1} MB; paket ditolak."
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _looks_like_xlsx(names: set[str]) -> bool:
    return "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names)


def _check_manifest(manifest) -> dict:
    if not isinstance(manifest, dict):
        raise PackageError("manifest.json tidak sah (bukan objek JSON).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackageError("manifest.json tidak sah: format_version tidak ada atau bukan bilangan bulat.")
    if version > FORMAT_VERSION:
        raise PackageError(
            f"Paket memakai format versi {version}, lebih baru dari yang dikenal aplikasi ini "
            f"(versi {FORMAT_VERSION}). Perbarui Kesos Lapangan lalu impor lagi."
        )
    for key, typ in MANIFEST_FIELDS.items():
        value = manifest.get(key)
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise PackageError(f"manifest.json tidak sah: isian '{key}' tidak ada atau jenisnya salah.")
    if not _PERIODE_RE.match(manifest["periode"]):
        raise PackageError(f"manifest.json tidak sah: periode '{manifest['periode']}' bukan TTTT-BB.")
    if manifest["urutan"] < 1:
        raise PackageError("manifest.json tidak sah: urutan harus 1 atau lebih.")
    if not manifest["install_id"].strip():
        raise PackageError("manifest.json tidak sah: install_id kosong.")
    for name, digest in manifest["sha256"].items():
        if name not in ALLOWED_MEMBERS or name == MANIFEST:
            raise PackageError(f"manifest.json menyebut anggota yang tidak dikenal: {name!r}.")
        if not isinstance(digest, str) or not _HEX64_RE.match(digest):
            raise PackageError(f"manifest.json tidak sah: checksum {name} bukan SHA-256.")
    for table, n in manifest["counts"].items():
        if table not in TABLES or not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise PackageError(f"manifest.json tidak sah: jumlah untuk '{table}'.")
    lacking = [t for t in TABLES if t not in manifest["counts"]]
    if lacking:
        raise PackageError(f"manifest.json tidak sah: jumlah catatan {', '.join(lacking)} tidak ada.")
    return manifest


def _parse_jsonl(name: str, body: bytes) -> list[dict]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{name} bukan teks UTF-8 yang sah.") from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        # One parse of the whole member as a JSON array (several times faster
        # than line by line); on any doubt, fall back to find the bad line.
        rows = json.loads("[" + ",".join(lines) + "]") if "" not in lines else None
    except ValueError:
        rows = None
    if rows is None or len(rows) != len(lines):
        rows = []
        for lineno, line in enumerate(lines, start=1):
            if not line:
                raise PackageError(f"Baris {lineno} pada {name} kosong.")
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise PackageError(f"Baris {lineno} pada {name} bukan JSON yang sah.") from exc
    if _sound_records(rows):
        return rows
    seen: set[str] = set()
    for lineno, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise PackageError(f"Baris {lineno} pada {name} bukan catatan (objek JSON).")
        rid = row.get("id")
        if not isinstance(rid, str) or not rid.strip():
            raise PackageError(f"Baris {lineno} pada {name}: id catatan kosong atau tidak sah.")
        if rid in seen:
            raise PackageError(f"Baris {lineno} pada {name}: id {rid} muncul dua kali.")
        seen.add(rid)
    return rows


def _sound_records(rows: list) -> bool:
    """True when every row is an object with a non-blank text id, each id once: the loop in
    ``_parse_jsonl`` then finds nothing, and is only run to name the first bad line."""
    if not all(type(r) is dict for r in rows):
        return False
    ids = [r.get("id") for r in rows]
    return (all(type(i) is str and i.strip() for i in ids)) and len(set(ids)) == len(ids)


def read_package(source: bytes | bytearray | str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> Package:
    """Open, verify and parse a package; PackageError with the reason when it is not sound.

    ``source`` is the plain zip bytes (e.g. what an unsealer returned) or a path.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limits.file_bytes:
            raise PackageError(f"Berkas terlalu besar (batas {limits.file_bytes // _MB} MB).")
    else:
        data = load_package_bytes(source, limits)
    if not data:
        raise PackageError("Berkas kosong (0 bita): paket tidak lengkap tersalin.")
    digest = hashlib.sha256(data).hexdigest()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise PackageError(
            "Berkas rusak atau terpotong: bukan arsip paket yang utuh (tersalin tidak lengkap?)."
        ) from exc
    try:
        return _read_zip(zf, data, digest, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        text = str(exc)
        if "CRC" in text:
            raise PackageError("Berkas rusak: CRC salah pada salah satu anggota paket.") from exc
        raise PackageError(f"Berkas rusak atau terpotong ({text or type(exc).__name__}).") from exc
    finally:
        zf.close()


def _read_zip(zf: zipfile.ZipFile, data: bytes, digest: str, limits: Limits) -> Package:
    infos = zf.infolist()
    # A package starts with its first member. A zip found further in (e.g. the
    # recap workbook inside a truncated package) is not this file's directory.
    if not infos or min(i.header_offset for i in infos) != 0 or not data.startswith(b"PK\x03\x04"):
        raise PackageError("Berkas rusak atau terpotong: bukan arsip paket yang utuh (tersalin tidak lengkap?).")
    names = [i.filename for i in infos]
    for name in names:
        if _unsafe_name(name):
            raise PackageError(f"Paket memuat jalur berbahaya ({name!r}); ditolak.")
    if len(set(names)) != len(names):
        raise PackageError("Paket memuat anggota dengan nama ganda; ditolak.")
    nameset = set(names)
    if MANIFEST not in nameset:
        if _looks_like_xlsx(nameset):
            raise PackageError("Berkas ini buku kerja Excel (xlsx) yang diganti namanya, bukan paket Kesos Lapangan.")
        raise PackageError("Bukan paket Kesos Lapangan: manifest.json tidak ada.")
    unexpected = sorted(nameset - ALLOWED_MEMBERS)
    if unexpected:
        raise PackageError(f"Paket memuat anggota yang tidak dikenal: {', '.join(unexpected[:5])}.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageError(f"Anggota {info.filename} terenkripsi dengan cara yang tidak dikenal.")
        limit = limits.manifest_bytes if info.filename == MANIFEST else limits.member_bytes
        if info.file_size > limit:
            raise PackageError(
                f"Anggota {info.filename} mengembang melebihi batas {limit // _MB or 1} MB "
                f"({info.file_size // _MB} MB); paket ditolak."
            )
        total += info.file_size
    if total > limits.total_bytes:
        raise PackageError(f"Isi paket melebihi batas {limits.total_bytes // _MB} MB; paket ditolak.")
    by_name = {i.filename: i for i in infos}
    try:
        manifest = json.loads(_read_bounded(zf, by_name[MANIFEST], limits.manifest_bytes).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageError("manifest.json tidak sah (bukan JSON).") from exc
    manifest = _check_manifest(manifest)
    declared = set(manifest["sha256"])
    missing = sorted((REQUIRED_MEMBERS - {MANIFEST}) - nameset) + sorted(declared - nameset)
    if missing:
        raise PackageError(f"Paket tidak lengkap: anggota {', '.join(sorted(set(missing)))} tidak ada.")
    undeclared = sorted(nameset - declared - {MANIFEST})
    if undeclared:
        raise PackageError(f"Anggota {', '.join(undeclared)} tidak tercatat di manifest; paket ditolak.")
    tables: dict[str, list[dict]] = {}
    rekap = None
    read_total = 0
    for name in sorted(nameset - {MANIFEST}):
        body = _read_bounded(zf, by_name[name], limits.member_bytes)
        read_total += len(body)
        if read_total > limits.total_bytes:
            raise PackageError(f"Isi paket melebihi batas {limits.total_bytes // _MB} MB; paket ditolak.")
        if hashlib.sha256(body).hexdigest() != manifest["sha256"][name]:
            raise PackageError(f"Checksum {name} tidak cocok dengan manifest: paket rusak atau telah diubah.")
        if name == REKAP:
            rekap = body
            continue
        table = DATA_MEMBERS[name]
        rows = _parse_jsonl(name, body)
        declared_n = manifest["counts"].get(table)
        if declared_n != len(rows):
            raise PackageError(
                f"Jumlah catatan {table} ({len(rows)}) tidak cocok dengan manifest ({declared_n}); paket ditolak."
            )
        tables[table] = rows
    return Package(manifest=manifest, tables=tables, rekap=rekap, sha256=digest, size=len(data))


def package_files_in(folder: str | os.PathLike) -> list[Path]:
    """The ``*.kesos`` files directly inside ``folder`` (not ``.part`` leftovers), by name."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == EXTENSION)
