"""recap, datavalues, tutup-bulan, buka-bulan: the month's report and its lock."""
from __future__ import annotations

import argparse
import re

from desktop.cli.context import EXIT_OK


def _bulan(text: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise argparse.ArgumentTypeError(f"'{text}' bukan bulan YYYY-MM (mis. 2025-12)")
    return f"{m[1]}-{int(m[2]):02d}"


def _bulan_atau_tahun(text: str) -> str:
    if re.fullmatch(r"\d{4}", (text or "").strip()):
        return text.strip()
    try:
        return _bulan(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"'{text}' bukan periode YYYY-MM atau YYYY") from None


def register(sub, common) -> None:
    p = sub.add_parser("recap", parents=[common], help="rekap bulanan kelurahan (xlsx, DOMAIN §9)")
    p.add_argument("--period", required=True, type=_bulan, metavar="YYYY-MM", help="bulan yang direkap")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="berkas rekap yang ditulis")
    p.add_argument("--wilayah", metavar="KODE", help="kode wilayah (bawaan: wilayah instalasi)")
    p.set_defaults(func=cmd_recap)

    p = sub.add_parser("datavalues", parents=[common],
                       help="agregat dalam format CSV dataValueSets DHIS2 (DOMAIN §8)")
    p.add_argument("--period", required=True, type=_bulan_atau_tahun, metavar="YYYY-MM|YYYY")
    p.add_argument("--out", required=True, metavar="FILE.csv")
    p.set_defaults(func=cmd_datavalues)

    p = sub.add_parser("tutup-bulan", parents=[common],
                       help="tutup (kunci) data satu bulan setelah dilaporkan")
    p.add_argument("--period", required=True, type=_bulan, metavar="YYYY-MM")
    p.add_argument("--alasan", default="Rekap bulanan dilaporkan", metavar="TEKS")
    p.set_defaults(func=cmd_tutup)

    p = sub.add_parser("buka-bulan", parents=[common], help="buka kembali bulan yang sudah ditutup (wajib alasan)")
    p.add_argument("--period", required=True, type=_bulan, metavar="YYYY-MM")
    p.add_argument("--alasan", required=True, metavar="TEKS")
    p.set_defaults(func=cmd_buka)


def cmd_recap(ctx, args) -> int:
    from db.indonesian import angka, persen
    from exporters.recap_xlsx import tulis_rekap

    db = ctx.open_db()
    data = tulis_rekap(db, args.period, args.out, wilayah=args.wilayah)
    from db.ekspor_log import catat_ekspor

    catat_ekspor(db, "rekap", args.out, None)  # issue 10: the recap lists people by name (BNBA)
    lines = [f"Rekap {data.periode.label} {data.nama_wilayah} ({data.kode_wilayah}) ditulis: {args.out}"]
    for ident in data.persentase:
        b, y = data.bulan[ident], data.ytd[ident]
        lines.append(f"  {ident:<16} bulan ini {angka(b.numerator)}/{angka(b.denominator)} = {persen(b.nilai)}"
                     f"   s.d. bulan ini {angka(y.numerator)}/{angka(y.denominator)} = {persen(y.nilai)}")
    report = {
        "file": str(args.out), "periode": data.periode.teks, "kode_wilayah": data.kode_wilayah,
        "indikator": {i: {"bulan": {"numerator": data.bulan[i].numerator, "denominator": data.bulan[i].denominator,
                                    "nilai": data.bulan[i].nilai},
                          "tahun_berjalan": {"numerator": data.ytd[i].numerator,
                                             "denominator": data.ytd[i].denominator, "nilai": data.ytd[i].nilai}}
                      for i in data.persentase},
        "bnba": len(data.bnba),
    }
    ctx.emit(report, "\n".join(lines))
    return EXIT_OK


def cmd_datavalues(ctx, args) -> int:
    from exporters.datavalues import tulis_datavalues

    report = tulis_datavalues(ctx.open_db(), args.period, args.out)
    ctx.emit(report, f"Data values periode {report['period']} ditulis: {report['file']} "
                     f"({report['rows']} baris, {report['orgunits']} wilayah)")
    return EXIT_OK


def cmd_tutup(ctx, args) -> int:
    from db.indonesian import periode_label, tanggal_panjang
    from db.periode import tutup_bulan

    st = tutup_bulan(ctx.open_db(), args.period, args.alasan)
    ctx.emit(st, f"Bulan {periode_label(st['periode'])} ditutup pada {tanggal_panjang(st['ditutup_at'][:10])}: "
                 f"{st['alasan']}. Data bulan itu tidak dapat diubah lagi.")
    return EXIT_OK


def cmd_buka(ctx, args) -> int:
    from db.indonesian import periode_label
    from db.periode import buka_kembali

    st = buka_kembali(ctx.open_db(), args.period, args.alasan)
    ctx.emit(st, f"Bulan {periode_label(st['periode'])} dibuka kembali ({st['alasan_buka']}); "
                 f"paket berikutnya bulan itu: revisi {st['urutan_paket'] + 1}.")
    return EXIT_OK
