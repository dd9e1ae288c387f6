"""Record ids made on the laptop, unique across installs.

ULIDs: 48-bit millisecond timestamp + 80 random bits in Crockford base32.
They sort by creation time (handy for "newest first" without an extra
index) and two laptops never collide, so packages merge without remapping.
"""
from __future__ import annotations

import os
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id() -> str:
    ms = int(time.time() * 1000)
    value = (ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))
