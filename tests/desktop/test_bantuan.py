"""Bantuan › Panduan pengguna (F1): the guide inside the app."""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from desktop import bantuan


def _window(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    window = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(window)
    window.show()
    return window


def test_f1_opens_the_guide_with_its_contents(qtbot, db, db_path):
    window = _window(qtbot, db, db_path)
    bantuan_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Ba&ntuan")
    assert [a.text() for a in bantuan_menu.actions()][0] == "&Panduan pengguna"
    window.activateWindow()
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key_F1)
    dlg = bantuan._open
    assert dlg is not None and dlg.isVisible()
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "Panduan pengguna — Kesos Lapangan"
    titles = [dlg.toc.topLevelItem(i).text(0) for i in range(dlg.toc.topLevelItemCount())]
    assert titles[0] == "Panduan Kesos Lapangan"
    assert "Layanan dan kuitansi" in titles and "Mengatasi masalah" in titles
    assert dlg.current_path().name == "00-pengantar.md"
    assert dlg.browser.document().toPlainText().startswith("Panduan Kesos Lapangan")
    window.activateWindow()
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key_F1)  # again: the same window, not a second one
    assert bantuan._open is dlg


def test_contents_open_a_section_and_links_follow_chapters(qtbot):
    dlg = bantuan.PanduanDialog()
    qtbot.addWidget(dlg)
    dlg.resize(1000, 500)
    dlg.show()
    chapter = next(i for i in range(dlg.toc.topLevelItemCount())
                   if dlg.toc.topLevelItem(i).text(0) == "Layanan dan kuitansi")
    item = dlg.toc.topLevelItem(chapter)
    section = next(item.child(j) for j in range(item.childCount()) if item.child(j).text(0) == "Distribusi: satu "
                   "layanan untuk banyak orang")
    dlg.toc.itemClicked.emit(section, 0)
    assert dlg.current_path().name == "04-layanan.md"
    assert dlg.browser.verticalScrollBar().value() > 0
    assert dlg.browser.textCursor().block().text() == "Distribusi: satu layanan untuk banyak orang"

    # a link with a GitHub anchor, as in "lihat Melindungi data#kode-pemulihan-…"
    dlg.browser.setSource(dlg.browser.source().resolved(QUrl("09-keamanan.md#memulihkan-dari-cadangan")))
    assert dlg.current_path().name == "09-keamanan.md"
    assert dlg.toc.currentItem().text(0) == "Melindungi data"
    assert dlg.browser.textCursor().block().text() == "Memulihkan dari cadangan"


def test_search_finds_text_in_later_chapters_and_says_when_nothing_is_found(qtbot):
    dlg = bantuan.PanduanDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.search, "SALINAN")
    qtbot.keyClick(dlg.search, Qt.Key_Return)
    assert dlg.current_path().name == "04-layanan.md"
    assert dlg.browser.textCursor().selectedText() == "SALINAN"
    dlg.search.clear()
    qtbot.keyClicks(dlg.search, "tidak-ada-di-panduan")
    qtbot.keyClick(dlg.search, Qt.Key_Return)
    assert dlg.search_note.text() == '"tidak-ada-di-panduan" tidak ditemukan'


def test_pictures_are_scaled_to_the_reading_pane(qtbot):
    dlg = bantuan.PanduanDialog()
    qtbot.addWidget(dlg)
    dlg.open_chapter(bantuan.GUIDE_DIR / "03-ppks.md")
    image = dlg.browser.loadResource(QTextDocument.ImageResource, QUrl("../img/ppks.png"))
    assert not image.isNull()
    assert image.width() == bantuan.IMAGE_MAX_WIDTH  # the screenshot is wider than the pane


def test_missing_guide_folder_says_so(qtbot, tmp_path):
    dlg = bantuan.PanduanDialog(folder=tmp_path / "tidak-ada")
    qtbot.addWidget(dlg)
    text = dlg.browser.document().toPlainText()
    assert text.startswith("Panduan tidak ditemukan")
    assert str(tmp_path / "tidak-ada") in text
    assert dlg.toc.topLevelItemCount() == 0


def test_guide_folder_is_found_next_to_the_code():
    """Source tree and frozen bundle alike: <root>/docs/panduan (the installer adds docs:docs)."""
    assert bantuan.DOCS_DIR.name == "docs"
    assert bantuan.DOCS_DIR.parent == bantuan.Path(bantuan.__file__).resolve().parent.parent
    assert (bantuan.GUIDE_DIR / "00-pengantar.md").is_file()
