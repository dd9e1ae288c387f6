"""package (field install) and dinas import/status/recap (Dinas install)."""
from __future__ import annotations

from desktop.cli.context import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, error


def register(sub, common) -> None:
    p = sub.add_parser("package", parents=[common], help="tulis paket sinkron satu bulan ke folder (mis. flashdisk)")
    p.add_argument("--period", required=True, metavar="YYYY-MM", help="bulan paket, mis. 2025-12")
    p.add_argument("--out", required=True, metavar="DIR", help="folder tujuan")
    p.set_defaults(func=cmd_package)

    dinas = sub.add_parser("dinas", help="perintah basis data Dinas: impor paket, kelengkapan, rekap gabungan")
    dsub = dinas.add_subparsers(dest="dinas_command", metavar="PERINTAH", title="perintah Dinas")
    dsub.required = True

    p = dsub.add_parser("import", parents=[common], help="impor paket kelurahan (berkas atau folder)")
    p.add_argument("files", nargs="+", metavar="FILE", help="berkas .kesos, atau folder berisi berkas .kesos")
    p.set_defaults(func=cmd_dinas_import)

    p = dsub.add_parser("status", parents=[common], help="kelurahan yang sudah/belum mengirim paket satu bulan")
    p.add_argument("--period", required=True, metavar="YYYY-MM", help="bulan (atau YYYY untuk kisi setahun)")
    p.set_defaults(func=cmd_dinas_status)

    p = dsub.add_parser("recap", parents=[common], help="rekap gabungan kab/kota (xlsx)")
    p.add_argument("--period", required=True, metavar="YYYY-MM|YYYY")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--tanpa-bnba", action="store_true",
                   help="tanpa daftar nama penerima (BNBA); rekap sebulan kota jauh lebih cepat")
    p.set_defaults(func=cmd_dinas_recap)
    DINAS_SUBPARSERS.append(dsub)


# Other command modules (e.g. key export, issue 10) may add `dinas` sub-commands here.
DINAS_SUBPARSERS: list = []


def cmd_package(ctx, args) -> int:
    from db import sinkron

    db = ctx.open_db()
    res = sinkron.export_package(db, args.period, args.out)
    from db.ekspor_log import catat_ekspor

    catat_ekspor(db, "paket", res.path, sum(res.counts.values()))  # issue 10: personal data exported
    ctx.emit(
        {"path": str(res.path), "periode": res.periode, "urutan": res.urutan, "counts": res.counts,
         "sha256": res.sha256, "size": res.size},
        str(res.path),
    )
    return EXIT_OK


def cmd_dinas_import(ctx, args) -> int:
    from db import sinkron
    from db.errors import KnownError

    db = ctx.open_db()
    ctx.require_dinas()
    files = sinkron.expand_paths(args.files)
    if not files:
        raise KnownError("Tidak ada berkas paket (.kesos) di folder yang disebut.")
    outcomes = [sinkron.import_package(db, p) for p in files]
    refused = [o for o in outcomes if not o.ok]
    report = {
        "files": [o.as_dict() for o in outcomes],
        "diterima": sum(o.hasil == sinkron.DITERIMA for o in outcomes),
        "tidak_berubah": sum(o.hasil == sinkron.TIDAK_BERUBAH for o in outcomes),
        "ditolak": len(refused),
    }
    if refused and len(refused) == len(outcomes):
        error(f"Semua paket ditolak: {refused[0].nama_file}: {refused[0].alasan}")
    for o in refused[1:] if len(refused) == len(outcomes) else refused:
        error(f"{o.nama_file}: ditolak — {o.alasan}")
    lines = [o.line() for o in outcomes]
    lines.append(f"Diterima: {report['diterima']}, tidak berubah: {report['tidak_berubah']}, "
                 f"ditolak: {report['ditolak']}")
    ctx.emit(report, "\n".join(lines))
    if not refused:
        return EXIT_OK
    return EXIT_FAILED if len(refused) == len(outcomes) else EXIT_PARTIAL


def cmd_dinas_status(ctx, args) -> int:
    import re

    from db import dinas
    from db.indonesian import periode_label

    db = ctx.open_db()
    ctx.require_dinas()
    if re.fullmatch(r"\d{4}", args.period.strip()):
        grid = dinas.kelengkapan_tahun(db, int(args.period))
        mark = {"tepat_waktu": "v", "terlambat": "T", "belum": "x", "menunggu": ".", "akan_datang": " "}
        lines = [f"Kelengkapan paket tahun {grid['tahun']} (v tepat waktu, T terlambat, x belum, . menunggu)",
                 f"{'Kode':<14}{'Kelurahan/Desa':<24}" + "".join(f"{m[5:]:>3}" for m in grid["bulan"])]
        for r in grid["baris"]:
            lines.append(f"{r['kode']:<14}{r['nama'][:23]:<24}" + "".join(f"{mark[r['sel'][m]]:>3}" for m in grid["bulan"]))
        ctx.emit(grid, "\n".join(lines))
        return EXIT_OK
    k = dinas.kelengkapan_bulan(db, args.period)
    report = {
        "periode": k.periode, "batas": k.batas, "jumlah_wilayah": k.jumlah_wilayah, "mengirim": k.mengirim,
        "tepat_waktu": k.tepat_waktu, "terlambat": k.terlambat, "belum": k.belum, "persen": k.persen,
        "wilayah": k.baris,
        "belum_mengirim": [r["kode"] for r in k.baris if r["status"] not in ("tepat_waktu", "terlambat")],
    }
    from db.indonesian import persen, tanggal

    lines = [
        f"Kelengkapan paket {periode_label(k.periode)} (batas kirim {tanggal(k.batas)}): "
        f"{k.mengirim} dari {k.jumlah_wilayah} kelurahan/desa mengirim ({persen(k.persen or 0, 1)}), "
        f"{k.tepat_waktu} tepat waktu, {k.terlambat} terlambat, {k.belum} belum.",
        f"{'Kode':<14}{'Kelurahan/Desa':<24}{'Kecamatan':<22}{'Status':<27}{'Dikirim':<20}{'Urutan':>6}",
    ]
    for r in k.baris:
        sent = r["dikirim"].replace("T", " ")[:16] if r["dikirim"] else "-"
        lines.append(f"{r['kode']:<14}{r['nama'][:23]:<24}{(r['kecamatan_nama'] or '')[:21]:<22}"
                     f"{r['status_label']:<27}{sent:<20}{r['urutan'] or '-':>6}")
    ctx.emit(report, "\n".join(lines))
    return EXIT_OK


def cmd_dinas_recap(ctx, args) -> int:
    from pathlib import Path

    from exporters import dinas_recap

    db = ctx.open_db()
    ctx.require_dinas()
    path = dinas_recap.write_dinas_recap(db, args.period, Path(args.out), bnba=not args.tanpa_bnba)
    from db.ekspor_log import catat_ekspor

    catat_ekspor(db, "rekap_dinas", path, None)  # issue 10: duplicates are listed by name/NIK
    ctx.emit({"path": str(path)}, f"Rekap gabungan ditulis: {path}")
    return EXIT_OK
