"""Faults from the machine (disk full, read-only folder, I/O error) as clear messages.

``known_error(exc, path=None)`` turns an OSError or a SQLite error caused by
the machine into a KnownError with an Indonesian message that says what
happened, that nothing already saved was lost, and what to do. It returns
None for anything else (a bug, to be reported as one). The CLI and the GUI's
error hook both call it, so every command and window explains faults alike.
"""
from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from db.errors import KnownError

_DISK_FULL = (
    "Disk penuh: {what} tidak dapat ditulis{where}. Data yang sudah tersimpan sebelumnya tetap aman. "
    "Kosongkan ruang disk (hapus berkas yang tidak perlu) lalu ulangi."
)
_READ_ONLY = (
    "Folder atau berkas hanya-baca: {what} tidak dapat ditulis{where}. Data yang sudah tersimpan tetap aman. "
    "Pilih folder lain (mis. Dokumen) atau lepaskan pelindung tulis pada flashdisk."
)
_IO = (
    "Gangguan baca/tulis disk{where} ({detail}). Data yang sudah tersimpan tetap aman. "
    "Periksa flashdisk/disk, lalu ulangi."
)


def _where(path) -> str:
    return f" ke {path}" if path else ""


def known_error(exc: BaseException, path: str | os.PathLike | None = None, *,
                what: str | None = None) -> KnownError | None:
    """A KnownError explaining ``exc`` if the machine caused it, else None.

    ``what``: the file being written ("cadangan", "daftar"...); without it a
    SQLite error is about the database's own last change.
    """
    if isinstance(exc, KnownError):
        return exc
    if isinstance(exc, OSError):
        what = what or "data"
        where = _where(path or getattr(exc, "filename", None))
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return KnownError(_DISK_FULL.format(what=what, where=where))
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return KnownError(_READ_ONLY.format(what=what, where=where))
        if exc.errno == errno.EIO:
            return KnownError(_IO.format(where=where, detail=exc.strerror or "I/O"))
        return None
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        text = str(exc).lower()
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == sqlite3.SQLITE_FULL or "database or disk is full" in text:
            if what:
                return KnownError(_DISK_FULL.format(what=what, where=_where(path)))
            return KnownError(_DISK_FULL.format(what="perubahan terakhir", where=_where(path)).replace(
                "tidak dapat ditulis", "tidak tersimpan (dibatalkan utuh)"))
        if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
            return KnownError(_READ_ONLY.format(what=what or "basis data", where=_where(path)))
        if primary == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
            return KnownError(_IO.format(where=_where(path), detail=str(exc)))
        return None
    return None


def atomic_write(path: str | os.PathLike, write, *, what: str = "berkas") -> Path:
    """Write a file through ``<name>.part`` and rename it: a full disk or a read-only
    folder leaves no half file under the final name (and no ``.part`` either) and
    raises a KnownError saying what happened. ``write(tmp_path)`` does the writing.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        known = known_error(exc, path.parent, what=what) if isinstance(exc, (OSError, sqlite3.Error)) else None
        if known is not None:
            raise known from exc
        if isinstance(exc, OSError):
            raise KnownError(f"{what.capitalize()} tidak dapat ditulis ke {path}: {exc.strerror or exc}.") from exc
        raise
    return path


def save_workbook(wb, path: str | os.PathLike, *, what: str = "berkas") -> Path:
    """``wb.save`` into memory, then ``atomic_write``: openpyxl writing straight to a
    full disk leaves a half-closed zip behind; bytes in memory never do."""
    import io

    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    return atomic_write(path, lambda tmp: Path(tmp).write_bytes(data), what=what)
