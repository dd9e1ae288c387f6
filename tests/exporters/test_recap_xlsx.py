"""The monthly recap workbook, read back with openpyxl: the numbers are the engine's, the layout an office's."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook

from db import indikator as ik
from db import records
from db.errors import KnownError
from exporters.recap_xlsx import tulis_rekap
from tests.db import rekap_fixture as F

SHEETS = ["Sampul", "Indikator", "PPKS", "Keluaran", "Sumber Dana", "Bencana", "Bencana per Jenis", "PSKS",
          "Kegiatan PSKS", "Peserta Kegiatan", "BNBA", "Pengesahan"]
KODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@pytest.fixture
def book(db, tmp_path):
    F.build(db)
    ik.set_target(db, 2025, "PPKS_TERTANGANI", F.A, 90)
    ik.set_target(db, 2025, "OUT_1.06.04.2.01.0003", F.A, 4)
    # a name that would be a formula if written naively
    evil = records.insert(db, "orang", {"nama": '=HYPERLINK("http://x","klik")', "kode_wilayah": F.A,
                                        "nik": "6171035512800099"})["id"]
    records.insert(db, "layanan", {"orang_id": evil, "kode_layanan": "1.06.04.2.02.0001", "tanggal": "2025-12-28",
                                   "jumlah": 1, "satuan": "orang", "nilai": 0})
    path = tmp_path / "rekap-2025-12.xlsx"
    data = tulis_rekap(db, "2025-12", path, tanggal=dt.date(2025, 12, 31))
    return load_workbook(path), data, db


def table(ws):
    """(header row number, {header: column index}, data rows as lists)."""
    for row in ws.iter_rows(min_row=1, max_row=12):
        if row[0].value in ("Kode Wilayah", "Kode"):
            h = row[0].row
            headers = {c.value: i for i, c in enumerate(row) if c.value}
            data = [list(r) for r in ws.iter_rows(min_row=h + 1) if any(c.value is not None for c in r)]
            return h, headers, data
    raise AssertionError(f"no header row in {ws.title}")


def test_sheets_and_office_layout(book):
    wb, data, _ = book
    assert wb.sheetnames == SHEETS
    for name in SHEETS[:-1]:
        ws = wb[name]
        h, headers, rows = table(ws)
        assert ws.cell(row=1, column=1).font.bold and ws.cell(row=1, column=1).value.isupper()
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9 = A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows.replace("$", "") == f"{h}:{h}"
        assert all(ws.cell(row=h, column=c + 1).border.bottom.style == "thin" for c in range(len(headers)))
        for r in rows:
            if r[0].value is not None:
                assert KODE_RE.match(r[0].value), (name, r[0].value)
                assert r[0].data_type == "s"
        for r in ws.iter_rows():
            for c in r:
                assert c.data_type != "f", (name, c.coordinate)
                if isinstance(c.value, (int, float)) and c.number_format != "General":
                    assert c.number_format.startswith("[$-421]"), (name, c.coordinate, c.number_format)
    ind = wb["Indikator"]
    assert ind.page_setup.orientation == "landscape"
    assert "Pallima (61.71.03.1001)" in ind["A2"].value and ind["A3"].value == "Periode: Desember 2025"


def test_indicator_summary_equals_the_engine(book):
    wb, data, db = book
    _, col, rows = table(wb["Indikator"])
    month = ik.hitung_indikator(db, "2025-12", F.A)
    ytd = ik.hitung_indikator(db, ik.Periode.dari("2025-12").tahun_berjalan(), F.A)
    got = {r[col["Kode Indikator"]].value: r for r in rows}
    assert list(got) == ["PPKS_TERTANGANI", "SPM_DISABILITAS", "SPM_ANAK", "SPM_LANSIA", "SPM_GEPENG", "SPM_BENCANA",
                         "PSKS_DIBINA", "KPM_BANSOS"]
    for ident, r in got.items():
        v = lambda name: r[col[name]].value  # noqa: E731
        assert (v("Pembilang Bulan Ini"), v("Penyebut Bulan Ini")) == (month[ident].numerator, month[ident].denominator)
        assert v("Nilai Bulan Ini (%)") == pytest.approx(month[ident].nilai)
        assert (v("Pembilang s.d. Bulan Ini"), v("Penyebut s.d. Bulan Ini")) == (ytd[ident].numerator, ytd[ident].denominator)
        assert v("Nilai s.d. Bulan Ini (%)") == pytest.approx(ytd[ident].nilai)
        assert r[col["Nilai Bulan Ini (%)"]].number_format == "[$-421]0.00"
    # hand-checked values (tests/db/test_indikator_fixture.py) with the 28/12 service of the extra person
    t = got["PPKS_TERTANGANI"]
    assert (t[col["Pembilang Bulan Ini"]].value, t[col["Penyebut Bulan Ini"]].value) == (15, 21)
    assert t[col["Target Tahunan"]].value == 90
    assert t[col["Capaian (%)"]].value == pytest.approx(17 / 22 * 100 / 90 * 100)
    assert t[col["Predikat"]].value == "Sangat Berhasil"
    assert got["KPM_BANSOS"][col["Target Tahunan"]].value is None


def test_ppks_outputs_and_funding_equal_the_engine(book):
    wb, data, db = book
    _, col, rows = table(wb["PPKS"])
    by = {r[col["Kode Kategori"]].value: r for r in rows}
    expected = {r["kode"]: r for r in ik.ppks_per_kategori(db, "2025-12", F.A)}
    for kode, r in by.items():
        e = expected[kode]
        assert [r[col[h]].value for h in ("Terdaftar L", "Terdaftar P", "Terdaftar Jumlah", "Baru Bulan Ini",
                                          "Dilayani Bulan Ini", "Dilayani s.d. Bulan Ini")] == \
               [e["L"], e["P"], e["jumlah"], e["baru"], e["dilayani"], e["dilayani_ytd"]]
    total = by[None]
    assert total[col["Kategori PPKS"]].value.startswith("Jumlah") and total[0].font.bold
    assert total[col["Terdaftar Jumlah"]].value == 20

    _, col, rows = table(wb["Keluaran"])
    month = ik.hitung_indikator(db, "2025-12", F.A)
    by = {r[col["Kode Sub Kegiatan"]].value: r for r in rows}
    assert len(by) == 43
    for ident, h in month.items():
        if h.jenis != "keluaran":
            continue
        r = by[h.kode_layanan]
        assert r[col["Penerima Bulan Ini"]].value == h.numerator
        if "nilai" in h.ukuran:
            assert r[col["Nilai (Rp)"]].value == h.ukuran["nilai"]
            assert r[col["Jumlah Layanan"]].value == h.ukuran["jumlah_layanan"]
    perm = by["1.06.04.2.01.0001"]
    # 2 people, 3 services, 6 paket (+1 kali, in the note), Rp 350.000
    assert [perm[col[h]].value for h in ("Penerima Bulan Ini", "Jumlah Layanan", "Kuantitas", "Satuan", "Nilai (Rp)")] == \
           [2, 3, 6, "Paket", 350000]
    assert perm[col["Keterangan"]].value == "juga 1 kali"
    assert perm[col["Nilai (Rp)"]].number_format == '[$-421]"Rp" #,##0'
    alat = by["1.06.04.2.01.0003"]
    assert (alat[col["Target Tahunan"]].value, alat[col["Capaian (%)"]].value) == (4, 50)
    assert by["1.06.02.2.03.0001"][col["Jumlah Layanan"]].value == 1  # one PSM training

    _, col, rows = table(wb["Sumber Dana"])
    per = {}
    for r in rows:
        per.setdefault(r[col["Kode Sub Kegiatan"]].value, {})[r[col["Kode Sumber Dana"]].value] = r[col["Nilai (Rp)"]].value
    assert per["1.06.04.2.01.0001"] == {"APBD_KOTA": 200000, "APBN": 150000}
    for kode, sources in per.items():
        assert sum(sources.values()) == month[f"OUT_{kode}"].ukuran["nilai"]


def test_disasters_psks_events_and_bnba(book):
    wb, data, db = book
    _, col, rows = table(wb["Bencana"])
    [e1] = rows
    assert e1[col["Kode Kejadian"]].value == "KBR-01"
    assert e1[col["Tanggal Kejadian"]].value == dt.datetime(2025, 12, 8)
    assert e1[col["Tanggal Kejadian"]].number_format == "[$-421]dd/mm/yyyy"
    assert (e1[col["Korban Terdaftar"]].value, e1[col["Korban Dilayani dalam Masa Tanggap"]].value) == (4, 1)
    assert e1[col["Layanan Penyediaan Makanan"]].value == 1
    _, col, rows = table(wb["Bencana per Jenis"])
    assert [(r[col["Kode Jenis"]].value, r[col["Kejadian"]].value) for r in rows] == [("kebakaran_permukiman", 1)]
    _, col, rows = table(wb["PSKS"])
    total = rows[-1]
    assert [total[col[h]].value for h in ("Terdaftar Aktif", "Dibina Bulan Ini", "Dibina s.d. Bulan Ini")] == [4, 2, 4]
    _, col, rows = table(wb["Kegiatan PSKS"])
    assert [(r[col["Kode Kegiatan"]].value, r[col["Peserta Hadir"]].value, r[col["Hadir dari Wilayah Ini"]].value)
            for r in rows] == [("G1", 3, 2), ("G3", 1, 1)]
    _, col, rows = table(wb["Peserta Kegiatan"])
    assert len(rows) == 5 and {r[col["Hadir"]].value for r in rows} == {"Ya", "Tidak"}
    _, col, rows = table(wb["BNBA"])
    assert len(rows) == 19  # the 18 of the fixture + the extra person
    niks = [r[col["NIK"]] for r in rows if r[col["NIK"]].value]
    assert all(c.data_type == "s" and c.number_format == "@" and len(c.value) == 16 for c in niks)
    assert rows[0][col["NIK"]].value == F.nik(20)  # P20 on 02/12 comes first
    nama = {r[col["Nama"]].value: r for r in rows}
    evil = nama['=HYPERLINK("http://x","klik")'][col["Nama"]]
    assert evil.data_type == "s"
    assert "NIK belum ada (TMP-P21)" in nama["Orang P21"][col["Keterangan"]].value
    assert nama[f"(KK {F.KK1})"][col["No KK"]].value == F.KK1


def test_header_and_signature_block(book):
    wb, data, db = book
    ws = wb["Sampul"]
    _, col, rows = table(ws)
    area = [(r[0].value, r[2].value) for r in rows if r[0].value]
    assert area == [("61", "Kalimantan Barat"), ("61.71", "Kota Pontianak"), ("61.71.03", "Pontianak Barat"),
                    ("61.71.03.1001", "Pallima")]
    info = {r[1].value: r[2].value for r in rows}
    assert info["Periode"] == "Desember 2025" and info["Kode Periode"] == "202512"
    assert info["Pelapor"] == "Siti Aminah" and info["Lurah"] == "Budi Santoso"
    assert info["Tanggal Rekap"] == dt.datetime(2025, 12, 31) and info["Status Bulan"] == "Belum ditutup"
    text = [c.value for r in wb["Pengesahan"].iter_rows() for c in r if c.value is not None]
    for expected in ("Mengetahui,", "Lurah Pallima", "( Budi Santoso )", "Pelapor,", "PSM Kelurahan Pallima",
                     "( Siti Aminah )", "Pontianak,"):
        assert expected in text, expected
    assert dt.datetime(2025, 12, 31) in text


def test_kecamatan_recap_uses_the_same_writers(db, tmp_path):
    F.build(db)
    path = tmp_path / "kec.xlsx"
    tulis_rekap(db, "2025-12", path, wilayah=F.K, tanggal=dt.date(2025, 12, 31))
    wb = load_workbook(path)
    _, col, rows = table(wb["Indikator"])
    got = {r[col["Kode Indikator"]].value: (r[col["Pembilang Bulan Ini"]].value, r[col["Penyebut Bulan Ini"]].value)
           for r in rows}
    assert got["PPKS_TERTANGANI"] == (16, 22) and got["SPM_BENCANA"] == (2, 5)
    assert all(r[0].value == "61.71.03" for r in rows)
    assert wb["Indikator"]["A2"].value.startswith("Kecamatan Pontianak Barat (61.71.03)")
    text = [c.value for r in wb["Pengesahan"].iter_rows() for c in r if c.value]
    assert "Camat Pontianak Barat" in text
    # events: each row carries its own kelurahan
    _, col, rows = table(wb["Bencana"])
    assert [r[0].value for r in rows] == [F.A, F.B]


def test_file_problems_are_reported_in_indonesian(db, tmp_path):
    with pytest.raises(KnownError, match="xlsx"):
        tulis_rekap(db, "2025-12", tmp_path / "rekap.pdf")
    with pytest.raises(KnownError, match="tidak ada"):
        tulis_rekap(db, "2025-12", tmp_path / "tidak" / "rekap.xlsx")
    assert not list(tmp_path.glob("rekap*"))
