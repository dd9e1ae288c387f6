"""demo: fill an empty kelurahan database with realistic demo data."""
from __future__ import annotations

from desktop.cli.context import EXIT_OK


def register(sub, common) -> None:
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="isi basis data kosong dengan data contoh kelurahan instalasi ini (12 bulan terakhir)",
        description=(
            "Mengisi basis data kelurahan yang masih kosong dengan data contoh yang realistis: sekitar "
            "2.000 PPKS, layanan bulan ini dan 11 bulan sebelumnya, satu kejadian bencana terbaru, PSKS "
            "dan kegiatannya, serta tanda terima. Ditolak bila basis data sudah berisi data atau milik Dinas."
        ),
    )
    p.add_argument("--seed", type=int, default=None, metavar="N", help="benih acak (bawaan: tetap, hasil selalu sama)")
    p.set_defaults(func=cmd_demo)


def cmd_demo(ctx, args) -> int:
    from db.demo import fill_demo
    from db.indonesian import angka, tanggal

    db = ctx.open_db()
    kwargs = {"seed": args.seed} if args.seed is not None else {}
    report = fill_demo(db, **kwargs)
    lines = [
        f"Data contoh diisi: {report['kode_wilayah']} {report['nama_wilayah']}",
        f"Periode layanan: {tanggal(report['dari'])} s.d. {tanggal(report['sampai'])}",
        "Jumlah data:",
    ]
    rows = list(report["counts"].items()) + list(report["lainnya"].items())
    width = max(len(k) for k, _ in rows)
    lines += [f"  {k:<{width}} {angka(v):>9}" for k, v in rows]
    ctx.emit(report, "\n".join(lines))
    return EXIT_OK
