"""The person form (one PPKS person with their registrations) and the registration dialog.

Keyboard first: fields in reading order, Enter saves, dates typed dd/mm/yyyy.
Errors sit under their fields and block saving; NIK mismatches and a similar
name with the same birth date are shown as warnings under the fields and
need one confirmation. An NIK already in the database opens that person
instead of making a twin (when the NIK is typed and again when saving).
Registration changes are kept in the form and written together with the
person when the user saves.
"""
from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from db import ppks, reference
from db.clock import today
from db.errors import KnownError, ValidationError
from db.indonesian import tanggal
from db.nik import check_nik
from desktop import msgbox
from desktop.widgets.date_edit import DateEdit
from desktop.widgets.form import FieldErrors, error_label
from desktop.widgets.wilayah import WilayahEdit

AREA_KELURAHAN, AREA_KECAMATAN, AREA_LUAR = "kelurahan", "kecamatan", "luar"


def _combo(items, *, empty: str | None = "—") -> QComboBox:
    combo = QComboBox()
    if empty is not None:
        combo.addItem(empty, None)
    for kode, nama in items:
        combo.addItem(nama, kode)
    return combo


def _set_combo(combo: QComboBox, value) -> None:
    idx = combo.findData(value)
    combo.setCurrentIndex(idx if idx >= 0 else 0)


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Save).setText(dialog.tr("&Simpan"))
    box.button(QDialogButtonBox.Cancel).setText(dialog.tr("Batal"))
    box.button(QDialogButtonBox.Save).setDefault(True)
    return box


# =========================================================================== registration


class RegistrationDialog(QDialog):
    """Edit one registration's fields in memory; ``values`` holds them after accept()."""

    def __init__(self, ctx, values: dict | None = None, person: dict | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.person = person or {}
        self.values: dict | None = None
        self.setWindowTitle(self.tr("Registrasi PPKS"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.summary = error_label()
        self.errors = FieldErrors(form, self.summary)

        self._kategori = {r["kode"]: r for r in reference.ppks_kategori(self.db)}
        self.kategori = QComboBox()
        self.kategori.setObjectName("kategori")
        self.kategori.setEditable(True)
        self.kategori.setInsertPolicy(QComboBox.NoInsert)
        self.kategori.addItem("", None)
        for r in self._kategori.values():
            label = f"{r['kode']} — {r['nama']}" + (f" ({r['singkatan']})" if r["singkatan"] else "")
            self.kategori.addItem(label, r["kode"])
        self.kategori.completer().setFilterMode(Qt.MatchContains)
        self.kategori.completer().setCompletionMode(QCompleter.PopupCompletion)
        self.terlantar = QCheckBox(self.tr("Terlantar (tidak ada yang mampu merawat)"))
        self.terlantar.setObjectName("terlantar")
        self.tanggal_pendataan = DateEdit()
        self.tanggal_pendataan.setObjectName("tanggal_pendataan")
        self.sumber = QComboBox()
        self.sumber.setObjectName("sumber_laporan")
        self.sumber.setEditable(True)
        self.sumber.addItem("", None)
        for kode, nama in reference.daftar(self.db, "sumber_laporan"):
            self.sumber.addItem(nama, kode)
        self.petugas = QLineEdit()
        self.petugas.setObjectName("petugas")
        self.status = _combo(reference.daftar(self.db, "status_ppks"), empty=None)
        self.status.setObjectName("status")
        self.alasan = _combo(reference.daftar(self.db, "alasan_tutup"))
        self.alasan.setObjectName("alasan_tutup")
        self.tanggal_tutup = DateEdit()
        self.tanggal_tutup.setObjectName("tanggal_tutup")
        self.keterangan = QLineEdit()
        self.keterangan.setObjectName("keterangan_registrasi")

        self.errors.add("kategori_kode", self.tr("&Kategori PPKS"), self.kategori)
        self.errors.add("terlantar", "", self.terlantar)
        self.errors.add("tanggal_pendataan", self.tr("Tanggal &pendataan"), self.tanggal_pendataan)
        self.errors.add("sumber_laporan", self.tr("S&umber laporan"), self.sumber)
        self.errors.add("petugas", self.tr("P&etugas"), self.petugas)
        self.errors.add("status", self.tr("S&tatus"), self.status)
        self.errors.add("alasan_tutup", self.tr("&Alasan penutupan"), self.alasan)
        self.errors.add("tanggal_tutup", self.tr("Tanggal pen&utupan"), self.tanggal_tutup)
        self.errors.add("keterangan", self.tr("Ke&terangan"), self.keterangan)
        layout.addWidget(self.summary)
        box = _buttons(self)
        layout.addWidget(box)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.kategori.currentIndexChanged.connect(lambda _i: self._update())
        self.status.currentIndexChanged.connect(lambda _i: self._update())

        values = values or {}
        _set_combo(self.kategori, values.get("kategori_kode"))
        self.terlantar.setChecked(bool(values.get("terlantar")))
        self.tanggal_pendataan.set_date(values.get("tanggal_pendataan") or today())
        sumber = values.get("sumber_laporan")
        idx = self.sumber.findData(sumber)
        if idx >= 0:
            self.sumber.setCurrentIndex(idx)
        elif sumber:
            self.sumber.setEditText(sumber)
        self.petugas.setText(values.get("petugas") or ctx.install.operator_nama)
        _set_combo(self.status, values.get("status") or "aktif")
        _set_combo(self.alasan, values.get("alasan_tutup"))
        self.tanggal_tutup.set_date(values.get("tanggal_tutup"))
        self.keterangan.setText(values.get("keterangan") or "")
        self._update()
        self.kategori.setFocus()

    def _kode(self) -> str | None:
        kode = self.kategori.currentData()
        text = self.kategori.currentText().strip()
        if kode and self.kategori.itemText(self.kategori.currentIndex()) == text:
            return kode
        if not text:
            return None
        found = reference.find_kategori(self.db, text.split("—")[0].strip()) or reference.find_kategori(self.db, text)
        return found["kode"] if found else text

    def _update(self) -> None:
        kat = self._kategori.get(self._kode() or "")
        needs = bool(kat and kat["butuh_terlantar"])
        self.terlantar.setEnabled(needs)
        self.terlantar.setToolTip("" if needs else self.tr("Hanya untuk kategori disabilitas (5, 9, 9a)."))
        closed = self.status.currentData() == "ditutup"
        self.alasan.setEnabled(closed)
        self.tanggal_tutup.setEnabled(closed)
        if closed and not self.tanggal_tutup.text():
            self.tanggal_tutup.set_date(today())

    def _sumber(self):
        text = self.sumber.currentText().strip()
        data = self.sumber.currentData()
        if data and self.sumber.itemText(self.sumber.currentIndex()) == text:
            return data
        return text or None

    def collect(self) -> dict:
        closed = self.status.currentData() == "ditutup"
        return {
            "kategori_kode": self._kode() or "",
            "terlantar": 1 if (self.terlantar.isEnabled() and self.terlantar.isChecked()) else 0,
            "tanggal_pendataan": self.tanggal_pendataan.date() or self.tanggal_pendataan.text(),
            "sumber_laporan": self._sumber(),
            "petugas": self.petugas.text(),
            "status": self.status.currentData(),
            "alasan_tutup": self.alasan.currentData() if closed else None,
            "tanggal_tutup": (self.tanggal_tutup.date() or self.tanggal_tutup.text()) if closed else None,
            "keterangan": self.keterangan.text(),
        }

    def save(self) -> None:
        raw = self.collect()
        clean, errors = ppks.normalize_registration(self.db, raw, person=self.person)
        for key, widget in (("tanggal_pendataan", self.tanggal_pendataan), ("tanggal_tutup", self.tanggal_tutup)):
            if widget.isEnabled() and widget.error():
                errors[key] = widget.error()
        if errors:
            self.errors.show(errors)
            return
        self.values = {k: clean.get(k) for k in ppks.REGISTRATION_FIELDS}
        self.values["terlantar"] = self.values["terlantar"] or 0
        self.accept()


# =========================================================================== person


class PersonDialog(QDialog):
    """``PersonDialog(ctx)`` registers a person; ``PersonDialog(ctx, orang_id)`` edits one.

    After accept(), ``record`` is the saved person. ``opened_existing`` is True
    when the form switched to an already registered person (duplicate NIK).
    """

    REG_COLUMNS = ("Kategori", "Terlantar", "Didata", "Sumber", "Petugas", "Status")

    def __init__(self, ctx, orang_id: str | None = None, parent=None, preset: dict | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.orang_id: str | None = None
        self.stored: dict | None = None
        self.record: dict | None = None
        self.opened_existing = False
        self.regs: list[dict] = []  # working copy: stored rows + new ones; "_hapus": reason
        self._confirmed_warnings: dict | None = None
        self.setMinimumSize(720, 640)

        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600; color: #1f4e79;")
        outer.addWidget(self.heading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        body_layout.addLayout(self.form)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.summary = error_label()
        self.summary.setObjectName("ringkasan")
        self.errors = FieldErrors(self.form, self.summary)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("peringatan")
        self.warnings_label.setStyleSheet("color: #8a5a00")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.hide()

        # --- identity
        self.nik = QLineEdit()
        self.nik.setObjectName("nik")
        self.nik.setPlaceholderText(self.tr("16 digit"))
        self.nik.setMaxLength(24)
        self.tanpa_nik = QCheckBox(self.tr("NIK &belum ada"))
        self.tanpa_nik.setObjectName("tanpa_nik")
        self.temp_label = QLabel()
        self.temp_label.setObjectName("id_sementara")
        self.temp_label.setStyleSheet("color: #555")
        nik_row = QWidget()
        nik_layout = QHBoxLayout(nik_row)
        nik_layout.setContentsMargins(0, 0, 0, 0)
        nik_layout.addWidget(self.nik, 1)
        nik_layout.addWidget(self.tanpa_nik)
        nik_layout.addWidget(self.temp_label)
        self.no_kk = QLineEdit()
        self.no_kk.setObjectName("no_kk")
        self.no_kk.setPlaceholderText(self.tr("16 digit"))
        self.no_kk.setMaxLength(24)
        self.nama = QLineEdit()
        self.nama.setObjectName("nama")
        self.jenis_kelamin = _combo([("L", self.tr("Laki-laki")), ("P", self.tr("Perempuan"))])
        self.jenis_kelamin.setObjectName("jenis_kelamin")
        self.tempat_lahir = QLineEdit()
        self.tempat_lahir.setObjectName("tempat_lahir")
        self.tanggal_lahir = DateEdit()
        self.tanggal_lahir.setObjectName("tanggal_lahir")
        # --- address and area
        self.alamat = QLineEdit()
        self.alamat.setObjectName("alamat")
        self.rt = QLineEdit()
        self.rt.setObjectName("rt")
        self.rt.setMaxLength(3)
        self.rt.setFixedWidth(60)
        self.rw = QLineEdit()
        self.rw.setObjectName("rw")
        self.rw.setMaxLength(3)
        self.rw.setFixedWidth(60)
        rtrw = QWidget()
        rl = QHBoxLayout(rtrw)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.rt)
        rl.addWidget(QLabel(self.tr("RW")))
        rl.addWidget(self.rw)
        rl.addStretch(1)
        self.area_mode = QComboBox()
        self.area_mode.setObjectName("mode_wilayah")
        self.area_mode.addItem(self.tr("Kelurahan/desa"), AREA_KELURAHAN)
        self.area_mode.addItem(self.tr("Hanya kecamatan (tanpa kelurahan)"), AREA_KECAMATAN)
        self.area_mode.addItem(self.tr("Dari luar wilayah"), AREA_LUAR)
        self.wilayah = WilayahEdit(self.db, tingkat=4)
        self.wilayah.setObjectName("wilayah")
        self.asal_luar = QLineEdit()
        self.asal_luar.setObjectName("asal_luar")
        self.asal_luar.setPlaceholderText(self.tr("mis. Kab. Brebes, Jawa Tengah"))
        area_row = QWidget()
        al = QHBoxLayout(area_row)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(self.area_mode)
        al.addWidget(self.wilayah, 1)
        al.addWidget(self.asal_luar, 1)
        self.telepon = QLineEdit()
        self.telepon.setObjectName("telepon")
        # --- social data
        self.status_dtks = _combo(reference.daftar(self.db, "status_dtks"))
        self.status_dtks.setObjectName("status_dtks")
        self.desil = _combo([(i, str(i)) for i in range(1, 11)])
        self.desil.setObjectName("desil")
        dtks_row = QWidget()
        dl = QHBoxLayout(dtks_row)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.status_dtks, 1)
        dl.addWidget(QLabel(self.tr("Desil")))
        dl.addWidget(self.desil)
        self.jenis_disabilitas = _combo(reference.daftar(self.db, "jenis_disabilitas"))
        self.jenis_disabilitas.setObjectName("jenis_disabilitas")
        self.keterangan = QLineEdit()
        self.keterangan.setObjectName("keterangan")

        add = self.errors.add
        add("nik", self.tr("&NIK"), nik_row)
        add("no_kk", self.tr("No. &KK"), self.no_kk)
        add("nama", self.tr("N&ama"), self.nama)
        add("jenis_kelamin", self.tr("&Jenis kelamin"), self.jenis_kelamin)
        add("tempat_lahir", self.tr("Tempat &lahir"), self.tempat_lahir)
        add("tanggal_lahir", self.tr("Tan&ggal lahir"), self.tanggal_lahir)
        add("alamat", self.tr("Ala&mat"), self.alamat)
        add("rt", self.tr("RT"), rtrw)
        add("kode_wilayah", self.tr("&Wilayah"), area_row)
        add("telepon", self.tr("Tele&pon"), self.telepon)
        add("status_dtks", self.tr("Status &DTKS/DTSEN"), dtks_row)
        add("jenis_disabilitas", self.tr("Jenis d&isabilitas"), self.jenis_disabilitas)
        add("keterangan", self.tr("Ke&terangan"), self.keterangan)
        self.errors.labels["rw"] = self.errors.labels["rt"]
        self.errors.labels["asal_luar"] = self.errors.labels["kode_wilayah"]
        self.errors.labels["desil"] = self.errors.labels["status_dtks"]

        # --- registrations
        body_layout.addWidget(QLabel(self.tr("<b>Registrasi PPKS</b> (satu orang boleh lebih dari satu kategori)")))
        self.reg_table = QTableWidget(0, len(self.REG_COLUMNS))
        self.reg_table.setObjectName("registrasi")
        self.reg_table.setHorizontalHeaderLabels([self.tr(c) for c in self.REG_COLUMNS])
        self.reg_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.reg_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.reg_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.reg_table.verticalHeader().hide()
        self.reg_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.reg_table.setMinimumHeight(130)
        body_layout.addWidget(self.reg_table)
        reg_buttons = QHBoxLayout()
        self.reg_add = QPushButton(self.tr("Tambah &registrasi…"))
        self.reg_edit = QPushButton(self.tr("&Ubah registrasi…"))
        self.reg_delete = QPushButton(self.tr("&Hapus registrasi…"))
        for b in (self.reg_add, self.reg_edit, self.reg_delete):
            b.setAutoDefault(False)  # Enter saves the person, never opens a sub-dialog
            reg_buttons.addWidget(b)
        reg_buttons.addStretch(1)
        body_layout.addLayout(reg_buttons)

        outer.addWidget(self.warnings_label)
        outer.addWidget(self.summary)
        bottom = QHBoxLayout()
        self.history_button = QPushButton(self.tr("Ri&wayat…"))
        self.history_button.setObjectName("riwayat")
        self.history_button.setAutoDefault(False)
        bottom.addWidget(self.history_button)
        bottom.addStretch(1)
        self.buttons = _buttons(self)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.tanpa_nik.toggled.connect(self._tanpa_nik_toggled)
        self.nik.editingFinished.connect(self._nik_finished)
        self.area_mode.currentIndexChanged.connect(lambda _i: self._area_mode_changed())
        self.reg_add.clicked.connect(self.add_registration)
        self.reg_edit.clicked.connect(self.edit_registration)
        self.reg_delete.clicked.connect(self.delete_registration)
        self.reg_table.doubleClicked.connect(lambda _i: self.edit_registration())
        self.history_button.clicked.connect(self.show_history)

        if orang_id:
            self.load(orang_id)
        else:
            self._new(preset or {})

    # ------------------------------------------------------------------ loading
    def _new(self, preset: dict) -> None:
        self.setWindowTitle(self.tr("Daftarkan orang (PPKS)"))
        self.heading.setText(self.tr("Orang baru"))
        self.history_button.hide()
        inst_area = reference.wilayah(self.db, self.ctx.install.kode_wilayah)
        if inst_area and inst_area["tingkat"] == 4:
            self.wilayah.set_kode(inst_area["kode"])
        elif inst_area and inst_area["tingkat"] == 3:
            self.area_mode.setCurrentIndex(1)
            self.wilayah.set_kode(inst_area["kode"])
        self._area_mode_changed()
        self.wilayah.setCursorPosition(0)
        for key, value in preset.items():
            widget = getattr(self, key, None)
            if isinstance(widget, QLineEdit):
                widget.setText(str(value))
        self.temp_label.hide()
        self._fill_registrations()
        self.nik.setFocus()

    def load(self, orang_id: str) -> None:
        person = ppks.get_person(self.db, orang_id)
        if person is None:
            raise KnownError(self.tr("Data orang tidak ditemukan."))
        new_regs = [r for r in self.regs if not r.get("id")]
        self.orang_id = orang_id
        self.stored = person
        self.setWindowTitle(self.tr("Data orang: %1").replace("%1", person["nama"]))
        self.heading.setText(person["nama"] + (self.tr("  (dihapus)") if person["deleted_at"] else ""))
        self.history_button.show()
        self.nik.setText(person["nik"] or "")
        self.tanpa_nik.setChecked(not person["nik"])
        self.temp_label.setText(self.tr("ID sementara: %1").replace("%1", person["nik_sementara"])
                                if person["nik_sementara"] else "")
        self.temp_label.setVisible(bool(person["nik_sementara"]))
        self.no_kk.setText(person["no_kk"] or "")
        self.nama.setText(person["nama"])
        _set_combo(self.jenis_kelamin, person["jenis_kelamin"])
        self.tempat_lahir.setText(person["tempat_lahir"] or "")
        self.tanggal_lahir.set_date(person["tanggal_lahir"])
        self.alamat.setText(person["alamat"] or "")
        self.rt.setText(person["rt"] or "")
        self.rw.setText(person["rw"] or "")
        self.asal_luar.setText(person["asal_luar"] or "")
        row = reference.wilayah(self.db, person["kode_wilayah"]) if person["kode_wilayah"] else None
        if person["kode_wilayah"] is None and person["asal_luar"]:
            self.area_mode.setCurrentIndex(2)
        elif row and row["tingkat"] == 3:
            self.area_mode.setCurrentIndex(1)
        else:
            self.area_mode.setCurrentIndex(0)
        self._area_mode_changed()
        self.wilayah.set_kode(person["kode_wilayah"])
        self.wilayah.setCursorPosition(0)
        self.telepon.setText(person["telepon"] or "")
        _set_combo(self.status_dtks, person["status_dtks"])
        _set_combo(self.desil, person["desil"])
        _set_combo(self.jenis_disabilitas, person["jenis_disabilitas"])
        self.keterangan.setText(person["keterangan"] or "")
        self.regs = [dict(r) for r in person["registrations"]] + new_regs
        self._fill_registrations()
        self.errors.clear()
        self.warnings_label.hide()
        self._confirmed_warnings = None
        deleted = bool(person["deleted_at"])
        self.buttons.button(QDialogButtonBox.Save).setEnabled(not deleted)
        self.nama.setFocus()

    # ------------------------------------------------------------------ reactions
    def _tanpa_nik_toggled(self, on: bool) -> None:
        if on:
            self.nik.clear()
        self.nik.setEnabled(not on)

    def _area_mode_changed(self) -> None:
        mode = self.area_mode.currentData()
        self.wilayah.setVisible(mode != AREA_LUAR)
        self.asal_luar.setVisible(mode == AREA_LUAR)
        self.wilayah.tingkat = 3 if mode == AREA_KECAMATAN else 4
        scope = self.ctx.install.kode_wilayah
        self.wilayah.within = None if mode == AREA_LUAR else (scope[:5] if len(scope) >= 5 else None)
        current = self.wilayah.kode()
        if mode == AREA_KECAMATAN and current and len(current) > 8:
            self.wilayah.set_kode(current[:8])

    def _nik_finished(self) -> None:
        """An NIK of someone already registered: offer to open that person."""
        try:
            chk = check_nik(self.nik.text())
        except Exception:  # noqa: BLE001 - any odd text is handled at save
            return
        if not chk.nik or chk.errors:
            return
        existing = ppks.find_by_nik(self.db, chk.nik, exclude_id=self.orang_id)
        if existing:
            self._offer_existing(existing)

    def _offer_existing(self, existing: dict) -> bool:
        born = tanggal(existing["tanggal_lahir"]) or self.tr("tanggal lahir belum diisi")
        text = (self.tr("NIK %1 sudah terdaftar atas nama %2 (%3).").replace("%1", existing["nik"])
                .replace("%2", existing["nama"]).replace("%3", born)
                + "\n\n" + self.tr("Buka data orang tersebut? Registrasi baru yang sudah Anda isi di sini ikut "
                                   "dipindahkan ke sana."))
        if msgbox.confirm(self, self.tr("NIK sudah terdaftar"), text, yes=self.tr("Buka data orang itu"),
                          no=self.tr("Periksa NIK")):
            self.load(existing["id"])
            self.opened_existing = True
            return True
        self.nik.setFocus()
        self.nik.selectAll()
        return False

    # ------------------------------------------------------------------ registrations
    def _fill_registrations(self) -> None:
        visible = [r for r in self.regs if not r.get("_hapus")]
        self.reg_table.setRowCount(len(visible))
        for row, reg in enumerate(visible):
            kat = self.db.execute("SELECT nama, butuh_terlantar FROM ref_ppks_kategori WHERE kode = ?",
                                  [reg["kategori_kode"]]).fetchone()
            status = reference.daftar_nama(self.db, "status_ppks", reg.get("status")) or reg.get("status") or ""
            if reg.get("status") == "ditutup":
                alasan = reference.daftar_nama(self.db, "alasan_tutup", reg.get("alasan_tutup")) or ""
                status += f" ({alasan}, {tanggal(reg.get('tanggal_tutup'))})"
            cells = [
                f"{reg['kategori_kode']} — {kat[0] if kat else ''}" + (" *" if not reg.get("id") else ""),
                (self.tr("Ya") if reg.get("terlantar") else self.tr("Tidak")) if (kat and kat[1]) else "",
                tanggal(reg.get("tanggal_pendataan")),
                ppks.sumber_label(self.db, reg.get("sumber_laporan")),
                reg.get("petugas") or "",
                status,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, self.regs.index(reg))
                self.reg_table.setItem(row, col, item)
        self.reg_table.resizeColumnsToContents()
        self.reg_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        has = bool(visible)
        self.reg_edit.setEnabled(has)
        self.reg_delete.setEnabled(has)
        self._update_disability()

    def _update_disability(self) -> None:
        disab = any(
            self.db.execute("SELECT spm_kelompok FROM ref_ppks_kategori WHERE kode = ?", [r["kategori_kode"]])
            .fetchone() == ("DISABILITAS",) for r in self.regs if not r.get("_hapus"))
        self.jenis_disabilitas.setEnabled(disab or bool(self.jenis_disabilitas.currentData()))
        self.jenis_disabilitas.setToolTip("" if disab else self.tr("Diisi bila ada registrasi kategori disabilitas."))

    def _selected_reg(self) -> int | None:
        row = self.reg_table.currentRow()
        if row < 0:
            return None
        item = self.reg_table.item(row, 0)
        return item.data(Qt.UserRole) if item else None

    def _person_for_checks(self) -> dict:
        d = self.tanggal_lahir.date()
        return {"tanggal_lahir": d.isoformat() if d else None}

    def add_registration(self) -> dict | None:
        dlg = RegistrationDialog(self.ctx, person=self._person_for_checks(), parent=self)
        if dlg.exec() and dlg.values:
            self.regs.append(dlg.values)
            self._fill_registrations()
            return dlg.values
        return None

    def edit_registration(self) -> None:
        idx = self._selected_reg()
        if idx is None:
            return
        reg = self.regs[idx]
        dlg = RegistrationDialog(self.ctx, values=reg, person=self._person_for_checks(), parent=self)
        if dlg.exec() and dlg.values:
            changed = {k: v for k, v in dlg.values.items() if reg.get(k) != v}
            reg.update(dlg.values)
            if reg.get("id"):
                reg.setdefault("_changed", set()).update(changed)
            self._fill_registrations()

    def delete_registration(self) -> None:
        idx = self._selected_reg()
        if idx is None:
            return
        reg = self.regs[idx]
        if not reg.get("id"):
            self.regs.pop(idx)
        else:
            reason = msgbox.ask_text(self, self.tr("Hapus registrasi"),
                                     self.tr("Alasan menghapus registrasi ini (wajib):"))
            if not reason:
                return
            reg["_hapus"] = reason
        self._fill_registrations()

    # ------------------------------------------------------------------ saving
    def collect(self) -> dict:
        mode = self.area_mode.currentData()
        return {
            "nik": "" if self.tanpa_nik.isChecked() else self.nik.text(),
            "no_kk": self.no_kk.text(),
            "nama": self.nama.text(),
            "jenis_kelamin": self.jenis_kelamin.currentData(),
            "tempat_lahir": self.tempat_lahir.text(),
            "tanggal_lahir": self.tanggal_lahir.date() or self.tanggal_lahir.text(),
            "alamat": self.alamat.text(),
            "rt": self.rt.text(),
            "rw": self.rw.text(),
            "kode_wilayah": None if mode == AREA_LUAR else (self.wilayah.kode() or self.wilayah.text()),
            "asal_luar": self.asal_luar.text() if mode == AREA_LUAR else None,
            "telepon": self.telepon.text(),
            "status_dtks": self.status_dtks.currentData(),
            "desil": self.desil.currentData(),
            "jenis_disabilitas": self.jenis_disabilitas.currentData(),
            "keterangan": self.keterangan.text(),
        }

    def _registration_changes(self) -> list[dict]:
        out = []
        for reg in self.regs:
            if not reg.get("id"):
                if not reg.get("_hapus"):
                    out.append({k: reg.get(k) for k in ppks.REGISTRATION_FIELDS})
            elif reg.get("_hapus"):
                out.append({"id": reg["id"], "hapus_alasan": reg["_hapus"]})
            elif reg.get("_changed"):
                out.append({"id": reg["id"], **{k: reg.get(k) for k in reg["_changed"]}})
        return out

    def save(self) -> bool:
        values = self.collect()
        errors = {}
        if not self.tanpa_nik.isChecked() and not self.nik.text().strip():
            errors["nik"] = self.tr("Isi NIK, atau centang 'NIK belum ada'.")
        if self.tanggal_lahir.error():
            errors["tanggal_lahir"] = self.tanggal_lahir.error()
        if self.area_mode.currentData() != AREA_LUAR and self.wilayah.text().strip() and not self.wilayah.kode():
            errors["kode_wilayah"] = self.tr("Pilih wilayah dari daftar saran atau ketik kodenya.")
        try:
            chk = ppks.check_person(self.db, values, orang_id=self.orang_id)
        except KnownError as exc:
            msgbox.error(self, self.tr("Tidak dapat disimpan"), exc.pesan)
            return False
        errors = {**chk.errors, **errors}
        if errors:
            self.warnings_label.hide()
            self.errors.show(errors)
            return False
        if chk.duplicate:
            self.errors.clear()
            self._offer_existing(chk.duplicate)
            return False
        if chk.warnings and chk.warnings != self._confirmed_warnings:
            self.errors.show(chk.warnings, warnings=True)
            text = "\n".join(f"• {w}" for w in chk.warnings.values())
            self.warnings_label.setText(self.tr("Peringatan (periksa, lalu simpan lagi bila sudah benar):") + "\n" + text)
            self.warnings_label.show()
            if not msgbox.confirm(self, self.tr("Periksa data"),
                                  self.tr("Ada yang perlu diperiksa:") + "\n" + text + "\n\n"
                                  + self.tr("Simpan seperti ini?"),
                                  yes=self.tr("Tetap simpan"), no=self.tr("Periksa lagi")):
                return False
            self._confirmed_warnings = chk.warnings
        try:
            person = ppks.save_person(self.db, values, orang_id=self.orang_id, confirm_warnings=True,
                                      registrations=self._registration_changes())
        except ValidationError as exc:
            self.errors.show({("kategori_kode" if k in ppks.REGISTRATION_FIELDS else k): v
                              for k, v in exc.errors.items()})
            return False
        except ppks.DuplicateNikError as exc:
            self._offer_existing(exc.existing)
            return False
        except KnownError as exc:
            msgbox.error(self, self.tr("Tidak dapat disimpan"), exc.pesan)
            return False
        self.record = person
        self.ctx.changed("orang")
        self.accept()
        return True

    def show_history(self) -> None:
        if self.orang_id:
            from desktop.ppks.history import HistoryDialog

            HistoryDialog(self.ctx, self.orang_id, parent=self).exec()


def age(tanggal_lahir: str | None) -> int | None:
    if not tanggal_lahir:
        return None
    born = _dt.date.fromisoformat(tanggal_lahir)
    t = today()
    return t.year - born.year - ((t.month, t.day) < (born.month, born.day))
