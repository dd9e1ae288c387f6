"""Deterministic record ids and numbers for synthetic data.

``db.ids.new_id`` uses the clock and ``os.urandom``; synthetic data must be
reproducible from a seed, so ids here are ULIDs of the same shape (26
Crockford base32 characters, 48-bit millisecond time + 80 random bits) made
from the record's own creation time and a seeded generator. They still sort
by creation time and cannot collide with real ids in practice.
"""
from __future__ import annotations

import datetime as _dt
import random

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
# Two base32 characters per 10 bits: 1024 precomputed pairs.
_PAIRS = [_ALPHABET[i >> 5] + _ALPHABET[i & 31] for i in range(1024)]


def _b32(value: int, pairs: int) -> str:
    out = [""] * pairs
    for i in range(pairs - 1, -1, -1):
        out[i] = _PAIRS[value & 1023]
        value >>= 10
    return "".join(out)


def ulid_at(rng: random.Random, when: _dt.datetime) -> str:
    """A ULID for a naive local ``when`` (read as UTC, so the id does not depend on the machine's zone)."""
    ms = ((when.toordinal() - _EPOCH_ORDINAL) * 86400 + when.hour * 3600 + when.minute * 60 + when.second) * 1000
    return _b32(ms, 5) + _b32(rng.getrandbits(80), 8)


class NumberAllocator:
    """Unique 4-digit serials for NIK / No. KK within one kecamatan.

    A NIK's serial (last 4 digits) only has to be unique among people of the
    same kecamatan, birth date and sex. Each village gets its own slice of
    the 0001-9999 range (its position among the kecamatan's villages), so
    villages can be generated independently - in any order, in parallel, or
    one package at a time - and never collide.
    """

    def __init__(self, ordinal: int, villages_in_kecamatan: int, rng: random.Random):
        width = max(1, 9999 // max(1, villages_in_kecamatan))
        self.base = (ordinal - 1) * width
        self.width = width
        self.rng = rng
        self.used: dict[str, set[int]] = {}

    def take(self, key: str) -> int | None:
        """A free serial for ``key`` (e.g. the DDMMYY part), low numbers likelier; None when the slice is full."""
        used = self.used.setdefault(key, set())
        if len(used) >= self.width:
            return None
        while True:
            n = 1 + int(self.width * self.rng.random() ** 3)
            if n not in used:
                used.add(n)
                return self.base + n
