"""The monthly recap workbook (DOMAIN.md §9), laid out like a document an office files.

One sheet per part: Sampul (header), Indikator, PPKS, Keluaran (services by
sub-kegiatan), Sumber Dana, Bencana, Bencana per Jenis, PSKS, Kegiatan PSKS,
Peserta Kegiatan, BNBA, Pengesahan (signature block). Every sheet: title rows,
then exactly one header row (repeated on every printed page), then data rows
whose column A is the Kemendagri code of the area the row belongs to, so staff
can VLOOKUP and tools can read the book. Values are what the indicator engine
computed (no formulas), numbers with Indonesian separators
(``[$-421]#,##0`` shows 1.800.000 in LibreOffice and Excel alike), dates as
real dates, NIK as text, A4 with fit-to-width.

The sheet writers take plain computed data and a list of area blocks
(``(kode_wilayah, rows...)``), so the Dinas consolidated recap reuses them for
many kelurahan/kecamatan at once; ``tulis_rekap`` assembles the kelurahan book
from ``db.rekap.RekapData``.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from copy import copy

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from db.errors import KnownError
from db.indikator import Hasil
from db.indonesian import tanggal_panjang
from exporters import xlsx_fast
from exporters.tabular import safe_cell

# Number formats. [$-421] = Indonesian: LibreOffice then uses "." for thousands and
# "," for decimals whatever the computer's locale; Excel in id-ID shows the same.
FMT_INT = "[$-421]#,##0"
FMT_DEC = "[$-421]#,##0.00"
FMT_PCT = "[$-421]0.00"
FMT_RP = '[$-421]"Rp" #,##0'
FMT_DATE = "[$-421]dd/mm/yyyy"
FMT_DATE_LONG = "[$-421]d mmmm yyyy"
FMT_TEXT = "@"

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT_TITLE = Font(name="Calibri", size=14, bold=True)
FONT_SUB = Font(name="Calibri", size=11)
FONT_NOTE = Font(name="Calibri", size=9, italic=True, color="555555")
FONT_HEADER = Font(name="Calibri", size=10, bold=True)
FONT_BODY = Font(name="Calibri", size=10)
FONT_BOLD = Font(name="Calibri", size=10, bold=True)


@dataclass
class Kolom:
    judul: str
    lebar: float = 12
    jenis: str = "text"  # text | int | num | pct | rp | date | nik | kode


def _fmt(jenis: str, value: Any) -> str | None:
    if jenis == "int":
        return FMT_INT
    if jenis == "num":
        return FMT_INT if isinstance(value, int) or (isinstance(value, float) and value.is_integer()) else FMT_DEC
    if jenis == "pct":
        return FMT_PCT
    if jenis == "rp":
        return FMT_RP
    if jenis == "date":
        return FMT_DATE
    if jenis in ("nik", "kode"):
        return FMT_TEXT
    return None


def _as_date(value) -> _dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value)[:10])


def tulis_tabel(ws: Worksheet, judul: Sequence[str], kolom: Sequence[Kolom], rows: Iterable[Sequence[Any]], *,
                total: Iterable[int] = (), catatan: Sequence[str] = (), landscape: bool = True,
                sel: bool = False) -> int:
    """Write title lines, one header row and the rows; returns the header row number.

    ``total``: indexes (0-based) of rows to show in bold as totals. ``catatan``:
    note lines printed under the titles. Values are written as given
    (numbers as numbers, ``date`` columns as real dates, ``nik``/``kode`` as text).

    The data rows are kept as SheetML text and written when the book is saved
    with ``simpan`` (exporters/xlsx_fast.py: openpyxl cells cost ~35 µs each);
    ``sel=True`` writes them as openpyxl cells instead, for a sheet whose cells
    are edited after this call (the cover).
    """
    r = 1
    for i, line in enumerate(judul):
        cell = ws.cell(row=r, column=1)
        safe_cell(cell, line)
        cell.font = FONT_TITLE if i == 0 else FONT_SUB
        r += 1
    for line in catatan:
        cell = ws.cell(row=r, column=1)
        safe_cell(cell, line)
        cell.font = FONT_NOTE
        r += 1
    r += 1
    header = r
    head_style = _gaya(ws, "header", None, True)
    for c, k in enumerate(kolom, start=1):
        cell = ws.cell(row=header, column=c)
        safe_cell(cell, k.judul)
        cell._style = copy(head_style)
        ws.column_dimensions[get_column_letter(c)].width = k.lebar
    ws.row_dimensions[header].height = _tinggi([(k.judul, k.lebar) for k in kolom], bold=True)
    write = _tulis_sel if sel else _tulis_xml
    n = write(ws, kolom, rows, header + 1, set(total))
    last_col = get_column_letter(len(kolom))
    ws.freeze_panes = f"A{header + 1}"
    if n:
        ws.auto_filter.ref = f"A{header}:{last_col}{header + n}"
    _print_setup(ws, header, landscape)
    return header


def _isi(k: Kolom, value: Any) -> tuple[Any, str | None]:
    """(value as written, number format) of a body cell of column ``k``: ``date`` columns hold
    real dates; ``nik``/``kode`` columns and every string are text (never a formula)."""
    if k.jenis == "date":
        value = _as_date(value)
    if value is None:
        return None, None
    if isinstance(value, str) or k.jenis in ("nik", "kode"):
        value = str(value)
    return value, _fmt(k.jenis, value)


def _tinggi_baris(kolom: Sequence[Kolom], row: Sequence[Any], text_cols: list[int]) -> float | None:
    """The height of a data row whose wrapped text needs more than one line, else None."""
    height = _tinggi([(row[j], kolom[j].lebar) for j in text_cols if j < len(row) and isinstance(row[j], str)])
    return height if height > 14 else None


def _tulis_sel(ws: Worksheet, kolom: Sequence[Kolom], rows: Iterable[Sequence[Any]], first: int,
               totals: set[int]) -> int:
    """The data rows as openpyxl cells; returns their number."""
    text_cols = [i for i, k in enumerate(kolom) if k.jenis == "text"]
    n = 0
    for i, row in enumerate(rows):
        r = first + i
        n += 1
        bold = i in totals
        for c, (k, value) in enumerate(zip(kolom, row), start=1):
            value, fmt = _isi(k, value)
            cell = ws.cell(row=r, column=c)
            # styles are copied from one styled cell per kind: setting font/border/
            # alignment cell by cell costs ~10x more in openpyxl (style hashing)
            cell._style = copy(_gaya(ws, k.jenis, fmt, bold))
            if value is None:
                continue
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, NIK never a number
        height = _tinggi_baris(kolom, row, text_cols)
        if height:
            ws.row_dimensions[r].height = height
    return n


def _tulis_xml(ws: Worksheet, kolom: Sequence[Kolom], rows: Iterable[Sequence[Any]], first: int,
               totals: set[int]) -> int:
    """The data rows as SheetML text for ``simpan`` (same values and styles as ``_tulis_sel``)."""
    from openpyxl.compat import safe_string

    wb = ws.parent
    epoch = wb.epoch
    letters = [get_column_letter(c) for c in range(1, len(kolom) + 1)]
    text_cols = [i for i, k in enumerate(kolom) if k.jenis == "text"]
    teks, nilai = xlsx_fast.teks_xml, xlsx_fast.nilai_xml  # (a million cells: every lookup counts)
    style_ids: dict[tuple, int] = {}
    out: list[str] = []
    for i, row in enumerate(rows):
        r = str(first + i)
        bold = i in totals
        cells = []
        for letter, k, value in zip(letters, kolom, row):
            value, fmt = _isi(k, value)
            key = (k.jenis, fmt, bold)
            sid = style_ids.get(key)
            if sid is None:
                sid = style_ids[key] = wb._cell_styles.add(_gaya(ws, k.jenis, fmt, bold))
            if value.__class__ is str:
                cells.append(teks(letter + r, sid, value))
            else:
                cells.append(nilai(letter + r, sid, value, epoch))
        height = _tinggi_baris(kolom, row, text_cols)
        attrs = f' ht="{safe_string(height)}" customHeight="1"' if height else ""
        out.append(f'<row r="{r}"{attrs}>{"".join(cells)}</row>')
    if out:
        xlsx_fast.tunda_baris(ws, out, first + len(out) - 1, len(kolom))
    return len(out)


def _gaya(ws: Worksheet, jenis: str, fmt: str | None, bold: bool):
    """The StyleArray of a body (or header) cell of ``jenis`` in this workbook, made once
    (kept on the workbook: style ids index the workbook's own style tables)."""
    cache = ws.parent.__dict__.setdefault("_kesos_gaya", {})
    key = (jenis, fmt, bold)
    style = cache.get(key)
    if style is None:
        cell = Cell(ws)
        if jenis == "header":
            cell.font, cell.fill = FONT_HEADER, HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        else:
            cell.font = FONT_BOLD if bold else FONT_BODY
            if bold:
                cell.fill = TOTAL_FILL
            cell.alignment = Alignment(vertical="top", wrap_text=jenis == "text")
        cell.border = BORDER
        if fmt:
            cell.number_format = fmt
        style = cache[key] = copy(cell._style)
    return style


def _tinggi(cells: Iterable[tuple[Any, float]], bold: bool = False) -> float:
    """Row height (points) that shows every wrapped text: neither LibreOffice nor Excel grows
    rows of a generated file by itself."""
    lines = 1
    for text, width in cells:
        if not text:
            continue
        per_line = max(1, int(width * (1.0 if bold else 1.15)) - 1)
        text = str(text)
        if len(text) <= per_line and "\n" not in text:
            continue  # one line (most cells: checked before splitting anything)
        n = 0
        for part in text.split("\n"):
            n += 1
            if len(part) <= per_line:  # fits: the word wrap below would give one line too
                continue
            words, cur = part.split(" "), 0
            for w in words:
                need = len(w) + (1 if cur else 0)
                if cur + need > per_line and cur:
                    n += 1
                    cur = len(w)
                else:
                    cur += need
        lines = max(lines, n)
    return 13.0 * lines + 2


def _print_setup(ws: Worksheet, header_row: int | None, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.center.size = 8


# --------------------------------------------------------------------------- titles


def judul_wilayah(path: list[dict]) -> str:
    """'Kelurahan Pallima (61.71.03.1001), Kec. Pontianak Barat, Kota Pontianak, Kalimantan Barat'."""
    if not path:
        return ""
    own = path[-1]
    jenis = {"kelurahan": "Kelurahan", "desa": "Desa", "kecamatan": "Kecamatan"}.get(own["jenis"], "")
    first = f"{jenis + ' ' if jenis and not own['nama'].startswith(jenis) else ''}{own['nama']} ({own['kode']})"
    rest = []
    for row in reversed(path[:-1]):
        rest.append(f"Kec. {row['nama']}" if row["tingkat"] == 3 else row["nama"])
    return ", ".join([first, *rest])


def _judul(data, title: str) -> list[str]:
    return [title, judul_wilayah(data.path), f"Periode: {data.periode.label}"]


# --------------------------------------------------------------------------- sheets


def sheet_sampul(ws: Worksheet, data) -> None:
    """Header: areas with codes, period, reporter, dates, and whether the month was closed."""
    ws.title = "Sampul"
    peran_nama = {"PSM": "Pekerja Sosial Masyarakat (PSM)", "TKSK": "Tenaga Kesejahteraan Sosial Kecamatan (TKSK)",
                  "DINAS": "Dinas Sosial"}.get(data.peran, data.peran)
    tingkat_nama = {1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Kelurahan/Desa"}
    rows: list[list] = [[p["kode"], tingkat_nama.get(p["tingkat"], ""), p["nama"]] for p in data.path]
    rows += [
        [None, "Periode", data.periode.label],
        [None, "Kode Periode", data.periode.kode],
        [None, "Pelapor", data.pelapor],
        [None, "Peran Pelapor", peran_nama],
        [None, "Nomor Registrasi Pelapor", data.pelapor_nomor or "-"],
        [None, "Lurah", data.lurah or "-"],
        [None, "Tanggal Rekap", None],
    ]
    st = data.status_bulan
    if st and st.get("ditutup"):
        rows.append([None, "Status Bulan", f"Ditutup (dilaporkan) pada {tanggal_panjang(st['ditutup_at'][:10])}"
                                           + (f": {st['alasan']}" if st.get("alasan") else "")])
    elif st:
        rows.append([None, "Status Bulan", f"Dibuka kembali pada {tanggal_panjang((st.get('dibuka_at') or '')[:10])}: "
                                           f"{st.get('alasan_buka') or ''} (revisi ke-{st['urutan_paket']})"])
    else:
        rows.append([None, "Status Bulan", "Belum ditutup"])
    tulis_tabel(
        ws,
        ["REKAPITULASI BULANAN PELAYANAN KESEJAHTERAAN SOSIAL", judul_wilayah(data.path),
         f"Periode: {data.periode.label}"],
        [Kolom("Kode", 16, "kode"), Kolom("Uraian", 28), Kolom("Isi", 70)],
        rows,
        catatan=["Angka dalam buku ini dihitung oleh aplikasi Kesos Lapangan dari data yang tercatat "
                 "(bukan diketik); orang dihitung sekali (menurut NIK)."],
        landscape=False,
        sel=True,  # edited below (and by the Dinas cover)
    )
    # the date as a real date (shown "31 Desember 2025")
    for row in ws.iter_rows(min_row=1, max_col=3):
        if row[1].value == "Tanggal Rekap":
            row[2].value = data.tanggal
            row[2].number_format = FMT_DATE_LONG
            row[2].alignment = Alignment(horizontal="left", vertical="top")


def baris_indikator(kode: str, bulan: dict[str, Hasil], ytd: dict[str, Hasil], penilaian: dict[str, dict] | None,
                    ids: Iterable[str]) -> list[list]:
    out = []
    for ident in ids:
        b, y = bulan[ident], ytd[ident]
        p = (penilaian or {}).get(ident, {})
        out.append([kode, ident, b.nama, b.satuan, b.numerator, b.denominator, b.nilai, y.numerator, y.denominator,
                    y.nilai, p.get("target"), p.get("capaian"), p.get("predikat"),
                    f"Pembilang: {b.label_numerator}. Penyebut: {b.label_denominator}."])
    return out


KOLOM_INDIKATOR = [
    Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Indikator", 18, "kode"), Kolom("Indikator", 46),
    Kolom("Satuan", 7), Kolom("Pembilang Bulan Ini", 11, "int"), Kolom("Penyebut Bulan Ini", 11, "int"),
    Kolom("Nilai Bulan Ini (%)", 10, "pct"), Kolom("Pembilang s.d. Bulan Ini", 11, "int"),
    Kolom("Penyebut s.d. Bulan Ini", 11, "int"), Kolom("Nilai s.d. Bulan Ini (%)", 10, "pct"),
    Kolom("Target Tahunan", 10, "num"), Kolom("Capaian (%)", 10, "pct"), Kolom("Predikat", 14),
    Kolom("Keterangan", 50),
]


def sheet_indikator(ws: Worksheet, judul: list[str], rows: list[list]) -> None:
    """Indicator summary; ``rows`` from ``baris_indikator`` (one block per area)."""
    ws.title = "Indikator"
    tulis_tabel(ws, judul, KOLOM_INDIKATOR, rows,
                catatan=["Nilai = pembilang / penyebut x 100; kosong bila penyebut 0. "
                         "Capaian = nilai s.d. bulan ini / target tahunan x 100."])


def baris_ppks(kode: str, rows: list[dict]) -> tuple[list[list], list[int]]:
    out, totals = [], []
    for r in rows:
        if r["kode"] is None:
            totals.append(len(out))
        nama = r["nama"] + (f" ({r['singkatan']})" if r.get("singkatan") and r["singkatan"] not in r["nama"] else "")
        out.append([kode, r["kode"], nama, r.get("spm_kelompok"), r["L"], r["P"], r["jumlah"], r["baru"],
                    r["dilayani"], r["dilayani_ytd"]])
    return out, totals


KOLOM_PPKS = [
    Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Kategori", 9, "kode"), Kolom("Kategori PPKS", 44),
    Kolom("Kelompok SPM", 14), Kolom("Terdaftar L", 10, "int"), Kolom("Terdaftar P", 10, "int"),
    Kolom("Terdaftar Jumlah", 10, "int"), Kolom("Baru Bulan Ini", 10, "int"), Kolom("Dilayani Bulan Ini", 10, "int"),
    Kolom("Dilayani s.d. Bulan Ini", 11, "int"),
]


def sheet_ppks(ws: Worksheet, judul: list[str], rows: list[list], totals: list[int]) -> None:
    ws.title = "PPKS"
    tulis_tabel(ws, judul, KOLOM_PPKS, rows, total=totals,
                catatan=["Terdaftar = registrasi aktif pada akhir periode (orang). Orang dengan lebih dari satu "
                         "kategori dihitung pada setiap kategorinya; baris Jumlah menghitung setiap orang sekali.",
                         "Dilayani = menerima minimal satu layanan (seperti indikator PPKS_TERTANGANI)."])


def _kuantitas(h: Hasil, satuan_default: str | None) -> tuple[Any, str | None, str]:
    """(quantity in the main unit, unit code, note about other units)."""
    if not h.kuantitas and "kuantitas" not in h.ukuran:
        return None, None, ""
    main = satuan_default if satuan_default in h.kuantitas or not h.kuantitas else max(h.kuantitas, key=h.kuantitas.get)
    qty = h.kuantitas.get(main, 0) if h.kuantitas else 0
    others = [(s, q) for s, q in h.kuantitas.items() if s != main]
    return qty, main, ", ".join(f"juga {_angka(q)} {s}" for s, q in others)


def _angka(q) -> str:
    from db.indonesian import angka

    return angka(q)


def baris_keluaran(kode: str, bulan: dict[str, Hasil], ytd: dict[str, Hasil], penilaian: dict[str, dict] | None,
                   layanan_ref: dict[str, dict], satuan_nama: dict[str, str]) -> list[list]:
    out = []
    for ident, h in bulan.items():
        if h.jenis != "keluaran":
            continue
        ref = layanan_ref.get(h.kode_layanan or "", {})
        y = ytd.get(ident)
        jenis = ref.get("jenis")
        qty, sat, note = _kuantitas(h, ref.get("satuan_default"))
        if jenis == "kegiatan_psks":
            n_layanan, note = h.ukuran.get("kegiatan"), "Peserta hadir kegiatan PSKS; Jumlah Layanan = jumlah kegiatan"
        elif jenis == "pendataan":
            n_layanan, note = None, "Dihitung dari register PPKS"
        else:
            n_layanan = h.ukuran.get("jumlah_layanan")
        p = (penilaian or {}).get(ident, {})
        out.append([kode, h.kode_layanan, ref.get("nama", h.nama), h.numerator, satuan_nama.get(h.satuan, h.satuan),
                    n_layanan, qty, satuan_nama.get(sat, sat) if sat else None, h.ukuran.get("nilai"),
                    y.numerator if y else None, y.ukuran.get("nilai") if y else None, p.get("target"),
                    p.get("capaian"), note or None])
    return out


KOLOM_KELUARAN = [
    Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Sub Kegiatan", 18, "kode"), Kolom("Sub Kegiatan", 44),
    Kolom("Penerima Bulan Ini", 10, "int"), Kolom("Satuan Penerima", 9), Kolom("Jumlah Layanan", 10, "int"),
    Kolom("Kuantitas", 10, "num"), Kolom("Satuan", 9), Kolom("Nilai (Rp)", 15, "rp"),
    Kolom("Penerima s.d. Bulan Ini", 11, "int"), Kolom("Nilai s.d. Bulan Ini (Rp)", 15, "rp"),
    Kolom("Target Tahunan", 10, "num"), Kolom("Capaian (%)", 10, "pct"), Kolom("Keterangan", 30),
]


def sheet_keluaran(ws: Worksheet, judul: list[str], rows: list[list]) -> None:
    ws.title = "Keluaran"
    tulis_tabel(ws, judul, KOLOM_KELUARAN, rows,
                catatan=["Penerima = orang berbeda (KK berbeda untuk layanan per KK); layanan batal tidak dihitung. "
                         "Kuantitas dalam satuan baku sub kegiatan; satuan lain disebut di Keterangan."])


def baris_sumber_dana(kode: str, bulan: dict[str, Hasil], layanan_ref: dict[str, dict], satuan_nama: dict[str, str],
                      sumber_dana_nama: dict[str, str]) -> list[list]:
    out = []
    order = list(sumber_dana_nama)
    for h in bulan.values():
        if h.jenis != "keluaran" or not h.per_sumber_dana:
            continue
        ref = layanan_ref.get(h.kode_layanan or "", {})
        for sumber in sorted(h.per_sumber_dana, key=lambda s: (order.index(s) if s in order else 99, s)):
            v = h.per_sumber_dana[sumber]
            sat = ref.get("satuan_default")
            out.append([kode, h.kode_layanan, ref.get("nama", h.nama), sumber or None,
                        sumber_dana_nama.get(sumber, "(tidak diisi)" if not sumber else sumber), v["penerima"],
                        v["jumlah_layanan"], v.get("kuantitas"), satuan_nama.get(sat, sat) if "kuantitas" in v else None,
                        v["nilai"]])
    return out


KOLOM_SUMBER_DANA = [
    Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Sub Kegiatan", 18, "kode"), Kolom("Sub Kegiatan", 40),
    Kolom("Kode Sumber Dana", 12, "kode"), Kolom("Sumber Dana", 16), Kolom("Penerima", 10, "int"),
    Kolom("Jumlah Layanan", 10, "int"), Kolom("Kuantitas", 10, "num"), Kolom("Satuan", 9), Kolom("Nilai (Rp)", 15, "rp"),
]


def sheet_sumber_dana(ws: Worksheet, judul: list[str], rows: list[list]) -> None:
    ws.title = "Sumber Dana"
    tulis_tabel(ws, judul, KOLOM_SUMBER_DANA, rows,
                catatan=["Satu baris per sub kegiatan dan sumber dana yang memiliki layanan pada periode ini. "
                         "Seseorang yang dilayani dari dua sumber dana muncul pada kedua baris."])


def _bencana_layanan_kolom(layanan_ref: dict[str, dict]) -> list[str]:
    return [k for k, r in layanan_ref.items() if r.get("bencana")]


def baris_bencana(events: list[dict], layanan_kode: list[str]) -> list[list]:
    out = []
    for e in events:
        out.append([e["kode_wilayah"], e.get("kode_kejadian"), e["tanggal"], e["jenis_nama"],
                    "Bencana Alam" if e["kelompok"] == "alam" else "Bencana Sosial",
                    ", ".join(x for x in (e.get("lokasi"), e.get("wilayah_nama")) if x) or None,
                    e.get("kk_terdampak"), e.get("jiwa_terdampak"), e.get("rumah_rusak"), e["akhir_tanggap_darurat"],
                    e["korban"], e["korban_dilayani"], *[e["layanan"].get(k, 0) for k in layanan_kode]])
    return out


def kolom_bencana(layanan_ref: dict[str, dict]) -> list[Kolom]:
    return [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Kejadian", 12, "kode"), Kolom("Tanggal Kejadian", 11, "date"),
        Kolom("Jenis Bencana", 18), Kolom("Kelompok", 11), Kolom("Lokasi", 22), Kolom("KK Terdampak", 10, "int"),
        Kolom("Jiwa Terdampak", 10, "int"), Kolom("Rumah Rusak", 8, "int"), Kolom("Akhir Masa Tanggap Darurat", 11, "date"),
        Kolom("Korban Terdaftar", 9, "int"), Kolom("Korban Dilayani dalam Masa Tanggap", 11, "int"),
        *[Kolom(f"Layanan {layanan_ref[k]['nama']}", 13, "int") for k in _bencana_layanan_kolom(layanan_ref)],
    ]


def sheet_bencana(ws: Worksheet, judul: list[str], rows: list[list], layanan_ref: dict[str, dict]) -> None:
    ws.title = "Bencana"
    tulis_tabel(ws, judul, kolom_bencana(layanan_ref), rows,
                catatan=["Setiap kejadian pada periode ini. Korban dilayani = menerima layanan 1.06.06.2.01 "
                         "kejadian itu dalam masa tanggap darurat. Kolom layanan = banyaknya layanan per jenis."]
                + ([] if rows else ["Tidak ada kejadian bencana pada periode ini."]))


def baris_bencana_jenis(kode: str, per_jenis: list[dict], layanan_kode: list[str]) -> list[list]:
    return [[kode, r["jenis_kode"], r["jenis_nama"], "Bencana Alam" if r["kelompok"] == "alam" else "Bencana Sosial",
             r["kejadian"], r["kk_terdampak"], r["jiwa_terdampak"], r["rumah_rusak"], r["korban"], r["korban_dilayani"],
             *[r["layanan"].get(k, 0) for k in layanan_kode]] for r in per_jenis]


def sheet_bencana_jenis(ws: Worksheet, judul: list[str], rows: list[list], layanan_ref: dict[str, dict]) -> None:
    ws.title = "Bencana per Jenis"
    kolom = [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Jenis", 21, "kode"), Kolom("Jenis Bencana", 20),
        Kolom("Kelompok", 11), Kolom("Kejadian", 9, "int"), Kolom("KK Terdampak", 10, "int"),
        Kolom("Jiwa Terdampak", 10, "int"), Kolom("Rumah Rusak", 8, "int"), Kolom("Korban Terdaftar", 9, "int"),
        Kolom("Korban Dilayani dalam Masa Tanggap", 11, "int"),
        *[Kolom(f"Layanan {layanan_ref[k]['nama']}", 13, "int") for k in _bencana_layanan_kolom(layanan_ref)],
    ]
    tulis_tabel(ws, judul, kolom, rows, catatan=[] if rows else ["Tidak ada kejadian bencana pada periode ini."])


def baris_psks(kode: str, rows: list[dict]) -> tuple[list[list], list[int]]:
    out, totals = [], []
    for r in rows:
        if r["kode"] is None:
            totals.append(len(out))
        bentuk = {"orang": "Perorangan", "lembaga": "Lembaga"}.get(r.get("bentuk") or "", None)
        out.append([kode, r["kode"], r["nama"], bentuk, r["aktif"], r["dibina"], r["dibina_ytd"]])
    return out, totals


def sheet_psks(ws: Worksheet, judul: list[str], rows: list[list], totals: list[int]) -> None:
    ws.title = "PSKS"
    tulis_tabel(ws, judul, [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Jenis", 18, "kode"), Kolom("Jenis PSKS", 44),
        Kolom("Bentuk", 11), Kolom("Terdaftar Aktif", 10, "int"), Kolom("Dibina Bulan Ini", 10, "int"),
        Kolom("Dibina s.d. Bulan Ini", 11, "int"),
    ], rows, total=totals, catatan=["Dibina = hadir pada minimal satu kegiatan PSKS. Baris Jumlah menghitung "
                                    "setiap orang/lembaga sekali."], landscape=False)


def baris_kegiatan(kode: str, events: list[dict]) -> list[list]:
    return [[e.get("kode_wilayah") or kode, e.get("kode_kegiatan"), e["nama"], e.get("jenis_nama"), e.get("kode_layanan"),
             e["tanggal_mulai"], e["tanggal_selesai"], e.get("penyelenggara"), e.get("tempat"), e["peserta_terdaftar"],
             e["peserta_hadir"], e["peserta_hadir_wilayah"]] for e in events]


def sheet_kegiatan(ws: Worksheet, judul: list[str], rows: list[list]) -> None:
    ws.title = "Kegiatan PSKS"
    tulis_tabel(ws, judul, [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Kegiatan", 13, "kode"), Kolom("Nama Kegiatan", 36),
        Kolom("Jenis Kegiatan", 15), Kolom("Kode Sub Kegiatan", 18, "kode"), Kolom("Tanggal Mulai", 11, "date"),
        Kolom("Tanggal Selesai", 11, "date"), Kolom("Penyelenggara", 22), Kolom("Tempat", 18),
        Kolom("Peserta Terdaftar", 10, "int"), Kolom("Peserta Hadir", 10, "int"),
        Kolom("Hadir dari Wilayah Ini", 10, "int"),
    ], rows, catatan=(["Kegiatan yang dimulai pada periode ini, diadakan di wilayah ini atau diikuti PSKS-nya. "
                       "Kode wilayah = tempat kegiatan (wilayah laporan bila kegiatan tingkat kota tanpa kode)."]
                      + ([] if rows else ["Tidak ada kegiatan PSKS pada periode ini."])))


def baris_peserta(events: list[dict]) -> list[list]:
    out = []
    for e in events:
        for p in e["peserta"]:
            out.append([p.get("kode_wilayah"), e.get("kode_kegiatan"), e["nama"], p["nama"], p.get("nik"),
                        p.get("jenis_nama"), p.get("nomor_registrasi"), "Ya" if p["hadir"] else "Tidak"])
    return out


def sheet_peserta(ws: Worksheet, judul: list[str], rows: list[list]) -> None:
    ws.title = "Peserta Kegiatan"
    tulis_tabel(ws, judul, [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Kegiatan", 13, "kode"), Kolom("Nama Kegiatan", 32),
        Kolom("Nama Peserta", 28), Kolom("NIK", 19, "nik"), Kolom("Jenis PSKS", 26), Kolom("Nomor Registrasi", 15, "kode"),
        Kolom("Hadir", 7),
    ], rows)


def baris_bnba(rows: list[dict], satuan_nama: dict[str, str], sumber_dana_nama: dict[str, str]) -> list[list]:
    out = []
    for i, r in enumerate(rows, start=1):
        ket = []
        if not r.get("nik") and r.get("orang_id"):
            ket.append(f"NIK belum ada{' (' + r['nik_sementara'] + ')' if r.get('nik_sementara') else ''}")
        if r.get("keterangan"):
            ket.append(r["keterangan"])
        out.append([r.get("kode_wilayah"), i, r.get("nik"), r.get("no_kk"), r["nama"], r.get("jenis_kelamin"),
                    r.get("alamat"), r.get("rt"), r.get("rw"), r["tanggal"], r["kode_layanan"], r["layanan_nama"],
                    r["jumlah"], satuan_nama.get(r["satuan"], r["satuan"]), r["nilai"],
                    sumber_dana_nama.get(r.get("sumber_dana") or "", r.get("sumber_dana")), r.get("kode_kejadian"),
                    r.get("nomor_kuitansi"), "; ".join(ket) or None])
    return out


KOLOM_BNBA = [
    Kolom("Kode Wilayah", 14, "kode"), Kolom("No", 5, "int"), Kolom("NIK", 18, "nik"), Kolom("No KK", 18, "nik"),
    Kolom("Nama", 20), Kolom("L/P", 4), Kolom("Alamat", 18), Kolom("RT", 4, "kode"), Kolom("RW", 4, "kode"),
    Kolom("Tanggal", 10, "date"), Kolom("Kode Sub Kegiatan", 17, "kode"), Kolom("Layanan", 24),
    Kolom("Jumlah", 7, "num"), Kolom("Satuan", 7), Kolom("Nilai (Rp)", 12, "rp"), Kolom("Sumber Dana", 12),
    Kolom("Kode Kejadian", 9, "kode"), Kolom("No Kuitansi", 14, "kode"), Kolom("Keterangan", 16),
]


def sheet_bnba(ws: Worksheet, judul: list[str], rows: list[list]) -> None:
    ws.title = "BNBA"
    tulis_tabel(ws, judul, KOLOM_BNBA, rows,
                catatan=["Daftar nama dan alamat penerima layanan (by name by address) untuk SPJ. Memuat data "
                         "pribadi (UU 27/2022 PDP): simpan dan bagikan seperlunya."]
                + ([] if rows else ["Tidak ada layanan pada periode ini."]))


def sheet_pengesahan(ws: Worksheet, judul: list[str], *, tempat: str, tanggal: _dt.date, kiri_jabatan: str,
                     kiri_nama: str | None, kanan_jabatan: str, kanan_nama: str | None, kanan_nomor: str | None = None,
                     kalimat: str = "Demikian rekapitulasi ini dibuat dengan sebenarnya untuk dipergunakan "
                                    "sebagaimana mestinya.") -> None:
    """Signature block: 'Mengetahui, <kiri_jabatan>' on the left, '<tempat>, <tanggal>' and
    'Pelapor, <kanan_jabatan>' on the right, with names in brackets."""
    ws.title = "Pengesahan"
    r = 1
    for i, line in enumerate(judul):
        safe_cell(ws.cell(row=r, column=1), line)
        ws.cell(row=r, column=1).font = FONT_TITLE if i == 0 else FONT_SUB
        r += 1
    r += 1
    safe_cell(ws.cell(row=r, column=1), kalimat)
    ws.cell(row=r, column=1).font = FONT_SUB
    r += 2
    place = ws.cell(row=r, column=3)
    safe_cell(place, f"{tempat},")
    place.alignment = Alignment(horizontal="right")
    date_cell = ws.cell(row=r, column=4, value=tanggal)
    date_cell.number_format = FMT_DATE_LONG
    date_cell.alignment = Alignment(horizontal="left")
    r += 1
    for left, right in (("Mengetahui,", "Pelapor,"), (kiri_jabatan, kanan_jabatan)):
        safe_cell(ws.cell(row=r, column=1), left)
        safe_cell(ws.cell(row=r, column=3), right)
        r += 1
    r += 4  # room to sign
    for col, nama in ((1, kiri_nama), (3, kanan_nama)):
        cell = ws.cell(row=r, column=col)
        safe_cell(cell, f"( {nama} )" if nama else "( ............................................ )")
        cell.font = Font(name="Calibri", size=11, bold=True, underline="single" if nama else None)
    if kanan_nomor:
        safe_cell(ws.cell(row=r + 1, column=3), f"No. Registrasi {kanan_nomor}")
    for col, width in (("A", 38), ("B", 6), ("C", 24), ("D", 24)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            if cell.font is None or not cell.font.bold:
                cell.font = FONT_SUB if cell.font is None or cell.font.size != 14 else cell.font
    _print_setup(ws, None, landscape=False)
    ws.sheet_view.showGridLines = False


def jabatan(data) -> tuple[str, str]:
    """(left signer's title, reporter's title) for the area's level and the install's role."""
    own = data.path[-1] if data.path else {"tingkat": 4, "nama": data.nama_wilayah, "jenis": "kelurahan"}
    if own["tingkat"] == 4:
        kiri = f"{'Kepala Desa' if own['jenis'] == 'desa' else 'Lurah'} {own['nama']}"
        kanan = f"{data.peran} {'Desa' if own['jenis'] == 'desa' else 'Kelurahan'} {own['nama']}"
    elif own["tingkat"] == 3:
        kiri, kanan = f"Camat {own['nama']}", f"{data.peran} Kecamatan {own['nama']}"
    else:
        kiri, kanan = f"Kepala Dinas Sosial {own['nama']}", f"Operator Dinas Sosial {own['nama']}"
    return kiri, kanan


# --------------------------------------------------------------------------- the book


def isi_buku(wb: Workbook, data) -> Workbook:
    """Fill ``wb`` (a new Workbook) with every sheet of the recap of ``data`` (db.rekap.RekapData)."""
    kode = data.kode_wilayah
    sheet_sampul(wb.active, data)
    sheet_indikator(wb.create_sheet(), _judul(data, "RINGKASAN INDIKATOR"),
                    baris_indikator(kode, data.bulan, data.ytd, data.penilaian, data.persentase))
    rows, totals = baris_ppks(kode, data.ppks)
    sheet_ppks(wb.create_sheet(), _judul(data, "PPKS PER KATEGORI"), rows, totals)
    sheet_keluaran(wb.create_sheet(), _judul(data, "LAYANAN PER SUB KEGIATAN"),
                   baris_keluaran(kode, data.bulan, data.ytd, data.penilaian, data.layanan_ref, data.satuan_nama))
    sheet_sumber_dana(wb.create_sheet(), _judul(data, "LAYANAN PER SUMBER DANA"),
                      baris_sumber_dana(kode, data.bulan, data.layanan_ref, data.satuan_nama, data.sumber_dana_nama))
    bk = _bencana_layanan_kolom(data.layanan_ref)
    sheet_bencana(wb.create_sheet(), _judul(data, "KEJADIAN BENCANA"), baris_bencana(data.bencana, bk), data.layanan_ref)
    sheet_bencana_jenis(wb.create_sheet(), _judul(data, "BENCANA PER JENIS"),
                        baris_bencana_jenis(kode, data.bencana_jenis, bk), data.layanan_ref)
    rows, totals = baris_psks(kode, data.psks)
    sheet_psks(wb.create_sheet(), _judul(data, "PSKS PER JENIS"), rows, totals)
    sheet_kegiatan(wb.create_sheet(), _judul(data, "KEGIATAN PSKS"), baris_kegiatan(kode, data.kegiatan))
    sheet_peserta(wb.create_sheet(), _judul(data, "PESERTA KEGIATAN PSKS"), baris_peserta(data.kegiatan))
    sheet_bnba(wb.create_sheet(), _judul(data, "DAFTAR PENERIMA LAYANAN (BNBA)"),
               baris_bnba(data.bnba, data.satuan_nama, data.sumber_dana_nama))
    kiri, kanan = jabatan(data)
    sheet_pengesahan(wb.create_sheet(), _judul(data, "PENGESAHAN"), tempat=data.tempat, tanggal=data.tanggal,
                     kiri_jabatan=kiri, kiri_nama=data.lurah if data.tingkat() == 4 else None,
                     kanan_jabatan=kanan, kanan_nama=data.pelapor, kanan_nomor=data.pelapor_nomor)
    wb.properties.title = f"Rekap {data.periode.label} {data.nama_wilayah}"
    wb.properties.creator = "Kesos Lapangan"
    wb.properties.language = "id-ID"
    return wb


def periksa_tujuan(path: str | os.PathLike) -> Path:
    """The target path, or a KnownError before anything is computed."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise KnownError(f"Nama berkas rekap harus berakhiran .xlsx, bukan '{path.name}'.")
    if not path.parent.exists():
        raise KnownError(f"Folder {path.parent} tidak ada.")
    if path.is_dir():
        raise KnownError(f"{path} adalah folder, bukan berkas.")
    return path


def simpan(wb: Workbook, path: str | os.PathLike) -> Path:
    """Save atomically (a .part file renamed), with Indonesian messages for file problems."""
    path = periksa_tujuan(path)
    tmp = path.with_name(path.name + ".part")
    try:
        xlsx_fast.simpan(wb, tmp)
        os.replace(tmp, path)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: mungkin sedang dibuka di Excel, atau folder "
                         "hanya-baca. Tutup berkasnya atau pilih folder lain.") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: {exc.strerror or exc}.") from None
    return path


def tulis_rekap(db, periode, path: str | os.PathLike, wilayah: str | None = None, *,
                tanggal: _dt.date | None = None):
    """Compute and write the monthly recap of ``periode`` for ``wilayah`` (default: the install's area).

    Returns the RekapData that was written (the numbers in the book)."""
    from db.rekap import kumpulkan

    periksa_tujuan(path)
    data = kumpulkan(db, periode, wilayah, tanggal=tanggal)
    simpan(isi_buku(Workbook(), data), path)
    return data


def recap_bytes(db, periode, wilayah: str | None = None, *, tanggal: _dt.date | None = None) -> bytes:
    """The recap workbook of ``periode`` as bytes (what the sync package carries)."""
    import io

    from db.rekap import kumpulkan

    buf = io.BytesIO()
    xlsx_fast.simpan(isi_buku(Workbook(), kumpulkan(db, periode, wilayah, tanggal=tanggal)), buf)
    return buf.getvalue()
