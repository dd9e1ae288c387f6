"""One PSKS: its data, the events it took part in, the services it delivered, its history."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from db import psks as psks_db, reference
from db.indonesian import angka, rupiah, tanggal
from desktop.widgets.nik_display import NikDisplay
from desktop.widgets.record_table import RecordTableModel, TableColumn


def list_model(rows: list[dict], columns: list[TableColumn], parent=None) -> RecordTableModel:
    """A RecordTableModel over rows already in memory (short lists of one record)."""
    model = RecordTableModel(columns, lambda offset, limit, _key, _desc: rows[offset:offset + limit],
                             count=lambda: len(rows), parent=parent)
    model.reload()
    return model


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.setEditTriggers(QTableView.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.resizeColumnsToContents()
    for col in range(model.columnCount()):
        view.setColumnWidth(col, min(view.columnWidth(col), 280))
    return view


def _history_text(entry: dict) -> str:
    aksi = {"tambah": "Didaftarkan", "ubah": "Diubah", "hapus": "Dihapus", "pulihkan": "Dipulihkan"}
    text = aksi.get(entry["aksi"], entry["aksi"])
    if entry["aksi"] == "ubah" and entry["baru"]:
        fields = [psks_db.LABELS.get(k, k) for k in entry["baru"] if k != "updated_at"]
        text += ": " + ", ".join(fields)
    if entry["aksi"] == "hapus" and entry["baru"]:
        text += f" ({entry['baru'].get('delete_reason')})"
    return text


class PsksDetailDialog(QDialog):
    def __init__(self, ctx, psks_id: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        row = psks_db.get_psks(ctx.db, psks_id)
        self.row = row
        self.setWindowTitle(self.tr("PSKS: %1").replace("%1", row["nama"]))
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        title = QLabel(row["nama"])
        title.setProperty("role", "title")
        title.setStyleSheet("font-size: 18px; font-weight: 600; color: #1f4e79;")
        layout.addWidget(title)
        self.status_label = QLabel(f"{row['jenis_nama']} · {psks_db.status_text(row)}")
        layout.addWidget(self.status_label)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        data = QWidget()
        form = QFormLayout(data)
        area = reference.wilayah_path(ctx.db, row["kode_wilayah"])
        area_text = " · ".join(p["nama"] for p in reversed(area)) if area else (row["kode_wilayah"] or "-")
        fields = [
            (self.tr("Jenis PSKS"), row["jenis_nama"]),
            (self.tr("Bentuk"), self.tr("Lembaga") if row["bentuk"] == "lembaga" else self.tr("Perorangan")),
        ]
        if row["bentuk"] == "orang":
            nik_value = self.tr("(belum ada)")
            if row["nik"]:  # issue 10: masked; "tampilkan" reveals it for a while and is logged
                nik_value = NikDisplay(ctx.db)
                nik_value.set_nik(row["nik"], "psks", psks_id)
            fields += [(self.tr("NIK"), nik_value),
                       (self.tr("Jenis kelamin"), {"L": "Laki-laki", "P": "Perempuan"}.get(row["jenis_kelamin"], "-")),
                       (self.tr("Tanggal lahir"), tanggal(row["tanggal_lahir"]) or "-")]
        else:
            fields.append((self.tr("Nama ketua"), row["nama_ketua"] or "-"))
        fields += [
            (self.tr("Wilayah"), f"{area_text} ({row['kode_wilayah']})" if area else area_text),
            (self.tr("Alamat"), row["alamat"] or "-"),
            (self.tr("Nomor registrasi"), row["nomor_registrasi"] or "-"),
            (self.tr("Mulai aktif"), tanggal(row["tanggal_mulai_aktif"]) or "-"),
            (self.tr("Status"), psks_db.status_text(row)),
            (self.tr("Dokumen"), " · ".join(x for x in (row["nomor_dokumen"], tanggal(row["tanggal_dokumen"])) if x)
             or "-"),
            (self.tr("Telepon / email"), " · ".join(x for x in (row["telepon"], row["email"]) if x) or "-"),
            (self.tr("Keterangan"), row["keterangan"] or "-"),
        ]
        for label, value in fields:
            if isinstance(value, NikDisplay):
                form.addRow(label + ":", value)
                continue
            value_label = QLabel(str(value))
            value_label.setWordWrap(True)
            form.addRow(label + ":", value_label)
        self.tabs.addTab(data, self.tr("&Data"))

        self.kegiatan_rows = psks_db.psks_kegiatan(ctx.db, psks_id)
        self.kegiatan_model = list_model(self.kegiatan_rows, [
            TableColumn("tanggal_mulai", self.tr("Tanggal"), tanggal),
            TableColumn("nama", self.tr("Kegiatan")),
            TableColumn("jenis_nama", self.tr("Jenis")),
            TableColumn("kode_layanan", self.tr("Sub kegiatan"),
                        lambda v: reference.short_kode_layanan(v) if v else "-"),
            TableColumn("tempat", self.tr("Tempat")),
            TableColumn("hadir", self.tr("Hadir"), lambda v: self.tr("Ya") if v else self.tr("Tidak")),
        ], self)
        hadir = sum(1 for r in self.kegiatan_rows if r["hadir"])
        self.tabs.addTab(_table(self.kegiatan_model),
                         self.tr("&Kegiatan (%1, hadir %2)").replace("%1", str(len(self.kegiatan_rows)))
                         .replace("%2", str(hadir)))

        self.layanan_rows = psks_db.psks_layanan(ctx.db, psks_id)
        self.layanan_model = list_model(self.layanan_rows, [
            TableColumn("tanggal", self.tr("Tanggal"), tanggal),
            TableColumn("layanan_nama", self.tr("Layanan")),
            TableColumn("penerima_nama", self.tr("Penerima"), lambda v: v or "-"),
            TableColumn("jumlah", self.tr("Jumlah"), angka, numeric=True),
            TableColumn("satuan", self.tr("Satuan")),
            TableColumn("nilai", self.tr("Nilai"), rupiah, numeric=True),
            TableColumn("status", self.tr("Status"), lambda v: self.tr("Batal") if v == "batal" else ""),
        ], self)
        self.tabs.addTab(_table(self.layanan_model),
                         self.tr("&Layanan diberikan (%1)").replace("%1", str(len(self.layanan_rows))))

        history = [{**h, "ringkas": _history_text(h)} for h in reversed(psks_db.psks_history(ctx.db, psks_id))]
        self.history_model = list_model(history, [
            TableColumn("waktu", self.tr("Waktu"), lambda v: v.replace("T", " ") if v else ""),
            TableColumn("operator", self.tr("Operator")),
            TableColumn("ringkas", self.tr("Perubahan")),
        ], self)
        self.tabs.addTab(_table(self.history_model), self.tr("&Riwayat"))

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText(self.tr("&Tutup"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
