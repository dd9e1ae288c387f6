"""Services and receipts (issue 4): one receipt, a 500-recipient distribution, its batch PDF, the list.

Data: a private copy of the generated ``kelurahan`` database (Pallima, ~2,000
people, ~8,000 services), so the writes of the distribution cases never touch
the cached file. Targets from the issue: one receipt < 150 ms; a 500-recipient
distribution saved < 1 s; its batch PDF < 15 s.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench import data
from bench.harness import Case, Result

os.environ.setdefault("KESOS_DATA_DIR", tempfile.mkdtemp(prefix="kesos-bench-"))

PERMAKANAN = "1.06.04.2.01.0001"


def _copy():
    from db.connection import open_database

    tmp = Path(tempfile.mkdtemp(prefix="kesos-bench-layanan-"))
    return open_database(data.copy_of("kelurahan", tmp / "kelurahan.db"))


def _one_service():
    db = _copy()
    row = db.execute("SELECT l.id FROM layanan l JOIN kuitansi k ON k.layanan_id = l.id "
                     "WHERE l.deleted_at IS NULL ORDER BY l.tanggal DESC LIMIT 1").fetchone()
    if row is None:  # generated data without receipts: record one
        from db import layanan
        from db.clock import today

        oid = db.execute("SELECT id FROM orang WHERE deleted_at IS NULL LIMIT 1").fetchone()[0]
        row = (layanan.catat_layanan(db, orang_id=oid, kode_layanan=PERMAKANAN, tanggal=today(),
                                     konfirmasi=True)["id"],)
    return db, row[0]


def _receipt(size):
    def run(arg):
        from exporters.receipt_pdf import pdf_kuitansi

        db, lid = arg
        data_ = pdf_kuitansi(db, [lid], size)
        return Result(note=f"{len(data_) // 1024} KB")

    return run


def _people(db, n=500):
    from db.clock import today

    day = today().isoformat()
    ids = [r[0] for r in db.execute(
        "SELECT id FROM orang WHERE deleted_at IS NULL AND (tanggal_lahir IS NULL OR tanggal_lahir <= ?) "
        "ORDER BY id LIMIT ?", [day, n])]
    if len(ids) < n:
        raise RuntimeError(f"only {len(ids)} people in the generated data")
    return ids


def _distribution_setup():
    db = _copy()
    return db, _people(db)


def save_distribution(arg) -> Result:
    from db import layanan
    from db.clock import today

    db, ids = arg
    hasil = layanan.catat_distribusi(db, ids, {"kode_layanan": PERMAKANAN, "tanggal": today(), "nilai": "50.000",
                                               "sumber_dana": "APBD_KOTA", "petugas": "Bench"}, konfirmasi=True)
    return Result(note=f"{len(hasil.layanan)} layanan, kuitansi {hasil.kuitansi[0]['nomor'][-5:]}"
                       f"–{hasil.kuitansi[-1]['nomor'][-5:]}")


def _batch_setup():
    from db import layanan
    from db.clock import today

    db = _copy()
    hasil = layanan.catat_distribusi(db, _people(db), {"kode_layanan": PERMAKANAN, "tanggal": today(),
                                                       "nilai": "50.000"}, konfirmasi=True)
    return db, hasil.layanan_ids


def _batch(size):
    def run(arg) -> Result:
        from exporters.receipt_pdf import pdf_kuitansi

        db, ids = arg
        out = pdf_kuitansi(db, ids, size)
        return Result(note=f"{len(ids)} halaman, {len(out) // 1024} KB")

    return run


def list_first_page(db) -> None:
    from db.layanan import daftar_layanan, hitung_layanan

    daftar_layanan(db, limit=200)
    hitung_layanan(db)


def list_month_filtered(db) -> None:
    from db.layanan import daftar_layanan, hitung_layanan

    daftar_layanan(db, periode="2025-12", sumber_dana="APBD_KOTA", limit=200)
    hitung_layanan(db, periode="2025-12", sumber_dana="APBD_KOTA")


def export_xlsx(db) -> Result:
    from exporters.layanan_xlsx import tulis_layanan_xlsx

    tmp = Path(tempfile.mkdtemp(prefix="kesos-bench-xlsx-"))
    tulis_layanan_xlsx(db, tmp / "l.xlsx", periode="2025")
    from db.layanan import hitung_layanan

    return Result(note=f"{hitung_layanan(db, periode='2025')} baris")


def _close(arg):
    db = arg[0] if isinstance(arg, tuple) else arg
    db.close()


CASES = [
    Case("Kuitansi satu layanan, A5", _receipt("a5"), size="kelurahan", setup=_one_service, teardown=_close,
         unit="ms", target="< 150 ms"),
    Case("Kuitansi satu layanan, A4", _receipt("a4"), size="kelurahan", setup=_one_service, teardown=_close,
         unit="ms", target="< 150 ms"),
    Case("Kuitansi satu layanan, gulungan 80 mm", _receipt("80mm"), size="kelurahan", setup=_one_service,
         teardown=_close, unit="ms", target="< 150 ms"),
    Case("Distribusi 500 penerima disimpan (satu transaksi, 500 kuitansi)", save_distribution, size="kelurahan",
         setup=_distribution_setup, teardown=_close, unit="ms", target="< 1 s"),
    Case("PDF kuitansi distribusi 500 penerima, A5", _batch("a5"), size="kelurahan", setup=_batch_setup,
         teardown=_close, unit="s", target="< 15 s", repeat=3),
    Case("PDF kuitansi distribusi 500 penerima, 80 mm", _batch("80mm"), size="kelurahan", setup=_batch_setup,
         teardown=_close, unit="s", target="< 15 s", repeat=3),
    Case("Daftar layanan, halaman pertama + jumlah", list_first_page, size="kelurahan", setup=_copy,
         teardown=_close, unit="ms", target="< 100 ms"),
    Case("Daftar layanan, Desember + sumber dana", list_month_filtered, size="kelurahan", setup=_copy,
         teardown=_close, unit="ms", target="< 100 ms"),
    Case("Ekspor Excel daftar layanan satu tahun", export_xlsx, size="kelurahan", setup=_copy, teardown=_close,
         unit="s", target="", repeat=3),
]
