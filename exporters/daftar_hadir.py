"""The attendance list (daftar hadir) of a PSKS event, as PDF (A4) and xlsx.

Printed before the event for participants to sign, or after it as the record
of who came (``hanya_hadir=True``). Each numbered row: name, PSKS type,
registration number, area, and a signature cell with the row number placed
left/right alternately (the usual Indonesian layout, so neighbours do not
sign on each other's line). NIK is not printed: the list circulates on paper
and the NIK is not needed to sign (UU 27/2022 PDP).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from db import kegiatan as keg_db, reference
from db.errors import KnownError
from db.indonesian import angka, tanggal_panjang

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
HEADERS = ["No", "Nama", "Jenis PSKS", "No. Registrasi", "Asal", "Tanda Tangan"]


# --------------------------------------------------------------------------- data


def _place_name(db, kode: str | None) -> str:
    """'Pontianak' for an install in Kota Pontianak (the place in 'Pontianak, 20 November 2025')."""
    path = reference.wilayah_path(db, kode) if kode else []
    kab = next((p for p in path if p["tingkat"] == 2), None)
    if not kab:
        return path[-1]["nama"] if path else ""
    name = kab["nama"]
    for prefix in ("Kota ", "Kabupaten "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def tanggal_kegiatan(mulai: str, selesai: str | None) -> str:
    """'Kamis, 20 November 2025' or 'Kamis, 20 November 2025 s.d. Jumat, 21 November 2025'."""
    text = tanggal_panjang(mulai, hari=True)
    if selesai and selesai != mulai:
        text += " s.d. " + tanggal_panjang(selesai, hari=True)
    return text


def daftar_hadir_data(db, kegiatan_id: str, *, hanya_hadir: bool = False) -> dict[str, Any]:
    """Everything the attendance list shows, as plain values."""
    keg = keg_db.get_kegiatan(db, kegiatan_id)
    if keg is None or keg["deleted_at"]:
        raise KnownError("Kegiatan tidak ditemukan (mungkin sudah dihapus).")
    peserta = keg_db.peserta_list(db, kegiatan_id)
    if hanya_hadir:
        peserta = [p for p in peserta if p["hadir"]]
    inst = db.execute("SELECT kode_wilayah, operator_nama, peran FROM install").fetchone()
    sub = ""
    if keg["kode_layanan"]:
        sub = f"{reference.short_kode_layanan(keg['kode_layanan'])} {keg['layanan_nama'] or ''}".strip()
    details = [
        ("Kegiatan", keg["nama"]),
        ("Jenis kegiatan", keg["jenis_nama"] or keg["jenis"]),
        ("Sub kegiatan", sub or "-"),
        ("Hari/tanggal", tanggal_kegiatan(keg["tanggal_mulai"], keg["tanggal_selesai"])),
        ("Tempat", keg["tempat"] or "-"),
        ("Penyelenggara", keg["penyelenggara"] or "-"),
        ("Kode kegiatan", keg["kode_kegiatan"] or "-"),
    ]
    rows = []
    for i, p in enumerate(peserta, start=1):
        rows.append({
            "no": i,
            "nama": p["nama"],
            "jenis": p["jenis_singkatan"] or p["jenis_nama"] or p["jenis_kode"],
            "nomor_registrasi": p["nomor_registrasi"] or "",
            "asal": p["wilayah_nama"] or p["kode_wilayah"] or "",
            "hadir": bool(p["hadir"]),
        })
    return {
        "kegiatan": keg,
        "judul": "DAFTAR HADIR PESERTA" if not hanya_hadir else "DAFTAR HADIR (PESERTA YANG HADIR)",
        "details": details,
        "rows": rows,
        "jumlah": len(rows),
        "tempat_tanggal": f"{_place_name(db, inst[0] if inst else None)}, {tanggal_panjang(keg['tanggal_mulai'])}",
        "pencatat": inst[1] if inst else "",
        "peran": inst[2] if inst else "",
    }


# --------------------------------------------------------------------------- PDF

_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    except Exception as exc:  # noqa: BLE001 - a missing/damaged font file is an install problem
        raise KnownError(f"Huruf DejaVu Sans tidak dapat dimuat ({exc}). Pasang ulang aplikasi.") from exc
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    _fonts_ready = True


def _escape(text: Any) -> str:
    from xml.sax.saxutils import escape

    return escape("" if text is None else str(text))


def write_daftar_hadir_pdf(db, kegiatan_id: str, path, *, hanya_hadir: bool = False) -> str:
    """Write the A4 attendance list; returns the path."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    data = daftar_hadir_data(db, kegiatan_id, hanya_hadir=hanya_hadir)
    keg = data["kegiatan"]
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=base, fontSize=8.8, leading=10.5)
    title = ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER)
    subtitle = ParagraphStyle("subtitle", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14,
                              alignment=TA_CENTER)
    head = ParagraphStyle("head", parent=small, fontName=FONT_BOLD, alignment=TA_CENTER)

    story: list = [Paragraph(_escape(data["judul"]), title), Paragraph(_escape(keg["nama"]), subtitle),
                   Spacer(1, 5 * mm)]
    detail_rows = [[Paragraph(_escape(k), base), Paragraph(":", base), Paragraph(_escape(v), base)]
                   for k, v in data["details"][1:]]
    details = Table(detail_rows, colWidths=[32 * mm, 4 * mm, 144 * mm], hAlign="LEFT")
    details.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    story += [details, Spacer(1, 5 * mm)]

    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [9 * mm, 46 * mm, 30 * mm, 30 * mm, 30 * mm, 35 * mm]
    pad = 3

    def cell(text: str, width: float):
        # A plain string is drawn ~10x faster than a Paragraph; wrap only what does not fit.
        if stringWidth(text, FONT, small.fontSize) <= width - 2 * pad:
            return text
        return Paragraph(_escape(text), small)

    table_rows = [[Paragraph(h, head) for h in HEADERS]]
    for r in data["rows"]:
        table_rows.append([
            str(r["no"]),
            cell(r["nama"], widths[1]),
            cell(r["jenis"], widths[2]),
            cell(r["nomor_registrasi"], widths[3]),
            cell(r["asal"], widths[4]),
            f"{r['no']}. ........................",
        ])
    if not data["rows"]:
        table_rows.append(["", "Belum ada peserta.", "", "", "", ""])
    grid = Table(table_rows, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("FONT", (0, 1), (-1, -1), FONT, small.fontSize, small.leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        *[("ALIGN", (5, i), (5, i), "RIGHT") for i in range(2, len(table_rows), 2)],
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        # Room to sign: a one-line row is ~9 mm high; longer names/types make the row grow.
        ("TOPPADDING", (0, 1), (-1, -1), 7.5),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7.5),
    ]))
    story += [grid, Spacer(1, 3 * mm),
              Paragraph(f"Jumlah peserta: {angka(data['jumlah'])} orang/lembaga", base), Spacer(1, 8 * mm)]
    sign_block = Table([
        ["", Paragraph(_escape(data["tempat_tanggal"]), base)],
        ["", Paragraph(f"Pencatat ({_escape(data['peran'])}),", base)],
        ["", Spacer(1, 18 * mm)],
        ["", Paragraph(f"<u>{_escape(data['pencatat'])}</u>", base)],
    ], colWidths=[105 * mm, 75 * mm])
    sign_block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(KeepTogether([sign_block]))

    footer_name = keg["nama"] if len(keg["nama"]) <= 70 else keg["nama"][:67] + "…"

    class NumberedCanvas(Canvas):
        """'Halaman x dari y' needs the page count: draw footers after the last page."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self):
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.grey)
                self.drawString(15 * mm, 9 * mm, f"Daftar hadir — {footer_name}")
                self.drawRightString(A4[0] - 15 * mm, 9 * mm, f"Halaman {self._pageNumber} dari {total}")
                super().showPage()
            super().save()

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=16 * mm, title=f"Daftar hadir {keg['nama']}", author="Kesos Lapangan",
                            subject=keg["kode_kegiatan"] or "")
    try:
        doc.build(story, canvasmaker=NumberedCanvas)
    except OSError as exc:
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: {exc.strerror or exc}") from exc
    return str(path)


# --------------------------------------------------------------------------- xlsx


def write_daftar_hadir_xlsx(db, kegiatan_id: str, path, *, hanya_hadir: bool = False) -> str:
    """Write the attendance list as a workbook laid out for A4 printing; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.page import PageMargins

    from exporters.tabular import safe_cell

    data = daftar_hadir_data(db, kegiatan_id, hanya_hadir=hanya_hadir)
    keg = data["kegiatan"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Daftar Hadir"
    widths = [5, 30, 18, 16, 18, 22]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = w
    ncol = len(HEADERS)

    def merged_line(row: int, text: str, *, bold=False, size=11, center=True) -> None:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        cell = ws.cell(row=row, column=1)
        safe_cell(cell, text)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)

    merged_line(1, data["judul"], bold=True, size=14)
    merged_line(2, keg["nama"], bold=True, size=12)
    row = 4
    for label, value in data["details"][1:]:
        safe_cell(ws.cell(row=row, column=1), label)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=ncol)
        safe_cell(ws.cell(row=row, column=3), f": {value}")
        ws.cell(row=row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    header_row = row
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(row=row, column=c)
        safe_cell(cell, h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r in data["rows"]:
        row += 1
        values = [r["no"], r["nama"], r["jenis"], r["nomor_registrasi"], r["asal"], f"{r['no']}. ..............."]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c)
            safe_cell(cell, v, text=(c == 4))
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="center" if c == 1 else ("left" if c < 6 or r["no"] % 2 else "right"))
        ws.row_dimensions[row].height = 28
    row += 2
    safe_cell(ws.cell(row=row, column=1), f"Jumlah peserta: {data['jumlah']} orang/lembaga")
    row += 2
    for text in (data["tempat_tanggal"], f"Pencatat ({data['peran']}),", "", "", "", data["pencatat"]):
        safe_cell(ws.cell(row=row, column=5), text or None)
        row += 1
    ws.cell(row=row - 1, column=5).font = Font(underline="single")

    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        wb.save(path)
    except OSError as exc:
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: {exc.strerror or exc}") from exc
    return str(path)
