"""A streaming reader for plain .xlsx sheets, about six times faster than openpyxl,
and a fast path for writing the data rows of big sheets (see "writing" below).

openpyxl's read-only mode spends ~30 µs per cell building cell objects: a
50,000-row import file (750,000 cells) took 23 s just to read. This reader
parses the sheet XML with expat and gives the same values openpyxl's
``iter_rows(values_only=True)`` gives (ints and floats as openpyxl casts
them, shared and inline strings, booleans, error codes as text, dates for
date-formatted numbers via openpyxl's own ``from_excel``, empty rows kept so
row numbers stay those Excel shows).

It only handles what it understands: anything unexpected (no workbook part,
a chart sheet, odd XML) returns None and the caller falls back to openpyxl,
which then reads the file or explains why it cannot. Tested value for value
against openpyxl in tests/exporters/test_xlsx_fast.py.
"""
from __future__ import annotations

import datetime as _dt
import functools
import io
import re
import types
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape as _escape

# Built-in number formats that are dates or times (ECMA-376 18.8.30).
_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59)) | set(range(71, 82))
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class _Unsupported(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _parse(data: bytes, start=None, end=None, chars=None) -> None:
    p = expat.ParserCreate()
    p.buffer_text = True
    if start:
        p.StartElementHandler = start
    if end:
        p.EndElementHandler = end
    if chars:
        p.CharacterDataHandler = chars
    p.Parse(data, True)


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"', "", code)  # quoted text
    code = re.sub(r"\\.", "", code)  # escaped characters
    code = re.sub(r"\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]", "", code, flags=re.I)  # colours, locales
    if code.lower() in ("general", "@"):
        return False
    return bool(re.search(r"[dmyhs]", code, re.I))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _workbook(z: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet name, part path)] in workbook order, and the 1904 date system flag."""
    sheets: list[tuple[str, str]] = []
    rels: dict[str, str] = {}
    flags = {"1904": False}

    def wb_start(name, attrs):
        name = _local(name)
        if name == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            sheets.append((attrs.get("name", ""), rid))
        elif name == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            flags["1904"] = True

    _parse(z.read("xl/workbook.xml"), wb_start)

    def rel_start(name, attrs):
        if _local(name) == "Relationship":
            rels[attrs["Id"]] = attrs["Target"]

    _parse(z.read("xl/_rels/workbook.xml.rels"), rel_start)
    out = []
    for sheet_name, rid in sheets:
        target = rels.get(rid or "")
        if target is None:
            raise _Unsupported("sheet without a part")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out.append((sheet_name, part))
    return out, flags["1904"]


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        data = z.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    state = {"si": None, "t": False, "rph": 0}

    def start(name, attrs):
        name = _local(name)
        if name == "si":
            state["si"] = []
        elif name == "t" and not state["rph"]:
            state["t"] = True
        elif name == "rPh":
            state["rph"] += 1

    def end(name):
        name = _local(name)
        if name == "si":
            strings.append("".join(state["si"]))
            state["si"] = None
        elif name == "t":
            state["t"] = False
        elif name == "rPh":
            state["rph"] -= 1

    def chars(text):
        if state["t"] and state["si"] is not None:
            state["si"].append(text)

    _parse(data, start, end, chars)
    return strings


def _date_styles(z: zipfile.ZipFile) -> set[int]:
    """Indexes of cellXfs whose number format is a date/time."""
    try:
        data = z.read("xl/styles.xml")
    except KeyError:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"in_xfs": False}

    def start(name, attrs):
        name = _local(name)
        if name == "numFmt":
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            state["in_xfs"] = True
        elif name == "xf" and state["in_xfs"]:
            xfs.append(int(attrs.get("numFmtId", 0)))

    def end(name):
        if _local(name) == "cellXfs":
            state["in_xfs"] = False

    _parse(data, start, end)
    out = set()
    for i, fmt in enumerate(xfs):
        if fmt in custom:
            if _is_date_format(custom[fmt]):
                out.add(i)
        elif fmt in _BUILTIN_DATES:
            out.add(i)
    return out


def read_sheet(path: str | Path, sheet: str | None = None, max_rows: int | None = None):
    """(rows, sheet title) like openpyxl's values, or None when this reader does not handle the file.

    Raises ``OverflowError`` when the sheet has more than ``max_rows`` rows.
    """
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

    try:
        with zipfile.ZipFile(path) as z:
            sheets, is_1904 = _workbook(z)
            if not sheets:
                return None
            if sheet is None:
                title, part = sheets[0]
            else:
                match = [s for s in sheets if s[0] == sheet]
                if not match:
                    return None  # openpyxl reports the missing sheet
                title, part = match[0]
            if "worksheets/" not in part:
                return None
            strings = _shared_strings(z)
            dates = _date_styles(z)
            data = z.read(part)
    except (KeyError, zipfile.BadZipFile, expat.ExpatError, ValueError, OSError, _Unsupported):
        return None
    epoch = CALENDAR_MAC_1904 if is_1904 else CALENDAR_WINDOWS_1900
    rows: list[list[Any]] = []
    # Plain locals in closures: this runs for every cell of a 50,000-row file.
    row: list | None = None
    col = -1
    ctype = "n"
    style = 0
    text: list | None = None
    collecting = False
    inline = False
    cell_ref = _CELL_REF.match

    def start(name, attrs):
        nonlocal row, col, ctype, style, text, collecting, inline
        if ":" in name:
            name = name.rsplit(":", 1)[1]
        if name == "c":
            ref = attrs.get("r")
            if ref:
                letters = cell_ref(ref).group(1)
                col = ord(letters) - 65 if len(letters) == 1 else _col_index(letters)
            else:
                col += 1
            ctype = attrs.get("t", "n")
            style = int(attrs.get("s", 0))
            text = None
            inline = False
        elif name == "v":
            collecting = True
            text = []
        elif name == "row":
            r = int(attrs["r"]) if "r" in attrs else len(rows) + 1
            while len(rows) < r - 1:
                rows.append([])
            if max_rows is not None and r > max_rows + 1:
                raise OverflowError()
            row = []
            col = -1
        elif name == "is":
            inline = True
            text = []
        elif name == "t" and inline:
            collecting = True
        elif name == "rPh":
            collecting = False
            inline = False

    def end(name):
        nonlocal row, collecting
        if ":" in name:
            name = name.rsplit(":", 1)[1]
        if name == "v" or name == "t":
            collecting = False
        elif name == "c":
            value = None if text is None else _value(ctype, style, "".join(text))
            while len(row) < col:
                row.append(None)
            row.append(value)
        elif name == "row":
            rows.append(row)
            row = None

    def chars(data):
        if collecting:
            text.append(data)

    def _value(t, s, value_text):
        if t == "n":
            if value_text == "":
                return None
            value = float(value_text) if ("." in value_text or "E" in value_text or "e" in value_text) \
                else int(value_text)
            return from_excel(value, epoch) if s in dates else value
        if t == "s":
            return strings[int(value_text)]
        if t in ("inlineStr", "str", "e"):
            return value_text
        if t == "b":
            return bool(int(value_text))
        if t == "d":
            return from_ISO8601(value_text)
        return value_text

    try:
        _parse(data, start, end, chars)
    except (expat.ExpatError, ValueError, IndexError, KeyError, AttributeError, TypeError):
        return None
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows, title


# =========================================================================== writing
#
# openpyxl spends ~35 µs per cell between creating the cell, styling it and
# serialising it: a kota recap's by-name list (65,000 rows x 19 columns) took
# over 20 s. Big tables therefore keep their data rows as ready SheetML text
# (``tunda_baris``), written the way openpyxl writes cells (inline strings,
# ``%.16g`` numbers, dates as serial numbers, the workbook's own style ids),
# and ``simpan`` splices them into the sheet parts after openpyxl has written
# the rest of the book (titles, header, column widths, print setup, styles).

_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl's ILLEGAL_CHARACTERS_RE
_PENDING = "_kesos_baris_tertunda"


def teks_xml(ref: str, style: int, value: str) -> str:
    """A text cell as openpyxl writes it (inline string; an empty string is an empty cell)."""
    if len(value) > 32767:
        value = value[:32767]  # openpyxl truncates to Excel's cell limit
    if not value:
        return f'<c r="{ref}" s="{style}" t="inlineStr"/>'
    if _ILLEGAL.search(value):
        from openpyxl.utils.exceptions import IllegalCharacterError

        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    space = ""
    if value[0].isspace() or value[-1].isspace():  # (checked first: strip() copies the text)
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
    if "&" in value or "<" in value or ">" in value:
        value = _escape(value)
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{value}</t></is></c>'


def nilai_xml(ref: str, style: int, value: Any, epoch) -> str:
    """A cell holding ``value`` typed as openpyxl types it (None: a styled empty cell)."""
    if value is None:
        return f'<c r="{ref}" s="{style}" t="n"/>'
    if value.__class__ is int:  # the common case first; safe_string writes ints as "%.16g" too
        return f'<c r="{ref}" s="{style}" t="n"><v>{"%.16g" % value}</v></c>'
    if isinstance(value, str):
        return teks_xml(ref, style, value)
    if isinstance(value, bool):
        kind = "b"
    elif isinstance(value, (int, float)):
        kind = "n"
    elif isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        if getattr(value, "tzinfo", None) is not None:
            raise TypeError("Excel does not support timezones in datetimes.")
        kind, value = "n", _openpyxl().to_excel(value, epoch)
    else:
        from openpyxl.cell.cell import Cell

        cell = Cell(None, value=value)  # anything else: openpyxl's own conversion (or its error)
        kind, value = cell.data_type, cell.value
    text = _openpyxl().safe_string(value)
    if text == "":
        return f'<c r="{ref}" s="{style}" t="{kind}"/>'
    return f'<c r="{ref}" s="{style}" t="{kind}"><v>{text}</v></c>'


@functools.cache
def _openpyxl():
    """openpyxl's own value formatting (imported on first use: the reader above does not need it)."""
    from openpyxl.compat import safe_string
    from openpyxl.utils.datetime import to_excel

    return types.SimpleNamespace(safe_string=safe_string, to_excel=to_excel)


def tunda_baris(ws, rows: list[str], last_row: int, last_col: int) -> None:
    """Keep ``rows`` (``<row>`` elements, in row order, after every row that has cells in ``ws``)
    for ``simpan`` to write into ``ws``; ``last_row``/``last_col``: the sheet's extent with them."""
    pending = ws.parent.__dict__.setdefault(_PENDING, {})
    pending[id(ws)] = (ws, rows, last_row, last_col)


def simpan(wb, target) -> None:
    """Save ``wb`` (a path or a binary file) with the rows held by ``tunda_baris``."""
    pending = wb.__dict__.get(_PENDING) or {}
    if not pending:
        wb.save(target)
        return
    buf = io.BytesIO()
    wb.save(buf)  # assigns every sheet its part name (ws.path)
    parts = {ws.path.lstrip("/"): (ws, rows, last_row, last_col) for ws, rows, last_row, last_col in pending.values()}
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename not in parts:
                zout.writestr(info, data)
                continue
            ws, rows, last_row, last_col = parts[info.filename]
            head, tail = _split_sheet(data)
            head = _DIMENSION.sub(_dimension(ws, last_row, last_col), head, count=1)
            with zout.open(info, "w", force_zip64=True) as fh:
                fh.write(head)
                for start in range(0, len(rows), 2000):
                    fh.write("".join(rows[start:start + 2000]).encode("utf-8"))
                fh.write(tail)


def _split_sheet(data: bytes) -> tuple[bytes, bytes]:
    """(everything up to the end of the last row, the rest) of a sheet part written by openpyxl."""
    end = data.rfind(b"</sheetData>")
    if end >= 0:
        return data[:end], data[end:]
    empty = data.find(b"<sheetData/>")
    if empty < 0:
        raise ValueError("worksheet part without sheetData")
    return data[:empty] + b"<sheetData>", b"</sheetData>" + data[empty + len(b"<sheetData/>"):]


def _dimension(ws, last_row: int, last_col: int) -> bytes:
    from openpyxl.utils import get_column_letter

    first = f"{get_column_letter(ws.min_column)}{ws.min_row}"
    last = f"{get_column_letter(max(ws.max_column, last_col))}{max(ws.max_row, last_row)}"
    return f'<dimension ref="{first}:{last}"/>'.encode()
