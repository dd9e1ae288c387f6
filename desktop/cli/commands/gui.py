"""`kesos gui`: open the desktop application on the same database."""
from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser("gui", help="buka aplikasi desktop")
    p.add_argument("--demo", action="store_true", help="centang 'coba dengan data contoh' pada wizard")
    p.add_argument("--exit-when-shown", action="store_true", help="(uji) keluar setelah jendela pertama tampil")
    p.set_defaults(func=cmd_gui)


def cmd_gui(ctx, args) -> int:
    from desktop.app import main

    argv = ["--db", str(ctx.db_path)]
    if args.demo:
        argv.append("--demo")
    if args.exit_when_shown:
        argv.append("--exit-when-shown")
    return main(argv)
