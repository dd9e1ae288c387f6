"""The generic import wizard, driven step by step (PPKS spec and a toy spec: it is spec-driven)."""
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QPoint, Qt

from db import ppks
from desktop.widgets.import_wizard import STEP_CHECK, STEP_FILE, STEP_MAPPING, STEP_RESULT, ImportWizard
from tests.db.test_ppks_import import HEAD, row

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ppks"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")


def _xlsx(path, rows, head=HEAD, above=()):
    wb = Workbook()
    for r in above:
        wb.active.append(r)
    wb.active.append(head)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _wizard(qtbot, ctx, spec=None, path=None):
    from db.import_ppks import SPEC

    wizard = ImportWizard(ctx, spec or SPEC)
    qtbot.addWidget(wizard)
    wizard.show()
    if path is not None:
        wizard.path_edit.setText(str(path))
    return wizard


def _next(qtbot, wizard, expected_step):
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy() and wizard.step() == expected_step, timeout=15000)


def _problem_rows(wizard):
    t = wizard.problems
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_whole_flow_valid_rows_imported_errors_reported(qtbot, ctx, db, tmp_path):
    path = _xlsx(tmp_path / "data.xlsx", [
        row(),
        row(NIK="617103450160000", Nama="Budi"),
        row(NIK="", Nama="Tono", **{"Kategori PPKS": "Pengamen"}),
        row(NIK="6171030507850002", Nama="Dedi", **{"Jenis Kelamin": "P", "Tanggal Lahir": "05/07/1985"}),
    ])
    wizard = _wizard(qtbot, ctx, path=path)
    assert wizard.step() == STEP_FILE and wizard.next_button.text() == "&Lanjut >"
    _next(qtbot, wizard, STEP_MAPPING)
    assert wizard.header_spin.value() == 1 and wizard.rows_label.text() == "· 4 baris data"
    assert wizard.preview.item(0, 0).text() == "NIK" and wizard.preview.item(0, 0).font().bold()
    assert wizard.preview.item(1, 0).text() == "6171034501600001"
    assert wizard.mapping_combos["Nama"].currentText() == "C · Nama"
    _next(qtbot, wizard, STEP_CHECK)
    assert wizard.check_summary.text().startswith("2 baris sah, 2 baris salah, 1 peringatan.")
    problems = _problem_rows(wizard)
    assert problems[0] == ["3", "NIK", "Kesalahan", "NIK harus 16 digit (tertulis 15 digit)"]
    assert problems[1][:3] == ["4", "Kategori PPKS", "Kesalahan"] and "'Pengamen' tidak dikenal" in problems[1][3]
    assert problems[2][:3] == ["5", "NIK", "Peringatan"] and "jenis kelamin laki-laki" in problems[2][3]
    assert wizard.choice_box.isVisible() and wizard.valid_only.isChecked()
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0  # checking wrote nothing
    assert wizard.next_button.text() == "&Impor"
    _next(qtbot, wizard, STEP_RESULT)
    assert wizard.result_label.text().startswith("Diimpor: 2 · tidak berubah: 0 · ditolak: 2")
    assert "1 baris diimpor dengan peringatan" in wizard.result_label.text()
    assert ppks.find_by_nik(db, "6171034501600001")["nama"] == "Aminah binti Said"
    report_path = tmp_path / "laporan.xlsx"
    wizard.ask_save_path = lambda title, suggested: str(report_path)
    qtbot.mouseClick(wizard.result_report_button, Qt.LeftButton)
    ws = load_workbook(report_path).active
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == [3, 4]
    assert ws["B2"].value == "617103450160000"
    assert db.execute("SELECT jenis, jumlah FROM ekspor_log").fetchall() == [("laporan_kesalahan", 2)]
    assert wizard.next_button.text() == "&Selesai"
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    assert wizard.result() == wizard.DialogCode.Accepted


def test_nothing_imported_when_user_chooses_so(qtbot, ctx, db, tmp_path):
    path = _xlsx(tmp_path / "data.xlsx", [row(), row(NIK="12345", Nama="Budi")])
    wizard = _wizard(qtbot, ctx, path=path)
    _next(qtbot, wizard, STEP_MAPPING)
    _next(qtbot, wizard, STEP_CHECK)
    qtbot.mouseClick(wizard.nothing_if_error, Qt.LeftButton, pos=QPoint(8, wizard.nothing_if_error.height() // 2))
    assert wizard.nothing_if_error.isChecked()
    _next(qtbot, wizard, STEP_RESULT)
    assert wizard.result_label.text().startswith("Tidak ada yang diimpor: ada 1 baris yang salah")
    assert db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0


def test_other_layout_header_row_and_mapping(qtbot, ctx, db, tmp_path):
    above = [["DATA BNBA KELURAHAN PALLIMA"], [], ["Sumber: DTKS"], []]
    path = _xlsx(tmp_path / "bnba.xlsx", [[1, "6171034501600001", "AMINAH", "x"], [2, "6171030507850002", "BUDI", "y"]],
                 head=["NO", "NO NIK", "NAMA LENGKAP", "CATATAN"], above=above)
    wizard = _wizard(qtbot, ctx, path=path)
    _next(qtbot, wizard, STEP_MAPPING)
    assert wizard.header_spin.value() == 5  # found below the title rows
    assert wizard.preview.item(0, 0).text() == "DATA BNBA KELURAHAN PALLIMA"
    assert wizard.current_mapping()["NIK"] == 1 and wizard.current_mapping()["Nama"] == 2
    assert wizard.current_mapping()["Keterangan"] == 3  # "CATATAN" is a known alias
    wizard.header_spin.setValue(1)  # the user picks a wrong header row
    assert wizard.current_mapping()["Nama"] is None
    _next(qtbot, wizard, STEP_MAPPING)
    assert wizard.mapping_error.text() == "Kolom wajib belum dipasangkan: Nama"
    wizard.header_spin.setValue(5)
    assert wizard.current_mapping()["Keterangan"] == 3
    wizard.set_mapping("Alamat", 3)
    _next(qtbot, wizard, STEP_MAPPING)
    assert "dipakai dua kali" in wizard.mapping_error.text()
    wizard.set_mapping("Alamat", None)
    _next(qtbot, wizard, STEP_CHECK)
    assert wizard.check_summary.text().startswith("2 baris sah, 0 baris salah.")
    assert not wizard.choice_box.isVisible()
    _next(qtbot, wizard, STEP_RESULT)
    person = ppks.find_by_nik(db, "6171034501600001")
    assert person["nama"] == "AMINAH" and person["keterangan"] == "x"
    # importing the same file again changes nothing
    again = _wizard(qtbot, ctx, path=path)
    _next(qtbot, again, STEP_MAPPING)
    _next(qtbot, again, STEP_CHECK)
    assert "2 di antaranya sudah ada dan tidak berubah" in again.check_summary.text()


@pytest.mark.parametrize("make,word", [
    (lambda p: p.write_bytes((FIXTURES / "terkunci-sandi-rahasia.xlsx").read_bytes()), "dilindungi kata sandi"),
    (lambda p: p.write_bytes(b""), "kosong"),
    (lambda p: p.write_text("bukan buku kerja", encoding="utf-8"), "bukan buku kerja Excel"),
])
def test_unreadable_file_stays_on_step_one(qtbot, ctx, db, tmp_path, make, word):
    path = tmp_path / "masuk.xlsx"
    make(path)
    wizard = _wizard(qtbot, ctx, path=path)
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy() and wizard.file_error.isVisible(), timeout=10000)
    assert wizard.step() == STEP_FILE
    assert word in wizard.file_error.text() and "Tidak ada data yang diimpor." in wizard.file_error.text()


def test_sheet_choice_and_template(qtbot, ctx, db, tmp_path):
    wb = Workbook()
    wb.active.title = "Catatan"
    wb.active.append(["bukan data"])
    data = wb.create_sheet("Data PPKS")
    data.append(HEAD)
    data.append(row())
    wb.save(tmp_path / "dua.xlsx")
    wizard = _wizard(qtbot, ctx, path=tmp_path / "dua.xlsx")
    assert wizard.sheet_combo.isVisible() and wizard.sheet_combo.count() == 2
    wizard.sheet_combo.setCurrentText("Data PPKS")
    _next(qtbot, wizard, STEP_MAPPING)
    assert wizard.rows_label.text() == "· 1 baris data"
    wizard.ask_save_path = lambda title, suggested: str(tmp_path / "templat.xlsx")
    wizard.back()
    qtbot.mouseClick(wizard.template_button, Qt.LeftButton)
    assert [c.value for c in load_workbook(tmp_path / "templat.xlsx")["Data"][1]] == HEAD


def test_spec_driven_toy_kind(qtbot, ctx, db, tmp_path):
    from exporters.importer import Column, ImportSpec, RowError

    def apply_row(db_, values, state):
        if not values.get("Kunci"):
            raise RowError("Kunci", "wajib diisi")
        db_.execute("INSERT INTO pengaturan (key, value) VALUES (?, ?)", [values["Kunci"], values.get("Nilai")])
        return "imported"

    spec = ImportSpec(kind="toy", title="Uji", columns=[Column("Kunci", required=True), Column("Nilai")],
                      example={}, apply_row=apply_row, list_rows=lambda db_, period=None: [])
    path = _xlsx(tmp_path / "toy.xlsx", [["a", "1"], [None, "2"]], head=["Kunci", "Nilai"])
    wizard = _wizard(qtbot, ctx, spec=spec, path=path)
    assert wizard.windowTitle() == "Impor Uji"
    assert list(wizard.mapping_combos) == ["Kunci", "Nilai"]
    _next(qtbot, wizard, STEP_MAPPING)
    _next(qtbot, wizard, STEP_CHECK)
    assert _problem_rows(wizard) == [["3", "Kunci", "Kesalahan", "wajib diisi"]]
    _next(qtbot, wizard, STEP_RESULT)
    assert db.execute("SELECT value FROM pengaturan WHERE key = 'a'").fetchone()[0] == "1"


def test_page_opens_the_wizard(qtbot, ctx, db, monkeypatch):
    from desktop.ppks.page import Page

    monkeypatch.setattr(ImportWizard, "exec", lambda self: 0)
    page = Page(ctx)
    qtbot.addWidget(page)
    wizard = page.open_import()
    assert wizard.spec.kind == "ppks" and wizard.step() == STEP_FILE
