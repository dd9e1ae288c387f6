"""The one-page event report (laporan kejadian bencana) the Dinas files: PDF (A4) and xlsx.

Shape (DOMAIN.md §7 and §9 "Disasters"): the event (type, date and time,
place with codes, first estimates, emergency window and any extension with
its reason, status); the victims registered (men/women, households, where they
stay); the basic-needs indicator of the event (victims served within the
window, served only late, not yet); the aid by type (services, recipients,
quantity and unit, value, late services); the vulnerable groups; and the
signature block (Mengetahui, Lurah ... / Pelapor, PSM|TKSK ...).

The workbook has the same summary on its first sheet ("Laporan"; every table
one header row, area rows start with the Kemendagri code) and the by-name list
of victims on a second sheet ("Daftar Korban", BNBA, NIK as text) with each
victim's service status, so the Dinas can check it.

Data comes from ``db.bencana.ringkasan_bencana``; this module lays it out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from db import bencana as B
from db import korban as K
from db import reference
from db.clock import today
from db.errors import KnownError
from db.indonesian import angka, persen, rupiah, tanggal, tanggal_panjang
from db.install import get_install

JUDUL = "LAPORAN KEJADIAN BENCANA"
PERAN_NAMA = {"PSM": "Pekerja Sosial Masyarakat", "TKSK": "Tenaga Kesejahteraan Sosial Kecamatan",
              "DINAS": "Dinas Sosial"}


# --------------------------------------------------------------------------- data


def _place_name(path: list[dict]) -> str:
    kab = next((p for p in path if p["tingkat"] == 2), None)
    if not kab:
        return path[-1]["nama"] if path else ""
    for prefix in ("Kota ", "Kabupaten "):
        if kab["nama"].startswith(prefix):
            return kab["nama"][len(prefix):]
    return kab["nama"]


def laporan_data(db, bencana_id: str) -> dict[str, Any]:
    """Everything the report shows, as display text and numbers (shared by PDF and xlsx)."""
    s = B.ringkasan_bencana(db, bencana_id)
    ev = s["bencana"]
    inst = get_install(db)
    inst_path = reference.wilayah_path(db, inst.kode_wilayah) if inst else []
    inst_area = inst_path[-1] if inst_path else None
    if inst_area and inst_area["tingkat"] == 4:
        instansi = f"Kelurahan {inst_area['nama']}" if inst_area["jenis"] == "kelurahan" else f"Desa {inst_area['nama']}"
        kec = next((p["nama"] for p in inst_path if p["tingkat"] == 3), "")
        instansi += f", Kecamatan {kec}"
    elif inst_area and inst_area["tingkat"] == 3:
        instansi = f"Kecamatan {inst_area['nama']}"
    else:
        instansi = "Dinas Sosial"
    kab = next((p["nama"] for p in inst_path if p["tingkat"] == 2), "")
    if kab:
        instansi += f", {kab}"

    lokasi_parts = [ev["lokasi"] or ""]
    if ev["rt"] or ev["rw"]:
        lokasi_parts.append(f"RT {ev['rt'] or '-'}/RW {ev['rw'] or '-'}")
    lokasi = ", ".join(p for p in lokasi_parts if p) or "-"
    wilayah = ", ".join(x for x in (
        f"Kel. {ev['kelurahan_nama']}" if ev["kelurahan_nama"] else "",
        f"Kec. {ev['kecamatan_nama']}" if ev["kecamatan_nama"] else "",
        ev["kabkota_nama"] or "") if x) + f" ({ev['kode_wilayah']})"
    waktu = tanggal_panjang(ev["tanggal"], hari=True) + (f", pukul {ev['waktu']}" if ev["waktu"] else "")
    masa = (f"{ev['lama_tanggap_darurat']} hari setelah kejadian: {tanggal(ev['tanggal'])} s.d. "
            f"{tanggal(ev['akhir_masa_tanggap'])}")
    if ev["alasan_perpanjangan"]:
        masa += f" (diubah: {ev['alasan_perpanjangan']})"

    def est(v):
        return "-" if v is None else angka(v)

    kejadian = [
        ("Kode kejadian", ev["kode_kejadian"] or "-"),
        ("Jenis bencana", f"{ev['jenis_nama']} ({ev['kelompok_nama'].lower()})"),
        ("Waktu kejadian", waktu),
        ("Wilayah", wilayah),
        ("Lokasi", lokasi),
        ("Perkiraan awal", f"{est(ev['kk_terdampak'])} KK, {est(ev['jiwa_terdampak'])} jiwa terdampak, "
                           f"{est(ev['rumah_rusak'])} rumah rusak"),
        ("Masa tanggap darurat", masa),
        ("Status", ev["status_nama"]),
    ]
    if ev["keterangan"]:
        kejadian.append(("Keterangan", ev["keterangan"]))

    kb = s["korban"]
    tempat_names = dict(reference.daftar(db, K.TEMPAT_TINGGAL))
    tempat = [(tempat_names.get(k, k), n) for k, n in kb["tempat_tinggal"].items()]
    if kb["tempat_tinggal_kosong"]:
        tempat.append(("Belum diisi", kb["tempat_tinggal_kosong"]))
    d = s["dilayani"]
    total = kb["total"]
    pemenuhan = [
        ("Dilayani dalam masa tanggap darurat", d["dalam_masa"]),
        ("Dilayani di luar masa tanggap darurat", d["terlambat"]),
        ("Belum dilayani", d["belum"]),
    ]
    place = _place_name(inst_path) if inst_path else ""
    peran = inst.peran if inst else ""
    return {
        "judul": JUDUL,
        "instansi": instansi,
        "subjudul": f"{ev['jenis_nama']} — {tanggal_panjang(ev['tanggal'])} — {ev['kode_kejadian'] or ''}".strip(" —"),
        "bencana": ev,
        "kejadian": kejadian,
        "korban": kb,
        "korban_baris": [
            ("Korban terdaftar (jiwa)", total), ("Laki-laki", kb["L"]), ("Perempuan", kb["P"]),
            ("Keluarga (No. KK)", kb["kk"]),
        ],
        "tempat": tempat,
        "pemenuhan": pemenuhan,
        "persen_tepat_waktu": (d["dalam_masa"] * 100.0 / total) if total else None,
        "bantuan": s["bantuan"],
        "bantuan_total": s["bantuan_total"],
        "rentan": s["rentan"],
        "rentan_total": s["rentan_total"],
        "tempat_tanggal": f"{place}, {tanggal_panjang(today())}" if place else tanggal_panjang(today()),
        "pelapor": inst.operator_nama if inst else "",
        "pelapor_peran": peran,
        "pelapor_nomor": (inst.operator_nomor or "") if inst else "",
        "lurah": (inst.lurah_nama or "") if inst else "",
        "dicetak": tanggal_panjang(today()),
    }


def _satuan(db, kode: str) -> str:
    parts = [reference.daftar_nama(db, "satuan", k) or k for k in (kode or "").split(",") if k]
    return "/".join(parts)


# --------------------------------------------------------------------------- PDF


def write_laporan_pdf(db, bencana_id: str, path) -> str:
    """Write the one-page A4 event report; returns the path."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from exporters.receipt_pdf import FONT, FONT_BOLD, register_fonts

    try:
        register_fonts()
    except Exception as exc:  # noqa: BLE001 - a missing/damaged font file is an install problem
        raise KnownError(f"Huruf DejaVu Sans tidak dapat dimuat ({exc}). Pasang ulang aplikasi.") from exc
    data = laporan_data(db, bencana_id)
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.6, leading=10.6)
    bold = ParagraphStyle("bold", parent=base, fontName=FONT_BOLD)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    right_bold = ParagraphStyle("right_bold", parent=bold, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=base, fontName=FONT_BOLD, alignment=TA_CENTER, fontSize=7.8, leading=9.6)
    title = ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=13.5, leading=17, alignment=TA_CENTER)
    sub = ParagraphStyle("sub", parent=base, fontSize=9.5, leading=12, alignment=TA_CENTER)
    section = ParagraphStyle("section", parent=base, fontName=FONT_BOLD, fontSize=9.6, leading=12,
                             textColor=colors.HexColor("#1f4e79"), spaceBefore=5, spaceAfter=2)

    def p(text, style=base):
        return Paragraph(escape("" if text is None else str(text)), style)

    width = A4[0] - 30 * mm
    grid_style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]

    story: list = [
        p(data["instansi"].upper(), sub),
        p(data["judul"], title),
        p(data["subjudul"], sub),
        Spacer(1, 3 * mm),
        p("A. Kejadian", section),
    ]
    rows = [[p(k), p(":"), p(v)] for k, v in data["kejadian"]]
    t = Table(rows, colWidths=[38 * mm, 4 * mm, width - 42 * mm], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6)]))
    story.append(t)

    # B and C side by side: victims | basic needs
    kb_rows = [[p("Korban terdaftar", head), p("Jiwa", head)]]
    kb_rows += [[p(k), p(angka(v), right)] for k, v in data["korban_baris"]]
    kb_rows += [[p(f"Tinggal: {k}"), p(angka(v), right)] for k, v in data["tempat"]]
    kb = Table(kb_rows, colWidths=[62 * mm, 20 * mm])
    kb.setStyle(TableStyle(grid_style))
    pm_rows = [[p("Pemenuhan kebutuhan dasar", head), p("Jiwa", head), p("%", head)]]
    total = data["korban"]["total"]
    for k, v in data["pemenuhan"]:
        pm_rows.append([p(k), p(angka(v), right), p(persen(v * 100.0 / total) if total else "-", right)])
    pm_rows.append([p("Jumlah korban", bold), p(angka(total), right_bold), p("100%" if total else "-", right_bold)])
    pm = Table(pm_rows, colWidths=[56 * mm, 16 * mm, 17 * mm])
    pm.setStyle(TableStyle(grid_style + [("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#E2EFDA"))]))
    pair = Table([[p("B. Korban", section), p("C. Pemenuhan kebutuhan dasar (SPM)", section)], [kb, pm]],
                 colWidths=[width / 2 - 2 * mm, width / 2 + 2 * mm], hAlign="LEFT")
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    story.append(pair)

    story.append(p("D. Bantuan tanggap darurat per jenis (1.06.06.2.01)", section))
    b_rows = [[p(h, head) for h in ("Kode", "Jenis bantuan", "Layanan", "Penerima", "Jumlah", "Nilai (Rp)",
                                    "Terlambat")]]
    for b in data["bantuan"]:
        b_rows.append([
            p(reference.short_kode_layanan(b["kode"])), p(b["nama"]), p(angka(b["layanan"]), right),
            p(angka(b["penerima"]), right), p(f"{angka(b['jumlah'])} {_satuan(db, b['satuan'])}", right),
            p(angka(b["nilai"]), right), p(angka(b["terlambat"]), right),
        ])
    if not data["bantuan"]:
        b_rows.append([p(""), p("Belum ada bantuan tercatat."), "", "", "", "", ""])
    bt = data["bantuan_total"]
    b_rows.append([p(""), p("Jumlah", bold), p(angka(bt["layanan"]), right_bold), p(""), p(""),
                   p(angka(bt["nilai"]), right_bold), p(angka(bt["terlambat"]), right_bold)])
    bt_table = Table(b_rows, colWidths=[29 * mm, 47 * mm, 16 * mm, 17 * mm, 24 * mm, 27 * mm, 20 * mm],
                     hAlign="LEFT")
    bt_table.setStyle(TableStyle(grid_style))
    story.append(bt_table)

    story.append(p("E. Kelompok rentan", section))
    r_rows = [[p(r["nama"], head) for r in data["rentan"]] + [p("Korban rentan", head)]]
    r_rows.append([p(angka(r["jumlah"]), ParagraphStyle("c", parent=base, alignment=TA_CENTER))
                   for r in data["rentan"]]
                  + [p(angka(data["rentan_total"]), ParagraphStyle("cb", parent=bold, alignment=TA_CENTER))])
    n = len(data["rentan"]) + 1
    rt = Table(r_rows, colWidths=[width / n] * n, hAlign="LEFT")
    rt.setStyle(TableStyle(grid_style))
    story.append(rt)
    story.append(Spacer(1, 1.5 * mm))
    story.append(p("Satu korban dapat termasuk lebih dari satu kelompok rentan. Bantuan dihitung per layanan; "
                   "'terlambat' = diberikan setelah masa tanggap darurat berakhir.",
                   ParagraphStyle("note", parent=base, fontSize=7.4, leading=9, textColor=colors.HexColor("#555555"))))
    story.append(Spacer(1, 6 * mm))

    peran = data["pelapor_peran"]
    pelapor_label = f"Pelapor, {peran}" if peran and peran != "DINAS" else "Pelapor,"
    nomor = f"No. Reg. {data['pelapor_nomor']}" if data["pelapor_nomor"] else ""
    sign = Table([
        [p("Mengetahui,"), p(data["tempat_tanggal"])],
        [p("Lurah"), p(pelapor_label)],
        [Spacer(1, 16 * mm), Spacer(1, 16 * mm)],
        [Paragraph(f"<u>{escape(data['lurah'] or '(.................................)')}</u>", base),
         Paragraph(f"<u>{escape(data['pelapor'])}</u>", base)],
        [p(""), p(nomor)],
    ], colWidths=[width / 2, width / 2])
    sign.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    story.append(KeepTogether([sign]))

    footer = f"Kesos Lapangan — {data['judul'].title()} {data['bencana']['kode_kejadian'] or ''} — dicetak {data['dicetak']}"

    def on_page(canv, _doc):
        canv.saveState()
        canv.setFont(FONT, 7)
        canv.setFillColor(colors.grey)
        canv.drawString(15 * mm, 8 * mm, footer)
        canv.restoreState()

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm,
                                bottomMargin=14 * mm, title=f"Laporan kejadian bencana {data['bencana']['kode_kejadian']}",
                                author="Kesos Lapangan", subject=data["subjudul"])
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    except OSError as exc:
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: {exc.strerror or exc}") from exc
    return str(path)


# --------------------------------------------------------------------------- xlsx


def write_laporan_xlsx(db, bencana_id: str, path) -> str:
    """Write the event report workbook (Laporan + Daftar Korban); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.page import PageMargins

    from exporters.tabular import safe_cell

    data = laporan_data(db, bencana_id)
    ev = data["bencana"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan"
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    bold = Font(bold=True)
    widths = {"A": 38, "B": 38, "C": 10, "D": 10, "E": 10, "F": 9, "G": 17, "H": 10}
    for col, w in widths.items():
        ws.column_dimensions[col].width = w

    r = 1

    def put(row, col, value, *, font=None, fmt=None, border=False, fill=None, align=None, text=False):
        cell = ws.cell(row=row, column=col)
        safe_cell(cell, value, text=text)
        if font:
            cell.font = font
        if fmt:
            cell.number_format = fmt
        if border:
            cell.border = box
        if fill:
            cell.fill = fill
        if align:
            cell.alignment = align
        return cell

    def table(row, headers, rows, fmts=None):
        for c, h in enumerate(headers, start=1):
            put(row, c, h, font=bold, border=True, fill=head_fill, align=Alignment(wrap_text=True, vertical="center"))
        for values in rows:
            row += 1
            for c, v in enumerate(values, start=1):
                fmt = (fmts or {}).get(c)
                put(row, c, v, border=True, fmt=fmt if isinstance(v, (int, float)) else None,
                    font=bold if values and values[0] == "Jumlah" else None)
        return row + 2

    put(r, 1, data["instansi"].upper(), font=Font(bold=True, size=11))
    r += 1
    put(r, 1, data["judul"], font=Font(bold=True, size=14))
    r += 1
    put(r, 1, data["subjudul"])
    r += 2
    put(r, 1, "A. Kejadian", font=Font(bold=True, color="1F4E79"))
    r += 1
    details = [("Kode Kejadian", ev["kode_kejadian"]), ("Kelompok", ev["kelompok_nama"]),
               ("Jenis Bencana", ev["jenis_nama"]), ("Tanggal Kejadian", tanggal(ev["tanggal"])),
               ("Waktu", ev["waktu"] or ""), ("Kode Wilayah", ev["kode_wilayah"]),
               ("Kelurahan/Desa", ev["kelurahan_nama"] or ""), ("Kecamatan", ev["kecamatan_nama"] or ""),
               ("Lokasi", dict(data["kejadian"])["Lokasi"]), ("KK Terdampak", ev["kk_terdampak"]),
               ("Jiwa Terdampak", ev["jiwa_terdampak"]), ("Rumah Rusak", ev["rumah_rusak"]),
               ("Lama Tanggap Darurat (hari)", ev["lama_tanggap_darurat"]),
               ("Akhir Tanggap Darurat", tanggal(ev["akhir_masa_tanggap"])),
               ("Alasan Perubahan Masa", ev["alasan_perpanjangan"] or ""), ("Status", ev["status_nama"])]
    if ev["keterangan"]:
        details.append(("Keterangan", ev["keterangan"]))
    r = table(r, ["Uraian", "Isi"], details, {2: "#,##0"})

    put(r, 1, "B. Korban", font=Font(bold=True, color="1F4E79"))
    rows = list(data["korban_baris"]) + [(f"Tinggal: {k}", v) for k, v in data["tempat"]]
    r = table(r + 1, ["Uraian", "Jiwa"], rows, {2: "#,##0"})

    put(r, 1, "C. Pemenuhan kebutuhan dasar pada masa tanggap darurat (SPM)", font=Font(bold=True, color="1F4E79"))
    total = data["korban"]["total"]
    rows = [(k, v, (v / total) if total else None) for k, v in data["pemenuhan"]]
    rows.append(("Jumlah", total, 1.0 if total else None))
    r = table(r + 1, ["Uraian", "Jiwa", "Persen"], rows, {2: "#,##0", 3: "0.00%"})

    put(r, 1, "D. Bantuan tanggap darurat per jenis (1.06.06.2.01)", font=Font(bold=True, color="1F4E79"))
    rows = [(reference.short_kode_layanan(b["kode"]), b["nama"], b["layanan"], b["penerima"], b["jumlah"],
             _satuan(db, b["satuan"]), b["nilai"], b["terlambat"]) for b in data["bantuan"]]
    bt = data["bantuan_total"]
    rows.append(("Jumlah", "", bt["layanan"], None, None, "", bt["nilai"], bt["terlambat"]))
    r = table(r + 1, ["Kode", "Jenis Bantuan", "Layanan", "Penerima", "Jumlah", "Satuan", "Nilai (Rp)", "Terlambat"],
              rows, {3: "#,##0", 4: "#,##0", 5: "#,##0", 7: '"Rp" #,##0', 8: "#,##0"})

    put(r, 1, "E. Kelompok rentan", font=Font(bold=True, color="1F4E79"))
    rows = [(x["nama"], x["jumlah"]) for x in data["rentan"]] + [("Korban rentan (orang)", data["rentan_total"])]
    r = table(r + 1, ["Kelompok Rentan", "Jiwa"], rows, {2: "#,##0"})

    put(r, 2, data["tempat_tanggal"])
    put(r + 1, 1, "Mengetahui,")
    put(r + 2, 1, "Lurah")
    peran = data["pelapor_peran"]
    put(r + 1, 2, f"Pelapor, {peran}" if peran and peran != "DINAS" else "Pelapor,")
    put(r + 6, 1, data["lurah"] or "(................................)", font=Font(underline="single"))
    put(r + 6, 2, data["pelapor"], font=Font(underline="single"))
    if data["pelapor_nomor"]:
        put(r + 7, 2, f"No. Reg. {data['pelapor_nomor']}")

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)

    # --- by-name list --------------------------------------------------------
    wk = wb.create_sheet("Daftar Korban")
    headers = ["No", "Kode Kejadian", "NIK", "ID Sementara", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir",
               "Alamat", "Kepala Keluarga", "Tempat Tinggal Sementara", "Kelompok Rentan", "Jumlah Bantuan",
               "Status Layanan"]
    kw = [5, 14, 20, 24, 20, 28, 8, 12, 30, 9, 22, 26, 9, 32]
    for c, (h, w) in enumerate(zip(headers, kw), start=1):
        cell = wk.cell(row=1, column=c)
        safe_cell(cell, h)
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        wk.column_dimensions[cell.column_letter].width = w
    tempat_names = dict(reference.daftar(db, K.TEMPAT_TINGGAL))
    n = K.hitung_korban(db, bencana_id)
    for i, v in enumerate(K.daftar_korban(db, bencana_id, 0, max(n, 1)), start=1):
        values = [i, v["kode_kejadian"], v["nik"], v["nik_sementara"], v["no_kk"], v["nama"], v["jenis_kelamin"],
                  tanggal(v["tanggal_lahir"]) or None, v["alamat"], "Ya" if v["kepala_keluarga"] else "Tidak",
                  tempat_names.get(v["tempat_tinggal"], v["tempat_tinggal"]),
                  K.kelompok_rentan_nama(db, v["kelompok_rentan"]) or None, v["jumlah_bantuan"],
                  B.STATUS_LAYANAN_KORBAN[v["status_layanan"]]]
        for c, value in enumerate(values, start=1):
            safe_cell(wk.cell(row=i + 1, column=c), value, text=c in (3, 4, 5))
    wk.freeze_panes = "A2"
    wk.print_title_rows = "1:1"
    wk.page_setup.paperSize = wk.PAPERSIZE_A4
    wk.page_setup.orientation = "landscape"
    wk.page_setup.fitToWidth = 1
    wk.page_setup.fitToHeight = 0
    wk.sheet_properties.pageSetUpPr.fitToPage = True

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as exc:
        raise KnownError(f"Berkas {path.name} tidak dapat ditulis: {exc.strerror or exc}") from exc
    return str(path)
