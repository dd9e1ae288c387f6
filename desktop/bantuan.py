"""Bantuan › Panduan pengguna (F1): the user guide inside the app.

The guide is Markdown in ``docs/panduan/`` (one file per chapter, ``NN-name.md``,
title on the first ``# `` line, sections on ``## `` lines) with its pictures in
``docs/img/``. The folder is found next to the code, as ``db/reference.py``
finds ``resources/``: ``Path(__file__).resolve().parent.parent / "docs"``, which
is the source tree's ``docs/`` and, in the frozen bundle, the ``docs`` folder the
installer adds (``--add-data docs:docs``).

The dialog shows a table of contents (chapters and their sections) beside a
QTextBrowser rendering the Markdown; links between chapters work, pictures are
scaled to the width of the reading pane, and a search box finds text in the
current chapter, then in the following ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QTextBrowser, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
GUIDE_DIR = DOCS_DIR / "panduan"
IMAGE_MAX_WIDTH = 860  # pixels in the reading pane; screenshots are 1280 wide


@dataclass
class Chapter:
    path: Path
    title: str
    sections: list[str] = field(default_factory=list)


def chapters(folder: Path = GUIDE_DIR) -> list[Chapter]:
    """The guide's chapters in file-name order, with their ``## `` sections."""
    out = []
    for path in sorted(folder.glob("*.md")):
        title, sections = path.stem, []
        in_code = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                in_code = not in_code
            elif in_code:
                continue
            elif line.startswith("# ") and title == path.stem:
                title = line[2:].strip()
            elif line.startswith("## "):
                sections.append(line[3:].strip())
        out.append(Chapter(path, title, sections))
    return out


def _plain(text: str) -> str:
    """Heading text as the document shows it (Markdown emphasis and code marks removed)."""
    return re.sub(r"[*_`]", "", text).strip()


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading ("Langkah 6: impor kunci Dinas" -> "langkah-6-impor-kunci-dinas"),
    so that links like ``09-keamanan.md#kode-pemulihan-...`` work on GitHub and in the app alike."""
    text = re.sub(r"[^\w\- ]", "", _plain(heading).lower())
    return text.replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """QTextBrowser whose pictures are scaled down to fit the reading pane."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.max_width = IMAGE_MAX_WIDTH

    def loadResource(self, kind: int, name: QUrl):  # noqa: N802 - Qt override
        data = super().loadResource(kind, name)
        if kind != QTextDocument.ImageResource or data is None:
            return data
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        if image.isNull() or image.width() <= self.max_width:
            return image
        return image.scaledToWidth(self.max_width, Qt.SmoothTransformation)


class PanduanDialog(QDialog):
    """The guide: contents on the left, the chapter on the right, search on top."""

    def __init__(self, parent=None, folder: Path = GUIDE_DIR):
        super().__init__(parent)
        self.folder = Path(folder)
        self.setWindowTitle("Panduan pengguna — Kesos Lapangan")
        self.resize(1200, 820)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("cari_panduan")
        self.search.setPlaceholderText("Cari di panduan, mis. \"kuitansi\" atau \"kata sandi\"…")
        self.search.setClearButtonEnabled(True)
        self.find_btn = QPushButton("&Cari berikutnya")
        self.search_note = QLabel()
        self.search_note.setStyleSheet("color: #8a5a00")
        label = QLabel("&Cari:")
        label.setBuddy(self.search)
        bar.addWidget(label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.find_btn)
        bar.addWidget(self.search_note)
        layout.addLayout(bar)

        split = QSplitter(Qt.Horizontal)
        self.toc = QTreeWidget()
        self.toc.setObjectName("daftar_isi")
        self.toc.setHeaderLabel("Daftar isi")
        self.toc.setMinimumWidth(220)
        self.browser = GuideBrowser()
        self.browser.setObjectName("isi_panduan")
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDefaultStyleSheet(
            "h1 { color: #1f4e79; } h2 { color: #1f4e79; } code { background: #f0f2f4; }")
        split.addWidget(self.toc)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([290, 910])
        layout.addWidget(split, 1)

        buttons = QDialogButtonBox()
        close = buttons.addButton("&Tutup", QDialogButtonBox.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)

        self.chapters = chapters(self.folder) if self.folder.is_dir() else []
        for ch in self.chapters:
            top = QTreeWidgetItem([ch.title])
            top.setData(0, Qt.UserRole, (str(ch.path), None))
            for section in ch.sections:
                child = QTreeWidgetItem([_plain(section)])
                child.setData(0, Qt.UserRole, (str(ch.path), _plain(section)))
                top.addChild(child)
            self.toc.addTopLevelItem(top)
        self.toc.itemClicked.connect(self._toc_clicked)
        self.toc.itemActivated.connect(self._toc_clicked)
        self.browser.sourceChanged.connect(self._source_changed)
        self.search.returnPressed.connect(self.find_next)
        self.find_btn.clicked.connect(self.find_next)
        self.search.textChanged.connect(lambda _t: self.search_note.clear())

        if self.chapters:
            self.open_chapter(self.chapters[0].path)
            self.toc.setCurrentItem(self.toc.topLevelItem(0))
            self.toc.topLevelItem(0).setExpanded(True)
        else:
            self.browser.setMarkdown(
                f"# Panduan tidak ditemukan\n\nFolder panduan `{self.folder}` tidak ada. Pasang ulang aplikasi, "
                "atau baca panduan di folder `docs/panduan` pada kode sumber.")
        self.browser.setFocus()

    # --- navigation -----------------------------------------------------------------------
    def current_path(self) -> Path | None:
        url = self.browser.source()
        return Path(url.toLocalFile()) if url.isLocalFile() else None

    def open_chapter(self, path: Path, section: str | None = None) -> None:
        path = Path(path)
        if self.current_path() != path:
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
        if section:
            self.show_section(section)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def show_section(self, title: str) -> bool:
        """Scroll the heading ``title`` (its text, or its GitHub anchor) of the current chapter to the top."""
        doc = self.browser.document()
        doc.documentLayout().documentSize()  # lays the whole chapter out, so every block has its place
        block = doc.begin()
        while block.isValid():
            text = block.text().strip()
            if block.blockFormat().headingLevel() and title in (text, slug(text)):
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                top = doc.documentLayout().blockBoundingRect(block).top()
                self.browser.verticalScrollBar().setValue(int(top))
                return True
            block = block.next()
        return False

    def _toc_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path, section = item.data(0, Qt.UserRole)
        self.open_chapter(Path(path), section)

    def _source_changed(self, url: QUrl) -> None:
        """A link to another chapter was followed: select it in the contents."""
        if not url.isLocalFile():
            return
        if url.hasFragment():
            self.show_section(url.fragment())
        path = str(Path(url.toLocalFile()))
        for i in range(self.toc.topLevelItemCount()):
            item = self.toc.topLevelItem(i)
            if item.data(0, Qt.UserRole)[0] == path:
                if self.toc.currentItem() is None or self.toc.currentItem().data(0, Qt.UserRole)[0] != path:
                    self.toc.setCurrentItem(item)
                item.setExpanded(True)
                return

    # --- search ----------------------------------------------------------------------------
    def find_next(self) -> bool:
        """Next occurrence in this chapter, else the first one in a following chapter."""
        text = self.search.text().strip()
        self.search_note.clear()
        if not text:
            return False
        if self.browser.find(text):
            return True
        paths = [ch.path for ch in self.chapters]
        here = self.current_path()
        start = paths.index(here) + 1 if here in paths else 0
        for path in paths[start:] + paths[:start]:
            if text.lower() in path.read_text(encoding="utf-8").lower():
                self.open_chapter(path)
                self.browser.moveCursor(QTextCursor.Start)
                if self.browser.find(text):
                    return True
        self.search_note.setText(f"\"{text}\" tidak ditemukan")
        return False


_open: PanduanDialog | None = None


def show_guide(parent: QWidget | None = None) -> PanduanDialog:
    """Show the guide (one window; brought to the front when already open)."""
    global _open
    if _open is None:
        _open = PanduanDialog(parent)
        _open.destroyed.connect(lambda *_: _reset())
    _open.show()
    _open.raise_()
    _open.activateWindow()
    return _open


def _reset() -> None:
    global _open
    _open = None
