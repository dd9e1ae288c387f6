"""The import wizard for any record kind: driven only by its ImportSpec.

Steps: 1 choose the file (and sheet; or save an empty template) → 2 column
mapping, with the header row to use and a preview of the first rows → 3 check
(``run_import(dry_run=True)``): the errors with row and column, the warnings,
and the choice "import the valid rows" / "import nothing if anything is
wrong" → 4 import in the background with progress, the result, and the error
report. Reading, checking and importing all run off the UI thread with their
own database connection; nothing is written before step 4, and a file that
cannot be read at all is refused at step 1.

``ImportWizard(ctx, spec, parent)``; after ``exec()``, ``report`` holds the
ImportReport of the import (None if nothing was imported).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QRadioButton, QScrollArea, QSpinBox, QStackedWidget, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from db.errors import KnownError
from db.indonesian import angka
from desktop import msgbox
from desktop.widgets.form import error_label
from exporters.importer import (
    ImportReport, ImportSpec, auto_mapping, missing_required, run_import, write_error_report, write_template,
)
from exporters.tabular import RawTable, cell_to_text, read_cells, sheet_names, table_from_cells

PREVIEW_ROWS = 12
MAX_PROBLEMS_SHOWN = 500
STEP_FILE, STEP_MAPPING, STEP_CHECK, STEP_RESULT = range(4)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "title")
    label.setStyleSheet("font-size: 16px; font-weight: 600; color: #1f4e79;")
    return label


class ImportWizard(QDialog):
    imported = Signal(object)  # the ImportReport, after a real import

    def __init__(self, ctx, spec: ImportSpec, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.cells: list[list] | None = None
        self.sheet: str | None = None
        self.table: RawTable | None = None
        self.mapping: dict[str, int | None] = {}
        self.check_report: ImportReport | None = None
        self.report: ImportReport | None = None
        self.op = None
        # Tests (and unattended runs) replace these to answer file dialogs.
        self.ask_open_path = self._ask_open_path
        self.ask_save_path = self._ask_save_path
        self.setWindowTitle(self.tr("Impor %1").replace("%1", spec.title))
        self.resize(900, 640)

        outer = QVBoxLayout(self)
        self.steps_label = QLabel()
        self.steps_label.setObjectName("langkah")
        outer.addWidget(self.steps_label)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_file_step())
        self.stack.addWidget(self._build_mapping_step())
        self.stack.addWidget(self._build_check_step())
        self.stack.addWidget(self._build_result_step())

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = QPushButton(self.tr("< &Kembali"))
        self.next_button = QPushButton(self.tr("&Lanjut >"))
        self.cancel_button = QPushButton(self.tr("Batal"))
        self.next_button.setDefault(True)
        for b in (self.back_button, self.next_button, self.cancel_button):
            buttons.addWidget(b)
        outer.addLayout(buttons)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.cancel_button.clicked.connect(self.reject)
        self._show_step(STEP_FILE)

    # ------------------------------------------------------------------ step 1: file
    def _build_file_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title(self.tr("1. Pilih berkas")))
        intro = QLabel(self.tr(
            "Pilih buku kerja Excel (.xlsx) atau berkas CSV. Susunan kolom boleh berbeda dari templat "
            "(mis. ekspor DTKS/BNBA dengan judul di atas tabel): kolomnya dipasangkan pada langkah berikut."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("berkas")
        self.path_edit.setPlaceholderText(self.tr("Lokasi berkas…"))
        self.browse_button = QPushButton(self.tr("&Pilih berkas…"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        sheet_row = QHBoxLayout()
        self.sheet_label = QLabel(self.tr("Lembar:"))
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("lembar")
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        layout.addLayout(sheet_row)
        self.sheet_label.hide()
        self.sheet_combo.hide()
        self.file_error = error_label()
        self.file_error.setObjectName("galat_berkas")
        layout.addWidget(self.file_error)
        layout.addSpacing(16)
        template_row = QHBoxLayout()
        template_row.addWidget(QLabel(self.tr("Belum punya berkas? Isi templat kosong dengan kolom yang benar:")))
        self.template_button = QPushButton(self.tr("Simpan &templat…"))
        template_row.addWidget(self.template_button)
        template_row.addStretch(1)
        layout.addLayout(template_row)
        layout.addStretch(1)
        self.browse_button.clicked.connect(self.browse)
        self.template_button.clicked.connect(self.save_template)
        self.path_edit.textChanged.connect(lambda _t: self._path_changed())
        self.path_edit.returnPressed.connect(self.next)
        return page

    def _ask_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Pilih berkas impor"), "",
                                              self.tr("Buku kerja atau CSV (*.xlsx *.xlsm *.csv *.txt);;Semua berkas (*)"))
        return path or None

    def _ask_save_path(self, title: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, self.tr("Buku kerja Excel (*.xlsx)"))
        return path or None

    def browse(self) -> None:
        path = self.ask_open_path()
        if path:
            self.path_edit.setText(path)

    def _path_changed(self) -> None:
        self.cells = None
        self.file_error.hide()
        self.sheet_combo.clear()
        self.sheet_combo.hide()
        self.sheet_label.hide()
        path = Path(self.path_edit.text().strip())
        if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
            try:
                names = sheet_names(path)
            except KnownError:
                return  # said when the user goes on
            if len(names) > 1:
                self.sheet_combo.addItems(names)
                self.sheet_combo.show()
                self.sheet_label.show()

    def save_template(self) -> None:
        path = self.ask_save_path(self.tr("Simpan templat"), f"templat-{self.spec.kind}.xlsx")
        if not path:
            return
        try:
            write_template(path, self.spec, self.ctx.db)
        except (KnownError, OSError) as exc:
            msgbox.error(self, self.tr("Templat tidak tersimpan"), getattr(exc, "pesan", str(exc)))
            return
        msgbox.info(self, self.tr("Templat tersimpan"), self.tr("Templat disimpan di %1").replace("%1", path))

    def _read_file(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            self._file_failed(KnownError(self.tr("Pilih berkas yang akan diimpor.")))
            return
        sheet = self.sheet_combo.currentText() if self.sheet_combo.isVisible() and self.sheet_combo.count() else None

        def work(progress):
            progress(0, 0, "Membaca berkas…")
            return read_cells(path, sheet)

        self._run(self.tr("Membaca berkas…"), work, self._file_read, self._file_failed)

    def _file_read(self, result) -> None:
        cells, sheet = result
        self.sheet = sheet
        try:
            table = table_from_cells(cells, self._expected(), source=self.path_edit.text().strip(), sheet=sheet)
        except KnownError as exc:
            self._file_failed(exc)
            return
        self.cells = cells
        self._set_table(table, remap=True)
        self._show_step(STEP_MAPPING)

    def _file_failed(self, exc) -> None:
        if not isinstance(exc, KnownError):
            return self._bug(exc)
        self.file_error.setText(exc.pesan + "\n" + self.tr("Tidak ada data yang diimpor."))
        self.file_error.show()

    # ------------------------------------------------------------------ step 2: mapping
    def _build_mapping_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title(self.tr("2. Pasangkan kolom")))
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Baris &judul (nama kolom) ada di baris:")))
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("baris_judul")
        self.header_spin.setMinimum(1)
        head.itemAt(0).widget().setBuddy(self.header_spin)
        head.addWidget(self.header_spin)
        self.rows_label = QLabel()
        self.rows_label.setObjectName("jumlah_baris")
        head.addWidget(self.rows_label)
        head.addStretch(1)
        layout.addLayout(head)
        self.preview = QTableWidget()
        self.preview.setObjectName("pratinjau")
        self.preview.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.preview.setMaximumHeight(230)
        self.preview.setWordWrap(False)
        layout.addWidget(self.preview)
        hint = QLabel(self.tr("Untuk setiap kolom data, pilih kolom berkas yang berisi datanya (* wajib). "
                              "Kolom berkas yang tidak dipilih diabaikan."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.mapping_form = QFormLayout(body)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.mapping_combos: dict[str, QComboBox] = {}
        for col in self.spec.columns:
            combo = QComboBox()
            combo.setObjectName(f"kolom_{col.name}")
            if col.help:
                combo.setToolTip(col.help)
            self.mapping_combos[col.name] = combo
            self.mapping_form.addRow(col.name + (" *" if col.required else ""), combo)
        self.mapping_error = error_label()
        self.mapping_error.setObjectName("galat_pemetaan")
        layout.addWidget(self.mapping_error)
        self.header_spin.valueChanged.connect(self._header_changed)
        return page

    def _expected(self) -> list[str]:
        return [c.name for c in self.spec.columns] + [a for c in self.spec.columns for a in c.aliases]

    def _set_table(self, table: RawTable, *, remap: bool) -> None:
        self.table = table
        self.header_spin.blockSignals(True)
        self.header_spin.setMaximum(max(len(self.cells or []), 1))
        self.header_spin.setValue(table.header_row)
        self.header_spin.blockSignals(False)
        self.rows_label.setText(self.tr("· %1 baris data").replace("%1", angka(len(table.rows))))
        self._fill_preview()
        options = [(self.tr("(tidak ada)"), None)] + [
            (f"{column_letter(i)} · {h}" if h else column_letter(i), i) for i, h in enumerate(table.headers)]
        mapping = auto_mapping(table.headers, self.spec) if remap else self.current_mapping()
        for name, combo in self.mapping_combos.items():
            combo.blockSignals(True)
            combo.clear()
            for text, value in options:
                combo.addItem(text, value)
            idx = mapping.get(name)
            combo.setCurrentIndex(0 if idx is None or idx >= len(table.headers) else idx + 1)
            combo.blockSignals(False)
        self.mapping_error.hide()

    def _fill_preview(self) -> None:
        cells = (self.cells or [])[: max(PREVIEW_ROWS, self.table.header_row + 5)]
        width = max((len(r) for r in cells), default=0)
        self.preview.clear()
        self.preview.setRowCount(len(cells))
        self.preview.setColumnCount(width)
        self.preview.setHorizontalHeaderLabels([column_letter(i) for i in range(width)])
        self.preview.setVerticalHeaderLabels([str(i + 1) for i in range(len(cells))])
        bold = QFont()
        bold.setBold(True)
        for r, row in enumerate(cells):
            for c in range(width):
                value = row[c] if c < len(row) else None
                item = QTableWidgetItem(cell_to_text(value))
                if r + 1 == self.table.header_row:
                    item.setFont(bold)
                    item.setBackground(QBrush(QColor("#DDEBF7")))
                elif r + 1 < self.table.header_row:
                    item.setForeground(QBrush(QColor("#888888")))
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(width):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 220))
        self.preview.resizeRowsToContents()
        header_item = self.preview.item(self.table.header_row - 1, 0)
        if header_item is not None:  # the header and the first data rows in view, titles above scrolled away
            self.preview.scrollToItem(header_item, QAbstractItemView.PositionAtTop)

    def _header_changed(self, value: int) -> None:
        if self.cells is None:
            return
        try:
            table = table_from_cells(self.cells, self._expected(), header_row=value,
                                     source=self.path_edit.text().strip(), sheet=self.sheet)
        except KnownError as exc:
            self.mapping_error.setText(exc.pesan)
            self.mapping_error.show()
            return
        self._set_table(table, remap=True)

    def current_mapping(self) -> dict[str, int | None]:
        return {name: combo.currentData() for name, combo in self.mapping_combos.items()}

    def set_mapping(self, name: str, header_index: int | None) -> None:
        combo = self.mapping_combos[name]
        combo.setCurrentIndex(0 if header_index is None else header_index + 1)

    def _check_mapping(self) -> bool:
        mapping = self.current_mapping()
        missing = missing_required(self.spec, mapping)
        if missing:
            self.mapping_error.setText(self.tr("Kolom wajib belum dipasangkan: %1").replace("%1", ", ".join(missing)))
            self.mapping_error.show()
            return False
        used: dict[int, str] = {}
        for name, idx in mapping.items():
            if idx is None:
                continue
            if idx in used:
                self.mapping_error.setText(
                    self.tr("Kolom berkas %1 dipakai dua kali (untuk '%2' dan '%3').")
                    .replace("%1", column_letter(idx)).replace("%2", used[idx]).replace("%3", name))
                self.mapping_error.show()
                return False
            used[idx] = name
        self.mapping_error.hide()
        self.mapping = mapping
        return True

    # ------------------------------------------------------------------ step 3: check
    def _build_check_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title(self.tr("3. Periksa")))
        self.check_summary = QLabel()
        self.check_summary.setObjectName("ringkasan_periksa")
        self.check_summary.setWordWrap(True)
        layout.addWidget(self.check_summary)
        self.problems = QTableWidget(0, 4)
        self.problems.setObjectName("masalah")
        self.problems.setHorizontalHeaderLabels([self.tr("Baris"), self.tr("Kolom"), self.tr("Jenis"), self.tr("Keterangan")])
        self.problems.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.problems.verticalHeader().hide()
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems, 1)
        self.more_label = QLabel()
        self.more_label.hide()
        layout.addWidget(self.more_label)
        self.choice_box = QGroupBox(self.tr("Bila ada baris yang salah"))
        box = QVBoxLayout(self.choice_box)
        self.valid_only = QRadioButton(self.tr("&Impor baris yang sah (baris yang salah dilewati dan masuk laporan)"))
        self.nothing_if_error = QRadioButton(self.tr("&Jangan impor apa pun bila ada kesalahan"))
        self.valid_only.setChecked(True)
        self.choice_group = QButtonGroup(self)
        self.choice_group.addButton(self.valid_only)
        self.choice_group.addButton(self.nothing_if_error)
        box.addWidget(self.valid_only)
        box.addWidget(self.nothing_if_error)
        layout.addWidget(self.choice_box)
        row = QHBoxLayout()
        self.check_report_button = QPushButton(self.tr("Simpan laporan &kesalahan…"))
        self.check_report_button.setObjectName("simpan_laporan_periksa")
        row.addWidget(self.check_report_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.check_report_button.clicked.connect(lambda: self.save_error_report(self.check_report))
        return page

    def _run_check(self) -> None:
        db_path = self.ctx.db_path
        spec, table, mapping = self.spec, self.table, dict(self.mapping)

        def work(progress):
            from db.connection import open_database

            db = open_database(db_path)
            try:
                return run_import(db, spec, table, mapping, dry_run=True, progress=progress)
            finally:
                db.close()

        self._run(self.tr("Memeriksa baris…"), work, self._checked, self._check_failed)

    def _checked(self, report: ImportReport) -> None:
        self.check_report = report
        ok = report.imported + report.unchanged
        parts = [self.tr("%1 baris sah").replace("%1", angka(ok))]
        if report.unchanged:
            parts.append(self.tr("%1 di antaranya sudah ada dan tidak berubah").replace("%1", angka(report.unchanged)))
        parts.append(self.tr("%1 baris salah").replace("%1", angka(report.rejected)))
        if report.warnings:
            parts.append(self.tr("%1 peringatan").replace("%1", angka(len(report.warnings))))
        text = ", ".join(parts) + "."
        if report.rejected:
            text += " " + self.tr("Perbaiki baris yang salah di berkas lalu impor lagi, atau lewati baris itu.")
        elif report.warnings:
            text += " " + self.tr("Baris dengan peringatan tetap diimpor; periksa datanya di formulir sesudahnya.")
        else:
            text += " " + self.tr("Semua baris siap diimpor.")
        self.check_summary.setText(text)
        self.check_summary.setStyleSheet("color: #b00020" if report.rejected else "")
        self._fill_problems(report)
        self.choice_box.setVisible(bool(report.rejected))
        self.check_report_button.setVisible(bool(report.rejected))
        self._show_step(STEP_CHECK)

    def _check_failed(self, exc) -> None:
        if not isinstance(exc, KnownError):
            return self._bug(exc)
        self.mapping_error.setText(exc.pesan)
        self.mapping_error.show()

    def _fill_problems(self, report: ImportReport) -> None:
        items = [(p, self.tr("Kesalahan")) for p in report.problems] + [(w, self.tr("Peringatan")) for w in report.warnings]
        items.sort(key=lambda pw: (pw[0].row, pw[1] != self.tr("Kesalahan")))
        shown = items[:MAX_PROBLEMS_SHOWN]
        self.problems.setRowCount(len(shown))
        red, amber = QBrush(QColor("#b00020")), QBrush(QColor("#8a5a00"))
        for r, (p, kind) in enumerate(shown):
            cells = [str(p.row), p.column or "", kind, p.message]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setForeground(red if kind == self.tr("Kesalahan") else amber)
                self.problems.setItem(r, c, item)
        self.problems.resizeColumnToContents(0)
        self.problems.resizeColumnToContents(1)
        self.problems.resizeColumnToContents(2)
        self.problems.resizeRowsToContents()
        if len(items) > MAX_PROBLEMS_SHOWN:
            self.more_label.setText(self.tr("… dan %1 lainnya: lihat laporan kesalahan.")
                                    .replace("%1", angka(len(items) - MAX_PROBLEMS_SHOWN)))
            self.more_label.show()
        else:
            self.more_label.hide()

    # ------------------------------------------------------------------ step 4: import and result
    def _build_result_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title(self.tr("4. Hasil impor")))
        self.result_label = QLabel()
        self.result_label.setObjectName("hasil")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        row = QHBoxLayout()
        self.result_report_button = QPushButton(self.tr("Simpan laporan &kesalahan…"))
        self.result_report_button.setObjectName("simpan_laporan_hasil")
        row.addWidget(self.result_report_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.result_report_button.clicked.connect(lambda: self.save_error_report(self.report))
        return page

    def _run_import(self) -> None:
        db_path = self.ctx.db_path
        spec, table, mapping = self.spec, self.table, dict(self.mapping)
        all_or_nothing = self.nothing_if_error.isChecked()

        def work(progress):
            from db.connection import open_database

            db = open_database(db_path)
            try:
                return run_import(db, spec, table, mapping, all_or_nothing=all_or_nothing, progress=progress)
            finally:
                db.close()

        self._run(self.tr("Mengimpor…"), work, self._imported, self._import_failed)

    def _imported(self, report: ImportReport) -> None:
        self.report = report
        if report.rolled_back:
            text = self.tr("Tidak ada yang diimpor: ada %1 baris yang salah dan Anda memilih "
                           "\"jangan impor apa pun bila ada kesalahan\".").replace("%1", angka(report.rejected))
        else:
            text = (self.tr("Diimpor: %1 · tidak berubah: %2 · ditolak: %3")
                    .replace("%1", angka(report.imported)).replace("%2", angka(report.unchanged))
                    .replace("%3", angka(report.rejected)))
            if report.warnings:
                text += "\n" + self.tr("%1 baris diimpor dengan peringatan; periksa datanya.").replace(
                    "%1", angka(len({w.row for w in report.warnings})))
        self.result_label.setText(text)
        self.result_report_button.setVisible(bool(report.rejected))
        if not report.rolled_back and (report.imported or report.unchanged):
            self.ctx.changed(self.spec.kind)
        self.imported.emit(report)
        self._show_step(STEP_RESULT)

    def _import_failed(self, exc) -> None:
        if not isinstance(exc, KnownError):
            return self._bug(exc)
        msgbox.error(self, self.tr("Impor gagal"), exc.pesan + "\n" + self.tr("Tidak ada data yang diimpor."))

    def save_error_report(self, report: ImportReport | None) -> str | None:
        if report is None or not report.problems:
            return None
        src = Path(self.path_edit.text().strip())
        path = self.ask_save_path(self.tr("Simpan laporan kesalahan"), str(src.with_name(f"{src.stem}-kesalahan.xlsx")))
        if not path:
            return None
        try:
            written = write_error_report(path, self.table, report, self.spec)
            from db.ekspor_log import catat_ekspor

            catat_ekspor(self.ctx.db, "laporan_kesalahan", written, len({p.row for p in report.problems}))
        except (KnownError, OSError) as exc:
            msgbox.error(self, self.tr("Laporan tidak tersimpan"), getattr(exc, "pesan", str(exc)))
            return None
        msgbox.info(self, self.tr("Laporan tersimpan"), self.tr("Laporan kesalahan disimpan di %1").replace("%1", written))
        return written

    # ------------------------------------------------------------------ navigation
    def _run(self, title: str, work, on_success, on_failure) -> None:
        from desktop.worker import run_in_background

        self._busy(True)

        def ok(result):
            self._busy(False)
            on_success(result)

        def failed(exc):
            self._busy(False)
            on_failure(exc)

        self.op = run_in_background(self, title, work, ok, failed)

    def _busy(self, busy: bool) -> None:
        self._is_busy = busy
        self._update_buttons()

    def busy(self) -> bool:
        return getattr(self, "_is_busy", False)

    def step(self) -> int:
        return self.stack.currentIndex()

    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        names = [self.tr("Berkas"), self.tr("Kolom"), self.tr("Periksa"), self.tr("Hasil")]
        self.steps_label.setText("  ›  ".join(f"<b>{n}</b>" if i == step else n for i, n in enumerate(names)))
        self._update_buttons()
        if step == STEP_FILE:
            self.path_edit.setFocus()
        elif step == STEP_MAPPING:
            self.header_spin.setFocus()
        elif step == STEP_CHECK:
            self.next_button.setFocus()

    def _update_buttons(self) -> None:
        step = self.step()
        busy = self.busy()
        self.back_button.setEnabled(not busy and step in (STEP_MAPPING, STEP_CHECK))
        self.next_button.setEnabled(not busy)
        self.cancel_button.setVisible(step != STEP_RESULT)
        if step == STEP_CHECK:
            report = self.check_report
            nothing = report is None or (report.imported == 0 and report.unchanged == 0)
            self.next_button.setText(self.tr("&Impor"))
            self.next_button.setEnabled(not busy and not nothing)
        elif step == STEP_RESULT:
            self.next_button.setText(self.tr("&Selesai"))
        else:
            self.next_button.setText(self.tr("&Lanjut >"))

    def next(self) -> None:
        if self.busy():
            return
        step = self.step()
        if step == STEP_FILE:
            self._read_file()
        elif step == STEP_MAPPING:
            if self._check_mapping():
                self._run_check()
        elif step == STEP_CHECK:
            self._run_import()
        else:
            self.accept()

    def back(self) -> None:
        if not self.busy() and self.step() in (STEP_MAPPING, STEP_CHECK):
            self._show_step(self.step() - 1)

    def reject(self) -> None:
        if self.busy() and self.op is not None:
            self.op.cancel()
            return
        super().reject()

    def _bug(self, exc) -> None:
        from desktop.errors import report_exception

        report_exception(type(exc), exc, exc.__traceback__, self)
