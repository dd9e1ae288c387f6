"""The user guide (docs/): every picture it shows exists, and the screenshot script works.

The full set of screenshots takes about a minute (three kelurahan with demo data
and a Dinas): ``QT_QPA_PLATFORM=offscreen python docs/screenshots.py``. Here only
a few cheap screens are made, into tmp_path, to prove the script still runs
against the current app.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def _markdown_files() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _screenshots():
    """docs/screenshots.py as a module (docs/ is not a package)."""
    name = "docs_screenshots"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, DOCS / "screenshots.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the file runs
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_every_image_referenced_in_the_docs_exists():
    referenced = []
    missing = []
    for md in _markdown_files():
        for target in IMAGE_RE.findall(md.read_text(encoding="utf-8")):
            path = (md.parent / target).resolve()
            referenced.append(path)
            if not path.is_file():
                missing.append(f"{md.relative_to(DOCS)} -> {target}")
    assert referenced, "the guide shows no pictures at all"
    assert not missing, "pictures referenced but missing:\n" + "\n".join(missing)


def test_every_picture_is_used_and_made_by_the_script():
    """No stale PNG in docs/img, and each one has a shot that regenerates it."""
    used = {(md.parent / t).resolve() for md in _markdown_files()
            for t in IMAGE_RE.findall(md.read_text(encoding="utf-8"))}
    made = {s.name for s in _screenshots().SHOTS}
    for png in sorted((DOCS / "img").glob("*.png")):
        assert png.resolve() in used, f"{png.name} is not used by any page of the guide"
        assert png.stem in made, f"{png.name} is not made by docs/screenshots.py"


def test_links_between_chapters_point_to_existing_pages_and_headings():
    from desktop.bantuan import slug

    problems = []
    for md in _markdown_files():
        for target, fragment in LINK_RE.findall(md.read_text(encoding="utf-8")):
            page = md.parent / target
            if not page.is_file():
                problems.append(f"{md.name} -> {target}")
                continue
            if fragment:
                headings = [slug(line.lstrip("#").strip()) for line in page.read_text(encoding="utf-8").splitlines()
                            if line.startswith("#")]
                if fragment[1:] not in headings:
                    problems.append(f"{md.name} -> {target}{fragment}")
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_screenshot_script_makes_cheap_screens(qapp, tmp_path):
    shots = _screenshots()
    chosen, unknown = shots.select(["wizard-wilayah", "beranda", "panduan"])
    assert unknown == []
    studio = shots.Studio(tmp_path / "data", people=120, log=lambda *_: None)
    (tmp_path / "data").mkdir()
    log = []
    try:
        failures = shots.take(studio, chosen, tmp_path / "img", log=log.append)
    finally:
        studio.close()
    assert failures == {}, "\n".join(log)
    from PySide6.QtGui import QImage

    for name, min_width in (("wizard-wilayah", 600), ("beranda", 1280), ("panduan", 1000)):
        image = QImage(str(tmp_path / "img" / f"{name}.png"))
        assert not image.isNull() and image.width() >= min_width, name
        assert image.height() > shots.TITLE_BAR + 200, name


def test_a_failing_screen_is_reported_and_the_others_are_still_made(qapp, tmp_path):
    shots = _screenshots()

    def broken(studio):
        raise LookupError("halaman 'contoh' tidak ada di jendela utama")

    chosen = [shots.Shot("rusak", "nothing", broken, "uji"), *shots.select(["wizard-peran"])[0]]
    studio = shots.Studio(tmp_path, log=lambda *_: None)
    failures = shots.take(studio, chosen, tmp_path / "img", log=lambda *_: None)
    studio.close()
    assert failures == {"rusak": "LookupError: halaman 'contoh' tidak ada di jendela utama"}
    assert (tmp_path / "img" / "wizard-peran.png").is_file()
    assert not (tmp_path / "img" / "rusak.png").exists()


def test_script_exits_non_zero_when_a_picture_is_missing(qapp, tmp_path, capsys, monkeypatch):
    shots = _screenshots()
    monkeypatch.setattr(shots.tempfile, "mkdtemp", lambda prefix="": str(tmp_path / "kerja"))
    (tmp_path / "kerja").mkdir()
    assert shots.main(["--out", str(tmp_path / "img"), "--only", "tidak-ada"]) == 1
    assert "tidak-ada: tidak ada gambar dengan nama ini" in capsys.readouterr().err


@pytest.mark.parametrize("heading, anchor", [
    ("Langkah 6: impor kunci Dinas", "langkah-6-impor-kunci-dinas"),
    ("Kode pemulihan: bila kata sandi terlupa", "kode-pemulihan-bila-kata-sandi-terlupa"),
    ("Paket ditolak di Dinas", "paket-ditolak-di-dinas"),
])
def test_heading_anchors_match_github(heading, anchor):
    from desktop.bantuan import slug

    assert slug(heading) == anchor
