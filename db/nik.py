"""NIK (Nomor Induk Kependudukan) checks, DOMAIN.md §3.

Layout ``PPKKCC DDMMYY SSSS``: province, kab/kota and kecamatan codes, birth
date with day + 40 for women, serial. Format errors block saving; mismatches
with what the user entered are warnings the user may accept, because records
are often wrong at the source.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from db.parsing import clean_digits


@dataclass
class NikCheck:
    nik: str | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kode_kecamatan: str | None = None  # "61.71.03"
    tanggal_lahir: _dt.date | None = None
    jenis_kelamin: str | None = None  # "L" / "P"

    @property
    def ok(self) -> bool:
        return not self.errors


def kecamatan_code(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def decode_birth(nik: str, *, today: _dt.date | None = None) -> tuple[_dt.date, str]:
    """Birth date and sex encoded in an NIK; ValueError when impossible."""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if dd > 40:
        dd -= 40
        sex = "P"
    today = today or _dt.date.today()
    # Two-digit year: the most recent year not in the future.
    year = 2000 + yy
    if year > today.year:
        year -= 100
    try:
        born = _dt.date(year, mm, dd)
    except ValueError:
        raise ValueError("bagian tanggal lahir pada NIK tidak mungkin") from None
    if born > today:
        born = _dt.date(year - 100, mm, dd)
    return born, sex


def check_nik(
    raw,
    *,
    tanggal_lahir: _dt.date | None = None,
    jenis_kelamin: str | None = None,
    kecamatan_dikenal=None,
    today: _dt.date | None = None,
) -> NikCheck:
    """Validate an NIK and compare it with the rest of the record.

    ``kecamatan_dikenal`` is a callable ``code -> bool`` telling whether a
    kecamatan code exists in the reference list.
    """
    try:
        nik = clean_digits(raw, length=16, label="NIK")
    except ValueError as exc:
        return NikCheck(nik=None, errors=[str(exc)])
    if nik is None:
        return NikCheck(nik=None)
    result = NikCheck(nik=nik)
    if nik[0:2] == "00" or nik[12:16] == "0000":
        result.errors.append("NIK tidak sah (kode wilayah atau nomor urut nol)")
        return result
    try:
        born, sex = decode_birth(nik, today=today)
    except ValueError as exc:
        result.errors.append(str(exc))
        return result
    result.tanggal_lahir, result.jenis_kelamin = born, sex
    result.kode_kecamatan = kecamatan_code(nik)
    if kecamatan_dikenal is not None and not kecamatan_dikenal(result.kode_kecamatan):
        result.warnings.append(
            f"Kode wilayah NIK ({result.kode_kecamatan}) bukan kecamatan yang dikenal"
        )
    if tanggal_lahir is not None and (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100) != (
        born.day, born.month, born.year % 100
    ):
        result.warnings.append(
            f"Tanggal lahir pada NIK ({born.strftime('%d/%m/%Y')}) berbeda dengan tanggal lahir yang diisi"
        )
    if jenis_kelamin in ("L", "P") and jenis_kelamin != sex:
        kata = "perempuan" if sex == "P" else "laki-laki"
        result.warnings.append(f"NIK menunjukkan jenis kelamin {kata}, berbeda dengan yang diisi")
    return result


def mask_nik(nik: str | None) -> str:
    """``6171034501900001`` → ``617103********01``: enough to tell people apart on paper."""
    if not nik:
        return "-"
    if len(nik) < 10:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]
