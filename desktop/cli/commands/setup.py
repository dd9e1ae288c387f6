"""init, info, check, backup, restore: the database's life cycle."""
from __future__ import annotations

from desktop.cli.context import EXIT_FAILED, EXIT_OK, error


def register(sub, common) -> None:
    p = sub.add_parser("init", parents=[common], help="siapkan basis data baru untuk satu kelurahan (atau Dinas)")
    p.add_argument("--kelurahan", required=True, metavar="KODE", help="kode Kemendagri kelurahan (DINAS: kode kab/kota)")
    p.add_argument("--operator", required=True, metavar="NAMA", help="nama operator")
    p.add_argument("--peran", required=True, choices=["TKSK", "PSM", "DINAS"], type=str.upper)
    p.add_argument("--nik", metavar="NIK", help="NIK operator")
    p.add_argument("--nomor", metavar="NOMOR", help="nomor registrasi operator")
    p.add_argument("--lurah", metavar="NAMA", help="nama Lurah untuk tanda tangan")
    p.add_argument("--tanpa-sandi", action="store_true",
                   help="buat basis data TANPA enkripsi (hanya untuk demo/latihan; data orang dapat dibaca siapa pun)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("info", parents=[common], help="isi basis data")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("check", parents=[common], help="periksa keutuhan basis data")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", parents=[common], help="salinan basis data yang konsisten")
    p.add_argument("--out", metavar="FILE")
    p.add_argument("--auto", action="store_true",
                   help="cadangan harian otomatis ke folder 'cadangan' di samping basis data (lama dirotasi)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="ganti basis data dengan cadangan setelah diperiksa")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_restore)


def cmd_init(ctx, args) -> int:
    from db.connection import open_database
    from db.errors import KnownError
    from db.install import get_install, init_install
    from desktop.cli.passphrase import new_passphrase, open_database_interactive

    existed = ctx.db_path.exists()
    if existed:
        db = open_database_interactive(ctx.db_path)
        if get_install(db) is not None:
            db.close()
            raise KnownError(f"Basis data {ctx.db_path} sudah ada dan sudah disiapkan; 'init' tidak menimpanya.")
        ctx._db = db
    passphrase = None if args.tanpa_sandi else new_passphrase()
    if existed and passphrase:
        from db import sandi

        if not sandi.is_encrypted_db(ctx._db):  # made by an interrupted setup: encrypt it before any record
            ctx.close()
            sandi.encrypt_database(ctx.db_path, passphrase)
            ctx._db = open_database(ctx.db_path, passphrase=passphrase)
    elif not existed:
        ctx._db = open_database(ctx.db_path, create=True, passphrase=passphrase)
    try:
        inst = init_install(
            ctx._db,
            kode_wilayah=args.kelurahan,
            operator_nama=args.operator,
            peran=args.peran,
            operator_nik=args.nik,
            operator_nomor=args.nomor,
            lurah_nama=args.lurah,
        )
    except KnownError:
        if not existed:
            ctx.close()
            for suffix in ("", "-wal", "-shm"):
                p = ctx.db_path.with_name(ctx.db_path.name + suffix)
                p.unlink(missing_ok=True)
        raise
    from db.reference import wilayah
    from desktop.cli.commands.keamanan import after_init

    nama = (wilayah(ctx._db, inst.kode_wilayah) or {}).get("nama", "")
    report, extra = after_init(ctx._db)
    ctx.emit(
        {"install_id": inst.install_id, "kode_wilayah": inst.kode_wilayah, "peran": inst.peran, "db": str(ctx.db_path),
         **report},
        f"Basis data disiapkan: {ctx.db_path}\nWilayah: {inst.kode_wilayah} {nama}\nPeran: {inst.peran}" + extra,
    )
    return EXIT_OK


def cmd_info(ctx, args) -> int:
    from db.install import record_counts
    from db.reference import wilayah

    db = ctx.open_db()
    inst = ctx.install()
    counts = record_counts(db)
    report = {
        "kode_wilayah": inst.kode_wilayah,
        "nama_wilayah": (wilayah(db, inst.kode_wilayah) or {}).get("nama"),
        "peran": inst.peran,
        "install_id": inst.install_id,
        "operator": inst.operator_nama,
        "counts": counts,
    }
    lines = [
        f"Wilayah : {inst.kode_wilayah} {report['nama_wilayah'] or ''}",
        f"Peran   : {inst.peran}",
        f"Operator: {inst.operator_nama}",
        f"Instalasi: {inst.install_id}",
        "Jumlah data:",
    ] + [f"  {k:<9} {v:>9,}".replace(",", ".") for k, v in counts.items()]
    ctx.emit(report, "\n".join(lines))
    return EXIT_OK


def cmd_check(ctx, args) -> int:
    from db.connection import integrity_problems

    db = ctx.open_db(require_install=False)
    problems = integrity_problems(db)
    if problems:
        error("Basis data TIDAK utuh: " + problems[0])
        for p in problems[1:20]:
            error("  " + p)
        if ctx.json:
            ctx.emit({"ok": False, "problems": problems})
        return EXIT_FAILED
    ctx.emit({"ok": True, "problems": []}, "Basis data utuh.")
    return EXIT_OK


def cmd_backup(ctx, args) -> int:
    from pathlib import Path

    from db.backup import backup_to

    if args.auto:
        from desktop.cli.commands.keamanan import auto_backup

        return auto_backup(ctx, args)
    if not args.out:
        error("Sebutkan --out FILE, atau --auto untuk cadangan harian otomatis.")
        return 2
    db = ctx.open_db(require_install=False)
    target = backup_to(db, Path(args.out))
    from db.ekspor_log import catat_ekspor

    catat_ekspor(db, "cadangan", target, None)  # issue 10: a copy of everything left the app
    ctx.emit({"backup": str(target)}, f"Cadangan ditulis: {target}")
    return EXIT_OK


def cmd_restore(ctx, args) -> int:
    from pathlib import Path

    from db.backup import restore_from, verify_backup
    from desktop.cli.commands.keamanan import restore_credentials

    credentials = restore_credentials(Path(args.file))
    verify_backup(args.file, **credentials)
    info = restore_from(ctx.db_path, args.file, **credentials)
    ctx.emit({"restored": str(args.file), **info}, f"Basis data dipulihkan dari {args.file}.")
    return EXIT_OK
