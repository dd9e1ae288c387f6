#!/usr/bin/env python3
"""Every screenshot of the user guide, taken from the real app on demo data.

    QT_QPA_PLATFORM=offscreen python docs/screenshots.py [--out docs/img] [--only NAMA,...] [--list]

What it does, in a temporary data folder (nothing of the user's is touched):

- a field database for the PSM of Kelurahan Pallima (61.71.03.1001), made with
  ``kesos init`` (passphrase from KESOS_PASSPHRASE) and ``kesos demo``;
- a Dinas database of Kota Pontianak (``kesos init --peran DINAS``) whose public
  key (``kesos dinas export-key``) is imported into every field install
  (``kesos import-dinas-key``), so packages are sealed as in real use;
- two more kelurahan installs; all three send their monthly packages
  (``db.sinkron.export_package``) which the Dinas imports
  (``db.sinkron.import_package``), plus one file that is not a package;
- then it opens the real main window (``desktop.app.open_main_window``), walks the
  story of the guide (register a person, record a service, print the receipt, a
  distribution, a flood with a household of victims and emergency aid, PSKS,
  events, month end, the Dinas tabs, settings, lock screen, setup wizard) and
  saves each screen with ``widget.grab()`` under ``--out``.

A screen that cannot be made (an area missing, a dialog renamed) is reported and
the others are still made; the exit code is then 1 so that nobody ships a guide
with missing pictures. ``tests/test_docs.py`` runs a few cheap shots in CI.

Images are PNG; when Pillow is available (it comes with the test extras) they are
reduced to 256 colours, which keeps the guide small without visible loss.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import io
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_OUT = ROOT / "docs" / "img"
PASSPHRASE = "sandi-contoh-panduan"  # the demo databases only; never a real one
KELURAHAN = "61.71.03.1001"  # Pallima, Kec. Pontianak Barat, Kota Pontianak
OPERATOR = "Siti Aminah"
LURAH = "Budi Santoso"
OTHER_INSTALLS = (("61.71.03.1002", "Rudi Hartono"), ("61.71.01.1006", "Nurhayati"))
DINAS_AREA = "61.71"
WINDOW_SIZE = (1280, 800)
TITLE_BAR = 28


# --------------------------------------------------------------------------- helpers


def _month_before(day: _dt.date, n: int = 1) -> str:
    y, m = day.year, day.month - n
    while m <= 0:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}"


def kesos(*args: str, passphrase: str | None = PASSPHRASE) -> str:
    """Run the `kesos` CLI in-process (as a user would type it); return its output."""
    from desktop.cli.main import main

    old = os.environ.get("KESOS_PASSPHRASE")
    if passphrase:
        os.environ["KESOS_PASSPHRASE"] = passphrase
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        if old is None:
            os.environ.pop("KESOS_PASSPHRASE", None)
        else:
            os.environ["KESOS_PASSPHRASE"] = old
    if code != 0:
        raise RuntimeError(f"kesos {' '.join(map(str, args))} -> exit {code}: {err.getvalue().strip()}")
    return out.getvalue()


def settle(ms: int = 30) -> None:
    """Let Qt lay out and paint (and debounce timers fire)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QTest.qWait(ms)
    QApplication.processEvents()


def type_into(widget, text: str) -> None:
    """Type like a user (textEdited/keypress handlers run)."""
    from PySide6.QtTest import QTest

    widget.setFocus()
    QTest.keyClicks(widget, text)


def choose(combo, data) -> None:
    """Select the combo entry carrying ``data``; fail loudly when it is not there."""
    i = combo.findData(data)
    if i < 0:
        raise LookupError(f"pilihan {data!r} tidak ada di {combo.objectName() or 'combo'}")
    combo.setCurrentIndex(i)


def framed(image, title: str):
    """The grabbed client area under a plain title bar showing the window title."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    out = QImage(image.width(), image.height() + TITLE_BAR, QImage.Format_RGB32)
    out.fill(QColor("#dfe4ea"))
    p = QPainter(out)
    p.setRenderHint(QPainter.Antialiasing)
    font = QFont()
    font.setPointSize(10)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#2b2f33"))
    p.drawText(QRect(12, 0, image.width() - 100, TITLE_BAR), Qt.AlignVCenter | Qt.AlignLeft, title)
    p.setPen(QPen(QColor("#6b7580"), 1.6))
    x, y = image.width() - 22, TITLE_BAR // 2
    p.drawLine(x - 5, y - 5, x + 5, y + 5)  # a close cross, so it reads as a window
    p.drawLine(x - 5, y + 5, x + 5, y - 5)
    p.drawImage(0, TITLE_BAR, image)
    p.setPen(QColor("#9aa4ae"))
    p.drawRect(0, 0, out.width() - 1, out.height() - 1)
    p.end()
    return out


def grab(widget, title: str | None = None, popups=()):
    """The widget as an image; top-level windows get their title bar drawn on.

    ``popups``: pop-up windows (a completer's list, a menu) painted where they
    are on screen, since ``grab()`` of a window does not include them.
    """
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    widget.show()
    settle()
    image = widget.grab().toImage()
    shown = [p for p in popups if p is not None and p.isVisible()]
    if shown:
        painter = QPainter(image)
        origin = widget.mapToGlobal(QPoint(0, 0))
        for popup in shown:
            painter.drawImage(popup.mapToGlobal(QPoint(0, 0)) - origin, popup.grab().toImage())
        painter.end()
    if widget.isWindow():
        image = framed(image, title or widget.windowTitle())
    return image


def save_png(image, path: Path) -> Path:
    """Save; reduced to 256 colours when Pillow is there (about a third of the size)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:
        if not image.save(str(path), "PNG"):
            raise OSError(f"gambar tidak tersimpan: {path}")
        return path
    from PySide6.QtCore import QBuffer, QIODevice

    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    image.save(buf, "PNG")
    with Image.open(io.BytesIO(bytes(buf.data()))) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, "PNG", optimize=True)
    return path


def pdf_page_image(data: bytes, dpi: int = 110):
    """The first page of a PDF as a QImage (pypdfium2, as the app's receipt preview)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    from desktop.layanan.printing import pdf_pages

    (page,) = pdf_pages(data, dpi, [0])
    out = QImage(page.width() + 2, page.height() + 2, QImage.Format_RGB32)
    out.fill(QColor("#9aa4ae"))  # a thin grey edge around the white paper
    p = QPainter(out)
    p.drawImage(1, 1, page.convertToFormat(QImage.Format_RGB32))
    p.end()
    return out.scaled(out.width(), out.height(), Qt.KeepAspectRatio, Qt.SmoothTransformation)


# --------------------------------------------------------------------------- the demo world


class Studio:
    """The temporary data folder, its databases and windows; each built on first use."""

    def __init__(self, folder: Path, *, people: int | None = None, log=print):
        self.folder = Path(folder)
        self.people = people  # None: the demo's own size (about 2,000 people)
        self.log = log
        self.today = _dt.date.fromisoformat(os.environ["KESOS_TODAY"]) if os.environ.get("KESOS_TODAY") \
            else _dt.date.today()
        self.field_path = self.folder / "kesos.db"
        self.dinas_path = self.folder / "dinas" / "kesos-dinas.db"
        self.key_path = self.folder / "kunci-dinas.json"
        self.usb = self.folder / "flashdisk"
        self._dinas_key_made = False
        self._window = None
        self._dinas_window = None
        self._dinas_ready = False
        self._dinas_failed: str | None = None
        self.story: dict = {}  # ids made by earlier shots (the person registered, the flood, ...)

    # -- databases ---------------------------------------------------------------------
    def _fill_demo(self, path: Path, passphrase: str | None) -> None:
        if self.people is None:
            kesos("--db", path, "demo", passphrase=passphrase)
            return
        from db.connection import open_database
        from db.demo import fill_demo

        db = open_database(path, passphrase=passphrase)
        try:
            fill_demo(db, people=self.people)
        finally:
            db.close()

    def ensure_dinas_key(self) -> Path:
        if not self._dinas_key_made:
            self.dinas_path.parent.mkdir(parents=True, exist_ok=True)
            self.log("  membuat basis data Dinas Kota Pontianak")
            kesos("--db", self.dinas_path, "init", "--kelurahan", DINAS_AREA, "--operator", "Yohanes Lim",
                  "--peran", "DINAS")
            kesos("--db", self.dinas_path, "dinas", "export-key", "--out", self.key_path)
            self._dinas_key_made = True
        return self.key_path

    def ensure_field(self) -> Path:
        if not self.field_path.exists():
            key = self.ensure_dinas_key()
            self.log("  membuat basis data kelurahan Pallima (init, demo, kunci Dinas)")
            kesos("--db", self.field_path, "init", "--kelurahan", KELURAHAN, "--operator", OPERATOR,
                  "--peran", "PSM", "--lurah", LURAH, "--nomor", "PSM/6171/0142")
            self._fill_demo(self.field_path, PASSPHRASE)
            kesos("--db", self.field_path, "import-dinas-key", key)
        return self.field_path

    def window(self):
        """The main window of the Pallima install (encrypted, demo data)."""
        if self._window is None:
            from db.connection import open_database
            from desktop.app import open_main_window

            path = self.ensure_field()
            db = open_database(path, passphrase=PASSPHRASE)
            self._window = open_main_window(db, path)
            self._window.resize(*WINDOW_SIZE)
            settle(_backup_delay())  # the daily backup runs just after the window shows
        return self._window

    @property
    def ctx(self):
        return self.window().ctx

    def page(self, key: str):
        """Show an area of the field window; KeyError (reported) when the area is missing."""
        window = self.window()
        try:
            page = window.show_area(key)
        except KeyError:
            raise LookupError(f"halaman '{key}' tidak ada di jendela utama") from None
        settle(60)
        return page

    def ensure_dinas(self) -> Path:
        """Three kelurahan send their packages; the Dinas imports them (once)."""
        if self._dinas_ready:
            return self.dinas_path
        if self._dinas_failed:
            raise RuntimeError(f"basis data Dinas tidak dapat dibuat: {self._dinas_failed}")
        try:
            return self._build_dinas()
        except Exception as exc:
            self._dinas_failed = f"{type(exc).__name__}: {exc}"
            raise

    def _build_dinas(self) -> Path:
        from db import ppks, sinkron
        from db.connection import open_database

        key = self.ensure_dinas_key()
        field = self.ensure_field()
        self.usb.mkdir(exist_ok=True)
        installs = [(field, PASSPHRASE)]
        for kode, operator in OTHER_INSTALLS:
            path = self.folder / f"kesos-{kode}.db"
            if not path.exists():
                self.log(f"  membuat basis data kelurahan {kode}")
                kesos("--db", path, "init", "--kelurahan", kode, "--operator", operator, "--peran", "PSM",
                      "--tanpa-sandi", passphrase=None)
                self._fill_demo(path, None)
                kesos("--db", path, "import-dinas-key", key, passphrase=None)
            installs.append((path, None))
        # One person registered in two kelurahan: the "Data ganda" tab has something to show.
        pallima = open_database(field, passphrase=PASSPHRASE)
        twin = pallima.execute(
            "SELECT o.* FROM orang o JOIN ppks p ON p.orang_id = o.id WHERE o.nik IS NOT NULL AND o.deleted_at IS NULL "
            "AND p.kategori_kode = '8' ORDER BY o.nama LIMIT 1").fetchone()
        cols = [d[0] for d in pallima.execute("SELECT * FROM orang LIMIT 0").description]
        twin = dict(zip(cols, twin))
        pallima.close()
        other = open_database(installs[1][0])
        if not other.execute("SELECT 1 FROM orang WHERE nik = ?", [twin["nik"]]).fetchone():
            ppks.save_person(other, {
                "nik": twin["nik"], "nama": twin["nama"], "jenis_kelamin": twin["jenis_kelamin"],
                "tanggal_lahir": twin["tanggal_lahir"], "alamat": "Jl. Tanjung Raya 2 Gg. Mawar No. 7",
                "kode_wilayah": OTHER_INSTALLS[0][0],
            }, confirm_warnings=True, registrations=[{
                "kategori_kode": "8", "terlantar": 0, "tanggal_pendataan": self.today.replace(day=1).isoformat(),
                "sumber_laporan": "laporan_masyarakat", "petugas": OTHER_INSTALLS[0][1], "status": "aktif"}])
        other.close()
        # Packages of the last two months. Pallima and Sungai Jawi Dalam sent on the 5th of the
        # following month (on time); Akcaya sends the last month today (late after the 10th).
        months = [_month_before(self.today, 2), _month_before(self.today, 1)]
        written = []
        for i, (path, passphrase) in enumerate(installs):
            db = open_database(path, passphrase=passphrase)
            try:
                for periode in months:
                    if i == 2 and periode != months[-1]:
                        continue  # Akcaya missed the earlier month
                    sent = None if i == 2 else _dt.datetime.fromisoformat(f"{_month_after(periode)}-05T09:12:00")
                    with _clock(sent):
                        res = sinkron.export_package(db, periode, self.usb)
                    written.append(res.path)
            finally:
                db.close()
        (self.usb / "rekap-oktober.kesos").write_bytes(b"PK\x03\x04 bukan paket")  # a wrong file, refused
        dinas = open_database(self.dinas_path, passphrase=PASSPHRASE)
        try:
            for path in [*written, self.usb / "rekap-oktober.kesos", written[0]]:  # the last one: "tidak berubah"
                sinkron.import_package(dinas, path)
            from db import dinas as dinas_db

            year = self.today.year
            for ind, target in (("PPKS_TERTANGANI", "95"), ("SPM_LANSIA", "100"), ("SPM_ANAK", "100"),
                                ("SPM_DISABILITAS", "100"), ("SPM_GEPENG", "100"), ("SPM_BENCANA", "100")):
                dinas_db.simpan_target(dinas, year, ind, target)
        finally:
            dinas.close()
        self._dinas_ready = True
        return self.dinas_path

    def dinas_window(self):
        if self._dinas_window is None:
            from db.connection import open_database
            from desktop.app import open_main_window

            path = self.ensure_dinas()
            db = open_database(path, passphrase=PASSPHRASE)
            self._dinas_window = open_main_window(db, path)
            self._dinas_window.resize(*WINDOW_SIZE)
            settle(_backup_delay())
        return self._dinas_window

    def dinas_page(self):
        window = self.dinas_window()
        try:
            page = window.show_area("dinas")
        except KeyError:
            raise LookupError("halaman 'dinas' tidak ada di jendela Dinas") from None
        settle(60)
        return page

    def close(self) -> None:
        for w in (self._window, self._dinas_window):
            if w is not None:
                if getattr(w, "app_lock", None) is not None:
                    w.app_lock.close()
                w.ctx.db.close()
                w.close()
                w.deleteLater()
        self._window = self._dinas_window = None
        settle(0)


def _backup_delay() -> int:
    from desktop import keamanan

    return getattr(keamanan, "BACKUP_DELAY_MS", 0) + 200


def _month_after(periode: str) -> str:
    y, m = map(int, periode.split("-"))
    return f"{y + (m == 12):04d}-{m % 12 + 1:02d}"


@contextlib.contextmanager
def _clock(moment: _dt.datetime | None):
    """Package creation time (what the Dinas completeness shows as 'sent'); None = now."""
    if moment is None or moment > _dt.datetime.now():
        yield
        return
    from db import sinkron

    real = sinkron.now_iso
    sinkron.now_iso = lambda: moment.isoformat(timespec="seconds")
    try:
        yield
    finally:
        sinkron.now_iso = real


# --------------------------------------------------------------------------- the shots

ShotFn = Callable[[Studio], object]


@dataclass
class Shot:
    name: str  # file name without .png
    needs: str  # "nothing", "field" or "dinas": what has to be built first
    fn: ShotFn
    about: str


SHOTS: list[Shot] = []


def shot(name: str, needs: str, about: str):
    def deco(fn: ShotFn) -> ShotFn:
        SHOTS.append(Shot(name, needs, fn, about))
        return fn
    return deco


def _main_window_image(studio: Studio, window=None):
    window = window or studio.window()
    inst = window.ctx.install
    window.statusBar().showMessage(f"Operator: {inst.operator_nama} · Peran: {inst.peran}")  # as at start
    return grab(window)


def _done(dialog) -> None:
    dialog.close()
    dialog.deleteLater()
    settle(0)


# -- setup -------------------------------------------------------------------------------------


def _wizard(studio: Studio):
    from db.connection import open_database
    from desktop.setup_wizard import SetupWizard

    path = studio.folder / "wizard" / "kesos.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path, create=True)
    wizard = SetupWizard(db)
    wizard.show()
    settle()
    return wizard, db


@shot("wizard-peran", "nothing", "Penyiapan: pilih peran")
def wizard_peran(studio):
    wizard, db = _wizard(studio)
    try:
        return grab(wizard)
    finally:
        _done(wizard)
        db.close()


@shot("wizard-wilayah", "nothing", "Penyiapan: wilayah kerja")
def wizard_wilayah(studio):
    wizard, db = _wizard(studio)
    try:
        wizard.next()
        edit = wizard.wilayah_page.wilayah
        type_into(edit, "pallima")
        edit._refresh()  # the debounce timer would do this 120 ms later; shows the suggestions
        if not edit.model.stringList():
            raise LookupError("saran wilayah untuk 'pallima' kosong")
        popup = edit.completer_.popup()
        popup.setCurrentIndex(popup.model().index(0, 0))
        return grab(wizard, popups=[popup])
    finally:
        _done(wizard)
        db.close()


@shot("wizard-operator", "nothing", "Penyiapan: data operator")
def wizard_operator(studio):
    wizard, db = _wizard(studio)
    try:
        wizard.next()
        wizard.wilayah_page.wilayah.set_kode(KELURAHAN)
        wizard.next()
        op = wizard.operator_page
        type_into(op.nama, OPERATOR)
        type_into(op.nomor, "PSM/6171/0142")
        type_into(op.lurah, LURAH)
        return grab(wizard)
    finally:
        _done(wizard)
        db.close()


@shot("wizard-sandi", "nothing", "Penyiapan: kata sandi basis data")
def wizard_sandi(studio):
    wizard, db = _wizard(studio)
    try:
        wizard.next()
        wizard.wilayah_page.wilayah.set_kode(KELURAHAN)
        wizard.next()
        type_into(wizard.operator_page.nama, OPERATOR)
        wizard.next()
        page = wizard.sandi_page
        type_into(page.form.first, "pallima-2025-aman")
        type_into(page.form.second, "pallima-2025-aman")
        return grab(wizard)
    finally:
        _done(wizard)
        db.close()


@shot("kode-pemulihan", "field", "Kode pemulihan, ditampilkan sekali")
def kode_pemulihan(studio):
    from db import sandi
    from desktop.keamanan import RecoveryCodeDialog

    db = studio.ctx.db
    code = sandi.recovery_code(sandi.key_info(db).key)
    dlg = RecoveryCodeDialog(code, sandi.recovery_file_path(studio.field_path))
    try:
        return grab(dlg)
    finally:
        _done(dlg)


@shot("sandi-buka", "field", "Membuka aplikasi: kata sandi")
def sandi_buka(studio):
    from desktop.keamanan import PassphraseDialog

    dlg = PassphraseDialog(studio.ensure_field())
    try:
        return grab(dlg)
    finally:
        _done(dlg)


# -- daily work --------------------------------------------------------------------------------


@shot("beranda", "field", "Beranda")
def beranda(studio):
    studio.page("beranda")
    return _main_window_image(studio)


@shot("ppks", "field", "Register PPKS")
def ppks_list(studio):
    studio.page("ppks")
    return _main_window_image(studio)


RINA = {"nik": "6171034508900003", "nama": "Rina Marlina", "tempat_lahir": "Pontianak", "tanggal_lahir": "05/08/1990",
        "alamat": "Jl. Pallima Gg. Keluarga No. 12", "rt": "004", "rw": "002", "no_kk": "6171030201150007",
        "telepon": "0812 5678 1234"}


@shot("orang-baru", "field", "Daftarkan orang (PPKS) dengan registrasinya")
def orang_baru(studio):
    from desktop.ppks.form import PersonDialog

    page = studio.page("ppks")
    dlg = PersonDialog(studio.ctx, parent=page)
    dlg.show()
    for key in ("nik", "no_kk", "nama", "tempat_lahir", "alamat", "rt", "rw", "telepon"):
        type_into(getattr(dlg, key), RINA[key])
    choose(dlg.jenis_kelamin, "P")
    type_into(dlg.tanggal_lahir, RINA["tanggal_lahir"])
    choose(dlg.status_dtks, "terdaftar")
    choose(dlg.desil, 2)
    dlg.regs.append({"kategori_kode": "23", "terlantar": 0, "tanggal_pendataan": studio.today.isoformat(),
                     "sumber_laporan": "kelurahan", "petugas": OPERATOR, "status": "aktif", "alasan_tutup": None,
                     "tanggal_tutup": None, "keterangan": "Janda, 3 anak"})
    dlg._fill_registrations()
    try:
        image = grab(dlg)
        if not dlg.save():
            raise RuntimeError("orang contoh tidak tersimpan: " + dlg.summary.text())
        studio.story["rina"] = dlg.record["id"]
        return image
    finally:
        _done(dlg)


@shot("registrasi-ppks", "field", "Tambah registrasi PPKS")
def registrasi_ppks(studio):
    from desktop.ppks.form import RegistrationDialog

    page = studio.page("ppks")
    dlg = RegistrationDialog(studio.ctx, values={"kategori_kode": "24", "tanggal_pendataan": studio.today.isoformat(),
                                                 "sumber_laporan": "kelurahan", "status": "aktif"},
                             person={"tanggal_lahir": "1990-08-05"}, parent=page)
    try:
        return grab(dlg)
    finally:
        _done(dlg)


@shot("orang-periksa", "field", "Kesalahan di samping isian")
def orang_periksa(studio):
    from desktop.ppks.form import PersonDialog

    page = studio.page("ppks")
    dlg = PersonDialog(studio.ctx, parent=page)
    dlg.show()
    type_into(dlg.nik, "617103450890")
    type_into(dlg.nama, "Rudi")
    type_into(dlg.tanggal_lahir, "31/02/1985")
    try:
        dlg.save()
        return grab(dlg)
    finally:
        _done(dlg)


def _rina(studio) -> str:
    if "rina" not in studio.story:
        orang_baru(studio)
    return studio.story["rina"]


@shot("layanan", "field", "Daftar layanan")
def layanan_list(studio):
    studio.page("layanan")
    return _main_window_image(studio)


@shot("catat-layanan", "field", "Catat layanan")
def catat_layanan(studio):
    page = studio.page("layanan")
    dlg = page.catat()  # unattended: the dialog is returned, not run
    dlg.penerima.set_orang(_rina(studio))
    dlg.fields.layanan.set_kode("1.06.04.2.01.0001")  # Penyediaan Permakanan
    dlg.fields.jumlah.setText("1")
    choose(dlg.fields.satuan, "paket")
    type_into(dlg.fields.nilai, "150000")
    dlg.fields._format_nilai()
    choose(dlg.fields.sumber_dana, "APBD_KOTA")
    type_into(dlg.fields.keterangan, "Paket sembako bulan ini")
    try:
        image = grab(dlg)
        dlg.save()
        if not dlg.record:
            raise RuntimeError("layanan contoh tidak tersimpan: " + dlg.fields.summary.text())
        studio.story["layanan"] = dlg.record["id"]
        return image
    finally:
        _done(dlg)


def _layanan(studio) -> str:
    if "layanan" not in studio.story:
        catat_layanan(studio)
    return studio.story["layanan"]


@shot("kuitansi-pratinjau", "field", "Pratinjau kuitansi")
def kuitansi_pratinjau(studio):
    from desktop.layanan.printing import ReceiptPreview

    page = studio.page("layanan")
    dlg = ReceiptPreview(studio.ctx, [_layanan(studio)], "a5", parent=page)
    dlg.resize(760, 800)
    try:
        return grab(dlg)
    finally:
        _done(dlg)


@shot("kuitansi-80mm", "field", "Kuitansi gulungan 80 mm, cetakan kedua (SALINAN)")
def kuitansi_80mm(studio):
    from db import kuitansi
    from exporters import receipt_pdf

    db = studio.ctx.db
    ids = [_layanan(studio)]
    row = db.execute("SELECT jumlah_cetak FROM kuitansi WHERE layanan_id = ?", ids).fetchone()
    if not row or not row[0]:
        kuitansi.catat_cetak(db, ids)  # the receipt was printed once: the next print says SALINAN
    return pdf_page_image(receipt_pdf.pdf_kuitansi(db, ids, "80mm"), dpi=130)


@shot("kuitansi-batal", "field", "Kuitansi layanan yang dibatalkan (BATAL)")
def kuitansi_batal(studio):
    from desktop import msgbox
    from exporters import receipt_pdf

    page = studio.page("layanan")
    row = studio.ctx.db.execute(
        "SELECT l.id FROM layanan l JOIN kuitansi k ON k.layanan_id = l.id WHERE l.status = 'aktif' "
        "AND l.orang_id IS NOT ? AND l.tanggal >= ? ORDER BY l.tanggal DESC, k.nomor DESC LIMIT 1",
        [studio.story.get("rina"), studio.today.replace(day=1).isoformat()]).fetchone()
    if row is None:
        raise LookupError("tidak ada layanan bulan ini untuk dibatalkan")
    if not page.select_id(row[0]):
        raise LookupError("layanan yang akan dibatalkan tidak tampil di daftar")
    msgbox.answers.append("Salah penerima, dicatat ulang")
    try:
        if not page.batalkan():
            raise RuntimeError("layanan tidak dapat dibatalkan: " + repr(msgbox.shown[-1:]))
    finally:
        msgbox.answers.clear()
    return pdf_page_image(receipt_pdf.pdf_kuitansi(studio.ctx.db, [row[0]], "a5"), dpi=80)


@shot("distribusi", "field", "Distribusi: satu layanan untuk banyak penerima")
def distribusi(studio):
    from PySide6.QtCore import Qt

    page = studio.page("layanan")
    dlg = page.distribusi()
    dlg.fields.layanan.set_kode("1.06.04.2.01.0002")  # Penyediaan Sandang
    choose(dlg.fields.satuan, "stel")
    type_into(dlg.fields.nilai, "125000")
    dlg.fields._format_nilai()
    choose(dlg.fields.sumber_dana, "APBD_KOTA")
    choose(dlg.kategori, "8")  # Lanjut Usia Terlantar
    settle(300)
    dlg.reload()
    for row in range(min(12, dlg.model.rowCount())):
        dlg.model.item(row, 0).setCheckState(Qt.Checked)
    settle()
    try:
        return grab(dlg)
    finally:
        _done(dlg)


# -- disasters ---------------------------------------------------------------------------------


@shot("bencana-baru", "field", "Kejadian bencana baru")
def bencana_baru(studio):
    from desktop.bencana.dialogs import BencanaDialog

    page = studio.page("bencana")
    dlg = BencanaDialog(studio.ctx, parent=page)
    choose(dlg.jenis, "banjir")
    dlg.tanggal.clear()
    type_into(dlg.tanggal, (studio.today - _dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    type_into(dlg.waktu, "04:30")
    type_into(dlg.lokasi, "Gg. Keluarga, tepian Sungai Kapuas")
    type_into(dlg.rt, "004")
    type_into(dlg.rw, "002")
    type_into(dlg.kk, "12")
    type_into(dlg.jiwa, "45")
    type_into(dlg.rumah, "8")
    type_into(dlg.keterangan, "Air setinggi 60 cm setelah hujan semalaman")
    try:
        image = grab(dlg)
        dlg.save()
        if not dlg.record:
            raise RuntimeError("kejadian contoh tidak tersimpan: " + dlg.summary.text())
        studio.story["banjir"] = dlg.record["id"]
        return image
    finally:
        _done(dlg)


def _banjir(studio) -> str:
    if "banjir" not in studio.story:
        bencana_baru(studio)
    return studio.story["banjir"]


def _event_page(studio):
    page = studio.page("bencana")
    page.open_event(_banjir(studio))
    settle()
    return page


@shot("keluarga", "field", "Tambah korban satu keluarga")
def keluarga(studio):
    from desktop.bencana.dialogs import KeluargaDialog

    page = _event_page(studio)
    dlg = KeluargaDialog(studio.ctx, studio.story["banjir"], parent=page)
    type_into(dlg.no_kk, "6171030507120004")
    type_into(dlg.alamat, "Gg. Keluarga No. 3")
    type_into(dlg.rt, "004")
    type_into(dlg.rw, "002")
    choose(dlg.tempat, "pengungsian")
    members = [
        ("Hasan Basri", "6171031203780005", "L", "12/03/1978", ""),
        ("Nurlela", "6171035906820002", "P", "19/06/1982", "ibu hamil"),
        ("Muhammad Rizki", "6171032104150001", "L", "21/04/2015", "anak"),
        ("Siti Aisyah", "", "P", "02/09/2023", "balita"),
        ("Mak Ijah", "6171034101450003", "P", "01/01/1945", "lansia"),
    ]
    for r, values in enumerate(members):
        for key, text in zip(dlg.KEYS, values):
            if text:
                dlg.set_cell(r, key, text)
    try:
        image = grab(dlg)
        dlg.save()
        if not dlg.records:
            raise RuntimeError("keluarga contoh tidak tersimpan: " + dlg.summary.text())
        studio.story["keluarga"] = [r["orang_id"] for r in dlg.records]
        return image
    finally:
        _done(dlg)


@shot("korban", "field", "Tambah korban: orang yang sudah terdaftar")
def korban(studio):
    from desktop.bencana.dialogs import KorbanDialog

    page = _event_page(studio)
    dlg = KorbanDialog(studio.ctx, studio.story["banjir"], parent=page)
    dlg.mode_lama.setChecked(True)
    dlg.cari.set_orang(_rina(studio))
    choose(dlg.fields.tempat, "keluarga")
    try:
        image = grab(dlg)
        dlg.save()
        if not dlg.record:
            raise RuntimeError("korban contoh tidak tersimpan: " + dlg.summary.text())
        return image
    finally:
        _done(dlg)


@shot("bantuan-darurat", "field", "Bantuan darurat untuk semua korban kejadian")
def bantuan_darurat(studio):
    from desktop import msgbox
    from desktop.bencana.dialogs import BantuanDialog

    if "keluarga" not in studio.story:
        keluarga(studio)
    page = _event_page(studio)
    dlg = BantuanDialog(studio.ctx, studio.story["banjir"], parent=page)
    choose(dlg.layanan, "1.06.06.2.01.0001")  # Penyediaan Makanan
    choose(dlg.tempat, "pengungsian")
    dlg.jumlah.setText("3")
    choose(dlg.satuan, "paket")
    type_into(dlg.nilai, "45000")
    choose(dlg.sumber, "APBD_KOTA")
    dlg.show_receipts.setChecked(False)
    try:
        image = grab(dlg)
        msgbox.answers.append(True)  # "Catat ... untuk N korban?" -> Catat
        dlg.save()
        if not dlg.hasil:
            raise RuntimeError("bantuan contoh tidak tersimpan: " + dlg.summary.text())
        return image
    finally:
        msgbox.answers.clear()
        _done(dlg)


@shot("bencana", "field", "Daftar kejadian bencana")
def bencana_list(studio):
    _banjir(studio)
    page = studio.page("bencana")
    page.show_list()
    page.list.refresh()
    page.list.select_id(studio.story["banjir"])
    return _main_window_image(studio)


@shot("bencana-kejadian", "field", "Halaman kejadian: korban dan masa tanggap darurat")
def bencana_kejadian(studio):
    if "keluarga" not in studio.story:
        keluarga(studio)
    page = _event_page(studio)
    page.event_page.refresh()
    return _main_window_image(studio)


# -- PSKS --------------------------------------------------------------------------------------


@shot("psks", "field", "Register PSKS")
def psks_list(studio):
    page = studio.page("psks")
    page.tabs.setCurrentIndex(0)
    return _main_window_image(studio)


@shot("psks-baru", "field", "Daftarkan PSKS")
def psks_baru(studio):
    from desktop.psks.form import PsksDialog

    page = studio.page("psks")
    dlg = PsksDialog(studio.ctx, parent=page)
    choose(dlg.jenis, "TAGANA")
    type_into(dlg.nama, "Yusuf Maulana")
    type_into(dlg.nik, "6171031708950004")
    choose(dlg.jenis_kelamin, "L")
    type_into(dlg.tanggal_lahir, "17/08/1995")
    type_into(dlg.alamat, "Jl. Pallima Gg. Sukamaju No. 9")
    type_into(dlg.tanggal_mulai_aktif, "01/03/2021")
    type_into(dlg.nomor_dokumen, "SK Dinsos 460/123/2021")
    type_into(dlg.telepon, "0813 4567 8901")
    dlg.resize(620, 720)
    try:
        return grab(dlg)
    finally:
        _done(dlg)


@shot("kegiatan", "field", "Kegiatan PSKS")
def kegiatan_list(studio):
    page = studio.page("psks")
    page.tabs.setCurrentIndex(1)
    settle()
    return _main_window_image(studio)


@shot("kegiatan-hadir", "field", "Kegiatan dengan peserta dan kehadiran")
def kegiatan_hadir(studio):
    from desktop.psks.kegiatan_dialog import KegiatanDialog

    page = studio.page("psks")
    row = studio.ctx.db.execute(
        "SELECT k.id FROM kegiatan k JOIN kegiatan_peserta p ON p.kegiatan_id = k.id WHERE k.deleted_at IS NULL "
        "AND p.deleted_at IS NULL GROUP BY k.id ORDER BY count(*) DESC, k.tanggal_mulai DESC LIMIT 1").fetchone()
    if row is None:
        raise LookupError("data contoh tidak punya kegiatan PSKS dengan peserta")
    dlg = KegiatanDialog(studio.ctx, kegiatan_id=row[0], parent=page)
    dlg.only_chosen.setChecked(True)
    dlg.resize(1280, 640)  # at its own 1100 px the name column is squeezed (reported)
    try:
        return grab(dlg)
    finally:
        _done(dlg)


# -- month end ---------------------------------------------------------------------------------


@shot("rekap", "field", "Rekap Bulanan")
def rekap(studio):
    page = studio.page("rekap")
    return _main_window_image(studio)


@shot("kirim-dinas", "field", "Kirim ke Dinas")
def kirim_dinas(studio):
    page = studio.page("sinkron")
    page.folder.setText("E:\\")
    settle()
    return _main_window_image(studio)


# -- protection --------------------------------------------------------------------------------


@shot("pengaturan", "field", "Pengaturan: kunci layar, kunci Dinas, cadangan")
def pengaturan(studio):
    studio.page("pengaturan")
    return _main_window_image(studio)


@shot("kunci-layar", "field", "Layar terkunci")
def kunci_layar(studio):
    window = studio.window()
    studio.page("beranda")
    if not window.app_lock.lock():
        raise RuntimeError("aplikasi tidak dapat dikunci")
    try:
        settle()
        return _main_window_image(studio)
    finally:
        window.app_lock.try_unlock(PASSPHRASE)


# -- Dinas -------------------------------------------------------------------------------------


def _dinas_tab(studio, index: int):
    page = studio.dinas_page()
    page.tabs.setCurrentIndex(index)
    settle(60)
    return page


@shot("dinas-impor", "dinas", "Dinas: impor paket dan catatan impor")
def dinas_impor(studio):
    _dinas_tab(studio, 0)
    return _main_window_image(studio, studio.dinas_window())


@shot("dinas-kelengkapan", "dinas", "Dinas: kelengkapan paket per bulan")
def dinas_kelengkapan(studio):
    page = _dinas_tab(studio, 1)
    tab = page.kelengkapan
    i = tab.bulan.findData(_month_before(studio.today, 1)) if hasattr(tab, "bulan") else -1
    if i >= 0:
        tab.bulan.setCurrentIndex(i)
    settle(60)
    return _main_window_image(studio, studio.dinas_window())


@shot("dinas-ganda", "dinas", "Dinas: data ganda")
def dinas_ganda(studio):
    page = _dinas_tab(studio, 2)
    if page.duplikat.view.model().rowCount():
        page.duplikat.view.selectRow(0)
    settle()
    return _main_window_image(studio, studio.dinas_window())


@shot("dinas-target", "dinas", "Dinas: target dan capaian")
def dinas_target(studio):
    _dinas_tab(studio, 3)
    return _main_window_image(studio, studio.dinas_window())


@shot("dinas-kunci", "dinas", "Dinas: kunci publik di Pengaturan")
def dinas_kunci(studio):
    window = studio.dinas_window()
    try:
        page = window.show_area("pengaturan")
    except KeyError:
        raise LookupError("halaman 'pengaturan' tidak ada di jendela Dinas") from None
    settle(60)
    from PySide6.QtWidgets import QGroupBox

    box = next((b for b in page.findChildren(QGroupBox) if b.title().startswith("Kunci Dinas")), None)
    if box is None:
        raise LookupError("kotak 'Kunci Dinas' tidak ada di Pengaturan Dinas")
    return grab(box)


# -- the guide itself --------------------------------------------------------------------------


@shot("panduan", "field", "Bantuan › Panduan pengguna (F1)")
def panduan(studio):
    from PySide6.QtGui import QAction

    window = studio.window()
    action = next((a for a in window.findChildren(QAction) if a.text().replace("&", "") == "Panduan pengguna"), None)
    if action is None:
        raise LookupError("menu Bantuan › Panduan pengguna tidak ada")
    action.trigger()
    settle()
    from desktop import bantuan

    dlg = bantuan._open
    if dlg is None:
        raise RuntimeError("Panduan pengguna tidak terbuka")
    try:
        dlg.resize(1200, 760)
        chapter = next((c for c in dlg.chapters if c.path.name.startswith("04-")), None)
        if chapter is None:
            raise LookupError("bab 04 (layanan) tidak ada di docs/panduan")
        item = dlg.toc.topLevelItem(dlg.chapters.index(chapter))
        item.setExpanded(True)
        dlg.toc.setCurrentItem(item.child(1) if item.childCount() > 1 else item)
        dlg.open_chapter(chapter.path, "Mencetak kuitansi")
        return grab(dlg)
    finally:
        _done(dlg)


# --------------------------------------------------------------------------- running


def prepare_environment(folder: Path) -> None:
    """Offscreen Qt, dialogs off, a private data folder; before the first Qt/app import."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KESOS_NO_DIALOGS"] = "1"
    os.environ["KESOS_DATA_DIR"] = str(folder / "data")


def application():
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop import msgbox

    app = QApplication.instance() or QApplication(["kesos-gui"])
    app.setApplicationName("Kesos Lapangan")
    app.setOrganizationName("KesosLapangan")
    app.setWindowIcon(QIcon(str(ROOT / "resources" / "icons" / "kesos.png")))
    msgbox.set_unattended(True)
    return app


def select(names: list[str] | None) -> tuple[list[Shot], list[str]]:
    """The shots to take, and the names that match none."""
    if not names:
        return list(SHOTS), []
    by_name = {s.name: s for s in SHOTS}
    return [by_name[n] for n in names if n in by_name], [n for n in names if n not in by_name]


def take(studio: Studio, shots: list[Shot], out: Path, *, log=print) -> dict[str, str]:
    """Take ``shots`` into ``out``; returns {name: why it failed} (empty when all were made)."""
    failures: dict[str, str] = {}
    for s in shots:
        t0 = time.perf_counter()
        try:
            image = s.fn(studio)
            if image is None or image.isNull():
                raise RuntimeError("gambar kosong")
            save_png(image, out / f"{s.name}.png")
        except Exception as exc:  # noqa: BLE001 - report, go on with the others
            failures[s.name] = f"{type(exc).__name__}: {exc}"
            log(f"GAGAL {s.name}: {failures[s.name]}")
            log(traceback.format_exc(limit=4))
            continue
        log(f"ok    {s.name}.png  {image.width()}x{image.height()}  {time.perf_counter() - t0:.1f} s")
    return failures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Screenshots of the user guide from the real app (offscreen).")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the PNGs (default {DEFAULT_OUT})")
    p.add_argument("--only", help="comma-separated shot names (default: all)")
    p.add_argument("--list", action="store_true", help="list the shots and exit")
    p.add_argument("--keep", action="store_true", help="keep the temporary data folder (its path is printed)")
    args = p.parse_args(argv)
    if args.list:
        for s in SHOTS:
            print(f"{s.name:<20} {s.about}")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="kesos-panduan-"))
    prepare_environment(folder)
    application()
    shots, unknown = select([n.strip() for n in args.only.split(",") if n.strip()] if args.only else None)
    t0 = time.perf_counter()
    studio = Studio(folder)
    try:
        failures = take(studio, shots, args.out)
    finally:
        studio.close()
        if args.keep:
            print(f"folder data: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for name in unknown:
        failures[name] = "tidak ada gambar dengan nama ini (lihat --list)"
    print(f"{len(shots) - len(failures) + len(unknown)} gambar dibuat di {args.out} dalam "
          f"{time.perf_counter() - t0:.0f} s")
    if failures:
        print(f"{len(failures)} gambar GAGAL dibuat; panduan jangan dirilis dengan gambar yang hilang:", file=sys.stderr)
        for name, why in failures.items():
            print(f"  {name}: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
