"""The PSKS page driven like a user: register list, form, detail, events, attendance, daftar hadir."""
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt

from db import kegiatan as keg_db, psks as psks_db, records
from desktop import msgbox
from tests.db.psks_data import make_psks, nik
from tests.desktop import last_export

SHOTS = Path("/tmp/helper-psks")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-11-25")


@pytest.fixture
def register(db):
    """A small register: people of several types, an institution, an inactive TKSK."""
    make_psks(db, "PSM", 1, nama="Ani Rahmawati")
    make_psks(db, "PSM", 2, nama="Budi Santoso", kode_wilayah="61.71.03.1002")
    make_psks(db, "TAGANA", 3, nama="Citra Lestari")
    gone = make_psks(db, "TKSK", 4, nama="Dedi Kurniawan", kode_wilayah="61.71.03")
    psks_db.deactivate_psks(db, gone["id"], "2025-03-01", "mengundurkan diri")
    psks_db.create_psks(db, {"jenis_kode": "KARTAR", "nama": "Karang Taruna Bina Remaja", "nama_ketua": "Andi",
                             "nomor_registrasi": "KT-001", "tanggal_mulai_aktif": "2019-03-01"})
    return gone


def _page(qtbot, ctx):
    from desktop.psks.page import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.resize(1180, 640)
    page.show()
    return page


def _names(tab):
    return [r["nama"] for r in tab.model.rows]


def test_register_lists_filters_and_searches(qtbot, ctx, register, qtmodeltester):
    page = _page(qtbot, ctx)
    tab = page.register
    qtmodeltester.check(tab.model)
    assert _names(tab) == ["Ani Rahmawati", "Budi Santoso", "Citra Lestari", "Karang Taruna Bina Remaja",
                           "Dedi Kurniawan"]
    assert tab.count_label.text() == "5 PSKS"
    row = tab.model.rows[4]
    assert tab.model.data(tab.model.index(4, 5)) == "Nonaktif sejak 1 Maret 2025" and row["nama"] == "Dedi Kurniawan"
    assert tab.model.data(tab.model.index(0, 3)) == nik(1)[:6] + "********" + nik(1)[-2:]  # masked NIK
    tab.grab().save(str(SHOTS / "register.png"))

    tab.jenis.setCurrentIndex(tab.jenis.findData("PSM"))
    assert _names(tab) == ["Ani Rahmawati", "Budi Santoso"]
    tab.jenis.setCurrentIndex(0)
    tab.status.setCurrentIndex(tab.status.findData("nonaktif"))
    assert _names(tab) == ["Dedi Kurniawan"]
    tab.status.setCurrentIndex(0)
    tab.wilayah.setCurrentIndex(tab.wilayah.findData("61.71.03.1002"))
    assert _names(tab) == ["Budi Santoso"]
    tab.wilayah.setCurrentIndex(0)
    qtbot.keyClicks(tab.search, "taruna")
    qtbot.waitUntil(lambda: _names(tab) == ["Karang Taruna Bina Remaja"])
    assert tab.count_label.text() == "1 PSKS"


def test_form_registers_person_and_shows_errors_next_to_fields(qtbot, ctx, register):
    from desktop.psks.form import PsksDialog

    dlg = PsksDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("TKSK"))
    assert dlg.nik.isVisible() and not dlg.nama_ketua.isVisible()
    qtbot.keyClicks(dlg.nama, "Eko Prasetyo")
    qtbot.keyClicks(dlg.nik, "6171031")
    qtbot.keyClicks(dlg.nomor_registrasi, "TKSK-0004")  # Dedi's number
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.LeftButton)
    assert dlg.result() == 0
    assert dlg.errors.text("nik") == "NIK harus 16 digit (tertulis 7 digit)"
    assert dlg.errors.text("nomor_registrasi") == (
        "Nomor registrasi TKSK-0004 sudah dipakai TKSK lain: Dedi Kurniawan (Pontianak Barat)")
    dlg.nik.clear()
    qtbot.keyClicks(dlg.nik, nik(10))
    dlg.nomor_registrasi.clear()
    qtbot.keyClicks(dlg.nomor_registrasi, "TKSK-0010")
    qtbot.keyClicks(dlg.tanggal_mulai_aktif, "02/01/2025")
    qtbot.keyClick(dlg.nama, Qt.Key_Return)  # Enter saves
    assert dlg.result() == dlg.DialogCode.Accepted
    got = psks_db.get_psks(ctx.db, dlg.record["id"])
    assert (got["nama"], got["nik"], got["nomor_registrasi"], got["tanggal_mulai_aktif"], got["kode_wilayah"]) == (
        "Eko Prasetyo", nik(10), "TKSK-0010", "2025-01-02", "61.71.03.1001")


def test_form_for_institution_hides_person_fields(qtbot, ctx):
    from desktop.psks.form import PsksDialog

    dlg = PsksDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("LKS"))
    assert not dlg.nik.isVisible() and dlg.nama_ketua.isVisible()
    assert dlg.form.labelForField(dlg.nama).text() == "&Nama lembaga"
    qtbot.keyClicks(dlg.nama, "LKS Bina Ummat")
    qtbot.keyClicks(dlg.nama_ketua, "H. Abdullah")
    qtbot.keyClicks(dlg.alamat, "Jl. Komyos Sudarso")
    qtbot.keyClicks(dlg.nomor_dokumen, "AHU-0012.AH.01.07")
    assert dlg.save()
    got = psks_db.get_psks(ctx.db, dlg.record["id"])
    assert (got["bentuk"], got["nama_ketua"], got["nik"], got["nomor_dokumen"]) == (
        "lembaga", "H. Abdullah", None, "AHU-0012.AH.01.07")


def test_nik_warning_is_confirmed_once(qtbot, ctx):
    from desktop.psks.form import PsksDialog

    dlg = PsksDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("PSM"))
    qtbot.keyClicks(dlg.nama, "Sri")
    qtbot.keyClicks(dlg.nik, nik(11))  # a man's NIK
    dlg.jenis_kelamin.setCurrentIndex(dlg.jenis_kelamin.findData("P"))
    assert not dlg.save()  # default answer: check again
    assert msgbox.shown[-1][0:2] == ("confirm", "Periksa NIK")
    assert "jenis kelamin laki-laki" in dlg.errors.text("nik")
    msgbox.answers.append(True)
    assert dlg.save()


def test_deactivate_delete_restore_and_detail(qtbot, ctx, register, monkeypatch):
    page = _page(qtbot, ctx)
    tab = page.register
    assert tab.select_id(psks_db.list_psks(ctx.db, search="Ani")[0]["id"])
    msgbox.answers.extend(["15/10/2025", "pindah domisili"])
    qtbot.mouseClick(tab.nonaktif, Qt.LeftButton)
    ani = psks_db.list_psks(ctx.db, search="Ani")[0]
    assert (ani["status"], ani["tanggal_nonaktif"]) == ("nonaktif", "2025-10-15")
    assert tab.selected()["nama"] == "Ani Rahmawati" and tab.nonaktif.text() == "&Aktifkan"
    qtbot.mouseClick(tab.nonaktif, Qt.LeftButton)
    assert psks_db.get_psks(ctx.db, ani["id"])["status"] == "aktif"

    tab.select_id(ani["id"])
    msgbox.answers.append("salah input")
    qtbot.mouseClick(tab.hapus, Qt.LeftButton)
    assert "Ani Rahmawati" not in _names(tab)
    tab.status.setCurrentIndex(tab.status.findData("dihapus"))
    assert _names(tab) == ["Ani Rahmawati"] and tab.pulihkan.isVisible()
    tab.view.selectRow(0)
    qtbot.mouseClick(tab.pulihkan, Qt.LeftButton)
    assert _names(tab) == []
    tab.status.setCurrentIndex(0)
    assert "Ani Rahmawati" in _names(tab)

    # Detail: events and the services the PSKS delivered.
    keg = keg_db.create_kegiatan(ctx.db, {"nama": "Bimtek PSM", "jenis": "bimbingan teknis",
                                          "kode_layanan": "1.06.02.2.03.01", "tanggal_mulai": "2025-11-03"},
                                 {ani["id"]: True})
    orang = records.insert(ctx.db, "orang", {"nama": "Mbah Sarinah"})
    records.insert(ctx.db, "layanan", {"orang_id": orang["id"], "kode_layanan": "1.06.04.2.01.0001",
                                       "tanggal": "2025-11-10", "jumlah": 30, "satuan": "paket", "nilai": 450000,
                                       "psks_id": ani["id"]})
    from desktop.psks.detail import PsksDetailDialog

    dlg = PsksDetailDialog(ctx, ani["id"])
    qtbot.addWidget(dlg)
    assert dlg.tabs.tabText(1) == "&Kegiatan (1, hadir 1)"
    assert dlg.tabs.tabText(2) == "&Layanan diberikan (1)"
    assert dlg.kegiatan_model.data(dlg.kegiatan_model.index(0, 1)) == "Bimtek PSM"
    assert dlg.layanan_model.data(dlg.layanan_model.index(0, 2)) == "Mbah Sarinah"
    assert dlg.layanan_model.data(dlg.layanan_model.index(0, 5)) == "Rp 450.000"
    history = [dlg.history_model.data(dlg.history_model.index(r, 2)) for r in range(dlg.history_model.rowCount())]
    assert history[-1] == "Didaftarkan" and "Dihapus (salah input)" in history
    assert keg["id"]


def _event_dialog(qtbot, ctx, kegiatan_id=None):
    from desktop.psks.kegiatan_dialog import KegiatanDialog

    dlg = KegiatanDialog(ctx, kegiatan_id=kegiatan_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _check(dlg, name, column, qtbot=None):
    """Tick a checkbox cell of the participant table the way a user does (click on the row's check)."""
    from desktop.psks.kegiatan_dialog import COL_NAMA

    for r in range(dlg.proxy.rowCount()):
        if dlg.proxy.index(r, COL_NAMA).data() == name:
            index = dlg.proxy.index(r, column)
            dlg.view.setCurrentIndex(index)
            qtbot.keyClick(dlg.view, Qt.Key_Space)
            return index
    raise AssertionError(f"{name} not shown")


def test_event_with_participants_and_attendance(qtbot, ctx, register):
    from desktop.psks.kegiatan_dialog import COL_HADIR, COL_PESERTA

    dlg = _event_dialog(qtbot, ctx)
    qtbot.keyClicks(dlg.nama, "Rapat Koordinasi PSKS Kelurahan Pal Lima")
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("rapat_koordinasi"))
    dlg.kode_layanan.setCurrentIndex(dlg.kode_layanan.findData("1.06.02.2.03.0004"))
    dlg.tanggal_mulai.clear()
    qtbot.keyClicks(dlg.tanggal_mulai, "20/11/2025")
    qtbot.keyClicks(dlg.penyelenggara, "Kelurahan Pallima")
    qtbot.keyClicks(dlg.tempat, "Aula Kantor Lurah")
    # Filter to PSM and pick everyone shown, then one Tagana by name.
    dlg.filter_jenis.setCurrentIndex(dlg.filter_jenis.findData("PSM"))
    assert dlg.proxy.rowCount() == 2
    qtbot.mouseClick(dlg.pilih_semua, Qt.LeftButton)
    dlg.filter_jenis.setCurrentIndex(0)
    qtbot.keyClicks(dlg.filter_text, "citra")
    assert dlg.proxy.rowCount() == 1
    _check(dlg, "Citra Lestari", COL_PESERTA, qtbot)
    dlg.filter_text.clear()
    dlg.only_chosen.setChecked(True)
    assert dlg.proxy.rowCount() == 3
    _check(dlg, "Ani Rahmawati", COL_HADIR, qtbot)
    _check(dlg, "Citra Lestari", COL_HADIR, qtbot)
    assert dlg.counts.text() == "Peserta: 3 · Hadir: 2"
    dlg.only_chosen.setChecked(False)
    dlg.grab().save(str(SHOTS / "kegiatan_kehadiran.png"))
    assert dlg.save()
    keg = keg_db.get_kegiatan(ctx.db, dlg.record["id"])
    assert (keg["nama"], keg["jenis"], keg["kode_layanan"], keg["jumlah_peserta"], keg["jumlah_hadir"]) == (
        "Rapat Koordinasi PSKS Kelurahan Pal Lima", "rapat_koordinasi", "1.06.02.2.03.0004", 3, 2)
    assert {p["nama"]: p["hadir"] for p in keg_db.peserta_list(ctx.db, keg["id"])} == {
        "Ani Rahmawati": 1, "Budi Santoso": 0, "Citra Lestari": 1}

    # Reopen: the participants and attendance are there; mark everyone present.
    dlg2 = _event_dialog(qtbot, ctx, keg["id"])
    assert dlg2.counts.text() == "Peserta: 3 · Hadir: 2"
    qtbot.mouseClick(dlg2.hadir_semua, Qt.LeftButton)
    assert dlg2.save()
    assert keg_db.get_kegiatan(ctx.db, keg["id"])["jumlah_hadir"] == 3


def test_attendance_for_an_event_not_started_is_disabled_and_refused(qtbot, ctx, register):
    from desktop.psks.kegiatan_dialog import COL_HADIR, COL_PESERTA

    dlg = _event_dialog(qtbot, ctx)
    qtbot.keyClicks(dlg.nama, "Simulasi Banjir")
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("simulasi"))
    _check(dlg, "Citra Lestari", COL_HADIR, qtbot)  # the event starts today: allowed
    assert dlg.counts.text() == "Peserta: 1 · Hadir: 1"
    dlg.tanggal_mulai.clear()
    qtbot.keyClicks(dlg.tanggal_mulai, "05/12/2025")
    assert not dlg.hadir_semua.isEnabled()
    index = dlg.proxy.index(0, COL_HADIR)
    assert not (dlg.proxy.flags(index) & Qt.ItemIsUserCheckable)
    assert dlg.proxy.index(0, COL_HADIR).data(Qt.ToolTipRole) == "Kehadiran dapat dicatat setelah kegiatan dimulai."
    assert not dlg.save()
    assert dlg.problem.text() == ("Kehadiran belum dapat dicatat: kegiatan 'Simulasi Banjir' baru dimulai "
                                  "5 Desember 2025 (hari ini 25 November 2025).")
    assert keg_db.count_kegiatan(ctx.db) == 0
    assert dlg.proxy.flags(dlg.proxy.index(0, COL_PESERTA)) & Qt.ItemIsUserCheckable


def test_event_ending_before_start_shows_error_next_to_field(qtbot, ctx):
    dlg = _event_dialog(qtbot, ctx)
    qtbot.keyClicks(dlg.nama, "Pelatihan")
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("pelatihan"))
    dlg.tanggal_mulai.clear()
    qtbot.keyClicks(dlg.tanggal_mulai, "20/11/2025")
    qtbot.keyClicks(dlg.tanggal_selesai, "19/11/2025")
    assert not dlg.save()
    assert dlg.errors.text("tanggal_selesai") == (
        "Tanggal selesai (19 November 2025) sebelum tanggal mulai (20 November 2025)")


def test_inactive_participant_is_refused_with_a_clear_message(qtbot, ctx, register):
    from desktop.psks.kegiatan_dialog import COL_PESERTA

    dlg = _event_dialog(qtbot, ctx)
    _check(dlg, "Dedi Kurniawan", COL_PESERTA, qtbot)
    assert dlg.counts.text() == "Peserta: 0 · Hadir: 0"
    kind, title, text = msgbox.shown[-1]
    assert (kind, title) == ("warning", "Peserta tidak aktif")
    assert text.startswith("Dedi Kurniawan (TKSK, No. Reg. TKSK-0004) berstatus nonaktif sejak 1 Maret 2025, "
                           "sebelum kegiatan dimulai (25 November 2025)")
    # An event before March: Dedi was still active then.
    dlg.tanggal_mulai.clear()
    qtbot.keyClicks(dlg.tanggal_mulai, "10/02/2025")
    _check(dlg, "Dedi Kurniawan", COL_PESERTA, qtbot)
    assert dlg.counts.text() == "Peserta: 1 · Hadir: 0"
    # Moving the date after he left is refused at save.
    dlg.tanggal_mulai.clear()
    qtbot.keyClicks(dlg.tanggal_mulai, "10/04/2025")
    qtbot.keyClicks(dlg.nama, "Rakor")
    dlg.jenis.setCurrentIndex(dlg.jenis.findData("rapat_koordinasi"))
    assert not dlg.save()
    assert "Dedi Kurniawan (TKSK, No. Reg. TKSK-0004) berstatus nonaktif" in dlg.problem.text()


def test_unknown_nik_offers_to_register_then_adds(qtbot, ctx, register, monkeypatch):
    from desktop.psks.form import PsksDialog

    dlg = _event_dialog(qtbot, ctx)
    dlg.kode_layanan.setCurrentIndex(dlg.kode_layanan.findData("1.06.06.2.02.0002"))  # Tagana line
    # Known NIK: added and ticked.
    qtbot.keyClicks(dlg.nik_input, nik(1))
    qtbot.keyClick(dlg.nik_input, Qt.Key_Return)
    assert dlg.counts.text() == "Peserta: 1 · Hadir: 0" and dlg.nik_input.text() == ""
    # Unknown NIK, user declines.
    unknown = nik(42)
    qtbot.keyClicks(dlg.nik_input, unknown)
    qtbot.keyClick(dlg.nik_input, Qt.Key_Return)
    assert msgbox.shown[-1] == ("confirm", "Belum terdaftar",
                                f"NIK {unknown} tidak terdaftar di register PSKS.\nDaftarkan sekarang?")
    assert dlg.counts.text() == "Peserta: 1 · Hadir: 0"
    # Unknown NIK, user registers: the PSKS form opens pre-filled (type from the sub-kegiatan).
    seen = {}

    def fake_exec(form):
        seen["nik"], seen["jenis"] = form.nik.text(), form.jenis.currentData()
        qtbot.keyClicks(form.nama, "Eko Tagana")
        form.save()
        return form.result()

    monkeypatch.setattr(PsksDialog, "exec", fake_exec)
    msgbox.answers.append(True)
    qtbot.mouseClick(dlg.nik_button, Qt.LeftButton)
    assert seen == {"nik": unknown, "jenis": "TAGANA"}
    assert dlg.counts.text() == "Peserta: 2 · Hadir: 0"
    assert psks_db.find_by_nik(ctx.db, unknown)[0]["nama"] == "Eko Tagana"


def test_event_list_and_daftar_hadir_pdf(qtbot, ctx, register, tmp_path, qtmodeltester):
    ids = [r["id"] for r in psks_db.list_psks(ctx.db, status="aktif")]
    keg = keg_db.create_kegiatan(ctx.db, {
        "kode_kegiatan": "RK-11", "nama": "Rapat Koordinasi PSKS", "jenis": "rapat koordinasi",
        "kode_layanan": "1.06.02.2.03.04", "tanggal_mulai": "2025-11-20", "tempat": "Aula"},
        {i: n % 2 == 0 for n, i in enumerate(ids)})
    keg_db.create_kegiatan(ctx.db, {"nama": "Pelatihan 2024", "jenis": "pelatihan", "tanggal_mulai": "2024-05-02"})
    page = _page(qtbot, ctx)
    page.tabs.setCurrentIndex(1)
    tab = page.kegiatan
    qtmodeltester.check(tab.model)
    assert [r["nama"] for r in tab.model.rows] == ["Rapat Koordinasi PSKS", "Pelatihan 2024"]
    assert tab.model.data(tab.model.index(0, 3)) == "1.06.02.2.03.04"
    assert (tab.model.data(tab.model.index(0, 5)), tab.model.data(tab.model.index(0, 6))) == ("4", "2")
    tab.tahun.setCurrentIndex(tab.tahun.findData("2024"))
    assert [r["nama"] for r in tab.model.rows] == ["Pelatihan 2024"]
    tab.tahun.setCurrentIndex(0)
    tab.view.selectRow(0)
    target = tmp_path / "dh"
    tab.ask_save_path = lambda suggested, fmt: str(target)
    msgbox.answers.append(False)  # all participants (signature sheet)
    written = tab.export_daftar_hadir("pdf")
    assert written == str(target) + ".pdf"
    with pdfplumber.open(written) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Rapat Koordinasi PSKS" in text and "Jumlah peserta: 4 orang/lembaga" in text
    msgbox.answers.append(True)  # only those present
    written = tab.export_daftar_hadir("xlsx")
    import openpyxl

    values = [c.value for row in openpyxl.load_workbook(written).active.iter_rows() for c in row if c.value]
    assert "Jumlah peserta: 2 orang/lembaga" in values
    assert last_export(ctx.db) == ("daftar_hadir", written, 2)  # UU PDP export log
    assert keg["id"]


def test_page_is_found_by_the_main_window(qtbot, ctx):
    from desktop.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_area("psks")
    assert page.tabs.tabText(0) == "&Register PSKS"


def _drive_wizard(qtbot, wizard, path):
    wizard.path_edit.setText(str(path))
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.step() == 1, timeout=20000)
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.step() == 2 and not wizard.busy(), timeout=20000)
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=20000)
    return 1


def test_impor_buttons_run_the_shared_wizard(qtbot, ctx, register, tmp_path):
    from tests.db.test_psks_import import KEG_HEAD, PSKS_HEAD, workbook

    page = _page(qtbot, ctx)
    psks_file = workbook(tmp_path / "psks.xlsx", PSKS_HEAD, [
        ["Pekerja Sosial Masyarakat", nik(21), "Rina Marlina", "L", "", "PSM-0021", "01/02/2025", "aktif", ""]])
    kinds = []

    def drive(path):
        def run(wizard):
            kinds.append(wizard.spec.kind)
            return _drive_wizard(qtbot, wizard, path)
        return run

    page.register.run_dialog = drive(psks_file)
    qtbot.mouseClick(page.register.impor, Qt.LeftButton)
    assert "Rina Marlina" in _names(page.register)
    assert page.register.count_label.text() == "6 PSKS"

    keg_file = workbook(tmp_path / "keg.xlsx", KEG_HEAD, [
        ["RK-9", "Rakor PSM", "rapat koordinasi", "1.06.02.2.03.01", "20/11/2025", "", "", "", nik(21), "Rina", "Ya"],
        ["RK-9", "", "", "", "", "", "", "", nik(1), "Ani", "Tidak"]])
    page.kegiatan.run_dialog = drive(keg_file)
    qtbot.mouseClick(page.kegiatan.impor, Qt.LeftButton)
    assert kinds == ["psks", "kegiatan"]
    assert [(r["nama"], r["jumlah_peserta"], r["jumlah_hadir"]) for r in page.kegiatan.model.rows] == [
        ("Rakor PSM", 2, 1)]


def test_many_signal_emits_do_not_abort(tmp_path):
    """PySide6 6.12.0 on CPython 3.11 drops a reference to True on every Signal.emit() and
    the process aborts (bool_dealloc); pyproject.toml pins PySide6 below 6.12. A page like
    this one emits thousands of signals (dataChanged per ticked participant, per save)."""
    import subprocess
    import sys

    script = (
        "import desktop\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "class O(QObject):\n"
        "    s = Signal(str)\n"
        "o = O()\n"
        "for _ in range(200_000):\n"
        "    o.s.emit('psks')\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         cwd=str(Path(__file__).resolve().parents[2]))
    assert (run.returncode, run.stdout.strip()) == (0, "ok"), run.stderr[-500:]
