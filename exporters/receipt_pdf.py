"""Receipts (tanda terima) as PDF: A4, A5 and an 80 mm roll; one file for many receipts.

Layout with reportlab platypus on a plain canvas, one receipt per page (a long
note may continue on a second page). The roll has no fixed page length: each
receipt's page is as tall as its content, measured by wrapping the flowables
at the roll's printable width. DejaVu Sans (resources/fonts) is embedded, so
the file prints the same everywhere.

Data comes from ``db.kuitansi.data_kuitansi`` (plain text); this module only
lays it out. ``pdf_kuitansi`` renders without counting a print;
``tulis_kuitansi`` writes a file and counts it (later prints say SALINAN).
"""
from __future__ import annotations

import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, HRFlowable, Paragraph, Spacer, Table, TableStyle

from db.errors import KnownError
from db.indonesian import tanggal_panjang
from db.kuitansi import DataKuitansi, normalisasi_ukuran

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
ROLL_WIDTH = 80 * mm
MAX_ROLL_HEIGHT = 2000 * mm  # a sanity bound; a receipt is ~150-250 mm long


@dataclass(frozen=True)
class Tata:
    """Layout parameters of one paper size."""

    page: tuple[float, float | None]
    margin_x: float
    margin_y: float
    font: float
    qr: float
    stacked: bool  # signatures one under the other (roll)
    label_width: float  # width of the label column of the details table
    sign_space: float  # room for a signature


TATA = {
    "a4": Tata(A4, 20 * mm, 16 * mm, 10.5, 30 * mm, False, 42 * mm, 20 * mm),
    "a5": Tata(A5, 11 * mm, 9 * mm, 8.4, 23 * mm, False, 33 * mm, 13 * mm),
    "80mm": Tata((ROLL_WIDTH, None), 4 * mm, 5 * mm, 7.6, 30 * mm, True, 15 * mm, 13 * mm),
}

_fonts_ready = False


def register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    except Exception as exc:  # noqa: BLE001 - a missing/damaged font file is an install problem
        raise KnownError(f"Huruf DejaVu Sans untuk kuitansi tidak dapat dimuat ({exc}). Pasang ulang aplikasi.") from exc
    from reportlab.lib.fonts import addMapping

    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    _fonts_ready = True


# --------------------------------------------------------------------------- pieces


class _Styles:
    def __init__(self, size: float):
        def st(name, **kw):
            base = dict(fontName=FONT, fontSize=size, leading=size * 1.3, textColor=colors.black)
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.normal = st("normal")
        self.small = st("small", fontSize=size * 0.82, leading=size * 1.05)
        self.center = st("center", alignment=TA_CENTER)
        self.right = st("right", alignment=TA_RIGHT)
        self.gov = st("gov", fontName=FONT_BOLD, fontSize=size * 1.05, leading=size * 1.3, alignment=TA_CENTER)
        self.dinas = st("dinas", fontName=FONT_BOLD, fontSize=size * 1.45, leading=size * 1.7, alignment=TA_CENTER)
        self.area = st("area", fontSize=size * 0.9, leading=size * 1.15, alignment=TA_CENTER)
        self.title = st("title", fontName=FONT_BOLD, fontSize=size * 1.25, leading=size * 1.5, alignment=TA_CENTER)
        self.nomor = st("nomor", alignment=TA_CENTER)
        self.status = st("status", fontName=FONT_BOLD, fontSize=size * 1.15, leading=size * 1.45,
                         alignment=TA_CENTER, textColor=colors.HexColor("#b00020"))
        self.label = st("label", fontSize=size * 0.95)
        self.value = st("value", alignment=TA_LEFT)
        self.words = st("words", fontName=FONT_BOLD)
        self.sign = st("sign", alignment=TA_CENTER)
        self.sign_small = st("sign_small", fontSize=size * 0.82, leading=size * 1.05, alignment=TA_CENTER)
        self.check = st("check", fontSize=size * 0.78, leading=size * 1.0)
        self.check_center = st("check_center", fontSize=size * 0.78, leading=size * 1.0, alignment=TA_CENTER)


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


class _Text(Flowable):
    """Text in a paragraph style, drawn as one string when it fits on a line (most receipt texts).

    Parsing and line-breaking a Paragraph costs ~0.3 ms each; a 500-receipt
    batch has ~20,000 texts. Text wider than the column (a long address or
    note) falls back to a real Paragraph, so nothing is ever cut off.
    """

    def __init__(self, text: str | None, style: ParagraphStyle):
        super().__init__()
        self.text = (text or "").replace("\n", " ")
        self.style = style
        self._para: Paragraph | None = None

    def wrap(self, aW, aH):
        st = self.style
        if "\n" not in self.text and pdfmetrics.stringWidth(self.text, st.fontName, st.fontSize) <= aW:
            self._para = None
            self.width, self.height = aW, st.leading
            return aW, st.leading
        self._para = _p(self.text, st)
        w, h = self._para.wrap(aW, aH)
        self.width, self.height = aW, h
        return aW, h

    def draw(self):
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        st = self.style
        c = self.canv
        c.setFont(st.fontName, st.fontSize)
        c.setFillColor(st.textColor)
        y = self.height - st.fontSize
        if st.alignment == TA_CENTER:
            c.drawCentredString(self.width / 2, y, self.text)
        elif st.alignment == TA_RIGHT:
            c.drawRightString(self.width, y, self.text)
        else:
            c.drawString(0, y, self.text)


class _Group(Flowable):
    """Flowables laid out one under the other and kept on one page (never split)."""

    def __init__(self, items: list):
        super().__init__()
        self.items = items

    def wrap(self, aW, aH):
        self._sizes = []
        total = 0.0
        for i, f in enumerate(self.items):
            w, h = f.wrap(aW, 10_000)
            before = f.getSpaceBefore() if i else 0
            after = f.getSpaceAfter()
            self._sizes.append((w, h, before, after))
            total += before + h + after
        self.width, self.height = aW, total
        return aW, total

    def draw(self):
        y = self.height
        for f, (w, h, before, after) in zip(self.items, self._sizes):
            y -= before + h
            f.drawOn(self.canv, 0, y, _sW=self.width - w)
            y -= after


QR_MASK = 4  # fixed mask pattern, see _qr_matrix

# GF(256) tables of the QR Reed-Solomon code (primitive polynomial 0x11d).
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
_GENERATORS: dict[int, list[int]] = {}


def _generator(ec: int) -> list[int]:
    """Coefficients (highest degree first) of the product of (x + a^i), i < ec."""
    gen = _GENERATORS.get(ec)
    if gen is None:
        gen = [1]
        for i in range(ec):
            nxt = gen + [0]
            for j, c in enumerate(gen):
                if c:
                    nxt[j + 1] ^= _EXP[_LOG[c] + i]
            gen = nxt
        _GENERATORS[ec] = gen
    return gen


def _rs_remainder(data: list[int], ec: int) -> list[int]:
    gen = _generator(ec)
    glog = [_LOG[g] if g else None for g in gen]
    res = list(data) + [0] * ec
    for i in range(len(data)):
        coef = res[i]
        if coef:
            lc = _LOG[coef]
            for j in range(1, ec + 1):
                if glog[j] is not None:
                    res[i + j] ^= _EXP[lc + glog[j]]
    return res[len(data):]


def _qr_codewords(qr: QRCode) -> list[int]:
    """Data + error-correction codewords, interleaved: reportlab's createData with a table-driven RS."""
    from itertools import chain, zip_longest

    from reportlab.graphics.barcode.qrencoder import QRBitBuffer, QRRSBlock

    blocks = QRRSBlock.getRSBlocks(qr.version, qr.errorCorrectLevel)
    buffer = QRBitBuffer()
    for item in qr.dataList:
        item.write(buffer, qr.version)
    capacity = sum(b.dataCount for b in blocks) * 8
    if buffer.getLengthInBits() > capacity:
        raise ValueError("QR data too long")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = (0xEC, 0x11)
    n = 0
    while buffer.getLengthInBits() < capacity:
        buffer.put(pads[n % 2], 8)
        n += 1
    dc, ecs, offset = [], [], 0
    for b in blocks:
        part = buffer.buffer[offset:offset + b.dataCount]
        offset += b.dataCount
        dc.append(part)
        ecs.append(_rs_remainder(part, b.totalCount - b.dataCount))
    return [d for group in chain(zip_longest(*dc), zip_longest(*ecs)) for d in group if d is not None]


def _qr_matrix(text: str) -> list[list[bool]]:
    """QR modules (error correction M) of ``text``, with reportlab's encoder made fast enough for batches.

    reportlab picks the best of 8 mask patterns by building the symbol 9 times
    and computes Reed-Solomon with polynomial objects (~50 ms per code in pure
    Python); a 500-receipt batch cannot afford that. Here the codewords come
    from a table-driven RS (``_qr_codewords``, checked against reportlab's in
    the tests) and the mask is fixed: any mask is valid QR, and 4 had the
    lowest average penalty on receipt payloads (within 7% of the per-code
    best). Every size is decoded back in the tests.
    """
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.dataCache = _qr_codewords(qr)
    qr.makeImpl(False, QR_MASK)
    return qr.modules


class QrFlowable(Flowable):
    """A QR code drawn as one filled path of horizontal runs (fast, crisp at any size)."""

    def __init__(self, text: str, size: float, border: int = 2):
        super().__init__()
        self.matrix = _qr_matrix(text)
        self.size = size
        self.border = border
        self.width = self.height = size

    def wrap(self, aW, aH):
        return self.size, self.size

    def draw(self):
        n = len(self.matrix)
        cell = self.size / (n + 2 * self.border)
        c = self.canv
        c.saveState()
        c.setFillColor(colors.white)
        c.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        c.setFillColor(colors.black)
        # In module units (integers), so the path is written without float formatting.
        c.translate(self.border * cell, self.size - self.border * cell)
        c.scale(cell, -cell)
        ops = []
        for r, row in enumerate(self.matrix):
            col = 0
            while col < n:
                if row[col]:
                    start = col
                    while col < n and row[col]:
                        col += 1
                    ops.append(f"{start} {r} {col - start} 1 re")
                else:
                    col += 1
        c._code.append(" ".join(ops) + " f")
        c.restoreState()


def _qr(text: str, size: float) -> QrFlowable:
    return QrFlowable(text, size)


def _block(flowables: list, width: float) -> _Group:
    return _Group(flowables)


def _group(cek: str) -> str:
    return "-".join(cek[i:i + 4] for i in range(0, len(cek), 4))


def _story(d: DataKuitansi, t: Tata, s: _Styles, width: float) -> list:
    story: list = [
        _Text(d.pemerintah, s.gov),
        _Text(d.dinas, s.dinas),
    ]
    if d.wilayah:
        story.append(_Text(d.wilayah, s.area))
    story += [
        Spacer(1, t.font * 0.3),
        HRFlowable(width="100%", thickness=1.4, color=colors.black, spaceBefore=0, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.4, color=colors.black, spaceBefore=0, spaceAfter=t.font * 0.8),
        _Text("TANDA TERIMA BANTUAN / LAYANAN SOSIAL", s.title),
        _Text(f"Nomor: {d.nomor}", s.nomor),
    ]
    if d.batal:
        when = f" pada {tanggal_panjang(d.tanggal_batal)}" if d.tanggal_batal else ""
        story.append(_Text("BATAL", s.status))
        story.append(_Text(f"Layanan ini dibatalkan{when}" + (f": {d.alasan_batal}" if d.alasan_batal else ""), s.sign_small))
    elif d.salinan:
        story.append(_Text(f"SALINAN (cetakan ke-{d.jumlah_cetak + 1})", s.status))
    story.append(Spacer(1, t.font * 0.7))
    story.append(_Text(f"Yang bertanda tangan di bawah ini menyatakan telah menerima dari {d.instansi}:", s.normal))
    story.append(Spacer(1, t.font * 0.4))

    short = t.stacked  # the roll is narrow: short labels
    rows = [
        ("Penerima" if short else "Nama penerima", _Text(d.penerima_nama, s.words)),
        ("NIK", _Text(d.nik_samaran, s.value)),
        ("Alamat", _Text(d.alamat, s.value)),
        ("Layanan" if short else "Jenis layanan", _Text(d.layanan_nama, s.value)),
        ("Kode" if short else "Kode sub-kegiatan", _Text(d.layanan_kode, s.value)),
        ("Jumlah", _Text(d.jumlah, s.value)),
        ("Nilai", _Text(d.nilai_teks, s.words)),
        ("Terbilang", _Text(d.terbilang, s.value)),
    ]
    if d.sumber_dana:
        rows.append(("Dana" if short else "Sumber dana", _Text(d.sumber_dana, s.value)))
    if d.bencana:
        rows.append(("Bencana" if short else "Kejadian bencana", _Text(d.bencana, s.value)))
    rows.append(("Tanggal" if short else "Tanggal penyerahan", _Text(d.tanggal_teks, s.value)))
    if d.keterangan:
        rows.append(("Ket." if short else "Keterangan", _Text(d.keterangan, s.value)))
    colon = 2.2 * mm
    table = Table(
        [[_Text(label, s.label), _Text(":", s.label), value] for label, value in rows],
        colWidths=[t.label_width, colon, width - t.label_width - colon],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), t.font * 0.12),
        ("BOTTOMPADDING", (0, 0), (-1, -1), t.font * 0.12),
    ]))
    story.append(table)
    story.append(Spacer(1, t.font * 0.9))

    lurah = d.lurah_nama or "." * 30
    penerima = [_Text("Yang menerima,", s.sign), Spacer(1, t.sign_space), _Text(f"( {d.penerima_nama} )", s.sign)]
    petugas = [_Text("Petugas yang menyerahkan,", s.sign), Spacer(1, t.sign_space), _Text(f"( {d.petugas_nama} )", s.sign),
               _Text(d.petugas_keterangan, s.sign_small)]
    mengetahui = [_Text("Mengetahui,", s.sign), _Text(d.lurah_jabatan, s.sign), Spacer(1, t.sign_space),
                  _Text(f"( {lurah} )", s.sign)]
    place = _Text(f"{d.tempat}, {d.tanggal_teks}", s.right if not t.stacked else s.sign)
    if t.stacked:
        block = [place, Spacer(1, t.font * 0.6), *penerima, Spacer(1, t.font * 0.9), *petugas,
                 Spacer(1, t.font * 0.9), *mengetahui]
        story.append(_block(block, width))
    else:
        half = width / 2
        signs = Table([[penerima, petugas]], colWidths=[half, half])
        signs.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        know = _Group(mengetahui)
        story.append(_block([place, Spacer(1, t.font * 0.5), signs, Spacer(1, t.font * 0.6), know], width))
    story.append(Spacer(1, t.font * 0.9))

    cs = s.check_center if t.stacked else s.check
    check_text = [
        _Text(f"Kode cek: {_group(d.kode_cek)}", cs),
        _Text("Pindai kode QR untuk memeriksa keaslian kuitansi ini.", cs),
        _Text(f"Nomor {d.nomor}", cs),
    ]
    qr = _qr(d.qr, t.qr)
    if t.stacked:
        box = Table([[qr], [check_text]], colWidths=[width])
        box.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    else:
        box = Table([[qr, check_text]], colWidths=[t.qr + 3 * mm, width - t.qr - 3 * mm])
        box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(_block([HRFlowable(width="100%", thickness=0.3, color=colors.grey, spaceAfter=2), box], width))
    return story


def _height(story: list, width: float, canv: Canvas) -> float:
    total = 0.0
    for i, f in enumerate(story):
        _w, h = f.wrapOn(canv, width, 10_000)
        total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return total


def _fill(frame: Frame, story: list, canv: Canvas) -> None:
    """Draw flowables from the front of ``story`` until the frame is full, splitting what can split."""
    while story:
        head = story[0]
        if frame.add(head, canv, trySplit=1):
            story.pop(0)
            continue
        parts = frame.split(head, canv)
        if parts and not (len(parts) == 1 and parts[0] is head):
            story[0:1] = parts
            if frame.add(story[0], canv, trySplit=1):
                story.pop(0)
                continue
        return


def _watermark(c: Canvas, d: DataKuitansi, page_w: float, page_h: float) -> None:
    """A large faint SALINAN / BATAL across the page, sized to stay inside it."""
    text = "BATAL" if d.batal else ("SALINAN" if d.salinan else None)
    if not text:
        return
    angle = max(20.0, min(70.0, math.degrees(math.atan2(page_h, page_w))))
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ratio = pdfmetrics.stringWidth(text, FONT_BOLD, 100) / 100
    size = min(0.9 * page_w / (ratio * cos + 0.75 * sin), 0.9 * page_h / (ratio * sin + 0.75 * cos))
    c.saveState()
    c.setFont(FONT_BOLD, size)
    c.setFillColor(colors.HexColor("#b00020") if d.batal else colors.HexColor("#808080"))
    c.setFillAlpha(0.13)
    c.translate(page_w / 2, page_h / 2)
    c.rotate(angle)
    c.drawCentredString(0, -size * 0.35, text)
    c.restoreState()


# --------------------------------------------------------------------------- public API


def render_kuitansi(items: Sequence[DataKuitansi], ukuran: str = "a5",
                    progress: Callable[[int, int], None] | None = None) -> bytes:
    """The PDF (bytes) with one receipt per page, in the order given."""
    if not items:
        raise KnownError("Tidak ada kuitansi untuk dicetak.")
    register_fonts()
    key = normalisasi_ukuran(ukuran)
    t = TATA[key]
    s = _Styles(t.font)
    buf = io.BytesIO()
    page_w = t.page[0]
    first_h = t.page[1] or 200 * mm
    c = Canvas(buf, pagesize=(page_w, first_h), pageCompression=1, invariant=0)
    c.setTitle("Tanda terima " + (items[0].nomor if len(items) == 1 else f"{len(items)} layanan"))
    c.setAuthor(items[0].instansi)
    c.setCreator("Kesos Lapangan")
    c.setSubject("Tanda terima bantuan / layanan sosial")
    width = page_w - 2 * t.margin_x
    for n, d in enumerate(items):
        story = _story(d, t, s, width)
        if t.page[1] is None:
            page_h = min(_height(story, width, c) + 2 * t.margin_y + 2 * mm, MAX_ROLL_HEIGHT)
        else:
            page_h = t.page[1]
        guard = 0
        while story:
            guard += 1
            if guard > 20:
                raise KnownError("Isi kuitansi terlalu panjang untuk dicetak (periksa keterangan).")
            c.setPageSize((page_w, page_h))
            _watermark(c, d, page_w, page_h)
            frame = Frame(t.margin_x, t.margin_y, width, page_h - 2 * t.margin_y,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
            _fill(frame, story, c)
            c.showPage()
        if progress:
            progress(n + 1, len(items))
    from reportlab import rl_config

    a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams: smaller and faster than ASCII85
    try:
        c.save()
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()


def pdf_kuitansi(db, layanan_ids: Sequence[str], ukuran: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> bytes:
    """Render receipts of services without counting a print (preview).

    A service of this install that has no receipt yet gets its number now.
    """
    from db import kuitansi

    kuitansi.pastikan_kuitansi(db, list(layanan_ids))
    items = kuitansi.data_kuitansi(db, list(layanan_ids))
    return render_kuitansi(items, ukuran or kuitansi.ukuran(db), progress)


def simpan_pdf(path, data: bytes) -> str:
    """Write bytes atomically (temporary file + rename); KnownError with the reason on failure."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kuitansi-", suffix=".pdf", dir=str(path.parent))
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise KnownError(f"Berkas {path} tidak dapat ditulis: {exc.strerror or exc}.") from exc
    return str(path)


def tulis_kuitansi(db, layanan_ids: Sequence[str], out, ukuran: str | None = None, *,
                   catat_cetak: bool = True, progress: Callable[[int, int], None] | None = None) -> str:
    """Write the receipts of services to ``out`` (one PDF) and count it as issued (SALINAN afterwards)."""
    from db import kuitansi

    data = pdf_kuitansi(db, layanan_ids, ukuran, progress)
    path = simpan_pdf(out, data)
    if catat_cetak:
        kuitansi.catat_cetak(db, list(layanan_ids))
    return path
