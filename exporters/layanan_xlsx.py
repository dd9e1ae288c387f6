"""The service list as a workbook (what the Layanan page shows, with its filters).

Sheet ``Layanan``: one header row, one row per service (cancelled ones too,
marked in ``Status``), NIK as text, dates as real dates shown the Indonesian
way, values as rupiah numbers; frozen header, auto-filter, A4 landscape fit to
width with the header repeated. Sheet ``Keterangan``: area, filters and the
totals (computed values, not formulas: openpyxl does not compute them).
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from db import layanan, reference
from db.clock import now_iso
from db.errors import KnownError
from db.install import get_install
from db.indonesian import periode_label, tanggal_panjang
from exporters.tabular import safe_cell

COLUMNS = [
    # (header, width, key or function)
    ("No", 6, None),
    ("Tanggal", 18, "tanggal"),
    ("Nama", 28, "nama"),
    ("NIK", 19, "nik"),
    ("ID Orang", 16, None),
    ("Alamat", 30, None),
    ("Kode Layanan", 19, "kode_layanan"),
    ("Nama Layanan", 40, "layanan_nama"),
    ("Jumlah", 9, "jumlah"),
    ("Satuan", 10, "satuan_nama"),
    ("Nilai (Rp)", 15, "nilai"),
    ("Sumber Dana", 16, "sumber_dana_nama"),
    ("Kode Kejadian", 14, "kode_kejadian"),
    ("Petugas", 20, "petugas"),
    ("PSKS", 22, "psks_nama"),
    ("Nomor Kuitansi", 28, "nomor_kuitansi"),
    ("Status", 10, "status"),
    ("Alasan Batal", 22, "alasan_batal"),
    ("Keterangan", 30, "keterangan"),
]
DATE_FORMAT = "[$-421]dd mmmm yyyy"
RUPIAH_FORMAT = '"Rp" #,##0'


def _alamat(r: dict) -> str | None:
    parts = [r.get("alamat") or ""]
    if r.get("rt") or r.get("rw"):
        parts.append(f"RT {r.get('rt') or '-'}/RW {r.get('rw') or '-'}")
    text = ", ".join(p for p in parts if p)
    return text or None


def describe_filters(db, filters: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    if filters.get("periode"):
        out.append(("Periode", periode_label(filters["periode"])))
    if filters.get("kode_layanan"):
        ref = reference.layanan(db, filters["kode_layanan"])
        out.append(("Sub-kegiatan", f"{ref['kode']} {ref['nama']}" if ref else filters["kode_layanan"]))
    if filters.get("sumber_dana"):
        out.append(("Sumber dana", reference.daftar_nama(db, "sumber_dana", filters["sumber_dana"])
                    or filters["sumber_dana"]))
    if filters.get("orang_id"):
        row = db.execute("SELECT nama FROM orang WHERE id = ?", [filters["orang_id"]]).fetchone()
        out.append(("Penerima", row[0] if row else filters["orang_id"]))
    if filters.get("status"):
        out.append(("Status", filters["status"]))
    if filters.get("cari"):
        out.append(("Pencarian", str(filters["cari"])))
    return out


def tulis_layanan_xlsx(db, path, *, progress: Callable[[int, int], None] | None = None, **filters: Any) -> str:
    """Write the services matching ``filters`` (those of ``db.layanan.daftar_layanan``) to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Layanan"
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for c, (title, width, _key) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=title)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    total = layanan.hitung_layanan(db, **filters)
    r = 2
    offset = 0
    while True:
        rows = layanan.daftar_layanan(db, urut="tanggal", offset=offset, limit=2000, **filters)
        for row in rows:
            values = {
                "No": r - 1,
                "ID Orang": None if row["nik"] else (row["nik_sementara"] or row["orang_id"]),
                "Alamat": _alamat(row),
            }
            for c, (title, _w, key) in enumerate(COLUMNS, start=1):
                value = values.get(title) if key is None else row.get(key)
                cell = ws.cell(row=r, column=c)
                if title == "Tanggal":
                    cell.value = _dt.date.fromisoformat(value)
                    cell.number_format = DATE_FORMAT
                elif title == "Nilai (Rp)":
                    cell.value = int(value or 0)
                    cell.number_format = RUPIAH_FORMAT
                elif title == "Jumlah":
                    cell.value = int(value) if float(value).is_integer() else float(value)
                elif title == "Status":
                    safe_cell(cell, "Batal" if value == "batal" else "Aktif")
                else:
                    safe_cell(cell, value, text=title in ("NIK", "ID Orang", "Kode Layanan", "Kode Kejadian"))
            r += 1
        if progress:
            progress(r - 2, total)
        if len(rows) < 2000:
            break
        offset += 2000
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(COLUMNS)).column_letter}{max(r - 1, 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"

    info = wb.create_sheet("Keterangan")
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 60
    inst = get_install(db)
    path_names = reference.wilayah_path(db, inst.kode_wilayah) if inst else []
    summary = layanan.ringkasan_layanan(db, **filters)
    lines = [
        ("Judul", "Daftar Layanan"),
        ("Wilayah", " · ".join(p["nama"] for p in reversed(path_names)) if path_names else ""),
        ("Kode wilayah", inst.kode_wilayah if inst else ""),
        *describe_filters(db, filters),
        ("Jumlah baris", r - 2),
        ("Layanan aktif", summary["jumlah_layanan"]),
        ("Penerima (orang)", summary["penerima"]),
        ("Nilai layanan aktif (Rp)", summary["nilai"]),
        ("Dibuat", f"{tanggal_panjang(now_iso()[:10])} {now_iso()[11:16]} oleh {inst.operator_nama if inst else ''}"),
    ]
    for i, (k, v) in enumerate(lines, start=1):
        info.cell(row=i, column=1, value=k).font = Font(bold=True)
        safe_cell(info.cell(row=i, column=2), v)
        if k.startswith("Nilai"):
            info.cell(row=i, column=2).number_format = RUPIAH_FORMAT
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as exc:
        raise KnownError(f"Berkas {path} tidak dapat ditulis: {exc.strerror or exc}.") from exc
    return str(path)
