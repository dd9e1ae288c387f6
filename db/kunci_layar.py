"""Settings of the app lock (the GUI locks at start and after inactivity).

What unlocks: the PIN when one is set (stored as a scrypt hash, never the
PIN), else the database passphrase when the database is encrypted. A plain
database without a PIN cannot be locked: the Pengaturan page says so.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlite_utils import Database

from db import sandi
from db.errors import KnownError
from db.install import get_setting, set_setting

SETTING_MINUTES = "kunci_menit"
SETTING_PIN = "kunci_pin"
DEFAULT_MINUTES = 10
MIN_PIN = 4
_N, _R, _P = 2 ** 14, 8, 1


def lock_minutes(db: Database) -> int:
    """Minutes of inactivity before the lock (0 = never)."""
    try:
        return max(0, int(get_setting(db, SETTING_MINUTES, str(DEFAULT_MINUTES))))
    except (TypeError, ValueError):
        return DEFAULT_MINUTES


def set_lock_minutes(db: Database, minutes: int) -> None:
    minutes = int(minutes)
    if not 0 <= minutes <= 240:
        raise KnownError("Waktu kunci otomatis harus antara 0 (tidak pernah) dan 240 menit.")
    set_setting(db, SETTING_MINUTES, str(minutes))


def _hash(pin: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def set_pin(db: Database, pin: str | None) -> None:
    """Set (or with None/"" remove) the lock PIN."""
    if not pin:
        set_setting(db, SETTING_PIN, None)
        return
    if len(pin) < MIN_PIN or not pin.isdigit():
        raise KnownError(f"PIN harus berupa angka, minimal {MIN_PIN} digit.")
    salt = secrets.token_bytes(16)
    value = "scrypt${}${}${}${}${}".format(_N, _R, _P, base64.b64encode(salt).decode(),
                                            base64.b64encode(_hash(pin, salt)).decode())
    set_setting(db, SETTING_PIN, value)


def has_pin(db: Database) -> bool:
    return bool(get_setting(db, SETTING_PIN))


def check_pin(db: Database, pin: str) -> bool:
    stored = get_setting(db, SETTING_PIN)
    if not stored or not pin:
        return False
    try:
        _alg, n, r, p, salt, digest = stored.split("$")
        return hmac.compare_digest(_hash(pin, base64.b64decode(salt), int(n), int(r), int(p)),
                                   base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def can_lock(db: Database) -> bool:
    return has_pin(db) or sandi.is_encrypted_db(db)


def unlocks(db: Database, text: str) -> bool:
    """Does ``text`` unlock the app? The PIN if set, else the database passphrase."""
    if has_pin(db):
        return check_pin(db, text)
    return sandi.passphrase_matches(db, text)


def credential_label(db: Database) -> str:
    return "PIN" if has_pin(db) else "Kata sandi"
