"""Beranda dashboard: indicator cards, services chart, PPKS per category, what needs doing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import records
from tests.db import rekap_fixture as F


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-20")


@pytest.fixture
def window(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    F.build(db)
    w = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(w)
    w.show()
    return w


def test_indicator_cards_show_month_and_year_with_parts_on_hover(window):
    home = window.pages["beranda"]
    assert home.indikator_judul.text() == "Indikator Desember 2025 (dan tahun berjalan)"
    card = home.indicator_cards["PPKS_TERTANGANI"]
    assert card.judul.text() == "PPKS yang tertangani"
    assert card.nilai_bulan.text() == "71,43%"
    assert card.nilai_ytd.text() == "s.d. bulan ini: 77,27%"
    assert "Desember 2025: 15 dari 21 = 71,43%" in card.toolTip()
    assert "Tahun berjalan: 17 dari 22 = 77,27%" in card.toolTip()
    assert home.indicator_cards["SPM_LANSIA"].judul.text() == "SPM Lanjut usia terlantar"
    assert home.indicator_cards["SPM_BENCANA"].nilai_bulan.text() == "25,00%"
    assert list(home.indicator_cards) == ["PPKS_TERTANGANI", "SPM_DISABILITAS", "SPM_ANAK", "SPM_LANSIA", "SPM_GEPENG",
                                          "SPM_BENCANA", "PSKS_DIBINA", "KPM_BANSOS"]
    assert home.findChild(type(card), "indikator_KPM_BANSOS") is home.indicator_cards["KPM_BANSOS"]


def test_chart_ppks_table_and_todo(window):
    home = window.pages["beranda"]
    items = home.chart.items()
    assert len(items) == 12 and items[0] == ("Jan 25", 0)
    assert items[-3:] == [("Okt 25", 2), ("Nov 25", 2), ("Des 25", 18)]
    last = home.chart.bar_rects()[-1]
    assert last.height() > home.chart.bar_rects()[-2].height() > 0
    assert home.chart.tooltip_at(last.center()) == "Desember 2025: 18 layanan"
    assert "Des 25: 18" in home.chart.accessibleDescription()
    rows = {r["kode"]: r for r in home.ppks_model.rows}
    assert (rows["8"]["nama"], rows["8"]["jumlah"], rows["8"]["dilayani"]) == ("Lanjut Usia Terlantar", 5, 4)
    assert rows["9a"]["nama"] == "Orang dengan Gangguan Jiwa (ODGJ)"
    assert "3" not in rows  # categories without anyone are left out
    todo = [home.todo.item(i).text() for i in range(home.todo.count())]
    assert todo[0].startswith("• 3 korban kebakaran permukiman 08/12/2025 (KBR-01) belum menerima layanan")
    assert any("PPKS aktif belum menerima layanan selama 90 hari" in t for t in todo)
    assert any("Rekap November 2025 belum dilaporkan" in t for t in todo)
    assert home.todo.item(0).toolTip() == "Orang P28, Orang P29, Orang P30"


def test_dashboard_follows_new_records(window, qtbot, db):
    home = window.pages["beranda"]
    records.insert(db, "layanan", {"orang_id": F_ID(db, "Orang P09"), "kode_layanan": "1.06.04.2.01.0001",
                                   "tanggal": "2025-12-18", "jumlah": 1, "satuan": "paket", "nilai": 50000})
    window.ctx.changed("layanan")
    assert home.count_labels["layanan"].text() == "29"  # counts at once (28 living in the fixture + 1)
    # P09 served: 16 of 21
    qtbot.waitUntil(lambda: home.indicator_cards["PPKS_TERTANGANI"].nilai_bulan.text() == "76,19%", timeout=3000)
    assert home.chart.items()[-1] == ("Des 25", 19)


def test_closing_november_clears_its_reminder(window, db):
    from db.periode import tutup_bulan

    home = window.pages["beranda"]
    tutup_bulan(db, "2025-11", "Rekap diserahkan")
    window.ctx.changed("periode")
    home.refresh_stats()
    todo = [home.todo.item(i).text() for i in range(home.todo.count())]
    assert not any("November 2025" in t for t in todo)


def test_dinas_computes_the_kota_only_on_request(qtbot, dinas_db, tmp_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    F.build(dinas_db)
    w = MainWindow(AppContext(dinas_db, tmp_path / "dinas.db"))
    qtbot.addWidget(w)
    w.show()
    home = w.pages["beranda"]
    assert home.indicator_cards == {} and "tekan Perbarui" in home.indikator_judul.text()
    assert home.count_labels["orang"].text() == "31"
    qtbot.mouseClick(home.perbarui, Qt.LeftButton)
    # the whole kota: everything of the fixture is in 61.71.03
    assert home.indicator_cards["PPKS_TERTANGANI"].nilai_bulan.text() == "72,73%"  # 16 / 22
    assert "rekap" not in w.pages  # the Dinas has its own consolidated recap


def F_ID(db, nama):  # noqa: N802 - helper
    return db.execute("SELECT id FROM orang WHERE nama = ?", [nama]).fetchone()[0]


def test_at_start_counts_come_first_and_the_dashboard_after_the_paint(qtbot, db, db_path):
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    F.build(db)
    ctx = AppContext(db.conn, db_path, starting=True)  # the fast start's plain connection
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    home = w.pages["beranda"]
    living = db.execute("SELECT count(*) FROM layanan WHERE deleted_at IS NULL").fetchone()[0]
    assert home.count_labels["layanan"].text() == str(living)
    assert not home.indicator_cards  # not computed yet
    ctx.finish_start()
    assert home.indicator_cards
    assert home.indikator_judul.text() == "Indikator Desember 2025 (dan tahun berjalan)"
