"""Receipt preview, printing through Qt, and saving as PDF.

PySide6-Essentials has no QtPdf, so the receipt PDF (exporters/receipt_pdf)
is rasterised page by page with pypdfium2: the preview shows exactly the
file that is saved, and printing paints the same pages onto a QPrinter at
the printer's resolution with the PDF's own page size (A4, A5 or the 80 mm
roll's measured length).

A print or a saved file counts as an issued receipt (``kuitansi.catat_cetak``):
the next one says SALINAN. With no printer installed the user is told so in
plain words and offered to save the PDF instead.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMarginsF, QSizeF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
)

from db import kuitansi
from db.ekspor_log import catat_ekspor
from desktop import msgbox
from desktop.layanan import fill

PREVIEW_DPI = 96
PRINT_DPI_MAX = 300
NO_PRINTER = QT_TRANSLATE_NOOP("Kuitansi", "Tidak ada printer yang terpasang di komputer ini, jadi kuitansi belum "
                                            "dapat dicetak.\n\nSimpan kuitansi sebagai PDF, lalu cetak dari komputer "
                                            "lain atau setelah printer dipasang.")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Kuitansi", text)


def pdf_pages(data: bytes, dpi: int = PREVIEW_DPI, pages: list[int] | None = None) -> list[QImage]:
    """Pages of a PDF as images (white background)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        out = []
        for i in (pages if pages is not None else range(len(pdf))):
            pil = pdf[i].render(scale=dpi / 72).to_pil().convert("RGB")
            raw = pil.tobytes("raw", "RGB")
            out.append(QImage(raw, pil.width, pil.height, 3 * pil.width, QImage.Format_RGB888).copy())
        return out
    finally:
        pdf.close()


def pdf_page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return [(w / 72 * 25.4, h / 72 * 25.4) for w, h in (pdf[i].get_size() for i in range(len(pdf)))]
    finally:
        pdf.close()


def available_printers() -> list[str]:
    """Names of the installed printers (a seam for tests)."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def make_printer():
    from PySide6.QtPrintSupport import QPrinter

    return QPrinter(QPrinter.HighResolution)


def exec_print_dialog(printer, parent) -> bool:
    """The system print dialog (a seam for tests)."""
    from PySide6.QtPrintSupport import QPrintDialog

    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle(QCoreApplication.translate("Kuitansi", "Cetak kuitansi"))
    return dlg.exec() == QDialog.Accepted


def ask_save_path(parent, suggested: str) -> str | None:
    """Where to save a PDF (a seam for tests)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("Kuitansi", "Simpan kuitansi sebagai PDF"), suggested,
        QCoreApplication.translate("Kuitansi", "Berkas PDF (*.pdf)"))
    return path or None


def paint_pdf(printer, data: bytes) -> None:
    """Paint every PDF page onto ``printer``, each with its own page size."""
    sizes = pdf_page_sizes_mm(data)
    dpi = min(PRINT_DPI_MAX, max(150, printer.resolution()))
    printer.setFullPage(True)
    painter = QPainter()
    for i, (w, h) in enumerate(sizes):
        layout = QPageLayout(QPageSize(QSizeF(w, h), QPageSize.Millimeter, "Kuitansi"),
                             QPageLayout.Portrait, QMarginsF(0, 0, 0, 0))
        if i == 0:
            printer.setPageLayout(layout)
            if not painter.begin(printer):
                raise OSError("printer tidak dapat dibuka")
        else:
            printer.setPageLayout(layout)
            printer.newPage()
        (image,) = pdf_pages(data, dpi, [i])
        target = printer.pageLayout().fullRectPixels(printer.resolution())
        painter.drawImage(target, image)
    painter.end()


def suggested_name(nomor: str | None, count: int) -> str:
    if count > 1 or not nomor:
        return f"Kuitansi {count} layanan.pdf"
    return "Kuitansi " + nomor.replace("/", "-") + ".pdf"


def save_receipts(ctx, parent, layanan_ids: list[str], ukuran: str, path: str | None = None) -> str | None:
    """Ask where (unless ``path``), write the receipts' PDF, count them as issued; the path or None."""
    from db.errors import KnownError
    from exporters import receipt_pdf

    if path is None:
        first = kuitansi.kuitansi_of(ctx.db, layanan_ids[0]) if layanan_ids else None
        path = ask_save_path(parent, suggested_name(first["nomor"] if first else None, len(layanan_ids)))
        if not path:
            return None
    if not str(path).lower().endswith(".pdf"):
        path = str(path) + ".pdf"
    try:
        written = receipt_pdf.tulis_kuitansi(ctx.db, layanan_ids, path, ukuran)
    except KnownError as exc:
        msgbox.error(parent, QCoreApplication.translate("Kuitansi", "Kuitansi tidak tersimpan"), exc.pesan)
        return None
    catat_ekspor(ctx.db, "kuitansi", written, len(layanan_ids))  # UU PDP: who exported whom
    ctx.changed("kuitansi")
    msgbox.info(parent, QCoreApplication.translate("Kuitansi", "Kuitansi tersimpan"),
                fill(QCoreApplication.translate("Kuitansi", "Kuitansi disimpan sebagai PDF:\n%1"), written))
    return written


class ReceiptPreview(QDialog):
    """Preview of one or more receipts, one page at a time, with Cetak / Simpan PDF.

    ``data`` may be given (already rendered PDF bytes, e.g. from a background
    job); otherwise the receipts are rendered here.
    """

    def __init__(self, ctx, layanan_ids: list[str], ukuran: str | None = None, data: bytes | None = None,
                 parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ids = list(layanan_ids)
        self.ukuran = ukuran or kuitansi.ukuran(ctx.db)
        self.data = data
        self.page = 0
        self.printed = False
        self.setWindowTitle(self.tr("Pratinjau kuitansi"))
        self.resize(720, 860)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("&Ukuran:")))
        self.size_box = QComboBox()
        for key, label in kuitansi.UKURAN.items():
            self.size_box.addItem(label, key)
        self.size_box.setCurrentIndex(self.size_box.findData(self.ukuran))
        top.itemAt(0).widget().setBuddy(self.size_box)
        self.size_box.currentIndexChanged.connect(self._size_changed)
        top.addWidget(self.size_box)
        top.addStretch(1)
        self.prev_btn = QPushButton(self.tr("◀ Sebelumnya"))
        self.next_btn = QPushButton(self.tr("Berikutnya ▶"))
        self.page_label = QLabel()
        self.prev_btn.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_btn.clicked.connect(lambda: self.show_page(self.page + 1))
        top.addWidget(self.prev_btn)
        top.addWidget(self.page_label)
        top.addWidget(self.next_btn)
        outer.addLayout(top)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.image.setStyleSheet("background: #8a8f96; padding: 12px;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        outer.addWidget(scroll, 1)
        buttons = QDialogButtonBox()
        self.print_btn = buttons.addButton(self.tr("&Cetak…"), QDialogButtonBox.AcceptRole)
        self.save_btn = buttons.addButton(self.tr("&Simpan PDF…"), QDialogButtonBox.ActionRole)
        close = buttons.addButton(self.tr("&Tutup"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.print_receipts)
        self.save_btn.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)
        self.print_btn.setDefault(True)
        outer.addWidget(buttons)
        QShortcut(QKeySequence.Print, self, activated=self.print_receipts)
        QShortcut(QKeySequence.Save, self, activated=self.save_pdf)
        QShortcut(QKeySequence(Qt.Key_PageDown), self, activated=lambda: self.show_page(self.page + 1))
        QShortcut(QKeySequence(Qt.Key_PageUp), self, activated=lambda: self.show_page(self.page - 1))
        if self.data is None:
            self.render()
        self.show_page(0)

    # --- rendering ------------------------------------------------------------
    def render(self) -> None:
        from exporters import receipt_pdf

        self.data = receipt_pdf.pdf_kuitansi(self.ctx.db, self.ids, self.ukuran)

    def page_count(self) -> int:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(self.data)
        try:
            return len(pdf)
        finally:
            pdf.close()

    def show_page(self, n: int) -> None:
        total = self.page_count()
        self.page = max(0, min(n, total - 1))
        (img,) = pdf_pages(self.data, PREVIEW_DPI, [self.page])
        self.image.setPixmap(QPixmap.fromImage(img))
        self.page_label.setText(fill(self.tr("Halaman %1 dari %2"), self.page + 1, total))
        self.prev_btn.setEnabled(self.page > 0)
        self.next_btn.setEnabled(self.page < total - 1)

    def _size_changed(self) -> None:
        self.ukuran = self.size_box.currentData()
        self.render()
        self.show_page(self.page)

    # --- actions ----------------------------------------------------------------
    def print_receipts(self) -> bool:
        if not available_printers():
            msgbox.warning(self, self.tr("Tidak ada printer"), _tr(NO_PRINTER))
            if msgbox.confirm(self, self.tr("Simpan sebagai PDF"), self.tr("Simpan kuitansi sebagai PDF sekarang?"),
                              yes=self.tr("Simpan PDF"), no=self.tr("Batal")):
                self.save_pdf()
            return False
        self.render()  # the counter may have moved since the preview was made
        printer = make_printer()
        printer.setDocName(suggested_name(None, len(self.ids)).removesuffix(".pdf"))
        if not exec_print_dialog(printer, self):
            return False
        try:
            paint_pdf(printer, self.data)
        except OSError as exc:
            msgbox.error(self, self.tr("Gagal mencetak"),
                         fill(self.tr("Kuitansi tidak dapat dicetak (%1). Simpan sebagai PDF bila printer bermasalah."),
                              exc))
            return False
        kuitansi.catat_cetak(self.ctx.db, self.ids)
        # UU PDP: a printed receipt leaves the app too; the printer stands where a file would
        catat_ekspor(self.ctx.db, "kuitansi", f"printer: {printer.printerName() or '-'}", len(self.ids))
        self.ctx.changed("kuitansi")
        self.printed = True
        self.render()
        self.show_page(self.page)
        return True

    def save_pdf(self, path: str | None = None) -> str | None:
        written = save_receipts(self.ctx, self, self.ids, self.ukuran, path if isinstance(path, str) else None)
        if written:
            self.printed = True
            self.render()
            self.show_page(self.page)
        return written


def open_preview(ctx, parent, layanan_ids: list[str], ukuran: str | None = None) -> ReceiptPreview:
    """Show the preview (modal); in unattended runs it is only built, never blocks."""
    dlg = ReceiptPreview(ctx, layanan_ids, ukuran, parent=parent)
    if not msgbox.unattended():
        dlg.exec()
    return dlg
