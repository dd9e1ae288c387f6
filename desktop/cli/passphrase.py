"""The database passphrase on the command line (CLI.md: KESOS_PASSPHRASE, else the terminal)."""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from db.errors import KnownError

ENV = "KESOS_PASSPHRASE"
ENV_NEW = "KESOS_PASSPHRASE_BARU"  # the new passphrase for `ganti-sandi` in scripts
TRIES = 3


def interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError as exc:
        raise KnownError("Dibatalkan: kata sandi tidak dimasukkan.") from exc


def open_database_interactive(path: Path, *, create: bool = False):
    """``open_database`` that asks for the passphrase on the terminal when needed."""
    from db import sandi
    from db.connection import open_database

    try:
        return open_database(path, create=create)
    except sandi.PassphraseRequired:
        if not interactive():
            raise KnownError(
                f"Basis data {path.name} terenkripsi. Setel {ENV} dengan kata sandinya untuk penggunaan "
                "tanpa terminal (skrip), atau jalankan perintah di terminal."
            ) from None
    except sandi.WrongPassphrase:
        if os.environ.get(ENV) and not interactive():
            raise KnownError(f"Kata sandi pada {ENV} salah untuk basis data {path.name}. Berkas tidak diubah.") from None
        if not interactive():
            raise
    for attempt in range(TRIES):
        entered = _ask(f"Kata sandi basis data {path.name}: ")
        try:
            return open_database(path, create=create, passphrase=entered)
        except sandi.WrongPassphrase:
            print("Kata sandi salah." + (" Coba lagi." if attempt < TRIES - 1 else ""), file=sys.stderr)
    raise KnownError(f"Kata sandi salah {TRIES} kali; basis data {path.name} tidak dibuka. Berkas tidak diubah.")


def new_passphrase(env: str = ENV, *, purpose: str = "basis data baru") -> str:
    """A passphrase for a new key: from ``env``, or typed twice on the terminal."""
    from db import sandi

    value = os.environ.get(env)
    if value:
        return sandi.check_new_passphrase(value)
    if not interactive():
        raise KnownError(
            f"Kata sandi untuk {purpose} diperlukan: setel {env}, jalankan di terminal, "
            "atau (hanya untuk demo) gunakan --tanpa-sandi."
            if env == ENV else f"Kata sandi baru diperlukan: setel {env} atau jalankan di terminal."
        )
    for _ in range(TRIES):
        first = _ask(f"Kata sandi {purpose} (min. {sandi.MIN_PASSPHRASE} karakter): ")
        try:
            sandi.check_new_passphrase(first)
        except KnownError as exc:
            print(exc.pesan, file=sys.stderr)
            continue
        if _ask("Ulangi kata sandi: ") == first:
            return first
        print("Kedua kata sandi tidak sama.", file=sys.stderr)
    raise KnownError("Kata sandi tidak ditetapkan; tidak ada yang diubah.")


def recovery_text(code: str, recovery_file: Path | None) -> str:
    lines = [
        "",
        "KODE PEMULIHAN (hanya ditampilkan sekali):",
        f"    {code}",
        "Tulis kode ini di kertas dan serahkan kepada Dinas Sosial dalam amplop tertutup.",
        "Jika kata sandi terlupa, kode ini (lewat Dinas) membuka basis data: jangan simpan di laptop ini.",
    ]
    if recovery_file:
        lines.append(f"Salinan tersegel untuk Dinas juga ditulis: {recovery_file}")
    return "\n".join(lines)
