"""Lenient readers for what people type or what spreadsheets hold.

Each function returns the clean value or raises ValueError with a message in
Bahasa Indonesia; callers attach the field/row name. Nothing here guesses:
an ambiguous value is refused, never "fixed".
"""
from __future__ import annotations

import datetime as _dt
import re

BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember",
]
_BULAN_INDEX = {b.lower(): i + 1 for i, b in enumerate(BULAN)}
# Common short forms seen in field spreadsheets.
_BULAN_INDEX.update({b.lower()[:3]: i + 1 for i, b in enumerate(BULAN)})
_BULAN_INDEX.update({"agt": 8, "agu": 8, "ags": 8, "nop": 11, "peb": 2, "okt": 10})


def parse_date(value) -> _dt.date | None:
    """Read a date from an Excel cell or text; ``None`` for an empty value.

    Accepted: date/datetime objects, ``dd/mm/yyyy`` (also with ``-`` or ``.``),
    ``yyyy-mm-dd``, ``17 Agustus 2025``.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)):
        raise ValueError(f"'{value}' bukan tanggal (tulis dd/mm/yyyy)")
    text = str(value).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return _make_date(y, mo, d, text)
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        return _make_date(y, mo, d, text)
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
    if m and m[2].lower() in _BULAN_INDEX:
        return _make_date(int(m[3]), _BULAN_INDEX[m[2].lower()], int(m[1]), text)
    raise ValueError(f"'{text}' bukan tanggal yang dikenali (tulis dd/mm/yyyy)")


def _make_date(y: int, mo: int, d: int, text: str) -> _dt.date:
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"tanggal '{text}' tidak ada di kalender") from None


_MONEY_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3})+")
_MONEY_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3})+")


def parse_rupiah(value) -> int | None:
    """Whole rupiah from ``1500000``, ``1.500.000``, ``Rp 1.500.000``, ``1,500,000``.

    Shorthand such as ``1.5jt`` or ``1,5 juta`` is refused: a typo there moves
    money by a factor of a thousand, so the user writes the full number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"'{value}' bukan nilai rupiah")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("nilai rupiah tidak boleh negatif")
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(f"'{value}' bukan rupiah bulat")
        return parse_rupiah(int(value))
    text = str(value).strip()
    if not text:
        return None
    t = re.sub(r"(?i)^rp\.?\s*", "", text).replace(" ", "")
    t = re.sub(r",-$|\.-$", "", t)
    if t.startswith("-"):
        raise ValueError("nilai rupiah tidak boleh negatif")
    if t.isdigit():
        return int(t)
    if _MONEY_THOUSANDS_DOT.fullmatch(t):
        return int(t.replace(".", ""))
    if _MONEY_THOUSANDS_COMMA.fullmatch(t):
        return int(t.replace(",", ""))
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+),00", t)
    if m:
        return int(m[1].replace(".", ""))
    raise ValueError(f"'{text}' bukan nilai rupiah (tulis angka lengkap, mis. 1.500.000)")


def parse_number(value) -> float | None:
    """A quantity: ``3``, ``2,5`` or ``2.5``; ``None`` when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"'{value}' bukan angka")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    t = text.replace(" ", "")
    if re.fullmatch(r"-?\d+([.,]\d+)?", t):
        return float(t.replace(",", "."))
    raise ValueError(f"'{text}' bukan angka")


def parse_yes_no(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in {"ya", "y", "yes", "1", "true", "benar"}:
        return True
    if text in {"tidak", "t", "no", "n", "0", "false", "bukan"}:
        return False
    raise ValueError(f"'{value}' harus Ya atau Tidak")


_SCI = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def clean_digits(value, *, length: int, label: str) -> str | None:
    """Normalise an NIK / No. KK cell to its digits as text; ``None`` if empty.

    Accepts ``'3171...`` (leading apostrophe), spaces and dots between groups.
    Refuses numbers that lost precision (``3.17101E+15`` or a float), because
    the lost digits cannot be recovered and must never be guessed.
    """
    if value is None:
        return None
    if isinstance(value, float):
        raise ValueError(
            f"{label} tersimpan sebagai angka di Excel sehingga digitnya hilang; "
            "format kolom sebagai Teks lalu ketik ulang"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) > 15:
            # Excel keeps 15 significant digits: a 16-digit number cell is suspect
            # unless it ends in digits that survived; we cannot know, so refuse.
            raise ValueError(
                f"{label} tersimpan sebagai angka di Excel (digit terakhir bisa hilang); "
                "format kolom sebagai Teks lalu ketik ulang"
            )
    text = str(value).strip().lstrip("'").strip()
    if not text:
        return None
    if _SCI.match(text):
        raise ValueError(
            f"{label} '{text}' kehilangan digit (ditulis sebagai angka ilmiah oleh Excel); "
            "format kolom sebagai Teks lalu ketik ulang"
        )
    compact = re.sub(r"[\s.\-]", "", text)
    if not compact.isdigit():
        raise ValueError(f"{label} hanya boleh berisi angka")
    if len(compact) != length:
        raise ValueError(f"{label} harus {length} digit (tertulis {len(compact)} digit)")
    return compact


def parse_period(text: str) -> tuple[int, int | None]:
    """``2025-12`` → (2025, 12); ``2025`` → (2025, None)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", str(text).strip())
    if not m:
        raise ValueError(f"periode '{text}' harus YYYY-MM atau YYYY")
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"bulan pada periode '{text}' tidak ada")
    return year, month
