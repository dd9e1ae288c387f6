"""Entry point of `kesos`.

Commands live in ``desktop/cli/commands/<name>.py``; each module exposes
``register(subparsers, common)`` and sets ``func(ctx, args) -> exit code`` on
its parsers. Modules import heavy libraries inside their handlers so that
`kesos info` starts fast.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sqlite3
import sys
from pathlib import Path

from desktop.cli import argparse_id
from desktop.cli.context import EXIT_FAILED, EXIT_USAGE, Context, error


def build_parser() -> argparse.ArgumentParser:
    argparse_id.install()
    from db.version import APP_VERSION

    parser = argparse.ArgumentParser(
        prog="kesos",
        description="Kesos Lapangan: pendataan dan pelayanan kesejahteraan sosial (baris perintah).",
    )
    parser.add_argument("--version", action="version", version=f"Kesos Lapangan {APP_VERSION}",
                        help="tampilkan versi program lalu keluar")
    parser.add_argument("--db", metavar="PATH", help="berkas basis data (bawaan: basis data di folder data pengguna)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="laporan sebagai satu objek JSON")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", title="perintah")
    sub.required = True
    from desktop.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"desktop.cli.commands.{info.name}")
        module.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    from db.paths import default_database
    from db.sandi import forget_open_keys

    forget_open_keys()  # every command unlocks the database itself (env or terminal), as a new process would

    ctx = Context(db_path=Path(args.db) if args.db else default_database(), json=getattr(args, "json", False))
    from db.errors import KnownError

    try:
        return int(args.func(ctx, args) or 0)
    except KnownError as exc:
        error(exc.pesan)
        return EXIT_FAILED
    except (OSError, sqlite3.Error) as exc:  # disk full, read-only folder...: a message, not a traceback
        from db.gangguan import known_error

        known = known_error(exc)
        if known is None:
            raise
        error(known.pesan)
        return EXIT_FAILED
    except KeyboardInterrupt:
        error("Dibatalkan.")
        return EXIT_FAILED
    finally:
        ctx.close()


def run() -> None:  # pragma: no cover - console entry
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
