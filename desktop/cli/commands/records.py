"""template, import, list: the same three commands for every record kind."""
from __future__ import annotations

from desktop.cli.context import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, error

KINDS = ("ppks", "layanan", "bencana", "korban", "psks", "kegiatan")


def register(sub, common) -> None:
    p = sub.add_parser("template", parents=[common], help="buku kerja impor kosong untuk satu jenis data")
    p.add_argument("kind", choices=KINDS, metavar="JENIS", help="|".join(KINDS))
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", parents=[common], help="impor buku kerja (xlsx) atau CSV")
    p.add_argument("kind", choices=KINDS, metavar="JENIS", help="|".join(KINDS))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--errors", metavar="OUT.xlsx", help="laporan baris yang ditolak (bawaan: <FILE>-kesalahan.xlsx)")
    p.add_argument("--all-or-nothing", action="store_true", help="jangan impor apa pun bila ada baris yang salah")
    p.add_argument("--sheet", metavar="NAMA", help="nama lembar (bawaan: lembar pertama)")
    p.add_argument("--header-row", type=int, metavar="N", help="nomor baris judul (bawaan: dicari otomatis)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", parents=[common], help="daftar data satu jenis, satu per baris")
    p.add_argument("kind", choices=KINDS, metavar="JENIS", help="|".join(KINDS))
    p.add_argument("--period", metavar="YYYY-MM", help="hanya periode ini")
    p.set_defaults(func=cmd_list)


def cmd_template(ctx, args) -> int:
    from exporters.importer import get_spec, write_template

    spec = get_spec(args.kind)
    db = ctx.open_db()
    path = write_template(args.out, spec, db)
    ctx.emit({"template": path}, f"Templat {spec.title} ditulis: {path}")
    return EXIT_OK


def cmd_import(ctx, args) -> int:
    from pathlib import Path

    from exporters.importer import get_spec, read_for, run_import, write_error_report

    spec = get_spec(args.kind)
    db = ctx.open_db()
    table = read_for(spec, args.file, sheet=args.sheet, header_row=args.header_row)
    report = run_import(db, spec, table, all_or_nothing=args.all_or_nothing)
    if report.rejected:
        src = Path(args.file)
        target = Path(args.errors) if args.errors else src.with_name(f"{src.stem}-kesalahan.xlsx")
        write_error_report(target, table, report, spec)
        from db.ekspor_log import catat_ekspor

        catat_ekspor(db, "laporan_kesalahan", target, report.rejected)  # issue 10: personal data exported
        for problem in report.problems[:10]:
            error(problem.text())
        if len(report.problems) > 10:
            error(f"… dan {len(report.problems) - 10} kesalahan lain (lihat {report.errors_file})")
        if report.rolled_back:
            error("Tidak ada yang diimpor karena --all-or-nothing dan ada baris yang salah.")
    text = (f"Diimpor: {report.imported}, tidak berubah: {report.unchanged}, ditolak: {report.rejected}"
            + (f"\nLaporan kesalahan: {report.errors_file}" if report.errors_file else ""))
    ctx.emit(report.as_dict(), text)
    if not report.rejected:
        return EXIT_OK
    if report.rolled_back or (report.imported + report.unchanged) == 0:
        return EXIT_FAILED
    return EXIT_PARTIAL


def cmd_list(ctx, args) -> int:
    import json

    from exporters.importer import get_spec

    spec = get_spec(args.kind)
    db = ctx.open_db()
    if args.period:
        from db.parsing import parse_period

        try:
            parse_period(args.period)
        except ValueError as exc:
            from db.errors import KnownError

            raise KnownError(str(exc)) from exc
    names = [c.name for c in spec.columns]
    count = 0
    for row in spec.list_rows(db, period=args.period):
        count += 1
        if ctx.json:
            print(json.dumps(row, ensure_ascii=False, default=str))
        else:
            print("\t".join([str(row.get("id", ""))] + ["" if row.get(n) is None else str(row.get(n)) for n in names]))
    from db.ekspor_log import catat_ekspor

    catat_ekspor(db, f"cli_list:{args.kind}", None, count)  # issue 10: personal data exported (stdout)
    return EXIT_OK
