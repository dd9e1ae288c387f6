"""Reading and writing plain tables (xlsx and CSV) the way field staff make them.

Readers tolerate what real files look like (titles above the header, header
on row 5, other header names, NIK as text or number) and refuse clearly what
cannot be read (not a workbook, password-protected, empty, too big). Writers
keep NIK as text and never let user text become a formula.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from db.errors import KnownError

MAX_FILE_BYTES = 40 * 1024 * 1024  # a 50 MB "spreadsheet" is refused before parsing
MAX_ROWS = 300_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls and password-protected .xlsx


@dataclass
class RawTable:
    """Cells as read, before any interpretation. ``rows[i]`` came from file row ``row_numbers[i]``."""

    headers: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    header_row: int = 1
    sheet: str | None = None
    source: str = ""
    all_rows: list[list[Any]] = field(default_factory=list)  # the first rows, for a preview


def normalise_header(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def _check_size(path: Path) -> None:
    if not path.exists():
        raise KnownError(f"Berkas {path} tidak ditemukan.")
    size = path.stat().st_size
    if size == 0:
        raise KnownError(f"Berkas {path.name} kosong.")
    if size > MAX_FILE_BYTES:
        raise KnownError(
            f"Berkas {path.name} terlalu besar ({size // (1024 * 1024)} MB; batas {MAX_FILE_BYTES // (1024 * 1024)} MB). "
            "Bagi menjadi beberapa berkas."
        )


def read_cells(path: str | os.PathLike, sheet: str | None = None) -> tuple[list[list[Any]], str | None]:
    """All non-empty rows of a workbook sheet or CSV file, as lists of cell values."""
    path = Path(path)
    _check_size(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise KnownError(
            f"Berkas {path.name} dilindungi kata sandi atau berformat Excel lama (.xls). "
            "Buka di Excel/LibreOffice, hapus kata sandinya, lalu simpan sebagai .xlsx."
        )
    if head.startswith(b"PK"):
        return _read_xlsx(path, sheet)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise KnownError(f"Berkas {path.name} bukan buku kerja Excel yang sah (rusak atau berformat lain).")
    return _read_csv(path), None


def sheet_names(path: str | os.PathLike) -> list[str]:
    """The sheets of a workbook ([] for a CSV file); KnownError when unreadable."""
    path = Path(path)
    _check_size(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK"):
        read_cells(path)  # raises the right message for OLE, damaged or binary files
        return []
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises assorted errors on damaged files
        raise KnownError(f"Berkas {path.name} rusak atau bukan buku kerja Excel ({type(exc).__name__}).") from exc
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[Any]], str]:
    from openpyxl import load_workbook

    from exporters.xlsx_fast import read_sheet

    try:
        fast = read_sheet(path, sheet, max_rows=MAX_ROWS)  # ~6x faster; None = let openpyxl read it
    except OverflowError:
        raise KnownError(f"Berkas {path.name} berisi lebih dari {MAX_ROWS:,} baris; bagi menjadi beberapa berkas."
                         .replace(",", ".")) from None
    if fast is not None:
        return fast

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise KnownError(f"Berkas {path.name} bukan buku kerja Excel yang dapat dibaca ({type(exc).__name__}).") from exc
    except Exception as exc:  # openpyxl raises assorted errors on damaged files
        raise KnownError(f"Berkas {path.name} rusak atau bukan buku kerja Excel ({exc}).") from exc
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                raise KnownError(f"Lembar '{sheet}' tidak ada di {path.name} (ada: {', '.join(wb.sheetnames)}).")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS:
                raise KnownError(f"Berkas {path.name} berisi lebih dari {MAX_ROWS:,} baris; bagi menjadi beberapa berkas.".replace(",", "."))
            rows.append(list(row))
        return rows, ws.title
    finally:
        wb.close()


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise KnownError(f"Berkas {path.name} bukan buku kerja atau CSV (berisi data biner).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    if "\t" in sample and sample.count("\t") > sample.count(delimiter):
        delimiter = "\t"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _row_is_empty(row: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def find_header_row(rows: list[list[Any]], expected: Iterable[str], scan: int = 30) -> int:
    """Index of the row (0-based) that best matches the expected header names."""
    wanted = {normalise_header(e) for e in expected}
    best, best_score = None, 0
    for i, row in enumerate(rows[:scan]):
        score = sum(1 for v in row if normalise_header(v) in wanted)
        if score > best_score:
            best, best_score = i, score
    if best is not None and best_score >= min(2, len(wanted)):
        return best
    for i, row in enumerate(rows[:scan]):
        if not _row_is_empty(row):
            return i
    raise KnownError("Berkas tidak berisi data (semua baris kosong).")


def read_table(path, expected_headers: Iterable[str] = (), *, sheet: str | None = None,
               header_row: int | None = None) -> RawTable:
    """Read a table; ``header_row`` is 1-based as the user sees it in Excel."""
    cells, title = read_cells(path, sheet)
    return table_from_cells(cells, expected_headers, header_row=header_row, source=str(path), sheet=title)


def table_from_cells(cells: list[list[Any]], expected_headers: Iterable[str] = (), *, header_row: int | None = None,
                     source: str = "", sheet: str | None = None) -> RawTable:
    """The table in cells already read (the import wizard re-cuts it when the user picks another header row)."""
    if not cells or all(_row_is_empty(r) for r in cells):
        raise KnownError(f"Berkas {Path(source).name} kosong (tidak ada baris berisi).")
    expected = list(expected_headers)
    idx = header_row - 1 if header_row else find_header_row(cells, expected)
    if idx < 0 or idx >= len(cells):
        raise KnownError(f"Baris judul {header_row} di luar isi berkas.")
    width = max(len(r) for r in cells)
    headers = [str(v).strip() if v is not None else "" for v in cells[idx]] + [""] * (width - len(cells[idx]))
    rows, numbers = [], []
    for i in range(idx + 1, len(cells)):
        row = list(cells[i]) + [None] * (width - len(cells[i]))
        if _row_is_empty(row):
            continue
        rows.append(row)
        numbers.append(i + 1)
    return RawTable(headers=headers, rows=rows, row_numbers=numbers, header_row=idx + 1, sheet=sheet,
                    source=source, all_rows=[list(r) for r in cells[:12]])


# --- writing ---------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@")


def safe_cell(cell, value: Any, *, text: bool = False) -> None:
    """Set a cell so that user text is never run as a formula and NIK stays text.

    openpyxl turns any string starting with ``=`` into a formula; forcing the
    data type back to string stores it as plain text, which Excel and
    LibreOffice show as typed and never evaluate.
    """
    if value is None:
        cell.value = None
        return
    if text or isinstance(value, str):
        cell.value = str(value)
        cell.data_type = "s"
        if text:
            cell.number_format = "@"
        return
    cell.value = value


def write_rows(ws, start_row: int, rows: Iterable[Sequence[Any]], text_columns: set[int] = frozenset()) -> int:
    """Write rows from ``start_row`` (1-based); columns in ``text_columns`` (0-based) stay text."""
    r = start_row
    for row in rows:
        for c, value in enumerate(row):
            safe_cell(ws.cell(row=r, column=c + 1), value, text=c in text_columns)
        r += 1
    return r


def cell_to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
