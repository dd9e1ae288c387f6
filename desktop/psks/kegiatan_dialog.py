"""The event form: event data, participants picked from the register, attendance.

The participant picker is a checklist over the whole living register (filter
by text and type; "only participants"): column "Peserta" invites, column
"Hadir" records attendance (enabled once the event has started). A NIK typed
in the box below is looked up in the register; an unknown NIK offers to
register the person right away ("daftarkan sekarang?").
"""
from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from db import clock, kegiatan as keg_db, psks as psks_db, reference
from db.errors import KnownError, ValidationError
from desktop import msgbox
from desktop.widgets.date_edit import DateEdit
from desktop.widgets.form import FieldErrors

COL_PESERTA, COL_HADIR, COL_NAMA, COL_JENIS, COL_NOMOR, COL_WILAYAH, COL_STATUS = range(7)
HEADERS = ["Peserta", "Hadir", "Nama", "Jenis PSKS", "No. Registrasi", "Wilayah", "Status"]


class PesertaModel(QAbstractTableModel):
    """Register rows with two check columns: invited (Peserta) and present (Hadir)."""

    def __init__(self, rows: list[dict], chosen: dict[str, bool] | None = None, parent=None):
        super().__init__(parent)
        self.rows = rows
        self.chosen: dict[str, bool] = dict(chosen or {})  # psks_id -> hadir
        self.hadir_enabled = True
        self.event_start: str | None = None
        self.on_refused = None  # callable(message) when a check is refused

    # Qt API ----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def _inactive(self, row: dict) -> bool:
        return bool(self.event_start) and psks_db.deactivated_before(row, self.event_start)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.CheckStateRole:
            if col == COL_PESERTA:
                return Qt.Checked if row["id"] in self.chosen else Qt.Unchecked
            if col == COL_HADIR:
                return Qt.Checked if self.chosen.get(row["id"]) else Qt.Unchecked
            return None
        if role == Qt.DisplayRole:
            return {
                COL_NAMA: row["nama"],
                COL_JENIS: row.get("jenis_singkatan") or row.get("jenis_nama") or row["jenis_kode"],
                COL_NOMOR: row.get("nomor_registrasi") or "",
                COL_WILAYAH: row.get("wilayah_nama") or row.get("kode_wilayah") or "",
                COL_STATUS: psks_db.status_text(row),
            }.get(col)
        if role == Qt.ForegroundRole and self._inactive(row):
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ToolTipRole and col == COL_HADIR and not self.hadir_enabled:
            return "Kehadiran dapat dicatat setelah kegiatan dimulai."
        if role == Qt.UserRole:
            return row
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if index.column() == COL_PESERTA:
            return base | Qt.ItemIsUserCheckable
        if index.column() == COL_HADIR:
            return (base | Qt.ItemIsUserCheckable) if self.hadir_enabled else Qt.ItemIsSelectable
        return base

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.CheckStateRole or not index.isValid():
            return False
        checked = Qt.CheckState(value) == Qt.Checked if not isinstance(value, bool) else value
        row = self.rows[index.row()]
        if index.column() == COL_PESERTA:
            return self.set_chosen(row["id"], checked)
        if index.column() == COL_HADIR and self.hadir_enabled:
            return self.set_hadir(row["id"], checked)
        return False

    # Operations ------------------------------------------------------------
    def _row_index(self, psks_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == psks_id), -1)

    def _changed(self, psks_id: str) -> None:
        i = self._row_index(psks_id)
        if i >= 0:
            self.dataChanged.emit(self.index(i, COL_PESERTA), self.index(i, COL_HADIR), [Qt.CheckStateRole])

    def _refuse_inactive(self, psks_id: str) -> bool:
        row = self.rows[self._row_index(psks_id)]
        if self._inactive(row):
            if self.on_refused:
                self.on_refused(keg_db.PesertaNonaktif(row, self.event_start).pesan)
            return True
        return False

    def set_chosen(self, psks_id: str, checked: bool) -> bool:
        if checked and psks_id not in self.chosen:
            if self._refuse_inactive(psks_id):
                return False
            self.chosen[psks_id] = False
        elif not checked:
            self.chosen.pop(psks_id, None)
        self._changed(psks_id)
        return True

    def set_hadir(self, psks_id: str, checked: bool) -> bool:
        if checked and psks_id not in self.chosen and self._refuse_inactive(psks_id):
            return False
        if checked or psks_id in self.chosen:
            self.chosen[psks_id] = checked  # ticking Hadir also invites
        self._changed(psks_id)
        return True

    def add_row(self, row: dict) -> int:
        i = self._row_index(row["id"])
        if i >= 0:
            return i
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(row)
        self.endInsertRows()
        return len(self.rows) - 1

    def set_event_state(self, start: str | None, hadir_enabled: bool) -> None:
        self.event_start = start
        self.hadir_enabled = hadir_enabled
        if self.rows:  # flags, greying and tooltips depend on the date
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(HEADERS) - 1))


class PesertaFilter(QSortFilterProxyModel):
    """Text (name, NIK, registration number), type, and "only participants"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.jenis: str | None = None
        self.only_chosen = False

    def set_filter(self, text: str | None = None, jenis=..., only_chosen: bool | None = None) -> None:
        modern = hasattr(self, "beginFilterChange")  # Qt >= 6.9; invalidateFilter() is deprecated there
        if modern:
            self.beginFilterChange()
        if text is not None:
            self.text = text.strip().lower()
        if jenis is not ...:
            self.jenis = jenis
        if only_chosen is not None:
            self.only_chosen = only_chosen
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        model: PesertaModel = self.sourceModel()
        row = model.rows[source_row]
        if self.only_chosen and row["id"] not in model.chosen:
            return False
        if self.jenis and row["jenis_kode"] != self.jenis:
            return False
        if self.text:
            hay = " ".join(str(row.get(k) or "") for k in ("nama", "nik", "nomor_registrasi", "wilayah_nama")).lower()
            return self.text in hay
        return True


class KegiatanDialog(QDialog):
    """``KegiatanDialog(ctx)`` creates an event; ``KegiatanDialog(ctx, kegiatan_id=...)`` edits one."""

    def __init__(self, ctx, kegiatan_id: str | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.kegiatan_id = kegiatan_id
        self.record: dict | None = None
        self.setWindowTitle(self.tr("Ubah kegiatan PSKS") if kegiatan_id else self.tr("Kegiatan PSKS baru"))
        self.resize(1100, 720)
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Horizontal)
        outer.addWidget(splitter, 1)

        # Event data ------------------------------------------------------
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 6, 0)
        form = QFormLayout()
        left_box.addLayout(form)
        left_box.addStretch(1)
        self.errors = FieldErrors(form)
        self.nama = QLineEdit()
        self.jenis = QComboBox()
        self.jenis.addItem(self.tr("— pilih —"), None)
        for kode, nama in keg_db.jenis_options(self.db):
            self.jenis.addItem(nama, kode)
        self.kode_layanan = QComboBox()
        self.kode_layanan.addItem(self.tr("(tanpa sub kegiatan)"), None)
        for r in keg_db.sub_kegiatan_options(self.db):
            self.kode_layanan.addItem(f"{reference.short_kode_layanan(r['kode'])} {r['nama']}", r["kode"])
        self.kode_layanan.setMinimumContentsLength(28)
        self.kode_layanan.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.tanggal_mulai = DateEdit()
        self.tanggal_selesai = DateEdit(placeholder=self.tr("kosong = sama"))
        self.penyelenggara = QLineEdit()
        self.tempat = QLineEdit()
        self.kode_kegiatan = QLineEdit()
        self.kode_kegiatan.setPlaceholderText(self.tr("otomatis bila kosong"))
        self.keterangan = QPlainTextEdit()
        self.keterangan.setTabChangesFocus(True)
        self.keterangan.setFixedHeight(54)
        for key, label, widget in (
            ("nama", self.tr("&Nama kegiatan"), self.nama),
            ("jenis", self.tr("&Jenis"), self.jenis),
            ("kode_layanan", self.tr("Sub &kegiatan"), self.kode_layanan),
            ("tanggal_mulai", self.tr("Tanggal &mulai"), self.tanggal_mulai),
            ("tanggal_selesai", self.tr("Tanggal &selesai"), self.tanggal_selesai),
            ("penyelenggara", self.tr("&Penyelenggara"), self.penyelenggara),
            ("tempat", self.tr("&Tempat"), self.tempat),
            ("kode_kegiatan", self.tr("Kode kegiatan"), self.kode_kegiatan),
            ("keterangan", self.tr("Keterangan"), self.keterangan),
        ):
            widget.setObjectName(key)
            self.errors.add(key, label, widget)
        splitter.addWidget(left)

        # Participants ----------------------------------------------------
        right = QGroupBox(self.tr("Peserta dan kehadiran"))
        box = QVBoxLayout(right)
        filters = QHBoxLayout()
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText(self.tr("Saring nama, NIK, nomor registrasi, wilayah…"))
        self.filter_text.setClearButtonEnabled(True)
        self.filter_jenis = QComboBox()
        self.filter_jenis.addItem(self.tr("Semua jenis"), None)
        for r in reference.psks_jenis(self.db):
            self.filter_jenis.addItem(r["singkatan"] or r["nama"], r["kode"])
        self.filter_jenis.setMinimumContentsLength(12)
        self.filter_jenis.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.only_chosen = QCheckBox(self.tr("Hanya &peserta"))
        filters.addWidget(self.filter_text, 3)
        filters.addWidget(self.filter_jenis, 1)
        filters.addWidget(self.only_chosen)
        box.addLayout(filters)

        chosen: dict[str, bool] = {}
        rows = psks_db.list_psks(self.db)
        if kegiatan_id:
            current = keg_db.peserta_list(self.db, kegiatan_id)
            chosen = {p["id"]: bool(p["hadir"]) for p in current}
            known = {r["id"] for r in rows}
            rows += [p for p in current if p["id"] not in known]  # e.g. deleted from the register since
        self.model = PesertaModel(rows, chosen, self)
        self.model.on_refused = lambda text: msgbox.warning(self, self.tr("Peserta tidak aktif"), text)
        self.proxy = PesertaFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setObjectName("peserta")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QTableView.SelectRows)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAMA, QHeaderView.Stretch)
        for col, width in ((COL_PESERTA, 64), (COL_HADIR, 52), (COL_JENIS, 110), (COL_NOMOR, 120),
                           (COL_WILAYAH, 130), (COL_STATUS, 175)):
            self.view.setColumnWidth(col, width)
        box.addWidget(self.view, 1)

        actions = QHBoxLayout()
        self.pilih_semua = QPushButton(self.tr("Pilih semua yang &tampil"))
        self.hadir_semua = QPushButton(self.tr("Semua peserta &hadir"))
        actions.addWidget(self.pilih_semua)
        actions.addWidget(self.hadir_semua)
        actions.addStretch(1)
        box.addLayout(actions)

        nik_row = QHBoxLayout()
        self.nik_input = QLineEdit()
        self.nik_input.setObjectName("nik_peserta")
        self.nik_input.setPlaceholderText(self.tr("Tambah peserta dengan NIK (16 digit), lalu Enter"))
        self.nik_button = QPushButton(self.tr("T&ambah"))
        nik_row.addWidget(self.nik_input, 1)
        nik_row.addWidget(self.nik_button)
        box.addLayout(nik_row)
        self.counts = QLabel()
        box.addWidget(self.counts)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 720])

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.hide()
        outer.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("&Simpan"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("&Batal"))
        self.buttons.button(QDialogButtonBox.Save).setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self.filter_text.textChanged.connect(lambda t: self.proxy.set_filter(text=t))
        self.filter_jenis.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(jenis=self.filter_jenis.currentData()))
        self.only_chosen.toggled.connect(lambda on: self.proxy.set_filter(only_chosen=on))
        self.pilih_semua.clicked.connect(self.choose_visible)
        self.hadir_semua.clicked.connect(self.all_present)
        # Enter in the NIK field adds that participant; it must not also press Simpan.
        self.nik_input.installEventFilter(self)
        self.nik_button.clicked.connect(self.add_by_nik)
        self.tanggal_mulai.editingFinished.connect(self._date_changed)
        self.tanggal_mulai.textChanged.connect(lambda _t: self._date_changed())
        self.model.dataChanged.connect(lambda *_a: self._update_counts())
        self.model.rowsInserted.connect(lambda *_a: self._update_counts())

        if kegiatan_id:
            self._load(keg_db.get_kegiatan(self.db, kegiatan_id))
        else:
            self.tanggal_mulai.set_date(clock.today())
        self._date_changed()
        self._update_counts()
        self.nama.setFocus()

    # --- loading / state ---------------------------------------------------
    def _load(self, keg: dict | None) -> None:
        if keg is None:
            raise KnownError("Kegiatan tidak ditemukan.")
        self.nama.setText(keg["nama"])
        self.jenis.setCurrentIndex(max(self.jenis.findData(keg["jenis"]), 0))
        self.kode_layanan.setCurrentIndex(max(self.kode_layanan.findData(keg["kode_layanan"]), 0))
        self.tanggal_mulai.set_date(keg["tanggal_mulai"])
        self.tanggal_selesai.set_date(keg["tanggal_selesai"])
        self.penyelenggara.setText(keg["penyelenggara"] or "")
        self.tempat.setText(keg["tempat"] or "")
        self.kode_kegiatan.setText(keg["kode_kegiatan"] or "")
        self.keterangan.setPlainText(keg["keterangan"] or "")

    def _start(self) -> _dt.date | None:
        return self.tanggal_mulai.date()

    def _date_changed(self) -> None:
        start = self._start()
        started = start is not None and keg_db.started({"tanggal_mulai": start.isoformat()})
        self.model.set_event_state(start.isoformat() if start else None, started)
        self.hadir_semua.setEnabled(started)
        self.hadir_semua.setToolTip("" if started else self.tr("Kehadiran dapat dicatat setelah kegiatan dimulai."))

    def _update_counts(self) -> None:
        chosen = self.model.chosen
        self.counts.setText(self.tr("Peserta: %1 · Hadir: %2")
                            .replace("%1", str(len(chosen))).replace("%2", str(sum(chosen.values()))))

    # --- actions -----------------------------------------------------------
    def choose_visible(self) -> None:
        refused = []
        on_refused, self.model.on_refused = self.model.on_refused, refused.append
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(Qt.UserRole)
            if row["id"] not in self.model.chosen:
                self.model.set_chosen(row["id"], True)
        self.model.on_refused = on_refused
        if refused:
            msgbox.warning(self, self.tr("Peserta tidak aktif"),
                           self.tr("%1 PSKS nonaktif sebelum tanggal kegiatan tidak dipilih.")
                           .replace("%1", str(len(refused))))

    def all_present(self) -> None:
        for psks_id in list(self.model.chosen):
            self.model.set_hadir(psks_id, True)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if (obj is self.nik_input and event.type() == QEvent.KeyPress
                and event.key() in (Qt.Key_Return, Qt.Key_Enter)):
            self.add_by_nik()
            return True
        return super().eventFilter(obj, event)

    def add_by_nik(self) -> None:
        text = self.nik_input.text().strip()
        if not text:
            return
        start = self._start()
        keg = {"tanggal_mulai": start.isoformat() if start else clock.today().isoformat(),
               "kode_layanan": self.kode_layanan.currentData()}
        try:
            row = keg_db.resolve_nik(self.db, text, kegiatan=keg)
        except keg_db.PsksTidakTerdaftar as exc:
            row = self.offer_registration(exc.nik)
            if row is None:
                return
        except KnownError as exc:
            self._show_problem(exc.pesan)
            return
        i = self.model.add_row(row)
        if self.model.set_chosen(row["id"], True):
            self.nik_input.clear()
            self._show_problem(None)
            self.proxy.set_filter(text="")
            self.filter_text.clear()
            src = self.model.index(i, COL_NAMA)
            self.view.scrollTo(self.proxy.mapFromSource(src))
            self.view.selectRow(self.proxy.mapFromSource(src).row())

    def offer_registration(self, nik: str) -> dict | None:
        """'NIK ... tidak terdaftar. Daftarkan sekarang?' -> the PSKS form, pre-filled."""
        if not msgbox.confirm(
            self, self.tr("Belum terdaftar"),
            self.tr("NIK %1 tidak terdaftar di register PSKS.\nDaftarkan sekarang?").replace("%1", nik),
            yes=self.tr("Daftarkan"), no=self.tr("Batal"),
        ):
            return None
        from desktop.psks.form import PsksDialog

        preset = {"nik": nik}
        kode = self.kode_layanan.currentData()
        if kode:  # the type usually coached under this sub-kegiatan
            match = [r for r in reference.psks_jenis(self.db) if r["kode_layanan_pembinaan"] == kode]
            if len(match) == 1:
                preset["jenis"] = match[0]["kode"]
        dlg = PsksDialog(self.ctx, preset=preset, parent=self)
        if not dlg.exec() or not dlg.record:
            return None
        return psks_db.get_psks(self.db, dlg.record["id"])

    def _show_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    def values(self) -> dict:
        return {
            "nama": self.nama.text(),
            "jenis": self.jenis.currentData(),
            "kode_layanan": self.kode_layanan.currentData(),
            "tanggal_mulai": self.tanggal_mulai.text(),
            "tanggal_selesai": self.tanggal_selesai.text() or None,
            "penyelenggara": self.penyelenggara.text(),
            "tempat": self.tempat.text(),
            "kode_kegiatan": self.kode_kegiatan.text(),
            "keterangan": self.keterangan.toPlainText(),
        }

    def save(self) -> bool:
        self.errors.clear()
        self._show_problem(None)
        try:
            self.record = keg_db.save_kegiatan(self.db, self.values(), dict(self.model.chosen),
                                               kegiatan_id=self.kegiatan_id)
        except ValidationError as exc:
            self.errors.show(exc.errors)
            return False
        except KnownError as exc:  # PesertaNonaktif, BelumDimulai, PsksTidakTerdaftar, ...
            self._show_problem(exc.pesan)
            return False
        self.ctx.changed("kegiatan")
        self.accept()
        return True
