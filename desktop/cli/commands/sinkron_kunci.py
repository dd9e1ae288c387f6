"""Keys for sealed packages (issue 10): `import-dinas-key` and `dinas export-key` / `dinas buka-pemulihan`.

Named to sort after ``sinkron`` so that the `dinas` command group made there
exists when these sub-commands are added to it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.context import EXIT_OK


def register(sub, common) -> None:
    p = sub.add_parser("import-dinas-key", parents=[common],
                       help="ambil kunci publik Dinas; paket berikutnya disegel untuk Dinas")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--ganti", action="store_true", help="ganti kunci Dinas yang sudah ada (Dinas mengganti kuncinya)")
    p.set_defaults(func=cmd_import_dinas_key)

    dinas_sub = _dinas_subparsers(sub)
    p = dinas_sub.add_parser("export-key", parents=[common],
                             help="tulis kunci publik Dinas untuk diimpor oleh setiap kelurahan")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=cmd_dinas_export_key)
    p = dinas_sub.add_parser("buka-pemulihan", parents=[common],
                             help="buka berkas .pemulihan sebuah kelurahan: kode pemulihan untuk operatornya")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_dinas_buka_pemulihan)


def _dinas_subparsers(sub):
    """The `dinas` command group (made by commands/sinkron.py); made here if it is not there."""
    parser = sub.choices.get("dinas")
    if parser is None:
        parser = sub.add_parser("dinas", help="perintah basis data Dinas")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    group = parser.add_subparsers(dest="dinas_command", metavar="PERINTAH", title="perintah Dinas")
    group.required = True
    return group


def cmd_import_dinas_key(ctx, args) -> int:
    from db import kunci, sandi

    db = ctx.open_db()
    result = kunci.import_dinas_key(db, args.file, replace=args.ganti)
    recovery_file = sandi.write_recovery_file(db)
    status = {"baru": "Kunci Dinas diimpor.", "sama": "Kunci Dinas ini sudah dipakai; tidak ada yang berubah.",
              "diganti": "Kunci Dinas diganti."}[result["status"]]
    text = (f"{status}\nDinas: {result['nama_wilayah'] or ''} ({result['kode_wilayah']})\n"
            f"Sidik jari: {result['sidik_jari']}\n"
            "Cocokkan sidik jari ini dengan Dinas (mis. lewat telepon). Paket berikutnya disegel untuk Dinas.")
    if recovery_file:
        text += f"\nBerkas pemulihan tersegel untuk Dinas: {recovery_file}"
    ctx.emit({**result, "berkas_pemulihan": str(recovery_file) if recovery_file else None}, text)
    return EXIT_OK


def cmd_dinas_export_key(ctx, args) -> int:
    from db import kunci

    ctx.require_dinas()
    doc = kunci.export_dinas_key(ctx.open_db(), Path(args.out))
    ctx.emit({"out": str(args.out), "sidik_jari": doc["sidik_jari"], "kode_wilayah": doc["kode_wilayah"]},
             f"Kunci publik Dinas ditulis: {args.out}\nSidik jari: {doc['sidik_jari']}\n"
             "Bagikan berkas ini ke setiap kelurahan ('kesos import-dinas-key'). Berkas ini tidak rahasia.")
    return EXIT_OK


def cmd_dinas_buka_pemulihan(ctx, args) -> int:
    from db import sandi

    ctx.require_dinas()
    info = sandi.open_recovery_file(ctx.open_db(), Path(args.file))
    ctx.emit(info, f"Berkas pemulihan instalasi {info['install_id']} ({info['kode_wilayah']}, operator "
                   f"{info['operator']}, dibuat {info['dibuat']}).\nKode pemulihan: {info['kode_pemulihan']}\n"
                   "Serahkan kode ini hanya kepada operator itu sendiri (tatap muka atau telepon yang dikenal); "
                   "operator menjalankan 'kesos ganti-sandi --kode-pemulihan KODE'.")
    return EXIT_OK
