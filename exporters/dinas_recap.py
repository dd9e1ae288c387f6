"""The Dinas consolidated recap (``kesos dinas recap --period YYYY-MM|YYYY``), DOMAIN.md §9.

The same parts as the kelurahan recap (exporters/recap_xlsx.py, whose sheet
writers are reused), for the whole kab/kota with one block per area: the kab/
kota first, then each kecamatan followed by its kelurahan/desa (column A is
always the Kemendagri code, so the rows sort and VLOOKUP by area), plus:

- **Matriks SPM**: kecamatan → kelurahan × PPKS group (the shape of seed 002
  §3.6, "Rekapitulasi jumlah PPKS yang mendapatkan pelayanan"): the persons of
  each SPM group who received basic rehabilitation (the SPM_* numerators),
  year-to-date. A kecamatan row counts each person once, so it may differ from
  the sum of its kelurahan (a person served in two kelurahan; people recorded
  on the kecamatan without a kelurahan). "Jumlah" adds the four groups, as the
  offices print it.
- **Kelengkapan**: which kelurahan sent the month's package, when, on time or
  late (a year: the kelurahan × month grid).
- **Data Ganda**: one NIK registered by two installs, side by side.
- **Target dan Capaian**: the kab/kota's yearly targets, realisation
  (year-to-date), achievement and the verdict of the chosen rating scale.

Numbers come from the indicator engine (db/indikator.py): one context per
period (month, year-to-date) built per kelurahan gives every level (kelurahan,
kecamatan, kab/kota) in one pass (``hitung_bertingkat``). The per-category PPKS
table is computed for every level from the same tables (``_ppks_bertingkat``,
the grouped form of ``indikator.ppks_per_kategori``), and so is the by-name list. The by-name list (BNBA) is included for a
month (unless left out on request: for a kota month it is tens of thousands
of rows and most of the writing time); for a year it would run to hundreds of
thousands of rows and is left out (the monthly books carry it).
"""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Callable

from openpyxl import Workbook

from db import dinas, indikator as ik, reference
from db.clock import today
from db.errors import KnownError
from db.indonesian import tanggal_panjang
from db.install import get_install
from db.rekap import RekapData, tempat_ttd
from exporters import recap_xlsx as rx
from exporters.recap_xlsx import Kolom, tulis_tabel

Progress = Callable[[int, int, str], None]
LEVELS = (ik.PANJANG_TINGKAT[2], ik.PANJANG_TINGKAT[3], ik.PANJANG_TINGKAT[4])  # 5, 8, 13


# =========================================================================== data


def _ppks_bertingkat(db, periode: ik.Periode, kota: str, *, konteks: ik.Konteks | None = None,
                     konteks_ytd: ik.Konteks | None = None) -> dict[str, list[dict]]:
    """``ppks_per_kategori`` for the kab/kota, every kecamatan and every kelurahan at once.

    Built on the engine's own tables and "served" condition (``Konteks``,
    ``dilayani_sql``, ``tandai``) counted for every level in one pass
    (``distinct_bertingkat``), so the numbers are those of ``ppks_per_kategori``
    for each area (a test checks it). ``konteks``/``konteks_ytd``: open contexts
    of the period and its year-to-date (``ik.konteks_bertingkat``) to reuse.
    """
    cats = reference.ppks_kategori(db)
    d = reference.indikator(db, "PPKS_TERTANGANI") or {}
    part = {k: v for k, v in (d.get("numerator") or {}).items() if k in ik.LAYANAN_FILTERS}
    out: dict[str, dict] = {}

    def block(kode: str) -> dict:
        if kode not in out:
            out[kode] = {
                "rows": {c["kode"]: {"kode": c["kode"], "nama": c["nama"], "singkatan": c["singkatan"],
                                     "spm_kelompok": c["spm_kelompok"], "L": 0, "P": 0, "jumlah": 0, "baru": 0,
                                     "dilayani": 0, "dilayani_ytd": 0} for c in cats},
                "total": {"kode": None, "nama": "Jumlah (orang dihitung sekali)", "singkatan": None,
                          "spm_kelompok": None, "L": 0, "P": 0, "jumlah": 0, "baru": 0, "dilayani": 0,
                          "dilayani_ytd": 0},
            }
        return out[kode]

    def put(kode: str, kat, key: str, value) -> None:
        b = block(kode)
        target = b["total"] if kat is None else b["rows"].setdefault(kat, {
            "kode": kat, "nama": kat, "singkatan": None, "spm_kelompok": None, "L": 0, "P": 0, "jumlah": 0,
            "baru": 0, "dilayani": 0, "dilayani_ytd": 0})
        target[key] = int(value or 0)

    periods = [(periode, "dilayani", konteks)]
    if periode.jenis == "bulan":
        periods.append((periode.tahun_berjalan(), "dilayani_ytd", konteks_ytd))
    for ctx_periode, served_key, given in periods:
        k = given or ik.konteks_bertingkat(db, ctx_periode, kota)
        try:
            served, sparams = ik.dilayani_sql(k, part)
            # "Served" evaluated once per registration (the table PPKS_TERTANGANI counts from too)
            source, params = ik.tandai(k, served, sparams)
            if served_key == "dilayani_ytd":
                columns = {"dilayani_ytd": "CASE WHEN s THEN pk END"}
            else:
                source, params = k.simpan_tabel(
                    f"SELECT w, pk, kat, jk, s, (tutup IS NULL OR tutup > ?) AS akhir, tgl >= ? AS baru "
                    f"FROM {source}", [k.akhir, k.mulai, *params]), []
                columns = {"dilayani": "CASE WHEN s THEN pk END", "L": "CASE WHEN akhir AND jk = 'L' THEN pk END",
                           "P": "CASE WHEN akhir AND jk = 'P' THEN pk END", "jumlah": "CASE WHEN akhir THEN pk END",
                           "baru": "CASE WHEN baru THEN pk END"}
            for by_kat in (["kat"], []):
                counted = ik.distinct_bertingkat(k, source, params, by_kat, list(columns.values()), "pk")
                for (kode, *kat), values in counted.items():
                    for key, value in zip(columns, values):
                        put(kode, kat[0] if kat else None, key, value)
        finally:
            if given is None:
                k.close()
    if periode.jenis != "bulan":  # a year: "s.d. bulan ini" is the year itself
        for b in out.values():
            for r in [*b["rows"].values(), b["total"]]:
                r["dilayani_ytd"] = r["dilayani"]
    return {kode: list(b["rows"].values()) + [b["total"]] for kode, b in out.items()}


def spm_groups(db) -> list[dict]:
    """The SPM groups of PPKS persons (spm_kelompok.csv rows whose indicator counts served PPKS
    persons; disaster victims have their own table), in reporting order."""
    out = []
    for g in reference.spm_kelompok(db):
        d = reference.indikator(db, g["indikator"]) or {}
        if (d.get("numerator") or {}).get("hitung") == "orang_ppks_dilayani":
            out.append(g)
    return out


def _empty_ppks(db) -> list[dict]:
    rows = [{"kode": c["kode"], "nama": c["nama"], "singkatan": c["singkatan"], "spm_kelompok": c["spm_kelompok"],
             "L": 0, "P": 0, "jumlah": 0, "baru": 0, "dilayani": 0, "dilayani_ytd": 0}
            for c in reference.ppks_kategori(db)]
    return rows + [{"kode": None, "nama": "Jumlah (orang dihitung sekali)", "singkatan": None, "spm_kelompok": None,
                    "L": 0, "P": 0, "jumlah": 0, "baru": 0, "dilayani": 0, "dilayani_ytd": 0}]


class DinasRekap:
    """Everything the consolidated recap shows, computed once."""

    def __init__(self, db, periode, *, tanggal: _dt.date | None = None, progress: Progress | None = None,
                 bnba: bool = True):
        step = progress or (lambda *_: None)
        inst = get_install(db)
        if inst is None or not inst.is_dinas:
            raise KnownError("Rekap gabungan hanya dibuat di basis data Dinas (peran DINAS).")
        self.periode = ik.Periode.dari(periode)
        if self.periode.jenis not in ("bulan", "tahun"):
            raise KnownError("Periode rekap gabungan harus satu bulan (TTTT-BB) atau satu tahun (TTTT).")
        self.kota = inst.kode_wilayah
        self.path = reference.wilayah_path(db, self.kota)
        self.nama = self.path[-1]["nama"] if self.path else self.kota
        self.inst = inst
        self.tanggal = tanggal or today()
        self.kecamatan = [r for r in reference.children(db, self.kota) if r["tingkat"] == 3]
        self.kelurahan = {k["kode"]: [r for r in reference.children(db, k["kode"]) if r["tingkat"] == 4]
                          for k in self.kecamatan}
        names = {self.kota: self.nama}
        for k in self.kecamatan:
            names[k["kode"]] = k["nama"]
            for v in self.kelurahan[k["kode"]]:
                names[v["kode"]] = v["nama"]
        self.names = names
        # kab/kota, then each kecamatan followed by its kelurahan (= code order)
        self.areas = [self.kota] + [c for k in self.kecamatan for c in [k["kode"]] + [v["kode"] for v in
                                                                                     self.kelurahan[k["kode"]]]]
        ytd_periode = self.periode.tahun_berjalan() if self.periode.jenis == "bulan" else self.periode
        self.ytd_periode = ytd_periode
        total_steps = 7
        # One context per period, built per kelurahan and grouped for every level (db/indikator.py):
        # the indicators, the PPKS table and the by-name list share its tables.
        k_bulan = ik.konteks_bertingkat(db, self.periode, self.kota)
        k_ytd = k_bulan if ytd_periode == self.periode else ik.konteks_bertingkat(db, ytd_periode, self.kota)
        try:
            step(0, total_steps, "Menghitung indikator per wilayah (bulan)")
            self.bulan = ik.hitung_bertingkat(db, self.periode, self.kota, konteks=k_bulan)
            step(1, total_steps, "Menghitung indikator per wilayah (tahun berjalan)")
            self.ytd = self.bulan if k_ytd is k_bulan else ik.hitung_bertingkat(db, ytd_periode, self.kota,
                                                                               konteks=k_ytd)
            self.penilaian = ik.penilaian(db, self.ytd[self.kota], self.periode.akhir.year, self.kota)
            step(2, total_steps, "PPKS per kategori")
            self.ppks = _ppks_bertingkat(db, self.periode, self.kota, konteks=k_bulan, konteks_ytd=k_ytd)
            step(3, total_steps, "Bencana dan PSKS")
            self.bencana = ik.bencana_kejadian(db, self.periode, self.kota, konteks=k_bulan)
            self.psks = {kode: ik.psks_per_jenis(db, self.periode, kode) for kode in self.areas}
            self.kegiatan = ik.kegiatan_periode(db, self.periode, self.kota)
            step(4, total_steps, "Kelengkapan dan data ganda")
            if self.periode.jenis == "bulan":
                self.kelengkapan = dinas.kelengkapan_bulan(db, self.periode.teks)
                self.kelengkapan_tahun = None
            else:
                self.kelengkapan = None
                self.kelengkapan_tahun = dinas.kelengkapan_tahun(db, self.periode.mulai.year)
            self.duplikat = dinas.duplikat(db)
            self.target = dinas.penilaian(db, self.periode.teks, self.ytd[self.kota])
            self.skala = ik.skala_aktif(db)
            step(5, total_steps, "Daftar penerima (BNBA)")
            self.bnba = (ik.bnba(db, self.periode, self.kota, konteks=k_bulan.pada(len(self.kota)))
                         if bnba and self.periode.jenis == "bulan" else None)
        finally:
            k_bulan.close()
            k_ytd.close()
        self.satuan_nama = dict(reference.daftar(db, "satuan"))
        self.sumber_dana_nama = dict(reference.daftar(db, "sumber_dana"))
        self.layanan_ref = {r["kode"]: r for r in reference.layanan_list(db)}
        self.kategori = {c["kode"]: c["nama"] for c in reference.ppks_kategori(db)}
        self.spm = spm_groups(db)
        self.empty_ppks = _empty_ppks(db)
        self.steps_done = total_steps - 1  # the last step writes the book

    def tingkat(self, kode: str) -> str:
        return {5: "Kabupaten/Kota", 8: "Kecamatan", 13: "Kelurahan/Desa"}.get(len(kode), "")

    def judul(self, title: str) -> list[str]:
        return [title, rx.judul_wilayah(self.path), f"Periode: {self.periode.label}"]

    def sampul_data(self) -> RekapData:
        empty = {}
        return RekapData(
            periode=self.periode, kode_wilayah=self.kota, nama_wilayah=self.nama, path=self.path, peran="DINAS",
            pelapor=self.inst.operator_nama, pelapor_nomor=self.inst.operator_nomor, lurah=None,
            tanggal=self.tanggal, tempat=tempat_ttd(self.path), bulan=empty, ytd=empty, penilaian=empty, ppks=[],
            bencana=[], bencana_jenis=[], psks=[], kegiatan=[], bnba=[], status_bulan=None,
        )


# =========================================================================== sheets


def _sheet_sampul(ws, data: DinasRekap) -> None:
    rx.sheet_sampul(ws, data.sampul_data())
    # The kelurahan book's cover says "Lurah" and the month's closing: not a Dinas matter.
    for row in ws.iter_rows(min_row=1, max_col=3):
        if row[1].value == "Lurah":
            row[1].value, row[2].value = "Jumlah kecamatan / kelurahan-desa", (
                f"{len(data.kecamatan)} kecamatan, {sum(len(v) for v in data.kelurahan.values())} kelurahan/desa")
        elif row[1].value == "Status Bulan":
            k = data.kelengkapan
            if k is not None:
                row[2].value = (f"Paket diterima dari {k.mengirim} dari {k.jumlah_wilayah} kelurahan/desa "
                                f"({k.tepat_waktu} tepat waktu, {k.terlambat} terlambat, {k.belum} belum)")
            else:
                row[1].value, row[2].value = "Kelengkapan", "lihat lembar Kelengkapan"
        elif row[1].value == "Peran Pelapor":
            row[2].value = f"Dinas Sosial {data.nama}"
    ws["A1"].value = "REKAPITULASI GABUNGAN PELAYANAN KESEJAHTERAAN SOSIAL"


def _sheet_matriks(ws, data: DinasRekap) -> None:
    """Kecamatan → kelurahan × SPM group (seed 002 §3.6)."""
    ws.title = "Matriks SPM"
    rows, totals = [], []

    def values(kode: str) -> list:
        h = data.ytd.get(kode, {})
        vals = [int(h[g["indikator"]].numerator or 0) if g["indikator"] in h else 0 for g in data.spm]
        return vals + [sum(vals)]

    for no, kec in enumerate(data.kecamatan, start=1):
        totals.append(len(rows))
        rows.append([kec["kode"], no, kec["nama"], *values(kec["kode"])])
        for v in data.kelurahan[kec["kode"]]:
            rows.append([v["kode"], None, f"   {v['nama']}", *values(v["kode"])])
    totals.append(len(rows))
    rows.append([data.kota, None, f"Jumlah {data.nama}", *values(data.kota)])
    kolom = [Kolom("Kode Wilayah", 15, "kode"), Kolom("No", 5, "int"), Kolom("Kecamatan / Kelurahan", 30)]
    kolom += [Kolom(g["nama"], 14, "int") for g in data.spm]
    kolom.append(Kolom("Jumlah", 10, "int"))
    label = data.ytd_periode.label
    tulis_tabel(ws, data.judul("REKAPITULASI PPKS YANG MENDAPATKAN PELAYANAN (SPM BIDANG SOSIAL)"), kolom, rows,
                total=totals, landscape=False,
                catatan=[f"Orang per kelompok SPM yang menerima rehabilitasi sosial dasar, {label} "
                         "(pembilang indikator SPM_*).",
                         "Baris kecamatan menghitung setiap orang sekali (NIK): bisa berbeda dari jumlah baris "
                         "kelurahannya (orang dilayani di dua kelurahan, atau dicatat tanpa kelurahan).",
                         "Jumlah = penjumlahan keempat kelompok, seperti tabel laporan Dinas."])


def _sheet_kelengkapan(ws, data: DinasRekap) -> None:
    ws.title = "Kelengkapan"
    if data.kelengkapan is not None:
        k = data.kelengkapan
        rows = [[r["kode"], r["nama"], r["kecamatan_nama"], r["status_label"], r["dikirim"][:10] if r["dikirim"]
                 else None, (r["dikirim"] or "")[11:16] or None, r["diterima"][:10] if r["diterima"] else None,
                 r["urutan"]] for r in k.baris]
        tulis_tabel(ws, data.judul("KELENGKAPAN PENGIRIMAN PAKET KELURAHAN"), [
            Kolom("Kode Wilayah", 15, "kode"), Kolom("Kelurahan/Desa", 24), Kolom("Kecamatan", 22),
            Kolom("Status", 22), Kolom("Tanggal Dibuat/Dikirim", 12, "date"), Kolom("Jam", 7),
            Kolom("Tanggal Diimpor", 12, "date"), Kolom("Urutan Paket", 9, "int"),
        ], rows, landscape=False, catatan=[
            f"Batas kirim: {tanggal_panjang(k.batas)}. {k.mengirim} dari {k.jumlah_wilayah} kelurahan/desa "
            f"mengirim ({_pct(k.persen)}), {k.tepat_waktu} tepat waktu, {k.terlambat} terlambat, {k.belum} belum.",
            "Tepat waktu = paket dibuat paling lambat tanggal batas bulan berikutnya."])
        return
    grid = data.kelengkapan_tahun
    mark = {dinas.TEPAT_WAKTU: "Tepat", dinas.TERLAMBAT: "Terlambat", dinas.BELUM: "Belum",
            dinas.MENUNGGU: "Menunggu", dinas.AKAN_DATANG: None}
    from db.indonesian import nama_bulan

    rows = [[r["kode"], r["nama"], r["kecamatan_nama"], *[mark[r["sel"][p]] for p in grid["bulan"]],
             sum(1 for p in grid["bulan"] if r["sel"][p] in (dinas.TEPAT_WAKTU, dinas.TERLAMBAT))]
            for r in grid["baris"]]
    tulis_tabel(ws, data.judul("KELENGKAPAN PENGIRIMAN PAKET KELURAHAN (SETAHUN)"), [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kelurahan/Desa", 22), Kolom("Kecamatan", 20),
        *[Kolom(nama_bulan(m)[:3], 9) for m in range(1, 13)], Kolom("Bulan Terkirim", 9, "int"),
    ], rows, catatan=["Tepat = paket dibuat paling lambat tanggal batas bulan berikutnya; Menunggu = batas "
                      "belum lewat."])


def _pct(v) -> str:
    from db.indonesian import persen

    return persen(v or 0, 1)


def _sheet_duplikat(ws, data: DinasRekap) -> None:
    ws.title = "Data Ganda"
    rows = []
    for p in data.duplikat:
        a, b = p["a"], p["b"]
        rows.append([a["kode_wilayah"], p["dasar"], a["nik"], a["nama"], a["tanggal_lahir"], a["nama_wilayah"],
                     a["kategori"], a["jumlah_layanan"], b["kode_wilayah"], b["nama"], b["tanggal_lahir"],
                     b["nama_wilayah"], b["kategori"], b["jumlah_layanan"]])
    tulis_tabel(ws, data.judul("DATA GANDA: SATU ORANG TERDAFTAR DI DUA INSTALASI"), [
        Kolom("Kode Wilayah A", 15, "kode"), Kolom("Dasar", 12), Kolom("NIK", 19, "nik"), Kolom("Nama A", 22),
        Kolom("Tanggal Lahir A", 11, "date"), Kolom("Kelurahan A", 16), Kolom("Kategori PPKS A", 10),
        Kolom("Layanan A", 8, "int"), Kolom("Kode Wilayah B", 15, "kode"), Kolom("Nama B", 22),
        Kolom("Tanggal Lahir B", 11, "date"), Kolom("Kelurahan B", 16), Kolom("Kategori PPKS B", 10),
        Kolom("Layanan B", 8, "int"),
    ], rows, catatan=["Indikator kecamatan dan kab/kota menghitung orang dengan NIK yang sama satu kali. "
                      "Periksa, lalu hapus salah satu di laptop kelurahan bila memang orang yang sama."]
                     + ([] if rows else ["Tidak ada data ganda."]))


def _sheet_target(ws, data: DinasRekap) -> None:
    ws.title = "Target dan Capaian"
    rows = [[data.kota, r["id"], r["nama"], r["satuan"], "naik" if r["arah"] != "turun" else "turun",
             r["target"], r["realisasi"], r["capaian"], r["predikat"]] for r in data.target]
    skala = data.skala or {}
    pita = "; ".join(f"{b['teks']} {b['label']}" for b in skala.get("pita", []))
    tulis_tabel(ws, data.judul("TARGET, REALISASI, CAPAIAN DAN PREDIKAT"), [
        Kolom("Kode Wilayah", 15, "kode"), Kolom("Kode Indikator", 24, "kode"), Kolom("Indikator", 50),
        Kolom("Satuan", 8), Kolom("Arah", 7), Kolom("Target Tahunan", 11, "num"),
        Kolom(f"Realisasi {data.ytd_periode.label}", 13, "num"), Kolom("Capaian (%)", 10, "pct"),
        Kolom("Predikat", 16),
    ], rows, catatan=[
        "Capaian = realisasi / target x 100 (dibalik untuk indikator yang makin kecil makin baik).",
        f"Skala penilaian: {skala.get('nama', '-')}: {pita}."]
        + ([] if rows else ["Belum ada target untuk tahun ini (isi di halaman Dinas › Target & capaian)."]))


def isi_buku(wb: Workbook, data: DinasRekap) -> Workbook:
    kota = data.kota
    _sheet_sampul(wb.active, data)
    ids = [k for k, v in data.bulan[kota].items() if v.jenis == "persentase"]
    rows = []
    for kode in data.areas:
        rows += rx.baris_indikator(kode, data.bulan[kode], data.ytd[kode],
                                   data.penilaian if kode == kota else None, ids)
    rx.sheet_indikator(wb.create_sheet(), data.judul("RINGKASAN INDIKATOR PER WILAYAH"), rows)
    _sheet_matriks(wb.create_sheet(), data)
    rows, totals = [], []
    for kode in data.areas:
        r, t = rx.baris_ppks(kode, data.ppks.get(kode, data.empty_ppks))
        totals += [len(rows) + i for i in t]
        rows += r
    rx.sheet_ppks(wb.create_sheet(), data.judul("PPKS PER KATEGORI PER WILAYAH"), rows, totals)
    rows = []
    for kode in data.areas:
        rows += rx.baris_keluaran(kode, data.bulan[kode], data.ytd[kode], data.penilaian if kode == kota else None,
                                  data.layanan_ref, data.satuan_nama)
    rx.sheet_keluaran(wb.create_sheet(), data.judul("LAYANAN PER SUB KEGIATAN PER WILAYAH"), rows)
    rows = []
    for kode in data.areas:
        rows += rx.baris_sumber_dana(kode, data.bulan[kode], data.layanan_ref, data.satuan_nama,
                                     data.sumber_dana_nama)
    rx.sheet_sumber_dana(wb.create_sheet(), data.judul("LAYANAN PER SUMBER DANA PER WILAYAH"), rows)
    bk = rx._bencana_layanan_kolom(data.layanan_ref)
    rx.sheet_bencana(wb.create_sheet(), data.judul("KEJADIAN BENCANA"), rx.baris_bencana(data.bencana, bk),
                     data.layanan_ref)
    rows = []
    for kode in data.areas:
        events = [e for e in data.bencana if (e["kode_wilayah"] or "").startswith(kode)]
        rows += rx.baris_bencana_jenis(kode, ik.bencana_per_jenis(events), bk)
    rx.sheet_bencana_jenis(wb.create_sheet(), data.judul("BENCANA PER JENIS PER WILAYAH"), rows, data.layanan_ref)
    rows, totals = [], []
    for kode in data.areas:
        r, t = rx.baris_psks(kode, data.psks[kode])
        totals += [len(rows) + i for i in t]
        rows += r
    rx.sheet_psks(wb.create_sheet(), data.judul("PSKS PER JENIS PER WILAYAH"), rows, totals)
    rx.sheet_kegiatan(wb.create_sheet(), data.judul("KEGIATAN PSKS"), rx.baris_kegiatan(kota, data.kegiatan))
    rx.sheet_peserta(wb.create_sheet(), data.judul("PESERTA KEGIATAN PSKS"), rx.baris_peserta(data.kegiatan))
    _sheet_kelengkapan(wb.create_sheet(), data)
    _sheet_duplikat(wb.create_sheet(), data)
    _sheet_target(wb.create_sheet(), data)
    if data.bnba is not None:
        rx.sheet_bnba(wb.create_sheet(), data.judul("DAFTAR PENERIMA LAYANAN (BNBA)"),
                      rx.baris_bnba(data.bnba, data.satuan_nama, data.sumber_dana_nama))
    rx.sheet_pengesahan(wb.create_sheet(), data.judul("PENGESAHAN"), tempat=tempat_ttd(data.path),
                        tanggal=data.tanggal, kiri_jabatan=f"Kepala Dinas Sosial {data.nama}", kiri_nama=None,
                        kanan_jabatan=f"Operator Dinas Sosial {data.nama}", kanan_nama=data.inst.operator_nama,
                        kanan_nomor=data.inst.operator_nomor)
    wb.properties.title = f"Rekap gabungan {data.periode.label} {data.nama}"
    wb.properties.creator = "Kesos Lapangan"
    wb.properties.language = "id-ID"
    return wb


def write_dinas_recap(db, periode, path: str | os.PathLike, *, progress: Progress | None = None,
                      tanggal: _dt.date | None = None, bnba: bool = True) -> Path:
    """Compute and write the consolidated recap of ``periode`` (``YYYY-MM`` or ``YYYY``); returns the path.

    ``bnba=False`` leaves out the by-name list (a kota month holds tens of
    thousands of rows: most of the writing time)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise KnownError(f"Nama berkas rekap harus berakhiran .xlsx, bukan '{path.name}'.")
    if not path.parent.exists():
        raise KnownError(f"Folder {path.parent} tidak ada.")
    data = DinasRekap(db, periode, tanggal=tanggal, progress=progress, bnba=bnba)
    if progress:
        progress(data.steps_done, data.steps_done + 1, "Menulis buku kerja")
    wb = isi_buku(Workbook(), data)
    rx.simpan(wb, path)
    if progress:
        progress(data.steps_done + 1, data.steps_done + 1, "Selesai")
    return path
