"""Numbers and dates the Indonesian way (``1.800.000``, ``Senin, 17 Agustus 2026``).

Pure functions so that exporters, the CLI and the GUI print the same text.
"""
from __future__ import annotations

import datetime as _dt

from db.parsing import BULAN

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def angka(value, decimals: int = 0) -> str:
    """``1800000`` → ``1.800.000``; ``2.5`` → ``2,5`` (decimals only when needed)."""
    if value is None:
        return ""
    if isinstance(value, float) and decimals == 0 and not value.is_integer():
        decimals = 2
        text = f"{value:,.{decimals}f}".rstrip("0")
    else:
        text = f"{value:,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.rstrip(",")


def rupiah(value) -> str:
    return "Rp " + angka(int(value or 0))


def persen(value, decimals: int = 2) -> str:
    if value is None:
        return "-"
    return angka(round(float(value), decimals), decimals) + "%"


def _as_date(value) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value)[:10])


def tanggal(value) -> str:
    """``2025-12-31`` → ``31/12/2025`` (forms and tables)."""
    d = _as_date(value)
    return d.strftime("%d/%m/%Y") if d else ""


def tanggal_panjang(value, *, hari: bool = False) -> str:
    """``2026-08-17`` → ``17 Agustus 2026`` (or ``Senin, 17 Agustus 2026``)."""
    d = _as_date(value)
    if not d:
        return ""
    text = f"{d.day} {BULAN[d.month - 1]} {d.year}"
    return f"{HARI[d.weekday()]}, {text}" if hari else text


def nama_bulan(month: int) -> str:
    return BULAN[month - 1]


def periode_label(periode: str) -> str:
    """``2025-12`` → ``Desember 2025``; ``2025`` → ``Tahun 2025``."""
    from db.parsing import parse_period

    year, month = parse_period(periode)
    return f"{BULAN[month - 1]} {year}" if month else f"Tahun {year}"
