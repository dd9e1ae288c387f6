"""The PPKS list as a workbook: exactly what the PPKS page shows, with its filters and sort.

Sheet ``Daftar PPKS``: a title row, a row saying what was filtered, then one
header row and one row per person. NIK, No KK and codes are text (all 16
digits kept), dates are real dates shown the Indonesian way (``05 Januari
1960``), the header is frozen and repeated on every printed page, A4
landscape fitted to the page width. Written in openpyxl's write-only mode so
150,000 people do not need gigabytes of memory. Sheet ``Keterangan``: area,
filters, row count, who made it and when.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from db import ppks, reference
from db.clock import now_iso
from db.errors import KnownError
from db.indonesian import angka, tanggal_panjang
from db.install import get_install
from db.ppks import PpksFilter
from exporters.tabular import safe_cell

DATE_FORMAT = "[$-421]dd mmmm yyyy"
SHEET = "Daftar PPKS"
HEADER_ROW = 3

# (header, width, kind) — kind: "text" keeps digits as text, "date" a date cell
COLUMNS = [
    ("No", 6, "int"),
    ("Nama", 28, "str"),
    ("NIK", 19, "text"),
    ("ID Sementara", 24, "text"),
    ("No KK", 19, "text"),
    ("Jenis Kelamin", 9, "str"),
    ("Tempat Lahir", 16, "str"),
    ("Tanggal Lahir", 18, "date"),
    ("Alamat", 32, "str"),
    ("RT", 6, "text"),
    ("RW", 6, "text"),
    ("Kode Wilayah", 15, "text"),
    ("Wilayah", 26, "str"),
    ("Kategori PPKS", 34, "str"),
    ("Kelompok SPM", 26, "str"),
    ("Status", 18, "str"),
    ("Terakhir Didata", 18, "date"),
    ("Keterangan", 30, "str"),
]
DELETED_COLUMNS = [("Dihapus", 18, "date"), ("Alasan Hapus", 28, "str")]


def describe_filter(db, flt: PpksFilter) -> list[tuple[str, str]]:
    """The filter in words (for the sheet and the page's export confirmation)."""
    out: list[tuple[str, str]] = []
    if flt.text:
        out.append(("Pencarian", flt.text))
    if flt.kode_wilayah:
        if flt.kode_wilayah == "luar":
            out.append(("Wilayah", "Dari luar wilayah"))
        else:
            row = reference.wilayah(db, flt.kode_wilayah)
            out.append(("Wilayah", f"{row['nama']} ({row['kode']})" if row else flt.kode_wilayah))
    if flt.kategori:
        row = db.execute("SELECT nama FROM ref_ppks_kategori WHERE kode = ?", [flt.kategori]).fetchone()
        out.append(("Kategori PPKS", f"{flt.kategori} {row[0]}" if row else flt.kategori))
    if flt.spm_kelompok:
        row = db.execute("SELECT nama FROM ref_spm_kelompok WHERE kode = ?", [flt.spm_kelompok]).fetchone()
        out.append(("Kelompok SPM", row[0] if row else flt.spm_kelompok))
    if flt.status:
        out.append(("Status", "Tanpa registrasi" if flt.status == "tanpa"
                    else reference.daftar_nama(db, "status_ppks", flt.status) or flt.status))
    if flt.tanpa_nik:
        out.append(("NIK", "Hanya yang NIK-nya belum ada"))
    if flt.only_deleted:
        out.append(("Data terhapus", "Hanya yang dihapus"))
    elif flt.include_deleted:
        out.append(("Data terhapus", "Ikut ditampilkan"))
    return out


def _spm_names(db) -> dict[str, str]:
    return {r["kode"]: r["nama"] for r in reference.spm_kelompok(db)}


def _date(value) -> _dt.date | None:
    return _dt.date.fromisoformat(value[:10]) if value else None


def export_people(db, path, flt: PpksFilter | None = None, *, sort: str = "nama", descending: bool = False,
                  progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Write the filtered list to ``path``; returns {"path", "rows"}.

    ``progress(done, total, text)`` may raise to cancel (nothing is written then).
    """
    flt = flt or PpksFilter()
    columns = COLUMNS + (DELETED_COLUMNS if (flt.include_deleted or flt.only_deleted) else [])
    total = ppks.count_people(db, flt)
    inst = get_install(db)
    area = reference.wilayah_path(db, inst.kode_wilayah) if inst else []
    area_text = " · ".join(p["nama"] for p in reversed(area)) if area else ""
    spm = _spm_names(db)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for c, (_title, width, _kind) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    # Write-only: sheet properties and views are written out with the first row.
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    title = WriteOnlyCell(ws, value=f"Daftar PPKS — {area[-1]['nama'] if area else ''}".rstrip(" —"))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    filters = describe_filter(db, flt)
    sub = "; ".join(f"{k}: {v}" for k, v in filters) or "Semua orang terdaftar"
    ws.append([_text_cell(ws, f"{sub} · {angka(total)} orang · dicetak {tanggal_panjang(now_iso()[:10])}")])
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    header = []
    for name, _w, _k in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)

    try:
        n = _write_people(db, ws, flt, columns, spm, sort, descending, total, progress)
    except BaseException:
        _discard(ws)  # close the half-written sheet's stream and temp file
        raise
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(n, 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    info = wb.create_sheet("Keterangan")
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 70
    lines = [
        ("Judul", "Daftar PPKS"),
        ("Wilayah", area_text),
        ("Kode wilayah", inst.kode_wilayah if inst else ""),
        *filters,
        ("Jumlah orang", n),
        ("Dibuat", f"{tanggal_panjang(now_iso()[:10])} {now_iso()[11:16]} oleh {inst.operator_nama if inst else ''}"),
        ("Perlindungan data", "Berisi data pribadi (UU 27/2022 PDP): simpan dan bagikan seperlunya."),
    ]
    for key, value in lines:
        k = WriteOnlyCell(info, value=key)
        k.font = Font(bold=True)
        info.append([k, _text_cell(info, value)])
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        wb.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        raise KnownError(f"Berkas {path} tidak dapat ditulis: {exc.strerror or exc}.") from exc
    if progress:
        progress(n, total, "Selesai")
    return {"path": str(path), "rows": n}


def _text_cell(ws, value):
    cell = WriteOnlyCell(ws)
    safe_cell(cell, value)
    return cell


def _write_people(db, ws, flt, columns, spm, sort, descending, total, progress) -> int:
    n = 0
    for row in ppks.iter_people(db, flt, sort=sort, descending=descending):
        n += 1
        values = {
            "No": n, "Nama": row["nama"], "NIK": row["nik"], "ID Sementara": None if row["nik"] else row["nik_sementara"],
            "No KK": row["no_kk"], "Jenis Kelamin": row["jenis_kelamin"], "Tempat Lahir": row["tempat_lahir"],
            "Tanggal Lahir": _date(row["tanggal_lahir"]), "Alamat": row["alamat"], "RT": row["rt"], "RW": row["rw"],
            "Kode Wilayah": row["kode_wilayah"],
            "Wilayah": row["wilayah_nama"] or (f"Luar wilayah: {row['asal_luar']}" if row["asal_luar"] else None),
            "Kategori PPKS": row["kategori"] or None,
            "Kelompok SPM": ", ".join(spm.get(k.strip(), k.strip()) for k in row["spm"].split(",")) if row["spm"] else None,
            "Status": row["status"] or None, "Terakhir Didata": _date(row["terakhir_didata"]),
            "Keterangan": row["keterangan"], "Dihapus": _date(row["deleted_at"]), "Alasan Hapus": row["delete_reason"],
        }
        cells = []
        for name, _w, kind in columns:
            cell = WriteOnlyCell(ws)
            value = values[name]
            if kind == "date":
                cell.value = value
                if value is not None:
                    cell.number_format = DATE_FORMAT
            elif kind == "int":
                cell.value = value
            else:
                safe_cell(cell, value, text=kind == "text")
            cells.append(cell)
        ws.append(cells)
        if progress and n % 1000 == 0:
            progress(n, total, f"Menulis baris {angka(n)} dari {angka(total)}")
    return n


def _discard(ws) -> None:
    import contextlib

    with contextlib.suppress(Exception):
        ws.close()
    with contextlib.suppress(Exception):
        ws._writer.cleanup()
