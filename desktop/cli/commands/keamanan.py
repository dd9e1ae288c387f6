"""Protecting the data: passphrase, keys, automatic backups (issue 10, docs/keamanan.md)."""
from __future__ import annotations

from pathlib import Path

from desktop.cli.context import EXIT_FAILED, EXIT_OK, error


def register(sub, common) -> None:
    p = sub.add_parser("enkripsi", parents=[common],
                       help="pasang kata sandi pada basis data yang belum terenkripsi (salinan diperiksa dulu)")
    p.set_defaults(func=cmd_enkripsi)

    p = sub.add_parser("ganti-sandi", parents=[common],
                       help="ganti kata sandi basis data (kata sandi baru dari KESOS_PASSPHRASE_BARU atau terminal)")
    p.add_argument("--kode-pemulihan", metavar="KODE",
                   help="kode pemulihan (dari Dinas) bila kata sandi lama terlupa")
    p.set_defaults(func=cmd_ganti_sandi)



# --- helpers the setup commands call ------------------------------------------

def after_init(db) -> tuple[dict, str]:
    """After `init`: the signing key, and (encrypted) the recovery code shown once."""
    from db import kunci, sandi
    from desktop.cli.passphrase import recovery_text

    kunci.ensure_signing_key(db)
    info = sandi.key_info(db)
    if info is None:
        return ({"terenkripsi": False},
                "\nPERINGATAN: basis data TIDAK terenkripsi (--tanpa-sandi). Pakai hanya untuk demo/latihan.")
    code = sandi.recovery_code(info.key)
    recovery_file = sandi.write_recovery_file(db)
    return ({"terenkripsi": True, "kode_pemulihan": code,
             "berkas_pemulihan": str(recovery_file) if recovery_file else None},
            "\nTerenkripsi: ya" + recovery_text(code, recovery_file))


def auto_backup(ctx, args) -> int:
    from db.cadangan import auto_backup as make, list_backups

    db = ctx.open_db(require_install=False)
    path = make(db, ctx.db_path, refresh=True)
    kept = list_backups(ctx.db_path)
    ctx.emit({"backup": str(path), "disimpan": [str(b.path) for b in kept]},
             f"Cadangan harian ditulis: {path}\nCadangan tersimpan: {len(kept)} berkas di {path.parent}")
    return EXIT_OK


def restore_credentials(backup: Path) -> dict:
    """How to open a backup for `restore`: {} for a plain one, else its passphrase."""
    import os

    from db import sandi
    from db.errors import KnownError
    from desktop.cli.passphrase import ENV, _ask, interactive

    if not sandi.looks_encrypted(backup):
        return {}
    value = os.environ.get(ENV)
    if value:
        return {"passphrase": value}
    if interactive():
        return {"passphrase": _ask(f"Kata sandi cadangan {backup.name}: ")}
    raise KnownError(f"Cadangan {backup.name} terenkripsi: setel {ENV} dengan kata sandinya.")


# --- commands ----------------------------------------------------------------

def cmd_enkripsi(ctx, args) -> int:
    from db import sandi
    from db.cadangan import auto_backup as make, plaintext_backups
    from db.connection import open_database
    from db.errors import KnownError
    from desktop.cli.passphrase import new_passphrase, recovery_text

    if not ctx.db_path.exists():
        raise KnownError(f"Berkas basis data tidak ditemukan: {ctx.db_path}.")
    if sandi.looks_encrypted(ctx.db_path):
        raise KnownError("Basis data ini sudah terenkripsi. Untuk mengganti kata sandi: 'kesos ganti-sandi'.")
    ctx.open_db(require_install=False)  # migrate/check it first: a broken file is refused here
    ctx.close()
    passphrase = new_passphrase(purpose="basis data")
    sandi.encrypt_database(ctx.db_path, passphrase)
    db = open_database(ctx.db_path, passphrase=passphrase)
    ctx._db = db
    removed = []
    try:
        make(db, ctx.db_path, refresh=True)  # an encrypted backup first, then the plain ones go
        for old in plaintext_backups(ctx.db_path):
            sandi._wipe(old)
            removed.append(str(old))
    except KnownError as exc:
        error(f"Peringatan: cadangan terenkripsi belum dibuat ({exc.pesan}); cadangan lama tidak dihapus.")
    code = sandi.recovery_code(sandi.key_info(db).key)
    recovery_file = sandi.write_recovery_file(db)
    text = f"Basis data {ctx.db_path} sekarang terenkripsi."
    if removed:
        text += f"\nCadangan lama tanpa enkripsi dihapus: {len(removed)} berkas."
    ctx.emit({"terenkripsi": True, "kode_pemulihan": code, "cadangan_polos_dihapus": removed,
              "berkas_pemulihan": str(recovery_file) if recovery_file else None},
             text + recovery_text(code, recovery_file))
    return EXIT_OK


def cmd_ganti_sandi(ctx, args) -> int:
    import os

    from db import sandi
    from db.connection import open_database
    from db.errors import KnownError
    from desktop.cli.passphrase import ENV, ENV_NEW, _ask, interactive, new_passphrase, recovery_text

    if not sandi.looks_encrypted(ctx.db_path):
        raise KnownError("Basis data ini belum terenkripsi; gunakan 'kesos enkripsi' untuk memasang kata sandi.")
    old = None
    if not args.kode_pemulihan:
        old = os.environ.get(ENV) or (_ask("Kata sandi lama: ") if interactive() else None)
        if not old:
            raise KnownError(f"Kata sandi lama diperlukan: setel {ENV}, jalankan di terminal, atau --kode-pemulihan.")
    new = new_passphrase(ENV_NEW, purpose="baru")
    sandi.change_passphrase(ctx.db_path, old_passphrase=old, recovery=args.kode_pemulihan, new_passphrase=new)
    db = open_database(ctx.db_path, passphrase=new)
    ctx._db = db
    code = sandi.recovery_code(sandi.key_info(db).key)
    recovery_file = sandi.write_recovery_file(db)
    ctx.emit({"kode_pemulihan": code, "berkas_pemulihan": str(recovery_file) if recovery_file else None},
             "Kata sandi diganti. Kode pemulihan lama tidak berlaku lagi." + recovery_text(code, recovery_file))
    return EXIT_OK
