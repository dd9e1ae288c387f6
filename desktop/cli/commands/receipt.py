"""receipt: the tanda terima of one service as PDF."""
from __future__ import annotations

from desktop.cli.context import EXIT_OK


def register(sub, common) -> None:
    p = sub.add_parser("receipt", parents=[common], help="kuitansi (tanda terima) satu layanan sebagai PDF")
    p.add_argument("layanan_id", metavar="LAYANAN_ID", help="id layanan (lihat 'kesos list layanan') atau nomor kuitansi")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="berkas PDF yang ditulis")
    p.add_argument("--size", choices=["a4", "a5", "80mm"], type=str.lower,
                   help="ukuran kertas (bawaan: pengaturan 'ukuran_kuitansi', mula-mula a5)")
    p.set_defaults(func=cmd_receipt)


def cmd_receipt(ctx, args) -> int:
    from db import kuitansi, layanan
    from db.errors import KnownError
    from exporters.receipt_pdf import tulis_kuitansi

    db = ctx.open_db()
    ref = args.layanan_id.strip()
    row = layanan.get_layanan(db, ref)
    if row is None and ref.upper().startswith("TT/"):
        lid = kuitansi.layanan_id_dari_nomor(db, ref)
        row = layanan.get_layanan(db, lid) if lid else None
    if row is None or row["deleted_at"]:
        raise KnownError(f"Layanan '{ref}' tidak ditemukan.")
    size = args.size or kuitansi.ukuran(db)
    before = kuitansi.kuitansi_of(db, row["id"])
    path = tulis_kuitansi(db, [row["id"]], args.out, size)
    from db.ekspor_log import catat_ekspor

    catat_ekspor(db, "kuitansi", path, 1)  # issue 10: personal data exported
    label = []
    if before and before["jumlah_cetak"]:
        label.append("SALINAN")
    if row["status"] == "batal":
        label.append("BATAL")
    extra = f" ({', '.join(label)})" if label else ""
    ctx.emit({"file": path, "nomor": row["nomor_kuitansi"], "layanan_id": row["id"], "ukuran": size,
              "salinan": bool(before and before["jumlah_cetak"]), "batal": row["status"] == "batal"},
             f"Kuitansi {row['nomor_kuitansi']}{extra} ditulis: {path}")
    return EXIT_OK
